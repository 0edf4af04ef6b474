"""Ranges of uncertain values: the syntax of a parameter file's ranges and correlations,
and the typed set of uncertain inputs that :func:`propfee.uncertainty.sample` takes.

A value that is a guess carries a range next to it, with the reason for its width::

    [values."fees.collection_rate"]
    unit = "1"
    status = "illustrative"
    reference = "Assumption"
    history = [{ since = 2000-01-01, value = 0.7 }]
    range = { low = 0.4, high = 0.95, shape = "pert", reason = "no source found" }

A history entry may carry a range of its own (``{ since = 2021-10-01, value = 2000.0,
range = { ... } }``): it applies while that value is in force, in place of the entry's.
Every value of the history must lie within the range that applies to it.

The shapes, and what ``low`` and ``high`` mean for each (the value is the value in force):

========== ============================================ ==================================
shape      distribution                                 ``low``, ``high``
========== ============================================ ==================================
uniform    flat on ``[low, high]``                      the ends (the value is ignored)
triangular mode at the value                            the ends
pert       Beta-PERT, mode at the value, weight 4:      the ends
           mean ``(low + 4 value + high) / 6``
lognormal  median at the value                          the 5% and 95% quantiles (90%
                                                        interval); if the value is not
                                                        their geometric mean, the wider
                                                        side sets the spread
gamma      mean at the value                            only their ratio counts: the 95%
                                                        quantile is ``high / low`` times
                                                        the 5% quantile (``low > 0``)
beta       mean at the value, on ``[0, 1]``             only their difference counts: the
                                                        5-95% interval is ``high - low``
                                                        wide
========== ============================================ ==================================

``gamma`` and ``beta`` are what calibration returns (:mod:`propfee.uncertainty.calibration`:
a Gamma rate of uses, a Beta collection rate); the table of
:meth:`UncertainInputs.table` shows the quantiles each shape really has. A range with
``low == high`` equal to the value means no uncertainty: every draw is the value.

Values that move together are declared as a correlation group, a rank (Spearman)
correlation between every two of its members::

    [correlations]
    wages = { paths = ["staffing.cleaning.monthly_wage_yuan",
                       "staffing.order.monthly_wage_yuan"],
              rank_correlation = 0.8, reason = "one labour market" }

The matrix of every group together must be positive semi-definite, and so must the
correlation of normal scores the sampler uses, ``2 sin(pi rho / 6)`` (the Gaussian copula
with that Pearson correlation has rank correlation ``rho``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SHAPES",
    "CorrelationGroup",
    "Range",
    "Shape",
    "UncertainInput",
    "UncertainInputs",
    "correlation_problems",
    "rank_correlation_matrix",
]

Shape = Literal["uniform", "triangular", "pert", "lognormal", "gamma", "beta"]
"""How values are spread over a range (see the module's table)."""

SHAPES: tuple[str, ...] = ("uniform", "triangular", "pert", "lognormal", "gamma", "beta")
"""Every :data:`Shape`."""

InputStatus = Literal["source", "rule", "norm", "illustrative"]

_Finite = Annotated[float, Field(allow_inf_nan=False)]


def _no_boolean(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is a boolean, not a number")
    return value


def _fmt(x: float) -> str:
    """A number as a reader wrote it: ``0.8``, ``2000``, ``1e-05``."""
    return f"{x:g}" if x == x and abs(x) < 1e16 else repr(x)


class Range(BaseModel):
    """A plausible range of one value, with its shape and the reason for its width.

    Attributes
    ----------
    low, high
        The range, in the unit of the value; see the module's table for what they mean
        for each shape.
    shape
        One of :data:`SHAPES`.
    reason
        Why the range is this wide ("wide: no source found" is a reason).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: _Finite
    high: _Finite
    shape: Shape
    reason: Annotated[str, Field(min_length=1)]

    @field_validator("low", "high", mode="before")
    @classmethod
    def _numbers(cls, value: object) -> object:
        return _no_boolean(value)

    @field_validator("reason")
    @classmethod
    def _said(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("say why the range is this wide")
        return reason

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low {_fmt(self.low)} is above high {_fmt(self.high)}")
        if self.shape in ("lognormal", "gamma") and self.low <= 0 and self.low < self.high:
            raise ValueError(f"a {self.shape} range needs low > 0 (got low {_fmt(self.low)})")
        return self

    @property
    def collapsed(self) -> bool:
        """``low == high``: no uncertainty."""
        return self.low == self.high

    def problem(self, value: float) -> str | None:
        """What is wrong with this range around ``value``, or ``None``.

        The value must lie in ``[low, high]``; a collapsed range must equal it; a
        lognormal or gamma value must be positive.
        """
        if self.low > value:
            return f"range low {_fmt(self.low)} is above the value {_fmt(value)}"
        if self.high < value:
            return f"range high {_fmt(self.high)} is below the value {_fmt(value)}"
        if self.shape in ("lognormal", "gamma") and value <= 0 and not self.collapsed:
            return f"a {self.shape} range needs a positive value (got {_fmt(value)})"
        return None


class CorrelationGroup(BaseModel):
    """Values that move together: one rank correlation between every two members.

    Attributes
    ----------
    paths
        The members (parameter paths, or names of other uncertain inputs).
    rank_correlation
        Spearman's rank correlation between any two members. [1]
    reason
        Why they move together.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    paths: tuple[str, ...] = Field(min_length=2)
    rank_correlation: Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)]
    reason: Annotated[str, Field(min_length=1)]

    @field_validator("rank_correlation", mode="before")
    @classmethod
    def _number(cls, value: object) -> object:
        return _no_boolean(value)

    @field_validator("paths")
    @classmethod
    def _distinct(cls, paths: tuple[str, ...]) -> tuple[str, ...]:
        twice = sorted({p for p in paths if paths.count(p) > 1})
        if twice:
            raise ValueError(f"{twice[0]!r} is listed twice")
        return paths


def rank_correlation_matrix(names: Sequence[str], groups: Mapping[str, CorrelationGroup]
                            ) -> npt.NDArray[np.float64]:
    """The rank correlation matrix of ``names`` that ``groups`` declare (others: 0).

    Members of a group missing from ``names`` are left out. A pair in two groups takes
    the value both give (:func:`correlation_problems` refuses a conflict).
    """
    index = {name: k for k, name in enumerate(names)}
    matrix = np.eye(len(names))
    for group in groups.values():
        members = [index[p] for p in group.paths if p in index]
        for i in members:
            for j in members:
                if i != j:
                    matrix[i, j] = group.rank_correlation
    return matrix


def correlation_problems(names: Sequence[str], groups: Mapping[str, CorrelationGroup]
                         ) -> list[str]:
    """Every problem of a set of correlation groups over ``names``.

    A member not in ``names``, a pair given two different correlations, a matrix that is
    not positive semi-definite (smallest eigenvalue below ``-1e-10``), or a matrix whose
    normal scores ``2 sin(pi rho / 6)`` are not.

    Returns
    -------
    list of str
        ``"correlations.<group>: what is wrong"`` messages; empty when all is well.
    """
    problems: list[str] = []
    known = set(names)
    seen: dict[frozenset[str], tuple[str, float]] = {}
    for key, group in groups.items():
        for path in group.paths:
            if path not in known:
                problems.append(f"correlations.{key}: {path!r} is not an uncertain value "
                                "(no such path, or it has no range)")
        for i, a in enumerate(group.paths):
            for b in group.paths[i + 1:]:
                pair = frozenset((a, b))
                if pair in seen and seen[pair][1] != group.rank_correlation:
                    other, rho = seen[pair]
                    problems.append(
                        f"correlations.{key}: {a!r} and {b!r} are given "
                        f"{_fmt(group.rank_correlation)} here and {_fmt(rho)} in {other!r}")
                seen.setdefault(pair, (key, group.rank_correlation))
    if problems:
        return problems
    matrix = rank_correlation_matrix(names, groups)
    where = ", ".join(f"correlations.{k}" for k in groups)
    smallest = float(np.linalg.eigvalsh(matrix).min()) if len(names) else 0.0
    if smallest < -1e-10:
        problems.append(f"{where}: the rank correlation matrix is not positive semi-definite "
                        f"(smallest eigenvalue {smallest:.3g}); weaken the correlations")
        return problems
    scores = 2.0 * np.sin(np.pi * matrix / 6.0)
    smallest = float(np.linalg.eigvalsh(scores).min()) if len(names) else 0.0
    if smallest < -1e-10:
        problems.append(f"{where}: the normal-score correlation 2 sin(pi rho / 6) is not "
                        f"positive semi-definite (smallest eigenvalue {smallest:.3g}); "
                        "weaken the negative correlations")
    return problems


class UncertainInput(BaseModel):
    """One uncertain input: its value, range and shape, in the unit its path expects.

    Attributes
    ----------
    name
        A parameter path (``"fees.collection_rate"``), a plan override path
        (``"public_income.parking.occupancy_rate"``) or any name a model reads.
    value
        The value in force (the point estimate).
    low, high, shape, reason
        The :class:`Range`.
    status
        Where the value comes from (``source``, ``rule``, ``norm``, ``illustrative``).
    unit
        The unit of ``value``, ``low`` and ``high`` (``""`` when not known).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, Field(min_length=1)]
    value: _Finite
    low: _Finite
    high: _Finite
    shape: Shape
    reason: Annotated[str, Field(min_length=1)]
    status: InputStatus = "illustrative"
    unit: str = ""

    @field_validator("value", "low", "high", mode="before")
    @classmethod
    def _numbers(cls, value: object) -> object:
        return _no_boolean(value)

    @model_validator(mode="after")
    def _inside(self) -> UncertainInput:
        problem = self.range.problem(self.value)
        if problem is not None:
            raise ValueError(problem)
        if self.shape == "beta" and not self.collapsed:
            if not (self.low >= 0.0 and self.high <= 1.0):
                raise ValueError(f"a beta range lies within [0, 1] (got {_fmt(self.low)} to "
                                 f"{_fmt(self.high)})")
            if not 0.0 < self.value < 1.0:
                raise ValueError(f"a beta range needs a value strictly between 0 and 1 (got "
                                 f"{_fmt(self.value)})")
        return self

    @property
    def range(self) -> Range:
        """The range alone."""
        return Range(low=self.low, high=self.high, shape=self.shape, reason=self.reason)

    @property
    def collapsed(self) -> bool:
        """``low == high``: every draw is the value."""
        return self.low == self.high

    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take.

        A lognormal draw is kept within 8 log-scale standard deviations of its median
        (a probability of 6 x 10^-16 each side is cut, beyond any sample's reach), so that
        its support is finite and can be checked against the path's bounds.
        """
        if self.collapsed:
            return self.value, self.value
        if self.shape == "lognormal":
            spread = math.exp(LOGNORMAL_CUT_Z * _lognormal_sigma(self.value, self.low,
                                                                 self.high))
            return self.value / spread, self.value * spread
        if self.shape == "gamma":
            return 0.0, math.inf
        if self.shape == "beta":
            return 0.0, 1.0
        return self.low, self.high


LOGNORMAL_CUT_Z: Final = 8.0
"""Log-scale standard deviations of a lognormal draw's median beyond which draws are cut
(:meth:`UncertainInput.support`)."""

_Z95: Final = 1.6448536269514722
"""The standard normal 95% quantile."""


def _lognormal_sigma(value: float, low: float, high: float) -> float:
    """Log-scale standard deviation of a lognormal range with median ``value`` and the
    range as a 90% interval (the wider side): ``max(ln(v / low), ln(high / v)) / z95``."""
    if low == high:
        return 0.0
    return max(math.log(value / low), math.log(high / value)) / _Z95


InputLike = UncertainInput | tuple[Any, ...] | Mapping[str, Any]
"""An uncertain input, or ``(name, value, low, high, shape[, reason])``, or a mapping of
:class:`UncertainInput`'s fields."""


def as_input(item: InputLike) -> UncertainInput:
    """An :class:`UncertainInput` from one of the forms of :data:`InputLike`.

    A tuple without a reason gets ``"given by the caller"``.
    """
    if isinstance(item, UncertainInput):
        return item
    if isinstance(item, Mapping):
        return UncertainInput.model_validate({"reason": "given by the caller", **item})
    fields = ("name", "value", "low", "high", "shape", "reason")
    if not 5 <= len(item) <= 6:
        raise ValueError(f"an uncertain input is (name, value, low, high, shape[, reason]); "
                         f"got {len(item)} items")
    given = dict(zip(fields, item, strict=False))
    return UncertainInput.model_validate({"reason": "given by the caller", **given})


class UncertainInputs(BaseModel):
    """The uncertain inputs of a run and how they move together: what the sampler takes.

    Built by :meth:`propfee.params.ParameterFile.uncertain` from a parameter file's
    ranges, extended with plan prices or any other input by :meth:`extended`.

    Attributes
    ----------
    inputs
        The inputs, in a fixed order (the columns of a sample).
    correlations
        Correlation groups over the inputs' names.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    inputs: tuple[UncertainInput, ...] = ()
    correlations: dict[str, CorrelationGroup] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> UncertainInputs:
        names = self.names
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"{twice[0]!r} is given twice")
        problems = correlation_problems(names, self.correlations)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def names(self) -> tuple[str, ...]:
        """The inputs' names, in order."""
        return tuple(i.name for i in self.inputs)

    @property
    def point(self) -> dict[str, float]:
        """Name -> value (the point estimate)."""
        return {i.name: i.value for i in self.inputs}

    def __len__(self) -> int:
        return len(self.inputs)

    def get(self, name: str) -> UncertainInput:
        """The input called ``name``.

        Raises
        ------
        KeyError
            If there is none.
        """
        for item in self.inputs:
            if item.name == name:
                return item
        raise KeyError(name)

    def rank_correlation(self) -> npt.NDArray[np.float64]:
        """The ``(d, d)`` rank correlation matrix of the inputs, in order. [1]"""
        return rank_correlation_matrix(self.names, self.correlations)

    def extended(self, extra: Iterable[InputLike] = (),
                 correlations: Mapping[str, CorrelationGroup] | None = None
                 ) -> UncertainInputs:
        """A copy with more inputs (plan prices, say) and correlation groups.

        Parameters
        ----------
        extra
            :class:`UncertainInput` objects or ``(name, value, low, high, shape[,
            reason])`` tuples, e.g. ``("jobs.pipe_dredging.market_price_yuan_per_use",
            300.0, 200.0, 450.0, "lognormal")``.
        correlations
            More groups; a name already used replaces that group.
        """
        return UncertainInputs(inputs=(*self.inputs, *(as_input(e) for e in extra)),
                               correlations={**self.correlations, **(correlations or {})})

    def collapsed(self) -> UncertainInputs:
        """A copy with every range collapsed to its value: no uncertainty left."""
        return self.model_copy(update={"inputs": tuple(
            i.model_copy(update={"low": i.value, "high": i.value}) for i in self.inputs)})

    def replaced(self, inputs: Iterable[UncertainInput]) -> UncertainInputs:
        """A copy where inputs of the same names are replaced (calibrated ranges, say).

        Raises
        ------
        KeyError
            If a name is not among the inputs.
        """
        new = {i.name: i for i in inputs}
        missing = sorted(set(new) - set(self.names))
        if missing:
            raise KeyError(missing[0])
        return UncertainInputs(inputs=tuple(new.get(i.name, i) for i in self.inputs),
                               correlations=self.correlations)

    def table(self) -> pd.DataFrame:
        """One row per input: ``path``, ``value``, ``low``, ``high``, ``shape``,
        ``reason``, ``status``, ``unit``, ``group`` (its correlation group, or ``""``)."""
        import pandas as pd

        group = {p: k for k, g in self.correlations.items() for p in g.paths}
        columns = ["path", "value", "low", "high", "shape", "reason", "status", "unit", "group"]
        return pd.DataFrame(
            [(i.name, i.value, i.low, i.high, i.shape, i.reason, i.status, i.unit,
              group.get(i.name, "")) for i in self.inputs], columns=columns)
