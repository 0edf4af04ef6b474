"""Compounds: the typed single-compound model and the validated district table.

A district is a :class:`pandas.DataFrame` with one row per compound and the columns
of :data:`COMPOUND_COLUMNS`. :func:`validate_compounds` checks the whole table at
once (vectorised) and reports every bad row in one :class:`~propfee.errors.InputError`.
A single :class:`Compound` is turned into a one-row table by :func:`compounds_frame`,
so one compound and a million go through the same validation and the same kernels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)

from propfee.errors import InputError, Problem

__all__ = [
    "COMPOUND_COLUMNS",
    "ColumnSpec",
    "Compound",
    "CompoundTable",
    "compounds_frame",
    "validate_compounds",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of the compound table.

    Attributes
    ----------
    name
        Column name.
    kind
        ``"str"``, ``"int"`` or ``"float"``.
    unit
        Unit of the values, ``"-"`` for identifiers and names.
    description
        What the column holds.
    required
        Whether every row must give a value.
    default
        Value used where an optional column is absent or empty (``None``: stays empty).
    lower, upper
        Inclusive bounds; ``lower_open`` makes the lower bound strict.
    """

    name: str
    kind: Literal["str", "int", "float"]
    unit: str
    description: str
    required: bool = False
    default: float | str | None = None
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False


COMPOUND_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("compound_id", "str", "-", "Unique compound identifier.", required=True),
    ColumnSpec("name", "str", "-", "Compound name (小区名称).", default=""),
    ColumnSpec("households", "int", "households", "Number of households (户数).",
               required=True, lower=0, lower_open=True),
    ColumnSpec("floor_area_m2", "float", "m2", "Total residential floor area (建筑面积).",
               lower=0, lower_open=True),
    ColumnSpec("floor_area_m2_per_household", "float", "m2/household",
               "Average floor area per household; alternative to floor_area_m2.",
               lower=0, lower_open=True),
    ColumnSpec("build_year", "int", "year", "Year the compound was built (建成年份).",
               required=True, lower=1900, upper=2100),
    ColumnSpec("buildings", "int", "buildings", "Number of residential buildings.",
               default=1, lower=1),
    ColumnSpec("stairwell_units", "int", "units", "Number of stairwell units (单元).",
               default=1, lower=1),
    ColumnSpec("storeys", "int", "storeys", "Storeys of a typical residential building (层数).",
               default=6, lower=1, upper=100),
    ColumnSpec("lifts", "int", "lifts",
               "Passenger lifts (电梯), 0 in most old multi-storey housing.",
               default=0, lower=0),
    ColumnSpec("gates", "int", "gates", "Number of gates (出入口) that need a gate regime.",
               default=1, lower=0),
    ColumnSpec("green_area_m2", "float", "m2", "Green area (绿化面积).", default=0.0, lower=0),
    ColumnSpec("parking_spaces", "int", "spaces", "Parking spaces on common land.",
               default=0, lower=0),
    ColumnSpec("party_members", "int", "persons",
               "Registered party members living in the compound (在册党员); empty: "
               "households x the parameter set's share.", lower=0),
    ColumnSpec("x_m", "float", "m", "Easting in a local metric grid."),
    ColumnSpec("y_m", "float", "m", "Northing in a local metric grid."),
    ColumnSpec("lon", "float", "degree", "Longitude (WGS84).", lower=-180, upper=180),
    ColumnSpec("lat", "float", "degree", "Latitude (WGS84).", lower=-90, upper=90),
    ColumnSpec("street", "str", "-", "Street office (街道) the compound belongs to.", default=""),
    ColumnSpec("zone", "str", "-", "Compound zone (片区) the compound belongs to.", default=""),
    ColumnSpec("fee_rate_yuan_per_m2_month", "float", "yuan/(m2 month)",
               "The compound's own fee rate; empty: the parameter set's rate.", lower=0),
    ColumnSpec("collection_rate", "float", "1",
               "The compound's own expected collection rate; empty: the parameter set's.",
               lower=0, upper=1),
)
"""The columns of a compound table, with units and bounds."""

_SPECS = {spec.name: spec for spec in COMPOUND_COLUMNS}

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Compound(BaseModel):
    """One residential compound (小区).

    Give the floor area either in total (``floor_area_m2``) or per household
    (``floor_area_m2_per_household``); the other is derived.

    Attributes
    ----------
    compound_id
        Unique identifier.
    name
        Compound name.
    households
        Number of households. [households]
    floor_area_m2
        Total residential floor area. [m2]
    floor_area_m2_per_household
        Average floor area per household. [m2/household]
    build_year
        Year built. [year]
    buildings
        Residential buildings. [buildings]
    stairwell_units
        Stairwell units. [units]
    storeys
        Storeys of a typical residential building. [storeys]
    lifts
        Passenger lifts. [lifts]
    gates
        Gates (entrances) that need a gate regime. [gates]
    green_area_m2
        Green area. [m2]
    parking_spaces
        Parking spaces on common land. [spaces]
    party_members
        Registered party members living there, if known. [persons]
    x_m, y_m
        Location in a local metric grid. [m]
    lon, lat
        Location in WGS84. [degree]
    street, zone
        Street office and compound zone.
    fee_rate_yuan_per_m2_month
        The compound's own fee rate, if any. [yuan/(m2 month)]
    collection_rate
        The compound's own expected collection rate, if any. [1]

    Raises
    ------
    propfee.errors.InputError
        Naming the compound id, the field and the value of every problem.

    Examples
    --------
    >>> c = Compound(compound_id="c1", households=100, floor_area_m2_per_household=100.0,
    ...              build_year=1990)
    >>> c.floor_area_m2
    10000.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    compound_id: Annotated[str, Field(min_length=1)]
    name: str = ""
    households: Annotated[int, Field(gt=0)]
    floor_area_m2: PositiveFloat | None = None
    floor_area_m2_per_household: PositiveFloat | None = None
    build_year: Annotated[int, Field(ge=1900, le=2100)]
    buildings: Annotated[int, Field(ge=1)] = 1
    stairwell_units: Annotated[int, Field(ge=1)] = 1
    storeys: Annotated[int, Field(ge=1, le=100)] = 6
    lifts: Annotated[int, Field(ge=0)] = 0
    gates: Annotated[int, Field(ge=0)] = 1
    green_area_m2: NonNegFloat = 0.0
    parking_spaces: Annotated[int, Field(ge=0)] = 0
    party_members: Annotated[int, Field(ge=0)] | None = None
    x_m: Annotated[float, Field(allow_inf_nan=False)] | None = None
    y_m: Annotated[float, Field(allow_inf_nan=False)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    street: str = ""
    zone: str = ""
    fee_rate_yuan_per_m2_month: NonNegFloat | None = None
    collection_rate: Annotated[float, Field(ge=0, le=1)] | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_compound(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            model = handler(data)
        except ValidationError as exc:
            row = data.get("compound_id") if isinstance(data, Mapping) else None
            raise InputError.from_pydantic(
                exc, row=None if row is None else str(row), what="compound"
            ) from None
        return _complete_area(model)


def _complete_area(model: Compound) -> Compound:
    total, per = model.floor_area_m2, model.floor_area_m2_per_household
    problem = _area_problem(total, per, model.households)
    if problem is not None:
        raise InputError([Problem(model.compound_id, *problem)], what="compound")
    if total is None:
        assert per is not None
        object.__setattr__(model, "floor_area_m2", per * model.households)
    elif per is None:
        object.__setattr__(model, "floor_area_m2_per_household", total / model.households)
    return model


def _area_problem(
    total: float | None, per: float | None, households: int
) -> tuple[str, Any, str] | None:
    if total is None and per is None:
        return ("floor_area_m2", None, "give floor_area_m2 or floor_area_m2_per_household")
    if total is not None and per is not None and not np.isclose(total, per * households):
        return ("floor_area_m2", total,
                f"disagrees with floor_area_m2_per_household x households = {per * households}")
    return None


@dataclass(frozen=True, slots=True)
class CompoundTable:
    """A validated compound table, ready for the kernels.

    Attributes
    ----------
    frame
        One row per compound with every column of :data:`COMPOUND_COLUMNS`, the
        optional ones filled with their defaults; ``floor_area_m2`` is always set.
    """

    frame: pd.DataFrame
    _arrays: dict[str, FloatArray] = field(default_factory=dict, init=False, repr=False,
                                           compare=False)

    def __len__(self) -> int:
        return len(self.frame)

    def array(self, column: str) -> FloatArray:
        """A numeric column as a read-only float64 array (units as in :data:`COMPOUND_COLUMNS`).

        Each column is converted once per table; the kernels ask for some many times.
        """
        values = self._arrays.get(column)
        if values is None:
            values = np.array(self.frame[column].to_numpy(dtype=np.float64))
            values.flags.writeable = False
            self._arrays[column] = values
        return values

    @property
    def ids(self) -> npt.NDArray[np.str_]:
        """Compound ids as a string array."""
        return self.frame["compound_id"].to_numpy(dtype=str)

    def take(self, rows: slice | npt.NDArray[np.int64]) -> CompoundTable:
        """The compounds at ``rows`` (a slice or positions), renumbered from 0.

        Parameters
        ----------
        rows
            Row positions; a slice is a view, positions are copied.

        Returns
        -------
        CompoundTable
        """
        part = self.frame.iloc[rows]
        return CompoundTable(part.reset_index(drop=True))


def compounds_frame(compounds: Compound | Iterable[Compound]) -> pd.DataFrame:
    """Turn one or several :class:`Compound` models into a compound table.

    Parameters
    ----------
    compounds
        A compound or an iterable of compounds.

    Returns
    -------
    pandas.DataFrame
        One row per compound, columns as in :data:`COMPOUND_COLUMNS`.
    """
    items = [compounds] if isinstance(compounds, Compound) else list(compounds)
    records = [c.model_dump() for c in items]
    return pd.DataFrame.from_records(records, columns=[s.name for s in COMPOUND_COLUMNS])


def validate_compounds(data: pd.DataFrame | Compound | Iterable[Compound]) -> CompoundTable:
    """Check a compound table and fill defaults, reporting every problem at once.

    Checks: required columns present and non-empty in every row; no unknown
    columns; numbers are numbers, finite, within bounds, whole where they count
    things; compound ids unique; floor area given (in total or per household) and
    consistent where both are given.

    Parameters
    ----------
    data
        A DataFrame with the columns of :data:`COMPOUND_COLUMNS`, or compound models.

    Returns
    -------
    CompoundTable
        The validated table.

    Raises
    ------
    propfee.errors.InputError
        Listing every problem with its compound id, column and value.
    """
    if not isinstance(data, pd.DataFrame):
        data = compounds_frame(data)
    problems: list[Problem] = []
    unknown = [c for c in data.columns if c not in _SPECS]
    problems += [Problem(None, str(c), None, "unknown column") for c in unknown]
    missing = [s.name for s in COMPOUND_COLUMNS if s.required and s.name not in data.columns]
    problems += [Problem(None, m, None, "missing column") for m in missing]
    if problems:
        raise InputError(problems, what="compound table")

    n = len(data)
    ids = _text(data["compound_id"].reset_index(drop=True))
    out: dict[str, Any] = {}
    for spec in COMPOUND_COLUMNS:
        if spec.name not in data.columns:  # an absent optional column takes its default
            out[spec.name] = _absent(spec, n)
            continue
        values, col_problems = _check_column(spec, data[spec.name].reset_index(drop=True), ids)
        problems += col_problems
        out[spec.name] = values

    empty_id = np.flatnonzero((ids == "").to_numpy(dtype=bool))
    problems += [Problem(None, "compound_id", data["compound_id"].iloc[i], f"empty in row {i}")
                 for i in empty_id]
    if not _unique(ids):
        dup = ids.duplicated(keep=False).to_numpy(dtype=bool) & (ids != "").to_numpy(dtype=bool)
        problems += [Problem(ids.iloc[i], "compound_id", ids.iloc[i], f"duplicate id (row {i})")
                     for i in np.flatnonzero(dup)]

    total = out["floor_area_m2"]
    per = out["floor_area_m2_per_household"]
    households = out["households"]
    neither = np.isnan(total) & np.isnan(per)
    both = ~np.isnan(total) & ~np.isnan(per)
    disagree = np.zeros(n, dtype=bool)
    if both.any():
        disagree = both & ~np.isclose(total, per * households)
    problems += [Problem(ids.iloc[i], "floor_area_m2", None,
                         "give floor_area_m2 or floor_area_m2_per_household")
                 for i in np.flatnonzero(neither)]
    problems += [Problem(ids.iloc[i], "floor_area_m2", float(total[i]),
                         f"disagrees with floor_area_m2_per_household x households "
                         f"= {per[i] * households[i]}")
                 for i in np.flatnonzero(disagree)]
    if problems:
        raise InputError(problems, what="compound table")
    out["floor_area_m2"] = np.where(np.isnan(total), per * households, total)
    out["floor_area_m2_per_household"] = out["floor_area_m2"] / households
    out["compound_id"] = ids
    for spec in COMPOUND_COLUMNS:
        if spec.kind == "int" and (spec.required or spec.default is not None):  # else NaN stays
            out[spec.name] = out[spec.name].astype(np.int64)
    return CompoundTable(pd.DataFrame(out, index=pd.RangeIndex(n), copy=False))


def _absent(spec: ColumnSpec, n: int) -> Any:
    if spec.kind == "str":
        text = "" if spec.default is None else str(spec.default)
        return pd.Series(text, index=pd.RangeIndex(n), dtype="str")
    return np.full(n, np.nan if spec.default is None else float(spec.default))


def _text(col: pd.Series) -> pd.Series:
    """A column as a string Series, empty where missing (vectorised; strings stay as they are)."""
    if pd.api.types.is_string_dtype(col.dtype) and col.dtype != object:
        text = col.fillna("") if col.hasnans else col
        return text if text.dtype == "str" else text.astype("str")
    return col.astype(object).where(col.notna(), "").astype(str)


def _check_column(
    spec: ColumnSpec, col: pd.Series, ids: pd.Series
) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    if spec.kind == "str":
        if not spec.required and spec.default not in (None, "") and col.hasnans:
            col = col.where(col.notna(), spec.default)
        return _text(col), problems
    if _all_valid(spec, col):
        return col.to_numpy(dtype=np.float64), problems
    missing = col.isna().to_numpy(dtype=bool)
    if pd.api.types.is_bool_dtype(col.dtype):
        numeric = np.full(len(col), np.nan)
        bools = ~missing
    else:
        numeric = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64)
        bools = np.zeros(len(col), dtype=bool)
        if col.dtype == object:  # mixed cells: a True/False among numbers is not a number
            bools = np.fromiter((isinstance(v, bool | np.bool_) for v in col.to_numpy()),
                                dtype=bool, count=len(col))
    not_number = (~missing & np.isnan(numeric)) | bools
    problems += [Problem(ids.iloc[i], spec.name, col.iloc[i], "not a number")
                 for i in np.flatnonzero(not_number)]
    if spec.required:
        problems += [Problem(ids.iloc[i], spec.name, None, "missing value")
                     for i in np.flatnonzero(missing)]
    ok = ~missing & ~not_number
    inf = ok & np.isinf(numeric)
    problems += [Problem(ids.iloc[i], spec.name, float(numeric[i]), "must be finite")
                 for i in np.flatnonzero(inf)]
    ok &= ~inf
    with np.errstate(invalid="ignore"):
        if spec.lower is not None:
            low = (numeric <= spec.lower) if spec.lower_open else (numeric < spec.lower)
            bad = ok & low
            rel = ">" if spec.lower_open else ">="
            problems += [
                Problem(ids.iloc[i], spec.name, float(numeric[i]), f"must be {rel} {spec.lower:g}")
                for i in np.flatnonzero(bad)
            ]
        if spec.upper is not None:
            bad = ok & (numeric > spec.upper)
            problems += [Problem(ids.iloc[i], spec.name, float(numeric[i]),
                                 f"must be <= {spec.upper:g}") for i in np.flatnonzero(bad)]
        if spec.kind == "int":
            bad = ok & (numeric != np.floor(numeric))
            problems += [Problem(ids.iloc[i], spec.name, float(numeric[i]),
                                 "must be a whole number") for i in np.flatnonzero(bad)]
    if spec.default is not None:
        numeric = np.where(missing, float(spec.default), numeric)
    return numeric, problems


def _all_valid(spec: ColumnSpec, col: pd.Series) -> bool:
    """Whether a numeric column passes every check, by two reductions (the common case).

    The row-by-row checks that name each problem run only when this says no.
    """
    if len(col) == 0 or col.dtype.kind not in "iuf":
        return False
    values = col.to_numpy()
    low, high = values.min(), values.max()
    if not (np.isfinite(low) and np.isfinite(high)):  # NaN (missing) or infinite cells
        return False
    if spec.lower is not None and (low <= spec.lower if spec.lower_open else low < spec.lower):
        return False
    if spec.upper is not None and high > spec.upper:
        return False
    return spec.kind != "int" or col.dtype.kind in "iu" or bool(np.all(values == np.floor(values)))


def _unique(ids: pd.Series) -> bool:
    """Whether the ids are unique; ids in strictly ascending order need no hash table."""
    if len(ids) > 1:
        later = ids.iloc[1:].reset_index(drop=True)
        earlier = ids.iloc[:-1].reset_index(drop=True)
        if bool((later > earlier).all()):
            return True
    return bool(ids.is_unique)
