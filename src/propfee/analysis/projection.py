"""Multi-year projection of the compound fund pool, like a reserve study.

Year ``t = 1..T`` (year 1 is the budget year). With indices
``W_t = (1 + wage_growth)^(t-1)``, ``P_t = (1 + inflation)^(t-1)``,
``F_t = (1 + fee_rate_growth)^(t-1)``, ``G_t = (1 + public_income_growth)^(t-1)``::

    inflow_t  = fee_billed x collection_rate x F_t + sum_s income_s,t x G_t
    outflow_t = staff_t x W_t + (other_t + sum_j uses_j,t x price_j) x P_t
                + replacements_t x P_t + one_offs_t
    B_t       = B_{t-1} x (1 + interest_rate) + inflow_t - outflow_t,   B_0 = opening balance

Year 1's flows are the budget's before its lines are rounded to the fen, so with no
growth, interest or opening balance its ``net`` is the budget's pool balance up to that
rounding: at most half a fen per fund-pool line of the compound.

Devices are taken as installed at the start of year 1 (by the renovation programme or the
pool); each is replaced, at its capital cost in that year's prices, at the start of years
``floor(k x life) + 1`` within the horizon, paid by ``replacement_funder``. Interest is
credited on positive and charged on negative balances at the same rate.

Funding goals (reserve practice), for a steady extra contribution ``C`` paid into the pool
every year: ``B_t(C) = B_t(0) + C x A_t`` with ``A_t = sum_{s=1..t} (1 + i)^(t-s)``::

    baseline  (never below zero):   C = max(0, max_t (-B_t(0) / A_t))
    threshold (never below a floor): C = max(0, max_t ((floor - B_t(0)) / A_t))

As a fee rate: a rise ``d`` of the fee rate grows with the rate (``F_t``) and is collected
at the collection rate, so it adds ``d x K x A'_t`` to ``B_t``, with
``K = floor_area_m2 x 12 x collection_rate`` and ``A'_t = sum_{s=1..t} (1 + i)^(t-s) F_s``
(``A'_t = A_t`` when the rate does not grow)::

    d    = max(0, max_t ((goal - B_t(0)) / (K x A'_t)))      goal 0 or the floor
    rate = rate + d       (a compound that collects nothing: its own rate where d = 0,
                           infinite where a rise is needed)

The same :func:`pool_paths` runs the Monte Carlo, draw by draw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from propfee.analysis.components import Components, year_components
from propfee.compound import CompoundTable
from propfee.errors import InputError, Problem
from propfee.params import ParameterSet
from propfee.plan import Plan
from propfee.reserve.schedule import renewal_schedule

__all__ = ["OneOff", "Projection", "ProjectionSettings", "funding_fee_rates", "pool_paths",
           "project"]

FloatArray = npt.NDArray[np.float64]
Growth = Annotated[float, Field(ge=-0.5, le=1.0, allow_inf_nan=False)]


class OneOff(BaseModel):
    """A one-off item paid from the pool (a special repair) or into it (a grant, negative).

    Attributes
    ----------
    year
        Year of the horizon, 1 = the budget year. [year]
    amount_yuan
        Amount paid out of the pool (negative: paid in). [yuan]
    compound_id
        The compound; ``None``: every compound.
    label
        What it is.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    year: Annotated[int, Field(ge=1)]
    amount_yuan: Annotated[float, Field(allow_inf_nan=False)]
    compound_id: str | None = None
    label: str = ""


class ProjectionSettings(BaseModel):
    """Assumptions of a multi-year projection.

    Attributes
    ----------
    horizon_years
        Number of years. [year]
    wage_growth_rate
        Annual growth of wages (and of the shadow wage). [1/year]
    price_inflation_rate
        Annual growth of prices (everything the pool buys but staff). [1/year]
    public_income_growth_rate
        Annual growth of public income (leases and parking fees are usually fixed in
        nominal terms for years). [1/year]
    fee_rate_growth_rate
        Annual growth of the fee rate. [1/year]
    interest_rate
        Interest on the pool balance. [1/year]
    opening_balance_yuan
        Pool balance at the start of year 1, per compound. [yuan]
    one_offs
        One-off items.
    replace_devices
        Schedule device replacements at the end of their service lives.
    replacement_funder
        Who pays replacements: ``"fund_pool"`` or ``"renovation_programme"``.
    threshold_floor_yuan
        The floor of the threshold funding goal. [yuan]
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    horizon_years: Annotated[int, Field(ge=1, le=100)] = 10
    wage_growth_rate: Growth = 0.05
    price_inflation_rate: Growth = 0.02
    public_income_growth_rate: Growth = 0.0
    fee_rate_growth_rate: Growth = 0.0
    interest_rate: Annotated[float, Field(ge=0.0, le=0.5, allow_inf_nan=False)] = 0.015
    opening_balance_yuan: Annotated[float, Field(allow_inf_nan=False)] = 0.0
    one_offs: Annotated[tuple[OneOff, ...], Field(strict=False)] = ()
    replace_devices: bool = True
    replacement_funder: Literal["fund_pool", "renovation_programme"] = "fund_pool"
    threshold_floor_yuan: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 10000.0


def _replacements(comp: Components, settings: ProjectionSettings) -> FloatArray:
    t_count, n = comp.staff_yuan.shape
    if (not settings.replace_devices or settings.replacement_funder != "fund_pool"
            or not comp.device_capital_yuan):
        return np.zeros((t_count, n))
    names = list(comp.device_capital_yuan)
    capital = np.stack([comp.device_capital_yuan[k] for k in names], axis=-1)
    life = np.stack([comp.device_life_years[k] for k in names], axis=-1)
    # The reserve study's schedule engine: installed at the start of year 1 (time 0).
    counts = renewal_schedule(0.0, life, t_count).counts  # (years, compounds, devices)
    out: FloatArray = np.sum(counts * capital, axis=-1)
    return out


def _one_offs(comp: Components, settings: ProjectionSettings) -> FloatArray:
    t_count, n = comp.staff_yuan.shape
    out = np.zeros((t_count, n))
    index = pd.Index(comp.ids)
    problems = []
    for item in settings.one_offs:
        if item.year > t_count:
            problems.append(Problem(item.compound_id, "one_offs.year", item.year,
                                    f"beyond the {t_count}-year horizon"))
            continue
        if item.compound_id is None:
            out[item.year - 1] += item.amount_yuan
            continue
        pos = index.get_indexer(pd.Index([item.compound_id]))[0]
        if pos < 0:
            problems.append(Problem(item.compound_id, "one_offs.compound_id", item.compound_id,
                                    "not a compound of the district"))
            continue
        out[item.year - 1, pos] += item.amount_yuan
    if problems:
        raise InputError(problems, what="projection settings")
    return out


def pool_paths(
    comp: Components,
    settings: ProjectionSettings,
    *,
    staff_yuan: FloatArray | None = None,
    other_yuan: FloatArray | None = None,
    wage_index: FloatArray | None = None,
    collection_rate: FloatArray | None = None,
    job_uses: dict[str, FloatArray] | None = None,
    income_scale: dict[str, FloatArray] | None = None,
) -> dict[str, FloatArray]:
    """Cash flows and pool balances for a batch of draws ``(draws, years, compounds)``.

    Every keyword overrides one input for the Monte Carlo; left out, the deterministic
    value of ``comp`` is used (one draw).

    Parameters
    ----------
    comp
        Year components.
    settings
        Growth rates, interest, opening balance, one-offs, replacements.
    staff_yuan, other_yuan
        ``(draws, years, compounds)`` in constant prices. [yuan/year]
    wage_index
        ``(draws, years)``. [1]
    collection_rate
        ``(draws, compounds)``. [1]
    job_uses
        Job -> ``(draws, years, compounds)``. [uses/year]
    income_scale
        Source -> ``(draws, compounds)`` multiplier of its income. [1]

    Returns
    -------
    dict
        ``fee_income``, ``public_income``, ``staff``, ``other``, ``jobs``,
        ``replacements``, ``one_offs``, ``interest``, ``net``, ``balance``, each
        ``(draws, years, compounds)`` in nominal yuan. [yuan/year] ([yuan] for balance)
    """
    t_count, n = comp.staff_yuan.shape
    t = np.arange(t_count)
    price = (1.0 + settings.price_inflation_rate) ** t
    fee_idx = (1.0 + settings.fee_rate_growth_rate) ** t
    income_idx = (1.0 + settings.public_income_growth_rate) ** t
    staff = comp.staff_yuan[None] if staff_yuan is None else staff_yuan
    other = comp.other_yuan[None] if other_yuan is None else other_yuan
    wage = ((1.0 + settings.wage_growth_rate) ** t)[None] if wage_index is None else wage_index
    coll = comp.collection_rate[None] if collection_rate is None else collection_rate
    d = max(staff.shape[0], other.shape[0], wage.shape[0], coll.shape[0])
    fee_income = comp.fee_billed_yuan[None, None, :] * coll[:, None, :] * fee_idx[None, :, None]
    public = np.zeros((1, t_count, n))
    for name, value in comp.income_yuan.items():
        if income_scale is not None and name in income_scale:
            public = public + value[None] * income_scale[name][:, None, :]
        else:
            public = public + value[None]
    public = public * income_idx[None, :, None]
    jobs = np.zeros((1, t_count, n))
    for name, price_per_use in comp.job_price_yuan.items():
        uses = comp.job_uses[name][None] if job_uses is None else job_uses[name]
        jobs = jobs + uses * price_per_use[None, None, :]
    jobs = jobs * price[None, :, None]
    staff_n = staff * wage[:, :, None]
    other_n = other * price[None, :, None]
    repl = (_replacements(comp, settings) * price[:, None])[None]
    once = _one_offs(comp, settings)[None]
    net = fee_income + public - staff_n - other_n - jobs - repl - once
    net = np.broadcast_to(net, (d, t_count, n))
    balance = np.empty((d, t_count, n))
    interest = np.empty((d, t_count, n))
    previous = np.full((d, n), settings.opening_balance_yuan)
    for k in range(t_count):  # a loop over years, never over compounds
        interest[:, k] = previous * settings.interest_rate
        previous = previous + interest[:, k] + net[:, k]
        balance[:, k] = previous
    shape = (d, t_count, n)
    return {
        "fee_income": np.broadcast_to(fee_income, shape),
        "public_income": np.broadcast_to(public, shape),
        "staff": np.broadcast_to(staff_n, shape),
        "other": np.broadcast_to(other_n, shape),
        "jobs": np.broadcast_to(jobs, shape),
        "replacements": np.broadcast_to(repl, shape),
        "one_offs": np.broadcast_to(once, shape),
        "interest": interest,
        "net": net,
        "balance": balance,
    }


@dataclass(frozen=True)
class Projection:
    """A multi-year projection of every compound's fund pool.

    Attributes
    ----------
    flows
        Long table: one row per compound and year with ``fee_income_yuan``,
        ``public_income_yuan``, ``staff_yuan``, ``other_yuan``, ``jobs_yuan``,
        ``replacements_yuan``, ``one_offs_yuan``, ``interest_yuan``, ``net_yuan`` and
        ``balance_yuan`` (end of year). [yuan/year], balance [yuan]
    balance
        Balance at the end of each year: one row per compound, one column per year. [yuan]
    funding
        One row per compound: ``first_negative_year`` (calendar year, ``<NA>`` if never),
        ``baseline_contribution_yuan`` and ``threshold_contribution_yuan`` [yuan/year],
        ``baseline_fee_rate_yuan_per_m2_month`` and ``threshold_fee_rate_yuan_per_m2_month``
        [yuan/(m2 month)].
    """

    flows: pd.DataFrame
    balance: pd.DataFrame
    funding: pd.DataFrame

    def _repr_html_(self) -> str:
        return "<p>Fund-pool projection, district totals</p>" + self.district().to_html()

    def district(self) -> pd.DataFrame:
        """Every flow and the balance summed over the district, by year. [yuan]"""
        money = [c for c in self.flows.columns if c.endswith("_yuan")]
        return self.flows.groupby("year")[money].sum()


def funding_goals(
    balance: FloatArray, interest_rate: float, floor_yuan: float
) -> tuple[FloatArray, FloatArray]:
    """Steady yearly contributions meeting the baseline and threshold goals.

    Parameters
    ----------
    balance
        ``(years, compounds)`` balances without extra contribution. [yuan]
    interest_rate
        Interest on the pool. [1/year]
    floor_yuan
        Floor of the threshold goal. [yuan]

    Returns
    -------
    tuple of numpy.ndarray
        ``(baseline, threshold)`` contributions per compound. [yuan/year]
    """
    t_count = balance.shape[0]
    # A_t = sum_{s=1..t} (1 + i)^(t-s) = 1 + (1 + i) + ... + (1 + i)^(t-1)
    annuity = np.cumsum((1.0 + interest_rate) ** np.arange(t_count))
    base = np.maximum(0.0, np.max(-balance / annuity[:, None], axis=0))
    threshold = np.maximum(0.0, np.max((floor_yuan - balance) / annuity[:, None], axis=0))
    return base, threshold


def funding_fee_rates(
    balance: FloatArray, interest_rate: float, fee_rate_growth_rate: float,
    floor_yuan: float, collected_m2_months: FloatArray, rate_yuan_per_m2_month: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """The least fee rates meeting the baseline and threshold goals (module formulas).

    Parameters
    ----------
    balance
        ``(years, compounds)`` balances at the compound's own rate. [yuan]
    interest_rate
        Interest on the pool. [1/year]
    fee_rate_growth_rate
        Yearly growth of the fee rate, the rise with it. [1/year]
    floor_yuan
        Floor of the threshold goal. [yuan]
    collected_m2_months
        ``K = floor_area_m2 x 12 x collection_rate`` per compound. [m2 month/year]
    rate_yuan_per_m2_month
        Each compound's own fee rate. [yuan/(m2 month)]

    Returns
    -------
    tuple of numpy.ndarray
        ``(baseline, threshold)`` fee rates per compound. [yuan/(m2 month)]
    """
    t_count = balance.shape[0]
    growth = (1.0 + fee_rate_growth_rate) ** np.arange(t_count)
    reach = np.empty(t_count)  # A'_t = A'_{t-1} (1 + i) + F_t
    running = 0.0
    for t in range(t_count):
        running = running * (1.0 + interest_rate) + growth[t]
        reach[t] = running
    rates = []
    for goal in (0.0, floor_yuan):
        need = np.maximum(0.0, np.max((goal - balance) / reach[:, None], axis=0))
        with np.errstate(divide="ignore", invalid="ignore"):
            rise = np.where(need == 0.0, 0.0,
                            np.where(collected_m2_months > 0,
                                     need / collected_m2_months, np.inf))
        rates.append(rate_yuan_per_m2_month + rise)
    return rates[0], rates[1]


def project(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    settings: ProjectionSettings | None = None,
    *,
    overrides: pd.DataFrame | None = None,
    components: Components | None = None,
    progress: Callable[[float], None] | None = None,
) -> Projection:
    """Project every compound's fund pool over a horizon.

    Parameters
    ----------
    compounds
        A compound table.
    plan
        The 4+1 plan.
    params
        Parameter set of the first year.
    settings
        Growth, interest, opening balance, one-offs, device replacement.
    overrides
        Per-compound plan overrides.
    components
        Precomputed :func:`~propfee.analysis.components.year_components` (skips the
        kernel runs).
    progress
        Called after each year's kernel run with the share of the horizon done. [1]

    Returns
    -------
    Projection
    """
    settings = settings or ProjectionSettings()
    comp = components or year_components(compounds, plan, params,
                                         horizon_years=settings.horizon_years,
                                         overrides=overrides, progress=progress)
    if comp.staff_yuan.shape[0] != settings.horizon_years:
        raise InputError([Problem(None, "horizon_years", settings.horizon_years,
                                  "differs from the components' horizon")], what="projection")
    paths = {k: v[0] for k, v in pool_paths(comp, settings).items()}
    t_count, n = comp.staff_yuan.shape
    flows = pd.DataFrame({
        "compound_id": np.tile(comp.ids, t_count),
        "year": np.repeat(comp.years, n),
        **{f"{k}_yuan": v.reshape(-1) for k, v in paths.items()},
    })
    balance = pd.DataFrame(paths["balance"].T, index=pd.Index(comp.ids, name="compound_id"),
                           columns=comp.years)
    negative = paths["balance"] < 0
    first = np.where(negative.any(axis=0), comp.years[np.argmax(negative, axis=0)], -1)
    base, threshold = funding_goals(paths["balance"], settings.interest_rate,
                                    settings.threshold_floor_yuan)
    base_rate, thr_rate = funding_fee_rates(
        paths["balance"], settings.interest_rate, settings.fee_rate_growth_rate,
        settings.threshold_floor_yuan, comp.floor_area_m2 * 12.0 * comp.collection_rate,
        comp.rate_yuan_per_m2_month)
    funding = pd.DataFrame({
        "compound_id": comp.ids,
        "first_negative_year": pd.array(np.where(first >= 0, first, 0), dtype="Int64"),
        "baseline_contribution_yuan": base,
        "threshold_contribution_yuan": threshold,
        "baseline_fee_rate_yuan_per_m2_month": base_rate,
        "threshold_fee_rate_yuan_per_m2_month": thr_rate,
    })
    funding.loc[first < 0, "first_negative_year"] = pd.NA
    return Projection(flows, balance, funding)
