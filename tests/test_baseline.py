"""The market baseline: a market company alone delivering all the work, by hand; properties.

The compound of most tests is the conftest's: 100 households, 10,000 m2, built 1990 (34
years old in 2024), one gate, one building of one stairwell unit (6 storeys), 1,000 m2
green, no parking, no water tank, no lift.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import propfee as pf
from propfee.money import yuan_to_fen

from .conftest import districts


def test_source_figure_and_deficit(source_compound: pf.Compound,
                                   params: pf.ParameterSet) -> None:
    r = pf.market_baseline(source_compound, params)
    assert r.fee_billed_yuan == 60000.00  # 100 x 100 m2 x 0.5 yuan/m2/month x 12
    assert r.fee_collected_yuan == 42000.00  # 70% collected
    assert r.balance_yuan < 0  # a stand-alone market company runs a deficit
    assert r.grade == 4


# Grade 4: cleaner 15,000 m2, gardener 20,000 m2 of green, manager 700 households,
# 0.15 h of patrol a building a day, a 16 h gate kept by guards. Formal cost of a post
# (see tests/conftest.py): cleaning, greening 38,520; management 57,420; a guard (gate,
# patrol) 55,908.
#   cleaning    1,333.333333 h / 2,000 = 0.667 -> 1.0 (posts of 0.5) = 38,520.00
#   greening    100 h / 2,000 = 0.05 -> 0.5 x 38,520                  = 19,260.00
#   management  285.714286 h / 2,000 = 0.143 -> 0.5 x 57,420          = 28,710.00
#   gate        16 x 365 = 5,840 h / 2,920 = 2 guards x 55,908        = 111,816.00
#   patrol      1 x 0.15 x 365 = 54.75 h / 2,920 = 0.01875 (by the hour) x 55,908
#               = 1,048.275                                           -> 1,048.28
#   staff 199,354.275; heads 1 + 0.5 + 0.5 + 2 + 0.01875 = 4.01875
#   depreciation 800 x 4.01875                                        = 3,215.00
#   overhead 0.05 x 202,569.275 = 10,128.46375                        -> 10,128.46
#   profit 0.08 x 212,697.73875 = 17,015.8191                         -> 17,015.82
#   VAT 0.06 x 229,713.55785 = 13,782.81347                           -> 13,782.81
#   surcharges 0.12 x 13,782.81347 = 1,653.93762                      -> 1,653.94
# Jobs at market price with a trip a visit (age factors 2.36, 2.02, 2.7 or 1; road
# 1,500 m2, roof 1,666.67 m2, 25 trees):
JOBS_AT_MARKET = {
    "pipe_dredging": (354.00, 118.00),           # 1 x 0.5 x 2.36 = 1.18 x 300; x 100
    "wall_repair": (708.00, 70.80),              # 1 x 0.2 x 2.36 = 0.472 x 1,500; x 150
    "stairwell_repair": (323.20, 40.40),         # 1 x 0.2 x 2.02 = 0.404 x 800; x 100
    "road_levelling": (3636.00, 909.00),         # 1,500 x 0.02 x 2.02 = 60.6 x 60; / 20 x 300
    "septic_tank_pumping": (200.00, 50.00),      # 0.5 x 400; 0.5 x 100
    "water_tank_cleaning": (0.00, 0.00),         # no tank
    "small_water_repairs": (1132.80, 708.00),    # 100 x 0.06 x 2.36 = 14.16 x 80; x 50
    "small_electrical_repairs": (944.00, 590.00),  # 100 x 0.05 x 2.36 = 11.8 x 80; x 50
    "roof_leak_repair": (1080.00, 180.00),       # 1,666.67 x 0.002 x 2.7 = 9 x 120; / 10 x 200
    "stairwell_lighting_repair": (60.60, 50.50),  # 1 x 0.5 x 2.02 = 1.01 x 60; x 50
    "snow_clearing": (1350.00, 900.00),          # 1,500 x 3 = 4,500 x 0.3; / 1,000 x 200
    "pest_control": (150.00, 80.00),             # 1 x 150; 1 x 80
    "tree_pruning": (750.00, 93.75),             # 25 x 0.5 = 12.5 x 60; / 20 x 150
    "fire_equipment_service": (300.00, 100.00),  # 1 x 300; 1 x 100
}
# jobs 10,988.60 + call-outs 3,890.45 = 14,879.05; waste 100 x 1.5 x 365 / 1,000 = 54.75 t
# x 120 = 6,570; running costs 200 (one stairwell unit) + 500 + 3,000 + 2,400 + 3,000 + 500
# + 2,000 = 11,600.
# Total 199,354.28 + 3,215 + 10,128.46 + 17,015.82 + 13,782.81 + 1,653.94 + 14,879.05
# + 6,570 + 11,600 = 278,199.36; balance 42,000 - 278,199.36 = -236,199.36.

RUNNING = {"common_electricity": 200.00, "common_water": 500.00, "consumables": 3000.00,
           "cleaning_materials": 2400.00, "greening_materials": 3000.00, "insurance": 500.00,
           "office": 2000.00, "other": 0.00, "lift_electricity": 0.00}

GRADE_4_LINES = {
    "market_cleaning": 38520.00, "market_greening": 19260.00, "market_management": 28710.00,
    "market_gate": 111816.00, "market_patrol": 1048.28, "market_depreciation": 3215.00,
    "market_overhead": 10128.46, "market_margin": 17015.82, "market_vat": 13782.81,
    "market_surcharges": 1653.94,
    **{f"market_job_{j}": u for j, (u, _) in JOBS_AT_MARKET.items()},
    **{f"market_job_{j}_callout": c for j, (_, c) in JOBS_AT_MARKET.items()},
    "market_garbage": 6570.00, "market_lift_maintenance": 0.00, "market_lift_inspection": 0.00,
    **RUNNING,
}


def _amounts(r: pf.BaselineResult) -> dict[str, float]:
    return {line.code: round(line.amount_yuan, 2) for line in r.lines}


def test_hand_computed_baseline(source_compound: pf.Compound, params: pf.ParameterSet) -> None:
    r = pf.market_baseline(source_compound, params)
    assert _amounts(r) == GRADE_4_LINES
    assert r.headcount_fte == {"cleaning": 1.0, "order": 2.0, "patrol": 0.01875,
                               "greening": 0.5, "management": 0.5}
    assert r.total_annual_cost_yuan == 278199.36
    assert r.fee_collected_yuan == 42000.00
    assert r.balance_yuan == -236199.36
    # 278,199.36 / (10,000 m2 x 12 x 0.7) = 3.3119 yuan/m2/month to break even.
    assert r.break_even_rate_yuan_per_m2_month == pytest.approx(278199.36 / 84000.0)
    # 278,199.36 / 60,000 = 4.64: no collection rate can break even at 0.5 yuan.
    assert r.break_even_collection_rate == pytest.approx(278199.36 / 60000.0)
    # 278,199.36 / 100 households / 12 months = 231.83 yuan per household-month.
    assert r.cost_per_household_month_yuan == pytest.approx(278199.36 / 1200.0)
    # Who bears it and what it is: every line paid by the pool; the company's own items.
    cats = {line.code: (line.category, line.work) for line in r.lines}
    assert cats["market_gate"] == ("order", "gate")
    assert cats["market_patrol"] == ("staff", "patrol")
    assert cats["market_vat"] == ("tax", "*")
    assert cats["market_margin"] == ("margin", "*")
    assert cats["market_job_pipe_dredging_callout"] == ("upkeep", "pipe_dredging")
    assert cats["market_garbage"] == ("cleaning", "garbage")
    assert cats["insurance"] == ("insurance", "")
    # Demand by category, in its unit.
    assert {k: round(v, 6) for k, v in r.demand.items() if k in (
        "cleaning", "greening", "management", "gate", "patrol", "garbage", "lift",
        "roof_leak_repair")} == {
        "cleaning": 1333.333333, "greening": 100.0, "management": 285.714286, "gate": 5840.0,
        "patrol": 54.75, "garbage": 54.75, "lift": 0.0, "roof_leak_repair": 9.0}


# How each regime keeps the gate in the baseline (the rest as at grade 4, or at the grade):
#  grade 3: 24 h x 365 = 8,760 h, 3 guards = 167,724; cleaning 10,000 / 13,000 x 2,000 =
#    1,538 h -> 1.0; greening 114 h -> 0.5; management 308 h -> 0.5; patrol 0.3 x 365 =
#    109.5 h = 0.0375 x 55,908 = 2,096.55; staff 256,310.55, heads 5.0375 -> 4,030;
#    overhead 0.05 x 260,340.55 = 13,017.03; profit 0.08 x 273,357.5775 = 21,868.61; VAT
#    0.06 x 295,226.18 = 17,713.57; surcharges 2,125.63; + 14,879.05 + 6,570 + 11,600
#    = 348,114.44.
#  grade 4, a staffed 24 h plan: 3 guards instead of 2 (+55,908), heads 5.01875 ->
#    4,015; overhead 0.05 x 259,277.275 = 12,963.86; profit 0.08 x 272,241.14 =
#    21,779.29; VAT 0.06 x 294,020.43 = 17,641.23; surcharges 2,116.95; total 278,199.36
#    - (111,816 + 3,215 + 10,128.46 + 17,015.82 + 13,782.81 + 1,653.94) + (167,724 +
#    4,015 + 12,963.86 + 21,779.29 + 17,641.23 + 2,116.95) = 346,827.66.
#  grade 4, devices or a live-in gatekeeper in the plan: with no channel on, the grade's
#    16 h by guards: the grade-4 figure 278,199.36 (no remote help, no gatekeeper).
#  grade 5: a live-in gatekeeper, 8,760 / 8,760 x 1,900 x 12 = 22,800, no head; cleaning
#    1,250 h -> 1.0; greening 80 h -> 0.5; management 250 h -> 0.5; no patrol; staff
#    109,290, heads 2 -> 1,600; overhead 5,544.50; profit 0.08 x 116,434.50 = 9,314.76;
#    VAT 0.06 x 125,749.26 = 7,544.96; surcharges 905.39; + 14,879.05 + 6,570 + 11,600
#    = 167,248.66.
#  grade 5, a staffed 24 h plan: 3 guards, 167,724; staff 254,214, heads 5 -> 4,000;
#    overhead 12,910.70; profit 0.08 x 271,124.70 = 21,689.98; VAT 0.06 x 292,814.68 =
#    17,568.88; surcharges 2,108.27; total 345,540.88.
@pytest.mark.parametrize(("grade", "regime", "gate_hours", "guards", "gate_yuan", "total"), [
    (3, None, 8760.0, 3.0, 167724.0, 348114.44),
    (4, None, 5840.0, 2.0, 111816.0, 278199.36),
    (4, "staffed_24h", 8760.0, 3.0, 167724.0, 346827.66),
    (4, "staffed_16h", 5840.0, 2.0, 111816.0, 278199.36),
    (4, "device_only", 5840.0, 2.0, 111816.0, 278199.36),
    (4, "live_in", 5840.0, 2.0, 111816.0, 278199.36),
    (5, None, 8760.0, 0.0, 22800.0, 167248.66),
    (5, "device_only", 8760.0, 0.0, 22800.0, 167248.66),
    (5, "staffed_24h", 8760.0, 3.0, 167724.0, 345540.88),
])
def test_baseline_gate_regimes(source_compound: pf.Compound, params: pf.ParameterSet,
                               grade: int, regime: str | None, gate_hours: float,
                               guards: float, gate_yuan: float, total: float) -> None:
    r = pf.market_baseline(source_compound, params, grade=grade,
                           gate_regime=regime)  # type: ignore[arg-type]
    assert r.demand["gate"] == gate_hours
    assert r.headcount_fte["order"] == guards
    assert _amounts(r)["market_gate"] == gate_yuan
    assert "gate_remote_help" not in _amounts(r)  # no device in a market baseline
    assert r.total_annual_cost_yuan == total


def test_informal_market_hiring_pays_the_hours(source_compound: pf.Compound,
                                               params: pf.ParameterSet) -> None:
    # A market company hiring informally pays the hours at max(wage x 12 / 2,000, 19.8),
    # with no post rounding: cleaning 1,333.333333 h x 19.8 = 26,399.99999 -> 26,400.00;
    # greening 100 x 19.8 = 1,980; management 285.714286 x 21 = 6,000.00; gate 5,840 x
    # 19.8 = 115,632; patrol 54.75 x 19.8 = 1,084.05. Heads are the hours in posts:
    # 0.666667 + 0.05 + 0.142857 + 2 + 0.01875 = 2.878274 -> depreciation 2,302.62;
    # staff + depreciation 153,398.67: overhead 7,669.93; profit 0.08 x 161,068.60 =
    # 12,885.49; VAT 0.06 x 173,954.09 = 10,437.25; surcharges 1,252.47; total 185,643.81
    # + 14,879.05 + 6,570 + 11,600 = 218,692.86.
    informal = params.replace({"labour.market_hiring": "informal"})
    r = pf.market_baseline(source_compound, informal)
    got = _amounts(r)
    assert [got[f"market_{w}"] for w in ("cleaning", "greening", "management", "gate",
                                         "patrol")] == [26400.00, 1980.00, 6000.00,
                                                        115632.00, 1084.05]
    assert [got[f"market_{c}"] for c in ("depreciation", "overhead", "margin", "vat",
                                         "surcharges")] == [2302.62, 7669.93, 12885.49,
                                                            10437.25, 1252.47]
    assert r.total_annual_cost_yuan == 218692.86


def test_commission_model_charges_the_commission(source_compound: pf.Compound,
                                                  params: pf.ParameterSet) -> None:
    # Under the commission model (酬金制) the company's margin is the 10% commission, not
    # the 8% profit: on the same 212,697.73875 of staff, depreciation and overhead,
    # margin 21,269.77; VAT 0.06 x 233,967.5126 = 14,038.05; surcharges 0.12 x
    # 14,038.0508 = 1,684.57; total 278,199.36 - (17,015.82 + 13,782.81 + 1,653.94)
    # + (21,269.77 + 14,038.05 + 1,684.57) = 282,739.18.
    commission = params.replace({"pricing.model": "commission"})
    r = pf.market_baseline(source_compound, commission)
    got = _amounts(r)
    assert (got["market_margin"], got["market_vat"], got["market_surcharges"]) == (
        21269.77, 14038.05, 1684.57)
    assert got["market_overhead"] == 10128.46  # the cost itself does not change
    assert r.total_annual_cost_yuan == 282739.18


def test_plugging_the_break_even_rate_back_breaks_even(source_compound: pf.Compound,
                                                       params: pf.ParameterSet) -> None:
    r = pf.market_baseline(source_compound, params)
    own = source_compound.model_copy(
        update={"fee_rate_yuan_per_m2_month": r.break_even_rate_yuan_per_m2_month}
    )
    assert abs(pf.market_baseline(own, params).balance_yuan) <= 0.01


def _fen(df: pd.DataFrame, column: str) -> np.ndarray:
    return yuan_to_fen(df[column].to_numpy())


LINE_CODES = tuple(GRADE_4_LINES)


@given(districts())
def test_line_items_sum_exactly_to_totals(df: pd.DataFrame) -> None:
    out = pf.market_baseline_district(df)
    total = sum(_fen(out, f"{c}_yuan") for c in LINE_CODES)
    np.testing.assert_array_equal(total, _fen(out, "total_annual_cost_yuan"))
    np.testing.assert_array_equal(
        _fen(out, "fee_collected_yuan") - total, _fen(out, "balance_yuan")
    )


@given(districts(max_size=6))
def test_district_equals_compounds_one_by_one(df: pd.DataFrame) -> None:
    district = pf.market_baseline_district(df)
    for i, record in enumerate(df.to_dict("records")):
        single = pf.market_baseline(pf.Compound(**record))  # type: ignore[arg-type]
        row = district.iloc[i]
        assert single.total_annual_cost_yuan == row["total_annual_cost_yuan"]
        assert single.balance_yuan == row["balance_yuan"]
        assert single.headcount_fte["order"] == row["headcount_fte_order"]


@given(districts(min_size=2), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(df: pd.DataFrame, rnd: random.Random) -> None:
    order = list(range(len(df)))
    rnd.shuffle(order)
    a = pf.market_baseline_district(df).set_index("compound_id").sort_index()
    b = pf.market_baseline_district(df.iloc[order]).set_index("compound_id").sort_index()
    pd.testing.assert_frame_equal(a, b)


@given(districts(max_size=1), st.integers(1, 500))
def test_more_households_never_lowers_fee_income(df: pd.DataFrame, extra: int) -> None:
    # Same area per household, more households: more floor area, more fee.
    bigger = df.assign(
        floor_area_m2=df["floor_area_m2"] / df["households"] * (df["households"] + extra),
        households=df["households"] + extra,
    )
    assume(float(bigger["floor_area_m2"].iloc[0]) <= 1e7)  # the compound table's cap
    a = pf.market_baseline_district(df)["fee_collected_yuan"].iloc[0]
    b = pf.market_baseline_district(bigger)["fee_collected_yuan"].iloc[0]
    assert b >= a


def test_own_fee_rate_and_collection_override_the_defaults(params: pf.ParameterSet) -> None:
    df = pd.DataFrame({
        "compound_id": ["a", "b"], "households": [100, 100], "floor_area_m2": [1e4, 1e4],
        "build_year": [1990, 1990], "fee_rate_yuan_per_m2_month": [np.nan, 1.0],
        "collection_rate": [np.nan, 0.9],
    })
    out = pf.market_baseline_district(df, params)
    # a: defaults 0.5 x 10,000 x 12 x 0.7 = 42,000; b: 1.0 x 10,000 x 12 x 0.9 = 108,000.
    assert out["fee_collected_yuan"].tolist() == [42000.0, 108000.0]
    assert out["fee_billed_yuan"].tolist() == [60000.0, 120000.0]
    assert out["rate_yuan_per_m2_month"].tolist() == [0.5, 1.0]
    assert out["collection_rate"].tolist() == [0.7, 0.9]


def test_lifts_are_cared_for_at_market_price_and_run_at_cost(params: pf.ParameterSet) -> None:
    # Two lifts: maintenance 2 x 6,000 = 12,000 and inspection 2 x 500 = 1,000 from a
    # licensed firm; electricity 2 x 3,000 = 6,000 a running cost. No overhead of the
    # company falls on them, and none on the fee: the lift households pay all 19,000 by
    # their levy.
    base = pf.Compound(compound_id="l", households=100, floor_area_m2=10000.0,
                       build_year=1990, gates=0)
    with_lifts = base.model_copy(update={"lifts": 2})
    a, b = pf.market_baseline(base, params), pf.market_baseline(with_lifts, params)
    got = _amounts(b)
    assert (got["market_lift_maintenance"], got["market_lift_inspection"],
            got["lift_electricity"]) == (12000.00, 1000.00, 6000.00)
    assert b.total_annual_cost_yuan == a.total_annual_cost_yuan
    assert (a.lift_levy_yuan, b.lift_levy_yuan) == (0.0, 19000.00)
    assert {x.code: x.payer for x in b.lines if "lift" in x.code} == {
        "market_lift_maintenance": "lift_levy", "market_lift_inspection": "lift_levy",
        "lift_electricity": "lift_levy"}
    assert b.demand["lift"] == 2.0


def test_example_street_mostly_in_deficit(params: pf.ParameterSet) -> None:
    out = pf.market_baseline_district(pf.datasets.sanqiao_like_street(), params)
    small = out[out["households"] < 100]
    assert len(small) == 220
    assert (small["balance_yuan"] < 0).mean() > 0.9
