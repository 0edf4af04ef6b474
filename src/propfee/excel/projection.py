"""The fund-pool projection as a print-ready workbook (``propfee project --out x.xlsx``).

Four sheets, in English or Chinese:

- the conclusion in one sentence, the key figures and a line chart of the district's
  pool balance by year;
- the district year by year: fee income, public income, spending, net, interest and the
  balance at the end of the year [yuan/year; balance yuan], with a total row of the flows;
- every compound's funding row: its name, the first year its pool is negative, the steady
  yearly contribution that keeps it from ever going negative [yuan/year];
- notes: every figure and the settings in words.

Money is in yuan rounded to the fen; the conclusion states the funding total the
compound sheet's total row shows (also in 万元). Needs the ``excel`` extra.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee._optional import require
from propfee.analysis.projection import Projection, ProjectionSettings
from propfee.excel.tables import display_width, exact_total, write_table_sheet
from propfee.excel.units import CJK_FONT, YUAN_PER_WAN, page_setup, sheet_title, write_notes
from propfee.io.writers import inert, neutralise_formulas
from propfee.labels import Language, label, label_table
from propfee.money import fen_to_yuan, yuan_to_fen

__all__ = ["SHEET_NAMES", "conclusion", "contribution_total", "district_table",
           "funding_table", "write_projection_workbook"]

SHEET_NAMES: Final[dict[str, tuple[str, str]]] = {
    "conclusion": ("Conclusion", "结论"),
    "years": ("By year", "逐年收支"),
    "compounds": ("Compounds", "各小区"),
    "notes": ("Notes", "说明"),
}
"""Sheet code -> (English, Chinese) name, in order."""


def fen(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Amounts rounded to the fen, as yuan. [yuan]

    >>> fen([1.005, -2.334]).tolist()
    [1.01, -2.33]
    """
    return fen_to_yuan(yuan_to_fen(values))


def district_table(projection: Projection) -> pd.DataFrame:
    """The district year by year, each figure rounded to the fen.

    Parameters
    ----------
    projection
        A projection (:func:`propfee.analysis.project`).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``fee_income_yuan``, ``public_income_yuan``, ``outflow_yuan`` (all the
        pool pays: staff, other costs, jobs, replacements, one-offs), ``net_yuan`` (income
        less spending) and ``interest_yuan`` [yuan/year], ``balance_end_yuan`` (the sum of
        the pools at the end of the year) [yuan]. Spending is income less net in fen, so a
        row adds up exactly.
    """
    d = projection.district()
    fee_income, public, net = (yuan_to_fen(d[c]) for c in
                               ("fee_income_yuan", "public_income_yuan", "net_yuan"))
    return pd.DataFrame({
        "year": d.index.to_numpy(dtype=np.int64),
        "fee_income_yuan": fen_to_yuan(fee_income),
        "public_income_yuan": fen_to_yuan(public),
        "outflow_yuan": fen_to_yuan(fee_income + public - net),
        "net_yuan": fen_to_yuan(net),
        "interest_yuan": fen(d["interest_yuan"]),
        "balance_end_yuan": fen(d["balance_yuan"]),
    })


def funding_table(projection: Projection, names: dict[str, str] | None = None,
                  lang: Language = "en") -> pd.DataFrame:
    """Every compound's funding row, money rounded to the fen.

    Parameters
    ----------
    projection
        A projection.
    names
        Compound id -> name, shown beside the id.
    lang
        Language of "never" in the first-negative-year column.

    Returns
    -------
    pandas.DataFrame
        ``compound_id``, ``name``, ``first_negative_year`` (calendar year, or "never"),
        ``baseline_contribution_yuan`` and ``threshold_contribution_yuan`` [yuan/year],
        ``baseline_fee_rate_yuan_per_m2_month`` (empty where no rate suffices: the
        compound collects nothing) [yuan/(m2 month)].
    """
    f = projection.funding
    ids = f["compound_id"].astype(str)
    rate = f["baseline_fee_rate_yuan_per_m2_month"].to_numpy(dtype=np.float64)
    never = label("never_negative", lang)
    return pd.DataFrame({
        "compound_id": ids,
        "name": ids.map(lambda i: (names or {}).get(i, "")),
        "first_negative_year": [never if pd.isna(y) else int(y)
                                for y in f["first_negative_year"]],
        "baseline_contribution_yuan": fen(f["baseline_contribution_yuan"]),
        "threshold_contribution_yuan": fen(f["threshold_contribution_yuan"]),
        "baseline_fee_rate_yuan_per_m2_month": np.where(np.isfinite(rate), rate, np.nan),
    })


def contribution_total(projection: Projection) -> float:
    """The steady contributions keeping every pool >= 0, summed as the total row shows it:
    each compound's rounded to the fen, then added exactly.

    Parameters
    ----------
    projection
        A projection.

    Returns
    -------
    float
        The total. [yuan/year]
    """
    return _total(funding_table(projection))


def _total(funding: pd.DataFrame) -> float:
    """The steady contributions' total as the total row shows it. [yuan/year]"""
    return float(exact_total(funding["baseline_contribution_yuan"]))


def conclusion(projection: Projection, settings: ProjectionSettings,
               lang: Language = "en") -> str:
    """The projection in one sentence: pools going negative, the contribution needed.

    Parameters
    ----------
    projection
        A projection.
    settings
        Its settings (the horizon).
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str
        The sentence; the contribution in 万元 (10,000 yuan) and in yuan a year, as the
        compound sheet's total row. [yuan/year]
    """
    funding = funding_table(projection, lang=lang)
    n = len(funding)
    years = settings.horizon_years
    negative = int(funding["first_negative_year"].map(lambda v: isinstance(v, int)).sum())
    total = _total(funding)
    if lang == "zh":
        if negative == 0:
            return f"{years} 年内全部 {n} 个小区的资金池都不会出现负数，不需要另行补充。"
        return (f"{years} 年内 {n} 个小区中有 {negative} 个的资金池会出现负数；使每个资金池"
                f"不为负，每年需稳定补充 {total / YUAN_PER_WAN:,.2f} 万元（{total:,.2f} 元）。")
    if negative == 0:
        return (f"Within {years} years no pool of the {n} compounds goes negative: no "
                "extra contribution is needed.")
    return (f"Within {years} years the pools of {negative} of the {n} compounds go negative; "
            f"to keep every pool from going negative, {total:,.2f} yuan a year must be paid "
            "in steadily.")


def _sheet_name(code: str, lang: Language) -> str:
    return SHEET_NAMES[code][0 if lang == "en" else 1]


def _fit_headers(sheet: Any, row: int, headers: list[str]) -> None:
    """Widen every column to its header, so a header and its unit print on one line."""
    from openpyxl.utils import get_column_letter

    for j, header in enumerate(headers, start=1):
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = max(
            sheet.column_dimensions[letter].width or 0, display_width(header) + 3)
    sheet.row_dimensions[row].height = 20


def _table(sheet: Any, raw: pd.DataFrame, lang: Language, *, unsummed: tuple[str, ...],
           title: str, printed: dt.date) -> int:
    """Write a labelled table with its total row; returns the last row written."""
    shown = neutralise_formulas(label_table(raw, lang))
    last = write_table_sheet(sheet, raw, shown, total=label("total_row", lang),
                             unsummed=unsummed)
    _fit_headers(sheet, 1, [str(c) for c in shown.columns])
    page_setup(sheet, title=title, lang=lang, printed=printed, header_row=1)
    return last


def _line_chart(sheet: Any, source: Any, *, last_row: int, column: int, lang: Language,
                anchor: str) -> None:
    """The district's balance at the end of each year, a line over the years."""
    from openpyxl.chart import LineChart, Reference

    chart: Any = LineChart()
    chart.title = ("全区" if lang == "zh" else "District: ") + label("chart_projection", lang)
    chart.y_axis.title = label("balance_end_yuan", lang)
    chart.x_axis.title = label("year", lang)
    chart.y_axis.numFmt = "#,##0"
    chart.legend = None
    chart.height, chart.width = 8.0, 18.0
    chart.add_data(Reference(source, min_col=column, min_row=1, max_row=last_row),
                   titles_from_data=True)
    chart.set_categories(Reference(source, min_col=1, min_row=2, max_row=last_row))
    chart.series[0].marker.symbol = "circle"
    chart.series[0].smooth = False  # the balances, not a curve between them
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"  # years below the plot, also when balances are negative
    sheet.add_chart(chart, anchor)


def _key_figures(projection: Projection, years: pd.DataFrame, funding: pd.DataFrame,
                 lang: Language) -> list[tuple[str, Any, str, str]]:
    """(what, value, number format, unit) rows of the conclusion sheet."""
    zh = lang == "zh"
    first, last = int(years["year"].iloc[0]), int(years["year"].iloc[-1])
    negative = [v for v in funding["first_negative_year"] if isinstance(v, int)]
    total = _total(funding)
    yuan_year = label("yuan_per_year", lang)
    return [
        ("小区数" if zh else "Compounds", len(funding), "#,##0", "个" if zh else ""),
        ("预测年份" if zh else "Years projected", f"{first}–{last}", "@",
         f"共 {last - first + 1} 年" if zh else f"{last - first + 1} years"),
        ("资金池会出现负数的小区" if zh else "Compounds whose pool goes negative",
         len(negative), "#,##0", "个" if zh else ""),
        ("最早出现负数的年份" if zh else "First year a pool goes negative",
         min(negative) if negative else label("never_negative", lang), "0", ""),
        ("使每个资金池不为负，每年稳定补充（合计）" if zh
         else "Steady contribution keeping every pool >= 0 (total)", total, "#,##0.00",
         yuan_year),
        ("同上，以万元计" if zh else "The same, in 10k yuan", total / YUAN_PER_WAN, "#,##0.00",
         "万元/年" if zh else "10k yuan/year"),
        (f"{last} 年末全区资金池余额（不补充时）" if zh
         else f"District pool balance at the end of {last} (with no contribution)",
         float(years["balance_end_yuan"].iloc[-1]), "#,##0.00", "元" if zh else "yuan"),
    ]


def _conclusion_sheet(sheet: Any, projection: Projection, settings: ProjectionSettings,
                      years: pd.DataFrame, funding: pd.DataFrame, lang: Language,
                      title: str) -> int:
    """Title, the sentence and the key figures; returns the last row written."""
    from openpyxl.styles import Alignment, Font, PatternFill

    zh = lang == "zh"
    sheet["A1"] = inert(title)
    sheet["A1"].font = Font(name=CJK_FONT, bold=True, size=15)
    sheet["A2"] = inert(conclusion(projection, settings, lang))
    sheet["A2"].font = Font(name=CJK_FONT, bold=True, size=12)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.merge_cells("A2:C2")
    sheet.row_dimensions[2].height = 40
    head = ("项目", "数值", "单位") if zh else ("Figure", "Value", "Unit")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for j, text in enumerate(head, start=1):
        cell = sheet.cell(row=4, column=j, value=text)
        cell.font = Font(name=CJK_FONT, bold=True)
        cell.fill = fill
    rows = _key_figures(projection, years, funding, lang)
    for i, (what, value, number, unit) in enumerate(rows, start=5):
        sheet.cell(row=i, column=1, value=inert(what)).font = Font(name=CJK_FONT)
        cell = sheet.cell(row=i, column=2, value=inert(value))
        cell.number_format = number
        cell.alignment = Alignment(horizontal="right")
        unit_cell = sheet.cell(row=i, column=3, value=inert(unit))
        unit_cell.font = Font(name=CJK_FONT)
        unit_cell.alignment = Alignment(indent=1)  # apart from the number
    sheet.column_dimensions["A"].width = max(display_width(r[0]) for r in rows) + 3
    sheet.column_dimensions["B"].width = 20
    sheet.column_dimensions["C"].width = 16
    return 4 + len(rows)


def _notes(settings: ProjectionSettings, years: pd.DataFrame, lang: Language) -> list[str]:
    """The notes sheet's paragraphs: the figures and the settings in words."""
    first, last = int(years["year"].iloc[0]), int(years["year"].iloc[-1])
    s = settings
    replace = s.replace_devices and s.replacement_funder == "fund_pool"
    if lang == "zh":
        return [
            "■ 这份测算说什么",
            f"按现行“四管一补”方案，逐年推算每个小区资金池（物业费和公共资源收益进，"
            f"各项支出出）的收支和余额，从 {first} 年到 {last} 年，共 {s.horizon_years} 年。"
            "第一年即预算年度。",
            "■ 各项数字",
            "物业费收入、公共资源收益、支出、当年净额、利息：每年的数额（元/年）；“合计”行是"
            f"{s.horizon_years} 年的总和。当年净额 = 物业费收入 + 公共资源收益 − 支出。",
            "年末资金池余额：年末各小区资金池余额之和（元），= 上年末余额 + 利息 + 当年净额；"
            "余额是时点数，不能相加，所以“合计”行不填。",
            "资金池首次为负的年份：该小区资金池年末余额第一次低于零的年份；“不会为负”表示预测期内"
            "一直不低于零。",
            "使资金池不为负的每年稳定补充：每年同样数额转入该小区资金池，使预测期内每一年的年末"
            "余额都不低于零所需的最小数额（元/年）；补充额也计息。结论中的总额是各小区之和，"
            "即“各小区”表的合计行。",
            f"保持最低余额的每年稳定补充：同上，但每年年末余额不低于 {s.threshold_floor_yuan:,.2f} "
            "元。",
            "使资金池不为负的物业费标准：不另行补充、只提高物业费时所需的标准（元/平方米/月）；"
            "空白表示该小区没有物业费收入，提高标准无济于事。",
            "■ 测算假设",
            f"工资年增长率 {s.wage_growth_rate:.1%}；物价年上涨率 {s.price_inflation_rate:.1%}；"
            f"资金池年利率 {s.interest_rate:.1%}（余额为负时按同一利率计息）；"
            f"物业费标准年增长率 {s.fee_rate_growth_rate:.1%}；公共资源收益年增长率 "
            f"{s.public_income_growth_rate:.1%}；各小区资金池期初余额 "
            f"{s.opening_balance_yuan:,.2f} 元。",
            "智能设备到使用年限后按当年价格更新，费用由资金池承担。" if replace else
            "智能设备到期更新不由资金池承担。",
            "金额均为当年价格，精确到分；万元 = 10,000 元。",
        ]
    return [
        "■ What this projection says",
        f"Under the present 4+1 plan, each compound's fund pool (fees and public income "
        f"in, spending out) is carried year by year from {first} to {last} "
        f"({s.horizon_years} years); the first year is the budget year.",
        "■ The figures",
        "Fee income, public income, spending, net and interest: amounts in each year "
        f"[yuan/year]; the Total row is their sum over the {s.horizon_years} years. "
        "Net = fee income + public income - spending.",
        "Pool balance at the end of the year: the sum of the compounds' pools [yuan] = last "
        "year's balance + interest + net. A balance is a level, not a flow: it has no total.",
        "First year the pool is negative: the first year the compound's pool ends below "
        "zero; 'never' if it does not within the horizon.",
        "Steady contribution keeping the pool >= 0: the least amount paid into the pool "
        "every year (earning interest too) so that no year ends below zero [yuan/year]. "
        "The conclusion's total is the sum over the compounds, the Total row of the "
        "compound sheet.",
        f"Steady contribution keeping the floor: the same, with every year ending at or "
        f"above {s.threshold_floor_yuan:,.2f} yuan.",
        "Fee rate keeping the pool >= 0: the fee rate that would do it with no contribution "
        "[yuan/m2/month]; empty where the compound collects no fees.",
        "■ Settings",
        f"Wage growth {s.wage_growth_rate:.1%} a year; price inflation "
        f"{s.price_inflation_rate:.1%} a year; interest on the pool {s.interest_rate:.1%} a "
        "year (charged at the same rate on a negative balance); fee-rate growth "
        f"{s.fee_rate_growth_rate:.1%}; public-income growth {s.public_income_growth_rate:.1%}; "
        f"opening balance of each pool {s.opening_balance_yuan:,.2f} yuan.",
        "Smart devices are replaced at the end of their lives at that year's prices, paid by "
        "the pool." if replace else "Device replacements are not paid by the pool.",
        "Money in nominal yuan, to the fen.",
    ]


def write_projection_workbook(
    projection: Projection, path: str | Path, *, settings: ProjectionSettings,
    labels: Language = "en", names: dict[str, str] | None = None,
    printed: dt.date | None = None,
) -> Path:
    """Write a projection as a print-ready workbook.

    Parameters
    ----------
    projection
        A projection (:func:`propfee.analysis.project`).
    path
        The ``.xlsx`` file to write (the caller makes the write atomic).
    settings
        The projection's settings, stated in the notes.
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
    years = district_table(projection)
    funding = funding_table(projection, names, lang)
    if names is None:
        funding = funding.drop(columns="name")
    title = (f"老旧小区资金池 {settings.horizon_years} 年预测" if lang == "zh"
             else f"Fund pools of the old compounds: {settings.horizon_years}-year projection")
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    front = book.create_sheet(_sheet_name("conclusion", lang))
    year_sheet = book.create_sheet(_sheet_name("years", lang))
    last = _table(year_sheet, years, lang, unsummed=("balance_end_yuan",),
                  title=sheet_title(title, year_sheet.title, lang), printed=day)
    compound_sheet = book.create_sheet(_sheet_name("compounds", lang))
    _table(compound_sheet, funding, lang, unsummed=("baseline_fee_rate_yuan_per_m2_month",),
           title=sheet_title(title, compound_sheet.title, lang), printed=day)
    compound_sheet.freeze_panes = "C2" if names is not None else "B2"
    end = _conclusion_sheet(front, projection, settings, years, funding, lang, title)
    _line_chart(front, year_sheet, last_row=last - 1, column=len(years.columns), lang=lang,
                anchor=f"A{end + 2}")
    page_setup(front, title=title, lang=lang, printed=day, height_pages=1)
    write_notes(book.create_sheet(_sheet_name("notes", lang)),
                sheet_title(title, _sheet_name("notes", lang) if lang == "zh" else "notes", lang),
                _notes(settings, years, lang), lang=lang, printed=day)
    target = Path(path)
    book.save(target)
    return target
