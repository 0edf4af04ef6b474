"""Readers and writers, Chinese headers and units, formula neutralising, labels."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.errors import InputError, UsageError
from propfee.io import neutralise_formulas, read_compounds, write_budget, write_template
from propfee.labels import LABELS, label_table

STREET = pf.datasets.sanqiao_like_street().head(12)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"compounds{suffix}"
    if suffix == ".csv":
        STREET.to_csv(path, index=False)
    elif suffix == ".xlsx":
        STREET.to_excel(path, index=False)
    else:
        STREET.to_parquet(path, index=False)
    back = read_compounds(path)
    expected = pf.validate_compounds(STREET).frame
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)


def test_chinese_headers_and_units(tmp_path: Path) -> None:
    path = tmp_path / "小区.xlsx"
    pd.DataFrame({
        "小区编号": [101, 102], "小区名称": ["机械厂宿舍", "=HYPERLINK(1)"], "户数": [64, 88],
        "建筑面积（万平方米）": [0.42, 0.59], "建成年份": [1986, 1991],
        "收缴率(%)": [65, 80], "街道": ["三桥街道", "三桥街道"],
    }).to_excel(path, index=False)
    frame = read_compounds(path)
    assert frame["compound_id"].tolist() == ["101", "102"]
    assert frame["floor_area_m2"].tolist() == pytest.approx([4200.0, 5900.0])  # 0.42 x 10,000
    assert frame["collection_rate"].tolist() == pytest.approx([0.65, 0.80])  # 65%
    assert frame["street"].tolist() == ["三桥街道", "三桥街道"]


@pytest.mark.parametrize(
    ("columns", "fragment"),
    [
        ({"compound_id": ["a"], "colour": ["red"]}, "unknown column"),
        ({"compound_id": ["a"], "建筑面积（亩）": [1.0]}, "unknown unit"),
        ({"compound_id": ["a"], "户数": [1], "households": [1]}, "a second column"),
    ],
)
def test_bad_headers(tmp_path: Path, columns, fragment) -> None:
    path = tmp_path / "bad.csv"
    pd.DataFrame(columns).to_csv(path, index=False)
    with pytest.raises(InputError, match=fragment):
        read_compounds(path)


def test_every_bad_row_of_a_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("小区编号,户数,建筑面积,建成年份\na,0,100,1990\nb,10,-5,1990\nc,10,50,1700\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_compounds(path)
    assert {(p.row, p.field) for p in info.value.problems} == {
        ("a", "households"), ("b", "floor_area_m2"), ("c", "build_year")}


def test_formula_cells_are_neutralised(tmp_path: Path) -> None:
    df = STREET.head(3).copy()
    df["name"] = ["=1+1", "+cmd", "@SUM(A1)"]
    budget = pf.evaluate_district(df)
    path = write_budget(budget, tmp_path / "b.xlsx")
    compounds = pd.read_excel(path, sheet_name="compounds")
    assert compounds["Compound"].tolist() == ["'=1+1", "'+cmd", "'@SUM(A1)"]
    from openpyxl import load_workbook

    sheet = load_workbook(path)["compounds"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    table = neutralise_formulas(pd.DataFrame({"x": [-1.5], "s": ["-2"]}))
    assert table["x"].tolist() == [-1.5]  # numbers are numbers
    assert table["s"].tolist() == ["'-2"]


def test_excel_report_in_chinese(tmp_path: Path) -> None:
    budget = pf.evaluate_district(STREET)
    path = write_budget(budget, tmp_path / "预算.xlsx", labels="zh")
    sheets = pd.read_excel(path, sheet_name=None)
    assert set(sheets) == {"summary", "contributions", "compounds", "lines", "by_street",
                           "by_zone"}
    assert "街道兜底补贴（元/年）" in sheets["compounds"].columns
    assert "共享物业承接管" in set(sheets["lines"]["渠道"])
    assert sheets["compounds"]["街道兜底补贴（元/年）"].sum() == pytest.approx(
        budget.compounds["street_subsidy_yuan"].sum())
    from openpyxl import load_workbook

    cell = load_workbook(path)["compounds"]["A2"]
    assert cell.row == 2


def test_csv_and_json_outputs(tmp_path: Path) -> None:
    budget = pf.evaluate_district(STREET)
    write_budget(budget, tmp_path / "b.csv")
    assert len(pd.read_csv(tmp_path / "b.csv")) == 12
    assert len(pd.read_csv(tmp_path / "b_lines.csv")) == len(budget.lines)
    write_budget(budget, tmp_path / "b.json")
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert len(data["compounds"]) == 12
    with pytest.raises(UsageError, match=r"write \.csv, \.xlsx or \.json"):
        write_budget(budget, tmp_path / "b.txt")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_reads_back(tmp_path: Path, lang: str) -> None:
    path = write_template(tmp_path / "template.xlsx", labels=lang)  # type: ignore[arg-type]
    sheet = pd.read_excel(path, sheet_name="compounds")
    row = dict.fromkeys(sheet.columns)
    row.update({sheet.columns[0]: "k1", sheet.columns[2]: 50, sheet.columns[3]: 3000.0,
                sheet.columns[5]: 1990})
    pd.DataFrame([row]).to_excel(path, sheet_name="compounds", index=False)
    frame = read_compounds(path)
    assert frame["households"].tolist() == [50]
    assert frame["floor_area_m2"].tolist() == [3000.0]


def test_every_report_column_has_both_labels() -> None:
    budget = pf.evaluate_district(STREET)
    tables = [budget.compounds, budget.lines, pf.report.summarise_budget(budget).reset_index(),
              pf.market_baseline_district(STREET), budget.totals_by("zone").reset_index()]
    missing = sorted({c for t in tables for c in t.columns if c not in LABELS})
    assert not missing, f"add to propfee.labels.LABELS: {missing}"
    for code in set(budget.lines["channel"]) | set(budget.lines["payer"]) | set(
            budget.lines["category"]):
        assert code in LABELS
    zh = label_table(budget.lines, "zh")
    assert "人员费用" in set(zh["成本构成"])  # official cost items in Chinese


def test_repr_html() -> None:
    one = pf.evaluate(pf.Compound(compound_id="c", households=10, floor_area_m2=700.0,
                                  build_year=1990))
    assert "<table" in one._repr_html_()
    assert "<table" in pf.evaluate_district(STREET)._repr_html_()
    assert "<table" in pf.market_baseline(pf.Compound(
        compound_id="c", households=10, floor_area_m2=700.0, build_year=1990))._repr_html_()
    assert np.isfinite(one.total_cost_yuan)
