"""The stand-alone market baseline: hand-computed case, the source's figure, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import propfee as pf
from propfee.baseline import BASELINE_COST_LINES
from propfee.money import yuan_to_fen

from .conftest import districts


def test_source_figure_and_deficit(source_compound, params) -> None:
    r = pf.market_baseline(source_compound, params)
    assert r.fee_billed_yuan == 60000.00  # 100 x 100 m2 x 0.5 yuan/m2/month x 12
    assert r.balance_yuan < 0  # a stand-alone market company runs a deficit
    assert r.break_even_rate_yuan_per_m2_month > 0.5


def test_hand_computed_baseline(source_compound, params) -> None:
    """Every line of the source compound, by hand (default Taiyuan parameters, 2024).

    Staff (on-costs 1 + 0.30 + 0.05 = 1.35, 12 months):
      cleaning    100/140 = 0.714 -> 1.0 FTE (half posts): 1.0 x 2,000 x 12 x 1.35 = 32,400
      order       24 h x 365 / 2,920 h = 3 guards:          3 x 1,900 x 12 x 1.35 = 92,340
      maintenance 10,000/40,000 = 0.25 -> 0.5:           0.5 x 2,800 x 12 x 1.35 = 22,680
      greening    1,000/4,000 = 0.25 -> 0.5:             0.5 x 2,000 x 12 x 1.35 = 16,200
      management  100/550 = 0.18 -> 0.5:                 0.5 x 3,200 x 12 x 1.35 = 25,920
    Other items:
      upkeep 1.2 x 10,000 m2 x (1 + 0.03 x 34) = 24,240; cleaning materials 24 x 100 = 2,400;
      greening materials 3 x 1,000 = 3,000; office 20 x 100 = 2,000; insurance 0.05 x 10,000
      = 500; depreciation 800 x 5.5 FTE = 4,400; other 0.
      direct 226,080; overhead 5% = 11,304; service cost 237,384.
    Price: profit 8% = 18,990.72; VAT 6% x 256,374.72 = 15,382.4832 -> 15,382.48;
      surcharges 12% x 15,382.4832 = 1,845.897984 -> 1,845.90; total 273,603.10.
    Fees: billed 60,000; collected 70% = 42,000; balance -231,603.10.
    """
    r = pf.market_baseline(source_compound, params)
    lines = {line.code: line.amount_yuan for line in r.lines}
    assert r.headcount_fte == {
        "cleaning": 1.0, "order": 3.0, "maintenance": 0.5, "greening": 0.5, "management": 0.5
    }
    assert lines == {
        "staff_cleaning": 32400.00, "staff_order": 92340.00, "staff_maintenance": 22680.00,
        "staff_greening": 16200.00, "staff_management": 25920.00, "upkeep": 24240.00,
        "cleaning_materials": 2400.00, "greening_materials": 3000.00, "office": 2000.00,
        "insurance": 500.00, "depreciation": 4400.00, "other": 0.00, "overhead": 11304.00,
        "margin": 18990.72, "vat": 15382.48, "surcharges": 1845.90,
    }
    assert r.service_cost_yuan == 237384.00
    assert r.total_annual_cost_yuan == 273603.10
    assert r.fee_collected_yuan == 42000.00
    assert r.balance_yuan == -231603.10
    # 273,603.101184 / (10,000 m2 x 12 x 0.7) = 3.2572 yuan/m2/month.
    assert r.break_even_rate_yuan_per_m2_month == pytest.approx(273603.101184 / 84000.0)
    # 273,603.101184 / 60,000 = 4.56: no collection rate can break even at 0.5 yuan.
    assert r.break_even_collection_rate == pytest.approx(4.5600516864)
    # 273,603.101184 / 100 households / 12 months = 228.00 yuan per household-month.
    assert r.cost_per_household_month_yuan == pytest.approx(228.0025843)


def test_plugging_the_break_even_rate_back_breaks_even(source_compound, params) -> None:
    r = pf.market_baseline(source_compound, params)
    own = source_compound.model_copy(
        update={"fee_rate_yuan_per_m2_month": r.break_even_rate_yuan_per_m2_month}
    )
    assert abs(pf.market_baseline(own, params).balance_yuan) <= 0.01


def _fen(df: pd.DataFrame, column: str) -> np.ndarray:
    return yuan_to_fen(df[column].to_numpy())


@given(districts())
def test_line_items_sum_exactly_to_totals(df) -> None:
    out = pf.market_baseline_district(df)
    service = sum(_fen(out, f"{c}_yuan") for c in BASELINE_COST_LINES)
    np.testing.assert_array_equal(service, _fen(out, "service_cost_yuan"))
    total = service + _fen(out, "margin_yuan") + _fen(out, "vat_yuan") + _fen(
        out, "surcharges_yuan"
    )
    np.testing.assert_array_equal(total, _fen(out, "total_annual_cost_yuan"))
    np.testing.assert_array_equal(
        _fen(out, "fee_collected_yuan") - total, _fen(out, "balance_yuan")
    )


@given(districts(max_size=6))
def test_district_equals_compounds_one_by_one(df) -> None:
    district = pf.market_baseline_district(df)
    for i, record in enumerate(df.to_dict("records")):
        single = pf.market_baseline(pf.Compound(**record))
        row = district.iloc[i]
        assert single.total_annual_cost_yuan == row["total_annual_cost_yuan"]
        assert single.balance_yuan == row["balance_yuan"]
        assert single.headcount_fte["order"] == row["headcount_fte_order"]


@given(districts(min_size=2), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(df, rnd) -> None:
    order = list(range(len(df)))
    rnd.shuffle(order)
    a = pf.market_baseline_district(df).set_index("compound_id").sort_index()
    b = pf.market_baseline_district(df.iloc[order]).set_index("compound_id").sort_index()
    pd.testing.assert_frame_equal(a, b)


@given(districts(max_size=1), st.integers(1, 500))
def test_more_households_never_lowers_fee_income(df, extra) -> None:
    # Same area per household, more households: more floor area, more fee.
    bigger = df.assign(
        floor_area_m2=df["floor_area_m2"] / df["households"] * (df["households"] + extra),
        households=df["households"] + extra,
    )
    a = pf.market_baseline_district(df)["fee_collected_yuan"].iloc[0]
    b = pf.market_baseline_district(bigger)["fee_collected_yuan"].iloc[0]
    assert b >= a


def test_own_fee_rate_and_collection_override_the_defaults(params) -> None:
    df = pd.DataFrame({
        "compound_id": ["a", "b"], "households": [100, 100], "floor_area_m2": [1e4, 1e4],
        "build_year": [1990, 1990], "fee_rate_yuan_per_m2_month": [np.nan, 1.0],
        "collection_rate": [np.nan, 0.9],
    })
    out = pf.market_baseline_district(df, params)
    # a: defaults 0.5 x 10,000 x 12 x 0.7 = 42,000; b: 1.0 x 10,000 x 12 x 0.9 = 108,000.
    assert out["fee_collected_yuan"].tolist() == [42000.0, 108000.0]


def test_example_street_mostly_in_deficit(params) -> None:
    out = pf.market_baseline_district(pf.datasets.sanqiao_like_street(), params)
    small = out[out["households"] < 100]
    assert len(small) == 220
    assert (small["balance_yuan"] < 0).mean() > 0.9
