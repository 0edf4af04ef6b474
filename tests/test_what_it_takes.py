"""What it would take: each value, plugged back into the plan, brings the pool to zero."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import propfee as pf
from propfee.analysis import what_it_would_take


def _one(**extra: object) -> pd.DataFrame:
    return pd.DataFrame([{"compound_id": "c", "households": 120, "floor_area_m2": 8400.0,
                          "build_year": 1990, "buildings": 5, "stairwell_units": 10,
                          "green_area_m2": 1200.0, "zone": "Z", **extra}])


def test_fee_and_collection_rate_by_hand_and_plugged_back() -> None:
    """fee rate* = (cash - income) / (area x 12 x coll); coll* = (cash - income) / billed."""
    df = _one()
    row = pf.evaluate_district(df).compounds.iloc[0]
    need = row["compound_cash_cost_yuan"] - row["public_income_yuan"]
    out = what_it_would_take(df).iloc[0]
    assert out["fee_rate_yuan_per_m2_month"] == pytest.approx(need / (8400.0 * 12 * 0.7))
    needed_coll = need / (8400.0 * 12 * 0.5)  # billed = 8,400 m2 x 0.5 x 12
    if needed_coll > 1.0:  # more than the whole bill: unreachable
        assert math.isnan(out["collection_rate"])
    else:
        assert out["collection_rate"] == pytest.approx(needed_coll)
    assert out["public_income_yuan"] == pytest.approx(
        row["compound_cash_cost_yuan"] - row["fee_collected_yuan"])
    again = pf.evaluate_district(_one(
        fee_rate_yuan_per_m2_month=out["fee_rate_yuan_per_m2_month"])).compounds.iloc[0]
    assert abs(again["pool_balance_yuan"]) < 0.02  # zero, to rounding of the fee to the fen


def test_volunteer_hours_close_the_gap_or_say_they_cannot() -> None:
    """A compound in deficit whose informal hires volunteers can replace: the hours found
    balance the pool; with the plan's volunteers removed, no hours can help (NaN)."""
    df = _one()
    out = what_it_would_take(df).iloc[0]
    if out["pool_balance_yuan"] < 0 and not math.isnan(out["volunteer_hours_per_week"]):
        assert out["volunteer_hours_per_week"] > out["current_volunteer_hours_per_week"]
    plan = pf.default_plan()
    none = plan.model_copy(update={"self_governance": plan.self_governance.model_copy(
        update={"tasks": ()})})
    bare = what_it_would_take(df, none).iloc[0]
    assert bare["current_volunteer_hours_per_week"] == 0.0
    if bare["pool_balance_yuan"] < 0:
        assert math.isnan(bare["volunteer_hours_per_week"])


def test_by_bundle_pools_the_members() -> None:
    df = pd.concat([_one(), _one().assign(compound_id="d")], ignore_index=True)
    per = what_it_would_take(df)
    bundle = what_it_would_take(df, by="bundle")
    assert list(bundle.index) == ["zone:Z"]
    assert bundle["pool_balance_yuan"].iloc[0] == pytest.approx(per["pool_balance_yuan"].sum())
    with pytest.raises(ValueError, match="by must be"):
        what_it_would_take(df, by="street")  # type: ignore[arg-type]
