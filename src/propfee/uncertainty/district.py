"""Learning from a district's own records: calibrate the ranges, then the headline again.

:func:`calibrate_district` is the planner's whole step in one call. From what the street
office observed (a table of observations, a work-order log, or both) it

1. builds the prior: the default uncertain inputs
   (:func:`propfee.uncertainty.defaults.default_ranges`: the parameter file's ranges
   and the plan's prices);
2. turns a work-order log (群众点单—网格员派单—党员接单: one row per order) into job
   counts over each job's exposure in each compound
   (:func:`~propfee.uncertainty.observations.order_counts`, exposures from the demand
   of the district at a rate of 1), and the costs of the orders the market took into
   prices per use (:func:`~propfee.uncertainty.observations.order_prices`);
3. updates the ranges (:func:`propfee.uncertainty.calibrate`: conjugate updates, each
   with how much it narrowed, and the observations the model cannot explain);
4. evaluates the headline's interval before and after, with the same draws' seed, and
   reports how much each figure's 5-95% interval narrowed::

       narrowing = 1 - (high - low after) / (high - low before)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from propfee.compound import CompoundTable, validate_compounds
from propfee.params import ParameterSet, default_parameters
from propfee.params.ranges import UncertainInputs
from propfee.plan import Plan, default_plan
from propfee.uncertainty.calibration import Observations, Posterior, calibrate
from propfee.uncertainty.defaults import default_ranges
from propfee.uncertainty.interval import Interval, interval
from propfee.uncertainty.observations import job_exposures, order_counts, order_prices

__all__ = ["DistrictCalibration", "calibrate_district"]


@dataclass(frozen=True)
class DistrictCalibration:
    """What a district's records taught.

    Attributes
    ----------
    posterior
        The calibrated inputs, each one's narrowing, and the flagged observations.
    prior, updated
        The uncertain inputs before and after.
    before, after
        The headline's interval before and after (the same draws' seed).
    narrowing
        One row per headline figure of the district: ``figure``, ``width_before``,
        ``width_after`` (5-95% widths) and ``narrowing`` (``1 - after / before``). [1]
    """

    posterior: Posterior
    prior: UncertainInputs
    updated: UncertainInputs
    before: Interval
    after: Interval
    narrowing: pd.DataFrame


def calibrate_district(
    district: pd.DataFrame | CompoundTable,
    observations: Observations | None = None,
    *,
    order_log: pd.DataFrame | None = None,
    log_start: dt.date | None = None,
    log_end: dt.date | None = None,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    ranges: UncertainInputs | None = None,
    n: int = 256,
    seed: int = 0,
) -> DistrictCalibration:
    """Calibrate the uncertain inputs with a district's records and re-run the headline.

    Parameters
    ----------
    district
        The compounds.
    observations
        Observed job counts, rates (collection) and amounts (parking and advertising
        income...), if any.
    order_log
        The district's work-order log (:func:`propfee.uncertainty.observations.read_order_log`),
        if any: its orders become job counts, and the costs of orders the market took
        become prices per use.
    log_start, log_end
        The period the log covers (default: its first and last order).
    plan
        The 4+1 plan; defaults to :func:`propfee.plan.default_plan`.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    ranges
        The prior; default :func:`propfee.uncertainty.defaults.default_ranges`.
    n
        Draws of each interval.
    seed
        Seed of the draws (the same for both intervals).

    Returns
    -------
    DistrictCalibration

    Raises
    ------
    propfee.errors.InputError
        For bad observations or log rows, naming the row and field; or when there is
        nothing to learn from.
    """
    from propfee.errors import InputError, Problem

    plan = plan or default_plan()
    params = params or default_parameters()
    table = district if isinstance(district, CompoundTable) else validate_compounds(district)
    prior = ranges if ranges is not None else default_ranges(plan)
    tables: dict[str, list[pd.DataFrame]] = {"job_counts": [], "rates": [], "amounts": []}
    if observations is not None:
        for kind, frame in observations.tables().items():
            tables[kind].append(frame)
    if order_log is not None:
        exposures = job_exposures(table, plan, params)
        tables["job_counts"].append(order_counts(order_log, exposures, start=log_start,
                                                 end=log_end))
        prices = order_prices(order_log)
        if len(prices):
            tables["amounts"].append(prices)
    merged = {kind: pd.concat(parts, ignore_index=True) if parts else None
              for kind, parts in tables.items()}
    if all(v is None for v in merged.values()):
        raise InputError([Problem(None, "observations", None,
                                  "give observations, a work-order log, or both")],
                         what="calibration")
    posterior = calibrate(prior, Observations(**merged))
    updated = posterior.updated(prior)
    before = interval(table, plan, params, prior, n=n, seed=seed)
    after = interval(table, plan, params, updated, n=n, seed=seed)
    rows = []
    b = before.headline[before.headline["level"] == "district"].set_index("figure")
    a = after.headline[after.headline["level"] == "district"].set_index("figure")
    for figure in b.index:
        wb = float(b.loc[figure, "high"] - b.loc[figure, "low"])
        wa = float(a.loc[figure, "high"] - a.loc[figure, "low"])
        rows.append({"figure": figure, "width_before": wb, "width_after": wa,
                     "narrowing": 1.0 - wa / wb if wb > 0 else 0.0})
    return DistrictCalibration(posterior, prior, updated, before, after, pd.DataFrame(rows))
