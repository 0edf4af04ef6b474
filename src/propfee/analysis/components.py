"""Year-by-year budget components, the input of projections and Monte Carlo.

The 4+1 kernel is run once per year of the horizon, with building ages advanced, so
that the jobs of the catalogue grow as buildings age. Each year's compound cash is
split by what drives its growth::

    staff     standing posts, informal hires, live-in pay,   grows with wages
              staff bought at market and the market
              company's overhead, margin and taxes
    in_kind   volunteer time at the shadow wage (not cash)   grows with wages
    other     every other line paid by the pool              grows with prices
              (annualised device capital excluded: replacements are scheduled instead)
    jobs      per job: expected uses x the price per use     grows with prices
              the compound pays on average (shared company
              and market; volunteers' uses are free)
    street    street fallback lines (not compound cash)      grows with prices
    income    per source: net public income                  grows with prices
    fee       fee billed at the compound's rate, and its collection rate

All money in constant prices of the first year [yuan/year]; arrays are (years, compounds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.budget.kernel import budget_arrays
from propfee.channels.common import CREDIT_CHANNELS
from propfee.compound import CompoundTable, validate_compounds
from propfee.fees import annual_fee_billed_yuan, effective_fee_inputs
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, PlanArrays, default_plan, resolve_plan

__all__ = ["Components", "year_components"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Components:
    """Budget components of every compound for every year of a horizon.

    Attributes
    ----------
    ids
        Compound ids.
    years
        Calendar years of the horizon.
    staff_yuan, in_kind_yuan, other_yuan, street_yuan
        ``(years, compounds)``. [yuan/year]
    job_uses
        Job -> expected uses ``(years, compounds)``. [uses/year]
    job_price_yuan
        Job -> discounted price per use ``(compounds,)``. [yuan/use]
    income_yuan
        Source -> net income ``(years, compounds)``. [yuan/year]
    income_is_parking
        Source -> whether it is counted per parking space.
    device_capital_yuan
        Device -> capital of all units ``(compounds,)``. [yuan]
    device_life_years
        Device -> service life ``(compounds,)``. [year]
    fee_billed_yuan
        Fee billed at the compound's rate ``(compounds,)``. [yuan/year]
    collection_rate
        Each compound's collection rate ``(compounds,)``. [1]
    floor_area_m2
        ``(compounds,)``. [m2]
    rate_yuan_per_m2_month
        Each compound's fee rate ``(compounds,)``. [yuan/(m2 month)]
    """

    ids: npt.NDArray[np.str_]
    years: npt.NDArray[np.int64]
    staff_yuan: FloatArray
    in_kind_yuan: FloatArray
    other_yuan: FloatArray
    street_yuan: FloatArray
    job_uses: dict[str, FloatArray]
    job_price_yuan: dict[str, FloatArray]
    income_yuan: dict[str, FloatArray]
    income_is_parking: dict[str, bool]
    device_capital_yuan: dict[str, FloatArray]
    device_life_years: dict[str, FloatArray]
    fee_billed_yuan: FloatArray
    collection_rate: FloatArray
    floor_area_m2: FloatArray
    rate_yuan_per_m2_month: FloatArray


def _shift(params: ParameterSet, years: int) -> ParameterSet:
    when = params.as_of
    moved = dt.date(when.year + years, when.month, min(when.day, 28))
    return params.model_copy(update={"as_of": moved})


def year_components(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    horizon_years: int = 10,
    overrides: pd.DataFrame | None = None,
    resolved: PlanArrays | None = None,
    progress: Callable[[float], None] | None = None,
) -> Components:
    """Run the 4+1 kernel for each year of a horizon and split the cash by growth driver.

    Parameters
    ----------
    compounds
        A compound table.
    plan
        The 4+1 plan; defaults to :func:`propfee.plan.default_plan`.
    params
        Parameter set of the first year.
    horizon_years
        Number of years. [year]
    overrides
        Per-compound plan overrides.
    resolved
        An already resolved plan (skips :func:`propfee.plan.resolve_plan`).
    progress
        Called after each year with the share of the horizon done. [1]

    Returns
    -------
    Components
    """
    plan = plan or default_plan()
    params = params or default_parameters()
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    resolved = resolved or resolve_plan(plan, table, overrides)
    n = len(table)
    shape = (horizon_years, n)
    staff, in_kind, other, street = (np.zeros(shape) for _ in range(4))
    job_uses: dict[str, FloatArray] = {}
    income: dict[str, FloatArray] = {}
    job_price: dict[str, FloatArray] = {}
    device_capital: dict[str, FloatArray] = {}
    device_life: dict[str, FloatArray] = {}
    for t in range(horizon_years):
        out = budget_arrays(table, resolved, _shift(params, t), CREDIT_CHANNELS)
        bill = {name: np.zeros(n) for name in params.jobs}
        for spec, value in out.lines.items():
            if spec.work in bill and spec.kind in ("per_use", "market"):
                bill[spec.work] = bill[spec.work] + value  # priced per use below
            elif spec.payer == "volunteers_in_kind":
                in_kind[t] += value
            elif spec.payer == "street_office":
                street[t] += value
            elif spec.kind in ("standing", "informal") or (
                    spec.kind == "market" and spec.work not in ("garbage", "lift")):
                staff[t] += value
            elif spec.kind == "capital" and spec.channel == "smart_devices":
                continue  # capital is scheduled as replacements, not annualised
            elif spec.payer == "fund_pool":
                other[t] += value
        for name, value in bill.items():
            uses = out.ledger.demand(name)
            job_uses.setdefault(name, np.zeros(shape))[t] = uses
            with np.errstate(divide="ignore", invalid="ignore"):
                job_price[name] = np.where(uses > 0, value / np.where(uses > 0, uses, 1), 0.0)
        for name, value in out.income_by_source.items():
            income.setdefault(name, np.zeros(shape))[t] = value
        if t == 0:
            device_capital = dict(out.device_capital_yuan)
            device_life = dict(out.device_life_years)
        if progress is not None:
            progress((t + 1) / horizon_years)
    rate, coll = effective_fee_inputs(table, params)
    floor = table.array("floor_area_m2")
    return Components(
        ids=table.ids,
        years=params.as_of.year + np.arange(horizon_years),
        staff_yuan=staff, in_kind_yuan=in_kind, other_yuan=other, street_yuan=street,
        job_uses=job_uses, job_price_yuan=job_price, income_yuan=income,
        income_is_parking={s.name: s.basis == "parking_space"
                           for s in plan.public_income.items},
        device_capital_yuan=device_capital, device_life_years=device_life,
        fee_billed_yuan=annual_fee_billed_yuan(floor, rate), collection_rate=coll,
        floor_area_m2=floor, rate_yuan_per_m2_month=rate,
    )
