"""Kernels: hand-computed values; scalar, ndarray and Series inputs give the same numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propfee.costs import age_factor, age_years
from propfee.fees import (
    annual_fee_billed_yuan,
    annual_fee_collected_yuan,
    break_even_collection_rate,
    break_even_rate_yuan_per_m2_month,
    market_price,
)
from propfee.params import RoleParams
from propfee.staffing import annual_wage_cost_yuan, round_headcount_fte, staff_demand_fte


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


def test_staff_demand_by_norm() -> None:
    per_hh = RoleParams(norm="per_households", units_per_staff=140.0, monthly_wage_yuan=2000.0)
    per_m2 = RoleParams(norm="per_floor_m2", units_per_staff=40000.0, monthly_wage_yuan=2000.0)
    green = RoleParams(norm="per_green_m2", units_per_staff=4000.0, monthly_wage_yuan=2000.0)
    gate = RoleParams(norm="per_gate_post", post_hours_per_day=24.0,
                      productive_hours_per_staff_year=1736.0, monthly_wage_yuan=2000.0)
    hh, floor, gr, gates = np.array([280.0]), np.array([10000.0]), np.array([2000.0]), [2]
    assert staff_demand_fte(per_hh, hh, floor, gr, gates).tolist() == [2.0]  # 280 / 140
    assert staff_demand_fte(per_m2, hh, floor, gr, gates).tolist() == [0.25]  # 10,000 / 40,000
    assert staff_demand_fte(green, hh, floor, gr, gates).tolist() == [0.5]  # 2,000 / 4,000
    # 2 gates x 24 h x 365 d / 1,736 h = 17,520 / 1,736 = 10.092...
    assert staff_demand_fte(gate, hh, floor, gr, gates).tolist() == [pytest.approx(10.0922,
                                                                                  abs=1e-4)]


def test_headcount_rounding() -> None:
    assert round_headcount_fte([0.7, 3.0, 3.0000000001, 0.0], 1.0).tolist() == [1, 3, 3, 0]
    assert round_headcount_fte([0.7, 0.2], 0.5).tolist() == [1.0, 0.5]
    assert round_headcount_fte([0.7, 0.2], 0.0).tolist() == [0.7, 0.2]  # shared: fractional


def test_wage_cost() -> None:
    # 1.5 FTE x 2,000 yuan x 12 months x (1 + 0.30 + 0.05) = 48,600 yuan a year.
    assert annual_wage_cost_yuan(1.5, 2000.0, 0.30, 0.05).tolist() == [pytest.approx(48600.0)]


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
