"""Fen arithmetic at its edges: types, empty and zero splits, whole error messages."""

from __future__ import annotations

import re

import numpy as np
import pytest

from propfee.money import GroupLayout, allocate_fen, allocate_fen_grouped, fen_to_yuan, yuan_to_fen


def _exact(message: str) -> str:
    return f"^{re.escape(message)}$"


@pytest.mark.parametrize(
    ("total", "weights", "keys", "message"),
    [
        (100, [1, 1], ["a"], "weights and keys must be one-dimensional and of equal length"),
        (100, [1, 1], ["a", "a"], "keys must be unique to break ties deterministically"),
        (1, [], [], "cannot split a non-zero amount among no parties"),
        (-1, [], [], "cannot split a non-zero amount among no parties"),
        (1, [0, 0], ["a", "b"], "all weights are zero: the amount cannot be split"),
    ],
)
def test_allocate_fen_messages_in_full(total, weights, keys, message) -> None:
    with pytest.raises(ValueError, match=_exact(message)):
        allocate_fen(total, weights, keys)


def test_yuan_to_fen_message_in_full() -> None:
    with pytest.raises(ValueError,
                       match=_exact("cannot round a NaN or infinite amount to the fen")):
        yuan_to_fen([1.0, np.inf])


def test_empty_and_zero_splits_are_whole_fen() -> None:
    empty = allocate_fen(0, [], [])
    assert empty.dtype == np.int64
    assert empty.shape == (0,)
    zeros = allocate_fen(0, [0, 0, 0], ["a", "b", "c"])
    assert zeros.dtype == np.int64
    assert zeros.tolist() == [0, 0, 0]
    # 0 fen by positive weights: nothing to anyone, never -0 or a float.
    none = allocate_fen(0, [1, 2], ["a", "b"])
    assert none.dtype == np.int64
    assert none.tolist() == [0, 0]


def test_types_and_shapes_of_the_conversions() -> None:
    fen = yuan_to_fen(np.array([[1.005, -2.675], [0.0, 3.0]]))
    # Half away from zero, in the input's shape: 100.5 -> 101, -267.5 -> -268.
    assert fen.dtype == np.int64
    assert fen.tolist() == [[101, -268], [0, 300]]
    assert yuan_to_fen(2.5).shape == ()
    assert int(yuan_to_fen(2.5)) == 250
    assert yuan_to_fen([0.004, 0.005, -0.005]).tolist() == [0, 1, -1]
    y = fen_to_yuan(np.array([1, 250, -3], dtype=np.int32))
    assert y.dtype == np.float64
    assert y.tolist() == [0.01, 2.5, -0.03]
    # Whole-fen floats are read as fen, not truncated as something else.
    assert fen_to_yuan([199.0]).tolist() == [1.99]


def test_allocate_returns_int64_for_integer_weights() -> None:
    # 7 fen by 1 : 1 : 1 (integer weights): 3, 2, 2 (the leftover fen to "a").
    got = allocate_fen(7, np.array([1, 1, 1], dtype=np.int64), ["a", "b", "c"])
    assert got.dtype == np.int64
    assert got.tolist() == [3, 2, 2]


def test_grouped_split_uses_the_keys_to_break_ties() -> None:
    # Two groups of 3 equal weights, 100 fen each: the leftover fen to the smallest key
    # of each group, wherever it stands.
    got = allocate_fen_grouped([100, 100], [0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1],
                               ["c", "a", "b", "f", "e", "d"])
    assert got.tolist() == [33, 34, 33, 33, 33, 34]


@pytest.mark.parametrize("size", [3, 9])  # narrow groups compare neighbours; wide ones sort
def test_group_layout_negative_and_mixed_totals(size: int) -> None:
    keys = [f"k{i:02d}" for i in range(2 * size)]
    layout = GroupLayout(np.repeat([0, 1], size), keys, 2)
    w = np.ones(2 * size)
    got = layout.allocate(np.array([[-100, 100], [0, 7]]), np.stack([w, w]))
    assert got.dtype == np.int64
    q, r = divmod(100, size)
    first = [-(q + 1)] * r + [-q] * (size - r)
    second = [q + 1] * r + [q] * (size - r)
    q7, r7 = divmod(7, size)
    assert got[0].tolist() == first + second
    assert got[1].tolist() == [0] * size + [q7 + 1] * r7 + [q7] * (size - r7)
    assert layout.allocate(np.array([5, -5]), w).tolist() == (
        [1] * 5 + [0] * (size - 5) + [-1] * 5 + [0] * (size - 5)
        if size > 5 else [2, 2, 1, -2, -2, -1])


def test_group_layout_refuses_a_total_without_weights() -> None:
    layout = GroupLayout([0, 0, 1], ["a", "b", "c"], 2)
    with pytest.raises(ValueError, match=_exact(
            "groups [1] have a non-zero total but all-zero weights")):
        layout.allocate([10, 5], [1.0, 1.0, 0.0])
    with pytest.raises(ValueError, match=_exact("weights must be finite and non-negative")):
        layout.allocate([10, 5], [1.0, -1.0, 1.0])
