"""The plan comparison sheet (方案比较): every built-in plan on the same compounds.

One row per plan and one per plan's market baseline (:func:`propfee.compare_plans`, each
figure an exact sum in fen over the compounds); the plan of the budget first and in
bold. Money in 万元 or 元 a year as the summary shows it; counts in compounds. Under
the table, one sentence compares the plan of the budget with each other plan::

    difference = street subsidy of the other plan - street subsidy of this plan  [yuan/year]
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import pandas as pd

from propfee.budget import DistrictBudget
from propfee.compare import BASELINE_SUFFIX, compare_plans
from propfee.excel.assumptions import plan_name, plan_title
from propfee.excel.units import CJK_FONT, MoneyUnit, money_scale, money_unit, page_setup
from propfee.labels import Language, plan_label
from propfee.money import yuan_to_fen
from propfee.plan import Plan, plan_names

__all__ = ["COMPARISON_COLUMNS", "comparison_table", "write_plans_sheet"]

COMPARISON_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("compounds_in_deficit", "Compounds in deficit", "入不敷出小区（个）"),
    ("fee_collected_yuan", "Fee collected", "实收物业费"),
    ("public_income_yuan", "Public income", "公共资源收益"),
    ("compound_cash_cost_yuan", "Paid by the pools", "小区现金支出"),
    ("pool_balance_yuan", "Pool balance", "资金池余额"),
    ("street_subsidy_yuan", "Street subsidy", "街道补贴"),
    ("net_public_cost_yuan", "Net public cost", "公共财政净支出"),
    ("in_kind_yuan", "Volunteer time (valued)", "志愿服务折算"),
)
"""Columns of the comparison: :func:`propfee.compare_plans` column, English, Chinese."""


def comparison_table(budget: DistrictBudget, lang: Language = "en") -> pd.DataFrame:
    """The budget's plan and every built-in plan, each beside its market baseline.

    Parameters
    ----------
    budget
        The district budget (with its inputs).
    lang
        Language of the row names.

    Returns
    -------
    pandas.DataFrame
        Index: the plans' names for a reader (the budget's plan first; a plan of one's
        own, or the budget's plan under chosen bundles, reads "the plan given");
        columns: ``plan`` (the row's plan in words), ``baseline`` (True for a market
        baseline row), ``this_plan`` (True for the budget's plan and its baseline),
        ``grade`` and the columns of :data:`COMPARISON_COLUMNS`. [yuan/year]
    """
    table, resolved, params = budget._need_inputs("with its inputs")
    own = plan_name(resolved.plan)
    plans: list[str | Plan] = [own if own is not None else resolved.plan]
    plans += [name for name in plan_names() if name != own]
    raw: dict[Any, dict[Any, Any]] = compare_plans(table, plans, params).to_dict("index")
    zh = lang == "zh"
    rows = []
    for k, item in enumerate(plans):
        key = item if isinstance(item, str) else (item.description or "plan")
        shown = plan_label(item, lang) if isinstance(item, str) else plan_title(item, lang)
        for baseline in (False, True):
            data = raw[key + BASELINE_SUFFIX if baseline else key]
            name = (f"{shown}：对照——市场化物业单独承接" if zh else
                    f"{shown}: compare, a market company alone") if baseline else shown
            rows.append({"name": name, "plan": shown, "baseline": baseline,
                         "this_plan": k == 0, "grade": int(data["grade"]),
                         **{c: float(data[c]) for c, _, _ in COMPARISON_COLUMNS}})
    return pd.DataFrame(rows).set_index("name")


def comparison_sentence(frame: pd.DataFrame, lang: Language, unit: MoneyUnit) -> str:
    """How the budget's plan compares with each other plan, by the street subsidy."""
    zh = lang == "zh"
    plans = frame[~frame["baseline"]]
    mine = plans[plans["this_plan"]].iloc[0]
    scale = money_scale(unit)
    shown = money_unit(unit, lang)
    parts = []
    for name, other in plans[~plans["this_plan"]].iterrows():
        diff_fen = int(yuan_to_fen(other["street_subsidy_yuan"])) - \
            int(yuan_to_fen(mine["street_subsidy_yuan"]))
        amount = abs(diff_fen) / 100 / scale
        if zh:
            parts.append(f"比{name}{'少' if diff_fen >= 0 else '多'}需街道补贴 "
                         f"{amount:,.{2 if scale == 1 else 1}f} {shown}")
        else:
            parts.append(f"{'less' if diff_fen >= 0 else 'more'} street subsidy than the "
                         f"{name}, by {amount:,.{2 if scale == 1 else 1}f} {shown}")
    if not parts:
        return ""
    return (f"{mine['plan']}" + "，".join(parts) + "。" if zh else
            f"The {mine['plan']} needs " + "; ".join(parts) + ".")


def write_plans_sheet(sheet: Any, budget: DistrictBudget, *, lang: Language,
                      unit: MoneyUnit, printed: dt.date) -> pd.DataFrame:
    """Write the plan comparison.

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

    Returns
    -------
    pandas.DataFrame
        The table written (:func:`comparison_table`).
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    zh = lang == "zh"
    frame = comparison_table(budget, lang)
    scale = money_scale(unit)
    plain, bold = Font(name=CJK_FONT), Font(name=CJK_FONT, bold=True)
    thin = Side(style="thin", color="808080")
    title = "方案比较" if zh else "The plans compared"
    sheet["A1"] = title
    sheet["A1"].font = Font(name=CJK_FONT, bold=True, size=14)
    n = len(budget.compounds)
    sheet["A2"] = (f"同一批 {n} 个小区、同一套参数下的各方案，以及各方案对应的市场化物业单独"
                   f"承接（对照）；金额单位：{money_unit(unit, lang)}。" if zh else
                   f"Every plan on the same {n} compounds and parameters, each beside a "
                   "market company alone delivering the same work (the comparison); money "
                   f"in {money_unit(unit, lang)}.")
    sheet["A2"].font = plain
    heads = ["方案" if zh else "Plan", "服务等级" if zh else "Grade",
             *((cn if zh else en) for _, en, cn in COMPARISON_COLUMNS)]
    for j, text in enumerate(heads, start=1):
        cell = sheet.cell(row=4, column=j, value=text)
        cell.font, cell.border = bold, Border(bottom=thin)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center",
                                   horizontal="left" if j == 1 else "right")
    money_format = "#,##0.00" if scale == 1 else "#,##0.0"
    for i, (name, item) in enumerate(frame.iterrows(), start=5):
        font = bold if item["this_plan"] and not item["baseline"] else plain
        values: list[Any] = [str(name), int(item["grade"])]
        values += [int(item[c]) if c == "compounds_in_deficit" else
                   int(yuan_to_fen(item[c])) / 100 / scale for c, _, _ in COMPARISON_COLUMNS]
        for j, value in enumerate(values, start=1):
            cell = sheet.cell(row=i, column=j, value=value)
            cell.font = font
            if j > 2:
                cell.number_format = "#,##0" if j == 3 else money_format
    sentence = comparison_sentence(frame, lang, unit)
    note = 6 + len(frame)
    sheet.cell(row=note, column=1, value=sentence).font = plain
    sheet.cell(row=note + 1, column=1, value=(
        "对照行：同样的服务由市场化物业公司单独承接，没有公共资源收益、街道服务和改造资金；"
        "其街道补贴为使每个小区不亏损所需的金额。" if zh else
        "Comparison rows: the same work by a market company alone, with no public income, "
        "street services or renovation capital; their subsidy is what would keep every "
        "compound out of deficit.")).font = plain
    from propfee.excel.tables import display_width

    widest = max([display_width(str(name)) for name in frame.index] + [40])
    sheet.column_dimensions["A"].width = min(widest + 2, 80)  # every plan's name whole
    for j in range(2, len(heads) + 1):
        sheet.column_dimensions[sheet.cell(row=4, column=j).column_letter].width = \
            20 if j == 3 else 14
    sheet.row_dimensions[4].height = 32
    page_setup(sheet, title=title, lang=lang, printed=printed, header_row=4)
    return frame
