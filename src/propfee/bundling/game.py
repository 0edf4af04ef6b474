"""The bundling game of a district: per-compound inputs and the characteristic function.

:class:`BundleGame` holds what the contract cost function needs for every compound of a
district under a plan (its residual staff demand after volunteers, devices and the
street, its per-use jobs, households, location), plus what decides whether a bundle pays
its way (fees, public income and the compound's other cash costs). It is built by
running the 4+1 kernel once (:meth:`BundleGame.from_district`).

``game.cost(["A", "B"])`` is the characteristic function ``c(S)`` of one set;
``game.costs(candidates)`` prices many sets at once, given as a padded index matrix
(one row per set, member positions, ``-1`` for padding).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.budget.evaluate import check_plan
from propfee.budget.kernel import KernelOutput, budget_arrays
from propfee.channels.common import LineSpec
from propfee.channels.contract import ContractCosts, contract_costs
from propfee.channels.shared_property import SharedProperty
from propfee.compound import CompoundTable, validate_compounds
from propfee.errors import InputError, Problem
from propfee.fees import fee_collected_fen
from propfee.money import fen_to_yuan
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, default_plan, resolve_plan
from propfee.work.categories import ROLE_OF

__all__ = ["BundleGame", "padded_to_long"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _line(out: KernelOutput, code: str) -> LineSpec:
    """The spec of the line ``code`` of a kernel output."""
    return next(s for s in out.lines if s.code == code)


def padded_to_long(candidates: npt.ArrayLike) -> tuple[IntArray, IntArray, int]:
    """Turn a padded ``(K, s)`` index matrix (``-1`` = empty) into long-format pairs.

    Returns
    -------
    tuple
        ``(bundle, member, K)``.
    """
    c = np.atleast_2d(np.asarray(candidates, dtype=np.int64))
    rows, cols = np.nonzero(c >= 0)
    return rows.astype(np.int64), c[rows, cols], c.shape[0]


@dataclass(frozen=True)
class BundleGame:
    """Per-compound inputs of the bundling game (arrays in compound order).

    Attributes
    ----------
    ids
        Compound ids.
    standing_hours
        Role -> hours the contract's standing posts supply the compound (what the
        street, the devices and the volunteers leave of its ``standing_work``). [h/year]
    households
        Households. [households]
    floor_area_m2
        Floor area. [m2]
    x_m, y_m
        Location. [m]
    jobs_yuan
        Per-use jobs at the contract's discount, call-outs excluded. [yuan/year]
    callout_yuan
        Call-outs of those jobs at the contract's discount, before a bundle shares
        them. [yuan/year]
    jobs_at_market_yuan
        The same jobs at market price, a trip a visit. [yuan/year]
    other_cash_yuan
        The compound's cash costs outside the contract (running costs, informal hires,
        volunteer materials, device running and pool-funded capital, work bought at
        market). [yuan/year]
    income_yuan
        Fee collected plus public income. [yuan/year]
    shared
        Contract terms (without bundles: the game prices any set).
    params
        Parameter set (wages, labour terms, market pricing).
    visits_per_year
        Call-out visits of those jobs, for the crew's drive between the members of a
        bundle (:func:`propfee.channels.contract.callout_travel_yuan`); ``None``: no
        drive. [visits/year]
    """

    ids: npt.NDArray[np.str_]
    standing_hours: dict[str, FloatArray]
    households: FloatArray
    floor_area_m2: FloatArray
    x_m: FloatArray
    y_m: FloatArray
    jobs_yuan: FloatArray
    callout_yuan: FloatArray
    jobs_at_market_yuan: FloatArray
    other_cash_yuan: FloatArray
    income_yuan: FloatArray
    shared: SharedProperty
    params: ParameterSet
    visits_per_year: FloatArray | None = None

    @classmethod
    def from_district(
        cls,
        compounds: pd.DataFrame | CompoundTable,
        plan: Plan | None = None,
        params: ParameterSet | None = None,
    ) -> BundleGame:
        """Build the game by running the 4+1 kernel once, each compound alone.

        Parameters
        ----------
        compounds
            A compound table.
        plan
            The 4+1 plan. Its contract terms are used; its bundles are not: the game
            prices any set of compounds, so :attr:`shared` holds the terms with
            ``bundle_by="none"`` and no explicit bundles (nor their own fixed fees).
        params
            Parameter set.
        """

        plan = plan or default_plan()
        params = params or default_parameters()
        check_plan(plan, params)
        table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(
            compounds)
        alone = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
            update={"bundle_by": "none", "bundles": ()})})
        out = budget_arrays(table, resolve_plan(alone, table), params)
        n = len(table)
        zero = np.zeros(n)
        v = params.jobs
        jobs, callouts, market, visits = zero.copy(), zero.copy(), zero.copy(), zero.copy()
        for job in plan.shared_property.items:
            uses = out.ledger.supplied("shared_property", job.name)
            terms = v[job.name]
            jobs += out.lines[_line(out, f"job_{job.name}")]
            callouts += out.details[f"job_callout:{job.name}"]
            market += (uses * terms.market_price_yuan_per_use
                       + uses / terms.uses_per_visit * terms.callout_yuan_per_visit)
            visits += uses / terms.uses_per_visit
        other = sum((v_ for s_, v_ in out.lines.items()
                     if s_.payer == "fund_pool" and s_.channel != "shared_property"),
                    start=zero)
        standing = {role: zero.copy() for role in ROLE_OF.values()}
        for work in plan.shared_property.standing_work:
            standing[ROLE_OF[work]] += out.ledger.supplied("shared_property", work)
        fees = fen_to_yuan(fee_collected_fen(table, params))
        return cls(
            ids=table.ids,
            standing_hours=standing,
            households=table.array("households"),
            floor_area_m2=table.array("floor_area_m2"),
            x_m=table.array("x_m"),
            y_m=table.array("y_m"),
            jobs_yuan=jobs,
            callout_yuan=callouts,
            jobs_at_market_yuan=market,
            other_cash_yuan=other,
            income_yuan=fees + out.public_income_yuan,
            shared=alone.shared_property,
            params=params,
            visits_per_year=visits,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, members: Sequence[str]) -> IntArray:
        """Positions of compound ids.

        Raises
        ------
        propfee.errors.InputError
            If an id is not in the game, or named twice.
        """
        pos = pd.Index(self.ids).get_indexer(pd.Index(list(members)))
        problems = [Problem(m, "members", m, "not a compound of the district")
                    for m, p in zip(members, pos, strict=True) if p < 0]
        if len(set(members)) != len(members):
            problems.append(Problem(None, "members", list(members), "a compound is named twice"))
        if problems:
            raise InputError(problems, what="bundle")
        return pos.astype(np.int64)

    def components(self, candidates: npt.ArrayLike) -> ContractCosts:
        """Contract cost components of many sets (padded index matrix, ``-1`` = empty)."""
        bundle, member, k = padded_to_long(candidates)
        return contract_costs(
            bundle, member, k, standing_hours=self.standing_hours, households=self.households,
            x_m=self.x_m, y_m=self.y_m, jobs_yuan=self.jobs_yuan, callout_yuan=self.callout_yuan,
            fixed_fee_yuan=self.shared.fixed_fee_yuan_per_bundle_year, shared=self.shared,
            params=self.params, visits_per_year=self.visits_per_year,
        )

    def costs(self, candidates: npt.ArrayLike) -> FloatArray:
        """``c(S)`` of many sets at once. [yuan/year]

        Parameters
        ----------
        candidates
            Padded index matrix ``(K, s)`` of compound positions, ``-1`` for empty slots.
            An all-empty row is the empty set (cost 0).
        """
        return self.components(candidates).total_yuan

    def cost(self, members: Sequence[str]) -> float:
        """``c(S)`` of one set of compound ids: the contract price of that bundle. [yuan/year]"""
        return float(self.costs(self.index(members)[None, :])[0])

    def standalone_costs(self) -> FloatArray:
        """``c({i})`` of every compound. [yuan/year]"""
        return self.costs(np.arange(len(self))[:, None])

    def deficits(self, candidates: npt.ArrayLike, contract_yuan: FloatArray) -> FloatArray:
        """Pooled deficit of each set: ``max(contract + other cash - income, 0)``. [yuan/year]"""
        bundle, member, k = padded_to_long(candidates)
        other = np.bincount(bundle, weights=self.other_cash_yuan[member], minlength=k)
        income = np.bincount(bundle, weights=self.income_yuan[member], minlength=k)
        return np.maximum(contract_yuan + other - income, 0.0)

