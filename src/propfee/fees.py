"""Fee arithmetic and the pricing models of a market property company.

Formulas (vectorised over compounds)::

    fee_billed_yuan_per_year    = floor_area_m2 * rate_yuan_per_m2_month * 12
    fee_collected_yuan_per_year = fee_billed_yuan_per_year * collection_rate

    lump-sum (包干制):   margin = profit_rate * service_cost
    commission (酬金制): margin = commission_rate * service_cost
    vat        = vat_rate * (service_cost + margin)
    surcharges = surcharge_rate * vat
    price      = service_cost + margin + vat + surcharges

    break_even_rate_yuan_per_m2_month = price / (floor_area_m2 * 12 * collection_rate)
    break_even_collection_rate        = price / fee_billed_yuan_per_year
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from propfee.compound import CompoundTable
from propfee.money import yuan_to_fen
from propfee.params.model import ParameterSet, PricingParams, TaxParams

__all__ = [
    "MONTHS_PER_YEAR",
    "FeeSchedule",
    "MarketPrice",
    "annual_fee_billed_yuan",
    "annual_fee_collected_yuan",
    "break_even_collection_rate",
    "break_even_rate_yuan_per_m2_month",
    "effective_fee_inputs",
    "fee_collected_fen",
    "market_price",
    "price_parts",
]

FloatArray = npt.NDArray[np.float64]

MONTHS_PER_YEAR = 12.0
"""Months in a year. [month/year]"""


class FeeSchedule(BaseModel):
    """A property fee schedule.

    Attributes
    ----------
    rate_yuan_per_m2_month
        Fee rate. [yuan/(m2 month)]
    collection_rate
        Expected share of the billed fee collected. [1]
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    rate_yuan_per_m2_month: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    collection_rate: Annotated[float, Field(ge=0, le=1)]


def annual_fee_billed_yuan(
    floor_area_m2: npt.ArrayLike, rate_yuan_per_m2_month: npt.ArrayLike
) -> FloatArray:
    """Fee billed in a year: ``floor_area_m2 * rate_yuan_per_m2_month * 12``.

    Parameters
    ----------
    floor_area_m2
        Floor area. [m2]
    rate_yuan_per_m2_month
        Fee rate. [yuan/(m2 month)]

    Returns
    -------
    numpy.ndarray
        Fee billed. [yuan/year]

    Examples
    --------
    The source's figure: 100 households x 100 m2 at 0.5 yuan/m2/month.

    >>> float(annual_fee_billed_yuan(100 * 100.0, 0.5)[0])
    60000.0
    """
    return np.atleast_1d(
        np.asarray(floor_area_m2, dtype=np.float64)
        * np.asarray(rate_yuan_per_m2_month, dtype=np.float64)
        * MONTHS_PER_YEAR
    )


def annual_fee_collected_yuan(
    floor_area_m2: npt.ArrayLike,
    rate_yuan_per_m2_month: npt.ArrayLike,
    collection_rate: npt.ArrayLike,
) -> FloatArray:
    """Fee collected in a year: billed fee times the collection rate.

    Parameters
    ----------
    floor_area_m2
        Floor area. [m2]
    rate_yuan_per_m2_month
        Fee rate. [yuan/(m2 month)]
    collection_rate
        Share of the billed fee collected. [1]

    Returns
    -------
    numpy.ndarray
        Fee collected. [yuan/year]
    """
    return annual_fee_billed_yuan(floor_area_m2, rate_yuan_per_m2_month) * np.asarray(
        collection_rate, dtype=np.float64
    )


@dataclass(frozen=True, slots=True)
class MarketPrice:
    """A market company's price, split into its parts. All arrays in [yuan/year].

    Attributes
    ----------
    margin_yuan
        Profit (lump-sum) or commission (commission model).
    vat_yuan
        Value-added tax.
    surcharges_yuan
        Surcharges on the VAT.
    price_yuan
        Service cost + margin + VAT + surcharges.
    """

    margin_yuan: FloatArray
    vat_yuan: FloatArray
    surcharges_yuan: FloatArray
    price_yuan: FloatArray


def price_parts(
    service_cost_yuan: npt.ArrayLike,
    margin_rate: npt.ArrayLike,
    vat_rate: npt.ArrayLike,
    surcharge_rate: npt.ArrayLike,
) -> MarketPrice:
    """A service cost priced with a margin and taxes (the formula of :func:`market_price`).

    ``margin = margin_rate * cost``; ``vat = vat_rate * (cost + margin)``;
    ``surcharges = surcharge_rate * vat``; ``price = cost + margin + vat + surcharges``.

    Parameters
    ----------
    service_cost_yuan
        Service cost. [yuan/year]
    margin_rate
        Profit or commission rate on the cost. [1]
    vat_rate
        VAT rate. [1]
    surcharge_rate
        Surcharges as a share of the VAT. [1]

    Returns
    -------
    MarketPrice
    """
    cost = np.atleast_1d(np.asarray(service_cost_yuan, dtype=np.float64))
    margin = cost * np.asarray(margin_rate, dtype=np.float64)
    vat = (cost + margin) * np.asarray(vat_rate, dtype=np.float64)
    surcharges = vat * np.asarray(surcharge_rate, dtype=np.float64)
    return MarketPrice(margin, vat, surcharges, cost + margin + vat + surcharges)


def market_price(
    service_cost_yuan: npt.ArrayLike, pricing: PricingParams, taxes: TaxParams
) -> MarketPrice:
    """Price a service cost under the lump-sum or commission model.

    Parameters
    ----------
    service_cost_yuan
        Service cost (lump-sum) or service spending (commission). [yuan/year]
    pricing
        Pricing model and margin rates.
    taxes
        VAT and surcharge rates.

    Returns
    -------
    MarketPrice

    Examples
    --------
    100,000 yuan of cost, 8% profit, 6% VAT, 12% surcharges:
    margin 8,000; VAT 0.06 x 108,000 = 6,480; surcharges 0.12 x 6,480 = 777.6;
    price 115,257.6 yuan.

    >>> from propfee.params import default_parameters
    >>> p = default_parameters()
    >>> round(float(market_price(100_000.0, p.pricing, p.taxes).price_yuan[0]), 2)
    115257.6
    """
    rate = pricing.profit_rate if pricing.model == "lump_sum" else pricing.commission_rate
    return price_parts(service_cost_yuan, rate, taxes.vat_rate, taxes.surcharge_rate)


def break_even_rate_yuan_per_m2_month(
    annual_cost_yuan: npt.ArrayLike,
    floor_area_m2: npt.ArrayLike,
    collection_rate: npt.ArrayLike,
) -> FloatArray:
    """Fee rate at which collected fees equal a cost.

    ``rate = annual_cost_yuan / (floor_area_m2 * 12 * collection_rate)``; ``inf``
    where nothing is collected (no rate can break even).

    Parameters
    ----------
    annual_cost_yuan
        The cost to cover. [yuan/year]
    floor_area_m2
        Floor area. [m2]
    collection_rate
        Share of the billed fee collected. [1]

    Returns
    -------
    numpy.ndarray
        Break-even fee rate. [yuan/(m2 month)]
    """
    denom = (
        np.asarray(floor_area_m2, dtype=np.float64)
        * MONTHS_PER_YEAR
        * np.asarray(collection_rate, dtype=np.float64)
    )
    cost = np.asarray(annual_cost_yuan, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denom > 0, cost / np.where(denom > 0, denom, 1.0), np.inf)
    return np.atleast_1d(np.where(cost <= 0, 0.0, out))


def break_even_collection_rate(
    annual_cost_yuan: npt.ArrayLike, fee_billed_yuan: npt.ArrayLike
) -> FloatArray:
    """Collection rate at which collected fees equal a cost.

    ``rate = annual_cost_yuan / fee_billed_yuan``. A value above 1 means no
    collection rate can break even at the billed fee; ``inf`` where nothing is billed.

    Parameters
    ----------
    annual_cost_yuan
        The cost to cover. [yuan/year]
    fee_billed_yuan
        Fee billed. [yuan/year]

    Returns
    -------
    numpy.ndarray
        Break-even collection rate. [1]
    """
    billed = np.asarray(fee_billed_yuan, dtype=np.float64)
    cost = np.asarray(annual_cost_yuan, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(billed > 0, cost / np.where(billed > 0, billed, 1.0), np.inf)
    return np.atleast_1d(np.where(cost <= 0, 0.0, out))


def effective_fee_inputs(
    table: CompoundTable, params: ParameterSet,
    values: Mapping[str, float | FloatArray] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Each compound's fee rate and collection rate: its own where given, else the set's.

    Parameters
    ----------
    table
        Validated compounds.
    params
        Parameter set (``fees.*``).
    values
        Numeric parameter values by path, some perhaps one per compound; default: those
        of ``params``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(rate [yuan/(m2 month)], collection_rate [1])``.
    """
    rate = table.array("fee_rate_yuan_per_m2_month")
    coll = table.array("collection_rate")
    default_rate = (params.fees.rate_yuan_per_m2_month if values is None
                    else values["fees.rate_yuan_per_m2_month"])
    default_coll = (params.fees.collection_rate if values is None
                    else values["fees.collection_rate"])
    return (np.where(np.isnan(rate), default_rate, rate),
            np.where(np.isnan(coll), default_coll, coll))


def fee_collected_fen(
    table: CompoundTable, params: ParameterSet,
    values: Mapping[str, float | FloatArray] | None = None,
) -> npt.NDArray[np.int64]:
    """Fee collected per compound, rounded to the fen (half away from zero). [fen/year]

    ``floor_area_m2 * rate * 12 * collection_rate`` with each compound's own rate and
    collection rate where given (:func:`effective_fee_inputs`).

    Examples
    --------
    The source's compound: 10,000 m2 at 0.5 yuan/m2/month, 70% collected: 42,000 yuan.

    >>> from propfee.compound import Compound, validate_compounds
    >>> from propfee.params import default_parameters
    >>> t = validate_compounds(Compound(compound_id="c", households=100,
    ...                                 floor_area_m2=10_000.0, build_year=1990))
    >>> fee_collected_fen(t, default_parameters()).tolist()
    [4200000]
    """
    rate, coll = effective_fee_inputs(table, params, values)
    return yuan_to_fen(annual_fee_billed_yuan(table.array("floor_area_m2"), rate) * coll)
