"""Sensitivity: one-at-a-time ranges (a tornado table) and a two-parameter grid.

An input is named by a dotted path, either of the parameter set
(``"fees.collection_rate"``, ``"staffing.order.monthly_wage_yuan"``) or of the plan's
item fields (``"public_income.parking.occupancy_rate"``, see
:func:`propfee.plan.override_paths`), applied to every compound. All the points of a
table are evaluated in one vectorised run (:mod:`propfee.analysis.draws`); the metric is
the count of compounds in deficit or a district total of
:attr:`propfee.budget.DistrictBudget.compounds` (default: the street's subsidy).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.analysis.draws import evaluate_draws, one_at_a_time
from propfee.compound import CompoundTable, validate_compounds
from propfee.errors import InputError, Problem
from propfee.money import yuan_to_fen
from propfee.params import ParameterSet, default_parameters
from propfee.params.values import ParamValues, numeric_paths
from propfee.plan import Plan, default_plan, override_paths
from propfee.work.categories import work_categories

__all__ = [
    "METRICS",
    "PLAN_PRICE_FIELDS",
    "grid",
    "illustrative_effects",
    "illustrative_ranges",
    "plan_price_unit",
    "tornado",
]


METRICS: Final = ("compounds_in_deficit", "street_subsidy_yuan", "net_public_cost_yuan",
                  "pool_balance_yuan")
"""District figures a tornado can read: the count of compounds whose pool balance is
below zero, and the sums of three columns of the budget's compound table."""


def _metric(figures: dict[str, npt.NDArray[np.float64]], metric: str
            ) -> npt.NDArray[np.float64]:
    """One district figure per draw, from :func:`propfee.analysis.draws.evaluate_draws`."""
    if metric == "compounds_in_deficit":
        count: npt.NDArray[np.float64] = np.count_nonzero(
            figures["pool_balance_yuan"] < 0, axis=1).astype(np.float64)
        return count
    fen = yuan_to_fen(figures[metric])
    total: npt.NDArray[np.float64] = np.sum(fen, axis=1) / 100.0  # whole fen: exact sums
    return total


def _evaluate_many(table: CompoundTable, plan: Plan, params: ParameterSet,
                   draws: pd.DataFrame, metric: str) -> npt.NDArray[np.float64]:
    if metric not in METRICS:
        raise InputError([Problem(None, "metric", metric, f"one of {', '.join(METRICS)}")],
                         what="sensitivity")
    columns = ("pool_balance_yuan",) if metric == "compounds_in_deficit" else (metric,)
    return _metric(evaluate_draws(table, draws, plan, params, columns=columns), metric)


def _check(plan: Plan, params: ParameterSet, paths: Sequence[str]) -> None:
    known = set(override_paths(plan)) | set(numeric_paths(params))
    problems = [Problem(None, "parameter", path,
                        "neither a numeric parameter path nor a plan override path")
                for path in paths if path not in known]
    if problems:
        raise InputError(problems, what="sensitivity")


def _current(params: ParameterSet, plan: Plan, path: str) -> float:
    paths = override_paths(plan)
    if path in paths:
        return paths[path]
    return float(ParamValues(params)[path])


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
    """One-at-a-time sensitivity of a district figure to each input's range.

    Every input at its low and at its high, the others at their values: ``1 + 2 x
    len(ranges)`` evaluations of the district in one vectorised run
    (:func:`propfee.analysis.draws.evaluate_draws`).

    Parameters
    ----------
    compounds
        A compound table.
    ranges
        Path -> ``(low, high)`` values (units of the input): numeric parameter paths or
        plan override paths.
    plan, params
        The base case.
    metric
        One of :data:`METRICS`: ``compounds_in_deficit`` [compounds] or a summed money
        column [yuan/year].

    Returns
    -------
    pandas.DataFrame
        One row per input, largest swing first: ``parameter``, ``base_value``, ``low``,
        ``high``, ``metric_low``, ``metric_base``, ``metric_high``, ``swing``
        (``|metric_high - metric_low|``).
    """
    table, plan, params = _base_case(compounds, plan, params, list(ranges))
    base = {path: _current(params, plan, path) for path in ranges}
    values = _evaluate_many(table, plan, params, one_at_a_time(base, ranges), metric)
    rows = []
    for i, (path, (low, high)) in enumerate(ranges.items()):
        m_low, m_high = float(values[1 + 2 * i]), float(values[2 + 2 * i])
        rows.append({"parameter": path, "base_value": base[path],
                     "low": float(low), "high": float(high), "metric_low": m_low,
                     "metric_base": float(values[0]), "metric_high": m_high,
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
    draws = pd.DataFrame([{x[0]: float(a), y[0]: float(b)} for b in y[1] for a in x[1]],
                         columns=[x[0], y[0]])
    flat = _evaluate_many(table, plan, params, draws, metric)
    cells = flat.reshape(len(y[1]), len(x[1])).tolist()
    return pd.DataFrame(cells, index=pd.Index(list(y[1]), name=y[0]),
                        columns=pd.Index(list(x[1]), name=x[0]))


PLAN_PRICE_FIELDS: Final = (
    "price_yuan", "capital_cost_yuan_per_unit", "running_cost_yuan_per_unit_year",
    "price_yuan_per_unit_year", "occupancy_rate", "discount_rate",
    "materials_yuan_per_household_year",
)
"""Item fields of a plan that are prices or guesses (not the planner's choices of
shares and units): the plan's inputs a tornado of illustrative values moves."""


_PRICE_UNITS: Final = {
    "capital_cost_yuan_per_unit": "yuan/unit",
    "running_cost_yuan_per_unit_year": "yuan/(unit year)",
    "price_yuan_per_unit_year": "yuan/(unit year)",
    "occupancy_rate": "1",
    "discount_rate": "1",
    "materials_yuan_per_household_year": "yuan/(household year)",
}


def plan_price_unit(plan: Plan, params: ParameterSet, path: str) -> str:
    """The unit of a plan price (a :data:`PLAN_PRICE_FIELDS` override path).

    A street item's ``price_yuan`` is in the unit its ``pricing`` names: per unit of its
    work category (``yuan/t`` for garbage, ``yuan/h`` for hours, ``yuan/use`` for a job),
    per household and year, or per compound and year.

    Examples
    --------
    >>> from propfee.params import default_parameters
    >>> from propfee.plan import named_plan
    >>> plan, params = named_plan("xinghualing"), default_parameters()
    >>> plan_price_unit(plan, params, "street_fallback.garbage_removal.price_yuan")
    'yuan/t'
    >>> plan_price_unit(plan, params, "street_fallback.grid_workers.price_yuan")
    'yuan/(household year)'
    >>> plan_price_unit(plan, params, "public_income.parking.occupancy_rate")
    '1'
    """
    section, name, field = path.split(".")
    if field in _PRICE_UNITS:
        return _PRICE_UNITS[field]
    if section != "street_fallback" or field != "price_yuan":
        raise KeyError(path)
    item = next(i for i in plan.street_fallback.items if i.name == name)
    if item.pricing == "per_household":
        return "yuan/(household year)"
    if item.pricing == "per_compound":
        return "yuan/(compound year)"
    unit = next(c.unit for c in work_categories(params) if c.name == item.work)
    return f"yuan/{unit}"


def illustrative_ranges(
    plan: Plan | None = None,
    params_file: str = "taiyuan",
    *,
    change_rate: float = 0.25,
) -> tuple[ParameterSet, dict[str, tuple[float, float]], pd.DataFrame]:
    """Each illustrative value moved down and up by ``change_rate``: the parameters
    labelled ``illustrative`` in a parameter file and the plan's prices
    (:data:`PLAN_PRICE_FIELDS`).

    Shares stay within 0 and 1; monthly wages and a live-in gatekeeper's pay stay at or
    above the monthly minimum wage (the law's floor).

    Returns
    -------
    tuple
        The parameter set at the file's default date, path -> ``(low, high)``, and a
        table of ``parameter``, ``unit``, ``reference`` of every path (plan prices:
        ``"plan price"``).
    """
    from propfee.params import load_parameter_file, load_parameters

    plan = plan or default_plan()
    params = load_parameters(params_file)
    listing = load_parameter_file(params_file).table(params.as_of)
    listing = listing[listing["status"] == "illustrative"]
    floor = params.wages.minimum_monthly_wage_yuan
    ranges: dict[str, tuple[float, float]] = {}
    info = []
    items = [(str(p), v, str(u), str(r)) for p, v, u, r in zip(
        listing["parameter"], listing["value"], listing["unit"], listing["reference"],
        strict=True)]
    items += [(path, value, plan_price_unit(plan, params, path), "plan price")
              for path, value in override_paths(plan).items()
              if path.rsplit(".", 1)[1] in PLAN_PRICE_FIELDS]
    for path, value, unit, reference in items:
        if isinstance(value, str) or not float(value):
            continue
        low, high = float(value) * (1 - change_rate), float(value) * (1 + change_rate)
        if (unit == "1" or path.endswith("_rate")) and float(value) <= 1.0:
            high = min(high, 1.0)  # a share stays a share
        if path.endswith("monthly_wage_yuan") or path.endswith("monthly_pay_yuan"):
            low = max(low, floor)
        ranges[path] = (low, high)
        info.append({"parameter": path, "unit": unit, "reference": reference})
    return params, ranges, pd.DataFrame(info)


def illustrative_effects(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params_file: str = "taiyuan",
    *,
    change_rate: float = 0.25,
    metric: str = "net_public_cost_yuan",
) -> pd.DataFrame:
    """How much each illustrative value moves a district figure (a tornado).

    Every parameter whose status is ``illustrative`` and every plan price is moved down
    and up by ``change_rate`` of its value, one at a time (:func:`illustrative_ranges`,
    :func:`tornado`).

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
        One of :data:`METRICS`.

    Returns
    -------
    pandas.DataFrame
        As :func:`tornado`, plus ``unit`` and ``reference``; largest swing first.
    """
    plan = plan or default_plan()
    table = (compounds if isinstance(compounds, CompoundTable)
             else validate_compounds(compounds))
    params, ranges, info = illustrative_ranges(plan, params_file, change_rate=change_rate)
    out = tornado(table, ranges, plan, params, metric=metric)
    by_path = info.set_index("parameter")
    out["unit"] = out["parameter"].map(by_path["unit"])
    out["reference"] = out["parameter"].map(by_path["reference"])
    return out
