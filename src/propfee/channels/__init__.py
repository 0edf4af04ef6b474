"""The four kinds of management plus one subsidy (四管一补), one module each.

- :mod:`propfee.channels.self_governance`: volunteer teams and informal hires (居民自治管)
- :mod:`propfee.channels.shared_property`: bundled contracts, per-use jobs (共享物业承接管)
- :mod:`propfee.channels.street`: street and community fallback (街道社区兜底管)
- :mod:`propfee.channels.devices`: smart devices (可视设备智慧管)
- :mod:`propfee.channels.public_income`: public-resource income (公共资源收益补)
- :mod:`propfee.channels.direct`: the compound's own running costs

Each channel supplies work (:mod:`propfee.work`) and adds the money lines that pay
for it; whatever no channel supplies is bought by :mod:`propfee.work.market`.
"""

from propfee.channels.common import CHANNELS, CREDIT_CHANNELS, PAYERS, basis_quantity
from propfee.channels.devices import Device, SmartDevices, capital_recovery_factor
from propfee.channels.public_income import IncomeSource, PublicIncome
from propfee.channels.self_governance import SelfGovernance, VolunteerTask
from propfee.channels.shared_property import Bundle, JobTerms, SharedProperty
from propfee.channels.street import StreetFallback, StreetItem

__all__ = [
    "CHANNELS",
    "CREDIT_CHANNELS",
    "PAYERS",
    "Bundle",
    "Device",
    "IncomeSource",
    "JobTerms",
    "PublicIncome",
    "SelfGovernance",
    "SharedProperty",
    "SmartDevices",
    "StreetFallback",
    "StreetItem",
    "VolunteerTask",
    "basis_quantity",
    "capital_recovery_factor",
]
