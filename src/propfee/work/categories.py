"""The work a compound needs, by category, each in its own unit.

A compound's service is work to be done (DOMAIN.md section 10). Each category is
declared once here, with its unit and the staff role or price that buys it:

==================  =====================  =====  =========================================
category            what                   unit   how a market company supplies it
==================  =====================  =====  =========================================
cleaning            cleaning (清洁)         h      cleaners (role ``cleaning``)
greening            greening (绿化)         h      gardeners (role ``greening``)
management          management, customer   h      managers and clerks (role ``management``)
                    service (管理/客服)
gate                keeping the gates      h      guards on posts (role ``order``), or a
                    (门岗)                         live-in gatekeeper where the grade says so
patrol              patrol rounds (巡逻)    h      guards by the hour (role ``patrol``)
garbage             removing household     t      a sanitation contractor, per tonne
                    waste (垃圾清运)
lift                care of a passenger    lift   a licensed maintenance firm and the
                    lift (电梯维保)                 statutory inspection, per lift and year
<job>               each job of the        use    a contractor, per use plus call-outs
                    catalogue (维修)
==================  =====================  =====  =========================================

Hours are a year's hours; ``garbage`` tonnes a year; ``lift`` lift-years a year (one per
lift); a job's uses a year. The job categories are the parameter set's job catalogue
(:attr:`propfee.params.model.ParameterSet.jobs`), so a parameter file that adds a job
adds a category.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from propfee.params.model import ParameterSet

__all__ = [
    "FIXED_CATEGORIES",
    "HOUR_CATEGORIES",
    "ROLES",
    "ROLE_OF",
    "WorkCategory",
    "category_names",
    "work_categories",
]

ROLES: Final = ("cleaning", "order", "patrol", "greening", "management")
"""The staff roles whose hours supply the hour categories: cleaning (清洁), order (门岗),
patrol (巡逻), greening (绿化), management (管理/客服)."""

HOUR_CATEGORIES: Final = ("cleaning", "greening", "management", "gate", "patrol")
"""Categories counted in hours, in report order."""

ROLE_OF: Final[dict[str, str]] = {
    "cleaning": "cleaning", "greening": "greening", "management": "management",
    "gate": "order", "patrol": "patrol",
}
"""The staff role whose hours supply each hour category."""

FIXED_CATEGORIES: Final = (*HOUR_CATEGORIES, "garbage", "lift")
"""Every category that is not a job of the catalogue."""

Kind = Literal["hours", "waste", "lift", "job"]


@dataclass(frozen=True, slots=True)
class WorkCategory:
    """One category of work.

    Attributes
    ----------
    name
        Category name (``cleaning``, ``gate``, ``pipe_dredging``...).
    kind
        ``hours``, ``waste``, ``lift`` or ``job``.
    unit
        Unit of its quantities: ``h``, ``t``, ``lift`` or ``use`` (a year's worth).
    role
        The staff role whose hours supply it (hour categories only).
    """

    name: str
    kind: Kind
    unit: str
    role: str | None = None


def work_categories(params: ParameterSet) -> tuple[WorkCategory, ...]:
    """Every work category under a parameter set: the fixed ones, then each job.

    Parameters
    ----------
    params
        Parameter set (its job catalogue).

    Returns
    -------
    tuple of WorkCategory

    Examples
    --------
    >>> from propfee.params import default_parameters
    >>> cats = work_categories(default_parameters())
    >>> [c.name for c in cats[:7]]
    ['cleaning', 'greening', 'management', 'gate', 'patrol', 'garbage', 'lift']
    >>> cats[7].name, cats[7].kind, len(cats)
    ('pipe_dredging', 'job', 21)
    """
    fixed = [WorkCategory(name, "hours", "h", ROLE_OF[name]) for name in HOUR_CATEGORIES]
    fixed += [WorkCategory("garbage", "waste", "t"), WorkCategory("lift", "lift", "lift")]
    return (*fixed, *(WorkCategory(name, "job", "use") for name in params.jobs))


def category_names(params: ParameterSet) -> tuple[str, ...]:
    """The names of :func:`work_categories`, in order."""
    return (*FIXED_CATEGORIES, *params.jobs)
