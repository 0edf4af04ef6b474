"""The report's tables, one sheet each, and the compound template.

The report (:func:`write_budget_workbook`) has one sheet per table, named in the chosen
language (汇总, 渠道贡献, 小区明细, 项目明细, 按街道, 按片区), with:

- headers and codes labelled in English or Chinese (:mod:`propfee.labels`);
- column widths that fit the text, a CJK character counting as two;
- a number format per unit: yuan ``#,##0.00``, staff ``0.00`` [FTE], shares ``0.0%``,
  counts ``#,##0``; booleans written as 是/否 (Yes/No);
- a labelled totals row (合计/Total) under every table whose rows add up;
- the header row frozen, an auto-filter, and print setup: A4 landscape, fit to one page
  wide, the header row repeated on every printed page;
- native Excel charts of the channel credit and of who pays on the summary sheet.

The template (:func:`write_template_workbook`) has the compound sheet with one column per
field of :data:`propfee.compound.COMPOUND_COLUMNS`, data validation from each field's kind
and bounds (a bad cell is refused while typing), and an instructions sheet.

Text cells a spreadsheet would run as a formula are made inert
(:func:`propfee.io.neutralise_formulas` for every table, :func:`propfee.io.inert` for
every cell written), so no cell of a workbook propfee writes is a formula. Totals are
exact sums of the rows shown, to the fen, in integers (see :func:`exact_total`). Both
functions need the ``excel`` extra.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Collection, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from propfee._optional import require
from propfee.budget import DistrictBudget
from propfee.compound import COMPOUND_COLUMNS, ColumnSpec
from propfee.excel.units import CJK_FONT, MoneyUnit
from propfee.io.writers import inert, neutralise_formulas
from propfee.labels import Language, label, label_table
from propfee.report import key_figures, payer_totals, who_pays_table

if TYPE_CHECKING:
    from propfee.params.loader import ParameterFile
    from propfee.uncertainty.interval import Interval

__all__ = [
    "SHEETS",
    "display_width",
    "exact_total",
    "key_figures",
    "number_format",
    "payer_totals",
    "write_budget_workbook",
    "write_template_workbook",
]

SHEETS: Final[tuple[str, ...]] = (
    "summary", "contributions", "compounds", "lines", "by_street", "by_zone",
)
"""The report's tables in sheet order; sheet names are ``label("sheet_<table>", lang)``."""

_TEMPLATE_ROWS: Final = 5000
"""Rows of the template that carry data validation. [rows]"""

_MAX_WIDTH: Final = 48
_HEADER_FILL: Final = "DDEBF7"
_TOTAL_FILL: Final = "F2F2F2"


def display_width(text: str) -> int:
    """Width of a text in a monospaced cell, a CJK (wide or full-width) character as two.

    Parameters
    ----------
    text
        The text.

    Returns
    -------
    int
        Width. [characters]

    Examples
    --------
    >>> display_width("资金池余额（元/年）"), display_width("Pool balance")
    (19, 12)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def number_format(column: str) -> str | None:
    """The Excel number format for a propfee column name, from the unit in its name.

    Parameters
    ----------
    column
        A propfee column name (``*_yuan``, ``*_fte*``, ``*_share``, ``collection_rate``,
        counts, areas).

    Returns
    -------
    str or None
        ``"#,##0.00"`` for yuan, ``"0.00"`` for staff [FTE] and rates per m2,
        ``"0.0%"`` for shares, ``"#,##0"`` for counts and areas, ``None`` for text.

    Examples
    --------
    >>> number_format("pool_balance_yuan"), number_format("residual_fte")
    ('#,##0.00', '0.00')
    >>> number_format("deficit_reduction_share"), number_format("households")
    ('0.0%', '#,##0')
    """
    if column.endswith("_yuan_per_m2_month") or column.startswith("fee_rate_yuan"):
        return "0.00"
    if column.endswith("_yuan") or column == "yuan":
        return "#,##0.00"
    if "fte" in column:
        return "0.00"
    if column.endswith(("_share", "collection_rate")):
        return "0.0%"
    if column in ("households", "compounds", "in_deficit", "baseline_in_deficit",
                  "fourplusone_in_deficit", "buildings", "stairwell_units", "gates",
                  "parking_spaces", "party_members", "lifts", "storeys", "lift_households",
                  "water_tanks", "volunteer_hours", "volunteer_added_hours") or column.endswith(
                      "_m2") or column.startswith("hours_"):
        return "#,##0"
    if column in ("x_m", "y_m"):
        return "0.0"
    return None


# Columns summed in a totals row: money, counts, areas, staff. Shares and per-household
# figures are not additive and stay empty.
def _additive(column: str) -> bool:
    if "per_household" in column or column.endswith(("_share", "_rate")):
        return False
    fmt = number_format(column)
    return fmt is not None and fmt != "0.0%" and column not in ("x_m", "y_m")


def _raw_tables(budget: DistrictBudget) -> dict[str, pd.DataFrame]:
    from propfee.report import channel_contributions, summarise_budget

    summary = summarise_budget(budget).reset_index()
    contributions = channel_contributions(budget).reset_index()
    return {
        "summary": summary,
        "contributions": contributions,
        "compounds": budget.compounds,
        "lines": budget.lines,
        "by_street": budget.totals_by("street").reset_index(),
        "by_zone": budget.totals_by("zone").reset_index(),
    }




def _cell_text(value: Any, fmt: str | None) -> str:
    if isinstance(value, float | int | np.number) and not isinstance(value, bool):
        if fmt == "0.0%":
            return f"{float(value):.1%}"
        if fmt in ("#,##0.00", "0.00"):
            return f"{float(value):,.2f}"
        return f"{float(value):,.0f}"
    return "" if value is None else str(value)


def _write_table(sheet: Any, raw: pd.DataFrame, shown: pd.DataFrame, *, first_row: int,
                 total: str | None, freeze: bool = True,
                 unsummed: Collection[str] = ()) -> int:
    """Write ``shown`` (labelled) at ``first_row`` with formats from ``raw``'s names.

    The totals row sums the additive columns but those in ``unsummed`` (a year-end
    balance, a quantile). Returns the last row written.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    bold = Font(name=CJK_FONT, bold=True)  # a named font: never a serif fallback in print
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    total_fill = PatternFill("solid", fgColor=_TOTAL_FILL)
    thin = Side(style="thin", color="808080")
    formats = [number_format(str(c)) for c in raw.columns]
    for j, header in enumerate(shown.columns, start=1):
        cell = sheet.cell(row=first_row, column=j, value=inert(str(header)))
        cell.font = bold
        cell.fill = header_fill
        cell.border = Border(bottom=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="center",
                                   horizontal="left" if formats[j - 1] is None else "right")
    values = shown.to_numpy(dtype=object)
    for i, row in enumerate(values, start=first_row + 1):
        for j, value in enumerate(row, start=1):
            if isinstance(value, float) and np.isnan(value):
                value = None
            elif isinstance(value, np.generic):
                value = value.item()
            elif isinstance(value, str):
                value = inert(value)
            cell = sheet.cell(row=i, column=j, value=value)
            if formats[j - 1] is not None and not isinstance(value, str):
                cell.number_format = formats[j - 1]
    last = first_row + len(values)
    if total is not None and len(values):
        last += 1
        for j, column in enumerate(raw.columns, start=1):
            cell = sheet.cell(row=last, column=j)
            cell.font = bold
            cell.fill = total_fill
            cell.border = Border(top=thin)
            if j == 1:
                cell.value = inert(total)
            elif _additive(str(column)) and column not in unsummed \
                    and pd.api.types.is_numeric_dtype(raw[column]) and raw[column].dtype != bool:
                cell.value = exact_total(raw[column])
                cell.number_format = formats[j - 1] or "General"
                if isinstance(cell.value, str):  # beyond a double's exact digits: text
                    cell.alignment = Alignment(horizontal="right")
    # Widths: fit the formatted values; a longer header wraps onto at most three lines.
    lines_needed = 1
    for j, header in enumerate(shown.columns, start=1):
        texts = [_cell_text(v, formats[j - 1]) for v in values[:2000, j - 1]] if len(
            values) else []
        widest = max([display_width(t) for t in texts] + [display_width(total or "")
                                                          if j == 1 else 0, 6])
        head = display_width(str(header))
        # the unit, "（元/年）" or "[yuan/year]", stays on one line of the heading
        unit = display_width(str(header)[max(str(header).rfind("（"), str(header).rfind(" ["),
                                               0):])
        inner = min(max(widest, -(-head // 3), unit if unit < head else 0), _MAX_WIDTH)
        # Wrapping breaks at spaces and brackets, so allow a little slack per line.
        lines_needed = max(lines_needed, -(-head // max(inner - 2, 4)))
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = max(
            sheet.column_dimensions[letter].width or 0, inner + 2)
    sheet.row_dimensions[first_row].height = 15 * min(lines_needed, 5) + 3
    if freeze:
        sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1)
        sheet.auto_filter.ref = (f"A{first_row}:{get_column_letter(len(shown.columns))}"
                                 f"{first_row + len(values)}")
    return last


def write_table_sheet(sheet: Any, raw: pd.DataFrame, shown: pd.DataFrame, *,
                      total: str | None = None, unsummed: Collection[str] = ()) -> int:
    """Write a table on its own sheet as the report's tables are written.

    Bold shaded headers that wrap, number formats from the unit in each raw column's
    name (:func:`number_format`), widths that fit the formatted values, the header row
    frozen with a filter, and an optional totals row of the additive columns, exact to
    the fen (:func:`exact_total`). Text that a spreadsheet would run as a formula is
    written inert.

    Parameters
    ----------
    sheet
        An empty openpyxl worksheet.
    raw
        The table with propfee's column names (they give the formats and totals).
    shown
        The same table as the reader sees it (labelled headers and values).
    total
        The totals row's label (e.g. ``"合计"``), or ``None`` for no totals row.
    unsummed
        Additive-looking columns the totals row leaves empty (a year-end balance, a
        quantile: their sum means nothing).

    Returns
    -------
    int
        The last row written. [row]
    """
    return _write_table(sheet, raw, shown, first_row=1, total=total, unsummed=unsummed)


_EXACT: Final = 2**53
"""Integers up to this are exact in a double, the number type of an Excel cell."""


def exact_total(column: pd.Series) -> float | int | str:
    """The total of a column as the totals row shows it: exact, never wrapped.

    Money (``*_yuan``) is summed in integer fen of the values shown (each rounded to the
    fen), counts as integers, in Python's unbounded integers where int64 could overflow;
    other numbers as floats. A total a double holds exactly (below 2^53 fen, about
    90 trillion yuan, or 2^53 for a count) is a number; a larger one is written as its
    exact decimal text, since an Excel cell would round it.

    Parameters
    ----------
    column
        A numeric column of a report table.

    Returns
    -------
    float, int or str
        The total. [the column's unit]

    Examples
    --------
    >>> exact_total(pd.Series([0.1, 0.2], name="fee_yuan"))
    0.3
    >>> exact_total(pd.Series([6e16, 6e16], name="fee_collected_yuan"))
    '120,000,000,000,000,000.00'
    >>> exact_total(pd.Series([8399999999999999.0] * 3, name="fee_collected_yuan"))
    '25,199,999,999,999,997.00'
    >>> exact_total(pd.Series([2**62, 2**62], name="households"))
    '9,223,372,036,854,775,808'
    """
    values = column.to_numpy()
    if pd.api.types.is_integer_dtype(column.dtype):
        top = int(np.abs(values).max()) if len(values) else 0
        total = int(values.sum()) if top * max(len(values), 1) < 2**63 else sum(
            int(v) for v in values)
        return total if abs(total) <= _EXACT else f"{total:,}"
    name = str(column.name)
    floats = np.nan_to_num(column.to_numpy(dtype=np.float64), nan=0.0)
    if not (name.endswith("_yuan") or name == "yuan"):
        return float(floats.sum())
    if not np.isfinite(floats).all():
        return float(floats.sum())
    biggest = float(np.abs(floats).max()) if len(floats) else 0.0
    if biggest * 100.0 < 2**52:  # v x 100 rounds to the right fen in float64
        fen = np.rint(floats * 100.0).astype(np.int64)
        cents = int(fen.sum()) if biggest * 100.0 * len(fen) < 2**62 else sum(
            int(v) for v in fen.tolist())
    else:  # each value's fen from its exact decimal expansion, summed without bound
        cents = sum(int((Decimal(v) * 100).to_integral_value(ROUND_HALF_EVEN))
                    for v in floats.tolist())
    if abs(cents) <= _EXACT:
        return cents / 100
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d}"


_PAGE_WIDTH: Final = 220
"""Characters of column width that still print legibly across one landscape A4 page."""


def _print_setup(sheet: Any, header_row: int, title_columns: str | None = None) -> None:
    """Landscape A4, fit to the page width, the header row repeated on every page.

    A table wider than :data:`_PAGE_WIDTH` is fitted to as many pages wide as keep its
    text legible, with ``title_columns`` (e.g. id and name) repeated on each.
    """
    from openpyxl.utils import get_column_letter

    width = sum(sheet.column_dimensions[get_column_letter(j)].width or 13
                for j in range(1, sheet.max_column + 1))
    pages = max(1, -(-int(width) // _PAGE_WIDTH))
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = pages
    if pages > 1 and title_columns:
        sheet.print_title_cols = title_columns
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def _shown(raw: pd.DataFrame, lang: Language | None) -> pd.DataFrame:
    if lang is None:
        return neutralise_formulas(raw)
    return neutralise_formulas(label_table(raw, lang))


def _bar_chart(sheet: Any, *, title: str, axis: str, data_col: int, cat_col: int,
               first: int, last: int, anchor: str, colour: str) -> None:
    from openpyxl.chart import BarChart, Reference

    chart: Any = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = title
    chart.y_axis.title = axis
    chart.y_axis.numFmt = "#,##0"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # first category on top
    chart.x_axis.tickLblPos = "low"  # category names left of the bars, also below zero
    chart.legend = None
    chart.height, chart.width = 8.5, 16.0
    values = Reference(sheet, min_col=data_col, min_row=first - 1, max_row=last)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=cat_col, min_row=first, max_row=last))
    series = chart.series[0]
    series.graphicalProperties.solidFill = colour
    series.invertIfNegative = False
    # openpyxl leaves both axes hidden unless told otherwise.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    sheet.add_chart(chart, anchor)


def write_budget_workbook(
    budget: DistrictBudget, path: str | Path, *, labels: Language | None = "en",
    unit: MoneyUnit = "wan", interval: Interval | None = None,
    printed: dt.date | None = None, tornado: pd.DataFrame | None = None,
    parameter_file: ParameterFile | None = None,
) -> Path:
    """Write a district budget as an Excel report.

    A labelled report (``labels`` ``"en"`` or ``"zh"``) opens with the summary a street
    leader signs (:mod:`propfee.excel.summary`: the conclusion, the what-if inputs, the
    key figures in 万元 or 元, by zone), the what-if sheet its figures are formulas of
    (:mod:`propfee.excel.whatif`) and one printable budget per compound
    (:mod:`propfee.excel.sheet_compound`), then the tables. An unlabelled report has the
    tables only, and no formula.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.
    path
        The ``.xlsx`` file to write (the caller makes the write atomic).
    labels
        ``"en"`` or ``"zh"`` for labelled sheets, headers and codes; ``None`` for
        propfee's names (for other programs).
    unit
        Money on the summary in 万元 (``"wan"``) or 元 (``"yuan"``).
    interval
        The headline as intervals (:func:`propfee.interval`), stated on the summary.
    printed
        The date in the printed pages' footer (default: today).
    tornado
        One-at-a-time sensitivity of the headline
        (:func:`propfee.uncertainty.sensitivity.tornado`), shown on the assumptions sheet.
    parameter_file
        The parameter file of the budget's set, for the kind, range and reference of
        every value on the assumptions sheet (default: the built-in file of its region).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    require("openpyxl", feature="writing Excel files", extra="excel")
    from openpyxl import Workbook

    target = Path(path)
    lang: Language = labels or "en"
    tables = _raw_tables(budget)
    if labels:  # a contract by the name a reader knows, never its internal code
        from propfee.labels import contract_name

        compounds = tables["compounds"]
        names = dict(zip(compounds["compound_id"].astype(str), compounds["name"].astype(str),
                         strict=True)) if "name" in compounds.columns else None
        tables["compounds"] = compounds.assign(bundle_id=[
            contract_name(str(b), labels, names) for b in compounds["bundle_id"]])
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    total = label("total_row", lang) if labels else "all"
    if labels and budget._inputs is not None:
        from propfee.excel.sheet_compound import write_compound_sheet
        from propfee.excel.summary import INPUT_ROWS, write_summary_sheet
        from propfee.excel.whatif import write_whatif_sheet

        day = printed or dt.date.today()
        leader = book.create_sheet(label("sheet_summary", lang))
        whatif_sheet = book.create_sheet(label("sheet_whatif", lang))
        refs = {key: f"'{leader.title}'!$B${row}" for key, row in INPUT_ROWS.items()}
        whatif = write_whatif_sheet(whatif_sheet, budget, lang=lang, inputs=refs)
        write_summary_sheet(leader, budget, whatif, lang=lang, unit=unit, printed=day,
                            interval=interval)
        write_compound_sheet(book.create_sheet(label("sheet_compound_budgets", lang)),
                             budget, lang=lang, printed=day)
        from propfee.excel.notice import write_notice_sheet
        from propfee.excel.units import page_setup

        write_notice_sheet(book.create_sheet(label("sheet_notice", lang)), budget, lang=lang,
                           printed=day)
        from propfee.excel.assumptions import write_assumptions_sheet
        from propfee.excel.plans import write_plans_sheet
        from propfee.excel.request import write_request_sheet

        write_plans_sheet(book.create_sheet(label("sheet_plans", lang)), budget, lang=lang,
                          unit=unit, printed=day)
        write_request_sheet(book.create_sheet(label("sheet_request", lang)), budget,
                            lang=lang, unit=unit, printed=day)
        write_assumptions_sheet(book.create_sheet(label("sheet_assumptions", lang)), budget,
                                lang=lang, printed=day, tornado=tornado,
                                parameter_file=parameter_file)

        page_setup(whatif_sheet, title=label("sheet_whatif", lang), lang=lang, printed=day,
                   header_row=1)
        book.calculation.fullCalcOnLoad = True
    for name in SHEETS:
        raw = tables[name]
        sheet_name = name
        if labels:
            sheet_name = label("sheet_breakdown" if name == "summary" and
                               budget._inputs is not None else f"sheet_{name}", labels)
        sheet = book.create_sheet(sheet_name)
        if name == "summary":
            _summary_sheet(sheet, budget, raw, labels, lang)
            continue
        if name == "contributions":
            _write_table(sheet, raw, _shown(raw, labels), first_row=1, total=None)
        else:
            _write_table(sheet, raw, _shown(raw, labels), first_row=1, total=total)
        if name == "compounds":
            sheet.freeze_panes = "C2"  # id and name stay in view
        _print_setup(sheet, 1, "A:B" if name == "compounds" else "A:A")
    book.save(target)
    return target


def _summary_sheet(sheet: Any, budget: DistrictBudget, summary: pd.DataFrame,
                   labels: Language | None, lang: Language) -> None:
    """Size-class table (its all-row labelled Total), channel credit, payers, two charts."""
    from openpyxl.styles import Font

    n = len(budget.compounds)
    title = ("四管一补预算汇总（{n} 个小区，金额单位：元/年）" if lang == "zh"
             else "4+1 budget summary ({n} compounds, amounts in yuan/year)").format(n=n)
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    # Key figures of the district first: what a reader asks before anything else.
    figures = key_figures(budget)
    shown_figures = figures.assign(item=[
        label(k, lang).removesuffix(" [yuan/year]").removesuffix("（元/年）") if labels else k
        for k in figures["item"]])
    if labels:
        shown_figures.columns = ["关键数字" if lang == "zh" else "Key figure",
                                 label("yuan", lang)]
    last = _write_table(sheet, figures, shown_figures, first_row=3, total=None, freeze=False)
    # The size-class summary; its last row is the district ("all"): the totals row.
    body, district = summary.iloc[:-1], summary.iloc[-1:]
    shown = _shown(body, labels)
    first = last + 3
    sheet.cell(row=first - 1, column=1,
               value="按户数分组" if lang == "zh" else "By household size class").font = \
        Font(bold=True)
    last = _write_table(sheet, body, shown, first_row=first, total=None, freeze=False)
    total_label = label("total_row", lang) if labels else "all"
    _total_from(sheet, district, row=last + 1, first_label=total_label)
    last += 1

    # Channel credit and who pays, side by side below, each with a native chart.
    from propfee.report import channel_contributions

    credit = channel_contributions(budget).reset_index()
    start = last + 3
    sheet.cell(row=start - 1, column=1, value=label("chart_channel_credit", lang)).font = \
        Font(bold=True)
    credit_end = _write_table(sheet, credit, _shown(credit, labels), first_row=start,
                              total=None, freeze=False)
    payers = who_pays_table(budget)  # adds up to the total cost, in its last row
    shown_payers = payers.assign(payer=[
        (label("total_cost_yuan" if p == "total" else p, lang)
         .removesuffix(" [yuan/year]").removesuffix("（元/年）")) if labels else p
        for p in payers["payer"]])
    if labels:
        shown_payers.columns = [label("payer", lang), label("yuan", lang)]
    pay_start = credit_end + 4
    sheet.cell(row=pay_start - 1, column=1, value=label("chart_payers", lang)).font = \
        Font(bold=True)
    pay_end = _write_table(sheet, payers, shown_payers, first_row=pay_start, total=None,
                           freeze=False)
    sheet.freeze_panes = "A2"
    axis = label("yuan_per_year", lang)
    # The charts stand to the right of the widest table, one above the other.
    from openpyxl.utils import get_column_letter

    right = get_column_letter(len(summary.columns) + 2)
    _bar_chart(sheet, title=label("chart_channel_credit", lang), axis=axis, data_col=2,
               cat_col=1, first=start + 1, last=credit_end, anchor=f"{right}3",
               colour="4472C4")
    _bar_chart(sheet, title=label("chart_payers", lang), axis=axis, data_col=2, cat_col=1,
               first=pay_start + 1, last=pay_end, anchor=f"{right}21",
               colour="ED7D31")
    _print_setup(sheet, 1)
    sheet.page_setup.fitToHeight = 1  # the summary and its charts on one page


def _total_from(sheet: Any, row_frame: pd.DataFrame, *, row: int, first_label: str) -> None:
    from openpyxl.styles import Border, Font, PatternFill, Side

    fill = PatternFill("solid", fgColor=_TOTAL_FILL)
    thin = Side(style="thin", color="808080")
    for j, column in enumerate(row_frame.columns, start=1):
        value = row_frame.iloc[0][column]
        cell = sheet.cell(row=row, column=j)
        cell.value = first_label if j == 1 else (
            None if isinstance(value, float) and np.isnan(value) else
            (value.item() if isinstance(value, np.generic) else value))
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.border = Border(top=thin)
        fmt = number_format(str(column))
        if fmt is not None and j > 1:
            cell.number_format = fmt


def _rule_text(spec: ColumnSpec, lang: Language) -> str:
    """The field's rule in plain words, from its declaration.

    Numbers as people write them, never in scientific notation: "整数，大于 0，不超过 100 万"
    / "whole number, more than 0, at most 1,000,000"; a text's limit is its length:
    "文本，最多 100 个字" / "text, at most 100 characters".
    """
    zh = lang == "zh"
    kind = {"str": ("text", "文本"), "int": ("whole number", "整数"),
            "float": ("number", "数值")}[spec.kind][1 if zh else 0]
    parts = [kind]
    if spec.kind == "str":
        if spec.upper is not None:
            limit = spec.bound_text(spec.upper)
            parts.append(f"最多 {limit} 个字" if zh else f"at most {limit} characters")
        if spec.name == "compound_id":
            parts.append("不可重复" if zh else "each id once")
        return ("，" if zh else ", ").join(parts)
    if spec.lower is not None:
        low = spec.bound_text(spec.lower, lang)
        parts.append((f"大于 {low}" if spec.lower_open else f"不小于 {low}") if zh else
                     (f"more than {low}" if spec.lower_open else f"at least {low}"))
    if spec.upper is not None:
        high = spec.bound_text(spec.upper, lang)
        parts.append(f"不超过 {high}" if zh else f"at most {high}")
    return ("，" if zh else ", ").join(parts)


_ZH_UNITS: Final[dict[str, str]] = {
    "households": "户", "m2": "平方米", "m2/household": "平方米/户", "year": "年",
    "buildings": "栋", "units": "个", "storeys": "层", "lifts": "部", "gates": "个",
    "tanks": "个", "spaces": "个", "persons": "人", "m": "米", "degree": "度",
    "yuan/(m2 month)": "元/（平方米·月）", "1": "比例（0 到 1）", "yuan": "元",
    "yuan/year": "元/年",
}
"""Every unit of a template column, in Chinese."""

_EN_UNITS: Final[dict[str, str]] = {"1": "share (0 to 1)"}
"""Units shown otherwise than propfee writes them, in English."""

_ZH_HELP: Final[dict[str, str]] = {
    "compound_id": "小区唯一编号（如 A01），同一表中不可重复；“现状”表按此编号对应。",
    "name": "小区名称，报告中显示在编号旁，可留空。",
    "households": "小区住宅总户数（按房屋套数计），按户计算的费用和人员配置以此为准。",
    "floor_area_m2": "住宅总建筑面积，物业费按此计收；也可只填户均面积。",
    "floor_area_m2_per_household": "户均建筑面积；与总建筑面积二选一，总面积 = 户均面积 × 户数。",
    "build_year": "小区建成（竣工）年份，决定各部位已使用的年限和维修资金的估算起点。",
    "buildings": "住宅楼栋数，屋面、外墙、管线等工程量按楼栋估算。",
    "stairwell_units": "单元（楼道）数，即有独立楼梯的入口数，楼道保洁、单元门按此计算。",
    "storeys": "典型住宅楼的层数，用于估算楼道和立管的长度。",
    "lifts": "客梯部数，多数老旧多层住宅为 0。",
    "lift_households": "住在有电梯单元的户数；留空时：有电梯则为全部户数，无电梯则为 0。",
    "water_tanks": "屋顶或地下的二次供水水箱个数（需定期清洗消毒）；市政直供时填 0。",
    "gates": "需要值守（门卫或门禁）的出入口个数。",
    "green_area_m2": "需要养护的绿化面积，绿化养护工作量按此计算；没有填 0。",
    "parking_spaces": "小区公共用地上的停车位个数（不含私有车库）。",
    "party_members": "在册党员人数；留空时按户数乘参数中的比例估算。",
    "x_m": "本地平面坐标（东向，米），用于把相邻小区打包；也可改填经纬度。",
    "y_m": "本地平面坐标（北向，米），与横坐标一起使用。",
    "lon": "经度，坐标系见“坐标系”列（留空为 WGS84，即 GPS）。",
    "lat": "纬度，坐标系见“坐标系”列。",
    "coord_system": "经纬度的坐标系：wgs84（GPS）、gcj02（高德、腾讯地图）或 bd09（百度地图）；"
                    "留空为 wgs84。",
    "street": "所属街道办事处，用于按街道汇总。",
    "zone": "所属片区，默认按片区打包签订共享物业协议。",
    "fee_rate_yuan_per_m2_month": "本小区现行物业费标准（每平方米建筑面积每月，如 0.5）；"
                                  "留空时用参数中的标准。",
    "collection_rate": "本小区预计物业费收缴率（0 到 1，如 0.8 即八成）；留空时用参数中的收缴率。",
}
"""What each compound column means, in Chinese (English: the column's description)."""

EXAMPLE_COMPOUND: Final[dict[str, dict[str, float | int | str]]] = {
    "en": {"compound_id": "A01", "name": "Xingfuli", "households": 240,
           "floor_area_m2": 16800.0, "build_year": 1992, "buildings": 6,
           "stairwell_units": 18, "storeys": 6, "lifts": 0, "water_tanks": 2, "gates": 2,
           "green_area_m2": 1500.0, "parking_spaces": 60, "lon": 112.55, "lat": 37.87,
           "coord_system": "gcj02", "street": "Qiaodong", "zone": "Zone 1",
           "fee_rate_yuan_per_m2_month": 0.5, "collection_rate": 0.85},
    "zh": {"compound_id": "A01", "name": "幸福里小区", "households": 240,
           "floor_area_m2": 16800.0, "build_year": 1992, "buildings": 6,
           "stairwell_units": 18, "storeys": 6, "lifts": 0, "water_tanks": 2, "gates": 2,
           "green_area_m2": 1500.0, "parking_spaces": 60, "lon": 112.55, "lat": 37.87,
           "coord_system": "gcj02", "street": "桥东街道", "zone": "一片区",
           "fee_rate_yuan_per_m2_month": 0.5, "collection_rate": 0.85},
}
"""The example compound of the template's 示例 (example) sheet, by language: a 1992
six-storey compound of 240 households without lifts."""


def _headers_of(specs: Sequence[ColumnSpec], zh: bool) -> list[str]:
    return [(label(s.name, "zh") if s.name in _ZH_HELP else s.label_zh) if zh else s.name
            for s in specs]


def write_template_workbook(path: str | Path, *, labels: Language = "en") -> Path:
    """Write the compound template: the compound and current-state sheets, the
    instructions and an example.

    Sheets (Chinese / English names):

    - 小区 / compounds: one row per compound, the columns of
      :data:`~propfee.compound.COMPOUND_COLUMNS`, headers only;
    - 现状 / current state: optional, one row per compound, the columns of
      :data:`~propfee.reserve.current_state.CURRENT_STATE_COLUMNS` (fund balance,
      renewal years, current income, staff and contract), headers only;
    - 填写说明 / Instructions: how to fill in, and every column of both sheets with its
      unit, whether required, default, rule and meaning;
    - 示例 / example: a filled example compound and its current state, in grey italics,
      on a sheet that is never read as data.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write (the caller makes the write atomic).
    labels
        ``"en"`` (propfee's column names) or ``"zh"`` (Chinese headers with units).

    Returns
    -------
    pathlib.Path
        The file written.

    Notes
    -----
    Every column of the data sheets carries an Excel data validation derived from its
    :class:`~propfee.compound.ColumnSpec`: whole numbers or decimals within the field's
    bounds, and ``compound_id`` unique within the column; its prompt says what the
    column means and its error message the rule in plain words. The headers are what
    :func:`propfee.io.read_compounds` and
    :func:`propfee.reserve.current_state.read_current_state` read back.
    """
    require("openpyxl", feature="writing Excel files", extra="excel")
    from openpyxl import Workbook

    from propfee.reserve.current_state import CURRENT_STATE_COLUMNS, CURRENT_STATE_SHEETS

    zh = labels == "zh"
    target = Path(path)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = label("sheet_template", labels) if zh else "compounds"
    headers = _headers_of(COMPOUND_COLUMNS, zh)
    helps = [_ZH_HELP[s.name] if zh else s.description for s in COMPOUND_COLUMNS]
    _data_sheet(sheet, COMPOUND_COLUMNS, headers, helps, zh)
    state = book.create_sheet(CURRENT_STATE_SHEETS[0 if zh else 1])
    state_specs = [c.spec for c in CURRENT_STATE_COLUMNS]
    state_headers = _headers_of(state_specs, zh)
    state_helps = [c.help_zh if zh else c.spec.description for c in CURRENT_STATE_COLUMNS]
    _data_sheet(state, state_specs, state_headers, state_helps, zh,
                formats={c.spec.name: _state_format(c.spec) for c in CURRENT_STATE_COLUMNS})
    _instructions(book.create_sheet(label("sheet_instructions", labels)), labels,
                  sheets=(str(sheet.title), str(state.title)))
    _example(book.create_sheet("示例" if zh else "example"), labels, headers, state_headers)
    book.active = 0
    book.save(target)
    return target


def _state_format(spec: ColumnSpec) -> str | None:
    """The number format of a current-state column: years and persons plain, yuan with
    separators and fen, text as text."""
    if spec.kind == "str":
        return None
    return "#,##0.00" if spec.unit.startswith("yuan") else "0"


def _data_sheet(sheet: Any, specs: Sequence[ColumnSpec], headers: Sequence[str],
                helps: Sequence[str], zh: bool,
                formats: dict[str, str | None] | None = None) -> None:
    """Headers, data validation and cell formats of a template data sheet."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    last = _TEMPLATE_ROWS + 1
    for j, (spec, header, help_text) in enumerate(zip(specs, headers, helps, strict=True),
                                                  start=1):
        cell = sheet.cell(row=1, column=j, value=header)
        cell.font = Font(bold=True, color="C00000" if spec.required else "000000")
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = min(max(display_width(header), 10) + 3, 30)
        rule = _validation(spec, letter, zh)
        if rule is not None:
            validation = DataValidation(allow_blank=not spec.required, showErrorMessage=True,
                                        showInputMessage=True, **rule)
            validation.errorTitle = "输入有误" if zh else "Not allowed"
            validation.error = (f"{header}：{_rule_text(spec, 'zh')}" if zh
                                else f"{header}: {_rule_text(spec, 'en')}")[:255]
            validation.promptTitle = header[:32]
            validation.prompt = help_text[:255]
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
        fmt = formats[spec.name] if formats is not None else number_format(spec.name)
        if fmt is None and spec.kind == "str":
            fmt = "@"
        if fmt is not None:
            for row in range(2, 202):
                sheet.cell(row=row, column=j).number_format = fmt
    sheet.freeze_panes = "C2" if specs[1].name == "name" else "B2"
    longest = max(display_width(h) for h in headers)
    sheet.row_dimensions[1].height = (48 if longest > 27 else 32) if zh else 18
    _print_setup(sheet, 1)


def _example(sheet: Any, lang: Language, headers: Sequence[str],
             state_headers: Sequence[str]) -> None:
    """The example sheet: the example compound and its current state, grey italics."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from propfee.reserve.current_state import CURRENT_STATE_COLUMNS, EXAMPLE_STATE

    zh = lang == "zh"
    sheet.sheet_properties.tabColor = "A6A6A6"
    sheet.cell(row=1, column=1, value=(
        "示例（仅供参考：本表不参与测算，请在“小区”和“现状”表中填写）" if zh else
        "Example (for reference only: this sheet is never computed; fill in the "
        "'compounds' and 'current state' sheets)")).font = Font(bold=True, size=13)
    grey = Font(italic=True, color="808080")
    fill = PatternFill("solid", fgColor=_TOTAL_FILL)
    compound = EXAMPLE_COMPOUND[lang]
    formats = {c.spec.name: _state_format(c.spec) for c in CURRENT_STATE_COLUMNS}
    blocks = (("小区" if zh else "compounds", headers, [s.name for s in COMPOUND_COLUMNS],
               compound),
              ("现状" if zh else "current state", state_headers,
               [c.spec.name for c in CURRENT_STATE_COLUMNS], EXAMPLE_STATE[lang]))
    row = 3
    for title, heads, names, values in blocks:
        sheet.cell(row=row, column=1, value=(f"“{title}”表的一行：" if zh else
                                             f"A row of the '{title}' sheet:")).font = Font(
            bold=True)
        for j, (head, name) in enumerate(zip(heads, names, strict=True), start=1):
            top = sheet.cell(row=row + 1, column=j, value=head)
            top.font = Font(italic=True, bold=True, color="808080")
            top.fill = fill
            top.alignment = Alignment(wrap_text=True, vertical="center")
            cell = sheet.cell(row=row + 2, column=j, value=inert(values.get(name)))
            cell.font = grey
            fmt = formats[name] if name in formats else number_format(name)
            if fmt is not None and not isinstance(cell.value, str):
                cell.number_format = fmt
            letter = get_column_letter(j)
            sheet.column_dimensions[letter].width = max(
                sheet.column_dimensions[letter].width or 0,
                min(max(display_width(head), 10) + 3, 30))
        sheet.row_dimensions[row + 1].height = 48 if zh else 18
        row += 5
    sheet.cell(row=row - 1, column=1, value=(
        "示例中的小区 1992 年建成，屋面 2016 年做过防水，外墙和楼道 2019 年改造过，消防器材 "
        "2021 年更新；其余部位留空，按建成年份计算。" if zh else
        "The example compound was built in 1992; its roof was waterproofed in 2016, its "
        "walls and stairwells renovated in 2019, its fire equipment renewed in 2021; the "
        "other groups are left empty and count from the build year.")).font = grey
    _print_setup(sheet, 4)


def _validation(spec: ColumnSpec, letter: str, zh: bool) -> dict[str, Any] | None:
    if spec.name == "compound_id":
        return {"type": "custom", "formula1": f"COUNTIF(${letter}:${letter},{letter}2)=1"}
    if spec.kind == "str":
        return None
    kind = "whole" if spec.kind == "int" else "decimal"
    low, high = spec.lower, spec.upper

    def num(v: float) -> str:
        return f"{v:.15g}"

    if low is not None and spec.lower_open:
        if spec.kind == "int":
            low = low + 1
        elif high is None:
            return {"type": kind, "operator": "greaterThan", "formula1": num(low)}
        else:  # an open lower bound and an upper bound: a formula
            cell = f"{letter}2"
            return {"type": "custom",
                    "formula1": f"AND(ISNUMBER({cell}),{cell}>{num(low)},{cell}<={num(high)})"}
    if low is not None and high is not None:
        return {"type": kind, "operator": "between", "formula1": num(low),
                "formula2": num(high)}
    if low is not None:
        return {"type": kind, "operator": "greaterThanOrEqual", "formula1": num(low)}
    if high is not None:
        return {"type": kind, "operator": "lessThanOrEqual", "formula1": num(high)}
    return {"type": kind, "operator": "between", "formula1": "-1E+15", "formula2": "1E+15"}


def _unit(unit: str, zh: bool) -> str:
    """A unit as the instructions show it ("" for ids and text)."""
    if unit == "-":
        return ""
    return _ZH_UNITS[unit] if zh else _EN_UNITS.get(unit, unit)


def _default_text(spec: ColumnSpec, lang: Language) -> str:
    if spec.default is None or spec.default == "":
        return ""
    if isinstance(spec.default, float) and spec.default == int(spec.default):
        return spec.bound_text(spec.default, lang)
    return str(spec.default)


def _instructions(sheet: Any, lang: Language, *, sheets: tuple[str, str]) -> None:
    from openpyxl.styles import Alignment, Font

    from propfee.reserve.current_state import CURRENT_STATE_COLUMNS

    zh = lang == "zh"
    data, state = sheets
    lines = ([
        "填写说明",
        f"1. 在“{data}”表中每个小区填一行，第 1 行为表头，请勿修改表头。",
        "2. 红色表头为必填项；其余可留空，留空时使用下表中的默认值或参数文件中的数值。",
        "3. 输入超出范围或类型不符时，Excel 会拒绝该单元格并提示规则。",
        f"4. “{state}”表（选填）记录各小区目前的维修资金余额、各部位最近改造年份和现有收入、"
        "人员、合同，每个小区一行，按小区编号对应。",
        "5. “示例”表是一个填好的小区，仅供参考，不参与测算。",
        "6. 填好后运行：propfee evaluate 小区.xlsx --out 预算.xlsx --labels zh；"
        "维修资金测算：propfee reserve 小区.xlsx --labels zh（自动读取“现状”表）",
    ] if zh else [
        "How to fill in this workbook",
        f"1. One row per compound on the '{data}' sheet; row 1 holds the headers: keep them.",
        "2. Headers in red are required; leave others empty to use the default below or the "
        "parameter file's value.",
        "3. Excel refuses a cell outside a column's rule and shows the rule.",
        f"4. The '{state}' sheet (optional) records what is known today: the fund's "
        "balance, the year each group of components was last renewed, and current income, "
        "staff and contract; one row per compound, matched by compound_id.",
        "5. The 'example' sheet shows a filled compound, for reference only: it is never "
        "computed.",
        "6. Then run: propfee evaluate compounds.xlsx --out budget.xlsx; for the "
        "maintenance fund: propfee reserve compounds.xlsx (reads the current state sheet).",
    ])
    for i, text in enumerate(lines, start=1):
        sheet.cell(row=i, column=1, value=text).font = Font(bold=i == 1, size=13 if i == 1
                                                           else 11)
    heads = (["表头", "单位", "必填", "默认值", "规则", "说明"] if zh else
             ["Header", "Unit", "Required", "Default", "Rule", "Description"])
    state_specs = [c.spec for c in CURRENT_STATE_COLUMNS]
    blocks = (
        (f"“{data}”表" if zh else f"The '{data}' sheet", COMPOUND_COLUMNS,
         [_ZH_HELP[s.name] if zh else s.description for s in COMPOUND_COLUMNS]),
        (f"“{state}”表（选填，每个小区一行）" if zh else
         f"The '{state}' sheet (optional, one row per compound)", state_specs,
         [c.help_zh if zh else c.spec.description for c in CURRENT_STATE_COLUMNS]),
    )
    first = len(lines) + 2
    top = first
    for title, specs, helps in blocks:
        sheet.cell(row=first, column=1, value=title).font = Font(bold=True, size=12)
        rows = [[header, _unit(spec.unit, zh),
                 label("yes" if spec.required else "no", lang), _default_text(spec, lang),
                 _rule_text(spec, lang), help_text]
                for spec, header, help_text in zip(specs, _headers_of(specs, zh), helps,
                                                   strict=True)]
        table = pd.DataFrame(rows, columns=heads)
        last = _write_table(sheet, table, table, first_row=first + 1, total=None,
                            freeze=False)
        for row in sheet.iter_rows(min_row=first + 2, max_row=last, max_col=6):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            needed = max(-(-display_width(str(row[5].value or "")) // 50),
                         -(-display_width(str(row[0].value or "")) // 26),
                         -(-display_width(str(row[4].value or "")) // 30))
            sheet.row_dimensions[row[0].row].height = 15 * max(needed, 1) + 2
        first = last + 2
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["E"].width = 32
    sheet.column_dimensions["F"].width = 64
    _print_setup(sheet, top + 1)
