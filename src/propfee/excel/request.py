"""The budget request (预算申请): what the public purse pays, year by year.

For the finance bureau: the street's and the renovation programme's money for the next
``years`` years, one column a calendar year, with a total column and a total row::

    street services     street fallback lines (garbage removal, grid workers...)
    street subsidy      sum over compounds of max(-pool balance of the year, 0)
    renovation capital  smart devices' capital a year, paid by the renovation programme
    total               the three; in year 1 the budget's net public cost

Year 1 is the budget itself, to the fen. A later year ``t`` comes from the projection
(:mod:`propfee.analysis.projection`, interest and opening balance left out: the request
covers each year's shortfall in that year) with buildings ``t - 1`` years older,
``W_t = (1 + wage growth)^(t-1)`` and ``P_t = (1 + inflation)^(t-1)``::

    street services_t    = sum_c (grid_c x W_t + other street_c x P_t)
    street subsidy_t     = sum_c max(-net_c,t, 0)      net as in the projection
    renovation capital_t = renovation capital_1 x P_t

each compound's figure rounded to the fen before it is summed: the grid workers'
management work is pay and follows wages, garbage removal and the other street services
follow prices. Money in 万元 or 元 a year as on the summary, to two decimals. The first
year is the year of the budget's date (the date whose parameter values it uses); a
request for a later budget year is made by evaluating on a date in that year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import numpy as np
import pandas as pd

from propfee.budget import DistrictBudget
from propfee.excel.units import CJK_FONT, MoneyUnit, money_scale, money_unit, page_setup
from propfee.labels import Language
from propfee.money import yuan_to_fen

__all__ = ["PRICE_INFLATION_RATE", "REQUEST_ROWS", "WAGE_GROWTH_RATE",
           "WAGE_INDEXED_STREET_WORK", "request_table", "write_request_sheet"]

REQUEST_ROWS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("street_services", "Street services (garbage removal, grid workers...)",
     "街道兜底服务（垃圾清运、网格员等）", "paid_by_street_office_yuan"),
    ("street_subsidy", "Subsidy to the compounds' fund pools",
     "小区资金池缺口补贴", "street_subsidy_yuan"),
    ("renovation", "Renovation capital (smart devices, a year)",
     "改造资金（智能设备购置，按年计）", "paid_by_renovation_programme_yuan"),
)
"""Rows of the request: key, English, Chinese, the budget column of year 1."""


WAGE_GROWTH_RATE: Final = 0.05
"""Growth of wages a year after year 1 (the projection's default; illustrative). [1/year]"""

PRICE_INFLATION_RATE: Final = 0.02
"""Growth of prices a year after year 1 (the projection's default; illustrative). [1/year]"""


def request_table(budget: DistrictBudget, years: int = 3, *,
                  wage_growth_rate: float = WAGE_GROWTH_RATE,
                  price_inflation_rate: float = PRICE_INFLATION_RATE) -> pd.DataFrame:
    """The public money the budget asks for, year by year, in whole fen.

    Parameters
    ----------
    budget
        The district budget (with its inputs).
    years
        Years of the request, 1 to 10. [year]
    wage_growth_rate, price_inflation_rate
        Growth of wages and of prices after year 1. [1/year]

    Returns
    -------
    pandas.DataFrame
        Index: the keys of :data:`REQUEST_ROWS` and ``total``; one int64 column of fen per
        calendar year (year 1 the parameter set's year). [fen/year]
    """
    from propfee.analysis.components import year_components
    from propfee.analysis.projection import ProjectionSettings, pool_paths

    table, resolved, params = budget._need_inputs("with its inputs")
    c = budget.compounds
    first = {key: int(yuan_to_fen(c[column].to_numpy()).sum())
             for key, _, _, column in REQUEST_ROWS}
    columns = {params.as_of.year: first}
    if years > 1:
        wage_part, price_part = _street_parts(budget)
        comp = year_components(table, resolved.plan, params, horizon_years=years)
        settings = ProjectionSettings(horizon_years=years, wage_growth_rate=wage_growth_rate,
                                      price_inflation_rate=price_inflation_rate,
                                      interest_rate=0.0)
        net = pool_paths(comp, settings)["net"][0]
        for t in range(1, years):
            price = (1.0 + price_inflation_rate) ** t
            wage = (1.0 + wage_growth_rate) ** t
            street = wage_part * wage + price_part * price
            columns[int(comp.years[t])] = {
                "street_services": int(yuan_to_fen(street).sum()),
                "street_subsidy": int(yuan_to_fen(np.maximum(-net[t], 0.0)).sum()),
                "renovation": int(yuan_to_fen(c["paid_by_renovation_programme_yuan"]
                                              .to_numpy() * price).sum()),
            }
    frame = pd.DataFrame(columns, dtype=np.int64)
    frame.loc["total"] = frame.sum(axis=0)
    return frame


WAGE_INDEXED_STREET_WORK: Final = ("management",)
"""Street work that is pay (the grid workers' management work): it grows with wages."""


def _street_parts(budget: DistrictBudget) -> tuple[np.ndarray, np.ndarray]:
    """Each compound's street services of year 1, split into pay and the rest. [yuan/year]"""
    lines = budget.lines
    street = lines[lines["payer"].astype(str) == "street_office"]
    is_pay = street["work"].astype(str).isin(WAGE_INDEXED_STREET_WORK)
    ids = [str(i) for i in budget.compounds["compound_id"]]

    def per_compound(rows: pd.DataFrame) -> np.ndarray:
        sums = rows.groupby(rows["compound_id"].astype(str), observed=True)["amount_yuan"].sum()
        return sums.reindex(ids, fill_value=0.0).to_numpy(dtype=np.float64)

    return per_compound(street[is_pay]), per_compound(street[~is_pay])


def write_request_sheet(sheet: Any, budget: DistrictBudget, *, lang: Language,
                        unit: MoneyUnit, printed: dt.date, years: int = 3) -> pd.DataFrame:
    """Write the budget request.

    Parameters
    ----------
    sheet
        An empty openpyxl worksheet.
    budget
        The district budget (with its inputs).
    lang
        Language.
    unit
        ``"wan"`` (万元) or ``"yuan"`` (元).
    printed
        The date in the footer.
    years
        Years of the request. [year]

    Returns
    -------
    pandas.DataFrame
        :func:`request_table`. [fen/year]
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    zh = lang == "zh"
    fen = request_table(budget, years)
    scale = money_scale(unit) * 100
    plain, bold = Font(name=CJK_FONT), Font(name=CJK_FONT, bold=True)
    thin = Side(style="thin", color="808080")
    shown = money_unit(unit, lang)
    title = "老旧小区“四管一补”公共资金预算申请" if zh else \
        "Budget request: public money for the 4+1 of the old compounds"
    sheet["A1"] = title
    sheet["A1"].font = Font(name=CJK_FONT, bold=True, size=14)
    n = len(budget.compounds)
    year_list = [int(y) for y in fen.columns]
    wage, prices = f"{WAGE_GROWTH_RATE:.0%}", f"{PRICE_INFLATION_RATE:.0%}"
    day = budget._need_inputs("with its inputs")[2].as_of
    when = f"{day.year}年{day.month}月{day.day}日"
    sheet["A2"] = (f"{n} 个小区；{year_list[0]} 年为本次预算（按 {when}"
                   f"有效的参数和价格测算），以后各年网格员等人工按工资年增 {wage}、其他按物价年涨 "
                   f"{prices}、房屋逐年老化测算；金额单位：{shown}。编报其他年度的预算，请把测算日期"
                   "设在该年度内重新测算。" if zh else
                   f"{n} compounds; {year_list[0]} is this budget (the parameters and prices in "
                   f"force on {day.isoformat()}), later years projected with pay such as the grid "
                   f"workers' +{wage} a year, everything else +{prices} a year and the buildings "
                   f"a year older each year; money in {shown}. For the budget of another year, "
                   "evaluate on a date in that year.")
    sheet["A2"].font = plain
    heads = ["项目" if zh else "Item", *(f"{y}年" if zh else str(y) for y in year_list),
             f"{len(year_list)} 年合计" if zh else f"{len(year_list)} years"]
    for j, text in enumerate(heads, start=1):
        cell = sheet.cell(row=4, column=j, value=text)
        cell.font, cell.border = bold, Border(bottom=thin)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="left" if j == 1 else "right")
    names = {key: (cn if zh else en) for key, en, cn, _ in REQUEST_ROWS}
    names["total"] = "合计" if zh else "Total"
    money_format = "#,##0.00"  # 万元 to two decimals, as on the summary
    for i, key in enumerate(fen.index, start=5):
        row = fen.loc[key]
        values: list[Any] = [names[str(key)], *(int(v) / scale for v in row),
                             int(row.sum()) / scale]
        total = key == "total"
        for j, value in enumerate(values, start=1):
            cell = sheet.cell(row=i, column=j, value=value)
            cell.font = bold if total else plain
            if total:
                cell.border = Border(top=thin)
                cell.fill = PatternFill("solid", fgColor="F2F2F2")
            if j > 1:
                cell.number_format = money_format
    note = 6 + len(fen)
    notes = (["说明：", "1. 街道兜底服务：由街道承担的垃圾清运、网格员等费用；"
              "网格员按工资增长，其余按物价增长。",
              "2. 小区资金池缺口补贴：各小区当年物业费和公共资源收益不足以支付其支出的部分，"
              "逐个小区补足；有结余的小区不抵减其他小区。",
              "3. 改造资金：智能门禁、监控、停车等设备的购置费，按使用年限折算到每年。",
              f"4. {year_list[0]} 年与汇总页一致；以后各年为预测，随收缴率、工资和物价变化，"
              "请每年按实际重新测算。"] if zh else
             ["Notes:", "1. Street services: garbage removal, grid workers and the like, "
              "borne by the street; the grid workers' pay grows with wages, the rest with "
              "prices.",
              "2. Subsidy: each compound's shortfall of the year (fees and public income "
              "below its spending), made up compound by compound; a surplus is not set "
              "against another compound's shortfall.",
              "3. Renovation capital: access control, cameras, parking devices, their price "
              "spread over their service lives.",
              f"4. {year_list[0]} agrees with the summary; later years are a projection that "
              "moves with collection, wages and prices: evaluate again each year."])
    for k, text in enumerate(notes):
        sheet.cell(row=note + k, column=1, value=text).font = bold if k == 0 else plain
    sheet.column_dimensions["A"].width = 40
    for j in range(2, len(heads) + 1):
        sheet.column_dimensions[sheet.cell(row=4, column=j).column_letter].width = 15
    page_setup(sheet, title=title, lang=lang, printed=printed, header_row=4)
    return fen
