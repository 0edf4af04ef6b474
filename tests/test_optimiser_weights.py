"""The optimiser's objective weights other than their defaults, on games solved by hand.

Every candidate bundle and every partition is listed and priced in the comments; each
test asserts the partition the optimiser chooses, its objective and the figures of the
bundling report (contract, deficit, objective and spread of each bundle, its least-core
epsilon, the all-alone objective, the bound and the gap).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import propfee as pf
from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles
from propfee.channels import SharedProperty

pytest.importorskip("highspy")
pytest.importorskip("scipy")

# --- four compounds on the corners of a 100 m x 300 m rectangle --------------------------
#
#   C (0, 300) ---- D (100, 300)       A and B are well off (income 40,000 each), C and D
#   |               |                  poor (30,050 each); each has 1,000 h a year of
#   A (0, 0) ------ B (100, 0)         management work for the contract's standing post,
#                                      per-use jobs of 3,000 and call-outs of 1,200, and
#                                      1,000 of other cash costs.
#
# The market hires informally, so a post costs the hours it works: a manager's 3,500
# yuan/month x 12 / 2,000 h = 21 yuan/h (above the 19.8 minimum), 1,000 h = 21,000, and
# posts pool without rounding. Margin 10% of staff; a fixed fee of 5,000 a crew (one crew
# for any pair: 200 households, 2 compounds); travel 2 yuan a metre of spread per extra
# member; a trip serves 3 members, so a pair pays half its call-outs.
#   alone:  21,000 + 2,100 + 5,000 + 3,000 + 1,200                          = 32,300
#   a pair: 2 x (21,000 + 2,100 + 3,000) + 5,000 + 2,400 / 2 + 2 x spread  = 58,400 + 2 x spread
#           AB, CD (spread 100)                                             = 58,600
#           AC, BD (spread 300)                                             = 59,000
#           AD, BC (spread sqrt(100^2 + 300^2) = 316.228)                   = 59,032.456
# Pooled deficit max(contract + other - income, 0): A, B alone 0; C, D alone 32,300 +
# 1,000 - 30,050 = 3,250; CD 58,600 + 2,000 - 60,100 = 500; every other pair 0.
# The ten partitions (bundles of two at most), cost and deficit:
#   all alone                    129,200   6,500
#   {AB} C D                     123,200   6,500
#   {CD} A B                     123,200     500
#   {AC} B D, {BD} A C           123,600   3,250
#   {AD} B C, {BC} A D           123,632.46 3,250
#   P1 = {AB} {CD}               117,200     500
#   P2 = {AC} {BD}               118,000       0
#   P3 = {AD} {BC}               118,064.91    0
# "cost" c + w x deficit: P1 117,200 + 500 w against P2 118,000: P1 below w = 1.6, P2
# above (no other partition comes close). "subsidy" deficit + t x c: P1 500 + 117,200 t
# against P2 118,000 t: P2 below t = 0.625, P1 above.
NEIGHBOURS = BundleGame(
    ids=np.array(["A", "B", "C", "D"]),
    standing_hours={"management": np.full(4, 1000.0)},
    households=np.full(4, 100.0), floor_area_m2=np.full(4, 8000.0),
    x_m=np.array([0.0, 100.0, 0.0, 100.0]), y_m=np.array([0.0, 0.0, 300.0, 300.0]),
    jobs_yuan=np.full(4, 3000.0), callout_yuan=np.full(4, 1200.0),
    jobs_at_market_yuan=np.full(4, 6000.0), other_cash_yuan=np.full(4, 1000.0),
    income_yuan=np.array([40000.0, 40000.0, 30050.0, 30050.0]),
    shared=SharedProperty(standing_work=("management",), fixed_fee_yuan_per_bundle_year=5000.0,
                          contract_margin_rate=0.1, travel_yuan_per_m_year=2.0),
    params=pf.default_parameters().replace({"labour.market_hiring": "informal"}),
)
P1 = [["A", "B"], ["C", "D"]]
P2 = [["A", "C"], ["B", "D"]]


def _solve(game: BundleGame, **problem: Any) -> pf.bundling.BundlingResult:
    limits = {"max_distance_m": 400.0, "max_members": 2, **problem}
    result = optimise_bundles(game, BundlingProblem(**limits))
    assert (result.method, result.bound_kind) == ("exact", "milp")
    assert result.bound == pytest.approx(result.objective, abs=1e-6)  # proven optimal
    assert result.gap == pytest.approx(0.0, abs=1e-9)
    return result


def _partition(result: pf.bundling.BundlingResult) -> list[list[str]]:
    return sorted(result.bundles["member_ids"].tolist())


def test_contract_prices_of_the_neighbours() -> None:
    assert NEIGHBOURS.cost(["A"]) == pytest.approx(32300.0, abs=1e-6)
    assert NEIGHBOURS.cost(["A", "B"]) == pytest.approx(58600.0, abs=1e-6)
    assert NEIGHBOURS.cost(["C", "D"]) == pytest.approx(58600.0, abs=1e-6)
    assert NEIGHBOURS.cost(["A", "C"]) == pytest.approx(59000.0, abs=1e-6)
    assert NEIGHBOURS.cost(["A", "D"]) == pytest.approx(58400.0 + 2 * np.hypot(100, 300),
                                                        abs=1e-6)


@pytest.mark.parametrize(("penalty", "partition", "objective", "alone"), [
    # w = 0: the cheapest contracts, P1 117,200; alone 129,200.
    (0.0, P1, 117200.0, 129200.0),
    # w = 1 (the default): P1 117,200 + 500 = 117,700; alone 129,200 + 6,500 = 135,700.
    (1.0, P1, 117700.0, 135700.0),
    # w = 1.5: P1 117,200 + 750 = 117,950 < 118,000.
    (1.5, P1, 117950.0, 129200.0 + 1.5 * 6500.0),
    # w = 1.7: P1 118,050 > P2 118,000: the poor pair C, D costs more than the longer
    # trips of pairing each poor compound with a well-off one.
    (1.7, P2, 118000.0, 129200.0 + 1.7 * 6500.0),
    # w = 2: P1 118,200; P2 118,000; alone 129,200 + 13,000 = 142,200.
    (2.0, P2, 118000.0, 142200.0),
])
def test_deficit_penalty_flips_the_partition(penalty: float, partition: list[list[str]],
                                             objective: float, alone: float) -> None:
    r = _solve(NEIGHBOURS, objective="cost", deficit_penalty=penalty)
    assert _partition(r) == partition
    assert r.objective == pytest.approx(objective, abs=1e-6)
    assert r.alone_objective == pytest.approx(alone, abs=1e-6)
    assert r.candidates == 10  # 4 alone + 6 pairs


@pytest.mark.parametrize(("tie_break", "partition", "objective", "alone"), [
    # t = 0.001 (the default): P2 0 + 118 = 118 (P1 500 + 117.2); alone 6,500 + 129.2.
    (0.001, P2, 118.0, 6629.2),
    # t = 0.6: P2 70,800 < P1 500 + 70,320 = 70,820.
    (0.6, P2, 70800.0, 6500.0 + 0.6 * 129200.0),
    # t = 0.65: P1 500 + 76,180 = 76,680 < P2 76,700.
    (0.65, P1, 76680.0, 6500.0 + 0.65 * 129200.0),
    # t = 1: the subsidy objective weighs cost like the deficit: P1 117,700.
    (1.0, P1, 117700.0, 135700.0),
])
def test_tie_break_of_the_subsidy_objective_flips_the_partition(
    tie_break: float, partition: list[list[str]], objective: float, alone: float,
) -> None:
    r = _solve(NEIGHBOURS, objective="subsidy", tie_break=tie_break)
    assert _partition(r) == partition
    assert r.objective == pytest.approx(objective, abs=1e-6)
    assert r.alone_objective == pytest.approx(alone, abs=1e-6)


def test_report_of_the_chosen_bundles_by_hand() -> None:
    """deficit_penalty 2: P2. Each bundle: contract 59,000, no deficit, objective 59,000,
    spread 300, 200 households; least-core epsilon of a pair: the most a member pays
    above its stand-alone cost, at best (59,000 - 2 x 32,300) / 2 = -2,800 (each saves
    2,800): the core is not empty."""
    r = _solve(NEIGHBOURS, objective="cost", deficit_penalty=2.0)
    b = r.bundles
    assert b["bundle_id"].tolist() == ["B-A", "B-B"]
    assert b["member_ids"].tolist() == P2
    assert b["members"].tolist() == [2, 2]
    assert b["households"].tolist() == [200.0, 200.0]
    assert b["contract_yuan"].tolist() == pytest.approx([59000.0, 59000.0], abs=1e-6)
    assert b["deficit_yuan"].tolist() == [0.0, 0.0]
    assert b["objective"].tolist() == pytest.approx([59000.0, 59000.0], abs=1e-6)
    assert b["spread_m"].tolist() == pytest.approx([300.0, 300.0], abs=1e-9)
    assert b["least_core_epsilon_yuan"].tolist() == pytest.approx([-2800.0, -2800.0],
                                                                  abs=1e-4)
    assert b["core_empty"].tolist() == [False, False]
    a = r.assignment
    assert a["bundle_id"].tolist() == ["B-A", "B-B", "B-A", "B-B"]
    assert a["members"].tolist() == [2, 2, 2, 2]
    assert a["alone_reason"].tolist() == [""] * 4
    # The default weight: P1; C and D's pair carries the 500 deficit: objective 59,100.
    d = _solve(NEIGHBOURS, objective="cost").bundles
    assert d["member_ids"].tolist() == P1
    assert d["deficit_yuan"].tolist() == pytest.approx([0.0, 500.0], abs=1e-6)
    assert d["objective"].tolist() == pytest.approx([58600.0, 59100.0], abs=1e-6)
    assert d["least_core_epsilon_yuan"].tolist() == pytest.approx([-3000.0, -3000.0],
                                                                  abs=1e-4)


# --- the viable objective: members viable against deficit in 10,000 yuan ---------------
#
# X, Y, Z within 100 m of each other, no standing posts (per-use jobs only: a contract is
# its jobs plus its shared call-outs), and W alone 10 km away:
#   X jobs 10,000, call-outs 2,000, income 72,000: alone 12,000, surplus 60,000
#   Y jobs 10,000, call-outs 2,000, income  2,000: alone 12,000, deficit 10,000
#   Z jobs 100,000, call-outs 2,000, income 2,000: alone 102,000, deficit 100,000
#   W jobs 1,000, no call-outs, income 5,000: viable alone
# Pairs (half the call-outs each): XY 22,000 - 74,000: viable; XZ 112,000 - 74,000 =
# 38,000 deficit; YZ 112,000 - 4,000 = 108,000 deficit.
# Objective -viable members + t x deficit / 10,000 (W adds -1 everywhere):
#   all alone   -1 + 11 t (X viable; 110,000)        -> with W: -2 + 11 t
#   {XY} Z      -2 + 10 t                            ->         -3 + 10 t
#   {XZ} Y       0 + 4.8 t (38,000 + 10,000)         ->         -1 + 4.8 t
#   {YZ} X      -1 + 10.8 t                          ->         -2 + 10.8 t
# {XZ} Y wins over {XY} Z when 4.8 t < -2 + 10 t, t > 2 / 5.2 = 0.3846: the street would
# rather halve the deficit than keep two more compounds viable.
VIABLE = BundleGame(
    ids=np.array(["X", "Y", "Z", "W"]), standing_hours={},
    households=np.full(4, 100.0), floor_area_m2=np.full(4, 8000.0),
    x_m=np.array([0.0, 50.0, 100.0, 10000.0]), y_m=np.zeros(4),
    jobs_yuan=np.array([10000.0, 10000.0, 100000.0, 1000.0]),
    callout_yuan=np.array([2000.0, 2000.0, 2000.0, 0.0]),
    jobs_at_market_yuan=np.full(4, 1.0), other_cash_yuan=np.zeros(4),
    income_yuan=np.array([72000.0, 2000.0, 2000.0, 5000.0]),
    shared=SharedProperty(), params=pf.default_parameters(),
)


@pytest.mark.parametrize(("tie_break", "pair", "objective", "alone"), [
    (0.001, ["X", "Y"], -3 + 0.01, -2 + 0.011),      # the default
    (0.35, ["X", "Y"], -3 + 3.5, -2 + 3.85),          # 0.5 < -1 + 1.68 = 0.68
    (0.5, ["X", "Z"], -1 + 2.4, -2 + 5.5),            # 1.4 < -3 + 5 = 2
    (1.0, ["X", "Z"], -1 + 4.8, -2 + 11.0),           # 3.8 < 7
])
def test_tie_break_of_the_viable_objective_flips_the_partition(
    tie_break: float, pair: list[str], objective: float, alone: float,
) -> None:
    r = _solve(VIABLE, max_distance_m=200.0, objective="viable", tie_break=tie_break)
    multi = r.bundles[r.bundles["members"] > 1]
    assert multi["member_ids"].tolist() == [pair]
    assert r.objective == pytest.approx(objective, abs=1e-9)
    assert r.alone_objective == pytest.approx(alone, abs=1e-9)
    reasons = dict(zip(r.assignment["compound_id"], r.assignment["alone_reason"],
                       strict=True))
    left = ({"X", "Y", "Z"} - set(pair)).pop()
    assert reasons[left] == "alone is best for the objective"
    assert reasons["W"] == "no feasible partner within 200 m"
    row = multi.iloc[0]
    # XY: contract 22,000, no deficit, objective -2; XZ: 112,000, deficit 38,000,
    # objective 38,000 / 10,000 x t; spread 50 or 100 m.
    if pair == ["X", "Y"]:
        assert (row["contract_yuan"], row["deficit_yuan"]) == (22000.0, 0.0)
        assert row["objective"] == -2.0
        assert row["spread_m"] == 50.0
    else:
        assert (row["contract_yuan"], row["deficit_yuan"]) == (112000.0, 38000.0)
        assert row["objective"] == pytest.approx(3.8 * tie_break, abs=1e-12)
        assert row["spread_m"] == 100.0
    # Either pair saves half of 4,000 of call-outs: epsilon -1,000 a member.
    assert row["least_core_epsilon_yuan"] == pytest.approx(-1000.0, abs=1e-4)


# --- the limits of a bundle at, just inside and just past them -----------------------------
#
# A (0, 0), B (120, 0), C (0, y): AB = 120, AC = y, BC = sqrt(120^2 + y^2) = 200 at y = 160
# (a 3-4-5 triangle). Per-use contracts only: a bundle is its members' call-outs, one trip
# serving up to 3 members: A 900, B 1,000, C 1,200 alone; AB (900 + 1,000) / 2 = 950;
# AC 1,050; BC 1,100; ABC 3,100 / 3 = 1,033.33. "cost" with no deficit weight: the
# contracts' sum. Partitions: ABC 1,033.33; {BC} A 2,000; {AC} B 2,050; {AB} C 2,150;
# alone 3,100.


def _triangle(y: float) -> BundleGame:
    return BundleGame(
        ids=np.array(["A", "B", "C"]), standing_hours={}, households=np.full(3, 100.0),
        floor_area_m2=np.full(3, 8000.0), x_m=np.array([0.0, 120.0, 0.0]),
        y_m=np.array([0.0, 0.0, y]), jobs_yuan=np.zeros(3),
        callout_yuan=np.array([900.0, 1000.0, 1200.0]), jobs_at_market_yuan=np.zeros(3),
        other_cash_yuan=np.zeros(3), income_yuan=np.full(3, 10000.0),
        shared=SharedProperty(), params=pf.default_parameters())


@pytest.mark.parametrize(("y", "candidates", "partition", "objective"), [
    # BC = 199.992 and 200.0 m: within 200 m, every pair and the three together.
    (159.99, 7, [["A", "B", "C"]], 3100.0 / 3),
    (160.0, 7, [["A", "B", "C"]], 3100.0 / 3),
    # BC = 200.008 m: B and C may not share a bundle: {AC} B.
    (160.01, 5, [["A", "C"], ["B"]], 2050.0),
])
def test_largest_distance_between_members(y: float, candidates: int,
                                          partition: list[list[str]], objective: float) -> None:
    r = _solve(_triangle(y), max_distance_m=200.0, max_members=3, objective="cost",
               deficit_penalty=0.0)
    assert r.candidates == candidates
    assert _partition(r) == partition
    assert r.objective == pytest.approx(objective, abs=1e-9)
    # Spread: the diagonal of the members' box, sqrt(120^2 + y^2) for ABC, y for AC.
    spread = np.hypot(120.0, y) if len(partition) == 1 else y
    assert r.bundles["spread_m"].iloc[0] == pytest.approx(spread, abs=1e-9)


@pytest.mark.parametrize(("cap", "candidates", "partition", "objective"), [
    # 100 households each: the three together have 300.
    (299.0, 6, [["A"], ["B", "C"]], 2000.0),
    (300.0, 7, [["A", "B", "C"]], 3100.0 / 3),
    (301.0, 7, [["A", "B", "C"]], 3100.0 / 3),
])
def test_largest_number_of_households_in_a_bundle(cap: float, candidates: int,
                                                  partition: list[list[str]],
                                                  objective: float) -> None:
    r = _solve(_triangle(160.0), max_distance_m=200.0, max_members=3, max_households=cap,
               objective="cost", deficit_penalty=0.0)
    assert r.candidates == candidates
    assert _partition(r) == partition
    assert r.objective == pytest.approx(objective, abs=1e-9)
