"""Summary tables built from result DataFrames (grouped with pandas, never a Python loop).

Money columns are summed in whole fen, so every total is exact. The HTML views for
notebooks live in :mod:`propfee.display`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.core.groupby import DataFrameGroupBy

from propfee.budget import DistrictBudget
from propfee.display import KEY_FIGURES, budget_html, district_html
from propfee.money import yuan_to_fen

__all__ = [
    "SIZE_CLASS_EDGES",
    "budget_html",
    "channel_contributions",
    "district_html",
    "key_figures",
    "payer_totals",
    "size_class",
    "summarise_baseline",
    "summarise_budget",
    "who_pays_table",
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

    return _by_size_class(
        df,
        compounds=("compound_id", "count"),
        in_deficit=("in_deficit", "sum"),
        households=("households", "sum"),
        total_annual_cost_yuan=("total_annual_cost_yuan", "sum"),
        fee_collected_yuan=("fee_collected_yuan", "sum"),
        balance_yuan=("balance_yuan", "sum"),
        median_break_even_rate_yuan_per_m2_month=(
            "break_even_rate_yuan_per_m2_month", "median"),
    ).round(2)


def _by_size_class(df: pd.DataFrame, **aggregations: tuple[str, str]) -> pd.DataFrame:
    """Named aggregations of ``df`` per ``size_class`` (every class, also empty ones)
    and over all rows (an ``all`` row), indexed by ``households_class``."""

    def agg(grouped: DataFrameGroupBy[Any, Any]) -> pd.DataFrame:
        return grouped.agg(**aggregations)

    by_class = agg(df.groupby("size_class", observed=False))
    by_class.index = by_class.index.astype(str)
    out = pd.concat([by_class, agg(df.assign(_all="all").groupby("_all"))])
    out.index.name = "households_class"
    return out


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
        (counts of compounds in deficit: the market baseline's balance, the pool balance
        below zero; a balance of exactly zero is not a deficit); ``baseline_deficit_yuan``
        (the market baseline's deficits), ``street_subsidy_yuan``, ``net_public_cost_yuan``,
        ``deficit_reduction_yuan`` [yuan/year, exact to the fen] and
        ``deficit_reduction_share`` = deficit reduction / baseline deficit [1], unrounded.
    """
    c = budget.compounds
    df = pd.DataFrame({
        "size_class": size_class(c["households"]),
        "compound_id": c["compound_id"],
        "baseline_in_deficit": c["market_baseline_balance_yuan"] < 0,
        "fourplusone_in_deficit": c["pool_balance_yuan"] < 0,
        "baseline_deficit_yuan": _fen(-c["market_baseline_balance_yuan"].clip(upper=0)),
        "street_subsidy_yuan": _fen(c["street_subsidy_yuan"]),
        "net_public_cost_yuan": _fen(c["net_public_cost_yuan"]),
        "deficit_reduction_yuan": _fen(c["deficit_reduction_yuan"]),
    })

    out = _by_size_class(
        df,
        compounds=("compound_id", "count"),
        baseline_in_deficit=("baseline_in_deficit", "sum"),
        fourplusone_in_deficit=("fourplusone_in_deficit", "sum"),
        baseline_deficit_yuan=("baseline_deficit_yuan", "sum"),
        street_subsidy_yuan=("street_subsidy_yuan", "sum"),
        net_public_cost_yuan=("net_public_cost_yuan", "sum"),
        deficit_reduction_yuan=("deficit_reduction_yuan", "sum"),
    )
    for column in ("baseline_deficit_yuan", "street_subsidy_yuan", "net_public_cost_yuan",
                   "deficit_reduction_yuan"):
        out[column] = out[column] / 100.0  # sums of whole fen: exact
    with np.errstate(invalid="ignore", divide="ignore"):
        out["deficit_reduction_share"] = (
            out["deficit_reduction_yuan"] / out["baseline_deficit_yuan"]
        )
    return out


def _fen(values: pd.Series) -> pd.Series:
    """A money column in whole fen (int64), so that its sums are exact."""
    return pd.Series(yuan_to_fen(values.to_numpy(dtype=np.float64)), index=values.index)


def key_figures(budget: DistrictBudget) -> pd.DataFrame:
    """The district's key figures: fee, income, cost, pool balance, subsidy, net public
    cost, the market baseline's balance and the deficit reduction.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.

    Returns
    -------
    pandas.DataFrame
        Columns ``item`` (a column name of ``budget.compounds``, in the order of
        :data:`propfee.display.KEY_FIGURES`) and ``yuan``, the district's total of that
        column, exact to the fen [yuan/year].
    """
    totals = budget.district_totals()
    rows = [(k, float(totals[k])) for k in KEY_FIGURES]
    return pd.DataFrame(rows, columns=["item", "yuan"])


def who_pays_table(budget: DistrictBudget) -> pd.DataFrame:
    """Who pays the district's total cost, adding up to it exactly. [yuan/year]

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.

    Returns
    -------
    pandas.DataFrame
        Columns ``payer`` (the names of :data:`propfee.payers.WHO_PAYS`, then ``total``)
        and ``yuan``: residents' fees, public income, the street subsidy (a transfer into
        the pool), less the surplus kept in the pool, street services, renovation
        capital, volunteers' time; the rows above ``total`` sum exactly to it, which is
        the district's ``total_cost_yuan``. [yuan/year]
    """
    who = budget.who_pays()
    rows = [*who.items(), ("total", budget.district_totals()["total_cost_yuan"])]
    return pd.DataFrame(rows, columns=["payer", "yuan"])


def payer_totals(budget: DistrictBudget) -> pd.DataFrame:
    """What each payer of the lines bears over the district. [yuan/year]

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.

    Returns
    -------
    pandas.DataFrame
        Columns ``payer`` (code: ``fund_pool``, ``street_office``,
        ``renovation_programme``, ``volunteers_in_kind``) and ``yuan``; they sum to the
        total cost. Who fills the fund pool is :func:`who_pays_table`. [yuan/year]
    """
    totals = budget.district_totals()
    rows = [(c.removeprefix("paid_by_").removesuffix("_yuan"), float(totals[c]))
            for c in totals.index if c.startswith("paid_by_")]
    return pd.DataFrame(rows, columns=["payer", "yuan"])


def channel_contributions(budget: DistrictBudget) -> pd.DataFrame:
    """How much each channel moved the district's pool balance (its channel credit).

    Returns
    -------
    pandas.DataFrame
        One row per step: ``market baseline`` (the balance with every channel off: a
        market company alone for each compound, :mod:`propfee.baseline`), each channel,
        ``4+1 pool balance``; column ``yuan`` [yuan/year] (the channel rows add up
        exactly to the change). The credit is the budget's
        :meth:`~propfee.budget.DistrictBudget.channel_credit`, computed now if the
        evaluation did not.
    """
    credit = budget.channel_credit()
    steps = ["shared_property", "self_governance", "street_fallback", "smart_devices",
             "public_income"]

    def total(column: str) -> float:
        return int(yuan_to_fen(credit[column].to_numpy()).sum()) / 100.0

    rows = [("market baseline", total("market_baseline_balance_yuan"))]
    rows += [(s, total(f"contribution_{s}_yuan")) for s in steps]
    rows.append(("4+1 pool balance", budget.district_totals()["pool_balance_yuan"]))
    return pd.DataFrame(rows, columns=["step", "yuan"]).set_index("step")


