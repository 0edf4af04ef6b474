"""Parameter files: dated values with units and references, looked up by date.

A parameter file is TOML. Each entry is a dotted path into :class:`ParameterSet`
with its unit, a reference (the regulation, norm or source), a status saying
where the number comes from, and a history of values with the date each took
effect::

    region = "Taiyuan, Shanxi"

    [values."fees.rate_yuan_per_m2_month"]
    unit = "yuan/(m2 month)"
    status = "source"
    reference = "Xinghualing District report (2024): 0.5 yuan/m2/month"
    history = [{ since = 2000-01-01, value = 0.5 }]

The value in force on a date is the last one whose ``since`` is on or before it.

Units are checked (see :mod:`propfee.params.units`): the unit a path expects is its
unit in the built-in file; a value in another compatible unit is converted (a wage in
``yuan/year`` becomes ``yuan/month``), an incompatible unit is an error naming the
path. A file may be saved in UTF-8 (the TOML standard), or in GB18030/GBK or UTF-16
as some Windows editors do; it is read either way.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from propfee._encoding import decode
from propfee.errors import ParameterError
from propfee.params.model import ParameterSet, validate_parameter_set
from propfee.params.units import UnitError, convert, dimensionality, same_unit

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_PARAMETER_MAGNITUDE",
    "SOURCE_DATE",
    "DatedValue",
    "ParameterFile",
    "default_parameters",
    "load_parameter_file",
    "load_parameters",
    "unit_problems",
]

SOURCE_DATE = dt.date(2024, 7, 9)
"""Publication date of the Xinghualing District report; the default evaluation date."""

MAX_PARAMETER_MAGNITUDE = 1e8
"""Largest magnitude of any parameter value, in the unit its path expects.

Every built-in value is far below it (the largest is tens of thousands); with the
compound bounds (at most 10^7 m2) a fee rate at this limit still gives under 10^18 fen
a year, inside int64. A value beyond it (a fee rate of 1e300) is a typo, refused.
"""

Status = Literal["source", "rule", "norm", "illustrative"]


class HistoryEntry(BaseModel):
    """One value of a parameter and the date it took effect."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    since: dt.date
    value: Annotated[float, Field(allow_inf_nan=False)] | str


class DatedValue(BaseModel):
    """A parameter with unit, reference, status and dated history.

    Attributes
    ----------
    unit
        The unit of the value, e.g. ``"yuan/month"``; ``"1"`` for a pure number.
    reference
        Where the value comes from (regulation, norm, source, or the assumption).
    status
        ``source`` (the Xinghualing report), ``rule`` (a regulation), ``norm``
        (a published industry norm) or ``illustrative`` (a labelled assumption).
    history
        Values with their effective dates, in ascending date order.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    reference: str
    status: Status
    history: tuple[HistoryEntry, ...] = Field(min_length=1)

    @field_validator("history")
    @classmethod
    def _ascending(cls, history: tuple[HistoryEntry, ...]) -> tuple[HistoryEntry, ...]:
        dates = [h.since for h in history]
        if dates != sorted(set(dates)):
            raise ValueError(f"history dates must be unique and ascending, got {dates}")
        return history

    def at(self, when: dt.date) -> float | str:
        """The value in force on ``when``.

        Raises
        ------
        KeyError
            If ``when`` is before the first effective date.
        """
        current: float | str | None = None
        for entry in self.history:
            if entry.since <= when:
                current = entry.value
        if current is None:
            raise KeyError(f"no value in force on {when} (first is {self.history[0].since})")
        return current


class ParameterFile(BaseModel):
    """The contents of one region's parameter file.

    Attributes
    ----------
    region
        Region name.
    description
        What the file is and how it was assembled.
    values
        Dated parameters keyed by dotted path (``"staffing.order.monthly_wage_yuan"``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    region: str
    description: str = ""
    values: dict[str, DatedValue]

    def at(self, when: dt.date) -> ParameterSet:
        """The :class:`ParameterSet` in force on a date.

        Values given in another unit than the built-in file's for the same path are
        converted to it.

        Parameters
        ----------
        when
            Evaluation date; building ages are counted to its year.

        Raises
        ------
        propfee.errors.ParameterError
            Naming every path with no value in force, an incompatible unit, a path
            below another path's value, unknown or out of range.
        """
        tree: dict[str, Any] = {"region": self.region, "as_of": when}
        problems = unit_problems(self)
        for path, dated in self.values.items():
            try:
                value = dated.at(when)
            except KeyError as exc:
                problems.append(f"{path}: {exc.args[0]}")
                continue
            expected = _expected_units().get(path)
            if isinstance(value, float) and expected is not None and not same_unit(
                    dated.unit, expected):
                try:
                    value = convert(value, dated.unit, expected)
                except UnitError:
                    continue  # named by unit_problems
            if isinstance(value, float) and abs(value) > MAX_PARAMETER_MAGNITUDE:
                problems.append(f"{path}: {value:g} is beyond {MAX_PARAMETER_MAGNITUDE:g}, "
                                "the largest value propfee computes with exactly")
                continue
            node = tree
            *parents, leaf = path.split(".")
            for part in parents:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    break
                node = child
            else:
                node[leaf] = value
        if problems:
            raise ParameterError(problems)
        return validate_parameter_set(tree)

    def table(self, when: dt.date | None = None) -> pd.DataFrame:
        """Every parameter as a table: path, value (on ``when``), unit, since, status, reference.

        Parameters
        ----------
        when
            The date to show values for; defaults to :data:`SOURCE_DATE`.
        """
        import pandas as pd

        when = when or SOURCE_DATE
        rows = []
        for path, dated in sorted(self.values.items()):
            in_force = [h for h in dated.history if h.since <= when]
            last = in_force[-1] if in_force else None
            rows.append(
                {
                    "parameter": path,
                    "value": None if last is None else last.value,
                    "unit": dated.unit,
                    "since": None if last is None else last.since,
                    "status": dated.status,
                    "reference": dated.reference,
                }
            )
        return pd.DataFrame(rows)


def load_parameter_file(path: str | Path) -> ParameterFile:
    """Read and validate a TOML parameter file.

    Parameters
    ----------
    path
        Path of the TOML file, or a built-in region name (``"taiyuan"``).

    Raises
    ------
    propfee.errors.ParameterError
        If the file cannot be read or parsed, an entry is malformed, a unit cannot be
        read or does not convert to the unit the path expects, or a path lies below
        another path's value.
    """
    text = _read_text(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError([f"{path}: not valid TOML: {exc}"]) from None
    try:
        parsed = ParameterFile.model_validate(raw)
    except ValidationError as exc:
        raise ParameterError(
            f"{path}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        ) from None
    problems = unit_problems(parsed)
    if problems:
        raise ParameterError(f"{path}: {p}" for p in problems)
    return parsed


def unit_problems(parameters: ParameterFile) -> list[str]:
    """Every unit and path problem of a parameter file, one message per path.

    Checks that every unit can be read, that it converts to the unit the path has in
    the built-in file (text values: ``"-"``), and that no path lies below another
    path's value (``fees.rate_yuan_per_m2_month.extra``).

    Parameters
    ----------
    parameters
        The parsed file.

    Returns
    -------
    list of str
        ``"path: what is wrong"`` messages; empty when all is well.
    """
    problems: list[str] = []
    expected_units = _expected_units()
    leaves = set(parameters.values) | set(expected_units)
    for path, dated in parameters.values.items():  # noqa: PD011 (a dict field)
        parts = path.split(".")
        above = next((".".join(parts[:k]) for k in range(1, len(parts))
                      if ".".join(parts[:k]) in leaves), None)
        if above is not None:
            problems.append(f"{path}: lies below {above!r}, which holds a value; "
                            "remove one of the two")
            continue
        expected = expected_units.get(path)
        text = any(isinstance(h.value, str) for h in dated.history)
        if text or expected is None or same_unit(dated.unit, expected):
            if expected is None and dated.unit.strip() != "-" and not text:
                try:
                    dimensionality(dated.unit)  # a path the built-in file lacks: readable?
                except UnitError as exc:
                    problems.append(f"{path}: {exc}")
            continue
        try:
            convert(1.0, dated.unit, expected)
        except UnitError as exc:
            problems.append(f"{path}: {exc}; the value must be in {expected!r} or a unit "
                            "that converts to it")
    return problems


@functools.lru_cache(maxsize=1)
def _expected_units() -> dict[str, str]:
    """Path -> unit in the built-in Taiyuan file (the units the model expects)."""
    text = resources.files("propfee.params").joinpath("data", "taiyuan.toml").read_text(
        encoding="utf-8")
    values = tomllib.loads(text).get("values", {})
    return {path: str(entry.get("unit", "")) for path, entry in values.items()}


def load_parameters(path: str | Path = "taiyuan", as_of: dt.date = SOURCE_DATE) -> ParameterSet:
    """Load a parameter file and return the values in force on a date.

    Parameters
    ----------
    path
        A TOML parameter file, or a built-in region name (``"taiyuan"``).
    as_of
        The evaluation date.
    """
    return load_parameter_file(path).at(as_of)


@functools.lru_cache(maxsize=32)
def default_parameters(as_of: dt.date = SOURCE_DATE) -> ParameterSet:
    """The built-in Taiyuan parameter set in force on ``as_of``.

    Values marked ``illustrative`` in the file are labelled assumptions; see
    ``load_parameter_file("taiyuan").table()`` for every value's unit and reference.
    The packaged file is read once per date: a parameter set is immutable, so every
    call may share it.
    """
    return load_parameters("taiyuan", as_of)


def _read_text(path: str | Path) -> str:
    p = Path(path)
    if p.suffix != ".toml" and not p.exists():
        resource = resources.files("propfee.params").joinpath("data", f"{p.name}.toml")
        if not resource.is_file():
            raise ParameterError([f"{path}: no such parameter file or built-in region"])
        return resource.read_text(encoding="utf-8")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ParameterError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        return decode(data)[0]
    except UnicodeDecodeError:
        raise ParameterError([f"{path}: cannot decode the text as UTF-8, UTF-16 or GB18030; "
                              "save the file as UTF-8"]) from None
