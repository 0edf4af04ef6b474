"""One printable budget per compound (测算表): inputs, lines by channel, income, balance.

Each compound's block, on a page of its own::

    SQ001 机械厂宿舍                 zone, shared-property contract, street
    inputs: households, floor area, build year, fee rate, collection rate
    line | what it is (cost category, kind) | who pays | amount [yuan/year]
      ... grouped by channel, each group with its subtotal (lines of zero are left out)
    total cost; of which paid by the fund pool
    fee collected, public income, pool balance, street subsidy
    why it is in deficit (or its surplus), and the break-even fee

The break-even fee is the rate at which this compound's pool balances under the plan
(its cash cost and shared-contract share as they are)::

    rate* = (compound cash cost - public income) / (floor area x 12 x collection rate)

Amounts are the library's lines, to the fen; each block's subtotals and totals are sums
of whole fen, so every block adds up to the compound's figures, and the blocks to the
district's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import numpy as np

from propfee.budget import DistrictBudget
from propfee.excel.units import CJK_FONT, page_setup
from propfee.io.writers import inert
from propfee.labels import Language, contract_name, label
from propfee.money import yuan_to_fen

__all__ = ["break_even_rate", "write_compound_sheet"]

_WIDTHS: Final = {"A": 36, "B": 46, "C": 18, "D": 16}
_MONEY: Final = "#,##0.00"


def break_even_rate(cash_yuan: float, income_yuan: float, floor_area_m2: float,
                    collection_rate: float) -> float | None:
    """The fee rate at which a compound's pool balances. [yuan/(m2 month)]

    Parameters
    ----------
    cash_yuan
        Compound cash cost. [yuan/year]
    income_yuan
        Public income. [yuan/year]
    floor_area_m2
        Floor area. [m2]
    collection_rate
        Collection rate. [1]

    Returns
    -------
    float or None
        The rate (0 when public income alone pays the cash cost); ``None`` when nothing
        is collected.

    Examples
    --------
    >>> round(break_even_rate(60_000.0, 0.0, 10_000.0, 1.0), 4)
    0.5
    """
    if collection_rate <= 0 or floor_area_m2 <= 0:
        return None
    return max(cash_yuan - income_yuan, 0.0) / (floor_area_m2 * 12.0 * collection_rate)


def _yuan(fen: int) -> float:
    return fen / 100


def write_compound_sheet(sheet: Any, budget: DistrictBudget, *, lang: Language,
                         printed: dt.date) -> None:
    """Write one block per compound, each on its own printed page.

    Parameters
    ----------
    sheet
        An empty openpyxl worksheet.
    budget
        The district budget (with its lines and inputs).
    lang
        Language.
    printed
        The date in the footer.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.pagebreak import Break

    table, _, params = budget._need_inputs("with its inputs")
    zh = lang == "zh"
    c = budget.compounds
    lines = budget.lines
    amounts = yuan_to_fen(lines["amount_yuan"].to_numpy())
    ids = lines["compound_id"].cat.codes.to_numpy()
    order = np.argsort(ids, kind="stable")
    bounds = np.searchsorted(ids[order], np.arange(len(c) + 1))
    id_codes = {str(v): i for i, v in enumerate(lines["compound_id"].cat.categories)}
    text = {col: lines[col].astype(str).to_numpy() for col in
            ("line", "channel", "category", "payer", "kind")}
    area = table.array("floor_area_m2")
    rate = table.array("fee_rate_yuan_per_m2_month")
    coll = table.array("collection_rate")
    rate = np.where(np.isnan(rate), params.fees.rate_yuan_per_m2_month, rate)
    coll = np.where(np.isnan(coll), params.fees.collection_rate, coll)

    bold = Font(name=CJK_FONT, bold=True)
    plain = Font(name=CJK_FONT)
    title_font = Font(name=CJK_FONT, bold=True, size=13)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    group_fill = PatternFill("solid", fgColor="F2F2F2")
    thin = Side(style="thin", color="808080")
    words = {k: (v[1] if zh else v[0]) for k, v in {
        "line": ("Line", "项目"), "what": ("What it is", "说明"),
        "payer": ("Paid by", "承担方"), "amount": ("Amount [yuan/year]", "金额（元/年）"),
        "subtotal": ("Subtotal", "小计"), "total": ("Total cost", "总成本"),
        "cash": ("of which paid by the fund pool", "其中：由资金池支付"),
        "fee": ("Fee collected", "实收物业费"), "income": ("Public-resource income",
                                                          "公共资源收益"),
        "balance": ("Fund pool balance", "资金池余额"),
        "subsidy": ("Street subsidy", "街道补贴"),
        "break_even": ("Break-even fee [yuan/m2/month]", "保本物业费（元/平方米/月）"),
        "why": ("Why", "原因"),
    }.items()}
    row = 0

    def put(col: str, value: Any, font: Any = plain, fmt: str | None = None) -> Any:
        cell = sheet[f"{col}{row}"]
        cell.value = inert(value) if isinstance(value, str) else value
        cell.font = font
        if fmt is not None:
            cell.number_format = fmt
        return cell

    for i in range(len(c)):
        rec = c.iloc[i]
        if i:
            sheet.row_breaks.append(Break(id=row))
            row += 1
        row += 1
        cid, name = str(rec["compound_id"]), str(rec["name"])
        put("A", f"{cid}  {name}", title_font)
        row += 1
        zone = "" if rec["zone"] is None else str(rec["zone"])
        put("A", (f"街道：{rec['street']}；片区：{zone}；共享物业协议："
                  f"{contract_name(str(rec['bundle_id']), lang)}") if zh else
            (f"Street: {rec['street']}; zone: {zone}; shared-property contract: "
             f"{contract_name(str(rec['bundle_id']), lang)}"))
        row += 1
        build = table.array("build_year")[i]
        put("A", (f"户数 {int(rec['households']):,} 户；建筑面积 {area[i]:,.1f} 平方米；"
                  f"建成 {build:.0f} 年；物业费 {rate[i]:.2f} 元/平方米/月；"
                  f"收缴率 {coll[i]:.0%}") if zh else
            (f"{int(rec['households']):,} households; {area[i]:,.1f} m2; built {build:.0f}; "
             f"fee {rate[i]:.2f} yuan/m2/month; collection rate {coll[i]:.0%}"))
        row += 1
        for col, key in zip("ABCD", ("line", "what", "payer", "amount"), strict=True):
            cell = put(col, words[key], bold)
            cell.fill = head_fill
            cell.border = Border(bottom=thin)
        picks = order[bounds[id_codes[cid]]:bounds[id_codes[cid] + 1]] if cid in id_codes \
            else np.zeros(0, dtype=np.int64)
        total_fen = 0
        channels: dict[str, list[int]] = {}
        for k in picks:
            channels.setdefault(text["channel"][k], []).append(int(k))
        for channel, members in channels.items():
            shown = [k for k in members if amounts[k] != 0]
            if not shown:
                continue
            row += 1
            cell = put("A", label(channel, lang), bold)
            for col in "ABCD":
                sheet[f"{col}{row}"].fill = group_fill
            sub = 0
            for k in shown:
                row += 1
                put("A", "  " + label(text["line"][k], lang))
                put("B", f"{label(text['category'][k], lang)}（{label(text['kind'][k], lang)}）"
                    if zh else f"{label(text['category'][k], lang)} "
                    f"({label(text['kind'][k], lang)})")
                put("C", label(text["payer"][k], lang))
                put("D", _yuan(int(amounts[k])), fmt=_MONEY)
                sub += int(amounts[k])
            row += 1
            put("C", words["subtotal"], bold)
            put("D", _yuan(sub), bold, _MONEY)
            total_fen += sub
        cash = int(yuan_to_fen(float(rec["compound_cash_cost_yuan"]))[()])
        fee = int(yuan_to_fen(float(rec["fee_collected_yuan"]))[()])
        income = int(yuan_to_fen(float(rec["public_income_yuan"]))[()])
        balance = fee + income - cash
        figures = [("total", total_fen), ("cash", cash), ("fee", fee), ("income", income),
                   ("balance", balance), ("subsidy", max(-balance, 0))]
        for key, fen in figures:
            row += 1
            put("A", words[key], bold if key in ("total", "balance") else plain)
            put("D", _yuan(fen), bold if key in ("total", "balance") else plain, _MONEY)
            if key == "total":
                for col in "ABCD":
                    sheet[f"{col}{row}"].border = Border(top=thin)
        row += 1
        even = break_even_rate(cash / 100, income / 100, float(area[i]), float(coll[i]))
        put("A", words["break_even"], bold)
        put("D", even, bold, "0.00")
        row += 1
        put("A", words["why"], bold)
        put("B", _reason(balance, fee, income, cash, picks, amounts, text, lang))
        sheet[f"B{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(f"B{row}:D{row}")
        sheet.row_dimensions[row].height = 48
    for col, width in _WIDTHS.items():
        sheet.column_dimensions[col].width = width
    page_setup(sheet, title=label("sheet_compound_budgets", lang), lang=lang,
               printed=printed)


def _reason(balance: int, fee: int, income: int, cash: int, picks: Any, amounts: Any,
            text: dict[str, Any], lang: Language) -> str:
    """Why the pool is short (or not), naming the three largest pool-paid lines."""
    zh = lang == "zh"
    pool = [k for k in picks if text["payer"][k] == "fund_pool" and amounts[k] > 0]
    top = sorted(pool, key=lambda k: (-int(amounts[k]), text["line"][k]))[:3]
    named = ("、" if zh else ", ").join(
        f"{label(text['line'][k], lang)} {amounts[k] / 100:,.2f}" for k in top)
    if balance < 0:
        return (f"资金池支出 {cash / 100:,.2f} 元，收入 {(fee + income) / 100:,.2f} 元（物业费 "
                f"{fee / 100:,.2f} 元、公共收益 {income / 100:,.2f} 元），缺口 "
                f"{-balance / 100:,.2f} 元。支出最大的三项：{named}。" if zh else
                f"The pool pays {cash / 100:,.2f} yuan and takes in {(fee + income) / 100:,.2f} "
                f"(fees {fee / 100:,.2f}, public income {income / 100:,.2f}): short by "
                f"{-balance / 100:,.2f}. Largest lines: {named}.")
    return (f"收支平衡，资金池结余 {balance / 100:,.2f} 元。支出最大的三项：{named}。" if zh
            else f"The pool balances with {balance / 100:,.2f} yuan to spare. Largest lines: "
            f"{named}.")
