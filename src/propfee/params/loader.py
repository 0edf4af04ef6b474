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
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from propfee._encoding import decode
from propfee.errors import ParameterError
from propfee.params.model import ParameterSet, validate_parameter_set
from propfee.params.ranges import (
    CorrelationGroup,
    Range,
    UncertainInput,
    UncertainInputs,
    correlation_problems,
)
from propfee.params.units import UnitError, convert, dimensionality, same_unit

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "MAX_FILE_BYTES",
    "MAX_KEY_PARTS",
    "MAX_NESTING",
    "MAX_PARAMETER_MAGNITUDE",
    "SOURCE_DATE",
    "DatedValue",
    "ParameterFile",
    "check_date",
    "check_evaluation_date",
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

EARLIEST_DATE = dt.date(1949, 10, 1)
"""Earliest date a parameter value may take effect or an evaluation be dated."""

LATEST_DATE = dt.date(2100, 12, 31)
"""Latest date a parameter value may take effect or an evaluation be dated.

Building ages, projections over a horizon and dated look-ups all count in years from
the evaluation date; a date like 9999-12-31 is a typo, refused before it reaches them.
"""

MAX_FILE_BYTES = 4 * 2**20
"""Largest parameter file propfee reads (4 MiB; the built-in file is about 30 KB)."""

MAX_NESTING = 16
"""Deepest nesting of arrays and inline tables in a parameter file (the built-in file
needs 3: a history of values, each with its range)."""

MAX_KEY_PARTS = 32
"""Most parts of one dotted TOML key (``a.b.c = 1`` has 3)."""

Status = Literal["source", "rule", "norm", "illustrative"]


def check_date(when: object, what: str) -> dt.date:
    """``when`` if it is a date between :data:`EARLIEST_DATE` and :data:`LATEST_DATE`.

    Parameters
    ----------
    when
        The date to check.
    what
        What the date is, for the message (``"evaluation date"``).

    Raises
    ------
    propfee.errors.ParameterError
        If ``when`` is not a date or lies outside the range.
    """
    if not isinstance(when, dt.date):
        raise ParameterError([f"{what}: {when!r} is not a date"])
    day = when.date() if isinstance(when, dt.datetime) else when
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ParameterError([f"{what} {day.isoformat()} is outside {EARLIEST_DATE.isoformat()} "
                              f"to {LATEST_DATE.isoformat()}, the dates propfee evaluates"])
    return day


def check_evaluation_date(when: object) -> dt.date:
    """The evaluation date, checked: between :data:`EARLIEST_DATE` and :data:`LATEST_DATE`.

    The one place the range is checked; :meth:`ParameterFile.at` (and so
    :func:`load_parameters`) calls it, and so may a command line before it loads anything.

    Parameters
    ----------
    when
        The evaluation date.

    Returns
    -------
    datetime.date

    Raises
    ------
    propfee.errors.ParameterError
        If ``when`` is not a date or lies outside the range.

    Examples
    --------
    >>> check_evaluation_date(dt.date(2024, 7, 9))
    datetime.date(2024, 7, 9)
    """
    return check_date(when, "evaluation date")


def _not_a_boolean(value: object) -> object:
    """TOML ``true``/``false`` are never numbers (pydantic would read ``true`` as 1.0)."""
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is a boolean, not a number; write the value "
                         "as a number (or as quoted text)")
    return value


class HistoryEntry(BaseModel):
    """One value of a parameter and the date it took effect."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    since: dt.date
    value: Annotated[float, Field(allow_inf_nan=False)] | str
    range: Range | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _no_boolean(cls, value: object) -> object:
        return _not_a_boolean(value)

    @field_validator("since")
    @classmethod
    def _in_range(cls, since: dt.date) -> dt.date:
        if not EARLIEST_DATE <= since <= LATEST_DATE:
            raise ValueError(f"{since.isoformat()} is outside {EARLIEST_DATE.isoformat()} to "
                             f"{LATEST_DATE.isoformat()}")
        return since


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
        Values with their effective dates, in ascending date order; an entry may carry
        a range of its own, which applies while its value is in force.
    range
        The plausible range of every value of the history that has no range of its own
        (:class:`propfee.params.ranges.Range`), in ``unit``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    reference: str
    status: Status
    history: tuple[HistoryEntry, ...] = Field(min_length=1)
    range: Range | None = None

    @field_validator("history")
    @classmethod
    def _ascending(cls, history: tuple[HistoryEntry, ...]) -> tuple[HistoryEntry, ...]:
        dates = [h.since for h in history]
        if dates != sorted(set(dates)):
            raise ValueError(f"history dates must be unique and ascending, got {dates}")
        return history

    @model_validator(mode="after")
    def _within_ranges(self) -> DatedValue:
        problems = []
        for entry in self.history:
            applies = entry.range or self.range
            if applies is None:
                continue
            if isinstance(entry.value, str):
                problems.append(f"the text value {entry.value!r} in force from {entry.since} "
                                "cannot have a range")
                continue
            problem = applies.problem(entry.value)
            if problem is not None:
                problems.append(f"{problem} in force from {entry.since}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def has_range(self) -> bool:
        """Whether any value of the history has a range."""
        return self.range is not None or any(h.range is not None for h in self.history)

    def _entry(self, when: dt.date) -> HistoryEntry:
        current: HistoryEntry | None = None
        for entry in self.history:
            if entry.since <= when:
                current = entry
        if current is None:
            raise KeyError(f"no value in force on {when} (first is {self.history[0].since})")
        return current

    def at(self, when: dt.date) -> float | str:
        """The value in force on ``when``.

        Raises
        ------
        KeyError
            If ``when`` is before the first effective date.
        """
        return self._entry(when).value

    def range_at(self, when: dt.date) -> Range | None:
        """The range of the value in force on ``when`` (its own, else the entry's).

        Raises
        ------
        KeyError
            If ``when`` is before the first effective date.
        """
        entry = self._entry(when)
        return entry.range or self.range


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
    correlations: dict[str, CorrelationGroup] = Field(default_factory=dict)

    _source: str | None = PrivateAttr(default=None)

    @field_validator("values")
    @classmethod
    def _paths(cls, values: dict[str, DatedValue]) -> dict[str, DatedValue]:
        bad = [path for path in values if not _PATH.fullmatch(path)]
        if bad:
            raise ValueError(f"{_short(bad[0])} is not a parameter path: dotted names of "
                             "letters, digits and _, at most 12 parts and 200 characters")
        return values

    @model_validator(mode="after")
    def _correlated_values_exist(self) -> ParameterFile:
        problems = []
        for key, group in self.correlations.items():
            for path in group.paths:
                if path not in self.values:
                    problems.append(f"correlations.{key}: {path!r} is not a path of this file")
                elif not self.values[path].has_range:
                    problems.append(f"correlations.{key}: {path!r} has no range")
        if not problems:
            ranged = [p for p, v in self.values.items() if v.has_range]
            problems = correlation_problems(ranged, self.correlations)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def source(self) -> str | None:
        """The file the parameters were read from (``None`` when built in code)."""
        return self._source

    def _named(self, problems: list[str]) -> ParameterError:
        """A :class:`ParameterError` whose every message starts with the file's name."""
        if self._source is None:
            return ParameterError(problems)
        prefix = f"{self._source}: "
        return ParameterError(p if p.startswith(prefix) else prefix + p for p in problems)

    def at(self, when: dt.date) -> ParameterSet:
        """The :class:`ParameterSet` in force on a date.

        Values given in another unit than the built-in file's for the same path are
        converted to it.

        Parameters
        ----------
        when
            Evaluation date, from :data:`EARLIEST_DATE` to :data:`LATEST_DATE`; building
            ages are counted to its year.

        Raises
        ------
        propfee.errors.ParameterError
            Naming the file and every path with no value in force, an incompatible unit,
            a path below another path's value, unknown or out of range; or a date out of
            range.
        """
        try:
            when = check_evaluation_date(when)
        except ParameterError as exc:
            raise self._named(list(exc.problems)) from None
        tree: dict[str, Any] = {"region": self.region, "as_of": when}
        problems = unit_problems(self)
        for path, dated in self.values.items():
            try:
                value = dated.at(when)
            except KeyError as exc:
                problems.append(f"{path}: {exc.args[0]}")
                continue
            try:
                value = self._expected(path, dated, value)
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
            raise self._named(problems)
        try:
            return validate_parameter_set(tree)
        except ParameterError as exc:
            raise self._named(list(exc.problems)) from None

    @staticmethod
    def _expected(path: str, dated: DatedValue, value: float | str) -> float | str:
        """``value`` of ``path`` in the unit the path expects (converted if need be).

        Raises
        ------
        propfee.params.units.UnitError
            If the entry's unit does not convert to the expected one.
        """
        expected = _expected_units().get(path)
        if isinstance(value, float) and expected is not None and not same_unit(
                dated.unit, expected):
            return convert(value, dated.unit, expected)
        return value

    def uncertain(self, when: dt.date = SOURCE_DATE) -> UncertainInputs:
        """The values with a range on ``when``, as the uncertain inputs the sampler takes.

        Values, lows and highs are converted to the unit each path expects, like the
        values of :meth:`at`. Correlation groups keep the members that have a range on
        ``when``; a group left with fewer than two is dropped.

        Parameters
        ----------
        when
            The date whose values and ranges are in force.

        Returns
        -------
        propfee.params.ranges.UncertainInputs

        Raises
        ------
        propfee.errors.ParameterError
            Naming the file and the path: a range that does not fit its value after
            conversion, or whose draws could leave the bounds of the path (a collection
            rate above 1, a lognormal price on a path with an upper bound).
        """
        try:
            when = check_evaluation_date(when)
        except ParameterError as exc:
            raise self._named(list(exc.problems)) from None
        inputs: list[UncertainInput] = []
        problems = unit_problems(self)
        for path, dated in self.values.items():
            if not dated.has_range:
                continue
            try:
                value, found = dated.at(when), dated.range_at(when)
            except KeyError:
                continue  # nothing in force yet: nothing uncertain
            if found is None or isinstance(value, str):
                continue
            try:
                numbers = [float(self._expected(path, dated, x))
                           for x in (value, found.low, found.high)]
            except UnitError:
                continue  # named by unit_problems
            expected = _expected_units().get(path, dated.unit)
            try:
                item = UncertainInput(name=path, value=numbers[0], low=numbers[1],
                                      high=numbers[2], shape=found.shape, reason=found.reason,
                                      status=dated.status, unit=expected)
            except ValidationError as exc:
                problems.extend(f"{path}: range: {e['msg']}" for e in exc.errors())
                continue
            bound = _bounds_problem(path, item)
            if bound is not None:
                problems.append(f"{path}: {bound}")
                continue
            inputs.append(item)
        if problems:
            raise self._named(problems)
        names = {i.name for i in inputs}
        groups = {}
        for key, group in self.correlations.items():
            kept = tuple(p for p in group.paths if p in names)
            if len(kept) >= 2:
                groups[key] = group.model_copy(update={"paths": kept})
        try:
            return UncertainInputs(inputs=tuple(inputs), correlations=groups)
        except ValidationError as exc:
            raise self._named([e["msg"] for e in exc.errors()]) from None

    def ranges(self, when: dt.date = SOURCE_DATE) -> pd.DataFrame:
        """Every value with a range on ``when``: path, value, low, high, shape, reason,
        status, unit and correlation group, in the units the paths expect.

        See :meth:`uncertain` for the checks.
        """
        return self.uncertain(when).table()

    def without_range(self, when: dt.date = SOURCE_DATE,
                      statuses: tuple[str, ...] = ("illustrative",)) -> list[str]:
        """Paths of numeric values with one of ``statuses`` and no range on ``when``.

        Every illustrative value is a guess and should say how wide a guess it is: this
        lists those that do not yet.
        """
        missing = []
        for path, dated in sorted(self.values.items()):
            if dated.status not in statuses:
                continue
            try:
                value, found = dated.at(when), dated.range_at(when)
            except KeyError:
                continue
            if found is None and not isinstance(value, str):
                missing.append(path)
        return missing

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
        Path of the TOML file, or a built-in region name (``"taiyuan"``): a bare name
        with no directory part and no suffix. A path that does not exist is an error,
        never a built-in set.

    Raises
    ------
    propfee.errors.ParameterError
        Naming the file, if it does not exist, cannot be read or parsed, is larger than
        :data:`MAX_FILE_BYTES` or nested deeper than :data:`MAX_NESTING`, an entry is
        malformed (a boolean where a number belongs, a date outside
        :data:`EARLIEST_DATE` to :data:`LATEST_DATE`), a unit cannot be read or does not
        convert to the unit the path expects, or a path lies below another path's value.
    """
    text = _read_text(path)
    _check_structure(text, path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError([f"{path}: not valid TOML: {exc}"]) from None
    except RecursionError:  # _check_structure should have caught it; never a crash
        raise ParameterError([f"{path}: nested too deeply to read"]) from None
    try:
        parsed = ParameterFile.model_validate(raw)
    except ValidationError as exc:
        raise ParameterError(_validation_messages(path, exc)) from None
    parsed._source = str(path)
    problems = unit_problems(parsed)
    if problems:
        raise ParameterError(f"{path}: {p}" for p in problems)
    return parsed


def _validation_messages(path: str | Path, exc: ValidationError) -> list[str]:
    """``"file: location: message (got value)"`` for each error of a parameter file."""
    messages = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e["loc"])
        got = e.get("input")
        shown = "" if e["type"] in _NO_INPUT or isinstance(got, dict | list) else (
            f" (got {_short(got)})")
        messages.append(f"{path}: {where}: {e['msg']}{shown}")
    return messages


_NO_INPUT = frozenset({"missing", "extra_forbidden"})
"""Error types whose input is the whole enclosing table: not worth echoing."""

_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){0,11}")
"""A parameter path: up to 12 dotted names (length checked apart)."""


def _short(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 15]}... ({len(text):,} chars)"


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


def _bounds_problem(path: str, item: UncertainInput) -> str | None:
    """Whether draws of ``item`` can leave the bounds the parameter model puts on ``path``
    (``ge``/``gt``/``le``/``lt`` of its field); ``None`` when they cannot, or when the
    path is not a field of the model (an unknown path is named by :meth:`ParameterFile.at`).
    """
    bounds = _model_bounds(path)
    if bounds is None:
        return None
    lower, lower_open, upper, upper_open = bounds
    lo, hi = item.support()
    what = f"{item.shape} range {item.low:g} to {item.high:g}"
    if lower is not None and (lo < lower or (lower_open and lo <= lower)):
        if item.shape in ("lognormal", "gamma", "beta") and item.low >= lower:
            return (f"a {item.shape} range reaches {lo:g}, and the value must be "
                    f"{'>' if lower_open else '>='} {lower:g}; use uniform, triangular or pert")
        return f"{what} goes below {lower:g}, the least the value may be"
    if upper is not None and (hi > upper or (upper_open and hi >= upper)):
        if item.shape in ("lognormal", "gamma", "beta") and item.high <= upper:
            reach = ("is unbounded above" if hi == float("inf") else
                     f"reaches {hi:g} (8 log-scale standard deviations above its median)")
            return (f"a {item.shape} range {reach}, and the value must be "
                    f"{'<' if upper_open else '<='} {upper:g}; use uniform, triangular or pert")
        return f"{what} goes above {upper:g}, the most the value may be"
    return None


def _model_bounds(path: str) -> tuple[float | None, bool, float | None, bool] | None:
    """``(lower, lower is open, upper, upper is open)`` of a parameter path's field."""
    import annotated_types as at

    model: Any = ParameterSet
    info = None
    for part in path.split("."):
        fields = getattr(model, "model_fields", None)
        if not isinstance(fields, dict) or part not in fields:
            return None
        info = fields[part]
        model = info.annotation
    if info is None or info.annotation is not float:
        return None
    lower: float | None = None
    upper: float | None = None
    lower_open = upper_open = False
    for meta in info.metadata:
        if isinstance(meta, at.Ge):
            lower, lower_open = float(meta.ge), False  # type: ignore[arg-type]
        elif isinstance(meta, at.Gt):
            lower, lower_open = float(meta.gt), True  # type: ignore[arg-type]
        elif isinstance(meta, at.Le):
            upper, upper_open = float(meta.le), False  # type: ignore[arg-type]
        elif isinstance(meta, at.Lt):
            upper, upper_open = float(meta.lt), True  # type: ignore[arg-type]
    return lower, lower_open, upper, upper_open


def _read_text(path: str | Path) -> str:
    """The text of a parameter file, or of a built-in region's file for a bare name."""
    p = Path(path)
    bare = str(path) == p.name and not p.suffix
    try:
        exists = p.exists()
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte
        raise ParameterError([f"{_short(str(path))}: not a usable file name: {exc}"]) from None
    if not exists:
        if not bare or not p.name:
            raise ParameterError([f"{path}: no such parameter file"])
        resource = resources.files("propfee.params").joinpath("data", f"{p.name}.toml")
        if not resource.is_file():
            raise ParameterError([f"{path}: no such parameter file or built-in region"])
        return resource.read_text(encoding="utf-8")
    if p.is_dir():
        raise ParameterError([f"{path}: is a folder, not a parameter file"])
    try:
        with p.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ParameterError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    if len(data) > MAX_FILE_BYTES:
        raise ParameterError([f"{path}: larger than {MAX_FILE_BYTES:,} bytes, the largest "
                              "parameter file propfee reads"])
    try:
        return decode(data)[0]
    except UnicodeDecodeError:
        raise ParameterError([f"{path}: cannot decode the text as UTF-8, UTF-16 or GB18030; "
                              "save the file as UTF-8"]) from None


_TOKEN = re.compile(r'"""|\'\'\'|["\'#\[\]{},=\n.]')
_BASIC = re.compile(r'(?:[^"\\\n]|\\.)*"')
_MULTI_BASIC = re.compile(r'(?:[^\\]|\\.)*?"""', re.DOTALL)


def _check_structure(text: str, path: str | Path) -> None:
    """Refuse text nested deeper than :data:`MAX_NESTING` or with a dotted key of more
    than :data:`MAX_KEY_PARTS` parts, before ``tomllib`` (which recurses on nesting and
    takes quadratic time on long dotted keys) sees it.

    Strings and comments are skipped; an unterminated string stops the scan and is left
    to ``tomllib`` to report.
    """
    depth, dots, pos, n = 0, 0, 0, len(text)
    while pos < n:
        found = _TOKEN.search(text, pos)
        if found is None:
            return
        token, pos = found.group(), found.end()
        if token == "#":
            end = text.find("\n", pos)
            pos = n if end < 0 else end
            continue
        if token in ('"', "'", '"""', "\'\'\'"):
            end = _string_end(text, pos, token)
            if end < 0:
                return
            pos = end
            continue
        if token == ".":
            dots += 1
            if dots >= MAX_KEY_PARTS:
                raise ParameterError([f"{path}: line {_line(text, pos)}: a dotted key of more "
                                      f"than {MAX_KEY_PARTS} parts"])
            continue
        dots = 0
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise ParameterError([f"{path}: line {_line(text, pos)}: arrays or tables "
                                      f"nested more than {MAX_NESTING} deep"])
        elif token in "]}":
            depth = max(depth - 1, 0)


def _string_end(text: str, pos: int, quote: str) -> int:
    """Position just after the string opened by ``quote`` before ``pos``; -1 if open."""
    if quote == '"':
        found = _BASIC.match(text, pos)
        return -1 if found is None else found.end()
    if quote == "'":
        end = text.find("'", pos)
        newline = text.find("\n", pos)
        return -1 if end < 0 or (0 <= newline < end) else end + 1
    if quote == '"""':
        found = _MULTI_BASIC.match(text, pos)
        end = -1 if found is None else found.end()
    else:
        end = text.find("\'\'\'", pos)
        end = -1 if end < 0 else end + 3
    for _ in range(2):  # the closing delimiter is the last three of up to five quotes
        if 0 <= end < len(text) and text[end] == quote[0]:
            end += 1
    return end


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1
