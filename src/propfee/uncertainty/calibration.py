"""Calibration: narrow the ranges with what a street office has observed.

The prior of each calibrated input is its range; the observations are three tables
(:class:`Observations`); the result (:class:`Posterior`) holds the narrowed ranges, how
much each narrowed, and the observations the model cannot explain.

Three kinds of observation, three conjugate Bayesian updates: each gives the exact
posterior in closed form, so calibration is instant, reproducible and easy to check by
hand, and the posterior is again a range of a shape the sampler knows.

- **Job counts** (the uses of a per-use job in a compound; ``job_counts``): the count is
  Poisson with mean ``rate x exposure``, where ``exposure`` [basis units x years x age
  factor] is what the model multiplies the rate by
  (:func:`propfee.uncertainty.observations.job_exposures` computes it from the plan).
  The prior of the rate is Gamma with mean = the value and the range's spread
  (:func:`propfee.uncertainty.marginals.gamma_shape`: the 95% quantile is ``high / low``
  times the 5%); the posterior is Gamma with shape ``a + sum of counts`` and rate
  ``b + sum of exposures``.
- **Rates** (a share in [0, 1], e.g. the collection rate: households that paid out of
  households billed; ``rates``): the count is binomial; the prior is Beta with mean = the
  value and a 5-95% interval as wide as the range
  (:func:`propfee.uncertainty.marginals.beta_parameters`); the posterior is Beta with
  ``alpha + successes`` and ``beta + failures``. Successes may be fractional (yuan
  collected / yuan billed x households).
- **Amounts** (a positive quantity that is the parameter times a known exposure: parking
  income = price x spaces x occupancy, volunteer hours logged = hours per household x
  households; ``amounts``): ``ln(observed / exposure) = ln(parameter) + e``, with ``e``
  normal of standard deviation ``scatter`` (how much compounds differ from the model on
  a log scale; 0.5 by default, a factor of 1.65). The prior of ``ln(parameter)`` is
  normal, from the range read as a lognormal (median = the value, the range a 90%
  interval); the posterior is normal: precision ``1 / sigma0^2 + n / scatter^2``. This
  is least squares on the log scale with the range as a penalty, solved exactly: a
  Bayesian update because it says how sure the result is, and on the log scale because
  incomes and hours are positive and spread by factors, not by yuan.

An observation the model cannot explain is flagged: each row's leave-one-out posterior
predictive (the posterior from every other row; negative binomial, beta-binomial or
normal) gives the two-sided tail probability of what was observed; below ``threshold``
(1% by default) the row is flagged, with its line and compound. A flagged row is still
used in the update: drop it and calibrate again if it is a mistake.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee._optional import require
from propfee.errors import InputError, ParameterError, Problem
from propfee.params.ranges import UncertainInput, UncertainInputs
from propfee.uncertainty.marginals import Z95, beta_parameters, gamma_shape, lognormal_sigma

__all__ = [
    "DEFAULT_SCATTER",
    "Kind",
    "Observations",
    "Posterior",
    "beta_prior",
    "calibrate",
    "gamma_prior",
    "lognormal_prior",
]

FloatArray = npt.NDArray[np.float64]

Kind = Literal["job_counts", "rates", "amounts"]

DEFAULT_SCATTER = 0.5
"""Standard deviation of ``ln(observed / expected)`` between compounds: a factor of
``e^0.5 = 1.65``. [1]"""

COLUMNS: dict[str, tuple[str, ...]] = {
    "job_counts": ("quantity", "compound_id", "exposure", "count"),
    "rates": ("quantity", "compound_id", "successes", "trials"),
    "amounts": ("quantity", "compound_id", "observed", "exposure"),
}
"""The columns of each kind of observation table."""


def _stats() -> Any:
    return require("scipy.stats", feature="calibration", extra="uncertainty")


def _special() -> Any:
    return require("scipy.special", feature="calibration", extra="uncertainty")


@dataclass(frozen=True)
class Observations:
    """What was observed, as three tables (each optional).

    Attributes
    ----------
    job_counts
        ``quantity`` (the input of the job's rate of uses, e.g.
        ``"jobs.pipe_dredging.uses_per_basis_year"``), ``compound_id``,
        ``exposure`` (basis units x years x age factor: the expected count is the rate
        times it), ``count`` (uses observed).
    rates
        ``quantity`` (e.g. ``"fees.collection_rate"``), ``compound_id``, ``successes``
        and ``trials`` (households that paid, households billed).
    amounts
        ``quantity``, ``compound_id``, ``observed`` (e.g. last year's parking income
        [yuan]) and ``exposure`` (the model's figure per unit of the parameter, so that
        the expected amount is the parameter times it).
    """

    job_counts: pd.DataFrame | None = None
    rates: pd.DataFrame | None = None
    amounts: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables that are given, by kind."""
        return {kind: table for kind in COLUMNS
                if (table := getattr(self, kind)) is not None}


def _validated(kind: str, table: pd.DataFrame, known: set[str]) -> pd.DataFrame:
    """The table with numeric columns as float64; every bad cell is an :class:`InputError`."""
    missing = [c for c in COLUMNS[kind] if c not in table.columns]
    if missing:
        raise InputError([Problem(None, c, None, "missing column") for c in missing],
                         what=f"{kind} observations")
    out = table.reset_index(drop=True).copy()
    problems: list[Problem] = []
    numeric = [c for c in COLUMNS[kind] if c not in ("quantity", "compound_id")]
    for column in numeric:
        values = pd.to_numeric(out[column], errors="coerce").astype(np.float64)
        for k in np.flatnonzero(~np.isfinite(values.to_numpy())):
            problems.append(Problem(str(_cell(out, k, "compound_id")), column,
                                    _cell(out, k, column), "not a number", line=int(k) + 2))
        out[column] = values
    for row, quantity in enumerate(out["quantity"]):
        if quantity not in known:
            problems.append(Problem(str(_cell(out, row, "compound_id")), "quantity", quantity,
                                    "not an uncertain input of the prior", line=row + 2))
    if not problems:
        problems += _range_problems(kind, out)
    if problems:
        raise InputError(problems, what=f"{kind} observations")
    return out


def _cell(frame: pd.DataFrame, row: Any, column: str) -> Any:
    """A cell as a Python value (``1.5``, never ``np.float64(1.5)`` in a message)."""
    value = frame[column].iloc[int(row)]
    return value.item() if isinstance(value, np.generic) else value


def _range_problems(kind: str, t: pd.DataFrame) -> list[Problem]:
    checks: list[tuple[str, npt.NDArray[np.bool_], str]] = []
    if kind == "job_counts":
        count = t["count"].to_numpy()
        checks += [("count", (count < 0) | (count != np.round(count)),
                    "must be a whole number of uses, 0 or more"),
                   ("exposure", t["exposure"].to_numpy() < 0, "must be 0 or more")]
    elif kind == "rates":
        s, n = t["successes"].to_numpy(), t["trials"].to_numpy()
        checks += [("trials", (n < 1) | (n != np.round(n)), "must be a whole number, 1 or more"),
                   ("successes", (s < 0) | (s > n), "must lie between 0 and the trials")]
    else:
        checks += [("observed", t["observed"].to_numpy() <= 0,
                    "must be more than 0 (a log-scale update)"),
                   ("exposure", t["exposure"].to_numpy() <= 0, "must be more than 0")]
    problems = []
    for column, bad, message in checks:
        for k in np.flatnonzero(bad):
            problems.append(Problem(str(_cell(t, k, "compound_id")), column,
                                    _cell(t, k, column), message, line=int(k) + 2))
    return problems


def gamma_prior(item: UncertainInput) -> tuple[float, float]:
    """``(shape, rate)`` of the Gamma prior of a rate: mean = the value, the range's spread.

    Raises
    ------
    propfee.errors.ParameterError
        If the range starts at 0 or below (a Gamma's 5% quantile is above 0: give the
        least rate you believe).
    """
    if item.low <= 0:
        raise ParameterError([f"{item.name}: a Gamma prior needs low > 0 (got {item.low:g}); "
                              "give the least rate you believe"])
    k = gamma_shape(item.value, item.low, item.high, item.name)
    return k, k / item.value


def beta_prior(item: UncertainInput) -> tuple[float, float]:
    """``(alpha, beta)`` of the Beta prior of a share: mean = the value, as wide as the range.

    Raises
    ------
    propfee.errors.ParameterError
        If the value is not strictly between 0 and 1, or no Beta is that wide.
    """
    if not 0.0 < item.value < 1.0 or item.low < 0.0 or item.high > 1.0:
        raise ParameterError([f"{item.name}: a Beta prior needs a range within [0, 1] and a "
                              f"value strictly inside (got {item.value:g} in {item.low:g} to "
                              f"{item.high:g})"])
    return beta_parameters(item.value, item.low, item.high, item.name)


def lognormal_prior(item: UncertainInput) -> tuple[float, float]:
    """``(mu, sigma)`` of the normal prior of ``ln(parameter)``: median = the value.

    Raises
    ------
    propfee.errors.ParameterError
        If the value or the range's low is not positive.
    """
    if item.value <= 0 or item.low <= 0:
        raise ParameterError([f"{item.name}: an amount's prior needs a positive value and low "
                              f"(got {item.value:g} in {item.low:g} to {item.high:g})"])
    return math.log(item.value), lognormal_sigma(item.value, item.low, item.high)


def _two_sided(below_or_at: FloatArray, at_or_above: FloatArray) -> FloatArray:
    """``min(1, 2 min(P(X <= x), P(X >= x)))``."""
    return np.minimum(1.0, 2.0 * np.minimum(below_or_at, at_or_above))


@dataclass(frozen=True)
class _Update:
    prior: UncertainInput
    item: UncertainInput
    prior_q: tuple[float, float]
    tail: FloatArray
    expected: FloatArray
    observed: FloatArray


def _update_job_rate(item: UncertainInput, rows: pd.DataFrame, label: str) -> _Update:
    special, stats = _special(), _stats()
    count = rows["count"].to_numpy(dtype=np.float64)
    exposure = rows["exposure"].to_numpy(dtype=np.float64)
    if item.collapsed:  # a known rate: nothing to update, Poisson predictive
        mean = item.value * exposure
        tail = _two_sided(stats.poisson.cdf(count, mean), stats.poisson.sf(count - 1, mean))
        return _Update(item, item, (item.value, item.value), tail, mean, count)
    a0, b0 = gamma_prior(item)
    a1, b1 = a0 + count.sum(), b0 + exposure.sum()
    q05, q95 = (float(special.gammaincinv(a1, p)) / b1 for p in (0.05, 0.95))
    a_loo, b_loo = a1 - count, b1 - exposure
    p = b_loo / (b_loo + exposure)
    tail = _two_sided(stats.nbinom.cdf(count, a_loo, p), stats.nbinom.sf(count - 1, a_loo, p))
    prior_q = tuple(float(special.gammaincinv(a0, q)) / b0 for q in (0.05, 0.95))
    new = item.model_copy(update={
        "value": a1 / b1, "low": min(q05, a1 / b1), "high": max(q95, a1 / b1), "shape": "gamma",
        "reason": f"{label}: {len(rows)} counts, {count.sum():g} uses over an exposure of "
                  f"{exposure.sum():g}; prior: {item.reason}"})
    return _Update(item, new, (prior_q[0], prior_q[1]), tail, exposure * a_loo / b_loo, count)


def _update_rate(item: UncertainInput, rows: pd.DataFrame, label: str) -> _Update:
    special, stats = _special(), _stats()
    s = rows["successes"].to_numpy(dtype=np.float64)
    n = rows["trials"].to_numpy(dtype=np.float64)
    k = np.round(s)
    if item.collapsed:
        tail = _two_sided(stats.binom.cdf(k, n, item.value), stats.binom.sf(k - 1, n, item.value))
        return _Update(item, item, (item.value, item.value), tail, n * item.value, s)
    a0, b0 = beta_prior(item)
    a1, b1 = a0 + s.sum(), b0 + (n - s).sum()
    q05, q95 = (float(special.betaincinv(a1, b1, p)) for p in (0.05, 0.95))
    a_loo, b_loo = a1 - s, b1 - (n - s)
    tail = _two_sided(stats.betabinom.cdf(k, n, a_loo, b_loo),
                      stats.betabinom.sf(k - 1, n, a_loo, b_loo))
    prior_q = tuple(float(special.betaincinv(a0, b0, q)) for q in (0.05, 0.95))
    mean = a1 / (a1 + b1)
    new = item.model_copy(update={
        "value": mean, "low": min(q05, mean), "high": max(q95, mean), "shape": "beta",
        "reason": f"{label}: {s.sum():g} of {n.sum():g} over {len(rows)} rows; "
                  f"prior: {item.reason}"})
    return _Update(item, new, (prior_q[0], prior_q[1]), tail, n * a_loo / (a_loo + b_loo), s)


def _update_amount(item: UncertainInput, rows: pd.DataFrame, scatter: float,
                   label: str) -> _Update:
    special = _special()
    observed = rows["observed"].to_numpy(dtype=np.float64)
    exposure = rows["exposure"].to_numpy(dtype=np.float64)
    y = np.log(observed / exposure)
    mu0, sigma0 = lognormal_prior(item)
    if item.collapsed:
        z = (y - mu0) / scatter
        tail = _two_sided(special.ndtr(z), special.ndtr(-z))
        return _Update(item, item, (item.value, item.value), tail, exposure * item.value, observed)
    w0, w = 1.0 / sigma0**2, 1.0 / scatter**2
    precision = w0 + w * len(y)
    mu1 = (w0 * mu0 + w * y.sum()) / precision
    sigma1 = precision**-0.5
    loo_precision = precision - w
    loo_mu = (precision * mu1 - w * y) / loo_precision
    z = (y - loo_mu) / np.sqrt(1.0 / loo_precision + scatter**2)
    tail = _two_sided(special.ndtr(z), special.ndtr(-z))
    new = item.model_copy(update={
        "value": math.exp(mu1), "low": math.exp(mu1 - Z95 * sigma1),
        "high": math.exp(mu1 + Z95 * sigma1), "shape": "lognormal",
        "reason": f"{label}: {len(y)} amounts, log-scale scatter {scatter:g}; "
                  f"prior: {item.reason}"})
    prior_q = (math.exp(mu0 - Z95 * sigma0), math.exp(mu0 + Z95 * sigma0))
    return _Update(item, new, prior_q, tail, exposure * np.exp(loo_mu), observed)


@dataclass(frozen=True)
class Posterior:
    """The result of :func:`calibrate`.

    Attributes
    ----------
    inputs
        The calibrated inputs: value (the posterior mean; the median for amounts), low and
        high (the posterior's 5% and 95% quantiles) and shape (``gamma``, ``beta`` or
        ``lognormal``, which give that posterior back exactly when sampled).
    summary
        One row per calibrated input: ``quantity``, ``kind``, ``observations``,
        ``prior_value``, ``prior_q05``, ``prior_q95`` (the prior's 5-95% interval),
        ``value``, ``low``, ``high``, ``narrowing`` (``1 - new width / prior width``: 0.6
        means the interval is 60% narrower) and ``flagged`` (rows flagged).
    flags
        The observations the model cannot explain: ``kind``, ``line`` (the row as a
        spreadsheet shows it: the header is row 1), ``quantity``, ``compound_id``,
        ``observed``, ``expected`` (the leave-one-out predictive mean) and
        ``tail_probability``.
    predictive
        The same columns for every row, flagged or not.
    threshold
        Tail probability below which a row is flagged. [1]
    """

    inputs: tuple[UncertainInput, ...]
    summary: pd.DataFrame
    flags: pd.DataFrame
    predictive: pd.DataFrame = field(repr=False)
    threshold: float = 0.01

    def updated(self, prior: UncertainInputs) -> UncertainInputs:
        """``prior`` with the calibrated inputs in place of their priors: ready to sample."""
        return prior.replaced(self.inputs)


def calibrate(
    prior: UncertainInputs,
    observations: Observations,
    *,
    scatter: float | Mapping[str, float] = DEFAULT_SCATTER,
    threshold: float = 0.01,
    label: str = "calibrated",
) -> Posterior:
    """Update the ranges of ``prior`` with ``observations`` (see the module's docstring).

    Parameters
    ----------
    prior
        The uncertain inputs; every ``quantity`` of the observations must be one of them.
    observations
        The observed job counts, rates and amounts.
    scatter
        Log-scale standard deviation of amounts between compounds, one for all or per
        quantity. [1]
    threshold
        Flag a row whose two-sided tail probability is below it. [1]
    label
        Start of the calibrated inputs' ``reason``.

    Returns
    -------
    Posterior

    Raises
    ------
    propfee.errors.InputError
        Naming the row (its line and compound) and field of every bad observation: a
        missing column, a cell that is not a number, a negative or fractional count, more
        successes than trials, an amount of 0, a quantity that is not in ``prior``, or a
        quantity observed as two kinds.
    propfee.errors.ParameterError
        If a prior cannot be read as a Gamma, Beta or lognormal (see :func:`gamma_prior`).
    """
    scatters = scatter.values() if isinstance(scatter, Mapping) else [scatter]
    if not all(isinstance(x, int | float) and 0 < x < math.inf for x in scatters):
        raise ParameterError([f"scatter: must be more than 0 and finite (got {scatter!r})"])
    if not 0.0 < threshold < 1.0:
        raise ParameterError([f"threshold: must lie between 0 and 1 (got {threshold!r})"])
    known = set(prior.names)
    tables = {kind: _validated(kind, t, known) for kind, t in observations.tables().items()}
    kinds: dict[str, str] = {}
    problems = []
    for kind, table in tables.items():
        for k, quantity in enumerate(table["quantity"]):
            if kinds.setdefault(quantity, kind) != kind:
                problems.append(Problem(str(_cell(table, k, "compound_id")), "quantity",
                                        quantity, f"already observed as {kinds[quantity]}",
                                        line=k + 2))
    if problems:
        raise InputError(problems, what="observations")
    updates: list[tuple[str, str, int, _Update, pd.DataFrame]] = []
    for kind, table in tables.items():
        for quantity, rows in table.groupby("quantity", sort=False):
            item = prior.get(str(quantity))
            if kind == "job_counts":
                update = _update_job_rate(item, rows, label)
            elif kind == "rates":
                update = _update_rate(item, rows, label)
            else:
                s = scatter.get(str(quantity), DEFAULT_SCATTER) if isinstance(
                    scatter, Mapping) else scatter
                update = _update_amount(item, rows, float(s), label)
            updates.append((kind, str(quantity), len(rows), update, rows))
    return _posterior(updates, threshold)


def _posterior(updates: list[tuple[str, str, int, _Update, pd.DataFrame]],
               threshold: float) -> Posterior:
    summary, predictive = [], []
    for kind, quantity, n, u, rows in updates:
        lines = rows.index.to_numpy() + 2
        flagged = u.tail < threshold
        for k in range(n):
            predictive.append((kind, int(lines[k]), quantity, str(rows["compound_id"].iloc[k]),
                               float(u.observed[k]), float(u.expected[k]), float(u.tail[k])))
        prior_width = u.prior_q[1] - u.prior_q[0]
        width = u.item.high - u.item.low
        narrowing = 0.0 if prior_width == 0 else 1.0 - width / prior_width
        summary.append((quantity, kind, n, u.prior.value, u.prior_q[0], u.prior_q[1],
                        u.item.value, u.item.low, u.item.high, narrowing, int(flagged.sum())))
    columns = ["kind", "line", "quantity", "compound_id", "observed", "expected",
               "tail_probability"]
    table = pd.DataFrame(predictive, columns=columns)
    summary_frame = pd.DataFrame(summary, columns=[
        "quantity", "kind", "observations", "prior_value", "prior_q05", "prior_q95", "value",
        "low", "high", "narrowing", "flagged"])
    inputs = tuple(u.item for *_, u, _ in updates)
    flags = table[table["tail_probability"] < threshold].reset_index(drop=True)
    return Posterior(inputs, summary_frame, flags, table, threshold)
