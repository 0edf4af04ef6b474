"""Who pays a compound's total cost, adding up to it exactly.

Residents pay their fees into the compound's fund pool, public income fills it, the
street's subsidy is a transfer into it, and a surplus stays in it; the street's
services, the renovation programme's capital and the volunteers' time are paid outside
the pool. So, for every compound (and any sum of compounds), exactly in fen::

    total_cost = residents' fees (collected) + public income + street subsidy
                 - pool surplus kept + the lift households' levy + street services
                 + renovation capital + volunteers' time in kind

because ``fees + income + subsidy - surplus = fees + income - pool balance =
compound cash cost`` (``subsidy = max(-balance, 0)``, ``surplus = max(balance, 0)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["WHO_PAYS", "who_pays"]

WHO_PAYS: Final[tuple[tuple[str, str, int], ...]] = (
    ("residents_fees", "fee_collected_yuan", 1),
    ("public_income", "public_income_yuan", 1),
    ("street_subsidy", "street_subsidy_yuan", 1),
    ("pool_surplus_kept", "pool_surplus_yuan", -1),
    ("lift_levy", "paid_by_lift_levy_yuan", 1),
    ("street_services", "paid_by_street_office_yuan", 1),
    ("renovation_programme", "paid_by_renovation_programme_yuan", 1),
    ("volunteers_in_kind", "paid_by_volunteers_in_kind_yuan", 1),
)
"""Each payer of :func:`who_pays`: its name, its column of a budget's compound table and
its sign."""


def who_pays(row: Mapping[str, Any]) -> dict[str, float]:
    """Who pays a compound's (or a district's) total cost, adding up to it exactly.

    Parameters
    ----------
    row
        A row of :attr:`propfee.budget.DistrictBudget.compounds` (or their sums), in yuan.

    Returns
    -------
    dict
        Payer -> amount, in the order of :data:`WHO_PAYS`; the pool surplus kept is
        negative. The amounts sum exactly (in fen) to ``total_cost_yuan``. [yuan/year]

    Examples
    --------
    A pool with 1,000 yuan of fees, 200 of income and 1,500 of cash cost needs a
    300 yuan subsidy; the street also pays 100 of services:

    >>> who_pays({"fee_collected_yuan": 1000.0, "public_income_yuan": 200.0,
    ...           "street_subsidy_yuan": 300.0, "pool_surplus_yuan": 0.0,
    ...           "paid_by_lift_levy_yuan": 0.0, "paid_by_street_office_yuan": 100.0,
    ...           "paid_by_renovation_programme_yuan": 0.0,
    ...           "paid_by_volunteers_in_kind_yuan": 0.0})["street_subsidy"]
    300.0
    """
    return {name: sign * float(row[column]) + 0.0 for name, column, sign in WHO_PAYS}
