"""Channel 2, shared property (共享物业承接管): one company, one agreement, several compounds.

As the district runs it, the shared company's service is a catalogue of professional
jobs charged **per use, below market price** (pipe dredging, wall repair, road
levelling...). What a bundle shares is the company: its call-outs and travel. Standing
posts (cleaners, guards, a site manager) are an explicit, optional part of a contract
(``standing_roles``), not the default.

Per compound and job (all money [yuan/year])::

    quantity     = units of the job's basis (propfee.channels.common.basis_quantity)
    uses         = quantity * uses_per_basis_year * min(1 + age_growth_per_year * age,
                   age_factor_cap)                                        [uses/year]
    visits_alone = uses / uses_per_visit                                  [visits/year]
    job          = uses * market_price_yuan_per_use * (1 - discount_rate)
    call_out     = visits_alone * callout_yuan_per_visit * (1 - discount_rate)
                   / min(members of the bundle, compounds_per_visit)
    at market    = uses * market_price_yuan_per_use + visits_alone * callout_yuan_per_visit

A bundle's company combines the visits of up to ``compounds_per_visit`` members into
one trip, so each member pays its call-outs divided by that number: this is where
bundling saves on per-use work. The standing part of a contract (posts, margin, crew
fee, travel) is priced by :func:`propfee.channels.contract.contract_costs`.

With the channel switched off (a what-if, and the empty coalition of the channel
credit) a market company serves each compound alone: jobs and call-outs at market
price, standing posts rounded per compound with the market's margin and taxes.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Annotated, Final, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator

from propfee._arrays import sum_arrays
from propfee.channels.common import (
    Basis,
    LineSpec,
    Name,
    NonNeg,
    PlanModel,
    Rate,
    Role,
    unique_names,
)
from propfee.channels.contract import contract_costs
from propfee.money import GroupLayout, fen_to_yuan, yuan_to_fen

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["Bundle", "PerUseJob", "SharedProperty", "apply", "expected_uses_per_year"]

FloatArray = npt.NDArray[np.float64]


class PerUseJob(PlanModel):
    """A professional job charged per use.

    Attributes
    ----------
    name
        Job name (``pipe_dredging``, ``wall_repair``, ``road_levelling``...).
    basis
        What uses are counted against (``building``, ``pipe_m``, ``tree``...).
    uses_per_basis_year
        Expected uses per unit of the basis a year in a new compound. [uses/(unit year)]
    age_growth_per_year
        Growth of the use rate per year of building age. [1/year]
    age_factor_cap
        Upper limit of the age factor ``1 + age_growth_per_year * age``. [1]
    market_price_yuan_per_use
        What a market company charges for one use, call-out excluded. [yuan/use]
    discount_rate
        The shared contract's discount below market price. [1]
    callout_yuan_per_visit
        Market call-out fee of one visit (travel, mobilisation). [yuan/visit]
    uses_per_visit
        Uses one visit does in one compound (20 trees pruned in one visit). [uses/visit]
    """

    name: Name
    basis: Basis
    uses_per_basis_year: NonNeg
    age_growth_per_year: NonNeg = 0.0
    age_factor_cap: Annotated[float, Field(ge=1.0, allow_inf_nan=False)] = 3.0
    market_price_yuan_per_use: NonNeg
    discount_rate: Rate
    callout_yuan_per_visit: NonNeg = 0.0
    uses_per_visit: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 1.0


class Bundle(PlanModel):
    """An explicit bundle of compounds under one shared-property contract.

    Attributes
    ----------
    bundle_id
        Identifier of the contract.
    members
        Compound ids of the members.
    fixed_fee_yuan_per_year
        The contract's fixed service fee; ``None`` takes the plan's default. [yuan/year]
    """

    bundle_id: Annotated[str, Field(min_length=1)]
    members: tuple[str, ...] = Field(min_length=1, strict=False)
    fixed_fee_yuan_per_year: NonNeg | None = None


class SharedProperty(PlanModel):
    """The shared-property contracts of a plan.

    Attributes
    ----------
    bundle_by
        How compounds are bundled: ``"none"`` (each alone), ``"zone"`` or ``"street"``
        (one contract per value of that column), or ``"explicit"`` (``bundles``;
        compounds in no bundle are alone).
    bundles
        Explicit bundles (``bundle_by="explicit"``).
    standing_roles
        Roles the company staffs with standing posts, pooled over the bundle; empty
        (the default): the contract is per-use jobs only.
    compounds_per_visit
        Members whose jobs one visit of the company can combine. [compounds/visit]
    fixed_fee_yuan_per_bundle_year
        The company's fixed fee per crew of a contract with standing posts (site
        office, shared manager, equipment), split among members by floor area. [yuan/year]
    contract_margin_rate
        All-in margin of the company on the standing staff it provides (profit and
        taxes). [1]
    travel_yuan_per_m_year
        Travel and coordination cost of a contract per metre of spread per extra member:
        ``travel = travel_yuan_per_m_year * (members - 1) * spread_m``, where the spread
        is the diagonal of the members' bounding box. [yuan/(m year)]
    households_per_crew
        Households one crew (site manager and team) can serve. [households/crew]
    compounds_per_crew
        Compounds one crew can serve (span of control). A contract needs
        ``max(ceil(households / households_per_crew), ceil(members / compounds_per_crew))``
        crews and pays the fixed fee per crew. [compounds/crew]
    posts_pooled_per
        ``"contract"``: the company moves staff between its crews, so each role's posts
        are rounded up once, on the contract's pooled demand. ``"crew"``: every crew has
        its own whole posts; the contract's demand is shared evenly among its crews and
        each crew's share rounded up (large contracts then waste a part-post per crew).
    jobs
        Per-use jobs, each with a unique name.
    """

    bundle_by: Literal["none", "zone", "street", "explicit"] = "zone"
    bundles: Annotated[tuple[Bundle, ...], Field(strict=False)] = ()
    standing_roles: Annotated[tuple[Role, ...], Field(strict=False)] = ()
    compounds_per_visit: Annotated[float, Field(ge=1, allow_inf_nan=False)] = 3.0
    fixed_fee_yuan_per_bundle_year: NonNeg = 0.0
    contract_margin_rate: Rate = 0.10
    travel_yuan_per_m_year: NonNeg = 2.0
    households_per_crew: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 1500.0
    compounds_per_crew: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 4.0
    posts_pooled_per: Literal["contract", "crew"] = "contract"
    jobs: Annotated[tuple[PerUseJob, ...], Field(strict=False)] = ()

    @field_validator("jobs")
    @classmethod
    def _unique_jobs(cls, jobs: tuple[PerUseJob, ...]) -> tuple[PerUseJob, ...]:
        unique_names(jobs)
        return jobs

    @field_validator("bundles")
    @classmethod
    def _disjoint(cls, bundles: tuple[Bundle, ...]) -> tuple[Bundle, ...]:
        unique_names(bundles, key="bundle_id")
        seen: dict[str, str] = {}
        for b in bundles:
            for m in b.members:
                if m in seen:
                    raise ValueError(
                        f"compound {m!r} is in bundles {seen[m]!r} and {b.bundle_id!r}"
                    )
                seen[m] = b.bundle_id
        return bundles


def age_factor_capped(
    age_years: npt.ArrayLike, growth_per_year: npt.ArrayLike, cap: npt.ArrayLike
) -> FloatArray:
    """``min(1 + growth_per_year * age_years, cap)``. [1]

    Examples
    --------
    >>> age_factor_capped([0, 34, 100], 0.04, 2.0).tolist()
    [1.0, 2.0, 2.0]
    """
    return np.atleast_1d(np.minimum(
        1.0 + np.asarray(growth_per_year, dtype=np.float64) * np.asarray(age_years), cap))


def expected_uses_per_year(
    quantity: npt.ArrayLike,
    uses_per_basis_year: npt.ArrayLike,
    age_years: npt.ArrayLike,
    age_growth_per_year: npt.ArrayLike,
    age_factor_cap: npt.ArrayLike = np.inf,
) -> FloatArray:
    """Expected uses of a per-use job in a year, growing with size and age.

    ``uses = quantity * uses_per_basis_year * min(1 + age_growth_per_year * age, cap)``

    Parameters
    ----------
    quantity
        Units of the job's basis. [units]
    uses_per_basis_year
        Base rate in a new compound. [uses/(unit year)]
    age_years
        Building age. [year]
    age_growth_per_year
        Growth per year of age. [1/year]
    age_factor_cap
        Upper limit of the age factor. [1]

    Returns
    -------
    numpy.ndarray
        Expected uses. [uses/year]

    Examples
    --------
    4 buildings, one dredging a building a year when new, 34 years old, +5% a year of
    age, capped at 3: 4 x 1 x min(1 + 0.05 x 34, 3) = 4 x 2.7 = 10.8 uses a year.

    >>> round(float(expected_uses_per_year(4, 1.0, 34, 0.05, 3.0)[0]), 6)
    10.8
    """
    return np.atleast_1d(
        np.asarray(quantity, dtype=np.float64) * np.asarray(uses_per_basis_year)
        * age_factor_capped(age_years, age_growth_per_year, age_factor_cap)
    )


JOB_BLOCK: Final = 16_384
"""Compound-jobs priced together: every job of a few compounds at once (one row a job),
a large piece's jobs one by one (so the work stays in the CPU cache)."""


def _price_jobs(ctx: ChannelInputs, jobs: tuple[PerUseJob, ...], on: npt.NDArray[np.bool_],
                sharing: FloatArray) -> None:
    """Expected uses, unit prices and shared call-outs of every job, one row a job (in
    blocks of jobs), at the contract's discount where the channel is on."""
    quantity: dict[str, FloatArray] = {job.basis: ctx.quantity(job.basis) for job in jobs}
    block = max(JOB_BLOCK // max(len(ctx), 1), 1)
    for first in range(0, len(jobs), block):
        _price_job_block(ctx, jobs[first:first + block], quantity, on, sharing)


def _price_job_block(ctx: ChannelInputs, jobs: tuple[PerUseJob, ...],
                     quantity: dict[str, FloatArray], on: npt.NDArray[np.bool_],
                     sharing: FloatArray) -> None:
    names = tuple(job.name for job in jobs)

    def rows(field: str) -> FloatArray:
        return ctx.plan.rows("shared_property", names, field)

    uses = expected_uses_per_year(np.stack([quantity[job.basis] for job in jobs]),
                                  rows("uses_per_basis_year"), ctx.age_years,
                                  rows("age_growth_per_year"), rows("age_factor_cap"))
    visits = uses / rows("uses_per_visit")
    unit = uses * rows("market_price_yuan_per_use")
    callout = visits * rows("callout_yuan_per_visit")
    keep = np.where(on, 1.0 - rows("discount_rate"), 1.0)
    unit_kept = unit * keep
    callout_kept = callout * keep
    callout_shared = callout_kept / sharing
    job_yuan = unit_kept + callout_shared
    for i, job in enumerate(jobs):
        keys, (unit_line, callout_line) = _job_names(job.name)
        details = ctx.details
        details[keys[0]] = uses[i]
        details[keys[1]] = unit_kept[i]
        details[keys[2]] = callout_kept[i]
        details[keys[3]] = job_yuan[i]
        ctx.add(unit_line, unit_kept[i])
        ctx.add(callout_line, callout_shared[i])
    # Job by job, left to right, into one running total: the same additions in the same
    # order whatever the blocks and however many compounds (a reduction over one
    # compound's column would add in pairs, and blocks would group the jobs).
    total = ctx.jobs_at_market_yuan.copy()
    for market in unit + callout:
        np.add(total, market, out=total)
    ctx.jobs_at_market_yuan = total


@functools.lru_cache(maxsize=256)
def _job_names(name: str) -> tuple[tuple[str, str, str, str], tuple[LineSpec, LineSpec]]:
    """A job's detail keys and its two lines (unit price, shared call-outs)."""
    return ((f"uses:{name}", f"job_unit:{name}", f"job_callout:{name}", f"job_yuan:{name}"),
            (LineSpec(f"job_{name}", "shared_property", "upkeep", "fund_pool", "per_use"),
             LineSpec(f"job_{name}_callout", "shared_property", "upkeep", "fund_pool",
                      "per_use")))


def apply(ctx: ChannelInputs) -> None:
    """Price the per-use jobs and the standing part of each contract; split it in fen.

    Needs every other channel's take of demand first: standing posts staff what is
    left of the ``standing_roles``. Where the contract has jobs and no standing
    maintenance posts, the jobs meet what is left of the maintenance demand.
    """
    on = ctx.on["shared_property"] == 1.0
    sp = ctx.plan.plan.shared_property
    n = len(ctx)
    # Compounds whose channel is off are each their own bundle in the resolved plan
    # (PlanArrays.alone): a market company serves them alone at market prices.
    code, n_bundles = ctx.plan.bundle_code, len(ctx.plan.bundle_ids)
    fixed = ctx.plan.bundle_fixed_fee_yuan
    members = np.bincount(code, minlength=n_bundles)[code].astype(np.float64)
    sharing = np.where(on, np.minimum(members, sp.compounds_per_visit), 1.0)
    market = np.bincount(code, weights=~on, minlength=n_bundles) > 0
    if sp.jobs:
        _price_jobs(ctx, sp.jobs, on, sharing)
    if sp.jobs and "maintenance" not in sp.standing_roles:
        # The catalogue of jobs is how the company meets the maintenance work.
        ctx.take("shared_property", "maintenance", ctx.remaining["maintenance"])
    standing = {role: (ctx.remaining[role] if role in sp.standing_roles else np.zeros(n))
                for role in ctx.remaining}
    for role in sp.standing_roles:
        ctx.take("shared_property", role, ctx.remaining[role])
    if not sp.standing_roles:
        return
    floor = ctx.table.array("floor_area_m2")
    t = ctx.table
    contract = contract_costs(
        code, np.arange(n), n_bundles, standing_fte=standing, households=t.array("households"),
        x_m=t.array("x_m"), y_m=t.array("y_m"), fixed_fee_yuan=fixed, shared=sp,
        params=ctx.params, market=market,
    )
    roles = list(sp.standing_roles)
    layout = GroupLayout(code, t.text("compound_id"), n_bundles)
    staff_fen = layout.allocate(
        np.stack([yuan_to_fen(contract.staff_by_role_yuan[r]) for r in roles]),
        np.stack([standing[r] for r in roles]),
    )
    for role, share in zip(roles, staff_fen, strict=True):
        ctx.lines_fen[LineSpec(f"contract_staff_{role}", "shared_property", "staff",
                               "residents_fees", "standing")] = share
    staff_share = sum_arrays(fen_to_yuan(staff_fen), like=floor)
    other_fen = layout.allocate(
        yuan_to_fen(np.stack([contract.margin_yuan, contract.fixed_yuan, contract.travel_yuan])),
        np.stack([staff_share, floor, floor]),
    )
    for spec, share in zip((
        LineSpec("contract_margin", "shared_property", "margin", "residents_fees", "standing"),
        LineSpec("contract_fixed_fee", "shared_property", "overhead", "residents_fees",
                 "standing"),
        LineSpec("contract_travel", "shared_property", "other", "residents_fees", "standing"),
    ), other_fen, strict=True):
        ctx.lines_fen[spec] = share
    for spec, share in ctx.lines_fen.items():
        ctx.add(spec, fen_to_yuan(share))
