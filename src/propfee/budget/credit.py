"""Channel credit: what each of the five channels is worth to a compound's pool.

``v(S)`` is the pool balance with the channels in ``S`` switched on. Every piece of work a
channel that is off would have supplied is bought at market prices
(:mod:`propfee.work.market`): the street's garbage removal and grid work, the devices'
gate hours, the volunteers' tasks, the shared company's jobs. With no channel on, a
market company serves each compound alone, the street pays nothing, there is no public
income: ``v(none)`` is the **market baseline** balance, the same figure as
``market_baseline_balance_yuan`` (:func:`propfee.baseline.market_baseline`).

Each channel is credited its **Shapley value** over the five channels (all 32 subsets;
independent of any order; the credits add up exactly, in fen, to ``pool balance -
v(none)``); ``"waterfall"`` switches them on one by one in
:data:`~propfee.channels.common.CREDIT_CHANNELS` order instead. The subsets are evaluated
in one kernel run over stacked copies of the table (:func:`subset_balances_fen`), whose
copy with every channel on is the budget itself.
"""

from __future__ import annotations

import functools
from itertools import combinations
from math import factorial
from typing import Final

import numpy as np
import numpy.typing as npt

from propfee.budget.kernel import KernelOutput, budget_arrays
from propfee.channels.common import CREDIT_CHANNELS
from propfee.compound import CompoundTable
from propfee.money import yuan_to_fen
from propfee.params import ParameterSet
from propfee.params.values import ParamValues
from propfee.plan import PlanArrays

__all__ = ["SUBSETS", "WATERFALL", "credit_of", "shapley_fen", "stacked_run",
           "subset_balances_fen"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def shapley_fen(values_fen: dict[frozenset[str], IntArray], players: tuple[str, ...]
                ) -> dict[str, IntArray]:
    """Shapley value of each player, rounded to the fen so they add up exactly.

    ``phi_i = sum over S without i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))``.
    The numerators ``n! phi_i`` are integers (fen); each is divided by ``n!`` rounding
    down, and the fen still missing to ``v(all) - v(none)`` go to the largest
    remainders (ties to the player listed first). Vectorised over compounds.

    Parameters
    ----------
    values_fen
        Value of every subset of ``players`` (all ``2^n``), per compound. [fen]
    players
        The players, in the tie-break order.

    Returns
    -------
    dict
        Player -> Shapley value per compound. [fen]

    Examples
    --------
    Two players, v({}) = 0, v({a}) = 3, v({b}) = 1, v({a, b}) = 6: a gets
    (3 + 5) / 2 = 4, b gets (1 + 3) / 2 = 2.

    >>> v = {frozenset(): np.array([0]), frozenset("a"): np.array([3]),
    ...      frozenset("b"): np.array([1]), frozenset("ab"): np.array([6])}
    >>> {k: int(x[0]) for k, x in shapley_fen(v, ("a", "b")).items()}
    {'a': 4, 'b': 2}
    """
    n = len(players)
    scale = factorial(n)
    subsets, weights = _shapley_weights(tuple(players))
    values = np.stack([np.asarray(values_fen[s], dtype=np.int64) for s in subsets])
    numer = weights @ values  # integer products and sums: exact in any order
    floor = numer // scale
    rest = numer - floor * scale
    change = values_fen[frozenset(players)] - values_fen[frozenset()]
    missing = change - floor.sum(axis=0)  # 0 <= missing < n
    order = np.argsort(-rest, axis=0, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n)[:, None].repeat(numer.shape[1], axis=1), axis=0)
    shares = floor + (rank < missing[None, :])
    return {player: shares[k] for k, player in enumerate(players)}


@functools.cache
def _shapley_weights(players: tuple[str, ...]
                     ) -> tuple[tuple[frozenset[str], ...], npt.NDArray[np.int64]]:
    """Every subset of ``players`` and the integer matrix ``W`` with ``n! phi = W v``."""
    n = len(players)
    subsets = tuple(frozenset(c) for size in range(n + 1) for c in combinations(players, size))
    column = {s: j for j, s in enumerate(subsets)}
    weights = np.zeros((n, len(subsets)), dtype=np.int64)
    for i, player in enumerate(players):
        for s in subsets:
            if player not in s:
                w = factorial(len(s)) * factorial(n - len(s) - 1)
                weights[i, column[s | {player}]] += w
                weights[i, column[s]] -= w
    weights.flags.writeable = False
    return subsets, weights


SUBSETS: Final[tuple[frozenset[str], ...]] = tuple(
    frozenset(s) for size in range(len(CREDIT_CHANNELS) + 1)
    for s in combinations(CREDIT_CHANNELS, size))
"""Every subset of the five channels (32), the empty one first, the full one last."""

WATERFALL: Final = tuple(frozenset(CREDIT_CHANNELS[:k]) for k in range(len(CREDIT_CHANNELS)))
"""The waterfall's steps before the last: no channel, then one more channel each."""


def pool_balance_fen(out: KernelOutput, fee_collected_fen: IntArray) -> IntArray:
    """Fee collected + public income - the fund pool's lines, per compound. [fen/year]"""
    result: IntArray = fee_collected_fen + yuan_to_fen(out.public_income_yuan) - out.cash_fen()
    return result


def stacked_run(
    table: CompoundTable, plan: PlanArrays, params: ParameterSet,
    subsets: tuple[frozenset[str], ...], fee_collected_fen: IntArray,
    values: ParamValues | None = None,
) -> tuple[KernelOutput, dict[frozenset[str], IntArray]]:
    """Every subset's kernel run in one, on stacked copies of the table.

    Returns
    -------
    tuple
        The kernel output of the stacked copies (copy ``i`` is ``subsets[i]``) and, per
        subset, the pool balance of every compound. [fen/year]
    """
    n = len(table)
    k = len(subsets)
    stacked = table.take(np.tile(np.arange(n), k))
    alone = plan.alone(table.text("compound_id"))
    plans = [plan if "shared_property" in s else alone for s in subsets]
    masks: dict[str, FloatArray] = {
        ch: np.repeat(np.array([1.0 if ch in s else 0.0 for s in subsets]), n)
        for ch in CREDIT_CHANNELS}
    tiled = None if values is None else values.tile(k)
    out = budget_arrays(stacked, PlanArrays.stack(plans), params, masks=masks, values=tiled)
    balance = pool_balance_fen(out, np.tile(fee_collected_fen, k)).reshape(k, n)
    return out, {s: balance[i] for i, s in enumerate(subsets)}


def subset_balances_fen(
    table: CompoundTable, plan: PlanArrays, params: ParameterSet,
    subsets: tuple[frozenset[str], ...], fee_collected_fen: IntArray,
) -> dict[frozenset[str], IntArray]:
    """The pool balance of every compound under each channel subset, in one kernel run.

    Returns
    -------
    dict
        Subset -> pool balance per compound. [fen/year]
    """
    return stacked_run(table, plan, params, subsets, fee_collected_fen)[1]


def credit_of(values: dict[frozenset[str], IntArray], mode: str
              ) -> tuple[dict[str, IntArray], IntArray]:
    """Channel credit in fen and the balance with no channel on, from the balances of
    the subsets (every subset for ``"shapley"``, the waterfall's steps otherwise)."""
    if mode == "waterfall":
        balances = [values[s] for s in (*WATERFALL, SUBSETS[-1])]
        return ({ch: balances[k + 1] - balances[k] for k, ch in enumerate(CREDIT_CHANNELS)},
                balances[0])
    return shapley_fen(values, CREDIT_CHANNELS), values[frozenset()]
