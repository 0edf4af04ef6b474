"""What a planner reads of a bundling: each bundle's cost, fair shares and savings, in words.

:func:`compare_bundles` sets the optimiser's bundles beside today's zones (the ``zone``
column: one contract per zone, compounds with no zone alone) and beside every compound
alone, all priced by the same contract cost ``c(S)``
(:meth:`propfee.bundling.game.BundleGame.costs`):

- each member's **fair share** of its contract: the Shapley value where it is in the
  core, else the point of the core nearest it (the least core where the core is empty;
  :func:`propfee.bundling.allocation.split_bundle` with ``method="core"``), the Shapley value
  itself where no split keeps every member at or below its stand-alone cost, the
  sampled Shapley value beyond :data:`~propfee.bundling.allocation.EXACT_LIMIT`
  members; whole fen, largest remainder;
- its **saving against staying alone**, ``c({i}) - share_i``, and **against today's
  zones**, ``zone share_i - share_i`` (its fair share of its zone's contract by the same
  method), in whole fen. A bundle's saving is its members' savings added up: exactly,
  since every amount is whole fen.

A member whose share is above its zone share, or a total objective above the zones',
makes a :meth:`BundleComparison.warnings` entry in words. With ``keep`` (``propfee bundle
--keep-zones``) today's zones are kept wherever the bundles would be worse: the partition
is solved again over the candidates whose Shapley value charges no member more than its
zone share, and today's zones themselves, started from the zones, so its objective is
never above theirs (:func:`bundles_within_zones`); a chosen bundle whose fair share still
charges a member more is dropped and the partition solved again. As a last guard,
:func:`keep_zones` puts back the zones of any group of compounds (linked by a bundle or a
zone) still worse in total or for a member.

:func:`write_bundle_workbook` writes the comparison: a sheet of members (the bundle
file :func:`propfee.bundling.files.read_bundles` reads, first, so ``propfee evaluate
--bundles`` takes the workbook as it is), a sheet of bundles and a summary in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.bundling.allocation import EXACT_LIMIT, split_bundle
from propfee.bundling.game import BundleGame
from propfee.bundling.optimise import BundlingProblem, BundlingResult, objective_values
from propfee.compound import CompoundTable
from propfee.errors import InputError
from propfee.labels import Language, contract_name
from propfee.money import fen_to_yuan, yuan_to_fen

__all__ = [
    "MEMBER_COLUMNS",
    "BundleComparison",
    "FairSplit",
    "bundles_within_zones",
    "compare_bundles",
    "fair_split",
    "keep_zones",
    "shapley_of_candidates",
    "write_bundle_workbook",
]

IntArray = npt.NDArray[np.int64]

MEMBER_COLUMNS: Final[dict[str, tuple[str, str]]] = {
    "bundle_id": ("Bundle id", "捆绑编号"),
    "compound_id": ("Compound id", "小区编号"),
    "compound_name": ("Compound", "小区名称"),
    "contract": ("Contract", "共享物业协议"),
    "members": ("Members", "成员数"),
    "contract_yuan": ("Bundle cost [yuan/year]", "组合合同价（元/年）"),
    "share_yuan": ("Fair share [yuan/year]", "公平分摊（元/年）"),
    "alone_yuan": ("Cost alone [yuan/year]", "单独签约费用（元/年）"),
    "saving_vs_alone_yuan": ("Saving against alone [yuan/year]", "比单独节省（元/年）"),
    "zone": ("Today's zone", "现片区"),
    "zone_share_yuan": ("Share in today's zone [yuan/year]", "现片区分摊（元/年）"),
    "saving_vs_zone_yuan": ("Saving against today's zone [yuan/year]",
                            "比现片区节省（元/年）"),
    "share_method": ("Fair-share method", "分摊方法"),
    "alone_reason": ("Why alone", "单独原因"),
}
"""Columns of the members sheet (one row per compound) and their English and Chinese
headers. The first two are what :func:`propfee.bundling.files.read_bundles` reads."""

BUNDLE_SHEET_COLUMNS: Final[dict[str, tuple[str, str]]] = {
    "bundle_id": ("Bundle id", "捆绑编号"),
    "contract": ("Contract", "共享物业协议"),
    "members": ("Members", "成员数"),
    "member_names": ("Member compounds", "成员小区"),
    "contract_yuan": ("Bundle cost [yuan/year]", "组合合同价（元/年）"),
    "alone_yuan": ("Members' cost alone [yuan/year]", "成员单独签约费用（元/年）"),
    "saving_vs_alone_yuan": ("Saving against alone [yuan/year]", "比单独节省（元/年）"),
    "zone_share_yuan": ("Members' shares in today's zones [yuan/year]",
                        "成员现片区分摊（元/年）"),
    "saving_vs_zone_yuan": ("Saving against today's zones [yuan/year]",
                            "比现片区节省（元/年）"),
    "subsidy_yuan": ("Street subsidy [yuan/year]", "街道补贴（元/年）"),
    "share_method": ("Fair-share method", "分摊方法"),
}
"""Columns of the bundles sheet (one row per bundle) and their headers."""

_METHODS: Final[dict[str, tuple[str, str]]] = {
    "shapley": ("Shapley value (in the core)", "沙普利值（在核心内）"),
    "core": ("nearest core point to the Shapley value", "离沙普利值最近的核心点"),
    "least_core": ("least core (the core is empty)", "最小核心（核心为空）"),
    "shapley_outside": ("Shapley value (no split keeps every member at or below alone)",
                        "沙普利值（任何分摊都无法使每个成员不高于单独签约）"),
    "shapley_sampled": ("Shapley value, sampled", "沙普利值（抽样估计）"),
    "alone": ("alone: its own cost", "单独：自付"),
}
"""The fair-share method each bundle used, in words."""

_METHOD_ZH: Final[dict[str, str]] = {"exact": "精确求解", "heuristic": "启发式搜索"}
"""The optimiser's methods in Chinese."""


@dataclass(frozen=True)
class FairSplit:
    """A contract's price split into fair shares, in whole fen.

    Attributes
    ----------
    compound_ids
        The members, sorted.
    share_fen
        Each member's fair share; they add up to ``contract_fen``. [fen/year]
    alone_fen
        Each member's stand-alone cost ``c({i})``. [fen/year]
    contract_fen
        ``c(S)``. [fen/year]
    method
        A key of the methods: ``"shapley"``, ``"core"``, ``"least_core"``,
        ``"shapley_outside"``, ``"shapley_sampled"`` or ``"alone"``.
    """

    compound_ids: tuple[str, ...]
    share_fen: IntArray
    alone_fen: IntArray
    contract_fen: int
    method: str


def fair_split(game: BundleGame, members: Sequence[str]) -> FairSplit:
    """The documented fair shares of one contract (see the module docstring).

    Parameters
    ----------
    game
        The bundling game.
    members
        Compound ids of the contract.

    Returns
    -------
    FairSplit
    """
    ids = tuple(sorted(str(m) for m in members))
    if len(ids) == 1:
        alone = yuan_to_fen(game.costs(game.index(ids)[:, None]))
        return FairSplit(ids, alone.copy(), alone, int(alone[0]), "alone")
    if len(ids) > EXACT_LIMIT:
        split = split_bundle(game, list(ids), "shapley")
        method = "shapley_sampled"
    else:
        try:
            split = split_bundle(game, list(ids), "core")
        except InputError:  # c(S) above the members' costs alone: no split keeps them
            split = split_bundle(game, list(ids), "shapley")
            method = "shapley_outside"
        else:
            shapley = split_bundle(game, list(ids), "shapley")
            method = ("least_core" if split.core_empty else
                      "shapley" if np.array_equal(split.shares["share_yuan"].to_numpy(),
                                                  shapley.shares["share_yuan"].to_numpy())
                      else "core")
    shares = split.shares
    return FairSplit(ids, yuan_to_fen(shares["share_yuan"].to_numpy()),
                     yuan_to_fen(shares["standalone_yuan"].to_numpy()),
                     int(yuan_to_fen(np.array([split.contract_yuan]))[0]), method)


@dataclass(frozen=True)
class BundleComparison:
    """The proposed bundles beside today's zones and every compound alone.

    Attributes
    ----------
    members
        One row per compound (the keys of :data:`MEMBER_COLUMNS`); money in yuan, whole
        fen. [yuan/year]
    bundles
        One row per bundle (the keys of :data:`BUNDLE_SHEET_COLUMNS`). [yuan/year]
    totals_fen
        ``"alone"``, ``"zones"``, ``"bundles"`` -> ``{"cost": ..., "subsidy": ...}``:
        the contracts' cost and the street's subsidy (the contracts' pooled deficits)
        of each arrangement. [fen/year]
    objective
        ``"alone"``, ``"zones"``, ``"bundles"`` -> the optimiser's objective of each.
    worse_members
        Compound ids whose fair share is above their share in today's zone.
    worse_in_total
        Whether the bundles' objective is above the zones' (by more than half a fen).
    kept_zones
        Today's zones :func:`keep_zones` kept (empty if it was not asked).
    problem
        The optimiser's limits and objective.
    result
        The optimiser's result.
    zones_given
        Whether the table has zones (else "today" is every compound alone).
    """

    members: pd.DataFrame
    bundles: pd.DataFrame
    totals_fen: dict[str, dict[str, int]]
    objective: dict[str, float]
    worse_members: tuple[str, ...]
    worse_in_total: bool
    kept_zones: tuple[str, ...]
    problem: BundlingProblem
    result: BundlingResult
    zones_given: bool

    def warnings(self, lang: Language = "en") -> list[str]:
        """The ways the proposed bundles are worse than today's zones, in words."""
        return _warnings(self, lang)


def _zone_groups(table: CompoundTable) -> dict[str, list[str]]:
    """Today's zones: ``zone:<zone>`` -> member ids; a compound with no zone alone."""
    ids = table.text("compound_id")
    zones = table.text("zone")
    groups: dict[str, list[str]] = {}
    for i, z in zip(ids, zones, strict=True):
        groups.setdefault(f"zone:{z}" if z else f"alone:{i}", []).append(str(i))
    return groups


def _padded(game: BundleGame, groups: Sequence[Sequence[str]]) -> IntArray:
    width = max(len(g) for g in groups)
    out = np.full((len(groups), width), -1, dtype=np.int64)
    for k, g in enumerate(groups):
        out[k, :len(g)] = game.index(list(g))
    return out


def _arrangement(game: BundleGame, groups: dict[str, list[str]], problem: BundlingProblem
                 ) -> tuple[dict[str, FairSplit], dict[str, int], IntArray, float]:
    """Fair splits, subsidy per group [fen/year], cost per group [fen/year], objective."""
    members = list(groups.values())
    padded = _padded(game, members)
    obj, contract, deficit = objective_values(game, padded, problem)
    splits = {name: fair_split(game, g) for name, g in groups.items()}
    subsidy = dict(zip(groups, yuan_to_fen(deficit).tolist(), strict=True))
    return splits, subsidy, yuan_to_fen(contract), float(obj.sum())


def compare_bundles(
    game: BundleGame,
    table: CompoundTable,
    result: BundlingResult,
    problem: BundlingProblem,
    *,
    keep: bool = False,
) -> BundleComparison:
    """Set the optimiser's bundles beside today's zones and every compound alone.

    Parameters
    ----------
    game
        The bundling game the optimiser used.
    table
        The compounds (ids, names and zones), in the game's order.
    result
        The optimiser's bundles.
    problem
        The optimiser's limits and objective.
    keep
        Keep today's zones where the bundles are worse (:func:`bundles_within_zones`,
        then :func:`keep_zones`); the result's bundles are then not the optimiser's.

    Returns
    -------
    BundleComparison
    """
    bundles = {str(b): [str(m) for m in ms] for b, ms in zip(
        result.bundles["bundle_id"], result.bundles["member_ids"], strict=True)}
    zones = _zone_groups(table)
    zone_splits, zone_subsidy, zone_cost, zone_obj = _arrangement(game, zones, problem)
    splits, subsidy, cost, obj = _arrangement(game, bundles, problem)
    kept: tuple[str, ...] = ()
    if keep:
        bundles = bundles_within_zones(game, problem, zones, zone_splits)
        splits = {b: fair_split(game, ms) for b, ms in bundles.items()}
        bundles, kept = keep_zones(bundles, zones, splits, zone_splits,
                                   _objectives(game, bundles, problem),
                                   _objectives(game, zones, problem))
        kept = tuple(z for z in zones if z in bundles and len(zones[z]) > 1)
        splits, subsidy, cost, obj = _arrangement(game, bundles, problem)
    zone_of = {m: z for z, ms in zones.items() for m in ms}
    zone_share = {m: int(s) for z in zone_splits.values()
                  for m, s in zip(z.compound_ids, z.share_fen, strict=True)}
    names = dict(zip(table.text("compound_id"), table.text("name"), strict=True))
    reason = dict(zip(result.assignment["compound_id"].astype(str),
                      result.assignment["alone_reason"].astype(str), strict=True))
    rows = []
    bundle_rows = []
    for (bundle, split), bundle_subsidy in zip(splits.items(), subsidy.values(), strict=True):
        zone_fen = np.array([zone_share[m] for m in split.compound_ids], dtype=np.int64)
        for k, m in enumerate(split.compound_ids):
            rows.append({
                "bundle_id": bundle, "compound_id": m, "compound_name": names.get(m, ""),
                "contract": contract_name(bundle, "en", names),
                "members": len(split.compound_ids), "contract_fen": split.contract_fen,
                "share_fen": int(split.share_fen[k]), "alone_fen": int(split.alone_fen[k]),
                "saving_vs_alone_fen": int(split.alone_fen[k] - split.share_fen[k]),
                "zone": zone_of[m], "zone_share_fen": int(zone_fen[k]),
                "saving_vs_zone_fen": int(zone_fen[k] - split.share_fen[k]),
                "share_method": split.method,
                "alone_reason": ("today's zone kept" if bundle in kept else
                                 reason.get(m, "") if len(split.compound_ids) == 1 else ""),
            })
        bundle_rows.append({
            "bundle_id": bundle, "contract": contract_name(bundle, "en", names),
            "members": len(split.compound_ids),
            "member_names": [names.get(m) or m for m in split.compound_ids],
            "contract_fen": split.contract_fen, "alone_fen": int(split.alone_fen.sum()),
            "saving_vs_alone_fen": int(split.alone_fen.sum()) - split.contract_fen,
            "zone_share_fen": int(zone_fen.sum()),
            "saving_vs_zone_fen": int(zone_fen.sum()) - split.contract_fen,
            "subsidy_fen": bundle_subsidy, "share_method": split.method,
        })
    order = {str(i): k for k, i in enumerate(table.text("compound_id"))}
    members = pd.DataFrame(rows)
    members = members.iloc[np.argsort([order[m] for m in members["compound_id"]],
                                      kind="stable")]
    members = members.sort_values(["bundle_id"], kind="stable").reset_index(drop=True)
    table_of_bundles = pd.DataFrame(bundle_rows).sort_values(
        "bundle_id", kind="stable").reset_index(drop=True)
    alone_fen = yuan_to_fen(game.standalone_costs())
    alone_deficit = yuan_to_fen(game.deficits(np.arange(len(game))[:, None],
                                              game.standalone_costs()))
    alone_obj, _, _ = objective_values(game, np.arange(len(game))[:, None], problem)
    totals = {
        "alone": {"cost": int(alone_fen.sum()), "subsidy": int(alone_deficit.sum())},
        "zones": {"cost": int(zone_cost.sum()), "subsidy": sum(zone_subsidy.values())},
        "bundles": {"cost": int(cost.sum()), "subsidy": sum(subsidy.values())},
    }
    worse = tuple(m for m in members.loc[members["saving_vs_zone_fen"] < 0, "compound_id"])
    return BundleComparison(
        members=_in_yuan(members), bundles=_in_yuan(table_of_bundles), totals_fen=totals,
        objective={"alone": float(alone_obj.sum()), "zones": zone_obj, "bundles": obj},
        worse_members=worse, worse_in_total=obj > zone_obj + 0.005, kept_zones=kept,
        problem=problem, result=result,
        zones_given=bool(any(z for z in table.text("zone"))),
    )


def _objectives(game: BundleGame, groups: dict[str, list[str]], problem: BundlingProblem
                ) -> dict[str, float]:
    obj, _, _ = objective_values(game, _padded(game, list(groups.values())), problem)
    return dict(zip(groups, obj.tolist(), strict=True))


def _in_yuan(frame: pd.DataFrame) -> pd.DataFrame:
    """``*_fen`` columns as ``*_yuan`` (whole fen, as yuan)."""
    out = frame.copy()
    for column in [c for c in out.columns if c.endswith("_fen")]:
        out[column.removesuffix("_fen") + "_yuan"] = fen_to_yuan(out.pop(column).to_numpy(
            dtype=np.int64))
    return out


def shapley_of_candidates(game: BundleGame, candidates: IntArray) -> npt.NDArray[np.float64]:
    """The Shapley value of each member of many candidate bundles at once. [yuan/year]

    Parameters
    ----------
    game
        The bundling game.
    candidates
        Padded index matrix ``(K, w)`` (``-1`` for empty slots), at most
        :data:`~propfee.bundling.allocation.EXACT_LIMIT` members a row.

    Returns
    -------
    numpy.ndarray
        ``(K, w)``: the Shapley value of the member in each slot, ``nan`` in empty slots.
    """
    from math import factorial

    k, w = candidates.shape
    out = np.full((k, w), np.nan)
    size = (candidates >= 0).sum(axis=1)
    for s in np.unique(size):
        rows = np.flatnonzero(size == s)
        members = np.sort(np.where(candidates[rows] >= 0, candidates[rows],
                                   np.iinfo(np.int64).max), axis=1)[:, :s]
        masks = np.arange(1 << s)
        bits = ((masks[:, None] >> np.arange(s)) & 1).astype(bool)
        sub = np.where(bits[None, :, :], members[:, None, :], -1).reshape(-1, s)
        cost = game.costs(sub).reshape(len(rows), 1 << s)
        count = bits.sum(axis=1)
        weight = np.array([factorial(c) * factorial(s - c - 1) / factorial(s)
                           for c in range(s)] + [0.0])
        phi = np.zeros((len(rows), s))
        for i in range(s):
            without = masks[~bits[:, i]]
            phi[:, i] = ((cost[:, without | (1 << i)] - cost[:, without])
                         * weight[count[without]]).sum(axis=1)
        # back to the slots of the candidate matrix
        slot = np.argsort(np.argsort(np.where(candidates[rows] >= 0, candidates[rows],
                                              np.iinfo(np.int64).max), axis=1), axis=1)
        filled = candidates[rows] >= 0
        out[rows] = np.where(filled, np.take_along_axis(
            np.pad(phi, ((0, 0), (0, w - s))), np.minimum(slot, w - 1), axis=1), np.nan)
    return out


KEEP_ZONES_ROUNDS: Final = 5
"""Most re-solves :func:`bundles_within_zones` makes after finding a chosen bundle whose
fair share (the core point nearest the Shapley value) charges a member more than its zone."""


def bundles_within_zones(
    game: BundleGame,
    problem: BundlingProblem,
    zones: dict[str, list[str]],
    zone_splits: dict[str, FairSplit],
) -> dict[str, list[str]]:
    """The best bundles that charge no member more than today's zone does.

    The optimiser's candidates (within the limits) whose Shapley value charges no member
    more than its fair share in its zone, and today's zones themselves, are partitioned
    by HiGHS; where that is not better than today's zones, the zones stay: the
    objective is never above the zones'.
    A chosen bundle whose fair share (the core point nearest the Shapley value) still
    charges a member more is dropped and the partition solved again, up to
    :data:`KEEP_ZONES_ROUNDS` times (what is still worse after that,
    :func:`keep_zones` puts back).

    Parameters
    ----------
    game
        The bundling game.
    problem
        Limits, objective and time limit (each solve).
    zones
        Today's zone contract ids -> members.
    zone_splits
        Their fair splits (:func:`fair_split`).

    Returns
    -------
    dict
        Bundle id -> members: a zone chosen whole keeps its zone id, another bundle is
        ``B-<first member>``, a compound alone ``alone:<id>``.
    """
    from propfee.bundling.optimise import _solve_partition, enumerate_candidates

    n = len(game)
    zone_share = np.zeros(n)
    for sp in zone_splits.values():
        zone_share[game.index(list(sp.compound_ids))] = sp.share_fen / 100.0
    found = enumerate_candidates(game, problem)
    small = (found >= 0).sum(axis=1) <= EXACT_LIMIT
    found = found[small]
    phi = shapley_of_candidates(game, found)
    limit = np.where(found >= 0, zone_share[np.maximum(found, 0)], np.inf)
    # a fen below the zone share: the fair share is the Shapley value to the fen
    found = found[(np.nan_to_num(phi, nan=-np.inf) <= limit - 0.01).all(axis=1)]
    zone_rows = list(zones.values())
    width = max(found.shape[1], max(len(z) for z in zone_rows))
    zone_mat = np.full((len(zone_rows), width), -1, dtype=np.int64)
    for k, ms in enumerate(zone_rows):
        zone_mat[k, :len(ms)] = game.index(ms)
    cands = np.vstack([zone_mat, np.pad(found, ((0, 0), (0, width - found.shape[1])),
                                        constant_values=-1)])
    obj, _, _ = objective_values(game, cands, problem)
    allowed = np.ones(len(cands), dtype=bool)
    start = np.zeros(len(cands), dtype=bool)
    start[:len(zone_rows)] = True
    zone_of_set = {frozenset(ms): z for z, ms in zones.items()}
    chosen = start
    for _ in range(KEEP_ZONES_ROUNDS):
        usable = np.flatnonzero(allowed)
        # No start handed to HiGHS: on large models (HiGHS 1.16) the solution it returned
        # after a start was the start itself, whatever better incumbent it reported.
        x, _, _ = _solve_partition(obj[usable], cands[usable], n, problem.time_limit_s,
                                   problem.mip_gap)
        picked = np.zeros(len(cands), dtype=bool)
        picked[usable[x > 0.5]] = True
        covered = np.zeros(n, dtype=np.int64)
        np.add.at(covered, cands[picked][cands[picked] >= 0], 1)
        if (covered == 1).all() and obj[picked].sum() <= obj[start].sum() + 0.005:
            chosen = picked
        else:
            chosen = start
        bad = [j for j in np.flatnonzero(chosen & ~start) if _charges_more(
            game, cands[j], zone_share)]
        if not bad:
            break
        allowed[bad] = False
    out: dict[str, list[str]] = {}
    for j in np.flatnonzero(chosen):
        ms = sorted(str(m) for m in game.ids[cands[j][cands[j] >= 0]])
        name = zone_of_set.get(frozenset(ms)) or (
            f"B-{ms[0]}" if len(ms) > 1 else f"alone:{ms[0]}")
        out[name] = ms
    return out


def _charges_more(game: BundleGame, row: IntArray, zone_share: npt.NDArray[np.float64]
                  ) -> bool:
    """Whether a bundle's fair split charges a member more than its zone share."""
    pos = row[row >= 0]
    split = fair_split(game, [str(i) for i in game.ids[pos]])
    own = zone_share[game.index(list(split.compound_ids))]
    return bool((split.share_fen > np.round(own * 100).astype(np.int64)).any())


def keep_zones(
    bundles: dict[str, list[str]],
    zones: dict[str, list[str]],
    splits: dict[str, FairSplit],
    zone_splits: dict[str, FairSplit],
    bundle_objective: dict[str, float],
    zone_objective: dict[str, float],
) -> tuple[dict[str, list[str]], tuple[str, ...]]:
    """Keep today's zones where the proposed bundles are worse.

    Bundles and zones are joined into groups of compounds linked by a bundle or a zone
    (each group is a union of whole bundles and of whole zones). A group keeps its zones
    where its bundles' objective is above its zones' by more than half a fen, or a
    member's fair share is above its share in its zone.

    Parameters
    ----------
    bundles, zones
        Bundle id -> members; zone contract id -> members (the same compounds).
    splits, zone_splits
        Their fair splits (:func:`fair_split`).
    bundle_objective, zone_objective
        Their objective values.

    Returns
    -------
    tuple
        The bundles with those zones in place of the bundles they overlap, and the ids
        of the zones kept.
    """
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for groups in (bundles, zones):
        for ms in groups.values():
            for m in ms[1:]:
                parent[find(m)] = find(ms[0])
    share = {m: int(s) for sp in splits.values()
             for m, s in zip(sp.compound_ids, sp.share_fen, strict=True)}
    zone_share = {m: int(s) for sp in zone_splits.values()
                  for m, s in zip(sp.compound_ids, sp.share_fen, strict=True)}
    worse_obj: dict[str, float] = {}
    worse_member: set[str] = set()
    for b, ms in bundles.items():
        root = find(ms[0])
        worse_obj[root] = worse_obj.get(root, 0.0) + bundle_objective[b]
        if any(share[m] > zone_share[m] for m in ms):
            worse_member.add(root)
    for z, ms in zones.items():
        root = find(ms[0])
        worse_obj[root] = worse_obj.get(root, 0.0) - zone_objective[z]
    back = {r for r, d in worse_obj.items() if d > 0.005} | worse_member
    kept = tuple(z for z, ms in zones.items() if find(ms[0]) in back)
    out = {b: ms for b, ms in bundles.items() if find(ms[0]) not in back}
    out.update({z: zones[z] for z in kept})
    return out, kept


# --- words -------------------------------------------------------------------------


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


_OBJECTIVE_WORDS: Final[dict[str, tuple[str, str]]] = {
    "subsidy": (
        "Least street subsidy: the money the street office adds where the fees and public "
        "income of a contract's members do not cover their cash costs (contract, running "
        "costs, work bought at market). Among partitions of equal subsidy, the cheaper "
        "contracts win. The members of a contract pool their money here; the budget "
        "(propfee evaluate --bundles) counts the subsidy compound by compound, which is "
        "higher where one member's surplus would have covered another's gap.",
        "街道补贴最少：一个协议的成员小区物业费和公共收益不足以支付其现金支出（协议费用、"
        "日常运行、按市场价购买的服务）时，由街道办补足的金额。补贴相同时取协议费用更低者。"
        "这里同一协议的成员资金合并计算；预算测算（propfee evaluate --bundles）逐个小区计算补贴，"
        "一个成员的结余本可弥补另一个成员的缺口时，逐个计算的补贴更高。"),
    "cost": (
        "Least cost: the contracts' price, with the street subsidy counted again as a "
        "penalty.",
        "费用最低：协议总价，街道补贴另计为惩罚项。"),
    "viable": (
        "Most compounds in contracts that pay their way (no street subsidy).",
        "使尽可能多的小区处在自负盈亏（无需街道补贴）的协议中。"),
}


def _warnings(c: BundleComparison, lang: Language) -> list[str]:
    zh = lang == "zh"
    out: list[str] = []
    names = dict(zip(c.members["compound_id"], c.members["compound_name"], strict=True))
    today = ("现片区" if zh else "today's zones") if c.zones_given else (
        "各小区单独签约" if zh else "every compound alone")
    if c.worse_in_total:
        t = c.totals_fen
        out.append(
            f"警告：建议的组合比{today}更差：街道补贴 {_yuan(t['bundles']['subsidy'])} 元/年"
            f"（{today} {_yuan(t['zones']['subsidy'])}），协议费用 "
            f"{_yuan(t['bundles']['cost'])} 元/年（{today} {_yuan(t['zones']['cost'])}）。"
            "可加 --keep-zones 保留这些片区。" if zh else
            f"Warning: the proposed bundles are worse than {today} in total: street subsidy "
            f"{_yuan(t['bundles']['subsidy'])} yuan/year against {_yuan(t['zones']['subsidy'])}"
            f", contract cost {_yuan(t['bundles']['cost'])} yuan/year against "
            f"{_yuan(t['zones']['cost'])}. Add --keep-zones to keep today's zones there.")
    if c.worse_members:
        worse = c.members.set_index("compound_id").loc[list(c.worse_members)]
        shown = "，".join if zh else ", ".join
        listed = [f"{names.get(m) or m} ({-v:,.2f})" for m, v in zip(
            worse.index, worse["saving_vs_zone_yuan"], strict=True)][:10]
        more = len(c.worse_members) - len(listed)
        tail = (f" 等 {len(c.worse_members):,} 个" if zh else f" and {more:,} more") if more else ""
        out.append(
            f"警告：{len(c.worse_members):,} 个小区在建议的组合中分摊的费用高于{today}"
            f"（每年多付，元）：{shown(listed)}{tail}。可加 --keep-zones 保留这些片区。" if zh else
            f"Warning: {len(c.worse_members):,} compounds would pay more than in {today} "
            f"(more a year, yuan): {shown(listed)}{tail}. Add --keep-zones to keep today's "
            "zones there.")
    return out


def summary_rows(c: BundleComparison, lang: Language = "en") -> list[tuple[str, str]]:
    """The summary sheet: (item, what it says in words and yuan)."""
    zh = lang == "zh"
    t = c.totals_fen
    r = c.result
    p = c.problem
    n = len(c.members)
    multi = int((c.bundles["members"] > 1).sum())
    alone = int((c.bundles["members"] == 1).sum())
    today = ("现片区" if zh else "today's zones") if c.zones_given else (
        "各小区单独签约（表中无片区）" if zh else "every compound alone (no zones in the table)")

    def three(key: str) -> str:
        return (f"建议的组合 {_yuan(t['bundles'][key])} 元/年；{today} "
                f"{_yuan(t['zones'][key])} 元/年；各小区单独 {_yuan(t['alone'][key])} 元/年"
                if zh else
                f"proposed bundles {_yuan(t['bundles'][key])} yuan/year; {today} "
                f"{_yuan(t['zones'][key])} yuan/year; every compound alone "
                f"{_yuan(t['alone'][key])} yuan/year")

    saved_zone = t["zones"]["subsidy"] - t["bundles"]["subsidy"]
    saved_alone = t["alone"]["subsidy"] - t["bundles"]["subsidy"]
    rows = [
        ("目标" if zh else "What the bundles aim at", _OBJECTIVE_WORDS[p.objective][int(zh)]),
        ("限制" if zh else "Limits",
         f"同一组合内任意两小区相距不超过 {p.max_distance_m:,.0f} 米，每个组合至多 "
         f"{p.max_members} 个小区" if zh else
         f"any two members of a bundle at most {p.max_distance_m:,.0f} m apart, at most "
         f"{p.max_members} compounds a bundle"),
        ("结果" if zh else "Result",
         f"共 {n:,} 个小区：{n - alone:,} 个组成 {multi:,} 个组合，{alone:,} 个单独签约" if zh else
         f"{n:,} compounds: {n - alone:,} in {multi:,} bundles, {alone:,} alone"),
        ("街道补贴" if zh else "Street subsidy", three("subsidy")),
        ("街道补贴的变化" if zh else "Change in the street subsidy",
         f"比{today}少 {_yuan(saved_zone)} 元/年，比各小区单独少 {_yuan(saved_alone)} 元/年"
         if zh else
         f"{_yuan(saved_zone)} yuan/year less than {today}, {_yuan(saved_alone)} yuan/year "
         "less than every compound alone"),
        ("协议费用" if zh else "Contract cost", three("cost")),
        ("最优性" if zh else "How good the search is",
         f"在上述限制下，任何分组都不可能优于已证明的下界；建议方案与该下界的差距为 {r.gap:.2%}"
         f"（{_METHOD_ZH.get(r.method, r.method)}，{r.seconds:.1f} 秒）" if zh else
         f"no partition within these limits can do better than a proven bound; the gap "
         f"between the proposal and it is {r.gap:.2%} ({r.method} method, "
         f"{r.seconds:.1f} s)"),
        ("公平分摊" if zh else "Fair shares",
         "每个组合的合同价按沙普利值分摊；若沙普利值不在核心内（某些成员联合单独签约更便宜），"
         "取离它最近的核心点，核心为空时取最小核心。金额精确到分。" if zh else
         "each bundle's cost is split by the Shapley value; where that is outside the core "
         "(some members together would pay less on their own), by the core point nearest "
         "it, or the least core where the core is empty. Amounts to the fen."),
    ]
    if c.kept_zones:
        rows.append(("保留的片区" if zh else "Zones kept",
                     f"{len(c.kept_zones):,} 个片区保持不变（建议的组合在那里更差）" if zh else
                     f"{len(c.kept_zones):,} of today's zones kept (the proposed bundles were "
                     "worse there)"))
    warnings = c.warnings(lang)
    rows += [("警告" if zh else "Warning", w.removeprefix("警告：").removeprefix("Warning: "))
             for w in warnings]
    if not warnings:
        rows.append(("检查" if zh else "Check",
                     f"没有小区比在{today}中多付，总体也不比{today}差" if zh else
                     f"no compound pays more than in {today}, and the total is no worse"))
    return rows


def _shown(frame: pd.DataFrame, columns: dict[str, tuple[str, str]], lang: Language,
           names: dict[str, str]) -> pd.DataFrame:
    k = int(lang == "zh")
    out = frame[[c for c in columns if c in frame.columns]].copy()
    for col in ("contract", "zone"):
        if col in out.columns:
            source = out["bundle_id"] if col == "contract" else out[col]
            out[col] = [contract_name(str(v), lang, names) for v in source]
    if "share_method" in out.columns:
        out["share_method"] = [_METHODS[m][k] for m in out["share_method"]]
    if "member_names" in out.columns:
        out["member_names"] = [("、" if k else ", ").join(v) for v in out["member_names"]]
    if "alone_reason" in out.columns and k:
        out["alone_reason"] = out["alone_reason"].replace({
            "today's zone kept": "保留现片区",
            "alone is best for the objective": "单独最符合目标",
        }).str.replace(r"^no feasible partner within (.*) m$", r"\1 米内没有可组合的小区",
                       regex=True)
    return out.rename(columns={c: columns[c][k] for c in out.columns})


def member_table(c: BundleComparison, lang: Language = "en") -> pd.DataFrame:
    """The members sheet with headers and names in ``lang`` (a bundle file)."""
    names = dict(zip(c.members["compound_id"], c.members["compound_name"], strict=True))
    return _shown(c.members, MEMBER_COLUMNS, lang, names)


def write_bundle_workbook(path: str | Path, c: BundleComparison, *,
                          labels: Language = "en", printed: dt.date | None = None) -> Path:
    """Write the comparison as ``.xlsx`` (members, bundles, summary) or ``.csv`` (members).

    The workbook is print-ready: every sheet A4 landscape, one page wide, its header row
    repeated on every page, the title in the page header and the date and page numbers
    in the footer; money to the fen with thousands separators; the bundles sheet ends in
    a totals row (exact to the fen). The members sheet is a bundle file as it stands
    (:func:`propfee.bundling.files.read_bundles`), so it has no totals row.

    Parameters
    ----------
    path
        Target file; written atomically. A workbook opens on its summary.
    c
        The comparison (:func:`compare_bundles`).
    labels
        Headers and words in English (``"en"``) or Chinese (``"zh"``).
    printed
        The date in the page footers (default: today).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    from propfee._atomic import atomic_path, check_target
    from propfee._optional import require
    from propfee._tables import write_table

    target = Path(path)
    members = member_table(c, labels)
    if target.suffix.lower() != ".xlsx":
        return write_table(members, target)
    require("openpyxl", feature="writing Excel files", extra="excel")
    from openpyxl import Workbook

    from propfee.excel.tables import write_table_sheet
    from propfee.excel.units import page_setup, sheet_title

    check_target(target)
    zh = labels == "zh"
    day = dt.date.today() if printed is None else printed
    names = dict(zip(c.members["compound_id"], c.members["compound_name"], strict=True))
    book = Workbook()
    book.remove(book.worksheets[0])  # the sheets are created in order below
    tables = (
        ("组合成员" if zh else "Members", c.members, MEMBER_COLUMNS, None),
        ("组合" if zh else "Bundles", c.bundles, BUNDLE_SHEET_COLUMNS, "合计" if zh else "Total"),
    )
    title = "共享物业打包方案" if zh else "Shared-property bundles"
    for name, frame, columns, total in tables:
        sheet = book.create_sheet(name)
        raw = frame[[col for col in columns if col in frame.columns]]
        write_table_sheet(sheet, raw, _shown(frame, columns, labels, names), total=total)
        page_setup(sheet, title=sheet_title(title, name, labels), lang=labels, printed=day,
                   header_row=1)
    _summary_sheet(book.create_sheet("摘要" if zh else "Summary"), summary_rows(c, labels),
                   lang=labels, title=title, printed=day)
    book.active = len(book.sheetnames) - 1  # opens on the summary
    with atomic_path(target) as temp:
        book.save(temp)
    return target


_SUMMARY_WIDTHS: Final = (18, 100)
"""Widths of the summary sheet's item and text columns. [characters]"""


def _summary_sheet(sheet: object, rows: Sequence[tuple[str, str]], *, lang: Language, title: str,
                   printed: dt.date) -> None:
    """The summary as a two-column table, its text wrapped to the page's width."""
    from typing import Any

    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from propfee.excel.tables import display_width
    from propfee.excel.units import CJK_FONT, page_setup
    from propfee.io.writers import inert

    ws: Any = sheet
    zh = lang == "zh"
    bold = Font(name=CJK_FONT, bold=True)
    for j, (head, width) in enumerate(zip(["项目", "内容"] if zh else ["Item", "What it says"],
                                          _SUMMARY_WIDTHS, strict=True), start=1):
        cell = ws.cell(row=1, column=j, value=head)
        cell.font, cell.border = bold, Border(bottom=Side(style="thin", color="808080"))
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[cell.column_letter].width = width
    for i, (item, text) in enumerate(rows, start=2):
        ws.cell(row=i, column=1, value=inert(item)).font = bold
        cell = ws.cell(row=i, column=2, value=inert(text))
        cell.font = Font(name=CJK_FONT)
        for j in (1, 2):
            ws.cell(row=i, column=j).alignment = Alignment(wrap_text=True, vertical="top")
        lines = display_width(text) // (_SUMMARY_WIDTHS[1] - 4) + 1
        ws.row_dimensions[i].height = 16.0 * lines + 2
    page_setup(ws, title=title, lang=lang, printed=printed, header_row=1)
