"""Summary tables built from result DataFrames (grouped with pandas, never a Python loop),
and their HTML for notebooks (:func:`budget_html`, :func:`district_html`)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import Any, Final

import numpy as np
import pandas as pd
from pandas.core.groupby import DataFrameGroupBy

from propfee.budget import BudgetResult, DistrictBudget
from propfee.labels import Language, label
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

    out = _by_size_class(
        df,
        compounds=("compound_id", "count"),
        baseline_in_deficit=("baseline_in_deficit", "sum"),
        fourplusone_in_deficit=("fourplusone_in_deficit", "sum"),
        baseline_deficit_yuan=("baseline_deficit_yuan", "sum"),
        street_subsidy_yuan=("street_subsidy_yuan", "sum"),
        deficit_reduction_yuan=("deficit_reduction_yuan", "sum"),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        out["deficit_reduction_share"] = (
            out["deficit_reduction_yuan"] / out["baseline_deficit_yuan"]
        )
    return out.round(2)


_KEY_FIGURES: Final[tuple[str, ...]] = (
    "fee_collected_yuan", "public_income_yuan", "total_cost_yuan", "compound_cash_cost_yuan",
    "pool_balance_yuan", "street_subsidy_yuan", "street_total_yuan", "net_public_cost_yuan",
    "baseline_balance_yuan", "deficit_reduction_yuan",
)


def key_figures(budget: DistrictBudget) -> pd.DataFrame:
    """The district's key figures: fee, income, cost, pool balance, subsidy, net public cost.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.

    Returns
    -------
    pandas.DataFrame
        Columns ``item`` (a column name of ``budget.compounds``) and ``yuan``, the
        district's total of that column, exact to the fen [yuan/year]; items the budget
        does not have (``net_public_cost_yuan`` in older results) are left out.
    """
    totals = budget.district_totals()
    rows = [(k, float(totals[k])) for k in _KEY_FIGURES if k in totals.index]
    return pd.DataFrame(rows, columns=["item", "yuan"])


def payer_totals(budget: DistrictBudget) -> pd.DataFrame:
    """What each payer bears over the district, and the street subsidy. [yuan/year]

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.

    Returns
    -------
    pandas.DataFrame
        Columns ``payer`` (code) and ``yuan`` [yuan/year]: one row per ``paid_by_*``
        column, then ``street_subsidy``.
    """
    totals = budget.district_totals()
    rows = [(c.removeprefix("paid_by_").removesuffix("_yuan"), float(totals[c]))
            for c in totals.index if c.startswith("paid_by_")]
    rows.append(("street_subsidy", float(totals.get("street_subsidy_yuan", 0.0))))
    return pd.DataFrame(rows, columns=["payer", "yuan"])


def channel_contributions(budget: DistrictBudget) -> pd.DataFrame:
    """How much each channel moved the district's pool balance (its channel credit).

    Returns
    -------
    pandas.DataFrame
        One row per step: ``no channel`` (the balance with every channel off: a market
        company alone for each compound, see :mod:`propfee.budget`), each channel,
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

    rows = [("no channel", total("channel_base_balance_yuan"))]
    rows += [(s, total(f"contribution_{s}_yuan")) for s in steps]
    rows.append(("4+1 pool balance", budget.district_totals()["pool_balance_yuan"]))
    return pd.DataFrame(rows, columns=["step", "yuan"]).set_index("step")


_CHANNEL_STEPS = ("shared_property", "self_governance", "street_fallback", "smart_devices",
                  "public_income")
_STYLE = (
    "<style>"
    ".propfee-report table{border-collapse:collapse;margin:0.3em 1.5em 0.8em 0;"
    "font-size:0.9em}"
    ".propfee-report th,.propfee-report td{padding:2px 8px;border-bottom:1px solid #ddd}"
    ".propfee-report td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".propfee-report td.neg{color:#b00020}"
    ".propfee-report .block{display:inline-block;vertical-align:top}"
    ".propfee-report caption{text-align:left;font-weight:bold}"
    "</style>"
)


def _money(value: float) -> str:
    return f"{value:,.2f}".replace("-", "\u2212")


def _unit(lang: Language, per_year: bool = True) -> str:
    if lang == "zh":
        return "元/年" if per_year else "元"
    return "yuan/year" if per_year else "yuan"


def _plain(code: str, lang: Language) -> str:
    return label(code, lang).removesuffix(" [yuan/year]").removesuffix("（元/年）")


def _rows_html(caption: str, rows: Iterable[tuple[str, float | None]], lang: Language) -> str:
    """A two-column table: name, amount [yuan/year], negative amounts in red."""
    body = []
    for name, value in rows:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        cls = "num neg" if value < 0 else "num"
        body.append(f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
                    f"<td class='{cls}'>{_money(value)}</td></tr>")
    head = (f"<tr><th></th><th style='text-align:right'>"
            f"{'金额' if lang == 'zh' else 'Amount'}（{_unit(lang)}）</th></tr>"
            if lang == "zh" else
            f"<tr><th></th><th style='text-align:right'>Amount [{_unit(lang)}]</th></tr>")
    return (f"<table class='block'><caption>{html.escape(caption)}</caption>{head}"
            f"{''.join(body)}</table>")


def _key_figures(values: dict[str, float | None], lang: Language) -> list[tuple[str, float | None]]:
    order = ("fee_collected_yuan", "public_income_yuan", "total_cost_yuan",
             "compound_cash_cost_yuan", "pool_balance_yuan", "street_subsidy_yuan",
             "street_total_yuan", "net_public_cost_yuan", "baseline_balance_yuan",
             "deficit_reduction_yuan")
    return [(_plain(k, lang), values.get(k)) for k in order if values.get(k) is not None]


def budget_html(result: BudgetResult, *, lang: Language = "en") -> str:
    """HTML summary of one compound's 4+1 budget, for a notebook.

    Shows the key figures (fee, public income, cost, pool balance, street subsidy, net
    public cost where the result has it, baseline balance), the channel credit, who pays,
    and the lines, labelled and formatted with thousands separators. Reads only public
    attributes of the result.

    Parameters
    ----------
    result
        Output of :func:`propfee.evaluate`.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str
        An HTML fragment. Amounts in [yuan/year].
    """
    values: dict[str, float | None] = {
        name: getattr(result, name, None) for name in (
            "fee_collected_yuan", "public_income_yuan", "total_cost_yuan",
            "compound_cash_cost_yuan", "pool_balance_yuan", "street_subsidy_yuan",
            "street_total_yuan", "net_public_cost_yuan", "baseline_balance_yuan",
            "deficit_reduction_yuan")
    }
    title = (f"小区 {result.compound_id} 的四管一补预算（{_unit(lang)}）" if lang == "zh"
             else f"4+1 budget of compound {result.compound_id} [{_unit(lang)}]")
    contributions: dict[str, float] = getattr(result, "contributions", None) or {}
    by_payer: dict[str, float] = getattr(result, "by_payer", None) or {}
    credit = [(label(k, lang), v) for k, v in contributions.items()]
    payers = [(_plain(k, lang), v) for k, v in by_payer.items()]
    lines = [(f"{label(line.line, lang)} · {label(line.payer, lang)}", line.amount_yuan)
             for line in getattr(result, "lines", ()) if line.amount_yuan]
    return (
        f"<div class='propfee-report'>{_STYLE}<p><b>{html.escape(title)}</b></p>"
        + _rows_html("关键数字" if lang == "zh" else "Key figures",
                     _key_figures(values, lang), lang)
        + _rows_html(label("chart_channel_credit", lang), credit, lang)
        + _rows_html("由谁承担" if lang == "zh" else "Who pays", payers, lang)
        + "<br>"
        + _rows_html("项目明细" if lang == "zh" else "Lines", lines, lang)
        + "</div>"
    )


_DISTRICT_COLUMNS = ("compound_id", "name", "bundle_id", "households", "total_cost_yuan",
                     "fee_collected_yuan", "public_income_yuan", "pool_balance_yuan",
                     "street_subsidy_yuan", "net_public_cost_yuan")


def district_html(budget: DistrictBudget, *, lang: Language = "en", rows: int = 10) -> str:
    """HTML summary of a district's 4+1 budget, for a notebook.

    Shows the district's key figures (pool balance, street subsidy, net public cost where
    the result has the column, baseline balance), how many compounds need a subsidy, the
    channel credit and who pays, then the first ``rows`` compounds with labelled columns
    and formatted numbers. Reads only the public ``compounds`` table and
    :meth:`~propfee.budget.DistrictBudget.district_totals`.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.
    lang
        ``"en"`` or ``"zh"``.
    rows
        Compounds shown in the table. [compounds]

    Returns
    -------
    str
        An HTML fragment. Amounts in [yuan/year].
    """
    c = budget.compounds
    totals = budget.district_totals()
    values: dict[str, float | None] = {str(k): float(v) for k, v in totals.items()}
    n = len(c)
    subsidised = int((c["street_subsidy_yuan"] > 0).sum()) if "street_subsidy_yuan" in c else 0
    households = int(c["households"].sum()) if "households" in c else 0
    title = (f"四管一补预算：{n:,} 个小区，{households:,} 户；{subsidised:,} 个小区需要街道补贴"
             f"（金额单位：{_unit(lang)}）" if lang == "zh" else
             f"4+1 budget: {n:,} compounds, {households:,} households; {subsidised:,} need a "
             f"street subsidy (amounts in {_unit(lang)})")
    credit = [(label(s, lang), values.get(f"contribution_{s}_yuan")) for s in _CHANNEL_STEPS]
    payers = [(_plain(k.removeprefix("paid_by_").removesuffix("_yuan"), lang), v)
              for k, v in values.items() if k.startswith("paid_by_")]
    shown = [col for col in _DISTRICT_COLUMNS if col in c.columns]
    head = c[shown].head(rows)
    header = "".join(f"<th>{html.escape(label(col, lang))}</th>" for col in shown)
    body = []
    for record in head.itertuples(index=False):
        cells = []
        for col, value in zip(shown, record, strict=True):
            if col.endswith("_yuan"):
                cls = "num neg" if value < 0 else "num"
                cells.append(f"<td class='{cls}'>{_money(float(value))}</td>")
            elif isinstance(value, int | np.integer):
                cells.append(f"<td class='num'>{int(value):,}</td>")
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    more = (f"<p>… {n - rows:,} {'个小区未显示' if lang == 'zh' else 'more compounds'}</p>"
            if n > rows else "")
    return (
        f"<div class='propfee-report'>{_STYLE}<p><b>{html.escape(title)}</b></p>"
        + _rows_html("关键数字" if lang == "zh" else "Key figures",
                     _key_figures(values, lang), lang)
        + _rows_html(label("chart_channel_credit", lang), credit, lang)
        + _rows_html("由谁承担" if lang == "zh" else "Who pays", payers, lang)
        + f"<table><tr>{header}</tr>{''.join(body)}</table>{more}</div>"
    )
