"""The assumptions sheet (测算假设): every value the budget used, and how sure it is.

Layout (A4 landscape, the header row repeated on every page)::

    title
    parameter set and the date its values are in force, plan, date printed
    how many values are sourced, rules, norms and illustrative (the illustrative in yellow)
    what the headline depends on most (when a one-at-a-time sensitivity was run)
    the ten inputs that move the street subsidy most: each at its low and its high
    every numeric parameter and every plan price: name, value used, unit, kind,
    plausible low and high, and in English the reference or the reason for the range

The values are those of the budget's own parameter set (a value changed by
:meth:`propfee.params.ParameterSet.replace` shows as changed); their kind, range and
reference come from the region's parameter file (``parameter_file``, or the built-in
file of the same region). Plan prices are illustrative with the range of
:func:`propfee.uncertainty.defaults.plan_price_ranges`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Final

import pandas as pd

from propfee.budget import DistrictBudget
from propfee.excel.units import CJK_FONT, page_setup
from propfee.io.writers import inert
from propfee.labels import Language, label, plan_label, unit_label
from propfee.params import ParameterSet
from propfee.params.loader import ParameterFile, load_parameter_file
from propfee.plan import Plan, named_plan, plan_names

__all__ = ["KINDS", "assumptions_table", "bundled_from", "counts_sentence", "plan_name",
           "plan_title",
           "write_assumptions_sheet"]

KINDS: Final[dict[str, tuple[str, str]]] = {
    "source": ("source document", "依据文件"),
    "rule": ("regulation", "法规规定"),
    "norm": ("industry norm", "行业标准"),
    "illustrative": ("illustrative", "示意值"),
}
"""Where a value comes from, as the sheet names it (English, Chinese)."""

_PRICE_UNITS: Final = {
    "capital_cost_yuan_per_unit": "yuan/unit",
    "materials_yuan_per_household_year": "yuan/(household year)",
    "price_yuan_per_unit_year": "yuan/(item year)",
    "running_cost_yuan_per_unit_year": "yuan/(item year)",
}
"""Units of the plan's price fields (rates are pure numbers); a device or a parking space,
panel or locker is an item, never a stairwell unit. A street item's ``price_yuan`` takes
its unit from its pricing (:func:`_street_price_unit`)."""

_STREET_PRICE_UNITS: Final = {"per_household": "yuan/(household year)",
                              "per_compound": "yuan/(compound year)"}
_WORK_PRICE_UNITS: Final = {"t": "yuan/t", "h": "yuan/h", "use": "yuan/use",
                            "lift": "yuan/(lift year)"}


def _street_price_unit(plan: Plan, params: ParameterSet, path: str) -> str:
    """The unit of a street item's price: a tonne or an hour of its work, a household or a
    compound a year."""
    from propfee.work.categories import work_categories

    item = next(i for i in plan.street_fallback.items if i.name == path.split(".")[1])
    if item.pricing in _STREET_PRICE_UNITS:
        return _STREET_PRICE_UNITS[item.pricing]
    unit = {c.name: c.unit for c in work_categories(params)}[item.work]
    return _WORK_PRICE_UNITS[unit]

_ILLUSTRATIVE_FILL: Final = "FFF2CC"
_HEAD_FILL: Final = "DDEBF7"
_RULE_COLOUR: Final = "808080"
_TOP_DRIVERS: Final = 10


def plan_name(plan: Plan) -> str | None:
    """The built-in name of a plan (``"xinghualing"``), or ``None`` for a plan of one's own."""
    for name in plan_names():
        if named_plan(name) == plan:
            return name
    return None


def bundled_from(plan: Plan) -> str | None:
    """The built-in plan this one is under other bundles (chosen bundles instead of the
    zones, as ``evaluate --bundles`` makes it), or ``None``."""
    for name in plan_names():
        built = named_plan(name)
        shared = built.shared_property.model_copy(update={
            "bundle_by": plan.shared_property.bundle_by,
            "bundles": plan.shared_property.bundles})
        if built.model_copy(update={"shared_property": shared}) == plan:
            return name
    return None


def plan_title(plan: Plan, lang: Language) -> str:
    """A plan as a reader names it: the built-in plan's name, the built-in plan "with the
    given bundles", or "the plan given".

    Examples
    --------
    >>> from propfee.plan import named_plan
    >>> plan_title(named_plan("xinghualing"), "en") == plan_label("xinghualing", "en")
    True
    """
    name = plan_name(plan)
    if name is not None:
        return plan_label(name, lang)
    base = bundled_from(plan)
    if base is not None:
        return plan_label(base, lang) + ("（按所给打包方案）" if lang == "zh"
                                         else " (with the given bundles)")
    return plan_label(None, lang)


def _file_for(params: ParameterSet) -> ParameterFile | None:
    """The built-in parameter file of the set's region, if there is one."""
    built_in = load_parameter_file("taiyuan")
    return built_in if built_in.region == params.region else None


def assumptions_table(params: ParameterSet, plan: Plan,
                      parameter_file: ParameterFile | None = None) -> pd.DataFrame:
    """Every numeric parameter and plan price the budget used, with its kind and range.

    Parameters
    ----------
    params
        The budget's parameter set.
    plan
        The budget's plan.
    parameter_file
        The file the set was loaded from; default: the built-in file of the set's region
        (none: kinds, ranges and references are left empty).

    Returns
    -------
    pandas.DataFrame
        One row per value: ``path``, ``value`` (used), ``file_value`` (the file's on the
        set's date; NaN for plan prices), ``unit``, ``kind`` (``source``, ``rule``,
        ``norm``, ``illustrative``; empty if unknown), ``low``, ``high`` (NaN without a
        range) and ``reference``; parameters first, in path order, then plan prices.
    """
    from propfee.params.values import ParamValues, numeric_paths
    from propfee.uncertainty.defaults import plan_price_ranges

    source = parameter_file or _file_for(params)
    used = ParamValues(params)
    ranges: dict[Any, dict[Any, Any]] = {}
    if source is not None:
        ranges = source.ranges(params.as_of).set_index("path").to_dict("index")
    rows = []
    for path in sorted(numeric_paths(params)):
        dated = source.values.get(path) if source is not None else None  # noqa: PD011
        file_value = dated.at(params.as_of) if dated is not None else math.nan
        found = ranges.get(path)
        rows.append({
            "path": path, "value": float(used[path]),
            "file_value": float(file_value) if not isinstance(file_value, str) else math.nan,
            "unit": dated.unit if dated is not None else "",
            "kind": dated.status if dated is not None else "",
            "low": float(found["low"]) if found else math.nan,
            "high": float(found["high"]) if found else math.nan,
            "reference": (str(found["reason"]) if found else
                          dated.reference if dated is not None else ""),
        })
    for item in plan_price_ranges(plan):
        rows.append({"path": item.name, "value": item.value, "file_value": math.nan,
                     "unit": (_street_price_unit(plan, params, item.name)
                              if item.name.startswith("street_fallback.")
                              else _PRICE_UNITS.get(item.name.rsplit(".", 1)[1], "1")),
                     "kind": "illustrative", "low": item.low, "high": item.high,
                     "reference": item.reason})
    return pd.DataFrame(rows)


def counts_sentence(table: pd.DataFrame, lang: Language, *, ranked: bool) -> str:
    """How many values of each kind the budget used, and what to check first.

    Parameters
    ----------
    table
        :func:`assumptions_table`.
    lang
        Language.
    ranked
        Whether the sheet ranks the inputs (a sensitivity was run): the sentence points
        to the ranking, else to ``--range``, which runs one.
    """
    counts = table["kind"].value_counts()
    n = {k: int(counts.get(k, 0)) for k in KINDS}
    if lang == "zh":
        where = "（见下表）" if ranked else "（生成报告时选择区间测算即可列出这几项）"
        return (f"共 {len(table)} 项取值：依据文件 {n['source']} 项，法规规定 {n['rule']} 项，"
                f"行业标准 {n['norm']} 项，示意值 {n['illustrative']} 项（黄色）。示意值是未经"
                f"本地数据核实的假设：请先核实对结论影响最大的几项{where}。")
    where = "below" if ranked else "run evaluate with --range 64 to list them"
    return (f"{len(table)} values: {n['source']} from the source document, {n['rule']} "
            f"regulations, {n['norm']} industry norms, {n['illustrative']} illustrative "
            "(yellow). An illustrative value is an assumption not yet checked against local "
            f"records: check first those that move the answer most ({where}).")


def write_assumptions_sheet(
    sheet: Any, budget: DistrictBudget, *, lang: Language, printed: dt.date,
    tornado: pd.DataFrame | None = None, parameter_file: ParameterFile | None = None,
) -> None:
    """Write the assumptions sheet.

    Parameters
    ----------
    sheet
        An empty openpyxl worksheet.
    budget
        The district budget (with its inputs).
    lang
        Language.
    printed
        The date in the footer.
    tornado
        :func:`propfee.uncertainty.sensitivity.tornado` of the district's headline
        (columns ``output``, ``input``, ``low``, ``high``, ``at_low``, ``at_high``,
        ``rank``); its sentence and its ten largest swings of the street subsidy are shown.
    parameter_file
        The parameter file of the budget's set (see :func:`assumptions_table`).
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from propfee.uncertainty.sensitivity import drivers_sentence, name_of

    _, resolved, params = budget._need_inputs("with its inputs")
    zh = lang == "zh"
    plain, bold = Font(name=CJK_FONT), Font(name=CJK_FONT, bold=True)
    thin = Side(style="thin", color=_RULE_COLOUR)
    head_fill = PatternFill("solid", fgColor=_HEAD_FILL)
    title = "测算假设与参数" if zh else "Assumptions and parameters"
    sheet["A1"] = title
    sheet["A1"].font = Font(name=CJK_FONT, bold=True, size=14)
    day = params.as_of
    name = plan_title(resolved.plan, lang)
    grade = resolved.plan.service_grade
    sheet["A2"] = inert(
        f"参数：{label(params.region, lang)}，取 {day.year}年{day.month}月{day.day}日有效的取值；"
        f"方案：{name}（服务等级 {grade} 级）" if zh else
        f"Parameters: {params.region}, the values in force on {day.isoformat()}; plan: {name} "
        f"(service grade {grade})")
    table = assumptions_table(params, resolved.plan, parameter_file)
    ranked = tornado is not None and bool((tornado["output"] == "street_subsidy_yuan").any())
    sheet["A3"] = counts_sentence(table, lang, ranked=ranked)
    row = 4
    if tornado is not None and len(tornado):
        for output in ("compounds_in_deficit", "street_subsidy_yuan"):
            if (tornado["output"] == output).any():
                sheet.cell(row=row, column=1,
                           value=inert(drivers_sentence(tornado, output, lang)))
                row += 1
        row = _drivers_table(sheet, tornado, row + 1, lang, name_of)
    for r in range(2, row):
        sheet.cell(row=r, column=1).font = plain
    head = row + 1
    headers = (["参数", "本次取值", "单位", "来源类别", "合理范围（低）", "合理范围（高）",
                "与参数文件不同"] if zh else
               ["Parameter", "Value used", "Unit", "Kind", "Plausible low", "Plausible high",
                "Changed from the file", "Reference or reason for the range"])
    for j, text in enumerate(headers, start=1):
        cell = sheet.cell(row=head, column=j, value=text)
        cell.font, cell.fill, cell.border = bold, head_fill, Border(bottom=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    yellow = PatternFill("solid", fgColor=_ILLUSTRATIVE_FILL)
    records: list[dict[Any, Any]] = table.to_dict("records")
    for i, item in enumerate(records, start=head + 1):
        value, in_file = float(item["value"]), float(item["file_value"])
        low, high = float(item["low"]), float(item["high"])
        changed = not math.isnan(in_file) and not math.isclose(value, in_file, rel_tol=1e-12)
        kind = KINDS.get(str(item["kind"]))
        values: list[Any] = [
            inert(name_of(str(item["path"]), lang)), value, unit_label(str(item["unit"]), lang),
            "" if kind is None else kind[1 if zh else 0],
            None if math.isnan(low) else low, None if math.isnan(high) else high,
            ("是，文件为 " if zh else "yes, the file has ") + f"{in_file:g}" if changed else ""]
        if not zh:
            values.append(inert(str(item["reference"])))
        for j, value in enumerate(values, start=1):
            cell = sheet.cell(row=i, column=j, value=value)
            cell.font = plain
            if j in (2, 5, 6):
                cell.number_format = "#,##0.####"
            if item["kind"] == "illustrative" and j <= 4:
                cell.fill = yellow
    widths = (44, 13, 18, 11, 13, 13, 16, 90)
    for j, width in enumerate(widths[:len(headers)], start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width = width
    sheet.freeze_panes = sheet.cell(row=head + 1, column=2)
    page_setup(sheet, title=title, lang=lang, printed=printed, header_row=head)


def _drivers_table(sheet: Any, tornado: pd.DataFrame, row: int, lang: Language,
                   name_of: Any) -> int:
    """The inputs that move the street subsidy most, each at its low and high; the next row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    zh = lang == "zh"
    bold, plain = Font(name=CJK_FONT, bold=True), Font(name=CJK_FONT)
    head_fill = PatternFill("solid", fgColor=_HEAD_FILL)
    thin = Side(style="thin", color=_RULE_COLOUR)
    top = tornado[tornado["output"] == "street_subsidy_yuan"].nsmallest(_TOP_DRIVERS, "rank")
    if top.empty:
        return row
    sheet.cell(row=row, column=1, value=(
        "对街道补贴影响最大的输入（每次只改变一项，其余取本次取值）" if zh else
        "The inputs that move the street subsidy most (one at a time, the rest at their "
        "values)")).font = bold
    heads = (["输入", "低值", "高值", "取低值时补贴\n（元/年）", "取高值时补贴\n（元/年）"] if zh
             else ["Input", "Low", "High", "Subsidy at low\n[yuan/year]",
                   "Subsidy at high\n[yuan/year]"])
    for j, text in enumerate(heads, start=1):
        cell = sheet.cell(row=row + 1, column=j, value=text)
        cell.font, cell.fill, cell.border = bold, head_fill, Border(bottom=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="center",
                                   horizontal="left" if j == 1 else "right")
    sheet.row_dimensions[row + 1].height = 30  # points: two lines of the wrapped headings
    drivers: list[dict[Any, Any]] = top.to_dict("records")
    for i, item in enumerate(drivers, start=row + 2):
        values = [inert(name_of(str(item["input"]), lang)), float(item["low"]),
                  float(item["high"]), float(item["at_low"]), float(item["at_high"])]
        for j, value in enumerate(values, start=1):
            cell = sheet.cell(row=i, column=j, value=value)
            cell.font = plain
            cell.number_format = "#,##0.####" if j in (2, 3) else "#,##0"
    return row + 2 + len(top)
