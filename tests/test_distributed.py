"""Dask: a local cluster of processes gives the pandas numbers exactly."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.analysis import ProjectionSettings, monte_carlo
from propfee.distributed import evaluate_dask, monte_carlo_dask, partition_by
from propfee.errors import MissingExtraError

STREET = pf.datasets.sanqiao_like_street().head(80)


@pytest.fixture(scope="module", params=[1, 2], ids=["1-worker", "2-workers"])
def client(request: pytest.FixtureRequest):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=request.param, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def test_distributed_equals_pandas(client) -> None:
    result, problems = evaluate_dask(partition_by(STREET, "zone", 3)).compute()
    expected = pf.evaluate_district(STREET, contributions=False, with_lines=False).compounds
    pd.testing.assert_frame_equal(result.set_index("compound_id").sort_index(),
                                  expected.set_index("compound_id").sort_index())
    assert problems.empty


def test_monte_carlo_same_seed_same_numbers(client) -> None:
    s = ProjectionSettings(horizon_years=3)
    local = monte_carlo(STREET.head(20), settings=s, draws=700, seed=11)
    remote = monte_carlo_dask(STREET.head(20), settings=s, draws=700, seed=11)
    pd.testing.assert_frame_equal(local.compounds, remote.compounds)
    pd.testing.assert_series_equal(local.district, remote.district)


def test_a_bad_row_is_reported_and_nothing_else_is_lost(client) -> None:
    bad = STREET.copy()
    bad.loc[5, "households"] = -4
    bad.loc[40, "floor_area_m2"] = np.nan
    result, problems = evaluate_dask(partition_by(bad, "zone", 4)).compute()
    ids = {STREET.loc[5, "compound_id"], STREET.loc[40, "compound_id"]}
    assert set(problems["compound_id"]) == ids
    assert set(result["compound_id"]) == set(STREET["compound_id"]) - ids
    assert "must be > 0" in " ".join(problems["message"])


def test_asking_for_dask_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(MissingExtraError, match=r"propfee\[dask\]"):
        evaluate_dask(None)
    with pytest.raises(MissingExtraError, match=r"propfee\[dask\]"):
        monte_carlo_dask(STREET.head(3), draws=10)


def test_propfee_imports_without_dask() -> None:
    import subprocess

    code = ("import sys; sys.modules['dask'] = None; sys.modules['distributed'] = None; "
            "import propfee, propfee.distributed; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
