"""The market: whatever work no channel supplies, bought from a market company.

Every category's remaining work (:class:`propfee.work.ledger.WorkLedger`) is bought at
market prices, by one market company serving the compound alone, at the plan's service
grade. Nothing is ever left unsupplied and unpriced. With every channel switched off
this is the **market baseline**: a market company alone delivering all the work the plan
delivers, at the same grade (:func:`propfee.baseline.market_baseline`).

Per compound (all money [yuan/year])::

    posts_r      = hours left of the role's work / hours_per_post(r)               [FTE]
    heads_r      = ceil(posts_r / step_r) * step_r            (whole posts; step 0: none)
    staff_<work> = heads_r * formal cost of a post of r      (propfee.staffing)
                   (informal market hiring: the hours at the informal hourly rate)
    gate         = gate hours left / (24 * 365) * live_in_monthly_pay * 12
                   instead, where the gates are kept by a live-in gatekeeper (grade 5)
    depreciation = depreciation_yuan_per_staff_year * sum of heads
    overhead     = overhead_share_rate * (staff + depreciation)
    margin, vat, surcharges on (staff + depreciation + overhead)   (propfee.fees.price_parts)
    job_<j>      = uses left * market_price_yuan_per_use
    job_<j>_callout = uses left / uses_per_visit * callout_yuan_per_visit   (a trip a visit)
    garbage      = tonnes left * garbage market_yuan_per_tonne
    lift         = lift-years left * (maintenance + inspection per lift and year),
                   paid by the lift households' levy, not the fund pool

Jobs, waste removal and lift care are bought from contractors at their own prices
(their profit and taxes included); the company's overhead, profit and taxes fall on the
staff it employs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from propfee.channels.common import LineSpec
from propfee.fees import price_parts
from propfee.params.model import HiringMode
from propfee.staffing import (
    DAYS_PER_YEAR,
    annual_staff_cost_yuan,
    hours_per_post,
    round_headcount_fte,
)
from propfee.work.categories import HOUR_CATEGORIES, ROLE_OF

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["apply", "margin_rate"]

FloatArray = npt.NDArray[np.float64]


def margin_rate(ctx: ChannelInputs) -> float | FloatArray:
    """The market company's profit (lump-sum) or commission (commission model) rate. [1]"""
    lump = ctx.params.pricing.model == "lump_sum"
    return ctx.values["pricing.profit_rate" if lump else "pricing.commission_rate"]


def apply(ctx: ChannelInputs, hiring: HiringMode | None = None) -> None:
    """Buy every category's remaining work at market prices (see the module formulas).

    Parameters
    ----------
    ctx
        The run's state, after every channel has supplied its part.
    hiring
        How the market company hires; default the parameter set's ``market_hiring``.
    """
    v = ctx.values
    hiring = hiring or ctx.params.labour.market_hiring
    n = len(ctx)
    staff_total = np.zeros(n)
    heads_total = np.zeros(n)
    for work in HOUR_CATEGORIES:
        got = ctx.ledger.supply_rest("market", work)
        role = ROLE_OF[work]
        if work == "gate" and ctx.coverage == "live_in":
            cost = got / (24.0 * DAYS_PER_YEAR) * v["gates.live_in_monthly_pay_yuan"] * 12.0
            heads = np.zeros(n)
        else:
            posts = got / hours_per_post(role, v)
            heads = (posts if hiring == "informal"
                     else round_headcount_fte(posts, v[f"staffing.{role}.headcount_step_fte"]))
            cost = annual_staff_cost_yuan(role, heads, v, hiring)
        ctx.details[f"market_heads:{role}"] = heads
        staff_total = staff_total + cost
        heads_total = heads_total + heads
        ctx.add(LineSpec(f"market_{work}", "market", "order" if work == "gate" else "staff",
                         "fund_pool", "market", work), cost)
    depreciation = v["costs.depreciation_yuan_per_staff_year"] * heads_total
    overhead = v["costs.overhead_share_rate"] * (staff_total + depreciation)
    price = price_parts(staff_total + depreciation + overhead, margin_rate(ctx),
                        v["taxes.vat_rate"], v["taxes.surcharge_rate"])
    for code, category, amount in (
        ("market_depreciation", "depreciation", depreciation),
        ("market_overhead", "overhead", overhead),
        ("market_margin", "margin", price.margin_yuan),
        ("market_vat", "tax", price.vat_yuan),
        ("market_surcharges", "tax", price.surcharges_yuan),
    ):
        ctx.add(LineSpec(code, "market", category, "fund_pool", "market", "*"),  # type: ignore[arg-type]
                amount)
    for name in ctx.params.jobs:
        j = f"jobs.{name}."
        got = ctx.ledger.supply_rest("market", name)
        ctx.add(LineSpec(f"market_job_{name}", "market", "upkeep", "fund_pool", "market", name),
                got * v[j + "market_price_yuan_per_use"])
        ctx.add(LineSpec(f"market_job_{name}_callout", "market", "upkeep", "fund_pool", "market",
                         name), got / v[j + "uses_per_visit"] * v[j + "callout_yuan_per_visit"])
    got = ctx.ledger.supply_rest("market", "garbage")
    ctx.add(LineSpec("market_garbage", "market", "cleaning", "fund_pool", "market", "garbage"),
            got * v["garbage.market_yuan_per_tonne"])
    got = ctx.ledger.supply_rest("market", "lift")
    ctx.add(LineSpec("market_lift_maintenance", "market", "upkeep", "lift_levy", "market",
                     "lift"), got * v["lifts.maintenance_yuan_per_lift_year"])
    ctx.add(LineSpec("market_lift_inspection", "market", "upkeep", "lift_levy", "market",
                     "lift"), got * v["lifts.inspection_yuan_per_lift_year"])
