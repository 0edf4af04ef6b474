"""Small tables in and out (bundle lists, distance matrices): CSV or Excel, as planners save them.

Text files are decoded as :mod:`propfee._encoding` does (UTF-8 with or without a mark,
UTF-16, GB18030); the separator is the comma, tab or semicolon the header uses most.
Cells are read as text, never guessed into numbers, so an id such as ``007`` stays
``007``. Writing is atomic, CSV in UTF-8 with a byte-order mark (Excel opens it in the
right encoding), text cells that a spreadsheet would run as formulas neutralised.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from propfee._atomic import atomic_path, check_target
from propfee._encoding import decode
from propfee._optional import require
from propfee.errors import InputError, Problem, UsageError

__all__ = ["FIRST_DATA_ROW", "file_error", "read_table", "write_table"]

FIRST_DATA_ROW = 2
"""The spreadsheet row of the first data row (the header is row 1)."""

_TEXT = (".csv", ".txt", ".tsv")
_EXCEL = (".xlsx", ".xlsm")


def file_error(path: Path, what: str, message: str, value: object = None) -> InputError:
    """An :class:`~propfee.errors.InputError` about a whole file."""
    return InputError([Problem(None, "file", value, message)], what=f"{what} {path}")


def read_table(path: str | Path, *, what: str, encoding: str | None = None) -> pd.DataFrame:
    """Every cell of a CSV or Excel table as text (``None`` where empty).

    Parameters
    ----------
    path
        A ``.csv`` (``.txt``, ``.tsv``) or ``.xlsx`` (``.xlsm``) file; Excel files are
        read from their first sheet.
    what
        What the file holds, for messages (``"bundle file"``).
    encoding
        A codec to use instead of detecting one (text files).

    Returns
    -------
    pandas.DataFrame
        Column names as in the header (stripped); row ``i`` is spreadsheet row
        ``i + FIRST_DATA_ROW``. Cells are stripped strings or ``None``.

    Raises
    ------
    propfee.errors.InputError
        Naming the file: missing, a folder, another format, empty, undecodable, or rows
        longer than the header.
    propfee.errors.MissingExtraError
        For an Excel file without the ``excel`` extra.
    """
    target = Path(path)
    if not target.exists():
        raise file_error(target, what, "no such file")
    if target.is_dir():
        raise file_error(target, what, "is a folder, not a file")
    suffix = target.suffix.lower()
    if suffix not in _TEXT + _EXCEL:
        raise file_error(target, what, "read .csv or .xlsx files", target.suffix)
    data = target.read_bytes()
    if not data.strip():
        raise file_error(target, what, "the file is empty")
    if suffix in _EXCEL:
        require("openpyxl", feature="reading Excel files", extra="excel")
        if not data.startswith(b"PK\x03\x04"):
            raise file_error(target, what, "not an Excel workbook")
        try:
            frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=object, header=0)
        except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
            raise file_error(target, what,
                             f"cannot read the workbook: {str(exc).splitlines()[0][:200]}"
                             ) from None
    else:
        try:
            text, _ = decode(data, encoding)
        except LookupError:
            raise file_error(target, what, "unknown encoding; try utf-8, gb18030 or utf-16",
                             encoding) from None
        except UnicodeDecodeError as exc:
            raise file_error(target, what, f"cannot decode the text (byte {exc.start}); "
                                           "give its encoding") from None
        header = text.lstrip("\ufeff").split("\n", 1)[0]
        sep = max((",", "\t", ";"), key=lambda c: (header.count(c), c == ","))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)
                frame = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str, sep=sep,
                                    keep_default_na=False, skip_blank_lines=False,
                                    index_col=False)
        except (pd.errors.ParserWarning, pd.errors.ParserError):
            raise file_error(target, what, "the rows have more cells than the header has "
                                           "names") from None
        except pd.errors.EmptyDataError:
            raise file_error(target, what, "the file is empty") from None
    cells = frame.to_numpy(dtype=object)
    out = pd.DataFrame(np.empty(cells.shape, dtype=object),
                       columns=[str(c).strip() for c in frame.columns])
    for j in range(cells.shape[1]):
        column = np.empty(cells.shape[0], dtype=object)
        column[:] = [_cell(v) for v in cells[:, j]]
        out.iloc[:, j] = column
    return out


def _cell(value: object) -> str | None:
    """A cell as stripped text; ``None`` where empty. Whole floats from Excel lose ``.0``."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table to ``.csv`` or ``.xlsx``, atomically, formulas neutralised.

    Parameters
    ----------
    table
        The table (no index is written).
    path
        Target file.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    propfee.errors.UsageError
        For another format or a missing folder.
    """
    from propfee.io import neutralise_formulas

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UsageError(f"cannot write {target}: write .csv or .xlsx files")
    check_target(target)
    safe = neutralise_formulas(table)
    with atomic_path(target) as temp:
        if suffix == ".csv":
            safe.to_csv(temp, index=False, encoding="utf-8-sig", lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
        else:
            require("openpyxl", feature="writing Excel files", extra="excel")
            safe.to_excel(temp, index=False, engine="openpyxl")
    return target
