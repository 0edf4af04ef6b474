"""Kernels: hand-computed values; scalar, ndarray and Series inputs give the same numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import propfee as pf
from propfee.channels.self_governance import SelfGovernance, supply_hours_year
from propfee.fees import (
    annual_fee_billed_yuan,
    annual_fee_collected_yuan,
    break_even_collection_rate,
    break_even_rate_yuan_per_m2_month,
    fee_collected_fen,
    market_price,
    price_parts,
)
from propfee.staffing import (
    annual_staff_cost_yuan,
    formal_cost_per_post_yuan,
    hours_per_post,
    informal_rate_yuan_per_hour,
    round_headcount_fte,
)
from propfee.work.demand import (
    COVERAGE_HOURS_PER_DAY,
    age_factor_capped,
    age_years,
    coverage_regime,
    demand_by_category,
    expected_uses_per_year,
)


@pytest.mark.parametrize("wrap", [float, np.asarray, lambda v: pd.Series([v])])
def test_source_figure_any_input_type(wrap: Callable[[float], Any]) -> None:
    # 100 households x 100 m2 x 0.5 yuan/m2/month x 12 months = 60,000 yuan a year.
    assert annual_fee_billed_yuan(wrap(100 * 100.0), wrap(0.5)).tolist() == [60000.0]


def test_fee_collected() -> None:
    # 60,000 billed x 70% collected = 42,000.
    assert annual_fee_collected_yuan(10000.0, 0.5, 0.7).tolist() == [pytest.approx(42000.0)]


def test_fee_collected_in_fen_with_a_compounds_own_rates(params: pf.ParameterSet) -> None:
    # a: the set's 0.5 yuan and 70%: 10,000 x 0.5 x 12 x 0.7 = 42,000.00;
    # b: its own 1.0 yuan and 90%: 10,000 x 1.0 x 12 x 0.9 = 108,000.00;
    # c: 333.33 m2 x 0.5 x 12 x 0.7 = 1,399.986 -> 1,399.99 (to the fen).
    table = pf.validate_compounds(pd.DataFrame({
        "compound_id": ["a", "b", "c"], "households": [100, 100, 5],
        "floor_area_m2": [1e4, 1e4, 333.33], "build_year": [1990] * 3,
        "fee_rate_yuan_per_m2_month": [np.nan, 1.0, np.nan],
        "collection_rate": [np.nan, 0.9, np.nan]}))
    assert fee_collected_fen(table, params).tolist() == [4200000, 10800000, 139999]


def test_break_even() -> None:
    # 84,000 yuan of cost over 10,000 m2 x 12 x 0.7 = 84,000 m2-months: 1.0 yuan/m2/month.
    assert break_even_rate_yuan_per_m2_month(84000.0, 10000.0, 0.7).tolist() == [
        pytest.approx(1.0)
    ]
    # 90,000 of cost against 60,000 billed needs 150% collection: unreachable (> 1).
    assert break_even_collection_rate(90000.0, 60000.0).tolist() == [1.5]
    # Nothing collected: no rate breaks even; no cost: nothing needed.
    assert break_even_rate_yuan_per_m2_month(1.0, 100.0, 0.0).tolist() == [np.inf]
    assert break_even_rate_yuan_per_m2_month(0.0, 100.0, 0.0).tolist() == [0.0]
    assert break_even_collection_rate(0.0, 0.0).tolist() == [0.0]
    assert break_even_collection_rate(1.0, 0.0).tolist() == [np.inf]


# 100,000 m2, 1,000 households, 10,000 m2 green, one gate, 10 buildings; hours a year
# (2,000 standard hours a post): cleaning floor / norm x 2,000, greening green / norm x
# 2,000, management households / norm x 2,000, gate coverage x 365, patrol 10 x h x 365.
GRADE_DEMAND = [
    (1, {"cleaning": 25000.0,           # 100,000 / 8,000 x 2,000
         "greening": 2000.0,            # 10,000 / 10,000 x 2,000
         "management": 5000.0,          # 1,000 / 400 x 2,000
         "gate": 8760.0,                # 24 h x 365
         "patrol": 2190.0}),            # 10 x 0.6 x 365
    (2, {"cleaning": 20000.0, "greening": 1600.0, "management": 4000.0, "gate": 8760.0,
         "patrol": 1642.5}),            # 10 x 0.45 x 365
    (3, {"cleaning": 15384.615385,      # 100,000 / 13,000 x 2,000
         "greening": 1142.857143,       # 10,000 / 17,500 x 2,000
         "management": 3076.923077,     # 1,000 / 650 x 2,000
         "gate": 8760.0, "patrol": 1095.0}),
    # Grade 4 keeps a gate 16 h: 16 x 365 = 5,840.
    (4, {"cleaning": 13333.333333, "greening": 1000.0, "management": 2857.142857,
         "gate": 5840.0, "patrol": 547.5}),
    # Grade 5: a live-in gatekeeper keeps it 24 h; no patrol.
    (5, {"cleaning": 12500.0, "greening": 800.0, "management": 2500.0, "gate": 8760.0,
         "patrol": 0.0}),
]


@pytest.mark.parametrize(("grade", "expected"), GRADE_DEMAND)
def test_demand_of_each_service_grade(params: pf.ParameterSet, grade: int,
                                      expected: dict[str, float]) -> None:
    table = pf.validate_compounds(pf.Compound(
        compound_id="k", households=1000, floor_area_m2=100000.0, green_area_m2=10000.0,
        gates=1, buildings=10, build_year=2024))
    coverage = coverage_regime(None, params.grades.grade(grade).gate_regime)
    d = demand_by_category(table, params, grade, coverage)
    assert {k: round(float(d[k][0]), 6) for k in expected} == expected
    # Waste does not depend on the grade: 1,000 x 1.5 kg x 365 / 1,000 = 547.5 t.
    assert (float(d["garbage"][0]), float(d["lift"][0])) == (547.5, 0.0)


def test_gate_coverage_of_each_regime() -> None:
    assert COVERAGE_HOURS_PER_DAY == {"staffed_24h": 24.0, "staffed_16h": 16.0, "live_in": 24.0}
    # The plan's staffed regime is what it buys; devices and live-in gatekeepers keep
    # the grade's hours.
    assert coverage_regime("staffed_24h", "staffed_16h") == "staffed_24h"
    assert coverage_regime("staffed_16h", "live_in") == "staffed_16h"
    assert coverage_regime("device_only", "staffed_16h") == "staffed_16h"
    assert coverage_regime("live_in", "staffed_24h") == "staffed_24h"
    assert coverage_regime(None, "live_in") == "live_in"


@pytest.mark.parametrize("role", ["janitor", "maintenance", "gate"])
def test_unknown_role_is_refused(params: pf.ParameterSet, role: str) -> None:
    for f in (hours_per_post, formal_cost_per_post_yuan, informal_rate_yuan_per_hour):
        with pytest.raises(ValueError, match=f"^unknown role '{role}'"):
            f(role, params)


def test_hours_of_a_post(params: pf.ParameterSet) -> None:
    # Guards (gate and patrol) work 2,920 h (8 h x 365); the others 2,000.
    got = {r: hours_per_post(r, params) for r in pf.staffing.ROLES}
    assert got == {"cleaning": 2000.0, "order": 2920.0, "patrol": 2920.0, "greening": 2000.0,
                   "management": 2000.0}


def test_headcount_rounding() -> None:
    assert round_headcount_fte([0.7, 3.0, 3.0000000001, 0.0], 1.0).tolist() == [1, 3, 3, 0]
    assert round_headcount_fte([0.7, 0.2], 0.5).tolist() == [1.0, 0.5]
    assert round_headcount_fte([0.7, 0.2], 0.0).tolist() == [0.7, 0.2]  # by the hour
    # One post size per compound (a contract's pooled posts): the same rule, row by row.
    steps = np.array([1.0, 1.0, 0.5, 0.5, 0.0])
    demand = [3.0000000001, 3.0000001, 0.5, 0.5000001, 0.7]
    assert round_headcount_fte(demand, steps).tolist() == [3.0, 4.0, 0.5, 1.0, 0.7]
    assert round_headcount_fte(demand[:2], 1).tolist() == [3.0, 4.0]  # a whole number
    # A step that is not a number rounds nothing, one step or a step each.
    assert round_headcount_fte([0.7], float("nan")).tolist() == [0.7]
    assert round_headcount_fte([0.7], np.array([np.nan])).tolist() == [0.7]


@given(st.lists(st.floats(0.0, 1e5), min_size=1, max_size=6), st.sampled_from([0.0, 0.5, 1.0]))
def test_headcount_rounding_one_step_or_a_step_each(demand: list[float], step: float) -> None:
    """A single post size and the same size for every compound round alike."""
    same = round_headcount_fte(demand, np.full(len(demand), step))
    assert round_headcount_fte(demand, step).tolist() == same.tolist()


def test_formal_staff_cost(params: pf.ParameterSet) -> None:
    # A cleaner at 2,000 yuan/month: 2,000 x 12 x 1.05 + 0.30 x 3,700 x 12 = 25,200 + 13,320
    # = 38,520 (social insurance on the 3,700 floor, not the lower wage).
    assert annual_staff_cost_yuan("cleaning", 1.0, params, "formal").tolist() == [38520.0]
    assert formal_cost_per_post_yuan("greening", params) == 38520.0
    # 1.5 cleaners: 1.5 x 38,520 = 57,780.
    assert annual_staff_cost_yuan("cleaning", 1.5, params, "formal").tolist() == [
        pytest.approx(57780.0)]
    # A manager at 3,500: 3,500 x 12 x 1.05 + 13,320 = 44,100 + 13,320 = 57,420.
    assert annual_staff_cost_yuan("management", 1.0, params, "formal").tolist() == [
        pytest.approx(57420.0)]
    # A guard of 2,920 h (gate or patrol): 920 h over the 2,000 standard hours at 150%
    # adds 1.5 x 920 / 2,000 = 0.69: 2,000 x 12 x 1.69 x 1.05 + 13,320 = 42,588 + 13,320
    # = 55,908.
    for role in ("order", "patrol"):
        assert annual_staff_cost_yuan(role, 1.0, params, "formal").tolist() == [
            pytest.approx(55908.0)]
    # Above the floor the wage is the base: a manager at 4,000 yuan/month:
    # 4,000 x 12 x 1.05 + 0.30 x 4,000 x 12 = 50,400 + 14,400 = 64,800.
    high = params.replace({"staffing.management.monthly_wage_yuan": 4000.0})
    assert annual_staff_cost_yuan("management", 1.0, high, "formal").tolist() == [
        pytest.approx(64800.0)]


def test_informal_staff_cost(params: pf.ParameterSet) -> None:
    # Retired workers on a service agreement: the hours worked at max(wage x 12 / 2,000,
    # 19.8), no rounding, no social insurance, no welfare, no overtime premium.
    # 0.4 of a cleaner's post = 800 h; 2,000 x 12 / 2,000 = 12 < 19.8: 800 x 19.8 = 15,840.
    assert annual_staff_cost_yuan("cleaning", 0.4, params, "informal").tolist() == [
        pytest.approx(15840.0)]
    # 0.25 of a manager = 500 h at 3,500 x 12 / 2,000 = 21 yuan: 10,500.
    assert annual_staff_cost_yuan("management", 0.25, params, "informal").tolist() == [
        pytest.approx(10500.0)]
    # 0.5 of a guard's post = 1,460 h at 19.8 = 28,908 (no overtime premium).
    assert annual_staff_cost_yuan("order", 0.5, params, "informal").tolist() == [
        pytest.approx(28908.0)]
    assert informal_rate_yuan_per_hour("management", params) == 21.0
    assert informal_rate_yuan_per_hour("patrol", params) == 19.8


def test_guard_overtime_starts_above_the_standard_hours(params: pf.ParameterSet) -> None:
    # 2,000 h a guard: no overtime, the same cost as a cleaner at the same wage, 38,520.
    legal = params.replace({"labour.guard_hours_per_year": 2000.0})
    assert annual_staff_cost_yuan("order", 1.0, legal, "formal").tolist() == [
        pytest.approx(38520.0, abs=1e-9)]
    # 2,001 h: 1 h of overtime at 150%: pay 24,000 x (1 + 1.5 x 1 / 2,000) = 24,018;
    # 24,018 x 1.05 + 13,320 = 25,218.90 + 13,320 = 38,538.90.
    one_more = params.replace({"labour.guard_hours_per_year": 2001.0})
    assert annual_staff_cost_yuan("order", 1.0, one_more, "formal").tolist() == [
        pytest.approx(38538.9, abs=1e-9)]
    # A cleaner never works overtime, whatever a guard works.
    assert formal_cost_per_post_yuan("cleaning", one_more) == 38520.0
    # The legal-hours case needs more guards: a 24 h gate is 8,760 / 2,000 = 4.38 posts,
    # 5 whole guards, against 8,760 / 2,920 = 3 in practice.
    base = pf.market_baseline(pf.Compound(compound_id="g", households=10, floor_area_m2=1.0,
                                          build_year=2024), legal, grade=3)
    assert base.headcount_fte["order"] == 5.0
    assert pf.market_baseline(pf.Compound(compound_id="g", households=10, floor_area_m2=1.0,
                                          build_year=2024), params,
                              grade=3).headcount_fte["order"] == 3.0


def test_per_use_job_uses_with_age_growth_capped() -> None:
    # 4 buildings, 1 use a building a year when new, +5% a year of age, cap 2:
    # built 34 years ago: 1 + 0.05 x 34 = 2.7 -> capped at 2.0: 4 x 1 x 2 = 8 uses;
    # 10 years: 1 + 0.05 x 10 = 1.5: 4 x 1.5 = 6 uses; new: 4 uses.
    assert age_factor_capped([34.0, 10.0, 0.0], 0.05, 2.0).tolist() == pytest.approx(
        [2.0, 1.5, 1.0])
    assert expected_uses_per_year(4, 1.0, [34.0, 10.0, 0.0], 0.05, 2.0).tolist() == \
        pytest.approx([8.0, 6.0, 4.0])
    # Without a cap: 4 x 2.7 = 10.8.
    assert expected_uses_per_year(4, 1.0, 34.0, 0.05).tolist() == pytest.approx([10.8])


def test_volunteer_supply_hours() -> None:
    # 40 party members x 0.25 active x 3 h + 200 households x 0.05 active x 2 h
    # = 30 + 20 = 50 h a week x 52 = 2,600 h a year.
    sg = SelfGovernance(party_active_rate=0.25, party_hours_per_week=3.0,
                        resident_active_rate=0.05, resident_hours_per_week=2.0)
    assert supply_hours_year(sg, [200, 0], [40, 0]).tolist() == pytest.approx([2600.0, 0.0])
    # The defaults: (18 x 0.233 x 2 + 100 x 0.02 x 2) x 52 = 644.176 h.
    assert supply_hours_year(SelfGovernance(), 100, 18).tolist() == pytest.approx([644.176])


def test_age_years() -> None:
    # Evaluated in 2024: built 1990 is 34 years old; 1950, 74; 2030 (later) 0, never less.
    assert age_years([1990, 1950, 2030, 2024], 2024).tolist() == [34.0, 74.0, 0.0, 0.0]


def test_market_price_lump_sum_and_commission(params: pf.ParameterSet) -> None:
    # Lump-sum: 100,000 cost; profit 8% = 8,000; VAT 6% x 108,000 = 6,480;
    # surcharges 12% x 6,480 = 777.60; price 115,257.60.
    p = market_price(100_000.0, params.pricing, params.taxes)
    assert p.margin_yuan.tolist() == [pytest.approx(8000.0)]
    assert p.vat_yuan.tolist() == [pytest.approx(6480.0)]
    assert p.surcharges_yuan.tolist() == [pytest.approx(777.6)]
    assert p.price_yuan.tolist() == [pytest.approx(115257.6)]
    # Commission: 10% of 100,000 = 10,000; VAT 6% x 110,000 = 6,600; surcharges 792.
    commission = params.replace({"pricing.model": "commission"}).pricing
    q = market_price(100_000.0, commission, params.taxes)
    assert q.margin_yuan.tolist() == [pytest.approx(10000.0)]
    assert q.price_yuan.tolist() == [pytest.approx(117392.0)]
    # The same arithmetic for any rates, elementwise: 200 at 50% margin, 10% VAT, 50%
    # surcharges: margin 100, VAT 30, surcharges 15, price 345.
    r = price_parts([200.0, 0.0], 0.5, 0.1, 0.5)
    assert (r.margin_yuan.tolist(), r.vat_yuan.tolist(), r.surcharges_yuan.tolist(),
            r.price_yuan.tolist()) == ([100.0, 0.0], [30.0, 0.0], [15.0, 0.0], [345.0, 0.0])


@given(
    area=st.floats(1.0, 1e6), rate=st.floats(0.0, 10.0), k=st.floats(0.0, 10.0),
)
def test_fee_income_is_linear_in_area_and_rate(area: float, rate: float, k: float) -> None:
    base = annual_fee_billed_yuan(area, rate)[0]
    assert annual_fee_billed_yuan(k * area, rate)[0] == pytest.approx(k * base, rel=1e-12,
                                                                      abs=1e-9)
    assert annual_fee_billed_yuan(area, k * rate)[0] == pytest.approx(k * base, rel=1e-12,
                                                                      abs=1e-9)
