from __future__ import annotations

import pandas as pd
import pytest

import propfee as pf
from propfee.datasets import sanqiao_like_street, synthetic_district


def test_sanqiao_reproduces_the_source_statistics() -> None:
    df = sanqiao_like_street()
    assert len(df) == 286
    assert int((df["households"] < 100).sum()) == 220  # 76.9%
    assert df["build_year"].between(1980, 2005).all()
    # Zones of about 983 / 270 = 3.6 compounds.
    assert 3.0 <= len(df) / df["zone"].nunique() <= 4.2
    pf.validate_compounds(df)  # a valid compound table


def test_same_seed_same_street() -> None:
    pd.testing.assert_frame_equal(sanqiao_like_street(1), sanqiao_like_street(1))
    assert not sanqiao_like_street(1).equals(sanqiao_like_street(2))


def test_synthetic_district_sizes() -> None:
    df = synthetic_district(983, seed=3)
    assert len(df) == 983
    assert int((df["households"] < 100).sum()) == round(983 * 220 / 286)
    assert df["compound_id"].is_unique


@pytest.mark.parametrize(("n", "small"), [(0, None), (10, 11), (10, -1)])
def test_bad_sizes(n, small) -> None:
    with pytest.raises(ValueError, match="must be"):
        synthetic_district(n, small)
