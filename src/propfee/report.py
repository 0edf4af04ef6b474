"""Summary tables built from result DataFrames (grouped with pandas, never a Python loop)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.core.groupby import DataFrameGroupBy

__all__ = ["SIZE_CLASS_EDGES", "size_class", "summarise_baseline"]

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
    total = agg(df.groupby(lambda _: "all"))
    out = pd.concat([by_class, total])
    out.index.name = "households"
    return out.round(2)
