"""The one subsidy, public-resource income (公共资源收益补): income into the fund pool.

Formula (per compound and source)::

    net_income_yuan = units_per_basis * basis quantity * price_yuan_per_unit_year
                      * occupancy_rate * (1 - cost_share_rate)

Income from owners' common parts belongs to the owners after reasonable costs (Civil
Code art. 282); it is paid into the compound fund pool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field, field_validator

from propfee.channels.common import (
    Basis,
    Name,
    NonNeg,
    PlanModel,
    Rate,
    unique_names,
)

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["IncomeSource", "PublicIncome", "apply"]


class IncomeSource(PlanModel):
    """A source of public-resource income.

    Attributes
    ----------
    name
        Source name (``parking``, ``advertising``, ``site_fees``...).
    basis
        What the units are counted against (``parking_space``, ``compound``...).
    units_per_basis
        Units per basis item. [units]
    price_yuan_per_unit_year
        Gross income of one fully occupied unit. [yuan/(unit year)]
    occupancy_rate
        Share of the year the units earn. [1]
    cost_share_rate
        The source's own costs, as a share of its gross income. [1]
    """

    name: Name
    basis: Basis
    units_per_basis: NonNeg
    price_yuan_per_unit_year: NonNeg
    occupancy_rate: Rate = 1.0
    cost_share_rate: Rate = 0.0


class PublicIncome(PlanModel):
    """The compound's public-resource income.

    Attributes
    ----------
    sources
        The sources, each with a unique name.
    """

    sources: Annotated[tuple[IncomeSource, ...], Field(strict=False)] = ()

    @field_validator("sources")
    @classmethod
    def _unique(cls, sources: tuple[IncomeSource, ...]) -> tuple[IncomeSource, ...]:
        unique_names(sources)
        return sources


def apply(ctx: ChannelInputs) -> None:
    """Add every source's net income to the compound's income (see the module formula)."""
    if not ctx.any_on("public_income"):
        return
    on = ctx.on["public_income"]
    for src in ctx.plan.plan.public_income.sources:
        v = ctx.plan.item("public_income", src.name)
        net = (v["units_per_basis"] * ctx.quantity(src.basis)
               * v["price_yuan_per_unit_year"] * v["occupancy_rate"]
               * (1.0 - v["cost_share_rate"])) * on
        ctx.details[f"income:{src.name}"] = net
        ctx.income_yuan = ctx.income_yuan + net
