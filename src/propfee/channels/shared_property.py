"""Channel 2, shared property (共享物业承接管): one company, one agreement, several compounds.

As the district runs it, the shared company supplies the jobs of the catalogue
(:attr:`propfee.params.model.ParameterSet.jobs`: pipe dredging, wall repair, road
levelling...) **per use, below market price**. What a bundle shares is the company: its
call-out trips. Standing posts (cleaners, guards, a site manager) are an explicit,
optional part of a contract (``standing_work``), not the default.

Per compound and job the contract covers (all money [yuan/year])::

    supplied  = what is left of the job's uses after the channels before    [uses/year]
    job       = supplied * market_price_yuan_per_use * (1 - discount_rate)
    visits    = supplied / uses_per_visit                                   [visits/year]
    call_out  = visits * callout_yuan_per_visit * (1 - discount_rate)
                * ceil(n / members_per_trip) / n         (n members of the bundle)

and per bundle the crew's drive between its members on its rounds of visits
(:func:`propfee.channels.contract.callout_travel_yuan`: the members' mean visits a year,
times the shortest closed tour through them, times ``contracts.travel_yuan_per_km``),
split among the members in whole fen by their visits (largest remainder); nothing for a
compound alone or members without a location.

Standing posts supply what is left of the ``standing_work`` hour categories, pooled over
the bundle and priced by :func:`propfee.channels.contract.contract_costs`; each role's
staff cost is split among the members in proportion to their **gross** demand of that
work (at the plan's grade, before any channel), so a channel that lowers the pooled
posts never raises a member's share; margin by the staff shares, crew fee and travel by
floor area, all in whole fen (largest remainder).

With the channel switched off (a what-if, and the empty coalition of the channel credit)
the company supplies nothing: the jobs are bought at market price with a whole trip a
visit, and the posts from a market company serving the compound alone
(:mod:`propfee.work.market`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator

from propfee.channels.common import Item, LineSpec, PlanModel, Price, Rate, Section
from propfee.channels.contract import callout_travel_yuan, contract_costs, trip_share
from propfee.money import GroupLayout, fen_to_yuan, yuan_to_fen
from propfee.work.categories import HOUR_CATEGORIES, ROLE_OF

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["Bundle", "JobTerms", "SharedProperty", "apply"]

FloatArray = npt.NDArray[np.float64]


class JobTerms(Item):
    """A job of the catalogue the shared company does, and its discount.

    Attributes
    ----------
    name
        The job (a name of the parameter set's job catalogue).
    discount_rate
        The contract's discount below market price. [1]
    """

    discount_rate: Rate


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

    bundle_id: Annotated[str, Field(min_length=1, max_length=200)]
    members: tuple[str, ...] = Field(min_length=1, max_length=100_000, strict=False)
    fixed_fee_yuan_per_year: Price | None = None


class SharedProperty(Section[JobTerms]):
    """The shared-property contracts of a plan (items: the jobs they cover).

    Attributes
    ----------
    bundle_by
        How compounds are bundled: ``"none"`` (each alone), ``"zone"`` or ``"street"``
        (one contract per value of that column), or ``"explicit"`` (``bundles``;
        compounds in no bundle are alone).
    bundles
        Explicit bundles (``bundle_by="explicit"``).
    standing_work
        Hour categories the company staffs with standing posts, pooled over the bundle;
        empty (the default): the contract is per-use jobs only.
    fixed_fee_yuan_per_bundle_year
        The company's fixed fee per crew of a contract with standing posts (site
        office, shared manager, equipment), split among members by floor area. [yuan/year]
    contract_margin_rate
        All-in margin of the company on the standing staff it provides (profit and
        taxes). [1]
    travel_yuan_per_m_year
        Travel and coordination cost of a contract with standing posts, per metre of
        spread per extra member: ``travel = travel_yuan_per_m_year * (members - 1) *
        spread_m``, where the spread is the diagonal of the members' bounding box.
        [yuan/(m year)]
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
        each crew's share rounded up.
    """

    bundle_by: Literal["none", "zone", "street", "explicit"] = "zone"
    bundles: Annotated[tuple[Bundle, ...], Field(strict=False, max_length=1_000_000)] = ()
    standing_work: Annotated[tuple[str, ...], Field(strict=False)] = ()
    fixed_fee_yuan_per_bundle_year: Price = 0.0
    contract_margin_rate: Rate = 0.10
    travel_yuan_per_m_year: Annotated[float, Field(ge=0, le=1e4, allow_inf_nan=False)] = 2.0
    households_per_crew: Annotated[float, Field(gt=0, le=1e7, allow_inf_nan=False)] = 1500.0
    compounds_per_crew: Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)] = 4.0
    posts_pooled_per: Literal["contract", "crew"] = "contract"

    @field_validator("standing_work")
    @classmethod
    def _hour_work(cls, work: tuple[str, ...]) -> tuple[str, ...]:
        odd = [w for w in work if w not in HOUR_CATEGORIES]
        if odd:
            raise ValueError(f"standing posts supply hours of {', '.join(HOUR_CATEGORIES)}; "
                             f"not {', '.join(odd)}")
        if len(set(work)) != len(work):
            raise ValueError(f"a category given twice: {list(work)}")
        return work

    @field_validator("bundles")
    @classmethod
    def _disjoint(cls, bundles: tuple[Bundle, ...]) -> tuple[Bundle, ...]:
        ids = [b.bundle_id for b in bundles]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"bundle ids must be unique; given more than once: {twice}")
        seen: dict[str, str] = {}
        for b in bundles:
            for m in b.members:
                if m in seen:
                    raise ValueError(
                        f"compound {m!r} is in bundles {seen[m]!r} and {b.bundle_id!r}"
                    )
                seen[m] = b.bundle_id
        return bundles


def _members(ctx: ChannelInputs) -> FloatArray:
    """Members of each compound's bundle. [compounds]"""
    code = ctx.bundle_code
    return np.bincount(code, minlength=ctx.n_bundles)[code].astype(np.float64)


def apply(ctx: ChannelInputs, settings: SharedProperty) -> None:
    """Supply the jobs per use and the standing posts; split the contract in fen."""
    if not ctx.any_on("shared_property"):
        return
    rows = ctx.where_on("shared_property")
    share = trip_share(_members(ctx), ctx.values["contracts.members_per_trip"])
    visits = np.zeros(len(ctx))
    for job in settings.items:
        visits = visits + _supply_job(ctx, job.name, rows, share)
    _drive(ctx, visits, rows)
    if settings.standing_work:
        _standing(ctx, settings, rows)


def _drive(ctx: ChannelInputs, visits: FloatArray, rows: npt.NDArray[np.bool_]) -> None:
    """The crew's drive between the members of each bundle, split by visits in fen."""
    t = ctx.table
    n = len(ctx)
    code = ctx.bundle_code
    first = np.zeros(ctx.n_bundles, dtype=np.int64)
    backwards = np.arange(n - 1, -1, -1)
    first[code[backwards]] = backwards  # the last write is each bundle's first member
    per_km = np.broadcast_to(ctx.values["contracts.travel_yuan_per_km"], (n,))[first]
    drive = callout_travel_yuan(code, np.arange(n), ctx.n_bundles,
                                visits_per_year=visits * rows, x_m=t.array("x_m"),
                                y_m=t.array("y_m"), yuan_per_km=per_km)
    if not drive.any():
        return
    layout = GroupLayout(code, t.text("compound_id"), ctx.n_bundles)
    part = layout.allocate(yuan_to_fen(drive)[None, :], (visits * rows)[None, :])[0]
    ctx.add(LineSpec("callout_drive", "shared_property", "other", "fund_pool", "per_use",
                     "*"), fen_to_yuan(part), where=rows & (part > 0))


def _supply_job(ctx: ChannelInputs, name: str, rows: npt.NDArray[np.bool_],
                share: FloatArray) -> FloatArray:
    """One job at the contract's discount, its call-outs shared by the bundle's trips;
    returns its call-out visits. [visits/year]"""
    j = f"jobs.{name}."
    got = ctx.ledger.supply_rest("shared_property", name, where=rows)
    keep = 1.0 - ctx.items.value("shared_property", name, "discount_rate")
    unit = got * ctx.values[j + "market_price_yuan_per_use"] * keep
    callout = (got / ctx.values[j + "uses_per_visit"] * ctx.values[j + "callout_yuan_per_visit"]
               * keep)
    ctx.details[f"job_callout:{name}"] = callout
    ctx.add(LineSpec(f"job_{name}", "shared_property", "upkeep", "fund_pool", "per_use", name),
            unit, where=rows)
    ctx.add(LineSpec(f"job_{name}_callout", "shared_property", "upkeep", "fund_pool",
                     "per_use", name), callout * share, where=rows)
    visits: FloatArray = got / ctx.values[j + "uses_per_visit"]
    return visits


def _standing(ctx: ChannelInputs, settings: SharedProperty,
              rows: npt.NDArray[np.bool_]) -> None:
    """Standing posts: the pooled contract priced once per bundle and split in fen."""
    t = ctx.table
    n = len(ctx)
    roles = sorted({ROLE_OF[w] for w in settings.standing_work},
                   key=list(ROLE_OF.values()).index)
    hours: dict[str, FloatArray] = {r: np.zeros(n) for r in roles}
    gross: dict[str, FloatArray] = {r: np.zeros(n) for r in roles}
    for work in settings.standing_work:
        role = ROLE_OF[work]
        hours[role] = hours[role] + ctx.ledger.supply_rest("shared_property", work, where=rows)
        gross[role] = gross[role] + ctx.ledger.demand(work) * rows
    code = ctx.bundle_code
    contract = contract_costs(
        code, np.arange(n), ctx.n_bundles, standing_hours=hours,
        households=t.array("households"), x_m=t.array("x_m"), y_m=t.array("y_m"),
        fixed_fee_yuan=ctx.bundle_fixed_fee_yuan, shared=settings, params=ctx.values,
    )
    layout = GroupLayout(code, t.text("compound_id"), ctx.n_bundles)
    staff_fen = layout.allocate(
        np.stack([yuan_to_fen(contract.staff_by_role_yuan[r]) for r in roles]),
        np.stack([gross[r] for r in roles]),
    )
    floor = t.array("floor_area_m2")
    work_of = {ROLE_OF[w]: w for w in settings.standing_work}  # one category a role
    for role, part in zip(roles, staff_fen, strict=True):
        ctx.lines_fen[LineSpec(f"contract_staff_{work_of[role]}", "shared_property", "staff",
                               "fund_pool", "standing", work_of[role])] = part
    # The staff shares in whole fen: exact weights, so a tie goes by the compound id.
    staff_share = staff_fen.sum(axis=0).astype(np.float64)
    other_fen = layout.allocate(
        yuan_to_fen(np.stack([contract.margin_yuan, contract.fixed_yuan, contract.travel_yuan])),
        np.stack([staff_share, floor * rows, floor * rows]),
    )
    for spec, part in zip((
        LineSpec("contract_margin", "shared_property", "margin", "fund_pool", "standing", "*"),
        LineSpec("contract_fixed_fee", "shared_property", "overhead", "fund_pool", "standing",
                 "*"),
        LineSpec("contract_travel", "shared_property", "other", "fund_pool", "standing", "*"),
    ), other_fen, strict=True):
        ctx.lines_fen[spec] = part
    for spec, part in ctx.lines_fen.items():
        if spec.channel == "shared_property":
            ctx.add(spec, fen_to_yuan(part), where=rows)
