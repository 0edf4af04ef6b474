"""The 4+1 kernel: every compound's work supplied once, and the money lines that pay for it.

:func:`budget_arrays` computes, for an array of compounds under a resolved plan, the
demand for every category of work at the plan's grade (:mod:`propfee.work.demand`), lets
each channel supply its part in a fixed order, and buys whatever is left from the market
(:mod:`propfee.work.market`)::

    1. street fallback     garbage removal, grid workers               (channel 3)
    2. smart devices       gate hours, patrol rounds                   (channel 4)
    3. self-governance     volunteers by task, informal hires,
                           live-in gatekeepers                         (channel 1)
    4. shared property     per-use jobs, standing posts                (channel 2)
    5. running costs       electricity, water, materials, insurance    (direct)
    6. the market          everything left, at market prices           (market)
    7. public income       into the fund pool                          (the one subsidy)

Every category's demand equals the sum of its supplies exactly (the work ledger counts
in whole micro-units); every money line names the channel, official category, payer,
kind and the work it pays for. The kernel only composes the channels, one module each.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from propfee._arrays import sum_arrays
from propfee.channels import devices, direct, public_income, self_governance, shared_property
from propfee.channels import street as street_fallback
from propfee.channels.common import CREDIT_CHANNELS, LineSpec
from propfee.channels.context import ChannelInputs
from propfee.compound import CompoundTable
from propfee.errors import InputError, Problem
from propfee.money import ROUND_BLOCK, yuan_rows_to_fen, yuan_to_fen
from propfee.params import ParameterSet
from propfee.params.values import ParamValues
from propfee.plan import PlanArrays
from propfee.work import market
from propfee.work.demand import coverage_regime, demand_by_category
from propfee.work.ledger import WorkLedger

__all__ = ["KernelOutput", "budget_arrays", "group_sums", "group_sums_by"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


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
    ledger
        The work ledger: demand and every channel's supply of every category.
    details
        Per-item figures: ``income:<source>`` [yuan/year]; ``device_capital:<device>``
        [yuan]; ``device_life:<device>`` [year]; ``volunteer_hours:<task>`` and
        ``added_hours:<task>`` [h/year]; ``job_callout:<job>`` (the shared company's
        call-outs before sharing) [yuan/year]; ``market_heads:<role>`` [FTE].
    line_rows
        For a line that exists only where a condition holds (a channel on, a gate kept
        by devices): the compounds where it does.
    """

    lines: dict[LineSpec, FloatArray]
    lines_fen: dict[LineSpec, IntArray]
    public_income_yuan: FloatArray
    ledger: WorkLedger
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
            ``specs[i]``.
        """
        n = len(self.public_income_yuan)
        specs = list(self.lines)
        fen = yuan_rows_to_fen([self.lines[s] for s in specs], n)
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

        A line that exists only where a condition holds (``line_rows``) is kept only if
        it holds for one of the compounds.
        """
        n = len(self.public_income_yuan)

        def part(values: dict[Any, Any]) -> dict[Any, Any]:
            return {k: v[rows] if np.ndim(v) and len(v) == n else v for k, v in values.items()}

        absent = {s for s, here in self.line_rows.items() if not here[rows].any()}
        lines = {s: v for s, v in part(self.lines).items() if s not in absent}
        return KernelOutput(lines, part(self.lines_fen), self.public_income_yuan[rows],
                            self.ledger.take(rows), part(self.details),
                            {s: v[rows] for s, v in self.line_rows.items() if s not in absent})

    def _detail(self, prefix: str) -> dict[str, FloatArray]:
        return {k[len(prefix):]: v for k, v in self.details.items() if k.startswith(prefix)}

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
        """Lines paid by the compound's fund pool, in fen. [fen/year]"""
        specs, matrix = self.fen_matrix()
        return group_sums(specs, matrix, "payer", ("fund_pool",))["fund_pool"]


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
        ``"channel"``, ``"payer"``, ``"category"``, ``"kind"`` or ``"work"``.
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


def _check_multiplier(volunteer_multiplier: FloatArray | float) -> None:
    """Refuse a volunteer multiplier that is negative or not finite (it would make
    volunteers *add* work, or turn every line into NaN)."""
    m = np.asarray(volunteer_multiplier, dtype=np.float64)
    bad = ~np.isfinite(m) | (m < 0)
    if bad.any():
        value = float(m.ravel()[int(np.argmax(bad.ravel()))])
        raise InputError([Problem(None, "volunteer_multiplier", value,
                                  "must be a finite number of at least 0")],
                         what="volunteer_multiplier")


def budget_arrays(
    table: CompoundTable,
    plan: PlanArrays,
    params: ParameterSet,
    channels: Iterable[str] = CREDIT_CHANNELS,
    *,
    volunteer_multiplier: FloatArray | float = 1.0,
    masks: dict[str, FloatArray] | None = None,
    values: ParamValues | None = None,
) -> KernelOutput:
    """The 4+1 kernel: the work ledger and every cost line of every compound, unrounded.

    Parameters
    ----------
    table
        Validated compounds.
    plan
        The plan resolved against ``table`` (:func:`propfee.plan.resolve_plan`).
    params
        Parameter set (wages, norms, unit prices, the job catalogue).
    channels
        Which of :data:`propfee.channels.common.CREDIT_CHANNELS` are switched on; the
        compound's running costs and the market always are.
    volunteer_multiplier
        Multiplies each compound's volunteer supply (what-if analyses); finite and
        at least 0, else :class:`propfee.errors.InputError`. [1]
    masks
        Instead of ``channels``: channel -> per-compound 1.0 (on) or 0.0 (off), so that
        one run evaluates different channel sets on different rows. Rows whose
        shared-property channel is off must be bundles of their own in ``plan``
        (:meth:`propfee.plan.PlanArrays.alone`).
    values
        The numeric parameter values, some perhaps one per compound (parameter draws);
        default: those of ``params``.

    Returns
    -------
    KernelOutput
    """
    n = len(table)
    _check_multiplier(volunteer_multiplier)
    if masks is None:
        chosen = frozenset(channels)
        masks = {ch: np.full(n, 1.0 if ch in chosen else 0.0) for ch in CREDIT_CHANNELS}
        if "shared_property" not in chosen:
            plan = plan.alone(table.text("compound_id"))
    p = plan.plan
    v = values if values is not None else ParamValues(params)
    coverage = coverage_regime(p.gate_regime, params.grades.grade(p.service_grade).gate_regime)
    ledger = WorkLedger(demand_by_category(table, params, p.service_grade, coverage, v))
    ctx = ChannelInputs(
        table=table, params=params, values=v, items=plan, bundle_code=plan.bundle_code,
        n_bundles=len(plan.bundle_ids), bundle_fixed_fee_yuan=plan.bundle_fixed_fee_yuan,
        grade=p.service_grade, gate_regime=p.gate_regime, coverage=coverage, on=masks,
        ledger=ledger, income_yuan=np.zeros(n), volunteer_multiplier=volunteer_multiplier,
    )
    street_fallback.apply(ctx, p.street_fallback)
    devices.apply(ctx, p.smart_devices)
    self_governance.apply(ctx, p.self_governance)
    shared_property.apply(ctx, p.shared_property)
    direct.apply(ctx)
    market.apply(ctx)
    public_income.apply(ctx, p.public_income)
    return KernelOutput(ctx.lines, ctx.lines_fen, ctx.income_yuan, ledger, ctx.details,
                        ctx.line_rows)
