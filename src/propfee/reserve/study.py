"""The reserve study: component work, the fund's path, percent funded and funding plans.

Vectorised over compounds x components x years (a single compound is a one-row table).
Year ``t = 1..T`` is calendar year ``Y0 + t - 1``, ``Y0`` the year of the catalogue's date;
``P_t = (1 + cost_inflation_rate)^(t-1)``. For compound ``n`` and component ``c``::

    cost_c            = quantity_c x unit_cost_c                          [yuan, year-1 prices]
    work_t,c          = fen(renewals_t,c x cost_c x P_t)                  [fen]
    paid by           the renovation programme if the work is its reset, else the special
                      maintenance fund if the fund may pay for it, else the compound fund pool
    spend_t           = sum_c fund-paid work_t,c                          [fen]
    B_t               = fund ledger (see :mod:`propfee.reserve.fund`)     [fen]
    FFB_t             = fen(sum_{c fund-eligible} cost_c x P_t x age_t,c / life_c)   [fen]
    percent funded_t  = B_t / FFB_t (end of year t)                       [1]

``age_t,c`` is the effective age at the end of year ``t`` (:mod:`propfee.reserve.schedule`).

Funding plans (reserve practice): a steady extra contribution ``C`` [yuan/year] paid into
the fund every year in place of the ad-hoc top-ups. With ``B^0_t`` the balance without
top-ups or contribution (interest ``i`` on any balance) and
``A_t = sum_{s=1..t} (1 + i)^(t-s)``, ``B_t(C) = B^0_t + C x A_t``::

    baseline   (never below 0):                 C_b  = max(0, max_t(-B^0_t / A_t))
    threshold  (never below share x D):         C_th = max(0, max_t((share x D - B^0_t) / A_t))
    full       (100% funded at the end, >= 0):  C_f  = max(C_b, (FFB_T - B^0_T) / A_T)
    as a rate  c = C / (floor_area_m2 x 12)                              [yuan/(m2 month)]

On those paths the balance never falls below zero, so interest on positive balances only
(the ledger's rule) gives the same path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from propfee.compound import CompoundTable, validate_compounds
from propfee.errors import InputError, Problem
from propfee.money import fen_to_yuan, yuan_to_fen
from propfee.reserve.components import (
    Catalogue,
    ComponentArrays,
    component_arrays,
    default_catalogue,
    long_overrides,
)
from propfee.reserve.fund import FundAccounts, FundLedger, fund_accounts, fund_ledger
from propfee.reserve.schedule import RenewalSchedule, renewal_schedule

__all__ = [
    "PAYERS",
    "RenovationEvent",
    "ReserveSettings",
    "ReserveStudy",
    "dry_probability",
    "reserve_study",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

PAYERS: tuple[str, ...] = ("special_maintenance_fund", "fund_pool", "renovation_programme")
"""Who pays component work: the special maintenance fund (住宅专项维修资金), the compound's
fund pool (work the fund may not pay), the renovation programme (老旧小区改造)."""


class RenovationEvent(BaseModel):
    """The renovation programme (老旧小区改造) renewing components in a year.

    Attributes
    ----------
    year
        Year of the horizon, 1 = the first year. [year]
    compound_ids
        The compounds renovated; ``None``: every compound.
    components
        The components renewed; ``None``: every component of common parts and shared
        facilities (those the fund may pay for; daily upkeep is not renovated).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: Annotated[int, Field(ge=1, le=30)]
    compound_ids: tuple[str, ...] | None = None
    components: tuple[str, ...] | None = None


class ReserveSettings(BaseModel):
    """Assumptions of a reserve study.

    Attributes
    ----------
    horizon_years
        Number of years, at most 30. [year]
    cost_inflation_rate
        Annual growth of renewal costs (illustrative default 2%). [1/year]
    threshold_share
        Floor of the threshold funding plan as a share of the first deposit (default the
        30% of the top-up rule). [1]
    topup
        Apply the owners' top-up rule in the fund's path.
    renovations
        Renovation-programme events.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    horizon_years: Annotated[int, Field(ge=1, le=30)] = 30
    cost_inflation_rate: Annotated[float, Field(ge=-0.5, le=1.0, allow_inf_nan=False)] = 0.02
    threshold_share: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)] = 0.30
    topup: bool = True
    renovations: tuple[RenovationEvent, ...] = ()


@dataclass(frozen=True)
class _Inputs:
    table: CompoundTable
    catalogue: Catalogue
    settings: ReserveSettings
    parts: ComponentArrays
    accounts: FundAccounts
    reset: FloatArray  # (compounds, components) year index or NaN
    start_year: int


def _reset_years(parts: ComponentArrays, settings: ReserveSettings) -> FloatArray:
    n, c = parts.quantity.shape
    reset = np.full((n, c), np.nan)
    ids = pd.Index(parts.ids)
    names = pd.Index(list(parts.names))
    problems: list[Problem] = []
    for k, event in enumerate(settings.renovations):
        where = f"renovations[{k}]"
        if event.year > settings.horizon_years:
            problems.append(Problem(None, f"{where}.year", event.year,
                                    f"beyond the {settings.horizon_years}-year horizon"))
            continue
        rows = np.arange(n) if event.compound_ids is None else \
            ids.get_indexer(pd.Index(list(event.compound_ids)))
        cols = np.flatnonzero(parts.fund_eligible) if event.components is None else \
            names.get_indexer(pd.Index(list(event.components)))
        if event.compound_ids is not None:
            problems += [Problem(cid, f"{where}.compound_ids", cid, "not a compound of the table")
                         for cid, r in zip(event.compound_ids, rows, strict=True) if r < 0]
        if event.components is not None:
            problems += [Problem(None, f"{where}.components", name, "no such component")
                         for name, j in zip(event.components, cols, strict=True) if j < 0]
        rows, cols = rows[rows >= 0], cols[cols >= 0]
        block = reset[np.ix_(rows, cols)]
        for i, j in zip(*np.nonzero(~np.isnan(block)), strict=True):
            problems.append(Problem(str(parts.ids[rows[i]]), f"{where}.components",
                                    parts.names[cols[j]], "renewed by two renovation events"))
        reset[np.ix_(rows, cols)] = np.where(np.isnan(block), event.year - 1, block)
    if problems:
        raise InputError(problems, what="reserve settings")
    return reset


def _inputs(
    compounds: pd.DataFrame | CompoundTable,
    catalogue: Catalogue | None,
    settings: ReserveSettings | None,
    overrides: pd.DataFrame | None,
) -> _Inputs:
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    catalogue = catalogue or default_catalogue()
    settings = settings or ReserveSettings()
    start = catalogue.as_of.year
    long = long_overrides(overrides)
    parts = component_arrays(table, catalogue, long, start_year=start)
    accounts = fund_accounts(parts.ids, parts.floor_area_m2, parts.build_year,
                             catalogue.fund, long)
    return _Inputs(table, catalogue, settings, parts, accounts,
                   _reset_years(parts, settings), start)


def _int_or_na(values: FloatArray) -> pd.Series:
    """Whole numbers with ``<NA>`` for NaN (nullable Int64)."""
    return pd.Series(values, dtype="float64").astype("Int64")


def _work_fen(counts: IntArray, cost_yuan: FloatArray, price: FloatArray) -> IntArray:
    """Each (year, ..., component) cash flow in whole fen."""
    shape = (-1,) + (1,) * (counts.ndim - 1)
    return yuan_to_fen(counts * cost_yuan * price.reshape(shape))


@dataclass(frozen=True)
class ReserveStudy:
    """A reserve study of one or many compounds (arrays ``(years, compounds, ...)``).

    Attributes
    ----------
    ids
        Compound ids ``(compounds,)``.
    years
        Calendar years ``(years,)``.
    components
        The compounds' components (quantities, costs, lives, last renewals).
    work_fen
        Payer (:data:`PAYERS`) -> work paid ``(years, compounds, components)``. [fen]
    renewals
        Number of renewals ``(years, compounds, components)`` (ordinary and reset). [1]
    ledger
        The special maintenance fund's path ``(years, compounds)`` (status quo, with the
        top-up rule if the settings apply it). [fen]
    fully_funded_fen
        Fully funded balance at the end of each year ``(years, compounds)``. [fen]
    fully_funded_start_fen
        Fully funded balance at the start of the first year ``(compounds,)``. [fen]
    first_deposit_yuan
        The documented first deposit ``(compounds,)``. [yuan]
    funding_yuan
        Plan (``baseline``, ``threshold``, ``full``) -> steady extra contribution
        ``(compounds,)``. [yuan/year]
    settings
        The study's settings.
    """

    ids: npt.NDArray[np.str_]
    years: IntArray
    components: ComponentArrays
    work_fen: dict[str, IntArray]
    renewals: IntArray
    ledger: FundLedger
    fully_funded_fen: IntArray
    fully_funded_start_fen: IntArray
    first_deposit_yuan: FloatArray
    funding_yuan: dict[str, FloatArray]
    settings: ReserveSettings

    @property
    def percent_funded(self) -> FloatArray:
        """Closing balance / fully funded balance ``(years, compounds)``; NaN where the
        fully funded balance is 0. [1]"""
        ffb = self.fully_funded_fen
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(ffb > 0, self.ledger.closing / np.where(ffb > 0, ffb, 1), np.nan)

    @property
    def percent_funded_start(self) -> FloatArray:
        """Opening balance / fully funded balance at the start ``(compounds,)``. [1]"""
        ffb = self.fully_funded_start_fen
        opening = self.ledger.opening[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(ffb > 0, opening / np.where(ffb > 0, ffb, 1), np.nan)

    @property
    def first_shortfall_year(self) -> npt.NDArray[np.float64]:
        """Calendar year the fund's balance first falls below zero, NaN if never. [year]"""
        short = self.ledger.closing < 0
        return np.where(short.any(axis=0), self.years[np.argmax(short, axis=0)], np.nan)

    def funding_rate_yuan_per_m2_month(self, plan: str) -> FloatArray:
        """A funding plan as extra yuan per m2 of floor area per month. [yuan/(m2 month)]"""
        return self.funding_yuan[plan] / (self.components.floor_area_m2 * 12.0)

    def schedule(self) -> pd.DataFrame:
        """The schedule of work: one row per compound, year, component and payer with work.

        Columns ``compound_id``, ``year``, ``component``, ``quantity``, ``renewals``,
        ``cost_yuan`` and ``payer``. [yuan]
        """
        frames = []
        for payer, fen in self.work_fen.items():
            yi, ni, ci = np.nonzero(fen)
            frames.append(pd.DataFrame({
                "compound_id": self.ids[ni], "year": self.years[yi],
                "component": np.asarray(self.components.names, dtype=object)[ci],
                "quantity": self.components.quantity[ni, ci],
                "renewals": self.renewals[yi, ni, ci],
                "cost_yuan": fen_to_yuan(fen[yi, ni, ci]), "payer": payer}))
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values(["compound_id", "year", "component"], kind="stable",
                               ignore_index=True)

    def fund_path(self) -> pd.DataFrame:
        """The fund's path: one row per compound and year. [yuan], percent funded [1].

        Columns ``compound_id``, ``year``, ``opening_yuan``, ``topup_yuan``,
        ``deposits_yuan``, ``interest_yuan``, ``fund_work_yuan``, ``closing_yuan``,
        ``fully_funded_yuan``, ``percent_funded``, ``pool_work_yuan`` and
        ``programme_work_yuan``.
        """
        t_count, n = self.ledger.closing.shape
        led = self.ledger
        return pd.DataFrame({
            "compound_id": np.tile(self.ids, t_count),
            "year": np.repeat(self.years, n),
            "opening_yuan": fen_to_yuan(led.opening).reshape(-1),
            "topup_yuan": fen_to_yuan(led.topup).reshape(-1),
            "deposits_yuan": fen_to_yuan(led.deposits).reshape(-1),
            "interest_yuan": fen_to_yuan(led.interest).reshape(-1),
            "fund_work_yuan": fen_to_yuan(led.spend).reshape(-1),
            "closing_yuan": fen_to_yuan(led.closing).reshape(-1),
            "fully_funded_yuan": fen_to_yuan(self.fully_funded_fen).reshape(-1),
            "percent_funded": self.percent_funded.reshape(-1),
            "pool_work_yuan": fen_to_yuan(self.work_fen["fund_pool"].sum(axis=2)).reshape(-1),
            "programme_work_yuan": fen_to_yuan(
                self.work_fen["renovation_programme"].sum(axis=2)).reshape(-1),
        }).sort_values(["compound_id", "year"], kind="stable", ignore_index=True)

    def funding(self) -> pd.DataFrame:
        """One row per compound: the fund's start, first shortfall and funding plans.

        Columns ``compound_id``, ``first_deposit_yuan``, ``opening_balance_yuan``,
        ``percent_funded_start``, ``first_shortfall_year`` and, per plan (``baseline``,
        ``threshold``, ``full``), ``<plan>_contribution_yuan`` [yuan/year] and
        ``<plan>_yuan_per_m2_month`` [yuan/(m2 month)].
        """
        out = pd.DataFrame({
            "compound_id": self.ids,
            "first_deposit_yuan": fen_to_yuan(yuan_to_fen(self.first_deposit_yuan)),
            "opening_balance_yuan": fen_to_yuan(self.ledger.opening[0]),
            "percent_funded_start": self.percent_funded_start,
            "first_shortfall_year": _int_or_na(self.first_shortfall_year),
        })
        for plan in ("baseline", "threshold", "full"):
            out[f"{plan}_contribution_yuan"] = self.funding_yuan[plan]
            out[f"{plan}_yuan_per_m2_month"] = self.funding_rate_yuan_per_m2_month(plan)
        return out

    def district(self) -> pd.DataFrame:
        """Every flow and the balance summed over the compounds, by year. [yuan]"""
        path = self.fund_path()
        money = [c for c in path.columns if c.endswith("_yuan")]
        return path.groupby("year")[money].sum()


def _plans(ledger0: FundLedger, ffb_end_fen: IntArray, first_yuan: FloatArray,
           rate: float, share: float) -> dict[str, FloatArray]:
    """Baseline, threshold and full contributions from the no-top-up flows (module doc)."""
    t_count = ledger0.closing.shape[1]
    flow = fen_to_yuan(ledger0.deposits[0] - ledger0.spend[0])  # (years, compounds)
    b = fen_to_yuan(ledger0.opening[0, 0]).astype(np.float64)
    path = np.empty_like(flow)
    for t in range(t_count):  # interest on any balance: the linear model
        b = b * (1.0 + rate) + flow[t]
        path[t] = b
    annuity = np.cumsum((1.0 + rate) ** np.arange(t_count))[:, None]
    base = np.maximum(0.0, np.max(-path / annuity, axis=0))
    threshold = np.maximum(0.0, np.max((share * first_yuan - path) / annuity, axis=0))
    full = np.maximum(base, (fen_to_yuan(ffb_end_fen) - path[-1]) / annuity[-1])
    return {"baseline": base, "threshold": threshold, "full": full}


def reserve_study(
    compounds: pd.DataFrame | CompoundTable,
    catalogue: Catalogue | None = None,
    settings: ReserveSettings | None = None,
    *,
    overrides: pd.DataFrame | None = None,
) -> ReserveStudy:
    """Run a reserve study for every compound of a table (one compound: a one-row table).

    Parameters
    ----------
    compounds
        A compound table (columns of :data:`propfee.compound.COMPOUND_COLUMNS`).
    catalogue
        Component catalogue and fund rules; default :func:`default_catalogue`.
    settings
        Horizon, cost inflation, renovation events.
    overrides
        Per-compound overrides of components and of the fund (see
        :func:`propfee.reserve.components.long_overrides`).

    Returns
    -------
    ReserveStudy

    Raises
    ------
    propfee.errors.InputError
        On bad compounds, overrides or renovation events, naming compound and component.

    Examples
    --------
    >>> import pandas as pd
    >>> one = pd.DataFrame({"compound_id": ["c1"], "households": [48],
    ...                     "floor_area_m2": [3000.0], "build_year": [1988]})
    >>> study = reserve_study(one, settings=ReserveSettings(horizon_years=5))
    >>> study.fund_path()["year"].tolist()
    [2024, 2025, 2026, 2027, 2028]
    """
    inp = _inputs(compounds, catalogue, settings, overrides)
    parts, s = inp.parts, inp.settings
    t_count = s.horizon_years
    sched = renewal_schedule(parts.last_renewed_year - inp.start_year, parts.life_years,
                             t_count, reset_year_index=inp.reset, track_age=True)
    price = np.asarray((1.0 + s.cost_inflation_rate) ** np.arange(t_count), dtype=np.float64)
    cost = parts.cost_yuan
    ordinary = _work_fen(sched.counts, cost, price)
    eligible = parts.fund_eligible
    work = {
        "special_maintenance_fund": np.where(eligible, ordinary, 0),
        "fund_pool": np.where(eligible, 0, ordinary),
        "renovation_programme": _work_fen(sched.reset_counts, cost, price),
    }
    spend = work["special_maintenance_fund"].sum(axis=2)
    deposits = np.broadcast_to(inp.accounts.annual_deposit_fen, spend.shape)
    rules = inp.catalogue.fund
    first = inp.accounts.first_deposit_yuan
    ledger = fund_ledger(inp.accounts.opening_balance_fen, spend, deposits, first, rules,
                         topup=s.topup)
    ffb = _fully_funded(sched, parts, price, eligible)
    age0 = np.clip(inp.start_year - parts.last_renewed_year, 0.0, parts.life_years)
    ffb0 = yuan_to_fen(np.sum(np.where(eligible, cost * age0 / parts.life_years, 0.0), axis=1))
    plain = ledger if not s.topup else fund_ledger(
        inp.accounts.opening_balance_fen, spend, deposits, first, rules, topup=False)
    plans = _plans(plain, ffb[-1], first, rules.interest_rate, s.threshold_share)
    squeeze = FundLedger(**{k: getattr(ledger, k)[0] for k in
                            ("opening", "topup", "deposits", "interest", "spend", "closing")})
    return ReserveStudy(
        ids=parts.ids, years=inp.start_year + np.arange(t_count), components=parts,
        work_fen=work, renewals=sched.counts + sched.reset_counts, ledger=squeeze,
        fully_funded_fen=ffb, fully_funded_start_fen=ffb0, first_deposit_yuan=first,
        funding_yuan=plans, settings=s)


def _fully_funded(sched: RenewalSchedule, parts: ComponentArrays, price: FloatArray,
                  eligible: npt.NDArray[np.bool_]) -> IntArray:
    age = sched.effective_age_years(parts.life_years)  # (years, compounds, components)
    share = np.where(eligible, age / parts.life_years, 0.0)
    return yuan_to_fen(np.sum(parts.cost_yuan * share, axis=2) * price[:, None])


def dry_probability(
    compounds: pd.DataFrame | CompoundTable,
    catalogue: Catalogue | None = None,
    settings: ReserveSettings | None = None,
    *,
    overrides: pd.DataFrame | None = None,
    draws: int = 1000,
    seed: int = 0,
    life_spread: float = 0.2,
    chunk: int | None = None,
) -> pd.DataFrame:
    """Monte Carlo over service lives: the chance that the fund has run dry by each year.

    Each component's life in each cycle is drawn as ``life x exp(life_spread x Z)``,
    ``Z`` standard normal (median the catalogue's life; at least one year), from a seeded
    :class:`numpy.random.Generator`. The same schedule engine and fund ledger as
    :func:`reserve_study` run vectorised over draws (in chunks of ``chunk`` draws).

    Parameters
    ----------
    compounds
        A compound table.
    catalogue
        Component catalogue and fund rules.
    settings
        Horizon, inflation, renovation events, top-up rule.
    overrides
        Per-compound overrides.
    draws
        Number of draws.
    seed
        Seed; the same seed gives the same numbers.
    life_spread
        Standard deviation of the log of a life (illustrative default 0.2). [1]
    chunk
        Draws simulated at once; default: about 4 million items per chunk
        (years x draws x compounds x components), to bound memory. [1]

    Returns
    -------
    pandas.DataFrame
        Index compound ids, one column per calendar year: the probability that the
        fund's closing balance has been below zero in that year or before. [1]
    """
    problems = []
    if draws < 1:
        problems.append(Problem(None, "draws", draws, "must be >= 1"))
    if chunk is not None and chunk < 1:
        problems.append(Problem(None, "chunk", chunk, "must be >= 1"))
    if not (np.isfinite(life_spread) and life_spread >= 0):
        problems.append(Problem(None, "life_spread", life_spread, "must be a number >= 0"))
    if problems:
        raise InputError(problems, what="Monte Carlo settings")
    inp = _inputs(compounds, catalogue, settings, overrides)
    parts, s = inp.parts, inp.settings
    t_count = s.horizon_years
    price = np.asarray((1.0 + s.cost_inflation_rate) ** np.arange(t_count), dtype=np.float64)
    rng = np.random.default_rng(seed)
    if chunk is None:
        chunk = max(1, 4_000_000 // max(1, t_count * parts.life_years.size))
    dry = np.zeros((t_count, len(parts.ids)))
    cost = parts.cost_yuan
    eligible = parts.fund_eligible
    for lo in range(0, draws, chunk):
        d = min(chunk, draws - lo)
        shape = (d, *parts.life_years.shape)

        def draw(_: int, shape: tuple[int, ...] = shape) -> FloatArray:
            z = rng.standard_normal(shape)
            return np.maximum(1.0, parts.life_years * np.exp(life_spread * z))

        sched = renewal_schedule(parts.last_renewed_year - inp.start_year,
                                 np.broadcast_to(parts.life_years, shape), t_count,
                                 reset_year_index=inp.reset, draw_life=draw)
        fen = _work_fen(sched.counts, cost, price)  # (years, draws, compounds, components)
        spend = np.where(eligible, fen, 0).sum(axis=3).transpose(1, 0, 2)
        ledger = fund_ledger(inp.accounts.opening_balance_fen, spend,
                             inp.accounts.annual_deposit_fen, inp.accounts.first_deposit_yuan,
                             inp.catalogue.fund, topup=s.topup)
        ran_dry = np.logical_or.accumulate(ledger.closing < 0, axis=1)
        dry += ran_dry.sum(axis=0)
    return pd.DataFrame((dry / draws).T, index=pd.Index(parts.ids, name="compound_id"),
                        columns=inp.start_year + np.arange(t_count))
