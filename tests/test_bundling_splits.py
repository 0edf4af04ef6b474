"""Fair shares of a bundle on small games whose sub-group costs are set by hand.

A :class:`TableGame` is a bundling game whose characteristic function is a lookup
table, so every split, epsilon and error below is worked out on paper from a few
numbers. The sampled Shapley path is reached by lowering ``EXACT_LIMIT`` for a test.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pytest

import propfee as pf
from propfee.bundling import allocation
from propfee.bundling.allocation import (
    coalition_costs,
    least_core,
    shapley_sampled,
    split_bundle,
)
from propfee.bundling.game import BundleGame
from propfee.channels import SharedProperty
from propfee.errors import InputError, MissingExtraError, Problem

METHODS = ("floor_area", "households", "standalone", "use", "scrb", "shapley", "core")


@dataclass(frozen=True)
class TableGame(BundleGame):
    """A bundling game whose ``c(S)`` is looked up in ``table`` (positions -> yuan/year)."""

    table: dict[frozenset[int], float] = field(default_factory=dict)

    def costs(self, candidates: npt.ArrayLike) -> npt.NDArray[np.float64]:
        rows = np.atleast_2d(np.asarray(candidates, dtype=np.int64))
        return np.array([self.table[frozenset(int(v) for v in row if v >= 0)]
                         if (row >= 0).any() else 0.0 for row in rows])


def table_game(costs: dict[tuple[int, ...], float], ids: tuple[str, ...] = ("a", "b", "c"),
               **columns: npt.NDArray[np.float64]) -> TableGame:
    n = len(ids)
    zero = np.zeros(n)
    fields: dict[str, object] = {
        "ids": np.array(ids), "standing_hours": {}, "households": np.full(n, 100.0),
        "floor_area_m2": np.full(n, 1000.0), "x_m": zero, "y_m": zero, "jobs_yuan": zero,
        "callout_yuan": zero, "jobs_at_market_yuan": np.ones(n), "other_cash_yuan": zero,
        "income_yuan": zero, "shared": SharedProperty(), "params": pf.default_parameters(),
    }
    fields.update(columns)
    return TableGame(**fields, table={frozenset(k): v for k, v in costs.items()})  # type: ignore[arg-type]


# c(a) = 10, c(b) = 20, c(c) = 30, c(ab) = 24, c(ac) = 34, c(bc) = 44, c(abc) = 50.
ABC = {(0,): 10.0, (1,): 20.0, (2,): 30.0, (0, 1): 24.0, (0, 2): 34.0, (1, 2): 44.0,
       (0, 1, 2): 50.0}


def shares(split: allocation.Split, column: str = "share_yuan") -> list[float]:
    return [float(v) for v in split.shares[column]]


# --- proportional keys -------------------------------------------------------------


def test_households_key() -> None:
    # Households 1 : 2 : 7 of c(abc) = 50: 5, 10, 35.
    g = table_game(ABC, households=np.array([1.0, 2.0, 7.0]))
    s = split_bundle(g, ["c", "b", "a"], "households")
    assert shares(s) == [5.0, 10.0, 35.0]
    assert list(s.shares["compound_id"]) == ["a", "b", "c"]
    # Savings against stand-alone 10, 20, 30: 5, 10, -5 (c pays more than alone).
    assert shares(s, "saving_yuan") == [5.0, 10.0, -5.0]
    assert shares(s, "standalone_yuan") == [10.0, 20.0, 30.0]
    assert s.contract_yuan == 50.0
    assert s.standard_error_yuan is None


def test_use_key_with_weights_below_one_yuan_and_a_zero_weight() -> None:
    # Jobs at market price 0.1, 0.4, 0 yuan (sum 0.5 > 0): 50 x 0.2, 50 x 0.8, 0.
    g = table_game(ABC, jobs_at_market_yuan=np.array([0.1, 0.4, 0.0]))
    s = split_bundle(g, ["a", "b", "c"], "use")
    assert shares(s, "share_unrounded_yuan") == pytest.approx([10.0, 40.0, 0.0])
    assert shares(s) == [10.0, 40.0, 0.0]  # c's zero stays zero fen


def test_an_all_zero_key_splits_equally() -> None:
    # Floor areas all 0: 50 / 3 = 16.667 each; 5,000 fen = 1,666 x 3 + 2 leftover fen to
    # the equal remainders in compound-id order: a and b.
    g = table_game(ABC, floor_area_m2=np.zeros(3))
    s = split_bundle(g, ["a", "b", "c"], "floor_area")
    assert shares(s, "share_unrounded_yuan") == pytest.approx([50 / 3] * 3)
    assert shares(s) == [16.67, 16.67, 16.66]


def test_standalone_key() -> None:
    # Stand-alone 10 : 20 : 30 of 50: 8.333, 16.667, 25 -> 833.33, 1666.67, 2500 fen;
    # 4,999 fen floored, one leftover fen to the largest remainder (b, 0.67).
    s = split_bundle(table_game(ABC), ["a", "b", "c"], "standalone")
    assert shares(s) == [8.33, 16.67, 25.0]


# --- SCRB ----------------------------------------------------------------------------


def test_scrb_clips_negative_remaining_benefits_and_splits_a_small_remainder() -> None:
    # c(a) = c(b) = c(c) = 10, c(bc) = 12, c(ac) = c(ab) = 14.25, c(abc) = 24.
    # Separable s = c(N) - c(N - i): a 24 - 12 = 12, b = c = 24 - 14.25 = 9.75.
    # Remaining r = max(c(i) - s, 0): a max(-2, 0) = 0, b = c = 0.25 (sum 0.5, below 1).
    # Non-separable 24 - 31.5 = -7.5: a 12 + 0, b = c = 9.75 + 0.5 x (-7.5) = 6.
    g = table_game({(0,): 10.0, (1,): 10.0, (2,): 10.0, (1, 2): 12.0, (0, 2): 14.25,
                    (0, 1): 14.25, (0, 1, 2): 24.0})
    s = split_bundle(g, ["a", "b", "c"], "scrb")
    assert shares(s, "share_unrounded_yuan") == pytest.approx([12.0, 6.0, 6.0])
    assert shares(s) == [12.0, 6.0, 6.0]


def test_scrb_without_remaining_benefit_shares_the_rest_equally() -> None:
    # c(a) = c(b) = 10, c(ab) = 25: s = 25 - 10 = 15 each, r = max(10 - 15, 0) = 0 each;
    # non-separable 25 - 30 = -5 split equally: 15 - 2.5 = 12.5 each.
    g = table_game({(0,): 10.0, (1,): 10.0, (0, 1): 25.0}, ids=("a", "b"))
    s = split_bundle(g, ["a", "b"], "scrb")
    assert shares(s, "share_unrounded_yuan") == [12.5, 12.5]
    assert shares(s) == [12.5, 12.5]


# --- epsilon, overcharge and the empty core -------------------------------------------


def test_superadditive_pair_has_an_empty_core() -> None:
    # c(a) = c(b) = 10, c(ab) = 25: x_a - e <= 10, x_b - e <= 10, x_a + x_b = 25 give
    # e >= (25 - 20) / 2 = 2.5; the classical least core (no hard stand-alone cap).
    g = table_game({(0,): 10.0, (1,): 10.0, (0, 1): 25.0}, ids=("a", "b"))
    s = split_bundle(g, ["a", "b"], "floor_area")
    assert shares(s) == [12.5, 12.5]
    assert s.least_core_epsilon_yuan == pytest.approx(2.5)
    assert s.core_empty is True
    # Largest overcharge: {a}: 12.5 - 10 = 2.5, {b} the same, {ab}: 25 - 25 = 0.
    assert s.max_overcharge_yuan == pytest.approx(2.5)


def test_an_additive_pair_has_epsilon_zero_and_a_core() -> None:
    # c(a) = 10, c(b) = 20, c(ab) = 30: e >= (30 - 30) / 2 = 0; no group overcharged.
    g = table_game({(0,): 10.0, (1,): 20.0, (0, 1): 30.0}, ids=("a", "b"))
    s = split_bundle(g, ["a", "b"], "standalone")
    assert s.least_core_epsilon_yuan == pytest.approx(0.0, abs=1e-9)
    assert s.core_empty is False
    assert s.max_overcharge_yuan == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(("single", "pair", "epsilon", "empty"), [
    # The game is priced to the fen: 50 + 50 fen alone, 101 fen together, so
    # e = (101 - 100) / 2 = 0.5 fen = 0.005 yuan > 1e-6 x max(1, 1.01): empty.
    (0.5, 1.01, 0.005, True),
    # 500,000 + 500,000 fen alone, 1,000,000.4 fen -> 1,000,000 fen together: e = 0.
    (5000.0, 10000.004, 0.0, False),
    # 1,000,001 fen together: e = 0.5 fen = 0.005 yuan, within the tolerance
    # 1e-6 x 10,000.01 = 0.01 yuan: not empty.
    (5000.0, 10000.01, 0.005, False),
])
def test_empty_core_tolerance_scales_with_the_contract(single, pair, epsilon, empty) -> None:
    g = table_game({(0,): single, (1,): single, (0, 1): pair}, ids=("a", "b"))
    s = split_bundle(g, ["a", "b"], "floor_area")
    assert s.least_core_epsilon_yuan == epsilon
    assert s.core_empty is empty


def test_hand_core_split_stays_under_stand_alone_and_in_the_core() -> None:
    # ABC: pair constraints x_a + x_b <= 24, x_a + x_c <= 34, x_b + x_c <= 44, sum 50:
    # x_c >= 26, x_b >= 16, x_a >= 6; stand-alone caps 10, 20, 30. The standalone key
    # t = (8.33, 16.67, 25) breaks x_c >= 26 (x_a + x_b <= 24). The nearest point (L2)
    # on x_a + x_b = 24 with the sum kept: t + d with d_a + d_b = -1, d_c = 1, and
    # |d| least at d_a = d_b = -1/2: (7.833, 16.167, 26). In fen 783.33, 1616.67, 2600:
    # floors add up to 4,999, the leftover fen to the largest remainder (b, 0.67).
    s = split_bundle(table_game(ABC), ["a", "b", "c"], "core", key="standalone")
    assert shares(s, "share_unrounded_yuan") == pytest.approx([47 / 6, 97 / 6, 26.0],
                                                              abs=1e-12)
    assert shares(s) == [7.83, 16.17, 26.0]
    assert s.max_overcharge_yuan <= 0.0
    assert s.core_empty is False
    assert (s.shares["saving_yuan"] >= 0).all()


def test_core_split_is_the_shapley_value_when_that_is_in_the_core() -> None:
    # ABC's Shapley value (6.667, 16.667, 26.667) (test_sampled_shapley_beyond_the_exact_
    # limit) keeps every pair under its cost (23.33 <= 24, 33.33 <= 34, 43.33 <= 44): the
    # default core split is the Shapley value itself. In fen 666.67, 1666.67, 2666.67:
    # floors add up to 4,998; the 2 leftover fen to the equal remainders a and b.
    s = split_bundle(table_game(ABC), ["c", "b", "a"], "core")
    assert shares(s, "share_unrounded_yuan") == pytest.approx([20 / 3, 50 / 3, 80 / 3],
                                                              abs=1e-12)
    assert shares(s) == [6.67, 16.67, 26.66]
    assert shares(s) == shares(split_bundle(table_game(ABC), ["a", "b", "c"], "shapley"))


# --- least_core directly ---------------------------------------------------------------


def test_least_core_of_one_member() -> None:
    eps, x = least_core(np.array([0.0, 12.5]), 1)
    assert eps == 0.0
    assert x.tolist() == [12.5]


def test_least_core_with_a_zero_cost_member() -> None:
    # c(a) = 10, c(b) = 0, c(ab) = 10: caps 10 and 0 leave x = (10, 0) only;
    # e = max(x_a - 10, x_b - 0) = 0.
    eps, x = least_core(np.array([0.0, 10.0, 0.0, 10.0]), 2)
    assert eps == pytest.approx(0.0, abs=1e-9)
    assert x.tolist() == pytest.approx([10.0, 0.0], abs=1e-9)


def test_least_core_group_bound_uses_epsilon_plus_zero() -> None:
    # c(i) = 10, c(pair) = 15, c(abc) = 20. Epsilon: pairs give 2 x 20 <= 45 + 3e, so
    # e = -5/3 (x = 20/3 each). The point with e+ = max(-5/3, 0) = 0 and key (4, 10, 6):
    # x_b + x_c = 16 > 15; the nearest point on x_b + x_c = 15 with the sum kept moves
    # 1 to a and takes 1/2 from each of b and c: (5, 9.5, 5.5) (a + b = 14.5 <= 15).
    costs = np.array([0.0, 10.0, 10.0, 15.0, 10.0, 15.0, 15.0, 20.0])
    eps, x = least_core(costs, 3, np.array([4.0, 10.0, 6.0]))
    assert eps == pytest.approx(-5.0 / 3.0, abs=1e-12)
    assert x.tolist() == [5.0, 9.5, 5.5]


def test_least_core_refuses_a_bundle_dearer_than_its_members() -> None:
    # c(a) = c(b) = 10, c(ab) = 25 > 20: no split keeps both at or below 10.
    with pytest.raises(InputError) as info:
        least_core(np.array([0.0, 10.0, 10.0, 25.0]), 2)
    assert info.value.problems == (Problem(
        None, "members", 2, "no split keeps every compound at or below its stand-alone "
        "cost: the bundle costs more than its members alone"),)
    assert str(info.value).startswith("1 problem in core-constrained split:")


@pytest.mark.parametrize("missing", ["scipy.optimize", "scipy.sparse"])
def test_least_core_names_the_extra_it_needs(monkeypatch, missing) -> None:
    real = importlib.import_module

    def import_module(name: str, package: str | None = None):
        if name == missing:
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", import_module)
    with pytest.raises(MissingExtraError) as info:
        least_core(np.array([0.0, 10.0, 20.0, 24.0]), 2)
    assert str(info.value) == ("the least core needs the optional package 'scipy'; "
                               "install it with: pip install 'propfee[optimise]'")


# --- the sampled Shapley value ----------------------------------------------------------


def test_sampled_shapley_of_two_orders_by_hand() -> None:
    # Seed 7 draws the orders (a, c, b) and (a, b, c) for 3 players.
    assert np.argsort(np.random.default_rng(7).random((2, 3)), axis=1).tolist() == [
        [0, 2, 1], [0, 1, 2]]
    # (a, c, b): a 10, c 34 - 10 = 24, b 50 - 34 = 16.
    # (a, b, c): a 10, b 24 - 10 = 14, c 50 - 24 = 26.
    # Mean: a 10, b 15, c 25 (sum 50 = c(N): every order is efficient).
    # Standard error = std(ddof=1) / sqrt(2): a 0; b |16 - 14| / sqrt(2) / sqrt(2) = 1;
    # c |24 - 26| / 2 = 1.
    est, err = shapley_sampled(table_game(ABC), np.array([0, 1, 2]), 2, seed=7)
    assert est.tolist() == [10.0, 15.0, 25.0]
    assert err.tolist() == pytest.approx([0.0, 1.0, 1.0])


def test_one_sampled_order_has_no_standard_error() -> None:
    order = np.argsort(np.random.default_rng(0).random((1, 3)), axis=1)[0].tolist()
    assert order == [2, 1, 0]
    # (c, b, a): c 30, b 44 - 30 = 14, a 50 - 44 = 6.
    est, err = shapley_sampled(table_game(ABC), [0, 1, 2], 1, seed=0)
    assert est.tolist() == [6.0, 14.0, 30.0]
    assert err.tolist() == [np.inf, np.inf, np.inf]


def test_sampled_shapley_beyond_the_exact_limit(monkeypatch) -> None:
    # With the exact limit at 2, a bundle of 3 is split by sampled orders: seed 7 and 2
    # samples give a 10, b 15, c 25 (the test above), scaled by c(N) / sum = 50 / 50.
    monkeypatch.setattr(allocation, "EXACT_LIMIT", 2)
    g = table_game(ABC)
    s = split_bundle(g, ["c", "a", "b"], "shapley", samples=2, seed=7)
    assert shares(s) == [10.0, 15.0, 25.0]
    assert shares(s, "share_unrounded_yuan") == [10.0, 15.0, 25.0]
    assert s.contract_yuan == 50.0
    assert s.standard_error_yuan is not None
    assert s.standard_error_yuan.tolist() == pytest.approx([0.0, 1.0, 1.0])
    assert np.isnan(s.least_core_epsilon_yuan)
    assert np.isnan(s.max_overcharge_yuan)
    assert s.core_empty is False
    # Defaults: 2,000 orders drawn with seed 0.
    default = split_bundle(g, ["a", "b", "c"], "shapley")
    est, err = shapley_sampled(g, np.array([0, 1, 2]), 2000, 0)
    assert default.standard_error_yuan is not None
    np.testing.assert_array_equal(default.standard_error_yuan, err)
    np.testing.assert_allclose(shares(default, "share_unrounded_yuan"), est * 50.0 / est.sum())
    # Exact Shapley of ABC: a = 10/3 + (24 - 20)/6 + (34 - 30)/6 + (50 - 44)/3 = 6.667,
    # b = 20/3 + 14/6 + 14/6 + 16/3 = 16.667, c = 30/3 + 24/6 + 24/6 + 26/3 = 26.667:
    # the 2,000-order estimate is within 5 standard errors of it.
    exact = np.array([20.0, 50.0, 80.0]) / 3.0
    assert np.all(np.abs(est - exact) <= 5 * err + 1e-9)


def test_the_exact_limit_is_inclusive(monkeypatch) -> None:
    # At the limit (2 members, limit 2) the split is exact: epsilon and no standard error.
    monkeypatch.setattr(allocation, "EXACT_LIMIT", 2)
    g = table_game({(0,): 10.0, (1,): 20.0, (0, 1): 24.0}, ids=("a", "b"))
    s = split_bundle(g, ["a", "b"], "shapley")
    # Shapley: a = 10/2 + (24 - 20)/2 = 7, b = 20/2 + (24 - 10)/2 = 17.
    assert shares(s) == [7.0, 17.0]
    assert s.standard_error_yuan is None
    assert s.least_core_epsilon_yuan == pytest.approx(-3.0)  # x_a - e <= 10, x_b - e <= 20
    assert coalition_costs(g, [0, 1]).tolist() == [0.0, 10.0, 20.0, 24.0]
    with pytest.raises(ValueError, match=r"^3 members: exact enumeration is limited to 2$"):
        coalition_costs(table_game(ABC), [0, 1, 2])


def test_core_split_beyond_the_exact_limit_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(allocation, "EXACT_LIMIT", 2)
    with pytest.raises(InputError) as info:
        split_bundle(table_game(ABC), ["a", "b", "c"], "core")
    assert info.value.problems == (Problem(
        None, "members", 3, "the core-constrained split needs <= 2 members"),)
    assert str(info.value).startswith("1 problem in split:")


@pytest.mark.parametrize(("method", "key", "problem"), [
    ("alphabetical", "floor_area", Problem(None, "method", "alphabetical",
                                           f"must be one of {METHODS}")),
    ("core", "core", Problem(None, "key", "core", f"must be one of {METHODS[:-1]}")),
    # An unknown key used to send the core split into endless recursion.
    ("core", "area", Problem(None, "key", "area", f"must be one of {METHODS[:-1]}")),
])
def test_unknown_method_or_key_is_refused(method, key, problem) -> None:
    with pytest.raises(InputError) as info:
        split_bundle(table_game(ABC), ["a"], method, key=key)
    assert info.value.problems == (problem,)
    assert str(info.value).startswith("1 problem in split:")


@pytest.mark.parametrize(("members", "samples", "problem"), [
    ([], 2000, Problem(None, "members", [], "give a list of at least one compound id")),
    ("abc", 2000, Problem(None, "members", "abc", "give a list of at least one compound id")),
    (["a"], 0, Problem(None, "samples", 0, "must be a whole number >= 1")),
    (["a"], 2.5, Problem(None, "samples", 2.5, "must be a whole number >= 1")),
    (["a"], True, Problem(None, "samples", True, "must be a whole number >= 1")),
])
def test_members_and_samples_are_checked(members, samples, problem) -> None:
    with pytest.raises(InputError) as info:
        split_bundle(table_game(ABC), members, "shapley", samples=samples)
    assert info.value.problems == (problem,)


def test_every_problem_of_a_split_is_named_at_once() -> None:
    with pytest.raises(InputError) as info:
        split_bundle(table_game(ABC), [], "core", key="core", samples=0)  # type: ignore[arg-type]
    assert [p.field for p in info.value.problems] == ["key", "members", "samples"]


def test_split_shows_itself_as_html() -> None:
    g = table_game({(0,): 10.0, (1,): 20.0, (0, 1): 24.0}, ids=("a", "b"))
    s = split_bundle(g, ["a", "b"], "shapley")
    # Epsilon -3 (above), overcharge max(7 - 10, 17 - 20, 24 - 24) = 0.
    head = ("<p>shapley split of 24.00 yuan/year; least-core epsilon -3.00; largest "
            "sub-group overcharge 0.00</p>")
    html = s._repr_html_()
    assert html == head + s.shares.to_html(index=False)
    assert "<th></th>" not in html  # no index column


# --- the game's ids ----------------------------------------------------------------------


def test_unknown_and_repeated_members_are_named() -> None:
    g = table_game(ABC)
    with pytest.raises(InputError) as info:
        g.index(["a", "zz"])
    assert info.value.problems == (Problem("zz", "members", "zz",
                                           "not a compound of the district"),)
    assert str(info.value).startswith("1 problem in bundle:")
    with pytest.raises(InputError) as info:
        g.index(["b", "b"])
    assert info.value.problems == (Problem(None, "members", ["b", "b"],
                                           "a compound is named twice"),)
    assert g.index(["c", "a"]).tolist() == [2, 0]
