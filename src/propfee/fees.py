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

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from propfee.params.model import PricingParams, TaxParams

__all__ = [
    "MONTHS_PER_YEAR",
    "FeeSchedule",
    "MarketPrice",
    "annual_fee_billed_yuan",
    "annual_fee_collected_yuan",
    "break_even_collection_rate",
    "break_even_rate_yuan_per_m2_month",
    "market_price",
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
    cost = np.atleast_1d(np.asarray(service_cost_yuan, dtype=np.float64))
    rate = pricing.profit_rate if pricing.model == "lump_sum" else pricing.commission_rate
    margin = cost * rate
    vat = (cost + margin) * taxes.vat_rate
    surcharges = vat * taxes.surcharge_rate
    return MarketPrice(margin, vat, surcharges, cost + margin + vat + surcharges)


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
