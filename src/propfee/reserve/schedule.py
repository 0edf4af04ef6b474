"""The renewal schedule engine: when each item is renewed within a horizon.

One kernel for every renewal in propfee: components of the reserve study, smart devices
of the fund-pool projection, and the Monte Carlo over service lives. Items are arrays of
any shape (compounds x components, draws x compounds x components, ...); the only loop
is over renewal cycles.

Time is counted in years from the start of the first year of the horizon (year index 0).
An item last renewed at time ``tau_0`` (``last_renewed_year - start_year``, <= 0 for the
past) with life ``L`` is due at ``tau_0 + L``; work falls in year index ``floor(tau)``.
Work already overdue at the start is done in year 0 (``tau = 0``). With a fixed life::

    tau_k = tau_0 + k x L            (k = 1, 2, ...; not overdue)
    tau_k = (k - 1) x L              (overdue: renewed at 0, then every L years)

With lives drawn per cycle (Monte Carlo) ``tau_k = tau_{k-1} + L_k``. A reset (the
renovation programme) in year index ``R`` renews the item at ``tau = R``, in place of
any work that would have fallen in year ``R`` or later; the item then runs again from
``R``. The effective age at the end of year index ``t`` is ``t + 1 - tau_last``, where
``tau_last`` is the last renewal up to that year (``tau_0`` if none), capped at the life.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["RenewalSchedule", "renewal_schedule"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class RenewalSchedule:
    """Renewals of every item in every year of a horizon.

    Attributes
    ----------
    counts
        Renewals done in the ordinary way ``(years, *items)``. [1]
    reset_counts
        Renewals done by a reset (the renovation programme) ``(years, *items)``. [1]
    last_renewal
        Time of the last renewal up to the end of each year ``(years, *items)``, in
        years from the start of the horizon; ``None`` unless asked for. [year]
    """

    counts: IntArray
    reset_counts: IntArray
    last_renewal: FloatArray | None

    def effective_age_years(self, life_years: FloatArray) -> FloatArray:
        """Effective age at the end of each year, capped at the life ``(years, *items)``.

        Parameters
        ----------
        life_years
            Service life of each item. [year]

        Returns
        -------
        numpy.ndarray
            ``min(t + 1 - tau_last, life)``, at least 0. [year]
        """
        if self.last_renewal is None:
            raise ValueError("the schedule was made without track_age=True")
        t = np.arange(self.counts.shape[0], dtype=np.float64)
        t = t.reshape((-1,) + (1,) * (self.counts.ndim - 1))
        age = t + 1.0 - self.last_renewal
        return np.clip(age, 0.0, np.asarray(life_years, dtype=np.float64))


def _flat(shape: tuple[int, ...], index: IntArray, valid: npt.NDArray[np.bool_]) -> IntArray:
    """Flat positions ``(index, item)`` of the valid items; each item at most once."""
    items = int(np.prod(shape[1:], dtype=np.int64))
    pick = np.flatnonzero(valid.reshape(-1))
    return index.reshape(-1)[pick].astype(np.int64) * items + pick


def _add(counts: IntArray, index: IntArray, valid: npt.NDArray[np.bool_]) -> None:
    """Add one renewal at ``(index, item)`` for every valid item.

    Positions are unique (one renewal per item per call), so a fancy-index increment
    is exact.
    """
    counts.reshape(-1)[_flat(counts.shape, index, valid)] += 1


def _note(event: FloatArray, index: IntArray, valid: npt.NDArray[np.bool_],
          tau: FloatArray) -> None:
    at = _flat(event.shape, index, valid)
    flat = event.reshape(-1)
    flat[at] = np.maximum(flat[at], tau.reshape(-1)[np.flatnonzero(valid.reshape(-1))])


def renewal_schedule(
    last_renewal: npt.ArrayLike,
    life_years: npt.ArrayLike,
    horizon_years: int,
    *,
    reset_year_index: npt.ArrayLike | None = None,
    draw_life: Callable[[int], FloatArray] | None = None,
    track_age: bool = False,
) -> RenewalSchedule:
    """When each item is renewed within ``horizon_years`` (rules in the module doc).

    Parameters
    ----------
    last_renewal
        Time of the last renewal, in years from the start of the horizon (<= 0). [year]
    life_years
        Service life, > 0; broadcast with ``last_renewal``. [year]
    horizon_years
        Number of years. [year]
    reset_year_index
        Year index of a reset (renovation) per item, NaN for none. [year]
    draw_life
        For Monte Carlo: ``draw_life(k)`` returns the life of cycle ``k`` (1, 2, ...)
        of every item; ``life_years`` then only sets the shape. [year]
    track_age
        Also keep the time of the last renewal per year (for effective ages).

    Returns
    -------
    RenewalSchedule

    Raises
    ------
    ValueError
        If a life is not a positive number (callers name the item in their own errors).
    """
    tau0 = np.asarray(last_renewal, dtype=np.float64)
    life = np.asarray(life_years, dtype=np.float64)
    shape = np.broadcast_shapes(tau0.shape, life.shape)
    tau0 = np.broadcast_to(tau0, shape)
    life = np.broadcast_to(life, shape)
    if not np.all(life > 0):
        raise ValueError("service lives must be positive numbers")
    if reset_year_index is None:
        reset = np.full(shape, np.inf)
    else:
        reset = np.broadcast_to(np.asarray(reset_year_index, dtype=np.float64), shape)
        reset = np.where(np.isnan(reset), np.inf, reset)
    t_count = int(horizon_years)
    counts = np.zeros((t_count, *shape), dtype=np.int64)
    reset_counts = np.zeros((t_count, *shape), dtype=np.int64)
    event = np.full((t_count, *shape), -np.inf) if track_age else None

    def lives(k: int) -> FloatArray:
        return life if draw_life is None else np.broadcast_to(draw_life(k), shape)

    def run(start: FloatArray, end: FloatArray, overdue_allowed: bool) -> None:
        """Renewals after ``start`` in years before ``end`` (exclusive)."""
        first = start + lives(1)
        overdue = (first < 0) if overdue_allowed else np.zeros(shape, dtype=bool)
        tau = np.where(overdue, 0.0, first)
        k = 1
        while True:
            index = np.floor(tau)
            valid = (index < end) & (index < t_count)
            if not valid.any():
                return
            safe = np.where(valid, index, 0).astype(np.int64)
            _add(counts, safe, valid)
            if event is not None:
                _note(event, safe, valid, tau)
            k += 1
            if draw_life is None:  # k x L, not a running sum: no drift at whole years
                tau = np.where(overdue, (k - 1) * life, start + k * life)
            else:
                tau = tau + lives(k)

    run(tau0, reset, overdue_allowed=True)
    has_reset = np.isfinite(reset) & (reset < t_count)
    if has_reset.any():
        at = np.where(has_reset, reset, 0).astype(np.int64)
        _add(reset_counts, at, has_reset)
        if event is not None:
            _note(event, at, has_reset, np.where(has_reset, reset, 0.0))
        run(np.where(has_reset, reset, np.inf), np.full(shape, np.inf), overdue_allowed=False)
    last = None
    if event is not None:
        last = np.maximum(np.maximum.accumulate(event, axis=0), tau0[None])
    return RenewalSchedule(counts=counts, reset_counts=reset_counts, last_renewal=last)
