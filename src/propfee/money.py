"""Money at the edge: rounding to the fen and exact allocation.

Kernels compute in float64 yuan. Results are reported in fen (0.01 yuan) with
round-half-away-from-zero, and every reported total is the integer sum of its
reported line items, so tables add up exactly. Splitting an amount among several
parties is done in integer fen with the largest-remainder (Hamilton) method, ties
broken by a stable key, never by position.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee.errors import InputError, Problem

__all__ = [
    "FEN_PER_YUAN",
    "GroupLayout",
    "allocate_fen",
    "allocate_fen_grouped",
    "fen_rows_to_yuan",
    "fen_to_yuan",
    "key_rank",
    "yuan_rows_to_fen",
    "yuan_to_fen",
]

FEN_PER_YUAN = 100
"""Fen in one yuan. [fen/yuan]"""


def yuan_to_fen(amount_yuan: npt.ArrayLike,
                out: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.int64]:
    """Round amounts in yuan to whole fen, half away from zero.

    Parameters
    ----------
    amount_yuan
        Amounts. [yuan]
    out
        Where to write the result (an int64 array of the amounts' shape); a new
        array if not given.

    Returns
    -------
    numpy.ndarray of int64
        The amounts in whole fen (``out`` if given). [fen]

    Raises
    ------
    ValueError
        If any amount is NaN or infinite, or 2**63 fen (about 9.2e16 yuan) or more in
        size: such a value is never reported as money.
    """
    a = np.asarray(amount_yuan, dtype=np.float64)
    scaled = np.multiply(a.reshape(-1), FEN_PER_YUAN)
    if scaled.size and np.minimum.reduce(scaled) >= 0 and (
            np.maximum.reduce(scaled) < _EXACT_FEN):  # false for NaN
        # The usual case, no negative amount: floor(x + 0.5 + 1e-9) written to int64
        # by adding 1.5 * 2**52, whose last bits are then the whole number itself
        # (exact below 2**51; a plain cast to int64 is several times slower).
        scaled += 0.5
        scaled += 1e-9
        np.floor(scaled, out=scaled)
        scaled += _MAGIC
        bits = scaled.view(np.int64)
        if out is None:
            return np.subtract(bits, _MAGIC_BITS, out=bits).reshape(a.shape)
        np.subtract(bits.reshape(a.shape), _MAGIC_BITS, out=out)
        return out
    # One reduction finds NaN and infinity (inf - inf is NaN too).
    if not np.isfinite(np.add.reduce(scaled)):
        raise ValueError("cannot round a NaN or infinite amount to the fen")
    # np.round rounds half to even; money rounds half away from zero. The 1e-9
    # nudge absorbs binary representation error (2.675 is stored as 2.67499...).
    magnitude = np.abs(scaled)
    if magnitude.size and np.maximum.reduce(magnitude) >= _INT64_FEN:
        largest = float(np.maximum.reduce(magnitude)) / FEN_PER_YUAN
        raise ValueError(f"cannot round an amount as large as {largest:.4g} yuan to the "
                         "fen: whole fen end at 2**63 (about 9.2e16 yuan)")
    magnitude += 0.5
    magnitude += 1e-9
    np.floor(magnitude, out=magnitude)
    np.copysign(magnitude, scaled, out=magnitude)
    if out is None:
        return magnitude.astype(np.int64).reshape(a.shape)
    np.copyto(out, magnitude.reshape(a.shape), casting="unsafe")  # whole numbers: exact
    return out


_EXACT_FEN: Final = float(2**51)
"""Below this many fen, a whole number plus :data:`_MAGIC` is exact in float64. [fen]"""

_INT64_FEN: Final = float(2**63)
"""From this many fen on, an amount has no int64 value (float64 to int64 would wrap). [fen]"""

_MAGIC: Final = 1.5 * 2.0**52
"""1.5 * 2**52: added to a whole number below 2**51, it leaves that number in the low
bits of the float64's pattern."""

_MAGIC_BITS: Final = int(np.float64(_MAGIC).view(np.int64))
"""The bit pattern of :data:`_MAGIC` read as an int64."""


ROUND_BLOCK = 16_384
"""Amounts :func:`yuan_rows_to_fen` rounds in one call: many rows of a few compounds at
once, long rows one by one (so the work stays in the CPU cache)."""


def yuan_rows_to_fen(rows: Sequence[npt.ArrayLike], n: int) -> npt.NDArray[np.int64]:
    """Round several amounts, each per compound, to the fen as the rows of one matrix.

    The same rounding as :func:`yuan_to_fen`, made for many rows at a time.

    Parameters
    ----------
    rows
        Amounts, each of length ``n`` or broadcasting to it. [yuan]
    n
        Number of compounds.

    Returns
    -------
    numpy.ndarray of int64
        Shape ``(len(rows), n)``: row ``i`` is ``rows[i]`` in whole fen. [fen]

    Examples
    --------
    >>> yuan_rows_to_fen([[0.005, 1.0], 2.675], 2).tolist()
    [[1, 100], [268, 268]]
    """
    fen = np.empty((len(rows), n), dtype=np.int64)
    block = ROUND_BLOCK // max(n, 1)
    if block <= 1:  # long rows: one at a time, no copy into a matrix
        for i, amount in enumerate(rows):
            yuan_to_fen(np.broadcast_to(amount, (n,)), out=fen[i])
        return fen
    for first in range(0, len(rows), block):
        part = rows[first:first + block]
        try:  # rows of one length: one call
            matrix = np.array(part, dtype=np.float64)
        except ValueError:  # rows of different lengths
            matrix = np.empty(0)
        if matrix.shape != (len(part), n):
            matrix = np.empty((len(part), n), dtype=np.float64)
            for i, amount in enumerate(part):
                matrix[i] = amount
        yuan_to_fen(matrix, out=fen[first:first + len(part)])
    return fen


def fen_rows_to_yuan(rows: dict[str, npt.NDArray[np.int64]], n: int
                     ) -> dict[str, npt.NDArray[np.float64]]:
    """:func:`fen_to_yuan` of several amounts, each per compound (one division for many
    short rows).

    Parameters
    ----------
    rows
        Name -> amount per compound, each of length ``n``. [fen]
    n
        Number of compounds.

    Returns
    -------
    dict
        Name -> amount, in the same order. [yuan]
    """
    if n * len(rows) > ROUND_BLOCK:
        return {name: fen_to_yuan(v) for name, v in rows.items()}
    matrix = np.array(list(rows.values()), dtype=np.int64).reshape(len(rows), n)
    return dict(zip(rows, matrix / FEN_PER_YUAN, strict=True))


def fen_to_yuan(amount_fen: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Express whole fen as yuan (for display and DataFrames).

    Parameters
    ----------
    amount_fen
        Amounts. [fen]

    Returns
    -------
    numpy.ndarray of float64
        The amounts. [yuan]
    """
    return np.asarray(amount_fen, dtype=np.int64) / FEN_PER_YUAN


def allocate_fen(
    total_fen: int,
    weights: npt.ArrayLike,
    keys: Sequence[str] | npt.ArrayLike,
) -> npt.NDArray[np.int64]:
    """Split a whole number of fen among parties in proportion to weights.

    Largest-remainder (Hamilton) method in integer arithmetic: the weights are first
    made whole units (:class:`GroupLayout`); each party gets the floor of its exact
    quota ``total_fen * u_i / sum(u)``, and the fen left over go one each to the
    parties with the largest remainders ``total_fen * u_i mod sum(u)``. Equal
    remainders are broken by ``keys`` in ascending order. Every step is an integer
    operation, so the result never depends on the order of rows or of additions.

    Parameters
    ----------
    total_fen
        The amount to split. [fen]
    weights
        Non-negative allocation weights, one per party (any unit). Whole-number weights
        (fen, households, uses) are used exactly, so only their ratios matter; other
        weights are used to 26-31 significant bits, so two weights whose decimal ratio
        is exact (0.1 and 0.2) may not be in that ratio in binary: give whole numbers
        where a tie must go by the key.
    keys
        Unique, sortable party keys (compound ids), used only to break ties.

    Returns
    -------
    numpy.ndarray of int64
        Each party's share; the shares sum exactly to ``total_fen``. [fen]

    Raises
    ------
    ValueError
        If weights are negative, NaN, all zero while ``total_fen`` is not, or if
        ``keys`` are not unique or do not match the weights in length.

    Examples
    --------
    >>> allocate_fen(100, [1, 1, 1], ["a", "b", "c"]).tolist()
    [34, 33, 33]
    >>> allocate_fen(3, [1, 2, 3], ["a", "b", "c"]).tolist()  # tie at 1/2: the smaller key
    [1, 1, 1]
    """
    w = np.asarray(weights, dtype=np.float64)
    k = np.asarray(keys)
    if w.ndim != 1 or k.shape != w.shape:
        raise ValueError("weights and keys must be one-dimensional and of equal length")
    if len(np.unique(k)) != len(k):
        raise ValueError("keys must be unique to break ties deterministically")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"weights must be finite and non-negative, got {w.tolist()!r}")
    total = int(total_fen)
    if w.size == 0:
        if total != 0:
            raise ValueError("cannot split a non-zero amount among no parties")
        return np.zeros(0, dtype=np.int64)
    if total != 0 and not np.any(w > 0):
        raise ValueError("all weights are zero: the amount cannot be split")
    return GroupLayout(np.zeros(w.size, dtype=np.int64), k, 1).allocate(
        np.array([total], dtype=np.int64), w)


def allocate_fen_grouped(
    total_fen_by_group: npt.ArrayLike,
    group: npt.ArrayLike,
    weights: npt.ArrayLike,
    keys: npt.ArrayLike,
) -> npt.NDArray[np.int64]:
    """Largest-remainder split of many group totals at once (vectorised :func:`allocate_fen`).

    Each party ``i`` belongs to group ``group[i]``; the total of group ``g`` is split
    among its parties in proportion to their weights, in whole fen, the leftover fen
    going to the largest remainders, ties broken by ``keys``.

    Parameters
    ----------
    total_fen_by_group
        Amount of each group, indexed by group number ``0..G-1``. [fen]
    group
        Group number of each party, in ``0..G-1``.
    weights
        Non-negative weight of each party. A group whose weights are all zero must
        have a zero total.
    keys
        Party keys, unique within each group, used only to break ties.

    Returns
    -------
    numpy.ndarray of int64
        Each party's share; the shares of each group sum exactly to its total. [fen]

    Raises
    ------
    propfee.errors.InputError
        If a key is named twice in one group (its ties would depend on the order of
        rows), naming the key and the group.
    ValueError
        On negative or NaN weights, or a non-zero total over all-zero weights.
    """
    totals = np.asarray(total_fen_by_group, dtype=np.int64)
    pairs = pd.DataFrame({"group": np.asarray(group), "key": np.asarray(keys)})
    twice = pairs[pairs.duplicated(keep="first")].drop_duplicates()
    if len(twice):
        raise InputError([Problem(str(k), "keys", k, f"named twice in group {int(g)}: equal "
                                  "remainders would be broken by the order of rows")
                          for g, k in zip(twice["group"], twice["key"], strict=True)],
                         what="grouped split")
    return GroupLayout(group, keys, len(totals)).allocate(totals, weights)


def key_rank(keys: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Rank of each key in ascending order (0 = smallest), for tie-breaking.

    Strings compare by code point, as Python does; the sort runs in the pandas string
    engine, so a million compound ids rank in a fraction of a second.

    Parameters
    ----------
    keys
        Unique keys (compound ids), as an array or a pandas Series.

    Returns
    -------
    numpy.ndarray of int64
        ``rank[i]`` is the position of ``keys[i]`` in sorted order.

    Examples
    --------
    >>> key_rank(["C10", "C02", "C2"]).tolist()
    [1, 0, 2]
    """
    series = keys if isinstance(keys, pd.Series) else pd.Series(np.asarray(keys))
    order = series.argsort(kind="stable").to_numpy(dtype=np.int64)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank


class GroupLayout:
    """A reusable layout for many largest-remainder splits over the same groups.

    Parties are laid out once side by side in (group, key) order. Each :meth:`allocate`
    then splits in integer arithmetic only, so nothing depends on the order of rows or
    of additions:

    1. **Whole units.** The weights of group ``g`` are scaled by a power of two and
       floored, ``u_i = floor(w_i * 2**s_g)``, with ``s_g`` the largest exponent that
       keeps the group's largest unit below ``2**b_g``,
       ``b_g = floor((62 - ceil(log2 n_g)) / 2)`` (31 for one party, 26 for 1,000):
       scaling by a power of two is exact, so whole-number weights up to ``2**b_g``
       (fen amounts) are used as they are, and other weights keep ``b_g`` significant
       bits of the group's largest weight.
    2. **Exact quotas.** With ``U = sum(u)`` (an integer sum) and ``T`` the group's
       total, ``T = q U + r`` and ``r u_i = q' U + r'``: the floor of the quota is
       ``q u_i + q'`` and the remainder ``r'``. Every product stays below ``2**62``
       because ``U * max(u) < n_g * 4**b_g <= 2**62``.
    3. **Leftover fen** ``T - sum(floor)`` go one each to the largest remainders, ties
       to the smaller key.

    Groups of fewer than 8 parties are ranked by comparing neighbours a few places
    apart; larger ones by one sort. Every group's result equals :func:`allocate_fen` on
    that group alone.

    Parameters
    ----------
    group
        Group number of each party, ``0..n_groups-1``.
    keys
        Party keys (compound ids), unique within each group, as an array or a pandas
        Series; ties are broken by them, ascending. Not checked here (the layout is
        made on every budget of validated compounds): :func:`allocate_fen_grouped`
        checks them.
    n_groups
        Number of groups.
    """

    def __init__(self, group: npt.ArrayLike, keys: npt.ArrayLike, n_groups: int) -> None:
        g = np.asarray(group, dtype=np.int64)
        n = len(g)
        self._n = n
        self._n_groups = n_groups
        sort_key = g * max(n, 1) + key_rank(keys)
        self._order: npt.NDArray[np.int64] | None = None
        if n > 1 and not bool(np.all(sort_key[1:] > sort_key[:-1])):
            self._order = np.argsort(sort_key)
        self._rows = g if self._order is None else g[self._order]  # group at each place
        sizes = np.bincount(g, minlength=n_groups)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self._start_of_row = starts[self._rows]
        self._present = np.flatnonzero(sizes > 0)
        self._starts = starts[self._present]
        # Bits of the largest unit of each group (step 1).
        log_size = np.ceil(np.log2(np.maximum(sizes, 1))).astype(np.int64)
        self._unit_bits = (62 - log_size) // 2
        width = int(sizes.max()) if len(sizes) else 0
        # Narrow groups: offset d pairs each party with the one d places later, where
        # both are in the same group.
        self._same = ([self._rows[d:] == self._rows[:-d] for d in range(1, width)]
                      if width < _SEQUENTIAL_WIDTH else None)

    def allocate(
        self, total_fen_by_group: npt.ArrayLike, weights: npt.ArrayLike
    ) -> npt.NDArray[np.int64]:
        """Split each group's total among its parties by weight, in whole fen.

        Several splits over the same groups can be made at once by stacking them:
        ``total_fen_by_group`` of shape ``(k, groups)`` and ``weights`` of shape
        ``(k, parties)`` give ``k`` rows of shares.

        Parameters
        ----------
        total_fen_by_group
            Amount of each group, shape ``(groups,)`` or ``(k, groups)``. [fen]
        weights
            Non-negative weight of each party, shape ``(parties,)`` or ``(k, parties)``.

        Returns
        -------
        numpy.ndarray of int64
            Each party's share, shaped like ``weights``; each group's shares sum exactly
            to its total. [fen]

        Raises
        ------
        ValueError
            On negative or NaN weights, or a non-zero total over all-zero weights.
        """
        totals = np.asarray(total_fen_by_group, dtype=np.int64)
        w = np.asarray(weights, dtype=np.float64)
        single = totals.ndim == 1
        if self._n_groups == 0:  # no groups, no parties: nothing to split
            if totals.size or w.size:
                raise ValueError("a layout of no groups splits no amounts and no weights")
            return np.zeros(w.shape, dtype=np.int64)
        totals = totals.reshape(-1, self._n_groups)
        w = w.reshape(len(totals), self._n)
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise ValueError("weights must be finite and non-negative")
        ws = w if self._order is None else w[:, self._order]
        rows = self._rows
        units = self._units(ws)
        unit_sum = self._group_sum(units)
        if np.any((unit_sum == 0) & (totals != 0)):
            bad = np.flatnonzero(np.any((unit_sum == 0) & (totals != 0), axis=0))
            raise ValueError(f"groups {bad.tolist()} have a non-zero total but all-zero weights")
        magnitude = np.abs(totals)
        divisor = np.take(np.where(unit_sum > 0, unit_sum, 1), rows, axis=1)
        whole, rest = np.divmod(np.take(magnitude, rows, axis=1), divisor)
        extra, remainder = np.divmod(rest * units, divisor)
        share: npt.NDArray[np.int64] = whole * units + extra  # floor of the exact quota
        leftover = magnitude - self._group_sum(share)
        share += self._rank(remainder) < np.take(leftover, rows, axis=1)
        if np.any(totals < 0):
            share *= np.take(np.where(totals < 0, -1, 1), rows, axis=1)
        if self._order is not None:
            placed = share
            share = np.empty_like(placed)
            share[:, self._order] = placed
        return share[0] if single else share

    def _units(self, weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
        """Weights as whole units, scaled by a power of two per group (step 1)."""
        largest = np.zeros((len(weights), self._n_groups))
        if len(self._starts):
            largest[:, self._present] = np.maximum.reduceat(weights, self._starts, axis=1)
        _, exponent = np.frexp(largest)  # largest < 2**exponent
        scale = self._unit_bits - exponent.astype(np.int64)
        units: npt.NDArray[np.int64] = np.floor(
            np.ldexp(weights, np.take(scale, self._rows, axis=1))).astype(np.int64)
        return units

    def _group_sum(self, values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Sum of each group's values (integers: exact in any order)."""
        total = np.zeros((len(values), self._n_groups), dtype=np.int64)
        if len(self._starts):
            total[:, self._present] = np.add.reduceat(values, self._starts, axis=1)
        return total

    def _rank(self, remainder: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Each party's place in its group: larger remainder first, then smaller key."""
        rank = np.zeros(remainder.shape, dtype=np.int64)
        if self._same is not None:
            for d, same in enumerate(self._same, start=1):
                later_first = remainder[:, d:] > remainder[:, :-d]
                rank[:, :-d] += later_first & same
                rank[:, d:] += ~later_first & same
            return rank
        places = np.arange(self._n)
        for row, rem in zip(rank, remainder, strict=True):
            by_group = np.lexsort((places, -rem, self._rows))  # groups stay where they are
            row[by_group] = places - self._start_of_row
        return rank


_SEQUENTIAL_WIDTH = 8
"""Groups narrower than this are ranked pair by pair; wider ones by a sort."""
