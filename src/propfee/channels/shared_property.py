"""Channel 2, shared property (共享物业承接管): one company, one contract, several compounds.

Neighbouring compounds are bundled under one contract. The company staffs the work
that volunteers, devices and the street do not take over; because posts are sized on
the *bundle's* pooled demand, fractional needs of small compounds pool into whole
posts. Professional jobs (pipe dredging, wall repair, road levelling) are charged per
use, below market price.

Formulas::

    residual_fte[i, role]  = demand left after street, devices and volunteers
    bundle_fte[b, role]    = ceil(sum_i residual_fte / step) * step    (step: the role's
                             headcount_step_fte; one compound alone = stand-alone rounding)
    bundle_staff_yuan[b]   = bundle_fte * monthly_wage * 12 * (1 + social_insurance + welfare)
    margin[b]              = contract_margin_rate * bundle_staff_yuan  (all-in: margin, taxes)
    crews[b]               = max(ceil(households / households_per_crew),
                                 ceil(members / compounds_per_crew))
    fixed[b]               = fixed_fee_yuan_per_bundle_year * crews
    travel[b]              = travel_yuan_per_m_year * (members - 1) * spread_m
    compound shares        = staff split in fen by residual_fte; margin with its staff;
                             fixed fee and travel split in fen by floor area
    uses_per_year          = uses_per_10000_m2_year * floor_area_m2 / 10,000
                             * (1 + age_growth_per_year * age_years)
    job_yuan               = uses_per_year * market_price_yuan_per_use * (1 - discount_rate)
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator

from propfee.channels.common import Name, NonNeg, PlanModel, Rate, unique_names

__all__ = ["Bundle", "PerUseJob", "SharedProperty", "expected_uses_per_year"]

FloatArray = npt.NDArray[np.float64]


class PerUseJob(PlanModel):
    """A professional job charged per use.

    Attributes
    ----------
    name
        Job name (``pipe_dredging``, ``wall_repair``, ``road_levelling``...).
    market_price_yuan_per_use
        What a market company charges for one use. [yuan/use]
    discount_rate
        The shared contract's discount below market price. [1]
    uses_per_10000_m2_year
        Expected uses per 10,000 m2 of floor area in a new compound. [uses/(10,000 m2 year)]
    age_growth_per_year
        Growth of the use rate per year of building age. [1/year]
    """

    name: Name
    market_price_yuan_per_use: NonNeg
    discount_rate: Rate
    uses_per_10000_m2_year: NonNeg
    age_growth_per_year: NonNeg = 0.0


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
    fixed_fee_yuan_per_bundle_year
        The company's fixed fee per contract (site office, shared manager, equipment),
        split among members by floor area. [yuan/year]
    contract_margin_rate
        All-in margin of the company on the staff it provides (profit and taxes). [1]
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
    fixed_fee_yuan_per_bundle_year: NonNeg = 24000.0
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


def expected_uses_per_year(
    uses_per_10000_m2_year: npt.ArrayLike,
    floor_area_m2: npt.ArrayLike,
    age_years: npt.ArrayLike,
    age_growth_per_year: npt.ArrayLike,
) -> FloatArray:
    """Expected uses of a per-use job in a year, growing with size and age.

    ``uses = uses_per_10000_m2_year * floor_area_m2 / 10,000 * (1 + age_growth_per_year * age)``

    Parameters
    ----------
    uses_per_10000_m2_year
        Base rate. [uses/(10,000 m2 year)]
    floor_area_m2
        Floor area. [m2]
    age_years
        Building age. [year]
    age_growth_per_year
        Growth per year of age. [1/year]

    Returns
    -------
    numpy.ndarray
        Expected uses. [uses/year]

    Examples
    --------
    2 dredgings per 10,000 m2 a year, 10,000 m2, 34 years old, +5% a year of age:
    2 x 1 x (1 + 0.05 x 34) = 5.4 uses a year.

    >>> round(float(expected_uses_per_year(2.0, 10000.0, 34, 0.05)[0]), 6)
    5.4
    """
    return np.atleast_1d(
        np.asarray(uses_per_10000_m2_year, dtype=np.float64)
        * np.asarray(floor_area_m2, dtype=np.float64) / 10000.0
        * (1.0 + np.asarray(age_growth_per_year) * np.asarray(age_years, dtype=np.float64))
    )
