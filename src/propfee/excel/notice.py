"""The residents' notice (公示表): what each compound's fund pool takes in and pays out.

One row per compound, in the order of the file, with a totals row; money in yuan a year,
each total a sum of whole fen::

    households, fee rate, fee collected, public income, paid by the pool,
    pool balance, street subsidy, street services (borne by the street)
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import numpy as np

from propfee.budget import DistrictBudget
from propfee.excel.units import CJK_FONT, page_setup
from propfee.io.writers import inert
from propfee.labels import Language
from propfee.money import yuan_to_fen

__all__ = ["NOTICE_COLUMNS", "write_notice_sheet"]

NOTICE_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("fee_collected_yuan", "Fee collected [yuan/year]", "实收物业费（元/年）"),
    ("public_income_yuan", "Public income [yuan/year]", "公共资源收益（元/年）"),
    ("compound_cash_cost_yuan", "Paid by the pool [yuan/year]", "资金池支出（元/年）"),
    ("pool_balance_yuan", "Pool balance [yuan/year]", "资金池余额（元/年）"),
    ("street_subsidy_yuan", "Street subsidy [yuan/year]", "街道补贴（元/年）"),
    ("paid_by_street_office_yuan", "Street services [yuan/year]", "街道承担的服务（元/年）"),
)
"""The notice's money columns: budget column, English and Chinese header."""


def write_notice_sheet(sheet: Any, budget: DistrictBudget, *, lang: Language,
                       printed: dt.date) -> None:
    """Write the residents' notice.

    Parameters
    ----------
    sheet
        An empty openpyxl worksheet.
    budget
        The district budget (with its inputs).
    lang
        Language.
    printed
        The date in the footer.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    table, _, params = budget._need_inputs("with its inputs")
    zh = lang == "zh"
    c = budget.compounds
    bold = Font(name=CJK_FONT, bold=True)
    plain = Font(name=CJK_FONT)
    thin = Side(style="thin", color="808080")
    title = "老旧小区资金池收支公示" if zh else "Notice to residents: the fund pools"
    sheet["A1"] = title
    sheet["A1"].font = Font(name=CJK_FONT, bold=True, size=14)
    sheet["A2"] = ("资金池收入来自居民物业费和停车、广告等公共资源收益，用于本小区；"
                   "不足部分由街道补贴。" if zh else
                   "Each pool takes residents' fees and public-resource income and pays for "
                   "its compound; the street tops up a shortfall.")
    sheet["A2"].font = plain
    heads = [("小区编号", "小区名称", "户数", "物业费标准（元/平方米/月）") if zh else
             ("Compound ID", "Compound", "Households", "Fee rate [yuan/m2/month]")][0]
    headers = [*heads, *((cn if zh else en) for _, en, cn in NOTICE_COLUMNS)]
    for j, text in enumerate(headers, start=1):
        cell = sheet.cell(row=4, column=j, value=text)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = Border(bottom=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="center",
                                   horizontal="left" if j <= 2 else "right")
        sheet.column_dimensions[cell.column_letter].width = 20
    sheet.column_dimensions["B"].width = 24
    sheet.row_dimensions[4].height = 36
    rate = table.array("fee_rate_yuan_per_m2_month")
    rate = np.where(np.isnan(rate), params.fees.rate_yuan_per_m2_month, rate)
    fen = {name: yuan_to_fen(c[name].to_numpy()) for name, _, _ in NOTICE_COLUMNS}
    for i in range(len(c)):
        r = 5 + i
        values: list[Any] = [inert(str(c["compound_id"].iloc[i])),
                             inert(str(c["name"].iloc[i])), int(c["households"].iloc[i]),
                             float(rate[i]),
                             *(int(fen[name][i]) / 100 for name, _, _ in NOTICE_COLUMNS)]
        for j, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=j, value=value)
            cell.font = plain
            cell.number_format = "#,##0" if j == 3 else "0.00" if j == 4 else "#,##0.00"
    total = 5 + len(c)
    totals: list[Any] = ["合计" if zh else "Total", None, int(c["households"].sum()), None,
                         *(int(fen[name].sum()) / 100 for name, _, _ in NOTICE_COLUMNS)]
    for j, value in enumerate(totals, start=1):
        cell = sheet.cell(row=total, column=j, value=value)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.border = Border(top=thin)
        cell.number_format = "#,##0" if j == 3 else "#,##0.00"
    sheet.freeze_panes = "C5"
    page_setup(sheet, title=title, lang=lang, printed=printed, header_row=4)
