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
from propfee.labels import LABELS, is_cjk_text, label, label_table

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
        "小区编号": [101, 102], "小区名称": ["机械厂宿舍", "纺织厂小区"], "户数": [64, 88],
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
    compounds = pd.read_excel(path, sheet_name="Compounds")
    assert compounds["Compound"].tolist()[:3] == ["'=1+1", "'+cmd", "'@SUM(A1)"]
    from openpyxl import load_workbook

    sheet = load_workbook(path)["Compounds"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    table = neutralise_formulas(pd.DataFrame({"x": [-1.5], "s": ["-2"]}))
    assert table["x"].tolist() == [-1.5]  # numbers are numbers
    assert table["s"].tolist() == ["'-2"]


def test_excel_report_in_chinese(tmp_path: Path) -> None:
    budget = pf.evaluate_district(STREET)
    path = write_budget(budget, tmp_path / "预算.xlsx", labels="zh")
    sheets = pd.read_excel(path, sheet_name=None)
    assert set(sheets) == {"汇总", "逐小区试算", "测算表", "公示表", "方案比较", "预算申请",
                           "测算假设", "分组与渠道", "渠道贡献",
                           "小区明细", "项目明细", "按街道", "按片区"}
    assert "街道补贴（元/年）" in sheets["小区明细"].columns
    assert "共享物业承接管" in set(sheets["项目明细"]["渠道"])
    assert sheets["小区明细"]["街道补贴（元/年）"].iloc[:-1].sum() == pytest.approx(
        budget.compounds["street_subsidy_yuan"].sum())
    from openpyxl import load_workbook

    cell = load_workbook(path)["小区明细"]["A2"]
    assert cell.row == 2


def test_csv_and_json_outputs(tmp_path: Path) -> None:
    budget = pf.evaluate_district(STREET)
    write_budget(budget, tmp_path / "b.csv")
    assert len(pd.read_csv(tmp_path / "b.csv")) == 12
    assert len(pd.read_csv(tmp_path / "b_lines.csv")) == len(budget.lines)
    write_budget(budget, tmp_path / "b.json")
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert len(data["compounds"]) == 12
    with pytest.raises(UsageError, match=r"write \.csv, \.xlsx, \.json or \.parquet"):
        write_budget(budget, tmp_path / "b.txt")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_reads_back(tmp_path: Path, lang: str) -> None:
    path = write_template(tmp_path / "template.xlsx", labels=lang)  # type: ignore[arg-type]
    sheet = pd.read_excel(path, sheet_name=0)
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
    # Every column has a label of its own or one built from its known parts (a job of the
    # catalogue: "市场价购买：管道疏通（元/年）").
    missing = sorted({c for t in tables for c in t.columns
                      if label(c, "zh") == c or not is_cjk_text(label(c, "zh"))})
    assert not missing, f"add to propfee.labels.LABELS or WORDS: {missing}"
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


# --- Reading what planners really have -------------------------------------------------

ROWS = ("小区编号,小区名称,户数,建筑面积,建成年份\n"
        "A1,机械厂宿舍,64,4200,1986\nA2,纺织厂小区,88,5900,1991\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(ROWS.encode(encoding))
    frame = read_compounds(path)
    assert frame["name"].tolist() == ["机械厂宿舍", "纺织厂小区"]
    assert frame["households"].tolist() == [64, 88]


def test_utf16_tab_separated_and_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"  # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
    path.write_bytes(ROWS.replace(",", "\t").encode("utf-16"))
    assert read_compounds(path)["name"].tolist() == ["机械厂宿舍", "纺织厂小区"]
    gbk = tmp_path / "g.csv"
    gbk.write_bytes(ROWS.encode("gbk"))
    assert read_compounds(gbk, encoding="gbk")["floor_area_m2"].tolist() == [4200.0, 5900.0]
    with pytest.raises(InputError, match="cannot decode the text as utf-8"):
        read_compounds(gbk, encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        read_compounds(gbk, encoding="no-such-codec")


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("blank.csv", b"\n\n  \n", "the file is empty"),
        ("header.csv", b"compound_id,households,floor_area_m2,build_year\n", "has no rows"),
        ("ragged.csv", b"compound_id,households,floor_area_m2,build_year\na,1,2,1990,9\n",
         "row 2 has 5 cells but the header has 4"),
        ("ragged2.csv",
         b"compound_id,households,floor_area_m2,build_year\na,1,2,1990\nb,1,2,1990,9\n",
         "row 3 has 5 cells but the header has 4"),
        ("fake.xlsx", b"compound_id,households\na,1\n", "not an Excel workbook"),
        ("corrupt.xlsx", b"PK\x03\x04garbage", "cannot read the workbook"),
        ("corrupt.parquet", b"PAR1 not really", "not a readable Parquet file"),
        ("c.txt.gz", b"x", "read .csv, .xlsx or .parquet"),
    ],
)
def test_broken_files_are_typed_errors(tmp_path: Path, name: str, content: bytes,
                                       fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=fragment) as info:
        read_compounds(path)
    assert str(path) in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_compounds(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a folder"):
        read_compounds(tmp_path)


def test_problems_name_the_spreadsheet_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"  # header = row 1; a blank line (row 3) is skipped, not renumbered
    path.write_text("compound_id,households,floor_area_m2,build_year\n"
                    "a,10,100,1990\n\n"
                    "b,ten,100,1990\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_compounds(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.row, problem.field, problem.value) == (4, "b", "households",
                                                                          "ten")
    assert "row 4, column households: must be a positive whole number, got 'ten'" in str(
        info.value)


def test_text_under_a_unit_header_is_an_error_not_a_default(tmp_path: Path) -> None:
    path = tmp_path / "rate.csv"
    path.write_text("compound_id,households,floor_area_m2,build_year,收缴率(%)\n"
                    "a,10,100,1990,95%\n"
                    "b,10,100,1990,80\n"
                    "c,10,100,1990,很高\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_compounds(path)
    assert [(p.line, p.field, p.value) for p in info.value.problems] == [
        (4, "collection_rate", "很高")]
    path.write_text("compound_id,households,floor_area_m2,build_year,收缴率(%)\n"
                    "a,10,100,1990,95%\nb,10,100,1990,80\n", encoding="utf-8")
    # "95%" is 95 / 100 = 0.95 whatever the header says; 80 under (%) is 0.80.
    assert read_compounds(path)["collection_rate"].tolist() == pytest.approx([0.95, 0.80])


def test_ids_are_trimmed_once_and_na_is_a_name(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("compound_id,name,households,floor_area_m2,build_year\n"
                    " A1 ,NA,10,100,1990\nA1,None,10,100,1990\n", encoding="utf-8")
    with pytest.raises(InputError, match="the same id as another row") as info:
        read_compounds(path)
    assert {p.line for p in info.value.problems} == {2, 3}
    path.write_text("compound_id,name,households,floor_area_m2,build_year\n"
                    " A1 ,NA,10,100,1990\n", encoding="utf-8")
    frame = read_compounds(path)
    assert frame["compound_id"].tolist() == ["A1"]
    assert frame["name"].tolist() == ["NA"]  # a name, not a missing value


def test_unknown_header_did_you_mean_and_mapping(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("compound_id,houshold,floor_area_m2,build_year\na,10,100,1990\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"did you mean 'household' \(households\)\?"):
        read_compounds(path)
    assert read_compounds(path, mapping={"houshold": "households"})["households"].tolist() == [10]
    with pytest.raises(InputError, match="did you mean 'households'"):
        read_compounds(path, mapping={"houshold": "housholds"})


def test_bounds_keep_money_inside_exact_fen(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("compound_id,households,floor_area_m2,build_year,fee_rate_yuan_per_m2_month\n"
                    "a,10,1e17,1990,0.5\nb,10,100,1990,1e300\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_compounds(path)
    assert {(p.line, p.field) for p in info.value.problems} == {
        (2, "floor_area_m2"), (3, "fee_rate_yuan_per_m2_month")}


# --- Writing ------------------------------------------------------------------------------

def test_csv_quotes_cr_and_lf_and_json_is_as_given(tmp_path: Path) -> None:
    df = STREET.head(2).copy()
    df["name"] = ["x\r=1+1", "=cmd"]
    budget = pf.evaluate_district(df)
    write_budget(budget, tmp_path / "b.csv", labels=None)
    raw = (tmp_path / "b.csv").read_bytes().decode("utf-8-sig")
    assert '"x\r=1+1"' in raw  # a bare CR is inside quotes: no new row starts with "="
    back = pd.read_csv(tmp_path / "b.csv")
    assert back["name"].tolist() == ["x\r=1+1", "'=cmd"]
    write_budget(budget, tmp_path / "b.json", labels=None)
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in data["compounds"]] == ["x\r=1+1", "=cmd"]  # no apostrophe


def test_a_failed_write_leaves_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    budget = pf.evaluate_district(STREET.head(3))
    target = tmp_path / "b.xlsx"
    target.write_bytes(b"previous report")

    def boom(budget, path, labels=None, **options):
        path.write_bytes(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr("propfee.excel.write_budget_workbook", boom)
    with pytest.raises(OSError, match="disk full"):
        write_budget(budget, target)
    assert target.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["b.xlsx"]  # no temporary file left


def test_output_checks_before_the_work(tmp_path: Path) -> None:
    from propfee.errors import UsageError
    from propfee.io import EXCEL_MAX_ROWS, budget_paths, check_budget_target

    source = tmp_path / "c.csv"
    source.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="refusing to write over the input file"):
        check_budget_target(source, inputs=(source,))
    lines = tmp_path / "r_lines.csv"
    lines.write_text("x", encoding="utf-8")  # r.csv would also write r_lines.csv
    with pytest.raises(UsageError, match="input file"):
        check_budget_target(tmp_path / "r.csv", inputs=(lines,))
    assert budget_paths(tmp_path / "r.csv") == (tmp_path / "r.csv", lines)
    with pytest.raises(UsageError, match=r"folder .* does not exist"):
        check_budget_target(tmp_path / "no" / "r.xlsx")
    with pytest.raises(UsageError, match=r"1,048,576 rows .* write \.csv or \.json"):
        check_budget_target(tmp_path / "r.xlsx", rows={"lines": EXCEL_MAX_ROWS})
    check_budget_target(tmp_path / "r.xlsx", rows={"lines": EXCEL_MAX_ROWS - 1})  # fits
    assert source.read_text(encoding="utf-8") == "x"


def test_template_headers_come_from_the_declaration(tmp_path: Path) -> None:
    from propfee.compound import COMPOUND_COLUMNS

    path = write_template(tmp_path / "t.xlsx", labels="zh")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets["小区"].columns) == [c.label_zh for c in COMPOUND_COLUMNS]
    notes = sheets["填写说明"].to_numpy().astype(str)
    assert "整数，大于 0，不超过 100 万" in notes  # households, from the declaration
    csv_path = write_template(tmp_path / "t.csv")
    assert read_compounds_headers(csv_path) == [c.name for c in COMPOUND_COLUMNS]


def read_compounds_headers(path: Path) -> list[str]:
    return pd.read_csv(path, encoding="utf-8-sig").columns.tolist()


def test_unit_conversion_gives_the_decimal_value(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("compound_id,households,建筑面积（万平方米）,build_year,收缴率(%)\n"
                    "a,10,0.42,1990,65\nb,10,0.59,1990,7.1\n", encoding="utf-8")
    frame = read_compounds(path)
    # 0.42 x 10,000 = 4,200 exactly (not 4200.000000000001); 7.1 / 100 = 0.071.
    assert frame["floor_area_m2"].tolist() == [4200.0, 5900.0]
    assert frame["collection_rate"].tolist() == [0.65, 0.071]


def test_a_mapped_header_keeps_its_unit(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("compound_id,households,面积（万平方米）,build_year\na,10,0.42,1990\n",
                    encoding="utf-8")
    frame = read_compounds(path, mapping={"面积（万平方米）": "floor_area_m2"})
    assert frame["floor_area_m2"].tolist() == [4200.0]  # 0.42 x 10,000
    frame = read_compounds(path, mapping={"面积": "floor_area_m2"})
    assert frame["floor_area_m2"].tolist() == [4200.0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_labelled_headers_read_back(tmp_path: Path, lang: str) -> None:
    """A compound table with report headers (labels from the declaration) reads back."""
    from propfee.compound import COMPOUND_COLUMNS

    expected = pf.validate_compounds(STREET).frame
    labelled = label_table(expected, lang)  # type: ignore[arg-type]
    assert list(labelled.columns) == [
        c.label_en if lang == "en" else c.label_zh for c in COMPOUND_COLUMNS]
    labelled.to_csv(tmp_path / "labelled.csv", index=False)
    pd.testing.assert_frame_equal(read_compounds(tmp_path / "labelled.csv"), expected,
                                  check_dtype=False)
