"""The one subsidy, public-resource income (公共资源收益补): income into the fund pool.

Formula (per compound and source)::

    units           = units_per_basis * basis quantity        (rounded down to whole
                                                               units where whole_units)
    net_income_yuan = units * price_yuan_per_unit_year * occupancy_rate
                      * (1 - cost_share_rate)

Every source is counted against something the compound has: advertising panels per
building or gate, parking per space with its occupancy, express lockers and chargers
per band of households or spaces (``whole_units``: a locker company installs one locker
per full 150 households, none in a compound of 12). No source is a flat amount per
compound. Income from owners' common parts belongs to the owners after reasonable costs
(Civil Code art. 282); it is paid into the compound fund pool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from propfee.channels.common import Amount, Item, Price, Rate, Section, WorkBasis

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["IncomeSource", "PublicIncome", "apply"]


class IncomeSource(Item):
    """A source of public-resource income.

    Attributes
    ----------
    name
        Source name (``parking``, ``advertising``, ``express_lockers``...).
    basis
        What the units are counted against (``parking_space``, ``building``, ``gate``,
        ``household``...).
    units_per_basis
        Units per basis item. [units]
    whole_units
        Whether units are rounded down to whole ones (a locker per full band of
        households).
    price_yuan_per_unit_year
        Gross income of one fully occupied unit. [yuan/(unit year)]
    occupancy_rate
        Share of the year the units earn. [1]
    cost_share_rate
        The source's own costs, as a share of its gross income. [1]
    """

    basis: WorkBasis
    units_per_basis: Amount
    whole_units: bool = False
    price_yuan_per_unit_year: Price
    occupancy_rate: Rate = 1.0
    cost_share_rate: Rate = 0.0


class PublicIncome(Section[IncomeSource]):
    """The compound's public-resource income (items: :class:`IncomeSource`)."""


def apply(ctx: ChannelInputs, settings: PublicIncome) -> None:
    """Add every source's net income to the compound's income (see the module formula)."""
    if not ctx.any_on("public_income"):
        return
    on = ctx.on["public_income"]
    for src in settings.items:
        value = ctx.items.value
        units = value("public_income", src.name, "units_per_basis") * ctx.quantity(src.basis)
        if src.whole_units:
            units = np.floor(units + 1e-9)
        net = (units * value("public_income", src.name, "price_yuan_per_unit_year")
               * value("public_income", src.name, "occupancy_rate")
               * (1.0 - value("public_income", src.name, "cost_share_rate"))) * on
        ctx.details[f"income:{src.name}"] = net
        ctx.income_yuan = ctx.income_yuan + net
