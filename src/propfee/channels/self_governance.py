"""Channel 1, residents' self-governance (居民自治管): the residents' own organisation.

It supplies work in three ways: volunteer teams, retired residents it hires on a service
agreement, and live-in gatekeepers.

**Volunteers.** Their supply scales with the people who live in the compound (the
source: 18,000+ party members registered in the old compounds, 4,200+ serving residents
with a post)::

    party_members     = the compound's own count, else households x party_members_per_household
    supply_hours_year = (party_members * party_active_rate * party_hours_per_week
                         + households * resident_active_rate * resident_hours_per_week) * 52

Each task gets a share of those hours and names the work it supplies (in the plan's
order, each taking what the tasks before it left)::

    task_hours  = supply_hours_year * share
    offered     = min(task_hours * units_per_hour, max_share * demand of the work)
    supplied    = min(offered, what is left of the work)         [the work's unit]
    in_kind     = supplied / units_per_hour * shadow wage           (volunteers_in_kind)
    added_hours = task_hours - supplied / units_per_hour            (added service: no money)
    materials   = materials_yuan_per_household_year * households
                  * supplied hours / task_hours                     (fund pool)

An hour of cleaning supplies an hour of cleaning (``units_per_hour = 1``); an hour of
stairwell-lighting checks supplies part of a lighting repair (``units_per_hour`` uses);
``max_share`` keeps volunteers from work a professional must do. A task with no work
(legal education) is all added service. Hours that supply no priced work are never a
saving nor an in-kind cost of the budget. The shadow wage is the part-time hourly
minimum wage of the parameter set unless the plan gives one.

**Informal hires** (``hire_informally``): what is left of those hour categories, paid by
the hour on a service agreement at no less than the part-time minimum wage
(:func:`propfee.staffing.informal_rate_yuan_per_hour`)::

    informal_<work> = hours left * hourly rate of the work's role       (fund pool)

**Live-in gatekeepers** (the plan's gate regime ``live_in``): what is left of the gate
hours, one gatekeeper a gate, paid at least the monthly minimum wage::

    gate_live_in = gate hours left / (coverage hours a day * 365) * live_in_monthly_pay * 12

With the channel switched off none of it happens: the work is bought at market prices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Final

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator

from propfee.channels.common import Amount, Category, Item, LineSpec, Price, Rate, Section
from propfee.staffing import DAYS_PER_YEAR, informal_rate_yuan_per_hour
from propfee.work.categories import HOUR_CATEGORIES, ROLE_OF
from propfee.work.demand import COVERAGE_HOURS_PER_DAY

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

HOURS_PER_WEEK_MAX: Final = 168.0
"""Hours in a week: no volunteer gives more. [h/week]"""


class VolunteerTask(Item):
    """A task a volunteer team takes over.

    Attributes
    ----------
    name
        Task name (``stairwell_lighting``, ``patrol``...).
    work
        The work category it supplies; ``None``: none (added service, such as legal
        education).
    share
        Share of the compound's volunteer hours that go to this task. [1]
    units_per_hour
        Work one volunteer hour supplies, in the work's unit (1 for hours; uses of a
        job for a job). [work unit/h]
    max_share
        Largest share of the work's demand volunteers may supply (the rest needs a
        professional). [1]
    materials_yuan_per_household_year
        Materials the task needs, paid by the fund pool. [yuan/(household year)]
    """

    work: str | None = None
    share: Rate
    units_per_hour: Amount = 1.0
    max_share: Rate = 1.0
    materials_yuan_per_household_year: Price = 0.0


class SelfGovernance(Section[VolunteerTask]):
    """The residents' own organisation: volunteer tasks (items) and informal hires.

    Attributes
    ----------
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
    hire_informally
        Hour categories whose remaining work the organisation hires retired residents
        for, on a service agreement (``cleaning``, ``greening``...).
    """

    party_active_rate: Rate = 0.233
    party_hours_per_week: Annotated[float, Field(ge=0, le=HOURS_PER_WEEK_MAX)] = 2.0
    resident_active_rate: Rate = 0.02
    resident_hours_per_week: Annotated[float, Field(ge=0, le=HOURS_PER_WEEK_MAX)] = 2.0
    shadow_wage_yuan_per_hour: Annotated[float, Field(ge=0, le=10_000)] | None = None
    hire_informally: Annotated[tuple[str, ...], Field(strict=False)] = ()

    @field_validator("items")
    @classmethod
    def _shares(cls, items: tuple[VolunteerTask, ...]) -> tuple[VolunteerTask, ...]:
        if sum(t.share for t in items) > 1.0 + 1e-9:
            raise ValueError("task shares add up to more than 1")
        return items

    @field_validator("hire_informally")
    @classmethod
    def _hour_work(cls, work: tuple[str, ...]) -> tuple[str, ...]:
        odd = [w for w in work if w not in HOUR_CATEGORIES]
        if odd:
            raise ValueError(f"informal hires supply hours of {', '.join(HOUR_CATEGORIES)}; "
                             f"not {', '.join(odd)}")
        if len(set(work)) != len(work):
            raise ValueError(f"a category given twice: {list(work)}")
        return work


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
    100 households with 18 party members, 23.3% of them active 2 h a week, and 2% of
    households active 2 h a week: (18 x 0.233 x 2 + 100 x 0.02 x 2) x 52 = 644.176 h.

    >>> round(float(supply_hours_year(SelfGovernance(), 100, 18)[0]), 3)
    644.176
    """
    party = np.asarray(party_members, dtype=np.float64) * sg.party_active_rate \
        * sg.party_hours_per_week
    residents = np.asarray(households, dtype=np.float64) * sg.resident_active_rate \
        * sg.resident_hours_per_week
    return np.atleast_1d((party + residents) * WEEKS_PER_YEAR)


def party_members(ctx: ChannelInputs) -> FloatArray:
    """Each compound's party members: its own count, else households x the set's share."""
    households = ctx.table.array("households")
    party = ctx.table.array("party_members")
    return np.where(np.isnan(party),
                    households * ctx.values["quantities.party_members_per_household"], party)


def apply(ctx: ChannelInputs, settings: SelfGovernance) -> None:
    """Supply the volunteers' work, the informal hires and the live-in gatekeepers."""
    if not ctx.any_on("self_governance"):
        return
    on = ctx.on["self_governance"]
    rows = ctx.where_on("self_governance")
    households = ctx.table.array("households")
    supply = (supply_hours_year(settings, households, party_members(ctx))
              * ctx.volunteer_multiplier * on)
    wage = (settings.shadow_wage_yuan_per_hour if settings.shadow_wage_yuan_per_hour is not None
            else ctx.values["wages.minimum_hourly_wage_yuan"])
    for task in settings.items:
        hours = supply * ctx.items.value("self_governance", task.name, "share")
        ctx.details[f"volunteer_hours:{task.name}"] = hours
        if task.work is None:
            ctx.details[f"added_hours:{task.name}"] = hours
            continue
        per_hour = ctx.items.value("self_governance", task.name, "units_per_hour")
        cap = (ctx.items.value("self_governance", task.name, "max_share")
               * ctx.ledger.demand(task.work))
        got = ctx.supply("self_governance", task.work, np.minimum(hours * per_hour, cap),
                         where=rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            used = np.where(per_hour > 0, got / np.where(per_hour > 0, per_hour, 1.0), 0.0)
            used_share = np.where(hours > 0, used / np.where(hours > 0, hours, 1.0), 0.0)
        ctx.details[f"added_hours:{task.name}"] = hours - used
        ctx.add(LineSpec(f"volunteer_{task.name}_time", "self_governance", "staff",
                         "volunteers_in_kind", "in_kind", task.work), used * wage, where=rows)
        materials = ctx.items.value("self_governance", task.name,
                                    "materials_yuan_per_household_year")
        if np.any(materials > 0):
            ctx.add(LineSpec(f"volunteer_{task.name}_materials", "self_governance",
                             _MATERIAL_CATEGORY.get(task.work, "upkeep"), "fund_pool", "running",
                             task.work), materials * households * used_share,
                    where=rows & (materials > 0))
    for work in settings.hire_informally:
        got = ctx.ledger.supply_rest("self_governance", work, where=rows)
        ctx.add(LineSpec(f"informal_{work}", "self_governance", "staff", "fund_pool",
                         "informal", work),
                got * informal_rate_yuan_per_hour(ROLE_OF[work], ctx.values), where=rows)
    if ctx.gate_regime == "live_in":
        got = ctx.ledger.supply_rest("self_governance", "gate", where=rows)
        gates = got / (COVERAGE_HOURS_PER_DAY[ctx.coverage] * DAYS_PER_YEAR)
        ctx.add(LineSpec("gate_live_in", "self_governance", "order", "fund_pool", "informal",
                         "gate"),
                gates * ctx.values["gates.live_in_monthly_pay_yuan"] * 12.0, where=rows)


_MATERIAL_CATEGORY: Final[dict[str, Category]] = {
    "cleaning": "cleaning", "greening": "greening", "gate": "order", "patrol": "order",
    "management": "office",
}
"""Official category of the materials of a task, by the work it supplies (a job's
materials are upkeep)."""
