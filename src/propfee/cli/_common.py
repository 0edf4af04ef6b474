"""What the commands share: options, the language of messages, reading inputs, checking
outputs. Only typer is imported at start; everything else when a command runs."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

import typer

if TYPE_CHECKING:
    import pandas as pd

    from propfee.params import ParameterSet
    from propfee.plan import Plan

Lang = Literal["en", "zh"]

SOURCE_DATE_ISO: Final = "2024-07-09"
"""``propfee.params.SOURCE_DATE`` (kept as text so the help needs no import)."""
FIRST_DATE: Final = dt.date(1949, 10, 1)
"""Earliest evaluation date (``--as-of``): ``propfee.params.loader.EARLIEST_DATE`` (kept
here so the help needs no import; a test pins the two)."""
LAST_DATE: Final = dt.date(2100, 12, 31)
"""Latest evaluation date (``--as-of``): the compound table's latest build year; a
projection of 100 years from it still ends within the calendar."""

ParamsOption = Annotated[
    str, typer.Option("--params", help="Parameter file (TOML) or built-in region name.")
]
AsOfOption = Annotated[str, typer.Option(
    "--as-of", help="Evaluation date, YYYY-MM-DD, from 1949-10-01 to 2100-12-31.")]
PlanOption = Annotated[str | None, typer.Option(
    "--plan", help="4+1 plan: a built-in name (see `propfee plans`) or a plan JSON file.")]
EncodingOption = Annotated[str | None, typer.Option(
    help="Text encoding of a CSV file (utf-8, gbk, gb18030, utf-16...); default: detected.")]
ColumnOption = Annotated[list[str] | None, typer.Option(
    "--column", help="Map a header to a column, HEADER=COLUMN (e.g. 住户=households); "
                     "repeat for several.")]
SheetOption = Annotated[str | None, typer.Option(
    help="Sheet of a workbook to read, by name or number (1 is the first tab); default: "
         "the sheet Excel opens on, if visible, else the first visible one.")]
CompoundsArgument = Annotated[Path | None, typer.Argument(
    help="Compounds table to read: .csv, .xlsx or .parquet; default: the example street.",
    exists=True, dir_okay=False)]
TableOutOption = Annotated[Path | None, typer.Option(
    help="Write the result: .xlsx (a print-ready workbook in the --labels language: "
         "conclusion, tables, chart, notes) or .csv (the plain table, for other programs).")]
LabelsOption = Annotated[str, typer.Option(
    "--labels", envvar="PROPFEE_LANG", show_envvar=True,
    help="Language of tables, messages and errors: en or zh (also PROPFEE_LANG).")]


_CURRENT: dict[str, Lang] = {}
"""The language of the command running (its ``--labels``), for its error messages."""


def use_language(labels: str | None) -> Lang:
    """The language a command's ``--labels`` names, kept for its error messages."""
    lang = language(labels)
    _CURRENT["lang"] = lang
    return lang


def current_language() -> Lang | None:
    """The language of the command running, once it has read its ``--labels``."""
    return _CURRENT.get("lang")


def reset_language() -> None:
    """Forget the language of the last command (a new one starts)."""
    _CURRENT.clear()


def language(labels: str | None) -> Lang:
    """The language a ``--labels`` value names (``en`` or ``zh``).

    Raises
    ------
    typer.BadParameter
        For any other value.
    """
    value = (labels or "en").strip().lower()
    if value in ("zh", "zh-cn", "zh_cn", "cn", "chinese", "中文"):
        return "zh"
    if value in ("en", "english"):
        return "en"
    raise typer.BadParameter(f"{labels!r} is not en or zh", param_hint="--labels")


def env_language() -> Lang:
    """The language of ``PROPFEE_LANG`` (English unless it names Chinese)."""
    try:
        return language(os.environ.get("PROPFEE_LANG"))
    except typer.BadParameter:
        return "en"


def as_of_date(as_of: str, lang: Lang = "en") -> dt.date:
    """The ``--as-of`` date, within :data:`FIRST_DATE` and :data:`LAST_DATE`.

    Raises
    ------
    typer.BadParameter
        For text that is not a date, or a date out of the range.
    """
    try:
        when = dt.date.fromisoformat(as_of.strip())
    except ValueError:
        raise typer.BadParameter(
            f"不是日期：{as_of[:40]!r}（应为 YYYY-MM-DD）" if lang == "zh"
            else f"not a date: {as_of[:40]!r} (write YYYY-MM-DD)",
            param_hint="--as-of") from None
    if not FIRST_DATE <= when <= LAST_DATE:
        raise typer.BadParameter(
            f"{when} 超出范围：应在 {FIRST_DATE} 到 {LAST_DATE} 之间" if lang == "zh"
            else f"{when} is out of range: give a date from {FIRST_DATE} to {LAST_DATE}",
            param_hint="--as-of")
    return when


def params(params: str, as_of: str, lang: Lang = "en") -> ParameterSet:
    """The parameter set a ``--params`` and ``--as-of`` name."""
    from propfee.params import load_parameters

    return load_parameters(params, as_of_date(as_of, lang))


def plan(plan: str | None, lang: Lang = "en") -> Plan:
    """The plan a ``--plan`` option names: a built-in plan or a plan JSON file."""
    from propfee.io import read_plan
    from propfee.plan import default_plan, named_plan, plan_names

    if plan is None:
        return default_plan()
    if plan in plan_names():
        return named_plan(plan)
    path = Path(plan)
    if not path.exists() or path.is_dir():
        raise typer.BadParameter(
            f"{plan[:200]!r} 既不是内置方案（{', '.join(plan_names())}），也不是文件"
            if lang == "zh"
            else f"{plan[:200]!r} is neither a built-in plan ({', '.join(plan_names())}) nor "
                 "a file", param_hint="--plan")
    return read_plan(path, lang=lang)


def mapping(columns: list[str] | None) -> dict[str, str]:
    """The ``--column HEADER=COLUMN`` options as a mapping."""
    out: dict[str, str] = {}
    for item in columns or []:
        header, sep, column = item.partition("=")
        if not sep or not header.strip() or not column.strip():
            raise typer.BadParameter(f"{item[:80]!r} is not HEADER=COLUMN", param_hint="--column")
        out[header.strip()] = column.strip()
    return out


def inputs(*paths: Path | str | None) -> tuple[Path, ...]:
    """The files among ``paths`` that exist (never to be written over)."""
    out = []
    for p in paths:
        if p is None:
            continue
        try:
            if Path(p).exists():
                out.append(Path(p))
        except (OSError, ValueError):  # a name the system cannot look at
            continue
    return tuple(out)


def table(compounds_file: Path | None, encoding: str | None = None,
          column: list[str] | None = None, sheet: str | None = None,
          lang: Lang = "en") -> pd.DataFrame:
    """The compound table of a file, or the built-in example street."""
    from propfee.io import read_compounds

    if compounds_file is None:
        from propfee.datasets import sanqiao_like_street

        return sanqiao_like_street()
    return read_compounds(compounds_file, mapping=mapping(column), encoding=encoding,
                          sheet=_sheet(compounds_file, sheet), lang=lang)


def _sheet(path: Path, sheet: str | None) -> str | int | None:
    """A ``--sheet`` value for the reader: its name, or its tab number (1 is the first)
    when the workbook has no sheet of that name."""
    if sheet is None or not sheet.strip().isdigit():
        return sheet
    try:
        from openpyxl import load_workbook

        names = load_workbook(path, read_only=True).sheetnames
    except Exception:  # the reader names what is wrong with the file
        return sheet
    return sheet if sheet in names else int(sheet.strip()) - 1


def check_out(out: Path | None, *sources: Path | str | None,
              suffix: str | tuple[str, ...] = ".csv", lang: Lang = "en") -> None:
    """Refuse, before any work, an output that cannot be written or is an input.

    ``suffix`` is the output's format, or the formats it may have (e.g. ``(".csv",
    ".xlsx")``).
    """
    from propfee._atomic import check_target

    if out is None:
        return
    allowed = (suffix,) if isinstance(suffix, str) else suffix
    if out.suffix.lower() not in allowed:
        kinds = (" 或 " if lang == "zh" else " or ").join(allowed)
        raise typer.BadParameter(
            f"{out}：请写 {kinds} 文件" if lang == "zh" else f"{out}: write a {kinds} file",
            param_hint="--out")
    check_target(out, inputs=inputs(*sources), lang=lang)


def names(frame: pd.DataFrame) -> dict[str, str] | None:
    """Compound id -> name, when the table has names."""
    if "name" not in frame.columns:
        return None
    return dict(zip(frame["compound_id"].astype(str), frame["name"].fillna("").astype(str),
                    strict=True))


def write(frame: pd.DataFrame, out: Path, lang: Lang = "en") -> None:
    """Write a result table to CSV and say so."""
    from propfee.io import write_table

    write_table(frame, out, lang=lang)
    say(f"已写入 {len(frame):,} 行：{out}" if lang == "zh"
        else f"wrote {len(frame):,} rows to {out}")


def say(text: str) -> None:
    """Print a line to standard output (a file name that is not UTF-8 shown escaped)."""
    typer.echo(printable(text))


def printable(text: str) -> str:
    """Text a UTF-8 terminal can show: lone surrogates (bytes of a file name in another
    encoding) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def not_utf8(value: object) -> bool:
    """Whether an option's text holds bytes that were not UTF-8 (lone surrogates)."""
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def fmt(df: pd.DataFrame) -> str:
    """A table as text for the terminal."""
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 20,
                           "display.unicode.east_asian_width", True):
        return df.to_string(float_format=lambda v: f"{v:,.2f}")


def read_note(frame: Any, path: Path | None, lang: Lang) -> str:
    """Which sheet of a workbook was read, for the confirmation (empty for other files)."""
    sheet = getattr(frame, "attrs", {}).get("sheet") if path is not None else None
    if sheet is None:
        return ""
    return f"（读取工作表 {sheet}）" if lang == "zh" else f" (sheet {sheet!r})"
