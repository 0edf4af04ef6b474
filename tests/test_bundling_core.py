"""The core split: one defined point, whatever the solver.

Hand games are solved on paper (the arithmetic is in the comments); the random games
check that two LP methods and two QP solvers lead to the same exact shares, and that the
shares keep the constraints they promise.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import propfee as pf
from propfee.bundling import core
from propfee.bundling.allocation import coalition_costs, least_core, split_bundle
from propfee.bundling.core import (
    core_point,
    fen_game,
    largest_remainder_exact,
    least_core_epsilon,
    shapley_fen,
)
from propfee.bundling.game import BundleGame
from propfee.errors import MissingExtraError

from .test_bundling_splits import table_game


def by_mask(costs: dict[tuple[int, ...], float], n: int) -> np.ndarray:
    out = np.zeros(1 << n)
    for members, cost in costs.items():
        out[sum(1 << m for m in members)] = cost
    return out


# c(i) = 10, c(ab) = 10, c(ac) = c(bc) = 15, c(abc) = 19 (a and b pool well together).
POOLED = {(0,): 10.0, (1,): 10.0, (2,): 10.0, (0, 1): 10.0, (0, 2): 15.0, (1, 2): 15.0,
          (0, 1, 2): 19.0}


# --- hand games ---------------------------------------------------------------------------


def test_shapley_outside_a_non_empty_core_moves_to_the_nearest_core_point() -> None:
    # Shapley: phi_c = 10/3 + (15 - 10)/6 + (15 - 10)/6 + (19 - 10)/3 = 3.333 + 0.833
    #   + 0.833 + 3 = 8; a and b are symmetric: (19 - 8) / 2 = 5.5 each.
    # x_a + x_b = 11 > c(ab) = 10: Shapley is outside the core.
    # Core: x_a + x_b <= 10 (so x_c >= 9), x_c <= 10, x_a + x_c <= 15, x_b + x_c <= 15.
    # Nearest point: by symmetry x_a = x_b = a, x_c = 19 - 2a; the distance
    # 2 (a - 5.5)^2 + (2 (a - 5.5))^2 = 6 (a - 5.5)^2 is least at the bound a = 5:
    # (5, 5, 9). Optimality: t - x = (0.5, 0.5, -1) = 1.5 x (1, 1, 0) - 1 x (1, 1, 1),
    # a non-negative multiple of the tight row ab plus a multiple of the sum.
    # Least core: 19 - 2a <= 10 + e and 2a <= 10 + e give 19 <= 20 + 2e: e* = -0.5.
    eps, x = least_core(by_mask(POOLED, 3), 3)
    assert eps == -0.5
    assert x.tolist() == [5.0, 5.0, 9.0]
    split = split_bundle(table_game(POOLED), ["b", "c", "a"], "core")
    assert split.shares["share_yuan"].tolist() == [5.0, 5.0, 9.0]
    assert split.least_core_epsilon_yuan == -0.5
    assert not split.core_empty
    assert split.max_overcharge_yuan == 0.0  # ab pays exactly c(ab), abc exactly c(abc)


def test_stand_alone_caps_bind_where_the_classical_least_core_would_overcharge() -> None:
    # c(a) = 2, c(b) = c(c) = 20, c(ab) = c(ac) = 12, c(bc) = 10, c(abc) = 24.
    # Classical least core: x_a <= 2 + e and x_b + x_c <= 10 + e give 24 <= 12 + 2e,
    # e = 6 (x_a = 8, x_b = x_c = 8; the pairs with a: 16 <= 18). a would pay 8 > 2.
    # With the stand-alone caps: x_a <= 2, so x_b + x_c >= 22 <= 10 + e: e* = 12.
    # Shapley: phi_a = 2/3 + (12 - 20)/6 + (12 - 20)/6 + (24 - 10)/3 = 2.667,
    # phi_b = phi_c = (24 - 2.667) / 2 = 10.667. With e+ = 12 only the cap x_a <= 2 cuts
    # it: 0.667 moves from a to b and c equally: (2, 11, 11); then x_b + x_c = 22 holds
    # with equality too. Optimality: t - x = (0.667, -0.333, -0.333)
    # = 1 x (1, 0, 0) [the cap] - 0.333 x (1, 1, 1).
    costs = {(0,): 2.0, (1,): 20.0, (2,): 20.0, (0, 1): 12.0, (0, 2): 12.0, (1, 2): 10.0,
             (0, 1, 2): 24.0}
    eps, x = least_core(by_mask(costs, 3), 3)
    assert (eps, x.tolist()) == (12.0, [2.0, 11.0, 11.0])
    assert least_core(by_mask(costs, 3), 3, cap_standalone=False)[0] == 6.0
    split = split_bundle(table_game(costs), ["a", "b", "c"], "core")
    assert split.shares["share_yuan"].tolist() == [2.0, 11.0, 11.0]
    assert split.least_core_epsilon_yuan == 6.0  # the classical one is reported
    assert split.core_empty
    assert (split.shares["saving_yuan"] >= 0).all()


def test_no_compound_is_paid_to_join() -> None:
    # c(a) = 1, c(b) = 30, c(ab) = 20: Shapley a = 1 + (20 - 30 - 1)/2 = -4.5, b = 24.5.
    # With x >= 0 the nearest core point is (0, 20). Epsilon: x_a <= 1 + e with x_a >= 0
    # gives e >= -1, and x_b = 20 - x_a <= 30 + e holds: e* = -1 (without x >= 0 it would
    # be (20 - 31) / 2 = -5.5 at x_a = -4.5).
    costs = by_mask({(0,): 1.0, (1,): 30.0, (0, 1): 20.0}, 2)
    eps, x = least_core(costs, 2)
    assert (eps, x.tolist()) == (-1.0, [0.0, 20.0])
    assert least_core(costs, 2, cap_standalone=False)[0] == -1.0


def test_symmetric_members_get_equal_quotas_and_the_leftover_fen_by_id() -> None:
    # c(i) = 10, every pair 15, all three 20: Shapley 20/3 each = 666.67 fen, inside the
    # core (pairs 13.33 <= 15). Floors 666 x 3 = 1,998 fen; 2 leftover fen to the equal
    # remainders in id order: "m01" and "m02".
    costs = {(0,): 10.0, (1,): 10.0, (2,): 10.0, (0, 1): 15.0, (0, 2): 15.0, (1, 2): 15.0,
             (0, 1, 2): 20.0}
    g = table_game(costs, ids=("m03", "m01", "m02"))
    for method in ("core", "shapley"):
        s = split_bundle(g, ["m03", "m02", "m01"], method)
        assert s.shares["compound_id"].tolist() == ["m01", "m02", "m03"]
        assert s.shares["share_yuan"].tolist() == [6.67, 6.67, 6.66]
    point = core_point(fen_game(by_mask(costs, 3), 3, cap_standalone=True))
    assert point.shares == (Fraction(2000, 3),) * 3  # exactly equal, in fen


def test_one_member_pays_its_contract() -> None:
    game = fen_game(np.array([0.0, 12.34]), 1, cap_standalone=True)
    assert least_core_epsilon(game) == (0, True)
    assert core_point(game).shares == (Fraction(1234),)
    s = split_bundle(table_game({(0,): 12.34}, ids=("a",)), ["a"], "core")
    assert s.shares["share_yuan"].tolist() == [12.34]


def test_costs_are_priced_to_the_fen_half_away_from_zero() -> None:
    # 10.005 yuan is stored as 10.00499999...; money rounds it to 1,001 fen all the same.
    game = fen_game(np.array([0.0, 10.005, 20.0, 25.0]), 2, cap_standalone=True)
    assert game.fen.tolist() == [0, 1001, 2000, 2500]
    assert game.caps is not None
    assert game.caps.tolist() == [1001, 2000]
    assert fen_game(np.zeros(4), 2, cap_standalone=False).caps is None


def test_exact_shapley_of_the_pooled_game() -> None:
    # In fen: phi_c = 800 (see above), phi_a = phi_b = 550; the sum is C(N) = 1,900.
    assert shapley_fen(fen_game(by_mask(POOLED, 3), 3, cap_standalone=False)) == (
        Fraction(550), Fraction(550), Fraction(800))


@pytest.mark.parametrize(("quotas", "keys", "expected"), [
    # Floors 3 + 3 + 3 = 9 of 10: the leftover fen to the smallest key of equal remainders.
    ([Fraction(10, 3)] * 3, ["c", "a", "b"], [3, 4, 3]),
    # Remainders 0.9, 0.6, 0.5 (sum 2): the two largest, whatever the keys.
    ([Fraction(19, 10), Fraction(16, 10), Fraction(25, 10)], ["a", "b", "c"], [2, 2, 2]),
    ([Fraction(1, 2), Fraction(1, 2)], ["b", "a"], [0, 1]),
    ([Fraction(7)], ["a"], [7]),
])
def test_largest_remainder_on_exact_quotas(quotas, keys, expected) -> None:
    assert largest_remainder_exact(quotas, keys).tolist() == expected


def test_largest_remainder_refuses_a_fractional_total_and_repeated_keys() -> None:
    with pytest.raises(ValueError, match=r"^quotas add up to 1/2, not a whole number of fen$"):
        largest_remainder_exact([Fraction(1, 2)], ["a"])
    with pytest.raises(ValueError, match="unique"):
        largest_remainder_exact([Fraction(1), Fraction(1)], ["a", "a"])


# --- the same point from every solver ----------------------------------------------------


def step_game(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random contract game: whole half-posts of pooled demand, crews per 1,500
    households and per-use jobs; half of them in whole yuan (many exact ties)."""
    r = rng.uniform(0.05, 0.9, n)
    households = rng.integers(20, 900, n)
    jobs = rng.uniform(2000, 40000, n).round(2)
    wage = float(rng.choice([48000.0, 52000.0, 60000.0]))
    masks = np.arange(1 << n)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(float)
    posts = np.ceil(bits @ r / 0.5 - 1e-9) * 0.5
    crews = np.ceil(bits @ households / 1500 - 1e-9)
    c = posts * wage * 1.1 + crews * 20000 + bits @ jobs
    if rng.random() < 0.5:
        c = np.round(c)
    c[0] = 0.0
    return c


@functools.cache
def _street_games() -> tuple[BundleGame, BundleGame]:
    street = pf.datasets.sanqiao_like_street()
    return (BundleGame.from_district(street, pf.named_plan("xinghualing")),
            BundleGame.from_district(street, pf.named_plan("shared_staffed")))


def random_games(count: int, seed: int) -> list[np.ndarray]:
    """Half from random members of the example street under two plans, half step games."""
    rng = np.random.default_rng(seed)
    games = []
    for k in range(count):
        n = int(rng.integers(2, 8))
        if k % 2 == 0:
            g = _street_games()[(k // 2) % 2]
            games.append(coalition_costs(g, np.sort(rng.choice(len(g), n, replace=False))))
        else:
            games.append(step_game(rng, n))
    return games


def test_four_solver_pairs_give_the_same_shares_on_400_games() -> None:
    """Dual simplex or interior point for the epsilon, least squares or a dual active-set
    QP for the point: the same exact shares, proven, in every one of 400 games; the same
    fen after largest remainder."""
    empty = 0
    for costs in random_games(400, seed=1):
        n = int(np.log2(len(costs)))
        game = fen_game(costs, n, cap_standalone=True)
        points = [core_point(game, lp_method=lp, qp_method=qp)
                  for lp in ("highs-ds", "highs-ipm") for qp in ("nnls", "daqp")]
        assert all(p.exact for p in points)
        assert len({p.shares for p in points}) == 1
        assert len({p.epsilon for p in points}) == 1
        ids = [f"c{i:02d}" for i in range(n)]
        fen = {tuple(largest_remainder_exact(p.shares, ids).tolist()) for p in points}
        assert len(fen) == 1
        empty += points[0].epsilon > 0
    # Both kinds of bundle are there: empty cores (whole posts) and non-empty ones.
    assert 50 < empty < 350


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 6), street=st.booleans())
def test_core_split_keeps_its_promises(seed, n, street) -> None:
    """Efficiency in fen; every constraint of the set exactly at the unrounded point;
    each share in fen at most the stand-alone price; every group within a fen a member of
    its constraint after rounding; the point is the target when the target is in the set."""
    rng = np.random.default_rng(seed)
    if street:
        g = _street_games()[int(rng.integers(0, 2))]
        costs = coalition_costs(g, np.sort(rng.choice(len(g), n, replace=False)))
    else:
        costs = step_game(rng, n)
    game = fen_game(costs, n, cap_standalone=True)
    point = core_point(game)
    assert point.exact
    x = point.shares
    assert sum(x) == game.grand
    e_plus = max(point.epsilon, Fraction(0))
    masks = np.arange(1, (1 << n) - 1)
    for mask in masks:
        members = [j for j in range(n) if mask >> j & 1]
        assert sum(x[j] for j in members) <= int(game.fen[mask]) + e_plus
    assert game.caps is not None
    assert all(0 <= v <= int(u) for v, u in zip(x, game.caps, strict=True))
    fen = largest_remainder_exact(x, [f"c{i}" for i in range(n)])
    assert int(fen.sum()) == game.grand
    assert np.all(fen <= game.caps)
    bits = (masks[:, None] >> np.arange(n)) & 1
    assert np.all(bits @ fen <= game.fen[masks] + float(e_plus) + bits.sum(axis=1))
    target = shapley_fen(game)
    inside = all(sum(target[j] for j in range(n) if m >> j & 1) <= int(game.fen[m]) + e_plus
                 for m in masks) and all(0 <= t <= int(u)
                                         for t, u in zip(target, game.caps, strict=True))
    if inside:
        assert x == target


# --- when a solver's answer is not proven --------------------------------------------------


def test_the_second_solver_takes_over_from_a_wrong_first_answer(monkeypatch) -> None:
    game = fen_game(by_mask(POOLED, 3), 3, cap_standalone=True)
    monkeypatch.setattr(core, "_qp_nnls", lambda g, h, t, game: t + 1.0)  # off the set
    point = core_point(game)
    assert point.exact
    assert point.shares == (Fraction(500), Fraction(500), Fraction(900))


def test_an_answer_no_solver_proves_is_returned_as_found(monkeypatch) -> None:
    # Both solvers answer (4, 6, 9) yuan: in the core (ab pays 10) but not the nearest
    # point to Shapley (5.5, 5.5, 8), so neither is proven; the split rounds it as found.
    wrong = np.array([400.0, 600.0, 900.0])
    monkeypatch.setattr(core, "_qp_nnls", lambda g, h, t, game: wrong)
    monkeypatch.setattr(core, "_qp_daqp", lambda g, h, t, game: wrong)
    point = core_point(fen_game(by_mask(POOLED, 3), 3, cap_standalone=True))
    assert not point.exact
    assert point.shares == (Fraction(400), Fraction(600), Fraction(900))
    s = split_bundle(table_game(POOLED), ["a", "b", "c"], "core")
    assert s.shares["share_yuan"].tolist() == [4.0, 6.0, 9.0]


def test_without_the_second_solver_the_first_answer_stands(monkeypatch) -> None:
    def missing(*args: object) -> np.ndarray:
        raise MissingExtraError("the least core's second QP solver", "optimise", "daqp")

    monkeypatch.setattr(core, "_qp_nnls", lambda g, h, t, game: np.array([400.0, 600.0, 900.0]))
    monkeypatch.setattr(core, "_qp_daqp", missing)
    point = core_point(fen_game(by_mask(POOLED, 3), 3, cap_standalone=True))
    assert (point.exact, point.shares) == (False, (Fraction(400), Fraction(600), Fraction(900)))
    with pytest.raises(MissingExtraError):  # asked for by name, it is not skipped
        core_point(fen_game(by_mask(POOLED, 3), 3, cap_standalone=True), qp_method="daqp")


def test_an_epsilon_no_threshold_proves_is_the_solvers(monkeypatch) -> None:
    monkeypatch.setattr(core, "_THRESHOLDS", ())
    eps, exact = least_core_epsilon(fen_game(by_mask(POOLED, 3), 3, cap_standalone=True))
    assert (float(eps), exact) == (pytest.approx(-50.0), False)
    assert not core_point(fen_game(by_mask(POOLED, 3), 3, cap_standalone=True)).exact
