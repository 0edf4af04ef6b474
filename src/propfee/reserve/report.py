"""Reserve-study reports: bilingual tables, the Excel workbook and the fund chart.

Headers and codes (components, payers) are labelled in English or Chinese from
:data:`RESERVE_LABELS`, falling back to :data:`propfee.labels.LABELS`. The workbook is
written to a temporary file in the target's folder and then moved into place, so a
reader never sees half a file; text cells are made inert (:func:`propfee.io.neutralise_formulas`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from propfee._optional import require
from propfee.errors import InputError, Problem
from propfee.labels import Language, label
from propfee.reserve.components import Catalogue, default_catalogue
from propfee.reserve.study import ReserveStudy

__all__ = ["RESERVE_LABELS", "fund_chart", "label_reserve_table", "reserve_tables",
           "write_reserve"]

RESERVE_LABELS: Final[dict[str, tuple[str, str]]] = {
    "rank": ("Rank", "排序"),
    "year": ("Year", "年份"),
    "component": ("Component", "部件"),
    "quantity": ("Quantity", "数量"),
    "renewals": ("Renewals", "更新次数"),
    "cost_yuan": ("Cost [yuan]", "费用（元）"),
    "payer": ("Payer", "承担方"),
    "special_maintenance_fund": ("Special maintenance fund", "住宅专项维修资金"),
    "opening_yuan": ("Opening balance [yuan]", "年初余额（元）"),
    "topup_yuan": ("Owners' top-up [yuan]", "业主续交（元）"),
    "deposits_yuan": ("Other deposits [yuan]", "其他交存（元）"),
    "interest_yuan": ("Interest [yuan]", "利息（元）"),
    "fund_work_yuan": ("Work paid by the fund [yuan]", "维修资金支出（元）"),
    "closing_yuan": ("Closing balance [yuan]", "年末余额（元）"),
    "fully_funded_yuan": ("Fully funded balance [yuan]", "充分积累余额（元）"),
    "percent_funded": ("Percent funded", "资金充足率"),
    "percent_funded_start": ("Percent funded at the start", "期初资金充足率"),
    "pool_work_yuan": ("Work paid by the fund pool [yuan]", "资金池支出（元）"),
    "programme_work_yuan": ("Work paid by the renovation programme [yuan]", "改造资金支出（元）"),
    "first_deposit_yuan": ("First deposit [yuan]", "首期交存额（元）"),
    "opening_balance_yuan": ("Opening balance [yuan]", "期初余额（元）"),
    "first_shortfall_year": ("First shortfall year", "首次不足年份"),
    "years_to_first_shortfall": ("Years to first shortfall", "距首次不足年数"),
    "fund_work_per_household_yuan": ("Fund work per household [yuan]", "户均维修资金支出（元）"),
    "deepest_balance_yuan": ("Lowest balance [yuan]", "最低余额（元）"),
    "baseline_contribution_yuan": ("Baseline plan [yuan/year]", "基本方案续筹（元/年）"),
    "threshold_contribution_yuan": ("Threshold plan [yuan/year]", "底线方案续筹（元/年）"),
    "full_contribution_yuan": ("Full funding plan [yuan/year]", "充分积累方案续筹（元/年）"),
    "baseline_yuan_per_m2_month": ("Baseline plan [yuan/m2/month]",
                                   "基本方案续筹（元/平方米/月）"),
    "threshold_yuan_per_m2_month": ("Threshold plan [yuan/m2/month]",
                                    "底线方案续筹（元/平方米/月）"),
    "full_yuan_per_m2_month": ("Full funding plan [yuan/m2/month]",
                               "充分积累方案续筹（元/平方米/月）"),
    "basis": ("Quantity basis", "计量基础"),
    "quantity_per_basis": ("Quantity per basis", "单位基础数量"),
    "unit": ("Unit", "单位"),
    "life_years": ("Service life [years]", "使用年限（年）"),
    "unit_cost_yuan": ("Unit cost [yuan]", "单价（元）"),
    "work": ("Work", "工程类别"),
    "scope": ("Scope", "范围"),
    "fund_eligible": ("Fund may pay", "可用维修资金"),
    "status": ("Status", "依据类别"),
    "reference": ("Reference", "依据"),
    "label_en": ("English name", "英文名称"),
    "label_zh": ("Chinese name", "中文名称"),
}
"""Column name or code -> (English, Chinese) for reserve-study tables."""


def _label(code: str, lang: Language, names: dict[str, tuple[str, str]]) -> str:
    pair = names.get(code) or RESERVE_LABELS.get(code)
    if pair is None:
        return label(code, lang)
    return pair[0] if lang == "en" else pair[1]


def label_reserve_table(table: pd.DataFrame, lang: Language = "en",
                        catalogue: Catalogue | None = None) -> pd.DataFrame:
    """A copy of a reserve-study table with labelled columns, components and payers.

    Parameters
    ----------
    table
        A table of :class:`~propfee.reserve.study.ReserveStudy` or the priority table.
    lang
        ``"en"`` or ``"zh"``.
    catalogue
        Gives the components' labels; default the built-in catalogue.
    """
    catalogue = catalogue or default_catalogue()
    names = {c.name: (c.label_en or c.name, c.label_zh or c.name) for c in catalogue.components}
    out = table.copy()
    for column in ("component", "payer"):
        if column in out.columns:
            out[column] = out[column].map(lambda v: _label(str(v), lang, names))
    out.columns = [_label(str(c), lang, names) for c in out.columns]
    return out


def reserve_tables(study: ReserveStudy, priorities: pd.DataFrame | None = None,
                   catalogue: Catalogue | None = None) -> dict[str, pd.DataFrame]:
    """The study's tables by sheet name: schedule, fund, funding, priorities, catalogue."""
    tables = {"schedule": study.schedule(), "fund": study.fund_path(),
              "funding": study.funding()}
    if priorities is not None:
        tables["priorities"] = priorities
    tables["catalogue"] = (catalogue or default_catalogue()).table()
    return tables


def write_reserve(
    study: ReserveStudy,
    path: str | Path,
    *,
    priorities: pd.DataFrame | None = None,
    labels: Language = "en",
    catalogue: Catalogue | None = None,
) -> Path:
    """Write a reserve study to an Excel workbook, one sheet per table.

    Parameters
    ----------
    study
        The reserve study.
    path
        Target ``.xlsx`` file; replaced atomically, never an input file.
    priorities
        A priority table (:func:`propfee.reserve.priorities.priority_table`) to add.
    labels
        Header language, ``"en"`` or ``"zh"``.
    catalogue
        The catalogue the study used (labels and the catalogue sheet).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    propfee.errors.InputError
        If the target is not an ``.xlsx`` file.
    """
    from propfee.io import neutralise_formulas

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError([Problem(None, "path", str(target), "write an .xlsx file")],
                         what="reserve workbook")
    require("openpyxl", feature="writing Excel files", extra="excel")
    from openpyxl.styles import Font

    tables = {name: neutralise_formulas(label_reserve_table(t, labels, catalogue))
              for name, t in reserve_tables(study, priorities, catalogue).items()}
    sheet_names = {"schedule": "维修计划", "fund": "维修资金", "funding": "筹资方案",
                   "priorities": "优先排序", "catalogue": "部件目录"}
    handle, tmp = tempfile.mkstemp(suffix=".xlsx", dir=target.parent or Path("."))
    os.close(handle)
    try:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, table in tables.items():
                sheet_name = sheet_names[name] if labels == "zh" else name
                table.to_excel(writer, sheet_name=sheet_name, index=False)
                sheet: Any = writer.sheets[sheet_name]
                sheet.freeze_panes = "A2"
                for cell in sheet[1]:
                    cell.font = Font(bold=True)
                for j, column in enumerate(table.columns, start=1):
                    text = str(column)
                    letter = sheet.cell(row=1, column=j).column_letter
                    sheet.column_dimensions[letter].width = min(max(len(text) + 2, 10), 40)
                    if "yuan" in text or "元" in text:
                        for row in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                            row[0].number_format = "#,##0.00"
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


_TEXT: Final[dict[str, tuple[str, str]]] = {
    "title": ("Special maintenance fund of {cid}", "{cid} 住宅专项维修资金"),
    "balance": ("Closing balance", "年末余额"),
    "ffb": ("Fully funded balance", "充分积累余额"),
    "work": ("Work paid by the fund", "维修资金支出"),
    "programme": ("Renovation programme", "老旧小区改造资金"),
    "yuan": ("yuan", "元"),
    "pf": ("Percent funded", "资金充足率"),
    "year": ("Year", "年份"),
}


def fund_chart(study: ReserveStudy, compound_id: str, *, lang: Language = "en") -> Any:
    """The fund's path and percent funded of one compound over the study's horizon.

    Top: work paid by the fund and by the renovation programme (bars), the closing
    balance and the fully funded balance (lines) [yuan]. Bottom: percent funded [%].

    Parameters
    ----------
    study
        A reserve study.
    compound_id
        The compound to draw.
    lang
        ``"en"`` or ``"zh"`` (needs a CJK font, e.g. fonts-noto-cjk).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    propfee.errors.InputError
        If the compound is not in the study.
    """
    from propfee.plot import _Context, _figure, _language

    where = np.flatnonzero(study.ids == compound_id)
    if len(where) == 0:
        raise InputError([Problem(compound_id, "compound_id", compound_id,
                                  "not a compound of the study")], what="fund chart")
    n = int(where[0])
    lang, fonts = _language(lang)
    k = 0 if lang == "en" else 1
    text = {key: pair[k] for key, pair in _TEXT.items()}
    years = study.years
    wan = 10000.0 if lang == "zh" else 1000.0
    unit = "万元" if lang == "zh" else "thousand yuan"
    with _Context(fonts):
        fig = _figure((8, 6), fonts)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(2, 1))
        fund_work = study.ledger.spend[:, n] / 100.0 / wan
        programme = study.work_fen["renovation_programme"][:, n].sum(axis=1) / 100.0 / wan
        top.bar(years, -fund_work, color="tab:red", alpha=0.6, label=text["work"])
        if programme.any():
            top.bar(years, -programme, bottom=-fund_work, color="tab:orange", alpha=0.6,
                    label=text["programme"])
        top.plot(years, study.ledger.closing[:, n] / 100.0 / wan, marker="o", markersize=3,
                 color="tab:blue", label=text["balance"])
        top.plot(years, study.fully_funded_fen[:, n] / 100.0 / wan, linestyle="--",
                 color="tab:green", label=text["ffb"])
        top.axhline(0, color="black", linewidth=0.8)
        top.set_ylabel(unit)
        top.set_title(text["title"].format(cid=compound_id))
        top.legend(fontsize="small")
        bottom.plot(years, 100.0 * study.percent_funded[:, n], marker="o", markersize=3,
                    color="tab:purple")
        bottom.axhline(100, color="tab:green", linestyle="--", linewidth=0.8)
        bottom.axhline(0, color="black", linewidth=0.8)
        bottom.set_ylabel(f"{text['pf']} [%]")
        bottom.set_xlabel(text["year"])
    return fig
