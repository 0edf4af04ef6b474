"""The entry points: one compound, several on their own, or a whole district.

:func:`evaluate_district` validates the table and resolves the plan once, then runs the
kernel (:mod:`propfee.budget.columns`) on pieces of about :data:`CHUNK_ROWS` compounds
that keep every bundle whole, on a few threads. :func:`evaluate` is the same run on a
one-row table; :func:`evaluate_many` on a table whose compounds are each a bundle of
their own. There is no second code path.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ValidationError

from propfee.budget.columns import piece_columns
from propfee.budget.kernel import KernelOutput
from propfee.budget.results import (
    BudgetLine,
    BudgetResult,
    DistrictBudget,
    WorkRow,
    result_fields,
)
from propfee.channels.common import LineSpec
from propfee.channels.shared_property import Bundle, SharedProperty
from propfee.compound import (
    Compound,
    CompoundTable,
    _compound_models,
    _one_compound,
    _table_of,
    validate_compounds,
)
from propfee.errors import InputError, Problem
from propfee.money import FEN_PER_YUAN
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, PlanArrays, default_plan, resolve_plan, work_problems
from propfee.work.categories import work_categories

__all__ = [
    "CHUNK_ROWS",
    "CREDIT_CHUNK_ROWS",
    "MAX_THREADS",
    "Contributions",
    "chunks",
    "evaluate",
    "evaluate_district",
    "evaluate_many",
    "with_bundles",
]

IntArray = npt.NDArray[np.int64]
Model = TypeVar("Model", bound=BaseModel)

Contributions = bool | Literal["shapley", "waterfall"]

CHUNK_ROWS: Final = 16_384
"""Compounds evaluated together: small enough for the CPU cache, large enough to vectorise
(each piece runs twice: the plan and the market baseline, stacked)."""

MAX_THREADS: Final = 4
"""Most threads a district call runs its pieces on (never more than the cores)."""

CREDIT_CHUNK_ROWS: Final = 1_024
"""Compounds whose channel credit is computed together (stacked 32 or 6 times)."""


def check_plan(plan: Plan, params: ParameterSet) -> None:
    """Raise :class:`~propfee.errors.InputError` if the plan names work the parameter set
    does not know (:func:`propfee.plan.work_problems`)."""
    problems = work_problems(plan, params)
    if problems:
        raise InputError(problems, what="plan")


def chunks(
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
    ends = np.cumsum(np.bincount(code, minlength=n_bundles))
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


def pieces(table: CompoundTable, resolved: PlanArrays, chunk_rows: int
           ) -> Iterator[tuple[slice | IntArray, CompoundTable, PlanArrays]]:
    """The pieces of :func:`chunks`: rows, their compounds and their plan."""
    n = len(table)
    for rows, bundles in chunks(resolved.bundle_code, len(resolved.bundle_ids), chunk_rows):
        if isinstance(rows, slice) and rows == slice(0, n):
            yield rows, table, resolved
        else:
            yield rows, table.take(rows), resolved.take(rows, bundles)


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
        chunk_rows = max(min(chunk_rows, CREDIT_CHUNK_ROWS), 1)
    done = 0
    parts = list(pieces(table, resolved, chunk_rows))

    def run(piece: tuple[slice | IntArray, CompoundTable, PlanArrays]
            ) -> dict[str, npt.NDArray[Any]]:
        return piece_columns(piece[1], params, piece[2], contributions)[0]

    # NumPy lets go of the interpreter lock in its array loops, so pieces run side by
    # side on several cores; each writes its own rows.
    workers = min(len(parts), os.cpu_count() or 1, MAX_THREADS)
    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
        results = pool.map(run, parts) if pool is not None else map(run, parts)
        for (rows, part, _), cols in zip(parts, results, strict=True):
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
    return DistrictBudget(df, (table, resolved, params), with_lines,
                          functools.partial(pieces, table, resolved, CHUNK_ROWS))


def evaluate_district(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    overrides: pd.DataFrame | None = None,
    bundles: Sequence[Bundle] | str | Path | None = None,
    contributions: Contributions = False,
    with_lines: bool = True,
    progress: Callable[[float], None] | None = None,
) -> DistrictBudget:
    """The 4+1 budget of every compound of a table.

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
    bundles
        The shared-property contracts to evaluate under, instead of the plan's own
        grouping (today's zones, by default): explicit bundles, or a bundle file
        (``.csv`` or ``.xlsx``, as ``propfee bundle --out`` writes it; see
        :func:`propfee.bundling.read_bundles`). Compounds in no bundle are alone.
    contributions
        Channel credit as columns of :attr:`DistrictBudget.compounds`: ``True`` or
        ``"shapley"`` (the Shapley value over the five channels: the kernel runs on 32
        copies of the table, stacked), ``"waterfall"`` (6 copies), ``False`` (the
        default: :meth:`DistrictBudget.channel_credit` computes it when asked).
    with_lines
        Whether :attr:`DistrictBudget.lines` and :attr:`DistrictBudget.work` can be asked
        for (built on first use, by running the kernel again); ``False`` makes asking an
        error.
    progress
        Called after each piece of the table with the share of compounds done. [1]

    Returns
    -------
    DistrictBudget

    Raises
    ------
    propfee.errors.InputError
        For bad compounds, a plan naming unknown compounds or work, bad overrides, or
        a bundle file naming a compound that is not in the table or one twice (with
        the file, the row as the spreadsheet shows it and the value); nothing is
        computed.
    """
    plan = plan or default_plan()
    params = params or default_parameters()
    check_plan(plan, params)
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    if bundles is not None:
        plan = with_bundles(plan, bundles, table.ids)
    resolved = resolve_plan(plan, table, overrides)
    mode = credit_mode(contributions)
    return _district_budget(table, params, resolved, mode, with_lines, progress=progress)


def with_bundles(plan: Plan, bundles: Sequence[Bundle] | str | Path,
                 compound_ids: Sequence[str] | npt.ArrayLike) -> Plan:
    """The plan with ``bundles`` as its shared-property contracts (``bundle_by="explicit"``).

    Parameters
    ----------
    plan
        The 4+1 plan; its contract terms are kept, its grouping replaced.
    bundles
        Explicit bundles, or the path of a bundle file (read against ``compound_ids``).
    compound_ids
        Every compound id of the table the bundles are for.

    Returns
    -------
    Plan

    Raises
    ------
    propfee.errors.InputError
        For a bundle file naming an unknown compound or one twice (file, row, value),
        or explicit bundles sharing a member or an id.
    """
    if isinstance(bundles, str | Path):
        from propfee.bundling.files import read_bundles  # the bundling package imports this

        bundles = read_bundles(bundles, compound_ids)
    sp = plan.shared_property
    try:
        shared = SharedProperty.model_validate(
            {**{k: getattr(sp, k) for k in type(sp).model_fields},
             "bundle_by": "explicit", "bundles": tuple(bundles)})
    except ValidationError as exc:
        raise InputError([Problem(None, "bundles", None, e["msg"]) for e in exc.errors()],
                         what="bundles") from None
    return plan.model_copy(update={"shared_property": shared})


def credit_mode(contributions: Contributions) -> str | None:
    """``"shapley"``, ``"waterfall"`` or ``None`` (no channel credit)."""
    mode = ("shapley" if contributions is True else None if contributions is False
            else contributions)
    if mode not in (None, "shapley", "waterfall"):
        raise ValueError(f"contributions must be True, False, 'shapley' or 'waterfall', "
                         f"got {contributions!r}")
    return mode


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
    propfee.errors.InputError
        If the plan names work the parameter set does not know.
    """
    compound = _one_compound(compound, "evaluate")
    plan = plan or default_plan()
    params = params or default_parameters()
    check_plan(plan, params)
    table = validate_compounds(compound)  # already checked by the model: no second check
    return _results(table, params, resolve_plan(plan, table), credit_mode(contributions))[0]


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
    table, each a bundle of its own. Compound ids need not be unique. A plan with
    explicit bundles is resolved one compound at a time, as :func:`evaluate` does.

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
    check_plan(plan, params)
    mode = credit_mode(contributions)
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
    """The fields of each :class:`BudgetLine` but its amount."""
    return [{"line": s.code, "channel": s.channel, "category": s.category, "payer": s.payer,
             "kind": s.kind, "work": s.work} for s in specs]


_LINE_FIELDS: Final = frozenset(BudgetLine.model_fields)
_WORK_FIELDS: Final = frozenset(WorkRow.model_fields)
# The slots pydantic keeps beside a model's __dict__, set as model_construct sets them.
_SET_FIELDS_SET: Final = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA: Final = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE: Final = BaseModel.__dict__["__pydantic_private__"].__set__


def _trusted(cls: type[Model], heads: list[dict[str, Any]], last: str, values: list[Any],
             fields: frozenset[str]) -> list[Model]:
    """Models of the kernel's figures (every field, of its type): ``head | {last: value}``
    for each pair, what ``cls.model_construct`` gives without its walk over the fields
    (about a microsecond a model). The models share one set of the fields set (pydantic
    copies it before changing it, in ``model_copy``; the models are frozen)."""
    out: list[Model] = []
    every = set(fields)
    new = object.__new__
    append = out.append
    for head, value in zip(heads, values, strict=True):
        m = new(cls)
        d = m.__dict__
        d.update(head)
        d[last] = value
        _SET_FIELDS_SET(m, every)
        _SET_EXTRA(m, None)
        _SET_PRIVATE(m, None)
        append(m)
    return out


def _results(table: CompoundTable, params: ParameterSet, resolved: PlanArrays,
             mode: str | None) -> list[BudgetResult]:
    """The :class:`BudgetResult` of every compound of a table, from one kernel run."""
    cols, specs, matrix, out = piece_columns(table, params, resolved, mode)
    # Every result holds a hundred-odd small models: the garbage collector would walk
    # the finished ones again and again while the rest are built (none is a cycle).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(table, params, resolved, cols, specs, matrix, out)
    finally:
        if collecting:
            gc.enable()


def _build(table: CompoundTable, params: ParameterSet, resolved: PlanArrays,
           cols: dict[str, npt.NDArray[Any]], specs: list[LineSpec], matrix: IntArray,
           out: KernelOutput) -> list[BudgetResult]:
    ids = table.text("compound_id")
    labels = resolved.bundle_ids[resolved.bundle_code]
    heads = _line_heads(tuple(specs))
    amounts = (matrix.T / FEN_PER_YUAN).tolist()  # a row a compound
    columns = list(cols)
    rows = zip(*(v.tolist() for v in cols.values()), strict=True)
    cats = work_categories(params)
    suppliers = ("street_fallback", "smart_devices", "self_governance", "shared_property",
                 "market")
    ledger = out.ledger
    demand = [ledger.demand(c.name).tolist() for c in cats]
    supplied = [list(zip(*(ledger.supplied(s, c.name).tolist() for s in suppliers),
                         strict=True)) for c in cats]
    # A line that exists only where a condition holds is a compound's own line only where
    # it holds for that compound (as a run on the compound alone would make it).
    holds = {j: where.tolist() for j, spec in enumerate(specs)
             if (where := out.line_rows.get(spec)) is not None}
    work_heads = [[{"category": c.name, "unit": c.unit, "demand": d[i]} for c, d in
                   zip(cats, demand, strict=True)] for i in range(len(table))]
    results = []
    for i, (row_amounts, row) in enumerate(zip(amounts, rows, strict=True)):
        absent = {j for j, where in holds.items() if not where[i]}
        if absent:
            own = [j for j in range(len(heads)) if j not in absent]
            lines = _trusted(BudgetLine, [heads[j] for j in own], "amount_yuan",
                             [row_amounts[j] for j in own], _LINE_FIELDS)
        else:
            lines = _trusted(BudgetLine, heads, "amount_yuan", row_amounts, _LINE_FIELDS)
        work = _trusted(WorkRow, work_heads[i], "supplied",
                        [dict(zip(suppliers, s[i], strict=True)) for s in supplied],
                        _WORK_FIELDS)
        values = dict(zip(columns, row, strict=True))
        results.append(BudgetResult.model_validate(
            result_fields(values, str(ids[i]), str(labels[i]), lines, work)))
    return results
