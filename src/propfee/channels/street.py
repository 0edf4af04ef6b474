"""Channel 3, street and community fallback (街道社区兜底管): work the street office supplies.

Each item supplies part of one work category and the street office pays for it
(per compound and item, in this order, each taking what the items before it left)::

    offered   = share * demand of the item's work                  [the work's unit]
    supplied  = min(offered, what is left)                          (the work ledger)
    cost      = price_yuan * supplied       (per_unit_of_work: yuan a tonne, a use...)
              | nominal * supplied / offered, nominal = price_yuan * households
                                            (per_household)
              | nominal * supplied / offered, nominal = price_yuan (per_compound)
                                                                    [yuan/year]

So an item that finds its work already supplied costs only what it supplies. With the
channel switched off (a what-if, and the empty coalition of the channel credit) the
street supplies nothing: the work is bought at market prices and paid by the compound's
fund pool (:mod:`propfee.work.market`). Moving a cost to the street is not a saving: the
headline counts it in the net public cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from propfee.channels.common import Category, Item, LineSpec, Price, Rate, Section

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["StreetFallback", "StreetItem", "apply"]


class StreetItem(Item):
    """A piece of work the street office supplies.

    Attributes
    ----------
    name
        Item name (``garbage_removal``, ``grid_workers``...).
    work
        The work category it supplies (``garbage``, ``management``...).
    share
        Share of that category's demand it supplies. [1]
    pricing
        ``per_unit_of_work`` [yuan per unit of the work: a tonne, an hour, a use],
        ``per_household`` [yuan/(household year)] or ``per_compound`` [yuan/year].
    price_yuan
        The price in the unit ``pricing`` names.
    category
        Official cost category of the item.
    """

    work: str
    share: Rate = 1.0
    pricing: Literal["per_unit_of_work", "per_household", "per_compound"]
    price_yuan: Price
    category: Category = "other"


class StreetFallback(Section[StreetItem]):
    """The street office's fallback services (items: :class:`StreetItem`)."""


def apply(ctx: ChannelInputs, settings: StreetFallback) -> None:
    """Supply each item's work and add the street's lines (see the module formulas)."""
    if not ctx.any_on("street_fallback"):
        return
    on = ctx.on["street_fallback"]
    rows = ctx.where_on("street_fallback")
    households = ctx.table.array("households")
    for item in settings.items:
        share = ctx.items.value("street_fallback", item.name, "share")
        price = ctx.items.value("street_fallback", item.name, "price_yuan")
        offered = share * ctx.ledger.demand(item.work) * on
        got = ctx.supply("street_fallback", item.work, offered, where=rows)
        if item.pricing == "per_unit_of_work":
            cost = price * got
        else:
            nominal = price * households if item.pricing == "per_household" else price
            with np.errstate(divide="ignore", invalid="ignore"):
                cost = np.where(offered > 0, nominal * got / np.where(offered > 0, offered, 1.0),
                                0.0)
        ctx.add(LineSpec(f"street_{item.name}", "street_fallback", item.category,
                         "street_office", "service", item.work), cost, where=rows)
