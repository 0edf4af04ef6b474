"""Channel 1, residents' self-governance (居民自治管): volunteer teams take over tasks.

Formulas (per compound and task)::

    delivered_hours_year = hours_per_week * 52 * coverage_rate
    offered_fte          = delivered_hours_year / hours_per_fte_year(role)
    replaced_fte         = min(sum of offered_fte over the role's tasks, demand left)
    in_kind_value_yuan   = delivered_hours_year * scale(role) * shadow_wage_yuan_per_hour
    scale(role)          = replaced_fte / offered_fte   (hours beyond the need are not counted)

``hours_per_fte_year`` is the role's ``productive_hours_per_staff_year`` for a gate-post
norm and ``staff_hours_per_fte_year`` (40 h x 52 weeks = 2,080 h) otherwise.
Materials the volunteers still need are paid by the fund pool.
"""

from __future__ import annotations

from typing import Annotated, Final

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator

from propfee.channels.common import Category, Name, NonNeg, PlanModel, Rate, Role, unique_names

__all__ = ["WEEKS_PER_YEAR", "SelfGovernance", "VolunteerTask", "delivered_hours_year"]

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
    hours_per_week
        Volunteer hours offered per compound. [h/week]
    coverage_rate
        Share of the offered hours actually delivered (volunteers do not show up
        every time). [1]
    materials_yuan_per_year
        Materials the task still needs, per compound, paid by the fund pool. [yuan/year]
    """

    name: Name
    role: Role
    hours_per_week: NonNeg
    coverage_rate: Rate
    materials_yuan_per_year: NonNeg = 0.0


class SelfGovernance(PlanModel):
    """Volunteer teams and the tasks they take over.

    Attributes
    ----------
    tasks
        The tasks, each with a unique name.
    shadow_wage_yuan_per_hour
        Value of one volunteer hour, in kind. [yuan/h]
    staff_hours_per_fte_year
        Hours of one full-time staff member in a year, to convert volunteer hours
        into replaced staff (gate-post roles use their own productive hours). [h/year]
    """

    tasks: Annotated[tuple[VolunteerTask, ...], Field(strict=False)] = ()
    shadow_wage_yuan_per_hour: NonNeg = 18.5
    staff_hours_per_fte_year: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 2080.0

    @field_validator("tasks")
    @classmethod
    def _unique(cls, tasks: tuple[VolunteerTask, ...]) -> tuple[VolunteerTask, ...]:
        unique_names(tasks)
        return tasks


def delivered_hours_year(hours_per_week: npt.ArrayLike, coverage_rate: npt.ArrayLike) -> FloatArray:
    """Volunteer hours delivered in a year: ``hours_per_week * 52 * coverage_rate``. [h/year]

    Examples
    --------
    10 hours a week at 70% coverage: 10 x 52 x 0.7 = 364 hours a year.

    >>> float(delivered_hours_year(10.0, 0.7)[0])
    364.0
    """
    return np.atleast_1d(
        np.asarray(hours_per_week, dtype=np.float64) * WEEKS_PER_YEAR
        * np.asarray(coverage_rate, dtype=np.float64)
    )
