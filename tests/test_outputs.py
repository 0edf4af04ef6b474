"""Outputs: inert in every format a spreadsheet opens, exact totals, never destroying a
file, checked before the work, finishing for large districts, clean after SIGTERM."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import propfee as pf
from propfee.cli import app
from propfee.errors import UsageError
from propfee.excel import exact_total
from propfee.io import FORMULA_START, neutralise_formulas, write_budget, write_template

runner = CliRunner()
PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_TEXT = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=evil", "\r=evil"]


def _hostile_compounds(folder: Path) -> Path:
    """Six compounds whose id, name, street and zone start with each formula prefix (ids
    are trimmed, so a tab or CR id becomes the text after it: also a formula)."""
    street = pf.datasets.sanqiao_like_street().head(6).copy()
    street["compound_id"] = [f"{t}{i}" for i, t in enumerate(HOSTILE_TEXT)]
    street["name"] = HOSTILE_TEXT
    street["street"] = HOSTILE_TEXT
    street["zone"] = HOSTILE_TEXT
    path = folder / "hostile.csv"
    street.to_csv(path, index=False, quoting=csv.QUOTE_ALL)
    return path


def _formula_like(text: str) -> bool:
    """A text a spreadsheet would run: a formula prefix, and not a plain number (-3.5 is a
    negative number in every spreadsheet)."""
    if not text.startswith(FORMULA_START):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return text != text.strip()


def _csv_cells(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


# The sheets whose formulas propfee writes itself (the summary's live what-if figures):
# no other cell is a formula, and no formula holds a text the user typed.
_FORMULA_SHEETS = {"Summary", "What-if by compound", "汇总", "逐小区试算"}


def _xlsx_cells(path: Path) -> list[object]:
    book = load_workbook(path)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert sheet.title in _FORMULA_SHEETS, (sheet.title, cell.coordinate)
                    assert not any(t.strip() and t.strip() in str(cell.value)
                                   for t in HOSTILE_TEXT), (sheet.title, cell.value)
                    continue
                cells.append(cell.value)
    return cells


def test_a_formula_prefix_never_becomes_a_formula_in_any_output(tmp_path: Path) -> None:
    """Every command that writes, every format a spreadsheet opens: no cell runs."""
    src = _hostile_compounds(tmp_path)
    outputs: list[Path] = []
    for args, files in [
        (["evaluate", str(src), "--out", str(tmp_path / "b.csv")], ["b.csv", "b_lines.csv"]),
        (["evaluate", str(src), "--out", str(tmp_path / "b.xlsx")], ["b.xlsx"]),
        (["evaluate", str(src), "--out", str(tmp_path / "zh.xlsx"), "--labels", "zh"],
         ["zh.xlsx"]),
        (["bundle", str(src), "--out", str(tmp_path / "bundle.csv"), "--time-limit", "2"],
         ["bundle.csv"]),
        (["project", str(src), "--years", "2", "--out", str(tmp_path / "p.csv")], ["p.csv"]),
        (["montecarlo", str(src), "--draws", "20", "--years", "2", "--out",
          str(tmp_path / "m.csv")], ["m.csv"]),
        (["reserve", str(src), "--years", "3", "--out", str(tmp_path / "r.xlsx")],
         ["r.xlsx"]),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        outputs += [tmp_path / f for f in files]
    seen_ids = set()
    for path in outputs:
        cells = _csv_cells(path) if path.suffix == ".csv" else _xlsx_cells(path)
        texts = [c for c in cells if isinstance(c, str)]
        assert not [t for t in texts if _formula_like(t)], path.name
        seen_ids |= {t for t in texts if t.startswith("'") and t[1:2] in "=+-@"}
    # The ids are there, made text: in the lines table too (a categorical column).
    lines = pd.read_csv(tmp_path / "b_lines.csv")
    assert set(lines["Compound id"]) == {"'=1+10", "'+cmd|' /C calc'!A01", "'-2+32",
                                         "'@SUM(A1)3", "'=evil4", "'=evil5"}
    assert "'=1+10" in seen_ids


def test_json_and_parquet_keep_ids_exactly(tmp_path: Path) -> None:
    src = _hostile_compounds(tmp_path)
    for out in ("b.json", "b.parquet"):
        result = runner.invoke(app, ["evaluate", str(src), "--out", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    ids = ["=1+10", "+cmd|' /C calc'!A01", "-2+32", "@SUM(A1)3", "=evil4", "=evil5"]
    assert [r["Compound id"] for r in data["compounds"]] == ids
    assert pd.read_parquet(tmp_path / "b.parquet")["Compound id"].tolist() == ids
    lines = pd.read_parquet(tmp_path / "b_lines.parquet")
    assert set(lines["Compound id"].astype(str)) == set(ids)


@pytest.mark.parametrize("dtype", [object, "str", "category"])
def test_neutralising_every_text_dtype(dtype: object) -> None:
    table = pd.DataFrame({"t": pd.Series(["=a", "b", "-1", "'=x"], dtype=dtype),  # type: ignore[call-overload]
                          "n": [-1.0, 2.0, 3.0, 4.0]}).set_axis(["=i", "j", "k", "l"])
    out = neutralise_formulas(table)
    assert list(out["t"].astype(object)) == ["'=a", "b", "'-1", "'=x"]
    assert out["n"].tolist() == [-1.0, 2.0, 3.0, 4.0]
    assert list(out.index) == ["'=i", "j", "k", "l"]
    assert table["t"].astype(object).tolist()[0] == "=a"  # the input is not changed
    # Categories that collide once prefixed fall back to text.
    clash = pd.DataFrame({"t": pd.Series(["=a", "'=a"], dtype="category")})
    assert neutralise_formulas(clash)["t"].tolist() == ["'=a", "'=a"]


# --- Totals ------------------------------------------------------------------------------

def test_totals_rows_never_wrap(tmp_path: Path) -> None:
    """A fee rate of 1e8 (accepted by the parameter loader) and 10^7 m2: the fee
    collected is about 8.4e15 yuan a compound; the totals row is the exact sum of the
    rows shown, written as text beyond a double's exact digits, never a wrapped int64."""
    params = pf.default_parameters()
    rich = params.model_copy(update={"fees": params.fees.model_copy(
        update={"rate_yuan_per_m2_month": 1e8})})
    street = pf.datasets.sanqiao_like_street().head(3).assign(floor_area_m2=1e7)
    budget = pf.evaluate_district(street, params=rich)
    path = write_budget(budget, tmp_path / "big.xlsx")
    sheet = load_workbook(path)["Compounds"]
    heads = {c.value: c.column for c in sheet[1]}
    total = sheet.cell(row=5, column=heads["Fee collected [yuan/year]"]).value
    rows = budget.compounds["fee_collected_yuan"].tolist()
    from decimal import Decimal

    expected = sum(Decimal(v) for v in rows)
    assert isinstance(total, str)
    assert Decimal(total.replace(",", "")) == expected.quantize(Decimal("0.01"))
    assert Decimal(total.replace(",", "")) > 0


@pytest.mark.parametrize(("values", "name", "expected"), [
    ([0.1, 0.2, 0.3], "x_yuan", 0.6),
    ([2**62, 2**62, 2**62], "households", "13,835,058,055,282,163,712"),
    ([1.01, 2.68, 1e-9], "x_yuan", 3.69),  # each value to the fen, then summed
    ([-6e16, 6e16, 1.5], "x_yuan", 1.5),
    ([], "x_yuan", 0.0),
])
def test_exact_total(values: list[float], name: str, expected: object) -> None:
    dtype = np.int64 if isinstance(values[:1] and values[0], int) else np.float64
    assert exact_total(pd.Series(np.array(values, dtype=dtype), name=name)) == expected


# --- Never destroy -------------------------------------------------------------------------

def test_template_never_writes_over_a_filled_sheet(tmp_path: Path) -> None:
    filled = tmp_path / "mydata.csv"
    filled.write_text("compound_id,households\nA1,64\n", encoding="utf-8")
    result = runner.invoke(app, ["template", str(filled)])
    assert result.exit_code == 2
    assert "exists and was left as it is" in result.output
    assert "--force" in result.output
    assert filled.read_text(encoding="utf-8") == "compound_id,households\nA1,64\n"
    result = runner.invoke(app, ["template", str(filled), "--labels", "zh"])
    assert result.exit_code == 2
    assert "已存在，未改动" in result.output
    result = runner.invoke(app, ["template", str(filled), "--force"])
    assert result.exit_code == 0, result.output
    assert "households" in filled.read_text(encoding="utf-8-sig")
    assert "A1" not in filled.read_text(encoding="utf-8-sig")
    with pytest.raises(UsageError, match="exists"):
        write_template(filled)
    write_template(filled, overwrite=True)


def test_a_long_output_name_works_and_a_too_long_one_is_refused_first(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    src.write_text("compound_id,households,floor_area_m2,build_year\na,100,10000,1990\n",
                   encoding="utf-8")
    name = "r" * 249 + ".xlsx"  # 254 bytes: the temporary name must stay short
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(tmp_path / name)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["c.csv", name])
    long = tmp_path / ("r" * 260 + ".xlsx")
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(long)])
    assert result.exit_code == 2
    assert f"cannot write {long}: its name has 265 bytes" in result.output


def test_reserve_checks_its_output_before_the_work(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import propfee.reserve

    calls: list[int] = []
    real = propfee.reserve.reserve_study
    monkeypatch.setattr(propfee.reserve, "reserve_study",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    for out, fragment in [
        (tmp_path / "no" / "r.xlsx", f"cannot write {tmp_path / 'no' / 'r.xlsx'}: the folder"),
        (tmp_path / "r.csv", f"{tmp_path / 'r.csv'}: write a .xlsx file"),
    ]:
        result = runner.invoke(app, ["reserve", "--years", "2", "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert fragment in " ".join(result.output.split()), result.output
        assert ".tmp" not in result.output
    assert calls == []
    result = runner.invoke(app, ["reserve", "--years", "2", "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    assert calls == [1]
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


# --- Large districts --------------------------------------------------------------------------

def test_a_lines_csv_beyond_the_limit_is_refused_before_the_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import propfee.budget
    import propfee.io.writers

    src = tmp_path / "c.csv"
    pf.datasets.sanqiao_like_street().head(40).to_csv(src, index=False)
    monkeypatch.setattr(propfee.io.writers, "MAX_CSV_LINES", 100)
    sizes: list[int] = []
    real = propfee.budget.evaluate_district
    monkeypatch.setattr(propfee.budget, "evaluate_district",
                        lambda frame, *a, **k: sizes.append(len(frame)) or real(frame, *a, **k))
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "its lines table would have about" in text
    assert f"write --out {tmp_path / 'r.parquet'} instead" in text
    assert sizes == [40]  # the sample that sizes the lines, not the evaluation itself
    assert not (tmp_path / "r.csv").exists()
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(tmp_path / "r.parquet")])
    assert result.exit_code == 0, result.output
    budget = real(pf.datasets.sanqiao_like_street().head(40))
    lines = pd.read_parquet(tmp_path / "r_lines.parquet")
    assert len(lines) == len(budget.lines)
    assert lines["Amount [yuan/year]"].sum() == pytest.approx(budget.lines["amount_yuan"].sum())


def test_parquet_lines_are_written_in_pieces_with_progress(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    import propfee.io.writers

    monkeypatch.setattr(propfee.io.writers, "_CHUNK_ROWS", 1000)
    budget = pf.evaluate_district(pf.datasets.sanqiao_like_street().head(60))
    done: list[float] = []
    write_budget(budget, tmp_path / "b.parquet", labels=None, progress=done.append)
    n = len(budget.lines)
    assert done == [*(min(k + 1000, n) / n for k in range(0, n, 1000)), 1.0]
    assert pq.ParquetFile(tmp_path / "b_lines.parquet").num_row_groups == -(-n // 1000)
    back = pd.read_parquet(tmp_path / "b_lines.parquet")
    pd.testing.assert_frame_equal(back, budget.lines, check_categorical=False)


# --- Stopped ------------------------------------------------------------------------------

@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
def test_sigterm_removes_temporary_files_and_keeps_the_previous_report(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    pf.datasets.synthetic_district(3000, seed=2).to_csv(src, index=False)
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"the previous report")
    command = Path(sys.executable).parent / "propfee"
    process = subprocess.Popen([str(command), "evaluate", str(src), "--out", str(target)],
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".report.") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline, "no temporary file seen"
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "stopped: temporary files removed" in err
    assert "Traceback" not in err
    assert target.read_bytes() == b"the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "report.xlsx"]


def test_messages_and_confirmations_in_chinese(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    src.write_bytes("小区编号,户数,建筑面积,建成年份\nA1,一百,4200,1986\n".encode("gbk"))
    env = {"PROPFEE_LANG": "zh"}
    result = runner.invoke(app, ["evaluate", str(src)], env=env)
    assert result.exit_code == 1
    assert f"小区文件 {src} 有 1 个问题：" in result.output
    assert '第 2 行，户数列：应为正整数，实为 "一百"' in result.output
    src.write_bytes("小区编号,户数,建筑面积,建成年份\nA1,100,4200,1986\n".encode("gbk"))
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(tmp_path / "r.xlsx")],
                           env=env)
    assert result.exit_code == 0, result.output
    assert f"已写入 1 个小区的预算：{tmp_path / 'r.xlsx'}" in result.output
    result = runner.invoke(app, ["template", str(tmp_path / "t.xlsx")], env=env)
    assert f"已写入模板：{tmp_path / 't.xlsx'}" in result.output
    assert load_workbook(tmp_path / "t.xlsx").sheetnames == ["小区", "现状", "填写说明", "示例"]


def test_reserve_overrides_in_gbk_and_a_plan_with_a_byte_order_mark(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    street = pf.datasets.sanqiao_like_street().head(3)
    street.assign(compound_id=["三桥一号", "三桥二号", "三桥三号"]).to_csv(src, index=False)
    overrides = tmp_path / "o.csv"  # Excel's "CSV" on a Chinese Windows PC: GBK
    overrides.write_bytes("compound_id,component,field,value\n三桥一号,roof_waterproofing,"
                          "quantity,120\n".encode("gbk"))
    result = runner.invoke(app, ["reserve", str(src), "--years", "2", "--overrides",
                                 str(overrides)])
    assert result.exit_code == 0, result.output
    overrides.write_bytes("compound_id,component,field,value\n四桥,roof_waterproofing,"
                          "quantity,120\n".encode("gbk"))
    result = runner.invoke(app, ["reserve", str(src), "--years", "2", "--overrides",
                                 str(overrides)])
    assert result.exit_code == 1
    assert "四桥" in result.output  # decoded, and named as the file has it
    plan = tmp_path / "plan.json"
    plan.write_bytes(pf.default_plan().to_json().encode("utf-8-sig"))
    result = runner.invoke(app, ["evaluate", str(src), "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    plan.write_bytes(pf.default_plan().to_json().encode("utf-16"))
    result = runner.invoke(app, ["evaluate", str(src), "--plan", str(plan)])
    assert result.exit_code == 0, result.output


def test_the_as_of_date_is_bounded(tmp_path: Path) -> None:
    for command in (["project", "--years", "2"], ["montecarlo", "--draws", "5"], ["demo"],
                    ["reserve", "--years", "2"]):
        for date in ("9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"):
            result = runner.invoke(app, [*command, "--as-of", date])
            assert result.exit_code == 2, (command, date, result.output)
            assert "out of range: give a date from 1949-10-01 to 2100-12-31" in " ".join(
                result.output.split())


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_tables_without_the_credit_do_not_compute_it(tmp_path: Path, suffix: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A .csv or .parquet budget holds the compounds and their lines: the channel credit
    # (32 kernel runs) is not shown there, so it is not computed.
    pytest.importorskip("pyarrow")
    budget = pf.evaluate_district(pf.datasets.synthetic_district(30, seed=2))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("channel credit computed")

    monkeypatch.setattr(pf.DistrictBudget, "channel_credit", refuse)
    write_budget(budget, tmp_path / f"b{suffix}")
    with pytest.raises(AssertionError, match="channel credit"):
        write_budget(budget, tmp_path / "b.json")
