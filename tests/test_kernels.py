"""Kernels: hand-computed values; scalar, ndarray and Series inputs give the same numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propfee.channels.gates import gate_running_yuan
from propfee.channels.self_governance import SelfGovernance, supply_hours_year
from propfee.channels.shared_property import age_factor_capped, expected_uses_per_year
from propfee.costs import age_factor, age_years
from propfee.fees import (
    annual_fee_billed_yuan,
    annual_fee_collected_yuan,
    break_even_collection_rate,
    break_even_rate_yuan_per_m2_month,
    market_price,
)
from propfee.staffing import annual_staff_cost_yuan, role_demand_fte, round_headcount_fte


@pytest.mark.parametrize("wrap", [float, np.asarray, lambda v: pd.Series([v])])
def test_source_figure_any_input_type(wrap) -> None:
    # 100 households x 100 m2 x 0.5 yuan/m2/month x 12 months = 60,000 yuan a year.
    assert annual_fee_billed_yuan(wrap(100 * 100.0), wrap(0.5)).tolist() == [60000.0]


def test_fee_collected() -> None:
    # 60,000 billed x 70% collected = 42,000.
    assert annual_fee_collected_yuan(10000.0, 0.5, 0.7).tolist() == [pytest.approx(42000.0)]


def test_break_even() -> None:
    # 84,000 yuan of cost over 10,000 m2 x 12 x 0.7 = 84,000 m2-months: 1.0 yuan/m2/month.
    assert break_even_rate_yuan_per_m2_month(84000.0, 10000.0, 0.7).tolist() == [
        pytest.approx(1.0)
    ]
    # 90,000 of cost against 60,000 billed needs 150% collection: unreachable (> 1).
    assert break_even_collection_rate(90000.0, 60000.0).tolist() == [1.5]
    # Nothing collected: no rate breaks even.
    assert break_even_rate_yuan_per_m2_month(1.0, 100.0, 0.0).tolist() == [np.inf]
    assert break_even_collection_rate(0.0, 0.0).tolist() == [0.0]


@pytest.mark.parametrize(("grade", "expected"), [
    # 100,000 m2, 1,000 households, 10,000 m2 green, 1 gate:
    # cleaning = 100,000 / norm, maintenance = 100,000 / norm, greening = 10,000 / norm,
    # management = 1,000 / norm; order = 24 (or 16) x 365 / 2,920 guards a gate.
    (1, {"cleaning": 100000 / 8000, "maintenance": 100000 / 20000,  # 12.5, 5.0
         "greening": 10000 / 10000, "management": 1000 / 400, "order": 3.0}),  # 1.0, 2.5
    (2, {"cleaning": 100000 / 10000, "maintenance": 100000 / 25000,  # 10.0, 4.0
         "greening": 10000 / 12500, "management": 1000 / 500, "order": 3.0}),  # 0.8, 2.0
    (3, {"cleaning": 100000 / 13000, "maintenance": 100000 / 32500,  # 7.69, 3.08
         "greening": 10000 / 17500, "management": 1000 / 650, "order": 3.0}),  # 0.57, 1.54
    # Grade 4 keeps a 16 h gate: 16 x 365 / 2,920 = 2 guards.
    (4, {"cleaning": 100000 / 15000, "maintenance": 100000 / 35000,  # 6.67, 2.86
         "greening": 10000 / 20000, "management": 1000 / 700, "order": 2.0}),  # 0.5, 1.43
    # Grade 5 keeps a live-in gatekeeper: no guards.
    (5, {"cleaning": 100000 / 16000, "maintenance": 100000 / 40000,  # 6.25, 2.5
         "greening": 10000 / 25000, "management": 1000 / 800, "order": 0.0}),  # 0.4, 1.25
])
def test_demand_of_each_service_grade(params, grade, expected) -> None:
    norms = params.grades.grade(grade)
    got = {role: role_demand_fte(role, norms, params, households=1000, floor_area_m2=100000.0,
                                 green_area_m2=10000.0, gates=1)[0] for role in expected}
    assert got == pytest.approx(expected, rel=1e-12)
    if grade == 3:
        assert round(got["cleaning"], 2) == 7.69  # 100,000 m2 / 13,000 = 7.69 cleaners


@pytest.mark.parametrize(("regime", "guards", "live_in", "remote"), [
    ("staffed_24h", 6.0, 0.0, 0.0),  # 2 gates x 24 h x 365 / 2,920 = 6 guards
    ("staffed_16h", 4.0, 0.0, 0.0),  # 2 gates x 16 h x 365 / 2,920 = 4 guards
    ("live_in", 0.0, 36000.0, 0.0),  # 2 x 1,500 yuan x 12 months = 36,000
    ("device_only", 0.0, 0.0, 2400.0),  # 2 gates x 1,200 yuan remote help = 2,400
])
def test_gate_regimes(params, regime, guards, live_in, remote) -> None:
    order = role_demand_fte("order", params.grades.g3, params, households=100,
                            floor_area_m2=1e4, green_area_m2=0.0, gates=2, gate_regime=regime)
    assert order.tolist() == [guards]
    pay, help_ = gate_running_yuan(regime, [2], params)
    assert (pay.tolist(), help_.tolist()) == ([live_in], [remote])


def test_unknown_role_is_refused(params) -> None:
    with pytest.raises(ValueError, match="unknown role 'janitor'"):
        role_demand_fte("janitor", params.grades.g3, params, households=1, floor_area_m2=1.0,
                        green_area_m2=0.0, gates=0)


def test_headcount_rounding() -> None:
    assert round_headcount_fte([0.7, 3.0, 3.0000000001, 0.0], 1.0).tolist() == [1, 3, 3, 0]
    assert round_headcount_fte([0.7, 0.2], 0.5).tolist() == [1.0, 0.5]
    assert round_headcount_fte([0.7, 0.2], 0.0).tolist() == [0.7, 0.2]  # shared: fractional
    # One post size per compound (a contract's pooled posts): the same rule, row by row.
    steps = np.array([1.0, 1.0, 0.5, 0.5, 0.0])
    demand = [3.0000000001, 3.0000001, 0.5, 0.5000001, 0.7]
    assert round_headcount_fte(demand, steps).tolist() == [3.0, 4.0, 0.5, 1.0, 0.7]
    assert round_headcount_fte(demand[:2], 1).tolist() == [3.0, 4.0]  # a whole number
    # A step that is not a number rounds nothing, one step or a step each.
    assert round_headcount_fte([0.7], float("nan")).tolist() == [0.7]
    assert round_headcount_fte([0.7], np.array([np.nan])).tolist() == [0.7]


@given(st.lists(st.floats(0.0, 1e5), min_size=1, max_size=6), st.sampled_from([0.0, 0.5, 1.0]))
def test_headcount_rounding_one_step_or_a_step_each(demand, step) -> None:
    """A single post size and the same size for every compound round alike."""
    same = round_headcount_fte(demand, np.full(len(demand), step))
    assert round_headcount_fte(demand, step).tolist() == same.tolist()


def test_formal_staff_cost(params) -> None:
    # A cleaner at 2,000 yuan/month: 2,000 x 12 x 1.05 + 0.30 x 3,700 x 12 = 25,200 + 13,320
    # = 38,520 (social insurance on the 3,700 floor, not the lower wage).
    assert annual_staff_cost_yuan("cleaning", 1.0, params, "formal").tolist() == [38520.0]
    # 1.5 cleaners: 1.5 x 38,520 = 57,780.
    assert annual_staff_cost_yuan("cleaning", 1.5, params, "formal").tolist() == [
        pytest.approx(57780.0)]
    # A manager at 3,500: 3,500 x 12 x 1.05 + 13,320 = 44,100 + 13,320 = 57,420.
    assert annual_staff_cost_yuan("management", 1.0, params, "formal").tolist() == [
        pytest.approx(57420.0)]
    # A guard of 2,920 h: 920 h over the 2,000 standard hours at 150% adds 1.5 x 920 / 2,000
    # = 0.69: 2,000 x 12 x 1.69 x 1.05 + 13,320 = 42,588 + 13,320 = 55,908.
    assert annual_staff_cost_yuan("order", 1.0, params, "formal").tolist() == [
        pytest.approx(55908.0)]
    # Above the floor the wage is the base: a manager at 4,000 yuan/month:
    # 4,000 x 12 x 1.05 + 0.30 x 4,000 x 12 = 50,400 + 14,400 = 64,800.
    high = params.replace({"staffing.management.monthly_wage_yuan": 4000.0})
    assert annual_staff_cost_yuan("management", 1.0, high, "formal").tolist() == [
        pytest.approx(64800.0)]


def test_informal_staff_cost(params) -> None:
    # Retired workers on a service agreement: demand x monthly wage x 12, no rounding, no
    # social insurance, no welfare: 0.4 x 2,000 x 12 = 9,600; maintenance 0.25 x 3,200 x 12
    # = 9,600.
    assert annual_staff_cost_yuan("cleaning", 0.4, params, "informal").tolist() == [
        pytest.approx(9600.0)]
    assert annual_staff_cost_yuan("maintenance", 0.25, params, "informal").tolist() == [
        pytest.approx(9600.0)]


def test_guard_overtime_starts_above_the_standard_hours(params) -> None:
    # 2,000 h a guard: no overtime, the same cost as a cleaner at the same wage, 38,520.
    legal = params.replace({"labour.guard_hours_per_year": 2000.0})
    assert annual_staff_cost_yuan("order", 1.0, legal, "formal").tolist() == [
        pytest.approx(38520.0, abs=1e-9)]
    # 2,001 h: 1 h of overtime at 150%: pay 24,000 x (1 + 1.5 x 1 / 2,000) = 24,018;
    # 24,018 x 1.05 + 13,320 = 25,218.90 + 13,320 = 38,538.90.
    one_more = params.replace({"labour.guard_hours_per_year": 2001.0})
    assert annual_staff_cost_yuan("order", 1.0, one_more, "formal").tolist() == [
        pytest.approx(38538.9, abs=1e-9)]
    # The legal-hours case needs more guards: 24 x 365 / 2,000 = 4.38 for a 24 h gate.
    assert role_demand_fte("order", legal.grades.g3, legal, households=1, floor_area_m2=1.0,
                           green_area_m2=0.0, gates=1).tolist() == [pytest.approx(4.38)]


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


def test_age_factor() -> None:
    # Built 1990, evaluated 2024: 34 years; 1 + 0.03 x 34 = 2.02; built 1950: capped at 2.5.
    assert age_years([1990, 1950, 2030], 2024).tolist() == [34.0, 74.0, 0.0]
    assert age_factor([34.0, 74.0, 0.0], 0.03, 2.5).tolist() == pytest.approx([2.02, 2.5, 1.0])


def test_market_price_lump_sum_and_commission(params) -> None:
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
    assert q.price_yuan.tolist() == [pytest.approx(117392.0)]


@given(
    area=st.floats(1.0, 1e6), rate=st.floats(0.0, 10.0), k=st.floats(0.0, 10.0),
)
def test_fee_income_is_linear_in_area_and_rate(area, rate, k) -> None:
    base = annual_fee_billed_yuan(area, rate)[0]
    assert annual_fee_billed_yuan(k * area, rate)[0] == pytest.approx(k * base, rel=1e-12,
                                                                      abs=1e-9)
    assert annual_fee_billed_yuan(area, k * rate)[0] == pytest.approx(k * base, rel=1e-12,
                                                                      abs=1e-9)
