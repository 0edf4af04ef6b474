"""Beyond one machine: district evaluation and Monte Carlo on Dask (extra ``dask``).

Nothing here is a second implementation:

- :func:`evaluate_dask` maps :func:`propfee.evaluate_district` over the partitions of a
  Dask DataFrame. A bundle must not span partitions (its posts are pooled inside one
  call): partition by the bundling column, e.g. with :func:`partition_by`, or bundle
  nothing (``bundle_by="none"``). A bad row is reported with its compound id in
  ``problems`` and left out; every other row of its partition is still evaluated.
- :func:`monte_carlo_dask` runs the blocks of :func:`propfee.analysis.monte_carlo` as
  Dask tasks. Block ``b`` always uses the ``b``-th child of ``SeedSequence(seed)``, so the
  numbers equal the single-machine run whatever the number of workers.

Point the same code at a real cluster by creating a ``distributed.Client`` for it before
calling (``Client("tcp://scheduler:8786")``); Dask uses the active client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from propfee._optional import require
from propfee.analysis.montecarlo import MonteCarloResult, Setup, Uncertainty, run_block
from propfee.analysis.projection import ProjectionSettings
from propfee.budget import evaluate_district
from propfee.compound import CompoundTable, validate_compounds
from propfee.errors import InputError
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, default_plan

__all__ = ["DaskBudget", "evaluate_dask", "monte_carlo_dask", "partition_by"]

_PROBLEM_COLUMNS = ["compound_id", "field", "value", "message"]


def partition_by(compounds: pd.DataFrame, column: str, npartitions: int) -> Any:
    """A Dask DataFrame of ``compounds`` whose partitions hold whole groups of ``column``.

    Groups (zones, streets) are dealt to partitions in order of size, largest first, to the
    partition with the fewest compounds so far; no group is split.

    Parameters
    ----------
    compounds
        A compound table.
    column
        The grouping column (``"zone"``, ``"street"``).
    npartitions
        Number of partitions.
    """
    dd = require("dask.dataframe", feature="district evaluation on Dask", extra="dask")
    sizes = compounds.groupby(column, sort=True).size().sort_values(ascending=False,
                                                                     kind="stable")
    load = np.zeros(npartitions, dtype=np.int64)
    owner: dict[Any, int] = {}
    for value, size in sizes.items():
        k = int(np.argmin(load))
        owner[value] = k
        load[k] += int(size)
    part = compounds[column].map(owner).to_numpy()
    chunks = [compounds[part == k].reset_index(drop=True) for k in range(npartitions)
              if (part == k).any()]
    return dd.from_map(_identity, chunks, meta=compounds.iloc[:0])


def _identity(frame: pd.DataFrame) -> pd.DataFrame:
    return frame


def _good_rows(part: pd.DataFrame) -> tuple[pd.DataFrame, list[Any]]:
    try:
        validate_compounds(part)
        return part, []
    except InputError as exc:
        problems = list(exc.problems)
    if any(p.row is None for p in problems) or "compound_id" not in part.columns:
        return part.iloc[:0], problems  # a column-level problem: the whole partition is bad
    bad = {p.row for p in problems}
    keep = part[~part["compound_id"].astype(str).isin(bad)]
    return keep, problems


def _evaluate_partition(part: pd.DataFrame, plan: Plan, params: ParameterSet,
                        contributions: bool) -> pd.DataFrame:
    try:  # a good partition is validated once
        table: pd.DataFrame | CompoundTable = validate_compounds(part)
    except InputError:
        table, _ = _good_rows(part)
    return evaluate_district(table, plan, params, contributions=contributions,
                             with_lines=False).compounds


def _problems_partition(part: pd.DataFrame) -> pd.DataFrame:
    _, problems = _good_rows(part)
    return pd.DataFrame(
        [(p.row, p.field, None if p.value is None else str(p.value), p.message)
         for p in problems], columns=_PROBLEM_COLUMNS, dtype=object)


@dataclass(frozen=True)
class DaskBudget:
    """A lazy district budget on Dask.

    Attributes
    ----------
    compounds
        Dask DataFrame with the columns of :attr:`propfee.budget.DistrictBudget.compounds`.
    problems
        Dask DataFrame of bad rows: ``compound_id``, ``field``, ``value``, ``message``.
    """

    compounds: Any
    problems: Any

    def compute(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Compute both tables in one pass of the scheduler."""
        dask = require("dask", feature="district evaluation on Dask", extra="dask")
        compounds, problems = dask.compute(self.compounds, self.problems)
        return compounds.reset_index(drop=True), problems.reset_index(drop=True)


def evaluate_dask(
    compounds: Any,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    contributions: bool = False,
) -> DaskBudget:
    """The 4+1 budget of a Dask DataFrame of compounds, partition by partition.

    Parameters
    ----------
    compounds
        A Dask DataFrame with the columns of :data:`propfee.compound.COMPOUND_COLUMNS`;
        no bundle may span two partitions (see :func:`partition_by`).
    plan, params
        As for :func:`propfee.evaluate_district`.
    contributions
        Compute the channel waterfall.

    Returns
    -------
    DaskBudget
    """
    require("dask.dataframe", feature="district evaluation on Dask", extra="dask")
    plan = plan or default_plan()
    params = params or default_parameters()
    sample = pd.DataFrame({"compound_id": ["meta"], "households": [1], "floor_area_m2": [1.0],
                           "build_year": [2000]})
    meta = evaluate_district(sample, plan, params, contributions=contributions,
                             with_lines=False).compounds.iloc[:0]
    result = compounds.map_partitions(_evaluate_partition, plan, params, contributions,
                                      meta=meta)
    problems = compounds.map_partitions(
        _problems_partition, meta=pd.DataFrame(columns=_PROBLEM_COLUMNS, dtype=object))
    return DaskBudget(result, problems)


def monte_carlo_dask(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    settings: ProjectionSettings | None = None,
    uncertainty: Uncertainty | None = None,
    *,
    draws: int = 10_000,
    seed: int = 0,
    overrides: pd.DataFrame | None = None,
) -> MonteCarloResult:
    """:func:`propfee.analysis.monte_carlo` with its blocks run as Dask tasks.

    Same arguments and, for the same seed, the same numbers as the single-machine run.
    """
    dask = require("dask", feature="Monte Carlo on Dask", extra="dask")
    setup = Setup.make(compounds, plan, params, settings, uncertainty, overrides, draws, seed)
    shared = dask.delayed(setup.levels, traverse=False)
    tasks = [dask.delayed(run_block, pure=True)(shared, setup.settings, setup.uncertainty,
                                                child, size) for child, size in setup.blocks]
    return setup.summarise(list(dask.compute(*tasks)))
