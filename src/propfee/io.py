"""Files in and out: compounds from CSV, Excel or Parquet; budgets to CSV, Excel or JSON.

Reading maps column headers to propfee's names, in English or with the usual Chinese
headers (小区名称, 户数, 建筑面积...), reads a unit written in the header (``建筑面积（万平方米）``,
``collection rate (%)``) and converts it, and validates every row, reporting all problems
at once. Writing neutralises text cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) by prefixing ``'``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from propfee._optional import require
from propfee.budget import DistrictBudget
from propfee.compound import COMPOUND_COLUMNS, validate_compounds
from propfee.errors import InputError, Problem
from propfee.labels import Language, label, label_table

__all__ = [
    "HEADER_ALIASES",
    "neutralise_formulas",
    "read_compounds",
    "write_budget",
    "write_template",
]

HEADER_ALIASES: Final[dict[str, str]] = {
    **{c.name: c.name for c in COMPOUND_COLUMNS},
    **{label(c.name, "zh").lower(): c.name for c in COMPOUND_COLUMNS},
    "id": "compound_id", "compound id": "compound_id", "小区编号": "compound_id",
    "编号": "compound_id", "小区代码": "compound_id",
    "compound": "name", "compound name": "name", "小区名称": "name", "名称": "name",
    "小区": "name",
    "household": "households", "户数": "households", "住户数": "households",
    "floor area": "floor_area_m2", "floor_area": "floor_area_m2", "建筑面积": "floor_area_m2",
    "总建筑面积": "floor_area_m2",
    "floor area per household": "floor_area_m2_per_household",
    "户均面积": "floor_area_m2_per_household", "户均建筑面积": "floor_area_m2_per_household",
    "build year": "build_year", "year built": "build_year", "建成年份": "build_year",
    "建成年代": "build_year", "建成时间": "build_year",
    "楼栋数": "buildings", "楼栋": "buildings", "单元数": "stairwell_units",
    "层数": "storeys", "楼层数": "storeys", "电梯数": "lifts", "电梯": "lifts",
    "党员数": "party_members", "在册党员数": "party_members", "在册党员": "party_members",
    "出入口数": "gates", "大门数": "gates", "门岗数": "gates",
    "green area": "green_area_m2", "green_area": "green_area_m2", "绿化面积": "green_area_m2",
    "parking": "parking_spaces", "停车位": "parking_spaces", "车位数": "parking_spaces",
    "停车位数": "parking_spaces",
    "x": "x_m", "y": "y_m", "经度": "lon", "纬度": "lat", "longitude": "lon", "latitude": "lat",
    "街道": "street", "片区": "zone",
    "fee rate": "fee_rate_yuan_per_m2_month", "物业费标准": "fee_rate_yuan_per_m2_month",
    "物业费": "fee_rate_yuan_per_m2_month",
    "collection rate": "collection_rate", "收缴率": "collection_rate",
}
"""Header (lower case, unit removed) -> propfee column name."""

# Units a header may carry, per kind of column: unit text -> factor to propfee's unit.
_UNITS: Final[dict[str, dict[str, float]]] = {
    "m2": {"m2": 1.0, "m²": 1.0, "㎡": 1.0, "平方米": 1.0, "10k m2": 1e4, "万平方米": 1e4,
           "万㎡": 1e4, "ha": 1e4, "hectare": 1e4, "公顷": 1e4},
    "rate": {"1": 1.0, "%": 0.01, "percent": 0.01, "百分比": 0.01},
    "yuan/(m2 month)": {"yuan/m2/month": 1.0, "yuan/(m2 month)": 1.0, "元/平方米/月": 1.0,
                        "元/㎡/月": 1.0, "元/平方米·月": 1.0},
}
_KIND = {"floor_area_m2": "m2", "floor_area_m2_per_household": "m2", "green_area_m2": "m2",
         "collection_rate": "rate", "fee_rate_yuan_per_m2_month": "yuan/(m2 month)"}
_UNIT_IN_HEADER = re.compile(r"^(?P<base>.*?)\s*[\(（\[]\s*(?P<unit>[^\)）\]]*)\s*[\)）\]]\s*$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _read_any(path: Path, sheet: str | int | None) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pd.read_csv(path, dtype=object, keep_default_na=True, encoding="utf-8-sig")
    if suffix in (".xlsx", ".xlsm"):
        require("openpyxl", feature="reading Excel files", extra="excel")
        return pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object)
    if suffix == ".parquet":
        require("pyarrow", feature="reading Parquet files", extra="parquet")
        return pd.read_parquet(path)
    raise InputError([Problem(None, "path", str(path), "read .csv, .xlsx or .parquet files")],
                     what="compound file")


def read_compounds(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    mapping: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Read and validate a compound table from CSV, Excel or Parquet.

    Parameters
    ----------
    path
        The file (``.csv``, ``.xlsx`` or ``.parquet``).
    sheet
        Excel sheet name or number (default: the first).
    mapping
        Extra header -> column mappings, taking precedence over :data:`HEADER_ALIASES`.

    Returns
    -------
    pandas.DataFrame
        The validated compound table (columns of :data:`propfee.compound.COMPOUND_COLUMNS`).

    Raises
    ------
    propfee.errors.InputError
        For unknown headers, two headers for one column, unknown units, and every bad row.
    """
    raw = _read_any(Path(path), sheet)
    aliases = {**HEADER_ALIASES, **{k.strip().lower(): v for k, v in (mapping or {}).items()}}
    columns: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for header in raw.columns:
        text = str(header).strip()
        unit = None
        m = _UNIT_IN_HEADER.match(text)
        if m and text.lower() not in aliases:
            text, unit = m.group("base").strip(), m.group("unit").strip().lower()
        name = aliases.get(text.lower())
        if name is None:
            problems.append(Problem(None, str(header), None,
                                    "unknown column; pass mapping={header: column}"))
            continue
        if name in columns:
            problems.append(Problem(None, str(header), None, f"a second column for {name!r}"))
            continue
        values = raw[header]
        if unit is not None:
            kind = _KIND.get(name)
            factor = _UNITS.get(kind or "", {}).get(unit)
            if factor is None:
                problems.append(Problem(None, str(header), unit,
                                        f"unknown unit for {name!r}"))
                continue
            if factor != 1.0:
                values = pd.to_numeric(values, errors="coerce").where(values.notna()) * factor
        columns[name] = values
    if problems:
        raise InputError(problems, what=f"compound file {path}")
    frame = pd.DataFrame(columns)
    if "compound_id" in frame:
        frame["compound_id"] = frame["compound_id"].map(
            lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else
            (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)))
    return validate_compounds(frame).frame


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


def write_budget(
    budget: DistrictBudget, path: str | Path, *, labels: Language | None = "en"
) -> Path:
    """Write a district budget to CSV, Excel or JSON, labelled in English or Chinese.

    - ``.xlsx``: the report of :func:`propfee.excel.write_budget_workbook` (a sheet per
      table, formats per unit, totals rows, print setup, charts);
    - ``.csv``: the compound table, plus ``<name>_lines.csv`` with the lines;
    - ``.json``: every table as a list of records.

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
        The file written.
    """
    target = Path(path)
    tables = {k: neutralise_formulas(v) for k, v in _tables(budget, labels).items()}
    suffix = target.suffix.lower()
    if suffix == ".csv":
        tables["compounds"].to_csv(target, index=False, encoding="utf-8-sig")
        tables["lines"].to_csv(target.with_name(f"{target.stem}_lines.csv"), index=False,
                               encoding="utf-8-sig")
    elif suffix == ".json":
        target.write_text(json.dumps(
            {k: json.loads(v.to_json(orient="records", force_ascii=False))
             for k, v in tables.items()}, ensure_ascii=False, indent=1), encoding="utf-8")
    elif suffix == ".xlsx":
        from propfee.excel import write_budget_workbook

        write_budget_workbook(budget, target, labels=labels)
    else:
        raise InputError([Problem(None, "path", str(target),
                                  "write .csv, .xlsx or .json files")], what="budget file")
    return target


def write_template(path: str | Path, *, labels: Language = "en") -> Path:
    """Write an empty compound sheet with the right columns, and a sheet describing them.

    Parameters
    ----------
    path
        ``.xlsx`` (the compound sheet with data validation and an instructions sheet, see
        :func:`propfee.excel.write_template_workbook`) or ``.csv`` (headers only).
    labels
        Header language: ``"en"`` (propfee names) or ``"zh"`` (Chinese headers with units).
    """
    target = Path(path)
    headers = [label(c.name, "zh") if labels == "zh" else c.name for c in COMPOUND_COLUMNS]
    empty = pd.DataFrame(columns=headers)
    if target.suffix.lower() == ".csv":
        empty.to_csv(target, index=False, encoding="utf-8-sig")
        return target
    from propfee.excel import write_template_workbook

    write_template_workbook(target, labels=labels)
    return target
