"""A 4+1 plan: how each piece of a compound's work is supplied, and the named plans.

A :class:`Plan` holds one section per channel, each of one shape
(:class:`propfee.channels.common.Section`): named items and the section's own terms. It
is validated, frozen and serialisable to JSON and back (:meth:`Plan.to_json`,
:meth:`Plan.from_json`). The plan composes the channels' settings; the channels never
import the plan.

:func:`xinghualing_plan` (the default) and :func:`shared_staffed_plan` are the named
plans; none of their prices comes from a public source (see the docs' assumptions page).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Final

from pydantic import Field, ValidationError

from propfee.channels.common import PlanModel
from propfee.channels.devices import Device, SmartDevices
from propfee.channels.public_income import IncomeSource, PublicIncome
from propfee.channels.self_governance import SelfGovernance, VolunteerTask
from propfee.channels.shared_property import JobTerms, SharedProperty
from propfee.channels.street import StreetFallback, StreetItem
from propfee.errors import InputError, Problem
from propfee.params.model import GateRegime, ParameterSet
from propfee.work.categories import FIXED_CATEGORIES

__all__ = [
    "DEFAULT_JOBS",
    "PLAN_NAMES",
    "SECTIONS",
    "Plan",
    "default_plan",
    "named_plan",
    "plan_names",
    "shared_staffed_plan",
    "work_problems",
    "xinghualing_plan",
]

SECTIONS: Final = ("self_governance", "shared_property", "street_fallback", "smart_devices",
                   "public_income")
"""The plan's channel sections, each a :class:`~propfee.channels.common.Section`."""


class Plan(PlanModel):
    """How the work of a compound is supplied under the four managements plus one subsidy.

    Attributes
    ----------
    description
        Free text.
    service_grade
        The service grade the compound buys, 1 (highest) to 5: the grade's norms give
        the demand for each kind of work (:mod:`propfee.work.demand`).
    gate_regime
        How the gates are kept: ``staffed_24h`` or ``staffed_16h`` (guards, and that
        many hours a day), ``device_only`` (devices with remote help, the grade's hours),
        ``live_in`` (live-in gatekeepers hired by the residents' organisation, the
        grade's hours); ``None``: as the grade keeps them.
    self_governance
        Volunteer teams and informal hires (channel 1).
    shared_property
        Bundled contract: per-use jobs and standing posts (channel 2).
    street_fallback
        Work the street office supplies (channel 3).
    smart_devices
        Devices, their capital and running cost, and the work they supply (channel 4).
    public_income
        Public-resource income into the fund pool (the one subsidy).
    """

    description: Annotated[str, Field(max_length=2000)] = ""
    service_grade: Annotated[int, Field(ge=1, le=5)] = 4
    gate_regime: GateRegime | None = None
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


def work_problems(plan: Plan, params: ParameterSet) -> list[Problem]:
    """Every item of a plan that names work the parameter set does not know.

    The work categories are the fixed ones (:data:`propfee.work.categories.FIXED_CATEGORIES`)
    and the jobs of the parameter set's catalogue; the shared company's items are jobs.

    Returns
    -------
    list of propfee.errors.Problem
        One per unknown name, with the field's path (``self_governance.items[2].work``).
    """
    known = set(FIXED_CATEGORIES) | set(params.jobs)
    jobs = sorted(params.jobs)
    problems: list[Problem] = []

    def check(path: str, value: str | None, allowed: set[str], what: str) -> None:
        if value is not None and value not in allowed:
            problems.append(Problem(None, path, value, f"unknown {what}; known: "
                                    f"{', '.join(sorted(allowed))}"))

    for i, task in enumerate(plan.self_governance.items):
        check(f"self_governance.items[{i}].work", task.work, known, "work")
    for i, item in enumerate(plan.street_fallback.items):
        check(f"street_fallback.items[{i}].work", item.work, known, "work")
    for i, dev in enumerate(plan.smart_devices.items):
        check(f"smart_devices.items[{i}].work", dev.work, known, "work")
    for i, job in enumerate(plan.shared_property.items):
        check(f"shared_property.items[{i}].name", job.name, set(jobs), "job")
    clash = set(plan.self_governance.hire_informally) & set(plan.shared_property.standing_work)
    if clash:
        problems.append(Problem(None, "self_governance.hire_informally", sorted(clash),
                                "also standing work of the shared contract: one supplier each"))
    return problems


DEFAULT_JOBS: Final = (
    "pipe_dredging", "wall_repair", "stairwell_repair", "road_levelling", "septic_tank_pumping",
    "water_tank_cleaning", "small_water_repairs", "small_electrical_repairs",
    "roof_leak_repair", "stairwell_lighting_repair", "snow_clearing", "pest_control",
    "tree_pruning", "fire_equipment_service",
)
"""The jobs of the built-in catalogue the named plans' shared company covers."""


def _jobs(discount_rate: float) -> tuple[JobTerms, ...]:
    return tuple(JobTerms(name=name, discount_rate=discount_rate) for name in DEFAULT_JOBS)


def _volunteers() -> SelfGovernance:
    return SelfGovernance(
        items=(
            VolunteerTask(name="in_building_cleaning", work="cleaning", share=0.40,
                          max_share=0.5, materials_yuan_per_household_year=2.0),
            VolunteerTask(name="greening", work="greening", share=0.20, max_share=0.8,
                          materials_yuan_per_household_year=1.0),
            VolunteerTask(name="stairwell_lighting", work="stairwell_lighting_repair",
                          share=0.10, units_per_hour=0.5, max_share=0.7,
                          materials_yuan_per_household_year=2.0),
            VolunteerTask(name="fire_extinguisher_checks", work="fire_equipment_service",
                          share=0.05, units_per_hour=0.25, max_share=0.3),
            VolunteerTask(name="patrol", work="patrol", share=0.10),
            VolunteerTask(name="mediation", work="management", share=0.10, max_share=0.3),
            VolunteerTask(name="legal_education", work=None, share=0.05),
        ),
        hire_informally=("cleaning", "greening", "management", "patrol"),
    )


def _street() -> StreetFallback:
    return StreetFallback(
        items=(
            StreetItem(name="garbage_removal", work="garbage", share=1.0,
                       pricing="per_unit_of_work", price_yuan=120.0, category="cleaning"),
            StreetItem(name="grid_workers", work="management", share=0.5,
                       pricing="per_household", price_yuan=30.0, category="staff"),
        )
    )


def _devices(gate_hours_per_unit: float) -> SmartDevices:
    return SmartDevices(
        discount_rate=0.04,
        items=(
            Device(name="access_control", basis="gate", units_per_basis=1.0,
                   capital_cost_yuan_per_unit=30000.0, service_life_years=8.0,
                   running_cost_yuan_per_unit_year=1200.0, work="gate",
                   work_per_unit_year=gate_hours_per_unit),
            Device(name="cameras_gate", basis="gate", units_per_basis=2.0,
                   capital_cost_yuan_per_unit=1500.0, service_life_years=6.0,
                   running_cost_yuan_per_unit_year=100.0, work="patrol",
                   work_per_unit_year=30.0),
            Device(name="cameras_building", basis="building", units_per_basis=1.0,
                   capital_cost_yuan_per_unit=1500.0, service_life_years=6.0,
                   running_cost_yuan_per_unit_year=100.0, work="patrol",
                   work_per_unit_year=30.0),
            Device(name="smart_parking", basis="parking_gate", units_per_basis=1.0,
                   capital_cost_yuan_per_unit=15000.0, service_life_years=8.0,
                   running_cost_yuan_per_unit_year=600.0),
            Device(name="speakers", basis="compound", units_per_basis=2.0,
                   capital_cost_yuan_per_unit=800.0, service_life_years=5.0,
                   running_cost_yuan_per_unit_year=50.0),
        ),
    )


def _income() -> PublicIncome:
    return PublicIncome(
        items=(
            IncomeSource(name="parking", basis="parking_space", units_per_basis=1.0,
                         price_yuan_per_unit_year=600.0, occupancy_rate=0.6,
                         cost_share_rate=0.2),
            IncomeSource(name="advertising_buildings", basis="building", units_per_basis=1.0,
                         price_yuan_per_unit_year=400.0, occupancy_rate=0.5),
            IncomeSource(name="advertising_gates", basis="gate", units_per_basis=1.0,
                         price_yuan_per_unit_year=2000.0, occupancy_rate=0.5),
            IncomeSource(name="site_fees", basis="household", units_per_basis=0.01,
                         whole_units=True, price_yuan_per_unit_year=2000.0, occupancy_rate=0.5),
            IncomeSource(name="express_lockers", basis="household", units_per_basis=1 / 150,
                         whole_units=True, price_yuan_per_unit_year=1500.0,
                         occupancy_rate=0.8),
            IncomeSource(name="ev_chargers", basis="parking_space", units_per_basis=0.1,
                         whole_units=True, price_yuan_per_unit_year=600.0, occupancy_rate=0.5,
                         cost_share_rate=0.3),
            IncomeSource(name="base_stations", basis="building", units_per_basis=0.05,
                         price_yuan_per_unit_year=5000.0, occupancy_rate=1.0),
        )
    )


def xinghualing_plan() -> Plan:
    """The source's mechanism, as the district runs it (the default plan).

    Volunteer teams of party members and residents take routine work, each task the
    work it supplies; the residents' organisation hires the cleaning and greening hours
    that are left informally; the shared company does every job of the catalogue per
    use, 30% below market price, for the bundles of a zone, with no standing posts; the
    street removes garbage and pays grid workers for half the management work; gates are
    kept by access control with remote help, cameras supply patrol rounds; public income
    fills the pool. Prices are illustrative (see the docs' assumptions page).

    Returns
    -------
    Plan
    """
    return Plan(
        description="Xinghualing 4+1 (四管一补): volunteers, per-use shared property, street "
                    "fallback, device-kept gates, public income.",
        service_grade=4,
        gate_regime="device_only",
        self_governance=_volunteers(),
        shared_property=SharedProperty(bundle_by="zone", items=_jobs(0.3)),
        street_fallback=_street(),
        smart_devices=_devices(24.0 * 365.0),
        public_income=_income(),
    )


def shared_staffed_plan() -> Plan:
    """A shared company with standing posts for every kind of hour work.

    The company staffs, pooled over each zone's contract, whatever the street, the
    devices and the volunteers leave of cleaning, greening, management, the gates and
    patrol, with a 10% margin and a crew fee; gates are kept 24 hours a day by guards
    (access control supplies two guards' hours a gate); per-use jobs as in
    :func:`xinghualing_plan`.

    Returns
    -------
    Plan
    """
    base = xinghualing_plan()
    sg = base.self_governance.model_copy(update={"hire_informally": ()})
    return base.model_copy(update={
        "description": "Shared property with standing posts for every kind of hour work, "
                       "24 h staffed gates.",
        "gate_regime": "staffed_24h",
        "self_governance": sg,
        "shared_property": SharedProperty(
            bundle_by="zone", items=_jobs(0.3),
            standing_work=("cleaning", "greening", "management", "gate", "patrol"),
            fixed_fee_yuan_per_bundle_year=24000.0,
        ),
        "smart_devices": _devices(2.0 * 2920.0),
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
    path = Path(name)
    if path.suffix.lower() == ".json" and path.is_file():
        from propfee.io.readers import read_plan  # decodes any encoding, bounds the size

        return read_plan(path)
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
