"""Many parameter draws of a district in one vectorised run of the kernel.

A *draw* gives some inputs other values: numeric parameter paths
(``"fees.collection_rate"``, ``"jobs.pipe_dredging.market_price_yuan_per_use"``) and plan
item fields (``"street_fallback.garbage_removal.price_yuan"``, see
:func:`propfee.plan.override_paths`), the same for every compound of the district. For
``k`` draws the compound table is stacked ``k`` times, each copy with its draw's values
(parameters one per row through :class:`propfee.params.values.ParamValues`, plan fields
as per-row plan values), and the kernel runs on pieces of whole copies: every copy gets
exactly the numbers a separate evaluation with that draw would give (a test compares
them), at the cost of one run over ``k x n`` rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.budget.columns import piece_columns
from propfee.budget.evaluate import check_plan
from propfee.compound import CompoundTable, validate_compounds
from propfee.errors import InputError, Problem
from propfee.params import ParameterSet, default_parameters
from propfee.params.values import ParamValues, numeric_paths
from propfee.plan import Plan, PlanArrays, default_plan, override_paths, resolve_plan

__all__ = ["DRAW_ROWS", "HEADLINE_COLUMNS", "evaluate_draws"]

FloatArray = npt.NDArray[np.float64]

HEADLINE_COLUMNS: Final = ("pool_balance_yuan", "street_subsidy_yuan", "net_public_cost_yuan",
                           "market_baseline_balance_yuan")
"""The per-compound figures :func:`evaluate_draws` returns by default."""

DRAW_ROWS: Final = 16_384
"""Compound-draws evaluated together (whole copies of the table)."""


def evaluate_draws(
    compounds: pd.DataFrame | CompoundTable,
    draws: pd.DataFrame,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    columns: tuple[str, ...] = HEADLINE_COLUMNS,
    overrides: pd.DataFrame | None = None,
) -> dict[str, FloatArray]:
    """Evaluate a district under each of several draws of its inputs, in one run.

    Parameters
    ----------
    compounds
        A compound table.
    draws
        One row per draw, one column per input path (a numeric parameter path or a plan
        override path), in the input's unit.
    plan
        The 4+1 plan; defaults to :func:`propfee.plan.default_plan`.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    columns
        Columns of :attr:`propfee.budget.DistrictBudget.compounds` to return.
    overrides
        Per-compound plan overrides, under every draw (a draw's plan paths win).

    Returns
    -------
    dict
        Column -> ``(draws, compounds)`` array, in the column's unit.

    Raises
    ------
    propfee.errors.InputError
        If a column of ``draws`` is neither a numeric parameter path nor a plan
        override path, or holds a value that is not finite.
    """
    plan = plan or default_plan()
    params = params or default_parameters()
    check_plan(plan, params)
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    resolved = resolve_plan(plan, table, overrides)
    plan_paths = set(override_paths(plan))
    param_paths = set(numeric_paths(params))
    problems = [Problem(None, str(c), None, "neither a numeric parameter path nor a plan "
                        "override path") for c in draws.columns
                if c not in plan_paths and c not in param_paths]
    values = draws.to_numpy(dtype=np.float64) if len(draws.columns) else np.zeros((len(draws), 0))
    problems += [Problem(None, str(draws.columns[j]), float(values[i, j]), "not finite")
                 for i, j in zip(*np.nonzero(~np.isfinite(values)), strict=True)][:20]
    if problems:
        raise InputError(problems, what="draws")
    n, k = len(table), len(draws)
    out = {c: np.empty((k, n)) for c in columns}
    per = max(DRAW_ROWS // max(n, 1), 1)
    for first in range(0, k, per):
        part = draws.iloc[first:first + per]
        m = len(part)
        stacked = table.take(np.tile(np.arange(n), m))
        plan_rows = PlanArrays.stack([resolved] * m)
        item_values = dict(plan_rows.values)
        param_rows: dict[str, FloatArray] = {}
        for path in part.columns:
            column = np.repeat(part[path].to_numpy(dtype=np.float64), n)
            if path in plan_paths:
                item_values[path] = column
            else:
                param_rows[path] = column
        plan_rows = PlanArrays(plan, item_values, plan_rows.bundle_code, plan_rows.bundle_ids,
                               plan_rows.bundle_fixed_fee_yuan)
        cols = piece_columns(stacked, params, plan_rows, None,
                             ParamValues(params, param_rows))[0]
        for c in columns:
            out[c][first:first + m] = np.asarray(cols[c], dtype=np.float64).reshape(m, n)
    return out


def one_at_a_time(base: Mapping[str, float], ranges: Mapping[str, tuple[float, float]]
                  ) -> pd.DataFrame:
    """Draws for a tornado: the base case, then each input at its low and its high.

    Parameters
    ----------
    base
        Path -> its value in the base case.
    ranges
        Path -> ``(low, high)``.

    Returns
    -------
    pandas.DataFrame
        ``1 + 2 x len(ranges)`` rows (base, then low and high of each path in order), a
        column per path.
    """
    paths = list(ranges)
    rows = [dict(base)]
    for path in paths:
        low, high = ranges[path]
        rows.append({**base, path: float(low)})
        rows.append({**base, path: float(high)})
    return pd.DataFrame(rows, columns=paths)
