"""The core of a bundle and the one point of it that a core split charges.

Notation: ``N`` is a bundle of ``n`` members, ``C(S)`` the contract price of a sub-group
``S`` **in whole fen** (``c(S)`` rounded to the fen, as a contract is priced), ``x`` the
shares [fen], ``x(S)`` their sum over ``S`` and ``u`` optional caps on single shares
(the stand-alone prices ``C({i})``).

**Epsilon** (one linear program, HiGHS)::

    e* = min e  s.t.  x(S) <= C(S) + e   for every proper non-empty S (singletons too)
                      x_i <= u_i,  x_i >= 0,  x(N) = C(N)

``e* <= 0``: the core is not empty. Without caps this is the classical least core.

**The point** (one strictly convex quadratic program)::

    x* = argmin sum_i (x_i - t_i)^2
         s.t.  x(S) <= C(S) + max(e*, 0)   for every proper non-empty S
               x_i <= u_i,  x_i >= 0,  x(N) = C(N)

with ``t`` the target (the Shapley value, unless the planner names another key): the
point of the core nearest the target when the core is not empty, of the least core when
it is. The feasible set is a non-empty polytope (the first program found a point of it)
and the objective is strictly convex, so ``x*`` is **unique**, unlike the allocation
closest in the L1 norm, whose minimisers often fill a whole face, so that the answer
depends on the solver. When the target is already in the set, ``x* = t``: a concave
(submodular) game's core holds its Shapley value (Shapley 1971), and there the core split
is the Shapley split. The nucleolus is unique too, but takes up to ``n`` linear programs,
each of which must decide which sub-groups' excesses are fixed, a decision made within a
tolerance; and it cannot follow a planner's key.

The quadratic program is solved as a least-distance program by non-negative least
squares (Lawson and Hanson 1974, chapter 23; ``scipy.optimize.nnls``); DAQP, a dual
active-set QP solver (Arnstrom, Bemporad and Axehill 2022; ``daqp``), takes over if that
answer is not proven. (HiGHS's QP solver was tried and left out: on bundles of a dozen
members it ran for minutes or failed.)

**Exact answers.** A solver answers within its tolerances, and two solvers (or two
options of one) answer with different last digits; after rounding to the fen such
differences move fen from one compound to another. So each answer is rebuilt in
rational arithmetic (:class:`fractions.Fraction`): the constraints the solver's answer
holds with a slack below a threshold define the answer on their own (for the epsilon,
the vertex where they meet; for the point, the projection of ``t`` onto the affine set
where they all hold with equality). Every optimal answer holds the same constraints, so
every solver leads to the same rational numbers. Whole fen make the data exact: a
constraint that holds with equality does so exactly, not up to the rounding of sums of
floats. The rebuilt answer is used only once it is proven: every constraint holds in
exact arithmetic, and the optimality conditions hold (for the epsilon: the objective
``e`` is a non-negative combination of the tight rows; for the point:
``t - x* = sum_S lambda_S 1_S + mu 1`` with ``lambda >= 0`` over the tight rows), exactly
from the multipliers of the rebuilt system or, where tight rows are redundant, by
non-negative least squares to :data:`KKT_TOLERANCE`. Thresholds from
:data:`TIGHT_FEN` up to a hundredth of a fen are tried in turn; an answer that no
threshold proves is returned as the solver found it (``exact`` false).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from propfee._optional import require
from propfee.errors import InputError, MissingExtraError, Problem
from propfee.money import yuan_to_fen

__all__ = [
    "KKT_TOLERANCE",
    "TIGHT_FEN",
    "CoreGame",
    "CorePoint",
    "core_point",
    "fen_game",
    "largest_remainder_exact",
    "least_core_epsilon",
    "shapley_fen",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

TIGHT_FEN: Final = 1e-6
"""A constraint whose slack at a solver's answer is below this is tight, at first. [fen]"""
_THRESHOLDS: Final = (TIGHT_FEN, 1e-4, 1e-2)
"""Tight thresholds tried in turn until the rebuilt answer is proven. [fen]"""
KKT_TOLERANCE: Final = 1e-9
"""Residual of the optimality conditions accepted by the least-squares check, as a share
of the distance from the target. [1]"""

LpMethod = Literal["highs-ds", "highs-ipm"]
QpMethod = Literal["nnls", "daqp"]


@dataclass(frozen=True)
class CoreGame:
    """A bundle's game priced to the fen, and the rows of its core.

    Attributes
    ----------
    n
        Members.
    fen
        ``C(S)`` of all ``2^n`` sub-groups, indexed by bitmask (bit ``j`` = member
        ``j``). [fen]
    caps
        ``u_i`` of each member, or ``None``. [fen]
    groups
        ``(2^n - 2, n)`` 0/1 matrix of the proper non-empty sub-groups, in mask order.
    """

    n: int
    fen: IntArray
    caps: IntArray | None
    groups: FloatArray

    @property
    def grand(self) -> int:
        """``C(N)``. [fen]"""
        return int(self.fen[-1])

    @property
    def group_fen(self) -> IntArray:
        """``C(S)`` of the rows of :attr:`groups`. [fen]"""
        return self.fen[1:-1]

    @property
    def scale(self) -> float:
        """The largest ``|C(S)|``, at least 1: the unit the solvers work in. [fen]"""
        return max(float(np.max(np.abs(self.fen))), 1.0)

    def rows(self, e_plus: Fraction | None) -> Rows:
        """Inequality rows ``G z <= h``: groups, caps, ``-x_i <= 0``.

        Parameters
        ----------
        e_plus
            ``None``: the epsilon program (variables ``x`` and ``e``; group rows carry
            ``-1`` for ``e``). Else the point's program with ``C(S) + e_plus``. [fen]
        """
        n = self.n
        eye = np.eye(n)
        parts = [self.groups, -eye]
        whole = [self.group_fen, np.zeros(n, dtype=np.int64)]
        if self.caps is not None:
            parts.insert(1, eye)
            whole.insert(1, self.caps)
        g = np.vstack(parts)
        if e_plus is None:
            e_col = np.zeros((len(g), 1))
            e_col[: len(self.groups)] = -1.0
            g = np.hstack([g, e_col])
        return Rows(g, np.concatenate(whole), Fraction(0) if e_plus is None else e_plus,
                    len(self.groups))


@dataclass(frozen=True)
class Rows:
    """Inequality rows ``G z <= h`` with ``h = whole + offset`` on the first ``shifted`` rows.

    Attributes
    ----------
    g
        The row matrix (small whole numbers).
    whole
        The whole-fen part of ``h``. [fen]
    offset
        Added to the first ``shifted`` rows' ``h`` (the epsilon allowed to groups). [fen]
    shifted
        How many rows (the groups) take the offset.
    """

    g: FloatArray
    whole: IntArray
    offset: Fraction
    shifted: int

    def h(self, k: int) -> Fraction:
        """``h`` of row ``k``, exact. [fen]"""
        return Fraction(int(self.whole[k])) + (self.offset if k < self.shifted else 0)

    def h_float(self) -> FloatArray:
        """``h`` of every row as floats. [fen]"""
        out = self.whole.astype(np.float64)
        out[: self.shifted] += float(self.offset)
        return out


def fen_game(costs_by_mask: npt.ArrayLike, n: int, *, cap_standalone: bool) -> CoreGame:
    """Price a bundle's game to the fen.

    Parameters
    ----------
    costs_by_mask
        ``c(S)`` of all ``2^n`` sub-groups, indexed by bitmask. [yuan/year]
    n
        Members, at least 2.
    cap_standalone
        Cap each share at the member's stand-alone price.

    Returns
    -------
    CoreGame
    """
    fen = yuan_to_fen(np.asarray(costs_by_mask, dtype=np.float64))
    masks = np.arange(1, (1 << n) - 1, dtype=np.int64)
    groups = ((masks[:, None] >> np.arange(n)) & 1).astype(np.float64)
    caps = fen[1 << np.arange(n)] if cap_standalone else None
    return CoreGame(n, fen, caps, groups)


def shapley_fen(game: CoreGame) -> tuple[Fraction, ...]:
    """The exact Shapley value of a game priced to the fen.

    ``phi_i = sum_s s! (n - s - 1)! / n! * D_is``, with ``D_is`` the sum of
    ``C(S + i) - C(S)`` over the sub-groups ``S`` of size ``s`` without ``i``: whole fen,
    added exactly, then weighed in whole numbers. Members whose costs are symmetric get
    exactly the same value.

    Returns
    -------
    tuple of fractions.Fraction
        Each member's value; they add up to ``C(N)``. [fen]
    """
    n = game.n
    masks = np.arange(1 << n, dtype=np.int64)
    size = np.bitwise_count(masks.astype(np.uint64)).astype(np.int64)
    weight = [math.factorial(s) * math.factorial(n - s - 1) for s in range(n)]
    values = []
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        gain = game.fen[without | (1 << i)] - game.fen[without]
        by_size = np.zeros(n, dtype=np.int64)
        np.add.at(by_size, size[without], gain)
        values.append(Fraction(sum(w * int(d) for w, d in zip(weight, by_size, strict=True)),
                               math.factorial(n)))
    return tuple(values)


def _refuse(n: int) -> InputError:
    return InputError([Problem(None, "members", n,
                               "no split keeps every compound at or below its stand-alone "
                               "cost: the bundle costs more than its members alone")],
                      what="core-constrained split")


# --- epsilon --------------------------------------------------------------------------


def _epsilon_lp(game: CoreGame, method: LpMethod) -> FloatArray:
    """Solve the epsilon program; ``(x, e)`` as found. [fen]"""
    opt = require("scipy.optimize", feature="the least core", extra="optimise")
    sp = require("scipy.sparse", feature="the least core", extra="optimise")
    n, s = game.n, game.scale
    m = len(game.groups)
    rows = [np.hstack([game.groups, -np.ones((m, 1))])]
    rhs = [game.group_fen.astype(np.float64)]
    if game.caps is not None:
        rows.append(np.hstack([np.eye(n), np.zeros((n, 1))]))
        rhs.append(game.caps.astype(np.float64))
    objective = np.zeros(n + 1)
    objective[-1] = 1.0
    res = opt.linprog(objective, A_ub=sp.csr_matrix(np.vstack(rows)), b_ub=np.concatenate(rhs) / s,
                      A_eq=np.concatenate([np.ones(n), [0.0]])[None, :], b_eq=[game.grand / s],
                      bounds=[(0, None)] * n + [(None, None)], method=method,
                      options={"primal_feasibility_tolerance": 1e-10,
                               "dual_feasibility_tolerance": 1e-10})
    if res.status != 0:
        raise _refuse(n)
    return np.asarray(res.x, dtype=np.float64) * s


def least_core_epsilon(
    game: CoreGame, *, method: LpMethod = "highs-ds"
) -> tuple[Fraction, bool]:
    """The least-core epsilon ``e*`` of a bundle priced to the fen.

    Parameters
    ----------
    game
        The bundle's game (:func:`fen_game`).
    method
        HiGHS method of :func:`scipy.optimize.linprog`: dual simplex or interior point
        (with crossover). Both give the same exact value.

    Returns
    -------
    tuple
        ``(e* [fen], exact)``: ``exact`` is false where no rebuilt vertex was proven
        and ``e*`` is the solver's value.

    Raises
    ------
    propfee.errors.InputError
        If no shares within the caps pay for the bundle.
    """
    if game.n == 1:  # one member: no group to leave, by convention e* = 0
        return Fraction(0), True
    z = _epsilon_lp(game, method)
    rows_ = game.rows(None)
    g = rows_.g
    eff = np.concatenate([np.ones(game.n), [0.0]])
    objective = np.zeros(game.n + 1)
    objective[-1] = 1.0
    for threshold in _THRESHOLDS:
        tight = _tight(rows_, z, threshold)
        rows = np.vstack([eff[None, :], g[tight]])
        rhs = [Fraction(game.grand), *(rows_.h(k) for k in tight)]
        chosen = _independent_rows(rows)
        if len(chosen) < game.n + 1:
            continue
        solved = _solve_square([rows[k] for k in chosen], [rhs[k] for k in chosen])
        if solved is None or not _feasible(rows_, solved):
            continue
        # Optimal: -objective = sum of lambda_k g_k (k tight) + mu eff with lambda >= 0.
        multipliers = _solve_square(np.array([rows[k] for k in chosen]).T.tolist(),
                                    [Fraction(-int(v)) for v in objective])
        if multipliers is not None and all(v >= 0 for v, k in zip(multipliers, chosen,
                                                                   strict=True) if k > 0):
            return solved[-1], True
        if _in_cone(np.vstack([g[_tight_exact(rows_, solved)], eff, -eff]), -objective, 1.0):
            return solved[-1], True
    return Fraction(float(z[-1])), False


# --- the point ------------------------------------------------------------------------


@dataclass(frozen=True)
class CorePoint:
    """The core point of a bundle and how it was found.

    Attributes
    ----------
    epsilon
        The least-core epsilon the point's set was built with. [fen]
    shares
        The point; sums to ``C(N)``. [fen]
    exact
        Whether both the epsilon and the point were rebuilt in rational arithmetic and
        proven (else the solvers' answers as found).
    """

    epsilon: Fraction
    shares: tuple[Fraction, ...]
    exact: bool

    def yuan(self) -> FloatArray:
        """The shares, each the float nearest the exact share. [yuan/year]"""
        return np.array([float(v / 100) for v in self.shares], dtype=np.float64)


def core_point(
    game: CoreGame,
    target: Sequence[Fraction] | None = None,
    *,
    lp_method: LpMethod = "highs-ds",
    qp_method: QpMethod = "nnls",
) -> CorePoint:
    """The point of ``{x(S) <= C(S) + max(e*, 0), x <= u, x >= 0, x(N) = C(N)}`` nearest ``t``.

    Parameters
    ----------
    game
        The bundle's game (:func:`fen_game`).
    target
        The target ``t``, one value per member; ``None``: the Shapley value
        (:func:`shapley_fen`). [fen]
    lp_method
        HiGHS method for ``e*``.
    qp_method
        ``"nnls"`` (least distance by non-negative least squares, the default) or
        ``"daqp"`` (a dual active-set solver). Both give the same exact point; the other one
        is tried when the first one's answer is not proven.

    Returns
    -------
    CorePoint

    Raises
    ------
    propfee.errors.InputError
        If no shares within the caps pay for the bundle.
    """
    if game.n == 1:
        return CorePoint(Fraction(0), (Fraction(game.grand),), True)
    t_exact = list(shapley_fen(game) if target is None else target)
    t = np.array([float(v) for v in t_exact])
    e_star, e_exact = least_core_epsilon(game, method=lp_method)
    rows = game.rows(max(e_star, Fraction(0)))
    h = rows.h_float()
    solvers: dict[QpMethod, Callable[[FloatArray, FloatArray, FloatArray, CoreGame],
                                     FloatArray]] = {"nnls": _qp_nnls, "daqp": _qp_daqp}
    found = t
    for name in (qp_method, "daqp" if qp_method == "nnls" else "nnls"):
        try:
            found = solvers[name](rows.g, h, t, game)
        except MissingExtraError:
            if name == qp_method:
                raise
            break  # the second solver is not installed: the first answer as found

        point = _exact_projection(rows, t_exact, game, found)
        if point is not None:
            return CorePoint(e_star, point, e_exact)
    return CorePoint(e_star, tuple(Fraction(float(v)) for v in found), False)


def _qp_nnls(g: FloatArray, h: FloatArray, t: FloatArray, game: CoreGame) -> FloatArray:
    """Least distance from ``t`` by non-negative least squares (Lawson and Hanson, ch. 23).

    With ``y = x - t``: ``min |y|`` s.t. ``A y >= d`` for ``A = [-G; 1; -1]`` and
    ``d = [-(h - G t); C(N) - t(N); t(N) - C(N)]``. For ``E = [A^T; d^T]`` and
    ``f = (0, ..., 0, 1)``, non-negative least squares ``min |E w - f|, w >= 0`` gives
    ``r = E w - f`` and ``y = -r[:n] / r[n]``.
    """
    opt = require("scipy.optimize", feature="the least core", extra="optimise")
    n, s = game.n, game.scale
    ones = np.ones((1, n))
    a = np.vstack([-g, ones, -ones])
    gap = game.grand - t.sum()
    d = np.concatenate([-(h - g @ t), [gap, -gap]]) / s
    e = np.vstack([a.T, d[None, :]])
    f = np.zeros(n + 1)
    f[-1] = 1.0
    w, _ = opt.nnls(e, f, maxiter=50 * e.shape[1])
    r = e @ w - f
    if abs(r[-1]) < 1e-300:  # pragma: no cover - the epsilon program proved a point exists
        return t.copy()
    return np.asarray(t - r[:n] / r[-1] * s, dtype=np.float64)


def _qp_daqp(g: FloatArray, h: FloatArray, t: FloatArray, game: CoreGame) -> FloatArray:
    """``min |x - t|^2`` with DAQP, a dual active-set QP solver (Arnstrom, Bemporad and
    Axehill 2022), in units of ``game.scale``."""
    daqp = require("daqp", feature="the least core's second QP solver", extra="optimise")
    n, s = game.n, game.scale
    a = np.ascontiguousarray(np.vstack([g, np.ones((1, n))]))
    upper = np.concatenate([h / s, [game.grand / s]])
    lower = np.concatenate([np.full(len(g), -1e30), [game.grand / s]])
    sense = np.zeros(len(a), dtype=np.int32)
    sense[-1] = 5  # active and immutable: the equality x(N) = C(N)
    x, _, flag, _ = daqp.solve(np.eye(n), -t / s, a, upper, lower, sense,
                               primal_tol=1e-12, iter_limit=100_000)
    if flag < 1:  # pragma: no cover - the epsilon program proved a point exists
        return t.copy()
    return np.asarray(x, dtype=np.float64) * s


def _exact_projection(
    rows_: Rows, t: Sequence[Fraction], game: CoreGame, found: FloatArray,
) -> tuple[Fraction, ...] | None:
    """The projection of ``t`` onto the rows ``found`` holds tight, exact and proven."""
    n, g = game.n, rows_.g
    ones = np.ones((1, n))
    for threshold in _THRESHOLDS:
        tight = _tight(rows_, found, threshold)
        rows = np.vstack([ones, g[tight]])
        rhs = [Fraction(game.grand), *(rows_.h(k) for k in tight)]
        chosen = _independent_rows(rows)
        b = [rows[k] for k in chosen]
        # x = t - B^T nu with (B B^T) nu = B t - b.
        gram = [[float(np.dot(p, q)) for q in b] for p in b]
        gap = [_dot(p, t) - rhs[k] for p, k in zip(b, chosen, strict=True)]
        nu = _solve_square(gram, gap)
        if nu is None:  # pragma: no cover - independent rows make a regular Gram matrix
            continue
        x = list(t)
        for p, v in zip(b, nu, strict=True):
            for j in np.flatnonzero(p):
                x[j] -= int(p[j]) * v
        if not _feasible(rows_, x):
            continue
        if all(v >= 0 for v, k in zip(nu, chosen, strict=True) if k > 0):
            return tuple(x)
        direction = np.array([float(ti - xi) for ti, xi in zip(t, x, strict=True)])
        if _in_cone(np.vstack([g[_tight_exact(rows_, x)], ones, -ones]), direction,
                    max(float(np.linalg.norm(direction)), 1.0)):
            return tuple(x)
    return None


# --- exact checks ---------------------------------------------------------------------


def _tight(rows: Rows, z: FloatArray, threshold: float) -> IntArray:
    """Rows whose slack at a solver's answer ``z`` is at most ``threshold``. [fen]"""
    return np.flatnonzero(rows.h_float() - rows.g @ z <= threshold)


def _tight_exact(rows: Rows, z: Sequence[Fraction]) -> IntArray:
    """Rows that hold with equality at the rational point ``z``."""
    near = _tight(rows, np.array([float(v) for v in z]), 1e-3)
    return np.array([k for k in near if rows.h(k) == _dot(rows.g[k], z)], dtype=np.int64)


def _feasible(rows: Rows, z: Sequence[Fraction]) -> bool:
    """Whether ``G z <= h`` holds exactly: in floats where the slack is clear, in
    fractions where it is within a thousandth of a fen."""
    slack = rows.h_float() - rows.g @ np.array([float(v) for v in z])
    if np.any(slack < -1e-3):
        return False
    return all(rows.h(int(k)) - _dot(rows.g[k], z) >= 0 for k in np.flatnonzero(slack <= 1e-3))


def _dot(row: FloatArray, z: Sequence[Fraction]) -> Fraction:
    """``row . z`` exactly, for a row of small whole numbers."""
    return sum((int(row[j]) * z[int(j)] for j in np.flatnonzero(row)), Fraction(0))


def _in_cone(rows: FloatArray, vector: FloatArray, size: float) -> bool:
    """Whether ``vector`` is a non-negative combination of ``rows`` (least squares,
    residual within :data:`KKT_TOLERANCE` of ``size``)."""
    opt = require("scipy.optimize", feature="the least core", extra="optimise")
    if len(rows) == 0:
        return bool(np.linalg.norm(vector) <= KKT_TOLERANCE * size)
    _, residual = opt.nnls(rows.T / size, vector / size, maxiter=50 * len(rows))
    return bool(residual <= KKT_TOLERANCE)


def _independent_rows(rows: FloatArray) -> list[int]:
    """Indices of a largest set of linearly independent rows (pivoted QR), ascending."""
    linalg = require("scipy.linalg", feature="the least core", extra="optimise")
    _, r, perm = linalg.qr(rows.T, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int(np.sum(diag > 1e-9 * float(diag[0]))) if len(diag) and diag[0] > 0 else 0
    return sorted(int(k) for k in perm[:rank])


def _solve_square(a: Sequence[Sequence[float]] | Sequence[FloatArray],
                  b: Sequence[Fraction]) -> list[Fraction] | None:
    """Solve ``A z = b`` exactly for a square ``A`` of whole numbers; ``None`` if ``A`` is
    singular.

    Fraction-free elimination (Bareiss 1968) in whole numbers, with ``b`` scaled to whole
    numbers by the least common multiple of its denominators, then back substitution in
    fractions.
    """
    size = len(b)
    scale = math.lcm(*(v.denominator for v in b)) if size else 1
    m = [[round(float(v)) for v in row] + [int(b[i] * scale)] for i, row in enumerate(a)]
    if any(len(row) != size + 1 for row in m):
        return None
    previous = 1
    for k in range(size):
        pivot = next((r for r in range(k, size) if m[r][k] != 0), None)
        if pivot is None:
            return None
        m[k], m[pivot] = m[pivot], m[k]
        for i in range(k + 1, size):
            m[i] = [*m[i][:k + 1], *((m[i][j] * m[k][k] - m[i][k] * m[k][j]) // previous
                                     for j in range(k + 1, size + 1))]
        previous = m[k][k]
    z = [Fraction(0)] * size
    for k in reversed(range(size)):
        rest = m[k][size] - sum(m[k][j] * z[j] for j in range(k + 1, size))
        z[k] = Fraction(rest) / m[k][k]
    return [v / scale for v in z]


# --- rounding ---------------------------------------------------------------------------


def largest_remainder_exact(quotas: Sequence[Fraction], keys: Sequence[str]) -> IntArray:
    """Whole fen by largest remainder from exact quotas that add up to a whole number.

    Each party gets the floor of its quota; the fen left over go one each to the largest
    remainders, equal remainders to the smaller key. The same rule as
    :func:`propfee.money.allocate_fen`, on quotas that need no scaling.

    Parameters
    ----------
    quotas
        Exact quotas, adding up to a whole number. [fen]
    keys
        Unique party keys (compound ids), for ties.

    Returns
    -------
    numpy.ndarray of int64
        Each party's share; they add up to the quotas' sum. [fen]

    Raises
    ------
    ValueError
        If the quotas do not add up to a whole number, or the keys are not unique.

    Examples
    --------
    >>> largest_remainder_exact([Fraction(10, 3)] * 3, ["c", "a", "b"]).tolist()
    [3, 4, 3]
    """
    total = sum(quotas, Fraction(0))
    if total.denominator != 1:
        raise ValueError(f"quotas add up to {total}, not a whole number of fen")
    if len(set(keys)) != len(keys):
        raise ValueError("keys must be unique to break ties deterministically")
    floors = [math.floor(q) for q in quotas]
    left = int(total) - sum(floors)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), keys[i]))
    for i in order[:left]:
        floors[i] += 1
    return np.array(floors, dtype=np.int64)
