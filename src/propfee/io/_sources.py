"""Raw tables from files, as the person who made them sees them.

A :class:`RawTable` holds the columns of a file with their headers as typed, the
position of each column (its letter in a workbook) and the spreadsheet row of each
data row, so that every problem found later names its cell. Nothing here knows what
a compound is: :mod:`propfee.io.readers` maps and validates.

- Text files (``.csv``, ``.txt``, ``.tsv``) are decoded by
  :func:`propfee._encoding.decode` and split on the separator their header uses.
- Workbooks (``.xlsx``, ``.xlsm``) are read through openpyxl's streaming reader: the
  sheet asked for, else the active sheet if it is visible (but the template's 小区 /
  compounds sheet when the active one is its 示例, 现状 or 填写说明 sheet, so a workbook
  saved there never has its example read), else the first visible one; formula cells
  take the value Excel stored, else the value of a simple formula
  (:mod:`propfee.io._formula`), else a problem naming the cell; merged ranges are kept
  for the reader to fill or refuse. An encrypted workbook, an ``.xls`` file or a web
  page under an ``.xlsx`` name is named as what it is.
- Parquet columns must hold numbers or text: binary strings are decoded as UTF-8 (or
  refused), durations, timestamps, dates, booleans, lists and structs are refused
  naming the column.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee._encoding import decode
from propfee._optional import require
from propfee.errors import InputError, Problem
from propfee.io._formula import FormulaError, column_letter, evaluate
from propfee.labels import Language, message

__all__ = ["MAX_INPUT_BYTES", "MAX_UNPACKED_BYTES", "RawColumn", "RawTable", "read_bytes",
           "read_raw", "text_of"]

MAX_INPUT_BYTES: Final = 2 * 1024**3
"""Largest table file read. [bytes] (a district of a million compounds is about 150 MB
as CSV)."""
MAX_UNPACKED_BYTES: Final = 8 * 1024**3
"""Largest total a workbook may unpack to (a small file that unpacks to terabytes is
refused). [bytes]"""

TEXT_SUFFIXES: Final = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES: Final = (".xlsx", ".xlsm")
_OLE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MERGE: Final = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z0-9$:]+)\"")
_FORMULA_TAG: Final = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass
class RawColumn:
    """One column of a file: its header as typed, its position and its cells.

    Attributes
    ----------
    header
        The header cell as the file has it (text, or a number in a workbook).
    position
        The column's number in the sheet (1 is column A). [1]
    cells
        The data cells, one per data row (object values as read).
    """

    header: Any
    position: int
    cells: pd.Series


@dataclass
class RawTable:
    """A file's table before mapping: columns, rows and where they are.

    Attributes
    ----------
    columns
        The columns, in file order.
    lines
        The spreadsheet row of each data row (the header row is ``header_line``).
    header_line
        The row of the header. [1]
    sheet
        The sheet read (workbooks), else ``None``.
    letters
        Whether cells are named by column letter (workbooks) or by header (text files).
    merges
        Merged ranges as ``(top, left, bottom, right)`` (1-based, workbooks only).
    problems
        Problems already found in cells (formulas that cannot be computed).
    how
        How the file was read (``"Excel"``, ``"Parquet"`` or the text encoding).
    """

    columns: list[RawColumn]
    lines: npt.NDArray[np.int64]
    header_line: int = 1
    sheet: str | None = None
    letters: bool = False
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    how: str = ""


def _fail(what: str, code: str, lang: Language, value: Any = None, **values: Any) -> InputError:
    return InputError([Problem(None, "file", value, message(code, lang, **values), code=code)],
                      what=what, lang=lang)


def read_bytes(path: Path, what: str, lang: Language, *, limit: int,
               hint: str = "too_big_hint_table") -> bytes:
    """The bytes of a file, or an :class:`InputError` naming what is wrong with it.

    Parameters
    ----------
    path
        The file.
    what
        The file as the message names it (``"compound file x.csv"``).
    lang
        Language of the message.
    limit
        Largest size read. [bytes]
    hint
        Message code of the way out when the file is larger.
    """
    if not path.exists():
        raise _fail(what, "no_file", lang)
    if path.is_dir():
        raise _fail(what, "is_folder", lang)
    try:
        size = path.stat().st_size
        if size > limit:
            raise _fail(what, "too_big", lang, size=size, limit=limit,
                        hint=message(hint, lang))
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _fail(what, "cannot_read", lang, reason=exc.strerror or str(exc)) from None
    if len(data) > limit:  # grew while read (or a special file)
        raise _fail(what, "too_big", lang, size=len(data), limit=limit,
                    hint=message(hint, lang))
    return data


def text_of(data: bytes, encoding: str | None, what: str, lang: Language) -> tuple[str, str]:
    """Decoded text and the encoding used, or an :class:`InputError` that says which
    encoding to pass."""
    try:
        return decode(data, encoding)
    except LookupError:
        raise _fail(what, "unknown_encoding", lang, encoding=repr(encoding)) from None
    except UnicodeDecodeError as exc:
        how = encoding if encoding else ("UTF-8, UTF-16 or GB18030" if lang == "en"
                                         else "UTF-8、UTF-16 或 GB18030")
        raise _fail(what, "cannot_decode", lang, how=how, byte=exc.start) from None


def read_raw(path: Path, *, sheet: str | int | None, encoding: str | None, what: str,
             lang: Language) -> RawTable:
    """The raw table of a compound file (see the module docstring).

    Raises
    ------
    propfee.errors.InputError
        For a missing, empty, oversized, unreadable or mistyped file, naming it.
    """
    suffix = path.suffix.lower()
    if not path.exists():
        raise _fail(what, "no_file", lang)
    if path.is_dir():
        raise _fail(what, "is_folder", lang)
    if suffix == ".xls":
        return _read_workbook(read_bytes(path, what, lang, limit=MAX_INPUT_BYTES), suffix,
                              sheet, what, lang)
    if suffix not in (*TEXT_SUFFIXES, *EXCEL_SUFFIXES, ".parquet"):
        raise _fail(what, "bad_suffix", lang, value=path.suffix)
    data = read_bytes(path, what, lang, limit=MAX_INPUT_BYTES)
    if not data.strip():
        raise _fail(what, "empty", lang)
    if suffix in TEXT_SUFFIXES:
        return _read_text(data, encoding, what, lang)
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(data, suffix, sheet, what, lang)
    return _read_parquet(data, what, lang)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


# --- Text -----------------------------------------------------------------------------

def _read_text(data: bytes, encoding: str | None, what: str, lang: Language) -> RawTable:
    text, used = text_of(data, encoding, what, lang)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise _fail(what, "empty", lang)
    header = text.split("\n", 1)[0]
    sep = max((",", "\t", ";"), key=lambda c: (header.count(c), c == ","))
    try:
        with warnings.catch_warnings():  # more cells than headers: an error, never data lost
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), dtype=object, sep=sep, keep_default_na=False,
                                na_values=[""], skip_blank_lines=False, index_col=False,
                                header=None)
    except pd.errors.ParserWarning:  # pragma: no cover - header=None gives an error instead
        raise _fail(what, "ragged_more", lang) from None
    except pd.errors.ParserError as exc:
        reason = _first_line(exc)
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", reason)
        if found:
            raise _fail(what, "ragged_row", lang, row=found.group(2), cells=found.group(3),
                        header=found.group(1)) from None
        raise _fail(what, "bad_table", lang, reason=reason) from None
    except pd.errors.EmptyDataError:
        raise _fail(what, "empty", lang) from None
    if len(frame) == 0:
        raise _fail(what, "empty", lang)
    heads = frame.iloc[0].tolist()
    body = frame.iloc[1:].reset_index(drop=True)
    columns = [RawColumn("" if pd.isna(h) else str(h), j + 1, body[body.columns[j]])
               for j, h in enumerate(heads)]
    lines = np.arange(len(body), dtype=np.int64) + 2
    return RawTable(columns, lines, 1, None, False, how=used)


# --- Workbooks --------------------------------------------------------------------------

def _entry(name: str) -> bytes:
    """The start of a compound file's directory entry for a stream called ``name``: its
    name in UTF-16, padded to 64 bytes, and the name's length with its terminator."""
    return name.encode("utf-16-le").ljust(64, b"\0") + (len(name) * 2 + 2).to_bytes(2, "little")


def _ole_kind(data: bytes) -> str:
    """What an OLE2 compound file (the container of old Office files) holds, from the
    names of its streams."""
    if _entry("EncryptionInfo") in data or _entry("EncryptedPackage") in data:
        return "encrypted"
    if _entry("Workbook") in data or _entry("Book") in data:
        return "xls_renamed"
    return "ole_file"


def _not_a_workbook(data: bytes, suffix: str, what: str, lang: Language) -> InputError:
    head = data[:4096].lstrip().lower()
    if data.startswith(_OLE):
        kind = _ole_kind(data)
        if kind == "xls_renamed" and suffix == ".xls":
            kind = "xls_file"
        return _fail(what, kind, lang, suffix=suffix)
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or (
            head.startswith(b"<?xml") and b"<html" in head):
        return _fail(what, "html_file", lang, suffix=suffix)
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in (
            data[:65536]):
        return _fail(what, "xls_renamed", lang, suffix=suffix)
    try:
        text, _ = decode(data[:65536])
    except (UnicodeDecodeError, LookupError):
        text = ""
    if text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) >= 0.95 * len(text):
        return _fail(what, "looks_text", lang)
    return _fail(what, "not_excel", lang)


def _read_workbook(data: bytes, suffix: str, sheet: str | int | None, what: str,
                   lang: Language) -> RawTable:
    if not data.startswith(b"PK\x03\x04"):
        raise _not_a_workbook(data, suffix, what, lang)
    require("openpyxl", feature="reading Excel files", extra="excel")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _fail(what, "bad_workbook", lang, reason=_first_line(exc)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _fail(what, "workbook_too_big", lang, size=unpacked, limit=MAX_UNPACKED_BYTES)
    book = _open(data, what, lang, data_only=True)
    try:
        ws = _choose_sheet(book, sheet, what, lang)
        title = str(ws.title)
        path = str(ws._worksheet_path)
        merges, has_formulas = _scan_sheet(archive, path)
        try:
            rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl raises many kinds on a damaged sheet
            raise _fail(what, "bad_workbook", lang, reason=_first_line(exc)) from None
    finally:
        book.close()
    formulas: dict[tuple[int, int], str] = {}
    if has_formulas:
        formulas = _formula_cells(data, title, rows, what, lang)
    problems: list[Problem] = []
    if formulas:
        rows, problems = _computed(rows, formulas, title, lang)
    return _grid_table(rows, title, merges, problems)


def _open(data: bytes, what: str, lang: Language, *, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # extensions openpyxl does not keep: not our concern
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise _fail(what, "bad_workbook", lang, reason=_first_line(exc)) from None


_TEMPLATE_DATA_SHEETS: Final = frozenset({"小区", "compounds"})
"""The template's compound sheet, in either language (compared folded)."""
_TEMPLATE_SIDE_SHEETS: Final = frozenset({"现状", "currentstate", "示例", "example", "填写说明",
                                          "instructions"})
"""The template's other sheets: never read as the compound table unless asked for."""


def _fold(name: str) -> str:
    """A sheet name compared loosely: no spaces, lower case."""
    return "".join(name.split()).casefold()


def _choose_sheet(book: Any, sheet: str | int | None, what: str, lang: Language) -> Any:
    """The sheet asked for; else the active sheet if visible (but the template's
    compound sheet when the active one is its example, current-state or instructions
    sheet); else the first visible one."""
    sheets = list(book.worksheets)
    names = [str(s.title) for s in sheets]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(sheets):
            return sheets[sheet]
        raise _fail(what, "no_sheet", lang, sheet=sheet, names=_listed(names))
    if sheet is not None:
        for s in sheets:
            if str(s.title) == sheet:
                return s
        for s in sheets:
            if str(s.title).strip().casefold() == str(sheet).strip().casefold():
                return s
        raise _fail(what, "no_sheet", lang, sheet=repr(sheet), names=_listed(names))
    visible = [s for s in sheets if getattr(s, "sheet_state", "visible") == "visible"]
    try:
        active = book.active
    except (IndexError, AttributeError):
        active = None
    if active is not None and active in visible:
        if _fold(str(active.title)) in _TEMPLATE_SIDE_SHEETS:
            data = [s for s in visible if _fold(str(s.title)) in _TEMPLATE_DATA_SHEETS]
            if data:  # a template saved on its example or current-state sheet
                return data[0]
        return active
    if visible:
        return visible[0]
    raise _fail(what, "no_visible_sheet", lang)


def _listed(names: list[str], most: int = 10) -> str:
    shown = ", ".join(repr(n[:40]) for n in names[:most])
    return shown + (f", … ({len(names) - most} more)" if len(names) > most else "")


def _scan_sheet(archive: zipfile.ZipFile, path: str) -> tuple[
        list[tuple[int, int, int, int]], bool]:
    """The merged ranges of a sheet and whether it holds a formula, read from its XML in
    pieces (a large sheet is never held whole)."""
    merges: list[tuple[int, int, int, int]] = []
    formulas = False
    carry = b""
    try:
        with archive.open(path.lstrip("/")) as handle:
            while chunk := handle.read(1 << 20):
                text = carry + chunk
                formulas = formulas or _FORMULA_TAG.search(text) is not None
                end = text.rfind(b"<")
                keep = text[end:] if end >= 0 and b">" not in text[end:] else b""
                for found in _MERGE.finditer(text[: len(text) - len(keep)]):
                    span = _range(found.group(1).decode("ascii"))
                    if span is not None:
                        merges.append(span)
                carry = keep[-4096:]
    except (KeyError, zipfile.BadZipFile, OSError):
        return [], True
    return merges, formulas


def _range(ref: str) -> tuple[int, int, int, int] | None:
    from propfee.io._formula import column_number

    found = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?", ref)
    if found is None:
        return None
    c1, r1 = column_number(found.group(1)), int(found.group(2))
    c2 = column_number(found.group(3)) if found.group(3) else c1
    r2 = int(found.group(4)) if found.group(4) else r1
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _formula_cells(data: bytes, title: str, rows: list[tuple[Any, ...]], what: str,
                   lang: Language) -> dict[tuple[int, int], str]:
    """Formula cells that hold no stored value: ``(row, column) -> formula``."""
    book = _open(data, what, lang, data_only=False)
    out: dict[tuple[int, int], str] = {}
    try:
        ws = book[title]
        for r, row in enumerate(ws.iter_rows(), start=1):
            for cell in row:
                if getattr(cell, "data_type", None) != "f":
                    continue
                c = int(cell.column)
                stored = rows[r - 1][c - 1] if r - 1 < len(rows) and c - 1 < len(
                    rows[r - 1]) else None
                if stored is None:
                    value = cell.value
                    out[(r, c)] = value if isinstance(value, str) else (
                        f"={getattr(value, 'text', value)}")
    except Exception as exc:  # openpyxl raises many kinds on a damaged sheet
        raise _fail(what, "bad_workbook", lang, reason=_first_line(exc)) from None
    finally:
        book.close()
    return out


def _computed(rows: list[tuple[Any, ...]], formulas: dict[tuple[int, int], str], title: str,
              lang: Language) -> tuple[list[tuple[Any, ...]], list[Problem]]:
    """The rows with each formula cell's value computed, and a problem per formula that
    cannot be."""
    from propfee.io._formula import MAX_DEPTH

    values: dict[tuple[int, int], Any] = {}
    failed: dict[tuple[int, int], str] = {}
    busy: list[tuple[int, int]] = []

    def lookup(r: int, c: int) -> Any:
        key = (r, c)
        if key in formulas:
            if key in failed:
                raise FormulaError(f"it uses {column_letter(c)}{r}, which cannot be computed",
                                   f"它引用的 {column_letter(c)}{r} 无法计算")
            if key not in values:
                if key in busy:
                    raise FormulaError("a circular reference", "循环引用")
                if len(busy) >= MAX_DEPTH:
                    raise FormulaError(f"formulas nested more than {MAX_DEPTH} deep",
                                       f"公式嵌套超过 {MAX_DEPTH} 层")
                busy.append(key)
                try:
                    values[key] = evaluate(formulas[key], lookup)
                finally:
                    busy.pop()
            return values[key]
        if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
            return rows[r - 1][c - 1]
        return None

    problems: list[Problem] = []
    for key in sorted(formulas):
        try:
            lookup(*key)
        except FormulaError as exc:
            failed[key] = exc.zh if lang == "zh" else str(exc)
    out = [list(row) for row in rows]
    for (r, c), value in values.items():
        out[r - 1][c - 1] = value
    for (r, c), reason in failed.items():
        out[r - 1][c - 1] = None
        formula = formulas[(r, c)]
        problems.append(Problem(None, "formula", None,
                                message("formula", lang, reason=reason, formula=formula[:60]),
                                line=r, sheet=title, column=column_letter(c), code="formula"))
    return [tuple(row) for row in out], problems


def _grid_table(rows: list[tuple[Any, ...]], title: str,
                merges: list[tuple[int, int, int, int]], problems: list[Problem]) -> RawTable:
    """A workbook's rows as a raw table: the header is the first non-empty row, unless
    that row is a title (one cell, merged across columns) above the header."""
    def filled(row: tuple[Any, ...]) -> list[int]:
        return [j for j, v in enumerate(row) if v is not None and str(v).strip() != ""]

    header_index = next((i for i, row in enumerate(rows) if filled(row)), None)
    if header_index is None:
        return RawTable([], np.zeros(0, dtype=np.int64), 1, title, True, merges, problems,
                        "Excel")
    cells = filled(rows[header_index])
    title_merge = any(top == header_index + 1 and left == cells[0] + 1 and right > left
                      and bottom == top for top, left, bottom, right in merges)
    if len(cells) == 1 and title_merge:
        later = next((i for i in range(header_index + 1, len(rows)) if filled(rows[i])), None)
        if later is not None:
            header_index = later
    width = max((len(r) for r in rows), default=0)
    header = rows[header_index]
    body = rows[header_index + 1:]
    columns = []
    for j in range(width):
        values = pd.Series([row[j] if j < len(row) else None for row in body], dtype=object)
        head = header[j] if j < len(header) else None
        columns.append(RawColumn(head, j + 1, values))
    lines = np.arange(len(body), dtype=np.int64) + header_index + 2
    return RawTable(columns, lines, header_index + 1, title, True, merges, problems, "Excel")


# --- Parquet ---------------------------------------------------------------------------

def _read_parquet(data: bytes, what: str, lang: Language) -> RawTable:
    require("pyarrow", feature="reading Parquet files", extra="parquet")
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises its own ArrowInvalid / OSError family
        raise _fail(what, "bad_parquet", lang, reason=_first_line(exc)) from None
    problems: list[Problem] = []
    columns: list[RawColumn] = []
    for j, name in enumerate(table.column_names, start=1):
        chunked = table.column(j - 1)
        kind = chunked.type
        if pa.types.is_dictionary(kind):
            chunked = chunked.cast(kind.value_type)
            kind = kind.value_type
        values, problem = _parquet_values(chunked, kind, str(name), lang)
        if problem is not None:
            problems.append(problem)
            continue
        columns.append(RawColumn(str(name), j, values))
    if problems:
        raise InputError(problems, what=what, lang=lang)
    lines = np.arange(table.num_rows, dtype=np.int64) + 2
    return RawTable(columns, lines, 1, None, False, how="Parquet")


def _parquet_values(chunked: Any, kind: Any, name: str, lang: Language
                    ) -> tuple[pd.Series, Problem | None]:
    """A Parquet column as values, or the problem of a type that is not numbers or text."""
    import pyarrow as pa

    t = pa.types
    if t.is_string(kind) or t.is_large_string(kind) or t.is_string_view(kind):
        return chunked.to_pandas(), None
    if t.is_binary(kind) or t.is_large_binary(kind) or t.is_fixed_size_binary(kind) or (
            t.is_binary_view(kind)):
        raw = chunked.to_pylist()
        out: list[Any] = []
        for i, value in enumerate(raw):
            if value is None:
                out.append(None)
                continue
            try:
                out.append(bytes(value).decode("utf-8"))
            except UnicodeDecodeError:
                return pd.Series(dtype=object), Problem(
                    None, name, bytes(value)[:40], message("binary_text", lang), line=i + 2,
                    header=name, code="binary_text")
        return pd.Series(out, dtype=object), None
    if t.is_integer(kind):
        return chunked.to_pandas(), None  # int64 (uint64 kept); float64 where nulls
    if t.is_floating(kind):
        return chunked.to_pandas().astype(np.float64), None
    if t.is_decimal(kind):
        return pd.Series([None if v is None else float(v) for v in chunked.to_pylist()],
                         dtype=object), None
    if t.is_null(kind):
        return pd.Series([None] * len(chunked), dtype=object), None
    described = _kind_name(kind, lang)
    return pd.Series(dtype=object), Problem(
        None, name, None, message("parquet_type", lang, kind=described), header=name,
        code="parquet_type")


def _kind_name(kind: Any, lang: Language) -> str:
    import pyarrow as pa

    t = pa.types
    names = [
        (t.is_duration, "durations (lengths of time", "时长"),
        (t.is_timestamp, "timestamps (dates and times", "日期时间"),
        (t.is_date, "dates (", "日期"),
        (t.is_time, "times of day (", "时刻"),
        (t.is_boolean, "booleans (true or false", "布尔值（是/否"),
        (t.is_interval, "intervals (", "时间间隔"),
        (t.is_list, "lists (", "列表"),
        (t.is_large_list, "lists (", "列表"),
        (t.is_struct, "structs (", "结构"),
        (t.is_map, "maps (", "映射"),
    ]
    for test, en, zh in names:
        if test(kind):
            if lang == "zh":
                return f"{zh}，{kind}）" if "（" in zh else f"{zh}（{kind}）"
            return f"{en}, {kind})" if not en.endswith("(") else f"{en}{kind})"
    return f"{kind}"

