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

    The default grade is 4: cleaner 15,000 m2, maintenance 35,000 m2, gardener 20,000 m2
    of green, manager 700 households, a 16 h staffed gate. Formal staff cost of one post:
    pay x 12 x 1.05 welfare + 0.30 x max(wage, 3,700) x 12 (= 13,320); a guard works 2,920 h,
    920 h of overtime at 150% adding 1.5 x 920 / 2,000 = 69% to the pay.
      cleaning    10,000/15,000 = 0.67 -> 1.0 (half posts): 2,000 x 12 x 1.05 + 13,320 = 38,520
      order       16 h x 365 / 2,920 h = 2 guards: 2 x (2,000 x 12 x 1.69 x 1.05 + 13,320)
                  = 2 x (42,588 + 13,320) = 2 x 55,908 = 111,816
      maintenance 10,000/35,000 = 0.29 -> 0.5: 0.5 x (3,200 x 12 x 1.05 + 13,320)
                  = 0.5 x 53,640 = 26,820
      greening    1,000/20,000 = 0.05 -> 0.5: 0.5 x 38,520 = 19,260
      management  100/700 = 0.14 -> 0.5: 0.5 x (3,500 x 12 x 1.05 + 13,320) = 0.5 x 57,420
                  = 28,710
      staff 225,126; headcount 1 + 2 + 0.5 + 0.5 + 0.5 = 4.5.
    Other items:
      upkeep 1.2 x 10,000 m2 x (1 + 0.03 x 34) = 24,240; cleaning materials 24 x 100 = 2,400;
      greening materials 3 x 1,000 = 3,000; office 20 x 100 = 2,000; insurance 0.05 x 10,000
      = 500; depreciation 800 x 4.5 = 3,600; other 0.
      direct 260,866; overhead 5% = 13,043.30; service cost 273,909.30.
    Price: profit 8% = 21,912.744 -> 21,912.74; VAT 6% x 295,822.044 = 17,749.32264
      -> 17,749.32; surcharges 12% x 17,749.32264 = 2,129.9187168 -> 2,129.92;
      total 273,909.30 + 21,912.74 + 17,749.32 + 2,129.92 = 315,701.28
      (unrounded 315,701.2853568).
    Fees: billed 60,000; collected 70% = 42,000; balance -273,701.28.
    """
    r = pf.market_baseline(source_compound, params)
    lines = {line.code: line.amount_yuan for line in r.lines}
    assert r.headcount_fte == {
        "cleaning": 1.0, "order": 2.0, "maintenance": 0.5, "greening": 0.5, "management": 0.5
    }
    assert lines == {
        "staff_cleaning": 38520.00, "staff_order": 111816.00, "staff_maintenance": 26820.00,
        "staff_greening": 19260.00, "staff_management": 28710.00, "upkeep": 24240.00,
        "cleaning_materials": 2400.00, "greening_materials": 3000.00, "office": 2000.00,
        "insurance": 500.00, "depreciation": 3600.00, "other": 0.00, "overhead": 13043.30,
        "margin": 21912.74, "vat": 17749.32, "surcharges": 2129.92,
    }
    assert r.service_cost_yuan == 273909.30
    assert r.total_annual_cost_yuan == 315701.28
    assert r.fee_collected_yuan == 42000.00
    assert r.balance_yuan == -273701.28
    # 315,701.2853568 / (10,000 m2 x 12 x 0.7) = 3.7583 yuan/m2/month.
    assert r.break_even_rate_yuan_per_m2_month == pytest.approx(315701.2853568 / 84000.0)
    # 315,701.2853568 / 60,000 = 5.26: no collection rate can break even at 0.5 yuan.
    assert r.break_even_collection_rate == pytest.approx(5.26168808928)
    # 315,701.2853568 / 100 households / 12 months = 263.08 yuan per household-month.
    assert r.cost_per_household_month_yuan == pytest.approx(263.084404464)


@pytest.mark.parametrize(("grade", "regime", "order_head", "staff_order", "upkeep"), [
    # Grade 3 keeps a 24 h gate: 24 x 365 / 2,920 = 3 guards x 55,908 = 167,724.
    (3, None, 3.0, 167724.0, 24240.0),
    # Grade 5 keeps a live-in gatekeeper: no guards; 1,500 x 12 = 18,000 on a service
    # agreement, reported with the order staff.
    (5, None, 0.0, 18000.0, 24240.0),
    # Device-only gate at grade 4: no guards, no pay; remote help 1,200 a gate is upkeep:
    # 24,240 + 1,200 = 25,440.
    (4, "device_only", 0.0, 0.0, 25440.0),
])
def test_baseline_gate_regimes(source_compound, params, grade, regime, order_head,
                               staff_order, upkeep) -> None:
    r = pf.market_baseline(source_compound, params, grade=grade, gate_regime=regime)
    lines = {line.code: line.amount_yuan for line in r.lines}
    assert r.headcount_fte["order"] == order_head
    assert lines["staff_order"] == staff_order
    assert lines["upkeep"] == upkeep


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
