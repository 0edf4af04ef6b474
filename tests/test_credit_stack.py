"""The channel credit's stacked run equals one kernel run per channel subset, exactly; its
empty subset is the market baseline; computed in pieces it is the same."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import propfee as pf
from propfee.budget.credit import SUBSETS, pool_balance_fen, stacked_run, subset_balances_fen
from propfee.budget.kernel import budget_arrays
from propfee.compound import validate_compounds
from propfee.fees import fee_collected_fen
from propfee.money import yuan_to_fen
from propfee.plan import resolve_plan
from propfee.work.categories import category_names
from tests.conftest import districts

evaluate_module = importlib.import_module("propfee.budget.evaluate")
"""The module of the entry points (``propfee.budget.evaluate`` is also the function)."""


def _one_by_one(table, resolved, params, fee_fen):
    return {s: pool_balance_fen(budget_arrays(table, resolved, params, s), fee_fen)
            for s in SUBSETS}


def _plans() -> dict[str, pf.Plan]:
    base = pf.named_plan("xinghualing")
    return {
        "xinghualing": base,
        "shared_staffed": pf.named_plan("shared_staffed"),
        "live_in": base.model_copy(update={"gate_regime": "live_in"}),
        # device-only gates at grade 5, whose own regime is a live-in gatekeeper: where the
        # devices are off the gate hours go to the residents' hires or the market
        "grade_5": base.model_copy(update={"service_grade": 5}),
    }


@pytest.mark.parametrize("plan_name", ["xinghualing", "shared_staffed"])
def test_stacked_subsets_equal_separate_runs_on_the_street(plan_name: str) -> None:
    table = validate_compounds(pf.datasets.sanqiao_like_street())
    params = pf.default_parameters()
    resolved = resolve_plan(pf.named_plan(plan_name), table)
    fee = fee_collected_fen(table, params)
    stacked = subset_balances_fen(table, resolved, params, SUBSETS, fee)
    separate = _one_by_one(table, resolved, params, fee)
    assert list(stacked) == list(SUBSETS)
    for s in SUBSETS:
        np.testing.assert_array_equal(stacked[s], separate[s], err_msg=str(sorted(s)))
    # The subsets do differ: every channel on against none.
    assert (stacked[SUBSETS[-1]] != stacked[SUBSETS[0]]).all()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(df=districts())
def test_stacked_subsets_equal_separate_runs(df) -> None:
    table = validate_compounds(df)
    params = pf.default_parameters()
    for plan in _plans().values():
        resolved = resolve_plan(plan, table)
        fee = fee_collected_fen(table, params)
        stacked = subset_balances_fen(table, resolved, params, SUBSETS, fee)
        separate = _one_by_one(table, resolved, params, fee)
        for s in SUBSETS:
            np.testing.assert_array_equal(stacked[s], separate[s])


@pytest.mark.parametrize("plan_name", ["xinghualing", "shared_staffed", "live_in", "grade_5"])
def test_each_stacked_copy_has_the_lines_and_work_of_a_separate_run(plan_name: str) -> None:
    """Every copy of the stacked run, taken out, has exactly the lines (the same specs,
    the same amounts), the work ledger and the income of a run with that channel subset
    alone: a line made only where its channel is on or where a gate regime holds is in a
    copy only if a separate run would make it."""
    table = validate_compounds(pf.datasets.sanqiao_like_street())
    params = pf.default_parameters()
    resolved = resolve_plan(_plans()[plan_name], table)
    n = len(table)
    stacked, _ = stacked_run(table, resolved, params, SUBSETS, fee_collected_fen(table, params))
    categories = category_names(params)
    for i, s in enumerate(SUBSETS):
        copy = stacked.take(slice(i * n, (i + 1) * n))
        alone = budget_arrays(table, resolved, params, s)
        assert list(copy.lines) == list(alone.lines), sorted(s)
        for spec, amount in alone.lines.items():
            np.testing.assert_array_equal(np.broadcast_to(copy.lines[spec], (n,)),
                                          np.broadcast_to(amount, (n,)), err_msg=spec.code)
        for category in categories:
            np.testing.assert_array_equal(copy.ledger.demand(category),
                                          alone.ledger.demand(category))
            for supplier in ("street_fallback", "smart_devices", "self_governance",
                             "shared_property", "market"):
                np.testing.assert_array_equal(copy.ledger.supplied(supplier, category),
                                              alone.ledger.supplied(supplier, category),
                                              err_msg=f"{supplier} {category}")
        np.testing.assert_array_equal(copy.public_income_yuan, alone.public_income_yuan)


@pytest.mark.parametrize("plan_name", ["xinghualing", "shared_staffed", "live_in", "grade_5"])
@pytest.mark.parametrize("mode", ["shapley", "waterfall"])
def test_budget_with_credit_equals_budget_without(plan_name: str, mode: str) -> None:
    """The budget taken from the stacked run (its last copy, every channel on) is the
    budget of a plain run: every column, every line and the work; the credit equals the
    one computed later from the plain budget."""
    df = pf.datasets.sanqiao_like_street()
    plan = _plans()[plan_name]
    plain = pf.evaluate_district(df, plan, contributions=False)
    with_credit = pf.evaluate_district(df, plan, contributions=mode)
    credit = plain.channel_credit(mode)
    names = [c for c in credit.columns if c.startswith("contribution_")]
    pd.testing.assert_frame_equal(with_credit.compounds.drop(columns=names), plain.compounds)
    pd.testing.assert_frame_equal(
        with_credit.compounds[["compound_id", "market_baseline_balance_yuan", *names]], credit)
    pd.testing.assert_frame_equal(with_credit.lines, plain.lines)
    pd.testing.assert_frame_equal(with_credit.work, plain.work)
    one = pf.Compound(compound_id="c1", households=100, floor_area_m2_per_household=100.0,
                      build_year=1990, gates=2)
    credited = pf.evaluate(one, plan, contributions=mode)
    bare = pf.evaluate(one, plan, contributions=False)
    assert credited.lines == bare.lines
    assert credited.work == bare.work
    assert credited.model_copy(update={"contributions": {}}) == bare


@pytest.mark.parametrize("plan_name", ["xinghualing", "shared_staffed", "live_in", "grade_5"])
def test_no_channel_on_is_the_market_baseline(plan_name: str) -> None:
    """v(no channel) of the credit, the budget's market baseline columns and
    pf.market_baseline at the plan's grade and gate hours are one figure, in fen."""
    df = pf.datasets.sanqiao_like_street().head(40)
    plan = _plans()[plan_name]
    budget = pf.evaluate_district(df, plan)
    base = pf.market_baseline_district(df, grade=plan.service_grade,
                                       gate_regime=plan.gate_regime)
    c = budget.compounds
    np.testing.assert_array_equal(yuan_to_fen(c["market_baseline_balance_yuan"].to_numpy()),
                                  yuan_to_fen(base["balance_yuan"].to_numpy()))
    np.testing.assert_array_equal(yuan_to_fen(c["market_baseline_cost_yuan"].to_numpy()),
                                  yuan_to_fen(base["total_annual_cost_yuan"].to_numpy()))
    credit = budget.channel_credit("waterfall")
    np.testing.assert_array_equal(credit["market_baseline_balance_yuan"].to_numpy(),
                                  c["market_baseline_balance_yuan"].to_numpy())
    table = validate_compounds(df)
    params = pf.default_parameters()
    none_on = subset_balances_fen(table, resolve_plan(plan, table), params, (frozenset(),),
                                  fee_collected_fen(table, params))[frozenset()]
    np.testing.assert_array_equal(none_on, yuan_to_fen(base["balance_yuan"].to_numpy()))
    # One compound: the same.
    first = pf.Compound.model_validate({k: v.item() if hasattr(v, "item") else v
                                        for k, v in df.iloc[0].items() if v == v})  # not NaN
    one = pf.market_baseline(first, grade=plan.service_grade, gate_regime=plan.gate_regime)
    assert one.balance_yuan == c["market_baseline_balance_yuan"].iloc[0]


def test_staffed_gates_of_the_plan_are_in_its_baseline() -> None:
    """A plan that staffs its gates 24 hours at grade 4 (whose own gates are staffed 16
    hours) is compared with a market company keeping them 24 hours: one gate, 8,760 h =
    3 guards, not 5,840 h = 2; the difference is a guard with the market's markup,
    55,908 x k + 800 k with k = 1.05 x 1.08 x (1 + 0.06 x 1.12) = 1.2102048:
    67,660.13 + 968.16 = 68,628.29 a year (each line rounded to the fen)."""
    one = pf.Compound(compound_id="c1", households=100, floor_area_m2=10000.0, build_year=1990)
    staffed = pf.named_plan("shared_staffed")
    assert (staffed.service_grade, staffed.gate_regime) == (4, "staffed_24h")
    r = pf.evaluate(one, staffed)
    sixteen = pf.market_baseline(one, grade=4)
    assert r.market_baseline_cost_yuan - sixteen.total_annual_cost_yuan == pytest.approx(
        68628.29, abs=0.03)
    assert r.market_baseline_cost_yuan == pf.market_baseline(
        one, grade=4, gate_regime="staffed_24h").total_annual_cost_yuan


@pytest.mark.parametrize("mode", ["shapley", "waterfall"])
def test_credit_in_pieces_equals_one_piece(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """The credit of zone bundles computed in pieces of about 3 rows (bundles kept
    whole), at evaluation or on request, equals the credit computed in one piece."""
    df = pf.datasets.sanqiao_like_street().head(30)
    plan = pf.named_plan("shared_staffed")
    whole = pf.evaluate_district(df, plan, contributions=mode)
    later = pf.evaluate_district(df, plan)
    monkeypatch.setattr(evaluate_module, "CREDIT_CHUNK_ROWS", 3)
    in_pieces = pf.evaluate_district(df, plan, contributions=mode)
    pd.testing.assert_frame_equal(in_pieces.compounds, whole.compounds)
    cols = ["compound_id", "market_baseline_balance_yuan",
            *(c for c in whole.compounds.columns if c.startswith("contribution_"))]
    pd.testing.assert_frame_equal(later.channel_credit(mode), whole.compounds[cols])
