"""Charts in English or Chinese (optional extra ``plot``: matplotlib).

Every function returns a :class:`matplotlib.figure.Figure` (a subclass) built without
pyplot state, that renders headless (``chart.savefig("budget.png")``) and shows itself
inline in a Jupyter notebook without ``%matplotlib inline`` (it has ``_repr_png_``).

Every label, title and unit is translated (:mod:`propfee.labels`); money axes carry
thousands separators in English and 万元 (10,000 yuan) in Chinese; diverging colour
scales are centred on zero. Chinese text needs a CJK font: :func:`find_cjk_font` finds one
through matplotlib's font manager (adding fonts installed after matplotlib built its
cache) and, when the system has none, warns once naming the package to install.

Charts per compound: :func:`waterfall`. Per group of compounds: :func:`who_pays`,
:func:`bundle_map`. For a district: :func:`channel_credit`, :func:`district_payers`,
:func:`projection_lines`.
"""

from __future__ import annotations

import functools
import io
import re
import warnings
from typing import Any, Final

import numpy as np
import pandas as pd

from propfee._optional import require
from propfee.budget import BudgetResult, DistrictBudget
from propfee.labels import Language, label

__all__ = [
    "CJK_FONTS",
    "bundle_map",
    "channel_credit",
    "district_payers",
    "find_cjk_font",
    "grade_curve",
    "projection_lines",
    "waterfall",
    "who_pays",
]

CJK_FONTS: Final[tuple[str, ...]] = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
    "Heiti SC", "Noto Sans CJK JP", "Noto Serif CJK SC",
)
"""Font families a Chinese chart uses, in order of preference."""

_CJK_FILES: Final = re.compile(
    r"(notosanscjk|notoserifcjk|notosanssc|sourcehansans|wqy|wenquanyi|simhei|msyh|pingfang)",
    re.IGNORECASE)

_INSTALL: Final = ("no CJK font found: Chinese charts are labelled in English. Install one, "
                   "e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu), "
                   "`dnf install google-noto-sans-cjk-fonts` (Fedora) or the Noto Sans CJK "
                   "SC font on Windows/macOS.")

_COLOURS: Final = {
    "self_governance": "#59a14f", "shared_property": "#4e79a7", "street_fallback": "#f28e2b",
    "smart_devices": "#76b7b2", "public_income": "#edc948", "direct": "#9c755f",
    "market": "#bab0ac",
    "residents_fees": "#4e79a7", "fund_pool": "#76b7b2", "street_office": "#f28e2b",
    "renovation_programme": "#b07aa1", "volunteers_in_kind": "#59a14f",
    "street_subsidy": "#e15759", "street_services": "#f28e2b", "pool_surplus_kept": "#8cd17d",
}


@functools.cache
def find_cjk_font() -> str | None:
    """The family name of a CJK font matplotlib can draw with, or ``None``.

    Looks in matplotlib's font list for :data:`CJK_FONTS`; when none is there (a font
    installed after matplotlib built its cache), adds the CJK font files the system has
    (:func:`matplotlib.font_manager.findSystemFonts`) and looks again. The answer is
    cached for the process.

    Returns
    -------
    str or None
        A font family name, e.g. ``"Noto Sans CJK SC"``.
    """
    fm = require("matplotlib.font_manager", feature="charts", extra="plot")

    def known() -> str | None:
        names = {f.name for f in fm.fontManager.ttflist}
        return next((font for font in CJK_FONTS if font in names), None)

    found = known()
    if found is None:
        for path in fm.findSystemFonts():
            if _CJK_FILES.search(path):
                try:
                    fm.fontManager.addfont(path)
                except (OSError, RuntimeError):  # pragma: no cover - unreadable font file
                    continue
        found = known()
    return found


@functools.cache
def _warn_no_font() -> None:
    warnings.warn(_INSTALL, UserWarning, stacklevel=4)


def _language(lang: Language) -> tuple[Language, list[str]]:
    """The language a chart can be drawn in, and its font families (with fallback)."""
    if lang != "zh":
        return "en", ["DejaVu Sans"]
    font = find_cjk_font()
    if font is None:
        _warn_no_font()
        return "en", ["DejaVu Sans"]
    return "zh", ["DejaVu Sans", font]  # Latin from DejaVu, the rest falls back to CJK


@functools.cache
def _chart_class() -> type[Any]:
    figure = require("matplotlib.figure", feature="charts", extra="plot")
    mpl = require("matplotlib", feature="charts", extra="plot")

    class Chart(figure.Figure):  # type: ignore[misc,name-defined]
        """A matplotlib Figure that draws with its own fonts and shows itself in Jupyter."""

        propfee_fonts: list[str] = ["DejaVu Sans"]  # noqa: RUF012

        def draw(self, renderer: Any) -> None:
            with mpl.rc_context({"font.family": self.propfee_fonts,
                                 "axes.unicode_minus": False}):
                super().draw(renderer)

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    Chart.__module__ = __name__
    return Chart


class _Context:
    """Font settings while a chart's artists are made (texts keep them when drawn)."""

    def __init__(self, fonts: list[str]) -> None:
        mpl = require("matplotlib", feature="charts", extra="plot")
        self._rc = mpl.rc_context({"font.family": fonts, "axes.unicode_minus": False})

    def __enter__(self) -> None:
        self._rc.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._rc.__exit__(*exc)


def _figure(size: tuple[float, float], fonts: list[str]) -> Any:
    fig = _chart_class()(figsize=size, layout="constrained")
    fig.propfee_fonts = fonts
    return fig


def _money_formatter(lang: Language, span: float) -> Any:
    """Tick labels: ``1,234,567`` in English, ``123.5`` (万元) in Chinese."""
    ticker = require("matplotlib.ticker", feature="charts", extra="plot")
    if lang == "zh":
        decimals = 0 if span >= 1e5 else (1 if span >= 1e4 else 2)
        return ticker.FuncFormatter(lambda v, _pos: f"{v / 1e4:,.{decimals}f}")
    return ticker.FuncFormatter(lambda v, _pos: f"{v:,.0f}")


def _money_axis(lang: Language, per_year: bool = True) -> str:
    if lang == "zh":
        return "金额（万元/年）" if per_year else "余额（万元）"
    return "Amount [yuan/year]" if per_year else "Balance [yuan]"


def _span(values: Any) -> float:
    array = np.abs(np.asarray(values, dtype=float))
    return float(array.max()) if array.size else 0.0


def _plain(code: str, lang: Language) -> str:
    """A label without its unit (for legends and bar names)."""
    text = label(code, lang)
    for unit in (" [yuan/year]", "（元/年）"):
        text = text.removesuffix(unit)
    return text


def _bars(ax: Any, names: list[str], values: list[float], bottoms: list[float],
          colours: list[str], lang: Language) -> None:
    x = np.arange(len(values))
    ax.bar(x, values, bottom=bottoms, color=colours, edgecolor="white", linewidth=0.5)
    ax.set_xticks(x, names, rotation=30, ha="right")
    ax.axhline(0, color="black", linewidth=0.8)
    span = _span(np.add(values, bottoms).tolist() + list(bottoms))
    ax.yaxis.set_major_formatter(_money_formatter(lang, span))
    ax.set_ylabel(_money_axis(lang))
    ax.grid(axis="y", alpha=0.3)
    ax.use_sticky_edges = False  # bars stick to zero: room for the labels on both sides
    ax.margins(y=0.15)
    for xi, (v, b) in enumerate(zip(values, bottoms, strict=True)):
        if v:
            text = f"{v / 1e4:,.1f}" if lang == "zh" else f"{v:,.0f}"
            ax.annotate(text, (xi, b + v), ha="center", va="bottom" if v >= 0 else "top",
                        fontsize="x-small", xytext=(0, 2 if v >= 0 else -2),
                        textcoords="offset points")


def waterfall(result: BudgetResult, *, lang: Language = "en") -> Any:
    """Waterfall of one compound's 4+1 budget: income by source, cost by channel, balance.

    Bars rise for the fee collected and public income, fall for the cost each supplier puts
    on the compound's fund pool (the channels, its running costs and the work bought at
    market price), and end at the pool balance; a street subsidy closes a negative balance.

    Parameters
    ----------
    result
        Output of :func:`propfee.evaluate`.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; amounts in [yuan/year] (English) or [10,000 yuan/year] (Chinese).
    """
    lang, fonts = _language(lang)
    cash: dict[str, float] = {}
    for line in result.lines:
        if line.payer == "fund_pool":
            cash[line.channel] = cash.get(line.channel, 0.0) + line.amount_yuan
    steps = [("fee_collected", result.fee_collected_yuan, "#4e79a7"),
             ("public_income", result.public_income_yuan, _COLOURS["public_income"])]
    steps += [(ch, -v, _COLOURS.get(ch, "#bab0ac")) for ch, v in cash.items() if v]
    names, values, bottoms, colours = [], [], [], []
    level = 0.0
    for code, value, colour in steps:
        names.append(_plain(f"{code}_yuan" if code in ("fee_collected", "public_income")
                            else code, lang))
        values.append(value)
        bottoms.append(level)
        colours.append(colour)
        level += value
    names.append(_plain("pool_balance_yuan", lang))
    values.append(result.pool_balance_yuan)
    bottoms.append(0.0)
    colours.append("#59a14f" if result.pool_balance_yuan >= 0 else "#e15759")
    if result.street_subsidy_yuan > 0:
        names.append(_plain("street_subsidy_yuan", lang))
        values.append(result.street_subsidy_yuan)
        bottoms.append(result.pool_balance_yuan)
        colours.append(_COLOURS["street_office"])
    with _Context(fonts):
        fig = _figure((8, 4.8), fonts)
        ax = fig.subplots()
        _bars(ax, names, values, bottoms, colours, lang)
        ax.set_title(label("chart_waterfall", lang).format(id=result.compound_id))
    return fig


def channel_credit(budget: DistrictBudget, *, lang: Language = "en") -> Any:
    """What each channel did to the district's balance: from the market baseline's balance
    to the 4+1 pool balance, one bar per channel.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district` (with ``contributions=True``).
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; amounts in [yuan/year] (English) or [10,000 yuan/year] (Chinese).
    """
    from propfee.report import channel_contributions

    lang, fonts = _language(lang)
    steps = channel_contributions(budget)["yuan"]
    names, values, bottoms, colours = [], [], [], []
    level = 0.0
    for i, (code, value) in enumerate(steps.items()):
        ends = i in (0, len(steps) - 1)
        names.append(label(str(code), lang))
        values.append(float(value))
        bottoms.append(0.0 if ends else level)
        colours.append(("#59a14f" if value >= 0 else "#e15759") if ends
                       else _COLOURS.get(str(code), "#bab0ac"))
        level = float(value) if i == 0 else level + (0.0 if ends else float(value))
    with _Context(fonts):
        fig = _figure((8, 4.8), fonts)
        ax = fig.subplots()
        _bars(ax, names, values, bottoms, colours, lang)
        ax.set_title(label("chart_channel_credit", lang))
    return fig


def district_payers(budget: DistrictBudget, *, lang: Language = "en") -> Any:
    """Who pays the district's total cost: residents' fees, public income, the street's
    subsidy and services, the renovation programme, volunteers; a surplus kept in the
    pool counts against them (:func:`propfee.report.who_pays_table`); the bars add up to
    the total cost.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal bars; amounts in [yuan/year] (English) or [10,000 yuan/year] (Chinese).
    """
    from propfee.report import who_pays_table

    lang, fonts = _language(lang)
    table = who_pays_table(budget)
    table = table[table["payer"] != "total"]
    codes = table["payer"].tolist()
    names = [_plain(c, lang) for c in codes]
    values = table["yuan"].to_numpy(dtype=float)
    with _Context(fonts):
        fig = _figure((8, 4.2), fonts)
        ax = fig.subplots()
        y = np.arange(len(values))
        ax.barh(y, values, color=[_COLOURS.get(c, "#bab0ac") for c in codes])
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(_money_formatter(lang, _span(values)))
        ax.set_xlabel(_money_axis(lang))
        ax.grid(axis="x", alpha=0.3)
        for yi, v in zip(y, values, strict=True):
            text = f"{v / 1e4:,.1f}" if lang == "zh" else f"{v:,.0f}"
            ax.annotate(text, (v, yi), va="center", fontsize="x-small", xytext=(3, 0),
                        textcoords="offset points")
        ax.set_title(label("chart_payers", lang))
    return fig


def who_pays(budget: DistrictBudget, *, by: str = "zone", lang: Language = "en",
             top: int = 30) -> Any:
    """Stacked bars of who pays, per group of compounds (``street``, ``zone``, ``bundle_id``).

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.
    by
        The grouping column.
    lang
        ``"en"`` or ``"zh"``.
    top
        Show the ``top`` groups with the largest total cost. [groups]

    Returns
    -------
    matplotlib.figure.Figure
        One stacked bar per group, the payers of :data:`propfee.payers.WHO_PAYS`
        (residents' fees, public income, street subsidy, street services, renovation
        programme, volunteers' time) above zero and a surplus kept in the pool below it;
        each bar's net height is the group's total cost. Amounts in [yuan/year]
        (English) or [10,000 yuan/year] (Chinese).
    """
    from propfee.payers import WHO_PAYS

    lang, fonts = _language(lang)
    totals = budget.totals_by(by)
    data = totals.nlargest(top, "total_cost_yuan")
    with _Context(fonts):
        fig = _figure((10, 5), fonts)
        ax = fig.subplots()
        bottom = np.zeros(len(data))
        for name, column, sign in WHO_PAYS:
            values = sign * data[column].to_numpy(dtype=float)
            if not values.any():
                continue
            start = bottom if sign > 0 else np.zeros(len(data))
            ax.bar(np.arange(len(data)), values, bottom=start, label=_plain(name, lang),
                   color=_COLOURS.get(name, "#bab0ac"), hatch=None if sign > 0 else "//")
            if sign > 0:
                bottom = bottom + values
        ax.set_xticks(range(len(data)), [str(i) for i in data.index], rotation=90)
        ax.set_xlabel(_plain(by, lang))
        ax.yaxis.set_major_formatter(_money_formatter(lang, _span(bottom)))
        ax.set_ylabel(_money_axis(lang))
        ax.grid(axis="y", alpha=0.3)
        # beside the bars, never over them (the tallest bars are on the left, the legend
        # would otherwise cover the right-hand ones)
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.set_title(label("chart_who_pays", lang).format(by=_plain(by, lang).lower()
                                                          if lang == "en"
                                                          else _plain(by, lang)))
    return fig


def projection_lines(projection: Any, *, compounds: list[str] | None = None,
                     lang: Language = "en") -> Any:
    """Fund-pool balance at the end of each year: the district, and optionally compounds.

    Parameters
    ----------
    projection
        Output of :func:`propfee.analysis.project`.
    compounds
        Compound ids to draw beside the district total (right-hand axis).
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.figure.Figure
        Balances in [yuan] (English) or [10,000 yuan] (Chinese) by year.
    """
    lang, fonts = _language(lang)
    district = projection.district()
    with _Context(fonts):
        fig = _figure((8, 4.5), fonts)
        ax = fig.subplots()
        years = np.asarray(district.index)
        ax.plot(years, district["balance_yuan"], marker="o", color="#4e79a7",
                label=label("district", lang))
        span = _span(district["balance_yuan"])
        for cid in compounds or []:
            series = projection.balance.loc[cid]
            span = max(span, _span(series))
            ax.plot(np.asarray(projection.balance.columns), series, marker=".",
                    linewidth=1, label=str(cid))
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xlabel(label("year", lang))
        ax.set_xticks(years)
        ax.xaxis.set_major_formatter(
            require("matplotlib.ticker", feature="charts", extra="plot").FuncFormatter(
                lambda v, _pos: f"{v:.0f}"))
        ax.yaxis.set_major_formatter(_money_formatter(lang, span))
        ax.set_ylabel(_money_axis(lang, per_year=False))
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
        ax.set_title(label("chart_projection", lang))
    return fig


def bundle_map(budget: DistrictBudget, compounds: pd.DataFrame, *,
               value: str = "pool_balance_yuan", lang: Language = "en") -> Any:
    """Map of compounds (``x_m``, ``y_m``) coloured by a budget column, with the bundles
    of more than one compound outlined and named.

    The colour scale diverges at zero (red below, green above), so a green dot is never
    in deficit.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.
    compounds
        The compound table with ``compound_id``, ``x_m`` and ``y_m``. [m]
    value
        The money column of ``budget.compounds`` to colour by. [yuan/year]
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    matplotlib.figure.Figure
        The map; axes in [m], colour in [yuan/year] (English) or [10,000 yuan/year].
    """
    colors = require("matplotlib.colors", feature="charts", extra="plot")
    patches = require("matplotlib.patches", feature="charts", extra="plot")
    lang, fonts = _language(lang)
    xy = compounds.set_index("compound_id")[["x_m", "y_m"]]
    c = budget.compounds.set_index("compound_id")
    pos = xy.loc[c.index]
    values = c[value].to_numpy(dtype=float)
    span = max(_span(values), 1.0)
    # Centred on zero; a side with no value keeps a tenth of the scale, so the colour bar
    # still shows where zero is.
    norm = colors.TwoSlopeNorm(vmin=min(float(values.min()), -span / 10), vcenter=0.0,
                               vmax=max(float(values.max()), span / 10))
    with _Context(fonts):
        fig = _figure((9, 6.2), fonts)
        ax = fig.subplots()
        box = pos.assign(bundle=c["bundle_id"]).groupby("bundle").agg(
            x0=("x_m", "min"), x1=("x_m", "max"), y0=("y_m", "min"), y1=("y_m", "max"),
            n=("x_m", "size"))
        multi = box[box["n"] > 1]
        pad = 0.02 * max(float(np.ptp(pos["x_m"])), float(np.ptp(pos["y_m"])), 1.0)
        for bundle, row in multi.iterrows():
            ax.add_patch(patches.FancyBboxPatch(
                (row["x0"] - pad, row["y0"] - pad), row["x1"] - row["x0"] + 2 * pad,
                row["y1"] - row["y0"] + 2 * pad, boxstyle=f"round,pad=0,rounding_size={pad}",
                fill=False, linewidth=0.9, edgecolor="#555555"))
            ax.annotate(str(bundle).split(":")[-1], (row["x0"] - pad, row["y1"] + pad),
                        fontsize=6, color="#333333", va="bottom")
        points = ax.scatter(pos["x_m"], pos["y_m"], c=values, cmap="RdYlGn", norm=norm, s=22,
                            edgecolors="#333333", linewidths=0.3, zorder=3)
        bar = fig.colorbar(points, ax=ax, shrink=0.7, aspect=25)
        bar.ax.set_yscale("linear")  # spacing proportional to the values on either side
        bar.set_label(_plain(value, lang) + ("（万元/年）" if lang == "zh" else " [yuan/year]"))
        bar.formatter = _money_formatter(lang, span)
        bar.update_ticks()
        ax.set_aspect("equal")
        ax.set_xlabel(label("x_axis_m", lang))
        ax.set_ylabel(label("y_axis_m", lang))
        ax.set_title(label("chart_bundle_map", lang).format(value=_plain(value, lang)))
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
    lang, fonts = _language(lang)
    zh = lang == "zh"
    with _Context(fonts):
        return _grade_curve(curve, fee_yuan_per_m2_month, zh, fonts)


def _grade_curve(curve: pd.DataFrame, fee_yuan_per_m2_month: float, zh: bool,
                 fonts: list[str]) -> Any:
    fig = _figure((8.0, 5.0), fonts)
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
                ha="right", va="bottom")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("户数" if zh else "households")
    ax.set_ylabel("市场化物业价格（元/平方米/月）" if zh else "market price [yuan/m2/month]")
    ax.set_title("小区规模与物业价格：各服务等级（阴影为指导价区间）" if zh
                 else "Price per m2 by compound size and grade (shaded: guidance band)")
    ticker = require("matplotlib.ticker", feature="charts", extra="plot")
    ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:.1f}"))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_yticks([0.3, 0.5, 1.0, 2.0, 5.0, 10.0])
    ax.legend(ncols=2, fontsize=7)
    return fig
