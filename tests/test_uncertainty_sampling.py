"""Sampling ranges: the marginals by hand, strata, seeds, correlation, collapsed ranges."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propfee.errors import ParameterError, UsageError
from propfee.params import load_parameter_file
from propfee.params.ranges import SHAPES, CorrelationGroup, UncertainInput, UncertainInputs
from propfee.uncertainty import sample
from propfee.uncertainty.marginals import (
    Z95,
    beta_parameters,
    describe,
    gamma_shape,
    lognormal_sigma,
    quantiles,
)
from propfee.uncertainty.sampling import unit_points

scipy_stats = pytest.importorskip("scipy.stats")
FIXTURE = Path(__file__).parent / "data" / "ranges.toml"


def _input(shape: str, value: float, low: float, high: float, name: str = "x") -> UncertainInput:
    return UncertainInput(name=name, value=value, low=low, high=high, shape=shape, reason="r")


# ---------------------------------------------------------------- marginals by hand


def test_uniform_and_triangular_quantiles_by_hand() -> None:
    # Uniform on [2, 6]: 2 + u x 4.
    assert quantiles(_input("uniform", 3.0, 2.0, 6.0), [0.25, 0.5, 0.75]).tolist() == [
        3.0, 4.0, 5.0]
    # Triangular 0, mode 1, 4: c = 1/4; u = 1/16 < c: 0 + sqrt(1/16 x 4 x 1) = 0.5;
    # u = 1/4: the mode; u = 3/4: 4 - sqrt(1/4 x 4 x 3) = 4 - sqrt(3).
    tri = quantiles(_input("triangular", 1.0, 0.0, 4.0), [1 / 16, 0.25, 0.75])
    np.testing.assert_allclose(tri, [0.5, 1.0, 4.0 - math.sqrt(3.0)], rtol=0, atol=1e-15)


def test_pert_is_a_beta_with_the_mode_at_the_value() -> None:
    # 0, mode 2, 4: alpha = 1 + 4 x 2/4 = 3, beta = 3: symmetric, median 2;
    # mean (0 + 4 x 2 + 4) / 6 = 2.
    pert = _input("pert", 2.0, 0.0, 4.0)
    assert quantiles(pert, [0.5]).tolist() == [2.0]
    expected = 4.0 * scipy_stats.beta(3.0, 3.0).ppf([0.05, 0.95])
    np.testing.assert_allclose(quantiles(pert, [0.05, 0.95]), expected, rtol=1e-12)
    skew = _input("pert", 0.5, 0.0, 3.0)  # mean (0 + 2 + 3) / 6 = 5/6
    assert describe(skew)["mean"] == pytest.approx(5 / 6)
    assert float(np.mean(quantiles(skew, (np.arange(20_000) + 0.5) / 20_000))) == \
        pytest.approx(5 / 6, abs=1e-4)


def test_lognormal_median_at_the_value_and_the_range_a_90_percent_interval() -> None:
    # 100 in [50, 200]: sigma = ln 2 / 1.6449 = 0.4214; the 5% and 95% quantiles are
    # 100 / 2 and 100 x 2.
    sym = _input("lognormal", 100.0, 50.0, 200.0)
    assert lognormal_sigma(100.0, 50.0, 200.0) == pytest.approx(math.log(2.0) / 1.6448536269514722)
    np.testing.assert_allclose(quantiles(sym, [0.05, 0.5, 0.95]), [50.0, 100.0, 200.0],
                               rtol=1e-12)
    # 100 in [80, 200]: the wider side (x 2) sets sigma: the 90% interval is [50, 200],
    # which holds [80, 200].
    lop = _input("lognormal", 100.0, 80.0, 200.0)
    np.testing.assert_allclose(quantiles(lop, [0.05, 0.95]), [50.0, 200.0], rtol=1e-12)
    assert describe(sym)["mean"] == pytest.approx(100.0 * math.exp(
        (math.log(2.0) / Z95) ** 2 / 2))


def test_gamma_mean_at_the_value_and_its_quantile_ratio_from_the_range() -> None:
    g = _input("gamma", 1.0, 0.3, 3.0)
    k = gamma_shape(1.0, 0.3, 3.0)
    q05, q95 = quantiles(g, [0.05, 0.95])
    assert q95 / q05 == pytest.approx(3.0 / 0.3, rel=1e-10)
    # The mean of Gamma(k, scale 1 / k) is 1, the value.
    assert scipy_stats.gamma(k, scale=1.0 / k).mean() == pytest.approx(1.0, rel=1e-14)
    np.testing.assert_allclose([q05, q95], scipy_stats.gamma(k, scale=1.0 / k).ppf(
        [0.05, 0.95]), rtol=1e-10)


def test_beta_mean_at_the_value_and_its_interval_width_from_the_range() -> None:
    a, b = beta_parameters(0.7, 0.4, 0.95)
    assert a / (a + b) == pytest.approx(0.7, rel=1e-14)
    q05, q95 = quantiles(_input("beta", 0.7, 0.4, 0.95), [0.05, 0.95])
    assert q95 - q05 == pytest.approx(0.55, rel=1e-10)


def test_a_range_no_distribution_of_its_shape_can_fit_is_named() -> None:
    # A beta of mean 0.97 has a 5-95% interval at most 0.19 wide (at a concentration of
    # about 12); 0.5 is wider than any.
    with pytest.raises(ParameterError, match="wide: no beta concentration fits this range "
                                             r"\(too wide\)"):
        quantiles(_input("beta", 0.97, 0.5, 1.0, name="wide"), [0.5])
    # 0.1 wide is reached twice; the concentrated branch is taken.
    a, b = beta_parameters(0.97, 0.9, 1.0)
    assert a + b > 12
    assert float(np.diff(quantiles(_input("beta", 0.97, 0.9, 1.0), [0.05, 0.95]))[0]) == \
        pytest.approx(0.1, rel=1e-10)


@given(u=st.floats(min_value=2.0**-53, max_value=1 - 2.0**-53),
       shape=st.sampled_from(SHAPES), value=st.floats(min_value=0.01, max_value=0.99))
def test_quantiles_of_bounded_shapes_stay_in_the_range(u: float, shape: str,
                                                       value: float) -> None:
    half = 0.5 * min(value, 1 - value) if shape == "beta" else 0.5 * value
    item = _input(shape, value, value - half, value + half)
    x = float(quantiles(item, [u])[0])
    lo, hi = item.support()
    assert lo <= x <= hi
    assert math.isfinite(x)


# ---------------------------------------------------------------- samples


def test_a_latin_hypercube_puts_one_draw_in_each_stratum() -> None:
    draws = sample(UncertainInputs(), 100, "lhs", seed=3,
                   extra=[("a", 0.5, 0.0, 1.0, "uniform"), ("b", 5.0, 0.0, 10.0, "uniform")])
    assert draws.index.name == "draw"
    assert list(draws.columns) == ["a", "b"]
    assert np.array_equal(np.sort(np.floor(draws["a"].to_numpy() * 100)), np.arange(100))
    assert np.array_equal(np.sort(np.floor(draws["b"].to_numpy() * 10)), np.arange(100))


def test_the_same_seed_gives_the_same_draws_and_another_seed_others() -> None:
    inputs = load_parameter_file(FIXTURE).uncertain()
    for method in ("lhs", "sobol"):
        a = sample(inputs, 64, method, seed=7)
        assert a.equals(sample(inputs, 64, method, seed=7))
        assert not a.equals(sample(inputs, 64, method, seed=8))


def test_sobol_draws_are_the_first_of_scipys_sequence() -> None:
    from scipy.stats import qmc

    points = unit_points(3, 100, "sobol", seed=5)
    expected = qmc.Sobol(3, scramble=True, rng=np.random.default_rng(5)).random_base2(7)[:100]
    np.testing.assert_array_equal(points, expected)


def test_draws_are_in_the_unit_of_the_path() -> None:
    # The order wage is given per year in the file: its draws are per month.
    draws = sample(load_parameter_file(FIXTURE).uncertain(), 500, "sobol", seed=1)
    wage = draws["staffing.order.monthly_wage_yuan"]
    assert wage.min() >= 1880.0
    assert wage.max() <= 2600.0
    assert wage.mean() == pytest.approx((1880 + 2000 + 2600) / 3, rel=0.01)
    assert (draws["fees.rate_yuan_per_m2_month"] == 0.5).all()  # the collapsed source value


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_a_correlation_group_gives_its_rank_correlation(method: str) -> None:
    inputs = load_parameter_file(FIXTURE).uncertain()
    draws = sample(inputs, 4096, method, seed=2)
    rho = scipy_stats.spearmanr(draws["staffing.cleaning.monthly_wage_yuan"],
                                draws["staffing.order.monthly_wage_yuan"]).statistic
    assert rho == pytest.approx(0.8, abs=0.03)
    free = scipy_stats.spearmanr(draws["fees.collection_rate"],
                                 draws["staffing.order.monthly_wage_yuan"]).statistic
    assert abs(free) < 0.05
    # Each wage keeps its triangular distribution: 1,880, mode 2,000, 2,600 has its
    # median at 2,600 - sqrt(0.5 x 720 x 600) = 2,135.24.
    assert draws["staffing.order.monthly_wage_yuan"].median() == pytest.approx(
        2600 - math.sqrt(0.5 * 720 * 600), rel=0.005)


def test_a_rank_correlation_of_one_moves_the_values_together() -> None:
    inputs = UncertainInputs(
        inputs=(_input("uniform", 1.0, 0.0, 2.0, "a"), _input("lognormal", 5.0, 2.0, 9.0, "b")),
        correlations={"g": CorrelationGroup(paths=("a", "b"), rank_correlation=1.0,
                                            reason="r")})
    draws = sample(inputs, 256, "lhs", seed=0)
    assert scipy_stats.spearmanr(draws["a"], draws["b"]).statistic == pytest.approx(1.0)


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda v: v != 0)


@given(vals=st.lists(values, min_size=1, max_size=6),
       shapes=st.lists(st.sampled_from(SHAPES), min_size=6, max_size=6),
       method=st.sampled_from(["lhs", "sobol"]), seed=st.integers(0, 2**32 - 1),
       rho=st.floats(min_value=-0.4, max_value=1.0))
def test_collapsed_ranges_give_their_value_exactly(vals, shapes, method, seed, rho) -> None:
    items = []
    for k, v in enumerate(vals):
        shape = shapes[k]
        if shape in ("lognormal", "gamma"):
            v = abs(v)
        if shape == "beta":
            v = min(abs(v) / 1e6, 1.0)
        items.append(_input(shape, v, v, v, f"x{k}"))
    groups = {} if len(items) < 2 else {"g": CorrelationGroup(
        paths=("x0", "x1"), rank_correlation=rho, reason="r")}
    draws = sample(UncertainInputs(inputs=tuple(items), correlations=groups), 17, method, seed)
    for item in items:
        assert (draws[item.name].to_numpy() == item.value).all()


def test_collapsing_one_range_leaves_the_others_draws_alone() -> None:
    inputs = load_parameter_file(FIXTURE).uncertain()
    one = inputs.replaced([inputs.get("fees.collection_rate").model_copy(
        update={"low": 0.7, "high": 0.7})])
    a, b = sample(inputs, 32, "lhs", 4), sample(one, 32, "lhs", 4)
    assert (b["fees.collection_rate"] == 0.7).all()
    pd_cols = [c for c in a.columns if c != "fees.collection_rate"]
    assert a[pd_cols].equals(b[pd_cols])


@pytest.mark.parametrize(("n", "method", "message"), [
    (0, "lhs", "at least 1, got 0"), (2.5, "lhs", "got 2.5"), (True, "lhs", "got True"),
    (4, "halton", "method must be 'lhs' or 'sobol', got 'halton'"),
])
def test_bad_sample_requests(n, method, message) -> None:
    with pytest.raises(UsageError, match=message):
        sample(UncertainInputs(), n, method)


def test_sampling_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from propfee.errors import MissingExtraError
    from propfee.uncertainty import sobol_indices

    monkeypatch.setitem(sys.modules, "scipy.stats.qmc", None)
    with pytest.raises(MissingExtraError, match=r"sampling ranges needs the optional package "
                                                r"'scipy'; install it with: pip install "
                                                r"'propfee\[uncertainty\]'"):
        sample(UncertainInputs(), 4, extra=[("x", 1.0, 0.0, 2.0, "uniform")])
    monkeypatch.setitem(sys.modules, "SALib.sample.sobol", None)
    with pytest.raises(MissingExtraError, match=r"propfee\[uncertainty\]"):
        sobol_indices(UncertainInputs().extended([("x", 1.0, 0.0, 2.0, "uniform")]),
                      lambda d: d["x"])


@pytest.mark.parametrize("rho", [0.5, -0.5, 0.3])
def test_the_copula_converts_rank_correlation_to_normal_scores(rho: float) -> None:
    # A Gaussian copula of Pearson correlation r has rank correlation (6/pi) asin(r/2);
    # the normal scores need r = 2 sin(pi rho / 6) (0.5176 for 0.5). Using rho itself
    # would give (6/pi) asin(0.25) = 0.4826 for 0.5: 0.017 off, 10 times the tolerance.
    inputs = UncertainInputs(
        inputs=(_input("uniform", 1.0, 0.0, 2.0, "a"), _input("uniform", 1.0, 0.0, 2.0, "b")),
        correlations={"g": CorrelationGroup(paths=("a", "b"), rank_correlation=rho,
                                            reason="r")})
    draws = sample(inputs, 2**14, "sobol", seed=0)
    assert scipy_stats.spearmanr(draws["a"], draws["b"]).statistic == pytest.approx(
        rho, abs=0.0017)
