"""The special maintenance fund (住宅专项维修资金) as its own account.

The rules (《住宅专项维修资金管理办法》, MOC/MOF Order 165, 2007):

- the fund pays for repair, renewal and alteration of common parts and shared facilities
  after the warranty, never daily upkeep (:func:`fund_may_pay`); daily upkeep, per-use
  jobs and private parts stay with the compound's fund pool;
- sold public housing (房改房): owners deposit 2% of the local reform cost price per m2
  (art. 8), the first deposit ``D = floor_area_m2 x reform_cost_price x 2%``;
- owners top up when the balance falls below 30% of the first deposit (art. 17).

Modelling choices (documented parameters of the catalogue file): the opening balance is a
share of the first deposit (0 for pre-1998 work-unit housing by default); a top-up
restores the account to ``topup_target_share x D`` and only ``topup_collection_rate`` of it
is collected; interest is earned on a positive opening balance. Year ``t``, in whole fen::

    topup_t    = fen(collection x max(0, target x D - max(B_{t-1}, 0)))
                     if D > 0 and B_{t-1} < threshold x D, else 0
    interest_t = fen(max(B_{t-1}, 0) x interest_rate)
    B_t        = B_{t-1} + topup_t + deposits_t + interest_t - spend_t

``spend_t`` is the sum of the fund-eligible work of the year, each component's cost
rounded to the fen before it enters the balance. A negative balance is a shortfall:
work that is due and that the fund cannot pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from propfee.errors import InputError, Problem
from propfee.money import yuan_to_fen

__all__ = [
    "FUND_FIELDS",
    "HOUSING_REFORM_YEAR",
    "FundAccounts",
    "FundLedger",
    "FundRules",
    "fund_accounts",
    "fund_ledger",
    "fund_may_pay",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]

FUND_FIELDS: tuple[str, ...] = ("opening_balance_yuan", "first_deposit_yuan",
                                "annual_deposit_yuan")
"""Fields of the fund a per-compound override may set (component name ``fund``)."""

HOUSING_REFORM_YEAR = 1998
"""Welfare housing allocation ended in 1998 (State Council Document 23 of 1998); compounds
built before it are work-unit housing with the ``opening_share_pre1998``. [year]"""


def fund_may_pay(work: str, scope: str) -> bool:
    """Whether the special maintenance fund may pay for a piece of work.

    Parameters
    ----------
    work
        ``"renewal"``, ``"repair"`` or ``"upkeep"``.
    scope
        ``"common_part"``, ``"shared_facility"`` or ``"private"``.

    Returns
    -------
    bool
        True for repair or renewal of common parts and shared facilities; never for
        daily upkeep or private parts.
    """
    return work in ("renewal", "repair") and scope in ("common_part", "shared_facility")


class FundRules(BaseModel):
    """Rules and rates of the special maintenance fund, in force on a date.

    Attributes
    ----------
    owner_deposit_rate
        Owners' first deposit as a share of the reform cost price (sold public housing,
        rule: 2%). [1]
    reform_cost_price_yuan_per_m2
        Local housing-reform cost price (illustrative). [yuan/m2]
    topup_threshold_share
        Top-up when the balance falls below this share of the first deposit (rule: 30%). [1]
    topup_target_share
        A top-up restores the balance to this share of the first deposit. [1]
    topup_collection_rate
        Share of a called top-up that owners pay. [1]
    interest_rate
        Interest earned on a positive balance. [1/year]
    opening_share_pre1998
        Opening balance as a share of the first deposit, compounds built before 1998. [1]
    opening_share_from1998
        The same for compounds built in 1998 or later. [1]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    owner_deposit_rate: Share
    reform_cost_price_yuan_per_m2: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    topup_threshold_share: Share
    topup_target_share: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]
    topup_collection_rate: Share
    interest_rate: Annotated[float, Field(ge=0, le=0.5, allow_inf_nan=False)]
    opening_share_pre1998: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]
    opening_share_from1998: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]


@dataclass(frozen=True)
class FundAccounts:
    """Each compound's fund account at the start of a study.

    Attributes
    ----------
    first_deposit_yuan
        The documented first deposit ``(compounds,)``. [yuan]
    opening_balance_fen
        Balance at the start of the first year ``(compounds,)``. [fen]
    annual_deposit_fen
        Regular deposits each year (e.g. income from common parts) ``(compounds,)``. [fen]
    """

    first_deposit_yuan: FloatArray
    opening_balance_fen: IntArray
    annual_deposit_fen: IntArray


def fund_accounts(
    ids: npt.NDArray[np.str_],
    floor_area_m2: FloatArray,
    build_year: FloatArray,
    rules: FundRules,
    overrides: pd.DataFrame | None = None,
) -> FundAccounts:
    """First deposit, opening balance and regular deposits of every compound's fund.

    Parameters
    ----------
    ids
        Compound ids.
    floor_area_m2
        Floor area. [m2]
    build_year
        Build year. [year]
    rules
        Fund rules.
    overrides
        Long overrides (``compound_id, component, field, value, row``); rows with
        component ``fund`` and a field of :data:`FUND_FIELDS` apply.

    Returns
    -------
    FundAccounts

    Raises
    ------
    propfee.errors.InputError
        If an overridden amount is negative, naming the compound.
    """
    first = floor_area_m2 * rules.reform_cost_price_yuan_per_m2 * rules.owner_deposit_rate
    share = np.where(build_year < HOUSING_REFORM_YEAR, rules.opening_share_pre1998,
                     rules.opening_share_from1998)
    values = {"first_deposit_yuan": first, "opening_balance_yuan": first * share,
              "annual_deposit_yuan": np.zeros(len(ids))}
    if overrides is not None and len(overrides):
        mine = overrides[overrides["component"] == "fund"]
        rows = pd.Index(ids).get_indexer(pd.Index(mine["compound_id"]))
        for name, target in values.items():
            pick = (mine["field"] == name).to_numpy()
            target[rows[pick]] = mine["value"].to_numpy()[pick]
    problems = [Problem(str(ids[i]), f"fund.{name}", float(v[i]), "must be >= 0")
                for name, v in values.items() for i in np.flatnonzero(v < 0)]
    if problems:
        raise InputError(problems, what="fund")
    return FundAccounts(first_deposit_yuan=values["first_deposit_yuan"],
                        opening_balance_fen=yuan_to_fen(values["opening_balance_yuan"]),
                        annual_deposit_fen=yuan_to_fen(values["annual_deposit_yuan"]))


@dataclass(frozen=True)
class FundLedger:
    """The fund account year by year, every array ``(draws, years, compounds)`` in fen
    (``(years, compounds)`` in a :class:`~propfee.reserve.study.ReserveStudy`).

    Attributes
    ----------
    opening, topup, deposits, interest, spend, closing
        Balance at the start of the year, owners' top-up, other deposits (regular
        deposits and a funding plan's contribution), interest, fund-eligible work paid,
        balance at the end of the year. [fen]
    """

    opening: IntArray
    topup: IntArray
    deposits: IntArray
    interest: IntArray
    spend: IntArray
    closing: IntArray


def fund_ledger(
    opening_fen: IntArray,
    spend_fen: IntArray,
    deposits_fen: IntArray,
    first_deposit_yuan: FloatArray,
    rules: FundRules,
    *,
    topup: bool = True,
) -> FundLedger:
    """Run the fund account over the years, in whole fen (a loop over years only).

    Parameters
    ----------
    opening_fen
        Balance at the start of the first year ``(compounds,)``. [fen]
    spend_fen
        Fund-eligible work ``(draws, years, compounds)`` or ``(years, compounds)``. [fen]
    deposits_fen
        Deposits other than top-ups ``(years, compounds)``. [fen]
    first_deposit_yuan
        The first deposit ``(compounds,)``, base of the top-up rule. [yuan]
    rules
        Fund rules (interest, top-up).
    topup
        Apply the top-up rule (a funding plan replaces it with a steady contribution).

    Returns
    -------
    FundLedger
        Arrays ``(draws, years, compounds)``; ``draws`` is 1 for a 2-D ``spend_fen``.
    """
    spend = np.asarray(spend_fen, dtype=np.int64)
    if spend.ndim == 2:
        spend = spend[None]
    d, t_count, n = spend.shape
    deposits = np.broadcast_to(np.asarray(deposits_fen, dtype=np.int64), (t_count, n))
    first = np.asarray(first_deposit_yuan, dtype=np.float64)
    threshold = rules.topup_threshold_share * first
    target = rules.topup_target_share * first
    out = {k: np.zeros((d, t_count, n), dtype=np.int64)
           for k in ("opening", "topup", "deposits", "interest", "spend", "closing")}
    balance = np.broadcast_to(np.asarray(opening_fen, dtype=np.int64), (d, n)).copy()
    for t in range(t_count):  # a loop over years, never over compounds or draws
        out["opening"][:, t] = balance
        held_yuan = np.maximum(balance, 0) / 100.0
        if topup:
            due = (first > 0) & (balance / 100.0 < threshold)
            call = rules.topup_collection_rate * np.maximum(0.0, target - held_yuan)
            out["topup"][:, t] = yuan_to_fen(np.where(due, call, 0.0))
        out["interest"][:, t] = yuan_to_fen(held_yuan * rules.interest_rate)
        out["deposits"][:, t] = deposits[t]
        out["spend"][:, t] = spend[:, t]
        balance = (balance + out["topup"][:, t] + out["deposits"][:, t]
                   + out["interest"][:, t] - spend[:, t])
        out["closing"][:, t] = balance
    return FundLedger(**out)
