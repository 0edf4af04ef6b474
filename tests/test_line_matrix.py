"""The compact matrix of a district's lines and the long table made from it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.budget import LineMatrix


@pytest.fixture(scope="module")
def budget() -> pf.DistrictBudget:
    df = pf.datasets.synthetic_district(400, seed=7)
    return pf.evaluate_district(df)


def test_the_matrix_is_the_long_table(budget: pf.DistrictBudget) -> None:
    m = budget.line_matrix
    assert isinstance(m, LineMatrix)
    n, k = m.fen.shape
    assert n == len(budget.compounds)
    assert k == len(m.specs)
    assert m.fen.dtype == np.int64
    assert m.fen.flags.c_contiguous
    lines = budget.lines
    assert len(lines) == n * k
    # Row i * k + j is line j of compound i, spelt out one row at a time.
    ids = budget.compounds["compound_id"].tolist()
    expected = pd.DataFrame(
        [(ids[i], s.code, s.channel, s.category, s.payer, s.kind, s.work, int(m.fen[i, j]))
         for i in range(n) for j, s in enumerate(m.specs)],
        columns=["compound_id", "line", "channel", "category", "payer", "kind", "work",
                 "fen"])
    for column in expected.columns[:-1]:
        assert lines[column].astype(object).tolist() == expected[column].tolist(), column
    assert (np.round(lines["amount_yuan"].to_numpy() * 100).astype(np.int64)
            == expected["fen"].to_numpy()).all()
    # Every compound's lines add up to its total cost, to the fen.
    assert (m.fen.sum(axis=1) == np.round(
        budget.compounds["total_cost_yuan"].to_numpy() * 100).astype(np.int64)).all()
    spec = m.spec_frame()
    assert spec["line"].tolist() == [s.code for s in m.specs]
    assert list(spec.columns) == ["line", "channel", "category", "payer", "kind", "work"]


def test_part_of_the_table(budget: pf.DistrictBudget) -> None:
    m = budget.line_matrix
    k = len(m.specs)
    part = m.to_frame(slice(10, 25))
    whole = budget.lines.iloc[10 * k:25 * k]
    for column in whole.columns:
        assert part[column].astype(object).tolist() == whole[column].astype(
            object).tolist(), column


def test_parquet_in_pieces_reads_back_as_the_table(budget: pf.DistrictBudget,
                                                   tmp_path) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "lines.parquet"
    budget.line_matrix.to_parquet(path, compounds_per_piece=150)
    back = pd.read_parquet(path)
    lines = budget.lines
    assert list(back.columns) == list(lines.columns)
    for column in lines.columns[:-1]:
        assert back[column].astype(str).tolist() == lines[column].astype(str).tolist()
    np.testing.assert_array_equal(back["amount_yuan"].to_numpy(),
                                  lines["amount_yuan"].to_numpy())
    import pyarrow.parquet as pq

    assert pq.ParquetFile(path).num_row_groups == 3
