"""Charts (optional extra ``plot``: matplotlib). Each function returns a matplotlib Figure.

Figures are built with :class:`matplotlib.figure.Figure` directly (no pyplot state), so
they render headless: ``fig.savefig("budget.png")``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from propfee._optional import require
from propfee.budget import BudgetResult, DistrictBudget
from propfee.channels.common import PAYERS
from propfee.labels import Language, label

__all__ = ["bundle_map", "grade_curve", "projection_lines", "waterfall", "who_pays"]


_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")


def _figure(size: tuple[float, float]) -> Any:
    figure = require("matplotlib.figure", feature="charts", extra="plot")
    return figure.Figure(figsize=size, layout="constrained")


def _language(lang: Language) -> tuple[Language, dict[str, Any]]:
    """The label language a chart can draw, and the font settings for it.

    Chinese labels need a CJK font (e.g. Debian's fonts-noto-cjk); without one the chart
    is labelled in English and a warning says so.
    """
    if lang != "zh":
        return lang, {}
    fm = require("matplotlib.font_manager", feature="charts", extra="plot")
    names = {f.name for f in fm.fontManager.ttflist}
    for font in _CJK_FONTS:
        if font in names:
            return "zh", {"fontfamily": font}
    import warnings

    warnings.warn("no CJK font found (install e.g. fonts-noto-cjk): chart labelled in English",
                  UserWarning, stacklevel=3)
    return "en", {}


def waterfall(result: BudgetResult, *, lang: Language = "en") -> Any:
    """Waterfall of one compound's 4+1 budget: income by source, cost by channel, balance.

    Bars rise for the fee collected and public income, fall for the cost each channel puts
    on the compound's cash (residents' fees and fund pool), and end at the pool balance;
    the street subsidy closes a negative balance. [yuan/year]
    """
    lang, font = _language(lang)
    cash: dict[str, float] = {}
    for line in result.lines:
        if line.payer in ("residents_fees", "fund_pool"):
            cash[line.channel] = cash.get(line.channel, 0.0) + line.amount_yuan
    steps = [(label("fee_collected_yuan", lang), result.fee_collected_yuan),
             (label("public_income_yuan", lang), result.public_income_yuan)]
    steps += [(label(ch, lang), -v) for ch, v in cash.items() if v]
    fig = _figure((8, 4.5))
    ax = fig.subplots()
    level = 0.0
    for i, (_, value) in enumerate(steps):
        ax.bar(i, value, bottom=level, color="tab:green" if value >= 0 else "tab:red")
        level += value
    ax.bar(len(steps), result.pool_balance_yuan, color="tab:blue")
    if result.street_subsidy_yuan > 0:
        ax.bar(len(steps) + 1, result.street_subsidy_yuan, bottom=result.pool_balance_yuan,
               color="tab:orange")
    names = [n for n, _ in steps] + [label("pool_balance_yuan", lang)]
    if result.street_subsidy_yuan > 0:
        names.append(label("street_subsidy_yuan", lang))
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", **font)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("yuan/year")
    ax.set_title(f"{result.compound_id}")
    return fig


def who_pays(budget: DistrictBudget, *, by: str = "zone", lang: Language = "en",
             top: int = 30) -> Any:
    """Stacked bars of who pays, per group of compounds (``street``, ``zone``, ``bundle_id``).

    Shows the ``top`` groups with the largest total cost. [yuan/year]
    """
    lang, font = _language(lang)
    totals = budget.totals_by(by)
    cols = [f"paid_by_{p}_yuan" for p in PAYERS]
    data = totals[cols].assign(_t=totals[cols].sum(axis=1)).nlargest(top, "_t")[cols]
    data = pd.concat([data, totals.loc[data.index, ["street_subsidy_yuan"]]], axis=1)
    fig = _figure((10, 4.5))
    ax = fig.subplots()
    bottom = np.zeros(len(data))
    for column in data.columns:
        values = data[column].to_numpy()
        ax.bar(np.arange(len(data)), values, bottom=bottom, label=label(column, lang))
        bottom += values
    ax.set_xticks(range(len(data)), [str(i) for i in data.index], rotation=90)
    ax.set_ylabel("yuan/year")
    if font:
        ax.legend(fontsize="small", prop={"family": font["fontfamily"]})
    else:
        ax.legend(fontsize="small")
    return fig


def projection_lines(projection: Any, *, compounds: list[str] | None = None,
                     lang: Language = "en") -> Any:
    """Fund-pool balance by year: the district total, and optionally some compounds. [yuan]"""
    lang, font = _language(lang)
    district = projection.district()
    fig = _figure((8, 4.5))
    ax = fig.subplots()
    ax.plot(district.index, district["balance_yuan"], marker="o", label="district")
    for cid in compounds or []:
        ax.plot(projection.balance.columns, projection.balance.loc[cid], label=cid)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("year")
    ax.set_ylabel(label("pool_balance_yuan", lang), **font)
    ax.legend(fontsize="small")
    return fig


def bundle_map(budget: DistrictBudget, compounds: pd.DataFrame, *,
               value: str = "pool_balance_yuan", lang: Language = "en") -> Any:
    """Map of compounds (x_m, y_m) coloured by a budget column, bundles outlined by their
    bounding boxes (the spread used by the contract cost). [m]"""
    lang, _ = _language(lang)
    xy = compounds.set_index("compound_id")[["x_m", "y_m"]]
    c = budget.compounds.set_index("compound_id")
    pos = xy.loc[c.index]
    fig = _figure((8, 6))
    ax = fig.subplots()
    points = ax.scatter(pos["x_m"], pos["y_m"], c=c[value], cmap="RdYlGn", s=18)
    fig.colorbar(points, ax=ax, label=label(value, lang))
    groups = pos.assign(bundle=c["bundle_id"]).groupby("bundle")
    box = groups.agg(x0=("x_m", "min"), x1=("x_m", "max"), y0=("y_m", "min"),
                     y1=("y_m", "max"), n=("x_m", "size"))
    patches = require("matplotlib.patches", feature="charts", extra="plot")
    multi = box[box["n"] > 1]
    x0, x1 = multi["x0"].to_numpy(dtype=float), multi["x1"].to_numpy(dtype=float)
    y0, y1 = multi["y0"].to_numpy(dtype=float), multi["y1"].to_numpy(dtype=float)
    for a, b, c_, d in zip(x0, x1, y0, y1, strict=True):
        ax.add_patch(patches.Rectangle((a - 10, c_ - 10), b - a + 20, d - c_ + 20, fill=False,
                                       linewidth=0.8))
    ax.set_aspect("equal")
    ax.set_xlabel("x [m]")
    ax.set_ylabel("y [m]")
    return fig


def grade_curve(curve: pd.DataFrame, *, fee_yuan_per_m2_month: float = 0.5,
                lang: Language = "en") -> Any:
    """Market price per m2 against compound size, one line per grade, bands shaded.

    Parameters
    ----------
    curve
        Output of :func:`propfee.baseline.grade_price_curve`.
    fee_yuan_per_m2_month
        The fee rate to mark (the source's 0.5). [yuan/(m2 month)]
    lang
        ``"en"`` or ``"zh"``.
    """
    lang, font = _language(lang)
    zh = lang == "zh"
    fig = _figure((8.0, 5.0))
    ax = fig.add_subplot()
    colours = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e")
    for k, (grade, part) in enumerate(curve.groupby("grade", sort=True)):
        colour = colours[k % len(colours)]
        name = f"{grade}级" if zh else f"grade {grade}"
        ax.plot(part["households"], part["price_yuan_per_m2_month"], color=colour,
                label=name + ("（正规用工）" if zh else " (formal hiring)"))
        ax.plot(part["households"], part["informal_price_yuan_per_m2_month"], color=colour,
                linestyle="--", label=name + ("（劳务协议）" if zh else " (informal hiring)"))
        ax.axhspan(float(part["guidance_low_yuan_per_m2_month"].iloc[0]),
                   float(part["guidance_high_yuan_per_m2_month"].iloc[0]),
                   color=colour, alpha=0.12)
    ax.axhline(fee_yuan_per_m2_month, color="black", linewidth=1.2)
    ax.annotate(("物业费 " if zh else "fee ") + f"{fee_yuan_per_m2_month:g}",
                (float(curve["households"].max()), fee_yuan_per_m2_month),
                ha="right", va="bottom", **font)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("户数" if zh else "households", **font)
    ax.set_ylabel("市场化物业价格（元/平方米/月）" if zh else "market price [yuan/m2/month]",
                  **font)
    ax.set_title("小区规模与物业价格：各服务等级（阴影为指导价区间）" if zh
                 else "Price per m2 by compound size and grade (shaded: guidance band)", **font)
    ticker = require("matplotlib.ticker", feature="charts", extra="plot")
    ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:.1f}"))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_yticks([0.3, 0.5, 1.0, 2.0, 5.0, 10.0])
    prop = {"family": font["fontfamily"], "size": 7} if font else {"size": 7}
    ax.legend(ncols=2, prop=prop)
    return fig
