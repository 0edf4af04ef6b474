"""The report a street leader signs: the summary, its live what-if cells, the compound budgets.

The what-if formulas are recalculated by LibreOffice (``soffice --headless --convert-to
xlsx`` recalculates on load) and compared with the library's figures to the fen, at the
library's inputs and at changed ones.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

import propfee as pf
from propfee.excel import write_budget_workbook
from propfee.excel.summary import INPUT_ROWS, KEY_FIRST_ROW, KEY_ROWS
from propfee.excel.units import natural_key
from propfee.excel.whatif import COLUMNS
from propfee.labels import label
from propfee.money import yuan_to_fen
from propfee.params import default_parameters

STREET = pf.datasets.sanqiao_like_street().head(40)
DAY = dt.date(2026, 12, 6)
SOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def budget() -> pf.DistrictBudget:
    return pf.evaluate_district(STREET)


def _fen(value: float) -> int:
    return int(yuan_to_fen(value)[()])


def _recalculated(path: Path, out: Path) -> Path:
    """The workbook as LibreOffice saves it after recalculating every formula."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot recalculate formulas")
    profile = out / "profile"  # a profile of its own: other soffice runs do not interfere
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=300)
    return out / path.name


def _whatif_rows(sheet, n: int) -> dict[str, list[object]]:
    keys = [k for k, _, _ in COLUMNS]
    return {key: [sheet.cell(row=r, column=j).value for r in range(2, n + 3)]
            for j, key in enumerate(keys, start=1)}


def _check_against(book, expected: pf.DistrictBudget) -> None:
    """Every formula cell equals the library's figure, to the fen."""
    c = expected.compounds
    n = len(c)
    rows = _whatif_rows(book["逐小区试算"], n)
    pairs = {"fee_collected": "fee_collected_yuan", "public_income": "public_income_yuan",
             "pool_balance": "pool_balance_yuan", "street_subsidy": "street_subsidy_yuan",
             "pool_surplus": "pool_surplus_yuan", "net_public_cost": "net_public_cost_yuan"}
    for key, column in pairs.items():
        got = [_fen(v) for v in rows[key][:n]]
        assert got == yuan_to_fen(c[column].to_numpy()).tolist(), key
        assert _fen(rows[key][n]) == int(yuan_to_fen(c[column].to_numpy()).sum()), key
    deficits = int((c["pool_balance_yuan"] < 0).sum())
    assert rows["in_deficit"][:n] == (c["pool_balance_yuan"] < 0).astype(int).tolist()
    summary = book["汇总"]
    totals = expected.district_totals()
    for i, (key, *_) in enumerate(KEY_ROWS):
        value = summary.cell(row=KEY_FIRST_ROW + i, column=2).value
        if key == "in_deficit":
            assert value == deficits
            continue
        column = {"cash_cost": "compound_cash_cost_yuan",
                  "street_services": "paid_by_street_office_yuan",
                  "renovation": "paid_by_renovation_programme_yuan"}.get(key, pairs.get(key))
        assert _fen(value * 10_000) == _fen(totals[column]), key  # 万元 on the summary
    assert summary["A2"].value.startswith(f"{n} 个小区中 {deficits} 个入不敷出，需街道补贴 ")
    subsidy_wan = f"{totals['street_subsidy_yuan'] / 10_000:,.1f}"
    assert f"需街道补贴 {subsidy_wan} 万元/年" in summary["A2"].value
    # By zone: the zones' sums are the district's.
    first = next(r for r in range(1, summary.max_row + 1)
                 if summary.cell(row=r, column=1).value == "片区") + 1
    last = next(r for r in range(first, summary.max_row + 1)
                if summary.cell(row=r, column=1).value == "合计")
    subsidy = sum(_fen(summary.cell(row=r, column=6).value * 10_000)
                  for r in range(first, last))
    assert subsidy == _fen(totals["street_subsidy_yuan"])
    assert summary.cell(row=last, column=4).value == deficits


def test_what_if_cells_recalculate_to_the_library_to_the_fen(tmp_path: Path, budget) -> None:
    path = write_budget_workbook(budget, tmp_path / "预算.xlsx", labels="zh", printed=DAY)
    _check_against(load_workbook(_recalculated(path, tmp_path / "at-default"),
                                 data_only=True), budget)

    # A planner types 0.6 yuan/m2/month and an 80% collection rate: the workbook's
    # figures are the library's, re-run with those inputs.
    book = load_workbook(path)
    book["汇总"][f"B{INPUT_ROWS['fee_rate']}"] = 0.6
    book["汇总"][f"B{INPUT_ROWS['collection_rate']}"] = 0.8
    changed = tmp_path / "changed" / "预算.xlsx"
    changed.parent.mkdir()
    book.save(changed)
    params = default_parameters().replace({"fees.rate_yuan_per_m2_month": 0.6,
                                           "fees.collection_rate": 0.8})
    again = pf.evaluate_district(STREET, params=params)
    assert int((again.compounds["pool_balance_yuan"] < 0).sum()) != int(
        (budget.compounds["pool_balance_yuan"] < 0).sum())  # the change shows
    _check_against(load_workbook(_recalculated(changed, tmp_path / "at-0.6"),
                                 data_only=True), again)


def test_compound_blocks_add_up_to_the_summary_to_the_fen(tmp_path: Path, budget) -> None:
    path = write_budget_workbook(budget, tmp_path / "预算.xlsx", labels="zh", printed=DAY)
    sheet = load_workbook(path)["测算表"]
    c = budget.compounds.set_index("compound_id")
    blocks: dict[str, dict[str, int]] = {}
    current: dict[str, int] = {}
    lines_fen = 0
    subtotals_fen = 0
    payers = {label(p, "zh") for p in budget.lines["payer"].unique()}
    for a, _, payer, amount in sheet.iter_rows(min_col=1, max_col=4, values_only=True):
        if isinstance(a, str) and "  " in a and a.split("  ")[0] in c.index and not payer:
            current = blocks.setdefault(a.split("  ")[0], {})
            lines_fen = subtotals_fen = 0
        elif payer in payers and isinstance(amount, float | int):
            lines_fen += _fen(amount)
        elif payer == "小计":
            subtotals_fen += _fen(amount)
        elif a in ("总成本", "其中：由资金池支付", "实收物业费", "公共资源收益", "资金池余额",
                   "街道补贴") and amount is not None:
            current[a] = _fen(amount)
            if a == "总成本":
                assert lines_fen == subtotals_fen == current[a]
    assert list(blocks) == list(c.index)
    for cid, block in blocks.items():
        row = c.loc[cid]
        assert block["总成本"] == _fen(row["total_cost_yuan"])
        assert block["其中：由资金池支付"] == _fen(row["compound_cash_cost_yuan"])
        assert block["资金池余额"] == _fen(row["pool_balance_yuan"])
        assert block["街道补贴"] == _fen(row["street_subsidy_yuan"])
    totals = budget.district_totals()
    for name, column in (("总成本", "total_cost_yuan"), ("街道补贴", "street_subsidy_yuan"),
                         ("实收物业费", "fee_collected_yuan")):
        assert sum(b[name] for b in blocks.values()) == _fen(totals[column])


_WORD = re.compile(r"[A-Za-z]{2,}")


def _user_words(frame) -> set[str]:
    words: set[str] = set()
    for column in ("compound_id", "name", "street", "zone"):
        for value in frame[column].astype(str):
            words |= set(_WORD.findall(value))
    return words


def test_no_english_word_in_a_chinese_workbook(tmp_path: Path, budget) -> None:
    """Every cell's text, sheet name, header and footer is Chinese, but for the ids and
    names the user typed."""
    path = write_budget_workbook(budget, tmp_path / "预算.xlsx", labels="zh", printed=DAY)
    book = load_workbook(path)
    allowed = _user_words(STREET)
    found: dict[str, set[str]] = {}
    for sheet in book.worksheets:
        texts = [sheet.title, sheet.oddHeader.center.text or "",
                 sheet.oddFooter.left.text or "", sheet.oddFooter.right.text or ""]
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    # A formula's text is its quoted strings; the rest is Excel's.
                    texts += re.findall(r'"([^"]*)"', value) if value.startswith("=") \
                        else [value]
        words = {w for t in texts for w in _WORD.findall(t)} - allowed
        if words:
            found[sheet.title] = words
    assert found == {}


def test_summary_page_setup_order_and_units(tmp_path: Path) -> None:
    frame = STREET.head(8).copy()
    frame["zone"] = ["十一片区", "二片区", "十片区", "一片区", "二片区", "十一片区", "三片区",
                     "一片区"]
    budget = pf.evaluate_district(frame)
    path = write_budget_workbook(budget, tmp_path / "元.xlsx", labels="zh", unit="yuan",
                                 printed=DAY)
    book = load_workbook(path)
    sheet = book["汇总"]
    assert book.sheetnames[:3] == ["汇总", "逐小区试算", "测算表"]
    column_a = [sheet.cell(row=r, column=1).value for r in range(1, sheet.max_row + 1)]
    first = column_a.index("片区") + 1
    zones = column_a[first:column_a.index("合计")]
    assert zones == ["一片区", "二片区", "三片区", "十片区", "十一片区"]
    assert zones == sorted(zones, key=natural_key)
    assert sheet.cell(row=first + 1, column=6).value.endswith("2)")  # in yuan: not divided
    assert sheet["B12"].value == "金额（元/年）"
    assert sheet.cell(row=column_a.index("合计") + 1, column=1).font.name == "Microsoft YaHei"
    # No internal code: contracts by zone name.
    whatif = book["逐小区试算"]
    contracts = {whatif.cell(row=r, column=5).value for r in range(2, 10)}
    assert "十一片区" in contracts
    assert not any(str(v).startswith("zone:") for v in contracts)
    # Print: landscape, one page wide, title in the header, date and pages in the footer.
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.oddHeader.center.text.endswith("老旧小区“四管一补”预算汇总")
    assert sheet.oddFooter.right.text == "第 &P 页，共 &N 页"
    assert sheet.oddFooter.left.text == "制表日期：2026年12月6日"
    assert np.isclose(sheet[f"B{INPUT_ROWS['fee_rate']}"].value, 0.5)


def test_the_headline_range_is_stated_when_asked_for(tmp_path: Path, budget) -> None:
    pytest.importorskip("scipy")
    interval = pf.interval(STREET.head(10), n=8)
    small = pf.evaluate_district(STREET.head(10))
    path = write_budget_workbook(small, tmp_path / "r.xlsx", labels="zh", printed=DAY,
                                 interval=interval)
    text = load_workbook(path)["汇总"]["A3"].value
    assert "90% 区间" in text
    assert "8 次抽样" in text
    plain = write_budget_workbook(small, tmp_path / "p.xlsx", labels="zh", printed=DAY)
    assert load_workbook(plain)["汇总"]["A3"].value is None


def test_the_residents_notice_adds_up_to_the_fen(tmp_path: Path, budget) -> None:
    path = write_budget_workbook(budget, tmp_path / "预算.xlsx", labels="zh", printed=DAY)
    sheet = load_workbook(path)["公示表"]
    n = len(budget.compounds)
    head = {sheet.cell(row=4, column=j).value: j for j in range(1, sheet.max_column + 1)}
    for name in ("街道补贴（元/年）", "资金池余额（元/年）", "实收物业费（元/年）"):
        j = head[name]
        rows = [_fen(sheet.cell(row=r, column=j).value) for r in range(5, 5 + n)]
        assert sum(rows) == _fen(sheet.cell(row=5 + n, column=j).value)
    subsidy = head["街道补贴（元/年）"]
    assert _fen(sheet.cell(row=5 + n, column=subsidy).value) == _fen(
        budget.district_totals()["street_subsidy_yuan"])
    assert sheet.cell(row=5 + n, column=1).value == "合计"
