"""Calibration: conjugate updates by hand, coverage over seeded trials, flags, bad tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from propfee.errors import InputError, ParameterError
from propfee.params.ranges import UncertainInput, UncertainInputs
from propfee.uncertainty import sample
from propfee.uncertainty.calibration import (
    Observations,
    beta_prior,
    calibrate,
    gamma_prior,
    lognormal_prior,
)
from propfee.uncertainty.marginals import Z95, gamma_shape, quantiles

special = pytest.importorskip("scipy.special")


def _u(name: str, value: float, low: float, high: float, shape: str = "pert"
       ) -> UncertainInput:
    return UncertainInput(name=name, value=value, low=low, high=high, shape=shape, reason="r")


PRIOR = UncertainInputs(inputs=(
    _u("job", 1.0, 0.3, 3.0), _u("rate", 0.7, 0.4, 0.95), _u("amount", 1000.0, 400.0, 2500.0,
                                                             "lognormal")))


def _counts(quantity: str, exposure, count) -> pd.DataFrame:
    return pd.DataFrame({"quantity": quantity, "compound_id": [f"c{k}" for k in
                                                               range(len(count))],
                         "exposure": exposure, "count": count})


def test_the_gamma_poisson_update_by_hand() -> None:
    # Prior: mean 1.0 (the value), 95% quantile 3.0 / 0.3 = 10 times the 5%:
    # shape a0 = 2.4373 and rate b0 = a0 / 1.0.
    a0, b0 = gamma_prior(PRIOR.get("job"))
    assert a0 == pytest.approx(2.43727, abs=1e-4)
    assert a0 / b0 == pytest.approx(1.0, rel=1e-14)
    assert special.gammaincinv(a0, 0.95) / special.gammaincinv(a0, 0.05) == pytest.approx(10.0)
    # Two compounds: 3 uses over an exposure of 2, 5 over 4. Posterior: shape a0 + 8,
    # rate b0 + 6, mean (a0 + 8) / (b0 + 6) = 10.4373 / 8.4373 = 1.2370.
    post = calibrate(PRIOR, Observations(job_counts=_counts("job", [2.0, 4.0], [3, 5])))
    item = post.inputs[0]
    a1, b1 = a0 + 8, b0 + 6
    assert item.value == pytest.approx(a1 / b1, rel=1e-14)
    assert item.value == pytest.approx(1.2370, abs=1e-4)
    assert (item.low, item.high) == pytest.approx(
        (special.gammaincinv(a1, 0.05) / b1, special.gammaincinv(a1, 0.95) / b1), rel=1e-14)
    assert item.shape == "gamma"
    # The calibrated range is that posterior exactly: sampling it gives the Gamma back.
    assert gamma_shape(item.value, item.low, item.high) == pytest.approx(a1, rel=1e-9)
    np.testing.assert_allclose(quantiles(item, [0.05, 0.5, 0.95]),
                               special.gammaincinv(a1, [0.05, 0.5, 0.95]) / b1, rtol=1e-9)
    row = post.summary.iloc[0]
    assert row["prior_value"] == 1.0
    prior_width = (special.gammaincinv(a0, 0.95) - special.gammaincinv(a0, 0.05)) / b0
    assert row["narrowing"] == pytest.approx(1 - (item.high - item.low) / prior_width)


def test_the_beta_binomial_update_by_hand() -> None:
    # Prior: mean 0.7 with a 5-95% interval 0.55 wide. 60 of 100 and 35 of 50 paid:
    # alpha0 + 95, beta0 + 55.
    a0, b0 = beta_prior(PRIOR.get("rate"))
    assert a0 / (a0 + b0) == pytest.approx(0.7, rel=1e-14)
    rates = pd.DataFrame({"quantity": "rate", "compound_id": ["a", "b"],
                          "successes": [60, 35], "trials": [100, 50]})
    item = calibrate(PRIOR, Observations(rates=rates)).inputs[0]
    a1, b1 = a0 + 95, b0 + 55
    assert item.value == pytest.approx(a1 / (a1 + b1), rel=1e-14)
    assert (item.low, item.high) == pytest.approx(
        (special.betaincinv(a1, b1, 0.05), special.betaincinv(a1, b1, 0.95)), rel=1e-12)
    assert item.shape == "beta"
    np.testing.assert_allclose(quantiles(item, [0.05, 0.95]), [item.low, item.high],
                               rtol=1e-9)


def test_the_log_scale_update_of_amounts_by_hand() -> None:
    # Prior median 1,000 with [400, 2,500]: sigma0 = ln(2.5) / 1.6449 (the wider side).
    # Observed 1,200 on an exposure of 1 and 1,500 on 1.5: y = ln 1,200 and ln 1,000.
    # Scatter 0.5: precision 1/sigma0^2 + 2/0.25; mean (ln 1,000 / sigma0^2 + (ln 1,200 +
    # ln 1,000) / 0.25) / precision.
    mu0, s0 = lognormal_prior(PRIOR.get("amount"))
    assert s0 == pytest.approx(math.log(2.5) / Z95)
    amounts = pd.DataFrame({"quantity": "amount", "compound_id": ["a", "b"],
                            "observed": [1200.0, 1500.0], "exposure": [1.0, 1.5]})
    item = calibrate(PRIOR, Observations(amounts=amounts), scatter=0.5).inputs[0]
    precision = 1 / s0**2 + 2 / 0.25
    mu1 = (mu0 / s0**2 + (math.log(1200) + math.log(1000)) / 0.25) / precision
    assert item.value == pytest.approx(math.exp(mu1), rel=1e-12)
    assert item.high == pytest.approx(math.exp(mu1 + Z95 * precision**-0.5), rel=1e-12)
    assert item.shape == "lognormal"
    # Per quantity, the scatter may differ.
    wider = calibrate(PRIOR, Observations(amounts=amounts), scatter={"amount": 1.0})
    assert wider.inputs[0].high - wider.inputs[0].low > item.high - item.low


def _trial(seed: int, n: int = 30) -> tuple[dict[str, bool], int]:
    """One seeded trial: true values drawn from the priors, 30 compounds observed with
    noise (Poisson counts over 1.5-9 basis-unit years, binomial payers of 20-200
    households, amounts scattered by a factor e^N(0, 0.5))."""
    rng = np.random.default_rng(seed)
    a0, b0 = gamma_prior(PRIOR.get("job"))
    al, be = beta_prior(PRIOR.get("rate"))
    mu, sigma = lognormal_prior(PRIOR.get("amount"))
    truth = {"job": rng.gamma(a0, 1 / b0), "rate": rng.beta(al, be),
             "amount": math.exp(rng.normal(mu, sigma))}
    ids = [f"c{k}" for k in range(n)]
    exposure = rng.uniform(0.5, 3.0, n) * 3
    households = rng.integers(20, 200, n)
    scale = rng.uniform(5, 50, n)
    obs = Observations(
        job_counts=_counts("job", exposure, rng.poisson(truth["job"] * exposure)),
        rates=pd.DataFrame({"quantity": "rate", "compound_id": ids, "trials": households,
                            "successes": rng.binomial(households, truth["rate"])}),
        amounts=pd.DataFrame({"quantity": "amount", "compound_id": ids, "exposure": scale,
                              "observed": truth["amount"] * scale
                              * np.exp(rng.normal(0, 0.5, n))}))
    post = calibrate(PRIOR, obs)
    return {i.name: bool(i.low <= truth[i.name] <= i.high) for i in post.inputs}, len(post.flags)


def test_calibration_recovers_known_values_in_90_percent_of_trials(capsys) -> None:
    # An exact 90% interval covers the truth in 90% of trials on average; of 200 trials
    # the count is binomial (mean 180, sd 4.2): 171 to 189 is its 99% band. A count
    # above it would say the intervals are too wide, below it too narrow.
    results = [_trial(seed) for seed in range(200)]
    covered = {k: sum(r[0][k] for r in results) for k in ("job", "rate", "amount")}
    flagged = sum(r[1] for r in results)
    with capsys.disabled():
        print(f"\ncoverage of the 90% intervals in 200 trials: {covered}; "
              f"{flagged} of 18,000 honest rows flagged at 1%")
    # Measured: job 184, rate 180, amount 179 (543 of 600, 90.5%); 127 rows flagged (0.7%).
    assert covered == {"job": 184, "rate": 180, "amount": 179}
    assert all(171 <= c <= 189 for c in covered.values())
    assert flagged < 0.01 * 18_000


def test_a_wildly_wrong_observation_is_flagged_with_its_row() -> None:
    rng = np.random.default_rng(4)
    exposure = rng.uniform(1.0, 3.0, 30)
    count = rng.poisson(1.0 * exposure)
    count[17] = 60  # about 2 expected
    post = calibrate(PRIOR, Observations(job_counts=_counts("job", exposure, count)))
    assert post.flags[["kind", "line", "compound_id", "observed"]].to_numpy().tolist() == [
        ["job_counts", 19, "c17", 60.0]]  # row 17 of the table: line 19 of its sheet
    flag = post.flags.iloc[0]
    assert flag["tail_probability"] < 1e-20
    # Its expectation comes from the other 29 rows: about 1 use per unit of exposure.
    assert flag["expected"] == pytest.approx(exposure[17] * 1.0, rel=0.3)
    assert post.summary["flagged"].tolist() == [1]
    assert len(post.predictive) == 30


@pytest.mark.parametrize(
    ("kind", "table", "fragment"),
    [
        ("job_counts", {"quantity": ["job"], "compound_id": ["a"], "count": [1]},
         "field 'exposure': missing column"),
        ("job_counts", {"quantity": ["job", "job"], "compound_id": ["a", "b"],
                        "exposure": [1.0, "x"], "count": [1, 2]},
         "row 3, compound 'b', field 'exposure': not a number (got 'x')"),
        ("job_counts", {"quantity": ["job"], "compound_id": ["a"], "exposure": [1.0],
                        "count": [1.5]},
         "row 2, compound 'a', field 'count': must be a whole number of uses, 0 or more "
         "(got 1.5)"),
        ("job_counts", {"quantity": ["nothing"], "compound_id": ["a"], "exposure": [1.0],
                        "count": [1]}, "field 'quantity': not an uncertain input of the prior"),
        ("rates", {"quantity": ["rate"], "compound_id": ["a"], "successes": [12],
                   "trials": [10]}, "field 'successes': must lie between 0 and the trials"),
        ("rates", {"quantity": ["rate"], "compound_id": ["a"], "successes": [0],
                   "trials": [0]}, "field 'trials': must be a whole number, 1 or more"),
        ("amounts", {"quantity": ["amount"], "compound_id": ["a"], "observed": [0.0],
                     "exposure": [1.0]},
         "field 'observed': must be more than 0 (a log-scale update) (got 0.0)"),
    ],
)
def test_bad_observation_tables_name_row_and_field(kind: str, table: dict, fragment: str
                                                   ) -> None:
    with pytest.raises(InputError) as info:
        calibrate(PRIOR, Observations(**{kind: pd.DataFrame(table)}))
    assert fragment in str(info.value)


def test_one_quantity_is_one_kind_of_observation() -> None:
    obs = Observations(job_counts=_counts("rate", [1.0], [1]),
                       rates=pd.DataFrame({"quantity": ["rate"], "compound_id": ["a"],
                                           "successes": [1], "trials": [2]}))
    with pytest.raises(InputError, match="field 'quantity': already observed as job_counts"):
        calibrate(PRIOR, obs)


def test_priors_that_cannot_be_read_are_named() -> None:
    with pytest.raises(ParameterError, match="zero: a Gamma prior needs low > 0"):
        gamma_prior(_u("zero", 1.0, 0.0, 3.0))
    with pytest.raises(ParameterError, match="w: a Beta prior needs a range within"):
        beta_prior(_u("w", 2.0, 1.0, 3.0))
    with pytest.raises(ParameterError, match="scatter: must be more than 0"):
        calibrate(PRIOR, Observations(), scatter=0.0)


def test_a_known_value_is_not_updated_but_its_observations_are_checked() -> None:
    known = PRIOR.replaced([_u("job", 1.0, 1.0, 1.0)])
    post = calibrate(known, Observations(job_counts=_counts("job", [2.0, 2.0], [2, 40])))
    assert post.inputs[0] == known.get("job")
    assert post.flags["compound_id"].tolist() == ["c1"]  # 40 uses where 2 are expected


def test_the_calibrated_ranges_replace_the_priors_for_sampling() -> None:
    post = calibrate(PRIOR, Observations(job_counts=_counts("job", [50.0] * 10, [60] * 10)))
    updated = post.updated(PRIOR)
    assert updated.names == PRIOR.names
    assert updated.get("rate") == PRIOR.get("rate")
    before = sample(PRIOR, 512, seed=1)["job"]
    after = sample(updated, 512, seed=1)["job"]
    # 600 uses over 500 units: the mean moves to about 1.2 and the spread shrinks.
    assert after.mean() == pytest.approx(600 / 500, rel=0.02)
    assert after.std() < before.std() / 5


@given(counts=st.lists(st.integers(0, 50), min_size=1, max_size=20),
       exposure=st.floats(min_value=0.1, max_value=100.0))
def test_more_observations_never_widen_a_job_rate(counts: list[int], exposure: float) -> None:
    one = calibrate(PRIOR, Observations(job_counts=_counts("job", [exposure], counts[:1])))
    many = calibrate(PRIOR, Observations(job_counts=_counts(
        "job", [exposure] * len(counts), counts)))
    # Each count adds exposure to the posterior's rate: the relative width
    # (high - low) / mean shrinks as rows are added.
    width = [(p.inputs[0].high - p.inputs[0].low) / p.inputs[0].value for p in (one, many)]
    assert width[1] <= width[0] * (1 + 1e-9)
