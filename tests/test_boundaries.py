"""Every discrete step of the model, at the step and just past it.

Dated wages and the social-insurance floor (the day before a change, the day of it and
after); build years around an age cap and after the evaluation date; whole posts (2.0
guards and a little more), posts of each size; crews per households and per compounds;
call-out trips of 3 members (3 and 4 members); whole income units per band of households
(149, 150, 151); informal hours around the part-time minimum wage; a pool balance of
exactly zero; two street items on the same work; a volunteer task at its cap; a task with
no work; the hours a gate is kept under each regime; the half-fen viability threshold of
the bundling optimiser; fen arithmetic at its edges (types, empty and zero splits, signs,
whole error messages).
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.budget.kernel import KernelOutput, budget_arrays
from propfee.bundling.optimise import BundlingProblem, objective_values
from propfee.channels import (
    Device,
    SelfGovernance,
    SharedProperty,
    SmartDevices,
    StreetFallback,
    StreetItem,
    VolunteerTask,
)
from propfee.channels.contract import contract_costs, trip_share
from propfee.money import GroupLayout, allocate_fen, allocate_fen_grouped, fen_to_yuan, yuan_to_fen
from propfee.plan import default_plan, resolve_plan
from propfee.staffing import (
    ROLES,
    annual_staff_cost_yuan,
    formal_cost_per_post_yuan,
    informal_rate_yuan_per_hour,
)

from .conftest import BARE, POST_YUAN


def _lines(result: pf.BudgetResult) -> dict[str, float]:
    return {line.line: round(line.amount_yuan, 2) for line in result.lines}


def _compound(**changes: Any) -> pf.Compound:
    base: dict[str, Any] = {
        "compound_id": "k", "households": 100, "floor_area_m2": 10000.0, "build_year": 1990,
        "green_area_m2": 0.0, "gates": 0,
    }
    return pf.Compound(**{**base, **changes})


def _source(**changes: Any) -> pf.Compound:
    """The source's compound of tests/test_hand_budgets.py."""
    base: dict[str, Any] = {
        "compound_id": "src", "households": 100, "floor_area_m2_per_household": 100.0,
        "build_year": 1990, "gates": 1, "buildings": 4, "stairwell_units": 8,
        "green_area_m2": 1000.0, "parking_spaces": 20, "water_tanks": 2}
    return pf.Compound(**{**base, **changes})


def _run(compound: pf.Compound, plan: pf.Plan, params: pf.ParameterSet | None = None,
         channels: tuple[str, ...] | None = None) -> KernelOutput:
    table = pf.validate_compounds(compound)
    p = params or pf.default_parameters()
    resolved = resolve_plan(plan, table)
    if channels is None:
        return budget_arrays(table, resolved, p)
    return budget_arrays(table, resolved, p, channels=channels)


def _amounts(out: KernelOutput) -> dict[str, float]:
    return {s.code: int(v[0]) / 100 for s, v in out.fen_lines().items()}


def _contract(households: list[float], members: list[int], *, fixed: float = 1000.0,
              shared: SharedProperty | None = None, management_hours: float = 200.0,
              params: pf.ParameterSet | None = None) -> Any:
    """Bundles ``k`` of ``members[k]`` compounds sharing ``households[k]`` equally, each
    member with ``management_hours`` of standing management work."""
    bundle = np.repeat(np.arange(len(members)), members)
    hh = np.concatenate([np.full(m, h / m) for h, m in zip(households, members, strict=True)])
    n = len(hh)
    return contract_costs(
        bundle, np.arange(n), len(members),
        standing_hours={"management": np.full(n, management_hours)}, households=hh,
        x_m=np.zeros(n), y_m=np.zeros(n), fixed_fee_yuan=fixed,
        shared=shared or SharedProperty(contract_margin_rate=0.0),
        params=params or pf.default_parameters(),
    )


# --- dated parameters ------------------------------------------------------------------


@pytest.mark.parametrize(("day", "hourly", "monthly", "cleaner_wage", "live_in"), [
    # Shanxi class 1: 1,700 yuan/month and 18.5 yuan/h from 2017-10-01; 1,880 and 19.8
    # from 2021-10-01. The wages of the set and the live-in pay move on the same day.
    (dt.date(2021, 9, 30), 18.5, 1700.0, 1800.0, 1700.0),
    (dt.date(2021, 10, 1), 19.8, 1880.0, 2000.0, 1900.0),
    (dt.date(2021, 10, 2), 19.8, 1880.0, 2000.0, 1900.0),
])
def test_minimum_wage_switch_on_2021_10_01(day: dt.date, hourly: float, monthly: float,
                                           cleaner_wage: float, live_in: float) -> None:
    p = pf.params.default_parameters(day)
    assert p.as_of == day
    assert p.wages.minimum_hourly_wage_yuan == hourly
    assert p.wages.minimum_monthly_wage_yuan == monthly
    assert p.staffing.cleaning.monthly_wage_yuan == cleaner_wage
    assert p.gates.live_in_monthly_pay_yuan == live_in
    # Informal hours are paid at least the part-time minimum: a cleaner's 1,800 or 2,000
    # x 12 / 2,000 = 10.8 or 12 yuan is below it, so 18.5 or 19.8.
    assert informal_rate_yuan_per_hour("cleaning", p) == hourly
    # A manager at 3,000 (before): 18 yuan < 18.5 -> 18.5; at 3,500 (after): 21 > 19.8.
    assert informal_rate_yuan_per_hour("management", p) == (18.5 if hourly == 18.5 else 21.0)


@pytest.mark.parametrize(("day", "cleaner", "manager", "guard"), [
    # Social insurance 30% of max(wage, floor) x 12; the floor is 3,300 from 2021-07-01.
    # 2021-09-30: cleaner 1,800 x 12 x 1.05 + 0.3 x 3,300 x 12 = 22,680 + 11,880 = 34,560;
    # manager 3,000 x 12 x 1.05 + 11,880 = 49,680; guard 1,800 x 12 x 1.69 x 1.05 +
    # 11,880 = 38,329.20 + 11,880 = 50,209.20.
    (dt.date(2021, 9, 30), 34560.0, 49680.0, 50209.2),
    # 2021-10-01: cleaner 25,200 + 11,880 = 37,080; a manager's 3,500 is above the floor,
    # so the base: 44,100 + 0.3 x 3,500 x 12 = 44,100 + 12,600 = 56,700; guard 42,588 +
    # 11,880 = 54,468.
    (dt.date(2021, 10, 1), 37080.0, 56700.0, 54468.0),
    # 2023-12-31: the same wages, the same floor.
    (dt.date(2023, 12, 31), 37080.0, 56700.0, 54468.0),
    # 2024-01-01: the floor rises to 3,700: + 0.3 x 400 x 12 = 1,440 for the posts paid
    # below it; the manager's base becomes the floor: + 0.3 x 200 x 12 = 720.
    (dt.date(2024, 1, 1), 38520.0, 57420.0, 55908.0),
])
def test_cost_of_a_post_on_each_side_of_a_dated_change(day: dt.date, cleaner: float,
                                                       manager: float, guard: float) -> None:
    p = pf.params.default_parameters(day)
    assert formal_cost_per_post_yuan("cleaning", p) == pytest.approx(cleaner, abs=1e-9)
    assert formal_cost_per_post_yuan("management", p) == pytest.approx(manager, abs=1e-9)
    assert formal_cost_per_post_yuan("order", p) == pytest.approx(guard, abs=1e-9)


@pytest.mark.parametrize(("day", "greening_in_kind", "informal_greening", "informal_mgmt"), [
    # The source's compound under the default plan: the greening volunteers give 80 h,
    # the residents hire the other 20 h, and 78.439543 h of management (see
    # tests/test_hand_budgets.py); the shadow wage is the part-time minimum of the date:
    #   2021-09-30: 80 x 18.5 = 1,480; 20 x 18.5 = 370; 78.439543 x 18.5 = 1,451.13
    #   2021-10-01: 80 x 19.8 = 1,584; 20 x 19.8 = 396; 78.439543 x 21 = 1,647.23
    (dt.date(2021, 9, 30), 1480.00, 370.00, 1451.13),
    (dt.date(2021, 10, 1), 1584.00, 396.00, 1647.23),
    (dt.date(2021, 10, 2), 1584.00, 396.00, 1647.23),
])
def test_volunteers_and_informal_hours_at_the_wage_of_the_date(
        day: dt.date, greening_in_kind: float, informal_greening: float,
        informal_mgmt: float) -> None:
    got = _lines(pf.evaluate(_source(), params=pf.params.default_parameters(day),
                             contributions=False))
    assert got["volunteer_greening_time"] == greening_in_kind
    assert got["informal_greening"] == informal_greening
    assert got["informal_management"] == informal_mgmt


@pytest.mark.parametrize(("wage", "rate", "informal"), [
    # A manager's hourly pay is wage x 12 / 2,000 against the 19.8 floor; the source's
    # compound hires 78.439543 h of management informally:
    (3299.0, 19.8, 1553.10),    # 19.794 < 19.8: the floor; 78.439543 x 19.8 = 1,553.103
    (3300.0, 19.8, 1553.10),    # exactly 19.8
    (3301.0, 19.806, 1553.57),  # 19.806 > 19.8: the wage; 78.439543 x 19.806 = 1,553.574
])
def test_informal_hours_around_the_part_time_minimum(wage: float, rate: float,
                                                     informal: float) -> None:
    p = pf.default_parameters().replace({"staffing.management.monthly_wage_yuan": wage})
    assert informal_rate_yuan_per_hour("management", p) == pytest.approx(rate, abs=1e-12)
    assert _lines(pf.evaluate(_source(), params=p, contributions=False))[
        "informal_management"] == informal


@pytest.mark.parametrize(("wage", "per_head"), [
    # Social insurance 30% of max(wage, 3,700) x 12; pay x 12 x 1.05 welfare:
    # 3,700: 44,400 x 1.05 + 13,320 = 59,940; 3,701: 44,412 x 1.05 + 0.3 x 44,412
    # = 46,632.60 + 13,323.60 = 59,956.20; 3,699: 46,607.40 + 13,320 (the floor) = 59,927.40.
    (3700.0, 59940.0), (3701.0, 59956.2), (3699.0, 59927.4),
])
def test_social_insurance_floor_at_and_past_it(wage: float, per_head: float) -> None:
    p = pf.default_parameters().replace({"staffing.management.monthly_wage_yuan": wage})
    assert annual_staff_cost_yuan("management", 1.0, p, "formal")[0] == pytest.approx(per_head)


# --- age ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("build_year", "repair", "callout"), [
    # Roof leak repair in the market baseline of a 10,000 m2 compound of 6 storeys: roof
    # 1,666.67 m2 x 0.002 = 3.333333 uses when new, x min(1 + 0.05 x age, 3); the cap is
    # reached at age 40, built 1984 (evaluated 2024). x 120 yuan; / 10 x 200 call-out.
    (1985, 1180.00, 196.67),  # age 39: 2.95 -> 9.833333 uses: 1,179.99996; 196.666666
    (1984, 1200.00, 200.00),  # age 40: 3.00 -> 10 uses
    (1983, 1200.00, 200.00),  # age 41: 3.05 capped at 3
    (2024, 400.00, 66.67),    # age 0: 3.333333 uses
    (2031, 400.00, 66.67),    # built after the evaluation date: age 0, never negative
])
def test_job_age_cap_and_future_build_years(build_year: int, repair: float,
                                            callout: float) -> None:
    r = pf.market_baseline(_compound(build_year=build_year))
    got = {x.code: round(x.amount_yuan, 2) for x in r.lines}
    assert (got["market_job_roof_leak_repair"],
            got["market_job_roof_leak_repair_callout"]) == (repair, callout)


# --- posts -------------------------------------------------------------------------------


def _gate_plan(gate_hours_per_unit: float, **plan: Any) -> pf.Plan:
    """Grade 3 (a 24 h gate) with a free device supplying some of the gate hours."""
    devices = SmartDevices(items=(Device(
        name="door", basis="gate", units_per_basis=1.0, capital_cost_yuan_per_unit=0.0,
        service_life_years=8.0, work="gate", work_per_unit_year=gate_hours_per_unit),))
    return pf.Plan(service_grade=3, smart_devices=devices, **plan)


@pytest.mark.parametrize(("device_hours", "guards"), [
    # 8,760 gate hours a year; the device supplies some, guards of 2,920 h the rest,
    # in whole posts (step 1.0):
    (2920.0, 2.0),    # 5,840 h left = exactly 2.0 guards -> 2
    (2919.99, 3.0),   # 5,840.01 h = 2.0000034 -> 3
    (2920.01, 2.0),   # 5,839.99 h = 1.9999966 -> 2
    (5840.0, 1.0),    # 2,920 h = 1.0 -> 1
    (8760.0, 0.0),    # nothing left
])
def test_guards_rounded_to_whole_posts(device_hours: float, guards: float) -> None:
    # Bought at market: guards x 55,908.
    out = _run(_compound(gates=1), _gate_plan(device_hours))
    assert out.details["market_heads:order"].tolist() == [guards]
    assert _amounts(out)["market_gate"] == guards * POST_YUAN["order"]
    # Standing posts of a shared contract (at cost): the same whole guards.
    standing = _gate_plan(device_hours, shared_property=BARE.shared_property)
    assert _amounts(_run(_compound(gates=1), standing))["contract_staff_gate"] == (
        guards * POST_YUAN["order"])


@pytest.mark.parametrize(("floor", "cleaning"), [
    # Cleaning posts of 0.5 at 13,000 m2 a cleaner (2,000 h): 6,500 m2 = 1,000 h = 0.5 ->
    # 0.5 post (19,260); 6,501 m2 = 1,000.15 h -> 1.0 (38,520); 13,000 -> 1.0;
    # 13,001 -> 1.5 (57,780).
    (6500.0, 19260.0), (6501.0, 38520.0), (13000.0, 38520.0), (13001.0, 57780.0),
])
def test_cleaning_posts_at_and_past_a_step_in_the_budget(floor: float, cleaning: float) -> None:
    lines = _lines(pf.evaluate(_compound(floor_area_m2=floor), BARE))
    assert lines["contract_staff_cleaning"] == cleaning
    base = {x.code: x.amount_yuan for x in pf.market_baseline(_compound(floor_area_m2=floor),
                                                              grade=3).lines}
    assert base["market_cleaning"] == cleaning


@pytest.mark.parametrize(("households", "management"), [
    # 650 households a manager, posts of 0.5: 325 -> 0.5 (28,710); 326 -> 1.0 (57,420).
    (325, 28710.0), (326, 57420.0), (650, 57420.0), (651, 86130.0),
])
def test_management_posts_at_and_past_a_step_in_the_budget(households: int,
                                                           management: float) -> None:
    lines = _lines(pf.evaluate(_compound(households=households), BARE))
    assert lines["contract_staff_management"] == management


# --- crews and contracts -----------------------------------------------------------------


def test_crews_per_households_at_and_past_each_step() -> None:
    # 1,500 households a crew: ceil(h / 1,500) crews, each paying the 1,000 fee.
    c = _contract([1.0, 1499.0, 1500.0, 1501.0, 3000.0, 3001.0], [1] * 6)
    assert c.crews.tolist() == [1.0, 1.0, 1.0, 2.0, 2.0, 3.0]
    assert c.fixed_yuan.tolist() == [1000.0, 1000.0, 1000.0, 2000.0, 2000.0, 3000.0]


def test_crews_per_compounds_at_and_past_each_step() -> None:
    # 4 compounds a crew: ceil(members / 4) crews (10 households in all: one crew of
    # households).
    c = _contract([10.0] * 5, [1, 4, 5, 8, 9])
    assert c.crews.tolist() == [1.0, 1.0, 2.0, 2.0, 3.0]
    assert c.members.tolist() == [1.0, 4.0, 5.0, 8.0, 9.0]
    assert c.households.tolist() == pytest.approx([10.0] * 5)


def test_crews_take_the_larger_of_households_and_compounds() -> None:
    # 3,001 households in 2 compounds: 3 crews by households; 2,000 in 9: 3 by compounds.
    c = _contract([3001.0, 2000.0, 2000.0], [2, 9, 2])
    assert c.crews.tolist() == [3.0, 3.0, 2.0]


def test_no_standing_staff_no_crew_and_no_fee() -> None:
    c = _contract([1600.0, 1600.0], [1, 2], management_hours=0.0)
    assert c.crews.tolist() == [0.0, 0.0]
    assert c.fixed_yuan.tolist() == [0.0, 0.0]
    assert c.total_yuan.tolist() == [0.0, 0.0]


@pytest.mark.parametrize(("hours", "posts", "staff"), [
    # Management posts of 0.5 (2,000 h a post): 1,000 h = 0.5 -> 0.5 (x 57,420 = 28,710);
    # 1,000.2 h = 0.5001 -> 1.0 (57,420); 2,000 h -> 1.0; 2,000.2 h -> 1.5 (86,130).
    (1000.0, 0.5, 28710.0), (1000.2, 1.0, 57420.0), (2000.0, 1.0, 57420.0),
    (2000.2, 1.5, 86130.0),
])
def test_contract_posts_at_and_past_a_headcount_step(hours: float, posts: float,
                                                     staff: float) -> None:
    c = _contract([10.0], [1], management_hours=hours)
    assert c.headcount_fte_by_role["management"].tolist() == [posts]
    assert c.staff_by_role_yuan["management"].tolist() == pytest.approx([staff])


@pytest.mark.parametrize(("members", "per_contract", "per_crew"), [
    # 600 h (0.3 post) of management each. Per contract: 5 x 0.3 = 1.5 -> 1.5 posts.
    # Per crew: 5 members need ceil(5 / 4) = 2 crews; 1.5 / 2 = 0.75 -> 1.0 a crew:
    # 2.0 posts. 4 members: one crew, 1.2 -> 1.5 either way.
    (5, 1.5, 2.0), (4, 1.5, 1.5),
])
def test_posts_pooled_per_crew_at_the_crew_step(members: int, per_contract: float,
                                                per_crew: float) -> None:
    heads = []
    for pooled in ("contract", "crew"):
        shared = SharedProperty(contract_margin_rate=0.0, posts_pooled_per=pooled)
        c = _contract([10.0 * members], [members], shared=shared, management_hours=600.0)
        heads.append(c.headcount_fte_by_role["management"][0])
    assert heads == [per_contract, per_crew]


def test_contract_margin_travel_jobs_and_shared_call_outs() -> None:
    # Margin 10% of staff; travel 2.0 x (members - 1) x spread; per-use jobs summed;
    # call-outs x ceil(n / 3) / n.
    params = pf.default_parameters()
    bundle, member = np.array([0, 0, 1]), np.array([0, 1, 2])
    c = contract_costs(
        bundle, member, 2, standing_hours={"management": np.array([500.0, 500.0, 1000.0])},
        households=np.array([100.0, 100.0, 100.0]), x_m=np.array([0.0, 300.0, 0.0]),
        y_m=np.array([0.0, 400.0, 0.0]), fixed_fee_yuan=0.0, params=params,
        callout_yuan=np.array([90.0, 90.0, 90.0]), jobs_yuan=np.array([10.0, 20.0, 30.0]),
        shared=SharedProperty(contract_margin_rate=0.1, travel_yuan_per_m_year=2.0))
    # Bundle 0: 1,000 h = 0.5 post -> 28,710; margin 2,871; travel 2 x 1 x 500 = 1,000;
    # jobs 30; call-outs 180 x ceil(2 / 3) / 2 = 90. Bundle 1 alone: 28,710 + 2,871 + 0
    # + 30 + 90 x 1.
    assert c.staff_yuan.tolist() == [28710.0, 28710.0]
    assert c.margin_yuan.tolist() == pytest.approx([2871.0, 2871.0])
    assert c.spread_m.tolist() == [500.0, 0.0]
    assert c.travel_yuan.tolist() == [1000.0, 0.0]
    assert c.jobs_yuan.tolist() == [30.0, 30.0]
    assert c.callout_yuan.tolist() == [90.0, 90.0]
    assert c.total_yuan.tolist() == pytest.approx([32701.0, 31701.0])


@pytest.mark.parametrize(("members", "share"), [
    (1, 1.0), (2, 0.5), (3, 1 / 3),  # one trip
    (4, 0.5),                       # ceil(4 / 3) = 2 trips for 4 members
    (6, 1 / 3), (7, 3 / 7),          # 2 trips for 6; 3 for 7
])
def test_trip_share_at_and_past_three_members(members: int, share: float) -> None:
    assert trip_share(members, 3.0).tolist() == [pytest.approx(share, abs=1e-15)]
    # A member of a bundle with 2 members a trip: 3 members need 2 trips.
    assert trip_share(3, 2.0).tolist() == [pytest.approx(2 / 3)]


@pytest.mark.parametrize(("members", "callout"), [
    # Pest control call-outs of 4 buildings a compound: 4 x 80 x 0.7 = 224 a member, x
    # ceil(n / 3) / n: 3 members pay 74.67 each, 4 members 112 each.
    (3, 74.67), (4, 112.00),
])
def test_call_outs_shared_at_and_past_members_per_trip(members: int, callout: float) -> None:
    df = pd.DataFrame({"compound_id": [f"c{i}" for i in range(members)],
                       "households": [100] * members, "floor_area_m2": [10000.0] * members,
                       "build_year": [1990] * members, "buildings": [4] * members,
                       "zone": ["z"] * members})
    plan = pf.Plan(shared_property=default_plan().shared_property)
    lines = pf.evaluate_district(df, plan, contributions=False).lines
    got = lines[lines["line"] == "job_pest_control_callout"]["amount_yuan"].round(2).tolist()
    assert got == [callout] * members


def test_any_standing_role_makes_a_crew() -> None:
    # Only cleaning hours (the first role): still one crew and its fee.
    params = pf.default_parameters()
    c = contract_costs(np.array([0, 1]), np.array([0, 1]), 2,
                       standing_hours={"cleaning": np.array([400.0, 0.0])},
                       households=np.array([10.0, 10.0]), x_m=np.zeros(2), y_m=np.zeros(2),
                       fixed_fee_yuan=1000.0, shared=SharedProperty(), params=params)
    assert c.crews.tolist() == [1.0, 0.0]
    assert c.fixed_yuan.tolist() == [1000.0, 0.0]
    # 400 h = 0.2 -> 0.5 post x 38,520 = 19,260; margin 10% = 1,926.
    assert c.staff_yuan.tolist() == [19260.0, 0.0]
    assert c.total_yuan.tolist() == pytest.approx([19260.0 + 1926.0 + 1000.0, 0.0])


def test_an_empty_bundle_costs_nothing_when_posts_are_per_crew() -> None:
    params = pf.default_parameters()
    c = contract_costs(np.array([1]), np.array([0]), 2,
                       standing_hours={"management": np.array([600.0])},
                       households=np.array([10.0]), x_m=np.zeros(1), y_m=np.zeros(1),
                       fixed_fee_yuan=500.0,
                       shared=SharedProperty(posts_pooled_per="crew", contract_margin_rate=0.0),
                       params=params)
    assert c.crews.tolist() == [0.0, 1.0]
    assert c.headcount_fte_by_role["management"].tolist() == [0.0, 0.5]
    assert c.total_yuan.tolist() == [0.0, 28710.0 + 500.0]


def test_the_market_hiring_mode_prices_the_contract_staff() -> None:
    # Informal market hiring pays the 600 h of management worked at 3,500 x 12 / 2,000 =
    # 21 yuan: 12,600, no post, no on-costs (formal: a 0.5 post, 0.5 x 57,420 = 28,710).
    informal = pf.default_parameters().replace({"labour.market_hiring": "informal"})
    assert _contract([10.0], [1], management_hours=600.0).staff_yuan.tolist() == [28710.0]
    c = _contract([10.0], [1], management_hours=600.0, params=informal)
    assert c.staff_yuan.tolist() == pytest.approx([12600.0])
    assert c.headcount_fte_by_role["management"].tolist() == pytest.approx([0.3])


# --- income bands ------------------------------------------------------------------------


@pytest.mark.parametrize(("households", "parking", "lockers", "site", "chargers"), [
    # Whole units, rounded down: a locker per full 150 households (1,500 x 0.8 = 1,200
    # each); a site per full 100 households (2,000 x 0.5 = 1,000); a charger per full 10
    # spaces (600 x 0.5 x 0.7 = 210).
    (99, 9, 0.0, 0.0, 0.0),
    (100, 10, 0.0, 1000.0, 210.0),
    (149, 19, 0.0, 1000.0, 210.0),
    (150, 20, 1200.0, 1000.0, 420.0),
    (151, 21, 1200.0, 1000.0, 420.0),
    (299, 29, 1200.0, 2000.0, 420.0),
    (300, 30, 2400.0, 3000.0, 630.0),
])
def test_whole_income_units_per_band(households: int, parking: int, lockers: float,
                                     site: float, chargers: float) -> None:
    out = _run(_compound(households=households, parking_spaces=parking), default_plan())
    income = {k: round(float(v[0]), 2) for k, v in out.income_by_source.items()}
    assert (income["express_lockers"], income["site_fees"], income["ev_chargers"]) == (
        lockers, site, chargers)


# --- the pool ----------------------------------------------------------------------------


@pytest.mark.parametrize(("fee", "balance", "subsidy", "surplus", "non_negative"), [
    # The source's compound under the default plan: cash 57,847.11, income 9,980; a fee
    # of 47,867.11 collected leaves the pool at exactly 0.00: no deficit, no subsidy.
    (47867.11, 0.00, 0.00, 0.00, True),
    (47867.10, -0.01, 0.01, 0.00, False),  # one fen short: a subsidy of one fen
    (47867.12, 0.01, 0.00, 0.01, True),    # one fen over: kept in the pool
])
def test_pool_balance_of_exactly_zero_is_not_a_deficit(fee: float, balance: float,
                                                       subsidy: float, surplus: float,
                                                       non_negative: bool) -> None:
    compound = _source(fee_rate_yuan_per_m2_month=fee / 84000.0)  # 10,000 x 12 x 0.7
    r = pf.evaluate(compound, contributions=False)
    assert r.fee_collected_yuan == fee
    assert (r.pool_balance_yuan, r.street_subsidy_yuan, r.pool_surplus_yuan) == (
        balance, subsidy, surplus)
    # Street total 9,570 + subsidy; net public cost adds the 8,760.01 of capital.
    assert r.street_total_yuan == round(9570.00 + subsidy, 2)
    assert r.net_public_cost_yuan == round(9570.00 + 8760.01 + subsidy, 2)
    table = pf.validate_compounds(compound)
    budget = pf.evaluate_district(table, contributions=False).compounds
    assert bool(budget["pool_non_negative"].iloc[0]) is non_negative


# --- the street --------------------------------------------------------------------------


def test_two_street_items_on_the_same_work() -> None:
    # Management 100 / 700 x 2,000 = 285.714286 h. Item a offers 60% of it, 171.428572 h,
    # and gets it all: 30 x 100 households x 171.428572 / 171.428572 = 3,000. Item b offers
    # 60% too but only 285.714286 - 171.428572 = 114.285714 h are left: it costs 1,000 x
    # 114.285714 / 171.428572 = 666.67, not 1,000. Item c, priced per hour, finds nothing
    # left: 0. Waste 54.75 t: d takes half, 27.375 t x 120 = 3,285; e offers all of it but
    # gets the other 27.375 t: x 100 = 2,737.50, not 5,475.
    street = StreetFallback(items=(
        StreetItem(name="a", work="management", share=0.6, pricing="per_household",
                   price_yuan=30.0),
        StreetItem(name="b", work="management", share=0.6, pricing="per_compound",
                   price_yuan=1000.0),
        StreetItem(name="c", work="management", share=1.0, pricing="per_unit_of_work",
                   price_yuan=10.0),
        StreetItem(name="d", work="garbage", share=0.5, pricing="per_unit_of_work",
                   price_yuan=120.0),
        StreetItem(name="e", work="garbage", share=1.0, pricing="per_unit_of_work",
                   price_yuan=100.0),
    ))
    out = _run(_source(), pf.Plan(street_fallback=street))
    got = _amounts(out)
    assert [got[f"street_{k}"] for k in "abcde"] == [3000.00, 666.67, 0.00, 3285.00, 2737.50]
    assert round(float(out.ledger.supplied("street_fallback", "management")[0]), 6) == 285.714286
    assert out.ledger.supplied("market", "management")[0] == 0.0
    assert out.ledger.supplied("street_fallback", "garbage")[0] == 54.75
    assert got["market_garbage"] == 0.0
    # The street's services go to the street office, not the pool.
    specs = {s.code: s for s in out.lines}
    assert {specs[f"street_{k}"].payer for k in "abcde"} == {"street_office"}


# --- volunteers --------------------------------------------------------------------------


def _volunteers(hours_a_year: float, *tasks: VolunteerTask) -> pf.Plan:
    """Grade 3, one party member giving ``hours_a_year`` to the tasks; nothing else."""
    return pf.Plan(service_grade=3, self_governance=SelfGovernance(
        items=tasks, party_active_rate=1.0, party_hours_per_week=hours_a_year / 52,
        resident_active_rate=0.0))


@pytest.mark.parametrize(("hours", "supplied", "in_kind", "market_posts", "market_cleaning"), [
    # 13,000 m2 at grade 3: 2,000 h of cleaning; volunteers may take max_share 0.5 =
    # 1,000 h. The market buys the rest in posts of 0.5.
    (999.0, 999.0, 19780.20, 1.0, 38520.0),     # 999 x 19.8; 1,001 h left = 0.5005 -> 1.0
    (1000.0, 1000.0, 19800.00, 0.5, 19260.0),   # at the cap; 1,000 h = 0.5 post
    (1001.0, 1000.0, 19800.00, 0.5, 19260.0),   # capped: the 1 h more is added service
])
def test_volunteer_task_capped_by_its_max_share(hours: float, supplied: float, in_kind: float,
                                                market_posts: float,
                                                market_cleaning: float) -> None:
    plan = _volunteers(hours, VolunteerTask(name="sweeping", work="cleaning", share=1.0,
                                            max_share=0.5))
    compound = _compound(floor_area_m2=13000.0, party_members=1)
    out = _run(compound, plan)
    assert round(float(out.ledger.supplied("self_governance", "cleaning")[0]), 6) == supplied
    got = _amounts(out)
    assert got["volunteer_sweeping_time"] == in_kind
    assert out.details["market_heads:cleaning"].tolist() == [market_posts]
    assert got["market_cleaning"] == market_cleaning
    assert round(float(out.details["added_hours:sweeping"][0]), 6) == hours - supplied


@pytest.mark.parametrize(("hours", "in_kind", "left"), [
    # No cap: 2,000 h of cleaning needed; the volunteers' hours beyond it are not counted.
    (2000.0, 39600.00, 0.0),    # 2,000 x 19.8
    (2100.0, 39600.00, 0.0),    # capped at the demand
    (1900.0, 37620.00, 19260.00),  # 1,900 x 19.8; 100 h left -> a 0.5 post
])
def test_volunteer_supply_capped_at_the_demand(hours: float, in_kind: float,
                                               left: float) -> None:
    plan = _volunteers(hours, VolunteerTask(name="sweeping", work="cleaning", share=1.0))
    got = _amounts(_run(_compound(floor_area_m2=13000.0, party_members=1), plan))
    assert got["volunteer_sweeping_time"] == in_kind
    assert got["market_cleaning"] == left


def test_a_plans_own_shadow_wage_values_the_volunteer_hours() -> None:
    # 1,000 h of cleaning at the plan's 10 yuan an hour: 10,000 in kind (not 19.8 x 1,000).
    plan = _volunteers(1000.0, VolunteerTask(name="sweeping", work="cleaning", share=1.0))
    plan = plan.model_copy(update={"self_governance": plan.self_governance.model_copy(
        update={"shadow_wage_yuan_per_hour": 10.0})})
    got = _amounts(_run(_compound(floor_area_m2=13000.0, party_members=1), plan))
    assert got["volunteer_sweeping_time"] == 10000.00


def test_a_task_with_no_work_is_added_service_without_an_in_kind_line() -> None:
    # 2,000 volunteer hours: half to legal education (no work), half to cleaning (1,000 of
    # the 2,000 h needed): in kind 1,000 x 19.8 = 19,800 for cleaning only; the 1,000 h of
    # legal education are added service, with no money line and no materials.
    plan = _volunteers(
        2000.0,
        VolunteerTask(name="legal", work=None, share=0.5, materials_yuan_per_household_year=5.0),
        VolunteerTask(name="sweeping", work="cleaning", share=0.5))
    r = pf.evaluate(_compound(floor_area_m2=13000.0, party_members=1), plan,
                    contributions=False)
    got = _lines(r)
    assert got["volunteer_sweeping_time"] == 19800.00
    assert not [code for code in got if code.startswith("volunteer_legal")]
    assert r.by_payer["volunteers_in_kind"] == 19800.00
    assert (round(r.volunteer_hours, 6), round(r.volunteer_added_hours, 6)) == (2000.0, 1000.0)


# --- gates -------------------------------------------------------------------------------


def test_a_device_only_gate_is_kept_the_grades_hours() -> None:
    # Grade 4 keeps a gate 16 h: 5,840 h. Access control offering 8,760 h supplies the
    # 5,840 and remote help costs 1,200 x 5,840 / 5,840 = 1,200. The market baseline
    # (devices off) keeps the same 16 h with 2 guards.
    plan = pf.Plan(service_grade=4, gate_regime="device_only",
                   smart_devices=default_plan().smart_devices)
    out = _run(_compound(gates=1), plan)
    assert out.ledger.demand("gate").tolist() == [5840.0]
    assert out.ledger.supplied("smart_devices", "gate").tolist() == [5840.0]
    assert _amounts(out)["gate_remote_help"] == 1200.00
    off = _run(_compound(gates=1), plan, channels=())
    assert off.ledger.demand("gate").tolist() == [5840.0]
    assert _amounts(off)["market_gate"] == 2 * POST_YUAN["order"]
    # At grade 5 the devices keep the grade's live-in hours, 24 h: 8,760; without them a
    # live-in gatekeeper is bought, 1,900 x 12 = 22,800.
    g5 = plan.model_copy(update={"service_grade": 5})
    assert _run(_compound(gates=1), g5).ledger.demand("gate").tolist() == [8760.0]
    assert _amounts(_run(_compound(gates=1), g5, channels=()))["market_gate"] == 22800.00


def test_devices_short_of_the_gate_hours_leave_guards_to_buy() -> None:
    # A door supplying 4,380 h of a 16 h gate's 5,840: remote help for the hours it keeps,
    # 1,200 x 4,380 / 5,840 = 900; the other 1,460 h are half a guard, bought as 1 whole
    # guard (55,908).
    plan = _gate_plan(4380.0).model_copy(update={"service_grade": 4,
                                                 "gate_regime": "device_only"})
    got = _amounts(_run(_compound(gates=1), plan))
    assert got["gate_remote_help"] == 900.00
    assert got["market_gate"] == POST_YUAN["order"]


def test_a_staffed_24h_plan_keeps_24h_in_its_baseline() -> None:
    # The plan buys 24 h at grade 4: 8,760 h, and so does its market baseline: 3 guards.
    plan = pf.Plan(service_grade=4, gate_regime="staffed_24h")
    out = _run(_compound(gates=1), plan, channels=())
    assert out.ledger.demand("gate").tolist() == [8760.0]
    assert out.details["market_heads:order"].tolist() == [3.0]
    base = pf.market_baseline(_compound(gates=1), gate_regime="staffed_24h")
    assert base.headcount_fte["order"] == 3.0


@pytest.mark.parametrize(("grade", "gates", "pay"), [
    # A live-in gatekeeper a gate, hired by the residents: gate hours / (coverage x 365)
    # x 1,900 x 12 = 22,800 a gate, whether the grade keeps it 16 h (grade 4: 5,840 /
    # 5,840) or 24 h (grade 3: 8,760 / 8,760).
    (4, 1, 22800.00), (3, 1, 22800.00), (4, 2, 45600.00), (4, 0, 0.00),
])
def test_live_in_gatekeepers_one_a_gate(grade: int, gates: int, pay: float) -> None:
    plan = pf.Plan(service_grade=grade, gate_regime="live_in",
                   self_governance=SelfGovernance())
    out = _run(_compound(gates=gates), plan)
    got = _amounts(out)
    assert got["gate_live_in"] == pay
    assert got["market_gate"] == 0.0
    spec = next(s for s in out.lines if s.code == "gate_live_in")
    assert (spec.channel, spec.category, spec.payer, spec.kind, spec.work) == (
        "self_governance", "order", "fund_pool", "informal", "gate")
    # The residents' organisation off: the market keeps the grade's hours with guards.
    off = _amounts(_run(_compound(gates=gates), plan, channels=()))
    guards = {3: 3.0, 4: 2.0}[grade] * gates
    assert off["market_gate"] == guards * POST_YUAN["order"]


# --- the optimiser's viability ------------------------------------------------------------


def test_viability_threshold_is_half_a_fen() -> None:
    # "viable": -members x [deficit < 0.005] + tie_break x deficit / 10,000.
    deficits = np.array([0.0, 0.0049, 0.005, 0.0051, 1.0])
    game = SimpleNamespace(costs=lambda cand: np.full(len(cand), 7.0),
                           deficits=lambda cand, contract: deficits)
    candidates = np.array([[0, 1], [0, 1], [0, 1], [0, -1], [0, 1]])
    problem = BundlingProblem(objective="viable", tie_break=0.001)
    obj, contract, deficit = objective_values(game, candidates, problem)  # type: ignore[arg-type]
    tie = 0.001 * deficits / 10000.0
    assert obj.tolist() == pytest.approx((np.array([-2, -2, 0, 0, 0]) + tie).tolist(),
                                         abs=1e-15)
    assert contract.tolist() == [7.0] * 5
    assert deficit.tolist() == deficits.tolist()


# --- fen arithmetic at its edges -----------------------------------------------------


def _exact(message: str) -> str:
    return f"^{re.escape(message)}$"


@pytest.mark.parametrize(
    ("total", "weights", "keys", "message"),
    [
        (100, [1, 1], ["a"], "weights and keys must be one-dimensional and of equal length"),
        (100, [1, 1], ["a", "a"], "keys must be unique to break ties deterministically"),
        (1, [], [], "cannot split a non-zero amount among no parties"),
        (-1, [], [], "cannot split a non-zero amount among no parties"),
        (1, [0, 0], ["a", "b"], "all weights are zero: the amount cannot be split"),
    ],
)
def test_allocate_fen_messages_in_full(total: int, weights: list[int], keys: list[str],
                                       message: str) -> None:
    with pytest.raises(ValueError, match=_exact(message)):
        allocate_fen(total, weights, keys)


def test_yuan_to_fen_message_in_full() -> None:
    with pytest.raises(ValueError,
                       match=_exact("cannot round a NaN or infinite amount to the fen")):
        yuan_to_fen([1.0, np.inf])


def test_empty_and_zero_splits_are_whole_fen() -> None:
    empty = allocate_fen(0, [], [])
    assert empty.dtype == np.int64
    assert empty.shape == (0,)
    zeros = allocate_fen(0, [0, 0, 0], ["a", "b", "c"])
    assert zeros.dtype == np.int64
    assert zeros.tolist() == [0, 0, 0]
    # 0 fen by positive weights: nothing to anyone, never -0 or a float.
    none = allocate_fen(0, [1, 2], ["a", "b"])
    assert none.dtype == np.int64
    assert none.tolist() == [0, 0]


def test_types_and_shapes_of_the_conversions() -> None:
    fen = yuan_to_fen(np.array([[1.005, -2.675], [0.0, 3.0]]))
    # Half away from zero, in the input's shape: 100.5 -> 101, -267.5 -> -268.
    assert fen.dtype == np.int64
    assert fen.tolist() == [[101, -268], [0, 300]]
    assert yuan_to_fen(2.5).shape == ()
    assert int(yuan_to_fen(2.5)) == 250
    assert yuan_to_fen([0.004, 0.005, -0.005]).tolist() == [0, 1, -1]
    y = fen_to_yuan(np.array([1, 250, -3], dtype=np.int32))
    assert y.dtype == np.float64
    assert y.tolist() == [0.01, 2.5, -0.03]
    # Whole-fen floats are read as fen, not truncated as something else.
    assert fen_to_yuan([199.0]).tolist() == [1.99]


def test_allocate_returns_int64_for_integer_weights() -> None:
    # 7 fen by 1 : 1 : 1 (integer weights): 3, 2, 2 (the leftover fen to "a").
    got = allocate_fen(7, np.array([1, 1, 1], dtype=np.int64), ["a", "b", "c"])
    assert got.dtype == np.int64
    assert got.tolist() == [3, 2, 2]


def test_grouped_split_uses_the_keys_to_break_ties() -> None:
    # Two groups of 3 equal weights, 100 fen each: the leftover fen to the smallest key
    # of each group, wherever it stands.
    got = allocate_fen_grouped([100, 100], [0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1],
                               ["c", "a", "b", "f", "e", "d"])
    assert got.tolist() == [33, 34, 33, 33, 33, 34]


@pytest.mark.parametrize("size", [3, 9])  # narrow groups compare neighbours; wide ones sort
def test_group_layout_negative_and_mixed_totals(size: int) -> None:
    keys = [f"k{i:02d}" for i in range(2 * size)]
    layout = GroupLayout(np.repeat([0, 1], size), keys, 2)
    w = np.ones(2 * size)
    got = layout.allocate(np.array([[-100, 100], [0, 7]]), np.stack([w, w]))
    assert got.dtype == np.int64
    q, r = divmod(100, size)
    first = [-(q + 1)] * r + [-q] * (size - r)
    second = [q + 1] * r + [q] * (size - r)
    q7, r7 = divmod(7, size)
    assert got[0].tolist() == first + second
    assert got[1].tolist() == [0] * size + [q7 + 1] * r7 + [q7] * (size - r7)
    assert layout.allocate(np.array([5, -5]), w).tolist() == (
        [1] * 5 + [0] * (size - 5) + [-1] * 5 + [0] * (size - 5)
        if size > 5 else [2, 2, 1, -2, -2, -1])


def test_group_layout_refuses_a_total_without_weights() -> None:
    layout = GroupLayout([0, 0, 1], ["a", "b", "c"], 2)
    with pytest.raises(ValueError, match=_exact(
            "groups [1] have a non-zero total but all-zero weights")):
        layout.allocate([10, 5], [1.0, 1.0, 0.0])
    with pytest.raises(ValueError, match=_exact("weights must be finite and non-negative")):
        layout.allocate([10, 5], [1.0, -1.0, 1.0])


def test_only_the_ratios_of_whole_weights_matter_to_a_split() -> None:
    # 3 fen by 1 : 2 : 3: quotas 0.5, 1.0, 1.5; the floors 0 + 1 + 1 leave one fen for the
    # larger remainder, a tie of 0.5 between a and c, to the smaller key a: [1, 1, 1].
    # Whole weights (fen, households) are used exactly, so any multiple splits the same.
    assert allocate_fen(3, [1, 2, 3], ["a", "b", "c"]).tolist() == [1, 1, 1]
    assert allocate_fen(3, [10, 20, 30], ["a", "b", "c"]).tolist() == [1, 1, 1]
    assert allocate_fen(3, [1_000_001, 2_000_002, 3_000_003], ["a", "b", "c"]).tolist() == [
        1, 1, 1]
    # Decimal weights are binary numbers: 0.1 : 0.2 : 0.3 is not 1 : 2 : 3 there (as the
    # docstring says), and the split follows the binary values.
    assert sum(allocate_fen(3, [0.1, 0.2, 0.3], ["a", "b", "c"]).tolist()) == 3


# Three compounds of 54, 153 and 161 households (50 m2 each, built 2000, no gate) in one
# zone; the contract staffs management and cleaning at grade 3 with a 10% margin:
#   management hh / 650 x 2,000 h = 166.153846 / 470.769231 / 495.384615 h, 0.566 post
#     -> 1.0 post = 5,742,000 fen split by that gross demand: quotas 842,576.09 /
#     2,387,298.91 / 2,512,125.00 (2,512,124.9987); floors leave 2 fen, to c and b:
#     842,576 / 2,387,299 / 2,512,125
#   cleaning 2,700 / 7,650 / 8,050 m2 / 13,000 x 2,000 = 415.384615 / 1,176.923077 /
#     1,238.461538 h, 1.415 posts -> 1.5 = 5,778,000 fen: quotas 847,858.70 /
#     2,402,266.31 / 2,527,875.00 (2,527,874.9997); 2 fen to c and a: 847,859 /
#     2,402,266 / 2,527,875
#   staff shares 1,690,435 / 4,789,565 / 5,040,000 fen (115,200.00 yuan)
#   margin 10% = 1,152,000 fen by staff share: quotas 169,043.5 / 478,956.5 / 504,000;
#     one fen left, a tie of 0.5 between a and b, to the smaller id a:
#     1,690.44 / 4,789.56 / 5,040.00 yuan.
TIE = pd.DataFrame({"compound_id": ["a", "b", "c"], "households": [54, 153, 161],
                    "floor_area_m2": [2700.0, 7650.0, 8050.0], "build_year": [2000] * 3,
                    "gates": [0] * 3, "zone": ["z"] * 3})
TIE_PLAN = pf.Plan(service_grade=3, shared_property=SharedProperty(
    bundle_by="zone", standing_work=("management", "cleaning"), contract_margin_rate=0.1))


def _tie_lines() -> dict[str, list[float]]:
    lines = pf.evaluate_district(TIE, TIE_PLAN, contributions=False).lines
    return {str(code): group["amount_yuan"].round(2).tolist()
            for code, group in lines.groupby("line", observed=True)}


def test_contract_staff_split_by_gross_demand_in_whole_fen() -> None:
    got = _tie_lines()
    assert got["contract_staff_management"] == [8425.76, 23872.99, 25121.25]
    assert got["contract_staff_cleaning"] == [8478.59, 24022.66, 25278.75]


def test_contract_margin_tie_goes_to_the_smaller_id() -> None:
    assert _tie_lines()["contract_margin"] == [1690.44, 4789.56, 5040.00]


# --- parameters at the minimum wage -----------------------------------------------------


@pytest.mark.parametrize("path", ["staffing.cleaning.monthly_wage_yuan",
                                  "gates.live_in_monthly_pay_yuan"])
def test_pay_at_the_monthly_minimum_is_accepted_and_below_it_refused(path: str) -> None:
    # The monthly minimum is 1,880 yuan in 2024: 1,880 is legal, 1,879.99 is not.
    p = pf.default_parameters()
    at = p.replace({path: 1880.0})
    if path.startswith("gates"):
        # A live-in gatekeeper at the minimum: 1,880 x 12 = 22,560 a gate (grade 5).
        base = pf.market_baseline(_compound(gates=1), at, grade=5)
        assert {x.code: x.amount_yuan for x in base.lines}["market_gate"] == 22560.00
    else:
        # 1,880 x 12 / 2,000 = 11.28 yuan an hour: the informal rate is still the 19.8 floor.
        assert informal_rate_yuan_per_hour("cleaning", at) == 19.8
    with pytest.raises(pf.ParameterError, match=r"below the minimum wage 1880\.0"):
        p.replace({path: 1879.99})


def test_device_capital_paid_by_the_pool_is_cash_not_public_money() -> None:
    # Smart parking bought by the pool: 15,000 x crf(4%, 8 y) = 2,227.92 a year in the
    # pool's cash; the renovation programme pays nothing for it.
    devices = SmartDevices(items=(Device(
        name="parking", basis="parking_gate", units_per_basis=1.0,
        capital_cost_yuan_per_unit=15000.0, service_life_years=8.0,
        capital_funder="fund_pool"),))
    r = pf.evaluate(_compound(gates=1, parking_spaces=10), pf.Plan(smart_devices=devices),
                    contributions=False)
    line = next(x for x in r.lines if x.line == "device_parking_capital")
    assert (line.payer, line.kind, line.amount_yuan) == ("fund_pool", "capital", 2227.92)
    assert r.by_payer["renovation_programme"] == 0.0
    without = pf.evaluate(_compound(gates=1, parking_spaces=10), pf.Plan(), contributions=False)
    assert round(r.compound_cash_cost_yuan - without.compound_cash_cost_yuan, 2) == 2227.92


# --- bases and device terms at their edges -------------------------------------------


def test_every_basis_counted_by_hand() -> None:
    # 96 households, 7,200 m2, 4 stairwell units of 6 storeys, 800 m2 green, 3 gates,
    # 5 buildings, 12 parking spaces, 2 lifts, 1 water tank; 40 m2 a tree, 12 m of pipe a
    # unit-storey, 0.15 m2 of road a m2 of floor.
    from propfee.quantities import BASES, basis_quantity

    t = pf.validate_compounds(pf.Compound(
        compound_id="a", households=96, floor_area_m2=7200.0, build_year=1990,
        stairwell_units=4, storeys=6, green_area_m2=800.0, gates=3, buildings=5,
        parking_spaces=12, lifts=2, water_tanks=1))
    p = pf.default_parameters()
    want = {
        "compound": 1.0, "household": 96.0, "gate": 3.0, "building": 5.0,
        "stairwell_unit": 4.0, "parking_space": 12.0, "lift": 2.0, "water_tank": 1.0,
        "parking_gate": 3.0,              # the gates of a compound with parking
        "floor_10000_m2": 0.72,          # 7,200 / 10,000
        "green_m2": 800.0, "tree": 20.0,  # 800 / 40
        "pipe_m": 288.0,                  # 4 x 6 x 12
        "roof_m2": 1200.0,                # 7,200 / 6
        "road_m2": 1080.0,                # 7,200 x 0.15
    }
    got = {b: basis_quantity(t, b, p) for b in want}
    assert {b: float(v[0]) for b, v in got.items()} == pytest.approx(want)
    assert all(v.dtype == np.float64 for v in got.values())
    assert set(BASES) == set(want)
    # Without parking spaces a compound has no parking gate.
    bare = pf.validate_compounds(pf.Compound(compound_id="b", households=1, floor_area_m2=1.0,
                                             build_year=1990, gates=2))
    assert basis_quantity(bare, "parking_gate", p).tolist() == [0.0]
    with pytest.raises(ValueError, match=r"^unknown basis 'parsec'"):
        basis_quantity(t, "parsec", p)


def test_capital_recovery_without_discounting_is_one_over_the_life() -> None:
    from propfee.channels.devices import capital_recovery_factor

    # r = 0: 1 / n (8 years: 0.125; 5 years: 0.2), no 0 / 0 warning; r = 5%, 6 years:
    # 0.05 x 1.05^6 / (1.05^6 - 1) = 0.19702; 4%, 8 years: 0.148527832.
    got = capital_recovery_factor(np.array([0.0, 0.0, 0.05, 0.04]),
                                  np.array([8.0, 5.0, 6.0, 8.0]))
    assert got.tolist() == pytest.approx([0.125, 0.2, 0.05 * 1.05**6 / (1.05**6 - 1),
                                          0.148527832], abs=1e-9)
    assert capital_recovery_factor(0, 4).tolist() == [0.25]


def test_spread_of_members_without_a_location_is_zero() -> None:
    from propfee.channels.contract import spread_m

    nan = np.nan
    got = spread_m(np.array([0, 0, 1, 1, 2]), np.array([nan, nan, 0.0, nan, 3.0]),
                   np.array([nan, nan, 0.0, nan, 4.0]), 4)
    # Bundle 0: no located member; bundle 1: one located member; bundle 2: one member;
    # bundle 3: empty.
    assert got.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_roles_of_the_staff() -> None:
    assert ROLES == ("cleaning", "order", "patrol", "greening", "management")
