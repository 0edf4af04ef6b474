"""Informal hiring (retired workers on a service agreement, 劳务协议) of roles whose hours
differ from the standard year, by hand.

The rule (propfee.staffing): an informal hour is paid

    hourly rate = max(monthly_wage x 12 / standard_hours_per_year, part-time minimum)

whatever the role's hours per post (guards: ``guard_hours_per_year``, 2,920 = 8 h x 365),
and the hours hired cost hours x rate: no social insurance, no premium, no rounding to
posts. The part-time minimum (Shanxi class 1) is 18.5 yuan/h from 2017-10-01 and 19.8 from
2021-10-01.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

import propfee as pf
from propfee.channels import SelfGovernance, SharedProperty
from propfee.channels.contract import contract_costs
from propfee.plan import Plan
from propfee.staffing import annual_staff_cost_yuan, hours_per_post, informal_rate_yuan_per_hour

GUARD_3500 = {"staffing.order.monthly_wage_yuan": 3500.0,
              "staffing.patrol.monthly_wage_yuan": 3500.0}


@pytest.mark.parametrize(("updates", "order", "patrol", "cleaning", "management"), [
    # The defaults of 2024: guards and cleaners earn 2,000 a month: 2,000 x 12 / 2,000 =
    # 12 < 19.8; a manager's 3,500 x 12 / 2,000 = 21.
    ({}, 19.8, 19.8, 19.8, 21.0),
    # Guards at 3,500: 3,500 x 12 / 2,000 = 21 an hour, not 3,500 x 12 / 2,920 = 14.38
    # (which the minimum would lift to 19.8): the guard's long year is no lower hourly pay.
    (GUARD_3500, 21.0, 21.0, 19.8, 21.0),
    # The legal-hours case (guards work 2,000 h): the same hourly rates.
    ({**GUARD_3500, "labour.guard_hours_per_year": 2000.0}, 21.0, 21.0, 19.8, 21.0),
    # A standard year of 1,800 h: 3,500 x 12 / 1,800 = 23.333; a cleaner's 2,000 x 12 /
    # 1,800 = 13.33 is still below the minimum.
    ({**GUARD_3500, "labour.standard_hours_per_year": 1800.0}, 70 / 3, 70 / 3, 19.8, 70 / 3),
])
def test_hourly_rate_of_each_role(updates: dict[str, Any], order: float, patrol: float,
                                  cleaning: float, management: float) -> None:
    p = pf.default_parameters().replace(updates) if updates else pf.default_parameters()
    for role, rate in (("order", order), ("patrol", patrol), ("cleaning", cleaning),
                       ("management", management)):
        assert informal_rate_yuan_per_hour(role, p) == pytest.approx(rate, rel=1e-12), role


@pytest.mark.parametrize(("standard", "wage", "rate"), [
    # The wage whose hourly rate is the 19.8 minimum: 19.8 x standard / 12.
    (2000.0, 3299.0, 19.8),             # 3,299 x 12 / 2,000 = 19.794 -> 19.8
    (2000.0, 3300.0, 19.8),             # exactly 19.8
    (2000.0, 3301.0, 19.806),           # 19.806 above it
    (1800.0, 2969.0, 19.8),             # 2,969 x 12 / 1,800 = 19.7933 -> 19.8
    (1800.0, 2970.0, 19.8),             # exactly 19.8
    (1800.0, 2971.0, 2971 * 12 / 1800),  # 19.80667
])
def test_guard_rate_around_the_part_time_minimum(standard: float, wage: float,
                                                 rate: float) -> None:
    p = pf.default_parameters().replace({"labour.standard_hours_per_year": standard,
                                         "staffing.order.monthly_wage_yuan": wage})
    assert hours_per_post("order", p) == 2920.0
    assert informal_rate_yuan_per_hour("order", p) == pytest.approx(rate, rel=1e-12)


@pytest.mark.parametrize(("updates", "posts", "cost"), [
    # A 24 h gate: 8,760 guard hours at 21 an hour = 183,960 whether they are counted as
    # 8,760 / 2,920 = 3 posts or, in the legal-hours case, 8,760 / 2,000 = 4.38 posts.
    (GUARD_3500, 3.0, 183960.0),
    ({**GUARD_3500, "labour.guard_hours_per_year": 2000.0}, 4.38, 183960.0),
    # A standard year of 1,800 h: 8,760 x 3,500 x 12 / 1,800 = 204,400.
    ({**GUARD_3500, "labour.standard_hours_per_year": 1800.0}, 3.0, 204400.0),
    # Default wages: 8,760 x 19.8 = 173,448.
    ({}, 3.0, 173448.0),
])
def test_cost_of_the_hours_of_a_gate(updates: dict[str, Any], posts: float,
                                     cost: float) -> None:
    p = pf.default_parameters().replace(updates) if updates else pf.default_parameters()
    assert 8760.0 / hours_per_post("order", p) == pytest.approx(posts, rel=1e-12)
    got = annual_staff_cost_yuan("order", 8760.0 / hours_per_post("order", p), p, "informal")
    assert got.tolist() == pytest.approx([cost], rel=1e-12)


# --- hired by the residents' organisation, on each side of 2021-10-01 -----------------------

COMPOUND = pf.Compound(compound_id="k", households=100, floor_area_m2=10000.0,
                       build_year=1990, buildings=4, gates=1, green_area_m2=0.0)
"""Grade 3: cleaning 10,000 / 13,000 m2 x 2,000 h = 1,538.46 h; patrol 4 buildings x 0.3 h
x 365 days = 438 h (the gate is the contract's, the management the market's)."""
INFORMAL = Plan(service_grade=3,
                shared_property=SharedProperty(bundle_by="none", standing_work=("gate",),
                                               contract_margin_rate=0.0),
                self_governance=SelfGovernance(hire_informally=("cleaning", "patrol")))


def _lines(params: pf.ParameterSet) -> dict[str, float]:
    result = pf.evaluate(COMPOUND, INFORMAL, params)
    return {line.line: line.amount_yuan for line in result.lines}


@pytest.mark.parametrize(("day", "cleaning", "patrol"), [
    # 2021-09-30: wages 1,800 (1,800 x 12 / 2,000 = 10.8) below the minimum of 18.5:
    # cleaning 1,538.46 h x 18.5 = 28,461.54; patrol 438 h x 18.5 = 8,103.
    (dt.date(2021, 9, 30), 28461.54, 8103.00),
    # 2021-10-01: wages 2,000 (12 an hour) below the new minimum of 19.8:
    # 1,538.46 x 19.8 = 30,461.54; 438 x 19.8 = 8,672.40.
    (dt.date(2021, 10, 1), 30461.54, 8672.40),
    (dt.date(2021, 10, 2), 30461.54, 8672.40),
])
def test_informal_hires_on_each_side_of_the_minimum_wage_change(
    day: dt.date, cleaning: float, patrol: float,
) -> None:
    lines = _lines(pf.default_parameters(day))
    assert lines["informal_cleaning"] == cleaning
    assert lines["informal_patrol"] == patrol


@pytest.mark.parametrize(("day", "patrol"), [
    # A patrol guard at 3,500 a month is paid by his wage on both sides of the change:
    # 438 h x 3,500 x 12 / 2,000 = 438 x 21 = 9,198, not 438 x 19.8 or x 18.5.
    (dt.date(2021, 9, 30), 9198.00),
    (dt.date(2021, 10, 1), 9198.00),
    (dt.date(2021, 10, 2), 9198.00),
])
def test_a_wage_above_the_minimum_is_paid_on_each_side_of_the_change(day: dt.date,
                                                                     patrol: float) -> None:
    p = pf.default_parameters(day).replace({"staffing.patrol.monthly_wage_yuan": 3500.0})
    assert _lines(p)["informal_patrol"] == patrol


def test_informal_hires_with_a_standard_year_of_1800_hours() -> None:
    """Cleaning demand follows the standard year: 10,000 / 13,000 x 1,800 = 1,384.615 h at
    19.8 = 27,415.38. Patrol hours do not (438 h), but a patrol guard at 3,500 a month is
    now paid 3,500 x 12 / 1,800 = 23.333 an hour: 438 x 23.333 = 10,220."""
    p = pf.default_parameters().replace({"labour.standard_hours_per_year": 1800.0,
                                         "staffing.patrol.monthly_wage_yuan": 3500.0})
    lines = _lines(p)
    assert lines["informal_cleaning"] == 27415.38
    assert lines["informal_patrol"] == 10220.00


# --- hired informally by the market and by the shared contract ---------------------------

MARKET = Plan(service_grade=3, shared_property=SharedProperty(bundle_by="none"))
"""Every piece of work bought at market price from a company serving the compound alone."""


@pytest.mark.parametrize(("guard_hours", "gate", "depreciation"), [
    # Informal market hiring at guard wages of 3,500 (21 an hour): the gate 8,760 h x 21 =
    # 183,960; patrol 438 x 21 = 9,198; cleaning 1,538.46 x 19.8 = 30,461.54; management
    # 100 / 650 x 2,000 = 307.69 h x 21 = 6,461.54. Depreciation 800 a head, heads =
    # hours / hours per post: 0.769231 + 0.153846 + 8,760 / 2,920 + 438 / 2,920
    # = 0.923077 + 3 + 0.15 = 4.073077 -> 3,258.46.
    (2920.0, 183960.0, 3258.46),
    # Legal hours: the same pay; heads 0.923077 + 4.38 + 0.219 = 5.522077 -> 4,417.66.
    (2000.0, 183960.0, 4417.66),
])
def test_market_hires_guards_informally(guard_hours: float, gate: float,
                                        depreciation: float) -> None:
    p = pf.default_parameters().replace({**GUARD_3500, "labour.market_hiring": "informal",
                                         "labour.guard_hours_per_year": guard_hours})
    lines = {line.line: line.amount_yuan for line in pf.evaluate(COMPOUND, MARKET, p).lines}
    assert lines["market_gate"] == gate
    assert lines["market_patrol"] == 9198.00
    assert lines["market_cleaning"] == 30461.54
    assert lines["market_management"] == 6461.54
    assert lines["market_depreciation"] == depreciation


@pytest.mark.parametrize(("updates", "heads", "staff"), [
    # 5,000 guard hours on a shared contract hiring informally: 5,000 / 2,920 = 1.712329
    # posts, not rounded up to 2; cost 5,000 x 21 = 105,000 (2 whole posts would be
    # 2 x 2,920 x 21 = 122,640).
    ({}, 5000.0 / 2920.0, 105000.0),
    # Legal hours: 2.5 posts, the same 105,000.
    ({"labour.guard_hours_per_year": 2000.0}, 2.5, 105000.0),
    # A standard year of 1,800 h: 5,000 x 23.333 = 116,666.67.
    ({"labour.standard_hours_per_year": 1800.0}, 5000.0 / 2920.0, 5000.0 * 70 / 3),
])
def test_contract_pays_the_guard_hours_it_hires(updates: dict[str, Any], heads: float,
                                                staff: float) -> None:
    p = pf.default_parameters().replace({**GUARD_3500, "labour.market_hiring": "informal",
                                         **updates})
    c = contract_costs(np.array([0]), np.array([0]), 1,
                       standing_hours={"order": np.array([5000.0])},
                       households=np.array([100.0]), x_m=np.zeros(1), y_m=np.zeros(1),
                       fixed_fee_yuan=0.0, shared=SharedProperty(contract_margin_rate=0.1),
                       params=p)
    assert c.headcount_fte_by_role["order"].tolist() == pytest.approx([heads], rel=1e-12)
    assert c.staff_by_role_yuan["order"].tolist() == pytest.approx([staff], rel=1e-12)
    assert c.margin_yuan.tolist() == pytest.approx([0.1 * staff], rel=1e-12)
    assert c.total_yuan.tolist() == pytest.approx([1.1 * staff], rel=1e-12)
