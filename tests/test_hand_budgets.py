"""Two compounds budgeted by hand under the default plan, line by line, to the fen.

Every expected figure here is worked out from the formulas of the module docstrings
(``propfee.work.*``, ``propfee.staffing``, ``propfee.channels.*``, ``propfee.budget.*``)
and the Taiyuan parameter set as of 2024-07-09, with the arithmetic beside it; none is
read off the library. Money is rounded to the fen once per line, half away from zero,
and every total is the sum of its rounded lines. Work is counted in micro-units (a
supplier gets its offer rounded to 10^-6 of the unit), which is why, say, the cleaning
demand reads 1,333.333333 h.

Parameters used (2024-07-09):

- fee 0.5 yuan/(m2 month), 70% collected; part-time minimum 19.8 yuan/h;
- 2,000 standard hours a post, 2,920 a guard (920 h of overtime at 150%);
- wages 2,000 yuan/month (cleaning, gate, patrol, greening), 3,500 (management); welfare
  5%; social insurance 30% of max(wage, 3,700); posts of 0.5 (cleaning, greening,
  management), 1.0 (gate), none (patrol, bought by the hour). A formal post costs
  cleaner or gardener 2,000 x 12 x 1.05 + 0.30 x 3,700 x 12 = 25,200 + 13,320 = 38,520;
  manager 3,500 x 12 x 1.05 + 13,320 = 57,420; guard 2,000 x 12 x (1 + 1.5 x 920 /
  2,000 = 1.69) x 1.05 + 13,320 = 42,588 + 13,320 = 55,908 (19.146575 yuan a guard-hour);
- informal hourly rate max(wage x 12 / 2,000, 19.8): 19.8 (12 yuan for the 2,000-yuan
  roles), 21 for management (3,500 x 12 / 2,000);
- grade 4: 15,000 m2 a cleaner, 20,000 m2 of green a gardener, 700 households a
  manager, 0.15 h of patrol a building a day, gates kept 16 h; grade 5: 16,000, 25,000,
  800, no patrol, a live-in gatekeeper (24 h) at 1,900 yuan/month;
- the market company: depreciation 800 a head, overhead 5% of staff + depreciation,
  profit 8%, VAT 6% on cost + profit, surcharges 12% of VAT; waste 120 yuan/t at
  1.5 kg a household a day; a lift 6,000 maintenance + 500 inspection a year;
- running costs: 200 a stairwell unit (electricity), 5 a household (water), 0.3 a m2
  (consumables), 24 a household (cleaning materials), 3 a m2 of green (greening
  materials), 0.05 a m2 (insurance), 20 a household (office), 0 other, 3,000 a lift
  (electricity); party members 0.18 a household; 3 members a call-out trip.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import factorial
from typing import Any

import pytest

import propfee as pf
from propfee.budget.credit import subset_balances_fen
from propfee.budget.kernel import KernelOutput, budget_arrays
from propfee.channels.common import CREDIT_CHANNELS
from propfee.fees import fee_collected_fen
from propfee.plan import default_plan, resolve_plan, shared_staffed_plan

ST, SD, SG, SP, DI, MK = ("street_fallback", "smart_devices", "self_governance",
                          "shared_property", "direct", "market")
FP, SO, RP, VK = "fund_pool", "street_office", "renovation_programme", "volunteers_in_kind"
LL = "lift_levy"

Line = tuple[str, str, str, str, str, float]
"""(channel, category, payer, kind, work, amount [yuan/year]) of one line."""

JOBS = ("pipe_dredging", "wall_repair", "stairwell_repair", "road_levelling",
        "septic_tank_pumping", "water_tank_cleaning", "small_water_repairs",
        "small_electrical_repairs", "roof_leak_repair", "stairwell_lighting_repair",
        "snow_clearing", "pest_control", "tree_pruning", "fire_equipment_service")


def source() -> pf.Compound:
    """The source's compound, with every quantity a term needs: 100 households x 100 m2,
    built 1990 (34 years old in 2024), one gate, 4 buildings, 8 stairwell units of 6
    storeys, 1,000 m2 green, 20 parking spaces, 2 water tanks; 18 party members
    (100 x 0.18, the parameter set's share)."""
    return pf.Compound(compound_id="src", households=100, floor_area_m2_per_household=100.0,
                       build_year=1990, gates=1, buildings=4, stairwell_units=8,
                       green_area_m2=1000.0, parking_spaces=20, water_tanks=2)


def large() -> pf.Compound:
    """600 households, 48,000 m2 built 1995 (29 years old), 25 buildings, 50 stairwell
    units of 6 storeys, 6 lifts serving 72 households, 2 gates, 6,000 m2 green, 120
    parking spaces, no water tank; 108 party members (600 x 0.18)."""
    return pf.Compound(compound_id="big", households=600, floor_area_m2=48000.0,
                       build_year=1995, buildings=25, stairwell_units=50, lifts=6,
                       lift_households=72, gates=2, green_area_m2=6000.0, parking_spaces=120)


def _lines(result: pf.BudgetResult) -> dict[str, Line]:
    return {x.line: (x.channel, x.category, x.payer, x.kind, x.work, round(x.amount_yuan, 2))
            for x in result.lines}


def _kernel(compound: pf.Compound, channels: tuple[str, ...]) -> KernelOutput:
    table = pf.validate_compounds(compound)
    return budget_arrays(table, resolve_plan(default_plan(), table), pf.default_parameters(),
                         channels=channels)


def _kernel_lines(out: KernelOutput) -> dict[str, float]:
    return {s.code: int(v[0]) / 100 for s, v in out.fen_lines().items()}


def _market(staff: dict[str, float] | None = None, chain: tuple[float, ...] = (0, 0, 0, 0, 0),
            jobs: dict[str, tuple[float, float]] | None = None, garbage: float = 0.0,
            lift: tuple[float, float] = (0.0, 0.0)) -> dict[str, Line]:
    """The market's lines (paid by the pool, lift care by the lift levy; kind ``market``),
    zero where not given."""
    staff = staff or {}
    jobs = jobs or {}
    out: dict[str, Line] = {}
    for work in ("cleaning", "greening", "management", "gate", "patrol"):
        out[f"market_{work}"] = (MK, "order" if work == "gate" else "staff", FP, "market", work,
                                 staff.get(work, 0.0))
    for (code, category), amount in zip(
            (("depreciation", "depreciation"), ("overhead", "overhead"), ("margin", "margin"),
             ("vat", "tax"), ("surcharges", "tax")), chain, strict=True):
        out[f"market_{code}"] = (MK, category, FP, "market", "*", float(amount))
    for job in JOBS:
        use, callout = jobs.get(job, (0.0, 0.0))
        out[f"market_job_{job}"] = (MK, "upkeep", FP, "market", job, use)
        out[f"market_job_{job}_callout"] = (MK, "upkeep", FP, "market", job, callout)
    out["market_garbage"] = (MK, "cleaning", FP, "market", "garbage", garbage)
    # Lift care is paid by the lift households' levy, not the pool.
    out["market_lift_maintenance"] = (MK, "upkeep", LL, "market", "lift", lift[0])
    out["market_lift_inspection"] = (MK, "upkeep", LL, "market", "lift", lift[1])
    return out


def _direct(electricity: float, water: float, consumables: float, cleaning: float,
            greening: float, insurance: float, office: float, lift: float) -> dict[str, Line]:
    """The compound's running costs (channel ``direct``, paid by the pool, no work)."""
    return {
        "common_electricity": (DI, "upkeep", FP, "running", "", electricity),
        "common_water": (DI, "upkeep", FP, "running", "", water),
        "consumables": (DI, "upkeep", FP, "running", "", consumables),
        "cleaning_materials": (DI, "cleaning", FP, "running", "", cleaning),
        "greening_materials": (DI, "greening", FP, "running", "", greening),
        "insurance": (DI, "insurance", FP, "running", "", insurance),
        "office": (DI, "office", FP, "running", "", office),
        "other": (DI, "other", FP, "running", "", 0.0),  # 0 yuan a household
        "lift_electricity": (DI, "upkeep", LL, "running", "", lift),  # the lift levy
    }


def _shared_jobs(amounts: dict[str, tuple[float, float]]) -> dict[str, Line]:
    """The shared company's per-use lines: each job and its call-outs."""
    out: dict[str, Line] = {}
    for job in JOBS:
        use, callout = amounts[job]
        out[f"job_{job}"] = (SP, "upkeep", FP, "per_use", job, use)
        out[f"job_{job}_callout"] = (SP, "upkeep", FP, "per_use", job, callout)
    return out


# ==================================================================================
# The source's compound under the default plan (xinghualing), every channel on
# ==================================================================================
#
# Demand at grade 4 (the plan keeps its gates by devices: the grade's 16 h):
#   cleaning    10,000 m2 / 15,000 x 2,000 h          = 1,333.333333 h
#   greening    1,000 m2 / 20,000 x 2,000 h           = 100 h
#   management  100 households / 700 x 2,000 h        = 285.714286 h
#   gate        1 gate x 16 h x 365                   = 5,840 h
#   patrol      4 buildings x 0.15 h x 365            = 219 h
#   garbage     100 x 1.5 kg x 365 / 1,000            = 54.75 t
#   lift        0 lifts
# Jobs, uses = quantity x uses a unit x min(1 + growth x 34, 3); the age factors are
# 1 + 0.04 x 34 = 2.36, 1 + 0.03 x 34 = 2.02, 1 + 0.05 x 34 = 2.7, or 1 (no growth);
# road 10,000 x 0.15 = 1,500 m2, roof 10,000 / 6 = 1,666.67 m2, trees 1,000 / 40 = 25:
#   pipe_dredging             4 x 0.5 x 2.36      = 4.72
#   wall_repair               4 x 0.2 x 2.36      = 1.888
#   stairwell_repair          8 x 0.2 x 2.02      = 3.232
#   road_levelling            1,500 x 0.02 x 2.02 = 60.6
#   septic_tank_pumping       4 x 0.5             = 2
#   water_tank_cleaning       2 x 2.0             = 4
#   small_water_repairs       100 x 0.06 x 2.36   = 14.16
#   small_electrical_repairs  100 x 0.05 x 2.36   = 11.8
#   roof_leak_repair          1,666.67 x 0.002 x 2.7 = 9
#   stairwell_lighting_repair 8 x 0.5 x 2.02      = 8.08
#   snow_clearing             1,500 x 3.0         = 4,500
#   pest_control              4 x 1.0             = 4
#   tree_pruning              25 x 0.5            = 12.5
#   fire_equipment_service    4 x 1.0             = 4
#
# 1. Street: garbage removal takes all 54.75 t at 120 yuan/t = 6,570; grid workers take
#    half the management, 142.857143 h, for 30 yuan x 100 households = 3,000 (all they
#    offered was supplied).
# 2. Devices (capital x crf at 4%: crf(8 y) = 0.04 / (1 - 1.04^-8) = 0.148527832,
#    crf(6 y) = 0.190761903, crf(5 y) = 0.224627114; paid by the renovation programme):
#    access control 1 x 30,000 x 0.148527832 = 4,455.83; running 1,200; offers 8,760 gate
#      hours, supplies the 5,840 needed;
#    gate cameras 2 x 1,500 x 0.190761903 = 572.29; running 2 x 100 = 200; 2 x 30 = 60
#      patrol hours;
#    building cameras 4 x 1,500 x 0.190761903 = 1,144.57; running 400; 4 x 30 = 120 patrol
#      hours (of the 159 left): patrol left 219 - 60 - 120 = 39 h;
#    smart parking (a gate with parking) 15,000 x 0.148527832 = 2,227.92; running 600;
#    speakers 2 x 800 x 0.224627114 = 359.40; running 2 x 50 = 100;
#    remote help of the device-kept gate 1,200 x 5,840 / (16 x 365) = 1,200.
# 3. Volunteers: (18 x 0.233 x 2 + 100 x 0.02 x 2) x 52 = 12.388 x 52 = 644.176 h; each
#    hour used at the 19.8 shadow wage (in kind):
#    cleaning 40% = 257.6704 h (cap 0.5 x 1,333.33 = 666.67): all used; 5,101.87;
#      materials 2 x 100 = 200.00;
#    greening 20% = 128.8352 h, capped at 0.8 x 100 = 80 h: 80 x 19.8 = 1,584.00;
#      materials 1 x 100 x 80 / 128.8352 = 62.09;
#    stairwell lighting 10% = 64.4176 h x 0.5 = 32.2088 uses, capped at 0.7 x 8.08 =
#      5.656 uses = 11.312 h: 223.98; materials 2 x 100 x 11.312 / 64.4176 = 35.12;
#    extinguisher checks 5% = 32.2088 h x 0.25 = 8.05 uses, capped at 0.3 x 4 = 1.2 uses
#      = 4.8 h: 95.04 (no materials: no line);
#    patrol 10% = 64.4176 h, 39 h left to take: 39 x 19.8 = 772.20;
#    mediation 10% = 64.4176 h (cap 0.3 x 285.71 = 85.71) of the 142.857143 h the street
#      left: 64.4176 x 19.8 = 1,275.47;
#    legal education 5% = 32.2088 h: no work, no line (added service).
#    Informal hires of what is left: cleaning 1,333.333333 - 257.6704 = 1,075.662933 h x
#    19.8 = 21,298.13; greening 20 h x 19.8 = 396.00; management 142.857143 - 64.4176 =
#    78.439543 h x 21 = 1,647.23; patrol 0 h = 0.00.
# 4. Shared company (alone: a whole trip a visit, share 1), every job left at 70%:
#    uses x price x 0.7 and uses / uses a visit x call-out x 0.7; volunteers took 5.656
#    lighting repairs (2.424 left) and 1.2 extinguisher services (2.8 left).
# 5. Running costs: electricity 200 x 8 = 1,600; water 5 x 100 = 500; consumables 0.3 x
#    10,000 = 3,000; cleaning materials 24 x 100 = 2,400; greening materials 3 x 1,000 =
#    3,000; insurance 0.05 x 10,000 = 500; office 20 x 100 = 2,000; lifts 0.
# 6. The market: nothing is left, every market line is 0.00.

SOURCE_LINES: dict[str, Line] = {
    "street_garbage_removal": (ST, "cleaning", SO, "service", "garbage", 6570.00),
    "street_grid_workers": (ST, "staff", SO, "service", "management", 3000.00),
    "device_access_control_capital": (SD, "depreciation", RP, "capital", "gate", 4455.83),
    "device_access_control_running": (SD, "upkeep", FP, "running", "gate", 1200.00),
    "device_cameras_gate_capital": (SD, "depreciation", RP, "capital", "patrol", 572.29),
    "device_cameras_gate_running": (SD, "upkeep", FP, "running", "patrol", 200.00),
    "device_cameras_building_capital": (SD, "depreciation", RP, "capital", "patrol", 1144.57),
    "device_cameras_building_running": (SD, "upkeep", FP, "running", "patrol", 400.00),
    "device_smart_parking_capital": (SD, "depreciation", RP, "capital", "", 2227.92),
    "device_smart_parking_running": (SD, "upkeep", FP, "running", "", 600.00),
    "device_speakers_capital": (SD, "depreciation", RP, "capital", "", 359.40),
    "device_speakers_running": (SD, "upkeep", FP, "running", "", 100.00),
    "gate_remote_help": (SD, "order", FP, "running", "gate", 1200.00),
    "volunteer_in_building_cleaning_time": (SG, "staff", VK, "in_kind", "cleaning", 5101.87),
    "volunteer_in_building_cleaning_materials": (SG, "cleaning", FP, "running", "cleaning",
                                                 200.00),
    "volunteer_greening_time": (SG, "staff", VK, "in_kind", "greening", 1584.00),
    "volunteer_greening_materials": (SG, "greening", FP, "running", "greening", 62.09),
    "volunteer_stairwell_lighting_time": (SG, "staff", VK, "in_kind",
                                          "stairwell_lighting_repair", 223.98),
    "volunteer_stairwell_lighting_materials": (SG, "upkeep", FP, "running",
                                               "stairwell_lighting_repair", 35.12),
    "volunteer_fire_extinguisher_checks_time": (SG, "staff", VK, "in_kind",
                                                "fire_equipment_service", 95.04),
    "volunteer_patrol_time": (SG, "staff", VK, "in_kind", "patrol", 772.20),
    "volunteer_mediation_time": (SG, "staff", VK, "in_kind", "management", 1275.47),
    "informal_cleaning": (SG, "staff", FP, "informal", "cleaning", 21298.13),
    "informal_greening": (SG, "staff", FP, "informal", "greening", 396.00),
    "informal_management": (SG, "staff", FP, "informal", "management", 1647.23),
    "informal_patrol": (SG, "staff", FP, "informal", "patrol", 0.00),
    **_shared_jobs({
        "pipe_dredging": (991.20, 330.40),          # 4.72 x 300 x 0.7; 4.72 x 100 x 0.7
        "wall_repair": (1982.40, 198.24),           # 1.888 x 1,500 x 0.7; x 150 x 0.7
        "stairwell_repair": (1809.92, 226.24),      # 3.232 x 800 x 0.7; x 100 x 0.7
        "road_levelling": (2545.20, 636.30),        # 60.6 x 60 x 0.7; 60.6 / 20 x 300 x 0.7
        "septic_tank_pumping": (560.00, 140.00),    # 2 x 400 x 0.7; 2 x 100 x 0.7
        "water_tank_cleaning": (840.00, 224.00),    # 4 x 300 x 0.7; 4 x 80 x 0.7
        "small_water_repairs": (792.96, 495.60),    # 14.16 x 80 x 0.7; x 50 x 0.7
        "small_electrical_repairs": (660.80, 413.00),  # 11.8 x 80 x 0.7; x 50 x 0.7
        "roof_leak_repair": (756.00, 126.00),       # 9 x 120 x 0.7; 9 / 10 x 200 x 0.7
        "stairwell_lighting_repair": (101.81, 84.84),  # 2.424 x 60 x 0.7 = 101.808;
                                                    # 2.424 x 50 x 0.7
        "snow_clearing": (945.00, 630.00),          # 4,500 x 0.3 x 0.7; 4.5 x 200 x 0.7
        "pest_control": (420.00, 224.00),           # 4 x 150 x 0.7; 4 x 80 x 0.7
        "tree_pruning": (525.00, 65.63),            # 12.5 x 60 x 0.7; 0.625 x 150 x 0.7
                                                    # = 65.625, half a fen up
        "fire_equipment_service": (588.00, 196.00),  # 2.8 x 300 x 0.7; 2.8 x 100 x 0.7
    }),
    **_direct(1600.00, 500.00, 3000.00, 2400.00, 3000.00, 500.00, 2000.00, 0.00),
    **_market(),
}

# The market baseline of the source's compound at grade 4 (every channel off; the
# plan's device-kept gate still needs the grade's 16 h, kept by guards):
#   cleaning    1,333.333333 h / 2,000 = 0.667 -> 1.0 post x 38,520   = 38,520.00
#   greening    100 h / 2,000 = 0.05 -> 0.5 post x 38,520            = 19,260.00
#   management  285.714286 h / 2,000 = 0.143 -> 0.5 post x 57,420    = 28,710.00
#   gate        5,840 h / 2,920 = 2.0 -> 2 guards x 55,908           = 111,816.00
#   patrol      219 h / 2,920 = 0.075 post (not rounded) x 55,908    = 4,193.10
#   staff 202,499.10; heads 1 + 0.5 + 0.5 + 2 + 0.075 = 4.075
#   depreciation 800 x 4.075                                         = 3,260.00
#   overhead 0.05 x (202,499.10 + 3,260) = 0.05 x 205,759.10 = 10,287.955 -> 10,287.96
#   margin 0.08 x (205,759.10 + 10,287.955 = 216,047.055) = 17,283.7644 -> 17,283.76
#   VAT 0.06 x (216,047.055 + 17,283.7644 = 233,330.8194) = 13,999.849 -> 13,999.85
#   surcharges 0.12 x 13,999.849164 = 1,679.9819 -> 1,679.98
#   jobs at market price, a whole trip a visit: uses x price and uses / a visit x
#   call-out (the lines below) = 20,011.20 + 6,103.15 = 26,114.35
#   garbage 54.75 t x 120 = 6,570.00; running costs 13,000.00 (as in the plan)
#   total 202,499.10 + 3,260 + 10,287.96 + 17,283.76 + 13,999.85 + 1,679.98 + 26,114.35
#         + 6,570 + 13,000 = 294,695.00; balance 42,000 - 294,695.00 = -252,695.00

SOURCE_MARKET_JOBS: dict[str, tuple[float, float]] = {
    "pipe_dredging": (1416.00, 472.00),             # 4.72 x 300; 4.72 x 100
    "wall_repair": (2832.00, 283.20),               # 1.888 x 1,500; 1.888 x 150
    "stairwell_repair": (2585.60, 323.20),          # 3.232 x 800; 3.232 x 100
    "road_levelling": (3636.00, 909.00),            # 60.6 x 60; 60.6 / 20 x 300
    "septic_tank_pumping": (800.00, 200.00),        # 2 x 400; 2 x 100
    "water_tank_cleaning": (1200.00, 320.00),       # 4 x 300; 4 x 80
    "small_water_repairs": (1132.80, 708.00),       # 14.16 x 80; 14.16 x 50
    "small_electrical_repairs": (944.00, 590.00),   # 11.8 x 80; 11.8 x 50
    "roof_leak_repair": (1080.00, 180.00),          # 9 x 120; 9 / 10 x 200
    "stairwell_lighting_repair": (484.80, 404.00),  # 8.08 x 60; 8.08 x 50
    "snow_clearing": (1350.00, 900.00),             # 4,500 x 0.3; 4.5 x 200
    "pest_control": (600.00, 320.00),               # 4 x 150; 4 x 80
    "tree_pruning": (750.00, 93.75),                # 12.5 x 60; 12.5 / 20 x 150
    "fire_equipment_service": (1200.00, 400.00),    # 4 x 300; 4 x 100
}

SOURCE_BASELINE_G4: dict[str, Line] = {
    **_market(staff={"cleaning": 38520.00, "greening": 19260.00, "management": 28710.00,
                     "gate": 111816.00, "patrol": 4193.10},
              chain=(3260.00, 10287.96, 17283.76, 13999.85, 1679.98),
              jobs=SOURCE_MARKET_JOBS, garbage=6570.00),
    **_direct(1600.00, 500.00, 3000.00, 2400.00, 3000.00, 500.00, 2000.00, 0.00),
}


def test_source_compound_every_line() -> None:
    assert _lines(pf.evaluate(source())) == SOURCE_LINES


def test_source_compound_pool_street_and_public_cost() -> None:
    r = pf.evaluate(source())
    # Fee 10,000 m2 x 0.5 x 12 x 0.7 = 42,000. Public income (net of occupancy and costs):
    #   parking 20 x 600 x 0.6 x (1 - 0.2) = 5,760; building ads 4 x 400 x 0.5 = 800;
    #   gate ads 1 x 2,000 x 0.5 = 1,000; site fees floor(0.01 x 100) = 1 x 2,000 x 0.5
    #   = 1,000; lockers floor(100 / 150) = 0; chargers floor(0.1 x 20) = 2 x 600 x 0.5 x
    #   0.7 = 420; base stations 0.05 x 4 = 0.2 x 5,000 = 1,000: 9,980.
    assert (r.fee_collected_yuan, r.public_income_yuan) == (42000.00, 9980.00)
    # Cash (the pool's lines): device running 1,200 + 200 + 400 + 600 + 100 = 2,500;
    # remote help 1,200; materials 200 + 62.09 + 35.12 = 297.21; informal 21,298.13 +
    # 396 + 1,647.23 + 0 = 23,341.36; jobs 13,518.29 + call-outs 3,990.25 = 17,508.54;
    # running costs 13,000: 57,847.11.
    assert r.compound_cash_cost_yuan == 57847.11
    # Pool 42,000 + 9,980 - 57,847.11 = -5,867.11: a deficit the street fills.
    assert r.pool_balance_yuan == -5867.11
    assert (r.street_subsidy_yuan, r.pool_surplus_yuan) == (5867.11, 0.00)
    # Street services 6,570 + 3,000 = 9,570; street total 9,570 + 5,867.11 = 15,437.11;
    # renovation capital 4,455.83 + 572.29 + 1,144.57 + 2,227.92 + 359.40 = 8,760.01;
    # net public cost 15,437.11 + 8,760.01 = 24,197.12.
    assert r.street_total_yuan == 15437.11
    assert r.net_public_cost_yuan == 24197.12
    # In kind 5,101.87 + 1,584 + 223.98 + 95.04 + 772.20 + 1,275.47 = 9,052.56.
    assert r.by_payer == {FP: 57847.11, LL: 0.00, SO: 9570.00, RP: 8760.01, VK: 9052.56}
    # Total 57,847.11 + 9,570 + 8,760.01 + 9,052.56 = 85,229.68.
    assert r.total_cost_yuan == 85229.68
    # By channel: shared 17,508.54; self-governance 9,052.56 + 297.21 + 23,341.36 =
    # 32,691.13; street 9,570; devices 2,500 + 8,760.01 + 1,200 = 12,460.01; running
    # 13,000; market 0.
    assert r.by_channel == {SP: 17508.54, SG: 32691.13, ST: 9570.00, SD: 12460.01,
                            DI: 13000.00, MK: 0.00}
    # Market baseline 294,695.00 (see SOURCE_BASELINE_G4): balance -252,695.00; the
    # deficit shrinks by 252,695.00 - 24,197.12 = 228,497.88 of public money; the pool
    # spends 294,695.00 - 57,847.11 = 236,847.89 less than a market company alone.
    assert r.market_baseline_cost_yuan == 294695.00
    assert r.market_baseline_balance_yuan == -252695.00
    assert r.deficit_reduction_yuan == 228497.88
    assert r.saving_vs_market_baseline_yuan == 236847.89
    # 85,229.68 / 100 households / 12 months = 71.0247 yuan a household-month.
    assert r.cost_per_household_month_yuan == pytest.approx(85229.68 / 1200, abs=1e-9)
    # Volunteer hours 644.176; not used on priced work: legal education 32.2088,
    # greening 128.8352 - 80 = 48.8352, lighting 64.4176 - 11.312 = 53.1056,
    # extinguishers 32.2088 - 4.8 = 27.4088, patrol 64.4176 - 39 = 25.4176: 186.976.
    assert round(r.volunteer_hours, 6) == 644.176
    assert round(r.volunteer_added_hours, 6) == 186.976


def test_source_compound_who_pays_adds_up_to_the_fen() -> None:
    r = pf.evaluate(source())
    # 42,000 fees + 9,980 income + 5,867.11 subsidy - 0 surplus + 9,570 street services
    # + 8,760.01 renovation + 9,052.56 in kind = 85,229.68 = the total cost.
    assert r.who_pays == {
        "residents_fees": 42000.00, "public_income": 9980.00, "street_subsidy": 5867.11,
        "pool_surplus_kept": 0.00, "lift_levy": 0.00, "street_services": 9570.00,
        "renovation_programme": 8760.01, "volunteers_in_kind": 9052.56,
    }
    fen = sum(round(v * 100) for v in r.who_pays.values())
    assert fen == round(r.total_cost_yuan * 100) == 8522968


def _work(result: pf.BudgetResult) -> dict[str, tuple[float, dict[str, float]]]:
    return {w.category: (round(w.demand, 6),
                         {k: round(v, 6) for k, v in w.supplied.items() if v != 0.0})
            for w in result.work}


def test_source_compound_work_table() -> None:
    got = _work(pf.evaluate(source()))
    assert got == {
        # volunteers 257.6704 + informal 1,075.662933
        "cleaning": (1333.333333, {SG: 1333.333333}),
        "greening": (100.0, {SG: 100.0}),  # volunteers 80 + informal 20
        # grid workers 142.857143; mediation 64.4176 + informal 78.439543
        "management": (285.714286, {ST: 142.857143, SG: 142.857143}),
        "gate": (5840.0, {SD: 5840.0}),  # access control
        "patrol": (219.0, {SD: 180.0, SG: 39.0}),  # cameras 60 + 120; volunteers 39
        "garbage": (54.75, {ST: 54.75}),
        "lift": (0.0, {}),
        "pipe_dredging": (4.72, {SP: 4.72}),
        "wall_repair": (1.888, {SP: 1.888}),
        "stairwell_repair": (3.232, {SP: 3.232}),
        "road_levelling": (60.6, {SP: 60.6}),
        "septic_tank_pumping": (2.0, {SP: 2.0}),
        "water_tank_cleaning": (4.0, {SP: 4.0}),
        "small_water_repairs": (14.16, {SP: 14.16}),
        "small_electrical_repairs": (11.8, {SP: 11.8}),
        "roof_leak_repair": (9.0, {SP: 9.0}),
        "stairwell_lighting_repair": (8.08, {SG: 5.656, SP: 2.424}),
        "snow_clearing": (4500.0, {SP: 4500.0}),
        "pest_control": (4.0, {SP: 4.0}),
        "tree_pruning": (12.5, {SP: 12.5}),
        "fire_equipment_service": (4.0, {SG: 1.2, SP: 2.8}),
    }


# ==================================================================================
# The 600-household compound under the default plan, every channel on
# ==================================================================================
#
# Demand at grade 4 (16 h gates):
#   cleaning    48,000 / 15,000 x 2,000     = 6,400 h
#   greening    6,000 / 20,000 x 2,000      = 600 h
#   management  600 / 700 x 2,000           = 1,714.285714 h
#   gate        2 x 16 x 365                = 11,680 h
#   patrol      25 x 0.15 x 365             = 1,368.75 h
#   garbage     600 x 1.5 x 365 / 1,000     = 328.5 t
#   lift        6 lift-years
# Jobs at age 29: factors 1 + 0.04 x 29 = 2.16, 1 + 0.03 x 29 = 1.87, 1 + 0.05 x 29 =
# 2.45; road 48,000 x 0.15 = 7,200 m2, roof 48,000 / 6 = 8,000 m2, trees 6,000 / 40 = 150:
#   pipe 25 x 0.5 x 2.16 = 27; wall 25 x 0.2 x 2.16 = 10.8; stairwell 50 x 0.2 x 1.87 =
#   18.7; road 7,200 x 0.02 x 1.87 = 269.28; septic 25 x 0.5 = 12.5; water tanks 0;
#   small water 600 x 0.06 x 2.16 = 77.76; small electrical 600 x 0.05 x 2.16 = 64.8;
#   roof 8,000 x 0.002 x 2.45 = 39.2; lighting 50 x 0.5 x 1.87 = 46.75; snow 7,200 x 3 =
#   21,600; pest 25; trees 150 x 0.5 = 75; fire equipment 25.
#
# 1. Street: garbage 328.5 t x 120 = 39,420; grid workers 30 x 600 = 18,000 for half the
#    management, 857.142857 h.
# 2. Devices: access control 2 units: 60,000 x 0.148527832 = 8,911.67, running 2,400;
#    offers 17,520 h, supplies the 11,680; gate cameras 4: 6,000 x 0.190761903 =
#    1,144.57, running 400, 120 patrol hours; building cameras 25: 37,500 x 0.190761903
#    = 7,153.57, running 2,500, 750 patrol hours: patrol left 1,368.75 - 870 = 498.75 h;
#    smart parking 2 gates: 30,000 x 0.148527832 = 4,455.83, running 1,200; speakers
#    359.40, running 100; remote help 1,200 x 11,680 / 5,840 = 2,400.
# 3. Volunteers: (108 x 0.233 x 2 + 600 x 0.02 x 2) x 52 = 74.328 x 52 = 3,865.056 h:
#    cleaning 40% = 1,546.0224 h (cap 3,200), all used: x 19.8 = 30,611.24; materials
#      2 x 600 = 1,200;
#    greening 20% = 773.0112 h, capped at 0.8 x 600 = 480 h: 9,504.00; materials
#      600 x 480 / 773.0112 = 372.57;
#    lighting 10% = 386.5056 h = 193.25 uses, capped at 0.7 x 46.75 = 32.725 uses =
#      65.45 h: 1,295.91; materials 2 x 600 x 65.45 / 386.5056 = 203.21;
#    extinguishers 5% = 193.2528 h = 48.31 uses, capped at 0.3 x 25 = 7.5 uses = 30 h:
#      594.00;
#    patrol 10% = 386.5056 h of the 498.75 left: 7,652.81;
#    mediation 10% = 386.5056 h (cap 514.29) of the 857.142857 left: 7,652.81.
#    Informal: cleaning 6,400 - 1,546.0224 = 4,853.9776 h x 19.8 = 96,108.76; greening
#    120 h x 19.8 = 2,376.00; management 857.142857 - 386.5056 = 470.637257 h x 21 =
#    9,883.38; patrol 498.75 - 386.5056 = 112.2444 h x 19.8 = 2,222.44.
# 4. Shared company, alone, 70% of market price (lighting 46.75 - 32.725 = 14.025 uses
#    left, fire equipment 25 - 7.5 = 17.5).
# 5. Running costs: electricity 200 x 50 = 10,000; water 5 x 600 = 3,000; consumables
#    0.3 x 48,000 = 14,400; cleaning materials 24 x 600 = 14,400; greening materials
#    3 x 6,000 = 18,000; insurance 0.05 x 48,000 = 2,400; office 20 x 600 = 12,000; lift
#    electricity 3,000 x 6 = 18,000.
# 6. The market: only the lifts: 6 x 6,000 = 36,000 maintenance, 6 x 500 = 3,000
#    inspection.

LARGE_LINES: dict[str, Line] = {
    "street_garbage_removal": (ST, "cleaning", SO, "service", "garbage", 39420.00),
    "street_grid_workers": (ST, "staff", SO, "service", "management", 18000.00),
    "device_access_control_capital": (SD, "depreciation", RP, "capital", "gate", 8911.67),
    "device_access_control_running": (SD, "upkeep", FP, "running", "gate", 2400.00),
    "device_cameras_gate_capital": (SD, "depreciation", RP, "capital", "patrol", 1144.57),
    "device_cameras_gate_running": (SD, "upkeep", FP, "running", "patrol", 400.00),
    "device_cameras_building_capital": (SD, "depreciation", RP, "capital", "patrol", 7153.57),
    "device_cameras_building_running": (SD, "upkeep", FP, "running", "patrol", 2500.00),
    "device_smart_parking_capital": (SD, "depreciation", RP, "capital", "", 4455.83),
    "device_smart_parking_running": (SD, "upkeep", FP, "running", "", 1200.00),
    "device_speakers_capital": (SD, "depreciation", RP, "capital", "", 359.40),
    "device_speakers_running": (SD, "upkeep", FP, "running", "", 100.00),
    "gate_remote_help": (SD, "order", FP, "running", "gate", 2400.00),
    "volunteer_in_building_cleaning_time": (SG, "staff", VK, "in_kind", "cleaning", 30611.24),
    "volunteer_in_building_cleaning_materials": (SG, "cleaning", FP, "running", "cleaning",
                                                 1200.00),
    "volunteer_greening_time": (SG, "staff", VK, "in_kind", "greening", 9504.00),
    "volunteer_greening_materials": (SG, "greening", FP, "running", "greening", 372.57),
    "volunteer_stairwell_lighting_time": (SG, "staff", VK, "in_kind",
                                          "stairwell_lighting_repair", 1295.91),
    "volunteer_stairwell_lighting_materials": (SG, "upkeep", FP, "running",
                                               "stairwell_lighting_repair", 203.21),
    "volunteer_fire_extinguisher_checks_time": (SG, "staff", VK, "in_kind",
                                                "fire_equipment_service", 594.00),
    "volunteer_patrol_time": (SG, "staff", VK, "in_kind", "patrol", 7652.81),
    "volunteer_mediation_time": (SG, "staff", VK, "in_kind", "management", 7652.81),
    "informal_cleaning": (SG, "staff", FP, "informal", "cleaning", 96108.76),
    "informal_greening": (SG, "staff", FP, "informal", "greening", 2376.00),
    "informal_management": (SG, "staff", FP, "informal", "management", 9883.38),
    "informal_patrol": (SG, "staff", FP, "informal", "patrol", 2222.44),
    **_shared_jobs({
        "pipe_dredging": (5670.00, 1890.00),        # 27 x 300 x 0.7; 27 x 100 x 0.7
        "wall_repair": (11340.00, 1134.00),         # 10.8 x 1,500 x 0.7; x 150 x 0.7
        "stairwell_repair": (10472.00, 1309.00),    # 18.7 x 800 x 0.7; x 100 x 0.7
        "road_levelling": (11309.76, 2827.44),      # 269.28 x 42; 13.464 x 300 x 0.7
        "septic_tank_pumping": (3500.00, 875.00),   # 12.5 x 280; 12.5 x 70
        "water_tank_cleaning": (0.00, 0.00),        # no tank
        "small_water_repairs": (4354.56, 2721.60),  # 77.76 x 56; 77.76 x 35
        "small_electrical_repairs": (3628.80, 2268.00),  # 64.8 x 56; 64.8 x 35
        "roof_leak_repair": (3292.80, 548.80),      # 39.2 x 84; 3.92 x 140
        "stairwell_lighting_repair": (589.05, 490.88),  # 14.025 x 42; 14.025 x 35 =
                                                    # 490.875, half a fen up
        "snow_clearing": (4536.00, 3024.00),        # 21,600 x 0.21; 21.6 x 140
        "pest_control": (2625.00, 1400.00),         # 25 x 105; 25 x 56
        "tree_pruning": (3150.00, 393.75),          # 75 x 42; 3.75 x 105
        "fire_equipment_service": (3675.00, 1225.00),  # 17.5 x 210; 17.5 x 70
    }),
    **_direct(10000.00, 3000.00, 14400.00, 14400.00, 18000.00, 2400.00, 12000.00, 18000.00),
    **_market(lift=(36000.00, 3000.00)),
}

# The market baseline of the 600-household compound at grade 4:
#   cleaning    6,400 h / 2,000 = 3.2 -> 3.5 posts x 38,520         = 134,820.00
#   greening    600 h / 2,000 = 0.3 -> 0.5 x 38,520                  = 19,260.00
#   management  1,714.285714 / 2,000 = 0.857 -> 1.0 x 57,420          = 57,420.00
#   gate        11,680 / 2,920 = 4.0 -> 4 guards x 55,908             = 223,632.00
#   patrol      1,368.75 / 2,920 = 0.46875 x 55,908 = 26,206.875      -> 26,206.88
#   staff 461,338.875; heads 3.5 + 0.5 + 1 + 4 + 0.46875 = 9.46875
#   depreciation 800 x 9.46875                                        = 7,575.00
#   overhead 0.05 x 468,913.875 = 23,445.694                          -> 23,445.69
#   margin 0.08 x (468,913.875 + 23,445.694 = 492,359.569) = 39,388.77
#   VAT 0.06 x (492,359.569 + 39,388.766 = 531,748.334) = 31,904.90
#   surcharges 0.12 x 31,904.900 = 3,828.59
#   jobs 101,560.60 + call-outs 31,111.20 = 132,671.80; garbage 328.5 x 120 = 39,420;
#   lifts 36,000 + 3,000; running costs 92,200
#   total 461,338.88 + 7,575 + 23,445.69 + 39,388.77 + 31,904.90 + 3,828.59 + 132,671.80
#         + 39,420 + 39,000 + 92,200 = 870,773.63; balance 201,600 - 870,773.63
#         = -669,173.63

LARGE_MARKET_JOBS: dict[str, tuple[float, float]] = {
    "pipe_dredging": (8100.00, 2700.00),            # 27 x 300; 27 x 100
    "wall_repair": (16200.00, 1620.00),             # 10.8 x 1,500; 10.8 x 150
    "stairwell_repair": (14960.00, 1870.00),        # 18.7 x 800; 18.7 x 100
    "road_levelling": (16156.80, 4039.20),          # 269.28 x 60; 13.464 x 300
    "septic_tank_pumping": (5000.00, 1250.00),      # 12.5 x 400; 12.5 x 100
    "small_water_repairs": (6220.80, 3888.00),      # 77.76 x 80; 77.76 x 50
    "small_electrical_repairs": (5184.00, 3240.00),  # 64.8 x 80; 64.8 x 50
    "roof_leak_repair": (4704.00, 784.00),          # 39.2 x 120; 3.92 x 200
    "stairwell_lighting_repair": (2805.00, 2337.50),  # 46.75 x 60; 46.75 x 50
    "snow_clearing": (6480.00, 4320.00),            # 21,600 x 0.3; 21.6 x 200
    "pest_control": (3750.00, 2000.00),             # 25 x 150; 25 x 80
    "tree_pruning": (4500.00, 562.50),              # 75 x 60; 3.75 x 150
    "fire_equipment_service": (7500.00, 2500.00),   # 25 x 300; 25 x 100
}

LARGE_DIRECT = _direct(10000.00, 3000.00, 14400.00, 14400.00, 18000.00, 2400.00, 12000.00,
                       18000.00)

LARGE_BASELINE_G4: dict[str, Line] = {
    **_market(staff={"cleaning": 134820.00, "greening": 19260.00, "management": 57420.00,
                     "gate": 223632.00, "patrol": 26206.88},
              chain=(7575.00, 23445.69, 39388.77, 31904.90, 3828.59),
              jobs=LARGE_MARKET_JOBS, garbage=39420.00, lift=(36000.00, 3000.00)),
    **LARGE_DIRECT,
}


def test_large_compound_every_line() -> None:
    assert _lines(pf.evaluate(large())) == LARGE_LINES


def test_large_compound_pool_street_and_public_cost() -> None:
    r = pf.evaluate(large())
    # Fee 48,000 x 0.5 x 12 x 0.7 = 201,600. Income: parking 120 x 600 x 0.6 x 0.8 =
    # 34,560; building ads 25 x 400 x 0.5 = 5,000; gate ads 2 x 2,000 x 0.5 = 2,000; site
    # fees floor(6) x 1,000 = 6,000; lockers floor(600 / 150) = 4 x 1,500 x 0.8 = 4,800;
    # chargers floor(12) x 600 x 0.5 x 0.7 = 2,520; base stations 1.25 x 5,000 = 6,250:
    # 61,130.
    assert (r.fee_collected_yuan, r.public_income_yuan) == (201600.00, 61130.00)
    # Cash: device running 6,600 + remote help 2,400 + materials 1,775.78 + informal
    # 110,590.58 + jobs 68,142.97 + call-outs 20,107.47 + running 92,200 - 18,000 (the
    # lifts' electricity, paid by the lift levy) = 283,816.80; pool 201,600 + 61,130
    # - 283,816.80 = -21,086.80. The lift households pay 36,000 maintenance + 3,000
    # inspection + 18,000 electricity = 57,000 by their levy.
    assert r.compound_cash_cost_yuan == 283816.80
    assert r.pool_balance_yuan == -21086.80
    assert (r.street_subsidy_yuan, r.pool_surplus_yuan) == (21086.80, 0.00)
    # Street 39,420 + 18,000 = 57,420, with the subsidy 78,506.80; capital 8,911.67 +
    # 1,144.57 + 7,153.57 + 4,455.83 + 359.40 = 22,025.04; net public 100,531.84.
    assert r.street_total_yuan == 78506.80
    assert r.net_public_cost_yuan == 100531.84
    # In kind 30,611.24 + 9,504 + 1,295.91 + 594 + 7,652.81 x 2 = 57,310.77.
    assert r.by_payer == {FP: 283816.80, LL: 57000.00, SO: 57420.00, RP: 22025.04,
                          VK: 57310.77}
    # 283,816.80 + 57,000 + 57,420 + 22,025.04 + 57,310.77
    assert r.total_cost_yuan == 477572.61
    assert r.by_channel == {SP: 88250.44, SG: 169677.13, ST: 57420.00, SD: 31025.04,
                            DI: 92200.00, MK: 39000.00}
    # The baseline's lifts are the lift households' too: 870,773.63 - 57,000 from the fee.
    assert r.market_baseline_cost_yuan == 813773.63
    assert r.market_baseline_balance_yuan == -612173.63
    assert r.deficit_reduction_yuan == 511641.79  # 612,173.63 - 100,531.84
    assert r.saving_vs_market_baseline_yuan == 529956.83  # 813,773.63 - 283,816.80
    # The lift levy per lift household: 57,000 / 72 / 12 = 65.972 a month.
    assert round(r.lift_levy_per_lift_household_month_yuan, 3) == 65.972
    # 3,865.056 h; unused: legal 193.2528, greening 293.0112, lighting 321.0556,
    # extinguishers 163.2528: 970.5724.
    assert round(r.volunteer_hours, 6) == 3865.056
    assert round(r.volunteer_added_hours, 6) == 970.5724
    assert r.who_pays == {
        "residents_fees": 201600.00, "public_income": 61130.00, "street_subsidy": 21086.80,
        "pool_surplus_kept": 0.00, "lift_levy": 57000.00, "street_services": 57420.00,
        "renovation_programme": 22025.04, "volunteers_in_kind": 57310.77,
    }
    assert sum(round(v * 100) for v in r.who_pays.values()) == 47757261


def test_large_compound_work_table() -> None:
    got = _work(pf.evaluate(large()))
    jobs = {"pipe_dredging": 27.0, "wall_repair": 10.8, "stairwell_repair": 18.7,
            "road_levelling": 269.28, "septic_tank_pumping": 12.5,
            "small_water_repairs": 77.76, "small_electrical_repairs": 64.8,
            "roof_leak_repair": 39.2, "snow_clearing": 21600.0, "pest_control": 25.0,
            "tree_pruning": 75.0}
    assert got == {
        "cleaning": (6400.0, {SG: 6400.0}),
        "greening": (600.0, {SG: 600.0}),
        "management": (1714.285714, {ST: 857.142857, SG: 857.142857}),
        "gate": (11680.0, {SD: 11680.0}),
        "patrol": (1368.75, {SD: 870.0, SG: 498.75}),
        "garbage": (328.5, {ST: 328.5}),
        "lift": (6.0, {MK: 6.0}),  # a licensed firm at market price
        **{job: (uses, {SP: uses}) for job, uses in jobs.items()},
        "water_tank_cleaning": (0.0, {}),
        "stairwell_lighting_repair": (46.75, {SG: 32.725, SP: 14.025}),
        "fire_equipment_service": (25.0, {SG: 7.5, SP: 17.5}),
    }


# ==================================================================================
# Each channel switched off in turn: where its work goes, and the balance
# ==================================================================================

OFF_SOURCE: dict[str, dict[str, Any]] = {
    # The street off: its 54.75 t of waste are bought at market, 54.75 x 120 = 6,570
    # (the same price); the mediation volunteers still give 64.4176 h of management and
    # the residents hire the other 285.714286 - 64.4176 = 221.296686 h at 21 yuan =
    # 4,647.23 (was 1,647.23: the 142.857143 h of grid work cost the pool 3,000).
    # Pool -5,867.11 - 6,570 - 3,000 = -15,437.11: what the street paid, the pool pays.
    ST: {"balance": -15437.11,
         "changed": {"market_garbage": 6570.00, "informal_management": 4647.23},
         "work": {"garbage": {MK: 54.75}, "management": {SG: 285.714286}}},
    # The devices off: the 16 h gate is kept by 2 guards bought at market, 5,840 / 2,920
    # = 2 posts x 55,908 = 111,816; depreciation 800 x 2 = 1,600; overhead 0.05 x
    # 113,416 = 5,670.80; margin 0.08 x 119,086.80 = 9,526.944 -> 9,526.94; VAT 0.06 x
    # 128,613.744 = 7,716.82; surcharges 0.12 x 7,716.82464 = 926.02. No camera supplies
    # patrol: the volunteers give 64.4176 h (1,275.47 in kind) and the residents hire
    # 219 - 64.4176 = 154.5824 h x 19.8 = 3,060.73. The device running costs (2,500) and
    # remote help (1,200) go, and so does the capital (8,760.01).
    # Pool: -5,867.11 - (111,816 + 1,600 + 5,670.80 + 9,526.94 + 7,716.82 + 926.02
    # + 3,060.73 - 3,700) = -5,867.11 - 136,617.31 = -142,484.42.
    SD: {"balance": -142484.42,
         "changed": {"market_gate": 111816.00, "market_depreciation": 1600.00,
                     "market_overhead": 5670.80, "market_margin": 9526.94,
                     "market_vat": 7716.82, "market_surcharges": 926.02,
                     "informal_patrol": 3060.73, "volunteer_patrol_time": 1275.47},
         "work": {"gate": {MK: 5840.0}, "patrol": {SG: 219.0}}},
    # Self-governance off: the market company hires cleaning 1,333.33 h -> 1.0 post
    # (38,520), greening 100 h -> 0.5 post (19,260), management 142.857143 h -> 0.5 post
    # (28,710) and patrol 39 h / 2,920 x 55,908 = 746.72; heads 2.0133562, depreciation
    # 1,610.68; staff 87,236.716 + 1,610.685 = 88,847.401: overhead 4,442.37, margin
    # 0.08 x 93,289.771 = 7,463.18, VAT 0.06 x 100,752.953 = 6,045.18, surcharges
    # 725.42. The shared company takes all 8.08 lighting repairs (339.36 and call-outs
    # 282.80) and all 4 extinguisher services (840 and 280).
    # Pool: -5,867.11 - 84,656.49 = -90,523.60.
    SG: {"balance": -90523.60,
         "changed": {"market_cleaning": 38520.00, "market_greening": 19260.00,
                     "market_management": 28710.00, "market_patrol": 746.72,
                     "market_depreciation": 1610.68, "market_overhead": 4442.37,
                     "market_margin": 7463.18, "market_vat": 6045.18,
                     "market_surcharges": 725.42,
                     "job_stairwell_lighting_repair": 339.36,
                     "job_stairwell_lighting_repair_callout": 282.80,
                     "job_fire_equipment_service": 840.00,
                     "job_fire_equipment_service_callout": 280.00},
         "work": {"cleaning": {MK: 1333.333333}, "greening": {MK: 100.0},
                  "management": {ST: 142.857143, MK: 142.857143},
                  "patrol": {SD: 180.0, MK: 39.0},
                  "stairwell_lighting_repair": {SP: 8.08},
                  "fire_equipment_service": {SP: 4.0}}},
    # The shared company off: every job left is bought at market price with a whole
    # trip a visit (SOURCE_MARKET_JOBS, but lighting 2.424 x 60 = 145.44 and 2.424 x 50
    # = 121.20, fire equipment 2.8 x 300 = 840 and 2.8 x 100 = 280): 25,012.19 instead
    # of 17,508.54. Pool -5,867.11 - 7,503.65 = -13,370.76.
    SP: {"balance": -13370.76,
         "changed": {**{f"market_job_{j}": u for j, (u, _) in SOURCE_MARKET_JOBS.items()},
                     **{f"market_job_{j}_callout": c
                        for j, (_, c) in SOURCE_MARKET_JOBS.items()},
                     "market_job_stairwell_lighting_repair": 145.44,
                     "market_job_stairwell_lighting_repair_callout": 121.20,
                     "market_job_fire_equipment_service": 840.00,
                     "market_job_fire_equipment_service_callout": 280.00},
         "work": {"pipe_dredging": {MK: 4.72},
                  "stairwell_lighting_repair": {SG: 5.656, MK: 2.424},
                  "fire_equipment_service": {SG: 1.2, MK: 2.8}}},
    # No public income: the lines stay; the pool loses 9,980: -15,847.11.
    "public_income": {"balance": -15847.11, "changed": {}, "work": {}},
}

OFF_LARGE: dict[str, dict[str, Any]] = {
    # Street off: 328.5 t at market, 39,420; management 1,714.285714 - 386.5056 =
    # 1,327.780114 h hired at 21 = 27,883.38 (was 9,883.38). -21,086.80 - 57,420 =
    # -78,506.80 (the pool of the large compound, its lifts paid by the lift levy).
    ST: {"balance": -78506.80,
         "changed": {"market_garbage": 39420.00, "informal_management": 27883.38},
         "work": {"garbage": {MK: 328.5}, "management": {SG: 1714.285714}}},
    # Devices off: 11,680 gate hours / 2,920 = 4 guards x 55,908 = 223,632; depreciation
    # 3,200; overhead 0.05 x 226,832 = 11,341.60; margin 0.08 x 238,173.60 = 19,053.888
    # -> 19,053.89; VAT 0.06 x 257,227.488 = 15,433.65; surcharges 1,852.04. Patrol: the
    # volunteers' 386.5056 h, and 1,368.75 - 386.5056 = 982.2444 h hired x 19.8 =
    # 19,448.44. Device running 6,600 and remote help 2,400 go.
    # Pool -21,086.80 - (223,632 + 3,200 + 11,341.60 + 19,053.89 + 15,433.65 + 1,852.04
    # + 17,226.00 - 9,000) = -21,086.80 - 282,739.18 = -303,825.98.
    SD: {"balance": -303825.98,
         "changed": {"market_gate": 223632.00, "market_depreciation": 3200.00,
                     "market_overhead": 11341.60, "market_margin": 19053.89,
                     "market_vat": 15433.65, "market_surcharges": 1852.04,
                     "informal_patrol": 19448.44},
         "work": {"gate": {MK: 11680.0}, "patrol": {SG: 1368.75}}},
    # Self-governance off: cleaning 6,400 h -> 3.5 posts (134,820); greening 600 h -> 0.5
    # (19,260); management 857.142857 h (the street took half) -> 0.5 (28,710); patrol
    # 498.75 h / 2,920 x 55,908 = 9,549.35; heads 4.6708048, depreciation 3,736.64;
    # overhead 0.05 x 196,075.989 = 9,803.80; margin 0.08 x 205,879.788 = 16,470.38;
    # VAT 0.06 x 222,350.172 = 13,341.01; surcharges 1,600.92. The shared company takes
    # all 46.75 lighting repairs (46.75 x 42 = 1,963.50; x 35 = 1,636.25) and 25
    # extinguisher services (5,250; 1,750). -21,086.80 - 129,545.56 = -150,632.36.
    SG: {"balance": -150632.36,
         "changed": {"market_cleaning": 134820.00, "market_greening": 19260.00,
                     "market_management": 28710.00, "market_patrol": 9549.35,
                     "market_depreciation": 3736.64, "market_overhead": 9803.80,
                     "market_margin": 16470.38, "market_vat": 13341.01,
                     "market_surcharges": 1600.92,
                     "job_stairwell_lighting_repair": 1963.50,
                     "job_stairwell_lighting_repair_callout": 1636.25,
                     "job_fire_equipment_service": 5250.00,
                     "job_fire_equipment_service_callout": 1750.00},
         "work": {"cleaning": {MK: 6400.0}, "greening": {MK: 600.0},
                  "management": {ST: 857.142857, MK: 857.142857},
                  "patrol": {SD: 870.0, MK: 498.75},
                  "stairwell_lighting_repair": {SP: 46.75},
                  "fire_equipment_service": {SP: 25.0}}},
    # Shared company off: jobs at market (LARGE_MARKET_JOBS, but lighting 14.025 x 60 =
    # 841.50 and x 50 = 701.25; fire equipment 17.5 x 300 = 5,250 and x 100 = 1,750):
    # 125,972.61 instead of 88,250.44. -21,086.80 - 37,821.61 = -58,908.41.
    SP: {"balance": -58908.41,
         "changed": {**{f"market_job_{j}": u for j, (u, _) in LARGE_MARKET_JOBS.items()},
                     **{f"market_job_{j}_callout": c
                        for j, (_, c) in LARGE_MARKET_JOBS.items()},
                     "market_job_stairwell_lighting_repair": 841.50,
                     "market_job_stairwell_lighting_repair_callout": 701.25,
                     "market_job_fire_equipment_service": 5250.00,
                     "market_job_fire_equipment_service_callout": 1750.00},
         "work": {"road_levelling": {MK: 269.28},
                  "stairwell_lighting_repair": {SG: 32.725, MK: 14.025},
                  "fire_equipment_service": {SG: 7.5, MK: 17.5}}},
    "public_income": {"balance": -82216.80, "changed": {}, "work": {}},  # -21,086.80 - 61,130
}

CHANNEL_LINES: dict[str, tuple[str, ...]] = {
    ST: ("street_",), SD: ("device_", "gate_remote_help"), SG: ("volunteer_", "informal_"),
    SP: ("job_",), "public_income": ()}
"""The lines a channel makes: they vanish with it."""


@pytest.mark.parametrize("which", ["source", "large"])
@pytest.mark.parametrize("channel", CREDIT_CHANNELS)
def test_each_channel_off_its_work_goes_to_market(which: str, channel: str) -> None:
    compound, full, off = ((source(), SOURCE_LINES, OFF_SOURCE[channel]) if which == "source"
                           else (large(), LARGE_LINES, OFF_LARGE[channel]))
    others = tuple(c for c in CREDIT_CHANNELS if c != channel)
    out = _kernel(compound, others)
    prefix = CHANNEL_LINES[channel]
    want = {code: line[5] for code, line in full.items()
            if not (prefix and code.startswith(prefix))}
    want.update(off["changed"])
    assert _kernel_lines(out) == want
    table = pf.validate_compounds(compound)
    params = pf.default_parameters()
    balances = subset_balances_fen(
        table, resolve_plan(default_plan(), table), params,
        (frozenset(others), frozenset(CREDIT_CHANNELS)), fee_collected_fen(table, params))
    assert balances[frozenset(others)].tolist() == [round(off["balance"] * 100)]
    for category, parts in off["work"].items():
        got = {s: round(float(out.ledger.supplied(s, category)[0]), 6)
               for s in (ST, SD, SG, SP, MK)}
        assert {s: v for s, v in got.items() if v} == parts, category
    for category in out.ledger.categories:  # the channel off supplies nothing at all
        assert out.ledger.supplied(channel, category)[0] == 0.0


# ==================================================================================
# Market baselines at grades 4 and 5
# ==================================================================================
#
# Grade 5 keeps the gates by a live-in gatekeeper: gate hours / (24 x 365) x 1,900 x 12
# = 22,800 a gate, no head counted; no patrol at grade 5. The jobs, waste, lifts and
# running costs do not depend on the grade.
#
# Source compound, grade 5:
#   cleaning 10,000 / 16,000 x 2,000 = 1,250 h = 0.625 -> 1.0 post      = 38,520.00
#   greening 1,000 / 25,000 x 2,000 = 80 h = 0.04 -> 0.5 post           = 19,260.00
#   management 100 / 800 x 2,000 = 250 h = 0.125 -> 0.5 post            = 28,710.00
#   gate 1 x 24 x 365 = 8,760 h kept by one gatekeeper                  = 22,800.00
#   staff 109,290; heads 2.0; depreciation 1,600; overhead 0.05 x 110,890 = 5,544.50;
#   margin 0.08 x 116,434.50 = 9,314.76; VAT 0.06 x 125,749.26 = 7,544.9556 -> 7,544.96;
#   surcharges 0.12 x 7,544.9556 = 905.39
#   total 109,290 + 1,600 + 5,544.50 + 9,314.76 + 7,544.96 + 905.39 + 26,114.35 + 6,570
#         + 13,000 = 179,883.96; balance 42,000 - 179,883.96 = -137,883.96
# Large compound, grade 5:
#   cleaning 48,000 / 16,000 x 2,000 = 6,000 h = 3.0 posts               = 115,560.00
#   greening 6,000 / 25,000 x 2,000 = 480 h = 0.24 -> 0.5                = 19,260.00
#   management 600 / 800 x 2,000 = 1,500 h = 0.75 -> 1.0                = 57,420.00
#   gates 2 x 8,760 h: two gatekeepers                                  = 45,600.00
#   staff 237,840; heads 4.5; depreciation 3,600; overhead 0.05 x 241,440 = 12,072;
#   margin 0.08 x 253,512 = 20,280.96; VAT 0.06 x 273,792.96 = 16,427.5776 -> 16,427.58;
#   surcharges 1,971.31
#   total 237,840 + 3,600 + 12,072 + 20,280.96 + 16,427.58 + 1,971.31 + 132,671.80
#         + 39,420 + 39,000 + 92,200 = 595,483.65; balance 201,600 - 595,483.65
#         = -393,883.65

SOURCE_BASELINE_G5: dict[str, Line] = {
    **_market(staff={"cleaning": 38520.00, "greening": 19260.00, "management": 28710.00,
                     "gate": 22800.00},
              chain=(1600.00, 5544.50, 9314.76, 7544.96, 905.39),
              jobs=SOURCE_MARKET_JOBS, garbage=6570.00),
    **_direct(1600.00, 500.00, 3000.00, 2400.00, 3000.00, 500.00, 2000.00, 0.00),
}

LARGE_BASELINE_G5: dict[str, Line] = {
    **_market(staff={"cleaning": 115560.00, "greening": 19260.00, "management": 57420.00,
                     "gate": 45600.00},
              chain=(3600.00, 12072.00, 20280.96, 16427.58, 1971.31),
              jobs=LARGE_MARKET_JOBS, garbage=39420.00, lift=(36000.00, 3000.00)),
    **LARGE_DIRECT,
}


@pytest.mark.parametrize(
    ("which", "grade", "lines", "heads", "total", "balance"), [
        ("source", 4, SOURCE_BASELINE_G4,
         {"cleaning": 1.0, "order": 2.0, "patrol": 0.075, "greening": 0.5, "management": 0.5},
         294695.00, -252695.00),
        ("source", 5, SOURCE_BASELINE_G5,
         {"cleaning": 1.0, "order": 0.0, "patrol": 0.0, "greening": 0.5, "management": 0.5},
         179883.96, -137883.96),
        ("large", 4, LARGE_BASELINE_G4,
         {"cleaning": 3.5, "order": 4.0, "patrol": 0.46875, "greening": 0.5,
          "management": 1.0},
         813773.63, -612173.63),  # lifts: 57,000 by the lift levy
        ("large", 5, LARGE_BASELINE_G5,
         {"cleaning": 3.0, "order": 0.0, "patrol": 0.0, "greening": 0.5, "management": 1.0},
         538483.65, -336883.65),
    ])
def test_market_baseline_line_by_line(which: str, grade: int, lines: dict[str, Line],
                                      heads: dict[str, float], total: float,
                                      balance: float) -> None:
    r = pf.market_baseline(source() if which == "source" else large(), grade=grade)
    got = {x.code: (x.category, x.work, round(x.amount_yuan, 2)) for x in r.lines}
    assert got == {code: (line[1], line[4], line[5]) for code, line in lines.items()}
    assert r.headcount_fte == heads
    assert r.total_annual_cost_yuan == total
    assert r.balance_yuan == balance
    # The lines add up to the cost from the fee and the lift levy (lift care and
    # electricity, paid by the lift households): 57,000 for the large compound.
    levy = 57000.00 if which == "large" else 0.0
    assert r.lift_levy_yuan == levy
    assert round(sum(line[5] for line in lines.values()) * 100) == round((total + levy) * 100)
    # Gate hours: 16 h at grade 4, 24 h (a live-in gatekeeper) at grade 5.
    gates = 1 if which == "source" else 2
    assert r.demand["gate"] == gates * (16 if grade == 4 else 24) * 365


def test_baseline_of_the_budget_is_the_market_baseline_of_the_plans_grade() -> None:
    # The default plan keeps its gates by devices at grade 4: like for like, the baseline
    # keeps them 16 h with guards, the figure of pf.market_baseline at grade 4.
    for compound, total in ((source(), 294695.00), (large(), 813773.63)):
        assert pf.evaluate(compound).market_baseline_cost_yuan == total
        assert pf.market_baseline(compound, grade=4, gate_regime="device_only"
                                  ).total_annual_cost_yuan == total


def test_a_staffed_24h_plan_is_compared_with_a_24h_baseline() -> None:
    # The shared-staffed plan keeps gates 24 h with guards, so its market baseline does
    # too: 8,760 h / 2,920 = 3 guards x 55,908 = 167,724 instead of 2 guards (111,816).
    # Staff 38,520 + 19,260 + 28,710 + 167,724 + 4,193.10 = 258,407.10; heads 5.075,
    # depreciation 4,060; overhead 0.05 x 262,467.10 = 13,123.355 -> 13,123.36; margin
    # 0.08 x 275,590.455 = 22,047.24; VAT 0.06 x 297,637.691 = 17,858.26; surcharges
    # 2,142.99; + jobs 26,114.35 + waste 6,570 + running 13,000 = 363,323.30.
    r = pf.evaluate(source(), shared_staffed_plan(), contributions=False)
    assert r.market_baseline_cost_yuan == 363323.30
    assert r.market_baseline_balance_yuan == 42000.00 - 363323.30
    b = pf.market_baseline(source(), gate_regime="staffed_24h")
    assert b.headcount_fte["order"] == 3.0
    assert b.demand["gate"] == 8760.0
    assert b.total_annual_cost_yuan == 363323.30


# ==================================================================================
# The Shapley credit of the source's compound, from hand-computed pieces
# ==================================================================================
#
# v(S) = the pool balance with the channels S on. For this compound it is a sum of
# pieces, each depending on at most two channels (fen):
#   fee 4,200,000 + income 998,000 [public income] - running costs 1,300,000
#   - device running 250,000 + remote help 120,000 [devices]
#   - self-governance cash [self-governance]: materials 29,721 + informal cleaning
#     2,129,813 + greening 39,600 + management M + patrol P, where
#       M = 164,723 with the street on (78.439543 h x 21), 464,723 without (221.296686 h);
#       P = 0 with the devices on (cameras and volunteers cover patrol), 306,073 without
#         (154.5824 h x 19.8)
#   - jobs J(shared, self-governance): on/on 1,750,854 (see SOURCE_LINES); on/off
#     1,828,005 (all at 70%: lighting 339.36 + 282.80, fire 840 + 280); off/on 2,501,219
#     (at market, less the volunteers' 5.656 lighting and 1.2 extinguisher uses:
#     26,114.35 - 5.656 x 110 - 1.2 x 400 = 25,012.19); off/off 2,611,435
#   - market waste 657,000 [street off]
#   - the market company's staff, depreciation, overhead, margin and taxes
#     C(self-governance, devices): off/off 24,901,065 (the baseline's); off/on
#     10,752,355 (cleaning, greening, management posts and 39 h of patrol, the channel-off
#     case above); on/off 13,725,658 (two guards and their on-costs); on/on 0.

FEE, INCOME, RUNNING, DEVICES, WASTE = 4200000, 998000, 1300000, 250000 + 120000, 657000
SG_FIXED = 29721 + 2129813 + 39600
M = {True: 164723, False: 464723}  # informal management, street on / off
P = {True: 0, False: 306073}  # informal patrol, devices on / off
J = {(True, True): 1750854, (True, False): 1828005, (False, True): 2501219,
     (False, False): 2611435}  # jobs, (shared company, self-governance)
C = {(False, False): 24901065, (False, True): 10752355, (True, False): 13725658,
     (True, True): 0}  # the market company, (self-governance, devices)


def _v_source(s: frozenset[str]) -> int:
    """The source compound's pool balance with the channels ``s`` on, from the pieces."""
    st, sd, sg, sp = ST in s, SD in s, SG in s, SP in s
    v = FEE + (INCOME if "public_income" in s else 0) - RUNNING
    v -= DEVICES if sd else 0
    v -= (SG_FIXED + M[st] + P[sd]) if sg else 0
    v -= J[(sp, sg)]
    v -= 0 if st else WASTE
    v -= C[(sg, sd)]
    return v


def _shapley_fen(v: dict[frozenset[str], int], players: tuple[str, ...]) -> dict[str, int]:
    """Shapley values in fen: each n! phi_i divided by n! rounding down, the fen still
    missing to v(all) - v(none) to the largest remainders, ties to the first player."""
    n = len(players)
    numer = {}
    for i in players:
        numer[i] = sum(factorial(len(s)) * factorial(n - len(s) - 1) * (v[s | {i}] - v[s])
                       for s in v if i not in s)
    floor = {i: numer[i] // factorial(n) for i in players}
    rest = {i: numer[i] - floor[i] * factorial(n) for i in players}
    missing = v[frozenset(players)] - v[frozenset()] - sum(floor.values())
    for i in sorted(players, key=lambda i: (-rest[i], players.index(i)))[:missing]:
        floor[i] += 1
    return floor


ALL_SUBSETS: tuple[frozenset[str], ...] = tuple(frozenset(c) for k in range(6)
                    for c in itertools.combinations(CREDIT_CHANNELS, k))


def test_source_pool_balance_of_every_channel_subset_from_the_pieces() -> None:
    assert _v_source(frozenset(CREDIT_CHANNELS)) == -586711  # the budget's pool
    assert _v_source(frozenset()) == -25269500  # the market baseline balance
    table = pf.validate_compounds(source())
    params = pf.default_parameters()
    got = subset_balances_fen(table, resolve_plan(default_plan(), table), params, ALL_SUBSETS,
                              fee_collected_fen(table, params))
    assert {s: int(v[0]) for s, v in got.items()} == {s: _v_source(s) for s in ALL_SUBSETS}


def test_source_shapley_credit_by_hand() -> None:
    # Every piece depends on at most two channels, so each channel's Shapley value is its
    # own effect plus half of each pairwise interaction:
    #   public income  9,980 in every coalition                               = 9,980.00
    #   street         waste 6,570 + grid work 3,000 when the volunteers hire the
    #                  management (half the orders): 6,570 + 1,500           = 8,070.00
    #   shared company jobs saved: 7,503.65 with the volunteers, 7,834.30 without:
    #                  (7,503.65 + 7,834.30) / 2 = 7,668.975                 -> 7,668.98
    #   devices        with the volunteers -3,700 + 3,060.73 + 137,256.58 = 136,617.31,
    #                  without -3,700 + 249,010.65 - 107,523.55 = 137,787.10:
    #                  average 137,202.205                                    -> 137,202.20
    #   self-governance market staff saved (107,523.55 + 111,754.07) / 2 = 109,638.81
    #                  - cash 21,991.34 + (1,647.23 + 4,647.23) / 2 + 3,060.73 / 2
    #                  = 26,668.935 + jobs saved (771.51 + 1,102.16) / 2 = 936.835:
    #                  109,638.81 - 26,668.935 + 936.835                      = 83,906.71
    # The half fen: 5! x phi is 92,027,700 (shared) and 1,646,426,460 (devices), both
    # 60 over a multiple of 120; one fen is missing to the 246,827.89 to share, and it
    # goes to the first of the tied channels in CREDIT_CHANNELS order, the shared company.
    want = {SP: 766898, SG: 8390671, ST: 807000, SD: 13720220, "public_income": 998000}
    v = {s: _v_source(s) for s in ALL_SUBSETS}
    assert _shapley_fen(v, CREDIT_CHANNELS) == want
    r = pf.evaluate(source())
    assert {k: round(x * 100) for k, x in r.contributions.items()} == want
    # The credits add up to pool balance - market baseline balance, exactly in fen:
    # -5,867.11 - (-252,695.00) = 246,827.89.
    assert sum(want.values()) == 24682789
    assert sum(round(x * 100) for x in r.contributions.values()) == round(
        (r.pool_balance_yuan - r.market_baseline_balance_yuan) * 100)


def test_shapley_numerators_by_the_formula() -> None:
    # 5! phi_i = sum over S without i of |S|! (4 - |S|)! (v(S + i) - v(S)), in fen.
    v = {s: _v_source(s) for s in ALL_SUBSETS}
    numer = {i: sum(Fraction(factorial(len(s)) * factorial(4 - len(s))) * (v[s | {i}] - v[s])
                    for s in v if i not in s) for i in CREDIT_CHANNELS}
    assert numer == {SP: 92027700, SG: 1006880520, ST: 96840000, SD: 1646426460,
                     "public_income": 119760000}


def test_large_compound_credit_adds_up_and_public_income_is_additive() -> None:
    r = pf.evaluate(large())
    # Public income changes the pool by 61,130 in every coalition: its credit.
    assert r.contributions["public_income"] == 61130.00
    # -78,086.80 - (-669,173.63) = 591,086.83 to share, exactly in fen.
    assert round(sum(r.contributions.values()) * 100) == 59108683
    waterfall = pf.evaluate(large(), contributions="waterfall").contributions
    assert round(sum(waterfall.values()) * 100) == 59108683


def test_source_and_large_waterfall_credit_by_hand() -> None:
    # Channels switched on one by one, in CREDIT_CHANNELS order, from the market baseline:
    # source's compound (the pieces above, fen):
    #   v(none)                                              = -252,695.00
    #   + shared company, volunteers off: 26,114.35 - 18,280.05 = 7,834.30
    #   + self-governance, street and devices off: market staff 249,010.65 - 137,256.58
    #     = 111,754.07, less its cash 21,991.34 + 4,647.23 + 3,060.73 = 29,699.30, plus the
    #     jobs it takes 18,280.05 - 17,508.54 = 771.51                   = 82,826.28
    #   + street, volunteers on: waste 6,570 + grid work 3,000        = 9,570.00
    #   + devices, volunteers on: -3,700 + 3,060.73 + 137,256.58     = 136,617.31
    #   + public income                                               = 9,980.00
    #   = -5,867.11, the budget's pool.
    r = pf.evaluate(source(), contributions="waterfall")
    assert r.contributions == {SP: 7834.30, SG: 82826.28, ST: 9570.00, SD: 136617.31,
                               "public_income": 9980.00}
    v = [_v_source(frozenset(CREDIT_CHANNELS[:k])) for k in range(6)]
    assert [b - a for a, b in itertools.pairwise(v)] == [783430, 8282628, 957000, 13661731,
                                                          998000]
    # The 600-household compound: the shared company first saves 30% of the 132,671.80 of
    # jobs at market, 39,801.54; with the volunteers on, the street saves its 57,420 (the
    # informal management it spares is 857.142857 h x 21 = 18,000) and the devices
    # 282,739.18 (the channel-off case above); public income 61,130; self-governance
    # the rest of 591,086.83: 591,086.83 - 39,801.54 - 57,420 - 282,739.18 - 61,130
    # = 149,996.11.
    w = pf.evaluate(large(), contributions="waterfall").contributions
    assert w == {SP: 39801.54, SG: 149996.11, ST: 57420.00, SD: 282739.18,
                 "public_income": 61130.00}


def test_a_surplus_stays_in_the_pool_and_who_pays_still_adds_up() -> None:
    # The source's compound at its own 1.0 yuan/(m2 month): fee 10,000 x 1.0 x 12 x 0.7 =
    # 84,000; pool 84,000 + 9,980 - 57,847.11 = 36,132.89 kept, no subsidy. The residents
    # pay 84,000 into the pool, of which 36,132.89 stays there: 84,000 + 9,980 + 0
    # - 36,132.89 + 9,570 + 8,760.01 + 9,052.56 = 85,229.68, the same total cost.
    r = pf.evaluate(source().model_copy(update={"fee_rate_yuan_per_m2_month": 1.0}),
                    contributions=False)
    assert (r.pool_balance_yuan, r.street_subsidy_yuan, r.pool_surplus_yuan) == (
        36132.89, 0.00, 36132.89)
    assert r.who_pays == {
        "residents_fees": 84000.00, "public_income": 9980.00, "street_subsidy": 0.00,
        "pool_surplus_kept": -36132.89, "lift_levy": 0.00, "street_services": 9570.00,
        "renovation_programme": 8760.01, "volunteers_in_kind": 9052.56,
    }
    assert sum(round(v * 100) for v in r.who_pays.values()) == 8522968
    # Street total is its services alone; the net public cost adds the capital.
    assert (r.street_total_yuan, r.net_public_cost_yuan) == (9570.00, 18330.01)


def test_no_surplus_kept_is_zero_not_minus_zero() -> None:
    # The source's compound keeps nothing in its pool (a deficit of 5,867.11): the
    # surplus kept is 0.00, and prints as 0.00.
    r = pf.evaluate(source(), contributions=False)
    assert f"{r.who_pays['pool_surplus_kept']:.2f}" == "0.00"
