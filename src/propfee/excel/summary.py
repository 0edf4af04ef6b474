"""The summary a street leader signs: the conclusion first, the inputs, the key figures.

Layout (one printed page, A4 landscape)::

    title
    conclusion: "286 个小区中 224 个入不敷出，需街道补贴 78.7 万元/年 ..."  (a formula)
    the headline's 90% range, when an interval was computed
    parameter set, date and unit
    inputs a planner may change (yellow): fee rate, collection rate, public income share
    key figures (formulas of the inputs, through the what-if sheet)
    by zone, in natural order (一, 二 ... 十, 十一; Z2 before Z10), with a totals row

Money is shown in 万元 by default (or 元); it is computed in fen on the what-if sheet and
only divided for display.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from propfee.budget import DistrictBudget
from propfee.excel.units import (
    CJK_FONT,
    INPUT_FILL,
    MoneyUnit,
    money_scale,
    money_unit,
    natural_key,
    page_setup,
)
from propfee.excel.whatif import WhatIf, zone_names
from propfee.io.writers import inert
from propfee.labels import Language, label

if TYPE_CHECKING:
    from propfee.uncertainty.interval import Interval

__all__ = ["INPUT_ROWS", "KEY_ROWS", "write_summary_sheet"]

INPUT_ROWS: Final = {"fee_rate": 7, "collection_rate": 8, "income_share": 9}
"""Rows of the input cells (column B) on the summary."""

KEY_FIRST_ROW: Final = 13
"""Row of the first key figure (column B)."""

KEY_ROWS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("fee_collected", "Fee collected", "实收物业费", "居民缴纳，进入资金池"),
    ("public_income", "Public-resource income", "公共资源收益",
     "停车、广告等收益，进入资金池"),
    ("cash_cost", "Compound cash cost", "小区现金支出", "由资金池支付的各项费用，不随输入变化"),
    ("pool_balance", "Fund pool balance", "资金池余额", "物业费 + 公共收益 - 现金支出"),
    ("in_deficit", "Compounds in deficit", "入不敷出小区（个）", "资金池余额为负的小区数"),
    ("street_subsidy", "Street subsidy", "街道补贴", "补足各小区资金池缺口"),
    ("pool_surplus", "Pool surplus kept", "资金池结余", "有结余小区留存，用于本小区"),
    ("street_services", "Street services", "街道服务支出", "垃圾清运、网格员等，由街道承担"),
    ("renovation", "Renovation capital", "改造资金（设备购置）", "智能设备购置，由改造资金承担"),
    ("net_public_cost", "Net public cost", "公共财政净支出", "街道服务 + 街道补贴 + 改造资金"),
)
"""Key figures: what-if column, English and Chinese label, Chinese note."""

_NOTES_EN: Final = {
    "fee_collected": "paid by residents into the fund pool",
    "public_income": "parking, advertising and the like, into the fund pool",
    "cash_cost": "everything the fund pool pays; does not change with the inputs",
    "pool_balance": "fees + public income - cash cost",
    "in_deficit": "compounds whose pool balance is below zero",
    "street_subsidy": "tops up every pool that falls short",
    "pool_surplus": "kept by the compounds that have it",
    "street_services": "garbage removal, grid workers: borne by the street",
    "renovation": "smart devices, bought with renovation funds",
    "net_public_cost": "street services + street subsidy + renovation capital",
}


def _cell(sheet: Any, ref: str, value: Any, *, bold: bool = False, size: int = 11,
          fmt: str | None = None, formula: bool = False) -> Any:
    """Write a cell; a text is made inert unless it is a ``formula`` propfee built."""
    from openpyxl.styles import Font

    cell = sheet[ref]
    cell.value = inert(value) if isinstance(value, str) and not formula else value
    cell.font = Font(name=CJK_FONT, bold=bold, size=size)
    if fmt is not None:
        cell.number_format = fmt
    return cell


def write_summary_sheet(
    sheet: Any, budget: DistrictBudget, whatif: WhatIf, *, lang: Language,
    unit: MoneyUnit, printed: dt.date, interval: Interval | None = None,
) -> None:
    """Write the leader's summary.

    Parameters
    ----------
    sheet
        An empty openpyxl worksheet.
    budget
        The district budget (with its inputs).
    whatif
        The what-if sheet the figures are formulas of (:func:`write_whatif_sheet`).
    lang
        Language.
    unit
        ``"wan"`` (万元) or ``"yuan"`` (元).
    printed
        The date in the footer.
    interval
        The headline as intervals (:func:`propfee.interval`); its range of the street
        subsidy and of the compounds in deficit is stated under the conclusion.
    """
    from openpyxl.styles import Alignment, Border, PatternFill, Side

    _, _, params = budget._need_inputs("with its inputs")
    zh = lang == "zh"
    c = budget.compounds
    n = len(c)
    scale = money_scale(unit)
    money = money_unit(unit, lang)
    fmt = "#,##0.00" if unit == "wan" else "#,##0"
    streets = sorted({str(s) for s in c["street"] if str(s)}, key=natural_key)
    place = streets[0] if len(streets) == 1 else ("" if zh else "district")
    title = (f"{place} 老旧小区“四管一补”预算汇总".strip() if zh
             else f"4+1 budget of the old compounds: {place}".rstrip(": "))
    _cell(sheet, "A1", title, bold=True, size=15)
    sheet.merge_cells("A1:G1")

    key_row = {key: KEY_FIRST_ROW + i for i, (key, *_) in enumerate(KEY_ROWS)}
    count, subsidy, net = (f"B{key_row['in_deficit']}", f"B{key_row['street_subsidy']}",
                           f"B{key_row['net_public_cost']}")
    digits = 1 if unit == "wan" else 0
    if zh:
        conclusion = (f'=IF({count}=0,"{n} 个小区的资金池全部收支平衡，不需要街道补贴；'
                      f'公共财政净支出 "&FIXED({net},{digits})&" {money}。",'
                      f'"{n} 个小区中 "&{count}&" 个入不敷出，需街道补贴 "&FIXED({subsidy},'
                      f'{digits})&" {money}；公共财政净支出 "&FIXED({net},{digits})&" {money}。")')
    else:
        conclusion = (f'=IF({count}=0,"All {n} compounds balance their fund pools: no street '
                      f'subsidy is needed; net public cost "&FIXED({net},{digits})&" {money}.",'
                      f'{count}&" of {n} compounds run a deficit: the street subsidy needed is "'
                      f'&FIXED({subsidy},{digits})&" {money}; net public cost "&FIXED({net},'
                      f'{digits})&" {money}.")')
    _cell(sheet, "A2", conclusion, bold=True, size=13, formula=True)
    sheet.merge_cells("A2:G2")
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[2].height = 36
    if interval is not None:
        sub = interval.figure("street_subsidy_yuan").iloc[0]
        cnt = interval.figure("compounds_in_deficit").iloc[0]
        draws = len(interval.draws)
        low, high = sub["low"] / scale, sub["high"] / scale
        text = (f"按下列默认输入，考虑参数的不确定性（{draws} 次抽样）：街道补贴的 90% 区间为 "
                f"{low:,.{digits}f}–{high:,.{digits}f} {money}，入不敷出小区 "
                f"{cnt['low']:.0f}–{cnt['high']:.0f} 个。" if zh else
                f"At the default inputs below, with the parameters' ranges ({draws} draws): "
                f"90% range of the street subsidy {low:,.{digits}f}-{high:,.{digits}f} "
                f"{money}; compounds in deficit {cnt['low']:.0f}-{cnt['high']:.0f}.")
        _cell(sheet, "A3", text)
        sheet.merge_cells("A3:G3")
    day = params.as_of
    when = f"{day.year}年{day.month}月{day.day}日"
    basis = (f"参数：{label(params.region, lang)}，取 {when}有效的取值；"
             f"金额单位：{money}；共 {n} 个小区。" if zh else
             f"Parameters: {params.region}, the values in force on {params.as_of.isoformat()}; "
             f"money in {money}; {n} compounds.")
    _cell(sheet, "A4", basis)
    sheet.merge_cells("A4:G4")

    # Inputs a planner may change.
    _cell(sheet, "A6", "测算输入（黄色单元格可修改，下列数字随之重算）" if zh else
          "Inputs (change a yellow cell and the figures below follow)", bold=True)
    inputs = (
        ("fee_rate", "物业费标准（元/平方米/月）", "Fee rate [yuan/m2/month]",
         params.fees.rate_yuan_per_m2_month, "0.00"),
        ("collection_rate", "收缴率", "Collection rate", params.fees.collection_rate, "0.0%"),
        ("income_share", "公共资源收益（占测算值）", "Public income (share of the estimate)",
         1.0, "0%"),
    )
    fill = PatternFill("solid", fgColor=INPUT_FILL)
    thin = Side(style="thin", color="808080")
    for key, cn, en, value, number in inputs:
        row = INPUT_ROWS[key]
        _cell(sheet, f"A{row}", cn if zh else en)
        cell = _cell(sheet, f"B{row}", float(value), bold=True, fmt=number)
        cell.fill = fill
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    table, _, _ = budget._need_inputs("with its inputs")
    own = int((~pd.isna(table.array("fee_rate_yuan_per_m2_month"))
               | ~pd.isna(table.array("collection_rate"))).sum())
    _cell(sheet, "C7", (f"适用于未单独填写标准的小区；{own} 个小区按自己的标准或收缴率计算。"
                        if zh else f"applies where a compound has no rate of its own; "
                        f"{own} compounds use their own rate or collection rate."))
    sheet["C7"].alignment = Alignment(indent=1)
    _cell(sheet, "C9", "100% 即按测算的停车、广告等收益" if zh else
          "100% is the estimated parking, advertising and other income").alignment = \
        Alignment(indent=1)

    # Key figures.
    head = KEY_FIRST_ROW - 1
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, text in zip("ABC", (("项目", f"金额（{money}）", "说明") if zh else
                                 ("Item", f"Amount [{money}]", "Note")), strict=True):
        cell = _cell(sheet, f"{col}{head}", text, bold=True)
        cell.fill = header_fill
        cell.border = Border(bottom=thin)
    for key, en, cn, note in KEY_ROWS:
        row = key_row[key]
        _cell(sheet, f"A{row}", cn if zh else en, bold=key in ("street_subsidy",
                                                               "net_public_cost"))
        if key == "in_deficit":
            _cell(sheet, f"B{row}", f"={whatif.total_cell(key)}", fmt="#,##0", formula=True)
        else:
            _cell(sheet, f"B{row}", f"={whatif.total_cell(key)}/{scale}" if scale != 1
                  else f"={whatif.total_cell(key)}", fmt=fmt, formula=True,
                  bold=key in ("street_subsidy", "net_public_cost"))
        _cell(sheet, f"C{row}", note if zh else _NOTES_EN[key]).alignment = Alignment(
            indent=1)
    last = KEY_FIRST_ROW + len(KEY_ROWS) - 1

    # By zone, in natural order, live through the what-if sheet.
    start = last + 2
    _cell(sheet, f"A{start}", f"按片区（金额单位：{money}）" if zh else
          f"By zone (money in {money})", bold=True)
    heads = (("片区", "小区数", "户数", "入不敷出（个）", "资金池余额", "街道补贴",
              "公共财政净支出") if zh else
             ("Zone", "Compounds", "Households", "In deficit", "Pool balance",
              "Street subsidy", "Net public cost"))
    for j, text in enumerate(heads, start=1):
        cell = sheet.cell(row=start + 1, column=j)
        _cell(sheet, cell.coordinate, text, bold=True)
        cell.fill = header_fill
        cell.border = Border(bottom=thin)
        cell.alignment = Alignment(horizontal="left" if j == 1 else "right")
    zones = pd.Series(zone_names(budget), index=c.index)
    households = c["households"].groupby(zones).sum()
    counts = zones.value_counts()
    names = sorted(counts.index, key=natural_key)
    number_col = whatif.column("zone_number")
    row = start + 1
    for zone_number, name in enumerate(names, start=1):
        row += 1
        _cell(sheet, f"A{row}", name or ("未分片区" if zh else "no zone"))
        _cell(sheet, f"B{row}", int(counts[name]), fmt="#,##0")
        _cell(sheet, f"C{row}", int(households[name]), fmt="#,##0")
        _cell(sheet, f"D{row}", f"=SUMIF({number_col},{zone_number},{whatif.column('in_deficit')})",
              fmt="#,##0", formula=True)
        for col, what in zip("EFG", ("pool_balance", "street_subsidy", "net_public_cost"),
                             strict=True):
            ref = f"ROUND(SUMIF({number_col},{zone_number},{whatif.column(what)}),2)"
            _cell(sheet, f"{col}{row}", f"={ref}/{scale}" if scale != 1 else f"={ref}",
                  fmt=fmt, formula=True)
    total = row + 1
    total_fill = PatternFill("solid", fgColor="F2F2F2")
    _cell(sheet, f"A{total}", "合计" if zh else "Total", bold=True)
    _cell(sheet, f"B{total}", n, bold=True, fmt="#,##0")
    _cell(sheet, f"C{total}", int(c["households"].sum()), bold=True, fmt="#,##0")
    _cell(sheet, f"D{total}", f"=SUM(D{start + 2}:D{row})", bold=True, fmt="#,##0",
          formula=True)
    for col in "EFG":
        _cell(sheet, f"{col}{total}", f"=SUM({col}{start + 2}:{col}{row})", bold=True,
              fmt=fmt, formula=True)
    for j in range(1, 8):
        cell = sheet.cell(row=total, column=j)
        cell.fill = total_fill
        cell.border = Border(top=thin)
    widths = {"A": 30, "B": 14, "C": 14, "D": 14, "E": 14, "F": 14, "G": 16}
    for col, width in widths.items():
        sheet.column_dimensions[col].width = width
    page_setup(sheet, title=title, lang=lang, printed=printed, header_row=start + 1)
    sheet.print_area = f"A1:G{total}"
