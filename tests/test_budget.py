"""The 4+1 budget: hand-computed channels, conservation, one engine, properties, bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import propfee as pf
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
from propfee.errors import InputError
from propfee.money import yuan_to_fen
from propfee.plan import Plan, default_plan

from .conftest import BARE, districts


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
    # Demand: cleaning 100/140 -> 1.0 FTE (half posts), order 3 guards, maintenance 0.5,
    # greening 0.5, management 0.5, exactly as the baseline's headcount.
    lines = _lines(pf.evaluate(_compound(), BARE))
    assert lines["contract_staff_cleaning"] == 32400.0  # 1.0 x 2,000 x 12 x 1.35
    assert lines["contract_staff_order"] == 92340.0  # 3 x 1,900 x 12 x 1.35
    assert lines["contract_staff_management"] == 25920.0  # 0.5 x 3,200 x 12 x 1.35
    assert lines["contract_margin"] == 0.0
    assert lines["contract_fixed_fee"] == 0.0


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
    # 3 guards - 2 replaced = 1 guard: 1 x 1,900 x 12 x 1.35 = 30,780 (was 92,340).
    assert lines["contract_staff_order"] == 30780.0
    line = next(x for x in r.lines if x.line == "device_access_control_capital")
    assert (line.channel, line.category, line.payer) == (
        "smart_devices", "depreciation", "renovation_programme")


@pytest.mark.parametrize(
    ("hours", "coverage", "staff_cleaning", "in_kind"),
    [
        # 140 households: cleaning demand 140/140 = 1.0 FTE.
        # 20 h x 52 x 1.0 = 1,040 h / 2,080 h = 0.5 FTE -> 0.5 FTE left: 0.5 x 2,000 x 12
        # x 1.35 = 16,200; in kind 1,040 h x 18.5 = 19,240.
        (20.0, 1.0, 16200.0, 19240.0),
        # Half coverage: 520 h = 0.25 FTE -> 0.75 left -> 1.0 FTE (half posts): 32,400;
        # in kind 520 x 18.5 = 9,620.
        (20.0, 0.5, 32400.0, 9620.0),
        # More than the need: 60 h x 52 = 3,120 h = 1.5 FTE offered, 1.0 needed: nothing
        # left to staff; only the needed 2,080 h count in kind: 2,080 x 18.5 = 38,480.
        (60.0, 1.0, 0.0, 38480.0),
    ],
)
def test_volunteer_coverage_and_cap(hours, coverage, staff_cleaning, in_kind) -> None:
    task = VolunteerTask(name="in_building_cleaning", role="cleaning", hours_per_week=hours,
                         coverage_rate=coverage, materials_yuan_per_year=150.0)
    plan = _with(self_governance=SelfGovernance(tasks=(task,), shadow_wage_yuan_per_hour=18.5))
    r = pf.evaluate(_compound(households=140), plan)
    lines = _lines(r)
    assert lines["contract_staff_cleaning"] == staff_cleaning
    assert lines["volunteer_in_building_cleaning_time"] == pytest.approx(in_kind)
    assert lines["volunteer_in_building_cleaning_materials"] == 150.0
    assert r.by_payer["volunteers_in_kind"] == pytest.approx(in_kind)


def test_per_use_job_with_discount() -> None:
    job = PerUseJob(name="pipe_dredging", market_price_yuan_per_use=300.0, discount_rate=0.3,
                    uses_per_10000_m2_year=4.0, age_growth_per_year=0.03)
    r = pf.evaluate(_compound(), _with(shared_property=BARE.shared_property.model_copy(
        update={"jobs": (job,)})))
    # Uses: 4 x 10,000/10,000 x (1 + 0.03 x 34) = 8.08 a year; 8.08 x 300 x (1 - 0.3) = 1,696.80.
    assert _lines(r)["job_pipe_dredging"] == 1696.80
    # The comparison baseline buys the same jobs at market price: 8.08 x 300 = 2,424.
    baseline = pf.market_baseline(_compound())
    assert r.baseline_total_yuan == pytest.approx(baseline.total_annual_cost_yuan + 2424.0)


def test_street_fallback_per_tonne_and_replaced_share() -> None:
    garbage = StreetItem(name="garbage_removal", pricing="per_tonne", price_yuan=120.0,
                         kg_per_household_day=2.0, category="cleaning",
                         replaces_role="cleaning", replaced_share=0.5)
    r = pf.evaluate(_compound(households=140), _with(
        street_fallback=StreetFallback(items=(garbage,))))
    lines = _lines(r)
    # 140 households x 2 kg x 365 d / 1,000 = 102.2 t x 120 yuan = 12,264 yuan.
    assert lines["street_garbage_removal"] == 12264.0
    # Half of the 1.0 FTE cleaning demand taken over: 0.5 FTE x 2,000 x 12 x 1.35 = 16,200.
    assert lines["contract_staff_cleaning"] == 16200.0
    assert r.by_payer["street_office"] == 12264.0


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
    assert r.street_subsidy_yuan == pytest.approx(bare.street_subsidy_yuan - 14460.0)


def test_bundling_pools_fractional_posts() -> None:
    # Two compounds of 100 households, no gates: management demand 100/550 = 0.18 FTE each.
    # Alone: 0.5 FTE each (half posts) = 2 x 0.5 x 3,200 x 12 x 1.35 = 51,840.
    # Bundled: 0.36 FTE pooled -> 0.5 FTE = 25,920, split 12,960 / 12,960 by demand.
    df = pd.DataFrame({
        "compound_id": ["a", "b"], "households": [100, 100], "floor_area_m2": [6000.0, 6000.0],
        "build_year": [1990, 1990], "gates": [0, 0], "zone": ["z", "z"],
    })
    alone = pf.evaluate_district(df, BARE).lines
    zone = BARE.model_copy(update={"shared_property": BARE.shared_property.model_copy(
        update={"bundle_by": "zone"})})
    bundled = pf.evaluate_district(df, zone).lines
    pick = lambda t: t[t["line"] == "contract_staff_management"]["amount_yuan"].tolist()  # noqa: E731
    assert pick(alone) == [25920.0, 25920.0]
    assert pick(bundled) == [12960.0, 12960.0]


def test_fixed_fee_split_by_floor_area_in_fen() -> None:
    # 10,000.00 yuan split by floor area 1 : 2 : 3 -> 1,666.67 / 3,333.33 / 5,000.00 (fen exact).
    df = pd.DataFrame({
        "compound_id": ["a", "b", "c"], "households": [10, 20, 30],
        "floor_area_m2": [1000.0, 2000.0, 3000.0], "build_year": [1990] * 3,
    })
    plan = _with(shared_property=SharedProperty(
        bundle_by="explicit", contract_margin_rate=0.0,
        bundles=(Bundle(bundle_id="B1", members=("a", "b", "c"), fixed_fee_yuan_per_year=10000.0),),
    ))
    out = pf.evaluate_district(df, plan).lines
    fee = out[out["line"] == "contract_fixed_fee"]["amount_yuan"]
    assert fee.tolist() == [1666.67, 3333.33, 5000.0]
    assert yuan_to_fen(fee.to_numpy()).sum() == 1_000_000


def _fen(s: pd.Series) -> np.ndarray:
    return yuan_to_fen(s.to_numpy())


@given(districts())
def test_money_is_conserved(df) -> None:
    out = pf.evaluate_district(df)
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
    # Channel contributions add up to the change of balance from the baseline.
    contrib = sum(_fen(c[col]) for col in c.columns if col.startswith("contribution_"))
    np.testing.assert_array_equal(
        contrib, _fen(c["pool_balance_yuan"]) - _fen(c["baseline_balance_yuan"]))
    # Every yuan has exactly one payer: the long table has one payer per line.
    assert out.lines["payer"].isin(pf.channels.PAYERS).all()


@given(districts(max_size=5))
def test_single_and_district_agree(df) -> None:
    plan = default_plan().model_copy(update={"shared_property": default_plan(
    ).shared_property.model_copy(update={"bundle_by": "none"})})
    district = pf.evaluate_district(df, plan)
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
    out = pf.evaluate_district(pf.datasets.sanqiao_like_street())
    c = out.compounds
    small = c[c["households"] < 100]
    # Under the market baseline most small compounds run a deficit ...
    assert (small["baseline_balance_yuan"] < 0).mean() > 0.9
    # ... under 4+1 with default parameters the deficit shrinks for every compound ...
    assert (c["deficit_reduction_yuan"] > 0).all()
    totals = out.district_totals()
    assert totals["street_subsidy_yuan"] < 0.5 * -totals["baseline_balance_yuan"]
    # ... and the channels say by how much, adding up exactly.
    contrib = sum(totals[f"contribution_{ch}_yuan"] for ch in (
        "shared_property", "self_governance", "street_fallback", "smart_devices",
        "public_income"))
    assert contrib == pytest.approx(totals["pool_balance_yuan"] - totals["baseline_balance_yuan"])
    by_street = out.totals_by("street")
    assert by_street["compounds"].sum() == 286
    assert by_street["street_subsidy_yuan"].sum() == pytest.approx(totals["street_subsidy_yuan"])


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: Plan(shared_property=SharedProperty(bundle_by="explicit", bundles=(
            Bundle(bundle_id="B", members=("k", "ghost")),))), "ghost"),
        (lambda: PerUseJob(name="x", market_price_yuan_per_use=-1.0, discount_rate=0.1,
                           uses_per_10000_m2_year=1.0), "greater than or equal to 0"),
        (lambda: VolunteerTask(name="x", role="order", hours_per_week=1.0,
                               coverage_rate=1.2), "less than or equal to 1"),
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
        ({"compound_id": ["k"], "self_governance.patrol.hours_per_week": ["lots"]},
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
