"""Every discrete step of the model, at the step and just past it.

Crews per households and per compounds, guards per gate regime, headcount steps of
each post size, the age caps of upkeep and of per-use jobs (and build years after the
evaluation date), the social-insurance floor, call-out sharing, the volunteer cap, and
the half-fen viability threshold of the bundling optimiser; fen arithmetic at its
edges (types, empty and zero splits, signs, whole error messages).
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.bundling.optimise import BundlingProblem, objective_values
from propfee.channels import PerUseJob, SelfGovernance, SharedProperty, VolunteerTask
from propfee.channels.contract import contract_costs, market_margin_rate
from propfee.money import GroupLayout, allocate_fen, allocate_fen_grouped, fen_to_yuan, yuan_to_fen
from propfee.staffing import ROLES, annual_staff_cost_yuan, role_demand_fte

from .conftest import BARE, POST_YUAN


def _lines(result: pf.BudgetResult) -> dict[str, float]:
    return {line.line: line.amount_yuan for line in result.lines}


def _compound(**changes: Any) -> pf.Compound:
    base: dict[str, Any] = {
        "compound_id": "k", "households": 100, "floor_area_m2": 10000.0, "build_year": 1990,
        "green_area_m2": 0.0, "gates": 0,
    }
    return pf.Compound(**{**base, **changes})


def _contract(households: list[float], members: list[int], *, fixed: float = 1000.0,
              shared: SharedProperty | None = None, management_fte: float = 0.1,
              market: bool = False) -> Any:
    """Bundles ``k`` of ``members[k]`` compounds sharing ``households[k]`` equally."""
    bundle = np.repeat(np.arange(len(members)), members)
    hh = np.concatenate([np.full(m, h / m) for h, m in zip(households, members, strict=True)])
    n = len(hh)
    fte = {r: np.zeros(n) for r in ROLES}
    fte["management"] = np.full(n, management_fte)
    return contract_costs(
        bundle, np.arange(n), len(members), standing_fte=fte, households=hh,
        x_m=np.zeros(n), y_m=np.zeros(n), fixed_fee_yuan=fixed,
        shared=shared or SharedProperty(contract_margin_rate=0.0),
        params=pf.default_parameters(), market=market,
    )


def test_crews_per_households_at_and_past_each_step() -> None:
    # 1,500 households a crew: ceil(h / 1,500) crews, each paying the 1,000 fee.
    c = _contract([1.0, 1499.0, 1500.0, 1501.0, 3000.0, 3001.0], [1] * 6)
    assert c.crews.tolist() == [1.0, 1.0, 1.0, 2.0, 2.0, 3.0]
    assert c.fixed_yuan.tolist() == [1000.0, 1000.0, 1000.0, 2000.0, 2000.0, 3000.0]


def test_crews_per_compounds_at_and_past_each_step() -> None:
    # 4 compounds a crew: ceil(members / 4) crews (10 households in all: one crew of
    # households).
    c = _contract([10.0] * 5, [1, 4, 5, 8, 9])
    assert c.crews.tolist() == [1.0, 1.0, 2.0, 2.0, 3.0]
    assert c.members.tolist() == [1.0, 4.0, 5.0, 8.0, 9.0]
    assert c.households.tolist() == pytest.approx([10.0] * 5)


def test_crews_take_the_larger_of_households_and_compounds() -> None:
    # 3,001 households in 2 compounds: 3 crews by households; 2,000 in 9: 3 by compounds.
    c = _contract([3001.0, 2000.0, 2000.0], [2, 9, 2])
    assert c.crews.tolist() == [3.0, 3.0, 2.0]


def test_no_standing_staff_no_crew_and_no_fee() -> None:
    c = _contract([1600.0, 1600.0], [1, 2], management_fte=0.0)
    assert c.crews.tolist() == [0.0, 0.0]
    assert c.fixed_yuan.tolist() == [0.0, 0.0]
    assert c.total_yuan.tolist() == [0.0, 0.0]


@pytest.mark.parametrize(("fte", "posts", "staff"), [
    # Management posts of 0.5: 0.5 -> 0.5 (x 57,420 = 28,710); 0.5001 -> 1.0 (57,420);
    # 1.0 -> 1.0; 1.0001 -> 1.5 (86,130).
    (0.5, 0.5, 28710.0), (0.5001, 1.0, 57420.0), (1.0, 1.0, 57420.0), (1.0001, 1.5, 86130.0),
])
def test_contract_posts_at_and_past_a_headcount_step(fte, posts, staff) -> None:
    c = _contract([10.0], [1], management_fte=fte)
    assert c.headcount_fte_by_role["management"].tolist() == [posts]
    assert c.staff_by_role_yuan["management"].tolist() == pytest.approx([staff])


@pytest.mark.parametrize(("members", "per_contract", "per_crew"), [
    # 0.3 FTE of management each. Per contract: 5 x 0.3 = 1.5 -> 1.5 posts.
    # Per crew: 5 members need ceil(5 / 4) = 2 crews; 1.5 / 2 = 0.75 -> 1.0 a crew:
    # 2.0 posts. 4 members: one crew, 1.2 -> 1.5 either way.
    (5, 1.5, 2.0), (4, 1.5, 1.5),
])
def test_posts_pooled_per_crew_at_the_crew_step(members, per_contract, per_crew) -> None:
    heads = []
    for pooled in ("contract", "crew"):
        shared = SharedProperty(contract_margin_rate=0.0, posts_pooled_per=pooled)
        c = _contract([10.0 * members], [members], shared=shared, management_fte=0.3)
        heads.append(c.headcount_fte_by_role["management"][0])
    assert heads == [per_contract, per_crew]


def test_contract_margin_travel_and_market_terms() -> None:
    # Margin 10% of staff; travel 2.0 x (members - 1) x spread; a market company
    # charges the market's margin (8% profit, 6% VAT with 12% surcharges: 15.2576%)
    # and no travel, and shares no call-outs.
    params = pf.default_parameters()
    bundle, member = np.array([0, 0, 1]), np.array([0, 1, 2])
    fte = {r: np.zeros(3) for r in ROLES}
    fte["management"] = np.array([0.25, 0.25, 0.5])
    kw: dict[str, Any] = {
        "standing_fte": fte, "households": np.array([100.0, 100.0, 100.0]),
        "x_m": np.array([0.0, 300.0, 0.0]), "y_m": np.array([0.0, 400.0, 0.0]),
        "fixed_fee_yuan": 0.0, "params": params,
        "callout_yuan": np.array([90.0, 90.0, 90.0]),
        "jobs_yuan": np.array([10.0, 20.0, 30.0]),
        "shared": SharedProperty(contract_margin_rate=0.1, travel_yuan_per_m_year=2.0,
                                 compounds_per_visit=3.0),
    }
    c = contract_costs(bundle, member, 2, **kw)
    # Bundle 0: 0.5 FTE -> 28,710; margin 2,871; travel 2 x 1 x 500 = 1,000; jobs 30;
    # call-outs 180 / min(2, 3) = 90. Bundle 1 alone: 28,710 + 2,871 + 0 + 30 + 90.
    assert c.staff_yuan.tolist() == [28710.0, 28710.0]
    assert c.margin_yuan.tolist() == pytest.approx([2871.0, 2871.0])
    assert c.spread_m.tolist() == [500.0, 0.0]
    assert c.travel_yuan.tolist() == [1000.0, 0.0]
    assert c.jobs_yuan.tolist() == [30.0, 30.0]
    assert c.callout_yuan.tolist() == [90.0, 90.0]
    assert c.total_yuan.tolist() == pytest.approx([32701.0, 31701.0])
    rate = 1.08 * (1 + 0.06 * 1.12) - 1
    assert market_margin_rate(params) == pytest.approx(rate)
    assert rate == pytest.approx(0.152576)
    m = contract_costs(bundle, member, 2, **kw, market=True)
    assert m.margin_yuan.tolist() == pytest.approx([28710.0 * rate] * 2)
    assert m.travel_yuan.tolist() == [0.0, 0.0]
    assert m.callout_yuan.tolist() == [180.0, 90.0]
    # The commission model charges the commission instead of the profit.
    comm = params.replace({"pricing.model": "commission", "pricing.commission_rate": 0.1})
    assert market_margin_rate(comm) == pytest.approx(1.1 * 1.0672 - 1)


@pytest.mark.parametrize(("regime", "per_gate"), [
    ("staffed_24h", 3.0), ("staffed_16h", 2.0), ("live_in", 0.0), ("device_only", 0.0),
])
def test_guards_per_gate_regime(params, regime, per_gate) -> None:
    # 24 h x 365 / 2,920 h = 3 guards a gate; 16 h x 365 / 2,920 = 2; none otherwise.
    got = role_demand_fte("order", params.grades.g3, params, households=[1, 1, 1],
                          floor_area_m2=[1, 1, 1], green_area_m2=[0, 0, 0], gates=[0, 1, 2],
                          gate_regime=regime)
    assert got.tolist() == [0.0, per_gate, 2 * per_gate]


@pytest.mark.parametrize(("floor", "cleaning"), [
    # Cleaning posts of 0.5 at 13,000 m2 a cleaner: 6,500 m2 = 0.5 -> 0.5 post
    # (19,260); 6,501 m2 -> 1.0 (38,520); 13,000 -> 1.0; 13,001 -> 1.5 (57,780).
    (6500.0, 19260.0), (6501.0, 38520.0), (13000.0, 38520.0), (13001.0, 57780.0),
])
def test_cleaning_posts_at_and_past_a_step_in_the_budget(floor, cleaning) -> None:
    lines = _lines(pf.evaluate(_compound(floor_area_m2=floor), BARE))
    assert lines["contract_staff_cleaning"] == cleaning


@pytest.mark.parametrize(("households", "management"), [
    # 650 households a manager, posts of 0.5: 325 -> 0.5 (28,710); 326 -> 1.0 (57,420).
    (325, 28710.0), (326, 57420.0), (650, 57420.0), (651, 86130.0),
])
def test_management_posts_at_and_past_a_step_in_the_budget(households, management) -> None:
    lines = _lines(pf.evaluate(_compound(households=households), BARE))
    assert lines["contract_staff_management"] == management


@pytest.mark.parametrize(("patrol_h_week", "guards"), [
    # Whole guards (step 1.0): a 24 h gate needs 3. Patrol hours x 52 / 2,920 taken off:
    # 56.153846 h a week = 2,920 h = 1 guard -> 2 left; a little more -> 1.99 -> 2 guards;
    # 112.307692 h a week = 2 guards -> 1 left.
    (2920.0 / 52, 2.0), (2921.0 / 52, 2.0), (5840.0 / 52, 1.0), (5841.0 / 52, 1.0),
    (0.0, 3.0),
])
def test_guards_rounded_to_whole_posts(patrol_h_week, guards) -> None:
    sg = SelfGovernance(tasks=(VolunteerTask(name="patrol", role="order", share=1.0),),
                        party_active_rate=1.0, party_hours_per_week=patrol_h_week,
                        resident_active_rate=0.0)
    plan = BARE.model_copy(update={"self_governance": sg})
    lines = _lines(pf.evaluate(_compound(gates=1, party_members=1), plan))
    assert lines["contract_staff_order"] == pytest.approx(guards * POST_YUAN["order"])


@pytest.mark.parametrize(("hours_week", "left", "in_kind"), [
    # Cleaning demand 13,000 / 13,000 = 1.0 FTE = 2,000 h. Volunteers giving exactly
    # 2,000 h a year take it all (nothing left to staff); in kind 2,000 x 19.8 = 39,600.
    # 2,100 h: capped at the 2,000 h needed (still 39,600). 1,900 h: 0.05 FTE left ->
    # a 0.5 post (19,260); in kind 1,900 x 19.8 = 37,620.
    (2000.0 / 52, 0.0, 39600.0), (2100.0 / 52, 0.0, 39600.0), (1900.0 / 52, 19260.0, 37620.0),
])
def test_volunteer_cap_at_the_demand(hours_week, left, in_kind) -> None:
    sg = SelfGovernance(tasks=(VolunteerTask(name="sweeping", role="cleaning", share=1.0),),
                        party_active_rate=1.0, party_hours_per_week=hours_week,
                        resident_active_rate=0.0)
    plan = BARE.model_copy(update={"self_governance": sg})
    lines = _lines(pf.evaluate(_compound(floor_area_m2=13000.0, party_members=1), plan))
    assert lines["contract_staff_cleaning"] == pytest.approx(left)
    assert lines["volunteer_sweeping_time"] == pytest.approx(in_kind)


@pytest.mark.parametrize(("build_year", "factor"), [
    # Upkeep 1.2 yuan/m2 x 10,000 m2 x min(1 + 0.03 x age, 2.5), evaluated in 2024:
    (1975, 2.47),  # age 49
    (1974, 2.5),   # age 50: exactly at the cap
    (1973, 2.5),   # age 51: 2.53 capped
    (2023, 1.03),  # age 1
    (2024, 1.0),   # age 0
    (2030, 1.0),   # built after the evaluation date: age max(2024 - 2030, 0) = 0
])
def test_upkeep_age_cap_and_future_build_years(build_year, factor) -> None:
    r = pf.evaluate(_compound(build_year=build_year), BARE)
    assert _lines(r)["upkeep"] == pytest.approx(12000.0 * factor, abs=0.005)
    base = pf.market_baseline(_compound(build_year=build_year), grade=3)
    assert {x.code: x.amount_yuan for x in base.lines}["upkeep"] == pytest.approx(
        12000.0 * factor, abs=0.005)


@pytest.mark.parametrize(("build_year", "uses"), [
    # 2 buildings x 1 use x min(1 + 0.05 x age, 2.0): age 20 -> 2.0 (at the cap),
    # age 19 -> 1.95, age 21 -> 2.05 capped to 2.0; built after 2024 -> 1.0 (age 0).
    (2004, 4.0), (2005, 3.9), (2003, 4.0), (2030, 2.0),
])
def test_job_age_cap_and_future_build_years(build_year, uses) -> None:
    job = PerUseJob(name="pipe_dredging", basis="building", uses_per_basis_year=1.0,
                    age_growth_per_year=0.05, age_factor_cap=2.0, market_price_yuan_per_use=100.0,
                    discount_rate=0.0)
    plan = BARE.model_copy(update={"shared_property": BARE.shared_property.model_copy(
        update={"jobs": (job,)})})
    lines = _lines(pf.evaluate(_compound(build_year=build_year, buildings=2), plan))
    assert lines["job_pipe_dredging"] == pytest.approx(100.0 * uses)


@pytest.mark.parametrize(("wage", "per_head"), [
    # Social insurance 30% of max(wage, 3,700) x 12; pay x 12 x 1.05 welfare:
    # 3,700: 44,400 x 1.05 + 13,320 = 59,940; 3,701: 44,412 x 1.05 + 0.3 x 44,412
    # = 46,632.60 + 13,323.60 = 59,956.20; 3,699: 46,607.40 + 13,320 (the floor) = 59,927.40.
    (3700.0, 59940.0), (3701.0, 59956.2), (3699.0, 59927.4),
])
def test_social_insurance_floor_at_and_past_it(wage, per_head) -> None:
    p = pf.default_parameters().replace({"staffing.management.monthly_wage_yuan": wage})
    assert annual_staff_cost_yuan("management", 1.0, p, "formal")[0] == pytest.approx(per_head)


def test_viability_threshold_is_half_a_fen() -> None:
    # "viable": -members x [deficit < 0.005] + tie_break x deficit / 10,000.
    deficits = np.array([0.0, 0.0049, 0.005, 0.0051, 1.0])
    game = SimpleNamespace(costs=lambda cand: np.full(len(cand), 7.0),
                           deficits=lambda cand, contract: deficits)
    candidates = np.array([[0, 1], [0, 1], [0, 1], [0, -1], [0, 1]])
    problem = BundlingProblem(objective="viable", tie_break=0.001)
    obj, contract, deficit = objective_values(game, candidates, problem)  # type: ignore[arg-type]
    tie = 0.001 * deficits / 10000.0
    assert obj.tolist() == pytest.approx((np.array([-2, -2, 0, 0, 0]) + tie).tolist(),
                                         abs=1e-15)
    assert contract.tolist() == [7.0] * 5
    assert deficit.tolist() == deficits.tolist()


def test_call_outs_shared_at_and_past_compounds_per_visit() -> None:
    # One visit serves up to 2 compounds: a job's call-outs of 100 x (1 - 0.5) = 50
    # shared by min(members, 2): 1 member -> 50, 2 -> 25, 3 -> 25.
    job = PerUseJob(name="pest_control", basis="compound", uses_per_basis_year=1.0,
                    market_price_yuan_per_use=0.0, discount_rate=0.5,
                    callout_yuan_per_visit=100.0)
    df = pd.DataFrame({"compound_id": list("abcdef"), "households": [10] * 6,
                       "floor_area_m2": [1000.0] * 6, "build_year": [1990] * 6,
                       "zone": ["1", "2", "2", "3", "3", "3"]})
    plan = pf.Plan(shared_property=SharedProperty(bundle_by="zone", jobs=(job,),
                                                  compounds_per_visit=2.0))
    lines = pf.evaluate_district(df, plan, contributions=False).lines
    got = lines[lines["line"] == "job_pest_control_callout"]["amount_yuan"].tolist()
    assert got == [50.0, 25.0, 25.0, 25.0, 25.0, 25.0]


# --- fen arithmetic at its edges -----------------------------------------------------


def _exact(message: str) -> str:
    return f"^{re.escape(message)}$"


@pytest.mark.parametrize(
    ("total", "weights", "keys", "message"),
    [
        (100, [1, 1], ["a"], "weights and keys must be one-dimensional and of equal length"),
        (100, [1, 1], ["a", "a"], "keys must be unique to break ties deterministically"),
        (1, [], [], "cannot split a non-zero amount among no parties"),
        (-1, [], [], "cannot split a non-zero amount among no parties"),
        (1, [0, 0], ["a", "b"], "all weights are zero: the amount cannot be split"),
    ],
)
def test_allocate_fen_messages_in_full(total, weights, keys, message) -> None:
    with pytest.raises(ValueError, match=_exact(message)):
        allocate_fen(total, weights, keys)


def test_yuan_to_fen_message_in_full() -> None:
    with pytest.raises(ValueError,
                       match=_exact("cannot round a NaN or infinite amount to the fen")):
        yuan_to_fen([1.0, np.inf])


def test_empty_and_zero_splits_are_whole_fen() -> None:
    empty = allocate_fen(0, [], [])
    assert empty.dtype == np.int64
    assert empty.shape == (0,)
    zeros = allocate_fen(0, [0, 0, 0], ["a", "b", "c"])
    assert zeros.dtype == np.int64
    assert zeros.tolist() == [0, 0, 0]
    # 0 fen by positive weights: nothing to anyone, never -0 or a float.
    none = allocate_fen(0, [1, 2], ["a", "b"])
    assert none.dtype == np.int64
    assert none.tolist() == [0, 0]


def test_types_and_shapes_of_the_conversions() -> None:
    fen = yuan_to_fen(np.array([[1.005, -2.675], [0.0, 3.0]]))
    # Half away from zero, in the input's shape: 100.5 -> 101, -267.5 -> -268.
    assert fen.dtype == np.int64
    assert fen.tolist() == [[101, -268], [0, 300]]
    assert yuan_to_fen(2.5).shape == ()
    assert int(yuan_to_fen(2.5)) == 250
    assert yuan_to_fen([0.004, 0.005, -0.005]).tolist() == [0, 1, -1]
    y = fen_to_yuan(np.array([1, 250, -3], dtype=np.int32))
    assert y.dtype == np.float64
    assert y.tolist() == [0.01, 2.5, -0.03]
    # Whole-fen floats are read as fen, not truncated as something else.
    assert fen_to_yuan([199.0]).tolist() == [1.99]


def test_allocate_returns_int64_for_integer_weights() -> None:
    # 7 fen by 1 : 1 : 1 (integer weights): 3, 2, 2 (the leftover fen to "a").
    got = allocate_fen(7, np.array([1, 1, 1], dtype=np.int64), ["a", "b", "c"])
    assert got.dtype == np.int64
    assert got.tolist() == [3, 2, 2]


def test_grouped_split_uses_the_keys_to_break_ties() -> None:
    # Two groups of 3 equal weights, 100 fen each: the leftover fen to the smallest key
    # of each group, wherever it stands.
    got = allocate_fen_grouped([100, 100], [0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1],
                               ["c", "a", "b", "f", "e", "d"])
    assert got.tolist() == [33, 34, 33, 33, 33, 34]


@pytest.mark.parametrize("size", [3, 9])  # narrow groups compare neighbours; wide ones sort
def test_group_layout_negative_and_mixed_totals(size: int) -> None:
    keys = [f"k{i:02d}" for i in range(2 * size)]
    layout = GroupLayout(np.repeat([0, 1], size), keys, 2)
    w = np.ones(2 * size)
    got = layout.allocate(np.array([[-100, 100], [0, 7]]), np.stack([w, w]))
    assert got.dtype == np.int64
    q, r = divmod(100, size)
    first = [-(q + 1)] * r + [-q] * (size - r)
    second = [q + 1] * r + [q] * (size - r)
    q7, r7 = divmod(7, size)
    assert got[0].tolist() == first + second
    assert got[1].tolist() == [0] * size + [q7 + 1] * r7 + [q7] * (size - r7)
    assert layout.allocate(np.array([5, -5]), w).tolist() == (
        [1] * 5 + [0] * (size - 5) + [-1] * 5 + [0] * (size - 5)
        if size > 5 else [2, 2, 1, -2, -2, -1])


def test_group_layout_refuses_a_total_without_weights() -> None:
    layout = GroupLayout([0, 0, 1], ["a", "b", "c"], 2)
    with pytest.raises(ValueError, match=_exact(
            "groups [1] have a non-zero total but all-zero weights")):
        layout.allocate([10, 5], [1.0, 1.0, 0.0])
    with pytest.raises(ValueError, match=_exact("weights must be finite and non-negative")):
        layout.allocate([10, 5], [1.0, -1.0, 1.0])


# --- contract and device terms at their edges ------------------------------------------


def test_every_basis_counted_by_hand() -> None:
    # 96 households, 7,200 m2, 4 stairwell units of 6 storeys, 800 m2 green, 3 gates,
    # 5 buildings, 12 parking spaces, 2 lifts; 40 m2 a tree, 12 m of pipe a unit-storey,
    # 0.15 m2 of road a m2 of floor.
    from propfee.channels.common import BASES, basis_quantity

    t = pf.validate_compounds(pf.Compound(
        compound_id="a", households=96, floor_area_m2=7200.0, build_year=1990,
        stairwell_units=4, storeys=6, green_area_m2=800.0, gates=3, buildings=5,
        parking_spaces=12, lifts=2))
    p = pf.default_parameters()
    want = {
        "compound": 1.0, "household": 96.0, "gate": 3.0, "building": 5.0,
        "stairwell_unit": 4.0, "parking_space": 12.0, "lift": 2.0,
        "floor_10000_m2": 0.72,          # 7,200 / 10,000
        "green_m2": 800.0, "tree": 20.0,  # 800 / 40
        "pipe_m": 288.0,                  # 4 x 6 x 12
        "roof_m2": 1200.0,                # 7,200 / 6
        "road_m2": 1080.0,                # 7,200 x 0.15
    }
    got = {b: basis_quantity(t, b, p) for b in want}  # type: ignore[arg-type]
    assert {b: float(v[0]) for b, v in got.items()} == pytest.approx(want)
    assert all(v.dtype == np.float64 for v in got.values())
    assert set(BASES) <= set(want)
    with pytest.raises(ValueError, match=_exact("unknown basis 'parsec'")):
        basis_quantity(t, "parsec", p)  # type: ignore[arg-type]


def test_capital_recovery_without_discounting_is_one_over_the_life() -> None:
    from propfee.channels.devices import capital_recovery_factor

    # r = 0: 1 / n (8 years: 0.125; 5 years: 0.2), no 0 / 0 warning; r = 5%, 6 years:
    # 0.05 x 1.05^6 / (1.05^6 - 1) = 0.19702.
    got = capital_recovery_factor(np.array([0.0, 0.0, 0.05]), np.array([8.0, 5.0, 6.0]))
    assert got.tolist() == pytest.approx([0.125, 0.2, 0.05 * 1.05**6 / (1.05**6 - 1)])
    assert capital_recovery_factor(0, 4).tolist() == [0.25]


def test_spread_of_members_without_a_location_is_zero() -> None:
    from propfee.channels.contract import spread_m

    nan = np.nan
    got = spread_m(np.array([0, 0, 1, 1, 2]), np.array([nan, nan, 0.0, nan, 3.0]),
                   np.array([nan, nan, 0.0, nan, 4.0]), 4)
    # Bundle 0: no located member; bundle 1: one located member; bundle 2: one member;
    # bundle 3: empty.
    assert got.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_any_standing_role_makes_a_crew() -> None:
    # Only cleaning demand (the first role): still one crew and its fee.
    params = pf.default_parameters()
    fte = {r: np.zeros(2) for r in ROLES}
    fte["cleaning"] = np.array([0.2, 0.0])
    c = contract_costs(np.array([0, 1]), np.array([0, 1]), 2, standing_fte=fte,
                       households=np.array([10.0, 10.0]), x_m=np.zeros(2), y_m=np.zeros(2),
                       fixed_fee_yuan=1000.0, shared=SharedProperty(), params=params)
    assert c.crews.tolist() == [1.0, 0.0]
    assert c.fixed_yuan.tolist() == [1000.0, 0.0]
    # 0.2 -> 0.5 post x 38,520 = 19,260; margin 10% = 1,926.
    assert c.staff_yuan.tolist() == [19260.0, 0.0]
    assert c.total_yuan.tolist() == pytest.approx([19260.0 + 1926.0 + 1000.0, 0.0])


def test_an_empty_bundle_costs_nothing_when_posts_are_per_crew() -> None:
    params = pf.default_parameters()
    fte = {r: np.zeros(1) for r in ROLES}
    fte["management"] = np.array([0.3])
    c = contract_costs(np.array([1]), np.array([0]), 2, standing_fte=fte,
                       households=np.array([10.0]), x_m=np.zeros(1), y_m=np.zeros(1),
                       fixed_fee_yuan=500.0,
                       shared=SharedProperty(posts_pooled_per="crew", contract_margin_rate=0.0),
                       params=params)
    assert c.crews.tolist() == [0.0, 1.0]
    assert c.headcount_fte_by_role["management"].tolist() == [0.0, 0.5]
    assert c.total_yuan.tolist() == [0.0, 28710.0 + 500.0]


def test_the_market_hiring_mode_prices_the_contract_staff() -> None:
    # Informal market hiring pays the 0.3 FTE of management worked, no post, no on-costs:
    # 0.3 x 3,500 x 12 = 12,600 (formal: a 0.5 post, 0.5 x 57,420 = 28,710).
    params = pf.default_parameters().replace({"labour.market_hiring": "informal"})
    c = _contract([10.0], [1], management_fte=0.3)
    assert c.staff_yuan.tolist() == [28710.0]
    fte = {r: np.zeros(1) for r in ROLES}
    fte["management"] = np.array([0.3])
    informal = contract_costs(np.array([0]), np.array([0]), 1, standing_fte=fte,
                              households=np.array([10.0]), x_m=np.zeros(1), y_m=np.zeros(1),
                              fixed_fee_yuan=0.0, shared=SharedProperty(contract_margin_rate=0.0),
                              params=params)
    assert informal.staff_yuan.tolist() == pytest.approx([12600.0])
