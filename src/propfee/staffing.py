"""Staffing: grade norms and gate regimes -> staff demand -> headcount -> staff cost.

Demand of each role, from the service grade's norms (vectorised over compounds)::

    cleaning     = floor_area_m2 / cleaning_floor_m2_per_staff              [FTE]
    maintenance  = floor_area_m2 / maintenance_floor_m2_per_staff           [FTE]
    greening     = green_area_m2 / greening_green_m2_per_staff              [FTE]
    management   = households / management_households_per_staff            [FTE]
    order        = gates * post_hours_per_day(regime) * 365 / guard_hours_per_year
                   (staffed_24h: 24 h; staffed_16h: 16 h; live_in and device_only: 0,
                   see propfee.channels.gates)                               [guards]

A role's demand is in full-time staff of the standard 2,000 hours a year, except
``order``, which counts guards of ``guard_hours_per_year`` each (2,920 h in practice).

Cost of staff (formal hiring, an employment contract)::

    headcount   = ceil(demand / step) * step                (step = headcount_step_fte)
    pay         = headcount * monthly_wage * 12 * (1 + overtime_pay_multiple
                  * max(hours - standard_hours, 0) / standard_hours)
    cost        = pay * (1 + welfare_rate)
                  + headcount * social_insurance_rate * max(monthly_wage, floor) * 12

Informal hiring (retired workers on a service agreement) pays the hours worked at
the agreed wage's hourly rate (``monthly_wage * 12 / standard_hours``), with no rounding,
no social insurance, no welfare and no premium::

    cost        = demand * monthly_wage * 12 * hours / standard_hours
                  (hours = guard_hours_per_year for order, standard_hours otherwise)
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from propfee.params.model import GateRegime, GradeNorms, HiringMode, ParameterSet, RoleParams

__all__ = [
    "DAYS_PER_YEAR",
    "POST_HOURS_PER_DAY",
    "ROLES",
    "annual_staff_cost_yuan",
    "role_demand_fte",
    "round_headcount_fte",
    "staffing_by_role",
]

FloatArray = npt.NDArray[np.float64]

ROLES: Final = ("cleaning", "order", "maintenance", "greening", "management")
"""The five staff roles: cleaning (清洁), order and security (秩序维护), maintenance
(维修), greening (绿化), management and customer service (管理/客服)."""

DAYS_PER_YEAR: Final = 365.0
"""Days a gate post is kept in a year. [day/year]"""

POST_HOURS_PER_DAY: Final[dict[str, float]] = {
    "staffed_24h": 24.0, "staffed_16h": 16.0, "live_in": 0.0, "device_only": 0.0,
}
"""Hours a day a gate regime needs guards on a post. [h/day]"""


def role_demand_fte(
    role: str,
    grade: GradeNorms,
    params: ParameterSet,
    *,
    households: npt.ArrayLike,
    floor_area_m2: npt.ArrayLike,
    green_area_m2: npt.ArrayLike,
    gates: npt.ArrayLike,
    gate_regime: GateRegime | None = None,
) -> FloatArray:
    """Unrounded staff demand of one role at a service grade.

    Parameters
    ----------
    role
        One of :data:`ROLES`.
    grade
        The grade's norms.
    params
        Parameter set (guard hours).
    households
        Households. [households]
    floor_area_m2
        Floor area. [m2]
    green_area_m2
        Green area. [m2]
    gates
        Gates. [gates]
    gate_regime
        How gates are kept; ``None`` takes the grade's regime.

    Returns
    -------
    numpy.ndarray
        Staff needed: standard full-time posts, or guards for ``order``. [FTE]

    Examples
    --------
    A 24-hour gate at 2,920 hours a guard needs 24 x 365 / 2,920 = 3 guards:

    >>> from propfee.params import default_parameters
    >>> p = default_parameters()
    >>> float(role_demand_fte("order", p.grades.g3, p, households=100, floor_area_m2=1e4,
    ...                       green_area_m2=0, gates=1)[0])
    3.0
    """
    if role == "cleaning":
        driver, per = floor_area_m2, grade.cleaning_floor_m2_per_staff
    elif role == "maintenance":
        driver, per = floor_area_m2, grade.maintenance_floor_m2_per_staff
    elif role == "greening":
        driver, per = green_area_m2, grade.greening_green_m2_per_staff
    elif role == "management":
        driver, per = households, grade.management_households_per_staff
    elif role == "order":
        hours = POST_HOURS_PER_DAY[gate_regime or grade.gate_regime]
        post = hours * DAYS_PER_YEAR / params.labour.guard_hours_per_year
        return np.atleast_1d(np.asarray(gates, dtype=np.float64) * post)
    else:
        raise ValueError(f"unknown role {role!r}; roles are {ROLES}")
    return np.atleast_1d(np.asarray(driver, dtype=np.float64) / per)


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
    if isinstance(step_fte, float | int):  # one post size for every compound
        if not step_fte > 0:  # no rounding (0, or a step that is not a number)
            return np.atleast_1d(d.copy())
        posts = np.ceil(d / step_fte - 1e-9)  # the same tolerance as below
        return np.atleast_1d(np.maximum(posts * step_fte, 0.0))
    s = np.asarray(step_fte, dtype=np.float64)
    safe = np.where(s > 0, s, 1.0)
    # A small tolerance keeps 3.0000000001 (float noise) from becoming 4 posts.
    rounded = np.ceil(d / safe - 1e-9) * safe
    return np.atleast_1d(np.where(s > 0, np.maximum(rounded, 0.0), d))


def annual_staff_cost_yuan(
    role: str,
    staff_fte: npt.ArrayLike,
    params: ParameterSet,
    hiring: HiringMode,
) -> FloatArray:
    """Employer's annual cost of staff of one role (人员费用).

    Parameters
    ----------
    role
        One of :data:`ROLES`; ``order`` staff work ``guard_hours_per_year``.
    staff_fte
        Headcount (formal) or hours worked in standard posts (informal). [FTE]
    params
        Parameter set: wages, on-costs, labour terms.
    hiring
        ``"formal"`` or ``"informal"`` (see :data:`propfee.params.model.HiringMode`).

    Returns
    -------
    numpy.ndarray
        Annual cost. [yuan/year]

    Examples
    --------
    One formal cleaner at 2,000 yuan/month, 5% welfare, 30% social insurance on the
    3,700 yuan floor: 2,000 x 12 x 1.05 + 0.30 x 3,700 x 12 = 25,200 + 13,320 = 38,520.

    >>> from propfee.params import default_parameters
    >>> p = default_parameters()
    >>> float(annual_staff_cost_yuan("cleaning", 1.0, p, "formal")[0])
    38520.0

    One guard of 2,920 h at 2,000 yuan/month: 920 overtime hours at 150% add
    1.5 x 920 / 2,000 = 69% to the pay: 24,000 x 1.69 x 1.05 + 13,320 = 55,908.

    >>> round(float(annual_staff_cost_yuan("order", 1.0, p, "formal")[0]), 2)
    55908.0
    """
    rp: RoleParams = getattr(params.staffing, role)
    staff = np.asarray(staff_fte, dtype=np.float64)
    wage_year = rp.monthly_wage_yuan * 12.0
    lab = params.labour
    hours = lab.guard_hours_per_year if role == "order" else lab.standard_hours_per_year
    if hiring == "informal":
        return np.atleast_1d(staff * wage_year * hours / lab.standard_hours_per_year)
    overtime = max(hours - lab.standard_hours_per_year, 0.0) / lab.standard_hours_per_year
    pay = wage_year * (1.0 + lab.overtime_pay_multiple * overtime)
    base = max(rp.monthly_wage_yuan, lab.social_insurance_floor_yuan_per_month) * 12.0
    st = params.staffing
    per_head = pay * (1.0 + st.welfare_rate) + st.social_insurance_rate * base
    return np.atleast_1d(staff * per_head)


def staffing_by_role(
    params: ParameterSet,
    grade: GradeNorms,
    hiring: HiringMode,
    *,
    households: FloatArray,
    floor_area_m2: FloatArray,
    green_area_m2: FloatArray,
    gates: FloatArray,
    gate_regime: GateRegime | None = None,
) -> dict[str, tuple[FloatArray, FloatArray, FloatArray]]:
    """Demand, headcount and annual cost of every role of a stand-alone company.

    Formal hiring rounds each role up to its posts; informal hiring pays the demand.

    Returns
    -------
    dict
        ``role -> (demand [FTE], headcount [FTE], cost [yuan/year])``.
    """
    result = {}
    for name in ROLES:
        demand = role_demand_fte(name, grade, params, households=households,
                                 floor_area_m2=floor_area_m2, green_area_m2=green_area_m2,
                                 gates=gates, gate_regime=gate_regime)
        step = getattr(params.staffing, name).headcount_step_fte
        head = round_headcount_fte(demand, step) if hiring == "formal" else demand
        result[name] = (demand, head, annual_staff_cost_yuan(name, head, params, hiring))
    return result
