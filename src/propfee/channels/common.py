"""Vocabulary shared by the channels: roles, payers, channels, bases, and the base model."""

from __future__ import annotations

from typing import Annotated, Final, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from propfee.compound import CompoundTable
from propfee.params.model import ParameterSet

__all__ = [
    "BASES",
    "CHANNELS",
    "KINDS",
    "PAYERS",
    "Basis",
    "Category",
    "Channel",
    "Kind",
    "LineSpec",
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

Kind = Literal["per_use", "standing", "informal", "running", "capital", "in_kind", "service"]
"""What kind of spending a line is.

- ``per_use``: professional jobs charged per use (and their call-out fees);
- ``standing``: standing posts of a contract (staff, margin, crew fee, travel);
- ``informal``: hours of retired workers on a service agreement, hired by the compound;
- ``running``: running costs, materials, insurance of the compound and its devices;
- ``capital``: annualised capital of devices;
- ``in_kind``: volunteer time valued at the shadow wage (no cash);
- ``service``: a service the street office provides.
"""

KINDS: Final[tuple[Kind, ...]] = (
    "per_use", "standing", "informal", "running", "capital", "in_kind", "service"
)


class LineSpec(NamedTuple):
    """What a budget line is, declared once where the line is made.

    An immutable named tuple (cheap to make and to hash: the kernel makes one a line).

    Attributes
    ----------
    code
        Line code, unique within a budget.
    channel
        How the service is delivered.
    category
        Official cost category.
    payer
        Who bears it.
    kind
        What kind of spending it is.
    """

    code: str
    channel: Channel
    category: Category
    payer: Payer
    kind: Kind


Basis = Literal[
    "compound", "household", "gate", "building", "stairwell_unit", "parking_space", "lift",
    "floor_10000_m2", "green_m2", "tree", "pipe_m", "roof_m2", "road_m2",
]
"""What a per-unit quantity is counted against: ``units = units_per_basis x quantity``.

Counted from the compound's fields: ``household``, ``gate``, ``building``,
``stairwell_unit``, ``parking_space``, ``lift``; ``floor_10000_m2`` = floor area / 10,000;
``green_m2`` = green area; derived with the parameter set's ``quantities``:
``tree`` = green area / green_m2_per_tree; ``pipe_m`` = stairwell units x storeys x
pipe_m_per_stairwell_unit_storey; ``roof_m2`` = floor area / storeys;
``road_m2`` = floor area x road_m2_per_floor_m2.
"""

BASES: Final[dict[str, str]] = {
    "compound": "",
    "household": "households",
    "gate": "gates",
    "building": "buildings",
    "stairwell_unit": "stairwell_units",
    "parking_space": "parking_spaces",
    "lift": "lifts",
    "green_m2": "green_area_m2",
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


def basis_quantity(table: CompoundTable, basis: Basis, params: ParameterSet) -> FloatArray:
    """How many of ``basis`` each compound has (1 per compound for ``"compound"``).

    Parameters
    ----------
    table
        Validated compounds.
    basis
        The counting basis (see :data:`Basis`).
    params
        Parameter set (``quantities`` for derived bases).

    Returns
    -------
    numpy.ndarray
        Quantity per compound, in the unit the basis names.

    Examples
    --------
    >>> from propfee.compound import validate_compounds, Compound
    >>> from propfee.params import default_parameters
    >>> t = validate_compounds(Compound(compound_id="a", households=96, floor_area_m2=7200.0,
    ...     build_year=1990, stairwell_units=4, storeys=6, green_area_m2=800.0))
    >>> p = default_parameters()
    >>> [float(basis_quantity(t, b, p)[0]) for b in ("pipe_m", "roof_m2", "tree")]
    [288.0, 1200.0, 20.0]
    """
    column = BASES.get(basis)
    if column == "":
        return np.ones(len(table), dtype=np.float64)
    if column is not None:
        return table.array(column)
    q = params.quantities
    floor = table.array("floor_area_m2")
    if basis == "floor_10000_m2":
        return floor / 10000.0
    if basis == "tree":
        return table.array("green_area_m2") / q.green_m2_per_tree
    if basis == "pipe_m":
        return (table.array("stairwell_units") * table.array("storeys")
                * q.pipe_m_per_stairwell_unit_storey)
    if basis == "roof_m2":
        return floor / table.array("storeys")
    if basis == "road_m2":
        return floor * q.road_m2_per_floor_m2
    raise ValueError(f"unknown basis {basis!r}")
