"""Monte Carlo of the fund pool over a horizon, with a seeded numpy Generator.

Uncertain inputs, drawn per draw (and per compound where it says so):

- collection rate: Beta with the compound's rate as mean and ``collection_rate_sd``;
- per-use jobs: each job's count is Poisson with the expected uses of the compound and
  year, so a compound-year's job bill ``B = sum_j price_j N_j`` has mean
  ``mu = sum_j price_j lambda_j`` and variance ``sigma^2 = sum_j price_j^2 lambda_j``; ``B``
  is drawn from the Gamma distribution with that mean and variance (shape
  ``mu^2 / sigma^2``, scale ``sigma^2 / mu``), one draw per compound-year instead of one
  Poisson draw per job (a catalogue of 14 jobs would need 14), and every job's uses are
  scaled by ``B / mu``;
- volunteer turnout: a multiplier of every task's share of the volunteer hours,
  Normal(1, sd) clipped to [0, 1 / sum of shares], per draw and compound; it is snapped
  to ``coverage_levels`` quantile levels, each of which is evaluated exactly by the 4+1
  kernel (whole posts make staff cost a step function of volunteer hours);
- parking occupancy: Beta with the plan's occupancy as mean, per draw and compound, for
  sources counted per parking space;
- wage growth: Normal(mean, sd) per draw.

Draws are made in blocks of :data:`BLOCK` draws; block ``b`` uses the ``b``-th child of
``numpy.random.SeedSequence(seed)``, so the same seed gives the same numbers however the
blocks are scheduled (one process, or many workers). With every sd 0 and job counts
fixed, each draw equals :func:`propfee.analysis.projection.project`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from propfee.analysis.components import Components, year_components
from propfee.analysis.projection import ProjectionSettings, pool_paths
from propfee.compound import CompoundTable, validate_compounds
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, default_plan, resolve_plan

__all__ = [
    "BLOCK",
    "MonteCarloResult",
    "Setup",
    "Uncertainty",
    "job_bill_factor",
    "monte_carlo",
    "run_block",
]

FloatArray = npt.NDArray[np.float64]
Sd = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]

BLOCK = 250
"""Draws per block; each block has its own child seed."""


class Uncertainty(BaseModel):
    """Distributions of the uncertain inputs.

    Attributes
    ----------
    collection_rate_sd
        Standard deviation of each compound's collection rate. [1]
    poisson_jobs
        Draw the per-use job bill of each compound-year (Poisson counts, moment-matched
        Gamma bill; else: expected counts).
    volunteer_coverage_sd
        Standard deviation of the coverage multiplier. [1]
    coverage_levels
        Levels the coverage multiplier is snapped to (each evaluated exactly).
    parking_occupancy_sd
        Standard deviation of parking occupancy. [1]
    wage_growth_sd
        Standard deviation of the annual wage growth rate. [1/year]
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    collection_rate_sd: Sd = 0.1
    poisson_jobs: bool = True
    volunteer_coverage_sd: Sd = 0.15
    coverage_levels: Annotated[int, Field(ge=1, le=101)] = 9
    parking_occupancy_sd: Sd = 0.15
    wage_growth_sd: Annotated[float, Field(ge=0, le=0.5, allow_inf_nan=False)] = 0.01


def _beta(rng: np.random.Generator, mean: FloatArray, sd: float, size: tuple[int, ...]
          ) -> FloatArray:
    m = np.broadcast_to(mean, size)
    if sd == 0:
        return np.array(m, dtype=np.float64)
    var = np.minimum(sd**2, m * (1 - m) * 0.999)
    interior = (m > 0) & (m < 1) & (var > 0)
    safe_m = np.where(interior, m, 0.5)
    safe_v = np.where(interior, var, 0.01)
    k = safe_m * (1 - safe_m) / safe_v - 1
    draw = rng.beta(safe_m * k, (1 - safe_m) * k)
    return np.where(interior, draw, m)


@dataclass(frozen=True)
class Levels:
    """Year components at each coverage level, stacked ``(levels, years, compounds)``."""

    multipliers: FloatArray
    staff: FloatArray
    other: FloatArray
    in_kind: FloatArray
    base: Components
    occupancy: dict[str, FloatArray]


def coverage_levels(
    table: CompoundTable, plan: Plan, params: ParameterSet, uncertainty: Uncertainty,
    horizon_years: int, overrides: pd.DataFrame | None = None,
) -> Levels:
    """Evaluate the year components at each level of the coverage multiplier."""
    sd = uncertainty.volunteer_coverage_sd
    count = uncertainty.coverage_levels if sd > 0 else 1
    tasks = plan.self_governance.items
    total_share = sum(t.share for t in tasks)
    cap = 1.0 / total_share if total_share > 0 else 1.0
    q = (np.arange(count) + 0.5) / count
    from statistics import NormalDist

    multipliers = np.clip(np.array([NormalDist(1.0, sd).inv_cdf(v) if sd > 0 else 1.0
                                    for v in q]), 0.0, cap)
    base_resolved = resolve_plan(plan, table, overrides)
    comps = []
    for mult in multipliers:
        values = dict(base_resolved.values)
        for task in tasks:
            key = f"self_governance.{task.name}.share"
            values[key] = np.clip(base_resolved.value("self_governance", task.name,
                                                      "share") * mult, 0.0, 1.0)
        resolved = type(base_resolved)(plan, values, base_resolved.bundle_code,
                                       base_resolved.bundle_ids,
                                       base_resolved.bundle_fixed_fee_yuan)
        comps.append(year_components(table, plan, params, horizon_years=horizon_years,
                                     resolved=resolved))
    occupancy = {s.name: base_resolved.value("public_income", s.name, "occupancy_rate")
                 for s in plan.public_income.items}
    return Levels(multipliers, np.stack([c.staff_yuan for c in comps]),
                  np.stack([c.other_yuan for c in comps]),
                  np.stack([c.in_kind_yuan for c in comps]),
                  comps[len(comps) // 2], occupancy)


def job_bill_factor(
    rng: np.random.Generator,
    job_uses: dict[str, FloatArray],
    price_yuan: dict[str, FloatArray],
    draws: int,
) -> FloatArray:
    """Drawn per-use job bill of each compound-year over its expected bill.

    The bill ``B = sum_j price_j N_j`` with ``N_j`` Poisson(``lambda_j``) is drawn from
    the Gamma distribution of the same mean ``mu = sum_j price_j lambda_j`` and variance
    ``sum_j price_j^2 lambda_j``; the result is ``B / mu`` (1 where nothing is expected).

    Parameters
    ----------
    rng
        The block's generator.
    job_uses
        Job -> expected uses ``(years, compounds)``. [uses/year]
    price_yuan
        Job -> price per use of each compound. [yuan/use]
    draws
        Draws. [1]

    Returns
    -------
    numpy.ndarray
        ``(draws, years, compounds)`` factors. [1]
    """
    mean = np.zeros_like(next(iter(job_uses.values())), dtype=np.float64)
    var = np.zeros_like(mean)
    for name, uses in job_uses.items():
        price = price_yuan[name][None, :]
        mean = mean + price * uses
        var = var + price ** 2 * uses
    positive = (mean > 0) & (var > 0)
    shape = np.where(positive, mean ** 2 / np.where(positive, var, 1.0), 1.0)
    scale = np.where(positive, var / np.where(positive, mean, 1.0), 0.0)
    size = (draws, *mean.shape)
    bill = rng.gamma(np.broadcast_to(shape, size), np.broadcast_to(scale, size))
    factor: FloatArray = np.where(positive, bill / np.where(positive, mean, 1.0), 1.0)
    return factor


def run_block(
    levels: Levels, settings: ProjectionSettings, uncertainty: Uncertainty,
    seed_sequence: np.random.SeedSequence, draws: int,
) -> tuple[FloatArray, FloatArray]:
    """Simulate one block of draws.

    Returns
    -------
    tuple of numpy.ndarray
        ``(negative, subsidy)``: whether each compound's pool goes negative within the
        horizon ``(draws, compounds)`` (1.0 or 0.0), and the mean yearly street subsidy needed
        (mean over years of ``max(-net, 0)``) ``(draws, compounds)``. [yuan/year]
    """
    rng = np.random.default_rng(seed_sequence)
    comp = levels.base
    t_count, n = comp.staff_yuan.shape
    mult = 1.0 + uncertainty.volunteer_coverage_sd * rng.standard_normal((draws, n))
    level = np.abs(mult[:, :, None] - levels.multipliers[None, None, :]).argmin(axis=2)
    # staff[d, t, i] = levels.staff[level[d, i], t, i]
    pick = (level[:, None, :], np.arange(t_count)[None, :, None], np.arange(n)[None, None, :])
    staff = levels.staff[pick]
    other = levels.other[pick]
    coll = _beta(rng, comp.collection_rate[None, :], uncertainty.collection_rate_sd, (draws, n))
    growth = settings.wage_growth_rate + uncertainty.wage_growth_sd * rng.standard_normal(draws)
    wage_index = (1.0 + growth[:, None]) ** np.arange(t_count)[None, :]
    jobs: dict[str, FloatArray] = {}
    if uncertainty.poisson_jobs and comp.job_uses:
        factor = job_bill_factor(rng, comp.job_uses, comp.job_price_yuan, draws)
        jobs = {name: uses[None] * factor for name, uses in comp.job_uses.items()}
    else:
        jobs = {name: np.broadcast_to(uses[None], (draws, t_count, n))
                for name, uses in comp.job_uses.items()}
    scale = {}
    for name, is_parking in comp.income_is_parking.items():
        if is_parking and uncertainty.parking_occupancy_sd > 0:
            occupancy = levels.occupancy[name]
            drawn = _beta(rng, occupancy[None, :], uncertainty.parking_occupancy_sd, (draws, n))
            with np.errstate(divide="ignore", invalid="ignore"):
                scale[name] = np.where(occupancy > 0, drawn / np.where(occupancy > 0, occupancy,
                                                                       1.0), 1.0)
    paths = pool_paths(comp, settings, staff_yuan=staff, other_yuan=other,
                       wage_index=wage_index, collection_rate=coll, job_uses=jobs,
                       income_scale=scale)
    negative: FloatArray = np.asarray((paths["balance"] < 0).any(axis=1), dtype=np.float64)
    subsidy: FloatArray = np.maximum(-paths["net"], 0.0).mean(axis=1)
    return negative, subsidy


@dataclass(frozen=True)
class MonteCarloResult:
    """Monte Carlo results.

    Attributes
    ----------
    compounds
        One row per compound: ``compound_id``, ``p_pool_negative`` (probability that the
        pool goes negative within the horizon) [1], and quantiles of the mean yearly
        street subsidy ``subsidy_q05_yuan``, ``subsidy_q50_yuan``, ``subsidy_q95_yuan``,
        ``subsidy_mean_yuan`` [yuan/year].
    district
        Quantiles (0.05, 0.5, 0.95) and mean of the district's total mean yearly subsidy
        [yuan/year], and ``p_any_negative`` [1].
    draws
        Number of draws.
    """

    compounds: pd.DataFrame
    district: pd.Series
    draws: int


def monte_carlo(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    settings: ProjectionSettings | None = None,
    uncertainty: Uncertainty | None = None,
    *,
    draws: int = 10_000,
    seed: int = 0,
    overrides: pd.DataFrame | None = None,
    progress: Callable[[int], None] | None = None,
) -> MonteCarloResult:
    """Simulate the fund pool of every compound under uncertainty.

    Parameters
    ----------
    compounds
        A compound table.
    plan, params
        The base case.
    settings
        Projection settings (horizon, growth, interest...).
    uncertainty
        Distributions of the uncertain inputs.
    draws
        Number of draws.
    seed
        Seed of ``numpy.random.SeedSequence``; the same seed gives the same numbers.
    overrides
        Per-compound plan overrides.
    progress
        Called with the number of draws of each block when it is done.

    Returns
    -------
    MonteCarloResult
    """
    setup = Setup.make(compounds, plan, params, settings, uncertainty, overrides, draws, seed)
    results = []
    for child, size in setup.blocks:
        results.append(run_block(setup.levels, setup.settings, setup.uncertainty, child, size))
        if progress is not None:
            progress(size)
    return setup.summarise(results)


@dataclass(frozen=True)
class Setup:
    """Everything a Monte Carlo run needs, shared by the local and the Dask paths.

    Attributes
    ----------
    levels
        Year components at each coverage level.
    settings, uncertainty
        The run's assumptions.
    blocks
        ``(seed sequence, draws)`` of every block, in order.
    """

    levels: Levels
    settings: ProjectionSettings
    uncertainty: Uncertainty
    blocks: list[tuple[np.random.SeedSequence, int]]

    @classmethod
    def make(
        cls, compounds: pd.DataFrame | CompoundTable, plan: Plan | None,
        params: ParameterSet | None, settings: ProjectionSettings | None,
        uncertainty: Uncertainty | None, overrides: pd.DataFrame | None, draws: int, seed: int,
    ) -> Setup:
        """Fill in the defaults, evaluate the coverage levels and cut the draws in blocks."""
        plan = plan or default_plan()
        params = params or default_parameters()
        settings = settings or ProjectionSettings()
        uncertainty = uncertainty or Uncertainty()
        table = (compounds if isinstance(compounds, CompoundTable)
                 else validate_compounds(compounds))
        levels = prepare(table, plan, params, settings, uncertainty, overrides)
        children = np.random.SeedSequence(seed).spawn(-(-draws // BLOCK))
        blocks = [(child, min(BLOCK, draws - b * BLOCK)) for b, child in enumerate(children)]
        return cls(levels, settings, uncertainty, blocks)

    def summarise(self, results: list[tuple[FloatArray, FloatArray]]) -> MonteCarloResult:
        """Summarise the blocks' ``(negative, subsidy)`` results, given in block order."""
        return summarise(self.levels.base.ids, np.concatenate([r[0] for r in results]),
                         np.concatenate([r[1] for r in results]))


def prepare(
    table: CompoundTable, plan: Plan, params: ParameterSet, settings: ProjectionSettings,
    uncertainty: Uncertainty, overrides: pd.DataFrame | None = None,
) -> Levels:
    """Everything the blocks share: the components at each coverage level."""
    return coverage_levels(table, plan, params, uncertainty, settings.horizon_years, overrides)


def summarise(ids: npt.NDArray[np.str_], negative: FloatArray, subsidy: FloatArray
              ) -> MonteCarloResult:
    """Summarise per-draw results into the compound and district tables."""
    q = np.quantile(subsidy, [0.05, 0.5, 0.95], axis=0)
    compounds = pd.DataFrame({
        "compound_id": ids,
        "p_pool_negative": negative.mean(axis=0),
        "subsidy_q05_yuan": q[0], "subsidy_q50_yuan": q[1], "subsidy_q95_yuan": q[2],
        "subsidy_mean_yuan": subsidy.mean(axis=0),
    })
    total = subsidy.sum(axis=1)
    tq = np.quantile(total, [0.05, 0.5, 0.95])
    district = pd.Series({
        "subsidy_q05_yuan": tq[0], "subsidy_q50_yuan": tq[1], "subsidy_q95_yuan": tq[2],
        "subsidy_mean_yuan": total.mean(), "p_any_negative": (negative > 0).any(axis=1).mean(),
    })
    return MonteCarloResult(compounds, district, len(total))
