"""The cost of a shared-property contract: the characteristic function of the bundling game.

:func:`contract_costs` prices any number of candidate bundles at once. A bundle is a
set of compounds; many bundles are given in *long format*: parallel arrays
``(bundle, member)`` naming which compound belongs to which bundle (a compound may
appear in many candidate bundles). The 4+1 budget prices the plan's bundles with the
same function, so a bundle's contract price is the same wherever it is computed.

Per bundle ``S`` (all money in [yuan/year])::

    crews(S)   = max(ceil(households(S) / households_per_crew),
                     ceil(|S| / compounds_per_crew))          (span of control)
    staff(S)   = sum over standing roles of the staff cost (propfee.staffing, the
                 market's hiring mode) of k * ceil(sum_{i in S} standing_fte_i / (k step)) * step
                 with k = 1 (posts pooled over the contract) or k = crews(S) (each crew
                 has its own whole posts: SharedProperty.posts_pooled_per)
    margin(S)  = contract_margin_rate * staff(S)
    fixed(S)   = fixed_fee_yuan * crews(S)       (only where the contract has standing staff)
    travel(S)  = travel_yuan_per_m_year * (|S| - 1) * spread_m(S)   (likewise)
    jobs(S)    = sum_{i in S} jobs_i             (per-use jobs at the contract's discount)
    callout(S) = sum_{i in S} callout_i / min(|S|, compounds_per_visit)
    c(S)       = staff + margin + fixed + travel + jobs + callout

``spread_m`` is the diagonal of the members' bounding box [m]. A market company serving
one compound alone (``market=True``) charges the market's margin and taxes instead of
the contract margin: ``(1 + profit_rate) * (1 + vat_rate * (1 + surcharge_rate)) - 1``.
Whole posts and whole crews make the game neither concave nor convex, so its core can
be empty; shared call-outs make it subadditive where posts do not get in the way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from propfee._arrays import sum_arrays
from propfee.params.model import ParameterSet
from propfee.staffing import ROLES, annual_staff_cost_yuan, round_headcount_fte

if TYPE_CHECKING:
    from propfee.channels.shared_property import SharedProperty

__all__ = ["ContractCosts", "contract_costs", "market_margin_rate", "spread_m"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class ContractCosts:
    """Contract cost components of many bundles. Arrays are indexed by bundle.

    Attributes
    ----------
    staff_by_role_yuan
        Role -> staff cost of the bundle's pooled standing posts. [yuan/year]
    headcount_fte_by_role
        Role -> pooled headcount after rounding to posts. [FTE]
    margin_yuan, fixed_yuan, travel_yuan, jobs_yuan, callout_yuan
        The other components. [yuan/year]
    crews
        Crews the bundle needs. [crews]
    members
        Members. [compounds]
    households
        Households served. [households]
    spread_m
        Diagonal of the members' bounding box. [m]
    total_yuan
        The contract price ``c(S)``. [yuan/year]
    """

    staff_by_role_yuan: dict[str, FloatArray]
    headcount_fte_by_role: dict[str, FloatArray]
    margin_yuan: FloatArray
    fixed_yuan: FloatArray
    travel_yuan: FloatArray
    jobs_yuan: FloatArray
    callout_yuan: FloatArray
    crews: FloatArray
    members: FloatArray
    households: FloatArray
    spread_m: FloatArray
    total_yuan: FloatArray

    @property
    def staff_yuan(self) -> FloatArray:
        """Staff cost of all roles. [yuan/year]"""
        total: FloatArray = sum_arrays((self.staff_by_role_yuan[r] for r in ROLES),
                                       like=self.total_yuan)
        return total


def spread_m(bundle: IntArray, x_m: FloatArray, y_m: FloatArray, n_bundles: int) -> FloatArray:
    """Diagonal of each bundle's bounding box; members without a location are ignored.

    Parameters
    ----------
    bundle
        Bundle number of each (bundle, member) pair.
    x_m, y_m
        Member coordinates of each pair. [m]
    n_bundles
        Number of bundles.

    Returns
    -------
    numpy.ndarray
        Spread of each bundle (0 for one member or no location). [m]

    Examples
    --------
    >>> spread_m(np.array([0, 0, 1]), np.array([0.0, 300.0, 5.0]),
    ...          np.array([0.0, 400.0, 5.0]), 2).tolist()
    [500.0, 0.0]
    """
    b = np.asarray(bundle, dtype=np.int64)
    extent = []
    for coord in (x_m, y_m):
        low = np.full(n_bundles, np.inf)
        high = np.full(n_bundles, -np.inf)
        np.fmin.at(low, b, coord)  # fmin/fmax skip NaN: members without a location
        np.fmax.at(high, b, coord)
        extent.append(high - low)
    diag: FloatArray = np.hypot(*extent)
    diag[~np.isfinite(diag)] = 0.0  # no located member
    return diag


def market_margin_rate(params: ParameterSet) -> float:
    """All-in markup of a market company on its cost: profit (or commission) and taxes.

    ``(1 + margin) * (1 + vat_rate * (1 + surcharge_rate)) - 1`` with the pricing model's
    profit or commission rate. [1]

    Examples
    --------
    8% profit, 6% VAT, 12% surcharges: 1.08 x 1.0672 - 1 = 0.152576.

    >>> from propfee.params import default_parameters
    >>> round(market_margin_rate(default_parameters()), 6)
    0.152576
    """
    pr = params.pricing
    margin = pr.profit_rate if pr.model == "lump_sum" else pr.commission_rate
    t = params.taxes
    return (1.0 + margin) * (1.0 + t.vat_rate * (1.0 + t.surcharge_rate)) - 1.0


def contract_costs(
    bundle: IntArray,
    member: IntArray,
    n_bundles: int,
    *,
    standing_fte: dict[str, FloatArray],
    households: FloatArray,
    x_m: FloatArray,
    y_m: FloatArray,
    fixed_fee_yuan: FloatArray | float,
    shared: SharedProperty,
    params: ParameterSet,
    jobs_yuan: FloatArray | None = None,
    callout_yuan: FloatArray | None = None,
    market: bool | npt.NDArray[np.bool_] = False,
) -> ContractCosts:
    """Price many bundles at once (vectorised; no loop over bundles or compounds).

    Parameters
    ----------
    bundle, member
        Long-format membership: pair ``j`` says compound ``member[j]`` is in bundle
        ``bundle[j]`` (bundle numbers ``0..n_bundles-1``).
    n_bundles
        Number of bundles.
    standing_fte
        Role -> each compound's demand for the contract's standing posts. [FTE]
    households
        Each compound's households. [households]
    x_m, y_m
        Each compound's location. [m]
    fixed_fee_yuan
        Fixed fee per crew, one per bundle or a scalar. [yuan/year]
    shared
        The contract terms (margin, travel, crew size, call-out sharing).
    params
        Parameter set: wages, on-costs, labour terms, market pricing.
    jobs_yuan
        Each compound's per-use jobs at the contract's discount (default none). [yuan/year]
    callout_yuan
        Each compound's call-outs at the contract's discount, before sharing (default
        none). [yuan/year]
    market
        A market company, each bundle alone: the market's margin and taxes, no travel,
        no call-out sharing; one flag for all bundles or one per bundle.

    Returns
    -------
    ContractCosts
    """
    b = np.asarray(bundle, dtype=np.int64)
    m = np.asarray(member, dtype=np.int64)
    members = np.bincount(b, minlength=n_bundles).astype(np.float64)
    hh = np.bincount(b, weights=households[m], minlength=n_bundles).astype(np.float64)
    needed = np.maximum.reduce([
        np.ceil(hh / shared.households_per_crew - 1e-9),
        np.ceil(members / shared.compounds_per_crew - 1e-9),
        np.ones_like(hh),
    ])
    per_crew = shared.posts_pooled_per == "crew"
    staff: dict[str, FloatArray] = {}
    heads: dict[str, FloatArray] = {}
    any_staff = np.zeros(n_bundles, dtype=bool)
    crews_if_staffed: FloatArray = np.where(members > 0, needed, 0.0)
    sharing = np.maximum(crews_if_staffed, 1.0) if per_crew else 1.0
    hiring = params.labour.market_hiring
    for role in ROLES:
        step = getattr(params.staffing, role).headcount_step_fte
        pooled = np.bincount(b, weights=standing_fte[role][m],
                             minlength=n_bundles).astype(np.float64)
        any_staff |= pooled > 0
        # Informal hiring pays the hours worked: no rounding to posts (propfee.staffing).
        heads[role] = (pooled if hiring == "informal"
                       else round_headcount_fte(pooled / sharing, step) * sharing)
        staff[role] = annual_staff_cost_yuan(role, heads[role], params, hiring)
    crews: FloatArray = np.where(any_staff, crews_if_staffed, 0.0)
    staff_total = sum_arrays((staff[r] for r in ROLES), like=hh)
    spread = spread_m(b, x_m[m], y_m[m], n_bundles)
    is_market = np.broadcast_to(np.asarray(market, dtype=bool), (n_bundles,))
    rate = np.where(is_market, market_margin_rate(params), shared.contract_margin_rate)
    margin = np.asarray(rate * staff_total, dtype=np.float64)
    fixed: FloatArray = np.asarray(fixed_fee_yuan, dtype=np.float64) * crews
    travel = np.asarray(np.where(is_market, 0.0, shared.travel_yuan_per_m_year)
                        * np.maximum(members - 1, 0) * spread * any_staff, dtype=np.float64)
    zero = np.zeros(len(households))
    jobs = np.bincount(b, weights=(zero if jobs_yuan is None else jobs_yuan)[m],
                       minlength=n_bundles).astype(np.float64)
    visit_share = np.where(is_market, 1.0, np.minimum(np.maximum(members, 1.0),
                                                      shared.compounds_per_visit))
    callout: FloatArray = np.bincount(
        b, weights=(zero if callout_yuan is None else callout_yuan)[m], minlength=n_bundles
    ) / visit_share
    total = np.asarray(staff_total + margin + fixed + travel + jobs + callout, dtype=np.float64)
    return ContractCosts(staff, heads, margin, fixed, travel, jobs, callout,
                         crews.astype(np.float64), members, hh.astype(np.float64), spread, total)
