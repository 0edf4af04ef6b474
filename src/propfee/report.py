"""Summary tables built from result DataFrames (grouped with pandas, never a Python loop)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.core.groupby import DataFrameGroupBy

from propfee.budget import DistrictBudget

__all__ = [
    "SIZE_CLASS_EDGES",
    "channel_contributions",
    "size_class",
    "summarise_baseline",
    "summarise_budget",
]

SIZE_CLASS_EDGES = (0, 100, 300, np.inf)
"""Household size classes of the summaries: [0, 100), [100, 300), [300, inf). [households]"""


def size_class(households: pd.Series) -> pd.Series:
    """Label each compound ``"<100"``, ``"100-299"`` or ``">=300"`` households."""
    return pd.cut(
        households, bins=list(SIZE_CLASS_EDGES), right=False,
        labels=["<100", "100-299", ">=300"],
    )


def summarise_baseline(baseline: pd.DataFrame) -> pd.DataFrame:
    """Baseline totals by household size class, plus an ``all`` row.

    Parameters
    ----------
    baseline
        Output of :func:`propfee.market_baseline_district`.

    Returns
    -------
    pandas.DataFrame
        Per class: ``compounds``, ``in_deficit`` (count), ``households``,
        ``total_annual_cost_yuan``, ``fee_collected_yuan``, ``balance_yuan``
        [yuan/year] and ``median_break_even_rate_yuan_per_m2_month`` [yuan/(m2 month)].
    """
    df = baseline.assign(
        size_class=size_class(baseline["households"]),
        in_deficit=baseline["balance_yuan"] < 0,
    )

    def agg(grouped: DataFrameGroupBy[Any, Any]) -> pd.DataFrame:
        return grouped.agg(
            compounds=("compound_id", "count"),
            in_deficit=("in_deficit", "sum"),
            households=("households", "sum"),
            total_annual_cost_yuan=("total_annual_cost_yuan", "sum"),
            fee_collected_yuan=("fee_collected_yuan", "sum"),
            balance_yuan=("balance_yuan", "sum"),
            median_break_even_rate_yuan_per_m2_month=(
                "break_even_rate_yuan_per_m2_month", "median"),
        )

    by_class = agg(df.groupby("size_class", observed=False))
    by_class.index = by_class.index.astype(str)
    total = agg(df.assign(_all="all").groupby("_all"))
    out = pd.concat([by_class, total])
    out.index.name = "households_class"
    return out.round(2)


def summarise_budget(budget: DistrictBudget) -> pd.DataFrame:
    """Market baseline and 4+1 side by side, by household size class, plus an ``all`` row.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.

    Returns
    -------
    pandas.DataFrame
        Per class: ``compounds``; ``baseline_in_deficit`` and ``fourplusone_in_deficit``
        (counts of compounds whose pool needs a street subsidy); ``baseline_deficit_yuan``;
        ``street_subsidy_yuan``; ``deficit_reduction_yuan`` [yuan/year] and
        ``deficit_reduction_share`` [1].
    """
    c = budget.compounds
    df = pd.DataFrame({
        "size_class": size_class(c["households"]),
        "compound_id": c["compound_id"],
        "baseline_in_deficit": c["baseline_balance_yuan"] < 0,
        "fourplusone_in_deficit": c["street_subsidy_yuan"] > 0,
        "baseline_deficit_yuan": (-c["baseline_balance_yuan"]).clip(lower=0),
        "street_subsidy_yuan": c["street_subsidy_yuan"],
        "deficit_reduction_yuan": c["deficit_reduction_yuan"],
    })

    def agg(grouped: DataFrameGroupBy[Any, Any]) -> pd.DataFrame:
        return grouped.agg(
            compounds=("compound_id", "count"),
            baseline_in_deficit=("baseline_in_deficit", "sum"),
            fourplusone_in_deficit=("fourplusone_in_deficit", "sum"),
            baseline_deficit_yuan=("baseline_deficit_yuan", "sum"),
            street_subsidy_yuan=("street_subsidy_yuan", "sum"),
            deficit_reduction_yuan=("deficit_reduction_yuan", "sum"),
        )

    by_class = agg(df.groupby("size_class", observed=False))
    by_class.index = by_class.index.astype(str)
    out = pd.concat([by_class, agg(df.assign(_all="all").groupby("_all"))])
    out.index.name = "households_class"
    with np.errstate(invalid="ignore", divide="ignore"):
        out["deficit_reduction_share"] = (
            out["deficit_reduction_yuan"] / out["baseline_deficit_yuan"]
        )
    return out.round(2)


def channel_contributions(budget: DistrictBudget) -> pd.DataFrame:
    """How much each channel moved the district's pool balance (its channel credit).

    Returns
    -------
    pandas.DataFrame
        One row per step: ``no channel`` (the balance with every channel off: a market
        company alone for each compound, see :mod:`propfee.budget`), each channel,
        ``4+1 pool balance``; column ``yuan`` [yuan/year] (the channel rows add up
        exactly to the change).
    """
    totals = budget.district_totals()
    steps = ["shared_property", "self_governance", "street_fallback", "smart_devices",
             "public_income"]
    start = totals.get("channel_base_balance_yuan", totals["baseline_balance_yuan"])
    rows = [("no channel", start)]
    rows += [(s, totals[f"contribution_{s}_yuan"]) for s in steps
             if f"contribution_{s}_yuan" in totals]
    rows.append(("4+1 pool balance", totals["pool_balance_yuan"]))
    return pd.DataFrame(rows, columns=["step", "yuan"]).set_index("step")
