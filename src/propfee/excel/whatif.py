"""The what-if sheet: one row of Excel formulas per compound, from the summary's inputs.

The summary has three input cells: the fee rate [yuan/(m2 month)], the collection rate
[1] and public income as a share of the estimate [1]. Each compound's row recomputes
what depends on them, as :mod:`propfee.budget.columns` does::

    fee collected   = ROUND(floor area x rate x 12 x collection rate, 2)    (the
                      compound's own rate or collection rate where it has one)
    public income   = ROUND(estimated public income x share, 2)
    pool balance    = ROUND(fee + public income - compound cash cost, 2)
    street subsidy  = MAX(0, -pool balance);   pool surplus = MAX(0, pool balance)
    net public cost = ROUND(street services + street subsidy + renovation capital, 2)
    in deficit      = 1 if pool balance < 0

Zones are numbered in natural order (``片区序号``), and the summary sums by that number,
so no name a user typed ever stands in a formula. The cash cost, street services and
renovation capital do not depend on the fee, so they are the library's figures. The
totals row sums each column, rounded to the fen; with the inputs the library used,
every cell equals the library's figure to the fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from propfee.budget import DistrictBudget
from propfee.excel.units import CJK_FONT, natural_key
from propfee.io.writers import inert
from propfee.labels import Language, contract_name

__all__ = ["COLUMNS", "WhatIf", "write_whatif_sheet", "zone_names"]

COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("compound_id", "Compound ID", "小区编号"),
    ("name", "Compound", "小区名称"),
    ("zone", "Zone", "片区"),
    ("zone_number", "Zone number", "片区序号"),
    ("contract", "Shared-property contract", "共享物业协议"),
    ("floor_area_m2", "Floor area [m2]", "建筑面积（平方米）"),
    ("own_rate", "Own fee rate [yuan/m2/month]", "本小区物业费标准（元/平方米/月）"),
    ("own_collection", "Own collection rate", "本小区收缴率"),
    ("estimated_income", "Estimated public income [yuan/year]", "测算公共资源收益（元/年）"),
    ("cash_cost", "Compound cash cost [yuan/year]", "小区现金支出（元/年）"),
    ("street_services", "Street services [yuan/year]", "街道服务支出（元/年）"),
    ("renovation", "Renovation capital [yuan/year]", "改造资金（元/年）"),
    ("fee_collected", "Fee collected [yuan/year]", "实收物业费（元/年）"),
    ("public_income", "Public income [yuan/year]", "公共资源收益（元/年）"),
    ("pool_balance", "Pool balance [yuan/year]", "资金池余额（元/年）"),
    ("street_subsidy", "Street subsidy [yuan/year]", "街道补贴（元/年）"),
    ("pool_surplus", "Pool surplus [yuan/year]", "资金池结余（元/年）"),
    ("net_public_cost", "Net public cost [yuan/year]", "公共财政净支出（元/年）"),
    ("in_deficit", "In deficit", "入不敷出"),
)
"""The sheet's columns: key, English and Chinese header."""

_LETTER: Final = {key: chr(ord("A") + i) for i, (key, _, _) in enumerate(COLUMNS)}


def zone_names(budget: DistrictBudget) -> list[str]:
    """Each compound's zone, ``""`` where it has none."""
    return ["" if z is None or z != z else str(z) for z in budget.compounds["zone"]]


@dataclass(frozen=True)
class WhatIf:
    """Where the what-if sheet put things, for the sheets that refer to it.

    Attributes
    ----------
    sheet
        The sheet's name.
    first, last
        The first and last compound rows.
    total
        The totals row.
    """

    sheet: str
    first: int
    last: int
    total: int

    def column(self, key: str) -> str:
        """The whole column of ``key`` over the compound rows, e.g. ``'试算'!$M$2:$M$287``."""
        letter = _LETTER[key]
        return f"'{self.sheet}'!${letter}${self.first}:${letter}${self.last}"

    def total_cell(self, key: str) -> str:
        """The totals cell of ``key``, e.g. ``'试算'!$M$288``."""
        return f"'{self.sheet}'!${_LETTER[key]}${self.total}"


def write_whatif_sheet(sheet: Any, budget: DistrictBudget, *, lang: Language,
                       inputs: dict[str, str]) -> WhatIf:
    """Write one row of formulas per compound and a totals row.

    Parameters
    ----------
    sheet
        An empty openpyxl worksheet.
    budget
        The district budget; it must keep its inputs (any budget
        :func:`propfee.evaluate_district` returns does).
    lang
        Language of the headers.
    inputs
        Absolute references of the summary's input cells: ``fee_rate``,
        ``collection_rate`` and ``income_share``.

    Returns
    -------
    WhatIf
        Where the rows are.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    table, _, _ = budget._need_inputs("with its inputs")
    c = budget.compounds
    zh = lang == "zh"
    font = Font(name=CJK_FONT, bold=True)
    thin = Side(style="thin", color="808080")
    for j, (_, en, cn) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=j, value=cn if zh else en)
        cell.font = font
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = Border(bottom=thin)
        sheet.column_dimensions[cell.column_letter].width = 13
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 14
    sheet.row_dimensions[1].height = 48
    zones = zone_names(budget)
    numbers = {z: i for i, z in enumerate(sorted(set(zones), key=natural_key), start=1)}
    own_rate = table.array("fee_rate_yuan_per_m2_month")
    own_coll = table.array("collection_rate")
    names = dict(zip(c["compound_id"].astype(str), c["name"].astype(str), strict=True))
    static: dict[str, Any] = {
        "compound_id": c["compound_id"].astype(str).to_numpy(),
        "name": c["name"].astype(str).to_numpy(),
        "zone": zones,
        "zone_number": [numbers[z] for z in zones],
        "contract": [contract_name(str(b), lang, names) for b in c["bundle_id"]],
        "floor_area_m2": table.array("floor_area_m2"),
        "own_rate": own_rate,
        "own_collection": own_coll,
        "estimated_income": c["public_income_yuan"].to_numpy(),
        "cash_cost": c["compound_cash_cost_yuan"].to_numpy(),
        "street_services": c["paid_by_street_office_yuan"].to_numpy(),
        "renovation": c["paid_by_renovation_programme_yuan"].to_numpy(),
    }
    formats = {"floor_area_m2": "#,##0.00", "own_rate": "0.00", "own_collection": "0.0%",
               "in_deficit": "0"}
    rate, coll, share = inputs["fee_rate"], inputs["collection_rate"], inputs["income_share"]
    L = _LETTER  # noqa: N806 - column letters
    n = len(c)
    for i in range(n):
        r = i + 2
        for key, values in static.items():
            value: Any = values[i]
            if isinstance(value, float | np.floating) and np.isnan(value):
                value = None
            elif isinstance(value, np.generic):
                value = value.item()
            elif isinstance(value, str):
                value = inert(value)
            sheet[f"{L[key]}{r}"] = value
        formulas = {
            "fee_collected": (f"=ROUND({L['floor_area_m2']}{r}*IF({L['own_rate']}{r}=\"\","
                              f"{rate},{L['own_rate']}{r})*12*IF({L['own_collection']}{r}"
                              f"=\"\",{coll},{L['own_collection']}{r}),2)"),
            "public_income": f"=ROUND({L['estimated_income']}{r}*{share},2)",
            "pool_balance": (f"=ROUND({L['fee_collected']}{r}+{L['public_income']}{r}"
                             f"-{L['cash_cost']}{r},2)"),
            "street_subsidy": f"=MAX(0,-{L['pool_balance']}{r})",
            "pool_surplus": f"=MAX(0,{L['pool_balance']}{r})",
            "net_public_cost": (f"=ROUND({L['street_services']}{r}+{L['street_subsidy']}{r}"
                                f"+{L['renovation']}{r},2)"),
            "in_deficit": f"=IF({L['pool_balance']}{r}<0,1,0)",
        }
        for key, formula in formulas.items():
            sheet[f"{L[key]}{r}"] = formula
        for key, fmt in formats.items():
            sheet[f"{L[key]}{r}"].number_format = fmt
        for key in ("estimated_income", "cash_cost", "street_services", "renovation",
                    *formulas):
            if key != "in_deficit":
                sheet[f"{L[key]}{r}"].number_format = "#,##0.00"
    total = n + 2
    sheet.cell(row=total, column=1, value="合计" if zh else "Total")
    for key in ("floor_area_m2", "estimated_income", "cash_cost", "street_services",
                "renovation", "fee_collected", "public_income", "pool_balance",
                "street_subsidy", "pool_surplus", "net_public_cost", "in_deficit"):
        letter = L[key]
        rounding = "0" if key == "in_deficit" else "2"
        sheet[f"{letter}{total}"] = f"=ROUND(SUM({letter}2:{letter}{n + 1}),{rounding})"
        sheet[f"{letter}{total}"].number_format = "0" if key == "in_deficit" else "#,##0.00"
    for cell in sheet[total]:
        cell.font = font
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.border = Border(top=thin)
    for key in static:
        if key not in ("compound_id", "name", "zone", "contract", "zone_number"):
            sheet.column_dimensions[L[key]].width = 14
    sheet.freeze_panes = "C2"
    return WhatIf(sheet=sheet.title, first=2, last=n + 1, total=total)
