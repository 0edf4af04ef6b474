"""The 4+1 budget: hand-computed channels, conservation, one engine, properties, bad input."""

from __future__ import annotations

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
from propfee.channels import (
    Bundle,
    Device,
    IncomeSource,
    PerUseJob,
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
from propfee.plan import Plan, default_plan, resolve_plan

from .conftest import BARE, POST_YUAN, districts


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


def test_bare_plan_staffs_the_stand_alone_headcount() -> None:
    """Every role a standing post of the contract, at cost: the stand-alone headcount.

    Grade 3 demand of the compound (100 households, 10,000 m2, 1,000 m2 green, 1 gate):
      cleaning    10,000 / 13,000 = 0.77 -> 1.0 (half posts):  1.0 x 38,520 = 38,520
      order       1 x 24 x 365 / 2,920 = 3 guards:              3 x 55,908 = 167,724
      maintenance 10,000 / 32,500 = 0.31 -> 0.5:               0.5 x 53,640 = 26,820
      greening    1,000 / 17,500 = 0.06 -> 0.5:                0.5 x 38,520 = 19,260
      management  100 / 650 = 0.15 -> 0.5:                     0.5 x 57,420 = 28,710
    """
    c = _compound()
    lines = _lines(pf.evaluate(c, BARE))
    assert lines["contract_staff_cleaning"] == 38520.0
    assert lines["contract_staff_order"] == 167724.0
    assert lines["contract_staff_maintenance"] == 26820.0
    assert lines["contract_staff_greening"] == 19260.0
    assert lines["contract_staff_management"] == 28710.0
    assert lines["contract_margin"] == 0.0
    assert lines["contract_fixed_fee"] == 0.0
    assert lines["contract_travel"] == 0.0
    # The same posts as the stand-alone market company at the plan's grade.
    base = pf.market_baseline(c, grade=3)
    assert base.headcount_fte == {"cleaning": 1.0, "order": 3.0, "maintenance": 0.5,
                                  "greening": 0.5, "management": 0.5}
    base_lines = {x.code: x.amount_yuan for x in base.lines}
    for role, post in POST_YUAN.items():
        assert lines[f"contract_staff_{role}"] == base_lines[f"staff_{role}"]
        assert lines[f"contract_staff_{role}"] == post * base.headcount_fte[role]


def test_smart_devices_annualised_capital_and_replaced_posts() -> None:
    gate = Device(name="access_control", basis="gate", units_per_basis=1.0,
                  capital_cost_yuan_per_unit=30000.0, service_life_years=8.0,
                  running_cost_yuan_per_unit_year=1200.0, replaces_role="order",
                  replaced_fte_per_unit=2.0)
    plan = _with(smart_devices=SmartDevices(devices=(gate,), discount_rate=0.04))
    r = pf.evaluate(_compound(), plan)
    lines = _lines(r)
    # crf(4%, 8 y) = 0.04 x 1.04^8 / (1.04^8 - 1) = 0.04 x 1.368569 / 0.368569 = 0.148528
    crf = 0.04 * 1.04**8 / (1.04**8 - 1)
    assert capital_recovery_factor(0.04, 8)[0] == pytest.approx(crf)
    assert lines["device_access_control_capital"] == round(30000 * crf, 2)  # 4,455.83
    assert lines["device_access_control_capital"] == 4455.83
    assert lines["device_access_control_running"] == 1200.0
    # 3 guards - 2 replaced = 1 guard: 1 x 55,908 = 55,908 (was 3 x 55,908 = 167,724).
    assert lines["contract_staff_order"] == 55908.0
    line = next(x for x in r.lines if x.line == "device_access_control_capital")
    assert (line.channel, line.category, line.payer, line.kind) == (
        "smart_devices", "depreciation", "renovation_programme", "capital")


@pytest.mark.parametrize(
    ("party_hours", "share", "staff_cleaning", "in_kind"),
    [
        # 10 party members x 0.5 active x 2 h + 100 households x 0.05 active x 2 h
        # = 10 + 10 = 20 h a week x 52 = 1,040 h a year, all on cleaning:
        # 1,040 / 2,000 h = 0.52 FTE of the 13,000 / 13,000 = 1.0 FTE demand; 0.48 left
        # -> 0.5 FTE (half posts) x 38,520 = 19,260; in kind 1,040 h x 19.8 = 20,592.
        (2.0, 1.0, 19260.0, 20592.0),
        # Half the hours on cleaning: 520 h = 0.26 FTE; 0.74 left -> 1.0 FTE = 38,520;
        # in kind 520 x 19.8 = 10,296.
        (2.0, 0.5, 38520.0, 10296.0),
        # More than the need: (10 x 0.5 x 10 + 10) = 60 h a week x 52 = 3,120 h = 1.56 FTE
        # offered, 1.0 needed: nothing left to staff; only the needed 2,000 h count in
        # kind: 2,000 x 19.8 = 39,600.
        (10.0, 1.0, 0.0, 39600.0),
    ],
)
def test_volunteer_supply_and_cap(party_hours, share, staff_cleaning, in_kind) -> None:
    task = VolunteerTask(name="in_building_cleaning", role="cleaning", share=share,
                         materials_yuan_per_household_year=1.5)
    sg = SelfGovernance(tasks=(task,), party_active_rate=0.5, party_hours_per_week=party_hours,
                        resident_active_rate=0.05, resident_hours_per_week=2.0)
    r = pf.evaluate(_compound(floor_area_m2=13000.0, party_members=10), _with(self_governance=sg))
    lines = _lines(r)
    assert lines["contract_staff_cleaning"] == staff_cleaning
    assert lines["volunteer_in_building_cleaning_time"] == pytest.approx(in_kind)
    assert lines["volunteer_in_building_cleaning_materials"] == 150.0  # 1.5 x 100 households
    assert r.by_payer["volunteers_in_kind"] == pytest.approx(in_kind)


def test_volunteer_party_members_default_from_households() -> None:
    # No party-member count: 100 households x 0.07 = 7 party members. Default rates:
    # (7 x 0.233 x 2 + 100 x 0.02 x 2) x 52 = (3.262 + 4) x 52 = 377.624 h a year
    # = 0.188812 FTE of cleaning; 1.0 - 0.188812 = 0.811 left -> 1.0 FTE = 38,520;
    # in kind 377.624 x 19.8 (hourly minimum wage, 2021-10-01) = 7,476.9552 -> 7,476.96.
    task = VolunteerTask(name="in_building_cleaning", role="cleaning", share=1.0)
    r = pf.evaluate(_compound(floor_area_m2=13000.0),
                    _with(self_governance=SelfGovernance(tasks=(task,))))
    lines = _lines(r)
    assert lines["volunteer_in_building_cleaning_time"] == 7476.96
    assert lines["contract_staff_cleaning"] == 38520.0


def test_volunteer_patrol_counts_guard_hours() -> None:
    # 20 party members x 0.5 active x 10 h = 100 h a week x 52 = 5,200 h a year on patrol.
    # A guard works 2,920 h: 5,200 / 2,920 = 1.781 guards of the 3 a 24 h gate needs;
    # 1.219 left -> 2 guards x 55,908 = 111,816. (Counted in 2,000 h posts it would be 2.6
    # and leave one guard.) In kind 5,200 x 19.8 = 102,960 (below the need: not capped).
    sg = SelfGovernance(tasks=(VolunteerTask(name="patrol", role="order", share=1.0),),
                        party_active_rate=0.5, party_hours_per_week=10.0,
                        resident_active_rate=0.0)
    lines = _lines(pf.evaluate(_compound(party_members=20), _with(self_governance=sg)))
    assert lines["contract_staff_order"] == 111816.0
    assert lines["volunteer_patrol_time"] == 102960.0


@pytest.mark.parametrize(
    ("cap", "job", "callout"),
    [
        # 2 buildings x 1 use a building a year x min(1 + 0.04 x 34, 2.0) = 2 x 2.0 = 4 uses
        # (1 + 0.04 x 34 = 2.36, capped at 2.0): job 4 x 300 x (1 - 0.3) = 840;
        # one use a visit: 4 visits x 100 x 0.7 = 280 (alone: shared by min(1, 3) = 1).
        (2.0, 840.0, 280.0),
        # Cap 3 does not bind: 2 x 2.36 = 4.72 uses: 4.72 x 210 = 991.20; 4.72 x 70 = 330.40.
        (3.0, 991.2, 330.4),
    ],
)
def test_per_use_job_with_discount_and_age_cap(cap, job, callout) -> None:
    pipe = PerUseJob(name="pipe_dredging", basis="building", uses_per_basis_year=1.0,
                     age_growth_per_year=0.04, age_factor_cap=cap, market_price_yuan_per_use=300.0,
                     discount_rate=0.3, callout_yuan_per_visit=100.0, uses_per_visit=1.0)
    r = pf.evaluate(_compound(), _with(shared_property=BARE.shared_property.model_copy(
        update={"jobs": (pipe,)})))
    lines = _lines(r)
    assert lines["job_pipe_dredging"] == job
    assert lines["job_pipe_dredging_callout"] == callout
    line = next(x for x in r.lines if x.line == "job_pipe_dredging")
    assert (line.channel, line.category, line.payer, line.kind) == (
        "shared_property", "upkeep", "fund_pool", "per_use")
    # The comparison baseline buys the same jobs at market price and unshared call-outs:
    # cap 2: 4 x 300 + 4 x 100 = 1,600; cap 3: 4.72 x 400 = 1,888.
    at_market = (job + callout) / 0.7
    assert r.baseline_total_yuan == pytest.approx(
        pf.market_baseline(_compound(), grade=3).total_annual_cost_yuan + at_market)


def _trees() -> pd.DataFrame:
    # Four compounds of 2,000 m2 green = 50 trees each (40 m2 a tree); a, b, c bundled.
    return pd.DataFrame({
        "compound_id": ["a", "b", "c", "d"], "households": [50] * 4,
        "floor_area_m2": [4000.0] * 4, "build_year": [1990] * 4, "green_area_m2": [2000.0] * 4,
    })


@pytest.mark.parametrize(("compounds_per_visit", "shared_callout"), [
    # 50 trees x 0.5 prunings a year = 25 uses; 20 uses a visit: 1.25 visits;
    # call-outs of one compound 1.25 x 120 x (1 - 0.3) = 105 a year.
    # Three members, one visit serves all three: 105 / min(3, 3) = 35 each.
    (3.0, 35.0),
    # One visit serves two of them: 105 / min(3, 2) = 52.50 each.
    (2.0, 52.5),
])
def test_bundle_shares_call_outs(compounds_per_visit, shared_callout) -> None:
    job = PerUseJob(name="tree_pruning", basis="tree", uses_per_basis_year=0.5,
                    market_price_yuan_per_use=60.0, discount_rate=0.3,
                    callout_yuan_per_visit=120.0, uses_per_visit=20.0)
    plan = Plan(service_grade=3, shared_property=SharedProperty(
        bundle_by="explicit", bundles=(Bundle(bundle_id="B", members=("a", "b", "c")),),
        jobs=(job,), compounds_per_visit=compounds_per_visit))
    out = pf.evaluate_district(_trees(), plan, contributions=False)
    lines = out.lines.set_index(["compound_id", "line"])["amount_yuan"]
    # The job itself is not shared: 25 x 60 x 0.7 = 1,050 each.
    assert [lines[(k, "job_tree_pruning")] for k in "abcd"] == [1050.0] * 4
    # d is alone: its call-outs are its own, 105.
    assert [lines[(k, "job_tree_pruning_callout")] for k in "abcd"] == [shared_callout] * 3 + [
        105.0]
    # The comparison baseline pays market prices, unshared: 25 x 60 + 1.25 x 120 = 1,650.
    assert out.compounds["baseline_jobs_at_market_yuan"].tolist() == [1650.0] * 4


def test_street_fallback_per_tonne_and_replaced_share() -> None:
    garbage = StreetItem(name="garbage_removal", pricing="per_tonne", price_yuan=120.0,
                         kg_per_household_day=2.0, category="cleaning",
                         replaces_role="cleaning", replaced_share=0.5)
    c = _compound(households=140, floor_area_m2=13000.0)
    plan = _with(street_fallback=StreetFallback(items=(garbage,)))
    r = pf.evaluate(c, plan)
    lines = _lines(r)
    # 140 households x 2 kg x 365 d / 1,000 = 102.2 t x 120 yuan = 12,264 yuan.
    assert lines["street_garbage_removal"] == 12264.0
    # Half of the 13,000 / 13,000 = 1.0 FTE cleaning demand taken over: 0.5 x 38,520.
    assert lines["contract_staff_cleaning"] == 19260.0
    assert r.by_payer["street_office"] == 12264.0
    line = next(x for x in r.lines if x.line == "street_garbage_removal")
    assert (line.channel, line.payer, line.kind) == ("street_fallback", "street_office",
                                                     "service")
    # Street channel off: the compound's fund pool pays the same 12,264 and the street
    # takes over no demand: the company staffs the whole 1.0 FTE, 38,520.
    table = pf.validate_compounds(c)
    off = budget_arrays(table, resolve_plan(plan, table), pf.default_parameters(),
                        [ch for ch in CREDIT_CHANNELS if ch != "street_fallback"])
    spec = next(s for s in off.lines if s.code == "street_garbage_removal")
    assert (spec.channel, spec.payer) == ("street_fallback", "fund_pool")
    assert off.fen(spec).tolist() == [1226400]
    staff = next(s for s in off.lines if s.code == "contract_staff_cleaning")
    assert off.fen(staff).tolist() == [3852000]
    assert ("street_fallback", "cleaning") not in off.replaced_fte


def test_public_income_fills_the_pool() -> None:
    sources = (
        IncomeSource(name="parking", basis="parking_space", units_per_basis=1.0,
                     price_yuan_per_unit_year=1200.0, occupancy_rate=0.6, cost_share_rate=0.1),
        IncomeSource(name="advertising", basis="compound", units_per_basis=2.0,
                     price_yuan_per_unit_year=1500.0, occupancy_rate=0.5),
    )
    bare = pf.evaluate(_compound(), BARE)
    r = pf.evaluate(_compound(), _with(public_income=PublicIncome(sources=sources)))
    # Parking 20 x 1,200 x 0.6 x 0.9 = 12,960; advertising 2 x 1,500 x 0.5 = 1,500.
    assert r.public_income_yuan == 14460.0
    assert r.pool_balance_yuan == pytest.approx(bare.pool_balance_yuan + 14460.0)
    assert bare.street_subsidy_yuan > 14460.0  # the bare company runs a deficit
    assert r.street_subsidy_yuan == pytest.approx(bare.street_subsidy_yuan - 14460.0)


def test_bundling_pools_fractional_posts() -> None:
    # Two compounds of 100 households, 6,000 m2, no gates, grade 3:
    # management 100 / 650 = 0.154 FTE each. Alone: 0.5 FTE each = 0.5 x 57,420 = 28,710.
    # Bundled: 0.308 FTE pooled -> 0.5 FTE = 28,710, split 14,355 / 14,355 by demand.
    # maintenance 6,000 / 32,500 = 0.185 each: alone 0.5 x 53,640 = 26,820 each;
    # bundled 0.369 -> 0.5 = 26,820, split 13,410 / 13,410.
    df = pd.DataFrame({
        "compound_id": ["a", "b"], "households": [100, 100], "floor_area_m2": [6000.0, 6000.0],
        "build_year": [1990, 1990], "gates": [0, 0], "zone": ["z", "z"],
    })
    alone = pf.evaluate_district(df, BARE, contributions=False).lines
    zone = BARE.model_copy(update={"shared_property": BARE.shared_property.model_copy(
        update={"bundle_by": "zone"})})
    bundled = pf.evaluate_district(df, zone, contributions=False).lines

    def pick(t: pd.DataFrame, line: str) -> list[float]:
        return t[t["line"] == line]["amount_yuan"].tolist()

    assert pick(alone, "contract_staff_management") == [28710.0, 28710.0]
    assert pick(bundled, "contract_staff_management") == [14355.0, 14355.0]
    assert pick(alone, "contract_staff_maintenance") == [26820.0, 26820.0]
    assert pick(bundled, "contract_staff_maintenance") == [13410.0, 13410.0]


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
    out = pf.evaluate_district(df, plan, contributions=False).lines
    fee = out[out["line"] == "contract_fixed_fee"]["amount_yuan"]
    assert fee.tolist() == [1666.67, 3333.33, 5000.0]
    assert yuan_to_fen(fee.to_numpy()).sum() == 1_000_000


def test_contract_fee_only_with_standing_posts() -> None:
    # A per-use contract (no standing roles) pays no crew fee, margin or travel: the
    # fixed fee is a fee per crew of standing staff.
    df = pd.DataFrame({"compound_id": ["a", "b"], "households": [10, 20],
                       "floor_area_m2": [1000.0, 2000.0], "build_year": [1990] * 2,
                       "x_m": [0.0, 300.0], "y_m": [0.0, 400.0]})
    plan = Plan(shared_property=SharedProperty(
        bundle_by="explicit", fixed_fee_yuan_per_bundle_year=10000.0,
        bundles=(Bundle(bundle_id="B1", members=("a", "b")),)))
    out = pf.evaluate_district(df, plan, contributions=False).lines
    assert not out["line"].str.startswith("contract_").any()


@pytest.mark.parametrize(("regime", "guards", "extra_line", "extra_yuan", "spec"), [
    # 2 gates x 24 h x 365 / 2,920 h = 6 guards x 55,908 = 335,448.
    ("staffed_24h", 6.0, None, 0.0, None),
    # 2 gates x 16 h x 365 / 2,920 h = 4 guards x 55,908 = 223,632.
    ("staffed_16h", 4.0, None, 0.0, None),
    # No guards; 2 live-in gatekeepers x 1,500 x 12 = 36,000 (service agreement).
    ("live_in", 0.0, "gate_live_in", 36000.0, ("direct", "order", "fund_pool", "informal")),
    # No guards; remote help 2 gates x 1,200 = 2,400.
    ("device_only", 0.0, "gate_remote_help", 2400.0,
     ("smart_devices", "order", "fund_pool", "running")),
])
def test_gate_regimes_of_one_compound(regime, guards, extra_line, extra_yuan, spec) -> None:
    plan = BARE.model_copy(update={"gate_regime": regime})
    r = pf.evaluate(_compound(gates=2), plan)
    lines = _lines(r)
    assert lines["contract_staff_order"] == guards * 55908.0
    for other in ("gate_live_in", "gate_remote_help"):
        if other != extra_line:
            assert other not in lines
    if extra_line is not None:
        assert lines[extra_line] == extra_yuan
        line = next(x for x in r.lines if x.line == extra_line)
        assert (line.channel, line.category, line.payer, line.kind) == spec


def test_device_only_gate_needs_the_devices_channel() -> None:
    # Without smart devices a device-only gate falls back to the grade's regime (grade 3:
    # staffed 24 h): 2 gates x 3 = 6 guards, all staffed by the contract; no remote help.
    plan = BARE.model_copy(update={"gate_regime": "device_only"})
    table = pf.validate_compounds(_compound(gates=2))
    out = budget_arrays(table, resolve_plan(plan, table), pf.default_parameters(),
                        [ch for ch in CREDIT_CHANNELS if ch != "smart_devices"])
    assert out.replaced_fte[("shared_property", "order")].tolist() == [6.0]
    assert "gate_remote_help" not in {s.code for s in out.lines}
    staff = next(s for s in out.lines if s.code == "contract_staff_order")
    assert out.fen(staff).tolist() == [33544800]  # 6 x 55,908 = 335,448.00


def test_informal_hires_pay_the_hours_without_on_costs() -> None:
    # Grade 3, 5,200 m2: cleaning 5,200 / 13,000 = 0.4 FTE, hired informally: no rounding,
    # no social insurance, no welfare: 0.4 x 2,000 x 12 = 9,600 (a formal half post would
    # be 0.5 x 38,520 = 19,260).
    plan = Plan(service_grade=3, informal_roles=("cleaning",),
                shared_property=SharedProperty(bundle_by="none"))
    r = pf.evaluate(_compound(floor_area_m2=5200.0), plan)
    lines = _lines(r)
    assert lines["informal_cleaning"] == 9600.0
    line = next(x for x in r.lines if x.line == "informal_cleaning")
    assert (line.channel, line.category, line.payer, line.kind) == (
        "direct", "staff", "fund_pool", "informal")
    assert "contract_staff_cleaning" not in lines


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


def test_evaluate_equals_the_district_row() -> None:
    """One compound through evaluate() and the same compound in a table written by hand."""
    df = pd.DataFrame({
        "compound_id": ["p", "q", "r"], "households": [80, 100, 240],
        "floor_area_m2": [5600.0, 10000.0, 19200.0], "build_year": [1985, 1990, 2001],
        "gates": [1, 1, 2], "green_area_m2": [400.0, 1000.0, 3000.0],
        "buildings": [2, 2, 5], "stairwell_units": [4, 6, 15], "parking_spaces": [10, 20, 60],
        "party_members": [5, 9, 20], "zone": ["z1", "z2", "z3"],
    })
    district = pf.evaluate_district(df, contributions=True)
    single = pf.evaluate(pf.Compound(
        compound_id="q", households=100, floor_area_m2=10000.0, build_year=1990, gates=1,
        green_area_m2=1000.0, buildings=2, stairwell_units=6, parking_spaces=20,
        party_members=9, zone="z2"))
    row = district.compounds.iloc[1]
    for name, info in pf.BudgetResult.model_fields.items():
        if info.annotation is float:
            assert getattr(single, name) == row[name], name
    assert single.bundle_id == row["bundle_id"]
    assert single.contributions == {ch: row[f"contribution_{ch}_yuan"] for ch in CREDIT_CHANNELS}
    assert single.by_payer == {p: row[f"paid_by_{p}_yuan"] for p in pf.channels.PAYERS}
    mine = district.lines[district.lines["compound_id"] == "q"]
    assert [(x.line, x.amount_yuan) for x in single.lines] == list(
        zip(mine["line"].astype(str), mine["amount_yuan"], strict=True))


def _fen(s: pd.Series) -> np.ndarray:
    return yuan_to_fen(s.to_numpy())


@given(districts())
def test_money_is_conserved(df) -> None:
    out = pf.evaluate_district(df, contributions=True)
    c = out.compounds
    lines_total = out.lines.assign(fen=_fen(out.lines["amount_yuan"])).groupby(
        "compound_id", sort=False)["fen"].sum().reindex(c["compound_id"]).to_numpy()
    total = _fen(c["total_cost_yuan"])
    np.testing.assert_array_equal(lines_total, total)
    payers = sum(_fen(c[f"paid_by_{p}_yuan"]) for p in pf.channels.PAYERS)
    np.testing.assert_array_equal(payers, total)
    channels = sum(_fen(c[col]) for col in c.columns
                   if col.startswith("cost_") and col != "cost_per_household_month_yuan")
    np.testing.assert_array_equal(channels, total)
    # Pool balance and subsidy.
    np.testing.assert_array_equal(
        _fen(c["fee_collected_yuan"]) + _fen(c["public_income_yuan"])
        - _fen(c["compound_cash_cost_yuan"]), _fen(c["pool_balance_yuan"]))
    assert (c["pool_balance_yuan"] + c["street_subsidy_yuan"] >= -1e-9).all()
    # Channel contributions add up to the change of balance from no channel on.
    contrib = sum(_fen(c[col]) for col in c.columns if col.startswith("contribution_"))
    np.testing.assert_array_equal(
        contrib, _fen(c["pool_balance_yuan"]) - _fen(c["channel_base_balance_yuan"]))
    # The street bears its lines and the subsidy; the public bears the renovation capital.
    np.testing.assert_array_equal(
        _fen(c["street_total_yuan"]),
        _fen(c["paid_by_street_office_yuan"]) + _fen(c["street_subsidy_yuan"]))
    np.testing.assert_array_equal(
        _fen(c["net_public_cost_yuan"]),
        _fen(c["street_total_yuan"]) + _fen(c["paid_by_renovation_programme_yuan"]))
    # Every yuan has exactly one payer: the long table has one payer per line.
    assert out.lines["payer"].isin(pf.channels.PAYERS).all()


@settings(max_examples=20)
@given(districts(max_size=8), st.sampled_from(["shapley", "waterfall"]))
def test_contributions_sum_exactly_to_the_change_of_balance(df, mode) -> None:
    """Shapley credits (and the waterfall's steps) add up, in fen, to the pool balance
    minus the balance with no channel on, compound by compound."""
    c = pf.evaluate_district(df, contributions=mode, with_lines=False).compounds
    contrib = sum(_fen(c[f"contribution_{ch}_yuan"]) for ch in CREDIT_CHANNELS)
    np.testing.assert_array_equal(
        contrib, _fen(c["pool_balance_yuan"]) - _fen(c["channel_base_balance_yuan"]))


@given(districts(max_size=5))
def test_single_and_district_agree(df) -> None:
    plan = default_plan().model_copy(update={"shared_property": default_plan(
    ).shared_property.model_copy(update={"bundle_by": "none"})})
    district = pf.evaluate_district(df, plan, contributions=True)
    for i, record in enumerate(df.to_dict("records")):
        single = pf.evaluate(pf.Compound(**record), plan)
        row = district.compounds.iloc[i]
        assert single.total_cost_yuan == row["total_cost_yuan"]
        assert single.street_subsidy_yuan == row["street_subsidy_yuan"]
        assert single.contributions["smart_devices"] == row["contribution_smart_devices_yuan"]
        mine = district.lines[district.lines["compound_id"] == row["compound_id"]]
        assert [x.amount_yuan for x in single.lines] == mine["amount_yuan"].tolist()


@given(districts(min_size=2), st.randoms(use_true_random=False))
def test_order_of_compounds_changes_nothing(df, rnd) -> None:
    order = list(range(len(df)))
    rnd.shuffle(order)
    a = pf.evaluate_district(df).compounds.set_index("compound_id").sort_index()
    b = pf.evaluate_district(df.iloc[order]).compounds.set_index("compound_id").sort_index()
    pd.testing.assert_frame_equal(a, b)


@given(districts(max_size=6), st.floats(0.0, 0.9), st.floats(0.0, 0.1))
def test_bigger_discount_never_raises_cost(df, discount, extra) -> None:
    plan = default_plan()
    jobs = tuple(j.model_copy(update={"discount_rate": discount})
                 for j in plan.shared_property.jobs)
    deeper = tuple(j.model_copy(update={"discount_rate": discount + extra}) for j in jobs)
    sp = plan.shared_property
    low = plan.model_copy(update={"shared_property": sp.model_copy(update={"jobs": jobs})})
    high = plan.model_copy(update={"shared_property": sp.model_copy(update={"jobs": deeper})})
    a = pf.evaluate_district(df, low, contributions=False).compounds["total_cost_yuan"]
    b = pf.evaluate_district(df, high, contributions=False).compounds["total_cost_yuan"]
    assert (b <= a).all()


@given(districts(max_size=6), st.floats(0.0, 5000.0), st.floats(0.0, 5000.0))
def test_more_public_income_never_raises_the_subsidy(df, price, extra) -> None:
    def plan(p: float) -> Plan:
        src = IncomeSource(name="ads", basis="compound", units_per_basis=1.0,
                           price_yuan_per_unit_year=p)
        return default_plan().model_copy(update={"public_income": PublicIncome(sources=(src,))})

    a = pf.evaluate_district(df, plan(price), contributions=False).compounds
    b = pf.evaluate_district(df, plan(price + extra), contributions=False).compounds
    assert (b["street_subsidy_yuan"] <= a["street_subsidy_yuan"]).all()


@given(districts(max_size=6))
def test_json_round_trip_gives_the_same_budget(df) -> None:
    plan = default_plan()
    again = Plan.from_json(plan.to_json())
    assert again == plan
    a = pf.evaluate_district(df, plan)
    b = pf.evaluate_district(df, again)
    pd.testing.assert_frame_equal(a.compounds, b.compounds)
    pd.testing.assert_frame_equal(a.lines, b.lines)


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
    # Under the market baseline most small compounds run a deficit ...
    assert (small["baseline_balance_yuan"] < 0).mean() > 0.9
    # ... under 4+1 with default parameters the deficit shrinks for every compound ...
    assert (c["deficit_reduction_yuan"] > 0).all()
    totals = out.district_totals()
    assert totals["street_subsidy_yuan"] < 0.5 * -totals["baseline_balance_yuan"]
    # ... and the channels say by how much, adding up exactly.
    contrib = sum(totals[f"contribution_{ch}_yuan"] for ch in CREDIT_CHANNELS)
    assert contrib == pytest.approx(
        totals["pool_balance_yuan"] - totals["channel_base_balance_yuan"])
    by_street = out.totals_by("street")
    assert by_street["compounds"].sum() == 286
    assert by_street["street_subsidy_yuan"].sum() == pytest.approx(totals["street_subsidy_yuan"])


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: Plan(shared_property=SharedProperty(bundle_by="explicit", bundles=(
            Bundle(bundle_id="B", members=("k", "ghost")),))), "ghost"),
        (lambda: PerUseJob(name="x", basis="building", market_price_yuan_per_use=-1.0,
                           discount_rate=0.1, uses_per_basis_year=1.0),
         "greater than or equal to 0"),
        (lambda: PerUseJob(name="x", basis="building", market_price_yuan_per_use=1.0,
                           discount_rate=0.1, uses_per_basis_year=1.0, uses_per_visit=0.0),
         "greater than 0"),
        (lambda: PerUseJob(name="x", basis="building", market_price_yuan_per_use=1.0,
                           discount_rate=0.1, uses_per_basis_year=1.0, age_factor_cap=0.5),
         "greater than or equal to 1"),
        (lambda: VolunteerTask(name="x", role="order", share=1.2), "less than or equal to 1"),
        (lambda: SelfGovernance(tasks=(VolunteerTask(name="x", role="order", share=0.6),
                                       VolunteerTask(name="y", role="cleaning", share=0.5))),
         "add up to more than 1"),
        (lambda: Device(name="x", basis="gate", units_per_basis=1.0,
                        capital_cost_yuan_per_unit=1.0, service_life_years=0.0),
         "greater than 0"),
        (lambda: Plan.from_json('{"colour": 1}'), "Extra inputs"),
        (lambda: SharedProperty(bundles=(Bundle(bundle_id="A", members=("k",)),
                                         Bundle(bundle_id="B", members=("k",)))),
         "is in bundles"),
        (lambda: SmartDevices(devices=(
            Device(name="x", basis="gate", units_per_basis=1.0, capital_cost_yuan_per_unit=1.0,
                   service_life_years=1.0),) * 2), "unique"),
    ],
)
def test_bad_plans_are_refused(build, fragment) -> None:
    with pytest.raises((InputError, ValueError)) as info:
        pf.evaluate(_compound(), build())
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"compound_id": ["nobody"], "public_income.parking.occupancy_rate": [0.5]},
         "names no compound"),
        ({"compound_id": ["k"], "public_income.parking.occupancy_rate": [1.5]}, "must be <= 1"),
        ({"compound_id": ["k"], "smart_devices.cameras.service_life_years": [0.0]},
         "must be > 0"),
        ({"compound_id": ["k"], "street_fallback.grid_workers.price_yuan": [-3.0]},
         "must be >= 0"),
        ({"compound_id": ["k"], "self_governance.patrol.share": ["lots"]},
         "not a finite number"),
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
       st.randoms(use_true_random=False), st.sampled_from(["zone", "street", "none"]))
def test_chunk_size_changes_nothing(df, chunk_rows, rnd, bundle_by) -> None:
    """The district call cuts the table into pieces of whole bundles; any cut gives the
    same tables as one piece, also when a bundle's rows are scattered."""
    from propfee.budget import _district_budget
    from propfee.compound import validate_compounds
    from propfee.params import default_parameters
    from propfee.plan import resolve_plan

    order = list(range(len(df)))
    rnd.shuffle(order)
    table = validate_compounds(df.iloc[order])
    plan = default_plan()
    plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": bundle_by})})
    resolved = resolve_plan(plan, table)
    params = default_parameters()
    whole = _district_budget(table, params, resolved, True, True, chunk_rows=10**9)
    cut = _district_budget(table, params, resolved, True, True, chunk_rows=chunk_rows)
    pd.testing.assert_frame_equal(whole.compounds, cut.compounds)
    pd.testing.assert_frame_equal(whole.lines, cut.lines)


def test_pieces_keep_bundles_whole() -> None:
    from propfee.budget import _chunks

    code = np.array([2, 0, 1, 0, 2, 2, 1, 3, 0])  # bundle 2 has 3 rows, scattered
    pieces = _chunks(code, 4, max_rows=2)
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
    assert [rows for rows, _ in _chunks(sorted_code, 3, max_rows=4)] == [
        slice(0, 3), slice(3, 6)]


def test_lines_built_later_piece_by_piece_match_the_budget(monkeypatch) -> None:
    """The long table of lines is built on first use by running the kernel again, piece
    by piece: cut into pieces of 7 compounds it equals the one-piece table, and each
    compound's lines add up, payer by payer, exactly to its paid_by columns."""
    import propfee.budget as budget

    df = pf.datasets.sanqiao_like_street()
    whole = pf.evaluate_district(df).lines
    monkeypatch.setattr(budget, "CHUNK_ROWS", 7)
    result = pf.evaluate_district(df)
    pd.testing.assert_frame_equal(result.lines, whole)
    fen = (result.lines.assign(fen=(result.lines["amount_yuan"] * 100).round().astype(int))
           .pivot_table(index="compound_id", columns="payer", values="fen", aggfunc="sum",
                        observed=True, fill_value=0))
    for payer in fen.columns:
        paid = (result.compounds.set_index("compound_id")[f"paid_by_{payer}_yuan"] * 100
                ).round().astype(int)
        assert fen[payer].reindex(paid.index, fill_value=0).tolist() == paid.tolist()


def test_lines_of_a_budget_without_lines_is_an_error() -> None:
    result = pf.evaluate_district(pf.datasets.sanqiao_like_street(), with_lines=False)
    with pytest.raises(ValueError, match="with_lines=False"):
        _ = result.lines


def test_compound_columns_in_their_order() -> None:
    """The compound table's columns stand in a fixed order (the Excel report and the
    docs show them so): the ratios come right after the street's totals."""
    cols = list(pf.evaluate_district(pf.datasets.sanqiao_like_street()).compounds.columns)
    start = cols.index("paid_by_volunteers_in_kind_yuan") + 1
    assert cols[start:start + 17] == [
        "total_cost_yuan", "compound_cash_cost_yuan", "fee_collected_yuan",
        "public_income_yuan", "pool_balance_yuan", "street_subsidy_yuan",
        "street_total_yuan", "net_public_cost_yuan", "pool_non_negative",
        "cost_per_household_month_yuan", "cash_cost_per_household_month_yuan",
        "baseline_market_price_yuan", "baseline_jobs_at_market_yuan", "baseline_total_yuan",
        "baseline_balance_yuan", "saving_vs_baseline_yuan", "deficit_reduction_yuan"]


def _sum_specs() -> list[LineSpec]:
    return [LineSpec("a", "street_fallback", "cleaning", "street_office", "standing"),
            LineSpec("b", "direct", "cleaning", "residents_fees", "standing"),
            LineSpec("c", "direct", "upkeep", "fund_pool", "per_use"),
            LineSpec("d", "street_fallback", "security", "street_office", "standing"),
            LineSpec("e", "smart_devices", "security", "fund_pool", "capital")]


@pytest.mark.parametrize("n", [2, ROUND_BLOCK])  # one integer product / row by row
def test_group_sums_by_hand(n: int) -> None:
    """Rows 1, 10, 100, 1000, 10000 fen (times the column number, plus one):
    street_fallback = a + d = 1 + 1000 = 1001; direct = b + c = 110; smart_devices =
    10000; self_governance has no line: 0. street_office = a + d = 1001; residents_fees
    = b = 10; fund_pool = c + e = 10100; renovation_programme: 0."""
    specs = _sum_specs()
    scale = np.arange(1, n + 1, dtype=np.int64)
    matrix = np.array([1, 10, 100, 1000, 10000], dtype=np.int64)[:, None] * scale
    sums = group_sums_by(specs, matrix, {
        "channel": ("street_fallback", "direct", "smart_devices", "self_governance"),
        "payer": ("street_office", "residents_fees", "fund_pool", "renovation_programme"),
    })
    expected = {"channel": {"street_fallback": 1001, "direct": 110, "smart_devices": 10000,
                            "self_governance": 0},
                "payer": {"street_office": 1001, "residents_fees": 10, "fund_pool": 10100,
                          "renovation_programme": 0}}
    for by, groups in expected.items():
        assert list(sums[by]) == list(groups)  # in the order asked for
        for name, fen in groups.items():
            assert sums[by][name].dtype == np.int64
            assert sums[by][name].tolist() == (fen * scale).tolist(), (by, name)
    # one attribute alone: the same sums; a group left out is not summed
    by_category = group_sums(specs, matrix, "category", ("security", "upkeep"))
    assert list(by_category) == ["security", "upkeep"]
    assert by_category["security"].tolist() == (11000 * scale).tolist()
    assert by_category["upkeep"].tolist() == (100 * scale).tolist()


def test_group_sums_of_no_lines_are_zeros() -> None:
    """A budget without lines (no specs, a (0, 3) matrix): every group sums to zero fen."""
    sums = group_sums_by([], np.zeros((0, 3), dtype=np.int64),
                         {"payer": ("street_office", "fund_pool")})
    assert {name: v.tolist() for name, v in sums["payer"].items()} == {
        "street_office": [0, 0, 0], "fund_pool": [0, 0, 0]}
