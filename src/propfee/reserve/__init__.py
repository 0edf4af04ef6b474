"""Ageing buildings: components, the special maintenance fund and a reserve study.

- :mod:`propfee.reserve.components`: the dated component catalogue and quantities
- :mod:`propfee.reserve.fund`: the special maintenance fund (住宅专项维修资金) and its rules
- :mod:`propfee.reserve.schedule`: the renewal schedule engine
- :mod:`propfee.reserve.study`: the reserve study, funding plans, Monte Carlo over lives
- :mod:`propfee.reserve.priorities`: a district's priority table and renovation what-if
- :mod:`propfee.reserve.report`: bilingual tables, the Excel workbook, the fund chart
"""

from propfee.reserve.components import (
    Catalogue,
    ComponentSpec,
    SiteGeometry,
    default_catalogue,
    load_catalogue,
)
from propfee.reserve.fund import FundRules, fund_may_pay
from propfee.reserve.schedule import renewal_schedule
from propfee.reserve.study import (
    RenovationEvent,
    ReserveSettings,
    ReserveStudy,
    dry_probability,
    reserve_study,
)

__all__ = [
    "Catalogue",
    "ComponentSpec",
    "FundRules",
    "RenovationEvent",
    "ReserveSettings",
    "ReserveStudy",
    "SiteGeometry",
    "default_catalogue",
    "dry_probability",
    "fund_may_pay",
    "load_catalogue",
    "renewal_schedule",
    "reserve_study",
]
