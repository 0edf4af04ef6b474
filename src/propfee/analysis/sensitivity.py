"""Sensitivity: one-at-a-time ranges (a tornado table) and a two-parameter grid.

An input is named by a dotted path, either of the parameter set
(``"fees.collection_rate"``, ``"staffing.order.monthly_wage_yuan"``) or of the plan's
item fields (``"public_income.parking.occupancy_rate"``, see
:func:`propfee.plan.override_paths`), applied to every compound. Each point is one
vectorised evaluation of the district; the metric is a district total of
:attr:`propfee.budget.DistrictBudget.compounds` (default: the street's subsidy).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from propfee.budget import evaluate_district
from propfee.compound import CompoundTable, validate_compounds
from propfee.errors import InputError, Problem
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, default_plan, override_paths

__all__ = ["grid", "illustrative_effects", "tornado"]


def _evaluate(table: CompoundTable, plan: Plan, params: ParameterSet,
              updates: Mapping[str, float], metric: str) -> float:
    plan_paths = override_paths(plan)
    param_updates = {k: v for k, v in updates.items() if k not in plan_paths}
    plan_updates = {k: v for k, v in updates.items() if k in plan_paths}
    p = params.replace(param_updates) if param_updates else params
    overrides = None
    if plan_updates:
        overrides = pd.DataFrame({"compound_id": table.ids,
                                  **{k: np.full(len(table), v) for k, v in plan_updates.items()}})
    out = evaluate_district(table, plan, p, overrides=overrides, contributions=False,
                            with_lines=False)
    if metric not in out.compounds.columns:
        raise InputError([Problem(None, "metric", metric, "not a column of the budget")],
                         what="sensitivity")
    return float(out.compounds[metric].sum())


def _check(plan: Plan, params: ParameterSet, paths: Sequence[str]) -> None:
    known = set(override_paths(plan))
    problems = []
    for path in paths:
        if path in known:
            continue
        try:
            params.replace({path: _current(params, plan, path)})
        except Exception:
            problems.append(Problem(None, "parameter", path,
                                    "neither a parameter path nor a plan override path"))
    if problems:
        raise InputError(problems, what="sensitivity")


def _current(params: ParameterSet, plan: Plan, path: str) -> Any:
    paths = override_paths(plan)
    if path in paths:
        return paths[path]
    node: Any = params
    for part in path.split("."):
        node = getattr(node, part)
    return node


def _base_case(
    compounds: pd.DataFrame | CompoundTable, plan: Plan | None, params: ParameterSet | None,
    paths: Sequence[str],
) -> tuple[CompoundTable, Plan, ParameterSet]:
    plan = plan or default_plan()
    params = params or default_parameters()
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    _check(plan, params, paths)
    return table, plan, params


def tornado(
    compounds: pd.DataFrame | CompoundTable,
    ranges: Mapping[str, tuple[float, float]],
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    metric: str = "street_subsidy_yuan",
) -> pd.DataFrame:
    """One-at-a-time sensitivity of a district total to each input's range.

    Parameters
    ----------
    compounds
        A compound table.
    ranges
        Path -> ``(low, high)`` values (units of the input).
    plan, params
        The base case.
    metric
        A summed column of the budget's compound table. [yuan/year]

    Returns
    -------
    pandas.DataFrame
        One row per input, largest swing first: ``parameter``, ``base_value``, ``low``,
        ``high``, ``metric_low``, ``metric_base``, ``metric_high``, ``swing``
        (``|metric_high - metric_low|``).
    """
    table, plan, params = _base_case(compounds, plan, params, list(ranges))
    base = _evaluate(table, plan, params, {}, metric)
    rows = []
    for path, (low, high) in ranges.items():
        m_low = _evaluate(table, plan, params, {path: float(low)}, metric)
        m_high = _evaluate(table, plan, params, {path: float(high)}, metric)
        rows.append({"parameter": path, "base_value": _current(params, plan, path),
                     "low": float(low), "high": float(high), "metric_low": m_low,
                     "metric_base": base, "metric_high": m_high,
                     "swing": abs(m_high - m_low)})
    return pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable").reset_index(
        drop=True)


def grid(
    compounds: pd.DataFrame | CompoundTable,
    x: tuple[str, Sequence[float]],
    y: tuple[str, Sequence[float]],
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    metric: str = "street_subsidy_yuan",
) -> pd.DataFrame:
    """A district total over a two-parameter grid (e.g. collection rate x fee rate).

    Parameters
    ----------
    compounds
        A compound table.
    x, y
        ``(path, values)`` of the two inputs.
    plan, params
        The base case.
    metric
        A summed column of the budget's compound table. [yuan/year]

    Returns
    -------
    pandas.DataFrame
        Index: the ``y`` values; columns: the ``x`` values; cells: the metric.
    """
    table, plan, params = _base_case(compounds, plan, params, [x[0], y[0]])
    cells = [[_evaluate(table, plan, params, {x[0]: float(a), y[0]: float(b)}, metric)
              for a in x[1]] for b in y[1]]
    return pd.DataFrame(cells, index=pd.Index(list(y[1]), name=y[0]),
                        columns=pd.Index(list(x[1]), name=x[0]))


def illustrative_effects(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params_file: str = "taiyuan",
    *,
    change_rate: float = 0.25,
    metric: str = "net_public_cost_yuan",
) -> pd.DataFrame:
    """How much each illustrative parameter of a parameter file moves a district total.

    Every numeric parameter whose status is ``illustrative`` is moved down and up by
    ``change_rate`` of its value (shares of at most 1 stay within 0 and 1, staff wages at or above
    the minimum wage), one at a time (a tornado, :func:`tornado`).

    Parameters
    ----------
    compounds
        A compound table.
    plan
        The plan; defaults to :func:`propfee.plan.default_plan`.
    params_file
        Parameter file or built-in region name; values at its default date.
    change_rate
        Relative change of each value. [1]
    metric
        A summed column of the budget's compound table. [yuan/year]

    Returns
    -------
    pandas.DataFrame
        As :func:`tornado`, plus ``unit`` and ``reference``; largest swing first.
    """
    from propfee.params import load_parameter_file, load_parameters

    table = (compounds if isinstance(compounds, CompoundTable)
             else validate_compounds(compounds))
    params = load_parameters(params_file)
    listing = load_parameter_file(params_file).table(params.as_of)
    listing = listing[listing["status"] == "illustrative"]
    ranges: dict[str, tuple[float, float]] = {}
    for path, value, unit in zip(listing["parameter"], listing["value"], listing["unit"],
                                 strict=True):
        if isinstance(value, str) or not float(value):
            continue
        low, high = float(value) * (1 - change_rate), float(value) * (1 + change_rate)
        if unit == "1" and float(value) <= 1.0:  # a share stays a share
            high = min(high, 1.0)
        if str(path).startswith("staffing.") and str(path).endswith(".monthly_wage_yuan"):
            low = max(low, params.wages.minimum_monthly_wage_yuan)  # the law's floor
        ranges[str(path)] = (low, high)
    out = tornado(table, ranges, plan, params, metric=metric)
    info = listing.set_index("parameter")
    out["unit"] = out["parameter"].map(info["unit"])
    out["reference"] = out["parameter"].map(info["reference"])
    return out
