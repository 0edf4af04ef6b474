"""The Excel report and template, opened with openpyxl as a planner's Excel would."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import propfee as pf
from propfee.compound import COMPOUND_COLUMNS
from propfee.excel import display_width, number_format, payer_totals
from propfee.io import read_compounds, write_budget, write_template
from propfee.labels import label

STREET = pf.datasets.sanqiao_like_street().head(12)


@pytest.fixture(scope="module")
def budget() -> pf.DistrictBudget:
    return pf.evaluate_district(STREET)


def _headers(sheet, row: int = 1) -> dict[str, int]:
    return {str(c.value): c.column for c in sheet[row] if c.value is not None}


def test_display_width_counts_cjk_as_two() -> None:
    # 资金池余额 = 5 wide chars (10) + （ ） full width (4) + 元/年: 元 年 (4) + "/" (1) = 19
    assert display_width("资金池余额（元/年）") == 19
    assert display_width("Pool 2") == 6


@pytest.mark.parametrize(("column", "fmt"), [
    ("pool_balance_yuan", "#,##0.00"), ("street_subsidy_yuan", "#,##0.00"),
    ("hours_market", "#,##0"), ("volunteer_hours", "#,##0"),
    ("deficit_reduction_share", "0.0%"), ("collection_rate", "0.0%"),
    ("households", "#,##0"), ("fee_rate_yuan_per_m2_month", "0.00"), ("name", None),
])
def test_number_format_per_unit(column: str, fmt: str | None) -> None:
    assert number_format(column) == fmt


def test_chinese_report_sheets_widths_formats_totals(tmp_path: Path, budget) -> None:
    path = write_budget(budget, tmp_path / "预算.xlsx", labels="zh")
    book = load_workbook(path)
    assert book.sheetnames == ["汇总", "逐小区试算", "测算表", "公示表", "方案比较", "预算申请",
                               "测算假设", "分组与渠道",
                               "渠道贡献", "小区明细", "项目明细", "按街道", "按片区"]

    sheet = book["小区明细"]
    heads = _headers(sheet)
    n = len(budget.compounds)
    # Widths: the subsidy header is 20 wide (8 CJK + 2 full-width brackets = 20, "元/年"
    # = 5): it wraps onto at most three lines, and the widest value fits.
    col = heads["街道补贴（元/年）"]
    letter = sheet.cell(row=1, column=col).column_letter
    width = sheet.column_dimensions[letter].width
    head = display_width("街道补贴（元/年）")
    assert width >= math.ceil(head / 3) + 2
    widest = max(len(f"{v:,.2f}") for v in budget.compounds["street_subsidy_yuan"])
    assert width >= widest + 2
    name_letter = sheet.cell(row=1, column=heads["小区名称"]).column_letter
    assert sheet.column_dimensions[name_letter].width >= max(
        display_width(s) for s in budget.compounds["name"]) + 2

    # Formats per unit, booleans as 是/否.
    assert sheet.cell(row=2, column=col).number_format == "#,##0.00"
    hours = heads[label("hours_market", "zh")]
    assert sheet.cell(row=2, column=hours).number_format == "#,##0"
    flags = {sheet.cell(row=r, column=heads["资金池不为负"]).value for r in range(2, n + 2)}
    assert flags <= {"是", "否"}
    assert flags == {"是" if v else "否" for v in budget.compounds["pool_non_negative"]}

    # The totals row: labelled, summed exactly to the fen.
    total_row = n + 2
    assert sheet.cell(row=total_row, column=1).value == "合计"
    fen = sum(round(v * 100) for v in budget.compounds["street_subsidy_yuan"])
    assert sheet.cell(row=total_row, column=col).value == pytest.approx(fen / 100, abs=1e-9)
    assert sheet.cell(row=total_row, column=heads["户数"]).value == int(
        budget.compounds["households"].sum())
    per_household = heads[label("cost_per_household_month_yuan", "zh")]
    assert sheet.cell(row=total_row, column=per_household).value is None  # not additive

    # Frozen header (and id, name), print setup.
    assert sheet.freeze_panes == "C2"
    for name in book.sheetnames:
        ws = book[name]
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        # The compound budgets are blocks, each with its own header.
        assert ws.print_title_rows is not None or name == "测算表"
    assert book["渠道贡献"].page_setup.fitToWidth == 1
    assert book["渠道贡献"].print_title_rows == "$1:$1"
    # A wide table is fitted to as many pages wide as keep 220 width units a page, with
    # the id and name repeated on each.
    total_width = sum(sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width
                      for j in range(1, sheet.max_column + 1))
    assert sheet.page_setup.fitToWidth == math.ceil(total_width / 220) > 1
    assert sheet.print_title_cols == "$A:$B"

    # Line codes translated.
    lines = book["项目明细"]
    line_col = _headers(lines)["项目"]
    shown = {lines.cell(row=r, column=line_col).value for r in range(2, lines.max_row)}
    assert label("street_garbage_removal", "zh") in shown
    assert "street_garbage_removal" not in shown


def test_summary_sheet_totals_and_native_charts(tmp_path: Path, budget) -> None:
    path = write_budget(budget, tmp_path / "预算.xlsx", labels="zh")
    sheet = load_workbook(path)["分组与渠道"]  # the leader's 汇总: test_report_workbook
    rows = {str(r[0].value): r for r in sheet.iter_rows() if r[0].value is not None}
    assert "合计" in rows
    assert "all" not in rows
    # The totals row counts every compound.
    assert rows["合计"][1].value == len(budget.compounds)
    # Channel credit rows: the market baseline + each channel = 4+1 pool balance.
    totals = budget.district_totals()
    start = pf.report.channel_contributions(budget).loc["market baseline", "yuan"]
    assert start == totals["market_baseline_balance_yuan"]  # one baseline, one figure
    assert rows[label("market baseline", "zh")][1].value == pytest.approx(start)
    assert rows["四管一补资金池余额"][1].value == pytest.approx(totals["pool_balance_yuan"])
    credit = [rows[label(c, "zh")][1].value for c in (
        "shared_property", "self_governance", "street_fallback", "smart_devices",
        "public_income")]
    assert start + sum(credit) == pytest.approx(
        totals["pool_balance_yuan"], abs=0.005)
    # Who pays: residents' fees, ..., the street's subsidy as a transfer into the pool;
    # the rows add up to the total cost, which the last row shows.
    assert rows["居民物业费"][1].value == pytest.approx(totals["fee_collected_yuan"])
    assert rows["街道补贴（转入资金池）"][1].value == pytest.approx(totals["street_subsidy_yuan"])
    assert rows["总成本"][1].value == totals["total_cost_yuan"]
    who = [rows[label(p, "zh")][1].value for p in budget.who_pays()]
    assert round(sum(who) * 100) == round(totals["total_cost_yuan"] * 100)
    # Key figures on top: district totals to the fen.
    pool_fen = sum(round(v * 100) for v in budget.compounds["pool_balance_yuan"])
    assert rows["资金池余额"][1].value == pytest.approx(pool_fen / 100, abs=1e-9)
    assert rows["资金池余额"][1].number_format == "#,##0.00"
    if "net_public_cost_yuan" in budget.compounds:
        assert rows["公共财政净支出"][1].value == pytest.approx(
            budget.compounds["net_public_cost_yuan"].sum())
    charts = sheet._charts
    assert len(charts) == 2
    titles = []
    for chart in charts:
        runs = chart.title.tx.rich.p[0].r
        titles.append("".join(run.t for run in runs))
    assert titles == ["各渠道对收支差额的贡献", "全区服务费用由谁承担"]
    assert sheet.page_setup.fitToHeight == 1


def test_payer_totals_adds_the_paid_by_columns(budget) -> None:
    """The lines' payers add up to the total cost, each its paid_by column."""
    table = payer_totals(budget).set_index("payer")["yuan"]
    assert list(table.index) == ["fund_pool", "lift_levy", "street_office", "renovation_programme",
                                 "volunteers_in_kind"]
    totals = budget.district_totals()
    assert table["fund_pool"] == totals["paid_by_fund_pool_yuan"]
    assert round(table.sum() * 100) == round(totals["total_cost_yuan"] * 100)


def test_english_and_unlabelled_reports(tmp_path: Path, budget) -> None:
    book = load_workbook(write_budget(budget, tmp_path / "b.xlsx", labels="en"))
    assert book.sheetnames == ["Summary", "What-if by compound", "Compound budgets",
                               "Notice to residents", "Plans compared", "Budget request",
                               "Assumptions", "Breakdown", "Channel credit",
                               "Compounds", "Lines", "By street", "By zone"]
    compounds = book["Compounds"]
    assert compounds.cell(row=len(budget.compounds) + 2, column=1).value == "Total"
    flags = {c.value for c in compounds[_headers(compounds)["Pool not negative"]][1:]}
    assert flags - {None, compounds.cell(row=1, column=1).value} <= {"Yes", "No",
                                                                      "Pool not negative"}
    raw = load_workbook(write_budget(budget, tmp_path / "raw.xlsx", labels=None))
    assert raw.sheetnames == ["summary", "contributions", "compounds", "lines", "by_street",
                              "by_zone"]
    assert "street_subsidy_yuan" in _headers(raw["compounds"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_validation_widths_and_instructions(tmp_path: Path, lang: str) -> None:
    path = write_template(tmp_path / "t.xlsx", labels=lang)  # type: ignore[arg-type]
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.title == ("小区" if lang == "zh" else "compounds")
    assert sheet.freeze_panes == "C2"
    heads = _headers(sheet)
    assert len(heads) == len(COMPOUND_COLUMNS)
    for header, col in heads.items():
        letter = sheet.cell(row=1, column=col).column_letter
        assert sheet.column_dimensions[letter].width >= display_width(header) + 2

    def rule(name: str):
        header = label(name, "zh") if lang == "zh" else name
        letter = sheet.cell(row=1, column=heads[header]).column_letter
        found = [dv for dv in sheet.data_validations.dataValidation
                 if str(dv.sqref).startswith(f"{letter}2:")]
        assert len(found) == 1, name
        return found[0]

    households = rule("households")  # int, > 0 and <= 1,000,000: whole numbers 1 to 10^6
    assert (households.type, households.operator, households.formula1,
            households.formula2) == ("whole", "between", "1", "1000000")
    assert households.allow_blank is False  # required
    year = rule("build_year")
    assert (year.type, year.operator, year.formula1, year.formula2) == (
        "whole", "between", "1900", "2100")
    rate = rule("collection_rate")
    assert (rate.type, rate.operator, rate.formula1, rate.formula2) == (
        "decimal", "between", "0", "1")
    area = rule("floor_area_m2")  # float, > 0 and <= 10^7: an open bound needs a formula
    letter = str(area.sqref).split(":")[0].rstrip("0123456789")
    assert area.type == "custom"
    assert area.formula1 == (f"AND(ISNUMBER({letter}2),{letter}2>0,{letter}2<=10000000)")
    ident = rule("compound_id")
    assert ident.type == "custom"
    assert "COUNTIF" in ident.formula1
    assert year.error
    assert ("1900" in year.error)

    notes = book["填写说明" if lang == "zh" else "Instructions"]
    assert notes.title == ("填写说明" if lang == "zh" else "Instructions")
    assert notes["A1"].value == ("填写说明" if lang == "zh" else "How to fill in this workbook")
    text = " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert ("户" if lang == "zh" else "households") in text

    # A filled template reads back.
    sheet.cell(row=2, column=heads[label("compound_id", "zh") if lang == "zh"
                                   else "compound_id"], value="k1")
    sheet.cell(row=2, column=heads[label("households", "zh") if lang == "zh"
                                   else "households"], value=50)
    sheet.cell(row=2, column=heads[label("floor_area_m2", "zh") if lang == "zh"
                                   else "floor_area_m2"], value=3000.0)
    sheet.cell(row=2, column=heads[label("build_year", "zh") if lang == "zh"
                                   else "build_year"], value=1990)
    sheet.cell(row=2, column=heads[label("x_m", "zh") if lang == "zh" else "x_m"], value=5.0)
    book.save(path)
    frame = read_compounds(path)
    assert frame["households"].tolist() == [50]
    assert frame["x_m"].tolist() == [5.0]
    assert isinstance(frame, pd.DataFrame)
