"""Bundling: contract cost by hand, fair shares, the core split, the optimiser."""

from __future__ import annotations

import dataclasses
import functools
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import propfee as pf
from propfee.bundling.allocation import (
    coalition_costs,
    least_core,
    shapley_exact,
    split_bundle,
)
from propfee.bundling.game import BundleGame
from propfee.bundling.optimise import (
    BundlingProblem,
    enumerate_candidates,
    objective_values,
    optimise_bundles,
)
from propfee.channels import JobTerms, SharedProperty
from propfee.errors import InputError
from propfee.money import yuan_to_fen
from propfee.staffing import ROLES
from propfee.work.categories import ROLE_OF

from .conftest import districts, record_time_limits, street_start
from .test_budget import HAND, _free_jobs


def hand_game() -> BundleGame:
    """Three compounds; the contract's only standing work is management.

    a (0, 0), b (300, 400), c (0, 100); management 400, 400 and 600 h (0.2, 0.2, 0.3 of a
    2,000 h post); per-use jobs 1,000, 0, 500 yuan; call-outs 300, 0, 700 yuan before
    sharing (a trip serves up to 3 members); 100 households each; fixed fee 10,000 per
    crew of up to 1,000 households; margin 10%; travel 2 yuan per m of spread per extra
    member. A half post of management (formal, default Taiyuan 2024): 0.5 x (3,500 x 12
    x 1.05 + 0.30 x 3,700 x 12) = 0.5 x (44,100 + 13,320) = 28,710; with the margin 31,581.
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


# c(S) by hand: staff (half posts) x 1.1 margin + 10,000 fixed + travel + jobs
# + call-outs x ceil(|S| / 3) / |S| (one trip a round for up to three members):
#   a:   31,581 + 10,000 + 0 + 1,000 + 300                          = 42,881
#   b:   31,581 + 10,000 + 0 + 0 + 0                                = 41,581
#   c:   31,581 + 10,000 + 0 + 500 + 700                            = 42,781
#   ab:  0.4 FTE -> 0.5: 31,581 + 10,000 + 2 x 1 x 500 + 1,000 + 300 / 2     = 43,731
#   ac:  0.5 FTE: 31,581 + 10,000 + 2 x 1 x 100 + 1,500 + 1,000 / 2          = 43,781
#   bc:  0.5 FTE: 31,581 + 10,000 + 2 x 1 x 424.264 + 500 + 700 / 2          = 43,279.528
#   abc: 0.7 FTE -> 1.0: 57,420 x 1.1 = 63,162 + 10,000 + 2 x 2 x 500 + 1,500
#        + 1,000 / 3                                                        = 76,995.333
HAND_COSTS = {
    ("a",): 42881.0, ("b",): 41581.0, ("c",): 42781.0, ("a", "b"): 43731.0,
    ("a", "c"): 43781.0, ("b", "c"): 31581.0 + 10000.0 + 2 * np.hypot(300, 300) + 850.0,
    ("a", "b", "c"): 63162.0 + 10000.0 + 2000.0 + 1500.0 + 1000.0 / 3,
}


@pytest.mark.parametrize(("members", "cost"), HAND_COSTS.items())
def test_bundle_cost_by_hand(members, cost) -> None:
    assert hand_game().cost(list(members)) == pytest.approx(cost, rel=1e-12)


def test_bundle_cost_components_by_hand() -> None:
    # abc: management 0.7 FTE -> 1.0 FTE (half posts); 1 crew; spread 500 m;
    # call-outs (300 + 0 + 700) x ceil(3 / 3) / 3 = 333.33.
    k = hand_game().components([[0, 1, 2]])
    assert k.headcount_fte_by_role["management"].tolist() == [1.0]
    assert k.staff_yuan.tolist() == [pytest.approx(57420.0)]
    assert k.margin_yuan.tolist() == [pytest.approx(5742.0)]
    assert k.crews.tolist() == [1.0]
    assert k.spread_m.tolist() == [500.0]
    assert k.travel_yuan.tolist() == [pytest.approx(2000.0)]
    assert k.jobs_yuan.tolist() == [1500.0]
    assert k.callout_yuan.tolist() == [pytest.approx(1000.0 / 3)]


def test_per_use_contract_shares_call_outs_only() -> None:
    # Without standing roles the contract is per-use jobs only: no posts, crew fee, margin
    # or travel; call-outs are shared: a + b + c = 1,500 jobs + 1,000 / 3 call-outs.
    g = hand_game()
    g = dataclasses.replace(g, standing_hours=dict.fromkeys(ROLES, np.zeros(3)),
                            shared=g.shared.model_copy(update={"standing_work": ()}))
    assert g.cost(["a", "b", "c"]) == pytest.approx(1500.0 + 1000.0 / 3)
    assert g.cost(["a", "c"]) == pytest.approx(1500.0 + 1000.0 / 2)
    assert g.cost(["a"]) == pytest.approx(1300.0)


@pytest.mark.parametrize(("posts_pooled_per", "cost_ab", "cost_abc"), [
    # One crew per compound (compounds_per_crew = 1): ab needs 2 crews, abc 3.
    # Pooled over the contract: ab 0.4 FTE -> one half post, abc 0.7 -> two half posts.
    #   ab:  31,581 + 2 x 10,000 + 1,000 travel + 1,000 jobs + 150 call-outs    = 53,731
    #   abc: 63,162 + 3 x 10,000 + 2,000 travel + 1,500 jobs + 333.33          = 96,995.33
    ("contract", 53731.0, 96995.0 + 1.0 / 3),
    # Per crew: ab 0.2 FTE a crew -> a half post each = 1.0 FTE = 57,420 x 1.1 = 63,162;
    # abc 0.7 / 3 = 0.233 FTE a crew -> a half post each = 1.5 FTE = 86,130 x 1.1 = 94,743.
    #   ab:  63,162 + 20,000 + 1,000 + 1,000 + 150                              = 85,312
    #   abc: 94,743 + 30,000 + 2,000 + 1,500 + 333.33                           = 128,576.33
    ("crew", 85312.0, 128576.0 + 1.0 / 3),
])
def test_posts_pooled_per_contract_or_per_crew(posts_pooled_per, cost_ab, cost_abc) -> None:
    g = hand_game()
    shared = g.shared.model_copy(update={"compounds_per_crew": 1.0,
                                         "posts_pooled_per": posts_pooled_per})
    g = dataclasses.replace(g, shared=shared)
    assert g.cost(["a", "b"]) == pytest.approx(cost_ab)
    assert g.cost(["a", "b", "c"]) == pytest.approx(cost_abc)
    assert g.cost(["a"]) == pytest.approx(HAND_COSTS[("a",)])  # one crew: no difference


def _four() -> BundleGame:
    """The hand game and d at (0, 200): management 200 h, jobs 200, call-outs 400."""
    g = hand_game()
    standing = {r: np.append(v, 200.0 if r == "management" else 0.0)
                for r, v in g.standing_hours.items()}
    return dataclasses.replace(
        g, ids=np.array(["a", "b", "c", "d"]), standing_hours=standing,
        households=np.full(4, 100.0), floor_area_m2=np.append(g.floor_area_m2, 5000.0),
        x_m=np.append(g.x_m, 0.0), y_m=np.append(g.y_m, 200.0),
        jobs_yuan=np.append(g.jobs_yuan, 200.0), callout_yuan=np.append(g.callout_yuan, 400.0),
        jobs_at_market_yuan=np.ones(4), other_cash_yuan=np.zeros(4), income_yuan=np.zeros(4))


@pytest.mark.parametrize(("members_per_trip", "trips", "callout"), [
    # Four members, three a trip: ceil(4 / 3) = 2 trips a round, each member pays 2 / 4
    # of its call-outs: (300 + 0 + 700 + 400) x 0.5 = 700.
    (3.0, 2, 700.0),
    (4.0, 1, 350.0),     # one trip serves all four: a quarter
    (1.0, 4, 1400.0),    # a trip a member: nothing shared
])
def test_bundle_of_four_pays_its_trips(members_per_trip, trips, callout) -> None:
    """abcd: management 1,600 h = 0.8 -> 1.0 post: 57,420 x 1.1 = 63,162; one crew (400
    households, 4 compounds) 10,000; travel 2 x 3 extra members x 500 m (the bounding
    box 300 x 400) = 3,000; jobs 1,700; call-outs 1,400 x trips / 4."""
    params = pf.default_parameters().replace({"contracts.members_per_trip": members_per_trip})
    g = dataclasses.replace(_four(), params=params)
    k = g.components([[0, 1, 2, 3]])
    assert k.callout_yuan.tolist() == [pytest.approx(callout)]
    assert k.callout_yuan[0] == pytest.approx(1400.0 * trips / 4)
    assert k.spread_m.tolist() == [500.0]
    assert k.travel_yuan.tolist() == [pytest.approx(3000.0)]
    assert k.crews.tolist() == [1.0]
    assert g.cost(["a", "b", "c", "d"]) == pytest.approx(63162.0 + 10000.0 + 3000.0 + 1700.0
                                                         + callout)


def test_empty_set_costs_nothing() -> None:
    # c({}) = 0, also when every candidate of a call is empty (the separable cost of a
    # one-member bundle prices the bundle without its member: the empty set).
    g = hand_game()
    assert g.costs([[-1, -1, -1]]).tolist() == [0.0]
    split = split_bundle(g, ["a"], "scrb")
    assert split.shares["share_yuan"].tolist() == [42881.0]


def test_costs_are_vectorised_over_candidates() -> None:
    g = hand_game()
    padded = np.array([[0, -1, -1], [0, 1, -1], [0, 1, 2], [-1, -1, -1]])
    np.testing.assert_allclose(g.costs(padded), [42881.0, 43731.0, 76995.0 + 1.0 / 3, 0.0])


def test_shapley_of_the_hand_game() -> None:
    # The game priced to the fen: c(bc) = 43,279.53, c(N) = 76,995.33.
    # phi_i = c(i)/3 + (c(ij) - c(j))/6 + (c(ik) - c(k))/6 + (c(N) - c(jk))/3
    #   a: 42,881/3 + 2,150/6 + 1,000/6 + (76,995.33 - 43,279.53)/3
    #      = 14,293.6667 + 358.3333 + 166.6667 + 11,238.60 = 26,057.2667
    #   b: 41,581/3 + 850/6 + 498.53/6 + (76,995.33 - 43,781)/3
    #      = 13,860.3333 + 141.6667 + 83.0883 + 11,071.4433 = 25,156.5317
    #   c: 42,781/3 + 900/6 + 1,698.53/6 + (76,995.33 - 43,731)/3
    #      = 14,260.3333 + 150.0000 + 283.0883 + 11,088.11 = 25,781.5317
    # Rounded to the fen: 26,057.27 + 25,156.53 + 25,781.53 = 76,995.33 = c(N) in fen.
    split = split_bundle(hand_game(), ["c", "a", "b"], "shapley")
    s = split.shares.set_index("compound_id")
    assert s["share_unrounded_yuan"].tolist() == pytest.approx(
        [26057.26667, 25156.53167, 25781.53167], abs=1e-5)
    assert s["share_yuan"].tolist() == [26057.27, 25156.53, 25781.53]
    assert yuan_to_fen(s["share_yuan"].to_numpy()).sum() == 7699533


def test_hand_game_core_is_empty() -> None:
    # Priced to the fen: pairs x_a + x_b <= 43,731 + e, x_a + x_c <= 43,781 + e,
    # x_b + x_c <= 43,279.53 + e. Adding them: 2 x 76,995.33 <= 130,791.53 + 3e, so
    # e >= 23,199.13 / 3 = 7,733.0433: the second half post of the full bundle makes
    # every pair rather leave.
    g = hand_game()
    eps, x = least_core(coalition_costs(g, [0, 1, 2]), 3)
    assert eps == pytest.approx(23199.13 / 3, abs=1e-9)
    # At that epsilon the three pair constraints bind, and the least core is one point:
    # x_a = 76,995.33 - 43,279.53 - 7,733.0433 = 25,982.7567,
    # x_b = 76,995.33 - 43,781 - 7,733.0433 = 25,481.2867,
    # x_c = 76,995.33 - 43,731 - 7,733.0433 = 25,531.2867.
    assert x.tolist() == pytest.approx([25982.75667, 25481.28667, 25531.28667], abs=1e-5)
    split = split_bundle(g, ["a", "b", "c"], "core", key="floor_area")
    assert split.core_empty
    assert split.least_core_epsilon_yuan == pytest.approx(23199.13 / 3, abs=1e-9)
    # In fen the three remainders are all 2/3: the two leftover fen go to a and b.
    assert split.shares["share_yuan"].tolist() == [25982.76, 25481.29, 25531.28]
    assert (split.shares["share_yuan"] <= split.shares["standalone_yuan"]).all()


def test_shapley_axioms() -> None:
    # A 4-player game: players 0 and 1 are symmetric (the cost depends on how many of them
    # are in, not which), player 3 is a dummy (adds exactly 5 yuan to any group).
    n = 4
    by_count = {(k, two): 10.0 + 3.0 * k + 4.0 * two + (2.0 if k == 2 else 0.0)
                for k in range(3) for two in range(2)}
    costs = np.zeros(1 << n)
    for mask in range(1, 1 << n):
        k = (mask & 1) + ((mask >> 1) & 1)
        two = (mask >> 2) & 1
        core = by_count[(k, two)] if mask & 0b0111 else 0.0
        costs[mask] = core + (5.0 if mask & 0b1000 else 0.0)
    phi = shapley_exact(costs, n)
    assert phi.sum() == pytest.approx(costs[-1])  # efficiency
    assert phi[0] == pytest.approx(phi[1])  # symmetry
    assert phi[3] == pytest.approx(5.0)  # dummy


@functools.cache
def _street_game(plan: str) -> BundleGame:
    # Built once per plan, outside hypothesis's arguments (a failing example then
    # prints the picks, not the whole game).
    return BundleGame.from_district(pf.datasets.sanqiao_like_street(), pf.named_plan(plan))


@pytest.fixture
def street_game() -> BundleGame:
    # Function-scoped and built afresh: mutmut runs against a mutant only the tests that
    # reached the mutated function while it collected its stats.
    return BundleGame.from_district(pf.datasets.sanqiao_like_street(),
                                    pf.named_plan("xinghualing"))


METHODS = ["floor_area", "households", "standalone", "use", "scrb", "shapley", "core"]


@given(picks=st.lists(st.integers(0, 39), min_size=1, max_size=6, unique=True),
       method=st.sampled_from(METHODS), plan=st.sampled_from(["xinghualing", "shared_staffed"]))
def test_every_split_sums_exactly_and_ignores_order(picks, method, plan) -> None:
    # The default plan's contract is per-use jobs with shared call-outs; the staffed plan
    # adds standing posts, crews and travel.
    street_game = _street_game(plan)
    members = [str(street_game.ids[i]) for i in picks]
    split = split_bundle(street_game, members, method)
    assert yuan_to_fen(split.shares["share_yuan"].to_numpy()).sum() == yuan_to_fen(
        split.contract_yuan)
    again = split_bundle(street_game, list(reversed(members)), method)
    pd.testing.assert_frame_equal(split.shares, again.shares)
    if method == "core":
        assert (split.shares["share_yuan"] <= split.shares["standalone_yuan"]).all()
        if not split.core_empty:
            assert split.max_overcharge_yuan <= 0.01 * len(members)


def test_game_of_the_hand_compound_by_hand() -> None:
    """The hand compound of the budget's tests, its contract also doing pipe dredging
    (30% off; every other job free): what the contract's posts supply after the
    volunteers and the devices, cleaning 1,538.46 - 644.176 = 894.29 h, greening 114.29
    h, management 307.69 h, the gate 8,760 - 5,840 = 2,920 h, patrol 219 h; dredging 2
    buildings x 0.5 x 2.36 = 2.36 uses: 2.36 x 300 x 0.7 = 495.60 and call-outs 2.36 x
    100 x 0.7 = 165.20, at market 2.36 x (300 + 100) = 944; other cash 140,131.10 -
    127,331.10 = 12,800 (running costs and the device's); income 42,000 + 1,500."""
    plan = HAND.model_copy(update={"shared_property": HAND.shared_property.model_copy(
        update={"items": (JobTerms(name="pipe_dredging", discount_rate=0.3),)})})
    params = _free_jobs().replace({"jobs.pipe_dredging.market_price_yuan_per_use": 300.0,
                                   "jobs.pipe_dredging.callout_yuan_per_visit": 100.0})
    df = pd.DataFrame({"compound_id": ["a"], "households": [100], "floor_area_m2": [10000.0],
                       "build_year": [1990], "green_area_m2": [1000.0], "buildings": [2]})
    game = BundleGame.from_district(df, plan, params)
    hours = {r: v.tolist() for r, v in game.standing_hours.items()}
    assert hours == {"cleaning": [pytest.approx(1538.461538 - 644.176)],
                     "greening": [pytest.approx(114.285714)],
                     "management": [pytest.approx(307.692308)], "order": [2920.0],
                     "patrol": [219.0]}
    assert game.jobs_yuan.tolist() == pytest.approx([495.6])
    assert game.callout_yuan.tolist() == pytest.approx([165.2])
    assert game.jobs_at_market_yuan.tolist() == pytest.approx([944.0])
    assert game.other_cash_yuan.tolist() == pytest.approx([12800.0])
    assert game.income_yuan.tolist() == pytest.approx([43500.0])
    # c({a}): the posts at cost, 127,331.10, and the job with its call-outs.
    assert game.standalone_costs().tolist() == pytest.approx([127331.1 + 495.6 + 165.2])


@pytest.mark.parametrize("plan_name", ["xinghualing", "shared_staffed"])
def test_game_fields_are_the_budget_of_each_compound_alone(plan_name) -> None:
    """Each field of the game, compound by compound, against the budget of the same plan
    with every compound alone: its lines, its work and its columns."""
    street = pf.datasets.sanqiao_like_street().head(12)
    plan = pf.named_plan(plan_name)
    game = BundleGame.from_district(street, plan)
    alone = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "none"})})
    budget = pf.evaluate_district(street, alone)
    c = budget.compounds
    lines = budget.lines.assign(line=budget.lines["line"].astype(str))
    jobs = [j.name for j in plan.shared_property.items]

    def per_compound(codes: list[str]) -> np.ndarray:
        mine = lines[lines["line"].isin(codes)]
        return mine.groupby("compound_id", observed=True)["amount_yuan"].sum().reindex(
            c["compound_id"]).to_numpy()

    assert game.ids.tolist() == c["compound_id"].tolist()
    np.testing.assert_allclose(game.jobs_yuan, per_compound([f"job_{j}" for j in jobs]),
                               atol=0.005 * len(jobs))
    np.testing.assert_allclose(game.callout_yuan,  # alone: every call-out its own
                               per_compound([f"job_{j}_callout" for j in jobs]),
                               atol=0.005 * len(jobs))
    work = budget.work.set_index(["compound_id", "category"])["shared_property"]
    terms = pf.default_parameters().jobs
    at_market = sum(np.array([work[(i, j)] for i in c["compound_id"]])
                    * (terms[j].market_price_yuan_per_use
                       + terms[j].callout_yuan_per_visit / terms[j].uses_per_visit)
                    for j in jobs)
    np.testing.assert_allclose(game.jobs_at_market_yuan, at_market, rtol=1e-9)
    assert (game.jobs_at_market_yuan > game.jobs_yuan + game.callout_yuan).all()
    n_lines = lines["line"].nunique()
    np.testing.assert_allclose(
        game.other_cash_yuan, c["compound_cash_cost_yuan"] - c["cost_shared_property_yuan"],
        atol=0.005 * n_lines)
    np.testing.assert_allclose(game.income_yuan,
                               c["fee_collected_yuan"] + c["public_income_yuan"], atol=0.005)
    np.testing.assert_allclose(game.standalone_costs(), c["cost_shared_property_yuan"],
                               atol=0.005 * n_lines)
    for role in ROLES:
        want = sum((np.array([work[(i, w)] for i in c["compound_id"]])
                    for w in plan.shared_property.standing_work if ROLE_OF[w] == role),
                   np.zeros(len(c)))
        np.testing.assert_allclose(game.standing_hours[role], want, atol=1e-6)
    assert (sum(game.standing_hours.values()) > 0).all() == bool(
        plan.shared_property.standing_work)


def test_proportional_keys_can_overcharge_and_the_core_split_does_not(street_game) -> None:
    street = pf.datasets.sanqiao_like_street()
    overcharged = 0
    for zone in street["zone"].unique()[:40]:
        members = street.loc[street["zone"] == zone, "compound_id"].tolist()
        area = split_bundle(street_game, members, "floor_area")
        core = split_bundle(street_game, members, "core", key="floor_area")
        overcharged += int((area.shares["saving_yuan"] < 0).any())
        assert (core.shares["saving_yuan"] >= 0).all()
    assert overcharged > 0  # the known result: a key can charge more than alone


def test_sampled_shapley_is_seeded_and_close(street_game) -> None:
    members = list(street_game.ids[:8])
    exact = split_bundle(street_game, members, "shapley")
    from propfee.bundling.allocation import shapley_sampled

    pos = street_game.index(members)
    a, err = shapley_sampled(street_game, pos, 4000, seed=3)
    b, _ = shapley_sampled(street_game, pos, 4000, seed=3)
    np.testing.assert_array_equal(a, b)
    assert np.all(np.abs(a - exact.shares["share_unrounded_yuan"].to_numpy()) < 5 * err + 1.0)


def test_split_bad_input(street_game) -> None:
    with pytest.raises(InputError, match="not a compound"):
        split_bundle(street_game, ["SQ001", "nobody"])
    with pytest.raises(InputError, match="must be one of"):
        split_bundle(street_game, ["SQ001"], "alphabetical")  # type: ignore[arg-type]


def _partitions(items: list[int]):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1:]]
        yield [[first], *part]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("objective", ["subsidy", "cost", "viable"])
def test_exact_matches_brute_force_and_heuristic_never_beats_it(seed, objective) -> None:
    df = pf.datasets.synthetic_district(7, seed=seed)
    game = BundleGame.from_district(df)
    problem = BundlingProblem(max_distance_m=250.0, max_members=4, objective=objective,
                              mip_gap=0.0, time_limit_s=20.0)
    cands = enumerate_candidates(game, problem)
    obj, _, _ = objective_values(game, cands, problem)
    value = {tuple(sorted(c[c >= 0].tolist())): o for c, o in zip(cands, obj, strict=True)}
    brute = min(sum(value[tuple(sorted(p))] for p in part)
                for part in _partitions(list(range(7)))
                if all(tuple(sorted(p)) in value for p in part))
    exact = optimise_bundles(game, problem.model_copy(update={"method": "exact"}))
    heur = optimise_bundles(game, problem.model_copy(update={"method": "heuristic"}))
    assert exact.objective == pytest.approx(brute, rel=1e-9, abs=1e-6)
    assert heur.objective >= exact.objective - 1e-6
    assert exact.bound <= exact.objective + 1e-6
    assert heur.bound <= brute + 1e-6  # a bound is a bound


def test_optimised_bundles_feed_the_budget() -> None:
    street = pf.datasets.sanqiao_like_street().head(40)
    game = BundleGame.from_district(street)
    result = optimise_bundles(game, BundlingProblem(time_limit_s=10.0))
    assert set(result.assignment["compound_id"]) == set(street["compound_id"])
    assert result.assignment["bundle_id"].notna().all()
    members = result.bundles["member_ids"].explode()
    assert members.is_unique
    assert len(members) == 40
    for ids in result.bundles["member_ids"]:
        xy = street.set_index("compound_id").loc[ids, ["x_m", "y_m"]].to_numpy()
        d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
        assert d.max() <= 200.0 + 1e-9
        assert len(ids) <= 4
    plan = result.to_plan(pf.default_plan())
    budget = pf.evaluate_district(street, plan)
    alone = pf.evaluate_district(street, pf.default_plan().model_copy(update={
        "shared_property": pf.default_plan().shared_property.model_copy(
            update={"bundle_by": "none"})}))
    assert budget.district_totals()["street_subsidy_yuan"] < alone.district_totals()[
        "street_subsidy_yuan"]


def test_optimiser_needs_locations() -> None:
    df = pf.datasets.synthetic_district(5).drop(columns=["x_m", "y_m"])
    game = BundleGame.from_district(df)
    with pytest.raises(InputError, match="needs x_m and y_m"):
        optimise_bundles(game)


@given(districts(min_size=2, max_size=6))
def test_any_partition_respects_the_limits(df) -> None:
    game = BundleGame.from_district(df)
    problem = BundlingProblem(max_distance_m=1500.0, max_members=3, max_households=2500.0,
                              time_limit_s=5.0)
    result = optimise_bundles(game, problem)
    assert (result.bundles["members"] <= 3).all()
    assert (result.bundles.loc[result.bundles["members"] > 1, "households"] <= 2500.0).all()
    assert result.bound <= result.objective + 1e-6
    assert sorted(itertools.chain(*result.bundles["member_ids"])) == sorted(df["compound_id"])


def test_exact_method_shares_its_time_limit_with_its_start(monkeypatch) -> None:
    """On a clock that the window passes move by 3 s: the passes are given a deadline 40%
    of the 10 s limit away (4 s), and HiGHS on the whole street what is left, 10 - 3 = 7 s."""
    import types

    from propfee.bundling import optimise as opt

    now = [100.0]
    deadlines: list[float] = []

    def windows(obj, candidates, chosen, game, problem, deadline, report, progress
                ):  # type: ignore[no-untyped-def]
        deadlines.append(deadline - now[0])
        now[0] += 3.0
        return chosen

    limits = record_time_limits(monkeypatch)
    monkeypatch.setattr(opt, "time", types.SimpleNamespace(perf_counter=lambda: now[0]))
    monkeypatch.setattr(opt, "_improve_by_windows", windows)
    street = pf.datasets.sanqiao_like_street().head(30)
    game = BundleGame.from_district(street)
    optimise_bundles(game, BundlingProblem(method="exact", time_limit_s=10.0))
    assert deadlines == [pytest.approx(4.0)]
    assert limits == [(30, pytest.approx(7.0))]


def test_window_solves_keep_to_the_deadline(monkeypatch) -> None:
    """Each window's solve is given what is left before the passes' deadline, never more
    than the time limit, and no window starts once it has passed."""
    from propfee.bundling import optimise as opt

    problem = BundlingProblem(method="exact", time_limit_s=10.0)
    game, cand, obj, start = street_start(30, problem)
    limits = record_time_limits(monkeypatch)
    deadline = opt.time.perf_counter() + 2.0
    opt._window_improve(obj, cand, start, game, problem, 0.0, deadline)
    assert limits
    assert all(0 < limit <= 2.0 for _, limit in limits)
    limits.clear()
    opt._window_improve(obj, cand, start, game, problem, 0.0, opt.time.perf_counter())
    assert limits == []


def test_exact_method_out_of_time_keeps_its_start(monkeypatch) -> None:
    """A time limit spent before HiGHS starts (a nanosecond) still gives a partition of
    every compound, with a bound no higher than its objective; HiGHS is handed a limit
    of zero, not a negative one (which it would refuse, and run without a limit)."""
    limits = record_time_limits(monkeypatch)
    street = pf.datasets.sanqiao_like_street().head(30)
    game = BundleGame.from_district(street)
    result = optimise_bundles(game, BundlingProblem(method="exact", time_limit_s=1e-9))
    assert sorted(itertools.chain(*result.bundles["member_ids"])) == sorted(
        street["compound_id"])
    assert limits == [(30, 0.0)]  # no window had time; the whole model gets none either
    # HiGHS proved nothing in no time: the bound is the per-compound one, finite
    assert result.bound_kind == "per-compound"
    assert np.isfinite(result.bound)
    assert 0 < result.bound <= result.objective
