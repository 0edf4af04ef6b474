"""Writing budgets and tables: CSV, Excel, JSON and Parquet, inert and atomic.

Every writer goes through one neutralising step, :func:`neutralise_formulas`: in a
spreadsheet format (``.csv``, ``.xlsx``) a text cell that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a
leading ``'``, in every text column of every table whatever its dtype (object, string
or categorical), in its index and in its headers. CSV quotes every field holding a
carriage return or line feed. JSON and Parquet are for other programs and keep every
text exactly as it is (an id stays ``=1+1``).

Writing is atomic (a temporary file in the same folder, then a replace), so an
interrupted write leaves the previous file intact; every output is checked before any
work (:func:`check_budget_target`), so a command never computes for minutes and then
fails on its output. A district's lines table grows with compounds times lines (about
58 lines a compound): a CSV or JSON of more than :data:`MAX_CSV_LINES` lines is refused
before the work, naming Parquet, which writes it compactly with a progress report.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from propfee._atomic import atomic_path, atomic_paths, check_target
from propfee._optional import require
from propfee.compound import COMPOUND_COLUMNS
from propfee.errors import UsageError
from propfee.labels import Language, label, label_table

if TYPE_CHECKING:
    from propfee.budget import DistrictBudget
    from propfee.excel.units import MoneyUnit
    from propfee.params.loader import ParameterFile
    from propfee.uncertainty.interval import Interval

__all__ = [
    "BUDGET_SUFFIXES",
    "EXCEL_MAX_ROWS",
    "FORMULA_START",
    "MAX_CSV_LINES",
    "budget_paths",
    "check_budget_target",
    "inert",
    "neutralise_formulas",
    "write_budget",
    "write_table",
    "write_template",
]

EXCEL_MAX_ROWS: Final = 1_048_576
"""Rows of one Excel sheet, the header row included."""

MAX_CSV_LINES: Final = 5_000_000
"""Most lines a budget's lines table may have in CSV or JSON (about 600 MB of CSV, a
minute to write); a larger one goes to Parquet. [rows]"""

BUDGET_SUFFIXES: Final = (".csv", ".xlsx", ".json", ".parquet")
BUDGET_TABLES: Final = ("summary", "contributions", "compounds", "lines", "by_street",
                        "by_zone")
"""The tables of a budget file, in the order a ``.json`` file holds them."""
"""The formats :func:`write_budget` writes."""

FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a text cell as a formula."""

_CHUNK_ROWS: Final = 500_000
"""Rows written at a time to CSV and Parquet (one progress step each)."""


def inert(value: Any) -> Any:
    """A cell value a spreadsheet shows as text: a formula-like text gets a leading ``'``.

    Examples
    --------
    >>> inert("=1+1"), inert("Yard"), inert(-1.5), inert("\\t@x")
    ("'=1+1", 'Yard', -1.5, "'\\t@x")
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _inert_values(values: pd.Index | pd.Series) -> Any:
    """Text values made inert, whatever the dtype; the same object when none needed it."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories = dtype.categories
        renamed = [inert(c) for c in categories]
        if renamed == list(categories):
            return values
        if len(set(renamed)) == len(renamed):
            if isinstance(values, pd.Series):
                return values.cat.rename_categories(renamed)
            return values.rename_categories(renamed)  # type: ignore[attr-defined]
        return values.astype(object).map(inert)
    if dtype == np.dtype(object) or pd.api.types.is_string_dtype(dtype):
        if not len(values):
            return values
        flags = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START))
        if not bool(flags.any()):
            return values
        return values.map(inert)
    return values


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells that a spreadsheet would run as a formula are made inert.

    A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
    leading ``'``, in every column whose values can be text (object, string or
    categorical: a categorical's categories are renamed, no row is touched), in the
    index and in the headers; numbers are left alone. Only columns that change are
    copied.

    Parameters
    ----------
    table
        Any table.

    Returns
    -------
    pandas.DataFrame
        The inert copy (same rows, same order).

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"name": ["=1+1", "Yard", "-x"]}))["name"].tolist()
    ["'=1+1", 'Yard', "'-x"]
    >>> ids = pd.Series(["=1+1", "A2"], dtype="category")
    >>> neutralise_formulas(pd.DataFrame({"compound_id": ids}))["compound_id"].tolist()
    ["'=1+1", 'A2']
    """
    changed = {}
    for position in range(len(table.columns)):
        series = table.iloc[:, position]
        inert_series = _inert_values(series)
        if inert_series is not series:
            changed[position] = inert_series
    out = table.copy(deep=False)
    for position, series in changed.items():
        out.isetitem(position, series)
    index = _inert_values(out.index) if not isinstance(out.index, pd.MultiIndex) else (
        out.index.set_levels([_inert_values(level) for level in out.index.levels]))
    if index is not out.index:
        out.index = index
    out.columns = [inert(c) for c in out.columns] if not isinstance(
        out.columns, pd.MultiIndex) else out.columns
    return out


def _tables(budget: DistrictBudget, lang: Language | None,
            names: tuple[str, ...] = BUDGET_TABLES) -> dict[str, pd.DataFrame]:
    """The tables ``names`` of a budget, labelled; only those are made (the channel
    credit of ``"contributions"`` runs the kernel 32 times over)."""
    from propfee.report import channel_contributions, summarise_budget

    make: dict[str, Callable[[], pd.DataFrame]] = {
        "summary": lambda: summarise_budget(budget).reset_index(),
        "contributions": lambda: channel_contributions(budget).reset_index(),
        "compounds": lambda: budget.compounds,
        "lines": lambda: budget.lines,
        "by_street": lambda: budget.totals_by("street").reset_index(),
        "by_zone": lambda: budget.totals_by("zone").reset_index(),
    }
    raw = {name: make[name]() for name in names}
    if lang is None:
        return raw
    if "contributions" in raw:
        raw["contributions"] = raw["contributions"].assign(
            step=raw["contributions"]["step"].map(lambda s: label(str(s), lang)))
    return {name: label_table(table, lang) for name, table in raw.items()}


def budget_paths(path: str | Path) -> tuple[Path, ...]:
    """Every file :func:`write_budget` writes for ``path``.

    Examples
    --------
    >>> [p.name for p in budget_paths("r.csv")], [p.name for p in budget_paths("r.xlsx")]
    (['r.csv', 'r_lines.csv'], ['r.xlsx'])
    >>> [p.name for p in budget_paths("r.parquet")]
    ['r.parquet', 'r_lines.parquet']
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix in (".csv", ".parquet"):
        return (target, target.with_name(f"{target.stem}_lines{target.suffix}"))
    return (target,)


def _size_text(rows: int) -> str:
    """About how large a lines CSV of ``rows`` rows is (140 bytes a row)."""
    size = rows * 140
    return f"about {size / 1e9:,.1f} GB" if size >= 1e9 else f"about {size / 1e6:,.0f} MB"


def check_budget_target(
    path: str | Path, *, rows: Mapping[str, int] | None = None, inputs: tuple[Path, ...] = (),
    lang: Language = "en",
) -> tuple[Path, ...]:
    """Check, before any work, that a budget can be written to ``path``.

    Parameters
    ----------
    path
        The target file (``.csv``, ``.xlsx``, ``.json`` or ``.parquet``).
    rows
        Expected rows per table (e.g. ``{"compounds": n, "lines": m}``), checked against
        Excel's sheet limit for ``.xlsx`` and :data:`MAX_CSV_LINES` for ``.csv`` and
        ``.json``.
    inputs
        Files the command reads, never to be written over.
    lang
        Language of the message.

    Returns
    -------
    tuple of pathlib.Path
        Every file that will be written (see :func:`budget_paths`).

    Raises
    ------
    propfee.errors.UsageError
        For another format, a missing folder, an input file as target, a name too long
        for the folder, or a table beyond the format's limit (naming the way out).
    """
    target = Path(path)
    zh = lang == "zh"
    suffix = target.suffix.lower()
    if suffix not in BUDGET_SUFFIXES:
        raise UsageError(f"无法写入 {target}：只能写 .csv、.xlsx、.json 或 .parquet 文件" if zh
                         else f"cannot write {target}: write .csv, .xlsx, .json or .parquet "
                              "files")
    paths = budget_paths(target)
    for each in paths:
        check_target(each, inputs=inputs, lang=lang)
    counts = dict(rows or {})
    if suffix == ".xlsx":
        for name, n in counts.items():
            if n + 1 > EXCEL_MAX_ROWS:
                raise UsageError(
                    f"无法写入 {target}：{name} 表有 {n:,} 行，Excel 工作表表头以下最多 "
                    f"{EXCEL_MAX_ROWS - 1:,} 行；请改写 .parquet 或 .csv" if zh else
                    f"cannot write {target}: the {name} table has {n:,} rows and an Excel "
                    f"sheet holds {EXCEL_MAX_ROWS - 1:,} below its header; write .csv or "
                    ".json instead (no row limit), or .parquet for a large district")
    if suffix in (".csv", ".json") and counts.get("lines", 0) > MAX_CSV_LINES:
        n = counts["lines"]
        other = target.with_suffix(".parquet")
        raise UsageError(
            f"不写入 {target}：项目明细将有约 {n:,} 行（{_size_text(n)}），超过 CSV/JSON 的上限 "
            f"{MAX_CSV_LINES:,} 行，写出要很久，表格软件也打不开；请改用 --out {other}"
            "（Parquet：紧凑且快，有进度条）" if zh else
            f"not writing {target}: its lines table would have about {n:,} rows "
            f"({_size_text(n)}), more than the {MAX_CSV_LINES:,} a {suffix[1:].upper()} "
            f"takes here: it would take long to write and no spreadsheet opens it; write "
            f"--out {other} instead (Parquet: compact and quick, with a progress bar)")
    return paths


def write_budget(
    budget: DistrictBudget, path: str | Path, *, labels: Language | None = "en",
    progress: Callable[[float], None] | None = None, unit: MoneyUnit = "wan",
    interval: Interval | None = None, tornado: pd.DataFrame | None = None,
    parameter_file: ParameterFile | None = None,
) -> Path:
    """Write a district budget to CSV, Excel, JSON or Parquet, labelled in English or Chinese.

    - ``.xlsx``: the report of :func:`propfee.excel.write_budget_workbook` (a sheet per
      table, formats per unit, totals rows, print setup, charts); a table beyond Excel's
      1,048,576 rows is refused before anything is written;
    - ``.csv``: the compound table, plus ``<name>_lines.csv`` with the lines (see
      :func:`budget_paths`); at most :data:`MAX_CSV_LINES` lines;
    - ``.parquet``: the compound table, plus ``<name>_lines.parquet`` with the lines,
      written a piece at a time (any number of lines), text as it is;
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
    progress
        Called with the share of the lines written (CSV and Parquet). [1]
    unit
        Money on the Excel report's summary: ``"wan"`` (万元) or ``"yuan"`` (元).
    interval
        The headline as intervals (:func:`propfee.interval`), stated on the Excel
        report's summary.
    tornado, parameter_file
        For the Excel report's assumptions sheet (see
        :func:`propfee.excel.write_budget_workbook`).

    Returns
    -------
    pathlib.Path
        The file written (for ``.csv`` and ``.parquet`` also its ``_lines`` sibling).

    Raises
    ------
    propfee.errors.UsageError
        For another format, a missing folder or a table beyond the format's limit.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    check_budget_target(target, rows={"compounds": len(budget.compounds)})
    if suffix == ".parquet":
        require("pyarrow", feature="writing Parquet files", extra="parquet")
    # .csv and .parquet hold the compounds and their lines only: the summary, the
    # channel credit and the totals are not made for them (the workbook makes its own
    # tables; of these two only the longest can pass a sheet's limit).
    raw = _tables(budget, labels, BUDGET_TABLES if suffix == ".json"
                  else ("compounds", "lines"))
    check_budget_target(target, rows={k: len(v) for k, v in raw.items()})
    if suffix == ".json":
        with atomic_path(target) as temp:
            temp.write_text(json.dumps(
                {k: json.loads(v.to_json(orient="records", force_ascii=False))
                 for k, v in raw.items()}, ensure_ascii=False, indent=1), encoding="utf-8")
        return target
    if suffix == ".parquet":
        lines_path = budget_paths(target)[1]
        with atomic_paths(target, lines_path) as (temp, temp_lines):
            _write_parquet(raw["compounds"], temp)
            _write_parquet(raw["lines"], temp_lines, progress)
        return target
    if suffix == ".csv":
        lines_path = budget_paths(target)[1]
        with atomic_paths(target, lines_path) as (temp, temp_lines):
            _write_csv(neutralise_formulas(raw["compounds"]), temp)
            _write_csv(neutralise_formulas(raw["lines"]), temp_lines, progress)
        return target
    from propfee.excel import write_budget_workbook

    with atomic_path(target) as temp:
        write_budget_workbook(budget, temp, labels=labels, unit=unit, interval=interval,
                              tornado=tornado, parameter_file=parameter_file)
    return target


def _write_csv(table: pd.DataFrame, path: Path,
               progress: Callable[[float], None] | None = None) -> None:
    """CSV for spreadsheets: UTF-8 with a byte-order mark, CRLF rows (fields with CR or LF
    are quoted), written a piece at a time. The table must already be inert."""
    n = len(table)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        if n <= _CHUNK_ROWS:
            table.to_csv(handle, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        else:
            for start in range(0, n, _CHUNK_ROWS):
                table.iloc[start:start + _CHUNK_ROWS].to_csv(
                    handle, index=False, header=start == 0, lineterminator="\r\n",
                    quoting=csv.QUOTE_MINIMAL)
                if progress is not None:
                    progress(min(start + _CHUNK_ROWS, n) / n)
    if progress is not None:
        progress(1.0)


def _write_parquet(table: pd.DataFrame, path: Path,
                   progress: Callable[[float], None] | None = None) -> None:
    """Parquet, a row group of at most :data:`_CHUNK_ROWS` rows at a time; categorical
    text stays dictionary-encoded (compact)."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    n = len(table)
    schema = pa.Schema.from_pandas(table.iloc[:0], preserve_index=False)
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for start in range(0, max(n, 1), _CHUNK_ROWS):
            part = table.iloc[start:start + _CHUNK_ROWS]
            writer.write_table(pa.Table.from_pandas(part, schema=schema, preserve_index=False))
            if progress is not None and n:
                progress(min(start + _CHUNK_ROWS, n) / n)
    if progress is not None:
        progress(1.0)


def write_template(path: str | Path, *, labels: Language = "en",
                   overwrite: bool = False) -> Path:
    """Write an empty compound sheet with the right columns, and a sheet describing them.

    Headers, units, bounds and descriptions come from
    :data:`~propfee.compound.COMPOUND_COLUMNS`. The file is written atomically, and never
    over an existing file unless asked: a filled sheet is not lost to a template.

    Parameters
    ----------
    path
        ``.xlsx`` (the compound sheet with data validation and an instructions sheet, see
        :func:`propfee.excel.write_template_workbook`) or ``.csv`` (headers only).
    labels
        Header language: ``"en"`` (propfee names) or ``"zh"`` (Chinese headers with units).
    overwrite
        Replace a file that exists.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    propfee.errors.UsageError
        For another format, a missing folder, or a file that exists (without
        ``overwrite``).
    """
    target = Path(path)
    zh = labels == "zh"
    if target.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError(f"无法写入 {target}：只能写 .xlsx 或 .csv 文件" if zh
                         else f"cannot write {target}: write .xlsx or .csv files")
    check_target(target, lang=labels)
    if target.exists() and not overwrite:
        raise UsageError(
            f"{target} 已存在，未改动；若要用空模板替换它（其中填写的内容将丢失），请加 --force"
            if zh
            else f"{target} exists and was left as it is; to replace it with an empty "
                 "template (what is filled in it would be lost), pass --force "
                 "(overwrite=True in Python)")
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


def write_table(table: pd.DataFrame, path: str | Path, *, lang: Language = "en") -> Path:
    """Write one result table to CSV for spreadsheets, atomically, formulas neutralised.

    Parameters
    ----------
    table
        Any result table (e.g. a bundling assignment or a funding table).
    path
        Target ``.csv`` file.
    lang
        Language of the messages.

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
        raise UsageError(f"无法写入 {target}：请写 .csv 文件" if lang == "zh"
                         else f"cannot write {target}: write a .csv file")
    check_target(target, lang=lang)
    with atomic_path(target) as temp:
        _write_csv(neutralise_formulas(table), temp)
    return target
