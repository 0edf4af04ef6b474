"""What the compound buys itself (channel ``direct``): running costs, materials,
insurance, the gatekeeper it houses, and the hours it hires informally.

Per compound (all money [yuan/year])::

    upkeep               = upkeep_yuan_per_m2_year * floor_area_m2 * age_factor   (fund pool)
    cleaning_materials   = cleaning_materials_yuan_per_household_year * households
    greening_materials   = greening_materials_yuan_per_green_m2_year * green_area_m2
    insurance            = insurance_yuan_per_m2_year * floor_area_m2
    other                = other_yuan_per_household_year * households
    gate_live_in         = gates * live_in_monthly_pay_yuan * 12    (live-in regime only)
    informal_<role>      = demand left of the role * monthly_wage * 12 * hours / 2,000
                           (roles in the plan's ``informal_roles``: retired workers on a
                           service agreement, paid for the hours at the wage's hourly rate,
                           no social insurance; a guard works guard_hours_per_year)

Demand left of a role in neither ``informal_roles`` nor the contract's
``standing_roles`` is reported as unmet (``unmet_fte``), not priced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from propfee.channels.common import LineSpec
from propfee.channels.gates import gate_running_yuan
from propfee.costs import age_factor
from propfee.staffing import annual_staff_cost_yuan

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["apply"]


def apply(ctx: ChannelInputs) -> None:
    """Add the compound's own lines and hire the informal roles' open demand."""
    t = ctx.table
    c = ctx.params.costs
    households = t.array("households")
    floor = t.array("floor_area_m2")
    ctx.add(LineSpec("upkeep", "direct", "upkeep", "fund_pool", "running"),
            c.upkeep_yuan_per_m2_year * floor
            * age_factor(ctx.age_years, c.age_factor_slope_per_year, c.age_factor_cap))
    ctx.add(LineSpec("cleaning_materials", "direct", "cleaning", "residents_fees", "running"),
            c.cleaning_materials_yuan_per_household_year * households)
    ctx.add(LineSpec("greening_materials", "direct", "greening", "residents_fees", "running"),
            c.greening_materials_yuan_per_green_m2_year * t.array("green_area_m2"))
    ctx.add(LineSpec("insurance", "direct", "insurance", "residents_fees", "running"),
            c.insurance_yuan_per_m2_year * floor)
    ctx.add(LineSpec("other", "direct", "other", "residents_fees", "running"),
            c.other_yuan_per_household_year * households)
    live_in = ctx.regime_rows("live_in")
    if live_in.any():
        pay, _ = gate_running_yuan("live_in", t.array("gates"), ctx.params)
        ctx.add(LineSpec("gate_live_in", "direct", "order", "fund_pool", "informal"),
                pay * live_in, where=live_in)
    for role in ctx.plan.plan.informal_roles:
        hours = ctx.take("direct", role, ctx.remaining[role])
        ctx.add(LineSpec(f"informal_{role}", "direct", "staff", "fund_pool", "informal"),
                annual_staff_cost_yuan(role, hours, ctx.params, "informal"))
