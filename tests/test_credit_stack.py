"""The channel credit's stacked run equals one kernel run per channel subset, exactly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import propfee as pf
from propfee.budget import SUBSETS, _pool_balance_fen, budget_arrays, subset_balances_fen
from propfee.compound import validate_compounds
from propfee.fees import annual_fee_billed_yuan
from propfee.money import yuan_to_fen
from propfee.plan import resolve_plan
from tests.conftest import districts


def _one_by_one(table, resolved, params, fee_fen):
    return {s: _pool_balance_fen(budget_arrays(table, resolved, params, s), fee_fen)
            for s in SUBSETS}


def _fees(table, params):
    from propfee.baseline import effective_fee_inputs

    rate, coll = effective_fee_inputs(table, params)
    return yuan_to_fen(annual_fee_billed_yuan(table.array("floor_area_m2"), rate) * coll)


@pytest.mark.parametrize("plan_name", ["xinghualing", "shared_staffed"])
def test_stacked_subsets_equal_separate_runs_on_the_street(plan_name: str) -> None:
    table = validate_compounds(pf.datasets.sanqiao_like_street())
    params = pf.default_parameters()
    resolved = resolve_plan(pf.named_plan(plan_name), table)
    fee = _fees(table, params)
    stacked = subset_balances_fen(table, resolved, params, SUBSETS, fee)
    separate = _one_by_one(table, resolved, params, fee)
    for s in SUBSETS:
        np.testing.assert_array_equal(stacked[s], separate[s], err_msg=str(sorted(s)))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(df=districts())
def test_stacked_subsets_equal_separate_runs(df) -> None:
    table = validate_compounds(df)
    params = pf.default_parameters()
    for plan in (pf.named_plan("xinghualing"), pf.named_plan("shared_staffed")):
        resolved = resolve_plan(plan, table)
        fee = _fees(table, params)
        stacked = subset_balances_fen(table, resolved, params, SUBSETS, fee)
        separate = _one_by_one(table, resolved, params, fee)
        for s in SUBSETS:
            np.testing.assert_array_equal(stacked[s], separate[s])


def _plans():
    base = pf.named_plan("xinghualing")
    return {
        "xinghualing": base,
        "shared_staffed": pf.named_plan("shared_staffed"),
        "live_in": base.model_copy(update={"gate_regime": "live_in"}),
        # device-only gates fall back to the grade's regime where the devices are off,
        # at grade 5 a live-in gatekeeper: the copies differ in which gate lines they have
        "grade_5": base.model_copy(update={"service_grade": 5}),
    }


@pytest.mark.parametrize("plan_name", ["xinghualing", "shared_staffed", "live_in", "grade_5"])
def test_each_stacked_copy_has_the_lines_of_a_separate_run(plan_name: str) -> None:
    """Every copy of the stacked run, taken out, has exactly the lines (the same specs,
    the same amounts) and the pool balance of a run with that channel subset alone: a
    line made only where its channel is off (the street's services paid by the pool) or
    where a gate regime holds is in a copy only if a separate run would make it."""
    from propfee.budget import _stacked_run

    table = validate_compounds(pf.datasets.sanqiao_like_street())
    params = pf.default_parameters()
    resolved = resolve_plan(_plans()[plan_name], table)
    fee = _fees(table, params)
    n = len(table)
    stacked, _ = _stacked_run(table, resolved, params, SUBSETS, fee)
    for i, s in enumerate(SUBSETS):
        copy = stacked.take(slice(i * n, (i + 1) * n))
        alone = budget_arrays(table, resolved, params, s)
        assert list(copy.lines) == list(alone.lines), sorted(s)
        for spec, amount in alone.lines.items():
            np.testing.assert_array_equal(np.broadcast_to(copy.lines[spec], (n,)),
                                          np.broadcast_to(amount, (n,)), err_msg=spec.code)


@pytest.mark.parametrize("plan_name", ["xinghualing", "shared_staffed", "live_in", "grade_5"])
@pytest.mark.parametrize("mode", ["shapley", "waterfall"])
def test_budget_with_credit_equals_budget_without(plan_name: str, mode: str) -> None:
    """The budget taken from the stacked run (its last copy, every channel on) is the
    budget of a plain run: every column and every line; the credit equals the one
    computed later from the plain budget."""
    df = pf.datasets.sanqiao_like_street()
    plan = _plans()[plan_name]
    plain = pf.evaluate_district(df, plan, contributions=False)
    with_credit = pf.evaluate_district(df, plan, contributions=mode)
    credit = plain.channel_credit(mode)
    names = [c for c in credit.columns if c != "compound_id"]
    pd_testing = pytest.importorskip("pandas").testing
    pd_testing.assert_frame_equal(with_credit.compounds.drop(columns=names), plain.compounds)
    pd_testing.assert_frame_equal(with_credit.compounds[["compound_id", *names]], credit)
    pd_testing.assert_frame_equal(with_credit.lines, plain.lines)
    one = pf.Compound(compound_id="c1", households=100, floor_area_m2_per_household=100.0,
                      build_year=1990, gates=2)
    assert (pf.evaluate(one, plan, contributions=mode).lines
            == pf.evaluate(one, plan, contributions=False).lines)
