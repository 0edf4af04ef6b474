"""The market baseline: a market company alone, delivering all the compound's work.

One name, one definition, used by every output: the **market baseline** of a compound is
the 4+1 kernel (:func:`propfee.budget.kernel.budget_arrays`) with every channel switched
off. No channel supplies any work, so a market company serving the compound alone buys
all of it at market prices (:mod:`propfee.work.market`): staff of each role rounded up to
whole posts, the gates kept as the grade keeps them, every job of the catalogue at market
price with a trip a visit, waste removal, lift care; the compound's running costs at cost.
There is no public income and the street pays nothing. Compared with a plan, it delivers
the same work at the same grade (and the same gate hours), so the comparison is like for
like; it is ``v(no channel)`` of the channel credit (:mod:`propfee.budget.credit`).

Per compound (all money in [yuan/year])::

    total_annual_cost = market lines + running costs paid from the fee (the fund pool)
    lift_levy         = lift care and electricity, paid by the lift households' levy
    fee_billed        = floor_area_m2 * rate * 12
    fee_collected     = fee_billed * collection_rate
    balance           = fee_collected - total_annual_cost
    cost_per_household_month = total_annual_cost / households / 12
    break_even_rate   = total_annual_cost / (floor_area_m2 * 12 * collection_rate)
    break_even_collection_rate = total_annual_cost / fee_billed   (above 1: unreachable)

Money is rounded to the fen once, per line; every total is the sum of its rounded lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict

from propfee.budget.kernel import budget_arrays
from propfee.compound import Compound, CompoundTable, _one_compound, validate_compounds
from propfee.fees import (
    annual_fee_billed_yuan,
    break_even_collection_rate,
    break_even_rate_yuan_per_m2_month,
    effective_fee_inputs,
)
from propfee.money import fen_to_yuan, yuan_rows_to_fen
from propfee.params import ParameterSet, default_parameters
from propfee.params.model import GateRegime
from propfee.plan import Plan, resolve_plan
from propfee.staffing import ROLES
from propfee.work.categories import work_categories

__all__ = [
    "DEFAULT_GRADE",
    "BaselineLine",
    "BaselineResult",
    "baseline_columns",
    "grade_price_curve",
    "market_baseline",
    "market_baseline_district",
    "typical_compounds",
]

FloatArray = npt.NDArray[np.float64]

DEFAULT_GRADE: Final = 4
"""Service grade of the baseline unless one is chosen: grade 4 (四级), the level an old
multi-storey compound without lifts usually buys, and the named plans' grade."""


def _baseline_plan(grade: int, gate_regime: GateRegime | None) -> Plan:
    """A plan of no channel at a grade: what the market baseline runs."""
    return Plan(description="market baseline", service_grade=grade, gate_regime=gate_regime)


def baseline_columns(
    table: CompoundTable, params: ParameterSet, grade: int = DEFAULT_GRADE,
    gate_regime: GateRegime | None = None,
) -> dict[str, npt.NDArray[Any]]:
    """The market baseline kernel: every figure of :func:`market_baseline_district`.

    Parameters
    ----------
    table
        Validated compounds.
    params
        Parameter set.
    grade
        Service grade, 1 (highest) to 5.
    gate_regime
        The gate regime of the plan compared with (its staffed hours are delivered too);
        ``None``: as the grade keeps the gates.

    Returns
    -------
    dict
        Column name -> array: every line ``<code>_yuan`` (rounded to the fen), the
        headcount by role ``headcount_fte_<role>``, demand by work category
        ``demand_<category>`` (in its unit), and the totals and ratios of the module
        docstring.
    """
    plan = _baseline_plan(grade, gate_regime)
    out = budget_arrays(table, resolve_plan(plan, table), params, channels=())
    n = len(table)
    specs, matrix = out.fen_matrix()
    cols: dict[str, npt.NDArray[Any]] = {}
    for role in ROLES:
        cols[f"headcount_fte_{role}"] = out.details[f"market_heads:{role}"]
    cols["headcount_fte_total"] = np.sum([cols[f"headcount_fte_{r}"] for r in ROLES], axis=0)
    for c in work_categories(params):
        cols[f"demand_{c.name}"] = out.ledger.demand(c.name)
    for spec, row in zip(specs, matrix, strict=True):
        cols[f"{spec.code}_yuan"] = fen_to_yuan(row)
    pool = np.array([s.payer == "fund_pool" for s in specs], dtype=bool)
    total_fen = matrix[pool].sum(axis=0) if pool.any() else np.zeros(n, dtype=np.int64)
    levy_fen = matrix[~pool].sum(axis=0) if (~pool).any() else np.zeros(n, dtype=np.int64)
    rate, coll = effective_fee_inputs(table, params)
    billed = annual_fee_billed_yuan(table.array("floor_area_m2"), rate)
    billed_fen, collected_fen = yuan_rows_to_fen([billed, billed * coll], n)
    total = fen_to_yuan(total_fen)
    cols["total_annual_cost_yuan"] = total
    cols["lift_levy_yuan"] = fen_to_yuan(levy_fen)
    cols["rate_yuan_per_m2_month"] = rate
    cols["collection_rate"] = coll
    cols["fee_billed_yuan"] = fen_to_yuan(billed_fen)
    cols["fee_collected_yuan"] = fen_to_yuan(collected_fen)
    cols["balance_yuan"] = fen_to_yuan(collected_fen - total_fen)
    cols["cost_per_household_month_yuan"] = total / table.array("households") / 12.0
    cols["break_even_rate_yuan_per_m2_month"] = break_even_rate_yuan_per_m2_month(
        total, table.array("floor_area_m2"), coll)
    cols["break_even_collection_rate"] = break_even_collection_rate(total, billed)
    cols["_specs"] = np.array([(s.code, s.category, s.payer, s.work) for s in specs],
                              dtype=object)
    return cols


def market_baseline_district(
    compounds: pd.DataFrame | CompoundTable,
    params: ParameterSet | None = None,
    *,
    grade: int = DEFAULT_GRADE,
    gate_regime: GateRegime | None = None,
) -> pd.DataFrame:
    """The market baseline of every compound of a table.

    Parameters
    ----------
    compounds
        A compound table (columns of :data:`propfee.compound.COMPOUND_COLUMNS`) or a
        validated :class:`~propfee.compound.CompoundTable`.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    grade
        Service grade, 1 (highest) to 5.
    gate_regime
        The gate regime of the plan compared with; ``None``: as the grade keeps the gates.

    Returns
    -------
    pandas.DataFrame
        One row per compound, in input order: identity, ``headcount_fte_<role>`` [FTE],
        ``demand_<category>`` [the category's unit a year], every line ``<code>_yuan``
        and ``total_annual_cost_yuan``, ``fee_billed_yuan``, ``fee_collected_yuan``,
        ``balance_yuan`` [yuan/year, rounded to the fen], ``cost_per_household_month_yuan``
        [yuan/(household month)], ``break_even_rate_yuan_per_m2_month``
        [yuan/(m2 month)], ``break_even_collection_rate`` [1] (above 1: unreachable).

    Raises
    ------
    propfee.errors.InputError
        If any row is invalid; every problem is listed.
    """
    params = params or default_parameters()
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    f = table.frame
    cols: dict[str, Any] = {name: f[name] for name in (
        "compound_id", "name", "street", "zone", "households", "floor_area_m2", "build_year")}
    body = baseline_columns(table, params, grade, gate_regime)
    body.pop("_specs")
    cols.update(body)
    return pd.DataFrame(cols, index=f.index)


class BaselineLine(BaseModel):
    """One line of a market baseline.

    Attributes
    ----------
    code
        Line code (``market_gate``, ``market_job_pipe_dredging``, ``common_electricity``...).
    category
        Official category code (see :data:`propfee.costs.COST_CATEGORIES`).
    payer
        ``fund_pool`` (paid from the fee) or ``lift_levy`` (the lift households).
    work
        The work it pays for (``""``: a running cost; ``"*"``: the company's overhead).
    amount_yuan
        Annual amount, rounded to the fen. [yuan/year]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    category: str
    payer: str
    work: str
    amount_yuan: float


class BaselineResult(BaseModel):
    """The market baseline of one compound.

    Attributes
    ----------
    compound_id
        The compound.
    grade
        Service grade delivered.
    headcount_fte
        Headcount by role. [FTE]
    demand
        Work by category, in its unit a year (hours, tonnes, lift-years, uses).
    lines
        Every line. [yuan/year]
    total_annual_cost_yuan
        The lines paid from the fee: what the compound pays a market company and its
        running costs. [yuan/year]
    lift_levy_yuan
        The lines the lift households pay by their levy: lift care and electricity.
        [yuan/year]
    fee_billed_yuan, fee_collected_yuan
        Fees billed and collected. [yuan/year]
    balance_yuan
        Fee collected minus total annual cost; negative is a deficit. [yuan/year]
    cost_per_household_month_yuan
        Total annual cost per household per month. [yuan/(household month)]
    break_even_rate_yuan_per_m2_month
        Fee rate that covers the cost at the collection rate. [yuan/(m2 month)]
    break_even_collection_rate
        Collection rate that covers the cost at the fee rate (above 1: unreachable). [1]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    compound_id: str
    grade: int
    headcount_fte: dict[str, float]
    demand: dict[str, float]
    lines: tuple[BaselineLine, ...]
    total_annual_cost_yuan: float
    lift_levy_yuan: float
    fee_billed_yuan: float
    fee_collected_yuan: float
    balance_yuan: float
    cost_per_household_month_yuan: float
    break_even_rate_yuan_per_m2_month: float
    break_even_collection_rate: float

    def _repr_html_(self) -> str:
        lines = pd.DataFrame([line.model_dump() for line in self.lines])
        head = (f"<p>Market baseline of compound {self.compound_id} at grade {self.grade}: "
                f"total {self.total_annual_cost_yuan:,.2f} yuan/year, balance "
                f"{self.balance_yuan:,.2f} yuan/year</p>")
        return head + lines.to_html(index=False)


_RESULT_SCALARS: Final = (
    "total_annual_cost_yuan", "lift_levy_yuan", "fee_billed_yuan", "fee_collected_yuan",
    "balance_yuan", "cost_per_household_month_yuan", "break_even_rate_yuan_per_m2_month",
    "break_even_collection_rate",
)


def _result(compound_id: str, grade: int, cols: Mapping[str, Any], params: ParameterSet,
            i: int = 0) -> BaselineResult:
    specs = cols["_specs"]
    return BaselineResult.model_validate({
        "compound_id": compound_id,
        "grade": grade,
        "headcount_fte": {r: float(cols[f"headcount_fte_{r}"][i]) for r in ROLES},
        "demand": {c.name: float(cols[f"demand_{c.name}"][i]) for c in work_categories(params)},
        "lines": [{"code": code, "category": cat, "payer": payer, "work": work,
                   "amount_yuan": float(cols[f"{code}_yuan"][i])}
                  for code, cat, payer, work in specs],
        **{name: float(cols[name][i]) for name in _RESULT_SCALARS},
    })


def market_baseline(
    compound: Compound,
    params: ParameterSet | None = None,
    *,
    grade: int = DEFAULT_GRADE,
    gate_regime: GateRegime | None = None,
) -> BaselineResult:
    """The market baseline of one compound (the same kernel as a district's).

    Parameters
    ----------
    compound
        The compound.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    grade
        Service grade, 1 (highest) to 5.
    gate_regime
        The gate regime of the plan compared with; ``None``: as the grade keeps the gates.

    Returns
    -------
    BaselineResult

    Raises
    ------
    TypeError
        If ``compound`` is not a :class:`~propfee.compound.Compound` (a dict, say).

    Examples
    --------
    >>> from propfee import Compound
    >>> c = Compound(compound_id="c1", households=100, floor_area_m2_per_household=100.0,
    ...              build_year=1990)
    >>> market_baseline(c).fee_billed_yuan
    60000.0
    """
    params = params or default_parameters()
    table = validate_compounds(_one_compound(compound, "market_baseline"))  # checked once
    cols = baseline_columns(table, params, grade, gate_regime)
    return _result(str(table.text("compound_id")[0]), grade, cols, params)


def typical_compounds(
    households: npt.ArrayLike,
    *,
    floor_area_m2_per_household: float = 100.0,
    build_year: int = 2010,
) -> pd.DataFrame:
    """Compounds of ordinary shape for a range of sizes (multi-storey, no lifts).

    Six storeys, two flats per landing: 12 households a stairwell unit, 24 a building
    (rounded up); one gate per 1,000 households (at least one); green area 20% of the
    floor area; a parking space per five households. Used to calibrate the grades
    against the guidance prices.

    Parameters
    ----------
    households
        Households of each compound. [households]
    floor_area_m2_per_household
        Floor area per household. [m2/household]
    build_year
        Year built. [year]

    Returns
    -------
    pandas.DataFrame
        A compound table, ids ``h<households>``.
    """
    hh = np.atleast_1d(np.asarray(households, dtype=np.int64))
    floor = hh * floor_area_m2_per_household
    return pd.DataFrame({
        "compound_id": [f"h{h}" for h in hh],
        "households": hh,
        "floor_area_m2": floor,
        "build_year": build_year,
        "storeys": 6,
        "stairwell_units": np.maximum(1, -(-hh // 12)),
        "buildings": np.maximum(1, -(-hh // 24)),
        "gates": np.maximum(1, -(-hh // 1000)),
        "green_area_m2": 0.2 * floor,
        "parking_spaces": hh // 5,
    })


def grade_price_curve(
    households: npt.ArrayLike,
    params: ParameterSet | None = None,
    *,
    grades: tuple[int, ...] = (1, 2, 3, 4, 5),
) -> pd.DataFrame:
    """Market baseline per m2 of :func:`typical_compounds` at each grade, beside its band.

    ``price_yuan_per_m2_month = total_annual_cost_yuan / floor_area_m2 / 12``, for the
    market's hiring mode (``labour.market_hiring``) and for informal hiring (no social
    insurance, no overtime premium, no rounding to posts, never below the part-time
    minimum wage).

    Parameters
    ----------
    households
        Compound sizes. [households]
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    grades
        Service grades.

    Returns
    -------
    pandas.DataFrame
        One row per grade and size: ``grade``, ``households``,
        ``price_yuan_per_m2_month`` (market hiring), ``informal_price_yuan_per_m2_month``,
        ``guidance_low_yuan_per_m2_month``, ``guidance_high_yuan_per_m2_month``.
        [yuan/(m2 month)]
    """
    params = params or default_parameters()
    informal = params.model_copy(update={"labour": params.labour.model_copy(
        update={"market_hiring": "informal"})})
    table = validate_compounds(typical_compounds(households))
    floor = table.array("floor_area_m2")
    hh = table.array("households")
    tol = params.grades.guidance_tolerance_rate
    frames = []
    for g in grades:
        centre = params.grades.grade(g).guidance_yuan_per_m2_month
        formal = baseline_columns(table, params, g)["total_annual_cost_yuan"]
        loose = baseline_columns(table, informal, g)["total_annual_cost_yuan"]
        frames.append(pd.DataFrame({
            "grade": g,
            "households": hh.astype(np.int64),
            "price_yuan_per_m2_month": formal / floor / 12.0,
            "informal_price_yuan_per_m2_month": loose / floor / 12.0,
            "guidance_low_yuan_per_m2_month": centre * (1 - tol),
            "guidance_high_yuan_per_m2_month": centre * (1 + tol),
        }))
    return pd.concat(frames, ignore_index=True)
