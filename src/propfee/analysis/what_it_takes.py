"""What it would take: the value of one input that brings a fund pool to zero.

Unlike :func:`propfee.analysis.break_even` (each compound alone in its own contract),
this runs the plan as it is, bundles included, and answers per compound or per
bundle (the bundle's members pooling their balances, one value for all of them),
holding every other input fixed. With ``cash`` the cash cost, ``income`` the public
income, ``billed`` the fee billed, ``coll`` the collection rate and ``area`` the
floor area, summed over the members of the unit ([yuan/year])::

    fee_rate_yuan_per_m2_month  = (cash - income) / sum(area x 12 x coll)
    collection_rate             = (cash - income) / sum(billed)
    public_income_yuan          = cash - fee collected            (the income needed)
    volunteer_hours_per_week    = the least weekly volunteer hours (every task in its
                                  plan share) for which the balance is >= 0, found by
                                  bisection on a multiplier m of today's supply:
                                  hours = m x today's hours

Each value is ``nan`` where it cannot be reached (``collection_rate`` above 1;
volunteers who already meet every role they can take and still leave a deficit; no
volunteers at all today). A unit that already balances needs what it has today
(``fee_rate`` and ``collection_rate`` below today's values are reported as they are).
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.budget.kernel import budget_arrays
from propfee.channels.self_governance import WEEKS_PER_YEAR, supply_hours_year
from propfee.compound import CompoundTable, validate_compounds
from propfee.fees import annual_fee_billed_yuan, effective_fee_inputs
from propfee.money import yuan_to_fen
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, default_plan, resolve_plan

__all__ = ["what_it_would_take"]

FloatArray = npt.NDArray[np.float64]

_MAX_MULTIPLIER: Final = 1000.0
_STEPS: Final = 40


def what_it_would_take(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    by: Literal["compound", "bundle"] = "compound",
    overrides: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The fee rate, collection rate, public income or volunteer hours that balance a pool.

    Parameters
    ----------
    compounds
        A compound table.
    plan
        The 4+1 plan; defaults to :func:`propfee.plan.default_plan`.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    by
        ``"compound"``: each compound's own pool; ``"bundle"``: the members of each
        shared-property contract pool their balances.
    overrides
        Per-compound plan overrides.

    Returns
    -------
    pandas.DataFrame
        One row per compound (index ``compound_id``) or bundle (index ``bundle_id``):
        ``pool_balance_yuan`` [yuan/year] and, for each input, today's value
        (``current_*``) and the value that balances the pool:
        ``fee_rate_yuan_per_m2_month`` [yuan/(m2 month)], ``collection_rate`` [1],
        ``public_income_yuan`` [yuan/year], ``volunteer_hours_per_week`` [h/week].
    """
    plan = plan or default_plan()
    params = params or default_parameters()
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    resolved = resolve_plan(plan, table, overrides)
    n = len(table)
    if by == "compound":
        unit, labels = np.arange(n), pd.Index(table.frame["compound_id"], name="compound_id")
    elif by == "bundle":
        unit = resolved.bundle_code
        labels = pd.Index(resolved.bundle_ids, name="bundle_id")
    else:
        raise ValueError(f"by must be 'compound' or 'bundle', got {by!r}")
    k = len(labels)

    def total(values: FloatArray) -> FloatArray:
        return np.bincount(unit, weights=values, minlength=k).astype(np.float64)

    rate, coll = effective_fee_inputs(table, params)
    area = table.array("floor_area_m2")
    billed = annual_fee_billed_yuan(area, rate)
    fees = billed * coll

    def balance(multiplier: FloatArray | float) -> FloatArray:
        out = budget_arrays(table, resolved, params, volunteer_multiplier=multiplier)
        fen = yuan_to_fen(fees) + yuan_to_fen(out.public_income_yuan) - out.cash_fen()
        return total(fen / 100.0)

    out = budget_arrays(table, resolved, params)
    cash = total(out.cash_fen() / 100.0)
    income = total(out.public_income_yuan)
    need = cash - income
    with np.errstate(divide="ignore", invalid="ignore"):
        fee_rate = need / total(area * 12.0 * coll)
        coll_needed = need / total(billed)
        current_rate = total(area * rate) / total(area)
        current_coll = total(fees) / total(billed)
    coll_needed = np.where(coll_needed > 1.0, np.nan, coll_needed)
    party = table.array("party_members")
    households = table.array("households")
    party = np.where(np.isnan(party),
                     households * params.quantities.party_members_per_household, party)
    hours_week = total(supply_hours_year(plan.self_governance, households, party)
                       * sum(t.share for t in plan.self_governance.items)) / WEEKS_PER_YEAR
    today = balance(1.0)
    low, high = np.zeros(k), np.full(k, _MAX_MULTIPLIER)
    reach = balance(high[unit]) >= 0
    for _ in range(_STEPS):
        mid = (low + high) / 2.0
        ok = balance(mid[unit]) >= 0
        high = np.where(ok, mid, high)
        low = np.where(ok, low, mid)
    multiplier = np.where(today >= 0, np.minimum(high, 1.0), high)
    volunteer = np.where(reach & (hours_week > 0), multiplier * hours_week, np.nan)
    volunteer = np.where(today >= 0, hours_week, volunteer)
    return pd.DataFrame({
        "pool_balance_yuan": today,
        "current_fee_rate_yuan_per_m2_month": current_rate,
        "fee_rate_yuan_per_m2_month": fee_rate,
        "current_collection_rate": current_coll,
        "collection_rate": coll_needed,
        "current_public_income_yuan": income,
        "public_income_yuan": np.maximum(cash - total(fees), 0.0),
        "current_volunteer_hours_per_week": hours_week,
        "volunteer_hours_per_week": volunteer,
    }, index=labels)
