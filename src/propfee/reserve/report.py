"""Reserve-study reports: bilingual tables, the Excel workbook and the fund chart.

Headers and codes (components, payers) are labelled in English or Chinese from
:data:`RESERVE_LABELS`, falling back to :data:`propfee.labels.LABELS`. The workbook is
written to a temporary file in the target's folder and then moved into place, so a
reader never sees half a file; text cells are made inert (:func:`propfee.io.neutralise_formulas`).
"""

from __future__ import annotations

import datetime as dt
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


_SHEETS: Final[dict[str, tuple[str, str]]] = {
    "notes": ("notes", "说明"),
    "schedule": ("schedule", "维修计划"),
    "fund": ("fund", "维修资金"),
    "funding": ("funding", "筹资方案"),
    "priorities": ("priorities", "优先排序"),
    "catalogue": ("catalogue", "部件目录"),
}
"""Sheet code -> (English, Chinese) sheet name of the reserve workbook."""


def _number_format(code: str) -> str | None:
    """Excel number format of a reserve-table column, by its code (before labelling)."""
    if code.endswith("_per_m2_month"):
        return "#,##0.00"
    if code.endswith("_yuan"):
        return "#,##0.00"
    if code.startswith("percent_funded"):
        return "0.0%"
    if code in ("quantity", "quantity_per_basis"):
        return "#,##0.0"
    if code in ("year", "first_shortfall_year", "rank", "renewals", "life_years"):
        return "0"
    return None


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet cell: a CJK character counts two. [columns]

    >>> display_width("年末余额（元）"), display_width("Closing")
    (14, 7)
    """
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def reserve_notes(study: ReserveStudy, lang: Language = "en") -> list[str]:
    """The notes sheet: what the study covers, its key figures and its terms in words.

    Parameters
    ----------
    study
        The reserve study.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    list of str
        One paragraph a line. Money in yuan [yuan] and 10,000 yuan (万元).
    """
    schedule = study.schedule()
    funding = study.funding()
    first = int(study.years[0])
    last = int(study.years[-1])
    fund_work = schedule.loc[schedule["payer"] == "special_maintenance_fund"]
    backlog = float(fund_work.loc[fund_work["year"] == first, "cost_yuan"].sum())
    later = float(fund_work.loc[fund_work["year"] > first, "cost_yuan"].sum())
    years_after = max(last - first, 1)
    n = len(study.ids)
    overdue = int(fund_work.loc[fund_work["year"] == first, "compound_id"].nunique())
    opening = float(funding["opening_balance_yuan"].sum())
    heavy = backlog > opening
    plans = {plan: float(funding[f"{plan}_contribution_yuan"].sum())
             for plan in ("baseline", "threshold", "full")}
    rates = {plan: float(funding[f"{plan}_yuan_per_m2_month"].median())
             for plan in ("baseline", "threshold", "full")}
    wan = 10_000.0
    if lang == "zh":
        return [
            "住宅专项维修资金测算",
            f"范围：{n:,} 个小区，{first}–{last} 年（{last - first + 1} 年）。",
            f"第一年（{first} 年）由维修资金支付的工程：{backlog / wan:,.1f} 万元，"
            f"涉及 {overdue:,} 个小区；以后各年平均 {later / years_after / wan:,.1f} 万元/年；"
            f"维修资金期初余额合计 {opening / wan:,.1f} 万元。",
            "已超过使用年限、又没有记录更新年份的部件，都算作第一年到期，所以第一年包含全部欠账。"
            "在部件覆盖文件（--overrides）中填写各部件最近一次更新的年份，欠账就会按实际情况分摊；"
            "列入老旧小区改造的小区（--renovate）由改造资金承担。",
            "续筹：为使维修资金够用，业主每年另行交存的金额。它交入住宅专项维修资金，"
            "用于屋面、管线、电梯、外墙等共用部位的大修和更新；与物业费（如 0.5 元/平方米/月，"
            "用于日常保洁、秩序和小修）是两笔钱。",
            f"基本方案：余额任何一年都不低于零所需的每年续筹，全部小区合计 "
            f"{plans['baseline'] / wan:,.1f} 万元/年，折合中位数 {rates['baseline']:,.2f} "
            "元/平方米/月。" + (
                "这里第一年的工程超过期初余额，每年同样数额的续筹第一年就要补上欠账，"
                "所以数额很大：这是欠账造成的，不是每年的正常损耗。" if heavy else ""),
            f"底线方案：余额不低于首期交存额一定比例所需的每年续筹，合计 "
            f"{plans['threshold'] / wan:,.1f} 万元/年（中位数 {rates['threshold']:,.2f} "
            "元/平方米/月）。",
            f"充分积累方案：到期末达到“充分积累余额”（按部件已用年限计提应有的余额）所需的每年续筹，"
            f"合计 {plans['full'] / wan:,.1f} 万元/年"
            f"（中位数 {rates['full']:,.2f} 元/平方米/月）。",
            "资金充足率：年末余额 ÷ 充分积累余额；100% 表示已按部件磨损攒够，负数表示已经透支。",
            "各工作表：维修计划（每个小区每年每个部件的工程量和费用、由谁承担）；维修资金（逐年收支）；"
            "筹资方案（三种续筹方案）；优先排序（改造的先后）；部件目录（使用年限、单价及依据）。",
        ]
    return [
        "Reserve study of the special maintenance fund",
        f"Scope: {n:,} compound{'s' if n != 1 else ''}, {first} to {last} "
        f"({last - first + 1} years).",
        f"Work the fund pays in the first year ({first}): {backlog:,.2f} yuan in "
        f"{overdue:,} compound{'s' if overdue != 1 else ''}; in the later years "
        f"{later / years_after:,.2f} yuan a year on average; the funds' opening balances "
        f"{opening:,.2f} yuan.",
        "A component past its service life with no renewal year recorded is counted as due "
        "in the first year, so the first year carries the whole backlog. Enter each component's "
        "last renewal year in an overrides file (--overrides) to spread it as it really is; "
        "compounds in the renovation programme (--renovate) are paid by the programme.",
        "Top-up (续筹): what owners would pay into the special maintenance fund each year so "
        "that it suffices. It pays for renewing shared parts (roofs, pipes, lifts, facades) "
        "and is a different payment from the property fee (e.g. 0.5 yuan/m2/month, for "
        "daily cleaning, order and small repairs).",
        f"Baseline plan: the yearly top-up that keeps the balance from ever going below "
        f"zero; all compounds {plans['baseline']:,.2f} yuan/year, median "
        f"{rates['baseline']:,.2f} yuan/m2/month." + (
            " Here the first year's work exceeds the opening balances, so the same top-up "
            "every year must already cover the backlog in the first: the figure is large "
            "because of the backlog, not because of the yearly wear." if heavy else ""),
        f"Threshold plan: the yearly top-up that keeps the balance above a share of the first "
        f"deposit; {plans['threshold']:,.2f} yuan/year (median {rates['threshold']:,.2f} "
        "yuan/m2/month).",
        f"Full funding plan: the yearly top-up that reaches the fully funded balance (what "
        f"the components' used life calls for) at the end; {plans['full']:,.2f} yuan/year "
        f"(median {rates['full']:,.2f} yuan/m2/month).",
        "Percent funded: closing balance / fully funded balance; 100% means the wear is "
        "saved for, a negative figure that the fund is overdrawn.",
        "Sheets: schedule (work by compound, year and component, and who pays); fund (the "
        "fund year by year); funding (the three plans); priorities (order of renovation); "
        "catalogue (service lives, unit costs and their references).",
    ]


def _with_names(table: pd.DataFrame, names: dict[str, str] | None) -> pd.DataFrame:
    """The table with a ``name`` column after ``compound_id`` (when names are given)."""
    if not names or "compound_id" not in table.columns:
        return table
    out = table.copy()
    out.insert(list(out.columns).index("compound_id") + 1, "name",
               out["compound_id"].map(lambda i: names.get(str(i), "")))
    return out


def _with_total(table: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """The funding table with a total row of its yuan-a-year columns."""
    total: dict[str, object] = dict.fromkeys(table.columns)
    total["compound_id"] = "合计" if lang == "zh" else "Total"
    for column in table.columns:
        if str(column).endswith("_yuan") and column != "opening_balance_yuan":
            total[column] = float(table[column].sum())
    total["opening_balance_yuan"] = float(table["opening_balance_yuan"].sum())
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def write_reserve(
    study: ReserveStudy,
    path: str | Path,
    *,
    priorities: pd.DataFrame | None = None,
    labels: Language = "en",
    catalogue: Catalogue | None = None,
    names: dict[str, str] | None = None,
    printed: dt.date | None = None,
) -> Path:
    """Write a reserve study to a print-ready Excel workbook.

    A notes sheet first (scope, the first year's backlog, each funding plan in words and
    yuan, what percent funded means), then one sheet per table: the schedule of work, the
    fund year by year, the funding plans with a total row, the priorities and the
    catalogue. Every sheet prints landscape, one page wide, with its header row repeated
    on every page, a title and page numbers; money has thousands separators and two
    decimals, quantities one decimal, percent funded a percent.

    Parameters
    ----------
    study
        The reserve study.
    path
        Target ``.xlsx`` file; replaced atomically, never an input file.
    priorities
        A priority table (:func:`propfee.reserve.priorities.priority_table`) to add.
    labels
        Language of headers, codes and notes, ``"en"`` or ``"zh"``.
    catalogue
        The catalogue the study used (labels and the catalogue sheet).
    names
        Compound id -> name, shown beside the ids.
    printed
        The date in every page's footer (default: today); a fixed date, never a field
        that changes when the file is opened.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    propfee.errors.InputError
        If the target is not an ``.xlsx`` file.
    """
    from propfee.excel.units import page_setup, sheet_title
    from propfee.io import neutralise_formulas

    printed = dt.date.today() if printed is None else printed

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError([Problem(None, "path", str(target), "write an .xlsx file")],
                         what="reserve workbook")
    require("openpyxl", feature="writing Excel files", extra="excel")
    from openpyxl.styles import Alignment, Font

    k = 0 if labels == "en" else 1
    raw = reserve_tables(study, priorities, catalogue)
    raw["funding"] = _with_total(raw["funding"], labels)
    raw = {name: _with_names(t, names) for name, t in raw.items()}
    notes = reserve_notes(study, labels)
    handle, tmp = tempfile.mkstemp(suffix=".xlsx", dir=target.parent or Path("."))
    os.close(handle)
    try:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            note_frame = neutralise_formulas(pd.DataFrame({notes[0]: notes[1:]}))
            note_frame.to_excel(writer, sheet_name=_SHEETS["notes"][k], index=False)
            sheet: Any = writer.sheets[_SHEETS["notes"][k]]
            sheet.column_dimensions["A"].width = 110
            sheet["A1"].font = Font(bold=True, size=14)
            for row in sheet.iter_rows(min_row=2):
                row[0].alignment = Alignment(wrap_text=True, vertical="top")
                lines = display_width(str(row[0].value or "")) // 105 + 1
                sheet.row_dimensions[row[0].row].height = 16.0 * lines
            page_setup(sheet, title=notes[0], lang=labels, printed=printed, header_row=1)
            for name, table in raw.items():
                sheet_name = _SHEETS[name][k]
                shown = neutralise_formulas(label_reserve_table(table, labels, catalogue))
                shown.to_excel(writer, sheet_name=sheet_name, index=False)
                sheet = writer.sheets[sheet_name]
                sheet.freeze_panes = "B2" if "compound_id" in table.columns else "A2"
                for cell in sheet[1]:
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(vertical="center")
                for j, (code, column) in enumerate(zip(table.columns, shown.columns,
                                                       strict=True), start=1):
                    letter = sheet.cell(row=1, column=j).column_letter
                    cells = [display_width(str(v)) for v in shown[column].head(200)
                             if not pd.isna(v)]
                    width = max([display_width(str(column)) + 2, *(w + 2 for w in cells)])
                    sheet.column_dimensions[letter].width = min(max(width, 8), 40)
                    number = _number_format(str(code))
                    if number is not None:
                        for row in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                            row[0].number_format = number
                if name == "funding":
                    for cell in sheet[sheet.max_row]:
                        cell.font = Font(bold=True)
                page_setup(sheet, title=sheet_title(notes[0], sheet_name, labels),
                           lang=labels, printed=printed, header_row=1)
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
