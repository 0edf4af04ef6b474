"""The running costs pay for no work: zeroing one moves the pool by exactly its own line.

The old upkeep allowance (1.2 yuan/m2/year x an age factor) paid for the same repairs as
the per-use jobs: setting it to zero moved 119 of 286 compounds out of deficit. What is
left of it are the running costs no job covers (common electricity and water,
consumables); each is its own line, and setting its price to zero must change every
compound's pool balance by exactly that line, and nothing else.
"""

from __future__ import annotations

import numpy as np
import pytest

import propfee as pf
from propfee.channels.direct import RUNNING_COSTS
from propfee.plan import named_plan

STREET = pf.datasets.sanqiao_like_street()


@pytest.mark.parametrize("plan_name", ["xinghualing", "shared_staffed"])
@pytest.mark.parametrize(("code", "path"), [(code, path) for code, path, _, _ in RUNNING_COSTS
                                            if code != "other"])
def test_a_running_cost_at_zero_moves_only_its_own_line(plan_name: str, code: str, path: str,
                                                         params: pf.ParameterSet) -> None:
    plan = named_plan(plan_name)
    base = pf.evaluate_district(STREET, plan, params)
    zero = pf.evaluate_district(STREET, plan, params.replace({path: 0.0}))
    lines = base.lines.set_index(["compound_id", "line"])["amount_yuan"]
    zeroed = zero.lines.set_index(["compound_id", "line"])["amount_yuan"]
    changed = lines[lines != zeroed]
    assert set(changed.index.get_level_values("line")) <= {code}
    assert (zeroed.xs(code, level="line") == 0.0).all()
    own = lines.xs(code, level="line").to_numpy()
    payer = "paid_by_lift_levy_yuan" if code == "lift_electricity" else "paid_by_fund_pool_yuan"
    moved = base.compounds[payer].to_numpy() - zero.compounds[payer].to_numpy()
    np.testing.assert_allclose(moved, own, atol=1e-9)
    if code != "lift_electricity":  # the lift levy is not the pool's
        balance = (zero.compounds["pool_balance_yuan"]
                   - base.compounds["pool_balance_yuan"]).to_numpy()
        np.testing.assert_allclose(balance, own, atol=1e-9)


def test_consumables_at_zero_move_the_street_by_what_they_honestly_cover(
        params: pf.ParameterSet) -> None:
    """Consumables of 0.3 yuan/m2 on the street's 2.14 million m2: the pool gains exactly
    that sum, and the count in deficit falls only for compounds within it of zero."""
    base = pf.evaluate_district(STREET, params=params).compounds
    zero = pf.evaluate_district(
        STREET, params=params.replace({"costs.consumables_yuan_per_m2_year": 0.0})).compounds
    gain = round((zero["pool_balance_yuan"].sum() - base["pool_balance_yuan"].sum()), 2)
    floor = STREET["floor_area_m2"].to_numpy()
    assert gain == round(float(np.sum(np.round(0.3 * floor * 100)) / 100), 2)
    left = (base["pool_balance_yuan"] < 0) & (zero["pool_balance_yuan"] >= 0)
    within = (base["pool_balance_yuan"] < 0) & (-base["pool_balance_yuan"] <= 0.3 * floor)
    assert (left == within).all()
