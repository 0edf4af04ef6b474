"""Staff: hours of a post, posts from hours, and what an hour or a post costs.

The hour categories of work (:mod:`propfee.work.categories`) are supplied by staff of
five roles: cleaning (清洁), order (门岗, the gate guards), patrol (巡逻), greening (绿化)
and management (管理/客服). A full-time post works the standard 2,000 hours a year,
except guards (``order`` and ``patrol``), who work ``guard_hours_per_year`` (2,920 in
practice: 8 h x 365 days)::

    posts       = hours / hours_per_post(role)                              [FTE]
    headcount   = ceil(posts / step) * step        (step = headcount_step_fte; 0: none)

Formal hiring (an employment contract), per head::

    pay         = monthly_wage * 12 * (1 + overtime_pay_multiple
                  * max(hours_per_post - standard_hours, 0) / standard_hours)
    cost        = pay * (1 + welfare_rate)
                  + social_insurance_rate * max(monthly_wage, insurance floor) * 12

Informal hiring (retired workers on a service agreement, 劳务协议) pays the hours worked,
never below the part-time hourly minimum wage (no paid hour below the legal floor), with
no social insurance, no welfare, no premium and no rounding to posts::

    hourly rate = max(monthly_wage * 12 / standard_hours, minimum_hourly_wage)
    cost        = hours * hourly rate

Every parameter is read through a :class:`~propfee.params.values.ParamValues`, so any of
them may hold one value per compound.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from propfee.params.model import HiringMode, ParameterSet
from propfee.params.values import ParamValues
from propfee.work.categories import ROLES

__all__ = [
    "DAYS_PER_YEAR",
    "ROLES",
    "annual_staff_cost_yuan",
    "formal_cost_per_post_yuan",
    "hours_per_post",
    "informal_rate_yuan_per_hour",
    "round_headcount_fte",
]

FloatArray = npt.NDArray[np.float64]
Value = float | FloatArray

DAYS_PER_YEAR: Final = 365.0
"""Days a gate is kept in a year. [day/year]"""

GUARD_ROLES: Final = frozenset({"order", "patrol"})
"""Roles that work a guard's hours."""


def _values(params: ParameterSet | ParamValues) -> ParamValues:
    return params if isinstance(params, ParamValues) else ParamValues(params)


def _check(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {ROLES}")


def hours_per_post(role: str, params: ParameterSet | ParamValues) -> Value:
    """Hours one full-time post of a role works in a year. [h/year]

    Examples
    --------
    >>> from propfee.params import default_parameters
    >>> p = default_parameters()
    >>> hours_per_post("order", p), hours_per_post("cleaning", p)
    (2920.0, 2000.0)
    """
    _check(role)
    v = _values(params)
    return v["labour.guard_hours_per_year" if role in GUARD_ROLES
             else "labour.standard_hours_per_year"]


def round_headcount_fte(demand_fte: npt.ArrayLike, step_fte: npt.ArrayLike) -> FloatArray:
    """Round staff demand up to whole posts of ``step_fte``.

    Parameters
    ----------
    demand_fte
        Unrounded demand. [FTE]
    step_fte
        Post size: 1.0 whole posts, 0.5 half-time posts, 0 no rounding. [FTE]

    Returns
    -------
    numpy.ndarray
        Headcount. [FTE]

    Examples
    --------
    >>> round_headcount_fte([0.0, 0.2, 0.71, 1.0], 0.5).tolist()
    [0.0, 0.5, 1.0, 1.0]
    """
    d = np.asarray(demand_fte, dtype=np.float64)
    s = np.asarray(step_fte, dtype=np.float64)
    safe = np.where(s > 0, s, 1.0)
    # A small tolerance keeps 3.0000000001 (float noise) from becoming 4 posts.
    rounded = np.ceil(d / safe - 1e-9) * safe
    return np.atleast_1d(np.where(s > 0, np.maximum(rounded, 0.0), d))


def formal_cost_per_post_yuan(role: str, params: ParameterSet | ParamValues) -> Value:
    """Employer's annual cost of one formal full-time post of a role. [yuan/year]

    Examples
    --------
    One cleaner at 2,000 yuan/month, 5% welfare, 30% social insurance on the 3,700 yuan
    floor: 2,000 x 12 x 1.05 + 0.30 x 3,700 x 12 = 25,200 + 13,320 = 38,520.

    >>> from propfee.params import default_parameters
    >>> p = default_parameters()
    >>> float(formal_cost_per_post_yuan("cleaning", p))
    38520.0

    A guard of 2,920 h: 920 overtime hours at 150% add 1.5 x 920 / 2,000 = 69% to the
    pay: 24,000 x 1.69 x 1.05 + 13,320 = 55,908.

    >>> round(float(formal_cost_per_post_yuan("order", p)), 2)
    55908.0
    """
    _check(role)
    v = _values(params)
    wage = v[f"staffing.{role}.monthly_wage_yuan"]
    standard = v["labour.standard_hours_per_year"]
    overtime = np.maximum(np.asarray(hours_per_post(role, v)) - standard, 0.0) / standard
    pay = np.asarray(wage) * 12.0 * (1.0 + v["labour.overtime_pay_multiple"] * overtime)
    base = np.maximum(wage, v["labour.social_insurance_floor_yuan_per_month"]) * 12.0
    cost = (pay * (1.0 + v["staffing.welfare_rate"])
            + v["staffing.social_insurance_rate"] * base)
    return float(cost) if np.ndim(cost) == 0 else np.asarray(cost)


def informal_rate_yuan_per_hour(role: str, params: ParameterSet | ParamValues) -> Value:
    """Hourly pay of a role hired informally, never below the part-time minimum. [yuan/h]

    Examples
    --------
    A cleaner's 2,000 yuan/month is 12 yuan an hour over 2,000 standard hours, below the
    part-time minimum of 19.8 yuan/h (Shanxi class 1, from 2021-10-01): 19.8.

    >>> from propfee.params import default_parameters
    >>> float(informal_rate_yuan_per_hour("cleaning", default_parameters()))
    19.8
    """
    _check(role)
    v = _values(params)
    rate = np.maximum(v[f"staffing.{role}.monthly_wage_yuan"] * 12.0
                      / v["labour.standard_hours_per_year"], v["wages.minimum_hourly_wage_yuan"])
    return float(rate) if np.ndim(rate) == 0 else np.asarray(rate)


def annual_staff_cost_yuan(
    role: str,
    staff_fte: npt.ArrayLike,
    params: ParameterSet | ParamValues,
    hiring: HiringMode,
) -> FloatArray:
    """Employer's annual cost of staff of one role (人员费用).

    Parameters
    ----------
    role
        One of :data:`ROLES`.
    staff_fte
        Headcount (formal) or hours worked counted in posts (informal). [FTE]
    params
        Parameter set, or its values by path.
    hiring
        ``"formal"`` or ``"informal"`` (see :data:`propfee.params.model.HiringMode`).

    Returns
    -------
    numpy.ndarray
        Annual cost. [yuan/year]

    Examples
    --------
    Half a post of informal cleaning is 1,000 hours at 19.8 yuan/h = 19,800 yuan.

    >>> from propfee.params import default_parameters
    >>> float(annual_staff_cost_yuan("cleaning", 0.5, default_parameters(), "informal")[0])
    19800.0
    """
    staff = np.asarray(staff_fte, dtype=np.float64)
    if hiring == "informal":
        hours = staff * hours_per_post(role, params)
        return np.atleast_1d(hours * informal_rate_yuan_per_hour(role, params))
    return np.atleast_1d(staff * formal_cost_per_post_yuan(role, params))
