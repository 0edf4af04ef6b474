"""Observations for calibration: the tables, the district's work-order log, templates.

A street office knows some real figures. Three tables hold them
(:class:`propfee.uncertainty.calibration.Observations`): job counts, rates (such as last
year's collection) and amounts (parking income, volunteer hours logged). The district's
work-order log (群众点单—网格员派单—党员接单: residents order, the grid worker dispatches,
a party member, volunteer or company takes the order) gives the job counts: one row per
order with its date, compound, kind of job, who took it and what it cost.

Every table is read from CSV or Excel (:func:`read_order_log`,
:func:`read_observation_table`, :func:`read_observations`) with English or Chinese
headers; every bad cell is reported at once, with its spreadsheet row, compound and
field. :func:`write_templates` writes an empty workbook of the four sheets.

The exposure of a job (the basis quantity x age factor a year, what the model multiplies
the job's rate of uses by) comes from :func:`job_exposures`, which runs the 4+1 kernel
with every rate at 1; a model with another job catalogue passes its own exposures.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from propfee._optional import require
from propfee.errors import InputError, Problem
from propfee.labels import Language
from propfee.params.loader import EARLIEST_DATE, LATEST_DATE
from propfee.uncertainty.calibration import COLUMNS, Observations

if TYPE_CHECKING:
    from propfee.compound import CompoundTable
    from propfee.params import ParameterSet
    from propfee.plan import Plan

__all__ = [
    "JOB_PRICE_PATH",
    "JOB_RATE_PATH",
    "TAKERS",
    "job_exposures",
    "order_counts",
    "order_prices",
    "read_observation_table",
    "read_observations",
    "read_order_log",
    "write_templates",
]

JOB_RATE_PATH: Final = "jobs.{job}.uses_per_basis_year"
"""The input a job's rate of uses is, by the job's name (a plan override path)."""

JOB_PRICE_PATH: Final = "jobs.{job}.market_price_yuan_per_use"
"""The input a job's market price is, by the job's name (a plan override path)."""

TAKERS: Final[dict[str, tuple[str, str]]] = {
    "party_member": ("Party member", "党员"),
    "volunteer": ("Volunteer", "志愿者"),
    "shared_company": ("Shared property company", "共享物业企业"),
    "market": ("Market company", "市场化企业"),
}
"""Who took an order: code -> English and Chinese label (both are read)."""


@dataclass(frozen=True)
class _Column:
    name: str
    en: str
    zh: str
    help_en: str
    help_zh: str
    required: bool = True


_QUANTITY = _Column("quantity", "quantity", "参数", "The uncertain input observed (its path)",
                    "所观测的参数（路径）")
_COMPOUND = _Column("compound_id", "compound_id", "小区编号", "The compound's id",
                    "小区编号（与小区表一致）")

TABLE_COLUMNS: Final[dict[str, tuple[_Column, ...]]] = {
    "job_counts": (
        _QUANTITY, _COMPOUND,
        _Column("exposure", "exposure", "暴露量", "Basis units x years x age factor",
                "计量基数×年数×房龄系数"),
        _Column("count", "count", "次数", "Uses observed (whole number)", "观测到的服务次数"),
    ),
    "rates": (
        _QUANTITY, _COMPOUND,
        _Column("successes", "successes", "成功数", "E.g. households that paid",
                "如：已缴费户数"),
        _Column("trials", "trials", "总数", "E.g. households billed", "如：应缴费户数"),
    ),
    "amounts": (
        _QUANTITY, _COMPOUND,
        _Column("observed", "observed", "观测值", "E.g. last year's parking income [yuan]",
                "如：上年停车收入（元）"),
        _Column("exposure", "exposure", "暴露量", "The model's figure per unit of the input",
                "模型中该参数每单位对应的数量"),
    ),
    "order_log": (
        _Column("date", "date", "日期", "Date of the order (YYYY-MM-DD)", "点单日期"),
        _COMPOUND,
        _Column("job", "job", "服务类别", "Kind of job (pipe_dredging...)",
                "服务类别（如管道疏通）"),
        _Column("taken_by", "taken_by", "接单方",
                "party_member, volunteer, shared_company or market",
                "党员、志愿者、共享物业企业或市场化企业"),
        _Column("cost_yuan", "cost_yuan", "费用（元）",
                "What the order cost [yuan]; blank = 0 for party members and volunteers",
                "费用（元）；党员、志愿者接单可留空", required=False),
    ),
}
"""The columns of each table, with their English and Chinese headers."""

SHEETS: Final[dict[str, tuple[str, str]]] = {
    "job_counts": ("job_counts", "工单次数"), "rates": ("rates", "比率"),
    "amounts": ("amounts", "金额"), "order_log": ("order_log", "工单记录"),
}
"""Sheet names of :func:`write_templates`, English and Chinese."""

def _header_map(kind: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for column in TABLE_COLUMNS[kind]:
        for text in (column.name, column.en, column.zh, column.zh.split("（")[0]):
            mapping[text.strip().lower()] = column.name
    return mapping


def _read_raw(path: Path, sheet: str | int | None, encoding: str | None,
              what: str) -> pd.DataFrame:
    from propfee.io import read_sheet  # the one reader of CSV and Excel files

    frame, _ = read_sheet(path, sheet=sheet, encoding=encoding, what=what)
    return frame


def _named_columns(raw: pd.DataFrame, kind: str, what: str) -> tuple[pd.DataFrame, Any]:
    """The table with propfee's column names, blank rows dropped, and each row's line."""
    mapping = _header_map(kind)
    problems = []
    columns: dict[str, pd.Series] = {}
    for header in raw.columns:
        text = str(header).strip()
        if text.startswith("Unnamed: ") and bool(raw[header].isna().all()):
            continue
        name = mapping.get(text.lower())
        if name is None:
            close = difflib.get_close_matches(text.lower(), list(mapping), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(Problem(None, text, None, f"unknown column{hint}"))
        elif name in columns:
            problems.append(Problem(None, text, None, f"a second column for {name!r}"))
        else:
            columns[name] = raw[header]
    for column in TABLE_COLUMNS[kind]:
        if column.required and column.name not in columns:
            problems.append(Problem(None, column.name, None,
                                    f"missing column (header {column.en!r} or {column.zh!r})"))
    if problems:
        raise InputError(problems, what=what)
    frame = pd.DataFrame(columns)
    lines = np.arange(len(frame)) + 2
    blank = frame.isna().all(axis=1).to_numpy(dtype=bool)
    return frame[~blank].reset_index(drop=True), lines[~blank]


def _text(value: Any) -> str | None:
    """A cell as text: ``101.0`` -> ``"101"``; blank -> ``None``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def read_observation_table(path: str | Path, kind: str, *, sheet: str | int | None = None,
                           encoding: str | None = None) -> pd.DataFrame:
    """Read one table of observations (``"job_counts"``, ``"rates"`` or ``"amounts"``).

    Parameters
    ----------
    path
        A ``.csv`` or ``.xlsx`` file.
    kind
        Which table.
    sheet
        Excel sheet (default: the first).
    encoding
        Text encoding of a CSV file (default: detected).

    Returns
    -------
    pandas.DataFrame
        The columns of the kind (:data:`propfee.uncertainty.calibration.COLUMNS`) and
        ``line`` (the spreadsheet row); numbers are checked when calibrating.

    Raises
    ------
    propfee.errors.InputError
        For a missing or unreadable file, an unknown or missing column, and every blank
        quantity or compound, with its row.
    """
    if kind not in COLUMNS:
        raise ValueError(f"kind must be one of {', '.join(COLUMNS)}, got {kind!r}")
    path = Path(path)
    what = f"{kind} file {path}"
    frame, lines = _named_columns(_read_raw(path, sheet, encoding, what), kind, what)
    problems = []
    for column in ("quantity", "compound_id"):
        texts = [_text(v) for v in frame[column]]
        for k, text in enumerate(texts):
            if text is None:
                problems.append(Problem(_text(frame["compound_id"].iloc[k]), column, None,
                                        "blank", line=int(lines[k])))
        frame[column] = texts
    if problems:
        raise InputError(problems, what=what)
    frame["line"] = lines
    return frame.reset_index(drop=True)


def read_observations(path: str | Path) -> Observations:
    """Read a workbook of observations: the sheets ``job_counts``, ``rates`` and ``amounts``
    (or 工单次数, 比率, 金额), each optional; an empty sheet counts as absent.

    Raises
    ------
    propfee.errors.InputError
        As :func:`read_observation_table`, for each sheet.
    """
    require("openpyxl", feature="reading Excel files", extra="excel")
    from openpyxl import load_workbook

    path = Path(path)
    try:
        names = load_workbook(path, read_only=True).sheetnames
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise InputError([Problem(None, "file", str(path), f"cannot read the workbook: {exc}")],
                         what=f"observations file {path}") from None
    tables: dict[str, pd.DataFrame] = {}
    for kind in COLUMNS:
        found = [n for n in names if n in SHEETS[kind]]
        if not found:
            continue
        table = read_observation_table(path, kind, sheet=found[0])
        if len(table):
            tables[kind] = table
    return Observations(**tables)


def read_order_log(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    jobs: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read the district's work-order log (群众点单—网格员派单—党员接单).

    Parameters
    ----------
    path
        A ``.csv`` or ``.xlsx`` file with the columns of :data:`TABLE_COLUMNS`
        ``["order_log"]``: date, compound_id, job, taken_by, cost_yuan (English or
        Chinese headers).
    sheet
        Excel sheet (default: the first).
    encoding
        Text encoding of a CSV file (default: detected).
    jobs
        The job names the model knows; a job outside them is an error, and a job's
        Chinese name (管道疏通) is read as its code (default: any name, as written).

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64), ``compound_id``, ``job``, ``taken_by`` (a code of
        :data:`TAKERS`), ``cost_yuan`` [yuan] and ``line`` (the spreadsheet row).

    Raises
    ------
    propfee.errors.InputError
        Every bad cell at once, with its row, compound and field: a date that is not a
        date or lies outside 1949-10-01 to 2100-12-31, a blank compound or job, an unknown
        job or taker, a cost that is not a number, negative, or blank for a company.
    """
    path = Path(path)
    what = f"work-order log {path}"
    frame, lines = _named_columns(_read_raw(path, sheet, encoding, what), "order_log", what)
    known_jobs = None if jobs is None else set(jobs)
    job_names = {} if known_jobs is None else {_job_label(j): j for j in known_jobs}
    takers = {code: code for code in TAKERS} | {
        text.lower(): code for code, labels in TAKERS.items() for text in labels}
    problems: list[Problem] = []
    rows: list[tuple[Any, ...]] = []
    costs = frame["cost_yuan"] if "cost_yuan" in frame else pd.Series([None] * len(frame))
    for k in range(len(frame)):
        line = int(lines[k])
        compound = _text(frame["compound_id"].iloc[k])

        def bad(field: str, value: Any, message: str, compound: str | None = compound,
                line: int = line) -> None:
            problems.append(Problem(compound, field, value, message, line=line))

        if compound is None:
            bad("compound_id", None, "blank")
        raw_date = frame["date"].iloc[k]
        date = _date(raw_date)
        if date is None:
            bad("date", raw_date, "not a date (write YYYY-MM-DD)")
        elif not EARLIEST_DATE <= date <= LATEST_DATE:
            bad("date", raw_date, f"outside {EARLIEST_DATE} to {LATEST_DATE}")
        job = _text(frame["job"].iloc[k])
        job = job_names.get(job, job) if job is not None else None
        if job is None:
            bad("job", None, "blank")
        elif known_jobs is not None and job not in known_jobs:
            close = difflib.get_close_matches(job, sorted(known_jobs), n=1)
            bad("job", job, "not a job of the plan" + (f"; did you mean {close[0]!r}?"
                                                       if close else ""))
        raw_taker = _text(frame["taken_by"].iloc[k])
        taker = None if raw_taker is None else takers.get(raw_taker.lower())
        if taker is None:
            bad("taken_by", raw_taker, "must be one of " + ", ".join(
                f"{code} ({labels[1]})" for code, labels in TAKERS.items()))
        cost = _cost(costs.iloc[k], taker, bad)
        rows.append((date, compound, job, taker, cost, line))
    if problems:
        raise InputError(problems, what=what)
    log = pd.DataFrame(rows, columns=["date", "compound_id", "job", "taken_by", "cost_yuan",
                                      "line"])
    log["date"] = pd.to_datetime(log["date"])
    return log


def _job_label(job: str) -> str:
    """A job's Chinese name (管道疏通 for pipe_dredging), as the order log may give it."""
    from propfee.labels import label

    return label(f"job_{job}", "zh").split("：", 1)[-1]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text.split(" ")[0], fmt).date()
        except ValueError:
            continue
    return None


def _cost(value: Any, taker: str | None, bad: Any) -> float:
    if _text(value) is None:
        if taker in ("shared_company", "market"):
            bad("cost_yuan", None, "blank: an order a company takes has a cost")
        return 0.0
    try:
        cost = float(value)
    except (TypeError, ValueError):
        bad("cost_yuan", value, "not a number")
        return math.nan
    if not math.isfinite(cost) or cost < 0:
        bad("cost_yuan", value, "must be 0 or more")
    return cost


def _period(log: pd.DataFrame, start: dt.date | None, end: dt.date | None
            ) -> tuple[pd.DataFrame, float]:
    """The orders from ``start`` to ``end`` (default: the log's first and last date) and
    the years between them, both days counted. [year]"""
    first = start or log["date"].min().date()
    last = end or log["date"].max().date()
    if last < first:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    days = log["date"].dt.date
    kept = log[(days >= first) & (days <= last)]
    return kept, ((last - first).days + 1) / 365.0


def order_counts(
    log: pd.DataFrame,
    exposures: pd.DataFrame,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    quantity: str = JOB_RATE_PATH,
) -> pd.DataFrame:
    """Job counts for calibration from a work-order log, zero counts included.

    Every order counts as a use of its job, whoever took it: the rate of uses is how
    often the work is needed, not who does it.

    Parameters
    ----------
    log
        :func:`read_order_log`'s table.
    exposures
        ``job``, ``compound_id`` and ``exposure_per_year`` [basis units x age factor]
        (:func:`job_exposures`): one row per job and compound that the log covers.
    start, end
        The period the log covers, both days counted (default: its first and last order).
    quantity
        The input of a job's rate of uses, with ``{job}`` for the job's name.

    Returns
    -------
    pandas.DataFrame
        The ``job_counts`` table: ``quantity``, ``compound_id``, ``exposure``
        (``exposure_per_year x years``) and ``count``, one row per row of ``exposures``.

    Raises
    ------
    propfee.errors.InputError
        Naming the log's rows whose job and compound have no exposure.
    """
    kept, years = _period(log, start, end)
    counts = kept.groupby(["job", "compound_id"]).size()
    index = pd.MultiIndex.from_frame(exposures[["job", "compound_id"]].astype(str))
    unknown = counts.index.difference(index)
    if len(unknown):
        missing = set(unknown)
        pairs = zip(kept["job"], kept["compound_id"], kept["line"], strict=True)
        problems = [Problem(str(compound), "job", job, "no exposure for this job in this "
                            "compound: is the job in the plan and the compound in the table?",
                            line=int(line))
                    for job, compound, line in pairs if (job, compound) in missing]
        raise InputError(problems, what="work-order log")
    n = counts.reindex(index, fill_value=0).to_numpy()
    return pd.DataFrame({
        "quantity": [quantity.format(job=j) for j in exposures["job"]],
        "compound_id": exposures["compound_id"].astype(str).to_numpy(),
        "exposure": exposures["exposure_per_year"].to_numpy(dtype=np.float64) * years,
        "count": n.astype(np.float64),
    })


def order_prices(
    log: pd.DataFrame,
    *,
    taken_by: Iterable[str] = ("market",),
    quantity: str = JOB_PRICE_PATH,
) -> pd.DataFrame:
    """Amounts for calibration of a job's price per use: what the orders cost.

    Per job and compound, the cost of the orders that ``taken_by`` took (``observed``
    [yuan]) against their number (``exposure`` [uses]): the expected cost is the price
    per use times the uses. Orders of cost 0 are left out.

    Returns
    -------
    pandas.DataFrame
        The ``amounts`` table: ``quantity``, ``compound_id``, ``observed``, ``exposure``.
    """
    chosen = log[log["taken_by"].isin(list(taken_by)) & (log["cost_yuan"] > 0)]
    sums = chosen.groupby(["job", "compound_id"])["cost_yuan"].agg(["sum", "size"])
    jobs = sums.index.get_level_values("job")
    return pd.DataFrame({
        "quantity": [quantity.format(job=j) for j in jobs],
        "compound_id": sums.index.get_level_values("compound_id").astype(str),
        "observed": sums["sum"].to_numpy(dtype=np.float64),
        "exposure": sums["size"].to_numpy(dtype=np.float64),
    })


def job_exposures(
    compounds: pd.DataFrame | CompoundTable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
) -> pd.DataFrame:
    """Each job's exposure in each compound: the uses a year at a rate of 1.

    The demand of every job of the parameter set's catalogue with its
    ``uses_per_basis_year`` at 1 (:func:`propfee.work.demand.demand_by_category`): the
    basis quantity x age factor of each job and compound, the number the rate is
    multiplied by.

    Returns
    -------
    pandas.DataFrame
        ``job``, ``compound_id``, ``exposure_per_year`` [basis units x age factor /
        year], one row per job of the catalogue and compound.
    """
    from propfee.compound import CompoundTable, validate_compounds
    from propfee.params import default_parameters
    from propfee.params.values import ParamValues
    from propfee.plan import default_plan
    from propfee.work.demand import coverage_regime, demand_by_category

    plan = plan or default_plan()
    params = params or default_parameters()
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    ones = np.ones(len(table))
    values = ParamValues(params, {JOB_RATE_PATH.format(job=j): ones for j in params.jobs})
    coverage = coverage_regime(plan.gate_regime,
                               params.grades.grade(plan.service_grade).gate_regime)
    demand = demand_by_category(table, params, plan.service_grade, coverage, values)
    uses = {job: demand[job] for job in params.jobs}
    ids = np.asarray(table.ids, dtype=object)
    return pd.DataFrame({
        "job": np.repeat(list(uses), len(table)),
        "compound_id": np.tile(ids, len(uses)),
        "exposure_per_year": np.concatenate([np.asarray(v, dtype=np.float64)
                                             for v in uses.values()]) if uses else [],
    })


def write_templates(path: str | Path, *, labels: Language = "en") -> Path:
    """Write an empty workbook for observations: job counts, rates, amounts, the
    work-order log, and an instructions sheet.

    Parameters
    ----------
    path
        The ``.xlsx`` file (written atomically).
    labels
        ``"en"`` or ``"zh"``: the language of the sheet names and headers (both are
        read back).

    Returns
    -------
    pathlib.Path
    """
    require("openpyxl", feature="writing Excel files", extra="excel")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from propfee._atomic import atomic_path

    zh = labels == "zh"
    target = Path(path)
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for kind, columns in TABLE_COLUMNS.items():
        sheet = book.create_sheet(SHEETS[kind][zh])
        for j, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=j, value=column.zh if zh else column.en)
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = 16
        if kind == "order_log":
            for row in range(2, 202):
                sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
    notes = book.create_sheet("说明" if zh else "instructions")
    notes.append(["工作表" if zh else "sheet", "列" if zh else "column",
                  "含义" if zh else "meaning"])
    for kind, columns in TABLE_COLUMNS.items():
        for column in columns:
            notes.append([SHEETS[kind][zh], column.zh if zh else column.en,
                          column.help_zh if zh else column.help_en])
    notes.append([])
    notes.append(["接单方" if zh else "taken_by", "",
                  "、".join(z for _, z in TAKERS.values()) if zh else ", ".join(TAKERS)])
    with atomic_path(target) as temporary:
        book.save(temporary)
    return target
