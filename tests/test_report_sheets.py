"""The report's plan comparison, budget request and assumptions sheets.

Each figure is checked against the library's own (exact to the fen) and, where a rule
decides it, by hand: the request's later years grow by the stated rates, a pool's
surplus is never set against another's shortfall, the comparison's sentence states the
difference of the two subsidies, and the assumptions sheet shows a changed value as
changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import propfee as pf
from propfee.analysis import ProjectionSettings
from propfee.analysis import project as run_projection
from propfee.compare import compare_plans
from propfee.excel import write_budget_workbook
from propfee.excel.assumptions import (
    KINDS,
    assumptions_table,
    counts_sentence,
    plan_name,
    write_assumptions_sheet,
)
from propfee.excel.plans import comparison_sentence, comparison_table, write_plans_sheet
from propfee.excel.request import REQUEST_ROWS, request_table, write_request_sheet
from propfee.money import yuan_to_fen
from propfee.params import default_parameters
from propfee.params.values import numeric_paths
from propfee.plan import named_plan
from propfee.uncertainty.defaults import plan_price_ranges

STREET = pf.datasets.sanqiao_like_street().head(24)
DAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def budget() -> pf.DistrictBudget:
    return pf.evaluate_district(STREET)


def _fen_sum(values: pd.Series | np.ndarray) -> int:
    return int(yuan_to_fen(np.asarray(values, dtype=np.float64)).sum())


# ------------------------------------------------------------------ budget request

def test_request_year_one_is_the_budget_to_the_fen(budget) -> None:
    fen = request_table(budget, years=3)
    first = fen[2024]
    c = budget.compounds
    assert first["street_services"] == _fen_sum(c["paid_by_street_office_yuan"])
    assert first["street_subsidy"] == _fen_sum(c["street_subsidy_yuan"])
    assert first["renovation"] == _fen_sum(c["paid_by_renovation_programme_yuan"])
    # The three rows are the net public cost: services + subsidy + renovation capital.
    assert first["total"] == _fen_sum(c["net_public_cost_yuan"])
    assert list(fen.columns) == [2024, 2025, 2026]
    assert (fen.loc["total"] == fen.loc[["street_services", "street_subsidy",
                                         "renovation"]].sum()).all()


def test_request_later_years_grow_by_the_stated_rates(budget) -> None:
    fen = request_table(budget, years=3, wage_growth_rate=0.05, price_inflation_rate=0.02)
    renovation = budget.compounds["paid_by_renovation_programme_yuan"].to_numpy()
    # Year 3 is two years of 2% price growth: 1.02 x 1.02 = 1.0404, each compound's
    # figure rounded to the fen before the sum.
    assert fen.loc["renovation", 2026] == _fen_sum(renovation * 1.0404)
    assert fen.loc["renovation", 2025] == _fen_sum(renovation * 1.02)
    # Without growth the renovation row stays what it is.
    flat = request_table(budget, years=2, wage_growth_rate=0.0, price_inflation_rate=0.0)
    assert flat.loc["renovation", 2025] == flat.loc["renovation", 2024]


def test_request_street_services_grow_pay_with_wages_and_the_rest_with_prices(budget) -> None:
    """Street services of year t: each compound's grid-worker pay x 1.05^(t-1) plus its
    garbage removal x 1.02^(t-1), each compound rounded to the fen, then summed."""
    fen = request_table(budget, years=3, wage_growth_rate=0.05, price_inflation_rate=0.02)
    lines = budget.lines
    street = lines[lines["payer"].astype(str) == "street_office"]
    assert set(street["work"].astype(str)) == {"management", "garbage"}
    ids = [str(i) for i in budget.compounds["compound_id"]]

    def part(work: str) -> np.ndarray:
        rows = street[street["work"].astype(str) == work]
        return rows.groupby(rows["compound_id"].astype(str))["amount_yuan"].sum().reindex(
            ids, fill_value=0.0).to_numpy()

    pay, garbage = part("management"), part("garbage")
    assert pay.sum() > 0
    assert garbage.sum() > 0
    assert fen.loc["street_services", 2025] == _fen_sum(pay * 1.05 + garbage * 1.02)
    assert fen.loc["street_services", 2026] == _fen_sum(pay * 1.1025 + garbage * 1.0404)
    # Pay at the price rate alone would give less: the split is seen.
    assert fen.loc["street_services", 2026] > _fen_sum((pay + garbage) * 1.0404)


def test_request_subsidy_is_each_compounds_own_shortfall(budget) -> None:
    """Year 2's subsidy is the sum of every compound's shortfall of that year, from the
    projection without interest; a compound in surplus adds nothing (not its surplus)."""
    fen = request_table(budget, years=2)
    table, resolved, params = budget._inputs
    flows = run_projection(table, resolved.plan, params, ProjectionSettings(
        horizon_years=2, interest_rate=0.0)).flows
    net = flows.loc[flows["year"] == 2025, "net_yuan"].to_numpy()
    assert (net > 0).any()
    assert (net < 0).any()
    assert fen.loc["street_subsidy", 2025] == _fen_sum(np.maximum(-net, 0.0))
    assert fen.loc["street_subsidy", 2025] > _fen_sum(-net)  # no netting of surpluses


def test_request_sheet_shows_the_table_in_wan(tmp_path: Path, budget) -> None:
    book = Workbook()
    sheet = book.active
    fen = write_request_sheet(sheet, budget, lang="zh", unit="wan", printed=DAY, years=3)
    assert [sheet.cell(row=4, column=j).value for j in range(1, 6)] == \
        ["项目", "2024年", "2025年", "2026年", "3 年合计"]
    for i, (key, _, cn, _) in enumerate(REQUEST_ROWS, start=5):
        assert sheet.cell(row=i, column=1).value == cn
        # 万元: fen / 100 / 10,000.
        assert sheet.cell(row=i, column=2).value == fen.loc[key, 2024] / 1_000_000
        assert sheet.cell(row=i, column=5).value == fen.loc[key].sum() / 1_000_000
    assert sheet.cell(row=8, column=1).value == "合计"
    assert sheet.cell(row=8, column=5).value == fen.loc["total"].sum() / 1_000_000
    assert "网格员等人工按工资年增 5%、其他按物价年涨 2%" in sheet["A2"].value
    assert "按 2024年7月9日有效的参数和价格测算" in sheet["A2"].value
    assert sheet.cell(row=5, column=2).number_format == "#,##0.00"  # 万元 to 2 decimals


# ------------------------------------------------------------------ plan comparison

def test_comparison_puts_the_budgets_plan_first_with_its_own_figures(budget) -> None:
    frame = comparison_table(budget, "zh")
    assert list(frame.index) == [
        "杏花岭“四管一补”方案", "杏花岭“四管一补”方案：对照——市场化物业单独承接",
        "共享物业（常设岗位）方案", "共享物业（常设岗位）方案：对照——市场化物业单独承接"]
    mine = frame.iloc[0]
    c = budget.compounds
    assert mine["this_plan"]
    assert not mine["baseline"]
    assert mine["compounds_in_deficit"] == int((c["pool_balance_yuan"] < 0).sum())
    assert int(yuan_to_fen(mine["street_subsidy_yuan"])) == _fen_sum(c["street_subsidy_yuan"])
    assert int(yuan_to_fen(mine["net_public_cost_yuan"])) == \
        _fen_sum(c["net_public_cost_yuan"])
    other = compare_plans(STREET, ["shared_staffed"]).loc["shared_staffed"]
    assert frame.iloc[2]["street_subsidy_yuan"] == other["street_subsidy_yuan"]
    assert frame.iloc[3]["baseline"]
    assert not frame.iloc[3]["this_plan"]


def test_comparison_sentence_states_the_difference() -> None:
    frame = pd.DataFrame({
        "plan": ["A", "A", "B", "B"], "baseline": [False, True, False, True],
        "this_plan": [True, True, False, False],
        "street_subsidy_yuan": [120_000.00, 0.0, 345_678.91, 0.0],
    }, index=["A", "A: compare", "B", "B: compare"])
    # B - A = 345,678.91 - 120,000.00 = 225,678.91 yuan = 22.6 万元 (one decimal).
    assert comparison_sentence(frame, "zh", "wan") == "A比B少需街道补贴 22.6 万元/年。"
    assert comparison_sentence(frame, "en", "yuan") == \
        "The A needs less street subsidy than the B, by 225,678.91 yuan/year."
    more = frame.assign(street_subsidy_yuan=[400_000.0, 0.0, 345_678.91, 0.0])
    # 400,000.00 - 345,678.91 = 54,321.09 yuan more.
    assert comparison_sentence(more, "zh", "yuan") == "A比B多需街道补贴 54,321.09 元/年。"


def test_a_plan_of_ones_own_is_named_so(budget) -> None:
    own = named_plan("xinghualing").model_copy(update={"description": "my plan"})
    changed = pf.evaluate_district(STREET, own.model_copy(update={"service_grade": 3}))
    assert plan_name(named_plan("shared_staffed")) == "shared_staffed"
    assert plan_name(changed._inputs[1].plan) is None
    frame = comparison_table(changed, "zh")
    assert frame.index[0] == "自定方案"
    assert frame.iloc[0]["grade"] == 3
    book = Workbook()
    write_plans_sheet(book.active, changed, lang="zh", unit="wan", printed=DAY)
    assert book.active["A5"].value == "自定方案"
    assert book.active["A5"].font.bold


# ------------------------------------------------------------------ assumptions

def test_assumptions_list_every_value_with_its_kind() -> None:
    params = default_parameters()
    plan = named_plan("xinghualing")
    table = assumptions_table(params, plan)
    prices = plan_price_ranges(plan)
    assert len(table) == len(numeric_paths(params)) + len(prices)
    row = table.set_index("path").loc["fees.collection_rate"]
    assert (row["value"], row["kind"], row["low"], row["high"]) == (0.7, "illustrative",
                                                                    0.4, 0.95)
    assert set(table["kind"]) <= set(KINDS)
    counts = table["kind"].value_counts()
    sentence = counts_sentence(table, "zh", ranked=False)
    assert sentence.startswith(f"共 {len(table)} 项取值：依据文件 {counts['source']} 项，"
                               f"法规规定 {counts['rule']} 项，行业标准 {counts['norm']} 项，"
                               f"示意值 {counts['illustrative']} 项（黄色）")
    assert "区间测算" in sentence
    assert "--range 64" in counts_sentence(table, "en", ranked=False)
    assert "见下表" in counts_sentence(table, "zh", ranked=True)


def test_assumptions_sheet_flags_a_changed_value_and_ranks_the_drivers() -> None:
    params = default_parameters().replace({"fees.collection_rate": 0.9})
    budget = pf.evaluate_district(STREET, None, params)
    inputs = [f"jobs.pipe_dredging.uses_per_basis_year{k}" for k in range(12)]
    tornado = pd.DataFrame({
        "output": "street_subsidy_yuan", "input": inputs, "low": 1.0, "high": 2.0,
        "at_low": np.arange(12) * 10.0, "at_high": np.arange(12) * 20.0, "base": 0.0,
        "swing": np.arange(12) * 10.0, "rank": [12 - k for k in range(12)]})
    book = Workbook()
    sheet = book.active
    write_assumptions_sheet(sheet, budget, lang="zh", printed=DAY, tornado=tornado)
    column_a = [sheet.cell(row=r, column=1).value for r in range(1, sheet.max_row + 1)]
    first = column_a.index("输入") + 2
    # The ten of rank 1 to 10, in rank order: the inputs 11, 10, ... 2.
    assert [sheet.cell(row=r, column=4).value for r in range(first, first + 10)] == \
        [float(k * 10) for k in range(11, 1, -1)]
    assert column_a[first + 8] is not None
    assert column_a[first + 9] is None
    row = column_a.index("物业费收缴率", first + 10) + 1
    assert sheet.cell(row=row, column=2).value == 0.9
    assert sheet.cell(row=row, column=7).value == "是，文件为 0.7"
    assert sheet.cell(row=row, column=1).fill.fgColor.rgb.endswith("FFF2CC")
    rule = column_a.index("月最低工资") + 1
    assert sheet.cell(row=rule, column=4).value == "法规规定"
    assert sheet.cell(row=rule, column=1).fill.fgColor.rgb in (None, "00000000")
    assert sheet.cell(row=rule, column=7).value == ""


def test_the_report_holds_the_three_sheets(tmp_path: Path, budget) -> None:
    path = write_budget_workbook(budget, tmp_path / "r.xlsx", labels="en", printed=DAY)
    book = load_workbook(path)
    assert book.sheetnames[4:7] == ["Plans compared", "Budget request", "Assumptions"]
    assumptions = book["Assumptions"]
    heads = [c.value for c in next(r for r in assumptions.iter_rows()
                                   if r[0].value == "Parameter")]
    assert heads[-1] == "Reference or reason for the range"
    assert book["Budget request"].page_setup.orientation == "landscape"


def test_a_built_in_plan_under_chosen_bundles_keeps_its_name() -> None:
    """``evaluate --bundles`` changes only the bundles: the plan keeps its name, "with the
    given bundles", and the built-in plan on today's zones stands beside it."""
    from propfee.channels.shared_property import Bundle
    from propfee.excel.assumptions import bundled_from, plan_title
    from propfee.excel.plans import comparison_table

    ids = list(STREET["compound_id"])
    bundles = [Bundle(bundle_id="B1", members=tuple(ids[:3])),
               Bundle(bundle_id="B2", members=tuple(ids[3:5]))]
    chosen = pf.evaluate_district(STREET, bundles=bundles)
    plan = chosen._need_inputs("with its inputs")[1].plan
    assert bundled_from(plan) == "xinghualing"
    assert plan_title(plan, "zh") == "杏花岭“四管一补”方案（按所给打包方案）"
    frame = comparison_table(chosen, "zh")
    plans = list(frame.loc[~frame["baseline"], "plan"])
    assert plans[0] == "杏花岭“四管一补”方案（按所给打包方案）"
    assert "杏花岭“四管一补”方案" in plans[1:]  # today's zones, for comparison
    # A plan of one's own is still "the plan given".
    other = plan.model_copy(update={"service_grade": 2})
    assert bundled_from(other) is None
