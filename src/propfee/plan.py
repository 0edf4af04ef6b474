"""A 4+1 plan: how each basic service of a compound is delivered, and per-compound overrides.

A :class:`Plan` holds one section per channel. It is validated, frozen and
serialisable to JSON and back (:meth:`Plan.to_json`, :meth:`Plan.from_json`). The
same plan applies to every compound of a district; a *column-wise override* table
(one row per compound, one column per dotted path such as
``"smart_devices.access_control.units_per_basis"``) changes any numeric item field,
or the bundle (``"shared_property.bundle_id"``), for some compounds, without a Python
loop over compounds. :func:`override_paths` lists every path a plan accepts.

:func:`default_plan` gives the illustrative defaults used by the demo: none of its
prices comes from a public source (see the docs' assumptions page).
"""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass, field
from typing import Annotated, Any, Final, NamedTuple

import annotated_types as at
import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, Field, ValidationError

from propfee._arrays import factorize
from propfee.channels.common import Basis, PlanModel, Role
from propfee.channels.devices import Device, SmartDevices
from propfee.channels.public_income import IncomeSource, PublicIncome
from propfee.channels.self_governance import SelfGovernance, VolunteerTask
from propfee.channels.shared_property import PerUseJob, SharedProperty
from propfee.channels.street import StreetFallback, StreetItem
from propfee.compound import CompoundTable
from propfee.errors import InputError, Problem
from propfee.params.model import GateRegime

__all__ = [
    "BUNDLE_ID_PATH",
    "PLAN_NAMES",
    "Plan",
    "PlanArrays",
    "default_plan",
    "named_plan",
    "override_paths",
    "plan_names",
    "resolve_plan",
]

FloatArray = npt.NDArray[np.float64]

BUNDLE_ID_PATH = "shared_property.bundle_id"
"""Override column that puts a compound in a named bundle."""

_SECTIONS: dict[str, str] = {
    "self_governance": "tasks",
    "shared_property": "jobs",
    "street_fallback": "items",
    "smart_devices": "devices",
    "public_income": "sources",
}


class Plan(PlanModel):
    """How the basic services are delivered under the four managements plus one subsidy.

    Attributes
    ----------
    description
        Free text.
    service_grade
        The service grade the compound buys, 1 (highest) to 5: the grade's norms give
        each role's demand (:mod:`propfee.staffing`).
    gate_regime
        How the gates are kept; ``None``: the grade's regime.
    informal_roles
        Roles whose open demand the compound hires itself, informally (retired workers
        on a service agreement, :mod:`propfee.channels.direct`).
    self_governance
        Volunteer teams (channel 1).
    shared_property
        Bundled contract and per-use jobs (channel 2).
    street_fallback
        What the street office pays for (channel 3).
    smart_devices
        Devices, their capital and running cost, and the staff they replace (channel 4).
    public_income
        Public-resource income into the fund pool (the one subsidy).
    """

    description: str = ""
    service_grade: Annotated[int, Field(ge=1, le=5)] = 4
    gate_regime: GateRegime | None = None
    informal_roles: Annotated[tuple[Role, ...], Field(strict=False)] = ()
    self_governance: SelfGovernance = SelfGovernance()
    shared_property: SharedProperty = SharedProperty()
    street_fallback: StreetFallback = StreetFallback()
    smart_devices: SmartDevices = SmartDevices()
    public_income: PublicIncome = PublicIncome()

    def to_json(self, indent: int | None = 2) -> str:
        """The plan as JSON text."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> Plan:
        """Read a plan from JSON text.

        Raises
        ------
        propfee.errors.InputError
            Naming the path and value of every problem.
        """
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise InputError.from_pydantic(exc, what="plan") from None


_JOBS: Final[tuple[tuple[str, Basis, float, float, float, float, float], ...]] = (
    # name, basis, uses per unit a year when new, growth per year of age, market price
    # per use, call-out per visit, uses per visit (all illustrative: no public source
    # gives per-use prices of these jobs in Taiyuan; see the docs' assumptions page)
    ("pipe_dredging", "building", 1.0, 0.04, 300.0, 100.0, 1.0),
    ("wall_repair", "building", 0.2, 0.04, 1500.0, 150.0, 1.0),
    ("stairwell_repair", "stairwell_unit", 0.2, 0.03, 800.0, 100.0, 1.0),
    ("road_levelling", "road_m2", 0.02, 0.03, 60.0, 300.0, 20.0),
    ("septic_tank_pumping", "building", 1.0, 0.0, 400.0, 100.0, 1.0),
    ("water_tank_cleaning", "building", 2.0, 0.0, 300.0, 80.0, 1.0),
    ("small_water_repairs", "household", 0.06, 0.04, 80.0, 50.0, 1.0),
    ("small_electrical_repairs", "household", 0.05, 0.04, 80.0, 50.0, 1.0),
    ("roof_leak_repair", "roof_m2", 0.002, 0.05, 120.0, 200.0, 10.0),
    ("stairwell_lighting_repair", "stairwell_unit", 0.5, 0.03, 60.0, 50.0, 1.0),
    ("snow_clearing", "road_m2", 3.0, 0.0, 0.3, 200.0, 1000.0),
    ("pest_control", "building", 2.0, 0.0, 150.0, 80.0, 1.0),
    ("tree_pruning", "tree", 0.5, 0.0, 60.0, 150.0, 20.0),
    ("fire_equipment_service", "building", 1.0, 0.0, 300.0, 100.0, 1.0),
)
"""The default catalogue of per-use jobs."""


def _jobs(discount_rate: float) -> tuple[PerUseJob, ...]:
    return tuple(
        PerUseJob(name=name, basis=basis, uses_per_basis_year=uses, age_growth_per_year=growth,
                  market_price_yuan_per_use=price, discount_rate=discount_rate,
                  callout_yuan_per_visit=callout, uses_per_visit=per_visit)
        for name, basis, uses, growth, price, callout, per_visit in _JOBS
    )


def _volunteers() -> SelfGovernance:
    return SelfGovernance(
        tasks=(
            VolunteerTask(name="in_building_cleaning", role="cleaning", share=0.45,
                          materials_yuan_per_household_year=2.0),
            VolunteerTask(name="greening", role="greening", share=0.20,
                          materials_yuan_per_household_year=1.0),
            VolunteerTask(name="stairwell_lighting", role="maintenance", share=0.10,
                          materials_yuan_per_household_year=2.0),
            VolunteerTask(name="fire_extinguisher_checks", role="maintenance", share=0.05),
            VolunteerTask(name="patrol", role="order", share=0.10),
            VolunteerTask(name="mediation", role="management", share=0.10),
        ),
    )


def _street() -> StreetFallback:
    return StreetFallback(
        items=(
            StreetItem(name="garbage_removal", pricing="per_tonne", price_yuan=120.0,
                       kg_per_household_day=2.0, category="cleaning",
                       replaces_role="cleaning", replaced_share=0.25),
            StreetItem(name="grid_workers", pricing="per_household", price_yuan=30.0,
                       category="staff", replaces_role="management", replaced_share=0.5),
        )
    )


def _income() -> PublicIncome:
    return PublicIncome(
        sources=(
            IncomeSource(name="parking", basis="parking_space", units_per_basis=1.0,
                         price_yuan_per_unit_year=1200.0, occupancy_rate=0.6,
                         cost_share_rate=0.1),
            IncomeSource(name="advertising", basis="building", units_per_basis=1.0,
                         price_yuan_per_unit_year=800.0, occupancy_rate=0.5),
            IncomeSource(name="site_fees", basis="compound", units_per_basis=1.0,
                         price_yuan_per_unit_year=2000.0, occupancy_rate=0.5),
            IncomeSource(name="express_lockers", basis="compound", units_per_basis=1.0,
                         price_yuan_per_unit_year=1500.0, occupancy_rate=0.8),
            IncomeSource(name="ev_chargers", basis="parking_space", units_per_basis=0.1,
                         price_yuan_per_unit_year=600.0, occupancy_rate=0.5,
                         cost_share_rate=0.3),
            IncomeSource(name="base_stations", basis="compound", units_per_basis=0.2,
                         price_yuan_per_unit_year=5000.0, occupancy_rate=1.0),
        )
    )


def xinghualing_plan() -> Plan:
    """The source's mechanism, as the district runs it (the default plan).

    Volunteer teams of party members and residents take routine work; the shared
    company does per-use jobs below market price for bundles of a zone, with no
    standing posts; the street removes garbage and pays grid workers; gates are run
    by devices with remote help; the compound hires the cleaning and greening hours
    that are left informally; public income fills the pool. Prices are illustrative
    (see the docs' assumptions page).

    Returns
    -------
    Plan
    """
    return Plan(
        description="Xinghualing 4+1 (四管一补): volunteers, per-use shared property, street "
                    "fallback, device-run gates, public income.",
        service_grade=4,
        gate_regime="device_only",
        informal_roles=("cleaning", "greening"),
        self_governance=_volunteers(),
        shared_property=SharedProperty(bundle_by="zone", jobs=_jobs(0.3)),
        street_fallback=_street(),
        smart_devices=SmartDevices(
            discount_rate=0.04,
            devices=(
                Device(name="access_control", basis="gate", units_per_basis=1.0,
                       capital_cost_yuan_per_unit=30000.0, service_life_years=8.0,
                       running_cost_yuan_per_unit_year=1200.0),
                Device(name="cameras", basis="building", units_per_basis=2.0,
                       capital_cost_yuan_per_unit=1500.0, service_life_years=6.0,
                       running_cost_yuan_per_unit_year=100.0),
                Device(name="smart_parking", basis="parking_space", units_per_basis=1.0,
                       capital_cost_yuan_per_unit=600.0, service_life_years=6.0,
                       running_cost_yuan_per_unit_year=30.0),
                Device(name="speakers", basis="compound", units_per_basis=2.0,
                       capital_cost_yuan_per_unit=800.0, service_life_years=5.0,
                       running_cost_yuan_per_unit_year=50.0),
            ),
        ),
        public_income=_income(),
    )


def shared_staffed_plan() -> Plan:
    """A shared company with standing posts for every role (the earlier default).

    The company staffs, pooled over each zone's contract, whatever the street, the
    devices and the volunteers leave of every role, with a 10% margin and a crew fee;
    gates are staffed 24 hours (access control replaces two of the guards); per-use
    jobs as in :func:`xinghualing_plan`.

    Returns
    -------
    Plan
    """
    base = xinghualing_plan()
    devices = tuple(
        d.model_copy(update={"replaces_role": "order", "replaced_fte_per_unit": 2.0})
        if d.name == "access_control" else
        d.model_copy(update={"replaces_role": "order", "replaced_fte_per_unit": 0.05})
        if d.name == "cameras" else d
        for d in base.smart_devices.devices
    )
    return base.model_copy(update={
        "description": "Shared property with standing posts for every role, 24 h staffed gates.",
        "gate_regime": "staffed_24h",
        "informal_roles": (),
        "shared_property": SharedProperty(
            bundle_by="zone", jobs=_jobs(0.3),
            standing_roles=("cleaning", "order", "maintenance", "greening", "management"),
            fixed_fee_yuan_per_bundle_year=24000.0,
        ),
        "smart_devices": base.smart_devices.model_copy(update={"devices": devices}),
    })


PLAN_NAMES: Final = {
    "xinghualing": xinghualing_plan,
    "shared_staffed": shared_staffed_plan,
}
"""Named plans: name -> function that builds the plan."""


def plan_names() -> list[str]:
    """Names of the built-in plans (see :func:`named_plan`)."""
    return list(PLAN_NAMES)


def named_plan(name: str) -> Plan:
    """A built-in plan by name, or a plan read from a JSON file path.

    Parameters
    ----------
    name
        ``"xinghualing"`` (the default), ``"shared_staffed"``, or the path of a plan
        JSON file (``.json``).

    Returns
    -------
    Plan

    Raises
    ------
    propfee.errors.InputError
        If the name is unknown or the file is not a valid plan.
    """
    build = PLAN_NAMES.get(name)
    if build is not None:
        return build()
    from pathlib import Path

    path = Path(name)
    if path.suffix.lower() == ".json" and path.is_file():
        return Plan.from_json(path.read_bytes())
    raise InputError([Problem(None, "plan", name,
                              f"unknown plan; built-in plans: {', '.join(PLAN_NAMES)}, "
                              "or the path of a plan JSON file")], what="plan")


@functools.cache
def default_plan() -> Plan:
    """The default 4+1 plan: :func:`xinghualing_plan` (one shared object; plans are frozen).

    Returns
    -------
    Plan
    """
    return xinghualing_plan()


def _items(plan: Plan, section: str) -> tuple[BaseModel, ...]:
    items: tuple[BaseModel, ...] = getattr(getattr(plan, section), _SECTIONS[section])
    return items


def override_paths(plan: Plan) -> dict[str, float]:
    """Every numeric item field a per-compound override can change, with its plan value.

    Returns
    -------
    dict
        ``"<section>.<item name>.<field>" -> value``, e.g.
        ``"self_governance.patrol.hours_per_week" -> 14.0``.
    """
    paths: dict[str, float] = {}
    for section in _SECTIONS:
        for item in _items(plan, section):
            name = getattr(item, "name")  # noqa: B009
            for field_name, info in type(item).model_fields.items():
                if info.annotation is float:
                    paths[f"{section}.{name}.{field_name}"] = float(getattr(item, field_name))
    return paths


class _PlanPaths(NamedTuple):
    """A plan's override paths, worked out once per plan object (plans are frozen)."""

    paths: tuple[str, ...]
    values: FloatArray
    by_item: dict[str, tuple[tuple[str, str], ...]]  # "<section>.<item>" -> (field, path)
    rows: dict[tuple[str, tuple[str, ...], str], tuple[tuple[str, ...], FloatArray]]
    """``(section, names, field)`` -> the paths and the plan's values as a column
    (:meth:`PlanArrays.rows`), filled on first use."""
    broadcast: dict[int, dict[str, FloatArray]]
    """Number of compounds -> every path as a read-only broadcast of the plan's value
    (a few sizes kept: a district's pieces, one compound)."""


_PLAN_PATHS: dict[int, tuple[weakref.ref[Plan], _PlanPaths]] = {}


def _plan_paths(plan: Plan) -> _PlanPaths:
    """:func:`override_paths` as paths, values and paths by item, once per plan object."""
    key = id(plan)
    hit = _PLAN_PATHS.get(key)
    if hit is not None and hit[0]() is plan:
        return hit[1]
    paths = override_paths(plan)
    groups: dict[str, list[tuple[str, str]]] = {}
    for path in paths:
        head, _, leaf = path.rpartition(".")
        groups.setdefault(head, []).append((leaf, path))
    entry = _PlanPaths(tuple(paths), np.array(list(paths.values()), dtype=np.float64),
                       {head: tuple(items) for head, items in groups.items()}, {}, {})
    _PLAN_PATHS[key] = (weakref.ref(plan, lambda _: _PLAN_PATHS.pop(key, None)), entry)
    return entry


def _bounds(plan: Plan, path: str) -> tuple[float | None, bool, float | None]:
    section, name, field = path.split(".")
    item = next(i for i in _items(plan, section) if getattr(i, "name") == name)  # noqa: B009
    lo: float | None = None
    lo_open = False
    hi: float | None = None
    for meta in type(item).model_fields[field].metadata:
        if isinstance(meta, at.Ge):
            lo = float(meta.ge)  # type: ignore[arg-type]
        elif isinstance(meta, at.Gt):
            lo, lo_open = float(meta.gt), True  # type: ignore[arg-type]
        elif isinstance(meta, at.Le):
            hi = float(meta.le)  # type: ignore[arg-type]
    return lo, lo_open, hi


@dataclass(frozen=True, slots=True)
class PlanArrays:
    """A plan resolved against a compound table: one value per compound for every path.

    Attributes
    ----------
    plan
        The plan.
    values
        Path (see :func:`override_paths`) -> per-compound values. A path nobody
        overrides is a read-only broadcast of the plan's value (no memory per compound).
    bundle_code
        Bundle number of each compound, ``0..n_bundles-1``, in order of first appearance.
    bundle_ids
        Bundle identifier of each bundle number (``zone:<zone>``, ``street:<street>``,
        ``alone:<compound id>`` or an explicit bundle id), as Python strings.
    bundle_fixed_fee_yuan
        Fixed fee of each bundle. [yuan/year]
    """

    plan: Plan
    values: dict[str, FloatArray]
    bundle_code: npt.NDArray[np.int64]
    bundle_ids: npt.NDArray[np.object_]
    bundle_fixed_fee_yuan: FloatArray
    _items: dict[str, dict[str, FloatArray]] = field(default_factory=dict, repr=False,
                                                     compare=False)
    _own: dict[str, FloatArray] | None = field(default=None, repr=False, compare=False)
    """The plan's own broadcast values of a piece made by :meth:`take` (and kept by
    :meth:`alone`); a value that is one of them (by identity) is a path nobody
    overrides. ``None``: those of the plan's cache for this table's size."""

    def value_of(self, path: str) -> FloatArray:
        """Per-compound values of one override path (see :func:`override_paths`)."""
        return self.values[path]

    def value_items(self) -> list[tuple[str, FloatArray]]:
        """Every override path and its per-compound values."""
        return list(self.values.items())

    def value(self, section: str, name: str, field: str) -> FloatArray:
        """Per-compound value of one item field (units as the field's docstring)."""
        return self.values[f"{section}.{name}.{field}"]

    def rows(self, section: str, names: tuple[str, ...], field: str) -> FloatArray:
        """One field of several items, one row an item (units as the field's docstring).

        Shape ``(len(names), 1)`` (one value an item, which broadcasts over the compounds)
        where no compound overrides any of them, else ``(len(names), compounds)``.
        """
        entry = _plan_paths(self.plan)
        key = (section, names, field)
        hit = entry.rows.get(key)
        if hit is None:
            paths = tuple(f"{section}.{name}.{field}" for name in names)
            where = [entry.paths.index(p) for p in paths]
            column = entry.values[where][:, None]  # noqa: PD011 - the plan's own values
            column.flags.writeable = False
            hit = entry.rows[key] = (paths, column)
        paths, column = hit
        values = [self.values[p] for p in paths]
        plan_own = self._own_values(entry)
        if all(plan_own.get(p) is v for p, v in zip(paths, values, strict=True)):
            return column  # the plan's own broadcast values (resolve_plan): nobody overrides
        if all(v.strides == (0,) for v in values):
            return np.array([float(v[0]) for v in values])[:, None]
        return np.stack([np.broadcast_to(v, values[0].shape) for v in values])

    def _own_values(self, entry: _PlanPaths) -> dict[str, FloatArray]:
        """The plan's own broadcast values for these compounds (compared by identity)."""
        if self._own is not None:
            return self._own
        return entry.broadcast.get(len(self.bundle_code), {})

    def item(self, section: str, name: str) -> dict[str, FloatArray]:
        """Every numeric field of one item: field -> per-compound values."""
        head = f"{section}.{name}"
        values = self._items.get(head)
        if values is None:
            values = {leaf: self.values[path]
                      for leaf, path in _plan_paths(self.plan).by_item.get(head, ())}
            self._items[head] = values
        return values

    def alone(self, ids: pd.Series | npt.NDArray[Any]) -> PlanArrays:
        """The same plan with every compound in a bundle of its own.

        The bundle ids are ``alone:<compound id>``; each bundle pays the plan's default
        fixed fee. This is how a market company serves the compounds (the shared-property
        channel switched off).

        Parameters
        ----------
        ids
            Compound ids, in row order.
        """
        n = len(self.bundle_code)
        fee = np.full(n, self.plan.shared_property.fixed_fee_yuan_per_bundle_year)
        labels = np.array(["alone:" + str(i) for i in np.asarray(ids)], dtype=object)
        return PlanArrays(self.plan, self.values, np.arange(n, dtype=np.int64), labels, fee,
                          _own=self._own)

    @staticmethod
    def stack(parts: list[PlanArrays]) -> PlanArrays:
        """Plans of several copies of a table, one after the other (bundles renumbered).

        Parameters
        ----------
        parts
            Plans of the same plan resolved against tables of the same length.
        """
        first = parts[0]
        offsets = np.cumsum([0] + [len(p.bundle_ids) for p in parts[:-1]])
        code = np.concatenate([p.bundle_code + off for p, off in zip(parts, offsets,
                                                                     strict=True)])
        n = len(code)
        shared = all(p.values is first.values for p in parts)  # noqa: PD011
        tables = [first.values] if shared else [dict(p.value_items()) for p in parts]  # noqa: PD011
        same = [path for path, v in tables[0].items() if v.strides == (0,) and len(v) and (
            shared or all(t[path].strides == (0,) and t[path][0] == v[0] for t in tables))]
        # a path nobody overrides is the plan's value everywhere: one broadcast row each
        rows = np.broadcast_to(np.array([tables[0][p][0] for p in same])[:, None],
                               (len(same), n))
        values = dict(zip(same, rows, strict=True))
        values.update({path: np.concatenate([p.value_of(path) for p in parts])
                       for path in tables[0] if path not in values})
        ids = np.concatenate([p.bundle_ids for p in parts])
        fee = np.concatenate([p.bundle_fixed_fee_yuan for p in parts])
        return PlanArrays(first.plan, values, code.astype(np.int64), ids, fee)

    def take(self, rows: slice | npt.NDArray[np.int64], bundles: slice) -> PlanArrays:
        """The plan for the compounds at ``rows``, which must hold exactly ``bundles``.

        Parameters
        ----------
        rows
            Row positions of the compounds (a slice or positions).
        bundles
            The contiguous range of bundle numbers those compounds make up, whole.

        Returns
        -------
        PlanArrays
            Renumbered from 0, with bundle numbers ``0..len(bundles)-1``.
        """
        code = self.bundle_code[rows] - (bundles.start or 0)
        entry = _plan_paths(self.plan)
        own = self._own_values(entry)
        # the plan's own values: one broadcast for them all, marked as the plan's own
        fresh = dict(zip(entry.paths, np.broadcast_to(
            entry.values[:, None], (len(entry.paths), len(code))), strict=True))  # noqa: PD011
        values = {
            path: fresh[path] if own.get(path) is v
            else np.broadcast_to(v[:1], code.shape) if v.strides == (0,) else v[rows]
            for path, v in self.values.items()
        }
        return PlanArrays(self.plan, values, code, self.bundle_ids[bundles],
                          self.bundle_fixed_fee_yuan[bundles], _own=fresh)


Coded = tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]
"""Bundle numbers (``0..k-1`` in order of first appearance) and the label of each."""


def _bundle_labels(plan: Plan, table: CompoundTable
                   ) -> tuple[npt.NDArray[np.object_] | Coded, list[Problem]]:
    """The bundle of every compound and the problems found: the labels already numbered
    where that comes for free (``(code, names)``, not spelt out per compound), else the
    label of every compound (Python strings)."""
    sp = plan.shared_property
    problems: list[Problem] = []
    if sp.bundle_by in ("zone", "street"):
        code, uniq = table.codes(sp.bundle_by)
        names = np.asarray(f"{sp.bundle_by}:" + uniq, dtype=object)  # uniq: Python strings
        empty = np.flatnonzero(uniq == "")
        if len(empty) == 0:
            return (code, names), problems
        labels = names[code]
        rows = np.flatnonzero(code == empty[0])
        labels[rows] = np.array(["alone:" + i for i in table.text("compound_id")[rows]],
                                dtype=object)
        return labels, problems
    ids = table.text("compound_id")
    labels = np.array(["alone:" + i for i in ids], dtype=object)
    if sp.bundle_by == "explicit" and sp.bundles:
        index = pd.Index(ids)
        for bundle in sp.bundles:
            pos = index.get_indexer(pd.Index(list(bundle.members)))
            for member, p in zip(bundle.members, pos, strict=True):
                if p < 0:
                    problems.append(Problem(member, "shared_property.bundles", bundle.bundle_id,
                                            "bundle member is not in the compound table"))
            labels[pos[pos >= 0]] = bundle.bundle_id
        return labels, problems
    return (np.arange(len(ids), dtype=np.int64), labels), problems


def _broadcast_values(plan: Plan, n: int) -> dict[str, FloatArray]:
    """Every override path of a plan as a read-only broadcast of its value over ``n``
    compounds (no memory per compound), made once per plan and size."""
    entry = _plan_paths(plan)
    values = entry.broadcast.get(n)
    if values is None:
        if len(entry.broadcast) >= _SIZES_KEPT:
            entry.broadcast.clear()
        rows = np.broadcast_to(entry.values[:, None], (len(entry.paths), n))  # noqa: PD011
        values = entry.broadcast[n] = dict(zip(entry.paths, rows, strict=True))
    return values


_SIZES_KEPT: Final = 4
"""Table sizes whose broadcast plan values :func:`_broadcast_values` keeps per plan."""


def resolve_plan(
    plan: Plan, table: CompoundTable, overrides: pd.DataFrame | None = None
) -> PlanArrays:
    """Resolve a plan and its per-compound overrides into arrays, checking everything.

    Parameters
    ----------
    plan
        The plan.
    table
        Validated compounds.
    overrides
        Optional table with a ``compound_id`` column and any of the columns of
        :func:`override_paths` (numbers) or :data:`BUNDLE_ID_PATH` (text). Empty
        cells keep the plan's value.

    Returns
    -------
    PlanArrays

    Raises
    ------
    propfee.errors.InputError
        Listing every unknown compound, unknown column and out-of-range value.
    """
    values = dict(_broadcast_values(plan, len(table)))  # a dict of its own: overrides go in
    bundles, problems = _bundle_labels(plan, table)
    if overrides is not None:
        labels = bundles if isinstance(bundles, np.ndarray) else bundles[1][bundles[0]]
        overridden, labels = _apply_overrides(plan, table, overrides, values, labels)
        if BUNDLE_ID_PATH in overrides.columns:
            bundles = labels
        problems += overridden
        problems += _task_share_problems(plan, table, values)
    if problems:
        raise InputError(problems, what="plan")
    code, names = factorize(bundles) if isinstance(bundles, np.ndarray) else bundles
    unique = names
    fee = np.full(len(unique), plan.shared_property.fixed_fee_yuan_per_bundle_year)
    explicit = {b.bundle_id: b.fixed_fee_yuan_per_year for b in plan.shared_property.bundles
                if b.fixed_fee_yuan_per_year is not None}
    if explicit:
        where = pd.Index(unique).get_indexer(pd.Index(list(explicit)))
        for pos, own in zip(where, explicit.values(), strict=True):
            if pos >= 0:
                fee[pos] = own
    return PlanArrays(plan, values, code, unique, fee)


def _task_share_problems(plan: Plan, table: CompoundTable, values: dict[str, FloatArray]
                         ) -> list[Problem]:
    """Compounds whose volunteer task shares add up to more than 1 after overrides."""
    tasks = plan.self_governance.tasks
    if not tasks:
        return []
    total = np.sum([values[f"self_governance.{t.name}.share"] for t in tasks], axis=0)
    bad = np.flatnonzero(total > 1.0 + 1e-9)
    ids = table.text("compound_id")
    return [Problem(str(ids[i]), "self_governance.<task>.share", float(total[i]),
                    "task shares add up to more than 1") for i in bad]


def _apply_overrides(
    plan: Plan,
    table: CompoundTable,
    overrides: pd.DataFrame,
    values: dict[str, FloatArray],
    labels: npt.NDArray[np.object_],
) -> tuple[list[Problem], npt.NDArray[np.object_]]:
    """Write the overrides into ``values`` (in place) and return the problems and labels."""
    problems: list[Problem] = []
    if "compound_id" not in overrides.columns:
        return [Problem(None, "compound_id", None, "override table needs a compound_id column")
                ], labels
    unknown = [c for c in overrides.columns
               if c not in values and c not in ("compound_id", BUNDLE_ID_PATH)]
    problems += [Problem(None, str(c), None,
                         "unknown override column (see propfee.plan.override_paths)")
                 for c in unknown]
    oid = overrides["compound_id"].astype(str).to_numpy()
    pos = pd.Index(table.text("compound_id")).get_indexer(pd.Index(oid))
    problems += [Problem(oid[i], "compound_id", oid[i], "override names no compound of the table")
                 for i in np.flatnonzero(pos < 0)]
    dup = pd.Series(oid).duplicated().to_numpy()
    problems += [Problem(oid[i], "compound_id", oid[i], "compound overridden twice")
                 for i in np.flatnonzero(dup)]
    if problems:
        return problems, labels
    for column in overrides.columns:
        if column == "compound_id":
            continue
        raw = overrides[column]
        if column == BUNDLE_ID_PATH:
            given = raw.notna().to_numpy() & (raw.astype(str).str.len() > 0).to_numpy()
            labels = labels.copy()
            labels[pos[given]] = raw[given].astype(str).to_numpy(dtype=object)
            continue
        number = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
        given = raw.notna().to_numpy()
        bad = given & ~np.isfinite(number)
        problems += [Problem(oid[i], column, raw.iloc[i], "not a finite number")
                     for i in np.flatnonzero(bad)]
        lo, lo_open, hi = _bounds(plan, column)
        ok = given & ~bad
        with np.errstate(invalid="ignore"):
            if lo is not None:
                low = ok & ((number <= lo) if lo_open else (number < lo))
                problems += [Problem(oid[i], column, float(number[i]),
                                     f"must be {'>' if lo_open else '>='} {lo:g}")
                             for i in np.flatnonzero(low)]
                ok &= ~low
            if hi is not None:
                high = ok & (number > hi)
                problems += [Problem(oid[i], column, float(number[i]), f"must be <= {hi:g}")
                             for i in np.flatnonzero(high)]
                ok &= ~high
        own = np.array(values[column])  # a writable copy of the broadcast plan value
        own[pos[ok]] = number[ok]
        values[column] = own
    return problems, labels
