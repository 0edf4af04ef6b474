"""The 4+1 budget: hand-computed channels, who pays, conservation of money and work, one
engine, properties, bad input."""

from __future__ import annotations

import importlib
import os
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import propfee as pf
from propfee.budget import (
    CREDIT_CHANNELS,
    budget_arrays,
    group_sums,
    group_sums_by,
    shapley_fen,
)
from propfee.budget.columns import SUPPLIERS
from propfee.budget.evaluate import _district_budget, chunks
from propfee.channels import (
    PAYERS,
    Bundle,
    Device,
    IncomeSource,
    JobTerms,
    PublicIncome,
    SelfGovernance,
    SharedProperty,
    SmartDevices,
    StreetFallback,
    StreetItem,
    VolunteerTask,
    capital_recovery_factor,
)
from propfee.channels.common import LineSpec
from propfee.errors import InputError
from propfee.money import ROUND_BLOCK, yuan_to_fen
from propfee.params.values import numeric_paths
from propfee.payers import WHO_PAYS, who_pays
from propfee.plan import Plan, default_plan, resolve_plan
from propfee.work.categories import HOUR_CATEGORIES
from propfee.work.ledger import to_micro

from .conftest import BARE, POST_YUAN, districts

evaluate_module = importlib.import_module("propfee.budget.evaluate")
"""The module of the entry points (``propfee.budget.evaluate`` is also the function)."""


def _with(**sections: Any) -> Plan:
    return BARE.model_copy(update=sections)


def _compound(**changes: Any) -> pf.Compound:
    base: dict[str, Any] = {
        "compound_id": "k", "households": 100, "floor_area_m2": 10000.0, "build_year": 1990,
        "green_area_m2": 1000.0, "gates": 1, "buildings": 2, "parking_spaces": 20,
    }
    return pf.Compound(**{**base, **changes})


def _lines(result: pf.BudgetResult) -> dict[str, float]:
    return {line.line: line.amount_yuan for line in result.lines}


def _supplied(result: pf.BudgetResult, category: str) -> dict[str, float]:
    return next(w.supplied for w in result.work if w.category == category)


def _fen(s: pd.Series) -> np.ndarray:
    return yuan_to_fen(s.to_numpy())


def _alone(plan: Plan) -> Plan:
    return plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "none"})})


GATE_DEVICE = Device(name="access_control", basis="gate", units_per_basis=1.0,
                     capital_cost_yuan_per_unit=30000.0, service_life_years=8.0,
                     running_cost_yuan_per_unit_year=1200.0, work="gate",
                     work_per_unit_year=5840.0)
"""Access control that keeps 5,840 gate hours a gate a year: two guards of 2,920 h."""


def test_bare_plan_staffs_the_stand_alone_headcount() -> None:
    """Every kind of hour work a standing post of the contract, at cost: the stand-alone
    market company's headcount at the same grade.

    Grade 3 demand (100 households, 10,000 m2, 1,000 m2 green, 1 gate, 2 buildings):
      cleaning   10,000 / 13,000 x 2,000 = 1,538.46 h = 0.77 -> 1.0 post   x 38,520 = 38,520
      greening   1,000 / 17,500 x 2,000  = 114.29 h   = 0.06 -> 0.5 post   x 38,520 = 19,260
      management 100 / 650 x 2,000       = 307.69 h   = 0.15 -> 0.5 post   x 57,420 = 28,710
      gate       24 x 365 = 8,760 h / 2,920 h        = 3 guards            x 55,908 = 167,724
      patrol     2 x 0.3 x 365 = 219 h / 2,920 = 0.075 (by the hour, step 0) x 55,908 = 4,193.10
    """
    c = _compound()
    r = pf.evaluate(c, BARE)
    lines = _lines(r)
    assert lines["contract_staff_cleaning"] == 38520.0
    assert lines["contract_staff_greening"] == 19260.0
    assert lines["contract_staff_management"] == 28710.0
    assert lines["contract_staff_gate"] == 167724.0
    assert lines["contract_staff_patrol"] == 4193.1
    assert lines["contract_margin"] == 0.0
    assert lines["contract_fixed_fee"] == 0.0
    assert lines["contract_travel"] == 0.0
    # The contract supplies every hour of that work; the market none of it.
    for category, hours in (("cleaning", 1538.461538), ("greening", 114.285714),
                            ("management", 307.692308), ("gate", 8760.0), ("patrol", 219.0)):
        assert _supplied(r, category)["shared_property"] == hours
        assert _supplied(r, category)["market"] == 0.0
        assert lines[f"market_{category}"] == 0.0
    # The same posts as the stand-alone market company at the plan's grade.
    base = pf.market_baseline(c, grade=3)
    assert base.headcount_fte == {"cleaning": 1.0, "order": 3.0, "patrol": 0.075,
                                  "greening": 0.5, "management": 0.5}
    base_lines = {x.code: x.amount_yuan for x in base.lines}
    role = {"cleaning": "cleaning", "greening": "greening", "management": "management",
            "gate": "order", "patrol": "patrol"}
    for work in HOUR_CATEGORIES:
        assert lines[f"contract_staff_{work}"] == base_lines[f"market_{work}"]
        assert lines[f"contract_staff_{work}"] == pytest.approx(
            POST_YUAN[role[work]] * base.headcount_fte[role[work]], abs=0.005)
    # The contract at cost saves the market company's markup on the same staff:
    # depreciation 800 x 5.075 heads = 4,060; overhead 5% of (258,407.10 + 4,060) =
    # 13,123.36; margin 8% of 275,590.46 = 22,047.24; VAT 6% of 297,637.69 = 17,858.26;
    # surcharges 12% of the VAT = 2,142.99: 59,231.85 in all.
    markup = ("market_depreciation", "market_overhead", "market_margin", "market_vat",
              "market_surcharges")
    assert [base_lines[k] for k in markup] == [4060.0, 13123.36, 22047.24, 17858.26, 2142.99]
    assert r.market_baseline_cost_yuan == base.total_annual_cost_yuan
    assert r.saving_vs_market_baseline_yuan == 59231.85
    assert r.contributions["shared_property"] == 59231.85


def test_smart_devices_annualised_capital_and_the_gate_hours_they_keep() -> None:
    plan = _with(smart_devices=SmartDevices(items=(GATE_DEVICE,), discount_rate=0.04))
    r = pf.evaluate(_compound(), plan)
    lines = _lines(r)
    # crf(4%, 8 y) = 0.04 x 1.04^8 / (1.04^8 - 1) = 0.04 x 1.368569 / 0.368569 = 0.148528
    crf = 0.04 * 1.04**8 / (1.04**8 - 1)
    assert capital_recovery_factor(0.04, 8)[0] == pytest.approx(crf)
    assert lines["device_access_control_capital"] == round(30000 * crf, 2) == 4455.83
    assert lines["device_access_control_running"] == 1200.0
    # The device keeps 5,840 of the gate's 8,760 hours; 2,920 h left: 1 guard x 55,908
    # (was 3 x 55,908 = 167,724).
    assert _supplied(r, "gate") == {"street_fallback": 0.0, "smart_devices": 5840.0,
                                    "self_governance": 0.0, "shared_property": 2920.0,
                                    "market": 0.0}
    assert lines["contract_staff_gate"] == 55908.0
    assert "gate_remote_help" not in lines  # gates staffed: no remote help
    line = next(x for x in r.lines if x.line == "device_access_control_capital")
    assert (line.channel, line.category, line.payer, line.kind, line.work) == (
        "smart_devices", "depreciation", "renovation_programme", "capital", "gate")
    assert r.by_payer["renovation_programme"] == 4455.83
    # Capital paid by the pool instead: the same amount, the fund pool's.
    own = plan.model_copy(update={"smart_devices": SmartDevices(items=(
        GATE_DEVICE.model_copy(update={"capital_funder": "fund_pool"}),))})
    mine = pf.evaluate(_compound(), own)
    assert mine.by_payer["renovation_programme"] == 0.0
    assert mine.compound_cash_cost_yuan == pytest.approx(r.compound_cash_cost_yuan + 4455.83)


@pytest.mark.parametrize(
    ("party_hours", "share", "staff_cleaning", "in_kind", "materials", "added"),
    [
        # 10 party members x 0.5 active x 2 h + 100 households x 0.05 active x 2 h
        # = 10 + 10 = 20 h a week x 52 = 1,040 h a year, all on cleaning: of the 13,000 /
        # 13,000 x 2,000 = 2,000 h of demand, 960 h left = 0.48 -> 0.5 post (half posts)
        # x 38,520 = 19,260; in kind 1,040 h x 19.8 = 20,592; materials 1.5 x 100 = 150.
        (2.0, 1.0, 19260.0, 20592.0, 150.0, 0.0),
        # Half the hours on cleaning: 520 h; 1,480 h left = 0.74 -> 1.0 post = 38,520;
        # in kind 520 x 19.8 = 10,296; materials 150 (all the task's hours supply work).
        (2.0, 0.5, 38520.0, 10296.0, 150.0, 0.0),
        # More than the need: (10 x 0.5 x 10 + 10) = 60 h a week x 52 = 3,120 h offered,
        # 2,000 needed: nothing left to staff; only the 2,000 h that supply work count in
        # kind, 2,000 x 19.8 = 39,600; materials for those hours only, 150 x 2,000 /
        # 3,120 = 96.15; the other 1,120 h are added service, no money.
        (10.0, 1.0, 0.0, 39600.0, 96.15, 1120.0),
    ],
)
def test_volunteer_supply_and_cap(party_hours, share, staff_cleaning, in_kind, materials,
                                  added) -> None:
    task = VolunteerTask(name="in_building_cleaning", work="cleaning", share=share,
                         materials_yuan_per_household_year=1.5)
    sg = SelfGovernance(items=(task,), party_active_rate=0.5, party_hours_per_week=party_hours,
                        resident_active_rate=0.05, resident_hours_per_week=2.0)
    r = pf.evaluate(_compound(floor_area_m2=13000.0, party_members=10), _with(self_governance=sg))
    lines = _lines(r)
    assert lines["contract_staff_cleaning"] == staff_cleaning
    assert lines["volunteer_in_building_cleaning_time"] == in_kind
    assert lines["volunteer_in_building_cleaning_materials"] == materials
    assert r.by_payer["volunteers_in_kind"] == in_kind
    assert _supplied(r, "cleaning")["self_governance"] == pytest.approx(in_kind / 19.8)
    assert r.volunteer_added_hours == pytest.approx(added)
    line = next(x for x in r.lines if x.line == "volunteer_in_building_cleaning_materials")
    assert (line.channel, line.category, line.payer, line.kind) == (
        "self_governance", "cleaning", "fund_pool", "running")


def test_volunteer_party_members_default_from_households() -> None:
    # No party-member count: 100 households x 0.18 = 18 party members. Default rates:
    # (18 x 0.233 x 2 + 100 x 0.02 x 2) x 52 = (8.388 + 4) x 52 = 644.176 h a year of
    # cleaning; 2,000 - 644.176 = 1,355.8 h = 0.68 -> 1.0 post = 38,520; in kind
    # 644.176 x 19.8 (hourly minimum wage, 2021-10-01) = 12,754.6848 -> 12,754.68.
    task = VolunteerTask(name="in_building_cleaning", work="cleaning", share=1.0)
    r = pf.evaluate(_compound(floor_area_m2=13000.0),
                    _with(self_governance=SelfGovernance(items=(task,))))
    lines = _lines(r)
    assert lines["volunteer_in_building_cleaning_time"] == 12754.68
    assert lines["contract_staff_cleaning"] == 38520.0
    assert r.volunteer_hours == pytest.approx(644.176)
    # A shadow wage of the plan's own values the same hours at 30 yuan: 19,325.28.
    dear = SelfGovernance(items=(task,), shadow_wage_yuan_per_hour=30.0)
    assert _lines(pf.evaluate(_compound(floor_area_m2=13000.0), _with(self_governance=dear)))[
        "volunteer_in_building_cleaning_time"] == 19325.28


def test_volunteer_gate_hours_count_in_guard_posts() -> None:
    # 20 party members x 0.5 active x 10 h = 100 h a week x 52 = 5,200 h a year at the
    # gate. A guard works 2,920 h: of the 8,760 h of a 24 h gate, 3,560 h are left =
    # 1.219 guards -> 2 guards x 55,908 = 111,816. (Counted in 2,000 h posts it would
    # be 1.78 and still 2, but 5,200 / 2,000 = 2.6 guards taken would leave 1.) In kind
    # 5,200 x 19.8 = 102,960 (below the need: not capped).
    sg = SelfGovernance(items=(VolunteerTask(name="gate_watch", work="gate", share=1.0),),
                        party_active_rate=0.5, party_hours_per_week=10.0,
                        resident_active_rate=0.0)
    r = pf.evaluate(_compound(party_members=20), _with(self_governance=sg))
    lines = _lines(r)
    assert lines["contract_staff_gate"] == 111816.0
    assert lines["volunteer_gate_watch_time"] == 102960.0
    assert _supplied(r, "gate")["self_governance"] == 5200.0
    assert _supplied(r, "gate")["shared_property"] == 3560.0


@pytest.mark.parametrize(
    ("cap", "uses", "job", "callout"),
    [
        # 2 buildings x 0.5 uses a building a year x min(1 + 0.04 x 34, 2.0) = 2 x 0.5 x 2.0
        # = 2 uses (1 + 0.04 x 34 = 2.36, capped at 2.0): job 2 x 300 x (1 - 0.3) = 420;
        # one use a visit: 2 visits x 100 x 0.7 = 140 (alone: one trip for its one member).
        (2.0, 2.0, 420.0, 140.0),
        # Cap 3 (the catalogue's) does not bind: 2 x 0.5 x 2.36 = 2.36 uses: 2.36 x 210 =
        # 495.60; 2.36 x 70 = 165.20.
        (3.0, 2.36, 495.6, 165.2),
    ],
)
def test_per_use_job_with_discount_and_age_cap(cap, uses, job, callout) -> None:
    params = pf.default_parameters().replace({"jobs.pipe_dredging.age_factor_cap": cap})
    plan = _with(shared_property=BARE.shared_property.model_copy(
        update={"items": (JobTerms(name="pipe_dredging", discount_rate=0.3),)}))
    r = pf.evaluate(_compound(), plan, params)
    lines = _lines(r)
    assert lines["job_pipe_dredging"] == job
    assert lines["job_pipe_dredging_callout"] == callout
    assert _supplied(r, "pipe_dredging")["shared_property"] == uses
    assert lines["market_job_pipe_dredging"] == 0.0  # the market buys none of it
    line = next(x for x in r.lines if x.line == "job_pipe_dredging")
    assert (line.channel, line.category, line.payer, line.kind, line.work) == (
        "shared_property", "upkeep", "fund_pool", "per_use", "pipe_dredging")
    # The market baseline buys the same uses at market price, a trip a visit:
    # cap 2: 2 x 300 = 600 and 2 x 100 = 200; cap 3: 708 and 236.
    base = pf.market_baseline(_compound(), params, grade=3)
    base_lines = {x.code: x.amount_yuan for x in base.lines}
    assert base_lines["market_job_pipe_dredging"] == pytest.approx(uses * 300.0)
    assert base_lines["market_job_pipe_dredging_callout"] == pytest.approx(uses * 100.0)
    assert r.market_baseline_cost_yuan == base.total_annual_cost_yuan
    # The contract's credit is the market markup on the staff (59,231.85, as in the bare
    # plan) plus the 30% discount on the job: 0.3 x (600 + 200) = 240, 0.3 x 944 = 283.20.
    assert r.contributions["shared_property"] == pytest.approx(
        59231.85 + 0.3 * uses * 400.0, abs=0.005)


def _trees() -> pd.DataFrame:
    # Four compounds of 2,000 m2 green = 50 trees each (40 m2 a tree).
    return pd.DataFrame({
        "compound_id": ["a", "b", "c", "d"], "households": [50] * 4,
        "floor_area_m2": [4000.0] * 4, "build_year": [1990] * 4, "green_area_m2": [2000.0] * 4,
    })


@pytest.mark.parametrize(("members_per_trip", "members", "shared_callout"), [
    # 50 trees x 0.5 prunings a year = 25 uses; 20 uses a visit: 1.25 visits; call-outs
    # of one compound 1.25 x 150 x (1 - 0.3) = 131.25 a year.
    # Three members, a trip serves three: ceil(3 / 3) = 1 trip a round, 131.25 / 3 = 43.75.
    (3.0, "abc", 43.75),
    # A trip serves two: ceil(3 / 2) = 2 trips a round for three: 131.25 x 2 / 3 = 87.50.
    (2.0, "abc", 87.5),
    # Four members, three a trip: ceil(4 / 3) = 2 trips: 131.25 x 2 / 4 = 65.625 -> 65.63.
    (3.0, "abcd", 65.63),
])
def test_bundle_shares_call_outs_by_trips(members_per_trip, members, shared_callout) -> None:
    params = pf.default_parameters().replace({"contracts.members_per_trip": members_per_trip})
    plan = Plan(service_grade=3, shared_property=SharedProperty(
        bundle_by="explicit", bundles=(Bundle(bundle_id="B", members=tuple(members)),),
        items=(JobTerms(name="tree_pruning", discount_rate=0.3),)))
    out = pf.evaluate_district(_trees(), plan, params)
    lines = out.lines.set_index(["compound_id", "line"])["amount_yuan"]
    # The job itself is not shared: 25 x 60 x 0.7 = 1,050 each.
    assert [lines[(k, "job_tree_pruning")] for k in "abcd"] == [1050.0] * 4
    # A compound outside the bundle pays its own call-outs, 131.25.
    assert [lines[(k, "job_tree_pruning_callout")] for k in "abcd"] == [
        shared_callout if k in members else 131.25 for k in "abcd"]
    # The market baseline pays market prices, a trip a visit: 25 x 60 = 1,500 and
    # 1.25 x 150 = 187.50, for every compound.
    base = pf.market_baseline_district(_trees(), params, grade=3)
    assert base["market_job_tree_pruning_yuan"].tolist() == [1500.0] * 4
    assert base["market_job_tree_pruning_callout_yuan"].tolist() == [187.5] * 4
    np.testing.assert_array_equal(out.compounds["market_baseline_cost_yuan"],
                                  base["total_annual_cost_yuan"])


STREET_ITEMS = (
    StreetItem(name="garbage_removal", work="garbage", pricing="per_unit_of_work",
               price_yuan=100.0, category="cleaning"),
    StreetItem(name="sweeping", work="cleaning", share=0.5, pricing="per_compound",
               price_yuan=5000.0, category="cleaning"),
    StreetItem(name="sweeping_more", work="cleaning", share=0.8, pricing="per_household",
               price_yuan=30.0, category="cleaning"),
)


def test_street_items_supply_work_and_cost_what_they_supply() -> None:
    """140 households, 13,000 m2 at grade 3 (2,000 h of cleaning):

    - garbage: 140 x 1.5 kg x 365 / 1,000 = 76.65 t x 100 yuan = 7,665;
    - sweeping: half the cleaning, 1,000 h, 5,000 a compound;
    - sweeping_more offers 0.8 x 2,000 = 1,600 h but finds 1,000 h left: it costs
      30 x 140 = 4,200 x 1,000 / 1,600 = 2,625 (what it supplies);
    nothing is left for the contract's cleaners; the street pays 15,290.
    """
    c = _compound(households=140, floor_area_m2=13000.0)
    r = pf.evaluate(c, _with(street_fallback=StreetFallback(items=STREET_ITEMS)))
    lines = _lines(r)
    assert lines["street_garbage_removal"] == 7665.0
    assert lines["street_sweeping"] == 5000.0
    assert lines["street_sweeping_more"] == 2625.0
    assert lines["contract_staff_cleaning"] == 0.0
    assert lines["market_garbage"] == 0.0
    assert _supplied(r, "garbage")["street_fallback"] == 76.65
    assert _supplied(r, "cleaning")["street_fallback"] == 2000.0
    assert r.by_payer["street_office"] == 15290.0
    assert r.street_total_yuan == pytest.approx(15290.0 + r.street_subsidy_yuan)
    line = next(x for x in r.lines if x.line == "street_garbage_removal")
    assert (line.channel, line.category, line.payer, line.kind, line.work) == (
        "street_fallback", "cleaning", "street_office", "service", "garbage")


def test_street_off_the_market_buys_its_work() -> None:
    # Street channel off: the street supplies nothing and makes no line; the market buys
    # the 76.65 t at 120 yuan = 9,198 from the pool; the contract staffs all 2,000 h of
    # cleaning: 1.0 post = 38,520.
    c = _compound(households=140, floor_area_m2=13000.0)
    plan = _with(street_fallback=StreetFallback(items=STREET_ITEMS))
    table = pf.validate_compounds(c)
    off = budget_arrays(table, resolve_plan(plan, table), pf.default_parameters(),
                        [ch for ch in CREDIT_CHANNELS if ch != "street_fallback"])
    fen = {s.code: off.fen(s).tolist() for s in off.lines}
    assert not [code for code in fen if code.startswith("street_")]
    assert fen["market_garbage"] == [919800]
    assert fen["contract_staff_cleaning"] == [3852000]
    assert off.ledger.supplied("street_fallback", "garbage").tolist() == [0.0]
    assert off.ledger.supplied("market", "garbage").tolist() == [76.65]


def test_public_income_fills_the_pool() -> None:
    sources = (
        IncomeSource(name="parking", basis="parking_space", units_per_basis=1.0,
                     price_yuan_per_unit_year=1200.0, occupancy_rate=0.6, cost_share_rate=0.1),
        IncomeSource(name="advertising", basis="compound", units_per_basis=2.0,
                     price_yuan_per_unit_year=1500.0, occupancy_rate=0.5),
        IncomeSource(name="express_lockers", basis="household", units_per_basis=1 / 150,
                     whole_units=True, price_yuan_per_unit_year=1500.0),
    )
    bare = pf.evaluate(_compound(), BARE)
    r = pf.evaluate(_compound(), _with(public_income=PublicIncome(items=sources)))
    # Parking 20 x 1,200 x 0.6 x 0.9 = 12,960; advertising 2 x 1,500 x 0.5 = 1,500;
    # lockers: one per full 150 households, none for 100.
    assert r.public_income_yuan == 14460.0
    assert r.pool_balance_yuan == pytest.approx(bare.pool_balance_yuan + 14460.0)
    assert bare.street_subsidy_yuan > 14460.0  # the bare company runs a deficit
    assert r.street_subsidy_yuan == pytest.approx(bare.street_subsidy_yuan - 14460.0)
    assert r.contributions["public_income"] == 14460.0
    assert r.total_cost_yuan == bare.total_cost_yuan  # income is no cost
    # 150 households: one locker, 1,500 more.
    r150 = pf.evaluate(_compound(households=150), _with(public_income=PublicIncome(
        items=sources)))
    assert r150.public_income_yuan == 15960.0


def test_bundling_pools_fractional_posts_split_by_gross_demand() -> None:
    # Two compounds of 100 households, 6,000 and 3,000 m2, no gates, grade 3:
    # cleaning 923.1 h and 461.5 h = 0.46 and 0.23 FTE: alone a half post each, 19,260
    # each; bundled 0.69 -> 1.0 post = 38,520 split by gross demand 2 : 1 = 25,680 /
    # 12,840. Management 100 / 650 x 2,000 = 307.7 h = 0.15 FTE each: alone 0.5 post =
    # 28,710 each; bundled 0.31 -> 0.5 post = 28,710 split 14,355 / 14,355.
    df = pd.DataFrame({
        "compound_id": ["a", "b"], "households": [100, 100], "floor_area_m2": [6000.0, 3000.0],
        "build_year": [1990, 1990], "gates": [0, 0], "zone": ["z", "z"],
    })
    alone = pf.evaluate_district(df, BARE).lines
    zone = BARE.model_copy(update={"shared_property": BARE.shared_property.model_copy(
        update={"bundle_by": "zone"})})
    bundled = pf.evaluate_district(df, zone).lines

    def pick(t: pd.DataFrame, line: str) -> list[float]:
        return t[t["line"] == line]["amount_yuan"].tolist()

    assert pick(alone, "contract_staff_cleaning") == [19260.0, 19260.0]
    assert pick(bundled, "contract_staff_cleaning") == [25680.0, 12840.0]
    assert pick(alone, "contract_staff_management") == [28710.0, 28710.0]
    assert pick(bundled, "contract_staff_management") == [14355.0, 14355.0]


def test_fixed_fee_split_by_floor_area_in_fen() -> None:
    # One crew (60 households, 3 compounds): 10,000.00 yuan split by floor area 1 : 2 : 3
    # -> 1,666.67 / 3,333.33 / 5,000.00 (fen exact).
    df = pd.DataFrame({
        "compound_id": ["a", "b", "c"], "households": [10, 20, 30],
        "floor_area_m2": [1000.0, 2000.0, 3000.0], "build_year": [1990] * 3,
    })
    plan = _with(shared_property=BARE.shared_property.model_copy(update={
        "bundle_by": "explicit",
        "bundles": (Bundle(bundle_id="B1", members=("a", "b", "c"),
                           fixed_fee_yuan_per_year=10000.0),),
    }))
    out = pf.evaluate_district(df, plan).lines
    fee = out[out["line"] == "contract_fixed_fee"]["amount_yuan"]
    assert fee.tolist() == [1666.67, 3333.33, 5000.0]
    assert yuan_to_fen(fee.to_numpy()).sum() == 1_000_000


def test_contract_fee_only_with_standing_posts() -> None:
    # A per-use contract (no standing work) pays no crew fee, margin or travel: the
    # fixed fee is a fee per crew of standing staff.
    df = pd.DataFrame({"compound_id": ["a", "b"], "households": [10, 20],
                       "floor_area_m2": [1000.0, 2000.0], "build_year": [1990] * 2,
                       "x_m": [0.0, 300.0], "y_m": [0.0, 400.0]})
    plan = Plan(shared_property=SharedProperty(
        bundle_by="explicit", fixed_fee_yuan_per_bundle_year=10000.0,
        items=(JobTerms(name="pipe_dredging", discount_rate=0.3),),
        bundles=(Bundle(bundle_id="B1", members=("a", "b")),)))
    out = pf.evaluate_district(df, plan).lines
    assert not out["line"].str.startswith("contract_").any()
    assert (out.loc[out["line"] == "job_pipe_dredging", "amount_yuan"] > 0).all()


ALL_DAY_GATE = GATE_DEVICE.model_copy(update={"work_per_unit_year": 8760.0})


@pytest.mark.parametrize(("regime", "devices", "gate_hours", "guards", "line", "amount", "spec"), [
    # 2 gates x 24 h x 365 = 17,520 h / 2,920 h = 6 guards x 55,908 = 335,448.
    ("staffed_24h", (), 17520.0, 6.0, None, 0.0, None),
    # 2 gates x 16 h x 365 = 11,680 h / 2,920 h = 4 guards x 55,908 = 223,632.
    ("staffed_16h", (), 11680.0, 4.0, None, 0.0, None),
    # Grade 3 keeps gates 24 h: 2 live-in gatekeepers x 1,900 x 12 = 45,600, hired by
    # the residents' organisation; no guards.
    ("live_in", (), 17520.0, 0.0, "gate_live_in", 45600.0,
     ("self_governance", "order", "fund_pool", "informal")),
    # Access control keeps both gates all day; remote help 2 gates x 1,200 = 2,400.
    ("device_only", (ALL_DAY_GATE,), 17520.0, 0.0, "gate_remote_help", 2400.0,
     ("smart_devices", "order", "fund_pool", "running")),
    # Device-only without a device: the grade's 24 h, staffed by whoever is left, here
    # the contract's guards; no remote help.
    ("device_only", (), 17520.0, 6.0, None, 0.0, None),
])
def test_gate_regimes_of_one_compound(regime, devices, gate_hours, guards, line, amount,
                                      spec) -> None:
    plan = BARE.model_copy(update={"gate_regime": regime,
                                   "smart_devices": SmartDevices(items=devices)})
    r = pf.evaluate(_compound(gates=2), plan)
    lines = _lines(r)
    assert lines["contract_staff_gate"] == guards * 55908.0
    assert sum(_supplied(r, "gate").values()) == gate_hours
    for other in ("gate_live_in", "gate_remote_help"):
        if other != line:
            assert other not in lines
    if line is not None:
        assert lines[line] == amount
        got = next(x for x in r.lines if x.line == line)
        assert (got.channel, got.category, got.payer, got.kind, got.work) == (*spec, "gate")


def test_device_only_gate_with_the_devices_channel_off() -> None:
    # The plan's devices keep both gates, but the channel is off: nothing is left
    # unsupplied, the contract's guards keep the grade's 24 h (6 guards), no remote help.
    plan = BARE.model_copy(update={"gate_regime": "device_only",
                                   "smart_devices": SmartDevices(items=(ALL_DAY_GATE,))})
    table = pf.validate_compounds(_compound(gates=2))
    out = budget_arrays(table, resolve_plan(plan, table), pf.default_parameters(),
                        [ch for ch in CREDIT_CHANNELS if ch != "smart_devices"])
    assert out.ledger.supplied("shared_property", "gate").tolist() == [17520.0]
    assert out.ledger.supplied("smart_devices", "gate").tolist() == [0.0]
    codes = {s.code for s in out.lines}
    assert "gate_remote_help" not in codes
    assert not [c for c in codes if c.startswith("device_")]
    staff = next(s for s in out.lines if s.code == "contract_staff_gate")
    assert out.fen(staff).tolist() == [33544800]  # 6 x 55,908 = 335,448.00


def test_channels_supply_in_their_order() -> None:
    """The street supplies before the devices, the devices before the volunteers, the
    volunteers before the contract. 13,000 m2 at grade 3: 2,000 h of cleaning, 8,760 h
    at the gate; 10 party members x 0.5 active x 6 h + 100 households x 0.05 x 2 h = 40 h
    a week x 52 = 2,080 volunteer hours, half on each task.

    - cleaning: the street sweeps half (1,000 h, 5,000 a compound); the volunteers' 1,040
      h find 1,000 h left and take them (in kind 1,000 x 19.8 = 19,800, not 20,592);
    - gate: access control keeps 8,000 h; the volunteers' 1,040 h find 760 h left (in
      kind 15,048); nothing is left for the contract's guards;
    - 40 + 280 = 320 volunteer hours supply nothing priced: added service.
    """
    sg = SelfGovernance(items=(VolunteerTask(name="sweeping", work="cleaning", share=0.5),
                               VolunteerTask(name="gate_watch", work="gate", share=0.5)),
                        party_active_rate=0.5, party_hours_per_week=6.0,
                        resident_active_rate=0.05, resident_hours_per_week=2.0)
    device = GATE_DEVICE.model_copy(update={"work_per_unit_year": 8000.0})
    plan = _with(self_governance=sg, smart_devices=SmartDevices(items=(device,)),
                 street_fallback=StreetFallback(items=STREET_ITEMS[1:2]))
    r = pf.evaluate(_compound(floor_area_m2=13000.0, party_members=10), plan)
    lines = _lines(r)
    assert _supplied(r, "cleaning") == {"street_fallback": 1000.0, "smart_devices": 0.0,
                                        "self_governance": 1000.0, "shared_property": 0.0,
                                        "market": 0.0}
    assert _supplied(r, "gate") == {"street_fallback": 0.0, "smart_devices": 8000.0,
                                    "self_governance": 760.0, "shared_property": 0.0,
                                    "market": 0.0}
    assert lines["street_sweeping"] == 5000.0
    assert lines["volunteer_sweeping_time"] == 19800.0
    assert lines["volunteer_gate_watch_time"] == 15048.0
    assert r.volunteer_hours == pytest.approx(2080.0)
    assert r.volunteer_added_hours == pytest.approx(320.0)
    assert lines["contract_staff_cleaning"] == 0.0
    assert lines["contract_staff_gate"] == 0.0


def test_informal_hires_pay_the_hours_at_no_less_than_the_minimum_wage() -> None:
    # Grade 3, 5,200 m2: cleaning 5,200 / 13,000 x 2,000 = 800 h, hired informally: no
    # rounding, no social insurance, no welfare, at max(2,000 x 12 / 2,000 = 12,
    # 19.8) = 19.8 yuan/h: 15,840 (a formal half post would be 19,260). Management
    # 100 / 650 x 2,000 = 307.69 h at max(3,500 x 12 / 2,000 = 21, 19.8) = 21 yuan/h:
    # 6,461.54.
    plan = Plan(service_grade=3,
                self_governance=SelfGovernance(hire_informally=("cleaning", "management")),
                shared_property=SharedProperty(bundle_by="none"))
    r = pf.evaluate(_compound(floor_area_m2=5200.0), plan)
    lines = _lines(r)
    assert lines["informal_cleaning"] == 15840.0
    assert lines["informal_management"] == 6461.54
    assert lines["market_cleaning"] == 0.0
    assert lines["market_management"] == 0.0
    assert _supplied(r, "cleaning")["self_governance"] == 800.0
    line = next(x for x in r.lines if x.line == "informal_cleaning")
    assert (line.channel, line.category, line.payer, line.kind, line.work) == (
        "self_governance", "staff", "fund_pool", "informal", "cleaning")
    assert "contract_staff_cleaning" not in lines


def _free_jobs() -> pf.ParameterSet:
    """The default parameters with every job free (price and call-out 0): the hand
    budgets below then have no job lines to add up."""
    params = pf.default_parameters()
    return params.replace({p: 0.0 for p in numeric_paths(params) if p.startswith("jobs.") and (
        p.endswith(".market_price_yuan_per_use") or p.endswith(".callout_yuan_per_visit"))})


HAND = BARE.model_copy(update={
    "self_governance": SelfGovernance(items=(
        VolunteerTask(name="cleaning", work="cleaning", share=1.0),)),
    "street_fallback": StreetFallback(items=STREET_ITEMS[:1]),
    "smart_devices": SmartDevices(items=(GATE_DEVICE,)),
    "public_income": PublicIncome(items=(
        IncomeSource(name="advertising", basis="compound", units_per_basis=2.0,
                     price_yuan_per_unit_year=1500.0, occupancy_rate=0.5),)),
})
"""Every channel, each simple: volunteers on cleaning, the street's garbage at 100 yuan a
tonne, access control keeping two guards' hours, advertising, the bare contract."""


def _hand_district() -> pd.DataFrame:
    """Two equal compounds (100 households, 10,000 m2, 1,000 m2 green, 1 gate, 2
    buildings, built 1990) at 0.5 and 5.0 yuan/m2 a month."""
    return pd.DataFrame({
        "compound_id": ["a", "b"], "households": [100, 100],
        "floor_area_m2": [10000.0, 10000.0], "build_year": [1990, 1990],
        "green_area_m2": [1000.0, 1000.0], "buildings": [2, 2],
        "fee_rate_yuan_per_m2_month": [0.5, 5.0]})


def test_who_pays_by_hand() -> None:
    """Each compound of the hand district, by hand:

    - volunteers 644.176 h of cleaning (18 party members, default rates), in kind
      x 19.8 = 12,754.68; cleaning left 894.3 h -> a half post 19,260;
    - contract at cost: cleaning 19,260 + greening 19,260 + management 28,710 + gate
      (8,760 - 5,840 = 2,920 h) one guard 55,908 + patrol 4,193.10 = 127,331.10;
    - running costs: electricity 200 + water 500 + consumables 3,000 + cleaning
      materials 2,400 + greening materials 3,000 + insurance 500 + office 2,000 =
      11,600; access control running 1,200: cash 140,131.10;
    - street: 54.75 t x 100 = 5,475; renovation: 30,000 x crf(4%, 8) = 4,455.83;
    - income 1,500; fees 10,000 x 0.5 x 12 x 0.7 = 42,000 (a), 420,000 (b);
    - a: balance 42,000 + 1,500 - 140,131.10 = -96,631.10 (the street's subsidy);
      b: 420,000 + 1,500 - 140,131.10 = 281,368.90 kept in the pool.
    Total cost 140,131.10 + 5,475 + 4,455.83 + 12,754.68 = 162,816.61 each.
    """
    out = pf.evaluate_district(_hand_district(), HAND, _free_jobs())
    c = out.compounds
    assert c["compound_cash_cost_yuan"].tolist() == [140131.1, 140131.1]
    assert c["total_cost_yuan"].tolist() == [162816.61, 162816.61]
    a = who_pays(c.iloc[0].to_dict())
    b = who_pays(c.iloc[1].to_dict())
    assert a == {"residents_fees": 42000.0, "public_income": 1500.0, "street_subsidy": 96631.1,
                 "pool_surplus_kept": 0.0, "lift_levy": 0.0, "street_services": 5475.0,
                 "renovation_programme": 4455.83, "volunteers_in_kind": 12754.68}
    assert b["residents_fees"] == 420000.0
    assert b["street_subsidy"] == 0.0
    assert b["pool_surplus_kept"] == -281368.9
    # The district: every term non-zero, adding up exactly (in fen) to its total.
    district = out.who_pays()
    assert list(district) == [name for name, _, _ in WHO_PAYS]
    assert district == {"residents_fees": 462000.0, "public_income": 3000.0,
                        "street_subsidy": 96631.1, "pool_surplus_kept": -281368.9,
                        "lift_levy": 0.0, "street_services": 10950.0,
                        "renovation_programme": 8911.66, "volunteers_in_kind": 25509.36}
    assert sum(yuan_to_fen(v) for v in district.values()) == 32563322
    assert out.district_totals()["total_cost_yuan"] == 325633.22
    # One compound through evaluate() says the same.
    one = pf.evaluate(pf.Compound(**{k: v.item() if hasattr(v, "item") else v
                                     for k, v in _hand_district().iloc[0].items()}),
                      HAND, _free_jobs())
    assert one.who_pays == a
    # Net public cost = street total + renovation: 96,631.10 + 5,475 + 4,455.83.
    assert c["net_public_cost_yuan"].tolist() == [106561.93, 9930.83]


def test_channel_credit_by_hand() -> None:
    """The hand compound a, channel by channel. The market baseline (every channel off)
    buys the same staff from a market company: 258,407.10 of staff on 5.075 heads, with
    depreciation 800 a head, 5% overhead, 8% margin, 6% VAT and 12% surcharges on it,
    so a yuan of staff costs k = 1.05 x 1.08 x (1 + 0.06 x 1.12) = 1.2102048 and a head
    800 k more; garbage 54.75 t at 120 = 6,570; running costs 11,600:
    258,407.10 + 59,231.85 + 6,570 + 11,600 = 335,808.95, balance 42,000 - 335,808.95 =
    -293,808.95, the same as pf.market_baseline at grade 3.

    Waterfall (shared property, self-governance, street, devices, income in turn):
      shared property: the markup saved, 59,231.85;
      self-governance: a half cleaning post at cost, 19,260;
      street: the garbage at market, 6,570 (the street's own cost is not the pool's);
      devices: two guards at cost, 111,816, less the running cost 1,200: 110,616;
      public income: 1,500.
    Shapley: the street and the income add the same in every coalition: 6,570 and
    1,500. Self-governance and the devices save at cost with the contract on, at market
    price without it (half the orders each): self-governance (19,260 + k (19,260 + 400))
    / 2, devices (110,616 + k (111,816 + 1,600) - 1,200) / 2; the contract the rest.
    """
    params = _free_jobs()
    k = 1.05 * 1.08 * (1 + 0.06 * 1.12)
    total = 59231.85 + 19260.0 + 6570.0 + 110616.0 + 1500.0
    sg = (19260.0 + k * (19260.0 + 400.0)) / 2
    dev = (110616.0 + k * (111816.0 + 1600.0) - 1200.0) / 2
    want = {
        "waterfall": {"shared_property": 59231.85, "self_governance": 19260.0,
                      "street_fallback": 6570.0, "smart_devices": 110616.0,
                      "public_income": 1500.0},
        "shapley": {"shared_property": total - sg - dev - 6570.0 - 1500.0,
                    "self_governance": sg, "street_fallback": 6570.0, "smart_devices": dev,
                    "public_income": 1500.0},
    }
    base = pf.market_baseline(pf.Compound(compound_id="a", households=100,
                                          floor_area_m2=10000.0, build_year=1990,
                                          green_area_m2=1000.0, buildings=2),
                              params, grade=3)
    assert base.total_annual_cost_yuan == 335808.95
    assert base.balance_yuan == -293808.95
    for mode, credit in want.items():
        out = pf.evaluate_district(_hand_district(), HAND, params, contributions=mode)
        row = out.compounds.iloc[0]
        for ch, value in credit.items():
            assert row[f"contribution_{ch}_yuan"] == pytest.approx(value, abs=0.011), (mode, ch)
        assert row["market_baseline_balance_yuan"] == base.balance_yuan
        assert row["market_baseline_cost_yuan"] == base.total_annual_cost_yuan
        assert row["pool_balance_yuan"] - row["market_baseline_balance_yuan"] == pytest.approx(
            total)
        assert out.channel_credit(mode)["market_baseline_balance_yuan"].tolist() == [
            -293808.95, 84191.05]  # b collects 420,000


def test_shapley_fen_by_hand() -> None:
    """Three channels a, b, c; values per compound (columns), relative to v({}).

    phi_i = [2 (v(i) - v0) + (v(ij) - v(j)) + (v(ik) - v(k)) + 2 (v(ijk) - v(jk))] / 6.

    Column 0 (divisible), v0 = 0, a 10, b 20, c 30, ab 36, ac 40, bc 50, abc 66:
      a: 20 + 16 + 10 + 32 = 78 / 6 = 13;  b: 40 + 26 + 20 + 52 = 138 / 6 = 23;
      c: 60 + 30 + 30 + 60 = 180 / 6 = 30;  13 + 23 + 30 = 66.
    Column 1 (largest remainder, not the first player), v0 = -100 and relative values
    a 1, b 0, c 4, ab 1, ac 5, bc 5, abc 7:
      a: 2 + 1 + 1 + 4 = 8 = 6 x 1 + 2;  b: 0 + 0 + 1 + 4 = 5 = 6 x 0 + 5;
      c: 8 + 4 + 5 + 12 = 29 = 6 x 4 + 5.  Floors 1 + 0 + 4 = 5, 7 - 5 = 2 fen missing:
      they go to the two largest remainders, b and c: (1, 1, 5) (exact 1.33, 0.83, 4.83).
    Column 2 (negative), v0 = 0, a -1, b 0, c -4, ab -1, ac -5, bc -5, abc -7:
      numerators -8, -5, -29: floors -2 (rest 4), -1 (rest 1), -5 (rest 1) = -8;
      -7 - (-8) = 1 fen missing, to a (rest 4): (-1, -1, -5) (exact -1.33, -0.83, -4.83).
    Column 3 (tie), v0 = 0, a 1, b 0, c 0, ab 1, ac 1, bc 0, abc 2:
      numerators 8, 2, 2: floors 1, 0, 0, rests 2, 2, 2; 1 fen missing: the tie goes to
      the player listed first, a: (2, 0, 0).
    """
    rel = {"": (0, 0, 0, 0), "a": (10, 1, -1, 1), "b": (20, 0, 0, 0), "c": (30, 4, -4, 0),
           "ab": (36, 1, -1, 1), "ac": (40, 5, -5, 1), "bc": (50, 5, -5, 0),
           "abc": (66, 7, -7, 2)}
    v0 = np.array([0, -100, 0, 0], dtype=np.int64)
    values = {frozenset(k): v0 + np.array(v, dtype=np.int64) for k, v in rel.items()}
    phi = shapley_fen(values, ("a", "b", "c"))
    assert phi["a"].tolist() == [13, 1, -1, 2]
    assert phi["b"].tolist() == [23, 1, -1, 0]
    assert phi["c"].tolist() == [30, 5, -5, 0]
    total = phi["a"] + phi["b"] + phi["c"]
    assert total.tolist() == [66, 7, -7, 2]  # v(abc) - v({}) exactly
    # The order of the players changes nothing but the tie-break.
    again = shapley_fen(values, ("c", "b", "a"))
    assert [again[p][:3].tolist() for p in "abc"] == [[13, 1, -1], [23, 1, -1], [30, 5, -5]]
    assert [int(again[p][3]) for p in "abc"] == [1, 0, 1]  # the tie now goes to c, listed first


def _district_lines(district: pf.DistrictBudget, compound_id: str) -> list[tuple[str, float]]:
    mine = district.lines[district.lines["compound_id"] == compound_id]
    return list(zip(mine["line"].astype(str), mine["amount_yuan"], strict=True))


def _district_work(district: pf.DistrictBudget, compound_id: str) -> list[tuple[Any, ...]]:
    mine = district.work[district.work["compound_id"] == compound_id]
    return [(r["category"], r["unit"], r["demand"], {s: r[s] for s in SUPPLIERS})
            for _, r in mine.iterrows()]


def _assert_same_as_row(single: pf.BudgetResult, district: pf.DistrictBudget, i: int) -> None:
    """A compound's result against its row of a district: every figure, its payers and
    channels, its credit, its work; its lines are the district's rows for it, in order,
    where the district's other rows for it (lines other compounds have) are zero."""
    row = district.compounds.iloc[i]
    for name, info in pf.BudgetResult.model_fields.items():
        if info.annotation is float:
            assert getattr(single, name) == row[name], name
    assert single.compound_id == row["compound_id"]
    assert single.bundle_id == row["bundle_id"]
    assert single.by_payer == {p: row[f"paid_by_{p}_yuan"] for p in PAYERS}
    assert single.by_channel == {c[len("cost_"):-len("_yuan")]: row[c] for c in row.index
                                 if c.startswith("cost_") and not c.startswith("cost_per")}
    if "contribution_public_income_yuan" in row.index:
        assert single.contributions == {ch: row[f"contribution_{ch}_yuan"]
                                        for ch in CREDIT_CHANNELS}
    mine = _district_lines(district, single.compound_id)
    own = [(x.line, x.amount_yuan) for x in single.lines]
    assert [x for x in mine if x[0] in dict(own)] == own
    assert all(amount == 0.0 for line, amount in mine if line not in dict(own))
    assert [(w.category, w.unit, w.demand, w.supplied) for w in single.work] == _district_work(
        district, single.compound_id)


def test_evaluate_equals_the_district_row() -> None:
    """One compound through evaluate() and the same compound in a table written by hand
    (every compound has gates, so each has every line the others have)."""
    df = pd.DataFrame({
        "compound_id": ["p", "q", "r"], "households": [80, 100, 240],
        "floor_area_m2": [5600.0, 10000.0, 19200.0], "build_year": [1985, 1990, 2001],
        "gates": [1, 1, 2], "green_area_m2": [400.0, 1000.0, 3000.0],
        "buildings": [2, 2, 5], "stairwell_units": [4, 6, 15], "parking_spaces": [10, 20, 60],
        "party_members": [5, 9, 20], "zone": ["z1", "z2", "z3"], "lifts": [0, 2, 0],
        "water_tanks": [0, 1, 0],
    })
    district = pf.evaluate_district(df, contributions=True)
    single = pf.evaluate(pf.Compound(
        compound_id="q", households=100, floor_area_m2=10000.0, build_year=1990, gates=1,
        green_area_m2=1000.0, buildings=2, stairwell_units=6, parking_spaces=20,
        party_members=9, zone="z2", lifts=2, water_tanks=1))
    _assert_same_as_row(single, district, 1)
    assert [(x.line, x.amount_yuan) for x in single.lines] == _district_lines(district, "q")
    # Its lifts and tank are its own: 2 x (6,000 + 500) of lift care, 2 x 3,000 of
    # electricity, 2 cleanings of its one tank a year.
    lines = _lines(single)
    assert lines["market_lift_maintenance"] == 12000.0
    assert lines["market_lift_inspection"] == 1000.0
    assert lines["lift_electricity"] == 6000.0
    assert _supplied(single, "water_tank_cleaning")["shared_property"] == 2.0
    assert district.compounds["cost_market_yuan"].iloc[0] < district.compounds[
        "cost_market_yuan"].iloc[1]


@given(districts())
def test_money_and_work_are_conserved(df) -> None:
    out = pf.evaluate_district(df, contributions=True)
    c = out.compounds
    lines_total = out.lines.assign(fen=_fen(out.lines["amount_yuan"])).groupby(
        "compound_id", sort=False, observed=True)["fen"].sum().reindex(c["compound_id"])
    total = _fen(c["total_cost_yuan"])
    np.testing.assert_array_equal(lines_total.to_numpy(), total)
    payers = sum(_fen(c[f"paid_by_{p}_yuan"]) for p in PAYERS)
    np.testing.assert_array_equal(payers, total)
    channels = sum(_fen(c[col]) for col in c.columns
                   if col.startswith("cost_") and col != "cost_per_household_month_yuan")
    np.testing.assert_array_equal(channels, total)
    # Who pays adds up exactly to the total cost, compound by compound and for the district.
    paid = sum(yuan_to_fen(np.array([who_pays(r)[name] for r in c.to_dict("records")]))
               for name, _, _ in WHO_PAYS)
    np.testing.assert_array_equal(paid, total)
    district = out.who_pays()
    assert sum(int(yuan_to_fen(v)) for v in district.values()) == int(total.sum())
    # Pool balance, subsidy and surplus.
    balance = _fen(c["pool_balance_yuan"])
    np.testing.assert_array_equal(
        _fen(c["fee_collected_yuan"]) + _fen(c["public_income_yuan"])
        - _fen(c["compound_cash_cost_yuan"]), balance)
    np.testing.assert_array_equal(_fen(c["street_subsidy_yuan"]), np.maximum(-balance, 0))
    np.testing.assert_array_equal(_fen(c["pool_surplus_yuan"]), np.maximum(balance, 0))
    np.testing.assert_array_equal(_fen(c["compound_cash_cost_yuan"]),
                                  _fen(c["paid_by_fund_pool_yuan"]))
    # Channel credits add up to the change of balance from no channel on.
    contrib = sum(_fen(c[f"contribution_{ch}_yuan"]) for ch in CREDIT_CHANNELS)
    base = _fen(c["market_baseline_balance_yuan"])
    np.testing.assert_array_equal(contrib, balance - base)
    np.testing.assert_array_equal(base, _fen(c["fee_collected_yuan"])
                                  - _fen(c["market_baseline_cost_yuan"]))
    np.testing.assert_array_equal(_fen(c["saving_vs_market_baseline_yuan"]),
                                  _fen(c["market_baseline_cost_yuan"])
                                  - _fen(c["compound_cash_cost_yuan"]))
    # The street bears its lines and the subsidy; the public bears the renovation capital.
    np.testing.assert_array_equal(
        _fen(c["street_total_yuan"]),
        _fen(c["paid_by_street_office_yuan"]) + _fen(c["street_subsidy_yuan"]))
    np.testing.assert_array_equal(
        _fen(c["net_public_cost_yuan"]),
        _fen(c["street_total_yuan"]) + _fen(c["paid_by_renovation_programme_yuan"]))
    np.testing.assert_array_equal(
        _fen(c["deficit_reduction_yuan"]),
        np.maximum(-base, 0) - _fen(c["net_public_cost_yuan"]))
    # Every yuan has exactly one payer: the long table has one payer per line.
    assert out.lines["payer"].isin(PAYERS).all()
    # Work: every category's demand is the sum of its suppliers (in micro-units), and the
    # hours by supplier are the work table's hour categories.
    w = out.work
    assert len(w) == len(c) * w["category"].nunique()
    np.testing.assert_array_equal(to_micro(w["demand"]),
                                  sum(to_micro(w[s]) for s in SUPPLIERS))
    hours = w[w["category"].isin(HOUR_CATEGORIES)].groupby(
        "compound_id", sort=False)[list(SUPPLIERS)].sum().reindex(c["compound_id"])
    for s in SUPPLIERS:
        np.testing.assert_allclose(c[f"hours_{s}"], hours[s], rtol=1e-12, atol=1e-6)


@settings(max_examples=20)
@given(districts(max_size=8), st.sampled_from(["shapley", "waterfall"]),
       st.sampled_from(["xinghualing", "shared_staffed"]))
def test_contributions_sum_exactly_to_the_change_of_balance(df, mode, plan_name) -> None:
    """Shapley credits (and the waterfall's steps) add up, in fen, to the pool balance
    minus the balance with no channel on, compound by compound."""
    c = pf.evaluate_district(df, pf.named_plan(plan_name), contributions=mode,
                             with_lines=False).compounds
    contrib = sum(_fen(c[f"contribution_{ch}_yuan"]) for ch in CREDIT_CHANNELS)
    np.testing.assert_array_equal(
        contrib, _fen(c["pool_balance_yuan"]) - _fen(c["market_baseline_balance_yuan"]))


@given(districts(max_size=5), st.sampled_from(["xinghualing", "shared_staffed"]))
def test_single_and_district_agree(df, plan_name) -> None:
    plan = _alone(pf.named_plan(plan_name))
    district = pf.evaluate_district(df, plan, contributions=True)
    for i, record in enumerate(df.to_dict("records")):
        single = pf.evaluate(pf.Compound(**{k: v for k, v in record.items() if v == v}), plan)
        _assert_same_as_row(single, district, i)


@given(districts(min_size=2), st.randoms(use_true_random=False))
def test_order_of_compounds_changes_nothing(df, rnd) -> None:
    order = list(range(len(df)))
    rnd.shuffle(order)
    a = pf.evaluate_district(df)
    b = pf.evaluate_district(df.iloc[order])
    pd.testing.assert_frame_equal(a.compounds.set_index("compound_id").sort_index(),
                                  b.compounds.set_index("compound_id").sort_index())
    pd.testing.assert_frame_equal(
        a.work.set_index(["compound_id", "category"]).sort_index(),
        b.work.set_index(["compound_id", "category"]).sort_index())


@given(districts(max_size=6), st.floats(0.0, 0.9), st.floats(0.0, 0.1))
def test_bigger_discount_never_raises_cost(df, discount, extra) -> None:
    plan = default_plan()
    jobs = tuple(j.model_copy(update={"discount_rate": discount})
                 for j in plan.shared_property.items)
    deeper = tuple(j.model_copy(update={"discount_rate": discount + extra}) for j in jobs)
    sp = plan.shared_property
    low = plan.model_copy(update={"shared_property": sp.model_copy(update={"items": jobs})})
    high = plan.model_copy(update={"shared_property": sp.model_copy(update={"items": deeper})})
    a = pf.evaluate_district(df, low, with_lines=False).compounds["total_cost_yuan"]
    b = pf.evaluate_district(df, high, with_lines=False).compounds["total_cost_yuan"]
    assert (b <= a).all()


@given(districts(max_size=6), st.floats(0.0, 5000.0), st.floats(0.0, 5000.0))
def test_more_public_income_never_raises_the_subsidy(df, price, extra) -> None:
    def plan(p: float) -> Plan:
        src = IncomeSource(name="ads", basis="compound", units_per_basis=1.0,
                           price_yuan_per_unit_year=p)
        return default_plan().model_copy(update={"public_income": PublicIncome(items=(src,))})

    a = pf.evaluate_district(df, plan(price), with_lines=False).compounds
    b = pf.evaluate_district(df, plan(price + extra), with_lines=False).compounds
    assert (b["street_subsidy_yuan"] <= a["street_subsidy_yuan"]).all()
    assert (b["pool_balance_yuan"] >= a["pool_balance_yuan"]).all()


@given(districts(max_size=6), st.sampled_from(["xinghualing", "shared_staffed"]))
def test_json_round_trip_gives_the_same_budget(df, plan_name) -> None:
    plan = pf.named_plan(plan_name)
    again = Plan.from_json(plan.to_json())
    assert again == plan
    a = pf.evaluate_district(df, plan, contributions=True)
    b = pf.evaluate_district(df, again, contributions=True)
    pd.testing.assert_frame_equal(a.compounds, b.compounds)
    pd.testing.assert_frame_equal(a.lines, b.lines)
    pd.testing.assert_frame_equal(a.work, b.work)


def test_column_wise_override_changes_only_the_named_compounds() -> None:
    df = pf.datasets.sanqiao_like_street().head(6)
    overrides = pd.DataFrame({
        "compound_id": [df["compound_id"].iloc[1]],
        "smart_devices.access_control.units_per_basis": [0.0],
    })
    plain = pf.evaluate_district(df).lines
    changed = pf.evaluate_district(df, overrides=overrides).lines
    line = "device_access_control_capital"
    a = plain[plain["line"] == line]["amount_yuan"].to_numpy()
    b = changed[changed["line"] == line]["amount_yuan"].to_numpy()
    assert b[1] == 0.0
    assert a[1] > 0.0
    np.testing.assert_array_equal(np.delete(a, 1), np.delete(b, 1))


def test_source_story_on_the_example_street() -> None:
    out = pf.evaluate_district(pf.datasets.sanqiao_like_street(), contributions=True)
    c = out.compounds
    small = c[c["households"] < 100]
    # A market company alone leaves every small compound in deficit ...
    assert (small["market_baseline_balance_yuan"] < 0).all()
    # ... under 4+1 with default parameters the deficit shrinks for every compound ...
    assert (c["deficit_reduction_yuan"] > 0).all()
    totals = out.district_totals()
    assert totals["street_subsidy_yuan"] < 0.5 * -totals["market_baseline_balance_yuan"]
    # ... the honest headline, the net public cost, is still below the market deficit ...
    assert totals["net_public_cost_yuan"] < -totals["market_baseline_balance_yuan"]
    # ... and the channels say by how much, adding up exactly.
    contrib = sum(yuan_to_fen(totals[f"contribution_{ch}_yuan"]) for ch in CREDIT_CHANNELS)
    assert contrib == yuan_to_fen(totals["pool_balance_yuan"]) - yuan_to_fen(
        totals["market_baseline_balance_yuan"])
    by_street = out.totals_by("street")
    assert by_street["compounds"].sum() == 286
    assert yuan_to_fen(by_street["street_subsidy_yuan"].sum()) == yuan_to_fen(
        totals["street_subsidy_yuan"])


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: Plan(shared_property=SharedProperty(bundle_by="explicit", bundles=(
            Bundle(bundle_id="B", members=("k", "ghost")),))), "ghost"),
        (lambda: JobTerms(name="pipe_dredging", discount_rate=1.5), "less than or equal to 1"),
        (lambda: JobTerms(name="pipe dredging", discount_rate=0.1), "should match pattern"),
        (lambda: VolunteerTask(name="x", work="gate", share=1.2), "less than or equal to 1"),
        (lambda: SelfGovernance(items=(VolunteerTask(name="x", work="gate", share=0.6),
                                       VolunteerTask(name="y", work="cleaning", share=0.5))),
         "add up to more than 1"),
        (lambda: SelfGovernance(hire_informally=("garbage",)), "informal hires supply hours"),
        (lambda: SelfGovernance(hire_informally=("cleaning", "cleaning")), "given twice"),
        (lambda: SharedProperty(standing_work=("lift",)), "standing posts supply hours"),
        (lambda: Device(name="x", basis="gate", units_per_basis=1.0,
                        capital_cost_yuan_per_unit=1.0, service_life_years=0.0),
         "greater than 0"),
        (lambda: Plan.from_json('{"colour": 1}'), "Extra inputs"),
        (lambda: SharedProperty(bundles=(Bundle(bundle_id="A", members=("k",)),
                                         Bundle(bundle_id="B", members=("k",)))),
         "is in bundles"),
        (lambda: SmartDevices(items=(
            Device(name="x", basis="gate", units_per_basis=1.0, capital_cost_yuan_per_unit=1.0,
                   service_life_years=1.0),) * 2), "unique"),
        (lambda: Plan(self_governance=SelfGovernance(hire_informally=("cleaning",)),
                      shared_property=SharedProperty(standing_work=("cleaning", "gate"))),
         "one supplier each"),
    ],
)
def test_bad_plans_are_refused(build, fragment) -> None:
    with pytest.raises((InputError, ValueError)) as info:
        pf.evaluate(_compound(), build())
    assert fragment in str(info.value)


def _unknown(section: str, position: int, item: Any) -> Plan:
    """The default plan with ``item`` in place of its ``position``-th item of
    ``section``."""
    plan = default_plan()
    part = getattr(plan, section)
    items = list(part.items)
    items[position] = item
    return plan.model_copy(update={section: part.model_copy(update={"items": tuple(items)})})


@pytest.mark.parametrize(("section", "position", "item", "path"), [
    ("self_governance", 2, VolunteerTask(name="x", work="sweeping", share=0.1),
     "self_governance.items[2].work"),
    ("street_fallback", 1, StreetItem(name="x", work="grid", pricing="per_compound",
                                      price_yuan=1.0), "street_fallback.items[1].work"),
    ("smart_devices", 0, Device(name="x", basis="gate", units_per_basis=1.0,
                                capital_cost_yuan_per_unit=1.0, service_life_years=1.0,
                                work="guarding"), "smart_devices.items[0].work"),
    ("shared_property", 3, JobTerms(name="window_cleaning", discount_rate=0.1),
     "shared_property.items[3].name"),
])
def test_unknown_work_is_named_by_its_field(section, position, item, path) -> None:
    """Work no category and no job of the catalogue has is refused before anything is
    computed, the message naming the item's field, by every entry point."""
    plan = _unknown(section, position, item)
    street = pf.datasets.sanqiao_like_street().head(2)
    calls = [lambda: pf.evaluate(_compound(), plan),
             lambda: pf.evaluate_many([_compound()], plan),
             lambda: pf.evaluate_district(street, plan),
             lambda: pf.bundling.BundleGame.from_district(street, plan)]
    for call in calls:
        with pytest.raises(InputError) as info:
            call()
        (problem,) = info.value.problems
        assert problem.field == path
        assert problem.value == getattr(item, "name" if section == "shared_property" else "work")
        assert f"field '{path}'" in str(info.value)


@pytest.mark.parametrize(("changes", "field", "fragment"), [
    ({"lifts": 1, "lift_households": 101}, "lift_households", "more than the compound's 100"),
    ({"lifts": 2, "lift_households": 0}, "lift_households", "2 lifts serve no household"),
    ({"lifts": 0, "lift_households": 12}, "lifts", "12 lift households but no lift"),
])
def test_lifts_that_do_not_fit_the_households_are_refused(changes, field, fragment) -> None:
    with pytest.raises(InputError) as info:
        _compound(**changes)
    assert [(p.row, p.field) for p in info.value.problems] == [("k", field)]
    assert fragment in str(info.value)
    # In a table: the same problem, named with its compound, beside a good row.
    df = pd.DataFrame([{"compound_id": "ok", "households": 100, "floor_area_m2": 10000.0,
                        "build_year": 1990, "lifts": 1, "lift_households": 24},
                       {"compound_id": "k", "households": 100, "floor_area_m2": 10000.0,
                        "build_year": 1990, **changes}])
    with pytest.raises(InputError) as info:
        pf.evaluate_district(df)
    assert [(p.row, p.field) for p in info.value.problems] == [("k", field)]
    # Lifts with their households given, or left to the default (every household), are
    # fine: one lift's care at market, 6,000 + 500, and its electricity, 3,000.
    for fine in (_compound(lifts=1, lift_households=24), _compound(lifts=1)):
        lines = _lines(pf.evaluate(fine, contributions=False))
        assert (lines["market_lift_maintenance"], lines["market_lift_inspection"],
                lines["lift_electricity"]) == (6000.0, 500.0, 3000.0)


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"compound_id": ["nobody"], "public_income.parking.occupancy_rate": [0.5]},
         "names no compound"),
        ({"compound_id": ["k"], "public_income.parking.occupancy_rate": [1.5]}, "must be <= 1"),
        ({"compound_id": ["k"], "smart_devices.cameras_gate.service_life_years": [0.0]},
         "must be > 0"),
        ({"compound_id": ["k"], "street_fallback.grid_workers.price_yuan": [-3.0]},
         "must be >= 0"),
        ({"compound_id": ["k"], "self_governance.patrol.share": ["lots"]},
         "not a finite number"),
        ({"compound_id": ["k"], "self_governance.patrol.share": [0.9]},
         "task shares add up to more than 1"),
        ({"compound_id": ["k"], "no.such.path": [1.0]}, "unknown override column"),
        ({"compound_id": ["k", "k"], "public_income.parking.occupancy_rate": [0.1, 0.2]},
         "overridden twice"),
    ],
)
def test_bad_overrides_are_refused(overrides, fragment) -> None:
    df = pf.validate_compounds(_compound()).frame
    with pytest.raises(InputError, match=fragment):
        pf.evaluate_district(df, overrides=pd.DataFrame(overrides))


@given(districts(min_size=2, max_size=20), st.integers(1, 7),
       st.randoms(use_true_random=False), st.sampled_from(["zone", "street", "none"]),
       st.sampled_from([None, "shapley"]))
def test_chunk_size_changes_nothing(df, chunk_rows, rnd, bundle_by, mode) -> None:
    """The district call cuts the table into pieces of whole bundles, on up to four
    threads; any cut and any number of threads give the same tables (compounds, lines,
    work) as one piece, also when a bundle's rows are scattered."""
    order = list(range(len(df)))
    rnd.shuffle(order)
    table = pf.validate_compounds(df.iloc[order])
    plan = default_plan()
    plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": bundle_by})})
    resolved = resolve_plan(plan, table)
    params = pf.default_parameters()
    whole = _district_budget(table, params, resolved, mode, True, chunk_rows=10**9)
    for threads in (1, 4):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(evaluate_module, "CHUNK_ROWS", chunk_rows)  # the lines' pieces
            mp.setattr(evaluate_module, "MAX_THREADS", threads)
            mp.setattr(os, "cpu_count", lambda: 8)
            cut = _district_budget(table, params, resolved, mode, True, chunk_rows=chunk_rows)
        pd.testing.assert_frame_equal(whole.compounds, cut.compounds)
        pd.testing.assert_frame_equal(_by_compound_and_line(whole.lines),
                                      _by_compound_and_line(cut.lines))
        pd.testing.assert_frame_equal(whole.work, cut.work)


def _by_compound_and_line(lines: pd.DataFrame) -> pd.DataFrame:
    """The long table of lines in compound order (the ids are categories in input order),
    each compound's lines by name."""
    return lines.sort_values(["compound_id", "line"], kind="stable").reset_index(drop=True)


def test_lines_in_pieces_keep_the_order_of_one_piece(monkeypatch) -> None:
    df = pd.DataFrame({"compound_id": ["a", "b"], "households": [100, 100],
                       "floor_area_m2": [8000.0, 8000.0], "build_year": [1990, 1990],
                       "gates": [0, 1]})
    plan = _alone(default_plan())
    whole = pf.evaluate_district(df, plan).lines
    monkeypatch.setattr(evaluate_module, "CHUNK_ROWS", 1)
    cut = pf.evaluate_district(df, plan).lines
    pd.testing.assert_frame_equal(_by_compound_and_line(whole), _by_compound_and_line(cut))
    pd.testing.assert_frame_equal(whole, cut)


def test_many_pieces_run_on_several_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces are run on min(pieces, cores, MAX_THREADS) threads: 286 compounds in pieces
    of about 40 on a machine of 8 cores use 4 threads, and give the one-piece budget."""
    import concurrent.futures

    seen: list[int] = []
    original = concurrent.futures.ThreadPoolExecutor

    def pool(workers: int) -> concurrent.futures.ThreadPoolExecutor:
        seen.append(workers)
        return original(workers)

    street = pf.validate_compounds(pf.datasets.sanqiao_like_street())
    resolved = resolve_plan(default_plan(), street)
    params = pf.default_parameters()
    whole = _district_budget(street, params, resolved, None, False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.setattr(evaluate_module, "ThreadPoolExecutor", pool)
    cut = _district_budget(street, params, resolved, None, False, chunk_rows=40)
    assert seen == [evaluate_module.MAX_THREADS] == [4]
    pd.testing.assert_frame_equal(whole.compounds, cut.compounds)


def test_pieces_keep_bundles_whole() -> None:
    code = np.array([2, 0, 1, 0, 2, 2, 1, 3, 0])  # bundle 2 has 3 rows, scattered
    pieces = chunks(code, 4, max_rows=2)
    covered = np.concatenate([np.arange(len(code))[rows] for rows, _ in pieces])
    assert sorted(covered.tolist()) == list(range(len(code)))  # every row exactly once
    for rows, bundles in pieces:
        members = set(code[rows].tolist())
        assert members == set(range(bundles.start, bundles.stop))
        for b in members:  # a bundle in a piece has all its rows there
            assert np.count_nonzero(code[rows] == b) == np.count_nonzero(code == b)
    # A table sorted by bundle is cut into slices: bundle 0 (3 rows) + bundle 1 (2 rows)
    # would pass 4 rows, so the cut falls after bundle 0; bundles 1 and 2 fit in 3 rows.
    sorted_code = np.array([0, 0, 0, 1, 1, 2])
    assert [rows for rows, _ in chunks(sorted_code, 3, max_rows=4)] == [
        slice(0, 3), slice(3, 6)]


def test_lines_built_later_piece_by_piece_match_the_budget(monkeypatch) -> None:
    """The long tables of lines and work are built on first use by running the kernel
    again, piece by piece: cut into pieces of 7 compounds they equal the one-piece
    tables, and each compound's lines add up, payer by payer, exactly to its paid_by
    columns."""
    df = pf.datasets.sanqiao_like_street()
    whole = pf.evaluate_district(df)
    monkeypatch.setattr(evaluate_module, "CHUNK_ROWS", 7)
    result = pf.evaluate_district(df)
    pd.testing.assert_frame_equal(result.lines, whole.lines)
    pd.testing.assert_frame_equal(result.work, whole.work)
    ids = result.compounds["compound_id"]
    assert result.lines["compound_id"].astype(str).drop_duplicates().tolist() == ids.tolist()
    assert result.work["compound_id"].drop_duplicates().tolist() == ids.tolist()
    fen = (result.lines.assign(fen=(result.lines["amount_yuan"] * 100).round().astype(int))
           .pivot_table(index="compound_id", columns="payer", values="fen", aggfunc="sum",
                        observed=True, fill_value=0))
    for payer in PAYERS:
        paid = (result.compounds.set_index("compound_id")[f"paid_by_{payer}_yuan"] * 100
                ).round().astype(int)
        got = fen[payer] if payer in fen.columns else pd.Series(0, index=paid.index)
        assert got.reindex(paid.index, fill_value=0).tolist() == paid.tolist()


def test_lines_and_work_of_a_budget_without_lines_are_an_error() -> None:
    result = pf.evaluate_district(pf.datasets.sanqiao_like_street().head(3), with_lines=False)
    with pytest.raises(ValueError, match="with_lines=False"):
        _ = result.lines
    with pytest.raises(ValueError, match="with_lines=False"):
        _ = result.work
    # The compound table and the credit are there all the same.
    assert len(result.compounds) == 3
    assert len(result.channel_credit()) == 3


def test_compound_columns_in_their_order() -> None:
    """The compound table's columns stand in a fixed order (the Excel report and the
    docs show them so): the ratios come right after the street's totals, the market
    baseline after them, then the credit and the hours of work by supplier."""
    c = pf.evaluate_district(pf.datasets.sanqiao_like_street().head(3), contributions=True)
    cols = list(c.compounds.columns)
    start = cols.index("paid_by_volunteers_in_kind_yuan") + 1
    assert cols[start:] == [
        "total_cost_yuan", "compound_cash_cost_yuan", "fee_collected_yuan",
        "public_income_yuan", "pool_balance_yuan", "street_subsidy_yuan",
        "pool_surplus_yuan", "street_total_yuan", "net_public_cost_yuan", "pool_non_negative",
        "cost_per_household_month_yuan", "cash_cost_per_household_month_yuan",
        "lift_levy_per_lift_household_month_yuan", "market_baseline_cost_yuan",
        "market_baseline_balance_yuan", "saving_vs_market_baseline_yuan", "deficit_reduction_yuan",
        *(f"contribution_{ch}_yuan" for ch in CREDIT_CHANNELS),
        *(f"hours_{s}" for s in SUPPLIERS), "volunteer_hours", "volunteer_added_hours"]


def _sum_specs() -> list[LineSpec]:
    return [LineSpec("a", "street_fallback", "cleaning", "street_office", "service"),
            LineSpec("b", "self_governance", "cleaning", "volunteers_in_kind", "in_kind"),
            LineSpec("c", "direct", "upkeep", "fund_pool", "running"),
            LineSpec("d", "street_fallback", "order", "street_office", "service"),
            LineSpec("e", "smart_devices", "order", "fund_pool", "capital")]


@pytest.mark.parametrize("n", [2, ROUND_BLOCK])  # one integer product / row by row
def test_group_sums_by_hand(n: int) -> None:
    """Rows 1, 10, 100, 1000, 10000 fen (times the column number):
    street_fallback = a + d = 1 + 1000 = 1001; self_governance = b = 10; direct = c =
    100; smart_devices = 10000; market has no line: 0. street_office = a + d = 1001;
    volunteers_in_kind = b = 10; fund_pool = c + e = 10100; renovation_programme: 0."""
    specs = _sum_specs()
    scale = np.arange(1, n + 1, dtype=np.int64)
    matrix = np.array([1, 10, 100, 1000, 10000], dtype=np.int64)[:, None] * scale
    sums = group_sums_by(specs, matrix, {
        "channel": ("street_fallback", "self_governance", "direct", "smart_devices", "market"),
        "payer": ("street_office", "volunteers_in_kind", "fund_pool", "renovation_programme"),
    })
    expected = {"channel": {"street_fallback": 1001, "self_governance": 10, "direct": 100,
                            "smart_devices": 10000, "market": 0},
                "payer": {"street_office": 1001, "volunteers_in_kind": 10, "fund_pool": 10100,
                          "renovation_programme": 0}}
    for by, groups in expected.items():
        assert list(sums[by]) == list(groups)  # in the order asked for
        for name, fen in groups.items():
            assert sums[by][name].dtype == np.int64
            assert sums[by][name].tolist() == (fen * scale).tolist(), (by, name)
    # one attribute alone: the same sums; a group left out is not summed
    by_category = group_sums(specs, matrix, "category", ("order", "upkeep"))
    assert list(by_category) == ["order", "upkeep"]
    assert by_category["order"].tolist() == (11000 * scale).tolist()
    assert by_category["upkeep"].tolist() == (100 * scale).tolist()


def test_group_sums_of_no_lines_are_zeros() -> None:
    """A budget without lines (no specs, a (0, 3) matrix): every group sums to zero fen."""
    sums = group_sums_by([], np.zeros((0, 3), dtype=np.int64),
                         {"payer": ("street_office", "fund_pool")})
    assert {name: v.tolist() for name, v in sums["payer"].items()} == {
        "street_office": [0, 0, 0], "fund_pool": [0, 0, 0]}
