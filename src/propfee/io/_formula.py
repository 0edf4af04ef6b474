"""The value of a simple spreadsheet formula that its workbook did not store.

Excel stores, next to every formula, the value it last computed; openpyxl, pandas and
other programs that write workbooks store the formula alone. :func:`evaluate` computes
what Excel would show for the formulas such programs write: arithmetic (``+ - * / ^``,
unary minus, ``%``, parentheses) on numbers and on cells of the same sheet, text joined
with ``&``, and ``SUM``, ``AVERAGE``, ``MIN``, ``MAX``, ``ROUND``, ``INT`` and ``ABS``
over numbers, cells and ranges. Anything else (another sheet, a lookup, a date
function, an error value) raises :class:`FormulaError`, and the reader names the cell:
a value is never guessed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Any, Final

__all__ = ["FormulaError", "column_letter", "column_number", "evaluate"]

MAX_DEPTH: Final = 64
"""Formulas referring to formulas, at most this deep. [levels]"""
MAX_RANGE_CELLS: Final = 1_000_000
"""Largest range a function may sum. [cells]"""


class FormulaError(Exception):
    """A formula this module does not compute; the message says why.

    Attributes
    ----------
    zh
        The reason in Chinese.
    """

    def __init__(self, en: str, zh: str = "") -> None:
        super().__init__(en)
        self.zh = zh or en


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<range>\$?[A-Za-z]{1,3}\$?\d+\s*:\s*\$?[A-Za-z]{1,3}\$?\d+)
    | (?P<cell>\$?[A-Za-z]{1,3}\$?\d+)(?![\w(!])
    | (?P<func>[A-Za-z][A-Za-z0-9.]*)\s*\(
    | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    | (?P<string>"(?:[^"]|"")*")
    | (?P<bool>TRUE|FALSE)(?![\w(])
    | (?P<op><>|<=|>=|[-+*/^&%(),=<>])
    | (?P<other>\S+)
    )""",
    re.VERBOSE | re.IGNORECASE,
)

_FUNCTIONS: Final = frozenset({"SUM", "AVERAGE", "MIN", "MAX", "ROUND", "INT", "ABS"})
"""The functions :func:`evaluate` computes."""

Lookup = Callable[[int, int], Any]
"""``(row, column)`` (1-based) -> the cell's value, evaluated (``None`` when empty)."""


def column_number(letters: str) -> int:
    """A column's number from its letters: ``"A"`` is 1, ``"AA"`` is 27.

    Examples
    --------
    >>> column_number("C"), column_number("aa")
    (3, 27)
    """
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ord(ch) - 64)
    return number


def column_letter(number: int) -> str:
    """A column's letters from its number: 1 is ``"A"``, 27 is ``"AA"``.

    Examples
    --------
    >>> column_letter(3), column_letter(27)
    ('C', 'AA')
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str) -> tuple[int, int]:
    found = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref.strip())
    if found is None:  # pragma: no cover - the tokenizer only passes references
        raise FormulaError(f"not a cell: {ref}", f"不是单元格：{ref}")
    return int(found.group(2)), column_number(found.group(1))


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for found in _TOKEN.finditer(text):
        kind = found.lastgroup
        assert kind is not None
        value = found.group(kind)
        if kind == "other":
            raise FormulaError(f"cannot read {value[:20]!r}", f"无法识别 {value[:20]!r}")
        out.append((kind, value))
    return out


class _Parser:
    """A recursive-descent parser that evaluates as it reads."""

    def __init__(self, tokens: list[tuple[str, str]], lookup: Lookup) -> None:
        self.tokens = tokens
        self.at = 0
        self.lookup = lookup

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise FormulaError("the formula ends too early", "公式不完整")
        self.at += 1
        return token

    def expect(self, op: str) -> None:
        kind, value = self.take()
        if kind != "op" or value != op:
            raise FormulaError(f"expected {op!r}, found {value!r}",
                               f"此处应为 {op!r}，实为 {value!r}")

    def formula(self) -> Any:
        value = self.comparison()
        if self.peek() is not None:
            token = self.peek()
            assert token is not None
            raise FormulaError(f"cannot read {token[1]!r}", f"无法识别 {token[1]!r}")
        return value

    def comparison(self) -> Any:
        left = self.concat()
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in ("=", "<>", "<", ">", "<=",
                                                                   ">="):
            raise FormulaError("comparisons are not computed", "不计算比较运算")
        return left

    def concat(self) -> Any:
        left = self.additive()
        while (token := self.peek()) is not None and token == ("op", "&"):
            self.take()
            right = self.additive()
            left = _text(left) + _text(right)
        return left

    def additive(self) -> Any:
        left = self.term()
        while (token := self.peek()) is not None and token[0] == "op" and token[1] in "+-":
            self.take()
            right = self.term()
            left = _number(left) + _number(right) if token[1] == "+" else (
                _number(left) - _number(right))
        return left

    def term(self) -> Any:
        left = self.power()
        while (token := self.peek()) is not None and token[0] == "op" and token[1] in "*/":
            self.take()
            right = self.power()
            if token[1] == "*":
                left = _number(left) * _number(right)
            else:
                divisor = _number(right)
                if divisor == 0:
                    raise FormulaError("a division by zero (#DIV/0!)", "除数为零（#DIV/0!）")
                left = _number(left) / divisor
        return left

    def power(self) -> Any:
        left = self.unary()
        while (token := self.peek()) is not None and token == ("op", "^"):
            self.take()
            right = self.unary()
            try:
                left = _number(left) ** _number(right)
            except (OverflowError, ZeroDivisionError):
                raise FormulaError("a power out of range (#NUM!)",
                                   "乘方超出范围（#NUM!）") from None
            if isinstance(left, complex):
                raise FormulaError("a power out of range (#NUM!)", "乘方超出范围（#NUM!）")
        return left

    def unary(self) -> Any:
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in "+-":
            self.take()
            value = _number(self.unary())
            return -value if token[1] == "-" else value
        value = self.primary()
        while (token := self.peek()) is not None and token == ("op", "%"):
            self.take()
            value = _number(value) / 100
        return value

    def primary(self) -> Any:
        kind, value = self.take()
        if kind == "number":
            return float(value)
        if kind == "string":
            return value[1:-1].replace('""', '"')
        if kind == "bool":
            return value.upper() == "TRUE"
        if kind == "cell":
            return self.lookup(*_cell(value))
        if kind == "op" and value == "(":
            inner = self.comparison()
            self.expect(")")
            return inner
        if kind == "func":
            return self.function(value.upper())
        if kind == "range":
            raise FormulaError("a range outside a function", "区域只能用在函数中")
        raise FormulaError(f"cannot read {value!r}", f"无法识别 {value!r}")

    def arguments(self) -> Iterator[Any]:
        """The arguments of a function call; a range gives a list of its cells."""
        if self.peek() == ("op", ")"):
            self.take()
            return
        while True:
            token = self.peek()
            if token is not None and token[0] == "range":
                self.take()
                yield list(self.cells(token[1]))
            else:
                yield self.comparison()
            kind, value = self.take()
            if (kind, value) == ("op", ")"):
                return
            if (kind, value) != ("op", ","):
                raise FormulaError(f"expected ',' or ')', found {value!r}",
                    f"此处应为 ',' 或 ')'，实为 {value!r}")

    def cells(self, text: str) -> Iterator[Any]:
        first, last = (part.strip() for part in text.split(":"))
        (r1, c1), (r2, c2) = _cell(first), _cell(last)
        top, bottom, left, right = min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)
        if (bottom - top + 1) * (right - left + 1) > MAX_RANGE_CELLS:
            raise FormulaError(f"a range of more than {MAX_RANGE_CELLS:,} cells",
                f"区域超过 {MAX_RANGE_CELLS:,} 个单元格")
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                yield self.lookup(r, c)

    def function(self, name: str) -> Any:
        if name not in _FUNCTIONS:
            raise FormulaError(f"the function {name} is not computed", f"不计算函数 {name}")
        args = list(self.arguments())
        if name in ("SUM", "AVERAGE", "MIN", "MAX"):
            numbers = []
            for arg in args:
                if isinstance(arg, list):  # a range: its numbers; text and empty cells skipped
                    numbers += [float(v) for v in arg
                                if isinstance(v, int | float) and not isinstance(v, bool)]
                else:
                    numbers.append(_number(arg))
            if name == "SUM":
                total = 0.0
                for v in numbers:
                    total += v
                return total
            if not numbers:
                if name == "AVERAGE":
                    raise FormulaError("an average of no numbers (#DIV/0!)",
                                       "没有数值可求平均（#DIV/0!）")
                return 0.0
            if name == "AVERAGE":
                total = 0.0
                for v in numbers:
                    total += v
                return total / len(numbers)
            return min(numbers) if name == "MIN" else max(numbers)
        if any(isinstance(arg, list) for arg in args):
            raise FormulaError(f"{name} of a range is not computed", f"不计算区域的 {name}")
        if name == "ROUND" and len(args) == 2:
            return _excel_round(_number(args[0]), int(_number(args[1])))
        if name == "INT" and len(args) == 1:
            return float(math.floor(_number(args[0])))
        if name == "ABS" and len(args) == 1:
            return abs(_number(args[0]))
        raise FormulaError(f"the function {name} is not computed", f"不计算函数 {name}")


def _excel_round(value: float, digits: int) -> float:
    """Excel's ROUND: halves away from zero, on the decimal digits shown (15 significant)."""
    if not math.isfinite(value) or abs(digits) > 15:
        raise FormulaError("ROUND out of range (#NUM!)", "ROUND 超出范围（#NUM!）")
    shown = float(f"{value:.15g}")
    scale = 10.0 ** digits
    return math.copysign(math.floor(abs(shown) * scale + 0.5) / scale, shown)


def _number(value: Any) -> float:
    """A value as Excel's arithmetic takes it: an empty cell is 0, TRUE is 1, text that is
    a number is that number; other text is an error (#VALUE!)."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise FormulaError("a number out of range (#NUM!)", "数值超出范围（#NUM!）")
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise FormulaError(f"arithmetic on text {value[:20]!r} (#VALUE!)",
                f"对文本 {value[:20]!r} 做算术（#VALUE!）") from None
        if math.isfinite(number):
            return number
    raise FormulaError(f"arithmetic on a {type(value).__name__} (#VALUE!)",
        f"对 {type(value).__name__} 做算术（#VALUE!）")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def evaluate(formula: str, lookup: Lookup) -> Any:
    """The value of a formula (``"=B2*C2"``), its cells read through ``lookup``.

    Parameters
    ----------
    formula
        The formula as stored, with or without its leading ``=``.
    lookup
        ``(row, column) -> value`` for a cell of the same sheet (1-based), the value
        of a formula cell already computed; it may raise :class:`FormulaError`.

    Returns
    -------
    float, str or bool
        The value; numbers are floats. [as the cells]

    Raises
    ------
    FormulaError
        For a formula outside the simple kinds listed in the module docstring, or one
        Excel would show as an error (``#DIV/0!``, ``#VALUE!``, ``#NUM!``).

    Examples
    --------
    >>> cells = {(2, 1): 64, (2, 2): 65.625, (3, 1): 88}
    >>> evaluate("=A2*B2", lambda r, c: cells.get((r, c)))
    4200.0
    >>> evaluate("=SUM(A2:A3)+ROUND(2.5,0)", lambda r, c: cells.get((r, c)))
    155.0
    """
    text = formula[1:] if formula.startswith("=") else formula
    if "!" in text:
        raise FormulaError("it refers to another sheet or workbook",
                           "引用了其他工作表或工作簿")
    for name in re.findall(r"([A-Za-z_][A-Za-z0-9._]*)\s*\(", text):
        if name.upper() not in _FUNCTIONS:  # named first, whatever its arguments
            raise FormulaError(f"the function {name.upper()} is not computed",
                               f"不计算函数 {name.upper()}")
    value = _Parser(_tokens(text), lookup).formula()
    if isinstance(value, float) and not math.isfinite(value):
        raise FormulaError("a number out of range (#NUM!)", "数值超出范围（#NUM!）")
    return value
