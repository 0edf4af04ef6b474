"""A fixed corpus of hostile files, plus generated tables, through the API and the real CLI.

Every input ends in a correct result or the library's typed error (exit 1 or 2 on the
command line): zero tracebacks, zero silently changed values.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import propfee as pf
from propfee.errors import InputError, ParameterError
from propfee.io import read_compounds

HEAD = "compound_id,name,households,floor_area_m2,build_year"
GOOD_ROWS = "A1,机械厂宿舍,64,4200,1986\nA2,纺织厂小区,88,5900,1991\n"
GOOD_ZH = "小区编号,小区名称,户数,建筑面积,建成年份\n" + GOOD_ROWS
# (households, floor area) every readable good file must give back unchanged.
GOOD_VALUES = ([64, 88], [4200.0, 5900.0])


def _parquet_bytes() -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"compound_id": ["A1", "A2"], "name": ["机械厂宿舍", "纺织厂小区"],
                  "households": [64, 88], "floor_area_m2": [4200.0, 5900.0],
                  "build_year": [1986, 1991]}).to_parquet(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    pd.read_csv(io.StringIO(GOOD_ZH)).to_excel(buffer, index=False)
    return buffer.getvalue()


def _sheet_bytes(rows: list[list[object]], *, merges: tuple[str, ...] = (),
                 hidden_first: bool = False) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if hidden_first:
        sheet.title = "old"
        sheet.append(["junk"])
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet("compounds")
        book.active = 1
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ZH_HEAD = ["小区编号", "小区名称", "户数", "建筑面积", "建成年份", "片区"]
ZH_ROWS = [["A1", "机械厂宿舍", 64, 4200, 1986, "一片"], ["A2", "纺织厂小区", 88, 5900, 1991, None]]


def _parquet_with(**columns: object) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    base: dict[str, object] = {"compound_id": ["A1", "A2"], "name": ["机械厂宿舍", "纺织厂小区"],
                               "households": [64, 88], "floor_area_m2": [4200.0, 5900.0],
                               "build_year": [1986, 1991]}
    buffer = io.BytesIO()
    pq.write_table(pa.table({**base, **columns}), buffer)
    return buffer.getvalue()


def _encrypted_bytes() -> bytes:
    import msoffcrypto

    out = io.BytesIO()
    msoffcrypto.OfficeFile(io.BytesIO(_xlsx_bytes())).encrypt("secret", out)
    return out.getvalue()


def _xls_bytes() -> bytes:
    """A compound file holding a "Workbook" stream (what an .xls is): the encrypted
    container with its stream entries renamed."""
    data = bytearray(_encrypted_bytes())

    def entry(name: str) -> bytes:
        return name.encode("utf-16-le").ljust(64, b"\0") + (len(name) * 2 + 2).to_bytes(
            2, "little")

    for old, new in (("EncryptedPackage", "Workbook"), ("EncryptionInfo", "SummaryInfo")):
        at = data.index(entry(old))
        data[at:at + 66] = entry(new)
    return bytes(data)


GOOD: dict[str, bytes] = {
    "utf8.csv": GOOD_ZH.encode("utf-8"),
    "utf8-bom.csv": GOOD_ZH.encode("utf-8-sig"),
    "gbk.csv": GOOD_ZH.encode("gbk"),
    "gb18030.csv": GOOD_ZH.encode("gb18030"),
    "utf16.csv": GOOD_ZH.encode("utf-16"),
    "utf16-tab.csv": GOOD_ZH.replace(",", "\t").encode("utf-16"),
    "crlf.csv": GOOD_ZH.replace("\n", "\r\n").encode("utf-8"),
    "trailing-commas.csv": GOOD_ZH.replace("\n", ",\n").encode("utf-8"),
    "blank-rows.csv": (GOOD_ZH + "\n\n,,,,\n").encode("utf-8"),
    "spaced-ids.csv": GOOD_ZH.replace("A1,", " A1 ,").encode("utf-8"),
    "good.xlsx": _xlsx_bytes(),
    "good.parquet": _parquet_bytes(),
    "utf16-no-bom.csv": GOOD_ZH.encode("utf-16-le"),
    "utf16-be-no-bom.csv": GOOD_ZH.encode("utf-16-be"),
    "merged-zone.xlsx": _sheet_bytes([ZH_HEAD, *ZH_ROWS], merges=("F2:F3",)),
    "formula.xlsx": _sheet_bytes([ZH_HEAD, ["A1", "机械厂宿舍", 64, "=C2*65.625", 1986],
                                  ["A2", "纺织厂小区", "=C2+24", "=SUM(C2:C3)*0+5000+900",
                                   1991]]),
    "hidden-first.xlsx": _sheet_bytes([ZH_HEAD, *ZH_ROWS], hidden_first=True),
    "binary-ids.parquet": _parquet_with(compound_id=[b"A1", b"A2"],
                                        name=["机械厂宿舍".encode(), "纺织厂小区".encode()]),
}

BAD: dict[str, bytes] = {
    "empty.csv": b"",
    "whitespace.csv": b" \n\n\t\n",
    "header-only.csv": (HEAD + "\n").encode(),
    "ragged-long.csv": (HEAD + "\nA1,x,1,2,1990,extra\n").encode(),
    "ragged-some.csv": (HEAD + "\nA1,x,1,2,1990\nA2,y,1,2,1990,9\n").encode(),
    "ragged-short.csv": (HEAD + "\nA1,x,64\n").encode(),
    "csv-as.xlsx": GOOD_ZH.encode(),
    "corrupt.xlsx": b"PK\x03\x04" + os.urandom(200),
    "corrupt.parquet": b"PAR1" + os.urandom(200) + b"PAR1",
    "binary.csv": bytes(range(256)) * 4,
    "nul.csv": (HEAD + "\nA1,x\x00y,64,4200,1986\n").encode(),
    "area-1e17.csv": (HEAD + "\nA1,x,64,1e17,1986\n").encode(),
    "households-1e15.csv": (HEAD + "\nA1,x,1000000000000000,4200,1986\n").encode(),
    "fee-1e300.csv": (HEAD + ",fee_rate_yuan_per_m2_month\nA1,x,64,4200,1986,1e300\n").encode(),
    "nan-text.csv": (HEAD + "\nA1,x,NaN,4200,1986\n").encode(),
    "inf.csv": (HEAD + "\nA1,x,64,inf,1986\n").encode(),
    "negative.csv": (HEAD + "\nA1,x,-64,4200,1986\n").encode(),
    "fraction-households.csv": (HEAD + "\nA1,x,64.5,4200,1986\n").encode(),
    "thousands.csv": (HEAD + '\nA1,x,64,"4,200",1986\n').encode(),
    "percent-text.csv": (HEAD + ",收缴率(%)\nA1,x,64,4200,1986,很高\n").encode(),
    "bool.csv": (HEAD + "\nA1,x,TRUE,4200,1986\n").encode(),
    "dup-ids.csv": (HEAD + "\nA1,x,64,4200,1986\nA1 ,y,88,5900,1991\n").encode(),
    "empty-id.csv": (HEAD + "\n ,x,64,4200,1986\n").encode(),
    "long-name.csv": (HEAD + "\nA1," + "x" * 5000 + ",64,4200,1986\n").encode(),
    "unknown-header.csv": (HEAD + ",colour\nA1,x,64,4200,1986,red\n").encode(),
    "dup-header.csv": ("户数," + HEAD + "\n1,A1,x,64,4200,1986\n").encode(),
    "only-junk-headers.csv": b"a,b,c\n1,2,3\n",
    "unknown-unit.csv": "compound_id,households,建筑面积（亩）,build_year\nA1,64,6,1986\n".encode(),
    "year-1700.csv": (HEAD + "\nA1,x,64,4200,1700\n").encode(),
    "no-area.csv": (b"compound_id,households,build_year\nA1,64,1986\n"),
    "per-household-huge.csv": (b"compound_id,households,floor_area_m2_per_household,build_year\n"
                               b"A1,1000000,10000,1986\n"),
    "merged-households.xlsx": _sheet_bytes([ZH_HEAD, *ZH_ROWS], merges=("C2:C3",)),
    "merged-across.xlsx": _sheet_bytes([ZH_HEAD, *ZH_ROWS], merges=("B2:C2",)),
    "formula-lookup.xlsx": _sheet_bytes([ZH_HEAD, ["A1", "x", 64, "=VLOOKUP(A1,Z:Z,1)", 1986]]),
    "formula-div0.xlsx": _sheet_bytes([ZH_HEAD, ["A1", "x", 64, "=1/0", 1986]]),
    "totals-row.xlsx": _sheet_bytes([ZH_HEAD, *ZH_ROWS, ["合计", None, "=SUM(C2:C3)", 10100,
                                                          1990]]),
    "empty-sheet.xlsx": _sheet_bytes([]),
    "hidden-only.xlsx": _sheet_bytes([ZH_HEAD]),
    "duration.parquet": _parquet_with(households=np.array([64, 88], dtype="timedelta64[us]")),
    "timestamp.parquet": _parquet_with(build_year=[pd.Timestamp("1986-01-01"),
                                                   pd.Timestamp("1991-01-01")]),
    "bool.parquet": _parquet_with(lifts=[True, False]),
    "bad-bytes.parquet": _parquet_with(compound_id=[b"A1", b"\xff\xfe"]),
    "encrypted.xlsx": _encrypted_bytes(),
    "renamed-xls.xlsx": _xls_bytes(),
    "old.xls": _xls_bytes(),
    "web-page.xlsx": b"<html><body><table><tr><td>A1</td></tr></table></body></html>",
    "subnormal.csv": (HEAD + "\nA1,x,64,5e-324,1986\n").encode(),
    "year-as-fullwidth.csv": (HEAD + "\nA1,x,64,4200,１９８６\n").encode(),
}
# (file, what the message must say): each kind named as what it is.
BAD_SAYS = {
    "merged-households.xlsx": "Sheet!C2 households (户数): cells merged over rows 2-3 (C2:C3)",
    "merged-across.xlsx": "Sheet!B2 name (小区名称): cells merged across columns (B2:C2)",
    "formula-lookup.xlsx": "Sheet!D2 floor_area_m2 (建筑面积): a formula propfee cannot compute "
                           "(the function VLOOKUP is not computed)",
    "formula-div0.xlsx": "a division by zero (#DIV/0!)",
    "totals-row.xlsx": "Sheet!A4 compound_id (小区编号): looks like a totals row (合计)",
    "empty-sheet.xlsx": "Sheet: the sheet is empty",
    "duration.parquet": "column households: holds durations (lengths of time",
    "timestamp.parquet": "column build_year: holds timestamps",
    "bool.parquet": "column lifts: holds booleans",
    "bad-bytes.parquet": "row 3, column compound_id: holds bytes that are not UTF-8 text",
    "encrypted.xlsx": "the workbook is protected by a password (encrypted)",
    "renamed-xls.xlsx": "an Excel 97-2003 workbook (.xls) named .xlsx",
    "old.xls": "an Excel 97-2003 workbook (.xls): open it in Excel",
    "web-page.xlsx": "a web page (HTML) named .xlsx",
    "subnormal.csv": "row 2, column floor_area_m2: is too close to 0 to compute with",
    "year-as-fullwidth.csv": "row 2, column build_year: must be a whole number from 1900",
}


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_files_keep_every_value(tmp_path: Path, name: str) -> None:
    frame = read_compounds(_write(tmp_path, name, GOOD[name]))
    assert frame["compound_id"].tolist() == ["A1", "A2"]
    assert frame["name"].tolist() == ["机械厂宿舍", "纺织厂小区"]
    assert (frame["households"].tolist(), frame["floor_area_m2"].tolist()) == GOOD_VALUES


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_are_typed_errors_naming_the_file(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name, BAD[name])
    with pytest.raises(InputError) as info:
        read_compounds(path)
    text = str(info.value)
    assert str(path) in text
    assert len(text) < 2000  # a long input is never echoed whole
    if name in BAD_SAYS:
        assert BAD_SAYS[name] in text, text


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "propfee"  # the installed command
    return subprocess.run([str(command), *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_the_corpus_through_the_real_command_line(tmp_path: Path) -> None:
    """Every file through ``propfee evaluate`` in its own process: exit 0, 1 or 2, no traceback."""
    for name, data in {**GOOD, **BAD}.items():
        _write(tmp_path, name, data)
    (tmp_path / "folder.csv").mkdir()
    cases = [(["evaluate", name], 0) for name in ("gbk.csv", "utf16-tab.csv", "good.xlsx",
                                                  "utf16-no-bom.csv", "merged-zone.xlsx",
                                                  "formula.xlsx", "hidden-first.xlsx",
                                                  "binary-ids.parquet")]
    cases += [(["evaluate", name], 1) for name in sorted(BAD)]
    cases += [(["evaluate", "missing.csv"], 2), (["evaluate", "folder.csv"], 2),
              (["evaluate", "utf8.csv", "--plan", "missing.json"], 2),
              (["evaluate", "utf8.csv", "--out", "utf8.csv"], 2),
              (["evaluate", "utf8.csv", "--params", "missing.toml"], 1),
              (["evaluate", "utf8.csv", "--params", "empty.csv"], 1),
              (["evaluate", "utf8.csv", "--plan", "binary.csv"], 1),
              (["montecarlo", "--draws", "0"], 2), (["project", "--years", "0"], 2),
              (["evaluate", "utf8.csv", "--plan", "huge-plan.json"], 1),
              (["evaluate", "utf8.csv", "--plan", "bom-plan.json"], 0),
              (["evaluate", "utf8.csv", "--plan", "gbk-plan.json"], 0),
              (["evaluate", "utf8.csv", "--encoding", "undefined"], 1),
              (["evaluate", "utf8.csv", "--encoding", "punycode"], 1),
              (["project", "--as-of", "9999-12-31"], 2),
              (["montecarlo", "--as-of", "9999-12-31"], 2),
              (["template", "utf8.csv"], 2),
              (["reserve", "cn-ids.csv", "--years", "2", "--overrides", "gbk-overrides.csv"], 0)]
    plan = pf.default_plan().model_copy(update={"description": "三桥街道"}).to_json()
    (tmp_path / "bom-plan.json").write_bytes(plan.encode("utf-8-sig"))
    (tmp_path / "gbk-plan.json").write_bytes(plan.encode("gbk"))
    (tmp_path / "huge-plan.json").write_bytes(b" " * (5 * 1024 * 1024) + plan.encode())
    (tmp_path / "cn-ids.csv").write_bytes(GOOD_ZH.replace("A1,", "三桥一号,").encode("gbk"))
    (tmp_path / "gbk-overrides.csv").write_bytes(
        "compound_id,component,field,value\n三桥一号,roof_waterproofing,quantity,120\n"
        .encode("gbk"))
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda case: _cli(*case[0], cwd=tmp_path), cases))
    for (args, code), result in zip(cases, results, strict=True):
        assert "Traceback" not in result.stderr + result.stdout, (args, result.stderr)
        assert result.returncode == code, (args, result.returncode, result.stderr)
        if code == 1:
            assert "problem" in result.stderr or "bad parameters" in result.stderr, args
    assert (tmp_path / "utf8.csv").read_bytes() == GOOD["utf8.csv"]  # never overwritten


PARAMS_BAD = {
    "wage-in-hours.toml": ("staffing.order.monthly_wage_yuan", "h/day", "does not convert"),
    "unreadable-unit.toml": ("fees.rate_yuan_per_m2_month", "parsecs", "cannot read the unit"),
}


@pytest.mark.parametrize("name", sorted(PARAMS_BAD))
def test_unit_mismatched_parameters_are_errors(tmp_path: Path, name: str) -> None:
    import re
    from importlib import resources

    path_name, unit, fragment = PARAMS_BAD[name]
    text = resources.files("propfee.params").joinpath("data", "taiyuan.toml").read_text("utf-8")
    start = text.index(f'[values."{path_name}"]')
    text = text[:start] + re.sub(r'unit = "[^"]*"', f'unit = "{unit}"', text[start:], count=1)
    path = _write(tmp_path, name, text.encode("gbk"))
    with pytest.raises(ParameterError, match=f"{re.escape(path_name)}: .*{fragment}"):
        pf.params.load_parameters(path)


CELLS = st.one_of(
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
    st.sampled_from(["", " ", "NA", "null", "1e309", "-0", "1,000", "５０", "0x10", "1_000"]),
)


@given(households=st.lists(CELLS, min_size=1, max_size=5), area=st.lists(CELLS, min_size=5,
                                                                          max_size=5))
def test_generated_cells_are_read_exactly_or_refused(households, area) -> None:
    n = len(households)
    table = pd.DataFrame({"compound_id": [f"c{i}" for i in range(n)], "households": households,
                          "floor_area_m2": area[:n], "build_year": ["1990"] * n})
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\r\n")  # quotes a bare CR
    folder = Path(os.environ.get("TMPDIR", "/tmp"))
    path = folder / f"propfee-generated-{os.getpid()}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        frame = read_compounds(path)
    except InputError as exc:
        lines = [p.line for p in exc.problems]
    else:
        lines = None
    finally:
        path.unlink()
    if lines is not None:  # refused: every problem names a row of the table
        assert all(line is None or 2 <= line <= n + 1 for line in lines)
        return
    # Read: every value is exactly the number written (no default, no wrap-around).
    assert frame["households"].tolist() == [int(float(v)) for v in households]
    assert np.array_equal(frame["floor_area_m2"].to_numpy(), [float(v) for v in area[:n]])


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_write_leaves_the_previous_report(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"the previous report")
    code = (
        "import sys, propfee as pf\n"
        "from propfee.datasets import synthetic_district\n"
        "from propfee.io import write_budget\n"
        "budget = pf.evaluate_district(synthetic_district(4000, seed=1))\n"
        "print('writing', flush=True)\n"
        f"write_budget(budget, {str(target)!r})\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "writing"
    deadline = time.monotonic() + 300  # the workbook is built before its file is opened
    try:
        while not any(p.name.startswith(".report.") for p in tmp_path.iterdir()):
            assert time.monotonic() < deadline, "no temporary file seen"
            assert process.poll() is None, "the write ended before it could be killed"
            time.sleep(0.01)
        time.sleep(0.2)  # midway through the workbook
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"the previous report"


BASE = {"compound_id": ["a"], "households": [10], "floor_area_m2": [100.0], "build_year": [1990]}
FRAMES = {
    "zero rows": pd.DataFrame({k: [] for k in BASE}),
    "two households columns": pd.DataFrame(
        [["a", 10, 100.0, 1990, 5]],
        columns=["compound_id", "households", "floor_area_m2", "build_year", "households"]),
    "a list as households": pd.DataFrame({**BASE, "households": [[1, 2]]}),
    "a dict as name": pd.DataFrame({**BASE, "name": [{"a": 1}]}),
    "complex area": pd.DataFrame({**BASE, "floor_area_m2": [1 + 2j]}),
    "complex among objects": pd.DataFrame({**BASE, "floor_area_m2": pd.Series([1 + 2j],
                                                                              dtype=object)}),
    "uint64 past int64": pd.DataFrame({**BASE, "households": np.array([2**63 + 5],
                                                                      dtype=np.uint64)}),
    "10^30 households": pd.DataFrame({**BASE, "households": [10**30]}),
    "a date as build year": pd.DataFrame({**BASE, "build_year": [pd.Timestamp("1990-01-01")]}),
    "NA households": pd.DataFrame({**BASE, "households": pd.array([pd.NA], dtype="Int64")}),
    "True as households": pd.DataFrame({**BASE, "households": pd.Series([True], dtype=object)}),
    "no id": pd.DataFrame({**BASE, "compound_id": [None]}),
    "NUL in the street": pd.DataFrame({**BASE, "street": ["a\x00b"]}),
}


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_hostile_frames_are_typed_errors(name: str) -> None:
    with pytest.raises(InputError):
        pf.validate_compounds(FRAMES[name])
    with pytest.raises(InputError):
        pf.market_baseline_district(FRAMES[name])


VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                   st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5))


@given(households=VALUES, area=VALUES, name=VALUES, rate=VALUES)
def test_generated_compounds_are_kept_exactly_or_refused(households, area, name, rate) -> None:
    data = {"compound_id": "c", "households": households, "floor_area_m2": area,
            "build_year": 1990, "name": name, "fee_rate_yuan_per_m2_month": rate}
    try:
        compound = pf.Compound(**data)
    except InputError:
        return
    assert (compound.households, compound.floor_area_m2, compound.name,
            compound.fee_rate_yuan_per_m2_month) == (households, area, name, rate)
    result = pf.market_baseline(compound)
    assert np.isfinite(result.fee_billed_yuan)
    assert abs(result.fee_billed_yuan) < 2**53 / 100  # exact in fen
