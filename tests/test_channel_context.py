"""The channels' shared state: demand by gate regime, what each channel takes, lines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.budget import CREDIT_CHANNELS
from propfee.channels import (
    Device,
    IncomeSource,
    PublicIncome,
    SmartDevices,
    StreetFallback,
    StreetItem,
    devices,
    direct,
    public_income,
    self_governance,
    shared_property,
    street,
)
from propfee.channels.common import LineSpec
from propfee.channels.context import ChannelInputs
from propfee.compound import validate_compounds
from propfee.plan import resolve_plan
from propfee.staffing import ROLES, annual_staff_cost_yuan, role_demand_fte


def _ctx(plan: pf.Plan | None = None, n: int = 3, off: tuple[str, ...] = (),
         params: pf.ParameterSet | None = None,
         switches: dict[str, list[float]] | None = None) -> ChannelInputs:
    """A run's start on the first ``n`` compounds of the example street: the channels in
    ``off`` switched off everywhere, those in ``switches`` compound by compound."""
    table = validate_compounds(pf.datasets.sanqiao_like_street().head(n))
    plan = plan or pf.default_plan()
    on = {ch: np.full(n, 0.0 if ch in off else 1.0) for ch in CREDIT_CHANNELS}
    on.update({ch: np.array(v, dtype=np.float64) for ch, v in (switches or {}).items()})
    return ChannelInputs.start(table, resolve_plan(plan, table),
                               params or pf.default_parameters(), on)


def test_a_line_is_made_once() -> None:
    ctx = _ctx()
    spec = LineSpec("x_line", "direct", "other", "fund_pool", "service")
    ctx.add(spec, [1, 2, 3])
    assert ctx.lines[spec].dtype == np.float64
    assert ctx.lines[spec].tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match=r"^line 'x_line' made twice$"):
        ctx.add(spec, np.zeros(3))


def test_takes_of_the_same_role_add_up() -> None:
    # Management demand d; a channel offered 0.01 FTE twice takes 0.02 in all (where the
    # demand is at least that), and the remaining demand falls by as much.
    ctx = _ctx()
    d = ctx.demand["management"].copy()
    first = ctx.take("direct", "management", np.full(3, 0.01))
    second = ctx.take("direct", "management", np.full(3, 0.01))
    np.testing.assert_allclose(first + second, np.minimum(0.02, d))
    np.testing.assert_allclose(ctx.replaced[("direct", "management")], np.minimum(0.02, d))
    np.testing.assert_allclose(ctx.remaining["management"], d - np.minimum(0.02, d))
    assert ("street_fallback", "management") not in ctx.replaced


@pytest.mark.parametrize(("grade_regime", "want_fallback"), [
    (None, "staffed_16h"),  # grade 4 keeps its gates staffed 16 hours a day
    ("device_only", "live_in"),
])
def test_device_only_gates_fall_back_where_devices_are_off(grade_regime, want_fallback) -> None:
    # A plan keeping gates by devices only: where the smart-devices channel is off the
    # gates fall back to the grade's regime, or to live-in keepers when the grade's own
    # regime is device-only. Order demand follows the regime of each compound.
    params = pf.default_parameters()
    if grade_regime is not None:
        params = params.model_copy(update={"grades": params.grades.model_copy(update={
            "g4": params.grades.g4.model_copy(update={"gate_regime": grade_regime})})})
    plan = pf.default_plan().model_copy(update={"gate_regime": "device_only"})
    assert plan.service_grade == 4
    grade = params.grades.grade(plan.service_grade)
    ctx = _ctx(plan, off=("smart_devices",), params=params)
    assert ctx.gate_regime == "device_only"
    assert ctx.fallback_regime == want_fallback
    assert ctx.fallback.tolist() == [True, True, True]
    t = ctx.table
    kw = {"households": t.array("households"), "floor_area_m2": t.array("floor_area_m2"),
          "green_area_m2": t.array("green_area_m2"), "gates": t.array("gates")}
    for role in ROLES:
        want = role_demand_fte(role, grade, params, gate_regime=(
            want_fallback if role == "order" else "device_only"), **kw)
        np.testing.assert_allclose(ctx.demand[role], want)
    assert ctx.regime_rows(want_fallback).tolist() == [True, True, True]
    assert ctx.regime_rows("device_only").tolist() == [False, False, False]
    # Devices on everywhere: no fallback, every compound device-only.
    on = _ctx(plan, params=params)
    assert on.fallback.tolist() == [False, False, False]
    assert on.regime_rows("device_only").tolist() == [True, True, True]
    assert on.regime_rows(want_fallback).tolist() == [False, False, False]
    np.testing.assert_allclose(on.demand["order"], role_demand_fte(
        "order", grade, params, gate_regime="device_only", **kw))


def test_direct_lines_by_hand() -> None:
    # Three compounds (49, 70, 14 households; one gate each); grade 5 keeps gates with a
    # live-in keeper, the plan by devices only; devices off in the second compound only,
    # so its gate falls back to the live-in keeper: 1 x 1,500 yuan/month x 12 = 18,000.
    # Other costs at 10 yuan a household: 490, 700, 140.
    params = pf.default_parameters()
    params = params.model_copy(update={"costs": params.costs.model_copy(
        update={"other_yuan_per_household_year": 10.0})})
    plan = pf.default_plan().model_copy(update={"gate_regime": "device_only",
                                                "service_grade": 5})
    table = validate_compounds(pf.datasets.sanqiao_like_street().head(3))
    assert table.array("households").tolist() == [49.0, 70.0, 14.0]
    assert table.array("gates").tolist() == [1.0, 1.0, 1.0]
    on = {ch: np.ones(3) for ch in CREDIT_CHANNELS}
    on["smart_devices"] = np.array([1.0, 0.0, 1.0])
    ctx = ChannelInputs.start(table, resolve_plan(plan, table), params, on)
    demand = {role: ctx.demand[role].copy() for role in ("cleaning", "greening")}
    direct.apply(ctx)
    lines = {spec.code: (spec, amount) for spec, amount in ctx.lines.items()}
    assert lines["other"][1].tolist() == [490.0, 700.0, 140.0]
    spec, live_in = lines["gate_live_in"]
    assert live_in.tolist() == [0.0, 18000.0, 0.0]
    assert spec == LineSpec("gate_live_in", "direct", "order", "fund_pool", "informal")
    assert ctx.line_rows[spec].tolist() == [False, True, False]
    # The informal roles (cleaning, greening) hire all their open demand, paid by the hour.
    assert plan.informal_roles == ("cleaning", "greening")
    for role, d in demand.items():
        np.testing.assert_allclose(ctx.replaced[("direct", role)], d)
        np.testing.assert_allclose(ctx.remaining[role], 0.0)
        np.testing.assert_allclose(lines[f"informal_{role}"][1],
                                   annual_staff_cost_yuan(role, d, params, "informal"))


@pytest.mark.parametrize("multiplier", [0.5, 2.0])
def test_volunteer_time_by_hand(multiplier) -> None:
    # Supply = (party x 0.233 x 2 + households x 0.02 x 2) x 52 h a year (the plan's
    # rates), times the what-if multiplier; each task offers its share of it, in posts of
    # standard (or guard) hours; a role takes at most its open demand. The time is valued
    # at the plan's shadow wage, 30 yuan/h: time of a role = posts taken x hours a post x 30.
    plan = pf.default_plan()
    plan = plan.model_copy(update={"self_governance": plan.self_governance.model_copy(
        update={"shadow_wage_yuan_per_hour": 30.0})})
    params = pf.default_parameters()
    ctx = _ctx(plan)
    ctx.volunteer_multiplier = multiplier
    demand = {role: ctx.demand[role].copy() for role in ROLES}
    self_governance.apply(ctx)
    sg = plan.self_governance
    households = ctx.table.array("households")
    party = households * params.quantities.party_members_per_household  # none given
    supply = (party * sg.party_active_rate * sg.party_hours_per_week
              + households * sg.resident_active_rate * sg.resident_hours_per_week) * 52
    lab = params.labour
    assert sg.tasks
    for role in {t.role for t in sg.tasks}:
        per_post = lab.guard_hours_per_year if role == "order" else lab.standard_hours_per_year
        tasks = [t for t in sg.tasks if t.role == role]
        offered = supply * multiplier * sum(t.share for t in tasks) / per_post
        taken = np.minimum(offered, demand[role])
        np.testing.assert_allclose(ctx.replaced[("self_governance", role)], taken)
        # Each task's time: its hours x taken / offered x 30 (the role's taken hours shared
        # by the tasks' shares).
        for t in tasks:
            time = ctx.lines[LineSpec(f"volunteer_{t.name}_time", "self_governance", "staff",
                                      "volunteers_in_kind", "in_kind")]
            hours = supply * multiplier * t.share
            np.testing.assert_allclose(time, hours * (taken / offered) * 30.0)


def test_street_lines_by_hand() -> None:
    # Households 49, 70, 14; the street office serves compounds 1 and 3 (it pays), the
    # second pays the same service from its fund pool.
    #   bins:  10 yuan a household:              490, 700, 140 (category cleaning)
    #   waste: 100 yuan/t x 1 kg/household-day:  100 x h x 365 / 1,000 = 36.5 h
    #          = 1,788.5, 2,555, 511
    #   grid:  1,000 yuan a compound;  bins takes half of the cleaning demand where on.
    items = (
        StreetItem(name="bins", pricing="per_household", price_yuan=10.0, category="cleaning",
                   replaces_role="cleaning", replaced_share=0.5),
        StreetItem(name="waste", pricing="per_tonne", price_yuan=100.0,
                   kg_per_household_day=1.0),
        StreetItem(name="grid", pricing="per_compound", price_yuan=1000.0, category="order"),
    )
    plan = pf.default_plan().model_copy(update={"street_fallback": StreetFallback(items=items)})
    ctx = _ctx(plan, switches={"street_fallback": [1.0, 0.0, 1.0]})
    demand = ctx.demand["cleaning"].copy()
    street.apply(ctx)
    want = {"bins": ([490.0, 700.0, 140.0], "cleaning"),
            "waste": ([1788.5, 2555.0, 511.0], "other"),
            "grid": ([1000.0, 1000.0, 1000.0], "order")}
    for name, (cost, category) in want.items():
        office = LineSpec(f"street_{name}", "street_fallback", category, "street_office",
                          "service")
        pool = LineSpec(f"street_{name}", "street_fallback", category, "fund_pool", "service")
        np.testing.assert_allclose(ctx.lines[office], [cost[0], 0.0, cost[2]])
        np.testing.assert_allclose(ctx.lines[pool], [0.0, cost[1], 0.0])
        assert ctx.line_rows[office].tolist() == [True, False, True]
        assert ctx.line_rows[pool].tolist() == [False, True, False]
    np.testing.assert_allclose(ctx.replaced[("street_fallback", "cleaning")],
                               0.5 * demand * [1.0, 0.0, 1.0])
    # All on: no fund-pool lines; all off: no street-office lines and nothing taken.
    ctx = _ctx(plan)
    street.apply(ctx)
    assert {s.payer for s in ctx.lines} == {"street_office"}
    ctx = _ctx(plan, off=("street_fallback",))
    street.apply(ctx)
    assert {s.payer for s in ctx.lines} == {"fund_pool"}
    assert ctx.replaced == {}


def test_devices_and_public_income_by_hand() -> None:
    # Green areas 324.5, 432.4, 124.8 m2 -> trees at 40 m2 a tree: 8.1125, 10.81, 3.12.
    # A tree sensor per tree: capital 100 yuan a unit, 10 years at 4%:
    #   crf = 0.04 / (1 - 1.04^-10) = 0.1232909; running 5 yuan a unit; 0.001 FTE of
    #   greening a unit. Devices are off in the second compound.
    # Income: 20 yuan a tree-year, 50% occupied, 10% own costs: 9 yuan a tree.
    dev = Device(name="tree_sensor", basis="tree", units_per_basis=1.0,
                 capital_cost_yuan_per_unit=100.0, service_life_years=10.0,
                 running_cost_yuan_per_unit_year=5.0, replaces_role="greening",
                 replaced_fte_per_unit=0.001, capital_funder="fund_pool")
    src = IncomeSource(name="fruit", basis="tree", units_per_basis=1.0,
                       price_yuan_per_unit_year=20.0, occupancy_rate=0.5, cost_share_rate=0.1)
    plan = pf.default_plan().model_copy(update={
        "smart_devices": SmartDevices(devices=(dev,), discount_rate=0.04),
        "public_income": PublicIncome(sources=(src,)), "gate_regime": "staffed_16h"})
    ctx = _ctx(plan, switches={"smart_devices": [1.0, 0.0, 1.0]})
    greening = ctx.demand["greening"].copy()
    devices.apply(ctx)
    public_income.apply(ctx)
    units = np.array([8.1125, 0.0, 3.12])
    crf = 0.04 / (1 - 1.04 ** -10)
    assert crf == pytest.approx(0.1232909, abs=1e-7)
    np.testing.assert_allclose(ctx.details["device_capital:tree_sensor"], units * 100.0)
    np.testing.assert_allclose(ctx.details["device_life:tree_sensor"], 10.0)
    capital = LineSpec("device_tree_sensor_capital", "smart_devices", "depreciation",
                       "fund_pool", "capital")
    running = LineSpec("device_tree_sensor_running", "smart_devices", "upkeep", "fund_pool",
                       "running")
    np.testing.assert_allclose(ctx.lines[capital], units * 100.0 * crf)
    np.testing.assert_allclose(ctx.lines[running], units * 5.0)
    np.testing.assert_allclose(ctx.replaced[("smart_devices", "greening")],
                               np.minimum(units * 0.001, greening))
    assert "gate_remote_help" not in {s.code for s in ctx.lines}  # gates staffed
    trees = np.array([8.1125, 10.81, 3.12])
    np.testing.assert_allclose(ctx.details["income:fruit"], trees * 9.0)
    np.testing.assert_allclose(ctx.income_yuan, trees * 9.0)


def test_contract_fen_ties_go_to_the_first_compound_id() -> None:
    # Two equal compounds listed b, a in one bundle, 100.01 m apart: travel 1 yuan/m x
    # (2 - 1) x 100.01 m = 100.01 yuan = 10,001 fen, split by floor area (equal): 5,000.5
    # each; the odd fen goes to the first id, a, whatever the row order.
    df = pd.DataFrame({"compound_id": ["b", "a"], "households": [100, 100],
                       "floor_area_m2": [8000.0, 8000.0], "build_year": [1990, 1990],
                       "x_m": [0.0, 0.0], "y_m": [0.0, 100.01], "zone": ["z", "z"]})
    plan = pf.named_plan("shared_staffed")
    plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"travel_yuan_per_m_year": 1.0})})
    lines = pf.evaluate_district(df, plan).lines
    travel = lines[lines["line"] == "contract_travel"].set_index("compound_id")["amount_yuan"]
    assert travel.to_dict() == {"b": 50.0, "a": 50.01}
    contract = lines[lines["line"].str.startswith("contract_")].pivot_table(
        index="line", columns="compound_id", values="amount_yuan", observed=True)
    assert ((contract["a"] - contract["b"]).round(2).isin([0.0, 0.01])).all()


def test_a_compound_with_the_contract_off_pays_the_market_margin() -> None:
    # Each compound alone; the channel is off in the second: a market company serves it
    # at the market's markup 1.08 x (1 + 0.06 x 1.12) - 1 = 0.152576 on staff, the others
    # at the contract margin of the plan.
    plan = pf.named_plan("shared_staffed")
    plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "none"})})
    ctx = _ctx(plan, switches={"shared_property": [1.0, 0.0, 1.0]})
    shared_property.apply(ctx)
    staff = sum(v for s, v in ctx.lines.items() if s.code.startswith("contract_staff_"))
    margin = ctx.lines[LineSpec("contract_margin", "shared_property", "margin",
                                "residents_fees", "standing")]
    rate = plan.shared_property.contract_margin_rate
    np.testing.assert_allclose(margin, staff * np.array([rate, 0.152576, rate]), atol=0.011)
    assert rate != pytest.approx(0.152576)


def test_job_costs_are_shared_by_the_bundle() -> None:
    # Per job: unit price at the discount, plus call-outs at the discount divided by the
    # members one visit serves: min(members of the bundle, compounds_per_visit).
    plan = pf.named_plan("xinghualing")
    table = validate_compounds(pf.datasets.sanqiao_like_street().head(8))
    resolved = resolve_plan(plan, table)
    on = {ch: np.ones(8) for ch in CREDIT_CHANNELS}
    ctx = ChannelInputs.start(table, resolved, pf.default_parameters(), on)
    maintenance = ctx.remaining["maintenance"].copy()
    shared_property.apply(ctx)
    members = np.bincount(resolved.bundle_code)[resolved.bundle_code]
    sharing = np.minimum(members, plan.shared_property.compounds_per_visit)
    assert sharing.max() > 1
    for job in plan.shared_property.jobs:
        unit = ctx.details[f"job_unit:{job.name}"]
        callout = ctx.details[f"job_callout:{job.name}"]
        np.testing.assert_allclose(ctx.details[f"job_yuan:{job.name}"],
                                   unit + callout / sharing)
        line = LineSpec(f"job_{job.name}_callout", "shared_property", "upkeep", "fund_pool",
                        "per_use")
        np.testing.assert_allclose(ctx.lines[line], callout / sharing)
    # No standing maintenance posts: the jobs meet what is left of the maintenance work.
    assert "maintenance" not in plan.shared_property.standing_roles
    np.testing.assert_allclose(ctx.replaced[("shared_property", "maintenance")], maintenance)


@pytest.mark.parametrize(("jobs", "standing"), [
    (False, ("management",)),   # no jobs: maintenance is left to the others
    (True, ("maintenance",)),   # maintenance posts: staffed by the contract
])
def test_maintenance_goes_to_posts_or_is_left(jobs, standing) -> None:
    plan = pf.named_plan("shared_staffed")
    sp = plan.shared_property
    plan = plan.model_copy(update={"shared_property": sp.model_copy(update={
        "standing_roles": standing, "jobs": sp.jobs if jobs else ()})})
    assert bool(sp.jobs)
    ctx = _ctx(plan)
    maintenance = ctx.remaining["maintenance"].copy()
    shared_property.apply(ctx)
    taken = ctx.replaced.get(("shared_property", "maintenance"), np.zeros(3))
    if standing == ("maintenance",):
        # All of it becomes posts: the contract staffs the maintenance demand.
        np.testing.assert_allclose(taken, maintenance)
        line = LineSpec("contract_staff_maintenance", "shared_property", "staff",
                        "residents_fees", "standing")
        assert (ctx.lines[line] > 0).all()
    else:
        np.testing.assert_allclose(taken, 0.0)
        np.testing.assert_allclose(ctx.remaining["maintenance"], maintenance)


@pytest.mark.parametrize("overridden", ["all", "one"])
def test_job_discount_overridden_per_compound(overridden) -> None:
    # The contract's discount on a job, set per compound (every job, or only the first):
    # the job's cost at the contract is its market cost x (1 - discount) of its compound.
    street = pf.datasets.sanqiao_like_street().head(3)
    plan = pf.default_plan()
    jobs = plan.shared_property.jobs
    named = jobs if overridden == "all" else jobs[:1]
    discounts = [0.1, 0.25, 0.5]
    overrides = pd.DataFrame({"compound_id": street["compound_id"], **{
        f"shared_property.{job.name}.discount_rate": discounts for job in named}})
    table = validate_compounds(street)
    resolved = resolve_plan(plan, table, overrides)
    on = {ch: np.ones(3) for ch in CREDIT_CHANNELS}
    ctx = ChannelInputs.start(table, resolved, pf.default_parameters(), on)
    shared_property.apply(ctx)
    plain = ChannelInputs.start(table, resolve_plan(plan, table), pf.default_parameters(), on)
    shared_property.apply(plain)
    for job in jobs:
        keep = (1 - np.array(discounts)) if job in named else np.full(3, 1 - job.discount_rate)
        market = plain.details[f"job_unit:{job.name}"] / (1 - job.discount_rate)
        np.testing.assert_allclose(ctx.details[f"job_unit:{job.name}"], market * keep)


def test_item_rows_are_the_values_of_the_run() -> None:
    """PlanArrays.rows gives the plan's own column only where the values are the plan's
    own; a value set in the arrays (one value for every compound, as an override or a
    what-if might set it) is what the rows give, as value() does."""
    from propfee.plan import PlanArrays

    plan = pf.default_plan()
    table = validate_compounds(pf.Compound(compound_id="a", households=100,
                                           floor_area_m2=10000.0, build_year=1990))
    resolved = resolve_plan(plan, table)
    devices = plan.smart_devices.devices
    names = tuple(d.name for d in devices)
    own = resolved.rows("smart_devices", names, "units_per_basis")
    assert own[:, 0].tolist() == [d.units_per_basis for d in devices]
    values = dict(resolved.values)
    values[f"smart_devices.{names[0]}.units_per_basis"] = np.broadcast_to(99.0, (1,))
    other = PlanArrays(plan, values, resolved.bundle_code, resolved.bundle_ids,
                       resolved.bundle_fixed_fee_yuan)
    assert other.value("smart_devices", names[0], "units_per_basis").tolist() == [99.0]
    assert other.rows("smart_devices", names, "units_per_basis")[:, 0].tolist() == [
        99.0, *[d.units_per_basis for d in devices[1:]]]
    assert resolved.rows("smart_devices", names, "units_per_basis").tolist() == own.tolist()


def test_item_rows_of_a_piece_are_the_values_of_its_compounds() -> None:
    """A piece of a resolved plan (PlanArrays.take, as a district runs in pieces) gives
    the plan's own column for items nobody overrides, and each compound's own value
    where one is overridden: compound "b" holds 7 units of the first device, "a" and
    "c" the plan's value; a piece of a piece too."""
    plan = pf.default_plan()
    table = validate_compounds(pd.DataFrame({
        "compound_id": ["a", "b", "c"], "households": [100, 100, 100],
        "floor_area_m2": [10000.0] * 3, "build_year": [1990] * 3,
        "zone": ["z1", "z2", "z3"]}))
    devices = plan.smart_devices.devices
    names = tuple(d.name for d in devices)
    path = f"smart_devices.{names[0]}.units_per_basis"
    resolved = resolve_plan(plan, table, pd.DataFrame({"compound_id": ["b"], path: [7.0]}))
    default = [d.units_per_basis for d in devices]
    piece = resolved.take(slice(1, 3), slice(1, 3))  # compounds b and c, bundles 1 and 2
    rows = piece.rows("smart_devices", names, "units_per_basis")
    assert rows.shape == (len(names), 2)
    assert rows[:, 0].tolist() == [7.0, *default[1:]]
    assert rows[:, 1].tolist() == default
    untouched = piece.rows("smart_devices", names, "capital_cost_yuan_per_unit")
    # the plan's own column itself, as the whole table gets it: the piece kept the mark
    assert untouched is resolved.rows("smart_devices", names, "capital_cost_yuan_per_unit")
    assert untouched.shape == (len(names), 1)
    assert untouched[:, 0].tolist() == [d.capital_cost_yuan_per_unit for d in devices]
    last = piece.take(slice(1, 2), slice(1, 2))  # compound c alone
    assert last.rows("smart_devices", names, "units_per_basis")[:, 0].tolist() == default
    assert last.value("smart_devices", names[0], "units_per_basis").tolist() == [default[0]]
    assert piece.value("smart_devices", names[0], "units_per_basis").tolist() == [
        7.0, default[0]]
