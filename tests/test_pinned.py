"""One small bundle computed by hand: every line's amount, channel, category, payer and
kind, and every contract share (staff, margin, crew fee, travel) of every compound.

Two plans: a contract with standing posts (every number written out below), and the
default plan, whose figures are computed here from the plan's own items and the
parameter set (so they follow the plan when its illustrative prices change), with the
formulas of each channel written in the test.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.channels import (
    Bundle,
    Device,
    SelfGovernance,
    SharedProperty,
    SmartDevices,
    VolunteerTask,
)
from propfee.money import yuan_to_fen
from propfee.plan import Plan, default_plan

Row = tuple[str, str, str, str, float]
"""(channel, category, payer, kind, amount [yuan/year]) of one line."""


def _bundle() -> pd.DataFrame:
    """Three compounds of 65 m2 a household, built 1990 (34 years old in 2024).

    1,500 households in all: exactly one crew of 1,500 households. Bounding box of the
    locations 300 m x 400 m: spread 500 m.
    """
    return pd.DataFrame({
        "compound_id": ["a", "b", "c"],
        "households": [900, 450, 150],
        "floor_area_m2": [58500.0, 29250.0, 9750.0],
        "build_year": [1990, 1990, 1990],
        "green_area_m2": [3500.0, 1750.0, 0.0],
        "gates": [1, 1, 0],
        "buildings": [12, 6, 2],
        "stairwell_units": [30, 15, 5],
        "storeys": [6, 6, 5],
        "parking_spaces": [40, 10, 0],
        "party_members": [20, 0, 0],
        "x_m": [0.0, 300.0, 0.0],
        "y_m": [0.0, 400.0, 400.0],
        "zone": ["z", "z", "z"],
    })


STANDING = Plan(
    service_grade=3,
    self_governance=SelfGovernance(
        tasks=(VolunteerTask(name="patrol", role="order", share=1.0,
                             materials_yuan_per_household_year=1.0),),
        party_active_rate=0.5, party_hours_per_week=10.0, resident_active_rate=0.0,
    ),
    smart_devices=SmartDevices(discount_rate=0.04, devices=(
        Device(name="access_control", basis="gate", units_per_basis=1.0,
               capital_cost_yuan_per_unit=30000.0, service_life_years=8.0,
               running_cost_yuan_per_unit_year=1200.0, replaces_role="order",
               replaced_fte_per_unit=2.0),
    )),
    shared_property=SharedProperty(
        bundle_by="explicit", bundles=(Bundle(bundle_id="B", members=("a", "b", "c")),),
        standing_roles=("cleaning", "order", "maintenance", "greening", "management"),
        fixed_fee_yuan_per_bundle_year=24000.0, contract_margin_rate=0.10,
        travel_yuan_per_m_year=2.0, households_per_crew=1500.0, compounds_per_crew=4.0,
    ),
)
"""Grade 3 (24 h staffed gates), one bundle with standing posts of every role, a crew
fee, a 10% margin and travel; access control replacing two guards a gate; a patrol."""

# Standing posts, grade 3 norms (see tests/conftest.py for the cost of one post):
#   cleaning     floor / 13,000: 4.5 + 2.25 + 0.75 = 7.5 -> 7.5 posts x 38,520 = 288,900
#                split by demand 6 : 3 : 1 -> 173,340 / 86,670 / 28,890
#   maintenance  floor / 32,500: 1.8 + 0.9 + 0.3 = 3.0 -> 3.0 x 53,640 = 160,920
#                -> 96,552 / 48,276 / 16,092
#   greening     green / 17,500: 0.2 + 0.1 + 0 = 0.3 -> 0.5 x 38,520 = 19,260
#                split 2 : 1 : 0 -> 12,840 / 6,420 / 0
#   management   households / 650: 1.3846 + 0.6923 + 0.2308 = 2.3077 -> 2.5 x 57,420
#                = 143,550 -> 6 : 3 : 1 -> 86,130 / 43,065 / 14,355
#   order        24 h gate: 24 x 365 / 2,920 = 3 guards a gate: 3 / 3 / 0;
#                access control takes 2 a gate: 1 / 1 / 0 left;
#                patrol of a: 20 party members x 0.5 x 10 h x 52 = 5,200 h
#                = 5,200 / 2,920 = 1.78 guards offered, 1 taken: 0 / 1 / 0 left
#                -> 1 guard x 55,908 = 55,908, all to b.
# Staff share: a 173,340 + 96,552 + 12,840 + 86,130 = 368,862
#              b 86,670 + 48,276 + 6,420 + 43,065 + 55,908 = 240,339
#              c 28,890 + 16,092 + 14,355 = 59,337;  sum 668,538
# Margin 10% x 668,538 = 66,853.80 split by staff share: 36,886.20 / 24,033.90 / 5,933.70
# (by floor area it would be 40,112.28 / 20,056.14 / 6,685.38).
# Crews max(ceil(1,500 / 1,500), ceil(3 / 4)) = 1: crew fee 24,000 by floor 6 : 3 : 1
# -> 14,400 / 7,200 / 2,400 (two crews would be 48,000).
# Travel 2.0 x (3 - 1) x 500 m = 2,000 by floor -> 1,200 / 600 / 200.
# Volunteers: patrol time a 5,200 h x (1 / 1.78) taken = 2,920 h x 19.8 = 57,816.00
# (hours beyond the need are not counted); materials 1.0 x households 900 / 450 / 150.
# Devices: capital 30,000 x crf(4%, 8 y) = 30,000 x 0.148528 = 4,455.83 a gate;
# running 1,200 a gate (fund pool).
# Direct: upkeep 1.2 x floor x (1 + 0.03 x 34 = 2.02): 141,804 / 70,902 / 23,634;
# cleaning materials 24 x households 21,600 / 10,800 / 3,600; greening materials
# 3 x green 10,500 / 5,250 / 0; insurance 0.05 x floor 2,925 / 1,462.50 / 487.50; other 0.

SP, SG, SD, DI = "shared_property", "self_governance", "smart_devices", "direct"
RF, FP, RP, VK = "residents_fees", "fund_pool", "renovation_programme", "volunteers_in_kind"

STANDING_LINES: dict[str, tuple[str, str, str, str, tuple[float, float, float]]] = {
    "contract_staff_cleaning": (SP, "staff", RF, "standing", (173340.0, 86670.0, 28890.0)),
    "contract_staff_order": (SP, "staff", RF, "standing", (0.0, 55908.0, 0.0)),
    "contract_staff_maintenance": (SP, "staff", RF, "standing", (96552.0, 48276.0, 16092.0)),
    "contract_staff_greening": (SP, "staff", RF, "standing", (12840.0, 6420.0, 0.0)),
    "contract_staff_management": (SP, "staff", RF, "standing", (86130.0, 43065.0, 14355.0)),
    "contract_margin": (SP, "margin", RF, "standing", (36886.2, 24033.9, 5933.7)),
    "contract_fixed_fee": (SP, "overhead", RF, "standing", (14400.0, 7200.0, 2400.0)),
    "contract_travel": (SP, "other", RF, "standing", (1200.0, 600.0, 200.0)),
    "volunteer_patrol_time": (SG, "staff", VK, "in_kind", (57816.0, 0.0, 0.0)),
    "volunteer_patrol_materials": (SG, "order", FP, "running", (900.0, 450.0, 150.0)),
    "device_access_control_capital": (SD, "depreciation", RP, "capital",
                                      (4455.83, 4455.83, 0.0)),
    "device_access_control_running": (SD, "upkeep", FP, "running", (1200.0, 1200.0, 0.0)),
    "upkeep": (DI, "upkeep", FP, "running", (141804.0, 70902.0, 23634.0)),
    "cleaning_materials": (DI, "cleaning", RF, "running", (21600.0, 10800.0, 3600.0)),
    "greening_materials": (DI, "greening", RF, "running", (10500.0, 5250.0, 0.0)),
    "insurance": (DI, "insurance", RF, "running", (2925.0, 1462.5, 487.5)),
    "other": (DI, "other", RF, "running", (0.0, 0.0, 0.0)),
}


def _table(lines: pd.DataFrame) -> dict[tuple[str, str], Row]:
    return {
        (str(r["compound_id"]), str(r["line"])): (
            str(r["channel"]), str(r["category"]), str(r["payer"]), str(r["kind"]),
            float(r["amount_yuan"]))
        for r in lines.to_dict("records")
    }


def _expected(spec: dict[str, tuple[str, str, str, str, tuple[float, ...]]]
              ) -> dict[tuple[str, str], Row]:
    return {(cid, line): (ch, cat, payer, kind, amounts[i])
            for line, (ch, cat, payer, kind, amounts) in spec.items()
            for i, cid in enumerate("abc")}


@pytest.fixture
def standing() -> pf.DistrictBudget:
    # Function scope: each test computes the budget itself, so that a mutation run,
    # which picks the tests that reach each function, runs all of them.
    return pf.evaluate_district(_bundle(), STANDING, contributions=False)


def test_standing_plan_every_line_pinned(standing: pf.DistrictBudget) -> None:
    assert _table(standing.lines) == _expected(STANDING_LINES)


def test_standing_plan_contract_shares_add_up_to_the_contract(
    standing: pf.DistrictBudget,
) -> None:
    lines = standing.lines
    contract = lines[lines["line"].str.startswith("contract_")]
    fen = yuan_to_fen(contract["amount_yuan"].to_numpy())
    # Staff 668,538 + margin 66,853.80 + crew fee 24,000 + travel 2,000 = 761,391.80.
    assert fen.sum() == 76_139_180
    by_compound = contract.groupby("compound_id", observed=True)["amount_yuan"].sum()
    # a 368,862 + 36,886.20 + 14,400 + 1,200 = 421,348.20
    # b 240,339 + 24,033.90 + 7,200 + 600 = 272,172.90
    # c 59,337 + 5,933.70 + 2,400 + 200 = 67,870.70
    assert by_compound.round(2).to_dict() == {"a": 421348.2, "b": 272172.9, "c": 67870.7}


def test_standing_plan_payers_and_balance(standing: pf.DistrictBudget) -> None:
    df = standing.compounds.set_index("compound_id")
    # Residents' fees: contract + cleaning and greening materials + insurance + other
    #   a 421,348.20 + 21,600 + 10,500 + 2,925 = 456,373.20
    #   b 272,172.90 + 10,800 + 5,250 + 1,462.50 = 289,685.40
    #   c 67,870.70 + 3,600 + 0 + 487.50 = 71,958.20
    assert df["paid_by_residents_fees_yuan"].tolist() == [456373.2, 289685.4, 71958.2]
    # Fund pool: upkeep + device running + patrol materials
    #   a 141,804 + 1,200 + 900 = 143,904; b 70,902 + 1,200 + 450 = 72,552;
    #   c 23,634 + 0 + 150 = 23,784
    assert df["paid_by_fund_pool_yuan"].tolist() == [143904.0, 72552.0, 23784.0]
    assert df["paid_by_renovation_programme_yuan"].tolist() == [4455.83, 4455.83, 0.0]
    assert df["paid_by_volunteers_in_kind_yuan"].tolist() == [57816.0, 0.0, 0.0]
    assert df["paid_by_street_office_yuan"].tolist() == [0.0, 0.0, 0.0]
    # Fee: the default rate and collection of the parameter set on the floor area.
    params = pf.default_parameters()
    rate = params.fees.rate_yuan_per_m2_month
    coll = params.fees.collection_rate
    fee = [round(f * rate * 12 * coll, 2) for f in (58500.0, 29250.0, 9750.0)]
    assert df["fee_collected_yuan"].tolist() == pytest.approx(fee, abs=0.005)
    cash = np.array([456373.2 + 143904.0, 289685.4 + 72552.0, 71958.2 + 23784.0])
    assert df["compound_cash_cost_yuan"].to_numpy() == pytest.approx(cash, abs=1e-6)
    balance = df["fee_collected_yuan"].to_numpy() - cash
    assert df["pool_balance_yuan"].to_numpy() == pytest.approx(balance, abs=1e-6)
    assert df["street_subsidy_yuan"].to_numpy() == pytest.approx(np.maximum(-balance, 0),
                                                                 abs=1e-6)
    # Street total = subsidy (no street lines); net public cost adds the capital.
    assert df["net_public_cost_yuan"].to_numpy() == pytest.approx(
        np.maximum(-balance, 0) + np.array([4455.83, 4455.83, 0.0]), abs=1e-6)
    # One crew of the contract's standing staff; guards taken: device 2 + 2, patrol 1.
    assert df["replaced_fte_smart_devices"].tolist() == [2.0, 2.0, 0.0]
    assert df["replaced_fte_self_governance"].tolist() == [1.0, 0.0, 0.0]
    assert df["unmet_fte"].tolist() == pytest.approx([0.0, 0.0, 0.0])


# --- the default plan ---------------------------------------------------------------


def _default_expected(df: pd.DataFrame, plan: Plan, params: pf.ParameterSet
                      ) -> dict[tuple[str, str], Row]:
    """Every line of the default plan, from its items and the parameter set.

    The default plan (service grade and gate regime from the plan) bundles by zone:
    one contract of the three compounds, per-use jobs only (no standing posts).
    """
    hh = df["households"].to_numpy(dtype=float)
    floor = df["floor_area_m2"].to_numpy(dtype=float)
    green = df["green_area_m2"].to_numpy(dtype=float)
    gates = df["gates"].to_numpy(dtype=float)
    age = np.maximum(params.as_of.year - df["build_year"].to_numpy(dtype=float), 0.0)
    q = params.quantities
    basis = {
        "compound": np.ones(3), "household": hh, "gate": gates,
        "building": df["buildings"].to_numpy(dtype=float),
        "stairwell_unit": df["stairwell_units"].to_numpy(dtype=float),
        "parking_space": df["parking_spaces"].to_numpy(dtype=float),
        "green_m2": green, "tree": green / q.green_m2_per_tree,
        "floor_10000_m2": floor / 10000.0,
        "pipe_m": df["stairwell_units"].to_numpy(dtype=float)
        * df["storeys"].to_numpy(dtype=float) * q.pipe_m_per_stairwell_unit_storey,
        "roof_m2": floor / df["storeys"].to_numpy(dtype=float),
        "road_m2": floor * q.road_m2_per_floor_m2,
    }
    out: dict[tuple[str, str], Row] = {}

    def put(code: str, channel: str, category: str, payer: str, kind: str,
            amount: Any) -> None:
        for i, cid in enumerate("abc"):
            out[(cid, code)] = (channel, category, payer, kind,
                                float(yuan_to_fen(np.asarray(amount, dtype=float)[i])) / 100)

    grade = params.grades.grade(plan.service_grade)
    regime = plan.gate_regime or grade.gate_regime
    hours = {"staffed_24h": 24.0, "staffed_16h": 16.0}.get(regime, 0.0)
    lab = params.labour
    demand = {
        "cleaning": floor / grade.cleaning_floor_m2_per_staff,
        "maintenance": floor / grade.maintenance_floor_m2_per_staff,
        "greening": green / grade.greening_green_m2_per_staff,
        "management": hh / grade.management_households_per_staff,
        "order": gates * hours * 365.0 / lab.guard_hours_per_year,
    }
    # Street (channel 3): its items, priced per tonne or per household; they take a
    # share of the role's demand.
    for item in plan.street_fallback.items:
        if item.pricing == "per_tonne":
            amount = hh * item.kg_per_household_day * 365.0 / 1000.0 * item.price_yuan
        elif item.pricing == "per_household":
            amount = hh * item.price_yuan
        else:
            amount = np.full(3, item.price_yuan)
        put(f"street_{item.name}", "street_fallback", item.category, "street_office",
            "service", amount)
        if item.replaces_role is not None:
            demand[item.replaces_role] = demand[item.replaces_role] * (1 - item.replaced_share)
    # Devices (channel 4): capital x crf (renovation programme), running (fund pool).
    r = plan.smart_devices.discount_rate
    for dev in plan.smart_devices.devices:
        units = dev.units_per_basis * basis[dev.basis]
        n = dev.service_life_years
        crf = r * (1 + r) ** n / ((1 + r) ** n - 1) if r > 0 else 1 / n
        put(f"device_{dev.name}_capital", "smart_devices", "depreciation", dev.capital_funder,
            "capital", units * dev.capital_cost_yuan_per_unit * crf)
        put(f"device_{dev.name}_running", "smart_devices", "upkeep", "fund_pool", "running",
            units * dev.running_cost_yuan_per_unit_year)
        if dev.replaces_role is not None:
            role = dev.replaces_role
            demand[role] = demand[role] - np.minimum(units * dev.replaced_fte_per_unit,
                                                     demand[role])
    if regime == "device_only":
        put("gate_remote_help", "smart_devices", "order", "fund_pool", "running",
            gates * params.gates.remote_help_yuan_per_gate_year)
    # Volunteers (channel 1): (party x active x h + households x active x h) x 52 h.
    sg = plan.self_governance
    party = df["party_members"].to_numpy(dtype=float)
    supply = (party * sg.party_active_rate * sg.party_hours_per_week
              + hh * sg.resident_active_rate * sg.resident_hours_per_week) * 52.0
    offered: dict[str, Any] = {}
    for task in sg.tasks:
        per_post = lab.guard_hours_per_year if task.role == "order" else \
            lab.standard_hours_per_year
        offered[task.role] = offered.get(task.role, 0.0) + supply * task.share / per_post
    scale = {}
    for role, off in offered.items():
        got = np.minimum(off, demand[role])
        demand[role] = demand[role] - got
        scale[role] = np.where(off > 0, got / np.where(off > 0, off, 1.0), 0.0)
    wage = sg.shadow_wage_yuan_per_hour or params.wages.minimum_hourly_wage_yuan
    material_category = {"cleaning": "cleaning", "order": "order", "maintenance": "upkeep",
                          "greening": "greening", "management": "office"}
    for task in sg.tasks:
        put(f"volunteer_{task.name}_time", "self_governance", "staff", "volunteers_in_kind",
            "in_kind", supply * task.share * scale[task.role] * wage)
        put(f"volunteer_{task.name}_materials", "self_governance",
            material_category[task.role], "fund_pool", "running",
            task.materials_yuan_per_household_year * hh)
    # Shared property (channel 2), per-use jobs of one contract of three members:
    # uses = quantity x rate x min(1 + growth x age, cap); unit price at the discount;
    # call-outs (uses / uses a visit x fee) at the discount, shared by min(3, per visit).
    sp = plan.shared_property
    assert not sp.standing_roles
    share = min(3.0, sp.compounds_per_visit)
    for job in sp.jobs:
        uses = basis[job.basis] * job.uses_per_basis_year * np.minimum(
            1 + job.age_growth_per_year * age, job.age_factor_cap)
        keep = 1 - job.discount_rate
        put(f"job_{job.name}", "shared_property", "upkeep", "fund_pool", "per_use",
            uses * job.market_price_yuan_per_use * keep)
        put(f"job_{job.name}_callout", "shared_property", "upkeep", "fund_pool", "per_use",
            uses / job.uses_per_visit * job.callout_yuan_per_visit * keep / share)
    if sp.jobs:
        demand["maintenance"] = demand["maintenance"] * 0.0  # the jobs meet it
    # Direct: the compound's own running costs and its informal hires.
    c = params.costs
    put("upkeep", "direct", "upkeep", "fund_pool", "running",
        c.upkeep_yuan_per_m2_year * floor
        * np.minimum(1 + c.age_factor_slope_per_year * age, c.age_factor_cap))
    put("cleaning_materials", "direct", "cleaning", "residents_fees", "running",
        c.cleaning_materials_yuan_per_household_year * hh)
    put("greening_materials", "direct", "greening", "residents_fees", "running",
        c.greening_materials_yuan_per_green_m2_year * green)
    put("insurance", "direct", "insurance", "residents_fees", "running",
        c.insurance_yuan_per_m2_year * floor)
    put("other", "direct", "other", "residents_fees", "running",
        c.other_yuan_per_household_year * hh)
    if regime == "live_in":
        put("gate_live_in", "direct", "order", "fund_pool", "informal",
            gates * params.gates.live_in_monthly_pay_yuan * 12.0)
    for role in plan.informal_roles:
        rp = getattr(params.staffing, role)
        h = lab.guard_hours_per_year if role == "order" else lab.standard_hours_per_year
        put(f"informal_{role}", "direct", "staff", "fund_pool", "informal",
            demand[role] * rp.monthly_wage_yuan * 12.0 * h / lab.standard_hours_per_year)
    return out


def test_default_plan_every_line_pinned() -> None:
    plan, params = default_plan(), pf.default_parameters()
    df = _bundle()
    out = pf.evaluate_district(df, plan, params, contributions=False)
    assert set(out.compounds["bundle_id"]) == {"zone:z"}  # one contract: the zone
    got = _table(out.lines)
    want = _default_expected(df, plan, params)
    assert set(got) == set(want)
    for key, row in want.items():
        assert got[key][:4] == row[:4], key
        assert got[key][4] == pytest.approx(row[4], abs=0.011), key


def test_default_plan_public_income_and_pool() -> None:
    plan, params = default_plan(), pf.default_parameters()
    df = _bundle()
    out = pf.evaluate_district(df, plan, params, contributions=False)
    c = out.compounds.set_index("compound_id")
    basis = {"compound": np.ones(3), "building": df["buildings"].to_numpy(dtype=float),
             "parking_space": df["parking_spaces"].to_numpy(dtype=float),
             "household": df["households"].to_numpy(dtype=float)}
    # Net income of a source: units x price x occupancy x (1 - cost share).
    income = sum(
        s.units_per_basis * basis[s.basis] * s.price_yuan_per_unit_year * s.occupancy_rate
        * (1 - s.cost_share_rate)
        for s in plan.public_income.sources
    )
    assert c["public_income_yuan"].to_numpy() == pytest.approx(income, abs=0.006)
    lines = out.lines
    cash = lines[lines["payer"].isin(["residents_fees", "fund_pool"])].groupby(
        "compound_id", observed=True)["amount_yuan"].sum()
    assert c["compound_cash_cost_yuan"].to_numpy() == pytest.approx(
        cash.loc[["a", "b", "c"]].to_numpy(), abs=1e-6)
    balance = c["fee_collected_yuan"] + c["public_income_yuan"] - c["compound_cash_cost_yuan"]
    assert c["pool_balance_yuan"].to_numpy() == pytest.approx(balance.to_numpy(), abs=1e-6)
    street = lines[lines["payer"] == "street_office"].groupby(
        "compound_id", observed=True)["amount_yuan"].sum().loc[["a", "b", "c"]].to_numpy()
    subsidy = np.maximum(-balance.to_numpy(), 0.0)
    assert c["street_total_yuan"].to_numpy() == pytest.approx(street + subsidy, abs=1e-6)


# --- every split of one bundle's contract, by hand ------------------------------------


def _hand() -> tuple[Any, dict[tuple[str, ...], float]]:
    from .test_bundling import HAND_COSTS, hand_game

    return hand_game(), HAND_COSTS


def _fen_split(total: float, weights: list[float]) -> list[float]:
    """Largest remainder in whole fen (ties to the first, as the ids a, b, c sort)."""
    fen = round(total * 100)
    quota = [fen * w / sum(weights) for w in weights]
    base = [int(q) for q in quota]
    order = sorted(range(len(quota)), key=lambda i: (-(quota[i] - base[i]), i))
    for i in order[: fen - sum(base)]:
        base[i] += 1
    return [b / 100 for b in base]


@pytest.mark.parametrize(("method", "weights"), [
    ("floor_area", [6000.0, 5000.0, 7000.0]),
    ("households", [100.0, 100.0, 100.0]),
    ("standalone", [42881.0, 41581.0, 42781.0]),
    ("use", [1.0, 1.0, 1.0]),
])
def test_proportional_splits_and_their_overcharge(method: str, weights: list[float]) -> None:
    game, cost = _hand()
    grand = cost[("a", "b", "c")]  # 76,995.33
    split = split_bundle_(game, ["b", "c", "a"], method)
    s = split.shares.set_index("compound_id").loc[["a", "b", "c"]]
    want = _fen_split(grand, weights)
    assert s["share_yuan"].tolist() == want
    assert s["share_unrounded_yuan"].tolist() == pytest.approx(
        [grand * w / sum(weights) for w in weights])
    assert s["standalone_yuan"].tolist() == [42881.0, 41581.0, 42781.0]
    assert s["saving_yuan"].tolist() == pytest.approx(
        [c - x for c, x in zip([42881.0, 41581.0, 42781.0], want, strict=True)], abs=1e-9)
    assert split.contract_yuan == 76995.33
    # Largest overcharge: max over sub-groups S of (sum of shares in S - c(S)).
    x = dict(zip("abc", want, strict=True))
    over = max(sum(x[m] for m in group) - c for group, c in cost.items())
    assert split.max_overcharge_yuan == pytest.approx(over, abs=1e-6)
    # The hand game's core is empty (see test_bundling): epsilon 7,733.05 > 0.
    assert split.core_empty
    assert split.least_core_epsilon_yuan == pytest.approx(7733.0462, abs=1e-3)
    assert split.method == method


def split_bundle_(game: Any, members: list[str], method: str, **kw: Any) -> Any:
    from propfee.bundling.allocation import split_bundle

    return split_bundle(game, members, method, **kw)  # type: ignore[arg-type]


def test_scrb_split_by_hand() -> None:
    game, c = _hand()
    grand = c[("a", "b", "c")]
    # Separable costs s_i = c(N) - c(N - i):
    s = {"a": grand - c[("b", "c")], "b": grand - c[("a", "c")], "c": grand - c[("a", "b")]}
    # = 33,715.81 / 33,214.33 / 33,264.33; remaining benefits r_i = max(c(i) - s_i, 0):
    r = {k: max(c[(k,)] - s[k], 0.0) for k in "abc"}  # 9,165.20 / 8,366.67 / 9,516.67
    # Non-separable cost c(N) - sum(s) = -23,199.14, shared by r_i / sum(r) = 27,048.53:
    # a 33,715.81 - 7,860.86 = 25,854.95; b 33,214.33 - 7,175.97 = 26,038.36;
    # c 33,264.33 - 8,162.31 = 25,102.02.
    nonsep = grand - sum(s.values())
    x = [s[k] + r[k] / sum(r.values()) * nonsep for k in "abc"]
    assert x == pytest.approx([25854.9477, 26038.3621, 25102.0235], abs=1e-3)
    split = split_bundle_(game, ["a", "b", "c"], "scrb")
    got = split.shares.set_index("compound_id").loc[["a", "b", "c"]]
    assert got["share_unrounded_yuan"].tolist() == pytest.approx(x)
    assert got["share_yuan"].tolist() == _fen_split(grand, x)


def test_core_split_of_a_pair_keeps_the_key_inside_a_non_empty_core() -> None:
    game, _ = _hand()
    # a and b: c(a) = 42,881, c(b) = 41,581, c(ab) = 43,731. The least core: x_a <=
    # 42,881 + e, x_b <= 41,581 + e, x_a + x_b = 43,731 -> e = (43,731 - 84,462) / 2
    # = -20,365.50: the core is not empty. The floor-area key 6 : 5 gives
    # 23,853.27 / 19,877.73, inside the core, so the core split is the key itself.
    split = split_bundle_(game, ["b", "a"], "core", key="floor_area")
    got = split.shares.set_index("compound_id").loc[["a", "b"]]
    assert got["share_yuan"].tolist() == _fen_split(43731.0, [6.0, 5.0])
    assert got["share_yuan"].tolist() == [23853.27, 19877.73]
    assert not split.core_empty
    assert split.least_core_epsilon_yuan == pytest.approx(-20365.5, abs=1e-3)
    # Overcharge: the pair pays exactly c(ab); a alone would pay 42,881 > 23,853.27.
    assert split.max_overcharge_yuan == pytest.approx(0.0, abs=1e-6)
    # Shapley of two: a = 42,881 + (43,731 - 41,581 - 42,881) / 2 = 22,515.50.
    sh = split_bundle_(game, ["a", "b"], "shapley").shares
    assert sh["share_yuan"].tolist() == [22515.5, 21215.5]


def test_zero_weights_split_equally_and_bad_methods_are_refused() -> None:
    import dataclasses

    from propfee.errors import InputError

    game, _ = _hand()
    flat = dataclasses.replace(game, jobs_at_market_yuan=np.zeros(3))
    split = split_bundle_(flat, ["a", "b", "c"], "use")
    # No use at all: c(N) / 3 each, 7,699,533 fen / 3 = 2,566,511 each.
    assert split.shares["share_yuan"].tolist() == [25665.11] * 3
    for method, key in (("median", "floor_area"), ("core", "core")):
        with pytest.raises(InputError) as err:
            split_bundle_(game, ["a", "b"], method, key=key)
        (problem,) = err.value.problems
        assert (problem.field, problem.value) == ("method", method)
        assert "must be one of" in problem.message


def test_public_income_credit_subsidy_and_deficit_reduction_by_hand() -> None:
    from propfee.channels import IncomeSource, PublicIncome

    from .conftest import BARE

    # Two compounds of the stand-alone company at cost (grade 3, no gates): a pays
    # 0.5 yuan/m2 (deficit), b 30 yuan/m2 (surplus); public income 2 x 1,500 x 0.5 = 1,500.
    df = pd.DataFrame({"compound_id": ["a", "b"], "households": [100, 100],
                       "floor_area_m2": [3250.0, 3250.0], "build_year": [2024, 2024],
                       "gates": [0, 0], "fee_rate_yuan_per_m2_month": [0.5, 30.0]})
    plan = BARE.model_copy(update={"public_income": PublicIncome(sources=(
        IncomeSource(name="advertising", basis="compound", units_per_basis=2.0,
                     price_yuan_per_unit_year=1500.0, occupancy_rate=0.5),))})
    c = pf.evaluate_district(df, plan, contributions=True).compounds.set_index("compound_id")
    # Cash cost 74,790 contract + 6,462.50 own lines = 81,252.50 (see test_break_even).
    # a: fee 3,250 x 0.5 x 12 x 0.7 = 13,650; balance 13,650 + 1,500 - 81,252.50
    #    = -66,102.50: subsidy 66,102.50, pool negative.
    # b: fee 3,250 x 30 x 12 x 0.7 = 819,000; balance 819,000 + 1,500 - 81,252.50
    #    = 739,247.50: no subsidy.
    assert c["pool_balance_yuan"].tolist() == [-66102.5, 739247.5]
    assert c["street_subsidy_yuan"].tolist() == [66102.5, 0.0]
    assert c["pool_non_negative"].tolist() == [False, True]
    # Public income changes the balance by itself alone in every coalition: its credit
    # is exactly the 1,500 yuan, whichever way credit is counted.
    assert c["contribution_public_income_yuan"].tolist() == [1500.0, 1500.0]
    w = pf.evaluate_district(df, plan, contributions="waterfall").compounds
    assert w["contribution_public_income_yuan"].tolist() == [1500.0, 1500.0]
    # The comparison baseline is the market company at grade 3 (no jobs in this plan);
    # deficit reduction = max(fee - baseline, 0 if positive) - net public cost.
    base = [pf.market_baseline(pf.Compound(
        compound_id=k, households=100, floor_area_m2=3250.0, build_year=2024, gates=0,
        fee_rate_yuan_per_m2_month=f), grade=3).total_annual_cost_yuan
        for k, f in (("a", 0.5), ("b", 30.0))]
    assert c["baseline_market_price_yuan"].tolist() == base
    fee = [13650.0, 819000.0]
    deficit = [max(b - f, 0.0) for b, f in zip(base, fee, strict=True)]
    assert c["deficit_reduction_yuan"].to_numpy() == pytest.approx(
        [deficit[0] - 66102.5, deficit[1] - 0.0], abs=0.006)
