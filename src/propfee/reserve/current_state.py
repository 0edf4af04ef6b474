"""What a planner knows about a compound today: the template's 现状 (current state) sheet.

One row per compound, keyed by its id: the special maintenance fund's balance, the year
each group of components was last renewed, and the compound's current income, staff
and contract. Every column is declared once, in :data:`CURRENT_STATE_COLUMNS` (English
and Chinese header, unit, bounds, meaning); the Excel template
(:func:`propfee.excel.write_template_workbook`) and the reader here are derived from it.

:func:`current_state_overrides` turns the sheet into the reserve study's per-compound
overrides (the long table of :func:`propfee.reserve.components.long_overrides`):

- 专项维修资金余额（元） -> ``fund.opening_balance_yuan``: the fund starts at it;
- a group's renewal year -> ``<component>.last_renewed_year`` of every component of
  the group the catalogue has (the roof group is ``roof_waterproofing``; the pipes group
  is the four risers and pipes...), so a roof renewed in 2019 with an 18-year life is due
  in 2037, not overdue in the study's first year.

The income, staff and contract columns are kept with the study for the record; no
computation uses them yet, and the template says so.

Every bad cell is one :class:`~propfee.errors.Problem` naming the sheet, the cell
(``现状!C4``) and the header as the sheet has it: a year that is not whole, before the
compound's build year or after the study's first year; a negative amount; an id that
is not a compound of the table, or given twice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.compound import ColumnSpec, CompoundTable, validate_compounds
from propfee.errors import InputError, Problem
from propfee.labels import Language
from propfee.reserve.components import Catalogue

__all__ = [
    "CURRENT_STATE_COLUMNS",
    "CURRENT_STATE_SHEETS",
    "EXAMPLE_STATE",
    "CurrentState",
    "StateColumn",
    "combine_overrides",
    "current_state_overrides",
    "current_state_sheet",
    "read_current_state",
]


@dataclass(frozen=True, slots=True)
class StateColumn:
    """One column of the 现状 (current state) sheet.

    Attributes
    ----------
    spec
        Name, kind, unit, bounds and English/Chinese header (as for a compound column;
        the template's data validation and rule text come from it).
    unit_zh
        The unit in Chinese (``"元"``, ``"年"``), empty for text.
    help_zh
        What the column means, in Chinese.
    components
        Catalogue components whose last renewal the column sets (renewal years only).
    fund_field
        The fund field the column sets (``"opening_balance_yuan"``), if any.
    """

    spec: ColumnSpec
    unit_zh: str
    help_zh: str
    components: tuple[str, ...] = ()
    fund_field: str | None = None

    @property
    def used(self) -> bool:
        """Whether the reserve study computes with the column (else it is kept for the
        record)."""
        return bool(self.components) or self.fund_field is not None

    def header(self, lang: str) -> str:
        """The column's header in the template: its name (``"en"``) or Chinese label."""
        return self.spec.label_zh if lang == "zh" else self.spec.name


_NOT_USED_EN: Final = " Kept for the record; no computation uses it yet."
_NOT_USED_ZH: Final = "记录用，当前测算不使用。"


def _year(name: str, en: str, zh: str, group_zh: str, components: tuple[str, ...],
          what_en: str) -> StateColumn:
    return StateColumn(
        ColumnSpec(name, "int", "year",
                   f"Year the {what_en} were last renewed or renovated; empty: never since "
                   "the compound was built (the build year counts). Sets last_renewed_year "
                   f"of {', '.join(components)}.",
                   en, zh, lower=1900, upper=2100),
        "年",
        f"{group_zh}最近一次翻新或改造完成的年份，如 2019，不早于建成年份、不晚于测算起始"
        "年份；留空按建成年份计。",
        components=components)


CURRENT_STATE_COLUMNS: Final[tuple[StateColumn, ...]] = (
    StateColumn(
        ColumnSpec("compound_id", "str", "-",
                   "The compound's id, as on the compounds sheet; one row per compound, "
                   "compounds without a row keep the catalogue's assumptions.",
                   "Compound id", "小区编号", required=True, upper=100),
        "", "与“小区”表中的小区编号一致，每个小区最多一行；没有填写现状的小区按默认假设测算。"),
    StateColumn(
        ColumnSpec("fund_balance_yuan", "float", "yuan",
                   "Balance of the compound's special maintenance fund (住宅专项维修资金) "
                   "today; the reserve study's fund starts at it. Empty: estimated from the "
                   "floor area and the build year.",
                   "Fund balance [yuan]", "专项维修资金余额（元）", lower=0, upper=1e9),
        "元",
        "本小区住宅专项维修资金目前的账面余额，可向住房维修资金管理中心查询；测算中资金账户"
        "从该余额起算。留空时按建筑面积和建成年份估算。",
        fund_field="opening_balance_yuan"),
    _year("roof_renewed_year", "Roof renewed [year]", "屋面防水改造年份", "屋面防水",
          ("roof_waterproofing",), "roof waterproofing layers"),
    _year("pipes_renewed_year", "Pipes renewed (water, sewer, power, gas) [year]",
          "管线（给排水、电力、燃气）改造年份", "给水立管、排水排污管道、电力干线和燃气立管",
          ("water_supply_risers", "drain_sewer_pipes", "electrical_risers_wiring",
           "gas_risers"), "water, sewer, power and gas risers and pipes"),
    _year("walls_renewed_year", "External walls renewed [year]", "外墙改造年份",
          "外墙（抹灰及涂料）", ("external_walls",), "external walls (render and paint)"),
    _year("stairwells_renewed_year", "Stairwells renewed [year]", "楼道改造年份",
          "楼道（墙面、扶手、踏步）、楼道照明和公共门窗",
          ("stairwells", "stairwell_lighting", "common_doors_windows"),
          "stairwells, their lighting and common doors and windows"),
    _year("site_renewed_year", "Roads and site pipes renewed [year]", "道路及室外管网改造年份",
          "道路及铺装、围墙围栏和室外雨污水管网", ("roads_paving", "fences", "site_drainage"),
          "roads, paving, fences and site drainage"),
    _year("fire_renewed_year", "Fire equipment renewed [year]", "消防器材更新年份",
          "消防器材", ("fire_equipment",), "fire extinguishers and hoses"),
    _year("lifts_renewed_year", "Lifts renewed [year]", "电梯更新年份", "电梯",
          ("lifts",), "lifts"),
    StateColumn(
        ColumnSpec("advertising_income_yuan_per_year", "float", "yuan/year",
                   "Income from advertising in common parts (lifts, notice boards) today."
                   + _NOT_USED_EN, "Advertising income [yuan/year]", "广告收入（元/年）",
                   lower=0, upper=1e8),
        "元/年", "电梯、宣传栏等公共部位广告目前每年的收入。" + _NOT_USED_ZH),
    StateColumn(
        ColumnSpec("parking_income_yuan_per_year", "float", "yuan/year",
                   "Income from parking on common land today." + _NOT_USED_EN,
                   "Parking income [yuan/year]", "停车收入（元/年）", lower=0, upper=1e8),
        "元/年", "公共用地停车目前每年的收入。" + _NOT_USED_ZH),
    StateColumn(
        ColumnSpec("site_fee_income_yuan_per_year", "float", "yuan/year",
                   "Income from letting common sites (stalls, express lockers, charging "
                   "posts) today." + _NOT_USED_EN,
                   "Site fee income [yuan/year]", "场地收入（元/年）", lower=0, upper=1e8),
        "元/年", "出租公共场地（摊位、快递柜、充电桩等）目前每年的收入。" + _NOT_USED_ZH),
    StateColumn(
        ColumnSpec("staff_persons", "int", "persons",
                   "People working for the compound today (cleaners, guards, handymen)."
                   + _NOT_USED_EN, "Current staff [persons]", "现有工作人员（人）",
                   lower=0, upper=10_000),
        "人", "目前为本小区工作的保洁、门卫、维修等人员数。" + _NOT_USED_ZH),
    StateColumn(
        ColumnSpec("contract", "str", "-",
                   "Current service contract: 'none', or the property company's name."
                   + _NOT_USED_EN, "Current contract", "现有服务合同", upper=200),
        "", "目前的物业服务合同：填“无”或物业公司名称。" + _NOT_USED_ZH),
)
"""The columns of the 现状 (current state) sheet (the one declaration)."""

EXAMPLE_STATE: Final[dict[str, dict[str, float | int | str]]] = {
    lang: {"compound_id": "A01", "fund_balance_yuan": 180000.0, "roof_renewed_year": 2016,
           "walls_renewed_year": 2019, "stairwells_renewed_year": 2019,
           "fire_renewed_year": 2021, "advertising_income_yuan_per_year": 6000.0,
           "parking_income_yuan_per_year": 36000.0, "site_fee_income_yuan_per_year": 2400.0,
           "staff_persons": 3, "contract": "无" if lang == "zh" else "none"}
    for lang in ("en", "zh")}
"""The current state of the template's example compound (A01, built 1992), by language."""

CURRENT_STATE_SHEETS: Final = ("现状", "current state")
"""Names of the current-state sheet in a workbook (Chinese, English)."""

_BY_NAME: Final = {c.spec.name: c for c in CURRENT_STATE_COLUMNS}


def _key(header: object) -> str:
    """A header compared loosely: NFKC, no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", str(header)).split()).casefold()


_HEADERS: Final = {_key(text): c.spec.name for c in CURRENT_STATE_COLUMNS
                   for text in (c.spec.name, c.spec.label_en, c.spec.label_zh)}


@dataclass(frozen=True)
class CurrentState:
    """The 现状 sheet read and checked.

    Attributes
    ----------
    table
        One row per compound given, columns of :data:`CURRENT_STATE_COLUMNS` (ids as
        the compound table has them; numbers as float, NaN where empty) and ``row``,
        the spreadsheet row.
    overrides
        The reserve study's overrides it makes, long (``compound_id``, ``component``,
        ``field``, ``value``, ``row``; see
        :func:`propfee.reserve.components.long_overrides`).
    sheet
        The sheet it was read from, or ``None``.
    """

    table: pd.DataFrame
    overrides: pd.DataFrame
    sheet: str | None = None

    @property
    def compounds_used(self) -> int:
        """Compounds whose fund balance or renewal years the study uses. [compounds]"""
        return int(self.overrides["compound_id"].nunique())

    @property
    def compounds_given(self) -> int:
        """Compounds with a row on the sheet. [compounds]"""
        return len(self.table)


def current_state_overrides(
    frame: pd.DataFrame,
    compounds: pd.DataFrame | CompoundTable,
    catalogue: Catalogue,
    *,
    lines: Sequence[int] | npt.NDArray[np.int64] | None = None,
    sheet: str | None = None,
    letters: Sequence[str] | None = None,
    what: str = "current state",
    lang: Language = "en",
) -> CurrentState:
    """Check a 现状 (current state) table and turn it into reserve overrides.

    Parameters
    ----------
    frame
        The sheet's cells under its headers (any header of
        :data:`CURRENT_STATE_COLUMNS`: its name, English or Chinese label). Rows with
        every cell empty are skipped.
    compounds
        The compound table the study runs on (ids and build years).
    catalogue
        The component catalogue; its date's year is the study's first year. Only the
        components it has are set.
    lines
        The spreadsheet row of each row of ``frame`` (default: 2, 3, ...). [1]
    sheet
        The sheet's name, for the messages (``现状!C4``).
    letters
        The column letter of each column of ``frame``, for the messages.
    what
        The input as the message's head names it.
    lang
        Language of the messages: ``"en"`` or ``"zh"``.

    Returns
    -------
    CurrentState
        The checked table and the overrides it makes.

    Raises
    ------
    propfee.errors.InputError
        Naming every bad cell by sheet, row, column and header: an unknown or repeated
        header, a missing ``compound_id`` column, an id that is empty, not a compound
        of the table or given twice, a value that is not a number, not whole (years,
        staff), negative, beyond the column's bound, a year before the compound's build
        year or after the study's first year, a text too long, a renewal year for a group
        none of whose components the catalogue has.

    Examples
    --------
    >>> from propfee.reserve import default_catalogue
    >>> compounds = pd.DataFrame({"compound_id": ["A1"], "households": [100],
    ...                           "floor_area_m2": [6000.0], "build_year": [1990]})
    >>> state = current_state_overrides(
    ...     pd.DataFrame({"小区编号": ["A1"], "屋面防水改造年份": [2019],
    ...                   "专项维修资金余额（元）": [150000]}), compounds, default_catalogue())
    >>> for row in state.overrides[["component", "field", "value"]].values.tolist():
    ...     print(row)
    ['fund', 'opening_balance_yuan', 150000.0]
    ['roof_waterproofing', 'last_renewed_year', 2019.0]
    """
    zh = lang == "zh"
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    start = catalogue.as_of.year
    n = len(frame)
    rows = np.asarray(lines if lines is not None else np.arange(n) + 2, dtype=np.int64)
    places = list(letters) if letters is not None else [None] * len(frame.columns)
    problems: list[Problem] = []

    def at(field: str, j: int | None, line: int | None, value: object, text: str) -> Problem:
        header = None if j is None else str(frame.columns[j])
        column = None if j is None else places[j]
        return Problem(None, field, value, text, line=line, sheet=sheet, column=column,
                       header=header if header is not None else (
                           _BY_NAME[field].header(lang) if field in _BY_NAME else None))

    found: dict[str, int] = {}
    for j, header in enumerate(frame.columns):
        if header is None or str(header).startswith("Unnamed: ") or not str(header).strip():
            if frame.iloc[:, j].notna().any():
                problems.append(at("file", j, None, None, "有数据的列缺少表头" if zh
                                   else "a column with data has no header"))
            continue
        name = _HEADERS.get(_key(header))
        if name is None:
            problems.append(at(str(header), j, None, None, "未知的表头" if zh
                               else "unknown header"))
        elif name in found:
            problems.append(at(name, j, None, None, "与前面的列重复" if zh
                               else "a second column for the same field"))
        else:
            found[name] = j
    if "compound_id" not in found and not problems:
        problems.append(Problem(None, "compound_id", None,
                                "缺少“小区编号”列" if zh else "missing column compound_id",
                                sheet=sheet, header="小区编号" if zh else "compound_id"))
    if problems:
        raise InputError(problems, what=what, lang=lang)

    cells = {name: frame.iloc[:, j].reset_index(drop=True) for name, j in found.items()}
    filled = np.zeros(n, dtype=bool)
    for series in cells.values():
        filled |= series.notna().to_numpy(dtype=bool) & ~series.map(
            lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
    keep = np.flatnonzero(filled)

    ids = table.ids
    build = table.array("build_year")
    position = {str(i): k for k, i in enumerate(ids)}
    out: dict[str, list[object]] = {c.spec.name: [] for c in CURRENT_STATE_COLUMNS}
    out["row"] = []
    seen: dict[str, int] = {}
    names = set(catalogue.names)
    for i in keep:
        line = int(rows[i])
        raw_id = cells["compound_id"].iloc[i]
        cid = _id(raw_id)
        k = position.get(cid) if cid else None
        j_id = found["compound_id"]
        if not cid:
            problems.append(at("compound_id", j_id, line, None,
                               "缺少小区编号" if zh else "missing compound id"))
        elif k is None:
            problems.append(at("compound_id", j_id, line, raw_id,
                               "不是“小区”表中的小区" if zh else
                               "not a compound of the compounds table"))
        elif cid in seen:
            problems.append(at("compound_id", j_id, line, raw_id,
                               f"与第 {seen[cid]} 行重复" if zh else
                               f"given twice (also row {seen[cid]})"))
        else:
            seen[cid] = line
        out["compound_id"].append(cid)
        out["row"].append(line)
        for col in CURRENT_STATE_COLUMNS[1:]:
            spec = col.spec
            place = found.get(spec.name)
            raw = None if place is None else cells[spec.name].iloc[i]
            value, text = _cell(spec, raw, zh)
            if text is None and value is not None and col.components and k is not None:
                year = float(value)  # type: ignore[arg-type]
                if year < build[k]:
                    text = (f"早于建成年份 {int(build[k])}" if zh
                            else f"before the build year {int(build[k])}")
                elif year > start:
                    text = (f"晚于测算起始年份 {start}" if zh
                            else f"after the study's first year {start}")
                elif not names.intersection(col.components):
                    text = ("构件目录中没有该类构件" if zh else
                            "the catalogue has none of this group's components")
            if text is not None:
                problems.append(at(spec.name, place, line, raw, text))
            out[spec.name].append(value)
    if problems:
        raise InputError(problems, what=what, lang=lang)

    result = pd.DataFrame({
        name: pd.Series(values, dtype="str" if name in ("compound_id", "contract")
                        else np.int64 if name == "row" else np.float64)
        for name, values in out.items()})
    return CurrentState(result, _long(result, names), sheet)


def _id(value: object) -> str:
    """An id cell as the compound table keeps it (a whole number without ``.0``)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _cell(spec: ColumnSpec, raw: object, zh: bool) -> tuple[object, str | None]:
    """A cell's value (``None`` when empty) and what is wrong with it (``None``: nothing)."""
    if raw is None or (isinstance(raw, float) and np.isnan(raw)) or (
            isinstance(raw, str) and not raw.strip()):
        return None, None
    if spec.kind == "str":
        text = str(raw).strip()
        if spec.upper is not None and len(text) > spec.upper:
            limit = spec.bound_text(spec.upper)
            return text, (f"超过 {limit} 个字" if zh else f"longer than {limit} characters")
        return text, None
    if isinstance(raw, bool | np.bool_):
        return None, "应为数字" if zh else "not a number"
    number = pd.to_numeric(pd.Series([raw]), errors="coerce").iloc[0]
    if isinstance(raw, str) and np.isnan(number):
        number = pd.to_numeric(pd.Series([raw.replace(",", "").strip()]),
                               errors="coerce").iloc[0]
    if np.isnan(number) or not np.isfinite(number):
        return None, "应为数字" if zh else "not a number"
    value = float(number)
    if spec.kind == "int" and value != np.floor(value):
        return value, ("应为整数（年份或人数）" if zh else "must be a whole number")
    lang = "zh" if zh else "en"
    if spec.lower is not None and value < spec.lower:
        low = spec.bound_text(spec.lower, lang)
        return value, (f"不能小于 {low}" if zh else f"must be at least {low}")
    if spec.upper is not None and value > spec.upper:
        high = spec.bound_text(spec.upper, lang)
        return value, (f"不能超过 {high}" if zh else f"must be at most {high}")
    return value, None


def _long(table: pd.DataFrame, names: set[str]) -> pd.DataFrame:
    """The overrides of a checked table, long: fund first, then components in column
    order, compounds in row order."""
    parts: list[pd.DataFrame] = []
    for col in CURRENT_STATE_COLUMNS:
        if not col.used:
            continue
        given = table[table[col.spec.name].notna()]
        targets = [("fund", col.fund_field)] if col.fund_field is not None else [
            (c, "last_renewed_year") for c in col.components if c in names]
        for component, field in targets:
            parts.append(pd.DataFrame({
                "compound_id": given["compound_id"].astype(str).to_numpy(),
                "component": component, "field": field,
                "value": given[col.spec.name].to_numpy(dtype=np.float64),
                "row": given["row"].to_numpy(dtype=np.float64)}))
    if not parts:
        return pd.DataFrame({"compound_id": pd.Series([], dtype=str),
                             "component": pd.Series([], dtype=str),
                             "field": pd.Series([], dtype=str),
                             "value": pd.Series([], dtype=float),
                             "row": pd.Series([], dtype=float)})
    return pd.concat(parts, ignore_index=True)


def current_state_sheet(path: str | Path) -> str | None:
    """The name of a workbook's 现状 (current state) sheet, or ``None``.

    Parameters
    ----------
    path
        Any file; only ``.xlsx`` and ``.xlsm`` workbooks have one.

    Returns
    -------
    str or None
        The sheet's name as the workbook has it (compared ignoring case and spaces).
    """
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".xlsm") or not target.is_file():
        return None
    try:
        from openpyxl import load_workbook

        book = load_workbook(target, read_only=True)
        try:
            names = [str(n) for n in book.sheetnames]
        finally:
            book.close()
    except Exception:  # the compound reader names what is wrong with the file
        return None
    wanted = {_key(n) for n in CURRENT_STATE_SHEETS}
    return next((n for n in names if _key(n) in wanted), None)


def read_current_state(
    path: str | Path,
    compounds: pd.DataFrame | CompoundTable,
    catalogue: Catalogue,
    *,
    lang: Language = "en",
) -> CurrentState | None:
    """Read a workbook's 现状 (current state) sheet, if it has one.

    Parameters
    ----------
    path
        The compound workbook (a template filled in).
    compounds
        The compound table read from it (ids and build years).
    catalogue
        The component catalogue of the study.
    lang
        Language of the messages: ``"en"`` or ``"zh"``.

    Returns
    -------
    CurrentState or None
        ``None`` when the file has no such sheet.

    Raises
    ------
    propfee.errors.InputError
        For every bad cell, named ``现状!C4`` with its header (see
        :func:`current_state_overrides`).
    """
    sheet = current_state_sheet(path)
    if sheet is None:
        return None
    from propfee.io import read_sheet

    what = (f"文件 {path} 的“{sheet}”表" if lang == "zh"
            else f"sheet {sheet!r} of {path}")
    frame, lines = read_sheet(path, sheet=sheet, what=what, lang=lang)
    letters = frame.attrs.get("letters")
    return current_state_overrides(frame, compounds, catalogue, lines=lines, sheet=sheet,
                                   letters=letters, what=what, lang=lang)


def combine_overrides(state: CurrentState, overrides: pd.DataFrame | None, *,
                      source: str = "overrides", lang: Language = "en") -> pd.DataFrame:
    """The current state's overrides together with those of an overrides file.

    Parameters
    ----------
    state
        The 现状 sheet read (:func:`read_current_state`).
    overrides
        Other overrides, long or wide (:func:`propfee.reserve.components.long_overrides`),
        or ``None``.
    source
        The other overrides as the message names them (their file).
    lang
        Language of the messages: ``"en"`` or ``"zh"``.

    Returns
    -------
    pandas.DataFrame
        Both, long (``compound_id``, ``component``, ``field``, ``value``, ``row``).

    Raises
    ------
    propfee.errors.InputError
        For a value both give (the same compound, component and field), naming the
        cell of the 现状 sheet and the row of the other file, whether or not the two
        agree: which one holds is the planner's call.
    """
    from propfee.reserve.components import long_overrides

    other = long_overrides(overrides)
    if len(other) == 0:
        return state.overrides
    zh = lang == "zh"
    key = ["compound_id", "component", "field"]
    both = state.overrides.merge(other, on=key, suffixes=("", "_other"))
    if len(both):
        problems = []
        for r in both.to_dict("records"):
            component, field = str(r["component"]), str(r["field"])
            column = next(c for c in CURRENT_STATE_COLUMNS
                          if component in c.components or (
                              component == "fund" and c.fund_field == field))
            mine = ColumnSpec.bound_text(float(r["value"]))
            theirs = ColumnSpec.bound_text(float(r["value_other"]))
            row, row_other = int(r["row"]), int(r["row_other"])
            text = (f"现状表第 {row} 行“{column.spec.label_zh}”（{mine}）与 {source} "
                    f"第 {row_other} 行（{theirs}）都给了该值，请只留一处") if zh else (
                    f"given both on the current-state sheet (row {row}, "
                    f"{column.header(lang)}: {mine}) and in {source} (row "
                    f"{row_other}: {theirs}); keep one")
            problems.append(Problem(str(r["compound_id"]), f"{component}.{field}", None,
                                    text))
        raise InputError(problems, what=source, lang=lang)
    return pd.concat([state.overrides, other], ignore_index=True)
