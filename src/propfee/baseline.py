"""The stand-alone market baseline: what a market company would cost a compound alone.

One kernel, :func:`baseline_arrays`, computes every figure for an array of
compounds. :func:`market_baseline_district` wraps it for a DataFrame (returns a
DataFrame); :func:`market_baseline` wraps it for one :class:`~propfee.compound.Compound`
(returns a :class:`BaselineResult`) by evaluating a one-row table: there is no
second code path.

The company serves the compound at a chosen service grade (一级 to 五级, default
:data:`DEFAULT_GRADE`): the grade's norms give each role's demand and the grade's
gate regime keeps the gates (:mod:`propfee.staffing`, :mod:`propfee.channels.gates`);
staff are hired as ``labour.market_hiring`` says.

Per compound (all money in [yuan/year] unless named otherwise)::

    staff_<role>   = annual staff cost of the role's headcount (propfee.staffing);
                     staff_order adds a live-in gatekeeper's pay where the regime has one
    service_cost   = sum(staff_<role>) + upkeep (+ remote help of device-only gates)
                     + cleaning_materials + greening_materials + office + insurance
                     + depreciation + other + overhead
    total_annual_cost = service_cost + margin + vat + surcharges      (see propfee.fees)
    fee_billed     = floor_area_m2 * rate * 12
    fee_collected  = fee_billed * collection_rate
    balance        = fee_collected - total_annual_cost
    cost_per_household_month_yuan = total_annual_cost / households / 12

Money is rounded to the fen once, per line; every total is the sum of its rounded
lines, so reported tables add up exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict

from propfee._arrays import sum_arrays
from propfee.channels.gates import gate_running_yuan
from propfee.compound import Compound, CompoundTable, _one_compound, validate_compounds
from propfee.costs import non_staff_cost_items_yuan, overhead_yuan
from propfee.fees import (
    annual_fee_billed_yuan,
    break_even_collection_rate,
    break_even_rate_yuan_per_m2_month,
    market_price,
)
from propfee.money import fen_to_yuan, yuan_rows_to_fen
from propfee.params import ParameterSet, default_parameters
from propfee.params.model import GateRegime
from propfee.staffing import ROLES, staffing_by_role

__all__ = [
    "BASELINE_COST_LINES",
    "DEFAULT_GRADE",
    "BaselineLine",
    "BaselineResult",
    "baseline_arrays",
    "grade_price_curve",
    "market_baseline",
    "market_baseline_district",
    "typical_compounds",
]

FloatArray = npt.NDArray[np.float64]

BASELINE_COST_LINES: Final[dict[str, str]] = {
    **{f"staff_{role}": "staff" for role in ROLES},
    "upkeep": "upkeep",
    "cleaning_materials": "cleaning",
    "greening_materials": "greening",
    "office": "office",
    "insurance": "insurance",
    "depreciation": "depreciation",
    "other": "other",
    "overhead": "overhead",
}
"""Service-cost line codes of the baseline and their official category
(see :data:`propfee.costs.COST_CATEGORIES`)."""

DEFAULT_GRADE: Final = 4
"""Service grade of the baseline unless one is chosen: grade 4 (四级), the level an old
multi-storey compound without lifts usually buys."""

_PRICE_LINES: Final[dict[str, str]] = {"margin": "margin", "vat": "tax", "surcharges": "tax"}


def effective_fee_inputs(
    table: CompoundTable, params: ParameterSet
) -> tuple[FloatArray, FloatArray]:
    """Each compound's fee rate and collection rate: its own where given, else the set's.

    Returns
    -------
    tuple of numpy.ndarray
        ``(rate [yuan/(m2 month)], collection_rate [1])``.
    """
    rate = table.array("fee_rate_yuan_per_m2_month")
    coll = table.array("collection_rate")
    return (
        np.where(np.isnan(rate), params.fees.rate_yuan_per_m2_month, rate),
        np.where(np.isnan(coll), params.fees.collection_rate, coll),
    )


def baseline_arrays(
    table: CompoundTable,
    params: ParameterSet,
    grade: int = DEFAULT_GRADE,
    gate_regime: GateRegime | None = None,
) -> dict[str, FloatArray]:
    """The baseline kernel: every unrounded figure for every compound.

    Parameters
    ----------
    table
        Validated compounds.
    params
        Parameter set.
    grade
        Service grade, 1 (highest) to 5.
    gate_regime
        How the gates are kept; ``None`` takes the grade's regime.

    Returns
    -------
    dict
        Column name -> array. Money in [yuan/year]; staff in [FTE]; rates as named.
    """
    households = table.array("households")
    floor = table.array("floor_area_m2")
    green = table.array("green_area_m2")
    out: dict[str, FloatArray] = {}
    norms = params.grades.grade(grade)
    regime = gate_regime or norms.gate_regime
    gates = table.array("gates")
    staff = staffing_by_role(params, norms, params.labour.market_hiring, households=households,
                             floor_area_m2=floor, green_area_m2=green, gates=gates,
                             gate_regime=regime)
    live_in, remote_help = gate_running_yuan(regime, gates, params)
    staff["order"] = (staff["order"][0], staff["order"][1], staff["order"][2] + live_in)
    for role, (demand, head, cost) in staff.items():
        out[f"demand_fte_{role}"] = demand
        out[f"headcount_fte_{role}"] = head
        out[f"staff_{role}_yuan"] = cost
    head_total = sum_arrays((staff[r][1] for r in ROLES), like=households)
    out["headcount_fte_total"] = head_total
    items = non_staff_cost_items_yuan(
        params.costs,
        households=households,
        floor_area_m2=floor,
        green_area_m2=green,
        build_year=table.array("build_year"),
        as_of_year=params.as_of.year,
        headcount_fte_total=head_total,
    )
    for code, value in items.items():
        out[f"{code}_yuan"] = value
    out["upkeep_yuan"] = out["upkeep_yuan"] + remote_help
    direct = sum_arrays((out[f"{c}_yuan"] for c in BASELINE_COST_LINES if c != "overhead"),
                        like=households)
    out["overhead_yuan"] = overhead_yuan(params.costs.overhead_share_rate, direct)
    service_cost = direct + out["overhead_yuan"]
    price = market_price(service_cost, params.pricing, params.taxes)
    out["margin_yuan"] = price.margin_yuan
    out["vat_yuan"] = price.vat_yuan
    out["surcharges_yuan"] = price.surcharges_yuan
    rate, coll = effective_fee_inputs(table, params)
    out["rate_yuan_per_m2_month"] = rate
    out["collection_rate"] = coll
    out["fee_billed_yuan"] = annual_fee_billed_yuan(floor, rate)
    out["fee_collected_yuan"] = out["fee_billed_yuan"] * coll
    out["total_annual_cost_yuan"] = price.price_yuan
    return out


def baseline_lines_fen(arrays: Mapping[str, FloatArray], *extra: str
                       ) -> dict[str, npt.NDArray[np.int64]]:
    """The cost and price lines of :func:`baseline_arrays` rounded to the fen, in one pass.

    Parameters
    ----------
    arrays
        Output of :func:`baseline_arrays`.
    *extra
        More ``<code>_yuan`` arrays to round with them.

    Returns
    -------
    dict
        Line code (``staff_order``... ``margin``, ``vat``, ``surcharges``, then
        ``extra``) -> amount per compound. [fen/year]
    """
    codes = (*BASELINE_COST_LINES, *_PRICE_LINES, *extra)
    rows = [arrays[f"{code}_yuan"] for code in codes]
    return dict(zip(codes, yuan_rows_to_fen(rows, len(rows[0])), strict=True))


def baseline_price_fen(arrays: Mapping[str, FloatArray]) -> npt.NDArray[np.int64]:
    """The market price as the sum of its lines rounded to the fen. [fen/year]

    ``price = sum of the service-cost lines + margin + VAT + surcharges``, each rounded
    first, so the price is exactly the sum of the lines a report shows.
    """
    fen = baseline_lines_fen(arrays)
    return sum_arrays(fen.values(), like=fen["margin"])


def _report_arrays(table: CompoundTable, arrays: Mapping[str, FloatArray]
                   ) -> dict[str, npt.NDArray[Any]]:
    """Round money lines to the fen, build totals from the rounded lines, add ratios:
    the numeric columns of :func:`market_baseline_district`."""
    cols: dict[str, npt.NDArray[Any]] = {}
    for role in ROLES:
        cols[f"headcount_fte_{role}"] = arrays[f"headcount_fte_{role}"]
    cols["headcount_fte_total"] = arrays["headcount_fte_total"]
    fen = baseline_lines_fen(arrays, "fee_billed", "fee_collected")
    service_fen = sum_arrays((fen[c] for c in BASELINE_COST_LINES), like=fen["margin"])
    total_fen = service_fen + fen["margin"] + fen["vat"] + fen["surcharges"]
    billed_fen, collected_fen = fen["fee_billed"], fen["fee_collected"]
    for code in BASELINE_COST_LINES:
        cols[f"{code}_yuan"] = fen_to_yuan(fen[code])
    cols["service_cost_yuan"] = fen_to_yuan(service_fen)
    for code in _PRICE_LINES:
        cols[f"{code}_yuan"] = fen_to_yuan(fen[code])
    cols["total_annual_cost_yuan"] = fen_to_yuan(total_fen)
    cols["rate_yuan_per_m2_month"] = arrays["rate_yuan_per_m2_month"]
    cols["collection_rate"] = arrays["collection_rate"]
    cols["fee_billed_yuan"] = fen_to_yuan(billed_fen)
    cols["fee_collected_yuan"] = fen_to_yuan(collected_fen)
    cols["balance_yuan"] = fen_to_yuan(collected_fen - total_fen)
    households = table.array("households")
    total = arrays["total_annual_cost_yuan"]
    cols["cost_per_household_month_yuan"] = total / households / 12.0
    cols["break_even_rate_yuan_per_m2_month"] = break_even_rate_yuan_per_m2_month(
        total, table.array("floor_area_m2"), arrays["collection_rate"]
    )
    cols["break_even_collection_rate"] = break_even_collection_rate(
        total, arrays["fee_billed_yuan"]
    )
    return cols


def _report(table: CompoundTable, arrays: Mapping[str, FloatArray]) -> pd.DataFrame:
    """The table of :func:`market_baseline_district`: identity columns, then
    :func:`_report_arrays`. The columns are gathered first and the table built once."""
    f = table.frame
    cols: dict[str, Any] = {name: f[name] for name in (
        "compound_id", "name", "street", "zone", "households", "floor_area_m2", "build_year")}
    cols.update(_report_arrays(table, arrays))
    return pd.DataFrame(cols, index=f.index)


def market_baseline_district(
    compounds: pd.DataFrame | CompoundTable,
    params: ParameterSet | None = None,
    *,
    grade: int = DEFAULT_GRADE,
    gate_regime: GateRegime | None = None,
) -> pd.DataFrame:
    """Stand-alone market baseline of every compound of a table.

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
        How the gates are kept; ``None`` takes the grade's regime.

    Returns
    -------
    pandas.DataFrame
        One row per compound, in input order. Money columns end in ``_yuan`` and are
        annual amounts rounded to the fen [yuan/year]; ``headcount_fte_*`` [FTE];
        ``cost_per_household_month_yuan`` [yuan/(household month)];
        ``break_even_rate_yuan_per_m2_month`` [yuan/(m2 month)];
        ``break_even_collection_rate`` [1] (above 1: unreachable).

    Raises
    ------
    propfee.errors.InputError
        If any row is invalid; every problem is listed.
    """
    params = params or default_parameters()
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    return _report(table, baseline_arrays(table, params, grade, gate_regime))


class BaselineLine(BaseModel):
    """One cost line of a baseline.

    Attributes
    ----------
    code
        Line code (``staff_order``, ``upkeep``, ``vat``...).
    category
        Official category code (see :data:`propfee.costs.COST_CATEGORIES`).
    amount_yuan
        Annual amount, rounded to the fen. [yuan/year]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    category: str
    amount_yuan: float


class BaselineResult(BaseModel):
    """The stand-alone market baseline of one compound.

    Attributes
    ----------
    compound_id
        The compound.
    headcount_fte
        Headcount by role. [FTE]
    lines
        Every cost line, service cost first, then margin and taxes. [yuan/year]
    service_cost_yuan
        Sum of the service-cost lines. [yuan/year]
    total_annual_cost_yuan
        Service cost + margin + VAT + surcharges: the market company's price. [yuan/year]
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
    headcount_fte: dict[str, float]
    lines: tuple[BaselineLine, ...]
    service_cost_yuan: float
    total_annual_cost_yuan: float
    fee_billed_yuan: float
    fee_collected_yuan: float
    balance_yuan: float
    cost_per_household_month_yuan: float
    break_even_rate_yuan_per_m2_month: float
    break_even_collection_rate: float

    def _repr_html_(self) -> str:
        lines = pd.DataFrame([line.model_dump() for line in self.lines])
        head = (f"<p>Market baseline of compound {self.compound_id}: total "
                f"{self.total_annual_cost_yuan:,.2f} yuan/year, balance "
                f"{self.balance_yuan:,.2f} yuan/year</p>")
        return head + lines.to_html(index=False)

    @classmethod
    def from_row(cls, row: pd.Series) -> BaselineResult:
        """Build the result from one row of :func:`market_baseline_district`."""
        return cls(**_result_fields(str(row["compound_id"]),
                                    {str(k): v for k, v in row.items()}))


_RESULT_SCALARS: Final = (
    "service_cost_yuan", "total_annual_cost_yuan", "fee_billed_yuan", "fee_collected_yuan",
    "balance_yuan", "cost_per_household_month_yuan", "break_even_rate_yuan_per_m2_month",
    "break_even_collection_rate",
)


def _result_fields(compound_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a :class:`BaselineResult` from its compound's report columns."""
    return {
        "compound_id": compound_id,
        "headcount_fte": {r: float(values[f"headcount_fte_{r}"]) for r in ROLES},
        "lines": [{"code": code, "category": cat, "amount_yuan": float(values[f"{code}_yuan"])}
                  for code, cat in (*BASELINE_COST_LINES.items(), *_PRICE_LINES.items())],
        **{name: float(values[name]) for name in _RESULT_SCALARS},
    }


def market_baseline(
    compound: Compound,
    params: ParameterSet | None = None,
    *,
    grade: int = DEFAULT_GRADE,
    gate_regime: GateRegime | None = None,
) -> BaselineResult:
    """Stand-alone market baseline of one compound.

    The compound is evaluated as a one-row table by the same kernel as
    :func:`market_baseline_district`.

    Parameters
    ----------
    compound
        The compound.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.
    grade
        Service grade, 1 (highest) to 5.
    gate_regime
        How the gates are kept; ``None`` takes the grade's regime.

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
    cols = _report_arrays(table, baseline_arrays(table, params, grade, gate_regime))
    return BaselineResult.model_validate(_result_fields(
        str(table.text("compound_id")[0]), {name: v[0] for name, v in cols.items()}))


def typical_compounds(
    households: npt.ArrayLike,
    *,
    floor_area_m2_per_household: float = 100.0,
    build_year: int = 2010,
) -> pd.DataFrame:
    """Compounds of ordinary shape for a range of sizes (multi-storey, no lifts).

    Six storeys, two flats per landing: 12 households a stairwell unit, 24 a building
    (rounded up); one gate per 1,000 households (at least one); green area 20% of the
    floor area. Used to calibrate the grades against the guidance prices.

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
    })


def grade_price_curve(
    households: npt.ArrayLike,
    params: ParameterSet | None = None,
    *,
    grades: tuple[int, ...] = (1, 2, 3, 4, 5),
) -> pd.DataFrame:
    """Market price per m2 of :func:`typical_compounds` at each grade, beside its band.

    ``price_yuan_per_m2_month = total_annual_cost_yuan / floor_area_m2 / 12``, for the
    market's hiring mode (``labour.market_hiring``) and for informal hiring (no social
    insurance, no overtime premium, no rounding to posts).

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
        formal = baseline_arrays(table, params, g)["total_annual_cost_yuan"]
        loose = baseline_arrays(table, informal, g)["total_annual_cost_yuan"]
        frames.append(pd.DataFrame({
            "grade": g,
            "households": hh.astype(np.int64),
            "price_yuan_per_m2_month": formal / floor / 12.0,
            "informal_price_yuan_per_m2_month": loose / floor / 12.0,
            "guidance_low_yuan_per_m2_month": centre * (1 - tol),
            "guidance_high_yuan_per_m2_month": centre * (1 + tol),
        }))
    return pd.concat(frames, ignore_index=True)
