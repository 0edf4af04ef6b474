"""Fair shares of a bundle's contract price.

Methods (``x_i`` is compound ``i``'s share of ``c(N)``, ``N`` the bundle):

- ``floor_area``, ``households``, ``standalone``, ``use``: proportional to the key
  (``use`` = per-use jobs at market price). Proportional keys can charge a compound
  more than it would pay alone.
- ``scrb`` (separable costs, remaining benefits): ``s_i = c(N) - c(N \\ i)``,
  ``r_i = max(c({i}) - s_i, 0)``, ``x_i = s_i + r_i / sum(r) * (c(N) - sum(s))``.
- ``shapley``: ``x_i = sum over S not containing i of |S|! (n-|S|-1)! / n! (c(S+i) - c(S))``,
  exact over all ``2^n`` sub-groups up to :data:`EXACT_LIMIT` members (vectorised: all
  sub-group costs in one call of the cost function; the game priced to the fen and the
  value kept as exact fractions, so that members in symmetric positions get exactly
  the same quota and an equal remainder goes by compound id), by seeded permutation
  sampling beyond, with a standard error.
- ``core``: the point of the core nearest the Shapley value (or another key the planner
  names) in the Euclidean norm, or of the least core when the core is empty:
  ``x* = argmin sum_i (x_i - t_i)^2`` subject to ``x(S) <= c(S) + max(e*, 0)`` for every
  proper sub-group ``S`` (singletons included), ``x_i <= c({i})`` (taken down to the
  fen), ``x_i >= 0`` and ``x(N) = c(N)``, where ``e*`` is the least-core epsilon (one
  linear program) and ``t`` the target. A strictly convex program over a non-empty
  polytope has one minimiser, so the split is uniquely defined; it is rebuilt in
  rational arithmetic, so it does not depend on the solver
  (:mod:`propfee.bundling.core`). Where the Shapley value is in the core (always in a
  concave game) the core split is the Shapley split.

Every split is rounded to integer fen by largest remainder (ties by compound id) and
sums exactly to ``c(N)`` rounded to the fen. Each reports every compound's saving
against stand-alone, the least-core epsilon and the largest overcharge any sub-group
sees: ``max_S (sum_{i in S} x_i - c(S))`` over all non-empty ``S`` (for bundles up to
:data:`EXACT_LIMIT` members).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import factorial
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.bundling.core import (
    CorePoint,
    LpMethod,
    QpMethod,
    core_point,
    fen_game,
    largest_remainder_exact,
    least_core_epsilon,
    shapley_fen,
)
from propfee.bundling.game import BundleGame
from propfee.errors import InputError, Problem
from propfee.money import allocate_fen, fen_to_yuan, yuan_to_fen

__all__ = [
    "EXACT_LIMIT",
    "Split",
    "coalition_costs",
    "least_core",
    "shapley_exact",
    "shapley_sampled",
    "split_bundle",
]

FloatArray = npt.NDArray[np.float64]

EXACT_LIMIT = 16
"""Largest bundle for which every sub-group is enumerated (2^16 = 65,536). [compounds]"""

Method = Literal["floor_area", "households", "standalone", "use", "scrb", "shapley", "core"]


def _subset_matrix(n: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    masks = np.arange(1 << n, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
    return masks, bits


def coalition_costs(game: BundleGame, members: npt.ArrayLike) -> FloatArray:
    """``c(S)`` of every sub-group of a bundle, indexed by bitmask (bit ``j`` = member ``j``).

    Parameters
    ----------
    game
        The bundling game.
    members
        Positions of the bundle's members in the game (at most :data:`EXACT_LIMIT`).

    Returns
    -------
    numpy.ndarray
        ``2^n`` costs; entry 0 is the empty set (0). [yuan/year]
    """
    m = np.asarray(members, dtype=np.int64)
    n = len(m)
    if n > EXACT_LIMIT:
        raise ValueError(f"{n} members: exact enumeration is limited to {EXACT_LIMIT}")
    _, bits = _subset_matrix(n)
    padded = np.where(bits, m[None, :], -1)
    return game.costs(padded)


def shapley_exact(costs_by_mask: FloatArray, n: int) -> FloatArray:
    """Exact Shapley value from the costs of all ``2^n`` sub-groups.

    Parameters
    ----------
    costs_by_mask
        ``c(S)`` indexed by bitmask. [yuan/year]
    n
        Number of players.

    Returns
    -------
    numpy.ndarray
        Each player's Shapley value; they sum to ``c(N)``. [yuan/year]

    Examples
    --------
    Two players, c(A) = 10, c(B) = 20, c(AB) = 24: A pays 10 + (24 - 20 - 10)/2 = 7.

    >>> shapley_exact(np.array([0.0, 10.0, 20.0, 24.0]), 2).tolist()
    [7.0, 17.0]
    """
    masks = np.arange(1 << n, dtype=np.int64)
    size = np.bitwise_count(masks.astype(np.uint64)).astype(np.int64)
    weight = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)])
    phi = np.empty(n)
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        gain = costs_by_mask[without | (1 << i)] - costs_by_mask[without]
        phi[i] = float(np.sum(weight[size[without]] * gain))
    return phi


def shapley_sampled(
    game: BundleGame, members: npt.ArrayLike, samples: int, seed: int
) -> tuple[FloatArray, FloatArray]:
    """Shapley value by permutation sampling (seeded numpy Generator).

    Parameters
    ----------
    game
        The bundling game.
    members
        Positions of the bundle's members in the game.
    samples
        Number of random orders.
    seed
        Seed; the same seed gives the same numbers.

    Returns
    -------
    tuple of numpy.ndarray
        ``(estimate, standard_error)``. [yuan/year]
    """
    m = np.asarray(members, dtype=np.int64)
    n = len(m)
    rng = np.random.default_rng(seed)
    orders = np.argsort(rng.random((samples, n)), axis=1)
    # Prefix sets of every order: row (s, k) holds the first k+1 members of order s.
    prefix = np.where(np.arange(n)[None, None, :] <= np.arange(n)[None, :, None],
                      m[orders][:, None, :], -1).reshape(samples * n, n)
    costs = game.costs(prefix).reshape(samples, n)
    marginal = np.diff(np.concatenate([np.zeros((samples, 1)), costs], axis=1), axis=1)
    contrib = np.zeros((samples, n))
    np.put_along_axis(contrib, orders, marginal, axis=1)
    estimate = contrib.mean(axis=0)
    stderr = contrib.std(axis=0, ddof=1) / np.sqrt(samples) if samples > 1 else np.full(n, np.inf)
    return estimate, stderr


def least_core(
    costs_by_mask: FloatArray, n: int, key: FloatArray | None = None,
    *, cap_standalone: bool = True,
) -> tuple[float, FloatArray]:
    """Least-core epsilon and the core point nearest a target (the Shapley value by default).

    The game is priced to the fen (every ``c(S)`` rounded to the fen, as a contract is);
    the epsilon is one linear program (HiGHS), the point one strictly convex quadratic
    program, both rebuilt in rational arithmetic (:mod:`propfee.bundling.core`): the
    point is unique and does not depend on the solver.

    Parameters
    ----------
    costs_by_mask
        ``c(S)`` of all sub-groups, indexed by bitmask. [yuan/year]
    n
        Number of players.
    key
        Target allocation (the planner's key); ``None``: the exact Shapley value of the
        game priced to the fen. [yuan/year]
    cap_standalone
        Also require ``x_i <= c({i})`` outright (not only up to epsilon). Without it the
        program is the classical least core, always feasible.

    Returns
    -------
    tuple
        ``(epsilon [yuan/year], allocation [yuan/year])``: the allocation is the point of
        ``{x(S) <= c(S) + max(epsilon, 0)}`` (with the caps, ``x >= 0`` and
        ``x(N) = c(N)``) nearest the target in the Euclidean norm, each share the float
        nearest the exact one.

    Raises
    ------
    propfee.errors.InputError
        If no split keeps every compound at or below its stand-alone cost.

    Examples
    --------
    c(a) = c(b) = c(c) = 10, c(ab) = 10, c(ac) = c(bc) = 15, c(abc) = 19. The Shapley value
    (5.5, 5.5, 8) charges a and b 11 > c(ab); the nearest core point moves half a yuan
    from each of them to c: (5, 5, 9). The least core epsilon is -0.5.

    >>> costs = np.array([0.0, 10, 10, 10, 10, 15, 15, 19])
    >>> eps, x = least_core(costs, 3)
    >>> float(eps), x.tolist()
    (-0.5, [5.0, 5.0, 9.0])
    """
    if n == 1:  # one member: nothing to leave
        return 0.0, np.array([float(costs_by_mask[1])])
    point = _core_point(costs_by_mask, n, key, cap_standalone=cap_standalone)
    return float(point.epsilon / 100), point.yuan()


def _core_point(
    costs_by_mask: FloatArray, n: int, key: FloatArray | None, *, cap_standalone: bool,
    lp_method: LpMethod = "highs-ds", qp_method: QpMethod = "nnls",
) -> CorePoint:
    """The core point of :func:`least_core` in fen, with the solvers named (for tests)."""
    game = fen_game(costs_by_mask, n, cap_standalone=cap_standalone)
    target = None if key is None else [
        Fraction(float(v)) * 100 for v in np.asarray(key, dtype=np.float64)]
    return core_point(game, target, lp_method=lp_method, qp_method=qp_method)


def _epsilon(costs_by_mask: FloatArray, n: int) -> float:
    """The classical least-core epsilon (no caps) of the game priced to the fen. [yuan/year]"""
    if n == 1:
        return 0.0
    eps, _ = least_core_epsilon(fen_game(costs_by_mask, n, cap_standalone=False))
    return float(eps / 100)


@dataclass(frozen=True)
class Split:
    """A bundle's contract price split among its members.

    Attributes
    ----------
    method
        The allocation method.
    shares
        One row per member (sorted by compound id): ``compound_id``, ``share_yuan``
        (exact to the fen; the column sums to ``contract_yuan``), ``standalone_yuan``,
        ``saving_yuan`` (stand-alone minus share; negative: the compound pays more than
        alone), and ``share_unrounded_yuan``.
    contract_yuan
        ``c(N)`` rounded to the fen. [yuan/year]
    least_core_epsilon_yuan
        Least-core epsilon (``<= 0``: the core is non-empty); ``nan`` beyond
        :data:`EXACT_LIMIT` members. [yuan/year]
    max_overcharge_yuan
        Largest ``sum_{i in S} share_i - c(S)`` over all non-empty sub-groups, on the
        shares as charged (in fen) (``<= 0``: no group would rather leave); ``nan``
        beyond :data:`EXACT_LIMIT`. [yuan/year]
    core_empty
        Whether the bundle's core is empty (some group would rather leave, whatever
        the split).
    standard_error_yuan
        Sampling standard error per member for sampled Shapley values, else ``None``.
    """

    method: str
    shares: pd.DataFrame
    contract_yuan: float
    least_core_epsilon_yuan: float
    max_overcharge_yuan: float
    core_empty: bool
    standard_error_yuan: FloatArray | None = None

    def _repr_html_(self) -> str:
        head = (f"<p>{self.method} split of {self.contract_yuan:,.2f} yuan/year; least-core "
                f"epsilon {self.least_core_epsilon_yuan:,.2f}; largest sub-group overcharge "
                f"{self.max_overcharge_yuan:,.2f}</p>")
        return head + self.shares.to_html(index=False)


def split_bundle(
    game: BundleGame,
    members: Sequence[str],
    method: Method = "shapley",
    *,
    key: Method = "shapley",
    samples: int = 2000,
    seed: int = 0,
) -> Split:
    """Split a bundle's contract price among its members.

    Parameters
    ----------
    game
        The bundling game of the district.
    members
        Compound ids of the bundle.
    method
        See the module docstring.
    key
        For ``method="core"``: the target the split stays nearest to, any method but
        ``core`` (by default the Shapley value).
    samples, seed
        Permutation samples (at least 1) and seed for Shapley values beyond
        :data:`EXACT_LIMIT`.

    Returns
    -------
    Split

    Raises
    ------
    propfee.errors.InputError
        For no members, unknown or repeated compound ids, an unknown method or key, a
        number of samples below 1, or ``core`` beyond :data:`EXACT_LIMIT` members.
    """
    allowed = ("floor_area", "households", "standalone", "use", "scrb", "shapley", "core")
    problems = []
    if method not in allowed:
        problems.append(Problem(None, "method", method, f"must be one of {allowed}"))
    if method == "core" and key not in allowed[:-1]:
        problems.append(Problem(None, "key", key, f"must be one of {allowed[:-1]}"))
    if isinstance(members, str) or len(members) == 0:
        problems.append(Problem(None, "members", members,
                                "give a list of at least one compound id"))
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        problems.append(Problem(None, "samples", samples, "must be a whole number >= 1"))
    if problems:
        raise InputError(problems, what="split")
    order = np.argsort(np.asarray(members, dtype=str), kind="stable")
    ids = [members[i] for i in order]
    pos = game.index(ids)
    n = len(pos)
    exact = n <= EXACT_LIMIT
    if method == "core" and not exact:
        raise InputError([Problem(None, "members", n,
                                  f"the core-constrained split needs <= {EXACT_LIMIT} members")],
                         what="split")
    standalone = game.costs(pos[:, None])
    by_mask = coalition_costs(game, pos) if exact else None
    grand = float(by_mask[-1]) if by_mask is not None else float(game.costs(pos[None, :])[0])
    stderr = None

    def proportional(weights: FloatArray) -> FloatArray:
        w = np.asarray(weights, dtype=np.float64)
        return grand * w / w.sum() if w.sum() > 0 else np.full(n, grand / n)

    def allocate(name: str) -> FloatArray:
        nonlocal stderr
        if name == "floor_area":
            return proportional(game.floor_area_m2[pos])
        if name == "households":
            return proportional(game.households[pos])
        if name == "standalone":
            return proportional(standalone)
        if name == "use":
            return proportional(game.jobs_at_market_yuan[pos])
        if name == "scrb":
            full = np.arange(n)
            without = np.where(full[None, :] != full[:, None], pos[None, :], -1)
            separable = grand - game.costs(without)
            remaining = np.maximum(standalone - separable, 0.0)
            nonsep = grand - separable.sum()
            share = remaining / remaining.sum() if remaining.sum() > 0 else np.full(n, 1 / n)
            scrb: FloatArray = separable + share * nonsep
            return scrb
        est, stderr = shapley_sampled(game, pos, samples, seed)
        scaled: FloatArray = est * grand / est.sum()
        return scaled

    total_fen = int(yuan_to_fen(grand))
    if method == "core":
        assert by_mask is not None
        point = _core_point(by_mask, n, None if key == "shapley" else allocate(key),
                            cap_standalone=True)
        x = point.yuan()
        fen = (largest_remainder_exact(point.shares, ids) if point.exact
               else allocate_fen(total_fen, np.maximum(x, 0.0), ids))
    elif method == "shapley" and by_mask is not None:
        exact_value = shapley_fen(fen_game(by_mask, n, cap_standalone=False))
        x = np.array([float(v / 100) for v in exact_value])
        fen = largest_remainder_exact(exact_value, ids)
    else:
        x = allocate(method)
        fen = allocate_fen(total_fen, np.maximum(x, 0.0), ids)
    share = fen_to_yuan(fen)
    eps, overcharge, empty = np.nan, np.nan, False
    if by_mask is not None:
        eps = _epsilon(by_mask, n)
        _, bits = _subset_matrix(n)
        overcharge = float(np.max(bits[1:].astype(np.float64) @ share - by_mask[1:]))
        empty = eps > 1e-6 * max(1.0, grand)
    shares = pd.DataFrame({
        "compound_id": ids,
        "share_yuan": share,
        "standalone_yuan": fen_to_yuan(yuan_to_fen(standalone)),
        "saving_yuan": fen_to_yuan(yuan_to_fen(standalone) - fen),
        "share_unrounded_yuan": x,
    })
    return Split(method, shares, fen_to_yuan(total_fen).item(), eps, overcharge, bool(empty),
                 stderr)
