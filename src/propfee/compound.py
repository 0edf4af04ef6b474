"""Compounds: the typed single-compound model and the validated district table.

A district is a :class:`pandas.DataFrame` with one row per compound and the columns
of :data:`COMPOUND_COLUMNS`. :func:`validate_compounds` checks the whole table at
once (vectorised) and reports every bad row in one :class:`~propfee.errors.InputError`.
A single :class:`Compound` is turned into a one-row table by :func:`compounds_frame`,
so one compound and a million go through the same validation and the same kernels.

Every field is declared once in :data:`COMPOUND_COLUMNS` (type, unit, bounds, English
and Chinese label, header aliases); the :class:`Compound` model, the table validation,
the JSON Schema, the Excel template, the headers a file may use and the report labels
are derived from it. The bounds keep every amount far inside the exact range of fen:
the largest fee they allow is 10^7 m2 x 100 yuan/(m2 month) x 12 = 1.2 x 10^10
yuan/year = 1.2 x 10^12 fen for one compound, while fen are exact integers up to
2^53 ~ 9.0 x 10^15 in float64 and 2^63 ~ 9.2 x 10^18 in int64, so a district of a
million compounds at the limits still sums exactly.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

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

from propfee._arrays import factorize
from propfee.errors import InputError, Problem

__all__ = [
    "COMPOUND_COLUMNS",
    "ColumnSpec",
    "Compound",
    "CompoundTable",
    "compounds_frame",
    "normalise_id",
    "validate_compounds",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """The one declaration of a compound field.

    The :class:`Compound` model, the table validation (:func:`validate_compounds`),
    the JSON Schema, the Excel template, the headers a file may use and the report
    labels are all derived from these declarations.

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
    label_en, label_zh
        Report headers in English and Chinese (with the unit).
    required
        Whether every row must give a value.
    default
        Value used where an optional column is absent or empty (``None``: stays empty).
    lower, upper
        Inclusive bounds; ``lower_open`` makes the lower bound strict. Text fields use
        ``upper`` as their longest length [characters].
    lower_open
        Whether ``lower`` itself is excluded.
    aliases
        Other headers a file may use for the column (compared in lower case).
    """

    name: str
    kind: Literal["str", "int", "float"]
    unit: str
    description: str
    label_en: str
    label_zh: str
    required: bool = False
    default: float | str | None = None
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False
    aliases: tuple[str, ...] = ()

    @staticmethod
    def bound_text(value: float, lang: str = "en") -> str:
        """A bound as people write it, never in scientific notation.

        In English a whole number from 10,000 up takes thousands separators (a year
        stays ``2100``); in Chinese a round number from 1 万 up is counted in 万 or 亿
        (``1000 万``, ``1 亿``), as a planner says it.

        Parameters
        ----------
        value
            The bound, in the column's unit.
        lang
            ``"en"`` or ``"zh"``.

        Returns
        -------
        str
            The bound as text.

        Examples
        --------
        >>> ColumnSpec.bound_text(1e7), ColumnSpec.bound_text(1e7, "zh")
        ('10,000,000', '1000 万')
        >>> ColumnSpec.bound_text(2100), ColumnSpec.bound_text(-1e8, "zh")
        ('2100', '-1 亿')
        >>> ColumnSpec.bound_text(0.5), ColumnSpec.bound_text(1e-5)
        ('0.5', '0.00001')
        """
        if not np.isfinite(value):
            return str(value)
        whole = value == int(value)
        if lang == "zh" and whole:
            for size, word in ((1e8, "亿"), (1e4, "万")):
                if abs(value) >= size and value % size == 0:
                    return f"{int(value // size):d} {word}"
        if whole:
            return f"{int(value):,}" if abs(value) >= 1e4 else f"{int(value):d}"
        return np.format_float_positional(value, trim="-")

    def bounds_text(self) -> str:
        """The bounds in words, e.g. ``"> 0 and <= 1,000,000"`` (empty when unbounded)."""
        if self.kind == "str":
            return "" if self.upper is None else f"at most {self.bound_text(self.upper)} characters"
        parts = []
        if self.lower is not None:
            parts.append(f"{'>' if self.lower_open else '>='} {self.bound_text(self.lower)}")
        if self.upper is not None:
            parts.append(f"<= {self.bound_text(self.upper)}")
        return " and ".join(parts)


_C = ColumnSpec
COMPOUND_COLUMNS: tuple[ColumnSpec, ...] = (
    _C("compound_id", "str", "-", "Unique compound identifier (spaces around it are removed).",
       "Compound id", "小区编号", required=True, upper=100,
       aliases=("id", "compound id", "小区编号", "编号", "小区代码")),
    _C("name", "str", "-",
       "Compound name (小区名称), shown in reports next to the id; may be empty.",
       "Compound", "小区名称", default="",
       upper=200, aliases=("compound", "compound name", "小区名称", "名称", "小区")),
    _C("households", "int", "households",
       "Households (户数), counted as flats; per-household amounts and staffing follow it.",
       "Households", "户数",
       required=True, lower=0, lower_open=True, upper=1_000_000,
       aliases=("household", "户数", "住户数")),
    _C("floor_area_m2", "float", "m2",
       "Total residential floor area (建筑面积), the base of the fee per m2; or give the "
       "area per household.",
       "Floor area [m2]", "建筑面积（平方米）", lower=0, lower_open=True, upper=1e7,
       aliases=("floor area", "floor_area", "建筑面积", "总建筑面积")),
    _C("floor_area_m2_per_household", "float", "m2/household",
       "Average floor area per household; alternative to floor_area_m2.",
       "Floor area per household [m2]", "户均面积（平方米）", lower=0, lower_open=True,
       upper=1e4, aliases=("floor area per household", "户均面积", "户均建筑面积")),
    _C("build_year", "int", "year",
       "Year the compound was built (建成年份); it sets its components' ages and the "
       "fund's estimated start.", "Build year",
       "建成年份", required=True, lower=1900, upper=2100,
       aliases=("build year", "year built", "建成年份", "建成年代", "建成时间")),
    _C("buildings", "int", "buildings",
       "Residential buildings (楼栋数); roofs, facades and pipes are estimated per "
       "building.", "Buildings",
       "楼栋数", default=1, lower=1, upper=10_000, aliases=("楼栋数", "楼栋")),
    _C("stairwell_units", "int", "units",
       "Stairwell units (单元): entrances with their own staircase; stairwell cleaning "
       "and doors are counted per unit.",
       "Stairwell units", "单元数", default=1, lower=1, upper=100_000, aliases=("单元数",)),
    _C("storeys", "int", "storeys",
       "Storeys of a typical residential building (层数); stairwells and risers are "
       "measured by it.",
       "Storeys", "层数", default=6, lower=1, upper=100, aliases=("层数", "楼层数")),
    _C("lifts", "int", "lifts", "Passenger lifts (电梯), 0 in most old multi-storey housing.",
       "Lifts", "电梯数", default=0, lower=0, upper=10_000, aliases=("电梯数", "电梯")),
    _C("lift_households", "int", "households",
       "Households living in stairwell units with a lift (电梯户数); empty: every household "
       "where the compound has lifts, none where it has none.", "Lift households",
       "电梯户数", lower=0, upper=1_000_000, aliases=("电梯户数", "lift households")),
    _C("water_tanks", "int", "tanks",
       "Roof or basement water tanks of secondary water supply (二次供水水箱); 0 where "
       "water comes straight from the mains.", "Water tanks", "二次供水水箱数", default=0,
       lower=0, upper=10_000, aliases=("水箱数", "二次供水水箱数", "water tanks")),
    _C("gates", "int", "gates", "Number of gates (出入口) that need a gate regime.", "Gates",
       "出入口数", default=1, lower=0, upper=1_000, aliases=("出入口数", "大门数", "门岗数")),
    _C("green_area_m2", "float", "m2",
       "Planted area to tend (绿化面积); gardening work follows it; 0 if none.",
       "Green area [m2]",
       "绿化面积（平方米）", default=0.0, lower=0, upper=1e7,
       aliases=("green area", "green_area", "绿化面积")),
    _C("parking_spaces", "int", "spaces",
       "Parking spaces on the compound's common land (not private garages).",
       "Parking spaces",
       "停车位数", default=0, lower=0, upper=1_000_000,
       aliases=("parking", "停车位", "车位数", "停车位数")),
    _C("party_members", "int", "persons",
       "Registered party members living in the compound (在册党员); empty: "
       "households x the parameter set's share.", "Party members", "在册党员数", lower=0,
       upper=1_000_000, aliases=("党员数", "在册党员数", "在册党员")),
    _C("x_m", "float", "m",
       "Easting in a local metric grid, to bundle neighbouring compounds; or give lon/lat.",
       "x [m]", "横坐标x（米）",
       lower=-1e8, upper=1e8, aliases=("x",)),
    _C("y_m", "float", "m", "Northing in a local metric grid, with x_m.", "y [m]", "纵坐标y（米）",
       lower=-1e8, upper=1e8, aliases=("y",)),
    _C("lon", "float", "degree", "Longitude, in the datum of coord_system.", "Longitude",
       "经度", lower=-180, upper=180, aliases=("经度", "longitude")),
    _C("lat", "float", "degree", "Latitude, in the datum of coord_system.", "Latitude", "纬度",
       lower=-90, upper=90, aliases=("纬度", "latitude")),
    _C("coord_system", "str", "-",
       "Datum of lon/lat: wgs84 (GPS), gcj02 (Amap, Tencent) or bd09 (Baidu); empty: wgs84.",
       "Coordinate system", "坐标系", default="", upper=10,
       aliases=("坐标系", "coordinate system", "datum")),
    _C("street", "str", "-", "Street office (街道) the compound belongs to.", "Street", "街道",
       default="", upper=200, aliases=("街道",)),
    _C("zone", "str", "-", "Compound zone (片区) the compound belongs to.", "Zone", "片区",
       default="", upper=200, aliases=("片区",)),
    _C("fee_rate_yuan_per_m2_month", "float", "yuan/(m2 month)",
       "The compound's own fee rate; empty: the parameter set's rate.",
       "Fee rate [yuan/m2/month]", "物业费标准（元/平方米/月）", lower=0, upper=100,
       aliases=("fee rate", "物业费标准", "物业费")),
    _C("collection_rate", "float", "1",
       "The compound's own expected collection rate; empty: the parameter set's.",
       "Collection rate", "收缴率", lower=0, upper=1, aliases=("collection rate", "收缴率")),
)
"""The columns of a compound table, with units, bounds and labels (the one declaration)."""

_SPECS = {spec.name: spec for spec in COMPOUND_COLUMNS}

_TINY = float(np.finfo(np.float64).tiny)
"""Smallest normal float64; a number closer to 0 (a subnormal) loses its precision and
overflows what divides by it, so it is refused. [1]"""
_TINY_MESSAGE = (f"too close to 0 to compute with (below {_TINY:g}); use 0 or a larger "
                 "number")

_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f]"
"""Control characters no text field may hold (a spreadsheet cannot store them)."""
_CONTROL_RE = re.compile(_CONTROL)


def _field(name: str) -> Any:
    """The pydantic ``Field`` of a compound field, from its declaration."""
    spec = _SPECS[name]
    limits: dict[str, Any] = {}
    if spec.kind == "str":
        limits["max_length"] = None if spec.upper is None else int(spec.upper)
        if spec.required:
            limits["min_length"] = 1
    else:
        if spec.lower is not None:
            limits["gt" if spec.lower_open else "ge"] = spec.lower
        if spec.upper is not None:
            limits["le"] = spec.upper
        if spec.kind == "float":
            limits["allow_inf_nan"] = False
    extra: dict[str, Any] = {"unit": spec.unit, "label_zh": spec.label_zh}
    if spec.required:
        return Field(title=spec.label_en, description=spec.description,
                     json_schema_extra=extra, **limits)
    return Field(default=spec.default if spec.kind != "int" or spec.default is None
                 else int(spec.default), title=spec.label_en, description=spec.description,
                 json_schema_extra=extra, **limits)


def normalise_id(value: str) -> str:
    """A compound id as propfee keeps it: Unicode NFKC (full-width ``Ａ１`` is ``A1``), trimmed.

    Examples
    --------
    >>> normalise_id(" Ａ1\u3000")
    'A1'
    """
    return unicodedata.normalize("NFKC", value).strip()


class Compound(BaseModel):
    """One residential compound (小区).

    Give the floor area either in total (``floor_area_m2``) or per household
    (``floor_area_m2_per_household``); the other is derived. Every field, its unit and
    its bounds are declared once in :data:`COMPOUND_COLUMNS`.

    Attributes
    ----------
    compound_id
        Unique identifier, trimmed and NFKC-normalised.
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
    >>> c = Compound(compound_id=" c1 ", households=100, floor_area_m2_per_household=100.0,
    ...              build_year=1990)
    >>> c.compound_id, c.floor_area_m2
    ('c1', 10000.0)
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    compound_id: str = _field("compound_id")
    name: str = _field("name")
    households: int = _field("households")
    floor_area_m2: float | None = _field("floor_area_m2")
    floor_area_m2_per_household: float | None = _field("floor_area_m2_per_household")
    build_year: int = _field("build_year")
    buildings: int = _field("buildings")
    stairwell_units: int = _field("stairwell_units")
    storeys: int = _field("storeys")
    lifts: int = _field("lifts")
    lift_households: int | None = _field("lift_households")
    water_tanks: int = _field("water_tanks")
    gates: int = _field("gates")
    green_area_m2: float = _field("green_area_m2")
    parking_spaces: int = _field("parking_spaces")
    party_members: int | None = _field("party_members")
    x_m: float | None = _field("x_m")
    y_m: float | None = _field("y_m")
    lon: float | None = _field("lon")
    lat: float | None = _field("lat")
    coord_system: str = _field("coord_system")
    street: str = _field("street")
    zone: str = _field("zone")
    fee_rate_yuan_per_m2_month: float | None = _field("fee_rate_yuan_per_m2_month")
    collection_rate: float | None = _field("collection_rate")

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_compound(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(data, Mapping) and isinstance(data.get("compound_id"), str):
            data = {**data, "compound_id": normalise_id(data["compound_id"])}
        if isinstance(data, Mapping):
            control = [Problem(str(data.get("compound_id"))[:40], name, str(value)[:100],
                               "holds a control character")
                       for name, value in data.items()
                       if isinstance(value, str) and _CONTROL_RE.search(value)]
            if control:
                raise InputError(control, what="compound")
        try:
            model = handler(data)
        except ValidationError as exc:
            row = data.get("compound_id") if isinstance(data, Mapping) else None
            raise InputError.from_pydantic(
                exc, row=None if row is None else str(row)[:100], what="compound"
            ) from None
        tiny = [Problem(model.compound_id[:40], spec.name, value, _TINY_MESSAGE)
                for spec in COMPOUND_COLUMNS if spec.kind == "float"
                and isinstance(value := getattr(model, spec.name), float)
                and value != 0 and abs(value) < _TINY]
        if tiny:
            raise InputError(tiny, what="compound")
        return _complete_area(model)


def _complete_area(model: Compound) -> Compound:
    total, per = model.floor_area_m2, model.floor_area_m2_per_household
    problem = _area_problem(total, per, model.households)
    if problem is not None:
        raise InputError([Problem(model.compound_id, *problem)], what="compound")
    lift = _lift_problem(model.lifts, model.lift_households, model.households)
    if lift is not None:
        raise InputError([Problem(model.compound_id, *lift)], what="compound")
    if model.coord_system:
        from propfee.geo import coord_system_name

        try:
            coord_system_name(model.coord_system)
        except InputError as exc:
            raise InputError([replace(p, row=model.compound_id) for p in exc.problems],
                             what="compound") from None
    if total is None:
        assert per is not None
        object.__setattr__(model, "floor_area_m2", per * model.households)
    elif per is None:
        object.__setattr__(model, "floor_area_m2_per_household", total / model.households)
    return model


_AREA_MAX = _SPECS["floor_area_m2"].upper


def _lift_problem(lifts: int, lift_households: int | None, households: int
                  ) -> tuple[str, Any, str] | None:
    """A lift count that does not fit the households it serves (or ``None``)."""
    if lift_households is None:
        return None
    if lift_households > households:
        return ("lift_households", lift_households,
                f"more than the compound's {households} households")
    if lifts > 0 and lift_households == 0:
        return ("lift_households", 0, f"{lifts} lifts serve no household: give the "
                "households of the stairwell units with a lift")
    if lifts == 0 and lift_households > 0:
        return ("lifts", 0, f"{lift_households} lift households but no lift: give the "
                "number of lifts")
    return None


def _area_problem(
    total: float | None, per: float | None, households: int
) -> tuple[str, Any, str] | None:
    if total is None and per is None:
        return ("floor_area_m2", None, "give floor_area_m2 or floor_area_m2_per_household")
    if total is not None and per is not None and not np.isclose(total, per * households):
        return ("floor_area_m2", total,
                f"disagrees with floor_area_m2_per_household x households = {per * households}")
    if total is None and per is not None and _AREA_MAX is not None and (
            per * households > _AREA_MAX):
        return ("floor_area_m2_per_household", per,
                f"x households = {per * households:g} m2, must be <= {_AREA_MAX:g}")
    return None


class CompoundTable:
    """A validated compound table, ready for the kernels.

    Built by :func:`validate_compounds` (never by hand). It holds a DataFrame (a
    validated table), one array per column (one compound, which needs no DataFrame), or
    some rows of another table (:meth:`take`, which copies nothing until asked); the
    other forms are made on first use.

    Attributes
    ----------
    frame
        One row per compound with every column of :data:`COMPOUND_COLUMNS`, the
        optional ones filled with their defaults; ``floor_area_m2`` is always set.
    """

    __slots__ = ("_arrays", "_columns", "_frame", "_n", "_parent", "_rows", "_texts")

    def __init__(self, frame: pd.DataFrame | None = None, *,
                 columns: Mapping[str, npt.NDArray[Any]] | None = None) -> None:
        self._frame = frame
        self._columns = None if columns is None else dict(columns)
        self._parent: CompoundTable | None = None
        self._rows: slice | npt.NDArray[np.int64] = slice(None)
        if frame is not None and columns is None:
            self._n = len(frame)
        elif frame is None and columns is not None:
            self._n = len(next(iter(columns.values())))
        else:
            raise TypeError("give a frame or columns")
        self._arrays: dict[str, FloatArray] = {}
        self._texts: dict[str, npt.NDArray[np.object_]] = {}

    @property
    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame (built on first use from the columns or rows)."""
        if self._frame is None:
            if self._parent is not None:
                part = self._parent.frame.iloc[self._rows]
                self._frame = part.reset_index(drop=True)
            else:
                assert self._columns is not None
                self._frame = pd.DataFrame(
                    {s.name: (pd.Series(self._columns[s.name], dtype="str")
                              if s.kind == "str" else self._columns[s.name])
                     for s in COMPOUND_COLUMNS},
                    index=pd.RangeIndex(self._n), copy=False)
        return self._frame

    def __len__(self) -> int:
        return self._n

    def __repr__(self) -> str:
        return f"CompoundTable({self._n} compounds)"

    def array(self, column: str) -> FloatArray:
        """A numeric column as a read-only float64 array (units as in :data:`COMPOUND_COLUMNS`).

        Each column is converted once per table; the kernels ask for some many times.
        """
        values = self._arrays.get(column)
        if values is None:
            if self._parent is not None:
                values = self._parent.array(column)[self._rows]
            else:
                source = (self._columns[column] if self._columns is not None
                          else self.frame[column].to_numpy(dtype=np.float64))
                values = np.array(source, dtype=np.float64)
            values.flags.writeable = False
            self._arrays[column] = values
        return values

    def text(self, column: str) -> npt.NDArray[np.object_]:
        """A text column (``compound_id``, ``name``, ``street``, ``zone``) as Python strings."""
        values = self._texts.get(column)
        if values is None:
            if self._parent is not None:
                values = self._parent.text(column)[self._rows]
            elif self._columns is not None:
                values = np.asarray(self._columns[column], dtype=object)
            else:
                values = self.frame[column].to_numpy(dtype=object)
            values.flags.writeable = False
            self._texts[column] = values
        return values

    def codes(self, column: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]:
        """A text column numbered: the number of each row's value (in order of first
        appearance) and the values, as Python strings."""
        if self._frame is not None and self._n > 1:  # the frame's own text: faster
            return factorize(self._frame[column])
        return factorize(self.text(column))

    @property
    def ids(self) -> npt.NDArray[np.str_]:
        """Compound ids as a string array."""
        return np.asarray(self.text("compound_id"), dtype=str)

    def take(self, rows: slice | npt.NDArray[np.int64]) -> CompoundTable:
        """The compounds at ``rows`` (a slice or positions), renumbered from 0.

        Nothing is copied until a column is asked for; then only that column (a slice of
        a column is a view).

        Parameters
        ----------
        rows
            Row positions.

        Returns
        -------
        CompoundTable
        """
        if self._columns is not None:
            return CompoundTable(columns={k: v[rows] for k, v in self._columns.items()})
        part = CompoundTable.__new__(CompoundTable)
        part._frame, part._columns, part._parent, part._rows = None, None, self, rows
        part._n = (len(range(*rows.indices(self._n))) if isinstance(rows, slice)
                   else len(rows))
        part._arrays, part._texts = {}, {}
        return part


def _compound_models(items: Any, what: str) -> list[Compound]:
    """Several :class:`Compound` models as a list, or a clear error.

    Parameters
    ----------
    items
        An iterable of compound models.
    what
        The function asking, for the message.

    Raises
    ------
    TypeError
        If ``items`` is one compound, a mapping, text or not iterable, or one of them is
        not a :class:`Compound` (the message names its position and type).
    """
    if isinstance(items, Compound | Mapping | str | bytes | pd.DataFrame) or not isinstance(
            items, Iterable):
        raise TypeError(f"{what} takes several propfee.Compound models (a list); got one "
                        f"{type(items).__name__}")
    out = list(items)
    for i, item in enumerate(out):
        if not isinstance(item, Compound):
            raise TypeError(f"{what}: item {i} is a {type(item).__name__}, not a "
                            "propfee.Compound (pf.Compound(**fields) makes one from a dict)")
    return out


def _one_compound(value: Any, what: str) -> Compound:
    """A :class:`Compound` model, or a clear error naming what was given instead.

    Raises
    ------
    TypeError
        If ``value`` is not a :class:`Compound`.
    """
    if not isinstance(value, Compound):
        raise TypeError(f"{what} takes one propfee.Compound; got a {type(value).__name__} "
                        "(pf.Compound(**fields) makes one from a dict; a table goes to the "
                        "district functions)")
    return value


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
    items = [compounds] if isinstance(compounds, Compound) else _compound_models(
        compounds, "compounds_frame")
    records = [c.model_dump() for c in items]
    return pd.DataFrame.from_records(records, columns=[s.name for s in COMPOUND_COLUMNS])


def validate_compounds(
    data: pd.DataFrame | Compound | Iterable[Compound],
    *,
    first_line: int | None = None,
    source: str | None = None,
) -> CompoundTable:
    """Check a compound table and fill defaults, reporting every problem at once.

    Checks: required columns present and non-empty in every row; no unknown
    columns; numbers are numbers, finite, within the bounds of
    :data:`COMPOUND_COLUMNS`, whole where they count things; text not longer than
    its limit; compound ids (trimmed and NFKC-normalised, see :func:`normalise_id`)
    unique; floor area given (in total or per household), consistent where both are
    given and within bounds where derived.

    Parameters
    ----------
    data
        A DataFrame with the columns of :data:`COMPOUND_COLUMNS`, or compound models.
    first_line
        The spreadsheet row of the table's first row (2 for a file with one header
        row); problems then name that row. ``None``: rows are named by compound id only.
    source
        What the table came from (a file name), for the message.

    Returns
    -------
    CompoundTable
        The validated table.

    Raises
    ------
    propfee.errors.InputError
        Listing every problem with its row, compound id, column and value.
    """
    if isinstance(data, Compound):
        return _table_of((data,))
    if not isinstance(data, pd.DataFrame):
        data = compounds_frame(_compound_models(data, "validate_compounds"))
    lines = None if first_line is None else np.arange(len(data)) + first_line
    return _validate(data, lines=lines, source=source)


def _table_of(compounds: Sequence[Compound]) -> CompoundTable:
    """The table of :class:`Compound` models, one row each, already validated field by
    field against the same declaration (floor areas completed), so no check runs twice;
    one array a column, no DataFrame. Ids are not checked for uniqueness: callers that
    need it (a district) go through :func:`validate_compounds`."""
    records = [c.__dict__ for c in compounds]
    out: dict[str, npt.NDArray[Any]] = {}
    for spec in COMPOUND_COLUMNS:
        values = [r[spec.name] for r in records]
        if spec.kind == "str":
            if spec.name == "compound_id":
                values = [normalise_id(v) for v in values]
            out[spec.name] = np.array(values, dtype=object)
        elif spec.kind == "int" and (spec.required or spec.default is not None):
            out[spec.name] = np.array(values, dtype=np.int64)
        else:
            out[spec.name] = np.array([np.nan if v is None else v for v in values],
                                      dtype=np.float64)
    return CompoundTable(columns=out)


def _validate(
    data: pd.DataFrame, *, lines: npt.NDArray[np.int64] | None, source: str | None
) -> CompoundTable:
    """:func:`validate_compounds` with the spreadsheet row of every row (or ``None``)."""
    what = "compound table" if source is None else f"compound file {source}"
    problems: list[Problem] = []
    unknown = [c for c in data.columns if c not in _SPECS]
    problems += [Problem(None, str(c), None, _unknown_message(str(c))) for c in unknown]
    missing = [s.name for s in COMPOUND_COLUMNS if s.required and s.name not in data.columns]
    problems += [Problem(None, m, None, "missing column") for m in missing]
    twice = sorted({str(c) for c in data.columns[data.columns.duplicated()]})
    problems += [Problem(None, c, None, "a second column of this name") for c in twice]
    if problems:
        raise InputError(problems, what=what)
    if len(data) == 0:
        raise InputError([Problem(None, "compound_id", None, "the table has no rows")],
                         what=what)

    n = len(data)
    raw_ids = _text(data["compound_id"].reset_index(drop=True))
    ids = _normalise_ids(raw_ids)
    out: dict[str, Any] = {}
    for spec in COMPOUND_COLUMNS:
        if spec.name not in data.columns:  # an absent optional column takes its default
            out[spec.name] = _absent(spec, n)
            continue
        values, col_problems = _check_column(spec, data[spec.name].reset_index(drop=True), ids)
        problems += col_problems
        out[spec.name] = values

    empty_id = np.flatnonzero((ids == "").to_numpy(dtype=bool))
    problems += [Problem(None, "compound_id", raw_ids.iloc[i], "missing value", line=int(i))
                 for i in empty_id]
    if not _unique(ids):
        dup = ids.duplicated(keep=False).to_numpy(dtype=bool) & (ids != "").to_numpy(dtype=bool)
        problems += [Problem(ids.iloc[i], "compound_id", raw_ids.iloc[i],
                             "duplicate id (after trimming spaces)", line=int(i))
                     for i in np.flatnonzero(dup)]

    total = out["floor_area_m2"]
    per = out["floor_area_m2_per_household"]
    households = out["households"]
    neither = np.isnan(total) & np.isnan(per)
    both = ~np.isnan(total) & ~np.isnan(per)
    disagree = np.zeros(n, dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):
        derived = per * households
        if both.any():
            disagree = both & ~np.isclose(total, derived)
        too_big = np.isnan(total) & (derived > float(_AREA_MAX or np.inf))
    problems += [Problem(ids.iloc[i], "floor_area_m2", None,
                         "give floor_area_m2 or floor_area_m2_per_household", line=int(i))
                 for i in np.flatnonzero(neither)]
    problems += [Problem(ids.iloc[i], "floor_area_m2", float(total[i]),
                         f"disagrees with floor_area_m2_per_household x households "
                         f"= {derived[i]}", line=int(i))
                 for i in np.flatnonzero(disagree)]
    problems += [Problem(ids.iloc[i], "floor_area_m2_per_household", float(per[i]),
                         f"x households = {derived[i]:g} m2, must be <= {_AREA_MAX:g}", line=int(i))
                 for i in np.flatnonzero(too_big)]
    systems = out["coord_system"]
    if systems.ne("").any():  # a datum name: one the coordinates module knows
        from propfee.geo import coord_system_name

        for i in np.flatnonzero(systems.ne("").to_numpy(dtype=bool)):
            try:
                coord_system_name(str(systems.iloc[i]))
            except InputError as exc:
                problems += [replace(p, row=ids.iloc[i], line=int(i)) for p in exc.problems]
    lift_hh = out["lift_households"]
    with np.errstate(invalid="ignore"):
        odd = ~np.isnan(lift_hh) & ((lift_hh > households) | ((out["lifts"] > 0) & (lift_hh == 0))
                                    | ((out["lifts"] == 0) & (lift_hh > 0)))
    for i in np.flatnonzero(odd):
        lift = _lift_problem(int(out["lifts"][i]), int(lift_hh[i]), int(households[i]))
        if lift is not None:
            problems.append(Problem(ids.iloc[i], *lift, line=int(i)))
    if problems:
        raise InputError(_lines(problems, lines), what=what)
    out["floor_area_m2"] = np.where(np.isnan(total), derived, total)
    out["floor_area_m2_per_household"] = out["floor_area_m2"] / households
    out["compound_id"] = ids
    for spec in COMPOUND_COLUMNS:
        if spec.kind == "int" and (spec.required or spec.default is not None):  # else NaN stays
            given = data[spec.name] if spec.name in data.columns else None
            if given is not None and given.dtype == np.int64:  # checked whole: its own copy
                out[spec.name] = given.to_numpy(dtype=np.int64, copy=True)
            else:
                out[spec.name] = out[spec.name].astype(np.int64)
    return CompoundTable(pd.DataFrame(out, index=pd.RangeIndex(n), copy=False))


def _lines(problems: list[Problem], lines: npt.NDArray[np.int64] | None) -> list[Problem]:
    """Problems with ``line`` (a position while checking) turned into spreadsheet rows."""
    return [p if p.line is None else
            replace(p, line=None if lines is None else int(lines[p.line]))
            for p in problems]


def _unknown_message(column: str) -> str:
    close = difflib.get_close_matches(column, list(_SPECS), n=1, cutoff=0.6)
    return "unknown column" + (f"; did you mean {close[0]!r}?" if close else "")


def _normalise_ids(ids: pd.Series) -> pd.Series:
    """Ids trimmed and NFKC-normalised, vectorised; already clean ids are kept as they are."""
    if len(ids) == 0:
        return ids
    clean = ids.str.strip()
    if not bool(clean.str.isascii().all()):
        clean = clean.str.normalize("NFKC").str.strip()
    return clean


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
        if col.dtype == object:  # a container is not text (str() would invent some)
            nested = col.map(lambda v: isinstance(v, dict | list | set | tuple | bytes))
            problems += [Problem(ids.iloc[i][:40], spec.name, type(col.iloc[i]).__name__,
                                 "not text", line=int(i))
                         for i in np.flatnonzero(nested.to_numpy(dtype=bool))]
        text = ids if spec.name == "compound_id" else _text(col)
        if spec.upper is not None and len(text) and _may_be_longer(text, spec.upper) and int(
                text.str.len().max()) > spec.upper:
            long = (text.str.len() > spec.upper).to_numpy(dtype=bool)
            problems += [Problem(ids.iloc[i][:40], spec.name, text.iloc[i],
                                 f"longer than {spec.upper:g} characters", line=int(i))
                         for i in np.flatnonzero(long)]
        if len(text) and _may_hold_control(text) and bool(
                text.str.contains(_CONTROL, regex=True).any()):
            bad = text.str.contains(_CONTROL, regex=True).to_numpy(dtype=bool)
            problems += [Problem(ids.iloc[i][:40], spec.name, text.iloc[i][:100],
                                 "holds a control character", line=int(i))
                         for i in np.flatnonzero(bad)]
        return text, problems
    if _all_valid(spec, col):
        return col.to_numpy(dtype=np.float64), problems
    missing = col.isna().to_numpy(dtype=bool)
    if pd.api.types.is_bool_dtype(col.dtype) or col.dtype.kind == "c":
        numeric = np.full(len(col), np.nan)
        bools = ~missing
    else:
        bools = np.zeros(len(col), dtype=bool)
        if col.dtype == object:  # mixed cells: True/False or 1+2j among numbers is not a number
            bools = np.fromiter((isinstance(v, bool | np.bool_ | complex)
                                 for v in col.to_numpy()), dtype=bool, count=len(col))
        numeric = pd.to_numeric(col.where(~bools) if bools.any() else col,
                                errors="coerce").to_numpy(dtype=np.float64)
    not_number = (~missing & np.isnan(numeric)) | bools
    problems += [Problem(ids.iloc[i], spec.name, col.iloc[i], "not a number", line=int(i))
                 for i in np.flatnonzero(not_number)]
    if spec.required:
        problems += [Problem(ids.iloc[i], spec.name, None, "missing value", line=int(i))
                     for i in np.flatnonzero(missing)]
    ok = ~missing & ~not_number
    inf = ok & np.isinf(numeric)
    problems += [Problem(ids.iloc[i], spec.name, float(numeric[i]), "must be finite",
                         line=int(i)) for i in np.flatnonzero(inf)]
    ok &= ~inf
    tiny = ok & (numeric != 0) & (np.abs(numeric) < _TINY)
    problems += [Problem(ids.iloc[i], spec.name, float(numeric[i]), _TINY_MESSAGE, line=int(i))
                 for i in np.flatnonzero(tiny)]
    ok &= ~tiny
    with np.errstate(invalid="ignore"):
        if spec.lower is not None:
            low = (numeric <= spec.lower) if spec.lower_open else (numeric < spec.lower)
            bad = ok & low
            rel = ">" if spec.lower_open else ">="
            problems += [
                Problem(ids.iloc[i], spec.name, float(numeric[i]), f"must be {rel} {spec.lower:g}",
                        line=int(i))
                for i in np.flatnonzero(bad)
            ]
        if spec.upper is not None:
            bad = ok & (numeric > spec.upper)
            problems += [Problem(ids.iloc[i], spec.name, float(numeric[i]),
                                 f"must be <= {spec.upper:g}", line=int(i))
                         for i in np.flatnonzero(bad)]
        if spec.kind == "int":
            bad = ok & (numeric != np.floor(numeric))
            problems += [Problem(ids.iloc[i], spec.name, float(numeric[i]),
                                 "must be a whole number", line=int(i))
                         for i in np.flatnonzero(bad)]
    if spec.default is not None:
        numeric = np.where(missing, float(spec.default), numeric)
    return numeric, problems


_CONTROL_BYTES = np.zeros(256, dtype=bool)
_CONTROL_BYTES[[*range(9), 11, 12, *range(14, 32)]] = True


def _arrow_chunks(text: pd.Series) -> list[Any] | None:
    """The arrow chunks of an arrow-backed text column, or ``None`` (no arrow storage, or
    no pyarrow: the byte checks then say maybe)."""
    arrow = getattr(text.array, "__arrow_array__", None)
    if arrow is None:
        return None
    try:
        return list(arrow().chunks)
    except (TypeError, ValueError, AttributeError, ImportError):  # no pyarrow: maybe
        return None


def _may_hold_control(text: pd.Series) -> bool:
    """Whether a text column may hold a control character (False is certain).

    Arrow-backed strings are checked on their UTF-8 bytes at once (a control character
    is a byte below 0x20, which UTF-8 uses for nothing else); other columns say maybe.
    """
    chunks = _arrow_chunks(text)
    if chunks is None:
        return True
    for chunk in chunks:
        buffers = chunk.buffers()
        if len(buffers) < 3 or buffers[2] is None:
            continue
        data = np.frombuffer(buffers[2], dtype=np.uint8)
        # No byte below 0x20 at all (one fast reduction) rules out every control byte.
        if len(data) and int(data.min()) < 0x20 and _CONTROL_BYTES[data].any():
            return True
    return False


def _may_be_longer(text: pd.Series, limit: float) -> bool:
    """Whether a text column may hold a value of more than ``limit`` characters (False is
    certain).

    A character takes at least one byte of UTF-8, so arrow-backed strings of at most
    ``limit`` bytes each (read from their offsets at once) are within it; other columns
    say maybe.
    """
    chunks = _arrow_chunks(text)
    if chunks is None:
        return True
    for chunk in chunks:
        kind = str(chunk.type)
        if kind not in ("string", "large_string", "utf8", "large_utf8"):
            return True
        buffers = chunk.buffers()
        if len(buffers) < 3 or buffers[1] is None or len(chunk) == 0:
            continue
        width = np.int64 if kind in ("large_string", "large_utf8") else np.int32
        first = chunk.offset
        offsets = np.frombuffer(buffers[1], dtype=width)[first:first + len(chunk) + 1]
        if int(np.diff(offsets).max()) > limit:
            return True
    return False


def _all_valid(spec: ColumnSpec, col: pd.Series) -> bool:
    """Whether a numeric column passes every check, by two reductions (the common case).

    The row-by-row checks that name each problem run only when this says no.
    """
    if len(col) == 0 or col.dtype.kind not in "iuf":
        return False
    values = col.to_numpy()
    low, high = float(values.min()), float(values.max())
    if not (np.isfinite(low) and np.isfinite(high)):  # NaN (missing) or infinite cells
        return False
    if spec.lower is not None and (low <= spec.lower if spec.lower_open else low < spec.lower):
        return False
    if spec.upper is not None and high > spec.upper:
        return False
    if spec.kind == "float" and col.dtype.kind == "f" and (low > -_TINY or high < _TINY):
        size = np.abs(values)  # a subnormal is refused: only near 0 can one hide
        if bool(((size < _TINY) & (size > 0)).any()):
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
