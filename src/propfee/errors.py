"""The propfee exception family.

Every error raised on bad input names the field, the row (the compound id, or the
parameter path) and the offending value. Reading a table reports every bad row at
once, not only the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_LISTED",
    "MAX_VALUE_CHARS",
    "InputError",
    "MissingExtraError",
    "ParameterError",
    "Problem",
    "PropfeeError",
    "UsageError",
]


class PropfeeError(Exception):
    """Base class of every error propfee raises on purpose."""


_MESSAGES_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), text) for pattern, text in (
        (r"^missing column \((.*)\)$", "缺少列（\\1）"),
        (r"^empty bundle id$", "捆绑编号为空"),
        (r"^empty compound id$", "小区编号为空"),
        (r"^not a compound of the table$", "不是小区表中的小区"),
        (r"^twice in bundle '(.*)' \(row (\d+)\)$", "在组合“\\1”中出现两次（另见第 \\2 行）"),
        (r"^also in bundle '(.*)' \(row (\d+)\)$", "也在组合“\\1”中（第 \\2 行）"),
        (r"^must be a number >= 0 \[yuan/year\]$", "应为不小于 0 的数（元/年）"),
        (r"^bundle '(.*)' has (\S+) in row (\d+)$", "与组合“\\1”第 \\3 行的 \\2 不同"),
        (r"^more than the compound's (\S+) households$", "多于该小区的户数 \\1"),
    ))
"""Messages of problems that are worded in English where they are found, in Chinese."""

_FIELDS_ZH: dict[str, str] = {"mapping": "--column 选项"}
"""Fields that are options of the command line, as a Chinese message names them."""

_WHAT_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^bundle file (.*)$", re.DOTALL), "打包文件 \\1"),
)
"""What an error is about, in Chinese, where it is named in English."""


def _in_chinese(text: str, table: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, words in table:
        if pattern.match(text):
            return pattern.sub(words, text)
    return text


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input.

    Parameters
    ----------
    row
        The compound id (or another row key such as a parameter path) the problem
        belongs to; ``None`` when the problem concerns the whole input.
    field
        The field or column name.
    value
        The offending value, as given.
    message
        What is wrong with it, in plain words.
    line
        The row as a spreadsheet shows it (the header is row 1, the first data row
        is row 2), when the input came from a file; ``None`` otherwise.
    sheet
        The sheet of a workbook the problem is on; ``None`` for other files.
    column
        The spreadsheet column letter of the cell (``"C"``), when the input came from a
        workbook; ``None`` otherwise.
    header
        The column's header as the file has it (``"户数"``), when the input came from
        a file; ``None`` otherwise.
    code
        What kind of problem it is (``"rule"``, ``"missing"``, ``"unknown_column"``...),
        for programs that act on it; ``None`` when not classified.

    Examples
    --------
    >>> print(Problem("A1", "households", "一百", "must be a positive whole number",
    ...               line=7, sheet="Sheet1", column="C", header="户数"))
    Sheet1!C7 households (户数): must be a positive whole number, got '一百'
    >>> print(Problem("A1", "households", "ten", "not a number", line=4))
    row 4, compound 'A1', field 'households': not a number (got 'ten')
    """

    row: str | None
    field: str
    value: Any
    message: str
    line: int | None = None
    sheet: str | None = None
    column: str | None = None
    header: str | None = None
    code: str | None = None

    def __str__(self) -> str:
        return self.text("en")

    @property
    def located(self) -> bool:
        """Whether the problem names a sheet, a column letter or a header of a file."""
        return self.sheet is not None or self.column is not None or self.header is not None

    def text(self, lang: str = "en") -> str:
        """The problem in one line, in English (``"en"``) or Chinese (``"zh"``).

        A problem found in a file starts with its cell (``Sheet1!C7``, or ``row 7,
        column 户数`` for a text file) and names the column by propfee's name and by
        the header the file has; other problems name the compound and the field.
        Values are cut to :data:`MAX_VALUE_CHARS` characters.
        """
        zh = lang == "zh"
        got = _got(self.value, zh)
        if self.located:
            message = _in_chinese(self.message, _MESSAGES_ZH) if zh else self.message
            return f"{self.where(lang)}{'：' if zh else ': '}{message}{got}"
        where = ""
        if self.line is not None:
            where = f"第 {self.line} 行，" if zh else f"row {self.line}, "
        if self.row is not None:
            where += f"小区 {_short(self.row)}，" if zh else f"compound {_short(self.row)}, "
        field = "" if self.field == "file" else (
            f"{_cut(_FIELDS_ZH.get(self.field, self.field))}：" if zh
            else f"field {_short(self.field)}: ")
        if zh:
            got = "" if self.value is None else f"（实为 {_got(self.value, zh)[4:]}）"
            return f"{where}{field}{_in_chinese(self.message, _MESSAGES_ZH)}{got}"
        got = "" if self.value is None else f" (got {_short(self.value)})"
        return f"{where}{field}{self.message}{got}"

    def where(self, lang: str = "en") -> str:
        """Where a problem found in a file is: its cell and column.

        ``Sheet1!C7 households (户数)`` for a workbook, ``row 7, column 户数
        (households)`` for a text file; in Chinese ``小区!C7 户数`` and ``第 7 行，户数列``.
        """
        zh = lang == "zh"
        header = None if self.header is None else _cut(self.header)
        field = _cut(self.field)
        if zh:
            name = header if header is not None else field
        elif header is None or header == field:
            name = field
        else:
            name = f"{field} ({header})"
        if self.field == "file":
            name = ""
        if self.sheet is not None:
            sheet = _sheet_ref(self.sheet)
            if self.column is not None:
                cell = f"{sheet}!{self.column}{'' if self.line is None else self.line}"
            elif self.line is not None:
                cell = f"{sheet} 第 {self.line} 行" if zh else f"{sheet} row {self.line}"
            else:
                cell = sheet
            return f"{cell} {name}".rstrip()
        column = f"{name}{' ' if name[-1:].isascii() else ''}列" if zh else f"column {name}"
        if self.line is None:
            return column if name else ""
        if not name:
            return f"第 {self.line} 行" if zh else f"row {self.line}"
        return f"第 {self.line} 行，{column}" if zh else f"row {self.line}, {column}"


def _got(value: Any, zh: bool) -> str:
    if value is None:
        return ""
    if zh:
        shown = _short(value, quote='"') if isinstance(value, str) else _short(value)
        return f"，实为 {shown}"
    return f", got {_short(value)}"


MAX_VALUE_CHARS = 80
"""Longest value a message shows; a longer one is cut, with its length. [characters]"""

MAX_LISTED = 50
"""Most problems one error message lists; the rest are counted ("… and 12 more")."""


def _cut(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    text = _printable(str(text))
    return text if len(text) <= limit else f"{text[: limit - 15]}… ({len(text):,} chars)"


def _short(value: Any, limit: int = MAX_VALUE_CHARS, quote: str = "") -> str:
    """``repr(value)`` cut to ``limit`` characters, so a huge input is never echoed whole.

    Text that cannot be encoded (a lone surrogate) is shown escaped."""
    text = quote + _printable(value) + quote if quote and isinstance(value, str) else repr(value)
    return text if len(text) <= limit else f"{text[: limit - 15]}... ({len(text):,} chars)"


def _printable(text: str) -> str:
    """Text with control characters and lone surrogates escaped (``\\x00``, ``\\ud800``)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _sheet_ref(sheet: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted when it holds more than
    letters, digits and CJK characters."""
    plain = all(ch.isalnum() or ch == "_" for ch in sheet)
    return sheet if plain else "'" + sheet.replace("'", "''") + "'"


class InputError(PropfeeError):
    """Input that propfee refuses to compute with.

    Attributes
    ----------
    problems
        Every problem found, in the order rows and fields were checked.
    """

    def __init__(self, problems: Sequence[Problem], *, what: str = "input",
                 lang: str = "en") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.what = what
        self.lang = lang
        super().__init__(self.text(lang))

    def text(self, lang: str | None = None) -> str:
        """The message: a head line and one line a problem, in English or Chinese.

        Problems found in a file are listed by row, then column; at most
        :data:`MAX_LISTED` are listed, the rest counted ("… and 12 more"), so a file
        with a million bad cells gives a message of a few kilobytes.
        """
        lang = lang or self.lang
        zh = lang == "zh"
        n = len(self.problems)
        what = _cut(_in_chinese(self.what, _WHAT_ZH) if zh else self.what, 300)
        head = (f"{what} 有 {n} 个问题：" if zh
                else f"{n} problem{'s' if n != 1 else ''} in {what}:")
        shown = self.problems
        if any(p.located for p in shown):
            shown = tuple(sorted(shown, key=_order))
        lines = [f"  - {p.text(lang)}" for p in shown[:MAX_LISTED]]
        if n > MAX_LISTED:
            rest = n - MAX_LISTED
            lines.append(f"  ……另有 {rest:,} 个问题" if zh else f"  … and {rest:,} more")
        return "\n".join([head, *lines])

    @classmethod
    def from_pydantic(
        cls, exc: Any, *, row: str | None = None, what: str = "input"
    ) -> InputError:
        """Build an :class:`InputError` from a :class:`pydantic.ValidationError`.

        Parameters
        ----------
        exc
            The pydantic validation error.
        row
            The compound id (or other row key) the model belongs to.
        what
            A short description of the input, used in the message head.
        """
        problems = [
            Problem(
                row=row,
                field=".".join(str(part) for part in err["loc"]) or "(model)",
                value=err.get("input"),
                message=err["msg"],
            )
            for err in exc.errors()
        ]
        return cls(problems, what=what)


def _order(problem: Problem) -> tuple[int, int]:
    """Row, then column letter: whole-file problems first (a stable sort keeps the order
    of problems in the same cell, or of a text file's columns as given)."""
    letters = problem.column or ""
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch.upper()) - 64)
    return (-1 if problem.line is None else problem.line, number)


_PARAMETER_PROBLEMS_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), text) for pattern, text in (
        (r"^(.*): no such parameter file or built-in region$",
         "\\1：既没有这个参数文件，也不是内置地区"),
        (r"^(.*): no such parameter file$", "\\1：没有这个参数文件"),
        (r"^(.*): no value in force on (\S+) \(first is (\S+)\)$",
         "\\1：\\2 没有生效的取值（最早的取值自 \\3 起）"),
    ))
"""The commonest parameter problems, worded in Chinese (others are shown as they are)."""

_FIRST_IN_FORCE = re.compile(r"no value in force on (\S+) \(first is (\S+)\)$")


class ParameterError(PropfeeError):
    """A parameter file or parameter set that is missing, malformed or out of range."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        """The message in English (``"en"``) or Chinese (``"zh"``): a head line, then a
        line that says which date would do when the date is before values come into force,
        then one line a problem (at most :data:`MAX_LISTED`).

        Examples
        --------
        >>> e = ParameterError(["taiyuan: fees.collection_rate: no value in force on "
        ...                     "1990-01-01 (first is 2000-01-01)"])
        >>> print(e.text("zh"))
        参数有误：
          测算日期 1990-01-01 早于 1 项参数的生效日期；请用 2000-01-01 或之后的日期。
          - taiyuan：fees.collection_rate：1990-01-01 没有生效的取值（最早的取值自 2000-01-01 起）
        """
        zh = lang == "zh"
        head = ["参数有误：" if zh else "bad parameters:"]
        early = [m.groups() for p in self.problems if (m := _FIRST_IN_FORCE.search(p))]
        if early:
            when, first = early[0][0], max(f for _, f in early)
            head.append(f"  测算日期 {when} 早于 {len(early)} 项参数的生效日期；"
                        f"请用 {first} 或之后的日期。" if zh else
                        f"  the date {when} is before {len(early)} values come into force; "
                        f"use {first} or later.")
        shown = [self._zh(p) if zh else p for p in self.problems]
        listed = [f"  - {_cut(p, 500)}" for p in shown[:MAX_LISTED]]
        if len(shown) > MAX_LISTED:
            rest = len(shown) - MAX_LISTED
            listed.append(f"  ……另有 {rest:,} 个问题" if zh else f"  … and {rest:,} more")
        return "\n".join([*head, *listed])

    @staticmethod
    def _zh(problem: str) -> str:
        for pattern, text in _PARAMETER_PROBLEMS_ZH:
            if pattern.match(problem):
                return pattern.sub(text, problem).replace(": ", "：")
        return problem


class UsageError(PropfeeError):
    """A request the library cannot carry out as asked (an output path, a format limit).

    The command line exits with status 2 on it; the message says the way out.
    """


class MissingExtraError(PropfeeError, ImportError):
    """An optional feature was asked for but its extra is not installed."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f"{feature} needs the optional package {module!r}; "
            f"install it with: pip install 'propfee[{extra}]'"
        )
