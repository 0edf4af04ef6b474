from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propfee.money import GroupLayout, allocate_fen, fen_to_yuan, yuan_to_fen


@pytest.mark.parametrize(
    ("yuan", "fen"),
    [
        (0.005, 1),  # half a fen rounds away from zero
        (-0.005, -1),
        (2.675, 268),  # 2.675 is stored as 2.67499999...; money still rounds it up
        (1845.897984, 184590),  # the surcharge line of the source compound
        (0.0, 0),
    ],
)
def test_yuan_to_fen_rounds_half_away_from_zero(yuan: float, fen: int) -> None:
    assert yuan_to_fen(yuan).item() == fen


def test_yuan_to_fen_refuses_nan() -> None:
    with pytest.raises(ValueError, match="NaN"):
        yuan_to_fen([1.0, np.nan])


def test_fen_to_yuan() -> None:
    assert fen_to_yuan([100, 1, -250]).tolist() == [1.0, 0.01, -2.5]


def test_allocate_hand_case() -> None:
    # 100 fen by weights 1:1:1 -> quotas 33.33 each; floors 33+33+33 = 99; the one
    # leftover fen goes to the smallest key among the equal remainders: "a".
    assert allocate_fen(100, [1, 1, 1], ["b", "a", "c"]).tolist() == [33, 34, 33]


def test_allocate_largest_remainder() -> None:
    # 1000 fen by 1:2:4 -> quotas 142.857, 285.714, 571.429 -> floors 142, 285, 571 (998);
    # remainders .857, .714, .429: the two leftover fen go to the first two.
    assert allocate_fen(1000, [1, 2, 4], ["x", "y", "z"]).tolist() == [143, 286, 571]


def test_allocate_negative_total() -> None:
    assert allocate_fen(-100, [1, 1, 1], ["a", "b", "c"]).tolist() == [-34, -33, -33]


@pytest.mark.parametrize(
    ("total", "weights", "keys", "message"),
    [
        (100, [1, -1], ["a", "b"], "non-negative"),
        (100, [1, np.nan], ["a", "b"], "finite"),
        (100, [0, 0], ["a", "b"], "all weights are zero"),
        (100, [1, 1], ["a", "a"], "unique"),
        (100, [1, 1], ["a"], "equal length"),
        (5, [], [], "no parties"),
    ],
)
def test_allocate_bad_input(total, weights, keys, message) -> None:
    with pytest.raises(ValueError, match=message):
        allocate_fen(total, weights, keys)


@given(
    total=st.integers(-10**9, 10**9),
    weights=st.lists(st.floats(0.0, 1e6, allow_nan=False), min_size=1, max_size=30),
    data=st.data(),
)
def test_allocation_sums_exactly_and_ignores_order(total, weights, data) -> None:
    if sum(weights) == 0:
        weights[0] = 1.0
    keys = [f"k{i:02d}" for i in range(len(weights))]
    shares = allocate_fen(total, weights, keys)
    assert shares.sum() == total
    # Every share is within one fen of its quota by the weights' whole units, so within
    # 1 + |T| (n + 1) / (2**(b-1) - 1) fen of the quota by the float weights themselves
    # (docs/concepts/money.md): b bits of the largest weight are kept.
    n = len(weights)
    b = (62 - int(np.ceil(np.log2(n)))) // 2
    quota = total * np.array(weights) / sum(weights)
    slack = abs(total) * (n + 1) / (2 ** (b - 1) - 1)
    assert np.all(np.abs(shares - quota) < 1.0 + slack + 1e-6)
    perm = data.draw(st.permutations(range(len(weights))))
    permuted = allocate_fen(total, [weights[i] for i in perm], [keys[i] for i in perm])
    assert dict(zip([keys[i] for i in perm], permuted.tolist(), strict=True)) == dict(
        zip(keys, shares.tolist(), strict=True)
    )


@given(
    sizes=st.lists(st.integers(1, 12), min_size=1, max_size=20),
    data=st.data(),
)
def test_grouped_split_equals_one_split_per_group(sizes, data) -> None:
    """Groups narrower than 8 (ranked pair by pair) and wider ones (ranked by a sort)
    both give each group exactly :func:`allocate_fen` of that group, rows in any order."""
    from propfee.money import allocate_fen_grouped

    group = np.repeat(np.arange(len(sizes)), sizes)
    n = len(group)
    perm = np.array(data.draw(st.permutations(range(n))))
    group = group[perm]
    weight = st.one_of(st.sampled_from([0.0, 1.0, 2.0, 0.5, 3.7]),  # ties
                       st.floats(0.0, 10.0, allow_nan=False, allow_infinity=False))
    weights = np.array(data.draw(st.lists(weight, min_size=n, max_size=n)))
    weights[np.unique(group, return_index=True)[1]] += 1.0  # no all-zero group
    totals = np.array(data.draw(st.lists(st.integers(-10**6, 10**6), min_size=len(sizes),
                                         max_size=len(sizes))))
    keys = np.array([f"k{i:03d}" for i in range(n)])[perm]
    got = allocate_fen_grouped(totals, group, weights, keys)
    np.testing.assert_array_equal(np.bincount(group, weights=got, minlength=len(sizes)), totals)
    for g in range(len(sizes)):
        members = np.flatnonzero(group == g)
        expected = allocate_fen(int(totals[g]), weights[members], keys[members])
        np.testing.assert_array_equal(got[members], expected)


@given(st.lists(st.tuples(st.integers(0, 5), st.floats(0.0, 50.0)), min_size=1, max_size=30),
       st.lists(st.integers(-10**7, 10**7), min_size=6, max_size=6), st.integers(1, 4))
def test_stacked_splits_equal_single_splits(parties, totals, k) -> None:
    """``GroupLayout.allocate`` on k stacked splits gives the k single splits, and each
    equals the one-group-at-a-time :func:`allocate_fen`."""
    group = np.array([g for g, _ in parties])
    weights = np.array([w for _, w in parties])
    keys = np.array([f"c{i:02d}" for i in range(len(parties))])
    present = np.bincount(group, minlength=6) > 0
    have_weight = np.bincount(group, weights=weights, minlength=6) > 0
    tot = np.where(present & have_weight, np.array(totals), 0)
    layout = GroupLayout(group, keys, 6)
    stacked_w = np.stack([weights * (j + 1) for j in range(k)])
    stacked_t = np.stack([tot // (j + 1) for j in range(k)])
    together = layout.allocate(stacked_t, stacked_w)
    for j in range(k):
        alone = layout.allocate(stacked_t[j], stacked_w[j])
        assert together[j].tolist() == alone.tolist()
        for g in np.flatnonzero(present):
            members = group == g
            expected = allocate_fen(int(stacked_t[j][g]), stacked_w[j][members], keys[members])
            assert alone[members].tolist() == expected.tolist()


def test_group_sums_follow_key_order_not_row_order() -> None:
    """A bundle of the synthetic district where the remainders tie only on paper.

    Weights 0.1682142857142857, 0.6396428571428572, 0.345 and 0.12 FTE sum to
    1.2728571428571427 left to right (numpy.sum) but 1.272857142857143 right to left;
    with the first sum, 4,860,000 fen give quotas 642,272.727..., 2,442,272.727...,
    1,317,272.727... and 458,181.818...: the three leftover fen go to the three largest
    remainders, and the first compound's remainder is the smallest of the three .727s.
    """
    weights = np.array([0.1682142857142857, 0.6396428571428572, 0.345, 0.12])
    keys = np.array(["C01674", "C01675", "C01676", "C01677"])
    expected = [642272, 2442273, 1317273, 458182]
    assert allocate_fen(4_860_000, weights, keys).tolist() == expected
    layout = GroupLayout(np.zeros(4, dtype=np.int64), keys, 1)
    assert layout.allocate(np.array([4_860_000]), weights).tolist() == expected
    reversed_rows = GroupLayout(np.zeros(4, dtype=np.int64), keys[::-1], 1)
    assert reversed_rows.allocate(np.array([4_860_000]), weights[::-1]).tolist() == expected[::-1]


def test_layout_of_no_groups() -> None:
    """No parties: the split of nothing is empty, one split or several stacked; an
    amount or a weight with nobody to take it is an error, not a silent loss."""
    empty = GroupLayout(np.zeros(0, dtype=np.int64), np.array([], dtype=object), 0)
    one = empty.allocate(np.zeros(0, dtype=np.int64), np.zeros(0))
    assert (one.shape, one.dtype) == ((0,), np.int64)  # whole fen, as any split
    stacked = empty.allocate(np.zeros((3, 0), dtype=np.int64), np.zeros((3, 0)))
    assert (stacked.shape, stacked.dtype) == ((3, 0), np.int64)
    message = "^a layout of no groups splits no amounts and no weights$"
    with pytest.raises(ValueError, match=message):
        empty.allocate(np.array([5]), np.zeros(0))
    with pytest.raises(ValueError, match=message):
        empty.allocate(np.zeros(0, dtype=np.int64), np.array([1.0]))


def _hamilton(total: int, units: list[int], keys: list[str]) -> list[int]:
    """Largest remainder by exact rationals: the rule of the split, written out."""
    from fractions import Fraction

    unit_sum = sum(units)
    sign, magnitude = (-1 if total < 0 else 1), abs(total)
    quotas = [Fraction(magnitude * u, unit_sum) for u in units]
    shares = [q.numerator // q.denominator for q in quotas]
    leftover = magnitude - sum(shares)
    order = sorted(range(len(units)), key=lambda i: (-(quotas[i] - shares[i]), keys[i]))
    for i in order[:leftover]:
        shares[i] += 1
    return [sign * s for s in shares]


def _units(weights: list[float]) -> list[int]:
    """Whole units of one group as GroupLayout documents them: scaled by 2**s, floored,
    s the largest with the largest unit below 2**b, b = floor((62 - ceil(log2 n)) / 2)."""
    import math

    bits = (62 - math.ceil(math.log2(len(weights)))) // 2
    _, exponent = math.frexp(max(weights))
    return [math.floor(math.ldexp(w, bits - exponent)) for w in weights]


@given(total=st.integers(-10**15, 10**15),
       weights=st.lists(st.integers(0, 2**25), min_size=1, max_size=40))
def test_whole_weights_split_exactly_as_rationals(total, weights) -> None:
    """Fen amounts as weights (whole numbers below 2**b) are used as they are: the split
    is the exact rational Hamilton split of the weights themselves, even for totals
    of 10**15 fen, whose products pass 2**53."""
    if sum(weights) == 0:
        weights[0] = 1
    keys = [f"k{i:02d}" for i in range(len(weights))]
    assert allocate_fen(total, weights, keys).tolist() == _hamilton(total, weights, keys)


@given(total=st.integers(-10**12, 10**12),
       weights=st.lists(st.floats(0.0, 1e9, allow_nan=False), min_size=1, max_size=40))
def test_float_weights_split_by_their_documented_units(total, weights) -> None:
    if max(weights) == 0:
        weights[0] = 1.0
    keys = [f"k{i:02d}" for i in range(len(weights))]
    assert allocate_fen(total, weights, keys).tolist() == _hamilton(
        total, _units(weights), keys)


def test_split_of_ties_by_hand() -> None:
    # 0.1, 0.2, 0.3 (n = 3, b = 30): the largest, 0.3 = 0.6 x 2**-1, scales by 2**31;
    # units floor(0.1 x 2**31) = 214748364, 429496729, 644245094 (sum 1288490187).
    # 100 fen: quotas 16.6666666, 33.3333333, 50.0000000388 -> floors 16, 33, 50 (99);
    # remainders .667, .333, .00000004: the one leftover fen goes to a.
    assert allocate_fen(100, [0.1, 0.2, 0.3], ["a", "b", "c"]).tolist() == [17, 33, 50]
    # Equal weights tie exactly; the smaller key takes the fen, wherever its row is.
    assert allocate_fen(2, [5, 5, 5], ["c", "a", "b"]).tolist() == [0, 1, 1]


def test_rows_to_fen_of_rows_of_different_lengths() -> None:
    """Rows given per compound or as one value for every compound are rounded alike:
    0.005 -> 1 fen, 1.0 -> 100, 2.675 -> 268 (for both compounds), 3 -> 300."""
    from propfee.money import yuan_rows_to_fen

    got = yuan_rows_to_fen([np.array([0.005, 1.0]), np.array([2.675]), 3.0], 2)
    assert got.dtype == np.int64
    assert got.tolist() == [[1, 100], [268, 268], [300, 300]]


def test_rows_to_fen_of_short_rows_with_negative_amounts() -> None:
    """Short rows are rounded as one matrix, a negative amount among them too: -0.005 ->
    -1 fen, 1.0 -> 100, 2.675 -> 268, -3 -> -300, in the rows and places given."""
    from propfee.money import yuan_rows_to_fen

    got = yuan_rows_to_fen([np.array([-0.005, 1.0]), np.array([2.675, -3.0])], 2)
    assert got.tolist() == [[-1, 100], [268, -300]]


def test_rows_to_fen_of_long_rows_one_at_a_time() -> None:
    """Rows longer than the block are rounded one by one, with the same rule."""
    from propfee.money import ROUND_BLOCK, yuan_rows_to_fen

    n = ROUND_BLOCK + 1
    first = np.full(n, 0.005)
    got = yuan_rows_to_fen([first, np.array([-2.675])], n)
    assert got.shape == (2, n)
    assert set(got[0].tolist()) == {1}
    assert set(got[1].tolist()) == {-268}


@pytest.mark.parametrize("n", [1, 3, 20_000])
def test_fen_rows_to_yuan_keeps_names_order_and_values(n: int) -> None:
    """12,345 fen = 123.45 yuan and -1 fen = -0.01 yuan, per compound, names in order, for
    few compounds (one division) and many (one row at a time)."""
    from propfee.money import fen_rows_to_yuan

    rows = {"b": np.full(n, 12_345, dtype=np.int64), "a": np.full(n, -1, dtype=np.int64)}
    got = fen_rows_to_yuan(rows, n)
    assert list(got) == ["b", "a"]
    assert got["b"].dtype == np.float64
    assert got["b"].shape == (n,)
    assert set(got["b"].tolist()) == {123.45}
    assert set(got["a"].tolist()) == {-0.01}


def _fen_reference(yuan: float) -> int:
    """Half away from zero with the 1e-9 nudge, one amount at a time in Python floats:
    floor(|100 x| + 0.5 + 1e-9) with the sign of x."""
    scaled = yuan * 100
    magnitude = math.floor((abs(scaled) + 0.5) + 1e-9)
    return int(math.copysign(magnitude, scaled)) if magnitude else 0


@given(st.lists(st.one_of(
    st.floats(min_value=-1e13, max_value=1e13, allow_nan=False),
    st.floats(min_value=0, max_value=1e4, allow_nan=False),  # everyday amounts
    st.integers(-(10**8), 10**8).map(lambda f: f / 1000),  # exact halves of a fen
    st.sampled_from([2.0**51 / 100, np.nextafter(2.0**51 / 100, 0), 2.0**52 / 100]),
), min_size=1, max_size=40))
def test_yuan_to_fen_matches_the_formula(amounts: list[float]) -> None:
    """Whichever way an array is rounded (no negative amount and below 2**51 fen, or
    not), each amount gets the fen of the formula; the same into ``out``."""
    expected = [_fen_reference(a) for a in amounts]
    assert yuan_to_fen(np.array(amounts)).tolist() == expected
    out = np.zeros(len(amounts), dtype=np.int64)
    assert yuan_to_fen(amounts, out=out) is out
    assert out.tolist() == expected
    positive = [abs(a) for a in amounts]
    assert yuan_to_fen(positive).tolist() == [_fen_reference(a) for a in positive]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_yuan_to_fen_refuses_nan_among_positive_amounts(bad: float) -> None:
    with pytest.raises(ValueError, match="NaN or infinite"):
        yuan_to_fen([1.0, bad, 2.0])


@pytest.mark.parametrize(
    "fen", [2**51 - 3, 2**51 - 1, 2**51, 2**51 + 1, 2**51 + 3, 2**52 - 3, 2**52 + 4])
def test_yuan_to_fen_at_the_exact_limit(fen: int) -> None:
    """Around 2**51 fen, where the quick way to whole numbers stops being exact and the
    plain one takes over: every amount as the formula gives it, alone or beside a
    small one."""
    yuan = fen / 100
    assert yuan_to_fen([yuan]).tolist() == [_fen_reference(yuan)]
    assert yuan_to_fen([0.01, yuan]).tolist() == [1, _fen_reference(yuan)]


@pytest.mark.parametrize("yuan", [1e17, -1e17, 2**63 / 100])
def test_yuan_to_fen_refuses_amounts_beyond_int64(yuan: float) -> None:
    """2**63 fen (about 9.2e16 yuan) or more has no int64 value: an error, not a wrapped
    number (1e17 yuan would have become -9,223,372,036,854,775,808 fen)."""
    with pytest.raises(ValueError, match="whole fen end at 2\\*\\*63"):
        yuan_to_fen([1.0, yuan])


def test_yuan_to_fen_just_below_int64() -> None:
    """9e16 yuan = 9e18 fen, a float64 whole number below 2**63: kept exactly, either sign."""
    assert yuan_to_fen([9e16, -9e16]).tolist() == [9 * 10**18, -9 * 10**18]


def test_yuan_to_fen_names_the_amount_too_large() -> None:
    message = ("cannot round an amount as large as 1.5e+17 yuan to the fen: whole fen end "
               "at 2**63 (about 9.2e16 yuan)")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        yuan_to_fen([-1.5e17, 3.0])


def test_a_key_named_twice_in_a_group_is_refused_by_name() -> None:
    """Two parties of one group with the same key: which gets an equal remainder's fen
    would depend on the order of rows ([34, 33, 33] one way, [33, 34, 33] the other)."""
    from propfee.errors import InputError, Problem
    from propfee.money import allocate_fen_grouped

    with pytest.raises(InputError) as info:
        allocate_fen_grouped([100, 100], [0, 0, 0, 1], [1, 1, 1, 1], ["b", "a", "b", "c"])
    assert info.value.problems == (Problem(
        "b", "keys", "b", "named twice in group 0: equal remainders would be broken by the "
        "order of rows"),)
    assert str(info.value).startswith("1 problem in grouped split:")
    # Named once per group, a key may come back in another group: 50 fen each.
    assert allocate_fen_grouped([100, 100], [0, 0, 1, 1], [1, 1, 1, 1],
                                ["a", "b", "a", "b"]).tolist() == [50, 50, 50, 50]
