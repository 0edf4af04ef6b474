"""Reading compound tables, plans and override tables from the files planners have.

:func:`read_compounds` reads what the person sees in the file (see
:mod:`propfee.io._sources` for how each format is read): it maps column headers to
propfee's names, in English or with the usual Chinese headers (小区名称, 户数,
建筑面积...), reads a unit written in the header (``建筑面积（万平方米）``,
``collection rate (%)``) and converts it, fills cells merged down a column from their
first cell where that is what the sheet shows (a street, a zone, a build year) and
refuses a merge where a fill would be a guess (households, areas, ids, or across
columns), and validates every row. Every problem is reported at once, named by its
cell as the spreadsheet shows it (``小区!C7 户数：应为正整数，实为 "一百"``, or ``row 7,
column 户数`` for a text file), sorted by row, in English or Chinese.

:func:`read_plan` reads a plan JSON file and :func:`read_table` a small CSV table (per-
compound overrides) in any of the encodings :func:`propfee._encoding.decode` knows.
Each file kind has a size limit, named in the message when a file is over it.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.compound import COMPOUND_COLUMNS, ColumnSpec, _validate
from propfee.errors import InputError, Problem
from propfee.io._formula import column_letter
from propfee.io._sources import (
    MAX_INPUT_BYTES,
    RawColumn,
    RawTable,
    read_bytes,
    read_raw,
    text_of,
)
from propfee.labels import Language, message

if TYPE_CHECKING:
    from propfee.plan import Plan

__all__ = [
    "HEADER_ALIASES",
    "MAX_INPUT_BYTES",
    "MAX_PLAN_BYTES",
    "MAX_PLAN_NUMBER",
    "MAX_TABLE_BYTES",
    "read_compounds",
    "read_plan",
    "read_sheet",
    "read_table",
]

MAX_PLAN_BYTES: Final = 4 * 1024**2
"""Largest plan file read. [bytes] (a plan, with explicit bundles for a district of a
thousand compounds, takes well under 100 kB)."""
MAX_TABLE_BYTES: Final = 256 * 1024**2
"""Largest override table read. [bytes]"""
MAX_PLAN_NUMBER: Final = 1e12
"""Largest number in size a plan file may hold: no price, use or rate of a plan comes
near it, and a larger one (a price of 1e300) would make amounts no fen can hold. [1]"""

_UNIT_IN_HEADER = re.compile(r"^(?P<base>.*?)\s*[\(（\[]\s*(?P<unit>[^\)）\]]*)\s*[\)）\]]\s*$")
_SPECS: Final = {c.name: c for c in COMPOUND_COLUMNS}


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

Derived from :data:`~propfee.compound.COMPOUND_COLUMNS`: each column's name, its aliases
and its English and Chinese labels, so a template or a report reads back.
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
_UNIT_OF: Final = {c.name: c.unit for c in COMPOUND_COLUMNS}
_PERCENT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*[%％]\s*$")
_ADDITIVE_UNITS: Final = frozenset(
    {"households", "m2", "buildings", "units", "lifts", "gates", "spaces", "persons"})
"""Units of columns that count or measure a compound: a cell merged over several rows
could be each row's value or their total, so it is refused, never filled."""
_TOTAL_WORDS: Final = frozenset({"合计", "总计", "小计", "合 计", "总 计", "total", "totals",
                                 "sum", "grand total", "subtotal"})


def read_compounds(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    mapping: Mapping[str, str] | None = None,
    encoding: str | None = None,
    lang: Language = "en",
) -> pd.DataFrame:
    """Read and validate a compound table from CSV, Excel or Parquet.

    Parameters
    ----------
    path
        The file (``.csv``, ``.xlsx`` or ``.parquet``).
    sheet
        Excel sheet name or position (0 is the first); default: the active sheet if it
        is visible (the one Excel opens on), else the first visible sheet.
    mapping
        Extra header -> column mappings, taking precedence over :data:`HEADER_ALIASES`
        (e.g. ``{"旧名": "households"}``).
    encoding
        Text encoding of a CSV file (e.g. ``"gbk"``); default: detected (UTF-8 with or
        without a byte-order mark, UTF-16 or UTF-32 with or without one, else GB18030).
    lang
        Language of the problems reported: ``"en"`` or ``"zh"``.

    Returns
    -------
    pandas.DataFrame
        The validated compound table (columns of
        :data:`propfee.compound.COMPOUND_COLUMNS`); ``attrs["sheet"]`` names the sheet
        read (workbooks) and ``attrs["read_as"]`` how the file was read.

    Raises
    ------
    propfee.errors.InputError
        For a missing, empty, oversized or unreadable file (an encrypted workbook, an
        ``.xls`` file or a web page under an ``.xlsx`` name are named as such), a sheet
        that does not exist, unknown headers (with the closest known one), two headers
        for one column, unknown units, Parquet columns that are not numbers or text,
        formulas that cannot be computed, merged cells that cannot be filled, a totals
        row, and every bad cell, each named by its cell (``Sheet1!C7``) or its row and
        column (``row 7, column 户数``).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "c.csv").write_text("小区编号,户数,建筑面积,建成年份\\nA1,一百,4200,1986\\n",
    ...                                   encoding="utf-8")
    >>> try:
    ...     read_compounds(folder / "c.csv", lang="zh")
    ... except InputError as exc:
    ...     print(exc.problems[0].text("zh"))
    第 2 行，户数列：应为正整数，实为 "一百"
    """
    path = Path(path)
    what = message("in_file", lang, path=path)
    raw = read_raw(path, sheet=sheet, encoding=encoding, what=what, lang=lang)
    problems: list[Problem] = []
    extra: dict[str, str] = {}
    for header, column in (mapping or {}).items():
        if column not in _UNIT_OF:
            close = difflib.get_close_matches(column, list(_UNIT_OF), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(Problem(None, "mapping", f"{header}={column}",
                                    message("not_a_column", lang, column=column, hint=hint),
                                    code="not_a_column"))
            continue
        extra[str(header).strip().lower()] = column
    columns, where, column_problems = _map_headers(raw, {**HEADER_ALIASES, **extra}, lang)
    problems += column_problems
    problems += [_formula_where(p, raw, where) for p in raw.problems]
    problems += _merge(raw, columns, where, lang)
    if problems:
        raise InputError(problems, what=what, lang=lang)
    if not columns and not raw.columns:
        raise InputError([Problem(None, "file", None, message("empty_sheet", lang),
                                  sheet=raw.sheet, code="empty_sheet")], what=what, lang=lang)
    frame = pd.DataFrame(columns)
    lines = raw.lines
    blank = frame.isna().all(axis=1).to_numpy(dtype=bool) if len(frame.columns) else None
    if blank is not None and blank.any():  # empty rows (often below an Excel table)
        frame, lines = frame[~blank], lines[~blank]
    if "compound_id" in frame:
        frame["compound_id"] = frame["compound_id"].map(_id_text)
        totals = _totals_rows(frame["compound_id"])
        if len(totals):
            spot = where["compound_id"]
            raise InputError([_at(Problem(str(frame["compound_id"].iloc[i]), "compound_id",
                                          None, message("totals_row", lang,
                                                        value=frame["compound_id"].iloc[i]),
                                          line=int(lines[i]), code="totals_row"), raw, spot)
                              for i in totals], what=what, lang=lang)
    try:
        table = _validate(frame, lines=lines, source=str(path))
    except InputError as exc:
        located = [_at(_rephrase(p, lang), raw, where.get(p.field)) for p in exc.problems]
        raise InputError(_in_file_order(located, where), what=what, lang=lang) from None
    out = table.frame
    out.attrs["sheet"] = raw.sheet
    out.attrs["read_as"] = raw.how
    return out


def _at(problem: Problem, raw: RawTable, spot: RawColumn | None) -> Problem:
    """The problem with its sheet, its column's letter and header if known, and the
    cell's value as the file has it (``0.42`` under 万平方米, not 4200.0)."""
    header = None if spot is None else _header_text(spot.header)
    letter = column_letter(spot.position) if spot is not None and raw.letters else None
    if raw.sheet is None and spot is None and problem.line is None:
        return problem
    value = problem.value
    if problem.code in ("merged_amount", "merged_id", "totals_row", "missing"):
        value = None  # the message names it
    elif spot is not None and problem.line is not None and value is not None and len(
            spot.cells):
        at = int(np.searchsorted(raw.lines, problem.line))
        if at < len(raw.lines) and raw.lines[at] == problem.line and at < len(spot.cells):
            given = spot.cells.iloc[at]
            if given is not None and not (isinstance(given, float) and np.isnan(given)):
                value = given
    return replace(problem, sheet=raw.sheet, column=letter, header=header, value=value)


def _in_file_order(problems: list[Problem], where: dict[str, RawColumn]) -> list[Problem]:
    """Problems by row, then by the column's place in the file; a missing floor area is
    not repeated where the floor area cell itself is named."""
    named = {(p.line, p.field) for p in problems if p.code != "no_area"}
    kept = [p for p in problems if p.code != "no_area" or not (
        (p.line, "floor_area_m2") in named or (p.line, "floor_area_m2_per_household") in named)]

    def order(problem: Problem) -> tuple[int, int]:
        spot = where.get(problem.field)
        return (-1 if problem.line is None else problem.line,
                spot.position if spot is not None else 0)

    return sorted(kept, key=order)


def _header_text(header: Any) -> str:
    return "" if header is None else str(header).strip()


def _map_headers(raw: RawTable, aliases: dict[str, str], lang: Language) -> tuple[
        dict[str, pd.Series], dict[str, RawColumn], list[Problem]]:
    """Columns by propfee name (units converted), where each came from, and problems."""
    problems: list[Problem] = []
    columns: dict[str, pd.Series] = {}
    where: dict[str, RawColumn] = {}
    for column in raw.columns:
        text = _header_text(column.header)
        values = column.cells
        spot = _Spot(raw, column)
        if not text:
            if bool(values.isna().all()) or bool(values.map(
                    lambda v: isinstance(v, str) and not v.strip()).all()):
                continue  # an empty column without a header (trailing separators)
            problems.append(spot.problem("", message("no_header", lang), "no_header"))
            continue
        if text.startswith("Unnamed: ") and bool(values.isna().all()):
            continue
        unit = None
        name = aliases.get(text.lower())
        found = _UNIT_IN_HEADER.match(text)
        if found:  # a unit in the header counts, also when the whole header is mapped
            unit = found.group("unit").strip().lower()
            name = name or aliases.get(found.group("base").strip().lower())
        if name is None:
            problems.append(spot.problem(text, _unknown_header(text, lang), "unknown_column"))
            continue
        if name in columns:
            problems.append(spot.problem(text, message("second_column", lang, name=name),
                                         "second_column"))
            continue
        if unit is not None:
            own = {_UNIT_OF[name].lower(): 1.0}  # the column's own unit, e.g. x [m]
            factor = {**own, **_UNITS.get(_UNIT_OF[name], {})}.get(unit)
            if factor is None:
                known = ", ".join(_UNITS.get(_UNIT_OF[name], {})) or _UNIT_OF[name]
                problems.append(spot.problem(text, message("unknown_unit", lang, name=name,
                                                           known=known), "unknown_unit",
                                             value=unit))
                continue
            values = _scaled(values, factor, percent=_UNIT_OF[name] == "1")
        elif _UNIT_OF[name] == "1":
            values = _scaled(values, 1.0, percent=True)
        columns[name] = values
        where[name] = column
    return columns, where, problems


class _Spot:
    """Problems about a whole column, named by its header cell."""

    def __init__(self, raw: RawTable, column: RawColumn) -> None:
        self.raw, self.column = raw, column

    def problem(self, field: str, text: str, code: str, value: Any = None) -> Problem:
        raw = self.raw
        letter = column_letter(self.column.position) if raw.letters else None
        return Problem(None, field or column_letter(self.column.position), value, text,
                       line=raw.header_line if raw.letters else None, sheet=raw.sheet,
                       column=letter, header=_header_text(self.column.header) or None,
                       code=code)


def _formula_where(problem: Problem, raw: RawTable, where: dict[str, RawColumn]) -> Problem:
    """A formula problem with its column's header and name."""
    for name, column in where.items():
        if raw.letters and column_letter(column.position) == problem.column:
            return replace(problem, field=name, header=_header_text(column.header))
    for column in raw.columns:
        if column_letter(column.position) == problem.column:
            return replace(problem, header=_header_text(column.header) or None)
    return problem


def _merge(raw: RawTable, columns: dict[str, pd.Series], where: dict[str, RawColumn],
           lang: Language) -> list[Problem]:
    """Fill cells merged down a column from their first cell, in place; problems for
    merges where a fill would be a guess."""
    if not raw.merges:
        return []
    by_position = {column.position: name for name, column in where.items()}
    first_data = raw.header_line + 1
    problems: list[Problem] = []
    for top, left, bottom, right in raw.merges:
        if bottom < raw.header_line:
            continue  # a title above the table
        span = f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"
        name = by_position.get(left)
        column = where.get(name) if name is not None else next(
            (c for c in raw.columns if c.position == left), None)
        spot = RawColumn(column.header if column else None, left, pd.Series(dtype=object))
        at = _MergeSpot(raw, spot, name, top, span, lang)
        covered = [by_position[p] for p in range(left + 1, right + 1) if p in by_position]
        if top <= raw.header_line:
            if bottom > raw.header_line:
                problems.append(at.problem("merged_header"))
            elif covered:
                problems.append(at.problem("merged_across"))
            continue
        if covered:
            problems.append(at.problem("merged_across"))
            continue
        if name is None or bottom == top:
            continue
        values = columns[name]
        start, stop = top - first_data, min(bottom - first_data + 1, len(values))
        if start < 0 or start >= len(values):
            continue
        anchor = values.iloc[start]
        if anchor is None or (isinstance(anchor, float) and np.isnan(anchor)):
            continue
        if name == "compound_id":
            problems.append(at.problem("merged_id", anchor, first=top, last=bottom))
        elif _SPECS[name].unit in _ADDITIVE_UNITS:
            problems.append(at.problem("merged_amount", anchor, first=top, last=bottom,
                                       shown=anchor))
        else:
            filled = values.astype(object).copy()
            filled.iloc[start:stop] = [anchor] * (stop - start)
            columns[name] = filled
    return problems


class _MergeSpot:
    """Problems about one merged range, named by its first cell."""

    def __init__(self, raw: RawTable, spot: RawColumn, name: str | None, top: int, span: str,
                 lang: Language) -> None:
        self.raw, self.spot, self.name, self.top = raw, spot, name, top
        self.span, self.lang = span, lang

    def problem(self, code: str, value: Any = None, **values: Any) -> Problem:
        field = self.name or column_letter(self.spot.position)
        text = message(code, self.lang, range=self.span, **values)
        return _at(Problem(None, field, value, text, line=self.top, code=code), self.raw,
                   self.spot)


def _totals_rows(ids: pd.Series) -> list[int]:
    """Rows whose id reads as a totals row (合计, Total)."""
    text = ids.astype(object).where(ids.notna(), "").astype(str).str.strip().str.lower()
    return [int(i) for i in np.flatnonzero(text.isin(_TOTAL_WORDS).to_numpy(dtype=bool))]


def _rule(spec: ColumnSpec, lang: Language) -> tuple[str, str]:
    """A numeric column's rule in words, from its declaration: (code, message)."""
    low, high = spec.lower, spec.upper
    b = spec.bound_text
    if spec.name == "collection_rate":
        return "rule_share", message("rule_share", lang)
    whole = spec.kind == "int"
    if low == 0 and spec.lower_open:
        code = "rule_positive_int" if whole else "rule_positive"
        return code, message(code, lang)
    if low == 0:
        code = "rule_nonneg_int" if whole else "rule_nonneg"
        return code, message(code, lang)
    if low is not None and high is not None:
        code = "rule_int_between" if whole else "rule_between"
        return code, message(code, lang, low=b(low), high=b(high))
    if low is not None and whole:
        return "rule_int_from", message("rule_int_from", lang, low=b(low))
    return "rule_number", message("rule_number", lang)


def _rephrase(problem: Problem, lang: Language) -> Problem:
    """A validation problem in the words of the column's rule, in the chosen language."""
    spec = _SPECS.get(problem.field)
    text = problem.message
    code: str | None = None
    out: str | None = None
    if spec is not None and spec.kind != "str" and (
            text in ("not a number", "must be a whole number", "must be finite")
            or re.fullmatch(r"must be >=? \S+", text)):
        code, out = _rule(spec, lang)
    elif spec is not None and spec.upper is not None and re.fullmatch(r"must be <= \S+", text):
        code, out = _rule(spec, lang)
        if code in ("rule_positive_int", "rule_positive", "rule_nonneg_int", "rule_nonneg"):
            code, out = "at_most", message("at_most", lang, high=spec.bound_text(spec.upper))
    elif text.startswith("too close to 0"):
        code, out = "subnormal", message("subnormal", lang, tiny=np.finfo(np.float64).tiny)
    elif text == "missing value":
        code, out = "missing", message("missing", lang)
    elif text.startswith("longer than") and spec is not None and spec.upper is not None:
        code, out = "too_long", message("too_long", lang, limit=spec.bound_text(spec.upper))
    elif text == "holds a control character":
        code, out = "control", message("control", lang)
    elif text == "not text":
        code, out = "not_text", message("not_text", lang)
    elif text.startswith("duplicate id"):
        code, out = "duplicate_id", message("duplicate_id", lang)
    elif text.startswith("give floor_area_m2"):
        code, out = "no_area", message("no_area", lang)
    elif (found := re.fullmatch(r"disagrees with .* = (.*)", text)) is not None:
        code, out = "area_disagrees", message("area_disagrees", lang, derived=found.group(1))
    elif (found := re.fullmatch(r"x households = (\S+) m2, must be <= (\S+)", text)) is not None:
        code, out = "area_too_big", message("area_too_big", lang, derived=found.group(1),
                                            limit=found.group(2))
    elif text == "missing column":
        code, out = "missing_column", message("missing_column", lang)
    elif text == "the table has no rows":
        code, out = "no_rows", message("no_rows", lang)
    if out is None:
        return problem
    value = None if code in ("missing", "no_area", "missing_column", "no_rows") else (
        problem.value)
    return replace(problem, message=out, code=code, value=value)


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
    Booleans are never numbers: they stay, and validation names them.
    """
    flags = values.map(lambda v: isinstance(v, bool | np.bool_)) if values.dtype == object \
        else pd.Series(False, index=values.index)
    numeric = pd.to_numeric(values.where(~flags), errors="coerce")
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


def _unknown_header(header: str, lang: Language = "en") -> str:
    close = difflib.get_close_matches(header.strip().lower(), list(HEADER_ALIASES), n=1,
                                      cutoff=0.6)
    hint = ""
    if close:
        hint = message("did_you_mean", lang, close=close[0], column=HEADER_ALIASES[close[0]])
    shown = header if len(header) <= 40 else header[:30] + "…"
    return message("unknown_column", lang, hint=hint, header=shown)


def read_plan(path: str | Path, *, lang: Language = "en") -> Plan:
    """Read a plan from a JSON file, in any encoding :func:`propfee._encoding.decode` knows.

    Parameters
    ----------
    path
        The plan file (UTF-8 with or without a byte-order mark, UTF-16, GBK...).
    lang
        Language of the file problems (the plan's own problems are in English).

    Returns
    -------
    propfee.plan.Plan

    Raises
    ------
    propfee.errors.InputError
        For a missing, oversized (over :data:`MAX_PLAN_BYTES`) or undecodable file, and
        for every problem of the plan, naming the file.
    """
    from propfee.plan import Plan

    path = Path(path)
    what = message("in_plan", lang, path=path)
    data = read_bytes(path, what, lang, limit=MAX_PLAN_BYTES, hint="too_big_hint_plan")
    text, _ = text_of(data, None, what, lang)
    text = text.lstrip("\ufeff")
    huge = _huge_numbers(text)
    if huge:
        raise InputError([Problem(None, path, value, message("plan_number", lang,
                                                            limit=MAX_PLAN_NUMBER),
                                  code="plan_number") for path, value in huge],
                         what=what, lang=lang)
    try:
        return Plan.from_json(text)
    except InputError as exc:
        raise InputError(exc.problems, what=what, lang=lang) from None


def _huge_numbers(text: str) -> list[tuple[str, float]]:
    """The paths and values of numbers beyond :data:`MAX_PLAN_NUMBER` in a JSON text
    (none when the text is not JSON: the plan's own validation names that)."""
    import json

    try:
        data = json.loads(text, parse_constant=float)
    except (ValueError, RecursionError):
        return []
    found: list[tuple[str, float]] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            if not abs(value) <= MAX_PLAN_NUMBER:  # NaN too
                found.append((path or "(plan)", float(value) if isinstance(value, float)
                              or abs(value) < 1e300 else float("inf")))
        elif isinstance(value, dict):
            stack.extend((f"{path}.{key}" if path else str(key), item)
                         for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), item)
                         for i, item in enumerate(value))
    return sorted(found)


def read_table(path: str | Path, *, what: str | None = None, encoding: str | None = None,
               lang: Language = "en") -> pd.DataFrame:
    """Read a small CSV table (per-compound overrides) in any encoding.

    Parameters
    ----------
    path
        The ``.csv`` file (at most :data:`MAX_TABLE_BYTES`).
    what
        The file as messages name it (default ``"overrides file <path>"``).
    encoding
        Text encoding; default: detected.
    lang
        Language of the messages.

    Returns
    -------
    pandas.DataFrame
        The table, numbers parsed as pandas does.

    Raises
    ------
    propfee.errors.InputError
        For a missing, oversized, undecodable or ragged file, naming it.
    """
    path = Path(path)
    what = what or message("in_overrides", lang, path=path)
    data = read_bytes(path, what, lang, limit=MAX_TABLE_BYTES)
    text, _ = text_of(data, encoding, what, lang)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError([Problem(None, "file", None, message("empty", lang), code="empty")],
                         what=what, lang=lang)
    try:
        return pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(
            exc).__name__
        raise InputError([Problem(None, "file", None, message("bad_table", lang,
                                                              reason=reason),
                                  code="bad_table")], what=what, lang=lang) from None


def read_sheet(path: str | Path, *, sheet: str | int | None = None,
               encoding: str | None = None, what: str | None = None,
               lang: Language = "en") -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """Read any table a planner keeps (observations, a work-order log, bundles) as the
    person sees it: the cells under their headers, and the spreadsheet row of each.

    The file is read as a compound file is (encodings, the visible sheet, formulas,
    merged cells, Parquet types: :mod:`propfee.io.readers`), but its headers are kept as
    typed, for the caller to map.

    Parameters
    ----------
    path
        A ``.csv``, ``.xlsx`` or ``.parquet`` file.
    sheet
        The sheet (a name or a 0-based number); default: the active visible sheet.
    encoding
        Text encoding; default: detected.
    what
        The file as messages name it (default ``"file <path>"``).
    lang
        Language of the messages.

    Returns
    -------
    tuple
        The table (one column per header, cells as read) and the spreadsheet row of each
        data row; for a workbook ``attrs["letters"]`` holds each column's letter.

    Raises
    ------
    propfee.errors.InputError
        For a missing, empty, oversized, unreadable or mistyped file, naming it.
    """
    path = Path(path)
    what = what or f"file {path}"
    raw = read_raw(path, sheet=sheet, encoding=encoding, what=what, lang=lang)
    if raw.problems:
        raise InputError(raw.problems, what=what, lang=lang)
    frame = pd.DataFrame({str(c.header) if c.header is not None else f"Unnamed: {c.position}":
                          c.cells.reset_index(drop=True) for c in raw.columns})
    if raw.letters:
        frame.attrs["letters"] = [column_letter(c.position) for c in raw.columns]
    return frame, np.asarray(raw.lines, dtype=np.int64)
