"""The work ledger: every piece of a compound's work supplied exactly once.

For every compound and work category (:mod:`propfee.work.categories`) the ledger starts
from the demand and records each supplier's part as the channels take it in turn; the
market buys whatever is left (:mod:`propfee.work.market`). Quantities are kept as whole
**micro-units** (10^-6 of the category's unit: a micro-hour, a micro-use) in int64, so
that, for every compound and category, in any order::

    demand = sum over suppliers of supplied          (exactly, in micro-units)

holds by integer arithmetic, not by the luck of float rounding. A supplier offers an
amount (a float in the category's unit); it gets ``min(offer, what is left)``, the offer
rounded to the nearest micro-unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["MICRO", "WorkLedger", "to_micro"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MICRO: Final = 1_000_000
"""Micro-units per unit of a category (a micro-hour, a micro-use...)."""

_MAX_UNITS: Final = 9.0e12
"""Largest amount of one category a compound may need, in its unit (9 x 10^18
micro-units fit int64); the compound bounds keep every demand far below it."""


def to_micro(amount: npt.ArrayLike) -> IntArray:
    """An amount in a category's unit as whole micro-units (nearest; negative to 0).

    Examples
    --------
    >>> to_micro([1.5, 2e-7, -3.0]).tolist()
    [1500000, 0, 0]
    """
    # Two ufuncs rather than np.clip, whose Python wrapper costs more than the work on
    # the few compounds of a single call (the same numbers, NaN included).
    a = np.minimum(np.maximum(np.asarray(amount, dtype=np.float64), 0.0), _MAX_UNITS)
    micro = np.floor(a * MICRO + 0.5).astype(np.int64)
    return micro if micro.ndim else micro.reshape(1)


class WorkLedger:
    """Demand and supplies of every work category of a set of compounds.

    Parameters
    ----------
    demand
        Category -> amount per compound, in the category's unit.

    Examples
    --------
    One compound needs 100 h of cleaning; volunteers offer 30.25 h and the market buys
    the rest:

    >>> ledger = WorkLedger({"cleaning": np.array([100.0])})
    >>> ledger.supply("self_governance", "cleaning", np.array([30.25])).tolist()
    [30.25]
    >>> ledger.supply_rest("market", "cleaning").tolist()
    [69.75]
    >>> ledger.balance_problems()
    []
    """

    __slots__ = ("_demand", "_remaining", "_supplied", "n")

    def __init__(self, demand: Mapping[str, npt.ArrayLike]) -> None:
        self._demand = {name: to_micro(v) for name, v in demand.items()}
        lengths = {len(v) for v in self._demand.values()}
        if len(lengths) > 1:
            raise ValueError(f"demand arrays differ in length: {sorted(lengths)}")
        self.n = lengths.pop() if lengths else 0
        self._remaining = dict(self._demand)
        self._supplied: dict[tuple[str, str], IntArray] = {}

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories, in the order of the demand."""
        return tuple(self._demand)

    def demand(self, category: str) -> FloatArray:
        """Demand of one category per compound, in its unit."""
        return self._demand[category] / MICRO

    def remaining(self, category: str) -> FloatArray:
        """What no supplier has taken yet, in the category's unit."""
        return self._remaining[category] / MICRO

    def supply(self, supplier: str, category: str, offered: npt.ArrayLike,
               where: npt.NDArray[np.bool_] | None = None) -> FloatArray:
        """Let a supplier take up to ``offered`` of what is left; return what it took.

        Parameters
        ----------
        supplier
            Who supplies (a channel name).
        category
            The work category.
        offered
            What the supplier can supply, per compound (or one value), in the
            category's unit.
        where
            Only these compounds (the supplier takes nothing elsewhere).

        Returns
        -------
        numpy.ndarray
            ``min(offered, remaining)`` per compound, in the category's unit.
        """
        left = self._remaining[category]
        got = np.minimum(to_micro(offered), left)
        if got.shape != left.shape:
            raise ValueError(f"offer of shape {np.shape(offered)} for {left.shape} compounds")
        if where is not None:
            got = np.where(where, got, 0)
        return self._record(supplier, category, got)

    def supply_rest(self, supplier: str, category: str,
                    where: npt.NDArray[np.bool_] | None = None) -> FloatArray:
        """Let a supplier take everything that is left (where given); return it."""
        got = self._remaining[category]
        if where is not None:
            got = np.where(where, got, 0)
        return self._record(supplier, category, got)

    def _record(self, supplier: str, category: str, got: IntArray) -> FloatArray:
        self._remaining[category] = self._remaining[category] - got
        key = (supplier, category)
        before = self._supplied.get(key)
        self._supplied[key] = got if before is None else before + got
        return got / MICRO

    def supplied(self, supplier: str, category: str) -> FloatArray:
        """What one supplier supplied of one category, in its unit (zero if nothing)."""
        got = self._supplied.get((supplier, category))
        return np.zeros(self.n) if got is None else got / MICRO

    def supplied_micro(self) -> dict[tuple[str, str], IntArray]:
        """Every ``(supplier, category)`` supply in micro-units (a copy of the mapping)."""
        return dict(self._supplied)

    def demand_micro(self) -> dict[str, IntArray]:
        """Every category's demand in micro-units (a copy of the mapping)."""
        return dict(self._demand)

    def balance_problems(self) -> list[str]:
        """Categories where demand differs from the sum of supplies (should be none).

        Returns
        -------
        list of str
            One message per category whose demand is not exactly the sum of what was
            supplied (work left unsupplied, or supplied twice).
        """
        problems = []
        for name, need in self._demand.items():
            total = np.zeros_like(need)
            for (_, category), got in self._supplied.items():
                if category == name:
                    total = total + got
            bad = np.flatnonzero(total != need)
            if len(bad):
                i = int(bad[0])
                problems.append(f"{name}: demand {need[i] / MICRO} but supplied "
                                f"{total[i] / MICRO} (row {i}, {len(bad)} rows)")
        return problems

    def take(self, rows: slice | npt.NDArray[np.int64]) -> WorkLedger:
        """The ledger of the compounds at ``rows`` (a copy)."""
        out = WorkLedger.__new__(WorkLedger)
        out._demand = {k: v[rows] for k, v in self._demand.items()}
        out._remaining = {k: v[rows] for k, v in self._remaining.items()}
        out._supplied = {k: v[rows] for k, v in self._supplied.items()}
        out.n = len(next(iter(out._demand.values()))) if out._demand else 0
        return out
