"""The official cost categories of a property service.

The service cost (《物业服务收费管理办法》2003, art. 11; 《物业服务定价成本监审办法》2007)
consists of: staff (人员费用); running and upkeep of shared parts and equipment;
cleaning; greening; order and security; office; depreciation; insurance; other
owner-approved costs; and, in the 2007 audit rules, a head-office overhead share. Every
money line of a budget names one of these categories (plus the company's margin and the
statutory taxes). Major repairs are *not* service cost (they are paid from the special
maintenance fund, :mod:`propfee.reserve`); the day-to-day repairs of the job catalogue
are (category ``upkeep``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["COST_CATEGORIES", "CostCategory"]

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
