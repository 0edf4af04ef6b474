"""The propfee exception family.

Every error raised on bad input names the field, the row (the compound id, or the
parameter path) and the offending value. Reading a table reports every bad row at
once, not only the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "InputError",
    "MissingExtraError",
    "ParameterError",
    "Problem",
    "PropfeeError",
    "UsageError",
]


class PropfeeError(Exception):
    """Base class of every error propfee raises on purpose."""


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
    """

    row: str | None
    field: str
    value: Any
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"row {self.line}, " if self.line is not None else ""
        where += f"compound {self.row!r}, " if self.row is not None else ""
        got = "" if self.value is None else f" (got {_short(self.value)})"
        return f"{where}field {self.field!r}: {self.message}{got}"


def _short(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters, so a huge input is never echoed whole."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 15]}... ({len(text):,} chars)"


class InputError(PropfeeError):
    """Input that propfee refuses to compute with.

    Attributes
    ----------
    problems
        Every problem found, in the order rows and fields were checked.
    """

    def __init__(self, problems: Sequence[Problem], *, what: str = "input") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {what}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))

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


class ParameterError(PropfeeError):
    """A parameter file or parameter set that is missing, malformed or out of range."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(["bad parameters:", *(f"  - {p}" for p in self.problems)]))


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
