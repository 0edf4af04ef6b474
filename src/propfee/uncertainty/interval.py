"""The headline as an interval: sample the ranges, evaluate the district per draw, report
the median and the 5-95% interval of every headline figure.

The headline figures (:data:`FIGURES`), for the district, each street and each zone:

- ``compounds_in_deficit``: compounds whose fund pool balance is below zero;
- ``street_subsidy_yuan``: what the street office pays to cover the deficits [yuan/year];
- ``net_public_cost_yuan``: street services + street subsidy + renovation capital
  [yuan/year];
- ``pool_balance_yuan``: the compounds' pool balances added up [yuan/year];

and per compound the probability of a deficit.

The evaluation per draw is a seam (:class:`EvaluateDraws`): a function from the compound
table, the plan, the parameters and a DataFrame of draws to per-compound arrays of
:data:`OUTPUTS`, one row per draw. :func:`evaluate_draws` is the default: a loop over the
draws in one stacked kernel run (:func:`propfee.analysis.draws.evaluate_draws`); the
one-by-one evaluation with :meth:`ParameterSet.replace` and :func:`propfee.evaluate_district`
is kept as :func:`evaluate_draws_one_by_one`, correct but
a district evaluation per draw. A vectorised evaluator (the kernel on stacked copies of
the table) plugs in through ``evaluate_draws=`` and is held to the same contract.

The sample is made once from the seed (:func:`propfee.uncertainty.sample`) and evaluated
in blocks of ``block`` draws, in order, on this machine or as Dask tasks
(``dask=True``, on the active ``distributed.Client`` if there is one); every number is a
function of the inputs, the seed and ``n`` alone, never of the blocks or the workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee._optional import require
from propfee.compound import CompoundTable, validate_compounds
from propfee.errors import InputError, ParameterError, UsageError
from propfee.params import ParameterSet, default_parameters
from propfee.params.ranges import InputLike, UncertainInputs
from propfee.plan import Plan, default_plan, override_paths
from propfee.uncertainty.sampling import Method, sample
from propfee.uncertainty.sensitivity import Model

__all__ = [
    "BLOCK",
    "FIGURES",
    "OUTPUTS",
    "EvaluateDraws",
    "Interval",
    "check_inputs",
    "evaluate_draws",
    "headline",
    "headline_model",
    "interval",
]

FloatArray = npt.NDArray[np.float64]

OUTPUTS: Final = ("pool_balance_yuan", "street_subsidy_yuan", "net_public_cost_yuan")
"""Per-compound outputs an evaluator returns, each ``(n_draws, n_compounds)`` [yuan/year]."""

FIGURES: Final = ("compounds_in_deficit", "street_subsidy_yuan", "net_public_cost_yuan",
                  "pool_balance_yuan")
"""Headline figures, for the district, each street and each zone."""

BLOCK: Final = 32
"""Draws per block of evaluation (one task on Dask)."""

QUANTILES: Final = (0.05, 0.5, 0.95)
"""The low, median and high of an interval. [1]"""


class EvaluateDraws(Protocol):
    """The evaluation of a district at a block of draws: the seam of :func:`interval`.

    Any callable with the signature of :meth:`__call__`; :func:`evaluate_draws` is the
    default.
    """

    def __call__(self, table: CompoundTable, plan: Plan, params: ParameterSet,
                 draws: pd.DataFrame) -> Mapping[str, FloatArray]:
        """Evaluate the district at each draw.

        Parameters
        ----------
        table
            The validated compounds (``n_compounds`` rows).
        plan
            The 4+1 plan.
        params
            The parameter set the draws modify.
        draws
            One row per draw, one column per uncertain input: a parameter path
            (``"fees.collection_rate"``) or a plan override path
            (``"public_income.parking.occupancy_rate"``), each applied to every compound.
            The index holds the draws' numbers in the whole sample: an evaluator that
            draws random numbers of its own seeds them from it, so that results do not
            depend on how the sample is cut into blocks.

        Returns
        -------
        Mapping of str to numpy.ndarray
            Every name of :data:`OUTPUTS`, each of shape ``(len(draws), n_compounds)``
            [yuan/year], rows in the order of ``draws``.
        """
        ...


def _split(plan: Plan, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """The inputs that are plan override paths, and the others (parameter paths)."""
    plan_paths = override_paths(plan)
    names = list(names)
    return [n for n in names if n in plan_paths], [n for n in names if n not in plan_paths]


def evaluate_draws(table: CompoundTable, plan: Plan, params: ParameterSet,
                   draws: pd.DataFrame) -> dict[str, FloatArray]:
    """The default :class:`EvaluateDraws`: every draw in one stacked kernel run.

    Parameter paths vary by row through :class:`propfee.params.values.ParamValues`, plan
    override paths become per-row plan values (:func:`propfee.analysis.draws.evaluate_draws`);
    each copy of the table gets exactly the numbers a separate evaluation with its draw
    would give.

    Returns
    -------
    dict of str to numpy.ndarray
        :data:`OUTPUTS`, each ``(len(draws), len(table))`` [yuan/year].
    """
    from propfee.analysis.draws import evaluate_draws as stacked

    return stacked(table, draws.reset_index(drop=True), plan, params, columns=tuple(OUTPUTS))


def evaluate_draws_one_by_one(table: CompoundTable, plan: Plan, params: ParameterSet,
                              draws: pd.DataFrame) -> dict[str, FloatArray]:
    """An :class:`EvaluateDraws` that evaluates the district once per draw.

    Parameter paths go through :meth:`ParameterSet.replace`; plan override paths become
    per-compound overrides with the draw's value for every compound. Slow; the tests
    check :func:`evaluate_draws` against it.

    Returns
    -------
    dict of str to numpy.ndarray
        :data:`OUTPUTS`, each ``(len(draws), len(table))`` [yuan/year].
    """
    from propfee.budget import evaluate_district

    plan_names, param_names = _split(plan, draws.columns)
    out = {name: np.empty((len(draws), len(table))) for name in OUTPUTS}
    columns = {c: draws[c].to_numpy(dtype=np.float64) for c in draws.columns}
    ids = table.ids
    for k in range(len(draws)):
        p = params.replace({c: float(columns[c][k]) for c in param_names}) if param_names \
            else params
        overrides = None
        if plan_names:
            overrides = pd.DataFrame({"compound_id": ids, **{
                c: np.full(len(table), columns[c][k]) for c in plan_names}})
        budget = evaluate_district(table, plan, p, overrides=overrides, contributions=False,
                                   with_lines=False).compounds
        for name in OUTPUTS:
            out[name][k] = budget[name].to_numpy(dtype=np.float64)
    return out


_default_evaluate: EvaluateDraws = evaluate_draws
""":func:`evaluate_draws`, under a name :func:`interval`'s argument does not hide."""


def check_inputs(table: CompoundTable, plan: Plan, params: ParameterSet,
                 inputs: UncertainInputs) -> None:
    """Refuse inputs the default evaluator cannot apply, before any draw is evaluated.

    Every input must be a parameter path or a plan override path, and the ends of its
    draws (its support; for lognormal and gamma ranges, the low end and the value) must
    be accepted there: a wage range reaching below the minimum wage is refused here, not
    at the 200th draw.

    Raises
    ------
    propfee.errors.ParameterError
        Naming each input that is no path, or whose ends are refused, and why.
    """
    from propfee.plan import resolve_plan

    plan_names, param_names = _split(plan, inputs.names)
    problems: list[str] = []
    for name in param_names:
        item = inputs.get(name)
        lo, hi = item.support()
        for end in sorted({lo, hi, item.value} - {float("inf")}):
            try:
                params.replace({name: end})
            except ParameterError as exc:
                text = "; ".join(exc.problems)
                if "no such parameter" in text:
                    problems.append(f"{name}: neither a parameter path nor a plan override path")
                    break
                problems.append(f"{name}: a draw of {end:g} is refused: {text}")
    if plan_names:
        one = table  # the whole table: a plan's explicit bundles name its compounds
        for pick in (0, 1):
            values = {}
            for name in plan_names:
                lo, hi = inputs.get(name).support()
                values[name] = lo if pick == 0 or hi == float("inf") else hi
            overrides = pd.DataFrame({"compound_id": one.ids,
                                      **{k: [v] * len(one) for k, v in values.items()}})
            try:
                resolve_plan(plan, one, overrides)
            except InputError as exc:
                problems += [f"{p.field}: a draw of {p.value} is refused: {p.message}"
                             for p in exc.problems]
    if problems:
        raise ParameterError(dict.fromkeys(problems))


def _group_sums(values: FloatArray, codes: npt.NDArray[np.intp], k: int) -> FloatArray:
    """``(n_draws, k)`` sums of ``values`` (``(n_draws, n_compounds)``) by group code."""
    return np.stack([values[:, codes == g].sum(axis=1) for g in range(k)], axis=1) if k \
        else np.zeros((len(values), 0))


def _figures(outputs: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
    """Per-compound figures: the headline's terms before they are added up; money in whole
    fen (so that sums are exact in any order), counts as they are."""
    from propfee.money import yuan_to_fen

    return {"compounds_in_deficit": (outputs["pool_balance_yuan"] < 0).astype(np.float64),
            **{name: yuan_to_fen(outputs[name]).astype(np.float64) for name in FIGURES[1:]}}


def _to_yuan(figure: str, values: FloatArray) -> FloatArray:
    """A sum of :func:`_figures` in the figure's unit (money sums of fen back to yuan)."""
    return values if figure == "compounds_in_deficit" else values / 100.0


def headline(table: CompoundTable, outputs: Mapping[str, FloatArray]) -> pd.DataFrame:
    """The headline figures of each draw, for the district, each street and each zone.

    Parameters
    ----------
    table
        The compounds.
    outputs
        :data:`OUTPUTS`, each ``(n_draws, n_compounds)``.

    Returns
    -------
    pandas.DataFrame
        One row per draw; columns ``(level, group, figure)``: level ``district`` (group
        ``""``), ``street`` and ``zone`` (the groups in order of first appearance).
    """
    per_compound = _figures(outputs)
    columns: dict[tuple[str, str, str], FloatArray] = {}
    for figure, values in per_compound.items():
        columns[("district", "", figure)] = _to_yuan(figure, values.sum(axis=1))
    for level in ("street", "zone"):
        codes, names = pd.factorize(pd.Series(table.text(level)), sort=False)
        for figure, values in per_compound.items():
            sums = _to_yuan(figure, _group_sums(values, codes, len(names)))
            for g, name in enumerate(names):
                columns[(level, str(name), figure)] = sums[:, g]
    frame = pd.DataFrame(columns)
    frame.columns = pd.MultiIndex.from_tuples(list(columns), names=["level", "group", "figure"])
    return frame


def headline_model(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    evaluate: EvaluateDraws | None = None,
) -> Model:
    """The district's headline as a vectorised model of the draws, for
    :func:`propfee.uncertainty.sensitivity.sobol_indices` and
    :func:`~propfee.uncertainty.sensitivity.tornado`.

    Returns
    -------
    callable
        ``f(draws) -> DataFrame`` with the district's :data:`FIGURES` as columns.
    """
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    plan = plan or default_plan()
    params = params or default_parameters()
    run = evaluate or evaluate_draws

    def model(draws: pd.DataFrame) -> pd.DataFrame:
        outputs = _checked(run(table, plan, params, draws), len(draws), len(table))
        figures = headline(table, outputs)
        return pd.DataFrame({f: figures[("district", "", f)].to_numpy() for f in FIGURES})

    return model


def _checked(outputs: Mapping[str, Any], n_draws: int, n_compounds: int
             ) -> dict[str, FloatArray]:
    checked = {}
    for name in OUTPUTS:
        if name not in outputs:
            raise UsageError(f"the evaluator returned no {name!r}")
        values = np.asarray(outputs[name], dtype=np.float64)
        if values.shape != (n_draws, n_compounds):
            raise UsageError(f"the evaluator's {name!r} has shape {values.shape}, not "
                             f"({n_draws}, {n_compounds}): a row per draw and a column per "
                             "compound")
        checked[name] = values
    return checked


def _run_block(table: CompoundTable, plan: Plan, params: ParameterSet, draws: pd.DataFrame,
               evaluate: EvaluateDraws) -> dict[str, FloatArray]:
    return _checked(evaluate(table, plan, params, draws), len(draws), len(table))


@dataclass(frozen=True)
class Interval:
    """The headline as intervals.

    Attributes
    ----------
    headline
        One row per ``level`` (``district``, ``street``, ``zone``), ``group`` and
        ``figure`` (:data:`FIGURES`): ``point`` (every input at its value), ``median``,
        ``low`` and ``high`` (the 5% and 95% quantiles over the draws). Money in
        [yuan/year], counts in compounds.
    compounds
        One row per compound: ``compound_id``, ``street``, ``zone``,
        ``deficit_probability`` (the share of draws whose pool balance is below 0) and
        the pool balance's ``point``, ``median``, ``low`` and ``high`` [yuan/year].
    draws
        The sample, one row per draw.
    outputs
        :data:`OUTPUTS` per draw and compound, each ``(n_draws, n_compounds)``.
    figures
        Every draw's headline (:func:`headline`).
    """

    headline: pd.DataFrame
    compounds: pd.DataFrame
    draws: pd.DataFrame = field(repr=False)
    outputs: dict[str, FloatArray] = field(repr=False)
    figures: pd.DataFrame = field(repr=False)

    def figure(self, name: str, level: str = "district") -> pd.DataFrame:
        """One figure at one level: a row per group with point, median, low and high."""
        rows = self.headline[(self.headline["figure"] == name)
                             & (self.headline["level"] == level)]
        if rows.empty:
            raise KeyError((name, level))
        return rows.set_index("group")[["point", "median", "low", "high"]]


def interval(
    district: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    ranges: UncertainInputs | None = None,
    n: int = 256,
    method: Method = "lhs",
    seed: int = 0,
    evaluate_draws: EvaluateDraws | None = None,
    *,
    extra: Iterable[InputLike] = (),
    block: int = BLOCK,
    dask: bool = False,
    check: bool = True,
) -> Interval:
    """Sample the ranges, evaluate the district per draw, and report intervals.

    Parameters
    ----------
    district
        The compounds.
    plan
        The 4+1 plan (default: :func:`propfee.plan.default_plan`).
    params
        The parameter set whose values the draws replace (default:
        :func:`propfee.default_parameters`).
    ranges
        The uncertain inputs (:meth:`propfee.params.ParameterFile.uncertain`); default:
        the built-in Taiyuan file's ranges and the plan's prices
        (:func:`propfee.uncertainty.defaults.default_ranges`).
    n
        Number of draws.
    method
        ``"lhs"`` or ``"sobol"`` (:func:`propfee.uncertainty.sample`).
    seed
        Seed of the sample.
    evaluate_draws
        The evaluator (:class:`EvaluateDraws`); default :func:`evaluate_draws`.
    extra
        More inputs, plan prices say: ``(name, value, low, high, shape[, reason])``.
    block
        Draws per block (one Dask task each).
    dask
        Run the blocks as Dask tasks (extra ``dask``).
    check
        Check the inputs first (:func:`check_inputs`); a custom evaluator with inputs of
        its own may turn it off.

    Returns
    -------
    Interval
        The point is the district with every input at its value: with every range
        collapsed, every draw is the point and so are the median and both ends.

    Raises
    ------
    propfee.errors.ParameterError
        For an input that is no parameter or plan path, or whose draws are refused.
    propfee.errors.UsageError
        For a bad ``n``, ``method`` or ``block``, or an evaluator whose result is not
        :data:`OUTPUTS` of shape ``(draws, compounds)``.
    """
    table = district if isinstance(district, CompoundTable) else validate_compounds(district)
    plan = plan or default_plan()
    params = params or default_parameters()
    if ranges is None:
        from propfee.uncertainty.defaults import default_ranges

        ranges = default_ranges(plan)
    inputs = ranges.extended(extra)
    if isinstance(block, bool) or not isinstance(block, int) or block < 1:
        raise UsageError(f"block must be a whole number of draws, 1 or more; got {block!r}")
    if check:
        check_inputs(table, plan, params, inputs)
    run = evaluate_draws or _default_evaluate
    draws = sample(inputs, n, method, seed)
    point_draw = pd.DataFrame([inputs.point], columns=list(inputs.names), dtype=np.float64)
    point = _run_block(table, plan, params, point_draw, run)
    blocks = [draws.iloc[start:start + block] for start in range(0, len(draws), block)]
    if dask:
        dask_module = require("dask", feature="an interval on Dask", extra="dask")
        shared = [dask_module.delayed(x, traverse=False) for x in (table, plan, params)]
        tasks = [dask_module.delayed(_run_block, pure=True)(*shared, b, run) for b in blocks]
        results = list(dask_module.compute(*tasks))
    else:
        results = [_run_block(table, plan, params, b, run) for b in blocks]
    outputs = {name: np.concatenate([r[name] for r in results]) for name in OUTPUTS}
    return _summarise(table, draws, outputs, point)


def _summarise(table: CompoundTable, draws: pd.DataFrame, outputs: dict[str, FloatArray],
               point: dict[str, FloatArray]) -> Interval:
    figures = headline(table, outputs)
    point_figures = headline(table, point).iloc[0]
    q = np.quantile(figures.to_numpy(), QUANTILES, axis=0)
    rows = pd.DataFrame({
        "level": figures.columns.get_level_values("level"),
        "group": figures.columns.get_level_values("group"),
        "figure": figures.columns.get_level_values("figure"),
        "point": point_figures.to_numpy(dtype=np.float64),
        "median": q[1], "low": q[0], "high": q[2]})
    balance = outputs["pool_balance_yuan"]
    qb = np.quantile(balance, QUANTILES, axis=0)
    compounds = pd.DataFrame({
        "compound_id": table.ids, "street": table.text("street"), "zone": table.text("zone"),
        "deficit_probability": (balance < 0).mean(axis=0),
        "pool_balance_point_yuan": point["pool_balance_yuan"][0],
        "pool_balance_median_yuan": qb[1], "pool_balance_low_yuan": qb[0],
        "pool_balance_high_yuan": qb[2]})
    return Interval(rows, compounds, draws, outputs, figures)
