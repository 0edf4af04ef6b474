"""Partition a district into bundles: candidate enumeration, exact set partitioning, heuristic.

The problem: split the compounds of a district into disjoint bundles (a compound may
stay alone) such that every bundle respects

- a maximum distance between any two members (``max_distance_m``), and optionally the
  same value of an adjacency column (``same``: e.g. ``"street"``);
- a maximum number of members (``max_members``) and of households (``max_households``);

and the sum of the bundles' objective values is least. Objectives, per bundle ``S``::

    deficit(S) = max(c(S) + other cash costs(S) - fees(S) - public income(S), 0)
    "subsidy":  deficit(S) + tie_break * c(S)          (the street's subsidy)
    "cost":     c(S) + deficit_penalty * deficit(S)    (the real cost, deficits penalised)
    "viable":   -|S| * [deficit(S) < 0.005] + tie_break * deficit(S) / 10,000
                                                  (most compounds viable)

In ``"viable"`` the deficit counts in units of 10,000 yuan (万元), so that at the default
``tie_break`` (0.001) ten million yuan of deficit weigh as much as one viable member; a
bundle is viable when its pooled deficit is below half a fen.

where ``c`` is the contract cost function (:mod:`propfee.bundling.cost`): the optimiser
works on the real cost, not a count of regions.

Methods:

- ``exact``: every feasible bundle is enumerated (cliques of the distance graph, grown
  member by member, vectorised) and the set-partitioning model ``min sum obj_k y_k``,
  ``sum_{k contains i} y_k = 1``, ``y`` binary, is solved with HiGHS
  (``highspy``), started from the heuristic's partition (its window passes get at most
  :data:`WINDOW_SHARE` of the time limit, HiGHS the rest). The bound is HiGHS's dual
  bound over *all* feasible bundles, or the per-compound bound below where that is
  higher (HiGHS stopped by its time limit before it proved much).
- ``heuristic``: greedy set packing by saving per bundle, then exact re-solving of
  spatial windows (bundles fully inside a window are freed and re-optimised), in up to
  four passes whose grids are shifted (:data:`WINDOW_SHIFTS`), until a pass after the
  first improves nothing, within the time limit. Its bound is the LP relaxation of the
  full model if it solves within the time limit and proves more, else the per-compound
  bound ``sum_i min_{k contains i} obj_k / |S_k|`` (valid, weak).
- ``auto``: ``exact`` up to ``exact_limit`` compounds, ``heuristic`` beyond.

Every result reports its objective, the bound, and the gap
``(objective - bound) / max(|objective|, 1)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from propfee._optional import require
from propfee.bundling.allocation import EXACT_LIMIT, coalition_costs, least_core
from propfee.bundling.game import BundleGame
from propfee.channels.shared_property import Bundle
from propfee.errors import InputError, Problem
from propfee.plan import Plan

__all__ = [
    "BundlingProblem",
    "BundlingResult",
    "enumerate_candidates",
    "objective_values",
    "optimise_bundles",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class BundlingProblem(BaseModel):
    """Limits and objective of a bundling optimisation.

    Attributes
    ----------
    max_distance_m
        Largest distance between any two members of a bundle. [m]
    max_members
        Largest bundle. [compounds]
    max_households
        Largest number of households in a bundle (crew capacity); ``None``: no limit.
        [households]
    same
        Optional compound column whose value members must share (``"street"``,
        ``"zone"``), as a given adjacency.
    objective
        ``"subsidy"``, ``"cost"`` or ``"viable"`` (see the module docstring).
    deficit_penalty
        Weight of the deficit in the ``"cost"`` objective. [1]
    tie_break
        Weight of the secondary term in ``"subsidy"`` and ``"viable"``. [1]
    method
        ``"auto"``, ``"exact"`` or ``"heuristic"``.
    exact_limit
        ``auto`` solves exactly up to this many compounds. [compounds]
    time_limit_s
        Time for the search: in the ``exact`` method, its window passes (at most
        :data:`WINDOW_SHARE` of it) and then HiGHS on the whole model; in the
        ``heuristic`` method, its window passes, and again as long for the LP bound.
        Listing and pricing the candidate bundles and the least-core split of the
        chosen ones come on top. [s]
    mip_gap
        HiGHS stops once its relative gap is below this. [1]
    window_m
        Side of the heuristic's re-optimisation windows: about 200 compounds of a
        dense old district (983 compounds over 10 km2). On that district with the
        ``shared_staffed`` plan, four passes of 1,500 m windows came within 0.6% of
        HiGHS's bound in 11 s, of 600 m windows within 2.8% in 1.4 s (2026-11-28). [m]
    max_candidates
        Refuse to enumerate more candidate bundles than this.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    max_distance_m: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 200.0
    max_members: Annotated[int, Field(ge=1, le=50)] = 4
    max_households: Annotated[float, Field(gt=0)] | None = None
    same: Literal["street", "zone"] | None = None
    objective: Literal["subsidy", "cost", "viable"] = "subsidy"
    deficit_penalty: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 1.0
    tie_break: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 1e-3
    method: Literal["auto", "exact", "heuristic"] = "auto"
    exact_limit: Annotated[int, Field(ge=1)] = 400
    time_limit_s: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 30.0
    mip_gap: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.005
    window_m: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 1500.0
    max_candidates: Annotated[int, Field(ge=1)] = 3_000_000


def enumerate_candidates(
    game: BundleGame, problem: BundlingProblem, groups: npt.ArrayLike | None = None,
    subset: npt.ArrayLike | None = None,
) -> IntArray:
    """Every feasible bundle, as a padded index matrix (one row per bundle, ``-1`` padding).

    Bundles are cliques of the graph linking compounds closer than ``max_distance_m``
    (and in the same ``groups`` value), with at most ``max_members`` members and
    ``max_households`` households. Singletons are always included. Grown one member at
    a time (members in ascending order), vectorised over all bundles of a size.

    Parameters
    ----------
    game
        The bundling game.
    problem
        The limits.
    groups
        Optional group label per compound; members must share it.
    subset
        Optional positions to restrict the enumeration to.

    Raises
    ------
    propfee.errors.InputError
        If a compound has no location, or there are more than ``max_candidates``.
    """
    spatial = require("scipy.spatial", feature="bundle optimisation", extra="optimise")
    idx = np.arange(len(game)) if subset is None else np.sort(np.asarray(subset, dtype=np.int64))
    xy = np.column_stack([game.x_m[idx], game.y_m[idx]])
    missing = np.flatnonzero(~np.isfinite(xy).all(axis=1))
    if len(missing):
        raise InputError([Problem(str(game.ids[idx[i]]), "x_m", None,
                                  "bundle optimisation needs x_m and y_m") for i in missing],
                         what="compound table")
    pairs = spatial.cKDTree(xy).query_pairs(problem.max_distance_m, output_type="ndarray")
    pairs = np.sort(pairs.astype(np.int64), axis=1)
    if groups is not None:
        g = np.asarray(groups)[idx]
        pairs = pairs[g[pairs[:, 0]] == g[pairs[:, 1]]]
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    pairs = pairs[order]
    n = len(idx)
    start = np.searchsorted(pairs[:, 0], np.arange(n + 1))
    hh = game.households[idx]
    cap = np.inf if problem.max_households is None else problem.max_households
    level = np.arange(n, dtype=np.int64)[:, None]
    level = level[hh[level[:, 0]] <= cap] if np.isfinite(cap) else level
    out = [np.column_stack([np.arange(n)])]  # singletons are always allowed
    total = n
    r2 = problem.max_distance_m ** 2
    for _ in range(1, problem.max_members):
        if len(level) == 0:
            break
        first = level[:, 0]
        counts = start[first + 1] - start[first]
        rows = np.repeat(np.arange(len(level)), counts)
        offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        cand = pairs[start[first][rows] + offs, 1]
        keep = cand > level[rows, -1]
        rows, cand = rows[keep], cand[keep]
        ok = np.ones(len(rows), dtype=bool)
        for j in range(1, level.shape[1]):
            other = level[rows, j]
            d2 = (xy[other, 0] - xy[cand, 0]) ** 2 + (xy[other, 1] - xy[cand, 1]) ** 2
            ok &= d2 <= r2
            if groups is not None:
                ok &= g[other] == g[cand]
        rows, cand = rows[ok], cand[ok]
        level = np.column_stack([level[rows], cand])
        if np.isfinite(cap):
            level = level[hh[level].sum(axis=1) <= cap]
        total += len(level)
        if total > problem.max_candidates:
            raise InputError([Problem(None, "max_candidates", total,
                                      "too many candidate bundles: lower max_members or "
                                      "max_distance_m, or raise max_candidates")],
                             what="bundling problem")
        out.append(level)
    width = problem.max_members
    padded = np.full((total, width), -1, dtype=np.int64)
    row = 0
    for block in out:
        padded[row:row + len(block), : block.shape[1]] = idx[block]
        row += len(block)
    return padded


VIABLE_DEFICIT_UNIT_YUAN = 10_000.0
"""Unit of the deficit term of the ``"viable"`` objective (万元). [yuan]"""


def objective_values(
    game: BundleGame, candidates: IntArray, problem: BundlingProblem
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Objective, contract cost and pooled deficit of every candidate. [yuan/year]

    Returns
    -------
    tuple of numpy.ndarray
        ``(objective, contract_yuan, deficit_yuan)``.
    """
    contract = game.costs(candidates)
    deficit = game.deficits(candidates, contract)
    members = (candidates >= 0).sum(axis=1)
    if problem.objective == "subsidy":
        obj = deficit + problem.tie_break * contract
    elif problem.objective == "cost":
        obj = contract + problem.deficit_penalty * deficit
    else:
        viable = deficit < 0.005
        obj = -members * viable + problem.tie_break * deficit / VIABLE_DEFICIT_UNIT_YUAN
    return obj, contract, deficit


def _incidence(candidates: IntArray, n: int, pos_of: npt.NDArray[np.int64] | None = None) -> Any:
    sparse = require("scipy.sparse", feature="bundle optimisation", extra="optimise")
    rows, cols = np.nonzero(candidates >= 0)
    members = candidates[rows, cols]
    if pos_of is not None:
        members = pos_of[members]
    return sparse.csr_matrix((np.ones(len(rows)), (members, rows)), shape=(n, len(candidates)))


MIP_HEURISTIC_EFFORT: Final = 0.3
"""Share of HiGHS's branch-and-bound effort spent on primal heuristics. [1]"""


def _quiet_highs(highspy: Any) -> Any:
    """A HiGHS instance whose start-up banner (printed by the C++ constructor) is muted."""
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def _solve_partition(
    obj: FloatArray, candidates: IntArray, n: int, time_limit: float, gap: float = 1e-4,
    pos_of: npt.NDArray[np.int64] | None = None, relax: bool = False,
    start: npt.NDArray[np.bool_] | None = None,
) -> tuple[FloatArray, float, float]:
    """Solve the set-partitioning model (or its LP relaxation) with HiGHS.

    Returns ``(x, objective, bound)``; ``bound`` is HiGHS's dual bound (the LP value
    when ``relax``). ``start`` is a feasible partition handed to HiGHS as its first
    incumbent.
    """
    highspy = require("highspy", feature="bundle optimisation", extra="optimise")
    a = _incidence(candidates, n, pos_of).tocsc()
    k = len(obj)
    h = _quiet_highs(highspy)
    lp = highspy.HighsLp()
    lp.num_col_ = k
    lp.num_row_ = n
    lp.col_cost_ = np.asarray(obj, dtype=np.float64)
    lp.col_lower_ = np.zeros(k)
    lp.col_upper_ = np.ones(k)
    lp.row_lower_ = np.ones(n)
    lp.row_upper_ = np.ones(n)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    if not relax:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * k
    h.passModel(lp)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("threads", 1)
    # More of HiGHS's primal heuristics (default 0.05): on the staffed district of 983
    # compounds the 50 s incumbent improved from a 1.75% to a 1.47% gap; on per-use
    # contracts it changes nothing (proven optimal within 0.015% either way).
    h.setOptionValue("mip_heuristic_effort", MIP_HEURISTIC_EFFORT)
    if start is not None and not relax:
        sol = highspy.HighsSolution()
        sol.col_value = start.astype(np.float64).tolist()
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    info = h.getInfo()
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)
    if len(x) != k or info.primal_solution_status == 0:
        return np.zeros(k), np.nan, -np.inf
    value = float(info.objective_function_value)
    bound = value if relax else float(info.mip_dual_bound)
    return x, value, bound


def _greedy(obj: FloatArray, candidates: IntArray, n: int) -> npt.NDArray[np.bool_]:
    """Greedy set packing; the better of two orders (largest saving, cheapest per member)."""
    members = candidates >= 0
    size = members.sum(axis=1)
    single = obj[:n]  # the first n candidates are the singletons, in order
    saving = np.where(members, single[np.maximum(candidates, 0)], 0.0).sum(axis=1) - obj
    best: npt.NDArray[np.bool_] | None = None
    for order in (np.argsort(-saving, kind="stable"),
                  np.lexsort((-size, obj / size))):
        chosen = np.zeros(len(obj), dtype=bool)
        used = np.zeros(n, dtype=bool)
        for k in order:
            if saving[k] <= 0 or size[k] < 2:
                continue
            m = candidates[k][members[k]]
            if not used[m].any():
                chosen[k] = True
                used[m] = True
        chosen[:n] = ~used
        if best is None or obj[chosen].sum() < obj[best].sum():
            best = chosen
    assert best is not None
    return best


WINDOW_SHIFTS: Final = (0.0, 0.5, 0.25, 0.75)
"""Offsets of the window passes, as shares of the window's side: each pass frees the
bundles inside a grid of windows and solves each window exactly; the next pass's grid is
shifted, so bundles cut by one grid's edges are re-optimised by the next."""

WINDOW_SHARE: Final = 0.4
"""Most of the exact method's time limit spent on its window passes (its start). [1]"""


def _improve_by_windows(
    obj: FloatArray, candidates: IntArray, chosen: npt.NDArray[np.bool_], game: BundleGame,
    problem: BundlingProblem, deadline: float, report: Callable[[float], None],
    progress: tuple[float, float],
) -> npt.NDArray[np.bool_]:
    """Window passes at the offsets of :data:`WINDOW_SHIFTS`, until a pass after the first
    improves nothing or the deadline (``time.perf_counter()``) passes; reports progress from
    ``progress[0]`` to ``progress[1]`` pass by pass."""
    first, last = progress
    done = first
    for k, share in enumerate(WINDOW_SHIFTS):
        if time.perf_counter() >= deadline:
            break
        better = _window_improve(obj, candidates, chosen, game, problem,
                                 share * problem.window_m, deadline)
        improved = float(obj[better].sum()) < float(obj[chosen].sum())
        chosen = better
        done = first + (last - first) * (k + 1) / len(WINDOW_SHIFTS)
        report(done)
        if not improved and k > 0:
            break
    if done < last:
        report(last)
    return chosen


def _window_improve(
    obj: FloatArray, candidates: IntArray, chosen: npt.NDArray[np.bool_], game: BundleGame,
    problem: BundlingProblem, shift: float, deadline: float = np.inf,
) -> npt.NDArray[np.bool_]:
    n = len(game)
    w = problem.window_m
    cell = (np.floor((game.x_m + shift) / w).astype(np.int64) * 100003
            + np.floor((game.y_m + shift) / w).astype(np.int64))
    members = candidates >= 0
    cand_cells = np.where(members, cell[np.maximum(candidates, 0)], -1)
    first = cand_cells[:, 0]
    inside = (np.where(members, cand_cells, first[:, None]) == first[:, None]).all(axis=1)
    result = chosen.copy()
    for c in np.unique(cell):
        left = min(problem.time_limit_s, deadline - time.perf_counter())
        if left <= 0:
            break
        free = inside & (first == c)
        pos = np.flatnonzero(cell == c)
        # Bundles now chosen that leave the window keep their members out of it.
        crossing = result & ~free & np.isin(candidates, pos).any(axis=1)
        taken = np.unique(candidates[crossing][candidates[crossing] >= 0])
        pos = np.setdiff1d(pos, taken)
        if len(pos) == 0:
            continue
        usable = free & ~np.isin(candidates, taken).any(axis=1)
        k = np.flatnonzero(usable)
        pos_of = np.full(n, -1, dtype=np.int64)
        pos_of[pos] = np.arange(len(pos))
        here = result[k]
        x, _, _ = _solve_partition(obj[k], candidates[k], len(pos), left,
                                   problem.mip_gap, pos_of, start=here)
        if x.sum() == 0 or obj[k][x > 0.5].sum() > obj[k][here].sum():
            continue
        result[np.flatnonzero(free)] = False
        result[k[x > 0.5]] = True
    return result


@dataclass(frozen=True)
class BundlingResult:
    """A partition of a district into bundles, with its objective and proven bound.

    Attributes
    ----------
    assignment
        One row per compound (input order): ``compound_id``, ``bundle_id``,
        ``members`` and ``alone_reason`` (empty for members of a bundle).
    bundles
        One row per bundle: ``bundle_id``, ``members`` (count), ``member_ids``,
        ``households``, ``contract_yuan``, ``deficit_yuan``, ``objective``,
        ``spread_m``, ``least_core_epsilon_yuan`` and ``core_empty`` (some group would
        rather leave, whatever the split).
    objective
        Sum of the chosen bundles' objective values.
    bound
        A proven lower bound on the objective of any feasible partition.
    gap
        ``(objective - bound) / max(|objective|, 1)``.
    method
        ``"exact"`` or ``"heuristic"``; ``bound_kind`` says what proves the bound.
    bound_kind
        ``"milp"`` (HiGHS dual bound), ``"lp"`` (LP relaxation) or ``"per-compound"``.
    candidates
        Number of feasible bundles considered.
    seconds
        Wall time. [s]
    alone_objective
        The objective with every compound alone, for comparison.
    """

    assignment: pd.DataFrame
    bundles: pd.DataFrame
    objective: float
    bound: float
    gap: float
    method: str
    bound_kind: str
    candidates: int
    seconds: float
    alone_objective: float

    def to_plan(self, plan: Plan) -> Plan:
        """The plan with these bundles as its explicit shared-property contracts."""
        multi = self.bundles[self.bundles["members"] > 1]
        bundles = tuple(Bundle(bundle_id=str(b), members=tuple(m))
                        for b, m in zip(multi["bundle_id"], multi["member_ids"], strict=True))
        sp = plan.shared_property.model_copy(update={"bundle_by": "explicit",
                                                     "bundles": bundles})
        return plan.model_copy(update={"shared_property": sp})


def optimise_bundles(
    game: BundleGame,
    problem: BundlingProblem | None = None,
    groups: npt.ArrayLike | None = None,
    progress: Callable[[float], None] | None = None,
) -> BundlingResult:
    """Find bundles for a district that minimise the objective under the limits.

    Parameters
    ----------
    game
        The bundling game (:meth:`BundleGame.from_district`).
    problem
        Limits, objective and method.
    groups
        Labels per compound for the ``same`` adjacency (e.g. the street column); required
        when ``problem.same`` is set.
    progress
        Called as the phases end with the share of the work done: candidates priced
        (0.2), greedy start (0.3), each window pass (a quarter of the way to 0.6 in the
        exact method, to 0.9 in the heuristic), the end of the passes, and the end, the
        exact solve or the bound done (1.0). [1]

    Returns
    -------
    BundlingResult
    """
    def report(fraction: float) -> None:
        if progress is not None:
            progress(fraction)

    problem = problem or BundlingProblem()
    if problem.same is not None and groups is None:
        raise InputError([Problem(None, "groups", None,
                                  f"same={problem.same!r} needs the {problem.same} labels")],
                         what="bundling problem")
    t0 = time.perf_counter()
    n = len(game)
    candidates = enumerate_candidates(game, problem, groups)
    obj, contract, deficit = objective_values(game, candidates, problem)
    report(0.2)
    alone = float(obj[:n].sum())
    method = problem.method
    if method == "auto":
        method = "exact" if n <= problem.exact_limit else "heuristic"
    chosen = _greedy(obj, candidates, n)
    report(0.3)
    if method == "exact":
        # Started from the window passes: the better the start, the sooner HiGHS prunes.
        begun = time.perf_counter()
        chosen = _improve_by_windows(obj, candidates, chosen, game, problem,
                                     begun + WINDOW_SHARE * problem.time_limit_s, report,
                                     (0.3, 0.6))
        left = max(problem.time_limit_s - (time.perf_counter() - begun), 0.0)
        x, value, milp_bound = _solve_partition(obj, candidates, n, left, problem.mip_gap,
                                                start=chosen)
        if value == value and value <= obj[chosen].sum():
            chosen = x > 0.5
        bound, bound_kind = _best_bound(milp_bound, "milp", obj, candidates, n)
    else:
        chosen = _improve_by_windows(obj, candidates, chosen, game, problem,
                                     time.perf_counter() + problem.time_limit_s, report,
                                     (0.3, 0.9))
        _, _, lp_bound = _solve_partition(obj, candidates, n, problem.time_limit_s, relax=True)
        bound, bound_kind = _best_bound(lp_bound, "lp", obj, candidates, n)
    report(1.0)
    value = float(obj[chosen].sum())
    bound = min(bound, value)
    result = _result(game, candidates, chosen, obj, contract, deficit, problem)
    gap = (value - bound) / max(abs(value), 1.0)
    return BundlingResult(
        result[0], result[1], value, float(bound), float(gap), method, bound_kind,
        len(candidates), time.perf_counter() - t0, alone,
    )


def _best_bound(solver_bound: float, kind: str, obj: FloatArray, candidates: IntArray,
                n: int) -> tuple[float, str]:
    """The higher of the solver's bound (``-inf`` if it proved nothing) and the
    per-compound bound, and its kind: both are valid lower bounds."""
    per_compound = _per_compound_bound(obj, candidates, n)
    if np.isfinite(solver_bound) and solver_bound >= per_compound:
        return solver_bound, kind
    return per_compound, "per-compound"


def _per_compound_bound(obj: FloatArray, candidates: IntArray, n: int) -> float:
    members = candidates >= 0
    size = members.sum(axis=1)
    per = np.repeat(obj / size, size)
    who = candidates[members]
    best = pd.Series(per).groupby(who).min().reindex(range(n)).to_numpy()
    return float(best.sum())


def _result(
    game: BundleGame, candidates: IntArray, chosen: npt.NDArray[np.bool_], obj: FloatArray,
    contract: FloatArray, deficit: FloatArray, problem: BundlingProblem,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    k = np.flatnonzero(chosen)
    comps = game.components(candidates[k])
    rows = []
    bundle_of = np.empty(len(game), dtype=object)
    size_of = np.zeros(len(game), dtype=np.int64)
    # Name bundles by their first member's id so that names do not depend on row order.
    member_lists = [sorted(game.ids[candidates[j][candidates[j] >= 0]].tolist()) for j in k]
    for j, ids in enumerate(member_lists):
        pos = game.index(ids)
        name = f"B-{ids[0]}" if len(ids) > 1 else f"alone:{ids[0]}"
        eps = np.nan
        if 1 < len(ids) <= EXACT_LIMIT:
            eps = least_core(coalition_costs(game, pos), len(ids), cap_standalone=False)[0]
        bundle_of[pos] = name
        size_of[pos] = len(ids)
        rows.append({
            "bundle_id": name, "members": len(ids), "member_ids": ids,
            "households": float(comps.households[j]), "contract_yuan": float(contract[k[j]]),
            "deficit_yuan": float(deficit[k[j]]), "objective": float(obj[k[j]]),
            "spread_m": float(comps.spread_m[j]), "least_core_epsilon_yuan": eps,
            "core_empty": bool(eps > 1e-6 * max(1.0, float(contract[k[j]]))),
        })
    bundles = pd.DataFrame(rows).sort_values("bundle_id", kind="stable").reset_index(drop=True)
    # Why a compound stays alone.
    probe = enumerate_candidates(game, problem.model_copy(update={"max_members": 2}))
    paired = np.zeros(len(game), dtype=bool)
    two = probe[(probe >= 0).sum(axis=1) == 2]
    paired[two.ravel()] = True
    reason = np.where(size_of > 1, "",
                      np.where(paired, "alone is best for the objective",
                               f"no feasible partner within {problem.max_distance_m:g} m"))
    assignment = pd.DataFrame({"compound_id": game.ids, "bundle_id": bundle_of,
                               "members": size_of, "alone_reason": reason})
    return assignment, bundles
