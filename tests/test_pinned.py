"""One small bundle computed by hand: every line's amount, channel, category, payer, kind
and work, and every contract share (staff by work, margin, crew fee, travel) of every
compound; the default plan on the same bundle (call-outs shared by three); the splits of
a bundle's contract among its members; public income's credit and the street subsidy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.bundling import BundleGame
from propfee.bundling.allocation import split_bundle
from propfee.channels import (
    Bundle,
    Device,
    IncomeSource,
    PublicIncome,
    SelfGovernance,
    SharedProperty,
    SmartDevices,
    VolunteerTask,
)
from propfee.money import yuan_to_fen
from propfee.plan import Plan, default_plan
from propfee.staffing import ROLES

from .conftest import BARE

Row = tuple[str, str, str, str, str, float]
"""(channel, category, payer, kind, work, amount [yuan/year]) of one line."""


def _bundle() -> pd.DataFrame:
    """Three compounds of 65 m2 a household, built 1990 (34 years old in 2024).

    1,500 households in all: exactly one crew of 1,500 households. Bounding box of the
    locations 300 m x 400 m: spread 500 m. b is half of a in every quantity.
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
        items=(VolunteerTask(name="patrol", work="patrol", share=1.0,
                             materials_yuan_per_household_year=1.0),),
        party_active_rate=0.5, party_hours_per_week=10.0, resident_active_rate=0.0,
    ),
    smart_devices=SmartDevices(discount_rate=0.04, items=(
        Device(name="access_control", basis="gate", units_per_basis=1.0,
               capital_cost_yuan_per_unit=30000.0, service_life_years=8.0,
               running_cost_yuan_per_unit_year=1200.0, work="gate",
               work_per_unit_year=5840.0),
    )),
    shared_property=SharedProperty(
        bundle_by="explicit", bundles=(Bundle(bundle_id="B", members=("a", "b", "c")),),
        standing_work=("cleaning", "greening", "management", "gate", "patrol"),
        fixed_fee_yuan_per_bundle_year=24000.0, contract_margin_rate=0.10,
        travel_yuan_per_m_year=2.0, households_per_crew=1500.0, compounds_per_crew=4.0,
    ),
)
"""Grade 3 (24 h gates), one bundle with standing posts for every kind of hour work, a
crew fee, a 10% margin and travel; access control keeping two guards' hours a gate; a
patrol of volunteers; no job in the contract (jobs at market price)."""

# Standing posts, grade 3 norms, pooled over the bundle and split by gross demand (the
# members' demand before any channel; see tests/conftest.py for the cost of a post):
#   cleaning     floor / 13,000 x 2,000 h: 9,000 + 4,500 + 1,500 = 15,000 h = 7.5 posts
#                x 38,520 = 288,900, split 6 : 3 : 1 -> 173,340 / 86,670 / 28,890
#   greening     green / 17,500 x 2,000 h: 400 + 200 + 0 = 600 h = 0.3 -> 0.5 x 38,520
#                = 19,260, split 2 : 1 : 0 -> 12,840 / 6,420 / 0
#   management   households / 650 x 2,000 h: 2,769.23 + 1,384.62 + 461.54 = 4,615.38 h
#                = 2.31 -> 2.5 x 57,420 = 143,550, split 6 : 3 : 1 -> 86,130 / 43,065 /
#                14,355
#   gate         24 h x 365 = 8,760 h a gate (a and b); access control keeps 5,840 of
#                each: 2,920 + 2,920 h left = 2.0 guards x 55,908 = 111,816, split by the
#                gross 8,760 : 8,760 : 0 -> 55,908 / 55,908 / 0
#   patrol       buildings x 0.3 h x 365: 1,314 + 657 + 219 h; a's volunteers, 20 x 0.5 x
#                10 h x 52 = 5,200 h, take all of a's 1,314 h: 876 h left = 0.3 guard
#                (patrol is bought by the hour) x 55,908 = 16,772.40, split by the gross
#                1,314 : 657 : 219 = 6 : 3 : 1 -> 10,063.44 / 5,031.72 / 1,677.24 (a pays
#                for the pool though its volunteers covered its own rounds: the split by
#                gross demand keeps a channel from raising anyone's share)
# Staff share: a 173,340 + 12,840 + 86,130 + 55,908 + 10,063.44 = 338,281.44
#              b 86,670 + 6,420 + 43,065 + 55,908 + 5,031.72   = 197,094.72
#              c 28,890 + 0 + 14,355 + 0 + 1,677.24            = 44,922.24; sum 580,298.40
# Margin 10% = 58,029.84 by staff share: quotas 33,828.144 / 19,709.472 / 4,492.224; the
# floors leave 1 fen, for the larger remainder, a tie of 0.4 between a and c broken by
# the smaller id: 33,828.15 / 19,709.47 / 4,492.22.
# Crews max(ceil(1,500 / 1,500), ceil(3 / 4)) = 1: crew fee 24,000 by floor 6 : 3 : 1 ->
# 14,400 / 7,200 / 2,400. Travel 2.0 x (3 - 1) x 500 m = 2,000 by floor -> 1,200 / 600 / 200.
# Volunteers: patrol time of a 1,314 h x 19.8 = 26,017.20 (the 3,886 h beyond the need are
# not counted); materials 1.0 x 900 x 1,314 / 5,200 = 227.42; b and c give no hour: 0.
# Devices: capital 30,000 x crf(4%, 8 y) = 30,000 x 0.148527832 = 4,455.83 a gate (the
# renovation programme); running 1,200 a gate (pool).
# Waste at market: households x 1.5 kg x 365 / 1,000 t x 120: 492.75 / 246.375 / 82.125 t
# -> 59,130 / 29,565 / 9,855. The market supplies no hour: its staff lines are 0.00.
# Running costs: electricity 200 x 30 / 15 / 5 units = 6,000 / 3,000 / 1,000; water 5 x
# households = 4,500 / 2,250 / 750; consumables 0.3 x floor = 17,550 / 8,775 / 2,925;
# cleaning materials 24 x households = 21,600 / 10,800 / 3,600; greening materials 3 x
# green = 10,500 / 5,250 / 0; insurance 0.05 x floor = 2,925 / 1,462.50 / 487.50; office
# 20 x households = 18,000 / 9,000 / 3,000; other and lift electricity 0.

SP, SG, SD, DI, MK = "shared_property", "self_governance", "smart_devices", "direct", "market"
FP, RP, VK = "fund_pool", "renovation_programme", "volunteers_in_kind"

Spec = tuple[str, str, str, str, str, tuple[float, float, float]]

STANDING_LINES: dict[str, Spec] = {
    "contract_staff_cleaning": (SP, "staff", FP, "standing", "cleaning",
                                (173340.0, 86670.0, 28890.0)),
    "contract_staff_greening": (SP, "staff", FP, "standing", "greening",
                                (12840.0, 6420.0, 0.0)),
    "contract_staff_management": (SP, "staff", FP, "standing", "management",
                                  (86130.0, 43065.0, 14355.0)),
    "contract_staff_gate": (SP, "staff", FP, "standing", "gate", (55908.0, 55908.0, 0.0)),
    "contract_staff_patrol": (SP, "staff", FP, "standing", "patrol",
                              (10063.44, 5031.72, 1677.24)),
    "contract_margin": (SP, "margin", FP, "standing", "*", (33828.15, 19709.47, 4492.22)),
    "contract_fixed_fee": (SP, "overhead", FP, "standing", "*", (14400.0, 7200.0, 2400.0)),
    "contract_travel": (SP, "other", FP, "standing", "*", (1200.0, 600.0, 200.0)),
    "volunteer_patrol_time": (SG, "staff", VK, "in_kind", "patrol", (26017.2, 0.0, 0.0)),
    "volunteer_patrol_materials": (SG, "order", FP, "running", "patrol", (227.42, 0.0, 0.0)),
    "device_access_control_capital": (SD, "depreciation", RP, "capital", "gate",
                                      (4455.83, 4455.83, 0.0)),
    "device_access_control_running": (SD, "upkeep", FP, "running", "gate",
                                      (1200.0, 1200.0, 0.0)),
    "common_electricity": (DI, "upkeep", FP, "running", "", (6000.0, 3000.0, 1000.0)),
    "common_water": (DI, "upkeep", FP, "running", "", (4500.0, 2250.0, 750.0)),
    "consumables": (DI, "upkeep", FP, "running", "", (17550.0, 8775.0, 2925.0)),
    "cleaning_materials": (DI, "cleaning", FP, "running", "", (21600.0, 10800.0, 3600.0)),
    "greening_materials": (DI, "greening", FP, "running", "", (10500.0, 5250.0, 0.0)),
    "insurance": (DI, "insurance", FP, "running", "", (2925.0, 1462.5, 487.5)),
    "office": (DI, "office", FP, "running", "", (18000.0, 9000.0, 3000.0)),
    "other": (DI, "other", FP, "running", "", (0.0, 0.0, 0.0)),
    "lift_electricity": (DI, "upkeep", "lift_levy", "running", "", (0.0, 0.0, 0.0)),
    **{f"market_{w}": (MK, "order" if w == "gate" else "staff", FP, "market", w,
                       (0.0, 0.0, 0.0))
       for w in ("cleaning", "greening", "management", "gate", "patrol")},
    **{f"market_{c}": (MK, cat, FP, "market", "*", (0.0, 0.0, 0.0)) for c, cat in (
        ("depreciation", "depreciation"), ("overhead", "overhead"), ("margin", "margin"),
        ("vat", "tax"), ("surcharges", "tax"))},
    "market_garbage": (MK, "cleaning", FP, "market", "garbage", (59130.0, 29565.0, 9855.0)),
    "market_lift_maintenance": (MK, "upkeep", "lift_levy", "market", "lift", (0.0, 0.0, 0.0)),
    "market_lift_inspection": (MK, "upkeep", "lift_levy", "market", "lift", (0.0, 0.0, 0.0)),
}

# Jobs at market price, a whole trip a visit, per compound (age factors 2.36 / 2.02 / 2.7):
#   a: 12 buildings, 30 units, 900 households, road 8,775 m2, roof 9,750 m2, 87.5 trees
#   b: half of a; c: 2 buildings, 5 units, 150 households, road 1,462.5 m2, roof 9,750 / 5
#      = 1,950 m2, no green.
MARKET_JOBS: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    # uses a 12 x 0.5 x 2.36 = 14.16, c 2 x 0.5 x 2.36 = 2.36; x 300; x 100
    "pipe_dredging": ((4248.0, 2124.0, 708.0), (1416.0, 708.0, 236.0)),
    # a 5.664, c 0.944; x 1,500; x 150
    "wall_repair": ((8496.0, 4248.0, 1416.0), (849.6, 424.8, 141.6)),
    # a 30 x 0.2 x 2.02 = 12.12, c 2.02; x 800; x 100
    "stairwell_repair": ((9696.0, 4848.0, 1616.0), (1212.0, 606.0, 202.0)),
    # a 8,775 x 0.02 x 2.02 = 354.51, b 177.255, c 59.085; x 60; / 20 x 300 (b 2,658.825
    # and c 886.275: half a fen up)
    "road_levelling": ((21270.6, 10635.3, 3545.1), (5317.65, 2658.83, 886.28)),
    # a 6, c 1; x 400; x 100
    "septic_tank_pumping": ((2400.0, 1200.0, 400.0), (600.0, 300.0, 100.0)),
    "water_tank_cleaning": ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),  # no tank
    # a 900 x 0.06 x 2.36 = 127.44, c 21.24; x 80; x 50
    "small_water_repairs": ((10195.2, 5097.6, 1699.2), (6372.0, 3186.0, 1062.0)),
    # a 106.2, c 17.7; x 80; x 50
    "small_electrical_repairs": ((8496.0, 4248.0, 1416.0), (5310.0, 2655.0, 885.0)),
    # a 9,750 x 0.002 x 2.7 = 52.65, c 1,950 x 0.002 x 2.7 = 10.53; x 120; / 10 x 200
    "roof_leak_repair": ((6318.0, 3159.0, 1263.6), (1053.0, 526.5, 210.6)),
    # a 30 x 0.5 x 2.02 = 30.3, c 5.05; x 60; x 50
    "stairwell_lighting_repair": ((1818.0, 909.0, 303.0), (1515.0, 757.5, 252.5)),
    # a 26,325, c 4,387.5; x 0.3; / 1,000 x 200
    "snow_clearing": ((7897.5, 3948.75, 1316.25), (5265.0, 2632.5, 877.5)),
    # a 12, c 2; x 150; x 80
    "pest_control": ((1800.0, 900.0, 300.0), (960.0, 480.0, 160.0)),
    # a 43.75, b 21.875, c 0; x 60; / 20 x 150 (a 328.125 and b 164.0625)
    "tree_pruning": ((2625.0, 1312.5, 0.0), (328.13, 164.06, 0.0)),
    # a 12, c 2; x 300; x 100
    "fire_equipment_service": ((3600.0, 1800.0, 600.0), (1200.0, 600.0, 200.0)),
}
for _job, (_uses, _calls) in MARKET_JOBS.items():
    STANDING_LINES[f"market_job_{_job}"] = (MK, "upkeep", FP, "market", _job, _uses)
    STANDING_LINES[f"market_job_{_job}_callout"] = (MK, "upkeep", FP, "market", _job, _calls)


def _table(lines: pd.DataFrame) -> dict[tuple[str, str], Row]:
    return {
        (str(r["compound_id"]), str(r["line"])): (
            str(r["channel"]), str(r["category"]), str(r["payer"]), str(r["kind"]),
            str(r["work"]), round(float(r["amount_yuan"]), 2))
        for r in lines.to_dict("records")
    }


def _expected(spec: dict[str, Spec]) -> dict[tuple[str, str], Row]:
    return {(cid, line): (ch, cat, payer, kind, work, amounts[i])
            for line, (ch, cat, payer, kind, work, amounts) in spec.items()
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
    # Staff 580,298.40 + margin 58,029.84 + crew fee 24,000 + travel 2,000 = 664,328.24.
    assert fen.sum() == 66_432_824
    by_compound = contract.groupby("compound_id", observed=True)["amount_yuan"].sum()
    # a 338,281.44 + 33,828.15 + 14,400 + 1,200 = 387,709.59
    # b 197,094.72 + 19,709.47 + 7,200 + 600 = 224,604.19
    # c 44,922.24 + 4,492.22 + 2,400 + 200 = 52,014.46
    assert by_compound.round(2).to_dict() == {"a": 387709.59, "b": 224604.19, "c": 52014.46}


def test_standing_plan_payers_and_balance(standing: pf.DistrictBudget) -> None:
    df = standing.compounds.set_index("compound_id")
    # Pool: contract + device running + materials + running costs + waste + jobs:
    #   a 387,709.59 + 1,200 + 227.42 + 81,075 + 59,130 + (88,860.30 + 31,398.38)
    #     = 649,600.69
    #   b 224,604.19 + 1,200 + 0 + 40,537.50 + 29,565 + (44,430.15 + 15,699.19) = 356,036.03
    #   c 52,014.46 + 0 + 0 + 11,762.50 + 9,855 + (14,583.15 + 5,213.48) = 93,428.59
    assert df["paid_by_fund_pool_yuan"].tolist() == [649600.69, 356036.03, 93428.59]
    assert df["compound_cash_cost_yuan"].tolist() == [649600.69, 356036.03, 93428.59]
    assert df["paid_by_renovation_programme_yuan"].tolist() == [4455.83, 4455.83, 0.0]
    assert df["paid_by_volunteers_in_kind_yuan"].tolist() == [26017.2, 0.0, 0.0]
    assert df["paid_by_street_office_yuan"].tolist() == [0.0, 0.0, 0.0]
    # Fee: floor x 0.5 x 12 x 0.7 = 245,700 / 122,850 / 40,950; no public income.
    assert df["fee_collected_yuan"].tolist() == [245700.0, 122850.0, 40950.0]
    assert df["public_income_yuan"].tolist() == [0.0, 0.0, 0.0]
    # Balance 245,700 - 649,600.69 = -403,900.69; 122,850 - 356,036.03 = -233,186.03;
    # 40,950 - 93,428.59 = -52,478.59: all three filled by the street.
    assert df["pool_balance_yuan"].tolist() == [-403900.69, -233186.03, -52478.59]
    assert df["street_subsidy_yuan"].tolist() == [403900.69, 233186.03, 52478.59]
    assert df["street_total_yuan"].tolist() == [403900.69, 233186.03, 52478.59]
    # Net public cost: subsidy + capital.
    assert df["net_public_cost_yuan"].tolist() == [408356.52, 237641.86, 52478.59]
    # Work: the contract supplies every hour the devices and volunteers leave.
    work = standing.work.set_index(["compound_id", "category"])
    assert work.loc[("a", "patrol"), "self_governance"] == 1314.0
    assert work.loc[("a", "gate"), "smart_devices"] == 5840.0
    assert work.loc[("a", "gate"), "shared_property"] == 2920.0
    assert work.loc[("c", "patrol"), "shared_property"] == 219.0
    assert work["market"].groupby(level="category").sum()[
        ["cleaning", "greening", "management", "gate", "patrol"]].tolist() == [0.0] * 5


def test_standing_plan_split_by_gross_demand_not_by_what_is_left() -> None:
    # With a's volunteers off, the pooled patrol is 1,314 + 657 + 219 = 2,190 h = 0.75
    # guard x 55,908 = 41,931, split 6 : 3 : 1 -> 25,158.60 / 12,579.30 / 4,193.10: every
    # member pays more, none less (the volunteers never raise a member's share).
    off = STANDING.model_copy(update={"self_governance": SelfGovernance()})
    lines = pf.evaluate_district(_bundle(), off, contributions=False).lines
    patrol = lines[lines["line"] == "contract_staff_patrol"]["amount_yuan"].tolist()
    assert patrol == [25158.6, 12579.3, 4193.1]
    assert all(x > y for x, y in zip(patrol, (10063.44, 5031.72, 1677.24), strict=True))


# --- the default plan on the same bundle -----------------------------------------------


def test_default_plan_shares_call_outs_among_the_three() -> None:
    out = pf.evaluate_district(_bundle(), default_plan(), contributions=False)
    assert set(out.compounds["bundle_id"]) == {"zone:z"}  # one contract: the zone
    got = _table(out.lines)
    # Pest control (no volunteer task): uses = buildings x 1.0; 150 x 0.7 = 105 a use,
    # not shared; call-outs 80 x 0.7 = 56 a use, shared by ceil(3 / 3) / 3 = a third:
    #   a 12 x 105 = 1,260; 12 x 56 / 3 = 224.00
    #   b 6 x 105 = 630;    6 x 56 / 3 = 112.00
    #   c 2 x 105 = 210;    2 x 56 / 3 = 37.333 -> 37.33
    for cid, job, callout in (("a", 1260.0, 224.0), ("b", 630.0, 112.0),
                              ("c", 210.0, 37.33)):
        assert got[(cid, "job_pest_control")] == (
            SP, "upkeep", FP, "per_use", "pest_control", job)
        assert got[(cid, "job_pest_control_callout")] == (
            SP, "upkeep", FP, "per_use", "pest_control", callout)
    # Road levelling, every member's call-outs a third of 70% of the market's:
    #   a 354.51 / 20 x 300 x 0.7 / 3 = 1,240.785 -> 1,240.79
    assert got[("a", "job_road_levelling_callout")][5] == 1240.79


def test_default_plan_who_pays_each_kind_of_line() -> None:
    out = pf.evaluate_district(_bundle(), default_plan(), contributions=False)
    specs = {(r["line"], r["channel"], r["category"], r["payer"], r["kind"])
             for r in out.lines[out.lines["compound_id"] == "a"].to_dict("records")}
    by_line = {s[0]: s[1:] for s in specs}
    assert by_line["street_garbage_removal"] == ("street_fallback", "cleaning",
                                                 "street_office", "service")
    assert by_line["street_grid_workers"] == ("street_fallback", "staff", "street_office",
                                              "service")
    assert by_line["device_access_control_capital"] == (SD, "depreciation", RP, "capital")
    assert by_line["device_speakers_running"] == (SD, "upkeep", FP, "running")
    assert by_line["gate_remote_help"] == (SD, "order", FP, "running")
    assert by_line["volunteer_greening_time"] == (SG, "staff", VK, "in_kind")
    assert by_line["volunteer_greening_materials"] == (SG, "greening", FP, "running")
    assert by_line["volunteer_stairwell_lighting_materials"] == (SG, "upkeep", FP, "running")
    assert by_line["informal_cleaning"] == (SG, "staff", FP, "informal")
    assert by_line["job_wall_repair"] == (SP, "upkeep", FP, "per_use")
    assert by_line["market_gate"] == (MK, "order", FP, "market")
    assert by_line["consumables"] == (DI, "upkeep", FP, "running")
    # Lift care and electricity are the lift households' levy (at zero without a lift).
    assert by_line["market_lift_maintenance"] == (MK, "upkeep", "lift_levy", "market")
    assert by_line["lift_electricity"] == (DI, "upkeep", "lift_levy", "running")
    # No line of the default plan is paid by residents directly: they pay into the pool.
    assert {s[3] for s in specs} == {FP, "lift_levy", "street_office", RP, VK}


# --- every split of one bundle's contract, by hand ------------------------------------


def hand_game() -> BundleGame:
    """Three compounds; the contract staffs only management (a standing work).

    a (0, 0), b (300, 400), c (0, 100); 400, 400 and 600 h of management (0.2, 0.2 and
    0.3 of a post); per-use jobs 1,000, 0, 500 yuan; call-outs 300, 0, 700 yuan before
    sharing (a trip serves up to 3 members); 100 households each; fixed fee 10,000 per
    crew of up to 1,000 households; margin 10%; travel 2 yuan per m of spread per extra
    member. A half post of management: 0.5 x 57,420 = 28,710; with the margin 31,581.
    """
    zero = np.zeros(3)
    standing = dict.fromkeys(ROLES, zero)
    standing["management"] = np.array([400.0, 400.0, 600.0])
    return BundleGame(
        ids=np.array(["a", "b", "c"]), standing_hours=standing,
        households=np.full(3, 100.0), floor_area_m2=np.array([6000.0, 5000.0, 7000.0]),
        x_m=np.array([0.0, 300.0, 0.0]), y_m=np.array([0.0, 400.0, 100.0]),
        jobs_yuan=np.array([1000.0, 0.0, 500.0]), callout_yuan=np.array([300.0, 0.0, 700.0]),
        jobs_at_market_yuan=np.array([1.0, 1.0, 1.0]), other_cash_yuan=zero, income_yuan=zero,
        shared=SharedProperty(fixed_fee_yuan_per_bundle_year=10000.0, contract_margin_rate=0.1,
                              travel_yuan_per_m_year=2.0, households_per_crew=1000.0,
                              standing_work=("management",)),
        params=pf.default_parameters(),
    )


# c(S) by hand: staff (half posts) x 1.1 + 10,000 (one crew) + travel + jobs + call-outs
# x ceil(|S| / 3) / |S|:
#   a:   31,581 + 10,000 + 0 + 1,000 + 300                          = 42,881
#   b:   31,581 + 10,000 + 0 + 0 + 0                                = 41,581
#   c:   31,581 + 10,000 + 0 + 500 + 700                            = 42,781
#   ab:  800 h -> 0.5 post 31,581 + 10,000 + 2 x 500 + 1,000 + 300 / 2 = 43,731
#   ac:  1,000 h -> 0.5: 31,581 + 10,000 + 2 x 100 + 1,500 + 1,000 / 2 = 43,781
#   bc:  1,000 h -> 0.5: 31,581 + 10,000 + 2 x 424.26 + 500 + 700 / 2 = 43,279.53
#   abc: 1,400 h -> 1.0 post 63,162 + 10,000 + 2 x 2 x 500 + 1,500 + 1,000 / 3 = 76,995.33
HAND_COSTS = {
    ("a",): 42881.0, ("b",): 41581.0, ("c",): 42781.0, ("a", "b"): 43731.0,
    ("a", "c"): 43781.0, ("b", "c"): 31581.0 + 10000.0 + 2 * np.hypot(300, 300) + 850.0,
    ("a", "b", "c"): 63162.0 + 10000.0 + 2000.0 + 1500.0 + 1000.0 / 3,
}


@pytest.mark.parametrize(("members", "cost"), HAND_COSTS.items())
def test_hand_game_costs(members: tuple[str, ...], cost: float) -> None:
    assert hand_game().cost(list(members)) == pytest.approx(cost, rel=1e-12)


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
    game = hand_game()
    grand = HAND_COSTS[("a", "b", "c")]  # 76,995.33
    split = split_bundle(game, ["b", "c", "a"], method)  # type: ignore[arg-type]
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
    over = max(sum(x[m] for m in group) - c for group, c in HAND_COSTS.items())
    assert split.max_overcharge_yuan == pytest.approx(over, abs=1e-6)
    # The core is empty: the least core needs x_a + x_b <= 43,731 + e, x_a + x_c <=
    # 43,781 + e, x_b + x_c <= 43,279.53 + e with the three adding to 76,995.33: adding
    # the three, 2 x 76,995.33 <= 130,791.53 + 3e, so e >= 23,199.13 / 3 = 7,733.0433 on
    # the game priced to the fen (the costs of the sub-groups rounded first).
    assert split.core_empty
    assert split.least_core_epsilon_yuan == pytest.approx(7733.0433, abs=1e-4)
    assert split.least_core_epsilon_yuan == pytest.approx(
        (2 * grand - (43731.0 + 43781.0 + HAND_COSTS[("b", "c")])) / 3, abs=1e-2)
    assert split.method == method


def test_scrb_split_by_hand() -> None:
    game, c = hand_game(), HAND_COSTS
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
    split = split_bundle(game, ["a", "b", "c"], "scrb")
    got = split.shares.set_index("compound_id").loc[["a", "b", "c"]]
    assert got["share_unrounded_yuan"].tolist() == pytest.approx(x)
    assert got["share_yuan"].tolist() == _fen_split(grand, x)


def test_core_split_of_a_pair_keeps_the_key_inside_a_non_empty_core() -> None:
    game = hand_game()
    # a and b: c(a) = 42,881, c(b) = 41,581, c(ab) = 43,731. The least core: x_a <=
    # 42,881 + e, x_b <= 41,581 + e, x_a + x_b = 43,731 -> e = (43,731 - 84,462) / 2
    # = -20,365.50: the core is not empty. The floor-area key 6 : 5 gives
    # 23,853.27 / 19,877.73, inside the core, so the core split is the key itself.
    split = split_bundle(game, ["b", "a"], "core", key="floor_area")
    got = split.shares.set_index("compound_id").loc[["a", "b"]]
    assert got["share_yuan"].tolist() == _fen_split(43731.0, [6.0, 5.0])
    assert got["share_yuan"].tolist() == [23853.27, 19877.73]
    assert not split.core_empty
    assert split.least_core_epsilon_yuan == pytest.approx(-20365.5, abs=1e-3)
    # Overcharge: the pair pays exactly c(ab); a alone would pay 42,881 > 23,853.27.
    assert split.max_overcharge_yuan == pytest.approx(0.0, abs=1e-6)
    # Shapley of two: a = 42,881 + (43,731 - 41,581 - 42,881) / 2 = 22,515.50.
    sh = split_bundle(game, ["a", "b"], "shapley").shares
    assert sh["share_yuan"].tolist() == [22515.5, 21215.5]


def test_zero_weights_split_equally_and_bad_methods_are_refused() -> None:
    import dataclasses

    from propfee.errors import InputError

    game = hand_game()
    flat = dataclasses.replace(game, jobs_at_market_yuan=np.zeros(3))
    split = split_bundle(flat, ["a", "b", "c"], "use")
    # No use at all: c(N) / 3 each, 7,699,533 fen / 3 = 2,566,511 each.
    assert split.shares["share_yuan"].tolist() == [25665.11] * 3
    for method, key, field, value in (("median", "floor_area", "method", "median"),
                                      ("core", "core", "key", "core")):
        with pytest.raises(InputError) as err:
            split_bundle(game, ["a", "b"], method, key=key)  # type: ignore[arg-type]
        (problem,) = err.value.problems
        assert (problem.field, problem.value) == (field, value)
        assert "must be one of" in problem.message


# --- public income, the street subsidy and the deficit reduction, by hand --------------


def test_public_income_credit_subsidy_and_deficit_reduction_by_hand() -> None:
    # Two compounds alone, the contract at cost (grade 3, no gate, no margin, no crew fee,
    # each alone): a pays 0.5 yuan/m2 (deficit), b 30 yuan/m2 (surplus); public income
    # 2 panels x 1,500 x 0.5 = 1,500 each. 100 households, 3,250 m2, built 2024 (age 0),
    # one building of one unit.
    df = pd.DataFrame({"compound_id": ["a", "b"], "households": [100, 100],
                       "floor_area_m2": [3250.0, 3250.0], "build_year": [2024, 2024],
                       "gates": [0, 0], "fee_rate_yuan_per_m2_month": [0.5, 30.0]})
    plan = BARE.model_copy(update={"public_income": PublicIncome(items=(
        IncomeSource(name="advertising", basis="compound", units_per_basis=2.0,
                     price_yuan_per_unit_year=1500.0, occupancy_rate=0.5),))})
    c = pf.evaluate_district(df, plan, contributions=True).compounds.set_index("compound_id")
    # Contract: cleaning 3,250 / 13,000 x 2,000 = 500 h -> 0.5 post 19,260; management
    # 100 / 650 x 2,000 = 307.7 h -> 0.5 post 28,710; patrol 0.3 x 365 = 109.5 h = 0.0375
    # x 55,908 = 2,096.55: 50,066.55. Jobs at market (new, a building, a unit):
    # 3,323.75 + call-outs 1,365.42 = 4,689.17; waste 54.75 t x 120 = 6,570; running
    # 200 + 500 + 975 + 2,400 + 0 + 162.50 + 2,000 = 6,237.50. Cash 67,563.22.
    assert c["compound_cash_cost_yuan"].tolist() == [67563.22, 67563.22]
    # a: fee 3,250 x 0.5 x 12 x 0.7 = 13,650; balance 13,650 + 1,500 - 67,563.22
    #    = -52,413.22: subsidy 52,413.22, pool negative.
    # b: fee 3,250 x 30 x 12 x 0.7 = 819,000; balance 819,000 + 1,500 - 67,563.22
    #    = 752,936.78: no subsidy.
    assert c["pool_balance_yuan"].tolist() == [-52413.22, 752936.78]
    assert c["street_subsidy_yuan"].tolist() == [52413.22, 0.0]
    assert c["pool_non_negative"].tolist() == [False, True]
    # Public income changes the balance by itself alone in every coalition: its credit
    # is exactly the 1,500 yuan, whichever way credit is counted.
    assert c["contribution_public_income_yuan"].tolist() == [1500.0, 1500.0]
    w = pf.evaluate_district(df, plan, contributions="waterfall").compounds
    assert w["contribution_public_income_yuan"].tolist() == [1500.0, 1500.0]
    # The baseline: the same posts from a market company, with depreciation 800 x
    # 1.0375 = 830, overhead 0.05 x 50,896.55 = 2,544.83, profit 0.08 x 53,441.38 =
    # 4,275.31, VAT 0.06 x 57,716.69 = 3,463.00, surcharges 415.56: 79,091.92. The shared
    # company at cost saves exactly those 11,528.70: its credit.
    assert c["market_baseline_cost_yuan"].tolist() == [79091.92, 79091.92]
    assert c["contribution_shared_property_yuan"].tolist() == [11528.70, 11528.70]
    # Deficit reduction = max(baseline deficit, 0) - net public cost:
    #   a: (79,091.92 - 13,650 = 65,441.92) - 52,413.22 = 13,028.70; b: 0 - 0 = 0.
    assert c["deficit_reduction_yuan"].tolist() == [13028.70, 0.0]
    base = [pf.market_baseline(pf.Compound(
        compound_id=k, households=100, floor_area_m2=3250.0, build_year=2024, gates=0,
        fee_rate_yuan_per_m2_month=f), grade=3).total_annual_cost_yuan
        for k, f in (("a", 0.5), ("b", 30.0))]
    assert base == [79091.92, 79091.92]
