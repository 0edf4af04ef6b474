"""Reading what the person sees: sheets, merged cells, formulas, Parquet types, encodings,
and problems named by their cell, in English and Chinese."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import propfee as pf
from propfee.errors import MAX_LISTED, InputError, Problem
from propfee.io import read_compounds, read_plan
from propfee.io._formula import FormulaError, evaluate

HEADERS = ["小区编号", "小区名称", "户数", "建筑面积", "建成年份", "街道", "片区", "楼栋数"]
ROWS = [["A1", "机械厂宿舍", 64, 4200, 1986, "三桥街道", "一片", 3],
        ["A2", "纺织厂小区", 88, 5900, 1991, None, None, 4],
        ["A3", "化工厂", 40, 2600, 1980, None, None, 2],
        ["A4", "电厂", 120, 9000, 1995, "三桥街道", "二片", 5]]


def _book(path: Path, *, merges: tuple[str, ...] = (), title: str | None = None,
          cells: dict[str, object] | None = None, sheet: str = "小区") -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    first = 1
    if title is not None:
        ws.cell(1, 1, title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
        first = 2
    for j, head in enumerate(HEADERS, start=1):
        ws.cell(first, j, head)
    for i, row in enumerate(ROWS, start=first + 1):
        for j, value in enumerate(row, start=1):
            ws.cell(i, j, value)
    for ref in merges:
        ws.merge_cells(ref)
    for ref, value in (cells or {}).items():
        ws[ref] = value
    book.save(path)
    return path


def _problems(path: Path, **kwargs) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_compounds(path, **kwargs)
    return list(info.value.problems)


# --- Sheets ------------------------------------------------------------------------------

def test_the_active_visible_sheet_is_read_not_a_hidden_first_one(tmp_path: Path) -> None:
    path = tmp_path / "hidden.xlsx"
    book = Workbook()
    old = book.active
    assert old is not None
    old.title = "旧表"
    old.append(["compound_id", "households", "floor_area_m2", "build_year"])
    old.append(["OLD", 1, 1.0, 1950])
    old.sheet_state = "hidden"
    new = book.create_sheet("小区")
    new.append(HEADERS[:5])
    new.append(ROWS[0][:5])
    other = book.create_sheet("备注")
    other.append(["说明"])
    book.active = 1
    book.save(path)
    frame = read_compounds(path)
    assert frame["compound_id"].tolist() == ["A1"]
    assert frame.attrs["sheet"] == "小区"
    # A hidden sheet is read when asked for by name; a tab by position.
    assert read_compounds(path, sheet="旧表")["compound_id"].tolist() == ["OLD"]
    assert read_compounds(path, sheet=1)["compound_id"].tolist() == ["A1"]
    (problem,) = _problems(path, sheet="nope")
    assert "no sheet 'nope'; the sheets are '旧表', '小区', '备注'" in problem.message


def test_the_active_sheet_hidden_falls_back_to_the_first_visible(tmp_path: Path) -> None:
    path = tmp_path / "h.xlsx"
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "data"
    first.append(HEADERS[:5])
    first.append(ROWS[1][:5])
    hidden = book.create_sheet("hidden")
    hidden.append(["x"])
    hidden.sheet_state = "hidden"
    book.active = 1
    book.save(path)
    assert read_compounds(path)["compound_id"].tolist() == ["A2"]


def test_an_empty_sheet_and_a_title_row(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    book = Workbook()
    assert book.active is not None
    book.active.title = "空"
    book.save(path)
    (problem,) = _problems(path)
    assert problem.text() == "空: the sheet is empty"
    # A title merged across the columns above the header is not the header.
    titled = _book(tmp_path / "title.xlsx", title="三桥街道老旧小区台账")
    assert read_compounds(titled)["households"].tolist() == [64, 88, 40, 120]


# --- Merged cells ------------------------------------------------------------------------

def test_cells_merged_down_a_column_are_filled_where_the_sheet_shows_one_value(
        tmp_path: Path) -> None:
    path = _book(tmp_path / "m.xlsx", merges=("F2:F4", "G2:G4"))
    frame = read_compounds(path)
    assert frame["street"].tolist() == ["三桥街道"] * 4
    assert frame["zone"].tolist() == ["一片", "一片", "一片", "二片"]  # never "" (bundling)
    assert frame["buildings"].tolist() == [3, 4, 2, 5]


@pytest.mark.parametrize(("merge", "cell", "code", "fragment"), [
    ("H3:H5", "小区!H3", "merged_amount",
     "cells merged over rows 3-5 (H3:H5): is 4 each compound's or their total?"),
    ("C2:C3", "小区!C2", "merged_amount", "is 64 each compound's or their total?"),
    ("A3:A4", "小区!A3", "merged_id", "each compound needs its own id"),
    ("B5:C5", "小区!B5", "merged_across", "cells merged across columns (B5:C5)"),
    ("C1:C2", "小区!C1", "merged_header", "merged with the cells below (C1:C2)"),
])
def test_a_merge_where_a_fill_would_be_a_guess_is_refused_naming_the_range(
        tmp_path: Path, merge: str, cell: str, code: str, fragment: str) -> None:
    path = _book(tmp_path / "m.xlsx", merges=(merge,))
    (problem,) = [p for p in _problems(path) if p.code == code]
    assert problem.text().startswith(cell)
    assert fragment in problem.message


# --- Formulas ----------------------------------------------------------------------------

def test_formula_cells_without_a_stored_value_are_computed_or_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", cells={"D2": "=C2*65.625", "D3": "=SUM(C2:C3)*10",
                                             "D4": "=ROUND(C4*65.1,0)", "H5": "=INT(10/2)"})
    frame = read_compounds(path)
    # 64 x 65.625 = 4,200; (64 + 88) x 10 = 1,520; 40 x 65.1 = 2,604; 10 / 2 = 5.
    assert frame["floor_area_m2"].tolist() == [4200.0, 1520.0, 2604.0, 9000.0]
    assert frame["buildings"].tolist() == [3, 4, 2, 5]
    bad = _book(tmp_path / "bad.xlsx", cells={"D2": "=VLOOKUP(A2,Z1:Z3,1)", "D3": "=1/0",
                                              "D4": "=Sheet2!A1", "D5": '="a"+1'})
    problems = _problems(bad)
    assert [p.text().split(":")[0] for p in problems] == [
        "小区!D2 floor_area_m2 (建筑面积)", "小区!D3 floor_area_m2 (建筑面积)",
        "小区!D4 floor_area_m2 (建筑面积)", "小区!D5 floor_area_m2 (建筑面积)"]
    reasons = [p.message for p in problems]
    assert "the function VLOOKUP is not computed" in reasons[0]
    assert "a division by zero (#DIV/0!)" in reasons[1]
    assert "another sheet" in reasons[2]
    assert "arithmetic on text 'a' (#VALUE!)" in reasons[3]
    assert all("open the file in Excel and save it, or type the value" in r for r in reasons)


def test_a_stored_formula_value_is_what_excel_showed(tmp_path: Path) -> None:
    """Excel keeps the value it computed beside the formula: that value is read, even for
    a formula propfee would not compute."""
    path = _book(tmp_path / "cached.xlsx")
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(data, "w") as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.endswith("sheet1.xml"):
                text = body.decode("utf-8")
                start = text.index('<c r="D2"')
                end = text.index("</c>", start) + 4
                text = text[:start] + '<c r="D2"><f>VLOOKUP(A2,Z:Z,1)</f><v>4321</v></c>' + (
                    text[end:])
                body = text.encode("utf-8")
            out.writestr(info, body)
    path.write_bytes(data.getvalue())
    assert read_compounds(path)["floor_area_m2"].tolist()[0] == 4321.0


@pytest.mark.parametrize(("formula", "value"), [
    ("=1+2*3", 7.0), ("=(1+2)*3", 9.0), ("=2^3^2", 64.0), ("=-2^2", 4.0), ("=50%", 0.5),
    ("=SUM(A1:B2)", 10.0), ("=AVERAGE(A1:B2)", 2.5), ("=MAX(A1,B2,7)", 7.0),
    ("=MIN(A1:B2)", 1.0), ("=ROUND(2.5,0)", 3.0), ("=ROUND(-2.5,0)", -3.0),
    ("=ABS(-3)", 3.0), ("=INT(-1.5)", -2.0), ('="a"&"b"', "ab"), ("=$A$1+B$1", 3.0),
    ("=C9+1", 1.0),  # an empty cell is 0
])
def test_the_formula_evaluator(formula: str, value: object) -> None:
    cells = {(1, 1): 1, (1, 2): 2, (2, 1): 3, (2, 2): 4}
    assert evaluate(formula, lambda r, c: cells.get((r, c))) == value


@pytest.mark.parametrize("formula", [
    "=VLOOKUP(A1,B1:B2,1)", "=A1>1", "=1/0", "=Sheet1!A1", "=A1:B2", "=(1", "=1+", "=#REF!",
    "=AVERAGE(C1:C2)", '="x"*2', "=10^400",
])
def test_formulas_outside_the_simple_kinds_are_refused(formula: str) -> None:
    with pytest.raises(FormulaError):
        evaluate(formula, lambda r, c: {(1, 1): 1, (1, 2): 2}.get((r, c)))


# --- Parquet ------------------------------------------------------------------------------

def test_parquet_binary_strings_are_decoded_and_other_types_named(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    base = {"households": [64, 88], "floor_area_m2": [4200.0, 5900.0],
            "build_year": [1986, 1991]}
    path = tmp_path / "binary.parquet"
    pq.write_table(pa.table({"compound_id": pa.array([b"A1", "东".encode()], pa.binary()),
                             **base}), path)
    assert read_compounds(path)["compound_id"].tolist() == ["A1", "东"]  # never "b'A1'"
    pq.write_table(pa.table({"compound_id": pa.array([b"A1", b"\xff"], pa.binary()),
                             **base}), path)
    (problem,) = _problems(path)
    assert problem.text() == "row 3, column compound_id: holds bytes that are not UTF-8 text, " \
                             "got b'\\xff'"
    odd = tmp_path / "odd.parquet"
    pq.write_table(pa.table({
        "compound_id": ["A1", "A2"], "households": pa.array([64, 88], pa.duration("us")),
        "floor_area_m2": [4200.0, 5900.0],
        "build_year": pa.array([dt.datetime(1986, 1, 1), dt.datetime(1991, 1, 1)]),
        "lifts": pa.array([True, False]), "zone": pa.array([[1], [2]])}), odd)
    texts = [p.text() for p in _problems(odd)]
    assert texts == [
        "column households: holds durations (lengths of time, duration[us]); propfee reads "
        "numbers or text",
        "column build_year: holds timestamps (dates and times, timestamp[us]); propfee reads "
        "numbers or text",
        "column lifts: holds booleans (true or false, bool); propfee reads numbers or text",
        "column zone: holds lists (list<element: int64>); propfee reads numbers or text"]


def test_parquet_dictionary_and_decimal_columns(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import decimal

    import pyarrow.parquet as pq

    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({
        "compound_id": pa.array(["A1", "A2"]).dictionary_encode(),
        "households": [64, 88],
        "floor_area_m2": pa.array([decimal.Decimal("4200.50"), decimal.Decimal("5900")],
                                  pa.decimal128(10, 2)),
        "build_year": [1986, 1991]}), path)
    frame = read_compounds(path)
    assert frame["compound_id"].tolist() == ["A1", "A2"]
    assert frame["floor_area_m2"].tolist() == [4200.5, 5900.0]


# --- Text files ---------------------------------------------------------------------------

TEXT = ("compound_id,name,households,floor_area_m2,build_year\n"
        "A1,机械厂宿舍,64,4200,1986\nA2,纺织厂小区,88,5900,1991\n")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_text_without_a_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(TEXT.encode(encoding))
    frame = read_compounds(path)
    assert frame["name"].tolist() == ["机械厂宿舍", "纺织厂小区"]
    assert frame.attrs["read_as"] == encoding


@pytest.mark.parametrize(("encoding", "fragment"), [
    ("undefined", "cannot decode the text as undefined"),
    ("punycode", "cannot decode the text as punycode"),
    ("hex", "unknown encoding 'hex'"),
    ("no-such", "unknown encoding 'no-such'"),
])
def test_codecs_that_fail_their_own_way_are_typed_errors(tmp_path: Path, encoding: str,
                                                         fragment: str) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(TEXT.encode("gbk"))
    (problem,) = _problems(path, encoding=encoding)
    assert fragment in problem.message


# --- Files that are not what their name says -----------------------------------------------

def _encrypted(tmp_path: Path) -> bytes:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    plain = _book(tmp_path / "plain.xlsx")
    out = io.BytesIO()
    with open(plain, "rb") as handle:
        msoffcrypto.OfficeFile(handle).encrypt("secret", out)
    return out.getvalue()


def _renamed_xls(tmp_path: Path) -> bytes:
    """A compound file (the container of .xls workbooks) with a "Workbook" stream: the
    encrypted container's "EncryptedPackage" entry renamed (its name field and length)."""
    data = bytearray(_encrypted(tmp_path))
    def entry(name: str) -> bytes:
        return name.encode("utf-16-le").ljust(64, b"\0") + (len(name) * 2 + 2).to_bytes(
            2, "little")

    for old, new in (("EncryptedPackage", "Workbook"), ("EncryptionInfo", "SummaryInfo")):
        at = data.index(entry(old))
        data[at:at + 66] = entry(new)
    import olefile

    assert olefile.OleFileIO(bytes(data)).exists("Workbook")
    return bytes(data)


@pytest.mark.parametrize(("name", "make", "fragment"), [
    ("encrypted.xlsx", _encrypted, "the workbook is protected by a password (encrypted)"),
    ("renamed.xlsx", _renamed_xls,
     "an Excel 97-2003 workbook (.xls) named .xlsx; open it in Excel and save it as an "
     "Excel Workbook (.xlsx)"),
    ("old.xls", _renamed_xls, "an Excel 97-2003 workbook (.xls): open it in Excel"),
    ("page.xlsx", lambda _: b"<html><body><table><tr><td>1</td></tr></table></body></html>",
     "a web page (HTML) named .xlsx"),
    ("text.xlsx", lambda _: TEXT.encode(), "it is text; if it is a CSV table, name it .csv"),
])
def test_files_that_are_not_xlsx_are_named_as_what_they_are(
        tmp_path: Path, name: str, make, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    (problem,) = _problems(path)
    assert fragment in problem.message
    assert str(path) in str(InputError([problem], what=f"compound file {path}"))


# --- Messages ------------------------------------------------------------------------------

def test_problems_name_the_cell_sorted_by_row_in_both_languages(tmp_path: Path) -> None:
    path = _book(tmp_path / "bad.xlsx", cells={"C2": "一百", "E3": 2200, "C4": 64.5,
                                               "A5": None, "H2": 0})
    with pytest.raises(InputError) as info:
        read_compounds(path)
    assert str(info.value).splitlines()[1:] == [
        "  - 小区!C2 households (户数): must be a positive whole number, got '一百'",
        "  - 小区!H2 buildings (楼栋数): must be a whole number from 1 to 10,000, got 0",
        "  - 小区!E3 build_year (建成年份): must be a whole number from 1900 to 2100, got 2200",
        "  - 小区!C4 households (户数): must be a positive whole number, got 64.5",
        "  - 小区!A5 compound_id (小区编号): is required; the cell is empty"]
    with pytest.raises(InputError) as info:
        read_compounds(path, lang="zh")
    assert str(info.value).splitlines() == [
        f"小区文件 {path} 有 5 个问题：",
        '  - 小区!C2 户数：应为正整数，实为 "一百"',
        "  - 小区!H2 楼栋数：应为 1 到 10,000 之间的整数，实为 0",
        "  - 小区!E3 建成年份：应为 1900 到 2100 之间的整数，实为 2200",
        "  - 小区!C4 户数：应为正整数，实为 64.5",
        "  - 小区!A5 小区编号：为必填项，单元格为空"]


def test_csv_problems_name_row_and_header(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("小区编号,户数,建筑面积（万平方米）,建成年份,收缴率\n"
                    "A1,64,0.42,1986,1.5\nA2,-3,abc,1991,0.8\n", encoding="utf-8")
    texts = [p.text() for p in _problems(path)]
    assert texts == [
        "row 2, column collection_rate (收缴率): must be a share from 0 to 1 (0.8, or 80%), "
        "got '1.5'",
        "row 3, column households (户数): must be a positive whole number, got '-3'",
        "row 3, column floor_area_m2 (建筑面积（万平方米）): must be a number greater than 0, "
        "got 'abc'"]
    assert [p.text("zh") for p in _problems(path, lang="zh")][1] == (
        '第 3 行，户数列：应为正整数，实为 "-3"')


def test_messages_stay_short_for_huge_inputs(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    header = ",".join(["compound_id", "x" * 200_000] + [f"u{i}" for i in range(20_000)])
    path.write_text(header + "\n" + ",".join(["a"] * 20_002) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_compounds(path)
    text = str(info.value)
    assert len(info.value.problems) == 20_001
    assert len(text) < 20_000
    assert text.endswith(f"… and {20_001 - MAX_LISTED:,} more")


def test_a_totals_row_is_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "t.xlsx", cells={"A6": "合计", "C6": "=SUM(C2:C5)",
                                             "D6": "=SUM(D2:D5)", "E6": 1990})
    (problem,) = _problems(path)
    assert problem.text() == ("小区!A6 compound_id (小区编号): looks like a totals row (合计); "
                              "remove it: propfee adds up the compounds itself")


def test_booleans_are_never_numbers(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", cells={"C2": True, "H3": False})
    assert [p.text().split(",")[0] for p in _problems(path)] == [
        "小区!C2 households (户数): must be a positive whole number",
        "小区!H3 buildings (楼栋数): must be a whole number from 1 to 10"]


def test_subnormal_numbers_are_refused_with_their_cell(tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    path.write_text("compound_id,households,floor_area_m2,build_year,collection_rate\n"
                    "a,10,5e-324,1990,0.5\nb,10,100,1990,1e-310\n", encoding="utf-8")
    texts = [p.text() for p in _problems(path)]
    assert texts == [
        "row 2, column floor_area_m2: is too close to 0 to compute with (below "
        "2.22507e-308); type 0 or a larger number, got '5e-324'",
        "row 3, column collection_rate: is too close to 0 to compute with (below "
        "2.22507e-308); type 0 or a larger number, got '1e-310'"]
    with pytest.raises(InputError, match="too close to 0"):
        pf.Compound(compound_id="c", households=10, floor_area_m2=5e-324, build_year=1990)
    assert np.isfinite(pf.market_baseline(pf.Compound(
        compound_id="c", households=10, floor_area_m2=100.0, build_year=1990,
        collection_rate=0.0)).fee_billed_yuan)


# --- Plans ----------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16", "utf-16-le"])
def test_plan_files_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    plan = pf.default_plan().model_copy(update={"description": "三桥街道方案"})
    path = tmp_path / "plan.json"
    path.write_bytes(plan.to_json().encode(encoding))
    assert read_plan(path) == plan
    assert pf.named_plan(str(path)) == plan


def test_plan_files_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import propfee.io.readers as readers

    path = tmp_path / "plan.json"
    path.write_text(pf.default_plan().to_json(), encoding="utf-8")
    monkeypatch.setattr(readers, "MAX_PLAN_BYTES", 100)
    with pytest.raises(InputError) as info:
        read_plan(path)
    assert "and propfee reads at most 100; a plan takes a few kilobytes" in str(info.value)
    assert str(path) in str(info.value)


def test_a_frame_keeps_reading_after_an_unreadable_sheet(tmp_path: Path) -> None:
    """Reading a good file after a bad one gives the good file's values (no state kept)."""
    bad = _book(tmp_path / "bad.xlsx", cells={"C2": "x"})
    with pytest.raises(InputError):
        read_compounds(bad)
    good = _book(tmp_path / "good.xlsx")
    assert read_compounds(good)["households"].tolist() == [64, 88, 40, 120]
    assert isinstance(read_compounds(good), pd.DataFrame)
