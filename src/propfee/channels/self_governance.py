"""Channel 1, residents' self-governance (居民自治管): volunteer teams take over tasks.

Volunteer supply scales with the people who live in the compound (the source: 18,000+
party members registered in the old compounds, 4,200+ serving residents with a post)::

    party_members     = the compound's own count, else households x party_members_per_household
    supply_hours_year = (party_members * party_active_rate * party_hours_per_week
                         + households * resident_active_rate * resident_hours_per_week) * 52
    task_hours_year   = supply_hours_year * share                     (per task)
    offered_fte       = task_hours_year / hours of one post of the role
                        (standard hours; a guard's hours for ``order``)
    replaced_fte      = min(sum of offered_fte over the role's tasks, demand left)
    in_kind_value     = task_hours_year * scale(role) * shadow wage   (volunteers_in_kind)
    scale(role)       = replaced_fte / offered_fte   (hours beyond the need are not counted)
    materials         = materials_yuan_per_household_year * households (fund pool)

The shadow wage is the part-time hourly minimum wage of the parameter set unless the
plan gives one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Final

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator

from propfee.channels.common import (
    Category,
    LineSpec,
    Name,
    NonNeg,
    PlanModel,
    Rate,
    Role,
    unique_names,
)
from propfee.staffing import ROLES

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = [
    "WEEKS_PER_YEAR",
    "SelfGovernance",
    "VolunteerTask",
    "apply",
    "supply_hours_year",
]

FloatArray = npt.NDArray[np.float64]

WEEKS_PER_YEAR: Final = 52.0
"""Weeks in a year. [week/year]"""

ROLE_MATERIAL_CATEGORY: Final[dict[str, Category]] = {
    "cleaning": "cleaning", "order": "order", "maintenance": "upkeep", "greening": "greening",
    "management": "office",
}
"""Official category of the materials a volunteer task of each role uses."""


class VolunteerTask(PlanModel):
    """A task a volunteer team takes over.

    Attributes
    ----------
    name
        Task name (``stairwell_lighting``, ``patrol``...).
    role
        The staff role whose work the task replaces.
    share
        Share of the compound's volunteer hours that go to this task. [1]
    materials_yuan_per_household_year
        Materials the task still needs, paid by the fund pool. [yuan/(household year)]
    """

    name: Name
    role: Role
    share: Rate
    materials_yuan_per_household_year: NonNeg = 0.0


class SelfGovernance(PlanModel):
    """Volunteer teams: who volunteers, how much, and the tasks they take over.

    Attributes
    ----------
    tasks
        The tasks, each with a unique name; their shares add up to at most 1.
    party_active_rate
        Share of registered party members who serve with a post. [1]
    party_hours_per_week
        Hours a week an active party member gives. [h/week]
    resident_active_rate
        Share of households with an active volunteer who is not a party member. [1]
    resident_hours_per_week
        Hours a week such a volunteer gives. [h/week]
    shadow_wage_yuan_per_hour
        Value of one volunteer hour, in kind; ``None``: the part-time hourly minimum
        wage of the parameter set. [yuan/h]
    """

    tasks: Annotated[tuple[VolunteerTask, ...], Field(strict=False)] = ()
    party_active_rate: Rate = 0.233
    party_hours_per_week: NonNeg = 2.0
    resident_active_rate: Rate = 0.02
    resident_hours_per_week: NonNeg = 2.0
    shadow_wage_yuan_per_hour: NonNeg | None = None

    @field_validator("tasks")
    @classmethod
    def _unique(cls, tasks: tuple[VolunteerTask, ...]) -> tuple[VolunteerTask, ...]:
        unique_names(tasks)
        if sum(t.share for t in tasks) > 1.0 + 1e-9:
            raise ValueError("task shares add up to more than 1")
        return tasks


def supply_hours_year(
    sg: SelfGovernance,
    households: npt.ArrayLike,
    party_members: npt.ArrayLike,
) -> FloatArray:
    """Volunteer hours a compound's residents give in a year.

    Parameters
    ----------
    sg
        The plan's self-governance section.
    households
        Households. [households]
    party_members
        Registered party members. [persons]

    Returns
    -------
    numpy.ndarray
        Hours. [h/year]

    Examples
    --------
    100 households with 7 party members, 23.3% of them active 2 h a week, and 2% of
    households active 2 h a week: (7 x 0.233 x 2 + 100 x 0.02 x 2) x 52 = 377.624 h.

    >>> round(float(supply_hours_year(SelfGovernance(), 100, 7)[0]), 3)
    377.624
    """
    party = np.asarray(party_members, dtype=np.float64) * sg.party_active_rate \
        * sg.party_hours_per_week
    residents = np.asarray(households, dtype=np.float64) * sg.resident_active_rate \
        * sg.resident_hours_per_week
    return np.atleast_1d((party + residents) * WEEKS_PER_YEAR)


def apply(ctx: ChannelInputs) -> None:
    """Let the volunteer teams take demand; add their in-kind time and materials."""
    if not ctx.any_on("self_governance"):
        return
    on = ctx.on["self_governance"]
    sg = ctx.plan.plan.self_governance
    n = len(ctx)
    households = ctx.table.array("households")
    party = ctx.table.array("party_members")
    party = np.where(np.isnan(party),
                     households * ctx.params.quantities.party_members_per_household, party)
    supply = supply_hours_year(sg, households, party) * ctx.volunteer_multiplier * on
    lab = ctx.params.labour
    hours: dict[str, FloatArray] = {}
    offered = {role: np.zeros(n) for role in ROLES}
    for task in sg.tasks:
        h = supply * ctx.plan.value("self_governance", task.name, "share")
        hours[task.name] = h
        per_post = (lab.guard_hours_per_year if task.role == "order"
                    else lab.standard_hours_per_year)
        offered[task.role] = offered[task.role] + h / per_post
    scale = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for role in ROLES:
            got = ctx.take("self_governance", role, offered[role])
            scale[role] = np.where(offered[role] > 0, got / offered[role], 0.0)
    wage = (sg.shadow_wage_yuan_per_hour if sg.shadow_wage_yuan_per_hour is not None
            else ctx.params.wages.minimum_hourly_wage_yuan)
    rows = on == 1.0
    for task in sg.tasks:
        ctx.add(LineSpec(f"volunteer_{task.name}_time", "self_governance", "staff",
                         "volunteers_in_kind", "in_kind"),
                hours[task.name] * scale[task.role] * wage, where=rows)
        materials = ctx.plan.value("self_governance", task.name,
                                   "materials_yuan_per_household_year") * households * on
        ctx.add(LineSpec(f"volunteer_{task.name}_materials", "self_governance",
                         ROLE_MATERIAL_CATEGORY[task.role], "fund_pool", "running"), materials,
                where=rows)
