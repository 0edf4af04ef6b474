"""The component catalogue: what the common parts of a compound are and when each is due.

A catalogue lists the common parts of an old multi-storey compound (roof waterproofing,
risers, drains, wiring, walls, stairwells, roads, ...). Each component has a quantity
basis derived from the compound's fields, a quantity per unit of that basis, a service
life, a unit cost and a reference or the label ``illustrative``. The default catalogue
is the dated data file ``params/data/components_taiyuan.toml``, looked up by date.

Quantity bases, vectorised over compounds (``A`` floor area [m2], ``S`` storeys,
``B`` buildings, ``U`` stairwell units, ``G`` green area [m2], ``h`` storey height [m],
``d`` building depth [m], ``k`` plot ratio [1])::

    roof_m2        = A / S
    facade_m2      = B x 2 x (roof_m2 / B / d + d) x S x h
    stair_storeys  = U x S
    riser_m        = U x S x h
    site_m2        = A / k
    roads_m2       = max(0, site_m2 - roof_m2 - G)
    perimeter_m    = 4 x sqrt(site_m2)
    buildings, households, stairwell_units, lifts, floor_area_m2, green_area_m2: the field

    quantity = quantity_per_basis x basis                     [the component's unit]
    cost     = quantity x unit_cost_yuan                      [yuan, prices of the as-of year]

Every quantity, unit cost, life and the year a component was last renewed (default: the
build year) can be overridden per compound with a long table
``(compound_id, component, field, value)`` or wide columns ``"<component>.<field>"``.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

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

from propfee.compound import CompoundTable
from propfee.errors import InputError, ParameterError, Problem
from propfee.params.loader import SOURCE_DATE, DatedValue
from propfee.reserve.fund import FUND_FIELDS, FundRules, fund_may_pay

__all__ = [
    "BASES",
    "COMPONENT_FIELDS",
    "Basis",
    "Catalogue",
    "ComponentArrays",
    "ComponentSpec",
    "SiteGeometry",
    "component_arrays",
    "default_catalogue",
    "load_catalogue",
    "long_overrides",
    "quantity_bases",
]

FloatArray = npt.NDArray[np.float64]

Basis = Literal["roof_m2", "facade_m2", "stair_storeys", "riser_m", "site_m2", "roads_m2",
                "perimeter_m", "buildings", "households", "stairwell_units", "lifts",
                "floor_area_m2", "green_area_m2"]
BASES: tuple[str, ...] = get_args(Basis)
"""The quantity bases a component can be measured by."""

Work = Literal["renewal", "repair", "upkeep"]
Scope = Literal["common_part", "shared_facility", "private"]
Status = Literal["source", "rule", "norm", "illustrative"]

COMPONENT_FIELDS: tuple[str, ...] = ("quantity", "unit_cost_yuan", "life_years",
                                     "last_renewed_year")
"""Fields of a component that a per-compound override may set."""


class ComponentSpec(BaseModel):
    """One component of the catalogue, with the values in force on the catalogue's date.

    Attributes
    ----------
    name
        Identifier, e.g. ``"roof_waterproofing"``.
    label_en, label_zh
        English and Chinese labels.
    basis
        Quantity basis, one of :data:`BASES`.
    quantity_per_basis
        Component units per unit of the basis. [unit/basis]
    unit
        Unit the quantity and unit cost refer to, e.g. ``"m2"``.
    life_years
        Typical service life. [year]
    unit_cost_yuan
        Cost of renewing (or repairing) one unit, in prices of the as-of year. [yuan/unit]
    work
        ``renewal``, ``repair`` or ``upkeep`` (daily upkeep, never paid by the fund).
    scope
        ``common_part``, ``shared_facility`` or ``private`` (never paid by the fund).
    status
        Where the numbers come from (``illustrative`` unless a source is cited).
    reference
        The reference or assumption.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")]
    label_en: str = ""
    label_zh: str = ""
    basis: Basis
    quantity_per_basis: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 1.0
    unit: str = "-"
    life_years: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    unit_cost_yuan: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    work: Work = "renewal"
    scope: Scope = "common_part"
    status: Status = "illustrative"
    reference: str = "illustrative"

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_component(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            name = data.get("name") if isinstance(data, Mapping) else None
            raise InputError([
                Problem(None, f"{name}.{'.'.join(str(p) for p in e['loc'])}", e.get("input"),
                        e["msg"]) for e in exc.errors()
            ], what=f"component {name!r}") from None

    @property
    def fund_eligible(self) -> bool:
        """Whether the special maintenance fund may pay for it (repair or renewal of
        common parts and shared facilities, never daily upkeep or private parts)."""
        return fund_may_pay(self.work, self.scope)


class SiteGeometry(BaseModel):
    """Assumptions that turn compound fields into quantity bases.

    Attributes
    ----------
    plot_ratio
        Floor area per m2 of site. [1]
    storey_height_m
        Height of one storey. [m]
    building_depth_m
        Depth of a slab building. [m]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    plot_ratio: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    storey_height_m: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    building_depth_m: Annotated[float, Field(gt=0, allow_inf_nan=False)]


class Catalogue(BaseModel):
    """A component catalogue with its site geometry and fund rules, resolved at a date.

    Attributes
    ----------
    region
        Region the catalogue is for.
    as_of
        The date the values are in force; unit costs are in prices of its year.
    site
        Site geometry assumptions.
    fund
        Rules of the special maintenance fund.
    components
        The components, names unique.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    region: str = ""
    as_of: dt.date = SOURCE_DATE
    site: SiteGeometry
    fund: FundRules
    components: Annotated[tuple[ComponentSpec, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        names = [c.name for c in self.components]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise InputError([Problem(None, "components", d, "duplicate component name")
                              for d in dup], what="component catalogue")
        return self

    @property
    def names(self) -> tuple[str, ...]:
        """Component names in catalogue order."""
        return tuple(c.name for c in self.components)

    def table(self) -> pd.DataFrame:
        """The catalogue as a table, one row per component (units in the column names)."""
        return pd.DataFrame({
            "component": [c.name for c in self.components],
            "label_en": [c.label_en for c in self.components],
            "label_zh": [c.label_zh for c in self.components],
            "basis": [c.basis for c in self.components],
            "quantity_per_basis": [c.quantity_per_basis for c in self.components],
            "unit": [c.unit for c in self.components],
            "life_years": [c.life_years for c in self.components],
            "unit_cost_yuan": [c.unit_cost_yuan for c in self.components],
            "work": [c.work for c in self.components],
            "scope": [c.scope for c in self.components],
            "fund_eligible": [c.fund_eligible for c in self.components],
            "status": [c.status for c in self.components],
            "reference": [c.reference for c in self.components],
        })


class _History(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    since: dt.date
    life_years: float
    unit_cost_yuan: float


class _ComponentEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    label_en: str = ""
    label_zh: str = ""
    basis: str
    quantity_per_basis: float = 1.0
    unit: str = "-"
    work: str = "renewal"
    scope: str = "common_part"
    status: Status
    reference: str
    history: Annotated[tuple[_History, ...], Field(min_length=1)]


class _CatalogueFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    region: str
    description: str = ""
    site: dict[str, DatedValue] = {}
    fund: dict[str, DatedValue] = {}
    components: dict[str, _ComponentEntry]


def _read(source: str) -> _CatalogueFile:
    if source.endswith(".toml"):  # a user's file: read afresh every time
        path = Path(source)
        if not path.is_file():
            raise ParameterError([f"{source}: no such catalogue file"])
        return _parse(path.read_text(encoding="utf-8"), source)
    return _built_in(source)


@functools.cache
def _built_in(source: str) -> _CatalogueFile:
    name = f"components_{source}.toml"
    data = resources.files("propfee.params").joinpath("data", name)
    if not data.is_file():
        raise ParameterError([f"no built-in component catalogue {source!r}"])
    return _parse(data.read_text(encoding="utf-8"), source)


def _parse(text: str, source: str) -> _CatalogueFile:
    try:
        return _CatalogueFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError([f"{source}: not valid TOML: {exc}"]) from None
    except ValidationError as exc:
        raise ParameterError([f"{source}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                              for e in exc.errors()]) from None


def _at(values: dict[str, DatedValue], when: dt.date, source: str, what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, dated in values.items():
        try:
            out[key] = dated.at(when)
        except KeyError as exc:
            raise ParameterError([f"{source}: {what}.{key}: {exc.args[0]}"]) from None
    return out


def load_catalogue(source: str | Path = "taiyuan", as_of: dt.date = SOURCE_DATE) -> Catalogue:
    """Load a component catalogue and its fund rules, with the values in force on a date.

    Parameters
    ----------
    source
        A built-in region name (``"taiyuan"``) or the path of a TOML file.
    as_of
        Date of the values; unit costs are in prices of its year.

    Returns
    -------
    Catalogue

    Raises
    ------
    propfee.errors.ParameterError
        If the file is missing or malformed, or has no value in force on ``as_of``.
    propfee.errors.InputError
        If a component's value is out of range (a life of zero), naming the component.
    """
    key = str(source)
    raw = _read(key)
    site = _at(raw.site, as_of, key, "site")
    fund = _at(raw.fund, as_of, key, "fund")
    specs = []
    for name, entry in raw.components.items():
        current = [h for h in entry.history if h.since <= as_of]
        if not current:
            raise ParameterError([f"{key}: components.{name}: no value in force on {as_of} "
                                  f"(first is {entry.history[0].since})"])
        values = entry.model_dump(exclude={"history"})
        specs.append(ComponentSpec.model_validate({
            "name": name, **values, "life_years": current[-1].life_years,
            "unit_cost_yuan": current[-1].unit_cost_yuan}))
    try:
        return Catalogue(region=raw.region, as_of=as_of, site=SiteGeometry(**site),
                         fund=FundRules(**fund), components=tuple(specs))
    except ValidationError as exc:
        raise ParameterError([f"{key}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                              for e in exc.errors()]) from None


def default_catalogue(as_of: dt.date = SOURCE_DATE) -> Catalogue:
    """The built-in Taiyuan catalogue on ``as_of`` (see :func:`load_catalogue`)."""
    return load_catalogue("taiyuan", as_of)


def quantity_bases(table: CompoundTable, site: SiteGeometry) -> dict[str, FloatArray]:
    """Every quantity basis of every compound, vectorised (formulas in the module doc).

    Parameters
    ----------
    table
        A validated compound table.
    site
        Site geometry assumptions.

    Returns
    -------
    dict
        Basis name -> ``(compounds,)`` array, in the basis's unit.
    """
    area = table.array("floor_area_m2")
    storeys = table.array("storeys")
    buildings = table.array("buildings")
    units = table.array("stairwell_units")
    green = table.array("green_area_m2")
    roof = area / storeys
    depth = site.building_depth_m
    site_m2 = area / site.plot_ratio
    return {
        "roof_m2": roof,
        "facade_m2": buildings * 2.0 * (roof / buildings / depth + depth) * storeys
        * site.storey_height_m,
        "stair_storeys": units * storeys,
        "riser_m": units * storeys * site.storey_height_m,
        "site_m2": site_m2,
        "roads_m2": np.maximum(0.0, site_m2 - roof - green),
        "perimeter_m": 4.0 * np.sqrt(site_m2),
        "buildings": buildings,
        "households": table.array("households"),
        "stairwell_units": units,
        "lifts": table.array("lifts"),
        "floor_area_m2": area,
        "green_area_m2": green,
    }


@dataclass(frozen=True)
class ComponentArrays:
    """Every component of every compound as ``(compounds, components)`` arrays.

    Attributes
    ----------
    ids
        Compound ids ``(compounds,)``.
    build_year
        ``(compounds,)``. [year]
    floor_area_m2
        ``(compounds,)``. [m2]
    households
        ``(compounds,)``. [households]
    names
        Component names ``(components,)``.
    quantity
        [component unit]
    unit_cost_yuan
        In prices of the as-of year. [yuan/unit]
    life_years
        [year]
    last_renewed_year
        Calendar year of the last renewal (the build year unless overridden). [year]
    fund_eligible
        ``(components,)``: whether the special maintenance fund may pay for it.
    """

    ids: npt.NDArray[np.str_]
    build_year: FloatArray
    floor_area_m2: FloatArray
    households: FloatArray
    names: tuple[str, ...]
    quantity: FloatArray
    unit_cost_yuan: FloatArray
    life_years: FloatArray
    last_renewed_year: FloatArray
    fund_eligible: npt.NDArray[np.bool_]

    @property
    def cost_yuan(self) -> FloatArray:
        """Cost of one renewal ``(compounds, components)``, prices of the as-of year. [yuan]"""
        return self.quantity * self.unit_cost_yuan


_LONG_COLUMNS = ["compound_id", "component", "field", "value", "row"]


def long_overrides(overrides: pd.DataFrame | None) -> pd.DataFrame:
    """Per-compound overrides as a long table ``compound_id, component, field, value, row``.

    Parameters
    ----------
    overrides
        Either long (columns ``compound_id``, ``component``, ``field``, ``value``) or wide
        (``compound_id`` and columns ``"<component>.<field>"``, empty cells meaning no
        override). The fund's fields use the component name ``fund``. A value given twice
        for the same compound, component and field is an error. A table already long
        (these columns and ``row``, as this function returns) is returned as it is.

    Returns
    -------
    pandas.DataFrame
        One row per override; ``row`` is the spreadsheet row it came from (first data
        row = 2). ``value`` is float, NaN where the cell is not a number.

    Raises
    ------
    propfee.errors.InputError
        If ``compound_id`` is missing, or a wide column is not ``component.field``.
    """
    columns = _LONG_COLUMNS
    if overrides is None or len(overrides) == 0:
        return pd.DataFrame({c: pd.Series([], dtype=float if c in ("value", "row") else str)
                             for c in columns})
    if list(overrides.columns) == columns:
        return overrides.reset_index(drop=True)
    if "compound_id" not in overrides.columns:
        raise InputError([Problem(None, "compound_id", None, "missing column")],
                         what="component overrides")
    frame = overrides.reset_index(drop=True)
    rows = np.arange(len(frame)) + 2
    long_cols = {"compound_id", "component", "field", "value"}
    if long_cols <= set(frame.columns):
        extra = sorted(set(frame.columns) - long_cols)
        if extra:
            raise InputError([Problem(None, str(c), None, "unknown column") for c in extra],
                             what="component overrides")
        out = frame[["compound_id", "component", "field"]].astype(str)
        out["value_raw"] = frame["value"].to_numpy()
        out["row"] = rows
    else:
        bad = [c for c in frame.columns if c != "compound_id" and str(c).count(".") != 1]
        if bad:
            raise InputError([Problem(None, str(c), None, "a wide override column is "
                                      "'<component>.<field>'") for c in bad],
                             what="component overrides")
        frame = frame.assign(row=rows)
        melted = frame.melt(id_vars=["compound_id", "row"], var_name="column",
                            value_name="value_raw")
        melted = melted[melted["value_raw"].notna()].reset_index(drop=True)
        parts = melted["column"].astype(str).str.split(".", n=1, expand=True)
        out = pd.DataFrame({"compound_id": melted["compound_id"].astype(str),
                            "component": parts[0] if len(melted) else [],
                            "field": parts[1] if len(melted) else [],
                            "value_raw": melted["value_raw"], "row": melted["row"]})
    numeric = pd.to_numeric(out["value_raw"], errors="coerce")
    is_bool = out["value_raw"].map(lambda v: isinstance(v, bool | np.bool_))
    out["value"] = numeric.where(~is_bool.astype(bool), np.nan).astype(float)
    bad_value = out["value"].isna() | ~np.isfinite(out["value"].fillna(0.0))
    problems = [Problem(str(r.compound_id), f"{r.component}.{r.field}", r.value_raw,
                        f"not a finite number (overrides row {r.row})")
                for r in out[bad_value].itertuples()]
    twice = out.duplicated(["compound_id", "component", "field"], keep="first")
    problems += [Problem(str(r.compound_id), f"{r.component}.{r.field}", r.value_raw,
                         f"given twice (overrides row {r.row})")
                 for r in out[twice].itertuples()]
    if problems:
        raise InputError(problems, what="component overrides")
    return out[columns].reset_index(drop=True)


def _check_targets(long: pd.DataFrame, ids: npt.NDArray[np.str_],
                   names: tuple[str, ...]) -> None:
    known = pd.Index(ids).get_indexer(pd.Index(long["compound_id"])) >= 0
    valid_component = long["component"].isin([*names, "fund"]).to_numpy()
    fields = np.where(long["component"] == "fund", "fund", "component")
    valid_field = np.where(fields == "fund", long["field"].isin(FUND_FIELDS),
                           long["field"].isin(COMPONENT_FIELDS))
    problems: list[Problem] = []
    for r, ok_id, ok_comp, ok_field in zip(long.itertuples(), known, valid_component,
                                           valid_field, strict=True):
        where = f"{r.component}.{r.field}"
        if not ok_id:
            problems.append(Problem(str(r.compound_id), "compound_id", r.compound_id,
                                    f"not a compound of the table (overrides row {r.row})"))
        elif not ok_comp:
            problems.append(Problem(str(r.compound_id), where, r.value,
                                    f"no component {r.component!r} in the catalogue "
                                    f"(overrides row {r.row})"))
        elif not ok_field:
            allowed = FUND_FIELDS if r.component == "fund" else COMPONENT_FIELDS
            problems.append(Problem(str(r.compound_id), where, r.value,
                                    f"not a field that can be overridden; one of "
                                    f"{', '.join(allowed)} (overrides row {r.row})"))
    if problems:
        raise InputError(problems, what="component overrides")


def component_arrays(
    table: CompoundTable,
    catalogue: Catalogue,
    overrides: pd.DataFrame | None = None,
    *,
    start_year: int | None = None,
) -> ComponentArrays:
    """Quantities, costs, lives and last renewals of every component of every compound.

    Parameters
    ----------
    table
        A validated compound table.
    catalogue
        The component catalogue.
    overrides
        Per-compound overrides (see :func:`long_overrides`), or a table already made long.
    start_year
        First year of a study: a last renewal after it is an error. [year]

    Returns
    -------
    ComponentArrays

    Raises
    ------
    propfee.errors.InputError
        Naming the compound and the component: a life of zero or less, a negative
        quantity or unit cost, a last renewal before the build year or after the start.
    """
    ready = overrides is not None and list(overrides.columns) == _LONG_COLUMNS
    long = overrides if ready and overrides is not None else long_overrides(overrides)
    ids = table.ids
    names = catalogue.names
    _check_targets(long, ids, names)
    bases = quantity_bases(table, catalogue.site)
    n, c = len(table), len(names)
    build = table.array("build_year")
    per_basis = np.array([s.quantity_per_basis for s in catalogue.components])
    quantity = np.stack([bases[s.basis] for s in catalogue.components], axis=-1) \
        if c else np.zeros((n, 0))
    quantity = quantity * per_basis
    values = {
        "quantity": quantity,
        "unit_cost_yuan": np.broadcast_to(
            np.array([s.unit_cost_yuan for s in catalogue.components]), (n, c)).copy(),
        "life_years": np.broadcast_to(
            np.array([s.life_years for s in catalogue.components]), (n, c)).copy(),
        "last_renewed_year": np.broadcast_to(build[:, None], (n, c)).copy(),
    }
    mine = long[long["component"] != "fund"]
    if len(mine):
        rows = pd.Index(ids).get_indexer(pd.Index(mine["compound_id"]))
        cols = pd.Index(list(names)).get_indexer(pd.Index(mine["component"]))
        for name, target in values.items():
            pick = (mine["field"] == name).to_numpy()
            target[rows[pick], cols[pick]] = mine["value"].to_numpy()[pick]
    _check_values(ids, names, build, values, start_year)
    for v in values.values():
        v.flags.writeable = False
    return ComponentArrays(
        ids=ids, build_year=build, floor_area_m2=table.array("floor_area_m2"),
        households=table.array("households"), names=names,
        quantity=values["quantity"], unit_cost_yuan=values["unit_cost_yuan"],
        life_years=values["life_years"], last_renewed_year=values["last_renewed_year"],
        fund_eligible=np.array([s.fund_eligible for s in catalogue.components], dtype=bool),
    )


def _check_values(ids: npt.NDArray[np.str_], names: tuple[str, ...], build: FloatArray,
                  values: dict[str, FloatArray], start_year: int | None) -> None:
    last = values["last_renewed_year"]
    checks: list[tuple[str, npt.NDArray[np.bool_], str | FloatArray]] = [
        ("life_years", ~(values["life_years"] > 0), "must be > 0"),
        ("quantity", ~(values["quantity"] >= 0), "must be >= 0"),
        ("unit_cost_yuan", ~(values["unit_cost_yuan"] >= 0), "must be >= 0"),
        ("last_renewed_year", last < build[:, None], "before the build year"),
        ("last_renewed_year", last != np.floor(last), "must be a whole year"),
    ]
    if start_year is not None:
        checks.append(("last_renewed_year", last > start_year,
                       f"after the first year of the study ({start_year})"))
    problems: list[Problem] = []
    for field, bad, message in checks:
        for i, j in zip(*np.nonzero(bad), strict=True):
            text = f"{message} {int(build[i])}" if message == "before the build year" \
                else str(message)
            problems.append(Problem(str(ids[i]), f"{names[j]}.{field}",
                                    float(values[field][i, j]), text))
    if problems:
        raise InputError(problems, what="components")
