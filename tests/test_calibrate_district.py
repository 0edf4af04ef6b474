"""A district's own records narrow the headline: calibration end to end."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.errors import InputError
from propfee.uncertainty.district import calibrate_district
from propfee.uncertainty.observations import job_exposures

STREET = pf.datasets.sanqiao_like_street().head(60)


def _log(true_rate: float, seed: int = 3) -> pd.DataFrame:
    """Two years of pipe-dredging orders drawn from the model at ``true_rate`` uses a
    building a year (the file says 0.5): Poisson counts over each compound's exposure."""
    exposures = job_exposures(STREET)
    pipe = exposures[exposures["job"] == "pipe_dredging"]
    rng = np.random.default_rng(seed)
    rows = []
    for cid, exposure in zip(pipe["compound_id"], pipe["exposure_per_year"], strict=True):
        for k in range(rng.poisson(true_rate * exposure * 2)):
            rows.append({"date": pd.Timestamp(2022, 1, 1) + pd.Timedelta(days=int(k % 700)),
                         "compound_id": cid, "job": "pipe_dredging",
                         "taken_by": "shared_company", "cost_yuan": 210.0})
    log = pd.DataFrame(rows)
    log["line"] = np.arange(len(log)) + 2
    return log


def test_an_order_log_moves_the_rate_toward_the_truth_and_narrows_it() -> None:
    out = calibrate_district(STREET, order_log=_log(0.25), log_start=dt.date(2022, 1, 1),
                             log_end=dt.date(2023, 12, 31), n=64, seed=1)
    row = out.posterior.summary.set_index("quantity").loc["jobs.pipe_dredging.uses_per_basis_year"]
    # The prior: 0.5, 90% between 0.25 and 1.0; two years of ~100 buildings' orders at
    # 0.25 pull the value to about 0.25 and narrow the interval by more than 80%.
    assert row["prior_value"] == 0.5
    assert 0.2 < row["value"] < 0.3
    assert row["narrowing"] > 0.8
    assert out.posterior.flags.empty
    # The updated inputs hold the calibrated range; the other inputs are the prior's.
    updated = {i.name: i for i in out.updated.inputs}
    assert updated["jobs.pipe_dredging.uses_per_basis_year"].shape == "gamma"
    assert updated["fees.collection_rate"] == out.prior.get("fees.collection_rate")
    # The headline's intervals, before and after, with the same draws' seed.
    assert set(out.narrowing["figure"]) == {"compounds_in_deficit", "street_subsidy_yuan",
                                            "net_public_cost_yuan", "pool_balance_yuan"}
    n = out.narrowing.set_index("figure")
    assert (n["width_before"] > 0).all()
    np.testing.assert_allclose(n["narrowing"], 1 - n["width_after"] / n["width_before"])


def test_nothing_to_learn_from_is_bad_input() -> None:
    with pytest.raises(InputError, match="give observations, a work-order log, or both"):
        calibrate_district(STREET)
