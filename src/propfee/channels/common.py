"""Vocabulary shared by the channels: channels, payers, kinds, lines, and the plan shapes.

Every channel's settings have one shape (:class:`Section`): a tuple of named items
(volunteer tasks, job terms, street items, devices, income sources), each item a
frozen model whose numeric fields a per-compound override can change, plus the
section's own fields. Every number a plan may hold is bounded (:data:`Price`,
:data:`Amount`, :data:`Rate`...), so that every total the library prints stays exact
to the fen.
"""

from __future__ import annotations

from typing import Annotated, Final, Generic, Literal, NamedTuple, Protocol, TypeVar

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, field_validator

from propfee.quantities import BASES, WorkBasis, basis_quantity

__all__ = [
    "BASES",
    "CHANNELS",
    "CREDIT_CHANNELS",
    "KINDS",
    "MAX_ITEMS",
    "PAYERS",
    "Amount",
    "Category",
    "Channel",
    "Item",
    "ItemValues",
    "Kind",
    "LineSpec",
    "Name",
    "Payer",
    "PlanModel",
    "Price",
    "Rate",
    "Section",
    "WorkBasis",
    "basis_quantity",
]

FloatArray = npt.NDArray[np.float64]

Payer = Literal["fund_pool", "lift_levy", "street_office", "renovation_programme",
                "volunteers_in_kind"]
"""Who bears a cost line.

- ``fund_pool``: the compound's own cash (资金池), which residents' fees, public income
  and any street subsidy fill;
- ``lift_levy``: the households of the stairwell units with a lift, who pay for
  their lift's care and electricity by a levy of their own (DOMAIN: lifts added under the
  renovation programme are paid by the households of that unit, not the whole compound);
- ``street_office``: the street office, for the services it provides;
- ``renovation_programme``: the old-compound renovation programme (device capital);
- ``volunteers_in_kind``: volunteers' time, valued at the shadow wage (no cash).
"""

PAYERS: Final[tuple[Payer, ...]] = (
    "fund_pool", "lift_levy", "street_office", "renovation_programme",
    "volunteers_in_kind"
)

Channel = Literal[
    "self_governance", "shared_property", "street_fallback", "smart_devices",
    "public_income", "direct", "market",
]
"""Who supplies a piece of work or bears a cost: the four managements, the
public-income subsidy, ``direct`` for the compound's own running costs (electricity,
water, materials, insurance), and ``market`` for the work no channel supplies, bought
from a market company at market prices."""

CHANNELS: Final[tuple[Channel, ...]] = (
    "shared_property", "self_governance", "street_fallback", "smart_devices", "public_income",
    "direct", "market",
)

CREDIT_CHANNELS: Final[tuple[Channel, ...]] = (
    "shared_property", "self_governance", "street_fallback", "smart_devices", "public_income"
)
"""The five channels of the 4+1 that can be switched on and off."""

Category = Literal[
    "staff", "upkeep", "cleaning", "greening", "order", "office", "depreciation", "insurance",
    "other", "overhead", "margin", "tax",
]
"""An official cost category (see :data:`propfee.costs.COST_CATEGORIES`)."""

Kind = Literal[
    "per_use", "standing", "informal", "running", "capital", "in_kind", "service", "market"
]
"""What kind of spending a line is.

- ``per_use``: jobs of the shared company charged per use (and their call-outs);
- ``standing``: standing posts of a shared contract (staff, margin, crew fee, travel);
- ``informal``: hours of retired workers on a service agreement, or a live-in
  gatekeeper, hired by the residents' own organisation;
- ``running``: running costs of the compound and its devices;
- ``capital``: annualised capital of devices;
- ``in_kind``: volunteer time that supplies work, at the shadow wage (no cash);
- ``service``: a service the street office provides;
- ``market``: work bought from a market company at market prices.
"""

KINDS: Final[tuple[Kind, ...]] = (
    "per_use", "standing", "informal", "running", "capital", "in_kind", "service", "market"
)


class LineSpec(NamedTuple):
    """What a budget line is, declared once where the line is made.

    Attributes
    ----------
    code
        Line code, unique within a budget.
    channel
        Who supplies the work or bears the cost.
    category
        Official cost category.
    payer
        Who bears it.
    kind
        What kind of spending it is.
    work
        The work category the line pays for (``cleaning``, ``gate``, a job...); ``"*"``
        for a supplier's overhead on all the work it supplies (margin, taxes,
        depreciation, a crew fee); ``""`` for a running cost that is no work (electricity,
        water, materials, insurance, office) or a device that supplies none.
    """

    code: str
    channel: Channel
    category: Category
    payer: Payer
    kind: Kind
    work: str = ""


Name = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_]+$")]
"""An item name: letters, digits and underscores (it appears in override column paths)."""

Amount = Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)]
"""A count per unit of a basis, hours a week, or another plain amount of a plan."""

Price = Annotated[float, Field(ge=0, le=1e7, allow_inf_nan=False)]
"""A price in yuan (per unit, per year, per use...): at most 10 million."""

Rate = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
"""A share between 0 and 1."""

MAX_ITEMS: Final = 200
"""Most items a section of a plan may hold (a plan of 200,000 jobs is a mistake)."""


class PlanModel(BaseModel):
    """Base of every plan model: frozen, strict, unknown fields forbidden."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Item(PlanModel):
    """An item of a channel's settings: a unique name and numeric fields.

    Attributes
    ----------
    name
        The item's name, unique within its section.
    """

    name: Name


ItemT = TypeVar("ItemT", bound=Item)


class Section(PlanModel, Generic[ItemT]):
    """A channel's settings: named items (at most :data:`MAX_ITEMS`, names unique).

    Attributes
    ----------
    items
        The items.
    """

    items: Annotated[tuple[ItemT, ...], Field(strict=False, max_length=MAX_ITEMS)] = ()

    @field_validator("items")
    @classmethod
    def _unique_names(cls, items: tuple[ItemT, ...]) -> tuple[ItemT, ...]:
        names = [item.name for item in items]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"item names must be unique; given more than once: {twice}")
        return items

    def names(self) -> tuple[str, ...]:
        """The items' names, in order."""
        return tuple(item.name for item in self.items)


class ItemValues(Protocol):
    """Per-compound values of the plan's item fields (what a resolved plan provides).

    ``value(section, name, field)`` gives one item field for every compound;
    ``rows(section, names, field)`` one field of several items, one row an item (shape
    ``(len(names), 1)`` where no compound overrides them, else ``(len(names), n)``).
    """

    def value(self, section: str, name: str, field: str) -> FloatArray:
        """One item field per compound."""
        ...

    def rows(self, section: str, names: tuple[str, ...], field: str) -> FloatArray:
        """One field of several items, one row an item."""
        ...
