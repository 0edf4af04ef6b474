"""Channel 3, street and community fallback (街道社区兜底管): what the street office pays for.

Formulas (per compound and item)::

    per household:  cost = price_yuan * households                      [yuan/year]
    per tonne:      cost = price_yuan * households * kg_per_household_day * 365 / 1000
    per compound:   cost = price_yuan
    replaced demand of ``replaces_role`` = replaced_share * the role's demand

All of it is paid by the street office. With the channel switched off (a what-if,
and the empty coalition of the channel credit) the compound's fund pool pays the same
services and the street takes over no demand: moving a cost to the street is not a saving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, field_validator

from propfee.channels.common import (
    Category,
    LineSpec,
    Name,
    NonNeg,
    PlanModel,
    Rate,
    Role,
    unique_names,
)
from propfee.staffing import DAYS_PER_YEAR

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["StreetFallback", "StreetItem", "apply"]


class StreetItem(PlanModel):
    """A service the street office guarantees.

    Attributes
    ----------
    name
        Item name (``garbage_removal``, ``grid_workers``...).
    pricing
        ``per_household`` [yuan/(household year)], ``per_tonne`` [yuan/t] or
        ``per_compound`` [yuan/year].
    price_yuan
        The price in the unit ``pricing`` names.
    kg_per_household_day
        Waste per household per day (``per_tonne`` only). [kg/(household day)]
    category
        Official cost category of the item.
    replaces_role
        The staff role whose work the street takes over, if any.
    replaced_share
        Share of that role's demand taken over. [1]
    """

    name: Name
    pricing: Literal["per_household", "per_tonne", "per_compound"]
    price_yuan: NonNeg
    kg_per_household_day: NonNeg = 0.0
    category: Category = "other"
    replaces_role: Role | None = None
    replaced_share: Rate = 0.0


class StreetFallback(PlanModel):
    """The street office's fallback services.

    Attributes
    ----------
    items
        The items, each with a unique name.
    """

    items: Annotated[tuple[StreetItem, ...], Field(strict=False)] = ()

    @field_validator("items")
    @classmethod
    def _unique(cls, items: tuple[StreetItem, ...]) -> tuple[StreetItem, ...]:
        unique_names(items)
        return items


def apply(ctx: ChannelInputs) -> None:
    """Add the street's lines and let it take its share of demand (see the module formulas)."""
    on = ctx.on["street_fallback"]
    households = ctx.table.array("households")
    for item in ctx.plan.plan.street_fallback.items:
        price = ctx.plan.value("street_fallback", item.name, "price_yuan")
        if item.pricing == "per_household":
            cost = price * households
        elif item.pricing == "per_tonne":
            kg = ctx.plan.value("street_fallback", item.name, "kg_per_household_day")
            cost = price * households * kg * DAYS_PER_YEAR / 1000.0
        else:
            cost = price.copy()
        if ctx.any_on("street_fallback"):
            ctx.add(LineSpec(f"street_{item.name}", "street_fallback", item.category,
                             "street_office", "service"), cost * on, where=on == 1.0)
        if not ctx.all_on("street_fallback"):
            ctx.add(LineSpec(f"street_{item.name}", "street_fallback", item.category,
                             "fund_pool", "service"), cost * (1.0 - on), where=on == 0.0)
        if item.replaces_role is not None and ctx.any_on("street_fallback"):
            share = ctx.plan.value("street_fallback", item.name, "replaced_share")
            ctx.take("street_fallback", item.replaces_role,
                     share * ctx.demand[item.replaces_role] * on)
