"""The cost of a shared-property contract: the characteristic function of the bundling game.

:func:`contract_costs` prices any number of candidate bundles at once. A bundle is a
set of compounds; many bundles are given in *long format*: parallel arrays
``(bundle, member)`` naming which compound belongs to which bundle (a compound may
appear in many candidate bundles). The 4+1 budget prices the plan's bundles with the
same function, so a bundle's contract price is the same wherever it is computed.

Per bundle ``S`` (all money in [yuan/year])::

    crews(S)   = max(ceil(households(S) / households_per_crew),
                     ceil(|S| / compounds_per_crew))          (span of control)
    posts_r(S) = k * ceil(sum_{i in S} standing_hours_{i,r} / hours_per_post(r) / (k step_r))
                 * step_r, with k = 1 (posts pooled over the contract) or k = crews(S)
                 (each crew has its own whole posts: SharedProperty.posts_pooled_per)
    staff(S)   = sum over roles r of posts_r(S) * formal cost of a post of r
                 (propfee.staffing; hours by the hour where the market hires informally)
    margin(S)  = contract_margin_rate * staff(S)
    fixed(S)   = fixed_fee_yuan * crews(S)       (only where the contract has standing staff)
    travel(S)  = travel_yuan_per_m_year * (|S| - 1) * spread_m(S)   (likewise)
    jobs(S)    = sum_{i in S} jobs_i             (per-use jobs at the contract's discount)
    trips(S)   = ceil(|S| / members_per_trip)    (trips a round of visits to every member takes)
    callout(S) = sum_{i in S} callout_i * trips(S) / |S|
    rounds(S)  = sum_{i in S} visits_i / |S|      (rounds of call-out visits a year)
    drive(S)   = rounds(S) * tour_m(S) / 1,000 * travel_yuan_per_km
    c(S)       = staff + margin + fixed + travel + jobs + callout + drive

A call-out trip serves at most ``members_per_trip`` members (a dated parameter), so a
bundle of ``n`` pays ``ceil(n / members_per_trip)`` trips a round, split among them: a
member of a bundle of 3 pays a third of its call-outs, of a bundle of 4 a half.
``spread_m`` is the diagonal of the members' bounding box [m]; ``tour_m`` the shortest
closed tour through the members (:func:`closed_tour_m`), which a round of visits drives
between them (the drive from the company to the first member is in the call-out fee), so
a compact bundle costs less than a scattered one. Whole posts and whole
crews make the game neither concave nor convex, so its core can be empty; shared
call-outs make it subadditive where posts do not get in the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from propfee._arrays import sum_arrays
from propfee.params.model import ParameterSet
from propfee.params.values import ParamValues
from propfee.staffing import ROLES, annual_staff_cost_yuan, hours_per_post, round_headcount_fte

if TYPE_CHECKING:
    from propfee.channels.shared_property import SharedProperty

__all__ = ["EXACT_TOUR_MEMBERS", "ContractCosts", "callout_travel_yuan", "closed_tour_m",
           "contract_costs", "spread_m", "trip_share"]

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
    drive_yuan
        The crew's driving between the members on its rounds of call-out visits
        (:func:`callout_travel_yuan`). [yuan/year]
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
    drive_yuan: FloatArray

    @property
    def staff_yuan(self) -> FloatArray:
        """Staff cost of all roles. [yuan/year]"""
        total: FloatArray = sum_arrays((self.staff_by_role_yuan[r] for r in ROLES),
                                       like=self.total_yuan)
        return total


def trip_share(members: npt.ArrayLike, members_per_trip: npt.ArrayLike) -> FloatArray:
    """Share of its call-outs a member of a bundle pays: ``ceil(n / k) / n``. [1]

    Parameters
    ----------
    members
        Members of the bundle ``n`` (at least 1). [compounds]
    members_per_trip
        Members one trip can serve ``k``. [compounds/trip]

    Examples
    --------
    With three members a trip: alone 1, bundles of 2 and 3 a half and a third, of 4 a
    half again (two trips), of 6 a third.

    >>> trip_share([1, 2, 3, 4, 6], 3.0).round(4).tolist()
    [1.0, 0.5, 0.3333, 0.5, 0.3333]
    """
    n = np.maximum(np.asarray(members, dtype=np.float64), 1.0)
    return np.atleast_1d(np.ceil(n / np.asarray(members_per_trip, dtype=np.float64) - 1e-9) / n)


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


EXACT_TOUR_MEMBERS = 7
"""Largest bundle whose closed tour is found exactly, over every order of its members
(720 orders at 7); beyond, the best nearest-neighbour tour from every member. [compounds]"""


def closed_tour_m(bundle: npt.ArrayLike, x_m: npt.ArrayLike, y_m: npt.ArrayLike,
                  n_bundles: int) -> FloatArray:
    """The shortest closed tour through each bundle's members (straight lines).

    Exact up to :data:`EXACT_TOUR_MEMBERS` located members (every order, vectorised over
    the bundles of a size); beyond, the shortest of the nearest-neighbour tours started
    from each member (an upper bound). A tour does not depend on the members' order.
    Members without a location are left out.

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
        Tour of each bundle: 0 for fewer than two located members, twice the distance
        for two. [m]

    Examples
    --------
    Three members on a 300-400-500 triangle; a square of side 100 (its diagonals are no
    shorter way round):

    >>> closed_tour_m([0, 0, 0, 1, 1, 1, 1, 2], [0, 300, 300, 0, 100, 0, 100, 5.0],
    ...               [0, 0, 400, 0, 100, 100, 0, 5.0], 3).tolist()
    [1200.0, 400.0, 0.0]
    """
    b = np.asarray(bundle, dtype=np.int64)
    x = np.asarray(x_m, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    located = np.isfinite(x) & np.isfinite(y)
    b, x, y = b[located], x[located], y[located]
    order = np.argsort(b, kind="stable")
    b, x, y = b[order], x[order], y[order]
    size = np.bincount(b, minlength=n_bundles)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    tour = np.zeros(n_bundles)
    for s in np.unique(size[size >= 2]):
        which = np.flatnonzero(size == s)
        rows = start[which][:, None] + np.arange(s)[None, :]
        pts = np.stack([x[rows], y[rows]], axis=-1)  # (bundles, s, 2)
        d = np.hypot(*np.moveaxis(pts[:, :, None, :] - pts[:, None, :, :], -1, 0))
        tour[which] = _exact_tours(d) if s <= EXACT_TOUR_MEMBERS else _nearest_tours(d)
    return tour


def _exact_tours(d: FloatArray) -> FloatArray:
    """Shortest closed tour of each distance matrix ``d[k]`` (every order from member 0)."""
    from itertools import permutations

    s = d.shape[1]
    orders = np.array([(0, *p) for p in permutations(range(1, s))], dtype=np.int64)
    nxt = np.roll(orders, -1, axis=1)
    best = np.full(d.shape[0], np.inf)
    for chunk in range(0, len(orders), 120):
        o, n = orders[chunk:chunk + 120], nxt[chunk:chunk + 120]
        length = d[:, o, n].sum(axis=2)  # (bundles, orders)
        best = np.minimum(best, length.min(axis=1))
    return best


def _nearest_tours(d: FloatArray) -> FloatArray:
    """The shortest nearest-neighbour tour from every member of each matrix ``d[k]``."""
    k, s, _ = d.shape
    starts = np.repeat(np.arange(k), s), np.tile(np.arange(s), k)
    dist = d[starts[0]]  # (k*s, s, s): one copy a start
    here = starts[1].copy()
    seen = np.zeros((k * s, s), dtype=bool)
    seen[np.arange(k * s), here] = True
    length = np.zeros(k * s)
    rows = np.arange(k * s)
    for _ in range(s - 1):
        step = np.where(seen, np.inf, dist[rows, here])
        nxt = np.argmin(step, axis=1)
        length += step[rows, nxt]
        seen[rows, nxt] = True
        here = nxt
    length += dist[rows, here, starts[1]]
    best: FloatArray = length.reshape(k, s).min(axis=1)
    return best


def callout_travel_yuan(bundle: npt.ArrayLike, member: npt.ArrayLike, n_bundles: int, *,
                        visits_per_year: FloatArray, x_m: FloatArray, y_m: FloatArray,
                        yuan_per_km: FloatArray | float) -> FloatArray:
    """The crew's driving between a bundle's members on its rounds of call-out visits.

    ``rounds(S) * tour_m(S) / 1,000 * yuan_per_km``, with ``rounds(S)`` the members'
    mean call-out visits a year (a round visits every member once) and ``tour_m`` the
    shortest closed tour through them (:func:`closed_tour_m`). Nothing for a compound
    alone: its drive from the company is in the call-out fee.

    Parameters
    ----------
    bundle, member
        Long-format membership (see :func:`contract_costs`).
    n_bundles
        Number of bundles.
    visits_per_year
        Each compound's call-out visits. [visits/year]
    x_m, y_m
        Each compound's location. [m]
    yuan_per_km
        Driving cost, one per bundle or a scalar. [yuan/km]

    Returns
    -------
    numpy.ndarray
        Per bundle. [yuan/year]

    Examples
    --------
    Members on a 300-400-500 triangle with 10, 20 and 30 visits a year: 20 rounds of a
    1.2 km tour at 6 yuan/km, 144 yuan a year.

    >>> callout_travel_yuan([0, 0, 0], [0, 1, 2], 1, visits_per_year=np.array(
    ...     [10.0, 20.0, 30.0]), x_m=np.array([0.0, 300, 300]),
    ...     y_m=np.array([0.0, 0, 400]), yuan_per_km=6.0).round(6).tolist()
    [144.0]
    """
    b = np.asarray(bundle, dtype=np.int64)
    m = np.asarray(member, dtype=np.int64)
    members = np.maximum(np.bincount(b, minlength=n_bundles), 1)
    rounds = np.bincount(b, weights=visits_per_year[m], minlength=n_bundles) / members
    tour = closed_tour_m(b, x_m[m], y_m[m], n_bundles)
    drive: FloatArray = rounds * tour / 1000.0 * np.asarray(yuan_per_km, dtype=np.float64)
    return drive


def _by_bundle(values: ParamValues, bundle: IntArray, member: IntArray,
               n_bundles: int) -> ParamValues:
    """Parameter values per bundle: where a value varies by compound, the value of the
    bundle's first member (the members of a bundle share one parameter draw)."""
    if not values.varies:
        return values
    first = np.zeros(n_bundles, dtype=np.int64)
    order = np.arange(len(bundle) - 1, -1, -1)
    first[bundle[order]] = member[order]  # the last write is the first pair of each bundle
    return values.take(first)


def contract_costs(
    bundle: IntArray,
    member: IntArray,
    n_bundles: int,
    *,
    standing_hours: Mapping[str, FloatArray],
    households: FloatArray,
    x_m: FloatArray,
    y_m: FloatArray,
    fixed_fee_yuan: FloatArray | float,
    shared: SharedProperty,
    params: ParameterSet | ParamValues,
    jobs_yuan: FloatArray | None = None,
    callout_yuan: FloatArray | None = None,
    visits_per_year: FloatArray | None = None,
) -> ContractCosts:
    """Price many bundles at once (vectorised; no loop over bundles or compounds).

    Parameters
    ----------
    bundle, member
        Long-format membership: pair ``j`` says compound ``member[j]`` is in bundle
        ``bundle[j]`` (bundle numbers ``0..n_bundles-1``).
    n_bundles
        Number of bundles.
    standing_hours
        Role -> each compound's hours for the contract's standing posts (roles not
        given: none). [h/year]
    households
        Each compound's households. [households]
    x_m, y_m
        Each compound's location. [m]
    fixed_fee_yuan
        Fixed fee per crew, one per bundle or a scalar. [yuan/year]
    shared
        The contract terms (margin, travel, crew size).
    params
        Parameter set (or its values by path): wages, on-costs, labour terms, the
        market's hiring mode, members a trip serves.
    jobs_yuan
        Each compound's per-use jobs at the contract's discount (default none). [yuan/year]
    callout_yuan
        Each compound's call-outs at the contract's discount, before sharing (default
        none). [yuan/year]
    visits_per_year
        Each compound's call-out visits, for the drive between members (default none:
        no drive). [visits/year]

    Returns
    -------
    ContractCosts
    """
    b = np.asarray(bundle, dtype=np.int64)
    m = np.asarray(member, dtype=np.int64)
    v = _by_bundle(params if isinstance(params, ParamValues) else ParamValues(params), b, m,
                   n_bundles)
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
    hiring = v.params.labour.market_hiring
    zero = np.zeros(len(households))
    for role in ROLES:
        step = v[f"staffing.{role}.headcount_step_fte"]
        hours = standing_hours.get(role, zero)
        posts = np.bincount(b, weights=hours[m], minlength=n_bundles) / hours_per_post(role, v)
        any_staff |= posts > 0
        # Informal hiring pays the hours worked: no rounding to posts (propfee.staffing).
        heads[role] = (posts if hiring == "informal"
                       else round_headcount_fte(posts / sharing, step) * sharing)
        staff[role] = annual_staff_cost_yuan(role, heads[role], v, hiring)
    crews: FloatArray = np.where(any_staff, crews_if_staffed, 0.0)
    staff_total = sum_arrays((staff[r] for r in ROLES), like=hh)
    spread = spread_m(b, x_m[m], y_m[m], n_bundles)
    margin = np.asarray(shared.contract_margin_rate * staff_total, dtype=np.float64)
    fixed: FloatArray = np.asarray(fixed_fee_yuan, dtype=np.float64) * crews
    travel = np.asarray(shared.travel_yuan_per_m_year * np.maximum(members - 1, 0) * spread
                        * any_staff, dtype=np.float64)
    jobs = np.bincount(b, weights=(zero if jobs_yuan is None else jobs_yuan)[m],
                       minlength=n_bundles).astype(np.float64)
    callout: FloatArray = np.bincount(
        b, weights=(zero if callout_yuan is None else callout_yuan)[m], minlength=n_bundles
    ) * trip_share(members, v["contracts.members_per_trip"])
    drive = (np.zeros(n_bundles) if visits_per_year is None else callout_travel_yuan(
        b, m, n_bundles, visits_per_year=visits_per_year, x_m=x_m, y_m=y_m,
        yuan_per_km=v["contracts.travel_yuan_per_km"]))
    total = np.asarray(staff_total + margin + fixed + travel + jobs + callout + drive,
                       dtype=np.float64)
    return ContractCosts(staff, heads, margin, fixed, travel, jobs, callout,
                         crews.astype(np.float64), members, hh.astype(np.float64), spread, total,
                         drive)
