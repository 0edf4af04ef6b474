"""The compound's own running costs (channel ``direct``): what no channel supplies as work.

These are paid at cost by the compound's fund pool in every plan and in the market
baseline, so they never decide a comparison; repairs are never among them (they are the
per-use jobs of the catalogue). Per compound (all money [yuan/year])::

    common_electricity  = common_electricity_yuan_per_stairwell_unit_year * stairwell_units
    common_water        = common_water_yuan_per_household_year * households
    consumables         = consumables_yuan_per_m2_year * floor_area_m2
    cleaning_materials  = cleaning_materials_yuan_per_household_year * households
    greening_materials  = greening_materials_yuan_per_green_m2_year * green_area_m2
    insurance           = insurance_yuan_per_m2_year * floor_area_m2
    office              = office_yuan_per_household_year * households
    other               = other_yuan_per_household_year * households
    lift_electricity    = electricity_yuan_per_lift_year * lifts   (the lift households)

Lift electricity, like the lift's maintenance and inspection (:mod:`propfee.work.market`),
is paid by the households of the units with a lift, by a levy of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from propfee.channels.common import Category, LineSpec

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["RUNNING_COSTS", "apply"]

RUNNING_COSTS: Final[tuple[tuple[str, str, str, Category], ...]] = (
    ("common_electricity", "costs.common_electricity_yuan_per_stairwell_unit_year",
     "stairwell_units", "upkeep"),
    ("common_water", "costs.common_water_yuan_per_household_year", "households", "upkeep"),
    ("consumables", "costs.consumables_yuan_per_m2_year", "floor_area_m2", "upkeep"),
    ("cleaning_materials", "costs.cleaning_materials_yuan_per_household_year", "households",
     "cleaning"),
    ("greening_materials", "costs.greening_materials_yuan_per_green_m2_year", "green_area_m2",
     "greening"),
    ("insurance", "costs.insurance_yuan_per_m2_year", "floor_area_m2", "insurance"),
    ("office", "costs.office_yuan_per_household_year", "households", "office"),
    ("other", "costs.other_yuan_per_household_year", "households", "other"),
    ("lift_electricity", "lifts.electricity_yuan_per_lift_year", "lifts", "upkeep"),
)
LIFT_LINES: Final = frozenset({"lift_electricity"})
"""Running costs the lift households pay by their levy, not the fund pool."""
"""Each running cost: line code, its price's parameter path, the compound column it is
counted against, and its official category."""


def apply(ctx: ChannelInputs) -> None:
    """Add the compound's running costs (see the module formulas)."""
    for code, path, column, category in RUNNING_COSTS:
        payer = "lift_levy" if code in LIFT_LINES else "fund_pool"
        ctx.add(LineSpec(code, "direct", category, payer, "running"),  # type: ignore[arg-type]
                ctx.values[path] * ctx.table.array(column))
