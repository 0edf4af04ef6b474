"""The cost of a shared-property contract: the characteristic function of the bundling game.

:func:`contract_costs` prices any number of candidate bundles at once. A bundle is a
set of compounds; many bundles are given in *long format*: parallel arrays
``(bundle, member)`` naming which compound belongs to which bundle (a compound may
appear in many candidate bundles). The 4+1 budget prices the plan's bundles with the
same function, so a bundle's contract price is the same wherever it is computed.

Per bundle ``S`` (all money in [yuan/year])::

    crews(S)  = max(ceil(households(S) / households_per_crew),
                    ceil(|S| / compounds_per_crew))          (span of control)
    staff(S)  = sum over roles of wage_cost(k * ceil(sum_{i in S} residual_fte_i / (k step)) * step)
                with k = 1 (posts pooled over the contract) or k = crews(S) (each crew
                has its own whole posts: SharedProperty.posts_pooled_per)
    margin(S) = contract_margin_rate * staff(S)
    fixed(S)  = fixed_fee_yuan * crews(S)
    travel(S) = travel_yuan_per_m_year * (|S| - 1) * spread_m(S)
    jobs(S)   = sum_{i in S} jobs_i            (per-use jobs at the contract's discount)
    c(S)      = staff + margin + fixed + travel + jobs

``spread_m`` is the diagonal of the members' bounding box [m]. With posts pooled over
the contract every term is non-decreasing in ``S``: the game is monotone, and
``c(empty set) = 0``. (With posts per crew, a member that needs no staff but adds a crew
can lower the rounding of an evenly shared demand.) Whole posts and whole crews make the
game neither concave nor convex, so its core can be empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from propfee._arrays import sum_arrays
from propfee.channels.shared_property import SharedProperty
from propfee.params.model import StaffingParams
from propfee.staffing import ROLES, annual_wage_cost_yuan, round_headcount_fte

__all__ = ["ContractCosts", "contract_costs", "spread_m"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class ContractCosts:
    """Contract cost components of many bundles. Arrays are indexed by bundle.

    Attributes
    ----------
    staff_by_role_yuan
        Role -> staff cost of the bundle's pooled posts. [yuan/year]
    headcount_fte_by_role
        Role -> pooled headcount after rounding to posts. [FTE]
    margin_yuan, fixed_yuan, travel_yuan, jobs_yuan
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


def contract_costs(
    bundle: IntArray,
    member: IntArray,
    n_bundles: int,
    *,
    residual_fte: dict[str, FloatArray],
    households: FloatArray,
    x_m: FloatArray,
    y_m: FloatArray,
    jobs_yuan: FloatArray,
    fixed_fee_yuan: FloatArray | float,
    shared: SharedProperty,
    staffing: StaffingParams,
) -> ContractCosts:
    """Price many bundles at once (vectorised; no loop over bundles or compounds).

    Parameters
    ----------
    bundle, member
        Long-format membership: pair ``j`` says compound ``member[j]`` is in bundle
        ``bundle[j]`` (bundle numbers ``0..n_bundles-1``).
    n_bundles
        Number of bundles.
    residual_fte
        Role -> each compound's demand left for the company. [FTE]
    households
        Each compound's households. [households]
    x_m, y_m
        Each compound's location. [m]
    jobs_yuan
        Each compound's per-use jobs at the contract's discount. [yuan/year]
    fixed_fee_yuan
        Fixed fee per crew, one per bundle or a scalar. [yuan/year]
    shared
        The contract terms (margin, travel, crew size).
    staffing
        Norms, wages and on-costs.

    Returns
    -------
    ContractCosts
    """
    b = np.asarray(bundle, dtype=np.int64)
    m = np.asarray(member, dtype=np.int64)
    members = np.bincount(b, minlength=n_bundles).astype(np.float64)
    hh = np.bincount(b, weights=households[m], minlength=n_bundles)
    needed = np.maximum.reduce([
        np.ceil(hh / shared.households_per_crew - 1e-9),
        np.ceil(members / shared.compounds_per_crew - 1e-9),
        np.ones_like(hh),
    ])
    crews: FloatArray = np.where(members > 0, needed, 0.0)
    per_crew = shared.posts_pooled_per == "crew"
    sharing = np.maximum(crews, 1.0) if per_crew else 1.0
    staff: dict[str, FloatArray] = {}
    heads: dict[str, FloatArray] = {}
    for role in ROLES:
        rp = getattr(staffing, role)
        pooled = np.bincount(b, weights=residual_fte[role][m], minlength=n_bundles)
        heads[role] = round_headcount_fte(pooled / sharing, rp.headcount_step_fte) * sharing
        staff[role] = annual_wage_cost_yuan(heads[role], rp.monthly_wage_yuan,
                                            staffing.social_insurance_rate, staffing.welfare_rate)
    staff_total = sum_arrays((staff[r] for r in ROLES), like=staff[ROLES[0]])
    spread = spread_m(b, x_m[m], y_m[m], n_bundles)
    margin = shared.contract_margin_rate * staff_total
    fixed: FloatArray = np.asarray(fixed_fee_yuan, dtype=np.float64) * crews
    travel = shared.travel_yuan_per_m_year * np.maximum(members - 1, 0) * spread
    jobs = np.bincount(b, weights=jobs_yuan[m], minlength=n_bundles).astype(np.float64)
    total = staff_total + margin + fixed + travel + jobs
    return ContractCosts(staff, heads, margin, fixed, travel, jobs, crews.astype(np.float64),
                         members, hh.astype(np.float64), spread, total)
