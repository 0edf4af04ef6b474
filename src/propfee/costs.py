"""The official cost items of a property service and their non-staff kernels.

The service cost (《物业服务收费管理办法》2003, art. 11; 《物业服务定价成本监审办法》2007)
consists of: staff (人员费用); running and upkeep of shared parts and equipment;
cleaning; greening; order and security; office; depreciation; insurance; other
owner-approved costs; and, in the 2007 audit rules, a head-office overhead share.
Major repairs are *not* service cost (they are paid from the special maintenance
fund) and are not modelled here.

Formulas (vectorised over compounds)::

    age_years   = max(as_of_year - build_year, 0)
    age_factor  = min(1 + age_factor_slope_per_year * age_years, age_factor_cap)
    upkeep      = upkeep_yuan_per_m2_year * floor_area_m2 * age_factor
    cleaning    = cleaning_materials_yuan_per_household_year * households
    greening    = greening_materials_yuan_per_green_m2_year * green_area_m2
    office      = office_yuan_per_household_year * households
    insurance   = insurance_yuan_per_m2_year * floor_area_m2
    depreciation= depreciation_yuan_per_staff_year * headcount_fte_total
    other       = other_yuan_per_household_year * households
    overhead    = overhead_share_rate * (staff + all items above)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from propfee.params.model import CostItemParams

__all__ = [
    "COST_CATEGORIES",
    "CostCategory",
    "age_factor",
    "age_years",
    "non_staff_cost_items_yuan",
    "overhead_yuan",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CostCategory:
    """An official cost category.

    Attributes
    ----------
    code
        Short identifier used in tables.
    en, zh
        English and Chinese names.
    rule
        The article or rule that defines it.
    """

    code: str
    en: str
    zh: str
    rule: str


COST_CATEGORIES: Final[dict[str, CostCategory]] = {
    c.code: c
    for c in (
        CostCategory("staff", "Staff wages, social insurance and welfare", "人员费用",
                     "2003 art. 11 (1)"),
        CostCategory("upkeep", "Running and upkeep of shared parts and equipment",
                     "共用部位共用设施设备日常运行维护费", "2003 art. 11 (2)"),
        CostCategory("cleaning", "Cleaning", "清洁卫生费", "2003 art. 11 (3)"),
        CostCategory("greening", "Greening", "绿化养护费", "2003 art. 11 (4)"),
        CostCategory("order", "Order and security", "秩序维护费", "2003 art. 11 (5)"),
        CostCategory("office", "Office", "办公费用", "2003 art. 11 (6)"),
        CostCategory("depreciation", "Depreciation of fixed assets", "固定资产折旧",
                     "2003 art. 11 (7)"),
        CostCategory("insurance", "Insurance of shared parts and public liability",
                     "共用部位共用设施设备及公众责任保险费用", "2003 art. 11 (8)"),
        CostCategory("other", "Other costs approved by the owners", "经业主同意的其它费用",
                     "2003 art. 11 (9)"),
        CostCategory("overhead", "Head-office overhead share", "管理费分摊", "2007 audit rules"),
        CostCategory("margin", "Profit or commission", "利润或酬金", "2003 art. 9"),
        CostCategory("tax", "Statutory taxes (VAT and surcharges)", "法定税费", "VAT rules"),
    )
}
"""The official cost categories, keyed by code."""


def age_years(build_year: npt.ArrayLike, as_of_year: int) -> FloatArray:
    """Building age in whole years, never negative. [year]

    Parameters
    ----------
    build_year
        Year built. [year]
    as_of_year
        Evaluation year. [year]
    """
    return np.atleast_1d(np.maximum(as_of_year - np.asarray(build_year, dtype=np.float64), 0.0))


def age_factor(age: npt.ArrayLike, slope_per_year: float, cap: float) -> FloatArray:
    """Multiplier of upkeep cost for old infrastructure.

    ``factor = min(1 + slope_per_year * age, cap)``

    Parameters
    ----------
    age
        Building age. [year]
    slope_per_year
        Growth per year of age. [1/year]
    cap
        Upper limit. [1]

    Returns
    -------
    numpy.ndarray
        Age factor. [1]

    Examples
    --------
    A 1990 compound in 2024 is 34 years old: 1 + 0.03 x 34 = 2.02.

    >>> round(float(age_factor(34, 0.03, 2.5)[0]), 2)
    2.02
    """
    return np.atleast_1d(np.minimum(1.0 + slope_per_year * np.asarray(age, dtype=np.float64), cap))


def non_staff_cost_items_yuan(
    costs: CostItemParams,
    *,
    households: FloatArray,
    floor_area_m2: FloatArray,
    green_area_m2: FloatArray,
    build_year: FloatArray,
    as_of_year: int,
    headcount_fte_total: FloatArray,
) -> dict[str, FloatArray]:
    """Every non-staff official cost item except the overhead share.

    Parameters
    ----------
    costs
        Unit prices.
    households
        Households. [households]
    floor_area_m2
        Floor area. [m2]
    green_area_m2
        Green area. [m2]
    build_year
        Year built. [year]
    as_of_year
        Evaluation year. [year]
    headcount_fte_total
        Staff of all roles. [FTE]

    Returns
    -------
    dict
        Line code -> annual cost [yuan/year]; codes ``upkeep``, ``cleaning_materials``,
        ``greening_materials``, ``office``, ``insurance``, ``depreciation``, ``other``.
    """
    factor = age_factor(age_years(build_year, as_of_year), costs.age_factor_slope_per_year,
                        costs.age_factor_cap)
    return {
        "upkeep": costs.upkeep_yuan_per_m2_year * floor_area_m2 * factor,
        "cleaning_materials": costs.cleaning_materials_yuan_per_household_year * households,
        "greening_materials": costs.greening_materials_yuan_per_green_m2_year * green_area_m2,
        "office": costs.office_yuan_per_household_year * households,
        "insurance": costs.insurance_yuan_per_m2_year * floor_area_m2,
        "depreciation": costs.depreciation_yuan_per_staff_year * headcount_fte_total,
        "other": costs.other_yuan_per_household_year * households,
    }


def overhead_yuan(overhead_share_rate: float, direct_cost_yuan: npt.ArrayLike) -> FloatArray:
    """Head-office overhead share: ``overhead_share_rate * direct_cost_yuan``. [yuan/year]

    Parameters
    ----------
    overhead_share_rate
        Share on direct cost. [1]
    direct_cost_yuan
        Every other cost item added up. [yuan/year]
    """
    return np.atleast_1d(overhead_share_rate * np.asarray(direct_cost_yuan, dtype=np.float64))
