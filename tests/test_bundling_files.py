"""Bundle files: round trips in CSV and Excel, English and Chinese headers, the
optimiser's own file read unchanged, and every bad row named with the file, the row as
the spreadsheet shows it and the value."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pytest

import propfee as pf
from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles
from propfee.bundling.files import BUNDLE_COLUMNS, read_bundles, write_bundles
from propfee.channels.shared_property import Bundle
from propfee.errors import InputError, Problem, UsageError
from propfee.io import write_table

IDS = ["a", "b", "c", "d", "=A1", "-12", "小区7"]
BUNDLES = (
    Bundle(bundle_id="B1", members=("a", "b"), fixed_fee_yuan_per_year=12000.0),
    Bundle(bundle_id="=SUM(1)", members=("=A1", "-12")),  # formulas in a spreadsheet
    Bundle(bundle_id="片区三", members=("小区7",)),
)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("labels", ["en", "zh"])
def test_bundles_round_trip(tmp_path: Path, suffix: str, labels: str) -> None:
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    path = tmp_path / f"bundles{suffix}"
    names = {"a": "Yard", "b": "=cmd|' /C calc'!A0", "小区7": "杏花岭七号院"}
    assert write_bundles(path, BUNDLES, names=names, labels=labels) == path  # type: ignore[arg-type]
    assert read_bundles(path, IDS) == BUNDLES


def test_what_the_file_looks_like(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    write_bundles(path, BUNDLES, names={"a": "Yard"}, labels="zh")
    text = path.read_text(encoding="utf-8-sig").splitlines()
    # One row per member; the fee on each row of its bundle, empty where there is none;
    # formulas made inert with a leading quote.
    assert text == [
        "捆绑编号,小区编号,小区名称,固定服务费（元/年）",
        "B1,a,Yard,12000.0",
        "B1,b,,12000.0",
        "'=SUM(1),'=A1,,",
        "'=SUM(1),'-12,,",
        "片区三,小区7,,",
    ]
    plain = tmp_path / "plain.csv"
    write_bundles(plain, BUNDLES[1:])
    assert plain.read_text(encoding="utf-8-sig").splitlines()[0] == "bundle_id,compound_id"


@functools.cache
def _optimised() -> tuple[pd.DataFrame, object]:
    street = pf.datasets.sanqiao_like_street().head(16)
    game = BundleGame.from_district(street)
    result = optimise_bundles(game, BundlingProblem(time_limit_s=10.0))
    return street, result


def test_the_optimisers_assignment_file_is_read_unchanged(tmp_path: Path) -> None:
    street, result = _optimised()
    path = tmp_path / "assignment.csv"
    write_table(result.assignment, path)  # what `propfee bundle --out` writes
    got = read_bundles(path, street["compound_id"])
    want = {b: tuple(m) for b, m in zip(result.bundles["bundle_id"],
                                        result.bundles["member_ids"], strict=True)}
    assert {b.bundle_id: tuple(sorted(b.members)) for b in got} == want
    # Compounds the optimiser leaves alone come back as bundles of one member.
    assert all(len(b.members) == 1 for b in got if b.bundle_id.startswith("alone:"))
    assert any(len(b.members) > 1 for b in got)


def test_the_optimisers_result_written_and_read_feeds_the_same_budget(tmp_path: Path) -> None:
    street, result = _optimised()
    path = tmp_path / "bundles.xlsx"
    pytest.importorskip("openpyxl")
    write_bundles(path, result, labels="zh")
    header = pd.read_excel(path, nrows=0).columns.tolist()
    assert header == [BUNDLE_COLUMNS[c] for c in (
        "bundle_id", "compound_id", "members", "households", "contract_yuan", "deficit_yuan",
        "core_empty", "alone_reason")]
    bundles = read_bundles(path, street["compound_id"])
    plan = pf.default_plan()
    from_file = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "explicit", "bundles": bundles})})
    # Bundles of one are compounds alone: the budget is the optimiser's own plan's.
    a = pf.evaluate_district(street, from_file).compounds
    b = pf.evaluate_district(street, result.to_plan(plan)).compounds  # type: ignore[attr-defined]
    cols = ["compound_id", "cost_shared_property_yuan", "street_subsidy_yuan"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


def test_headers_in_any_order_extra_columns_empty_rows_and_gbk(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(("备注,小区编号,捆绑编号\n"
                      "东门,a,B1\n"
                      ",,\n"
                      "西门, b ,B1\n"
                      "北门,c,\n").encode("gbk"))
    with pytest.raises(InputError) as info:
        read_bundles(path, IDS)
    # Row 5 (the empty row 3 counts): c has no bundle.
    assert info.value.problems == (Problem("c", "bundle_id", None, "empty bundle id", line=5),)
    path.write_bytes("备注,小区编号,捆绑编号\n东门,a,B1\n,,\n西门, b ,B1\n".encode("gbk"))
    assert read_bundles(path, IDS) == (Bundle(bundle_id="B1", members=("a", "b")),)


def test_every_bad_row_is_named_with_the_file_the_row_and_the_value(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("bundle_id,compound_id,fixed_fee_yuan_per_year\n"
                    "B1,a,100\n"        # row 2
                    "B1,zz,\n"          # row 3: not a compound of the table
                    "B2,a,\n"           # row 4: a is in B1 already
                    "B1,b,200\n"        # row 5: another fee for B1
                    "B1,b,\n"           # row 6: b twice in B1
                    ",c,\n"             # row 7: no bundle
                    "B3,,\n"            # row 8: no compound
                    "B3,d,-5\n",        # row 9: a negative fee
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_bundles(path, IDS)
    assert info.value.problems == (
        Problem("zz", "compound_id", "zz", "not a compound of the table", line=3),
        Problem("a", "compound_id", "a", "also in bundle 'B1' (row 2)", line=4),
        Problem("b", "fixed_fee_yuan_per_year", "200", "bundle 'B1' has 100 in row 2", line=5),
        Problem("b", "compound_id", "b", "twice in bundle 'B1' (row 5)", line=6),
        Problem("c", "bundle_id", None, "empty bundle id", line=7),
        Problem(None, "compound_id", None, "empty compound id", line=8),
        Problem("d", "fixed_fee_yuan_per_year", "-5", "must be a number >= 0 [yuan/year]",
                line=9),
    )
    message = str(info.value)
    assert message.startswith(f"7 problems in bundle file {path}:")
    assert "row 4, compound 'a', field 'compound_id': also in bundle 'B1' (row 2)" in message


def test_missing_columns_and_files(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("bundle,name\nB1,x\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_bundles(path, IDS)
    assert info.value.problems == (Problem(None, "compound_id", None,
                                           "missing column (小区编号)", line=1),)
    with pytest.raises(InputError, match="no such file"):
        read_bundles(tmp_path / "none.csv", IDS)
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match=r"read \.csv or \.xlsx files"):
        read_bundles(tmp_path / "b.json", IDS)
    (tmp_path / "empty.csv").write_text(" \n", encoding="utf-8")
    with pytest.raises(InputError, match="the file is empty"):
        read_bundles(tmp_path / "empty.csv", IDS)
    with pytest.raises(UsageError, match=r"write \.csv or \.xlsx files"):
        write_bundles(tmp_path / "b.txt", BUNDLES)


def test_ids_are_compared_as_the_table_keeps_them(tmp_path: Path) -> None:
    # Full-width and padded ids in the file are the table's ids (NFKC, trimmed).
    path = tmp_path / "b.csv"
    path.write_text("bundle_id,compound_id\nB1,Ａ1\nB1,\u3000b2 \n", encoding="utf-8")
    assert read_bundles(path, ["A1", "b2"]) == (Bundle(bundle_id="B1", members=("A1", "b2")),)
