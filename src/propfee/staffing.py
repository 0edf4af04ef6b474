"""Staffing: norms -> staff demand -> headcount -> wage cost, per role.

Formulas (vectorised over compounds)::

    demand_fte    = households / units_per_staff                     (per_households)
                  = floor_area_m2 / units_per_staff                  (per_floor_m2)
                  = green_area_m2 / units_per_staff                  (per_green_m2)
                  = gates * post_hours_per_day * 365
                    / productive_hours_per_staff_year                (per_gate_post)
    headcount_fte = ceil(demand_fte / step) * step   (step = headcount_step_fte; 0: no rounding)
    wage_cost_yuan_per_year = headcount_fte * monthly_wage_yuan * 12
                              * (1 + social_insurance_rate + welfare_rate)
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from propfee.params.model import RoleParams, StaffingParams

__all__ = [
    "DAYS_PER_YEAR",
    "ROLES",
    "annual_wage_cost_yuan",
    "round_headcount_fte",
    "staff_demand_fte",
    "staffing_by_role",
]

FloatArray = npt.NDArray[np.float64]

ROLES: Final = ("cleaning", "order", "maintenance", "greening", "management")
"""The five staff roles: cleaning (清洁), order and security (秩序维护), maintenance
(维修), greening (绿化), management and customer service (管理/客服)."""

DAYS_PER_YEAR: Final = 365.0
"""Days a gate post is staffed in a year. [day/year]"""


def staff_demand_fte(
    role: RoleParams,
    households: npt.ArrayLike,
    floor_area_m2: npt.ArrayLike,
    green_area_m2: npt.ArrayLike,
    gates: npt.ArrayLike,
) -> FloatArray:
    """Unrounded staff demand of one role.

    Parameters
    ----------
    role
        The role's norm.
    households
        Households. [households]
    floor_area_m2
        Floor area. [m2]
    green_area_m2
        Green area. [m2]
    gates
        Staffed gates. [gates]

    Returns
    -------
    numpy.ndarray
        Full-time-equivalent staff needed. [FTE]

    Examples
    --------
    A 24-hour gate at 2,920 productive hours a guard needs 24 x 365 / 2,920 = 3 guards:

    >>> from propfee.params import default_parameters
    >>> float(staff_demand_fte(default_parameters().staffing.order, 100, 1e4, 0, 1)[0])
    3.0
    """
    if role.norm == "per_households":
        driver = households
    elif role.norm == "per_floor_m2":
        driver = floor_area_m2
    elif role.norm == "per_green_m2":
        driver = green_area_m2
    else:
        post_fte = role.post_hours_per_day * DAYS_PER_YEAR / role.productive_hours_per_staff_year
        return np.atleast_1d(np.asarray(gates, dtype=np.float64) * post_fte)
    return np.atleast_1d(np.asarray(driver, dtype=np.float64) / role.units_per_staff)


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


def annual_wage_cost_yuan(
    headcount_fte: npt.ArrayLike,
    monthly_wage_yuan: npt.ArrayLike,
    social_insurance_rate: npt.ArrayLike,
    welfare_rate: npt.ArrayLike,
) -> FloatArray:
    """Employer's annual cost of staff: wages, social insurance, housing fund, welfare.

    ``cost = headcount_fte * monthly_wage_yuan * 12 * (1 + social_insurance_rate + welfare_rate)``

    Parameters
    ----------
    headcount_fte
        Staff. [FTE]
    monthly_wage_yuan
        Gross monthly wage. [yuan/month]
    social_insurance_rate
        Employer social insurance and housing fund on wages. [1]
    welfare_rate
        Welfare on wages. [1]

    Returns
    -------
    numpy.ndarray
        Annual staff cost (人员费用). [yuan/year]

    Examples
    --------
    Three guards at 1,900 yuan/month with 30% + 5% on-costs:
    3 x 1,900 x 12 x 1.35 = 92,340 yuan a year.

    >>> float(annual_wage_cost_yuan(3, 1900, 0.30, 0.05)[0])
    92340.0
    """
    h = np.asarray(headcount_fte, dtype=np.float64)
    return np.atleast_1d(
        h * np.asarray(monthly_wage_yuan, dtype=np.float64) * 12.0
        * (1.0 + np.asarray(social_insurance_rate) + np.asarray(welfare_rate))
    )


def staffing_by_role(
    staffing: StaffingParams,
    households: FloatArray,
    floor_area_m2: FloatArray,
    green_area_m2: FloatArray,
    gates: FloatArray,
) -> dict[str, tuple[FloatArray, FloatArray, FloatArray]]:
    """Demand, headcount and annual wage cost of every role.

    Returns
    -------
    dict
        ``role -> (demand_fte [FTE], headcount_fte [FTE], wage_cost [yuan/year])``.
    """
    result = {}
    for name in ROLES:
        role: RoleParams = getattr(staffing, name)
        demand = staff_demand_fte(role, households, floor_area_m2, green_area_m2, gates)
        head = round_headcount_fte(demand, role.headcount_step_fte)
        cost = annual_wage_cost_yuan(
            head, role.monthly_wage_yuan, staffing.social_insurance_rate, staffing.welfare_rate
        )
        result[name] = (demand, head, cost)
    return result
