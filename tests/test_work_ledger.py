"""Conservation of work: every piece of a compound's work supplied exactly once.

For random districts, both named plans and all 32 subsets of the five channels (one
stacked kernel run, each copy of the table with its own channels on), for every compound
and work category: demand equals the sum of what the suppliers supplied, exactly in
micro-units; and no money line exists without the work it pays for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import propfee as pf
from propfee.budget.credit import SUBSETS, stacked_run
from propfee.budget.kernel import KernelOutput
from propfee.fees import fee_collected_fen
from propfee.plan import named_plan, resolve_plan
from propfee.work.categories import category_names
from propfee.work.ledger import MICRO, WorkLedger, to_micro
from tests.conftest import districts

WORK_KINDS = ("per_use", "standing", "informal", "in_kind", "service", "market")
"""Kinds of line that pay for work (capital and running costs of devices are the devices'
own; running costs of the compound are no work)."""


def _all_subsets(df: pd.DataFrame, plan_name: str, params: pf.ParameterSet
                 ) -> tuple[KernelOutput, int]:
    out, n, _ = _all_subsets_with_bundles(df, plan_name, params)
    return out, n


def _all_subsets_with_bundles(df: pd.DataFrame, plan_name: str, params: pf.ParameterSet
                              ) -> tuple[KernelOutput, int, np.ndarray]:
    """Every subset's run, and the contract (a number unique over the copies) of each row."""
    table = pf.validate_compounds(df)
    resolved = resolve_plan(named_plan(plan_name), table)
    out, _ = stacked_run(table, resolved, params, SUBSETS, fee_collected_fen(table, params))
    n = len(table)
    codes = [resolved.bundle_code + k * n if "shared_property" in s else np.arange(n) + k * n
             for k, s in enumerate(SUBSETS)]
    return out, n, np.concatenate(codes)


def _supplied_any(out: KernelOutput, channel: str, categories: tuple[str, ...]) -> np.ndarray:
    total = np.zeros(out.ledger.n)
    for c in categories:
        total = total + out.ledger.supplied(channel, c)
    return total > 0


@given(df=districts(max_size=40), plan_name=st.sampled_from(["xinghualing", "shared_staffed"]))
def test_demand_equals_supplies_for_every_subset(df: pd.DataFrame, plan_name: str,
                                                 params: pf.ParameterSet) -> None:
    out, n = _all_subsets(df, plan_name, params)
    assert out.ledger.n == 32 * n
    assert out.ledger.balance_problems() == []
    supplied = out.ledger.supplied_micro()
    for category, need in out.ledger.demand_micro().items():
        total = sum((v for (_, c), v in supplied.items() if c == category),
                    start=np.zeros_like(need))
        np.testing.assert_array_equal(total, need)  # integers: exactly
        assert total.dtype == np.int64


@given(df=districts(max_size=40), plan_name=st.sampled_from(["xinghualing", "shared_staffed"]))
def test_no_money_line_without_its_work(df: pd.DataFrame, plan_name: str,
                                        params: pf.ParameterSet) -> None:
    """Every line that pays for work exists only where its channel supplied that work (a
    supplier's overhead, ``work="*"``, where it supplied some work). A standing post of a
    shared contract is pooled over the bundle and split by the members' gross demand, so
    its shares exist where the contract supplied the work to some member of the bundle."""
    out, _, contract = _all_subsets_with_bundles(df, plan_name, params)
    categories = category_names(params)
    for spec, amount in out.lines.items():
        paid = np.abs(np.broadcast_to(amount, (out.ledger.n,))) >= 0.005  # a fen or more
        if spec.kind not in WORK_KINDS or not paid.any():
            continue
        if spec.work == "*":  # overhead of a supplier: it supplied some work there
            did = _supplied_any(out, spec.channel, categories)
        else:
            assert spec.work in categories, spec
            did = out.ledger.supplied(spec.channel, spec.work) > 0
        if spec.kind == "standing":  # the bundle's pooled work
            did = (np.bincount(contract, weights=did, minlength=contract.max() + 1) > 0)[contract]
        assert not np.any(paid & ~did), (spec, np.flatnonzero(paid & ~did)[:5])


def test_a_subset_off_supplies_nothing_and_the_market_buys_it(params: pf.ParameterSet) -> None:
    """Each channel switched off: it supplies no work, and what it supplied with the others
    on is bought at market price instead (nothing vanishes)."""
    df = pf.datasets.sanqiao_like_street().head(30)
    out, n = _all_subsets(df, "xinghualing", params)
    full = SUBSETS.index(SUBSETS[-1])
    for channel in ("street_fallback", "smart_devices", "self_governance", "shared_property"):
        off = SUBSETS.index(SUBSETS[-1] - {channel})
        rows_off = slice(off * n, (off + 1) * n)
        rows_on = slice(full * n, (full + 1) * n)
        for category in category_names(params):
            assert not out.ledger.supplied(channel, category)[rows_off].any()
            on_total = out.ledger.supplied(channel, category)[rows_on]
            market_on = out.ledger.supplied("market", category)[rows_on]
            market_off = out.ledger.supplied("market", category)[rows_off]
            # What the channel supplied is bought at market (or by a later channel).
            later = sum(out.ledger.supplied(c, category)[rows_off]
                        - out.ledger.supplied(c, category)[rows_on]
                        for c in ("self_governance", "shared_property")
                        if c != channel)
            np.testing.assert_allclose(market_off - market_on + later, on_total, atol=2e-6)


def test_ledger_refuses_nothing_and_counts_in_micro_units() -> None:
    """A supplier gets min(offer, left), rounded to the micro-unit; the rest stays."""
    ledger = WorkLedger({"gate": np.array([5840.0, 8760.0]), "patrol": np.array([0.0, 10.0])})
    got = ledger.supply("smart_devices", "gate", np.array([8760.0, 1000.0000004]))
    assert got.tolist() == [5840.0, 1000.0]  # capped at demand; 0.4 micro-hours rounded away
    assert ledger.remaining("gate").tolist() == [0.0, 7760.0]
    assert ledger.supply_rest("market", "gate").tolist() == [0.0, 7760.0]
    assert ledger.supply("self_governance", "patrol", 3.0).tolist() == [0.0, 3.0]
    problems = ledger.balance_problems()  # patrol: 7 h left on the second compound
    assert problems == ["patrol: demand 10.0 but supplied 3.0 (row 1, 1 rows)"]
    assert to_micro([1e-7, 0.5e-6, 2.5]).tolist() == [0, 1, 2_500_000]
    assert MICRO == 1_000_000


def test_ledger_rejects_demands_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        WorkLedger({"a": np.zeros(2), "b": np.zeros(3)})


@given(df=districts(max_size=40))
def test_a_channel_never_raises_a_members_share_of_pooled_posts(
        df: pd.DataFrame, params: pf.ParameterSet) -> None:
    """Under standing posts pooled over a bundle, switching any other channel on can only
    lower the pooled posts, and each member's share is split by its gross demand, so no
    member's share of the contract rises: no channel's credit turns negative by the split."""
    out, n = _all_subsets(df, "shared_staffed", params)
    contract = sum((np.broadcast_to(v, (out.ledger.n,)) for s, v in out.lines.items()
                    if s.kind == "standing"), start=np.zeros(out.ledger.n))
    share = {s: contract[k * n:(k + 1) * n] for k, s in enumerate(SUBSETS)}
    for s in SUBSETS:
        if "shared_property" not in s:
            continue
        for channel in set(SUBSETS[-1]) - s:
            assert np.all(share[s | {channel}] <= share[s] + 0.005), (sorted(s), channel)
