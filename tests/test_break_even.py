"""Break-even of every target on compounds built by hand: a reachable case each, with
its value computed here, plugged back where the input can be, and an unreachable case.

The compound (the stand-alone company at cost, every role a standing post, grade 3):
100 households, 3,250 m2, no green, no gates, built 2024 (age 0)::

    cleaning    3,250 / 13,000 = 0.25 -> 0.5 post x 38,520 = 19,260
    maintenance 3,250 / 32,500 = 0.1  -> 0.5 post x 53,640 = 26,820
    management  100 / 650 = 0.1538    -> 0.5 post x 57,420 = 28,710
    contract                                                = 74,790
    upkeep 1.2 x 3,250 x 1.0 = 3,900; cleaning materials 24 x 100 = 2,400;
    insurance 0.05 x 3,250 = 162.50                         =  6,462.50
    cash cost                                               = 81,252.50
    fee at 0.5 yuan/m2, 70% collected: 3,250 x 0.5 x 12 x 0.7 = 13,650
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.analysis import break_even

from .conftest import BARE


def _street(**columns: Any) -> pd.DataFrame:
    df = pd.DataFrame({"compound_id": ["a"], "households": [100],
                       "floor_area_m2": [3250.0], "build_year": [2024], "gates": [0]})
    return df.assign(**columns)


def test_the_hand_compound_cash_cost() -> None:
    out = pf.evaluate_district(_street(), BARE, contributions=False).compounds
    assert out["compound_cash_cost_yuan"].tolist() == [81252.5]
    assert out["fee_collected_yuan"].tolist() == [13650.0]


def test_fee_rate_reachable_and_plugged_back() -> None:
    # rate* = 81,252.50 / (3,250 x 12 x 0.7) = 81,252.50 / 27,300 = 2.976282 yuan/m2/month
    be = break_even(_street(), "fee_rate", BARE)
    assert be["reachable"].tolist() == [True]
    assert be["value"].tolist() == pytest.approx([81252.5 / 27300.0])
    assert be["current"].tolist() == [0.5]
    out = pf.evaluate_district(_street(fee_rate_yuan_per_m2_month=be["value"].to_numpy()),
                               BARE, contributions=False).compounds
    assert out["pool_balance_yuan"].tolist() == pytest.approx([0.0], abs=0.01)


def test_fee_rate_unreachable_when_nothing_is_collected() -> None:
    be = break_even(_street(collection_rate=[0.0]), "fee_rate", BARE)
    assert be["reachable"].tolist() == [False]
    assert np.isinf(be["value"]).all()
    assert be["reason"].tolist() == ["nothing is collected: no fee rate can break even"]


def test_collection_rate_reachable_and_plugged_back() -> None:
    # At 4.0 yuan/m2: billed 3,250 x 4 x 12 = 156,000; coll* = 81,252.50 / 156,000 = 0.52085.
    df = _street(fee_rate_yuan_per_m2_month=[4.0])
    be = break_even(df, "collection_rate", BARE)
    assert be["reachable"].tolist() == [True]
    assert be["value"].tolist() == pytest.approx([81252.5 / 156000.0])
    out = pf.evaluate_district(df.assign(collection_rate=be["value"].to_numpy()), BARE,
                               contributions=False).compounds
    assert out["pool_balance_yuan"].tolist() == pytest.approx([0.0], abs=0.01)


def test_collection_rate_unreachable_above_one() -> None:
    # At 0.5 yuan/m2: billed 19,500; 81,252.50 / 19,500 = 4.167 > 1.
    be = break_even(_street(), "collection_rate", BARE)
    assert be["reachable"].tolist() == [False]
    assert be["value"].tolist() == pytest.approx([81252.5 / 19500.0])


def test_public_income_reachable_and_zero_when_it_already_breaks_even() -> None:
    # income* = 81,252.50 - 13,650 = 67,602.50; at 30 yuan/m2 the fee (819,000) covers it.
    df = pd.concat([_street(), _street(compound_id=["b"], fee_rate_yuan_per_m2_month=[30.0])])
    be = break_even(df, "public_income", BARE)
    assert be["reachable"].tolist() == [True, True]
    assert be["value"].tolist() == pytest.approx([67602.5, 0.0])


def test_bundle_size_reachable_by_hand() -> None:
    # At 1.2 yuan/m2 the compound keeps 3,250 x 1.2 x 12 x 0.7 - 6,462.50 = 26,297.50 a
    # year for the contract. k copies pooled (posts of 0.5, rounded up once):
    #   k  cleaning 0.25k  maintenance 0.1k  management 0.1538k   contract    k x 26,297.50
    #   1  0.5  19,260     0.5  26,820       0.5  28,710           74,790      26,297.50
    #   5  1.5  57,780     0.5  26,820       1.0  57,420          142,020     131,487.50
    #   6  1.5  57,780     1.0  53,640       1.0  57,420          168,840     157,785
    #   8  2.0  77,040     1.0  53,640       1.5  86,130          216,810     210,380
    #   9  2.5  96,300     1.0  53,640       1.5  86,130          236,070     236,677.50 ok
    # (every k below 9 falls short), so the least viable bundle has 9 such compounds.
    df = _street(fee_rate_yuan_per_m2_month=[1.2])
    be = break_even(df, "bundle_size", BARE)
    assert be["reachable"].tolist() == [True]
    assert be["value"].tolist() == [9.0]
    be8 = break_even(df, "bundle_size", BARE, max_bundle_size=8)
    assert be8["reachable"].tolist() == [False]
    assert be8["reason"].tolist() == ["no bundle of up to 8 such compounds pays its way"]
