"""The Monte Carlo of the fund pools as a print-ready workbook (``propfee montecarlo
--out x.xlsx``).

Three sheets, in English or Chinese:

- the conclusion in one sentence, the district's figures (each said to be per year or
  over the horizon, with what it means in words) and a bar chart of the street subsidy's
  5%-95% interval and median for the compounds that need the most;
- every compound: the chance its pool goes negative, and its street subsidy's 5% point,
  median, 95% point and mean [yuan/year], the neediest first, a total row of the means;
- notes: what was drawn, every figure and the settings in words.

Money is in yuan rounded to the fen. Needs the ``excel`` extra.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Final, NamedTuple

import pandas as pd

from propfee._optional import require
from propfee.analysis.montecarlo import MonteCarloResult, Uncertainty
from propfee.analysis.projection import ProjectionSettings
from propfee.excel.projection import _fit_headers, fen
from propfee.excel.tables import display_width, write_table_sheet
from propfee.excel.units import CJK_FONT, YUAN_PER_WAN, page_setup, sheet_title, write_notes
from propfee.io.writers import inert, neutralise_formulas
from propfee.labels import Language, label, label_table

__all__ = ["CHART_COMPOUNDS", "SHEET_NAMES", "Figure", "compound_table", "conclusion",
           "district_figures", "figure_text", "write_montecarlo_workbook"]

SHEET_NAMES: Final[dict[str, tuple[str, str]]] = {
    "conclusion": ("Conclusion", "结论"),
    "compounds": ("Compounds", "各小区"),
    "notes": ("Notes", "说明"),
}
"""Sheet code -> (English, Chinese) name, in order."""

CHART_COMPOUNDS: Final = 20
"""Compounds in the chart: those with the highest median subsidy. [compounds]"""

_QUANTILES: Final = ("subsidy_q05_yuan", "subsidy_q50_yuan", "subsidy_q95_yuan")


class Figure(NamedTuple):
    """One figure of the district: what it is, its value, how it is shown, what it means.

    Attributes
    ----------
    what
        Its name.
    value
        The value. [its unit]
    number_format
        Excel number format.
    unit
        Its unit, saying per year or over the horizon.
    meaning
        What it means, in words.
    """

    what: str
    value: float | int
    number_format: str
    unit: str
    meaning: str


def district_figures(result: MonteCarloResult, settings: ProjectionSettings,
                     lang: Language = "en") -> list[Figure]:
    """The district's figures, each per year or over the horizon, in words.

    Parameters
    ----------
    result
        A Monte Carlo result (:func:`propfee.analysis.monte_carlo`).
    settings
        Its settings (the horizon).
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    list of Figure
        The street subsidy's median, 5% and 95% points and mean [yuan/year], the median
        over the horizon (the yearly median times the years) [yuan], the chance that some
        pool is negative in some year [1] and the number of draws. Money to the fen.
    """
    zh = lang == "zh"
    d = result.district
    q05, q50, q95, mean = (float(fen(d[c])) for c in (*_QUANTILES, "subsidy_mean_yuan"))
    years = settings.horizon_years
    per_year = label("yuan_per_year", lang)
    if zh:
        return [
            Figure("全区每年街道补贴：中位数", q50, "#,##0.00", per_year,
                   "一半的抽样低于此数，一半高于此数"),
            Figure("全区每年街道补贴：5% 分位", q05, "#,##0.00", per_year,
                   "只有 5% 的抽样低于此数（5%–95% 区间的下限）"),
            Figure("全区每年街道补贴：95% 分位", q95, "#,##0.00", per_year,
                   "只有 5% 的抽样高于此数；按此数准备，95% 的情形够用"),
            Figure("全区每年街道补贴：平均值", mean, "#,##0.00", per_year, "各次抽样的平均"),
            Figure(f"{years} 年合计街道补贴：中位数", q50 * years, "#,##0.00",
                   f"元（{years} 年合计）", f"每年中位数 × {years} 年"),
            Figure("至少一个小区资金池某年为负的概率", float(d["p_any_negative"]), "0.0%", "",
                   f"{years} 年内至少有一个小区的资金池在某一年年末低于零的抽样所占比例"),
            Figure("抽样次数", result.draws, "#,##0", "次",
                   "每次抽样取一组可能的收缴率、工资增长等"),
        ]
    return [
        Figure("District street subsidy a year: median", q50, "#,##0.00", per_year,
               "half the draws are below, half above"),
        Figure("District street subsidy a year: 5% point", q05, "#,##0.00", per_year,
               "only 5% of the draws are below (the low end of the 5%-95% interval)"),
        Figure("District street subsidy a year: 95% point", q95, "#,##0.00", per_year,
               "only 5% of the draws are above: enough in 95% of the cases"),
        Figure("District street subsidy a year: mean", mean, "#,##0.00", per_year,
               "the average over the draws"),
        Figure(f"Street subsidy over the {years} years: median", q50 * years, "#,##0.00",
               f"yuan ({years} years)", f"the yearly median x {years} years"),
        Figure("Chance that some pool is negative in some year", float(d["p_any_negative"]),
               "0.0%", "", f"share of the draws where some compound's pool ends a year "
               f"below zero within {years} years"),
        Figure("Draws", result.draws, "#,##0", "", "each draw takes one set of possible "
               "collection rates, wage growth and so on"),
    ]


def figure_text(figure: Figure) -> str:
    """A figure's value as its number format shows it.

    >>> figure_text(Figure("p", 0.125, "0.0%", "", "")), figure_text(
    ...     Figure("s", 1234.5, "#,##0.00", "", ""))
    ('12.5%', '1,234.50')
    """
    if figure.number_format == "0.0%":
        return f"{figure.value:.1%}"
    if figure.number_format == "#,##0":
        return f"{figure.value:,.0f}"
    return f"{figure.value:,.2f}"


def conclusion(result: MonteCarloResult, settings: ProjectionSettings,
               lang: Language = "en") -> str:
    """The Monte Carlo in one sentence: the yearly subsidy's median and 5%-95% interval.

    Parameters
    ----------
    result
        A Monte Carlo result.
    settings
        Its settings (the horizon).
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str
        The sentence, money in 万元 (10,000 yuan) a year. [万元/year]
    """
    d = result.district
    q05, q50, q95 = (float(fen(d[c])) / YUAN_PER_WAN for c in _QUANTILES)
    p = float(d["p_any_negative"])
    years = settings.horizon_years
    if lang == "zh":
        return (f"按 {result.draws:,} 次抽样，全区每年需街道补贴的中位数为 {q50:,.2f} 万元，"
                f"5%–95% 区间为 {q05:,.2f}–{q95:,.2f} 万元/年；{years} 年内至少一个小区"
                f"资金池某年为负的概率为 {p:.1%}。")
    return (f"Over {result.draws:,} draws the district's street subsidy is {q50:,.2f} "
            f"(10k yuan) a year at the median, {q05:,.2f}-{q95:,.2f} (10k yuan) a year in the "
            f"5%-95% interval; the chance that some pool is negative in some year within "
            f"{years} years is {p:.1%}.")


def compound_table(result: MonteCarloResult,
                   names: dict[str, str] | None = None) -> pd.DataFrame:
    """Every compound's row, the highest median subsidy first, money to the fen.

    Parameters
    ----------
    result
        A Monte Carlo result.
    names
        Compound id -> name, shown beside the id (no name column when ``None``).

    Returns
    -------
    pandas.DataFrame
        ``compound_id``, (``name``), ``p_pool_negative`` [1], ``subsidy_q05_yuan``,
        ``subsidy_q50_yuan``, ``subsidy_q95_yuan``, ``subsidy_mean_yuan`` [yuan/year].
    """
    c = result.compounds
    out = pd.DataFrame({"compound_id": c["compound_id"].astype(str)})
    if names is not None:
        out["name"] = out["compound_id"].map(lambda i: names.get(i, ""))
    out["p_pool_negative"] = c["p_pool_negative"].to_numpy(dtype=float)
    for column in (*_QUANTILES, "subsidy_mean_yuan"):
        out[column] = fen(c[column])
    order = sorted(range(len(out)), key=lambda i: (-out["subsidy_q50_yuan"].iloc[i], i))
    return out.iloc[order].reset_index(drop=True)


def _figures_sheet(sheet: Any, result: MonteCarloResult, settings: ProjectionSettings,
                   lang: Language, title: str) -> int:
    """Title, the sentence and the district's figures; returns the last row written."""
    from openpyxl.styles import Alignment, Font, PatternFill

    zh = lang == "zh"
    sheet["A1"] = inert(title)
    sheet["A1"].font = Font(name=CJK_FONT, bold=True, size=15)
    sheet["A2"] = inert(conclusion(result, settings, lang))
    sheet["A2"].font = Font(name=CJK_FONT, bold=True, size=12)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.merge_cells("A2:D2")
    sheet.row_dimensions[2].height = 40
    head = ("项目", "数值", "单位", "含义") if zh else ("Figure", "Value", "Unit", "Meaning")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for j, text in enumerate(head, start=1):
        cell = sheet.cell(row=4, column=j, value=text)
        cell.font = Font(name=CJK_FONT, bold=True)
        cell.fill = fill
    rows = district_figures(result, settings, lang)
    for i, f in enumerate(rows, start=5):
        sheet.cell(row=i, column=1, value=inert(f.what)).font = Font(name=CJK_FONT)
        cell = sheet.cell(row=i, column=2, value=f.value)
        cell.number_format = f.number_format
        unit_cell = sheet.cell(row=i, column=3, value=inert(f.unit))
        unit_cell.font = Font(name=CJK_FONT)
        unit_cell.alignment = Alignment(indent=1)  # apart from the number
        sheet.cell(row=i, column=4, value=inert(f.meaning)).font = Font(name=CJK_FONT)
    for letter, index in (("A", 0), ("C", 3), ("D", 4)):
        sheet.column_dimensions[letter].width = max(
            display_width(str(r[index])) for r in rows) + 3
    sheet.column_dimensions["B"].width = 20
    return 4 + len(rows)


def _interval_chart(sheet: Any, source: Any, *, rows: int, first_col: int, name_col: int,
                    lang: Language, anchor: str) -> None:
    """Bars of the 5% point, median and 95% point of the neediest compounds' subsidy."""
    from openpyxl.chart import BarChart, Reference

    chart: Any = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = (f"街道补贴最多的 {rows} 个小区：每年 5%–95% 区间与中位数" if lang == "zh"
                   else f"The {rows} compounds needing most: yearly street subsidy, "
                        "5%-95% interval and median")
    chart.y_axis.title = label("yuan_per_year", lang)
    chart.y_axis.numFmt = "#,##0"
    chart.x_axis.scaling.orientation = "maxMin"  # the neediest on top
    chart.x_axis.tickLblPos = "low"
    chart.height, chart.width = 7.5 + 0.45 * rows, 24.0
    chart.add_data(Reference(source, min_col=first_col, max_col=first_col + 2, min_row=1,
                             max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(source, min_col=name_col, min_row=2, max_row=rows + 1))
    for series, colour in zip(chart.series, ("BDD7EE", "2F5597", "F4B183"), strict=True):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.noFill = True
    chart.legend.position = "b"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    sheet.add_chart(chart, anchor)


def _notes(result: MonteCarloResult, settings: ProjectionSettings,
           uncertainty: Uncertainty, seed: int, lang: Language) -> list[str]:
    """The notes sheet's paragraphs: what was drawn, the figures and the settings."""
    s, u, years = settings, uncertainty, settings.horizon_years
    if lang == "zh":
        return [
            "■ 这份测算说什么",
            f"收缴率、工资增长等并不确定。这里按现行“四管一补”方案，随机抽取 {result.draws:,} "
            f"组可能的情形，每组逐年推算各小区资金池 {years} 年，再看街道每年要补多少、"
            "资金池出现负数的可能有多大。",
            "■ 各项数字",
            "街道补贴：某年支出超过收入时，由街道补足差额；每次抽样取 "
            f"{years} 年的平均，单位 元/年（每年）。{years} 年合计 = 每年数 × {years}。",
            "中位数：一半抽样低于它；5% 分位：只有 5% 的抽样低于它；95% 分位：只有 5% 的抽样"
            "高于它。5%–95% 区间内包含 90% 的抽样；按 95% 分位准备资金，95% 的情形够用。",
            "全区的分位数是全区合计补贴的分位数，不等于各小区分位数之和，所以“各小区”表"
            "只对平均值合计（平均值可以相加）。",
            f"资金池某年为负的概率：{years} 年内该小区资金池在某一年年末低于零的抽样所占比例；"
            "至少一个小区为负的概率：任一小区出现负数的抽样所占比例。",
            "“各小区”表按补贴中位数从高到低排列；图中是其中前 "
            f"{min(CHART_COMPOUNDS, len(result.compounds))} 个。",
            "■ 抽样的假设",
            f"收缴率标准差 {u.collection_rate_sd:.1%}；按次服务次数按泊松分布抽取"
            f"{'' if u.poisson_jobs else '（本次未抽取，按期望次数）'}；志愿服务覆盖倍数标准差 "
            f"{u.volunteer_coverage_sd:.1%}；停车位使用率标准差 {u.parking_occupancy_sd:.1%}；"
            f"工资年增长率标准差 {u.wage_growth_sd:.1%}。",
            f"工资年增长率平均 {s.wage_growth_rate:.1%}；"
            f"物价年上涨率 {s.price_inflation_rate:.1%}；"
            f"资金池年利率 {s.interest_rate:.1%}；预测 {years} 年；随机数种子 {seed}"
            "（同一种子得到同样的结果）。",
            "金额为当年价格，精确到分；万元 = 10,000 元。",
        ]
    return [
        "■ What this simulation says",
        f"Collection rates, wage growth and the like are uncertain. Under the present 4+1 "
        f"plan, {result.draws:,} possible cases were drawn; in each, every compound's pool is "
        f"carried over {years} years, giving the street subsidy needed a year and whether a "
        "pool goes negative.",
        "■ The figures",
        "Street subsidy: what the street pays when a year's spending exceeds its income; the "
        f"average over the {years} years of a draw, in yuan a year. Over the {years} years: "
        f"the yearly figure x {years}.",
        "Median: half the draws are below it; 5% point: only 5% are below; 95% point: only 5% "
        "are above. The 5%-95% interval holds 90% of the draws; funds at the 95% point "
        "suffice in 95% of the cases.",
        "The district's quantiles are those of the district's total subsidy, not sums of "
        "the compounds' quantiles: the compound sheet totals the means only (means add up).",
        f"Chance the pool is negative in some year: the share of the draws where the "
        f"compound's pool ends some year below zero within {years} years; for the district, "
        "the share where any compound's pool does.",
        "The compound sheet lists the highest median subsidy first; the chart shows the first "
        f"{min(CHART_COMPOUNDS, len(result.compounds))}.",
        "■ What is drawn",
        f"Collection rate sd {u.collection_rate_sd:.1%}; per-use jobs "
        f"{'Poisson counts' if u.poisson_jobs else 'at their expected counts'}; volunteer "
        f"coverage sd {u.volunteer_coverage_sd:.1%}; parking occupancy sd "
        f"{u.parking_occupancy_sd:.1%}; wage growth sd {u.wage_growth_sd:.1%} a year.",
        f"Mean wage growth {s.wage_growth_rate:.1%} a year; price inflation "
        f"{s.price_inflation_rate:.1%}; interest on the pool {s.interest_rate:.1%}; "
        f"{years} years; seed {seed} (the same seed gives the same numbers).",
        "Money in nominal yuan, to the fen.",
    ]


def write_montecarlo_workbook(
    result: MonteCarloResult, path: str | Path, *, settings: ProjectionSettings,
    uncertainty: Uncertainty | None = None, seed: int = 0, labels: Language = "en",
    names: dict[str, str] | None = None, printed: dt.date | None = None,
) -> Path:
    """Write a Monte Carlo result as a print-ready workbook.

    Parameters
    ----------
    result
        A Monte Carlo result (:func:`propfee.analysis.monte_carlo`).
    path
        The ``.xlsx`` file to write (the caller makes the write atomic).
    settings
        The run's projection settings, stated in the notes.
    uncertainty
        The run's distributions (default :class:`Uncertainty`), stated in the notes.
    seed
        The run's seed, stated in the notes.
    labels
        Language of every sheet, ``"en"`` or ``"zh"``.
    names
        Compound id -> name, shown beside the ids.
    printed
        The date in the printed pages' footer (default: today).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    require("openpyxl", feature="writing Excel files", extra="excel")
    from openpyxl import Workbook

    lang = labels
    day = printed or dt.date.today()
    k = 0 if lang == "en" else 1
    title = (f"老旧小区资金池 {settings.horizon_years} 年风险测算" if lang == "zh"
             else f"Fund pools of the old compounds: {settings.horizon_years}-year risk")
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    front = book.create_sheet(SHEET_NAMES["conclusion"][k])
    table = book.create_sheet(SHEET_NAMES["compounds"][k])
    raw = compound_table(result, names)
    shown = neutralise_formulas(label_table(raw, lang))
    last = write_table_sheet(table, raw, shown, total=label("total_row", lang),
                             unsummed=(*_QUANTILES, "p_pool_negative"))  # do not add up
    column = {c: j for j, c in enumerate(raw.columns, start=1)}
    for row in range(2, last):
        table.cell(row=row, column=column["p_pool_negative"]).number_format = "0.0%"
    _fit_headers(table, 1, [str(c) for c in shown.columns])
    table.freeze_panes = "C2" if names is not None else "B2"
    page_setup(table, title=sheet_title(title, table.title, lang), lang=lang, printed=day,
               header_row=1)
    end = _figures_sheet(front, result, settings, lang, title)
    _interval_chart(front, table, rows=min(CHART_COMPOUNDS, len(raw)),
                    first_col=column["subsidy_q05_yuan"],
                    name_col=column["name" if names is not None else "compound_id"],
                    lang=lang, anchor=f"A{end + 2}")
    page_setup(front, title=title, lang=lang, printed=day, height_pages=1)
    write_notes(book.create_sheet(SHEET_NAMES["notes"][k]),
                sheet_title(title, SHEET_NAMES["notes"][1] if lang == "zh" else "notes", lang),
                _notes(result, settings, uncertainty or Uncertainty(), seed, lang),
                lang=lang, printed=day)
    target = Path(path)
    book.save(target)
    return target
