"""The workbooks of ``propfee project`` and ``propfee montecarlo``, read back with openpyxl.

The tables are checked by hand on two compounds with simple numbers; the command line
on a small file against the library's own figures.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from propfee.analysis import ProjectionSettings, project
from propfee.analysis.montecarlo import MonteCarloResult
from propfee.analysis.projection import Projection
from propfee.cli import app
from propfee.excel.montecarlo import write_montecarlo_workbook
from propfee.excel.projection import conclusion, write_projection_workbook

DAY = dt.date(2026, 12, 6)
NAMES = {"SQ1": "东院", "SQ2": "Yard"}
TWO_YEARS = ProjectionSettings(horizon_years=2)
_WORD = re.compile(r"[A-Za-z]{2,}")


def _hand_projection() -> Projection:
    """Two compounds, two years, flows in whole or half yuan."""
    flows = pd.DataFrame({
        "compound_id": ["SQ1", "SQ2", "SQ1", "SQ2"],
        "year": [2024, 2024, 2025, 2025],
        "fee_income_yuan": [1000.0, 2000.0, 1000.0, 2000.0],
        "public_income_yuan": [200.0, 0.0, 200.0, 0.0],
        "net_yuan": [-300.0, 100.0, -500.0, 150.0],
        "interest_yuan": [0.0, 0.0, -4.5, 1.5],
        "balance_yuan": [-300.0, 100.0, -804.5, 251.5],
    })
    balance = pd.DataFrame({2024: [-300.0, 100.0], 2025: [-804.5, 251.5]},
                           index=pd.Index(["SQ1", "SQ2"], name="compound_id"))
    funding = pd.DataFrame({
        "compound_id": ["SQ1", "SQ2"],
        "first_negative_year": pd.array([2024, None], dtype="Int64"),
        "baseline_contribution_yuan": [402.2349, 0.0],
        "threshold_contribution_yuan": [5402.2349, 4900.0],
        "baseline_fee_rate_yuan_per_m2_month": [0.61, np.inf],
        "threshold_fee_rate_yuan_per_m2_month": [0.9, np.inf],
    })
    return Projection(flows, balance, funding)


def _rows(sheet) -> list[list[object]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _english_words(book) -> dict[str, set[str]]:
    """English words on every sheet, header and footer, but for the ids and names."""
    allowed = {w for text in [*NAMES, *NAMES.values()] for w in _WORD.findall(text)}
    found: dict[str, set[str]] = {}
    for sheet in book.worksheets:
        texts = [sheet.title, sheet.oddHeader.center.text or "",
                 sheet.oddFooter.left.text or "", sheet.oddFooter.right.text or ""]
        texts += [v for row in _rows(sheet) for v in row if isinstance(v, str)]
        words = {w for t in texts for w in _WORD.findall(t)} - allowed
        if words:
            found[sheet.title] = words
    return found


@pytest.fixture
def projection_book(tmp_path: Path):
    path = write_projection_workbook(_hand_projection(), tmp_path / "预测.xlsx",
                                     settings=TWO_YEARS, labels="zh", names=NAMES, printed=DAY)
    return load_workbook(path)


def test_year_table_totals_the_flows_and_not_the_balance(projection_book) -> None:
    sheet = projection_book["逐年收支"]
    head, first, second, total = _rows(sheet)
    assert head == ["年份", "物业费收入（元/年）", "公共资源收益（元/年）", "支出（元/年）",
                    "当年净额（元/年）", "利息（元/年）", "年末资金池余额（元）"]
    # 2024: fee 1000 + 2000 = 3000; public 200 + 0 = 200; net -300 + 100 = -200;
    # spending = 3000 + 200 - (-200) = 3400; balance -300 + 100 = -200.
    assert first == [2024, 3000.0, 200.0, 3400.0, -200.0, 0.0, -200.0]
    # 2025: net -500 + 150 = -350, spending 3200 + 350 = 3550; interest -4.5 + 1.5 = -3;
    # balance -804.5 + 251.5 = -553 (= -200 - 3 - 350).
    assert second == [2025, 3000.0, 200.0, 3550.0, -350.0, -3.0, -553.0]
    # 合计: 6000, 400, 6950, -550, -3; a balance is a level, so no total.
    assert total == ["合计", 6000.0, 400.0, 6950.0, -550.0, -3.0, None]
    assert [sheet.cell(row=4, column=j).number_format for j in range(2, 7)] == [
        "#,##0.00"] * 5


def test_funding_rows_show_names_years_and_the_contribution_to_the_fen(projection_book
                                                                      ) -> None:
    sheet = projection_book["各小区"]
    head, first, second, total = _rows(sheet)
    assert head[:4] == ["小区编号", "小区名称", "资金池首次为负的年份",
                        "使资金池不为负的每年稳定补充（元/年）"]
    # 402.2349 yuan rounds to 402.23 (fen); SQ2 never goes negative and needs nothing.
    assert first[:5] == ["SQ1", "东院", 2024, 402.23, 5402.23]
    assert second[:5] == ["SQ2", "Yard", "不会为负", 0.0, 4900.0]
    # No fee rate keeps a pool that collects nothing: the cell is empty, never "inf".
    assert first[5] == pytest.approx(0.61)
    assert second[5] is None
    # 合计: 402.23 + 0 = 402.23 and 5402.23 + 4900 = 10302.23; rates are not summed.
    assert total == ["合计", None, None, 402.23, 10302.23, None]


def test_the_conclusion_states_the_total_the_tables_show(projection_book) -> None:
    front = projection_book["结论"]
    sentence = front["A2"].value
    assert sentence == conclusion(_hand_projection(), TWO_YEARS, "zh")
    # One of two pools goes negative; 402.23 yuan = 0.04 万元.
    assert sentence == ("2 年内 2 个小区中有 1 个的资金池会出现负数；使每个资金池不为负，"
                        "每年需稳定补充 0.04 万元（402.23 元）。")
    total = _rows(projection_book["各小区"])[-1][3]
    assert f"{total:,.2f} 元" in sentence
    figures = {r[0]: r[1] for r in _rows(front) if r[0]}
    assert figures["使每个资金池不为负，每年稳定补充（合计）"] == total
    assert figures["最早出现负数的年份"] == 2024
    assert figures["2025 年末全区资金池余额（不补充时）"] == -553.0


def test_a_chinese_projection_workbook_has_no_english(projection_book) -> None:
    assert projection_book.sheetnames == ["结论", "逐年收支", "各小区", "说明"]
    assert _english_words(projection_book) == {}
    notes = "".join(str(r[0]) for r in _rows(projection_book["说明"]))
    assert "工资年增长率 5.0%" in notes
    assert "资金池年利率 1.5%" in notes


def test_projection_prints_landscape_with_a_chart(projection_book) -> None:
    for sheet in projection_book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.oddFooter.right.text == "第 &P 页，共 &N 页"
        assert sheet.oddFooter.left.text == "制表日期：2026年12月6日"
    assert projection_book["逐年收支"].print_title_rows == "$1:$1"
    charts = projection_book["结论"]._charts
    assert len(charts) == 1


def _hand_result() -> MonteCarloResult:
    compounds = pd.DataFrame({
        "compound_id": ["SQ2", "SQ1"], "p_pool_negative": [0.0, 0.5],
        "subsidy_q05_yuan": [0.0, 100.0], "subsidy_q50_yuan": [50.0, 200.0],
        "subsidy_q95_yuan": [80.0, 300.004], "subsidy_mean_yuan": [59.75, 210.25],
    })
    district = pd.Series({"subsidy_q05_yuan": 150.0, "subsidy_q50_yuan": 260.0,
                          "subsidy_q95_yuan": 370.0, "subsidy_mean_yuan": 270.0,
                          "p_any_negative": 0.5})
    return MonteCarloResult(compounds, district, 1000)


@pytest.fixture
def montecarlo_book(tmp_path: Path):
    path = write_montecarlo_workbook(_hand_result(), tmp_path / "风险.xlsx",
                                     settings=ProjectionSettings(), seed=7, labels="zh",
                                     names=NAMES, printed=DAY)
    return load_workbook(path)


def test_montecarlo_figures_say_per_year_or_over_the_horizon(montecarlo_book) -> None:
    front = montecarlo_book["结论"]
    assert front["A2"].value == ("按 1,000 次抽样，全区每年需街道补贴的中位数为 0.03 万元，"
                                 "5%–95% 区间为 0.01–0.04 万元/年；10 年内至少一个小区"
                                 "资金池某年为负的概率为 50.0%。")
    figures = {r[0]: (r[1], r[2]) for r in _rows(front)[4:] if r[0]}
    assert figures["全区每年街道补贴：中位数"] == (260.0, "元/年")
    assert figures["全区每年街道补贴：5% 分位"] == (150.0, "元/年")
    assert figures["全区每年街道补贴：95% 分位"] == (370.0, "元/年")
    # Over the horizon: 260 yuan a year x 10 years = 2,600 yuan.
    assert figures["10 年合计街道补贴：中位数"] == (2600.0, "元（10 年合计）")
    assert figures["至少一个小区资金池某年为负的概率"][0] == 0.5
    assert front["B10"].number_format == "0.0%"
    assert len(front._charts) == 1


def test_montecarlo_compounds_neediest_first_and_only_means_summed(montecarlo_book) -> None:
    sheet = montecarlo_book["各小区"]
    head, first, second, total = _rows(sheet)
    assert head[2] == "资金池某年为负的概率"
    # SQ1's median 200 > SQ2's 50: SQ1 first; 300.004 rounds to 300.00.
    assert first == ["SQ1", "东院", 0.5, 100.0, 200.0, 300.0, 210.25]
    assert second == ["SQ2", "Yard", 0.0, 0.0, 50.0, 80.0, 59.75]
    # Means add up: 210.25 + 59.75 = 270.00, the district's mean; quantiles do not.
    assert total == ["合计", None, None, None, None, None, 270.0]
    assert sheet["C2"].number_format == "0.0%"
    assert _english_words(montecarlo_book) == {}


CSV = ("compound_id,name,households,floor_area_m2,build_year\n"
       "SQ1,东院,100,10000,1990\nSQ2,Yard,240,18000,1985\n")
runner = CliRunner()


def test_cli_workbook_matches_the_library_to_the_fen(tmp_path: Path) -> None:
    src = tmp_path / "小区.csv"
    src.write_text(CSV, encoding="utf-8")
    out = tmp_path / "预测.xlsx"
    result = runner.invoke(app, ["project", str(src), "--years", "3", "--labels", "zh",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = project(pd.read_csv(src), settings=ProjectionSettings(horizon_years=3)).funding
    rows = _rows(load_workbook(out)["各小区"])
    for row, value in zip(rows[1:3], expected["baseline_contribution_yuan"], strict=True):
        assert round(row[3] * 100) == round(value * 100)
    assert rows[-1][3] == pytest.approx(
        sum(round(v * 100) for v in expected["baseline_contribution_yuan"]) / 100, abs=1e-9)
    # The CSV is the library's table, as before.
    csv = tmp_path / "funding.csv"
    assert runner.invoke(app, ["project", str(src), "--years", "3", "--out",
                               str(csv)]).exit_code == 0
    pd.testing.assert_frame_equal(pd.read_csv(csv, encoding="utf-8-sig"),
                                  expected.astype({"first_negative_year": "float64"}),
                                  check_dtype=False)


@pytest.mark.parametrize("command", [["project", "--years", "2"],
                                     ["montecarlo", "--years", "2", "--draws", "20"]])
def test_an_input_is_never_written_over_and_a_failed_run_leaves_the_output(
        tmp_path: Path, command: list[str]) -> None:
    src = tmp_path / "小区.xlsx"
    pd.read_csv(pd.io.common.StringIO(CSV)).to_excel(src, index=False)
    before = src.read_bytes()
    result = runner.invoke(app, [command[0], str(src), *command[1:], "--out", str(src)])
    assert result.exit_code != 0
    assert src.read_bytes() == before
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"kept")
    result = runner.invoke(app, [command[0], str(src), *command[1:], "--plan",
                                 "missing.json", "--out", str(old)])
    assert result.exit_code == 2
    assert old.read_bytes() == b"kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.xlsx", "小区.xlsx"]
