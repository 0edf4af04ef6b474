"""Files in and out: compounds from CSV, Excel or Parquet; budgets to CSV, Excel or JSON.

Reading decodes text files in UTF-8 (with or without a byte-order mark), GB18030/GBK
(what Excel saves on a Chinese Windows PC) or UTF-16, maps column headers to
propfee's names, in English or with the usual Chinese headers (小区名称, 户数,
建筑面积...), reads a unit written in the header (``建筑面积（万平方米）``,
``collection rate (%)``) and converts it, and validates every row, reporting all
problems at once with the row as the spreadsheet shows it (the first data row is 2).

Writing is atomic (a temporary file in the same folder, then a replace), so an
interrupted write leaves the previous file intact. Spreadsheet formats (``.csv``,
``.xlsx``) neutralise text cells that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-``, ``@``, tab or carriage return) by prefixing ``'``; CSV quotes
every field holding a carriage return or line feed. JSON is written as it is.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee._atomic import atomic_path, atomic_paths, check_target
from propfee._encoding import decode
from propfee._optional import require
from propfee.compound import COMPOUND_COLUMNS, _validate
from propfee.errors import InputError, Problem, UsageError
from propfee.labels import Language, label, label_table

if TYPE_CHECKING:
    from propfee.budget import DistrictBudget

__all__ = [
    "EXCEL_MAX_ROWS",
    "HEADER_ALIASES",
    "budget_paths",
    "check_budget_target",
    "neutralise_formulas",
    "read_compounds",
    "write_budget",
    "write_table",
    "write_template",
]

EXCEL_MAX_ROWS: Final = 1_048_576
"""Rows of one Excel sheet, the header row included."""

_UNIT_IN_HEADER = re.compile(r"^(?P<base>.*?)\s*[\(（\[]\s*(?P<unit>[^\)）\]]*)\s*[\)）\]]\s*$")


def _label_base(label: str) -> str:
    found = _UNIT_IN_HEADER.match(label)
    return (found.group("base") if found else label).strip().lower()


HEADER_ALIASES: Final[dict[str, str]] = {
    **{_label_base(label): c.name for c in COMPOUND_COLUMNS
       for label in (c.label_zh, c.label_en)},
    **{alias: c.name for c in COMPOUND_COLUMNS for alias in c.aliases},
    **{c.name: c.name for c in COMPOUND_COLUMNS},
}
"""Header (lower case, unit removed) -> propfee column name.

Derived from :data:`COMPOUND_COLUMNS`: each column's name, its aliases and its English
and Chinese labels, so a template or a report reads back.
"""

# Units a header may carry, per unit of a column: unit text -> factor to propfee's unit.
_UNITS: Final[dict[str, dict[str, float]]] = {
    "m2": {"m2": 1.0, "m²": 1.0, "㎡": 1.0, "平方米": 1.0, "10k m2": 1e4, "万平方米": 1e4,
           "万㎡": 1e4, "ha": 1e4, "hectare": 1e4, "公顷": 1e4},
    "1": {"1": 1.0, "%": 0.01, "percent": 0.01, "百分比": 0.01},
    "m": {"m": 1.0, "米": 1.0, "km": 1e3, "千米": 1e3, "公里": 1e3},
    "yuan/(m2 month)": {"yuan/m2/month": 1.0, "yuan/(m2 month)": 1.0, "元/平方米/月": 1.0,
                        "元/㎡/月": 1.0, "元/平方米·月": 1.0},
}
_UNITS["m2/household"] = _UNITS["m2"]
_UNIT_OF = {c.name: c.unit for c in COMPOUND_COLUMNS}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PERCENT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*[%％]\s*$")


def _problem(path: Path, message: str, value: Any = None) -> InputError:
    return InputError([Problem(None, "file", value, message)], what=f"compound file {path}")


def _read_any(
    path: Path, sheet: str | int | None, encoding: str | None
) -> tuple[pd.DataFrame, str]:
    """The raw table of a file (every cell as read) and how it was read."""
    if not path.exists():
        raise _problem(path, "no such file")
    if path.is_dir():
        raise _problem(path, "is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet"):
        raise _problem(path, "read .csv, .xlsx or .parquet files", path.suffix)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _problem(path, f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise _problem(path, "the file is empty")
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_text_table(path, data, encoding)
    if suffix in (".xlsx", ".xlsm"):
        require("openpyxl", feature="reading Excel files", extra="excel")
        if not data.startswith(b"PK\x03\x04"):
            hint = "; it looks like text: save it as .csv" if b"," in data[:2000] else ""
            raise _problem(path, f"not an Excel workbook{hint}")
        try:
            frame = pd.read_excel(io.BytesIO(data), sheet_name=0 if sheet is None else sheet,
                                  dtype=object)
        except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
            raise _problem(path, f"cannot read the workbook: {_first_line(exc)}") from None
        return frame, "Excel"
    require("pyarrow", feature="reading Parquet files", extra="parquet")
    try:
        return pd.read_parquet(io.BytesIO(data)), "Parquet"
    except Exception as exc:  # pyarrow raises its own ArrowInvalid / OSError family
        raise _problem(path, f"not a readable Parquet file: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def _read_text_table(path: Path, data: bytes, encoding: str | None) -> tuple[pd.DataFrame, str]:
    try:
        text, used = decode(data, encoding)
    except LookupError:
        raise _problem(path, "unknown encoding; try utf-8, gb18030 or utf-16",
                       encoding) from None
    except UnicodeDecodeError as exc:
        how = f"as {encoding}" if encoding else "as UTF-8, UTF-16 or GB18030"
        raise _problem(path, f"cannot decode the text {how} (byte {exc.start}); pass the "
                             "encoding (--encoding)") from None
    if not text.strip():
        raise _problem(path, "the file is empty")
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    sep = max((",", "\t", ";"), key=lambda c: (header.count(c), c == ","))
    try:
        with warnings.catch_warnings():  # more cells than headers: an error, never data lost
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), dtype=object, sep=sep, keep_default_na=False,
                                na_values=[""], skip_blank_lines=False, index_col=False)
    except pd.errors.ParserWarning:
        raise _problem(path, "the rows have more cells than the header has names") from None
    except pd.errors.ParserError as exc:
        message = _first_line(exc)
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
        if found:
            message = (f"row {found.group(2)} has {found.group(3)} cells but the header has "
                       f"{found.group(1)}")
        raise _problem(path, message) from None
    except pd.errors.EmptyDataError:
        raise _problem(path, "the file is empty") from None
    return frame, used


def read_compounds(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    mapping: Mapping[str, str] | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read and validate a compound table from CSV, Excel or Parquet.

    Parameters
    ----------
    path
        The file (``.csv``, ``.xlsx`` or ``.parquet``).
    sheet
        Excel sheet name or number (default: the first).
    mapping
        Extra header -> column mappings, taking precedence over :data:`HEADER_ALIASES`
        (e.g. ``{"旧名": "households"}``).
    encoding
        Text encoding of a CSV file (e.g. ``"gbk"``); default: detected (UTF-8 with or
        without a byte-order mark, UTF-16 with one, else GB18030).

    Returns
    -------
    pandas.DataFrame
        The validated compound table (columns of :data:`propfee.compound.COMPOUND_COLUMNS`).

    Raises
    ------
    propfee.errors.InputError
        For a missing, empty or unreadable file, unknown headers (with the closest known
        one), two headers for one column, unknown units, and every bad row, named by its
        spreadsheet row (the first data row is 2).
    """
    path = Path(path)
    raw, _ = _read_any(path, sheet, encoding)
    where = f"compound file {path}"
    problems: list[Problem] = []
    extra: dict[str, str] = {}
    for header, column in (mapping or {}).items():
        if column not in _UNIT_OF:
            close = difflib.get_close_matches(column, list(_UNIT_OF), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(Problem(None, "mapping", f"{header}={column}",
                                    f"{column!r} is not a compound column{hint}"))
            continue
        extra[str(header).strip().lower()] = column
    aliases = {**HEADER_ALIASES, **extra}
    columns: dict[str, pd.Series] = {}
    for header in raw.columns:
        text = str(header).strip()
        values = raw[header]
        if text.startswith("Unnamed: ") and bool(values.isna().all()):
            continue  # an empty column without a header (trailing separators)
        unit = None
        name = aliases.get(text.lower())
        m = _UNIT_IN_HEADER.match(text)
        if m:  # a unit in the header counts, also when the whole header is mapped
            unit = m.group("unit").strip().lower()
            name = name or aliases.get(m.group("base").strip().lower())
        if name is None:
            problems.append(Problem(None, str(header), None, _unknown_header(str(header))))
            continue
        if name in columns:
            problems.append(Problem(None, str(header), None, f"a second column for {name!r}"))
            continue
        if unit is not None:
            own = {_UNIT_OF[name].lower(): 1.0}  # the column's own unit, e.g. x [m]
            factor = {**own, **_UNITS.get(_UNIT_OF[name], {})}.get(unit)
            if factor is None:
                known = ", ".join(_UNITS.get(_UNIT_OF[name], {})) or _UNIT_OF[name]
                problems.append(Problem(None, str(header), unit,
                                        f"unknown unit for {name!r}; known: {known}"))
                continue
            values = _scaled(values, factor, percent=_UNIT_OF[name] == "1")
        elif _UNIT_OF[name] == "1":
            values = _scaled(values, 1.0, percent=True)
        columns[name] = values
    if problems:
        raise InputError(problems, what=where)
    frame = pd.DataFrame(columns)
    blank = frame.isna().all(axis=1).to_numpy(dtype=bool) if len(frame.columns) else None
    lines = np.arange(len(frame)) + 2
    if blank is not None and blank.any():  # empty rows (often below an Excel table)
        frame, lines = frame[~blank], lines[~blank]
    if "compound_id" in frame:
        frame["compound_id"] = frame["compound_id"].map(_id_text)
    return _validate(frame, lines=lines, source=str(path)).frame


def _id_text(value: Any) -> Any:
    """An id cell as text: Excel's 101.0 is ``"101"``; missing stays missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def _scaled(values: pd.Series, factor: float, *, percent: bool) -> pd.Series:
    """Numbers times ``factor``; any other text is kept as it is.

    Text that is not a number stays, so validation names it (never a default). With
    ``percent`` (a rate column), ``"95%"`` is read as 0.95 whatever the header's unit.
    """
    numeric = pd.to_numeric(values, errors="coerce")
    text = values.notna() & numeric.isna()
    if percent and text.any():
        shares = values[text].map(_percent)
        numeric = numeric.astype(np.float64)
        numeric[shares.index] = shares / factor
        text = values.notna() & numeric.isna()
    if factor != 1.0:
        numeric = pd.Series(_decimal_round(numeric.to_numpy(dtype=np.float64) * factor),
                            index=numeric.index)
    if not text.any():
        return numeric
    out = values.astype(object).copy()
    good = ~text & values.notna()
    out[good] = numeric[good]
    return out


def _decimal_round(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Values rounded to 12 significant digits: 0.42 x 10,000 is 4200.0, not 4200.000000000001.

    Examples
    --------
    >>> _decimal_round(np.array([0.42 * 1e4, 65 * 0.01, 0.0, np.nan])).tolist()
    [4200.0, 0.65, 0.0, nan]
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        magnitude = np.floor(np.log10(np.abs(values)))
        scale = np.where(np.isfinite(magnitude), 10.0 ** (11 - magnitude), 1.0)
        rounded = np.round(values * scale) / scale
    return np.where(np.isfinite(rounded), rounded, values)


def _percent(value: Any) -> float:
    """``"95%"`` as 0.95; anything else NaN."""
    found = _PERCENT.match(value) if isinstance(value, str) else None
    return float(found.group(1)) / 100 if found else np.nan


def _unknown_header(header: str) -> str:
    close = difflib.get_close_matches(header.strip().lower(), list(HEADER_ALIASES), n=1,
                                      cutoff=0.6)
    hint = ""
    if close:
        column = HEADER_ALIASES[close[0]]
        hint = f"did you mean {close[0]!r} ({column})? "
    return (f"unknown column; {hint}map it with --column '{header}=COLUMN' "
            "(mapping={header: column} in Python)")


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells that a spreadsheet would run as a formula are made inert.

    A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
    leading ``'``; numbers are left alone.

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"name": ["=1+1", "Yard", "-x"]}))["name"].tolist()
    ["'=1+1", 'Yard', "'-x"]
    """
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    if out.index.dtype == object:
        out.index = out.index.map(
            lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    out.columns = [("'" + c) if isinstance(c, str) and c.startswith(_FORMULA_START) else c
                   for c in out.columns]
    return out


def _tables(budget: DistrictBudget, lang: Language | None) -> dict[str, pd.DataFrame]:
    from propfee.report import channel_contributions, summarise_budget

    raw = {
        "summary": summarise_budget(budget).reset_index(),
        "contributions": channel_contributions(budget).reset_index(),
        "compounds": budget.compounds,
        "lines": budget.lines,
        "by_street": budget.totals_by("street").reset_index(),
        "by_zone": budget.totals_by("zone").reset_index(),
    }
    if lang is None:
        return raw
    raw["contributions"] = raw["contributions"].assign(
        step=raw["contributions"]["step"].map(lambda s: label(str(s), lang)))
    return {name: label_table(table, lang) for name, table in raw.items()}


def budget_paths(path: str | Path) -> tuple[Path, ...]:
    """Every file :func:`write_budget` writes for ``path``.

    Examples
    --------
    >>> [p.name for p in budget_paths("r.csv")], [p.name for p in budget_paths("r.xlsx")]
    (['r.csv', 'r_lines.csv'], ['r.xlsx'])
    """
    target = Path(path)
    if target.suffix.lower() == ".csv":
        return (target, target.with_name(f"{target.stem}_lines.csv"))
    return (target,)


def check_budget_target(
    path: str | Path, *, rows: Mapping[str, int] | None = None, inputs: tuple[Path, ...] = ()
) -> tuple[Path, ...]:
    """Check, before any work, that a budget can be written to ``path``.

    Parameters
    ----------
    path
        The target file (``.csv``, ``.xlsx`` or ``.json``).
    rows
        Expected rows per table (e.g. ``{"compounds": n, "lines": m}``), checked against
        Excel's sheet limit for ``.xlsx``.
    inputs
        Files the command reads, never to be written over.

    Returns
    -------
    tuple of pathlib.Path
        Every file that will be written (see :func:`budget_paths`).

    Raises
    ------
    propfee.errors.UsageError
        For another format, a missing folder, an input file as target, or a table
        beyond the sheet limit (naming the way out).
    """
    target = Path(path)
    if target.suffix.lower() not in (".csv", ".xlsx", ".json"):
        raise UsageError(f"cannot write {target}: write .csv, .xlsx or .json files")
    paths = budget_paths(target)
    for each in paths:
        check_target(each, inputs=inputs)
    if target.suffix.lower() == ".xlsx":
        for name, n in (rows or {}).items():
            if n + 1 > EXCEL_MAX_ROWS:
                raise UsageError(
                    f"cannot write {target}: the {name} table has {n:,} rows and an Excel "
                    f"sheet holds {EXCEL_MAX_ROWS - 1:,} below its header; write .csv or "
                    ".json instead (no row limit)")
    return paths


def write_budget(
    budget: DistrictBudget, path: str | Path, *, labels: Language | None = "en"
) -> Path:
    """Write a district budget to CSV, Excel or JSON, labelled in English or Chinese.

    - ``.xlsx``: the report of :func:`propfee.excel.write_budget_workbook` (a sheet per
      table, formats per unit, totals rows, print setup, charts); a table beyond Excel's
      1,048,576 rows is refused before anything is written;
    - ``.csv``: the compound table, plus ``<name>_lines.csv`` with the lines (see
      :func:`budget_paths`);
    - ``.json``: every table as a list of records, text as it is (no formula prefix).

    Every file is written atomically: an interrupted write leaves the previous file.

    Parameters
    ----------
    budget
        Output of :func:`propfee.evaluate_district`.
    path
        Target file.
    labels
        ``"en"`` or ``"zh"`` for labelled headers and codes; ``None`` for propfee's
        column names (for other programs).

    Returns
    -------
    pathlib.Path
        The file written (for ``.csv`` also its ``_lines.csv`` sibling).

    Raises
    ------
    propfee.errors.UsageError
        For another format, a missing folder or a sheet beyond Excel's limit.
    """
    target = Path(path)
    raw = _tables(budget, labels)
    check_budget_target(target, rows={k: len(v) for k, v in raw.items()})
    suffix = target.suffix.lower()
    if suffix == ".json":
        with atomic_path(target) as temp:
            temp.write_text(json.dumps(
                {k: json.loads(v.to_json(orient="records", force_ascii=False))
                 for k, v in raw.items()}, ensure_ascii=False, indent=1), encoding="utf-8")
        return target
    tables = {k: neutralise_formulas(v) for k, v in raw.items()}
    if suffix == ".csv":
        lines_path = budget_paths(target)[1]
        with atomic_paths(target, lines_path) as (temp, temp_lines):
            _write_csv(tables["compounds"], temp)
            _write_csv(tables["lines"], temp_lines)
    else:
        from propfee.excel import write_budget_workbook

        with atomic_path(target) as temp:
            write_budget_workbook(budget, temp, labels=labels)
    return target


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    """CSV for spreadsheets: UTF-8 with a byte-order mark, CRLF rows (fields with CR or LF
    are quoted)."""
    table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n",
                 quoting=csv.QUOTE_MINIMAL)


def write_template(path: str | Path, *, labels: Language = "en") -> Path:
    """Write an empty compound sheet with the right columns, and a sheet describing them.

    Headers, units, bounds and descriptions come from :data:`COMPOUND_COLUMNS`. The
    file is written atomically.

    Parameters
    ----------
    path
        ``.xlsx`` (the compound sheet with data validation and an instructions sheet, see
        :func:`propfee.excel.write_template_workbook`) or ``.csv`` (headers only).
    labels
        Header language: ``"en"`` (propfee names) or ``"zh"`` (Chinese headers with units).

    Raises
    ------
    propfee.errors.UsageError
        For another format or a missing folder.
    """
    target = Path(path)
    if target.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError(f"cannot write {target}: write .xlsx or .csv files")
    check_target(target)
    headers = [c.label_zh if labels == "zh" else c.name for c in COMPOUND_COLUMNS]
    empty = pd.DataFrame(columns=headers)
    if target.suffix.lower() == ".csv":
        with atomic_path(target) as temp:
            _write_csv(empty, temp)
        return target
    from propfee.excel import write_template_workbook

    with atomic_path(target) as temp:
        write_template_workbook(temp, labels=labels)
    return target


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write one result table to CSV for spreadsheets, atomically, formulas neutralised.

    Parameters
    ----------
    table
        Any result table (e.g. a bundling assignment or a funding table).
    path
        Target ``.csv`` file.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    propfee.errors.UsageError
        For another format or a missing folder.
    """
    target = Path(path)
    if target.suffix.lower() != ".csv":
        raise UsageError(f"cannot write {target}: write a .csv file")
    check_target(target)
    with atomic_path(target) as temp:
        _write_csv(neutralise_formulas(table), temp)
    return target
