"""What it would take: each value, by hand, and plugged back into the plan it brings the
pool to zero."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import propfee as pf
from propfee.analysis import what_it_would_take
from propfee.channels import IncomeSource, PublicIncome

from .test_budget import HAND, _free_jobs


def _hand(**extra: object) -> pd.DataFrame:
    """The hand compound of the budget's tests (every channel on, jobs free) at 1.5
    yuan/m2: cash 140,131.10, income 1,500, fee 10,000 x 1.5 x 12 x 0.7 = 126,000,
    balance -12,631.10."""
    return pd.DataFrame([{"compound_id": "a", "households": 100, "floor_area_m2": 10000.0,
                          "build_year": 1990, "green_area_m2": 1000.0, "buildings": 2,
                          "fee_rate_yuan_per_m2_month": 1.5, "zone": "Z", **extra}])


def _balance(df: pd.DataFrame, plan: pf.Plan = HAND) -> float:
    return float(pf.evaluate_district(df, plan, _free_jobs()).compounds[
        "pool_balance_yuan"].iloc[0])


def test_every_value_by_hand() -> None:
    """fee rate* = (cash - income) / (area x 12 x coll) = 138,631.10 / 84,000 = 1.650370;
    coll* = (cash - income) / billed = 138,631.10 / 180,000 = 0.770173; income* = cash -
    fee = 140,131.10 - 126,000 = 14,131.10; volunteers: today (18 x 0.233 x 2 + 100 x
    0.02 x 2) = 12.388 h a week, all on cleaning; only when they take all 1,538.46 h of
    it does the contract's last half cleaner (19,260 > 12,631.10) go: 1,538.46 / 52 =
    29.5858 h a week."""
    out = what_it_would_take(_hand(), HAND, _free_jobs()).iloc[0]
    assert out.name == "a"
    assert out["pool_balance_yuan"] == -12631.1
    assert out["current_fee_rate_yuan_per_m2_month"] == 1.5
    assert out["fee_rate_yuan_per_m2_month"] == pytest.approx(138631.1 / 84000.0)
    assert out["current_collection_rate"] == 0.7
    assert out["collection_rate"] == pytest.approx(138631.1 / 180000.0)
    assert out["current_public_income_yuan"] == 1500.0
    assert out["public_income_yuan"] == pytest.approx(14131.1)
    assert out["current_volunteer_hours_per_week"] == pytest.approx(12.388)
    assert out["volunteer_hours_per_week"] == pytest.approx(10000 / 6.5 / 52, rel=1e-8)


def test_each_value_plugged_back_balances_the_pool() -> None:
    out = what_it_would_take(_hand(), HAND, _free_jobs()).iloc[0]
    # The fee rate and the collection rate: zero, to the rounding of the fee to the fen.
    assert abs(_balance(_hand(fee_rate_yuan_per_m2_month=out["fee_rate_yuan_per_m2_month"]))
               ) < 0.01
    assert abs(_balance(_hand(collection_rate=out["collection_rate"]))) < 0.01
    # Public income: advertising of 2 panels at 50% earning the income needed.
    ads = PublicIncome(items=(IncomeSource(
        name="advertising", basis="compound", units_per_basis=2.0,
        price_yuan_per_unit_year=out["public_income_yuan"], occupancy_rate=0.5),))
    assert abs(_balance(_hand(), HAND.model_copy(update={"public_income": ads}))) < 0.01
    # Volunteer hours: a step (a half post of cleaning), so the pool is in surplus at the
    # hours found, 19,260 - 12,631.10 = 6,628.90, and in deficit a little below them.
    scale = out["volunteer_hours_per_week"] / out["current_volunteer_hours_per_week"]

    def volunteers(m: float) -> pf.Plan:
        sg = HAND.self_governance
        return HAND.model_copy(update={"self_governance": sg.model_copy(update={
            "party_hours_per_week": sg.party_hours_per_week * m,
            "resident_hours_per_week": sg.resident_hours_per_week * m})})

    assert _balance(_hand(), volunteers(scale)) == pytest.approx(6628.9)
    assert _balance(_hand(), volunteers(scale * 0.999)) == -12631.1


def test_a_pool_in_surplus_needs_what_it_has() -> None:
    # At 5 yuan/m2 the pool keeps 420,000 + 1,500 - 140,131.10 = 281,368.90: the fee
    # rate and collection rate that balance it are below today's, reported as they are;
    # no extra income is needed; the volunteers' hours are today's.
    out = what_it_would_take(_hand(fee_rate_yuan_per_m2_month=5.0), HAND, _free_jobs()).iloc[0]
    assert out["pool_balance_yuan"] == 281368.9
    assert out["fee_rate_yuan_per_m2_month"] == pytest.approx(138631.1 / 84000.0)
    assert out["collection_rate"] == pytest.approx(138631.1 / 600000.0)
    assert out["public_income_yuan"] == 0.0
    assert out["volunteer_hours_per_week"] == out["current_volunteer_hours_per_week"]


def test_unreachable_values_are_nan() -> None:
    """At 0.5 yuan/m2 the deficit is 96,631.10: more than the whole bill of 60,000 could
    pay (collection rate 2.31), and more than any number of volunteers can save (they can
    take at most the cleaning, 19,260); without volunteer tasks no hours are counted."""
    df = _hand(fee_rate_yuan_per_m2_month=0.5)
    out = what_it_would_take(df, HAND, _free_jobs()).iloc[0]
    assert out["pool_balance_yuan"] == -96631.1
    assert math.isnan(out["collection_rate"])
    assert math.isnan(out["volunteer_hours_per_week"])
    assert out["fee_rate_yuan_per_m2_month"] == pytest.approx(138631.1 / 84000.0)
    none = HAND.model_copy(update={"self_governance": HAND.self_governance.model_copy(
        update={"items": ()})})
    bare = what_it_would_take(_hand(), none, _free_jobs()).iloc[0]
    assert bare["current_volunteer_hours_per_week"] == 0.0
    assert bare["pool_balance_yuan"] == -12631.1 - 19260.0  # the half cleaner stays
    assert math.isnan(bare["volunteer_hours_per_week"])


def test_default_plan_fee_rate_plugged_back() -> None:
    df = _hand().drop(columns=["fee_rate_yuan_per_m2_month"])
    row = pf.evaluate_district(df).compounds.iloc[0]
    need = row["compound_cash_cost_yuan"] - row["public_income_yuan"]
    out = what_it_would_take(df).iloc[0]
    assert out["fee_rate_yuan_per_m2_month"] == pytest.approx(need / (10000.0 * 12 * 0.7))
    again = pf.evaluate_district(df.assign(
        fee_rate_yuan_per_m2_month=out["fee_rate_yuan_per_m2_month"])).compounds.iloc[0]
    assert abs(again["pool_balance_yuan"]) < 0.01


def test_by_bundle_pools_the_members() -> None:
    """Two hand compounds of zone Z at 1.5 and 5 yuan/m2, bundled: the contract pools
    their posts, so the two half posts of greening (2 x 114.29 h) and of management
    (2 x 307.69 h) become one each: 2 x 140,131.10 - 19,260 - 28,710 = 232,292.20 of
    cash, split equally (equal gross demand), 116,146.10 each. Pooled, the members keep
    126,000 + 420,000 + 3,000 - 232,292.20 = 316,707.80; the fee rate that balances the
    bundle is (232,292.20 - 3,000) / (2 x 84,000) = 1.364835."""
    df = pd.concat([_hand(), _hand(compound_id="b", fee_rate_yuan_per_m2_month=5.0)],
                   ignore_index=True)
    zone = HAND.model_copy(update={"shared_property": HAND.shared_property.model_copy(
        update={"bundle_by": "zone"})})
    per = what_it_would_take(df, zone, _free_jobs())
    bundle = what_it_would_take(df, zone, _free_jobs(), by="bundle")
    assert list(per.index) == ["a", "b"]
    assert per["pool_balance_yuan"].tolist() == [11353.9, 305353.9]
    assert list(bundle.index) == ["zone:Z"]
    assert bundle.index.name == "bundle_id"
    assert bundle["pool_balance_yuan"].iloc[0] == pytest.approx(316707.8)
    assert bundle["current_fee_rate_yuan_per_m2_month"].iloc[0] == pytest.approx(3.25)
    assert bundle["fee_rate_yuan_per_m2_month"].iloc[0] == pytest.approx(229292.2 / 168000.0)
    assert bundle["public_income_yuan"].iloc[0] == 0.0  # the fees already cover it
    with pytest.raises(ValueError, match="by must be"):
        what_it_would_take(df, by="street")  # type: ignore[arg-type]
