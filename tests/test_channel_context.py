"""The channels' shared state: the demand of each gate regime, what each channel supplies
of the work ledger and the lines it makes, channel by channel, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.budget import CREDIT_CHANNELS, budget_arrays
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
from propfee.channels.contract import trip_share
from propfee.compound import CompoundTable, validate_compounds
from propfee.params.values import ParamValues
from propfee.plan import PlanArrays, resolve_plan
from propfee.staffing import DAYS_PER_YEAR
from propfee.work import market
from propfee.work.categories import HOUR_CATEGORIES, category_names
from propfee.work.demand import coverage_regime, demand_by_category
from propfee.work.ledger import WorkLedger

STREET = pf.datasets.sanqiao_like_street()
"""SQ001, SQ002, SQ003 first: 49, 70 and 14 households, one gate each, 2, 2 and 1
buildings, 3, 4 and 1 stairwell units, 4,066.9, 5,314.1 and 978.5 m2, 324.5, 432.4 and
124.8 m2 of green, built 1983, 1983, 1993."""


def _start(table: CompoundTable, resolved: PlanArrays, params: pf.ParameterSet,
           on: dict[str, np.ndarray]) -> ChannelInputs:
    """A run's state before any channel, as the kernel makes it."""
    p = resolved.plan
    coverage = coverage_regime(p.gate_regime, params.grades.grade(p.service_grade).gate_regime)
    values = ParamValues(params)
    ledger = WorkLedger(demand_by_category(table, params, p.service_grade, coverage, values))
    return ChannelInputs(
        table=table, params=params, values=values, items=resolved,
        bundle_code=resolved.bundle_code, n_bundles=len(resolved.bundle_ids),
        bundle_fixed_fee_yuan=resolved.bundle_fixed_fee_yuan, grade=p.service_grade,
        gate_regime=p.gate_regime, coverage=coverage, on=on, ledger=ledger,
        income_yuan=np.zeros(len(table)))


def _ctx(plan: pf.Plan | None = None, n: int = 3, off: tuple[str, ...] = (),
         params: pf.ParameterSet | None = None,
         switches: dict[str, list[float]] | None = None,
         table: CompoundTable | None = None) -> ChannelInputs:
    """A run's start on the first ``n`` compounds of the example street: the channels in
    ``off`` switched off everywhere, those in ``switches`` compound by compound."""
    table = table or validate_compounds(STREET.head(n))
    n = len(table)
    plan = plan or pf.default_plan()
    on = {ch: np.full(n, 0.0 if ch in off else 1.0) for ch in CREDIT_CHANNELS}
    on.update({ch: np.array(v, dtype=np.float64) for ch, v in (switches or {}).items()})
    return _start(table, resolve_plan(plan, table), params or pf.default_parameters(), on)


def _line(ctx: ChannelInputs, code: str) -> tuple[LineSpec, np.ndarray]:
    spec = next(s for s in ctx.lines if s.code == code)
    return spec, np.broadcast_to(ctx.lines[spec], (len(ctx),))


def test_a_line_is_made_once() -> None:
    ctx = _ctx()
    spec = LineSpec("x_line", "direct", "other", "fund_pool", "running")
    ctx.add(spec, [1, 2, 3])
    assert ctx.lines[spec].dtype == np.float64
    assert ctx.lines[spec].tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match=r"^line 'x_line' made twice$"):
        ctx.add(spec, np.zeros(3))
    one = LineSpec("y_line", "direct", "other", "fund_pool", "running")
    ctx.add(one, 5.0)  # one amount for every compound
    assert ctx.lines[one].tolist() == [5.0, 5.0, 5.0]


def test_supplies_of_the_same_work_add_up() -> None:
    # Management demand d; a channel offering 10 h twice supplies 20 h in all (where the
    # demand is at least that), and what is left falls by as much.
    ctx = _ctx()
    d = ctx.ledger.demand("management").copy()
    assert d.tolist() == pytest.approx([49 / 700 * 2000, 70 / 700 * 2000, 14 / 700 * 2000])
    first = ctx.supply("self_governance", "management", np.full(3, 10.0))
    second = ctx.supply("self_governance", "management", 10.0, where=np.array([True, True,
                                                                              False]))
    np.testing.assert_allclose(first, np.minimum(10.0, d))
    np.testing.assert_allclose(second, [10.0, 10.0, 0.0])
    np.testing.assert_allclose(ctx.ledger.supplied("self_governance", "management"),
                               [20.0, 20.0, 10.0])
    np.testing.assert_allclose(ctx.ledger.remaining("management"), d - [20.0, 20.0, 10.0])
    assert ctx.ledger.supplied("street_fallback", "management").tolist() == [0.0] * 3


@pytest.mark.parametrize(("grade", "regime", "coverage", "hours_a_day"), [
    (4, None, "staffed_16h", 16.0),            # grade 4 keeps its gates 16 hours a day
    (4, "device_only", "staffed_16h", 16.0),   # devices keep the grade's hours
    (4, "staffed_24h", "staffed_24h", 24.0),   # a plan that staffs 24 h buys 24 h
    (5, "device_only", "live_in", 24.0),       # grade 5: a live-in keeper, all day
    (5, "live_in", "live_in", 24.0),
    (3, "staffed_16h", "staffed_16h", 16.0),   # fewer hours than grade 3's own 24
])
def test_gate_demand_follows_the_coverage(grade, regime, coverage, hours_a_day) -> None:
    plan = pf.default_plan().model_copy(update={"service_grade": grade, "gate_regime": regime})
    ctx = _ctx(plan)
    assert ctx.coverage == coverage
    np.testing.assert_allclose(ctx.ledger.demand("gate"), hours_a_day * 365.0)
    # Patrol and the other hour work follow the grade, whatever the gates.
    norms = pf.default_parameters().grades.grade(grade)
    np.testing.assert_allclose(ctx.ledger.demand("patrol"),
                               np.array([2, 2, 1]) * norms.patrol_hours_per_building_day * 365)


def test_gates_kept_by_a_live_in_keeper_where_the_devices_are_off() -> None:
    """Grade 5 keeps its gates with a live-in keeper; the plan keeps them by devices,
    switched off in the second compound only. There the market buys the gate's 8,760 h
    as the grade keeps it: a live-in keeper 8,760 / 8,760 x 1,900 x 12 = 22,800, no
    guard; elsewhere access control keeps them all day, with remote help 1,200 a gate."""
    plan = pf.default_plan().model_copy(update={"service_grade": 5})
    assert plan.gate_regime == "device_only"
    table = validate_compounds(STREET.head(3))
    masks = {ch: np.ones(3) for ch in CREDIT_CHANNELS}
    masks["smart_devices"] = np.array([1.0, 0.0, 1.0])
    out = budget_arrays(table, resolve_plan(plan, table), pf.default_parameters(), masks=masks)
    assert out.ledger.supplied("smart_devices", "gate").tolist() == [8760.0, 0.0, 8760.0]
    assert out.ledger.supplied("market", "gate").tolist() == [0.0, 8760.0, 0.0]
    fen = out.fen_lines()
    by_code = {s.code: (s, fen[s]) for s in out.lines}
    spec, gate = by_code["market_gate"]
    assert gate.tolist() == [0, 2280000, 0]
    assert (spec.channel, spec.category, spec.payer, spec.kind, spec.work) == (
        "market", "order", "fund_pool", "market", "gate")
    assert out.details["market_heads:order"].tolist() == [0.0, 0.0, 0.0]
    spec, help_ = by_code["gate_remote_help"]
    assert help_.tolist() == [120000, 0, 120000]
    assert out.line_rows[spec].tolist() == [True, False, True]


def test_direct_lines_by_hand() -> None:
    """Running costs of SQ001-3, the second given 2 lifts for 24 households, other costs
    at 10 yuan a household:

    electricity 200 x units 3, 4, 1; water 5 x households; consumables 0.3 x floor;
    cleaning materials 24 x households; greening materials 3 x green; insurance 0.05 x
    floor; office 20 x households; other 10 x households; lifts 3,000 x lifts.
    """
    params = pf.default_parameters().replace({"costs.other_yuan_per_household_year": 10.0})
    street3 = STREET.head(3).assign(lifts=[0, 2, 0], lift_households=[np.nan, 24, np.nan])
    ctx = _ctx(params=params, table=validate_compounds(street3))
    direct.apply(ctx)
    want = {
        "common_electricity": ([600.0, 800.0, 200.0], "upkeep"),
        "common_water": ([245.0, 350.0, 70.0], "upkeep"),
        "consumables": ([1220.07, 1594.23, 293.55], "upkeep"),
        "cleaning_materials": ([1176.0, 1680.0, 336.0], "cleaning"),
        "greening_materials": ([973.5, 1297.2, 374.4], "greening"),
        "insurance": ([203.345, 265.705, 48.925], "insurance"),
        "office": ([980.0, 1400.0, 280.0], "office"),
        "other": ([490.0, 700.0, 140.0], "other"),
        "lift_electricity": ([0.0, 6000.0, 0.0], "upkeep"),
    }
    assert [s.code for s in ctx.lines] == list(want)
    for code, (amount, category) in want.items():
        spec, got = _line(ctx, code)
        np.testing.assert_allclose(got, amount, rtol=1e-12)
        payer = "lift_levy" if code == "lift_electricity" else "fund_pool"  # the lift's own
        assert spec == LineSpec(code, "direct", category, payer, "running", "")
    # Running costs supply no work: the ledger is untouched.
    for category in category_names(params):
        assert not ctx.ledger.supplied_micro().get(("direct", category), np.zeros(1)).any()


@pytest.mark.parametrize("multiplier", [0.5, 2.0])
def test_volunteer_time_and_informal_hires_by_hand(multiplier) -> None:
    """Supply = (party x 0.233 x 2 + households x 0.02 x 2) x 52 h a year (party members
    0.18 a household), times the what-if multiplier. Each task works its share of it on
    its own work: it supplies min(hours x units an hour, max share x demand) (the demand
    is all left: no channel ran before), valued at the plan's shadow wage of 30 yuan an
    hour it supplied; the rest of its hours are added service; materials by the share of
    its hours that supplied work. The organisation then hires what is left of cleaning,
    greening, management and patrol by the hour: 19.8 yuan (the part-time minimum, above
    2,000 x 12 / 2,000 = 12) and 21 yuan for management (3,500 x 12 / 2,000)."""
    plan = pf.default_plan()
    sg = plan.self_governance.model_copy(update={"shadow_wage_yuan_per_hour": 30.0})
    plan = plan.model_copy(update={"self_governance": sg})
    ctx = _ctx(plan)
    ctx.volunteer_multiplier = multiplier
    demand = {c: ctx.ledger.demand(c).copy() for c in category_names(ctx.params)}
    self_governance.apply(ctx, ctx.items.plan.self_governance)
    households = np.array([49.0, 70.0, 14.0])
    party = households * 0.18
    supply = (party * 0.233 * 2 + households * 0.02 * 2) * 52 * multiplier
    assert [t.work for t in sg.items] == [
        "cleaning", "greening", "stairwell_lighting_repair", "fire_equipment_service",
        "patrol", "management", None]  # each task its own work
    for task in sg.items:
        hours = supply * task.share
        np.testing.assert_allclose(ctx.details[f"volunteer_hours:{task.name}"], hours)
        if task.work is None:
            np.testing.assert_allclose(ctx.details[f"added_hours:{task.name}"], hours)
            assert not [s for s in ctx.lines if s.code.startswith(f"volunteer_{task.name}")]
            continue
        got = np.minimum(hours * task.units_per_hour, task.max_share * demand[task.work])
        if task.work not in sg.hire_informally:  # else the hires take the rest (below)
            np.testing.assert_allclose(ctx.ledger.supplied("self_governance", task.work), got,
                                       rtol=1e-9, atol=1e-6)
        used = got / task.units_per_hour
        spec, time = _line(ctx, f"volunteer_{task.name}_time")
        np.testing.assert_allclose(time, used * 30.0, rtol=1e-9, atol=1e-4)
        assert spec == LineSpec(f"volunteer_{task.name}_time", "self_governance", "staff",
                                "volunteers_in_kind", "in_kind", task.work)
        np.testing.assert_allclose(ctx.details[f"added_hours:{task.name}"], hours - used,
                                   rtol=1e-9, atol=1e-6)
        if task.materials_yuan_per_household_year:
            _, materials = _line(ctx, f"volunteer_{task.name}_materials")
            np.testing.assert_allclose(
                materials, task.materials_yuan_per_household_year * households * used / hours,
                rtol=1e-6)  # the hours supplied are counted in micro-units
    rate = {"cleaning": 19.8, "greening": 19.8, "management": 21.0, "patrol": 19.8}
    assert sg.hire_informally == tuple(rate)
    for work, hourly in rate.items():
        task = next(t for t in sg.items if t.work == work)
        volunteers = np.minimum(supply * task.share * task.units_per_hour,
                                task.max_share * demand[work])
        left = demand[work] - volunteers
        np.testing.assert_allclose(ctx.ledger.supplied("self_governance", work), demand[work],
                                   rtol=1e-9)  # volunteers and hires: all of it
        spec, informal = _line(ctx, f"informal_{work}")
        np.testing.assert_allclose(informal, left * hourly, rtol=1e-9, atol=1e-4)
        assert (spec.payer, spec.kind, spec.work) == ("fund_pool", "informal", work)
        assert ctx.ledger.remaining(work).tolist() == [0.0] * 3
    # Gates are not the volunteers' (no live-in plan): left for the devices and others.
    np.testing.assert_array_equal(ctx.ledger.remaining("gate"), demand["gate"])


def test_street_lines_by_hand() -> None:
    """Households 49, 70, 14; the street office serves compounds 1 and 3 only:

    - bins, 10 yuan a household for half the cleaning: 490, -, 140 (category cleaning);
    - waste, 100 yuan a tonne of 1.5 kg a household-day: 100 x h x 0.5475 = 2,682.75,
      -, 766.50;
    - grid, 1,000 yuan a compound for all the management work.
    Where the street is off its lines are zero, it supplies nothing, and the lines are
    marked as not made there."""
    items = (
        StreetItem(name="bins", work="cleaning", share=0.5, pricing="per_household",
                   price_yuan=10.0, category="cleaning"),
        StreetItem(name="waste", work="garbage", pricing="per_unit_of_work", price_yuan=100.0),
        StreetItem(name="grid", work="management", pricing="per_compound", price_yuan=1000.0,
                   category="staff"),
    )
    plan = pf.default_plan().model_copy(update={"street_fallback": StreetFallback(items=items)})
    ctx = _ctx(plan, switches={"street_fallback": [1.0, 0.0, 1.0]})
    demand = {c: ctx.ledger.demand(c).copy() for c in ("cleaning", "garbage", "management")}
    street.apply(ctx, ctx.items.plan.street_fallback)
    want = {"bins": ([490.0, 0.0, 140.0], "cleaning", "cleaning"),
            "waste": ([2682.75, 0.0, 766.5], "other", "garbage"),
            "grid": ([1000.0, 0.0, 1000.0], "staff", "management")}
    for name, (cost, category, work) in want.items():
        spec = LineSpec(f"street_{name}", "street_fallback", category, "street_office",
                        "service", work)
        np.testing.assert_allclose(ctx.lines[spec], cost)
        assert ctx.line_rows[spec].tolist() == [True, False, True]
    on = np.array([1.0, 0.0, 1.0])
    np.testing.assert_allclose(ctx.ledger.supplied("street_fallback", "cleaning"),
                               0.5 * demand["cleaning"] * on)
    np.testing.assert_allclose(ctx.ledger.supplied("street_fallback", "garbage"),
                               demand["garbage"] * on)
    np.testing.assert_allclose(ctx.ledger.supplied("street_fallback", "management"),
                               demand["management"] * on)
    # All on: every line the street office's, on every row; all off: no line at all.
    ctx = _ctx(plan)
    street.apply(ctx, ctx.items.plan.street_fallback)
    assert {s.payer for s in ctx.lines} == {"street_office"}
    assert all(r.all() for r in ctx.line_rows.values())
    ctx = _ctx(plan, off=("street_fallback",))
    street.apply(ctx, ctx.items.plan.street_fallback)
    assert ctx.lines == {}
    assert ctx.ledger.supplied_micro() == {}


def test_devices_and_public_income_by_hand() -> None:
    """Green areas 324.5, 432.4, 124.8 m2 -> trees at 40 m2 a tree: 8.1125, 10.81, 3.12.
    A tree sensor per tree: capital 100 yuan a unit, 10 years at 4%: crf = 0.04 / (1 -
    1.04^-10) = 0.1232909; running 5 yuan a unit; each saves 2 h of greening a year.
    Devices are off in the second compound. Income: 20 yuan a tree-year, 50% occupied,
    10% own costs: 9 yuan a tree."""
    dev = Device(name="tree_sensor", basis="tree", units_per_basis=1.0,
                 capital_cost_yuan_per_unit=100.0, service_life_years=10.0,
                 running_cost_yuan_per_unit_year=5.0, work="greening",
                 work_per_unit_year=2.0, capital_funder="fund_pool")
    src = IncomeSource(name="fruit", basis="tree", units_per_basis=1.0,
                       price_yuan_per_unit_year=20.0, occupancy_rate=0.5, cost_share_rate=0.1)
    plan = pf.default_plan().model_copy(update={
        "smart_devices": SmartDevices(items=(dev,), discount_rate=0.04),
        "public_income": PublicIncome(items=(src,)), "gate_regime": "staffed_16h"})
    ctx = _ctx(plan, switches={"smart_devices": [1.0, 0.0, 1.0]})
    greening = ctx.ledger.demand("greening").copy()
    devices.apply(ctx, ctx.items.plan.smart_devices)
    public_income.apply(ctx, ctx.items.plan.public_income)
    units = np.array([8.1125, 0.0, 3.12])
    crf = 0.04 / (1 - 1.04 ** -10)
    assert crf == pytest.approx(0.1232909, abs=1e-7)
    np.testing.assert_allclose(ctx.details["device_capital:tree_sensor"], units * 100.0)
    np.testing.assert_allclose(ctx.details["device_life:tree_sensor"], 10.0)
    capital = LineSpec("device_tree_sensor_capital", "smart_devices", "depreciation",
                       "fund_pool", "capital", "greening")
    running = LineSpec("device_tree_sensor_running", "smart_devices", "upkeep", "fund_pool",
                       "running", "greening")
    np.testing.assert_allclose(ctx.lines[capital], units * 100.0 * crf)
    np.testing.assert_allclose(ctx.lines[running], units * 5.0)
    assert ctx.line_rows[capital].tolist() == [True, False, True]
    np.testing.assert_allclose(ctx.ledger.supplied("smart_devices", "greening"),
                               np.minimum(units * 2.0, greening), rtol=1e-6)
    assert "gate_remote_help" not in {s.code for s in ctx.lines}  # gates staffed
    trees = np.array([8.1125, 10.81, 3.12])
    np.testing.assert_allclose(ctx.details["income:fruit"], trees * 9.0)
    np.testing.assert_allclose(ctx.income_yuan, trees * 9.0)
    # Public income off in the first compound: none there.
    ctx = _ctx(plan, switches={"public_income": [0.0, 1.0, 1.0]})
    public_income.apply(ctx, ctx.items.plan.public_income)
    np.testing.assert_allclose(ctx.income_yuan, trees * 9.0 * [0.0, 1.0, 1.0])


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


def test_a_compound_with_the_contract_off_buys_at_market() -> None:
    """Each compound alone with standing posts for every kind of hour work; the contract
    is off in the second. There the market company buys the hours the contract would
    have staffed, on its own markup: depreciation 800 a head, overhead 5%, margin 8% and
    VAT 6% with 12% surcharges, k = 1.05 x 1.08 x 1.0672 = 1.2102048 on staff and
    depreciation; the others pay the contract's 10% margin and the crew fee."""
    plan = pf.named_plan("shared_staffed")
    plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "none"})})
    ctx = _ctx(plan, switches={"shared_property": [1.0, 0.0, 1.0]})
    before = {w: ctx.ledger.remaining(w).copy() for w in HOUR_CATEGORIES}
    shared_property.apply(ctx, ctx.items.plan.shared_property)
    market.apply(ctx)
    contract = sum(np.broadcast_to(v, (3,)) for s, v in ctx.lines.items()
                   if s.code.startswith("contract_staff_"))
    _, margin = _line(ctx, "contract_margin")
    np.testing.assert_allclose(margin, contract * 0.1, atol=0.011)
    assert contract[1] == 0.0
    _, fixed = _line(ctx, "contract_fixed_fee")
    assert fixed.tolist() == [24000.0, 0.0, 24000.0]
    staff = sum(_line(ctx, f"market_{w}")[1] for w in HOUR_CATEGORIES)
    heads = sum(ctx.details[f"market_heads:{r}"] for r in ("cleaning", "order", "patrol",
                                                            "greening", "management"))
    assert staff[0] == staff[2] == 0.0
    for w in HOUR_CATEGORIES:
        assert ctx.ledger.supplied("market", w)[1] == pytest.approx(before[w][1])
        assert ctx.ledger.supplied("shared_property", w)[1] == 0.0
    markup = sum(_line(ctx, code)[1] for code in (
        "market_depreciation", "market_overhead", "market_margin", "market_vat",
        "market_surcharges"))
    k = 1.05 * 1.08 * (1 + 0.06 * 1.12)
    assert markup[1] == pytest.approx(k * (staff[1] + 800.0 * heads[1]) - staff[1])
    assert markup[0] == markup[2] == 0.0


def test_job_costs_are_shared_by_the_bundle() -> None:
    """Per job, the shared company supplies every use left, at the contract's discount,
    and its call-outs are shared by the bundle's trips: a member of a bundle of n pays
    ceil(n / 3) / n of them (three members a trip)."""
    plan = pf.named_plan("xinghualing")
    table = validate_compounds(STREET.head(8))
    resolved = resolve_plan(plan, table)
    on = {ch: np.ones(8) for ch in CREDIT_CHANNELS}
    ctx = _start(table, resolved, pf.default_parameters(), on)
    left = {job.name: ctx.ledger.remaining(job.name).copy()
            for job in plan.shared_property.items}
    shared_property.apply(ctx, ctx.items.plan.shared_property)
    members = np.bincount(resolved.bundle_code)[resolved.bundle_code]
    assert sorted(set(members.tolist())) == [4]  # two zones of four: two trips a round
    share = np.ceil(members / 3) / members
    np.testing.assert_allclose(trip_share(members, 3.0), share)
    jobs = pf.default_parameters().jobs
    for job in plan.shared_property.items:
        terms = jobs[job.name]
        keep = 1 - job.discount_rate
        got = ctx.ledger.supplied("shared_property", job.name)
        np.testing.assert_allclose(got, left[job.name], rtol=1e-6, atol=1e-6)
        _, unit = _line(ctx, f"job_{job.name}")
        np.testing.assert_allclose(unit, got * terms.market_price_yuan_per_use * keep)
        callout = got / terms.uses_per_visit * terms.callout_yuan_per_visit * keep
        np.testing.assert_allclose(ctx.details[f"job_callout:{job.name}"], callout)
        spec, line = _line(ctx, f"job_{job.name}_callout")
        np.testing.assert_allclose(line, callout * 0.5)
        assert spec == LineSpec(f"job_{job.name}_callout", "shared_property", "upkeep",
                                "fund_pool", "per_use", job.name)
    # No standing posts: the hour work is left to the others.
    assert plan.shared_property.standing_work == ()
    for work in HOUR_CATEGORIES:
        assert ctx.ledger.supplied("shared_property", work).tolist() == [0.0] * 8


@pytest.mark.parametrize(("jobs", "standing"), [
    (False, ("management",)),          # no jobs: the jobs are left to the market
    (True, ("cleaning", "gate")),      # two kinds of posts, and the jobs
])
def test_the_contract_supplies_its_standing_work_and_its_jobs_only(jobs, standing) -> None:
    plan = pf.named_plan("shared_staffed")
    sp = plan.shared_property
    assert sp.items
    plan = plan.model_copy(update={"shared_property": sp.model_copy(update={
        "standing_work": standing, "items": sp.items if jobs else ()})})
    ctx = _ctx(plan)
    left = {c: ctx.ledger.remaining(c).copy() for c in category_names(ctx.params)}
    shared_property.apply(ctx, ctx.items.plan.shared_property)
    for category, before in left.items():
        supplied = ctx.ledger.supplied("shared_property", category)
        takes = category in standing or (jobs and category in {j.name for j in sp.items})
        np.testing.assert_allclose(supplied, before if takes else 0.0, atol=1e-6)
        np.testing.assert_allclose(ctx.ledger.remaining(category),
                                   0.0 if takes else before, atol=1e-6)
    made = {s.code for s in ctx.lines}
    assert {f"contract_staff_{w}" for w in standing} <= made
    assert not [c for c in made if c.startswith("contract_staff_")
                and c[len("contract_staff_"):] not in standing]
    assert bool([c for c in made if c.startswith("job_")]) == jobs


@pytest.mark.parametrize("overridden", ["all", "one"])
def test_job_discount_overridden_per_compound(overridden) -> None:
    # The contract's discount on a job, set per compound (every job, or only the first):
    # the job's cost at the contract is its market cost x (1 - discount) of its compound.
    street3 = STREET.head(3)
    plan = pf.default_plan()
    jobs = plan.shared_property.items
    named = jobs if overridden == "all" else jobs[:1]
    discounts = [0.1, 0.25, 0.5]
    overrides = pd.DataFrame({"compound_id": street3["compound_id"], **{
        f"shared_property.{job.name}.discount_rate": discounts for job in named}})
    table = validate_compounds(street3)
    on = {ch: np.ones(3) for ch in CREDIT_CHANNELS}
    ctx = _start(table, resolve_plan(plan, table, overrides), pf.default_parameters(), on)
    shared_property.apply(ctx, ctx.items.plan.shared_property)
    prices = pf.default_parameters().jobs
    for job in jobs:
        keep = (1 - np.array(discounts)) if job in named else np.full(3, 1 - job.discount_rate)
        got = ctx.ledger.supplied("shared_property", job.name)
        _, unit = _line(ctx, f"job_{job.name}")
        np.testing.assert_allclose(unit, got * prices[job.name].market_price_yuan_per_use * keep)


def test_item_rows_are_the_values_of_the_run() -> None:
    """PlanArrays.rows gives the plan's own column only where the values are the plan's
    own; a value set in the arrays (one value for every compound, as an override or a
    what-if might set it) is what the rows give, as value() does."""
    plan = pf.default_plan()
    table = validate_compounds(pf.Compound(compound_id="a", households=100,
                                           floor_area_m2=10000.0, build_year=1990))
    resolved = resolve_plan(plan, table)
    items = plan.smart_devices.items
    names = tuple(d.name for d in items)
    own = resolved.rows("smart_devices", names, "units_per_basis")
    assert own[:, 0].tolist() == [d.units_per_basis for d in items]
    values = dict(resolved.values)
    values[f"smart_devices.{names[0]}.units_per_basis"] = np.broadcast_to(99.0, (1,))
    other = PlanArrays(plan, values, resolved.bundle_code, resolved.bundle_ids,
                       resolved.bundle_fixed_fee_yuan)
    assert other.value("smart_devices", names[0], "units_per_basis").tolist() == [99.0]
    assert other.rows("smart_devices", names, "units_per_basis")[:, 0].tolist() == [
        99.0, *[d.units_per_basis for d in items[1:]]]
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
    items = plan.smart_devices.items
    names = tuple(d.name for d in items)
    path = f"smart_devices.{names[0]}.units_per_basis"
    resolved = resolve_plan(plan, table, pd.DataFrame({"compound_id": ["b"], path: [7.0]}))
    default = [d.units_per_basis for d in items]
    piece = resolved.take(slice(1, 3), slice(1, 3))  # compounds b and c, bundles 1 and 2
    rows = piece.rows("smart_devices", names, "units_per_basis")
    assert rows.shape == (len(names), 2)
    assert rows[:, 0].tolist() == [7.0, *default[1:]]
    assert rows[:, 1].tolist() == default
    untouched = piece.rows("smart_devices", names, "capital_cost_yuan_per_unit")
    # the plan's own column itself, as the whole table gets it: the piece kept the mark
    assert untouched is resolved.rows("smart_devices", names, "capital_cost_yuan_per_unit")
    assert untouched.shape == (len(names), 1)
    assert untouched[:, 0].tolist() == [d.capital_cost_yuan_per_unit for d in items]
    last = piece.take(slice(1, 2), slice(1, 2))  # compound c alone
    assert last.rows("smart_devices", names, "units_per_basis")[:, 0].tolist() == default
    assert last.value("smart_devices", names[0], "units_per_basis").tolist() == [default[0]]
    assert piece.value("smart_devices", names[0], "units_per_basis").tolist() == [
        7.0, default[0]]
    # The devices of a piece: compound b's 7 access-control units keep 7 x 8,760 h of its
    # one gate's 5,840 h (grade 4, 16 h): all of it.
    on = {ch: np.ones(2) for ch in CREDIT_CHANNELS}
    ctx = _start(table.take(slice(1, 3)), piece, pf.default_parameters(), on)
    devices.apply(ctx, ctx.items.plan.smart_devices)
    np.testing.assert_allclose(ctx.details[f"device_capital:{names[0]}"],
                               [7 * 30000.0, 30000.0])
    assert ctx.ledger.supplied("smart_devices", "gate").tolist() == [16 * DAYS_PER_YEAR] * 2


@pytest.mark.parametrize("multiplier", [-0.5, float("nan"), float("inf"), np.array([1.0, -1e-9])])
def test_a_negative_or_non_finite_volunteer_multiplier_is_refused(multiplier: object) -> None:
    """A multiplier below 0 would make volunteers add work; NaN would blank every line."""
    table = validate_compounds(STREET.head(2))
    with pytest.raises(pf.InputError, match="volunteer_multiplier"):
        budget_arrays(table, resolve_plan(pf.default_plan(), table), pf.default_parameters(),
                      volunteer_multiplier=multiplier)  # type: ignore[arg-type]


def test_a_zero_volunteer_multiplier_is_accepted() -> None:
    """Zero volunteers is a valid what-if: every task gets 0 volunteer hours (the
    informal hires of the default plan still supply their work)."""
    table = validate_compounds(STREET.head(2))
    out = budget_arrays(table, resolve_plan(pf.default_plan(), table), pf.default_parameters(),
                        volunteer_multiplier=0.0)
    hours = {k: v.tolist() for k, v in out.details.items() if k.startswith("volunteer_hours:")}
    assert len(hours) == 7
    assert all(v == [0.0, 0.0] for v in hours.values())
    assert out.ledger.supplied("self_governance", "stairwell_lighting_repair").tolist() == [0, 0]
