"""The 4+1 budget: every compound's services, yuan by yuan, by channel and payer.

One kernel, :func:`budget_arrays`, computes every cost line for an array of
compounds under a resolved plan. It only composes the channels, one module each
(:mod:`propfee.channels`): each takes the compounds, the resolved plan and the
parameters and adds typed lines (line, channel, category, payer, kind).
:func:`evaluate_district` wraps it for a table (a :class:`DistrictBudget` of
DataFrames); :func:`evaluate` wraps it for one :class:`~propfee.compound.Compound`
(a :class:`BudgetResult`) on a one-row table of arrays (no DataFrame, no second check
of the already validated compound): there is no second code path.

How demand is met, per compound and staff role (all in [FTE]), in this order::

    demand           = the role's norm at the plan's service grade and gate regime
    street takes     replaced_share x demand                          (channel 3)
    devices replace  units x replaced_fte_per_unit, capped by what is left   (channel 4)
    volunteers take  their hours / hours of a post, capped by what is left   (channel 1)
    standing posts   the contract staffs what is left of its standing roles  (channel 2)
    informal hires   the compound hires what is left of its informal roles   (direct)
    unmet            what is left after all of them (reported, not priced)

Money (per compound, [yuan/year]); every line has one channel, category, payer and kind::

    compound cash cost  = lines paid by residents' fees + lines paid by the fund pool
    pool balance        = fee collected + public income - compound cash cost
    street subsidy      = max(-pool balance, 0)   (keeps the pool from going negative)
    street total        = street fallback lines + street subsidy
    net public cost     = street total + renovation-programme capital
    comparison baseline = market price at the plan's grade (propfee.baseline)
                          + per-use jobs at market price and unshared call-outs
    baseline balance    = fee collected - comparison baseline
    saving              = comparison baseline - compound cash cost
    deficit reduction   = max(-baseline balance, 0) - net public cost

Channel credit (``contribution_<channel>_yuan``): ``v(S)`` is the pool balance with the
channels in ``S`` switched on; with none on, a market company serves each compound
alone at market prices, the street pays nothing and takes nothing (its services fall
on the fund pool), device-only gates fall back to the grade's regime (a live-in
gatekeeper where the grade itself is device-only), and there is no public income
(``channel_base_balance_yuan``). Each channel is credited its **Shapley value** over
the five channels (all 32 subsets; independent of any order; the credits add up
exactly, in fen, to ``pool balance - v(none)``); ``"waterfall"`` switches them on one
by one in :data:`CREDIT_CHANNELS` order instead. The subsets are evaluated in one
kernel run over stacked copies of the table (:func:`subset_balances_fen`), whose copy
with every channel on is the budget itself: for one compound that run costs about 1.5
times a run without the credit (the kernel's cost is per array operation, not per
row); for a district, 32 times (6 for the waterfall). :func:`evaluate` computes it by
default, :func:`evaluate_district` only when asked (``contributions=True``, or later
:meth:`DistrictBudget.channel_credit`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import combinations
from math import factorial
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict

from propfee._arrays import sum_arrays
from propfee.baseline import baseline_arrays, baseline_price_fen, effective_fee_inputs
from propfee.channels import devices, direct, public_income, self_governance, shared_property
from propfee.channels import street as street_fallback
from propfee.channels.common import CHANNELS, PAYERS, Channel, LineSpec
from propfee.channels.context import ChannelInputs
from propfee.compound import (
    Compound,
    CompoundTable,
    _compound_models,
    _one_compound,
    _table_of,
    validate_compounds,
)
from propfee.fees import annual_fee_billed_yuan
from propfee.money import (
    FEN_PER_YUAN,
    ROUND_BLOCK,
    fen_rows_to_yuan,
    fen_to_yuan,
    yuan_rows_to_fen,
    yuan_to_fen,
)
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, PlanArrays, default_plan, resolve_plan
from propfee.staffing import ROLES

__all__ = [
    "CREDIT_CHANNELS",
    "OPTIONAL_CHANNELS",
    "SUBSETS",
    "BudgetLine",
    "BudgetResult",
    "DistrictBudget",
    "KernelOutput",
    "LineSpec",
    "budget_arrays",
    "evaluate",
    "evaluate_district",
    "evaluate_many",
    "shapley_fen",
    "subset_balances_fen",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CREDIT_CHANNELS: Final[tuple[Channel, ...]] = (
    "shared_property", "self_governance", "street_fallback", "smart_devices", "public_income"
)
"""The five channels that are switched on and off for the channel credit (the waterfall
switches them on in this order)."""

OPTIONAL_CHANNELS: Final = CREDIT_CHANNELS
"""Alias of :data:`CREDIT_CHANNELS`."""

Contributions = bool | Literal["shapley", "waterfall"]


@dataclass(frozen=True, slots=True)
class KernelOutput:
    """Raw output of :func:`budget_arrays`.

    Attributes
    ----------
    lines
        Line spec -> annual amount per compound. [yuan/year]
    lines_fen
        The lines that are whole fen by construction (contract shares, split in fen).
        [fen/year]
    public_income_yuan
        Net public-resource income per compound. [yuan/year]
    jobs_at_market_yuan
        The plan's per-use jobs at market price and unshared call-outs. [yuan/year]
    replaced_fte
        ``(channel, role) -> FTE`` of demand each channel took. [FTE]
    residual_fte
        Role -> demand left unmet. [FTE]
    details
        Per-item figures: ``uses:<job>`` [uses/year]; ``job_yuan:<job>`` (unit price and
        shared call-outs), ``job_unit:<job>`` and ``job_callout:<job>`` (call-outs before
        sharing), all at the contract's discount [yuan/year]; ``income:<source>``
        [yuan/year]; ``device_capital:<device>`` [yuan]; ``device_life:<device>`` [year].
    line_rows
        For a line that exists only where a condition holds (a channel on or off, a gate
        regime): the compounds where it does.
    """

    lines: dict[LineSpec, FloatArray]
    lines_fen: dict[LineSpec, IntArray]
    public_income_yuan: FloatArray
    jobs_at_market_yuan: FloatArray
    replaced_fte: dict[tuple[str, str], FloatArray]
    residual_fte: dict[str, FloatArray]
    details: dict[str, FloatArray]
    line_rows: dict[LineSpec, npt.NDArray[np.bool_]] = field(default_factory=dict)

    def fen(self, spec: LineSpec) -> IntArray:
        """One line rounded to the fen (half away from zero). [fen/year]"""
        exact = self.lines_fen.get(spec)
        return yuan_to_fen(self.lines[spec]) if exact is None else exact

    def fen_matrix(self) -> tuple[list[LineSpec], IntArray]:
        """Every line rounded to the fen (half away from zero), as one matrix. [fen/year]

        Returns
        -------
        tuple
            The line specs and a ``(lines, compounds)`` matrix, row ``i`` the line
            ``specs[i]``: the lines are rounded together, not one by one. [fen/year]
        """
        n = len(self.public_income_yuan)
        specs = list(self.lines)
        fen = yuan_rows_to_fen([self.lines[s] for s in specs], n)  # exact lines: below
        for i, spec in enumerate(specs):
            if spec in self.lines_fen:
                fen[i] = self.lines_fen[spec]
        return specs, fen

    def fen_lines(self) -> dict[LineSpec, IntArray]:
        """Every line rounded to the fen (half away from zero), in one pass. [fen/year]"""
        specs, matrix = self.fen_matrix()
        return dict(zip(specs, matrix, strict=True))

    def take(self, rows: slice) -> KernelOutput:
        """The output for the compounds at ``rows``, as a run on them alone would give it.

        A view; arrays of one value, which broadcast over every compound, are kept as
        they are, and a line that exists only where a condition holds (``line_rows``) is
        kept only if it holds for one of the compounds.
        """
        n = len(self.public_income_yuan)

        def part(values: dict[Any, Any]) -> dict[Any, Any]:
            return {k: v[rows] if len(v) == n else v for k, v in values.items()}

        absent = {s for s, here in self.line_rows.items() if not here[rows].any()}
        lines = {s: v for s, v in part(self.lines).items() if s not in absent}
        return KernelOutput(lines, part(self.lines_fen), self.public_income_yuan[rows],
                            self.jobs_at_market_yuan[rows], part(self.replaced_fte),
                            part(self.residual_fte), part(self.details),
                            {s: v[rows] for s, v in self.line_rows.items() if s not in absent})

    def _detail(self, prefix: str) -> dict[str, FloatArray]:
        return {k[len(prefix):]: v for k, v in self.details.items() if k.startswith(prefix)}

    @property
    def job_uses(self) -> dict[str, FloatArray]:
        """Per-use job -> expected uses. [uses/year]"""
        return self._detail("uses:")

    @property
    def income_by_source(self) -> dict[str, FloatArray]:
        """Income source -> net income. [yuan/year]"""
        return self._detail("income:")

    @property
    def device_capital_yuan(self) -> dict[str, FloatArray]:
        """Device -> capital of all its units, undiscounted. [yuan]"""
        return self._detail("device_capital:")

    @property
    def device_life_years(self) -> dict[str, FloatArray]:
        """Device -> service life. [year]"""
        return self._detail("device_life:")

    def cash_fen(self) -> IntArray:
        """Lines paid by residents' fees and the fund pool, in fen. [fen/year]"""
        specs, matrix = self.fen_matrix()
        by_payer = group_sums(specs, matrix, "payer", ("residents_fees", "fund_pool"))
        result: IntArray = by_payer["residents_fees"] + by_payer["fund_pool"]
        return result




@functools.lru_cache(maxsize=256)
def _group_rows(specs: tuple[LineSpec, ...], by: tuple[str, ...],
                names: tuple[tuple[str, ...], ...]
                ) -> tuple[dict[tuple[str, ...], list[int]], list[IntArray]]:
    """For the attributes ``by`` of the specs: the row numbers of each combination of
    their values that some line has, and for each attribute a 0/1 matrix of ``(groups,
    lines)`` (a plan's lines are the same call after call)."""
    combos: dict[tuple[str, ...], list[int]] = {}
    for i, spec in enumerate(specs):
        combos.setdefault(tuple(getattr(spec, b) for b in by), []).append(i)
    members = []
    for b, groups in zip(by, names, strict=True):
        member = np.zeros((len(groups), len(specs)), dtype=np.int64)
        for g, group in enumerate(groups):
            member[g, [i for i, spec in enumerate(specs) if getattr(spec, b) == group]] = 1
        member.flags.writeable = False
        members.append(member)
    return combos, members


def group_sums(specs: list[LineSpec], matrix: IntArray, by: str, names: Iterable[str]
               ) -> dict[str, IntArray]:
    """Sum the rows of a line matrix by one attribute of their specs (exact integer sums).

    Parameters
    ----------
    specs
        The spec of each row of ``matrix``.
    matrix
        Lines in fen, ``(lines, compounds)``. [fen/year]
    by
        ``"channel"``, ``"payer"``, ``"category"`` or ``"kind"``.
    names
        The groups to return (a group without lines is zero).

    Returns
    -------
    dict
        Group -> sum per compound. [fen/year]
    """
    return group_sums_by(specs, matrix, {by: tuple(names)})[by]


def group_sums_by(specs: list[LineSpec], matrix: IntArray,
                  groupings: dict[str, tuple[str, ...]]) -> dict[str, dict[str, IntArray]]:
    """:func:`group_sums` by several attributes at once, reading the matrix once.

    A large matrix is summed row by row into one total per combination of the
    attributes' values that some line has (a few), and those into each group; integer
    sums are exact in any order.

    Parameters
    ----------
    specs
        The spec of each row of ``matrix``.
    matrix
        Lines in fen, ``(lines, compounds)``. [fen/year]
    groupings
        Attribute (``"channel"``, ``"payer"``...) -> the groups to return.

    Returns
    -------
    dict
        Attribute -> group -> sum per compound. [fen/year]
    """
    by = tuple(groupings)
    combos, members = _group_rows(tuple(specs), by, tuple(groupings.values()))
    if matrix.shape[1] * len(specs) <= ROUND_BLOCK:  # small: one integer product each
        return {b: dict(zip(groupings[b], member @ matrix, strict=True))
                for b, member in zip(by, members, strict=True)}
    zero = np.zeros(matrix.shape[1], dtype=np.int64)
    partial = {key: sum_arrays((matrix[i] for i in idx), like=zero)  # large: row by row
               for key, idx in combos.items()}
    return {b: {name: sum_arrays((v for key, v in partial.items() if key[g] == name),
                                 like=zero)
                for name in groupings[b]}
            for g, b in enumerate(by)}


def budget_arrays(
    table: CompoundTable,
    plan: PlanArrays,
    params: ParameterSet,
    channels: Iterable[str] = CREDIT_CHANNELS,
    *,
    volunteer_multiplier: FloatArray | float = 1.0,
    masks: dict[str, FloatArray] | None = None,
) -> KernelOutput:
    """The 4+1 kernel: every cost line of every compound, unrounded.

    Parameters
    ----------
    table
        Validated compounds.
    plan
        The plan resolved against ``table`` (:func:`propfee.plan.resolve_plan`).
    params
        Parameter set (wages, norms, unit prices, fee defaults).
    channels
        Which of :data:`CREDIT_CHANNELS` are switched on; the compound's direct costs
        always are.
    volunteer_multiplier
        Multiplies each compound's volunteer supply (what-if analyses). [1]
    masks
        Instead of ``channels``: channel -> per-compound 1.0 (on) or 0.0 (off), so that
        one run evaluates different channel sets on different rows. Rows whose
        shared-property channel is off must be bundles of their own in ``plan``
        (:meth:`propfee.plan.PlanArrays.alone`).

    Returns
    -------
    KernelOutput
    """
    n = len(table)
    if masks is None:
        chosen = frozenset(channels)
        masks = {ch: np.full(n, 1.0 if ch in chosen else 0.0) for ch in CREDIT_CHANNELS}
        if "shared_property" not in chosen:
            plan = plan.alone(table.text("compound_id"))
    ctx = ChannelInputs.start(table, plan, params, masks)
    ctx.volunteer_multiplier = volunteer_multiplier
    for channel in (street_fallback, devices, self_governance, shared_property, direct,
                    public_income):
        channel.apply(ctx)
    return KernelOutput(ctx.lines, ctx.lines_fen, ctx.income_yuan, ctx.jobs_at_market_yuan,
                        ctx.replaced, ctx.remaining, ctx.details, ctx.line_rows)


def _pool_balance_fen(out: KernelOutput, fee_collected_fen: IntArray) -> IntArray:
    result: IntArray = fee_collected_fen + yuan_to_fen(out.public_income_yuan) - out.cash_fen()
    return result


def shapley_fen(values_fen: dict[frozenset[str], IntArray], players: tuple[str, ...]
                ) -> dict[str, IntArray]:
    """Shapley value of each player, rounded to the fen so they add up exactly.

    ``phi_i = sum over S without i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))``.
    The numerators ``n! phi_i`` are integers (fen); each is divided by ``n!`` rounding
    down, and the fen still missing to ``v(all) - v(none)`` go to the largest
    remainders (ties to the player listed first). Vectorised over compounds.

    Parameters
    ----------
    values_fen
        Value of every subset of ``players`` (all ``2^n``), per compound. [fen]
    players
        The players, in the tie-break order.

    Returns
    -------
    dict
        Player -> Shapley value per compound. [fen]

    Examples
    --------
    Two players, v({}) = 0, v({a}) = 3, v({b}) = 1, v({a, b}) = 6: a gets
    (3 + 5) / 2 = 4, b gets (1 + 3) / 2 = 2.

    >>> v = {frozenset(): np.array([0]), frozenset("a"): np.array([3]),
    ...      frozenset("b"): np.array([1]), frozenset("ab"): np.array([6])}
    >>> {k: int(x[0]) for k, x in shapley_fen(v, ("a", "b")).items()}
    {'a': 4, 'b': 2}
    """
    n = len(players)
    scale = factorial(n)
    subsets, weights = _shapley_weights(tuple(players))
    values = np.stack([np.asarray(values_fen[s], dtype=np.int64) for s in subsets])
    numer = weights @ values  # integer products and sums: exact in any order
    floor = numer // scale
    rest = numer - floor * scale
    change = values_fen[frozenset(players)] - values_fen[frozenset()]
    missing = change - floor.sum(axis=0)  # 0 <= missing < n
    order = np.argsort(-rest, axis=0, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n)[:, None].repeat(numer.shape[1], axis=1), axis=0)
    shares = floor + (rank < missing[None, :])
    return {player: shares[k] for k, player in enumerate(players)}


@functools.cache
def _shapley_weights(players: tuple[str, ...]
                     ) -> tuple[tuple[frozenset[str], ...], npt.NDArray[np.int64]]:
    """Every subset of ``players`` and the integer matrix ``W`` with ``n! phi = W v``.

    ``W[i, S + i] += |S|! (n - |S| - 1)!`` and ``W[i, S] -= |S|! (n - |S| - 1)!`` for
    every subset ``S`` without player ``i``.
    """
    n = len(players)
    subsets = tuple(frozenset(c) for size in range(n + 1) for c in combinations(players, size))
    column = {s: j for j, s in enumerate(subsets)}
    weights = np.zeros((n, len(subsets)), dtype=np.int64)
    for i, player in enumerate(players):
        for s in subsets:
            if player not in s:
                w = factorial(len(s)) * factorial(n - len(s) - 1)
                weights[i, column[s | {player}]] += w
                weights[i, column[s]] -= w
    weights.flags.writeable = False
    return subsets, weights


SUBSETS: Final[tuple[frozenset[str], ...]] = tuple(
    frozenset(s) for size in range(len(CREDIT_CHANNELS) + 1)
    for s in combinations(CREDIT_CHANNELS, size))
"""Every subset of :data:`CREDIT_CHANNELS` (32), the empty one first, the full one last."""


def subset_balances_fen(
    table: CompoundTable, plan: PlanArrays, params: ParameterSet,
    subsets: tuple[frozenset[str], ...], fee_collected_fen: IntArray,
) -> dict[frozenset[str], IntArray]:
    """The pool balance of every compound under each channel subset, in one kernel run.

    The table is stacked once per subset and each copy evaluated with its own channels
    switched on (per-row channel masks), so the cost is one kernel run over
    ``len(subsets) x len(table)`` rows rather than ``len(subsets)`` runs. Each copy gets
    exactly the numbers a separate run would (a test compares them).

    Returns
    -------
    dict
        Subset -> pool balance per compound. [fen/year]
    """
    return _stacked_run(table, plan, params, subsets, fee_collected_fen)[1]


def _stacked_run(
    table: CompoundTable, plan: PlanArrays, params: ParameterSet,
    subsets: tuple[frozenset[str], ...], fee_collected_fen: IntArray,
) -> tuple[KernelOutput, dict[frozenset[str], IntArray]]:
    """:func:`subset_balances_fen` and the kernel output of the stacked copies."""
    n = len(table)
    k = len(subsets)
    rows = np.tile(np.arange(n), k)
    stacked = table.take(rows)
    alone = plan.alone(table.text("compound_id"))
    plans = [plan if "shared_property" in s else alone for s in subsets]
    masks: dict[str, FloatArray] = {
        ch: np.repeat(np.array([1.0 if ch in s else 0.0 for s in subsets]), n)
        for ch in CREDIT_CHANNELS}
    out = budget_arrays(stacked, PlanArrays.stack(plans), params, masks=masks)
    balance = _pool_balance_fen(out, np.tile(fee_collected_fen, k)).reshape(k, n)
    return out, {s: balance[i] for i, s in enumerate(subsets)}


_WATERFALL: Final = tuple(frozenset(CREDIT_CHANNELS[:k]) for k in range(len(CREDIT_CHANNELS)))
"""The waterfall's steps before the last: no channel, then one more channel each."""


def _credit_of(values: dict[frozenset[str], IntArray], mode: str
               ) -> tuple[dict[str, IntArray], IntArray]:
    """Channel credit in fen and the balance with no channel on, from the balances of
    the subsets (every subset for ``"shapley"``, the waterfall's steps otherwise)."""
    if mode == "waterfall":
        balances = [values[s] for s in (*_WATERFALL, SUBSETS[-1])]
        return ({ch: balances[k + 1] - balances[k] for k, ch in enumerate(CREDIT_CHANNELS)},
                balances[0])
    return shapley_fen(values, CREDIT_CHANNELS), values[frozenset()]


def _credit_fen(
    table: CompoundTable, plan: PlanArrays, params: ParameterSet, mode: str,
    fee_collected_fen: IntArray, full_balance: IntArray,
) -> tuple[dict[str, IntArray], IntArray]:
    """Channel credit in fen and the balance with no channel on, the full balance known."""
    subsets = _WATERFALL if mode == "waterfall" else SUBSETS[:-1]
    values = subset_balances_fen(table, plan, params, subsets, fee_collected_fen)
    values[SUBSETS[-1]] = full_balance
    return _credit_of(values, mode)


def _kernel_with_credit(
    table: CompoundTable, plan: PlanArrays, params: ParameterSet, mode: str,
) -> tuple[KernelOutput, tuple[dict[str, IntArray], IntArray]]:
    """The budget's kernel output and its channel credit from one stacked run: the
    copy with every channel on is the budget itself (the last copy)."""
    n = len(table)
    subsets = (*(_WATERFALL if mode == "waterfall" else SUBSETS[:-1]), SUBSETS[-1])
    out, values = _stacked_run(table, plan, params, subsets, _fee_collected_fen(table, params))
    last = len(subsets) - 1
    return out.take(slice(last * n, (last + 1) * n)), _credit_of(values, mode)


def _fee_collected_fen(table: CompoundTable, params: ParameterSet) -> IntArray:
    """Fee collected per compound, rounded to the fen. [fen/year]"""
    rate, coll = effective_fee_inputs(table, params)
    return yuan_to_fen(annual_fee_billed_yuan(table.array("floor_area_m2"), rate) * coll)


@dataclass(frozen=True)
class DistrictBudget:
    """The 4+1 budget of a district.

    Attributes
    ----------
    compounds
        One row per compound (input order): identity, cost by channel
        (``cost_<channel>_yuan``), by payer (``paid_by_<payer>_yuan``), totals, fee and
        public income, pool balance, street subsidy, the comparison baseline, saving,
        deficit reduction, channel contributions (``contribution_<channel>_yuan``, when
        asked for at evaluation) and staff taken over by each channel
        (``replaced_fte_<channel>``). Money in [yuan/year], rounded to the fen; every
        total is the sum of its rounded lines.
    lines
        Long format: one row per compound and line, with ``compound_id``, ``line``,
        ``channel``, ``category``, ``payer``, ``kind`` (categorical) and ``amount_yuan``
        [yuan/year]. Built on first use by running the kernel again on the inputs the
        budget keeps (the same numbers, piece by piece), so a district call that never
        looks at it pays neither its time nor its memory.
    """

    compounds: pd.DataFrame
    _inputs: tuple[CompoundTable, PlanArrays, ParameterSet] | None = field(
        default=None, repr=False, compare=False)
    _with_lines: bool = field(default=True, repr=False, compare=False)

    def channel_credit(self, mode: Literal["shapley", "waterfall"] = "shapley"
                       ) -> pd.DataFrame:
        """Each compound's channel credit, computed on first use (see the module docstring).

        Where the evaluation already computed it (``contributions=...``) those columns
        are returned; otherwise the kernel runs on every channel subset now: 31 subsets
        in one stacked run for ``"shapley"``, 5 for ``"waterfall"``.

        Parameters
        ----------
        mode
            ``"shapley"`` (the Shapley value over the five channels) or ``"waterfall"``.

        Returns
        -------
        pandas.DataFrame
            One row per compound (as :attr:`compounds`): ``compound_id``,
            ``channel_base_balance_yuan`` and ``contribution_<channel>_yuan``. [yuan/year]
        """
        names = ["channel_base_balance_yuan",
                 *(f"contribution_{ch}_yuan" for ch in CREDIT_CHANNELS)]
        df = self.compounds
        if names[0] in df.columns and mode == self._credit_mode:
            return df[["compound_id", *names]]
        cached = self._credit_cache.get(mode)
        if cached is not None:
            return cached
        if self._inputs is None:
            raise ValueError("this budget keeps no inputs: evaluate it with "
                             "contributions=True to have its channel credit")
        table, resolved, params = self._inputs
        fee = yuan_to_fen(df["fee_collected_yuan"].to_numpy())
        balance = yuan_to_fen(df["pool_balance_yuan"].to_numpy())
        columns = {name: np.empty(len(df)) for name in names}
        for rows, bundles in _chunks(resolved.bundle_code, len(resolved.bundle_ids),
                                     CREDIT_CHUNK_ROWS):
            credit, none_on = _credit_fen(table.take(rows), resolved.take(rows, bundles),
                                          params, mode, fee[rows], balance[rows])
            columns[names[0]][rows] = fen_to_yuan(none_on)
            for ch in CREDIT_CHANNELS:
                columns[f"contribution_{ch}_yuan"][rows] = fen_to_yuan(credit[ch])
        out = pd.DataFrame({"compound_id": df["compound_id"], **columns})
        self._credit_cache[mode] = out
        return out

    @functools.cached_property
    def _credit_cache(self) -> dict[str, pd.DataFrame]:
        return {}

    @property
    def _credit_mode(self) -> str | None:
        return self.compounds.attrs.get("contributions")

    @functools.cached_property
    def _line_fen(self) -> dict[LineSpec, IntArray]:
        """Every line of every compound in fen: the kernel run again, piece by piece."""
        if not self._with_lines or self._inputs is None:
            raise ValueError("this budget was evaluated with with_lines=False: evaluate it "
                             "with with_lines=True to have its lines")
        table, resolved, params = self._inputs
        n = len(table)
        out: dict[LineSpec, IntArray] = {}
        for rows, part, plan in _pieces(table, resolved, CHUNK_ROWS):
            for spec, v in budget_arrays(part, plan, params).fen_lines().items():
                out.setdefault(spec, np.zeros(n, dtype=np.int64))[rows] = v
        return out

    @functools.cached_property
    def lines(self) -> pd.DataFrame:
        """The long table of lines (see the class docstring). [yuan/year]"""
        return _lines_frame(self.compounds["compound_id"].to_numpy(), self._line_fen)

    def totals_by(self, column: str) -> pd.DataFrame:
        """Sum every money and count column of :attr:`compounds` by ``street`` or ``zone``.

        Parameters
        ----------
        column
            ``"street"``, ``"zone"`` or ``"bundle_id"``.

        Returns
        -------
        pandas.DataFrame
            One row per group; ``compounds`` counts them; money sums exactly (fen). [yuan/year]
        """
        df = self.compounds
        money = [c for c in df.columns if c.endswith("_yuan") and "per_household" not in c]
        fen = pd.DataFrame({c: yuan_to_fen(df[c].to_numpy()) for c in money})
        fen[column] = df[column].to_numpy()
        grouped = fen.groupby(column, sort=True)
        out = grouped.sum() / 100.0
        out.insert(0, "households", df.groupby(column, sort=True)["households"].sum())
        out.insert(0, "compounds", grouped.size())
        return out

    def district_totals(self) -> pd.Series:
        """Every money column summed over the district (exact to the fen). [yuan/year]"""
        df = self.compounds
        money = [c for c in df.columns if c.endswith("_yuan") and "per_household" not in c]
        return pd.Series({c: int(yuan_to_fen(df[c].to_numpy()).sum()) / 100.0 for c in money})

    def _repr_html_(self) -> str:
        from propfee.report import district_html

        return district_html(self)


def _piece_columns(
    table: CompoundTable, params: ParameterSet, plan: PlanArrays, mode: str | None,
) -> tuple[dict[str, npt.NDArray[Any]], list[LineSpec], IntArray]:
    """Run the kernel on one piece (with the channel credit if ``mode``) and report it."""
    if mode is None:
        return _report_columns(table, params, plan, budget_arrays(table, plan, params), None)
    out, credit = _kernel_with_credit(table, plan, params, mode)
    return _report_columns(table, params, plan, out, credit)


def _report_columns(
    table: CompoundTable,
    params: ParameterSet,
    plan: PlanArrays,
    out: KernelOutput,
    credit: tuple[dict[str, IntArray], IntArray] | None,
) -> tuple[dict[str, npt.NDArray[Any]], list[LineSpec], IntArray]:
    """The numeric columns of the compound table, and every line in fen (the line specs
    and the ``(lines, compounds)`` matrix of :meth:`KernelOutput.fen_matrix`), for one
    chunk."""
    n = len(table)
    base = baseline_arrays(table, params, plan.plan.service_grade)
    # the fee as the baseline collects it (the same formula as _fee_collected_fen)
    fee_collected_fen, income_fen, jobs_market_fen = yuan_rows_to_fen(
        [base["fee_collected_yuan"], out.public_income_yuan, out.jobs_at_market_yuan], n)
    specs, matrix = out.fen_matrix()
    sums = group_sums_by(specs, matrix, {
        "channel": tuple(ch for ch in CHANNELS if ch != "public_income"), "payer": PAYERS})
    by_channel, by_payer = sums["channel"], sums["payer"]
    total = sum_arrays(by_payer.values(), like=np.zeros(n, dtype=np.int64))
    cash = by_payer["residents_fees"] + by_payer["fund_pool"]
    balance = fee_collected_fen + income_fen - cash
    subsidy = np.maximum(-balance, 0)
    street_total = by_payer["street_office"] + subsidy
    net_public = street_total + by_payer["renovation_programme"]

    base_fen = baseline_price_fen(base)
    comparison = base_fen + jobs_market_fen
    base_balance = fee_collected_fen - comparison

    money: dict[str, IntArray] = {  # every money column in fen, turned to yuan at once
        **{f"cost_{ch}_yuan": v for ch, v in by_channel.items()},
        **{f"paid_by_{py}_yuan": v for py, v in by_payer.items()},
        "total_cost_yuan": total,
        "compound_cash_cost_yuan": cash,
        "fee_collected_yuan": fee_collected_fen,
        "public_income_yuan": income_fen,
        "pool_balance_yuan": balance,
        "street_subsidy_yuan": subsidy,
        "street_total_yuan": street_total,
        "net_public_cost_yuan": net_public,
        "baseline_market_price_yuan": base_fen,
        "baseline_jobs_at_market_yuan": jobs_market_fen,
        "baseline_total_yuan": comparison,
        "baseline_balance_yuan": base_balance,
        "saving_vs_baseline_yuan": comparison - cash,
        "deficit_reduction_yuan": np.maximum(-base_balance, 0) - net_public,
    }
    if credit is not None:
        by_channel_credit, none_on = credit
        money["channel_base_balance_yuan"] = none_on
        for name in CREDIT_CHANNELS:
            money[f"contribution_{name}_yuan"] = by_channel_credit[name]
    yuan = fen_rows_to_yuan(money, n)
    households = table.array("households")
    cols: dict[str, npt.NDArray[Any]] = {}
    for column, v in yuan.items():
        cols[column] = v
        if column == "net_public_cost_yuan":  # the ratios after the street's totals
            cols["pool_non_negative"] = balance >= 0
            cols["cost_per_household_month_yuan"] = yuan["total_cost_yuan"] / households / 12.0
            cols["cash_cost_per_household_month_yuan"] = (
                yuan["compound_cash_cost_yuan"] / households / 12.0)
    taken: dict[str, list[FloatArray]] = {ch: [] for ch in _FTE_CHANNELS}
    for (ch, _), v in out.replaced_fte.items():  # in the order the channels took them
        taken[ch].append(v)
    for ch, values in taken.items():
        cols[f"replaced_fte_{ch}"] = sum_arrays(values, like=households)
    cols["unmet_fte"] = sum_arrays((out.residual_fte[r] for r in ROLES), like=households)
    return cols, specs, matrix


_FTE_CHANNELS: Final = ("street_fallback", "smart_devices", "self_governance",
                        "shared_property", "direct")
"""The channels that take staff demand, in the order of the report's columns."""


def _chunks(
    code: npt.NDArray[np.int64], n_bundles: int, max_rows: int
) -> list[tuple[slice | npt.NDArray[np.int64], slice]]:
    """Cut a table into pieces of about ``max_rows`` rows that keep every bundle whole.

    Returns ``(rows, bundles)`` pairs: the rows of a piece (a slice where they are
    contiguous) and the contiguous range of bundle numbers they make up. Bundle
    numbers follow first appearance, so a table sorted by bundle is cut into slices.
    """
    n = len(code)
    if n <= max_rows:
        return [(slice(0, n), slice(0, n_bundles))]
    sorted_already = bool(np.all(code[1:] >= code[:-1]))
    order = np.arange(n) if sorted_already else np.argsort(code, kind="stable")
    ends = np.cumsum(np.bincount(code, minlength=n_bundles))  # end of each bundle in order
    pieces: list[tuple[slice | npt.NDArray[np.int64], slice]] = []
    first = 0
    while first < n_bundles:
        start = int(ends[first - 1]) if first else 0
        last = max(int(np.searchsorted(ends, start + max_rows, side="right")) - 1, first)
        stop = int(ends[last])
        rows: slice | npt.NDArray[np.int64] = (
            slice(start, stop) if sorted_already else order[start:stop]
        )
        pieces.append((rows, slice(first, last + 1)))
        first = last + 1
    return pieces


CHUNK_ROWS: Final = 32_768
"""Compounds evaluated together: small enough for the CPU cache, large enough to vectorise."""

MAX_THREADS: Final = 4
"""Most threads a district call runs its pieces on (never more than the cores)."""

CREDIT_CHUNK_ROWS: Final = CHUNK_ROWS // 32
"""Compounds whose channel credit is computed together (stacked 31 or 5 times)."""


def _district_budget(
    table: CompoundTable,
    params: ParameterSet,
    resolved: PlanArrays,
    contributions: str | None,
    with_lines: bool,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[float], None] | None = None,
) -> DistrictBudget:
    """Run the kernel chunk by chunk (whole bundles per chunk) and assemble the tables."""
    n = len(table)
    columns: dict[str, npt.NDArray[Any]] = {}
    if contributions is not None:
        chunk_rows = max(chunk_rows // 32, 1)
    done = 0
    pieces = list(_pieces(table, resolved, chunk_rows))

    def run(piece: tuple[slice | IntArray, CompoundTable, PlanArrays]
            ) -> dict[str, npt.NDArray[Any]]:
        return _piece_columns(piece[1], params, piece[2], contributions)[0]

    # NumPy lets go of the interpreter lock in its array loops, so pieces run side by
    # side on several cores; each writes its own rows.
    workers = min(len(pieces), os.cpu_count() or 1, MAX_THREADS)
    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
        results = pool.map(run, pieces) if pool is not None else map(run, pieces)
        for (rows, part, _), cols in zip(pieces, results, strict=True):
            for name, v in cols.items():
                column = columns.get(name)
                if column is None:  # made once, at the first piece
                    column = columns[name] = np.empty(n, dtype=v.dtype)
                column[rows] = v
            done += len(part)
            if progress is not None:
                progress(done / max(n, 1))

    f = table.frame
    identity = {
        "compound_id": f["compound_id"],
        "name": f["name"],
        "street": f["street"],
        "zone": f["zone"],
        "bundle_id": pd.array(resolved.bundle_ids, dtype="str").take(resolved.bundle_code),
        "households": f["households"].to_numpy(),
        "floor_area_m2": f["floor_area_m2"].to_numpy(),
    }
    df = pd.DataFrame({**identity, **columns}, index=pd.RangeIndex(n), copy=False)
    df.attrs["contributions"] = contributions
    return DistrictBudget(df, (table, resolved, params), with_lines)


def _pieces(table: CompoundTable, resolved: PlanArrays, chunk_rows: int
            ) -> Iterator[tuple[slice | IntArray, CompoundTable, PlanArrays]]:
    """The pieces of :func:`_chunks`: rows, their compounds and their plan."""
    n = len(table)
    for rows, bundles in _chunks(resolved.bundle_code, len(resolved.bundle_ids), chunk_rows):
        if isinstance(rows, slice) and rows == slice(0, n):
            yield rows, table, resolved
        else:
            yield rows, table.take(rows), resolved.take(rows, bundles)


def _lines_frame(ids: npt.NDArray[Any], line_fen: dict[LineSpec, IntArray]) -> pd.DataFrame:
    """The long table of lines, its text columns categorical (one code per row)."""
    specs = list(line_fen)
    n, k = len(ids), len(specs)
    which = np.repeat(np.arange(k, dtype=np.int32), n)

    def column(values: list[str]) -> Any:
        cats, inverse = np.unique(np.asarray(values, dtype=object), return_inverse=True)
        return pd.Categorical.from_codes(inverse[which],  # type: ignore[call-overload]
                                         categories=list(cats))

    codes, uniques = pd.factorize(np.asarray(ids, dtype=object))
    id_dtype = pd.CategoricalDtype(pd.Index(uniques, dtype=object))
    return pd.DataFrame({
        "compound_id": pd.Categorical.from_codes(np.tile(codes, k), dtype=id_dtype),
        "line": column([s.code for s in specs]),
        "channel": column([s.channel for s in specs]),
        "category": column([s.category for s in specs]),
        "payer": column([s.payer for s in specs]),
        "kind": column([s.kind for s in specs]),
        "amount_yuan": fen_to_yuan(np.concatenate([line_fen[s] for s in specs]))
        if k else np.zeros(0),
    })


def evaluate_district(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    overrides: pd.DataFrame | None = None,
    contributions: Contributions = False,
    with_lines: bool = True,
    progress: Callable[[float], None] | None = None,
) -> DistrictBudget:
    """The 4+1 budget of every compound of a table.

    The table is validated and the plan resolved once; the kernel then runs on pieces
    of about :data:`CHUNK_ROWS` compounds that keep every bundle whole, so a million
    compounds need little more memory than their result.

    Parameters
    ----------
    compounds
        A compound table or a validated :class:`~propfee.compound.CompoundTable`.
    plan
        The 4+1 plan; defaults to :func:`propfee.plan.default_plan`.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    overrides
        Per-compound plan overrides (see :func:`propfee.plan.resolve_plan`).
    contributions
        Channel credit as columns of :attr:`DistrictBudget.compounds`: ``True`` or
        ``"shapley"`` (the Shapley value over the five channels: the kernel runs on 32
        copies of the table, stacked), ``"waterfall"`` (6 copies), ``False`` (the
        default: one run; :meth:`DistrictBudget.channel_credit` and
        :func:`propfee.report.channel_contributions` compute the credit when asked).
    with_lines
        Whether :attr:`DistrictBudget.lines` can be asked for (it is built on first use,
        by running the kernel again); ``False`` makes asking for it an error.
    progress
        Called after each piece of the table with the share of compounds done. [1]

    Returns
    -------
    DistrictBudget

    Raises
    ------
    propfee.errors.InputError
        For bad compounds, a plan naming unknown compounds, or bad overrides; nothing
        is computed.
    """
    plan = plan or default_plan()
    params = params or default_parameters()
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    resolved = resolve_plan(plan, table, overrides)
    mode = _credit_mode(contributions)
    return _district_budget(table, params, resolved, mode, with_lines, progress=progress)


def _credit_mode(contributions: Contributions) -> str | None:
    """``"shapley"``, ``"waterfall"`` or ``None`` (no channel credit)."""
    mode = ("shapley" if contributions is True else None if contributions is False
            else contributions)
    if mode not in (None, "shapley", "waterfall"):
        raise ValueError(f"contributions must be True, False, 'shapley' or 'waterfall', "
                         f"got {contributions!r}")
    return mode


class BudgetLine(BaseModel):
    """One line of a 4+1 budget.

    Attributes
    ----------
    line
        Line code (``contract_staff_order``, ``device_access_control_capital``...).
    channel, category, payer, kind
        How the service is delivered, its official cost category, who bears it, what
        kind of spending it is (``per_use``, ``standing``, ``informal``...).
    amount_yuan
        Annual amount, rounded to the fen. [yuan/year]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: str
    channel: str
    category: str
    payer: str
    kind: str
    amount_yuan: float


class BudgetResult(BaseModel):
    """The 4+1 budget of one compound: its row of :attr:`DistrictBudget.compounds` and lines.

    Attributes
    ----------
    compound_id
        The compound.
    bundle_id
        The shared-property contract it belongs to.
    lines
        Every line, with channel, category and payer. [yuan/year]
    by_channel
        Cost by channel. [yuan/year]
    by_payer
        Cost by payer. [yuan/year]
    contributions
        Channel credit: the change of the pool balance each channel brings (Shapley
        value by default; empty if not computed). [yuan/year]
    total_cost_yuan
        All lines, every payer. [yuan/year]
    compound_cash_cost_yuan
        Lines paid by residents' fees and the fund pool. [yuan/year]
    fee_collected_yuan, public_income_yuan
        Income of the compound. [yuan/year]
    pool_balance_yuan
        Fee + public income - compound cash cost. [yuan/year]
    street_subsidy_yuan
        What the street adds to keep the pool from going negative. [yuan/year]
    street_total_yuan
        Street fallback lines + street subsidy. [yuan/year]
    net_public_cost_yuan
        Street total + renovation-programme capital. [yuan/year]
    cost_per_household_month_yuan
        Total cost per household per month. [yuan/(household month)]
    baseline_total_yuan
        Market price + per-use jobs at market price. [yuan/year]
    baseline_balance_yuan
        Fee collected - comparison baseline. [yuan/year]
    saving_vs_baseline_yuan
        Comparison baseline - compound cash cost. [yuan/year]
    deficit_reduction_yuan
        Baseline deficit - net public cost. [yuan/year]
    unmet_fte
        Demand no channel met. [FTE]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    compound_id: str
    bundle_id: str
    lines: tuple[BudgetLine, ...]
    by_channel: dict[str, float]
    by_payer: dict[str, float]
    contributions: dict[str, float]
    total_cost_yuan: float
    compound_cash_cost_yuan: float
    fee_collected_yuan: float
    public_income_yuan: float
    pool_balance_yuan: float
    street_subsidy_yuan: float
    street_total_yuan: float
    net_public_cost_yuan: float
    cost_per_household_month_yuan: float
    baseline_total_yuan: float
    baseline_balance_yuan: float
    saving_vs_baseline_yuan: float
    deficit_reduction_yuan: float
    unmet_fte: float

    @classmethod
    def from_tables(cls, row: pd.Series, lines: pd.DataFrame) -> BudgetResult:
        """Build the result from a row of :attr:`DistrictBudget.compounds` and its lines."""
        return cls.from_row(row, tuple(
            BudgetLine(line=str(r["line"]), channel=str(r["channel"]),
                       category=str(r["category"]), payer=str(r["payer"]),
                       kind=str(r["kind"]), amount_yuan=float(r["amount_yuan"]))
            for r in lines.to_dict("records")
        ))

    @classmethod
    def from_row(cls, row: pd.Series, lines: tuple[BudgetLine, ...]) -> BudgetResult:
        """Build the result from a row of :attr:`DistrictBudget.compounds` and its lines."""
        return cls(**_result_fields(
            {str(k): v for k, v in row.items() if k not in ("compound_id", "bundle_id")},
            str(row["compound_id"]), str(row["bundle_id"]), lines))

    def _repr_html_(self) -> str:
        from propfee.report import budget_html

        return budget_html(self)


_RESULT_SCALARS: Final = tuple(name for name, info in BudgetResult.model_fields.items()
                              if info.annotation is float)


def _result_fields(values: dict[str, Any], compound_id: str, bundle_id: str,
                   lines: tuple[BudgetLine, ...] | list[dict[str, Any]]) -> dict[str, Any]:
    """The fields of a :class:`BudgetResult` from the report columns of its compound."""

    def pick(prefix: str, names: Iterable[str]) -> dict[str, float]:
        return {name: float(values[f"{prefix}{name}_yuan"]) for name in names
                if f"{prefix}{name}_yuan" in values}

    return {
        "compound_id": compound_id,
        "bundle_id": bundle_id,
        "lines": lines,
        "by_channel": pick("cost_", (c for c in CHANNELS if c != "public_income")),
        "by_payer": pick("paid_by_", PAYERS),
        "contributions": pick("contribution_", CREDIT_CHANNELS),
        **{name: float(values[name]) for name in _RESULT_SCALARS},
    }


def evaluate(
    compound: Compound,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    contributions: Contributions = True,
) -> BudgetResult:
    """The 4+1 budget of one compound, by the same kernel as :func:`evaluate_district`.

    The compound is its own bundle unless the plan's explicit bundles say otherwise
    (a one-row table cannot pool posts with neighbours that are not in it).

    Parameters
    ----------
    compound
        The compound.
    plan
        The 4+1 plan; defaults to :func:`propfee.plan.default_plan`.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    contributions
        Channel credit (see :func:`evaluate_district`); on by default for one compound.

    Returns
    -------
    BudgetResult

    Raises
    ------
    TypeError
        If ``compound`` is not a :class:`Compound` (a dict, say).
    """
    compound = _one_compound(compound, "evaluate")
    plan = plan or default_plan()
    params = params or default_parameters()
    table = validate_compounds(compound)  # already checked by the model: no second check
    return _results(table, params, resolve_plan(plan, table), _credit_mode(contributions))[0]


def evaluate_many(
    compounds: Sequence[Compound],
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    contributions: Contributions = True,
) -> list[BudgetResult]:
    """The 4+1 budget of each of several compounds on its own, in one kernel run.

    Equal to ``[evaluate(c, plan, params, contributions=contributions) for c in
    compounds]`` (tested), for a fraction of the time: the compounds are the rows of one
    table, each a bundle of its own, so none pools posts or call-outs with another.
    This is what a service does with the requests that arrive together. Compound ids
    need not be unique. A plan with explicit bundles is resolved one compound at a
    time, as :func:`evaluate` does (its bundles name the compounds they pool).

    Parameters
    ----------
    compounds
        The compounds.
    plan
        The 4+1 plan for all of them; defaults to :func:`propfee.plan.default_plan`.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    contributions
        Channel credit (see :func:`evaluate_district`); on by default, as for one compound.

    Returns
    -------
    list of BudgetResult
        One result a compound, in the order given.

    Raises
    ------
    propfee.errors.InputError
        Where :func:`evaluate` would raise for one of the compounds.
    TypeError
        If ``compounds`` is not a list (or other iterable) of :class:`Compound` models;
        the message names the first item that is not one.
    """
    compounds = _compound_models(compounds, "evaluate_many")
    plan = plan or default_plan()
    params = params or default_parameters()
    mode = _credit_mode(contributions)
    if plan.shared_property.bundle_by == "explicit" and plan.shared_property.bundles:
        return [evaluate(c, plan, params, contributions=contributions) for c in compounds]
    size = CHUNK_ROWS if mode is None else CREDIT_CHUNK_ROWS
    out: list[BudgetResult] = []
    for start in range(0, len(compounds), size):
        table = _table_of(compounds[start:start + size])
        resolved = resolve_plan(plan, table)
        n = len(table)  # each compound a bundle of its own, with its label's fixed fee
        alone = PlanArrays(plan, resolved.values, np.arange(n, dtype=np.int64),
                           resolved.bundle_ids[resolved.bundle_code],
                           resolved.bundle_fixed_fee_yuan[resolved.bundle_code])
        out += _results(table, params, alone, mode)
    return out


@functools.lru_cache(maxsize=64)
def _line_heads(specs: tuple[LineSpec, ...]) -> list[dict[str, str]]:
    """The fields of each :class:`BudgetLine` but its amount (a plan's lines are the same
    call after call)."""
    return [{"line": s.code, "channel": s.channel, "category": s.category, "payer": s.payer,
             "kind": s.kind} for s in specs]


def _results(table: CompoundTable, params: ParameterSet, resolved: PlanArrays,
             mode: str | None) -> list[BudgetResult]:
    """The :class:`BudgetResult` of every compound of a table, from one kernel run."""
    cols, specs, matrix = _piece_columns(table, params, resolved, mode)
    ids = table.text("compound_id")
    labels = resolved.bundle_ids[resolved.bundle_code]
    heads = _line_heads(tuple(specs))
    amounts = (matrix.T / FEN_PER_YUAN).tolist()  # a row a compound
    columns = list(cols)
    rows = zip(*(v.tolist() for v in cols.values()), strict=True)
    results = []
    for i, (row_amounts, row) in enumerate(zip(amounts, rows, strict=True)):
        lines = [{**head, "amount_yuan": amount}  # straight from the fen, no table
                 for head, amount in zip(heads, row_amounts, strict=True)]
        values = dict(zip(columns, row, strict=True))
        results.append(BudgetResult.model_validate(
            _result_fields(values, str(ids[i]), str(labels[i]), lines)))
    return results
