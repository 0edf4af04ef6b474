"""Every per-use job of the default catalogue, computed by hand for one compound.

The compound: 120 households, 8,400 m2, 6 storeys, 10 stairwell units, 5 buildings,
1,200 m2 green, 2 water tanks, built 1994, so 30 years old at the default date
(2024-07-09). Its quantities: 5 buildings, 10 stairwell units, 120 households, 2 tanks,
road 8,400 x 0.15 = 1,260 m2, roof 8,400 / 6 = 1,400 m2, trees 1,200 / 40 = 30.

Per job (the default plan's contract: 30% below market price; a compound alone pays a
whole trip a visit)::

    uses    = quantity x uses_per_basis_year x min(1 + age_growth x 30, 3)
    job     = uses x market price x 0.7
    callout = uses / uses_per_visit x callout per visit x 0.7 x ceil(n / 3) / n

The plan here has only the shared company, so no volunteer takes a job first.
"""

from __future__ import annotations

import pandas as pd
import pytest

import propfee as pf
from propfee.budget.kernel import budget_arrays
from propfee.channels import JobTerms, SharedProperty
from propfee.plan import DEFAULT_JOBS, default_plan, resolve_plan
from propfee.work.categories import category_names

# name, uses, job [yuan/year], call-outs [yuan/year], market price of the uses, market
# call-outs; the arithmetic beside each (age factors 1 + 0.04 x 30 = 2.2, 1 + 0.03 x 30
# = 1.9, 1 + 0.05 x 30 = 2.5, or 1 where the job does not grow with age).
JOBS = [
    # 5 x 0.5 x 2.2 = 5.5 uses; x 300 x 0.7; x 100 x 0.7; market 5.5 x 300; 5.5 x 100
    ("pipe_dredging", 5.5, 1155.0, 385.0, 1650.0, 550.0),
    # 5 x 0.2 x 2.2 = 2.2; x 1,500 x 0.7; x 150 x 0.7
    ("wall_repair", 2.2, 2310.0, 231.0, 3300.0, 330.0),
    # 10 x 0.2 x 1.9 = 3.8; x 800 x 0.7; x 100 x 0.7
    ("stairwell_repair", 3.8, 2128.0, 266.0, 3040.0, 380.0),
    # 1,260 x 0.02 x 1.9 = 47.88; x 60 x 0.7; / 20 x 300 x 0.7 = 2.394 x 210
    ("road_levelling", 47.88, 2010.96, 502.74, 2872.8, 718.2),
    # 5 x 0.5 = 2.5; x 400 x 0.7; x 100 x 0.7
    ("septic_tank_pumping", 2.5, 700.0, 175.0, 1000.0, 250.0),
    # 2 tanks x 2.0 = 4; x 300 x 0.7; x 80 x 0.7
    ("water_tank_cleaning", 4.0, 840.0, 224.0, 1200.0, 320.0),
    # 120 x 0.06 x 2.2 = 15.84; x 80 x 0.7; x 50 x 0.7
    ("small_water_repairs", 15.84, 887.04, 554.4, 1267.2, 792.0),
    # 120 x 0.05 x 2.2 = 13.2; x 80 x 0.7; x 50 x 0.7
    ("small_electrical_repairs", 13.2, 739.2, 462.0, 1056.0, 660.0),
    # 1,400 x 0.002 x 2.5 = 7; x 120 x 0.7; / 10 x 200 x 0.7
    ("roof_leak_repair", 7.0, 588.0, 98.0, 840.0, 140.0),
    # 10 x 0.5 x 1.9 = 9.5; x 60 x 0.7; x 50 x 0.7
    ("stairwell_lighting_repair", 9.5, 399.0, 332.5, 570.0, 475.0),
    # 1,260 x 3.0 = 3,780; x 0.3 x 0.7; / 1,000 x 200 x 0.7
    ("snow_clearing", 3780.0, 793.8, 529.2, 1134.0, 756.0),
    # 5 x 1.0 = 5; x 150 x 0.7; x 80 x 0.7
    ("pest_control", 5.0, 525.0, 280.0, 750.0, 400.0),
    # 30 x 0.5 = 15; x 60 x 0.7; / 20 x 150 x 0.7
    ("tree_pruning", 15.0, 630.0, 78.75, 900.0, 112.5),
    # 5 x 1.0 = 5; x 300 x 0.7; x 100 x 0.7
    ("fire_equipment_service", 5.0, 1050.0, 350.0, 1500.0, 500.0),
]


def _compound(compound_id: str = "c", build_year: int = 1994, **extra: object
              ) -> dict[str, object]:
    return {"compound_id": compound_id, "households": 120, "floor_area_m2": 8400.0,
            "storeys": 6, "stairwell_units": 10, "buildings": 5, "green_area_m2": 1200.0,
            "water_tanks": 2, "build_year": build_year, **extra}


SHARED_ONLY = pf.Plan(shared_property=default_plan().shared_property)
"""The default plan's shared company (every job, 30% off, bundled by zone) and nothing else."""


def _lines(table: pd.DataFrame, plan: pf.Plan = SHARED_ONLY) -> pd.DataFrame:
    result = pf.evaluate_district(table, plan, contributions=False)
    return result.lines.astype({"line": str, "compound_id": str})


def test_the_catalogue_has_fourteen_jobs(params: pf.ParameterSet) -> None:
    names = [name for name, *_ in JOBS]
    assert list(params.jobs) == names
    assert list(DEFAULT_JOBS) == names
    assert [job.name for job in default_plan().shared_property.items] == names
    assert {job.discount_rate for job in default_plan().shared_property.items} == {0.3}
    # Each job is a work category, after the seven fixed ones.
    assert category_names(params)[7:] == tuple(names)


@pytest.mark.parametrize(("name", "uses", "job_yuan", "callout_yuan", "_m", "_c"), JOBS,
                         ids=[j[0] for j in JOBS])
def test_each_job_by_hand(name: str, uses: float, job_yuan: float, callout_yuan: float,
                          _m: float, _c: float) -> None:
    lines = _lines(pd.DataFrame([_compound()])).set_index("line")
    job = lines.loc[f"job_{name}"]
    callout = lines.loc[f"job_{name}_callout"]
    assert round(job["amount_yuan"], 2) == job_yuan
    assert round(callout["amount_yuan"], 2) == callout_yuan
    for row in (job, callout):  # who pays and what it is, pinned
        assert (row["channel"], row["category"], row["payer"], row["kind"], row["work"]) == (
            "shared_property", "upkeep", "fund_pool", "per_use", name)
    # Nothing of it is left to the market.
    assert lines.loc[f"market_job_{name}", "amount_yuan"] == 0.0
    table = pf.validate_compounds(pd.DataFrame([_compound()]))
    out = budget_arrays(table, resolve_plan(SHARED_ONLY, table), pf.default_parameters())
    assert round(float(out.ledger.demand(name)[0]), 6) == uses
    assert round(float(out.ledger.supplied("shared_property", name)[0]), 6) == uses


@pytest.mark.parametrize(("build_year", "uses"), [
    # pipe dredging: 5 buildings x 0.5 x min(1 + 0.04 x age, 3); the cap is reached at
    # age 50, built 1974 in 2024:
    (1975, 7.4),   # age 49: 1 + 1.96 = 2.96, just under the cap: 2.5 x 2.96 = 7.4
    (1974, 7.5),   # age 50: 1 + 2.00 = 3.00, at the cap: 7.5
    (1973, 7.5),   # age 51: 3.04 capped at 3: 7.5
    (2024, 2.5),   # age 0: 2.5
    (2030, 2.5),   # built after the evaluation date: age max(2024 - 2030, 0) = 0
])
def test_age_factor_cap_at_and_past_its_boundary(build_year: int, uses: float) -> None:
    lines = _lines(pd.DataFrame([_compound(build_year=build_year)])).set_index("line")
    # x 300 yuan x 0.7 = 210 a use; call-outs 100 x 0.7 = 70 a use.
    amount = lines["amount_yuan"].astype(float)
    assert round(amount["job_pipe_dredging"], 2) == round(uses * 210, 2)
    assert round(amount["job_pipe_dredging_callout"], 2) == round(uses * 70, 2)


@pytest.mark.parametrize(("members", "callout"), [
    # Pipe dredging call-outs of each member: 5.5 x 100 x 0.7 = 385 x ceil(n / 3) / n:
    (1, 385.00),     # alone: a trip a visit
    (2, 192.50),     # one trip serves both: a half
    (3, 128.33),     # one trip serves three: 385 / 3 = 128.333
    (4, 192.50),     # two trips for four: 385 x 2 / 4
    (6, 128.33),     # two trips for six: a third
])
def test_a_bundle_shares_call_outs_three_compounds_a_trip(members: int, callout: float) -> None:
    table = pd.DataFrame([_compound(f"c{k}", zone="Z") for k in range(members)])
    lines = _lines(table)
    got = lines[lines["line"] == "job_pipe_dredging_callout"]["amount_yuan"].round(2)
    assert got.tolist() == [callout] * members
    # The uses themselves are not shared: 5.5 x 300 x 0.7 = 1,155 each.
    uses = lines[lines["line"] == "job_pipe_dredging"]["amount_yuan"]
    assert uses.tolist() == [1155.0] * members


def test_market_prices_without_the_shared_channel() -> None:
    """With the shared company off every job is bought at market price with a whole trip a
    visit: pipe dredging 5.5 x 300 + 5.5 x 100 = 2,200 against 1,155 + 385 = 1,540."""
    table = pf.validate_compounds(pd.DataFrame([_compound()]))
    plan = resolve_plan(SHARED_ONLY, table)
    params = pf.default_parameters()
    market = {s.code: round(float(v[0]), 2)
              for s, v in budget_arrays(table, plan, params, channels=()).lines.items()}
    contract = {s.code: round(float(v[0]), 2)
                for s, v in budget_arrays(table, plan, params).lines.items()}
    for name, _, job, callout, at_market, market_callout in JOBS:
        assert (market[f"market_job_{name}"], market[f"market_job_{name}_callout"]) == (
            at_market, market_callout), name
        assert f"job_{name}" not in market
        assert (contract[f"job_{name}"], contract[f"job_{name}_callout"]) == (job, callout)
    # At market: 21,080 of uses + 6,383.70 of call-outs = 27,463.70; under the contract
    # 14,756 + 4,468.59 = 19,224.59, exactly 70% (a 30% discount on both).
    assert round(sum(market[f"market_job_{n}"] + market[f"market_job_{n}_callout"]
                     for n, *_ in JOBS), 2) == 27463.70
    assert round(sum(contract[f"job_{n}"] + contract[f"job_{n}_callout"]
                     for n, *_ in JOBS), 2) == 19224.59


def test_a_job_the_contract_does_not_cover_is_bought_at_market() -> None:
    # A contract covering only pipe dredging, at 50% off: 5.5 x 300 x 0.5 = 825 and call-outs
    # 5.5 x 100 x 0.5 = 275; wall repair stays at market: 2.2 x 1,500 = 3,300 and 2.2 x 150
    # = 330, and makes no contract line.
    plan = pf.Plan(shared_property=SharedProperty(items=(
        JobTerms(name="pipe_dredging", discount_rate=0.5),)))
    lines = _lines(pd.DataFrame([_compound()]), plan).set_index("line")["amount_yuan"]
    assert (lines["job_pipe_dredging"], lines["job_pipe_dredging_callout"]) == (825.0, 275.0)
    assert (lines["market_job_wall_repair"], lines["market_job_wall_repair_callout"]) == (
        3300.0, 330.0)
    assert "job_wall_repair" not in lines.index
    assert lines["market_job_pipe_dredging"] == 0.0


def test_a_job_without_its_basis_has_no_use() -> None:
    # No water tank: 0 uses, lines of 0.00 (the contract covers the job all the same).
    lines = _lines(pd.DataFrame([_compound(water_tanks=0)])).set_index("line")["amount_yuan"]
    assert (lines["job_water_tank_cleaning"], lines["job_water_tank_cleaning_callout"]) == (
        0.0, 0.0)
    assert lines["market_job_water_tank_cleaning"] == 0.0
