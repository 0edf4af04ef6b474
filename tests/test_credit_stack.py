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
