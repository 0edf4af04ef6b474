"""Vocabulary shared by the channels: roles, payers, channels, bases, and the base model."""

from __future__ import annotations

from typing import Annotated, Final, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from propfee.compound import CompoundTable

__all__ = [
    "BASES",
    "CHANNELS",
    "PAYERS",
    "Basis",
    "Category",
    "Channel",
    "Payer",
    "PlanModel",
    "Role",
    "basis_quantity",
    "unique_names",
]

FloatArray = npt.NDArray[np.float64]

Role = Literal["cleaning", "order", "maintenance", "greening", "management"]
"""A staff role (see :data:`propfee.staffing.ROLES`)."""

Payer = Literal[
    "residents_fees", "fund_pool", "street_office", "renovation_programme", "volunteers_in_kind"
]
"""Who bears a cost line."""

PAYERS: Final[tuple[Payer, ...]] = (
    "residents_fees", "fund_pool", "street_office", "renovation_programme", "volunteers_in_kind"
)

Channel = Literal[
    "self_governance", "shared_property", "street_fallback", "smart_devices",
    "public_income", "direct",
]
"""How a service is delivered: the four managements, the public-income subsidy, and
``direct`` for what the compound buys itself (utilities, materials, insurance)."""

CHANNELS: Final[tuple[Channel, ...]] = (
    "shared_property", "self_governance", "street_fallback", "smart_devices", "public_income",
    "direct",
)

Category = Literal[
    "staff", "upkeep", "cleaning", "greening", "order", "office", "depreciation", "insurance",
    "other", "overhead", "margin", "tax",
]
"""An official cost category (see :data:`propfee.costs.COST_CATEGORIES`)."""

Basis = Literal["compound", "household", "gate", "building", "stairwell_unit", "parking_space"]
"""What a per-unit quantity is counted against: ``units = units_per_basis x quantity``."""

BASES: Final[dict[str, str]] = {
    "compound": "",
    "household": "households",
    "gate": "gates",
    "building": "buildings",
    "stairwell_unit": "stairwell_units",
    "parking_space": "parking_spaces",
}

Name = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_]+$")]
"""An item name: letters, digits and underscores (it appears in override column paths)."""

NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Rate = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class PlanModel(BaseModel):
    """Base of every plan model: frozen, strict, unknown fields forbidden."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


def unique_names(items: tuple[BaseModel, ...], key: str = "name") -> None:
    """Raise ``ValueError`` if two items share the same ``key`` (item names appear in
    override paths and line codes, so they must be unique within their list)."""
    names = [getattr(item, key) for item in items]
    if len(set(names)) != len(names):
        raise ValueError(f"{key}s must be unique, got {names}")


def basis_quantity(table: CompoundTable, basis: Basis) -> FloatArray:
    """How many of ``basis`` each compound has (1 per compound for ``"compound"``).

    Parameters
    ----------
    table
        Validated compounds.
    basis
        The counting basis.

    Returns
    -------
    numpy.ndarray
        Quantity per compound. [households], [gates], [buildings], [units] or [spaces]
    """
    column = BASES[basis]
    if not column:
        return np.ones(len(table), dtype=np.float64)
    return table.array(column)
