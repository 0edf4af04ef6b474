"""Every per-use job of the default catalogue, computed by hand for one compound.

The compound: 120 households, 8,400 m2, 6 storeys, 10 stairwell units, 5 buildings,
1,200 m2 green, built 1994, so 30 years old at the default date (2024-07-09). Its
quantities: 5 buildings, 10 stairwell units, 120 households, road 8,400 x 0.15 = 1,260 m2,
roof 8,400 / 6 = 1,400 m2, trees 1,200 / 40 = 30.

Per job (xinghualing plan: 30% below market, the compound alone so no call-out sharing)::

    uses    = quantity x uses_per_basis_year x min(1 + age_growth x 30, 3)
    job     = uses x market price x 0.7
    callout = uses / uses_per_visit x callout per visit x 0.7
"""

from __future__ import annotations

import pandas as pd
import pytest

import propfee as pf

# name, uses, job [yuan/year], call-outs [yuan/year]; the arithmetic beside each.
JOBS = [
    # 5 x 1.0 x (1 + 0.04 x 30 = 2.2) = 11 uses; 11 x 300 x 0.7; 11 x 100 x 0.7
    ("pipe_dredging", 11.0, 2310.0, 770.0),
    ("wall_repair", 2.2, 2310.0, 231.0),  # 5 x 0.2 x 2.2 = 2.2; x 1,500 x 0.7; x 150 x 0.7
    ("stairwell_repair", 3.8, 2128.0, 266.0),  # 10 x 0.2 x 1.9 = 3.8; x 800 x 0.7; x 100 x 0.7
    ("road_levelling", 47.88, 2010.96, 502.74),  # 1,260 x 0.02 x 1.9; x 60 x 0.7; / 20 x 300 x 0.7
    ("septic_tank_pumping", 5.0, 1400.0, 350.0),  # 5 x 1.0 x 1; x 400 x 0.7; x 100 x 0.7
    ("water_tank_cleaning", 10.0, 2100.0, 560.0),  # 5 x 2.0 x 1; x 300 x 0.7; x 80 x 0.7
    ("small_water_repairs", 15.84, 887.04, 554.4),  # 120 x 0.06 x 2.2; x 80 x 0.7; x 50 x 0.7
    ("small_electrical_repairs", 13.2, 739.2, 462.0),  # 120 x 0.05 x 2.2; x 80 x 0.7; x 50 x 0.7
    ("roof_leak_repair", 7.0, 588.0, 98.0),  # 1,400 x 0.002 x 2.5; x 120 x 0.7; / 10 x 200 x 0.7
    ("stairwell_lighting_repair", 9.5, 399.0, 332.5),  # 10 x 0.5 x 1.9; x 60 x 0.7; x 50 x 0.7
    ("snow_clearing", 3780.0, 793.8, 529.2),  # 1,260 x 3.0 x 1; x 0.3 x 0.7; / 1,000 x 200 x 0.7
    ("pest_control", 10.0, 1050.0, 560.0),  # 5 x 2.0 x 1; x 150 x 0.7; x 80 x 0.7
    ("tree_pruning", 15.0, 630.0, 78.75),  # 30 x 0.5 x 1; x 60 x 0.7; / 20 x 150 x 0.7
    ("fire_equipment_service", 5.0, 1050.0, 350.0),  # 5 x 1.0 x 1; x 300 x 0.7; x 100 x 0.7
]


def _compound(compound_id: str = "c", build_year: int = 1994, **extra: object) -> dict:
    return {"compound_id": compound_id, "households": 120, "floor_area_m2": 8400.0,
            "storeys": 6, "stairwell_units": 10, "buildings": 5, "green_area_m2": 1200.0,
            "build_year": build_year, **extra}


def _lines(table: pd.DataFrame, plan: pf.Plan | None = None) -> pd.DataFrame:
    result = pf.evaluate_district(table, plan, contributions=False)
    return result.lines.astype({"line": str, "compound_id": str})


def test_the_catalogue_has_fourteen_jobs() -> None:
    names = [job.name for job in pf.default_plan().shared_property.jobs]
    assert names == [name for name, *_ in JOBS]


@pytest.mark.parametrize(("name", "uses", "job_yuan", "callout_yuan"), JOBS,
                         ids=[j[0] for j in JOBS])
def test_each_job_by_hand(name: str, uses: float, job_yuan: float, callout_yuan: float) -> None:
    lines = _lines(pd.DataFrame([_compound()])).set_index("line")
    job = lines.loc[f"job_{name}"]
    callout = lines.loc[f"job_{name}_callout"]
    assert job["amount_yuan"] == pytest.approx(job_yuan, abs=0.005)
    assert callout["amount_yuan"] == pytest.approx(callout_yuan, abs=0.005)
    for row in (job, callout):  # who pays and what it is, pinned
        assert (row["channel"], row["category"], row["payer"], row["kind"]) == (
            "shared_property", "upkeep", "fund_pool", "per_use")
    table = pf.validate_compounds(pd.DataFrame([_compound()]))
    plan = pf.plan.resolve_plan(pf.default_plan(), table)
    out = pf.budget.budget_arrays(table, plan, pf.default_parameters())
    assert out.job_uses[name][0] == pytest.approx(uses)


@pytest.mark.parametrize(("build_year", "pipe_factor"), [
    (1975, 1 + 0.04 * 49),  # 2.96: just under the cap
    (1974, 3.0),            # 1 + 0.04 x 50 = 3.0: at the cap
    (1973, 3.0),            # 1 + 0.04 x 51 = 3.04: capped at 3
])
def test_age_factor_cap_at_and_past_its_boundary(build_year: int, pipe_factor: float) -> None:
    lines = _lines(pd.DataFrame([_compound(build_year=build_year)])).set_index("line")
    # pipe dredging: 5 buildings x 1 use x factor x 300 yuan x 0.7
    assert lines.loc["job_pipe_dredging", "amount_yuan"] == pytest.approx(
        round(5 * pipe_factor * 300 * 0.7, 2), abs=0.005)


@pytest.mark.parametrize(("members", "sharing"), [(1, 1), (2, 2), (3, 3), (4, 3)])
def test_a_bundle_shares_call_outs_up_to_three_compounds_a_visit(members: int,
                                                                  sharing: int) -> None:
    """Pipe dredging call-outs of each member: 11 x 100 x 0.7 = 770 / min(members, 3)."""
    table = pd.DataFrame([_compound(f"c{k}", zone="Z") for k in range(members)])
    lines = _lines(table)
    callouts = lines[lines["line"] == "job_pipe_dredging_callout"]["amount_yuan"]
    assert callouts.tolist() == pytest.approx([770.0 / sharing] * members, abs=0.005)


def test_market_prices_without_the_shared_channel() -> None:
    """The comparison: every job at market price with every call-out, 30% above the
    contract: pipe dredging alone is 11 x 300 + 11 x 100 = 4,400 yuan at market."""
    table = pf.validate_compounds(pd.DataFrame([_compound()]))
    plan = pf.plan.resolve_plan(pf.default_plan(), table)
    params = pf.default_parameters()
    market = pf.budget.budget_arrays(table, plan, params, channels=())
    contract = pf.budget.budget_arrays(table, plan, params)
    by_code_market = {s.code: v[0] for s, v in market.lines.items()}
    by_code = {s.code: v[0] for s, v in contract.lines.items()}
    assert by_code_market["job_pipe_dredging"] + by_code_market[
        "job_pipe_dredging_callout"] == pytest.approx(4400.0)
    assert by_code["job_pipe_dredging"] == pytest.approx(0.7 * 3300.0)
    total_market = sum(u * 1.0 for u in (
        2310 + 770, 2310 + 231, 2128 + 266, 2010.96 + 502.74, 1400 + 350, 2100 + 560,
        887.04 + 554.4, 739.2 + 462, 588 + 98, 399 + 332.5, 793.8 + 529.2, 1050 + 560,
        630 + 78.75, 1050 + 350)) / 0.7
    assert contract.jobs_at_market_yuan[0] == pytest.approx(total_market)
