"""Break-even of every target on compounds built by hand: a reachable case each, with
its value computed here, plugged back where the input can be, and an unreachable case.

The compound (the stand-alone contract at cost, every kind of hour work a standing
post, grade 3, jobs free, advertising): 100 households, 3,250 m2, one building and one
stairwell unit, no green, no gates, built 2024 (age 0)::

    cleaning    3,250 / 13,000 x 2,000 = 500 h = 0.25 -> 0.5 post x 38,520 = 19,260
    management  100 / 650 x 2,000 = 307.69 h = 0.15 -> 0.5 post x 57,420 = 28,710
    patrol      1 x 0.3 x 365 = 109.5 h = 0.0375 guard (by the hour) x 55,908 = 2,096.55
    contract                                                              = 50,066.55
    running: electricity 200 + water 500 + consumables 975 + cleaning
    materials 2,400 + insurance 162.50 + office 2,000                    =  6,237.50
    garbage at market 100 x 1.5 x 365 / 1,000 = 54.75 t x 120            =  6,570
    cash cost                                                             = 62,874.05
    advertising 2 x 1,500 x 0.5                                           =  1,500
    fee at 0.5 yuan/m2, 70% collected: 3,250 x 0.5 x 12 x 0.7             = 13,650
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.analysis import break_even
from propfee.channels import IncomeSource, PublicIncome

from .conftest import BARE
from .test_budget import _free_jobs

PLAN = BARE.model_copy(update={"public_income": PublicIncome(items=(IncomeSource(
    name="advertising", basis="compound", units_per_basis=2.0, price_yuan_per_unit_year=1500.0,
    occupancy_rate=0.5),))})
PARAMS = _free_jobs()
NEED = 62874.05 - 1500.0
"""Cash cost less public income: what the fees must bring. [yuan/year]"""


def _street(**columns: Any) -> pd.DataFrame:
    df = pd.DataFrame({"compound_id": ["a"], "households": [100],
                       "floor_area_m2": [3250.0], "build_year": [2024], "gates": [0]})
    return df.assign(**columns)


def _balance(df: pd.DataFrame, plan: pf.Plan = PLAN) -> list[float]:
    return pf.evaluate_district(df, plan, PARAMS).compounds["pool_balance_yuan"].tolist()


def test_the_hand_compound() -> None:
    out = pf.evaluate_district(_street(), PLAN, PARAMS).compounds
    assert out["cost_shared_property_yuan"].tolist() == [50066.55]
    assert out["cost_direct_yuan"].tolist() == [6237.5]
    assert out["cost_market_yuan"].tolist() == [6570.0]
    assert out["compound_cash_cost_yuan"].tolist() == [62874.05]
    assert out["public_income_yuan"].tolist() == [1500.0]
    assert out["fee_collected_yuan"].tolist() == [13650.0]


def test_fee_rate_reachable_and_plugged_back() -> None:
    # rate* = 61,374.05 / (3,250 x 12 x 0.7) = 61,374.05 / 27,300 = 2.248134 yuan/m2/month
    be = break_even(_street(), "fee_rate", PLAN, PARAMS)
    assert be.to_dict("records") == [{"compound_id": "a", "value": pytest.approx(NEED / 27300),
                                      "current": 0.5, "reachable": True, "reason": ""}]
    assert be["value"].iloc[0] == pytest.approx(2.248134, abs=1e-6)
    assert _balance(_street(fee_rate_yuan_per_m2_month=be["value"].to_numpy())) == \
        pytest.approx([0.0], abs=0.01)


def test_fee_rate_unreachable_when_nothing_is_collected() -> None:
    be = break_even(_street(collection_rate=[0.0]), "fee_rate", PLAN, PARAMS)
    assert be["reachable"].tolist() == [False]
    assert np.isinf(be["value"]).all()
    assert be["reason"].tolist() == ["nothing is collected: no fee rate can break even"]


def test_collection_rate_reachable_and_plugged_back() -> None:
    # At 4.0 yuan/m2: billed 3,250 x 4 x 12 = 156,000; coll* = 61,374.05 / 156,000 = 0.393423.
    df = _street(fee_rate_yuan_per_m2_month=[4.0])
    be = break_even(df, "collection_rate", PLAN, PARAMS)
    assert be["reachable"].tolist() == [True]
    assert be["value"].tolist() == pytest.approx([NEED / 156000.0])
    assert be["current"].tolist() == [0.7]
    assert _balance(df.assign(collection_rate=be["value"].to_numpy())) == pytest.approx(
        [0.0], abs=0.01)


def test_collection_rate_unreachable_above_one() -> None:
    # At 0.5 yuan/m2: billed 19,500; 61,374.05 / 19,500 = 3.147 > 1.
    be = break_even(_street(), "collection_rate", PLAN, PARAMS)
    assert be["reachable"].tolist() == [False]
    assert be["value"].tolist() == pytest.approx([NEED / 19500.0])
    assert be["reason"].tolist() == ["would need more than 100% of the billed fee"]


def test_public_income_reachable_and_zero_when_it_already_breaks_even() -> None:
    # income* = 62,874.05 - 13,650 = 49,224.05 in all (1,500 today); at 30 yuan/m2 the
    # fee (819,000) covers it.
    df = pd.concat([_street(), _street(compound_id=["b"], fee_rate_yuan_per_m2_month=[30.0])])
    be = break_even(df, "public_income", PLAN, PARAMS)
    assert be["reachable"].tolist() == [True, True]
    assert be["value"].tolist() == pytest.approx([49224.05, 0.0])
    assert be["current"].tolist() == [1500.0, 1500.0]
    # Plugged back: advertising earning the income found balances the pool (price x 2
    # panels x 50% occupancy = income).
    ads = PublicIncome(items=(IncomeSource(
        name="advertising", basis="compound", units_per_basis=2.0,
        price_yuan_per_unit_year=float(be["value"].iloc[0]), occupancy_rate=0.5),))
    assert _balance(_street(), PLAN.model_copy(update={"public_income": ads})) == \
        pytest.approx([0.0], abs=0.01)


def test_bundle_size_reachable_by_hand() -> None:
    """At 1.3 yuan/m2 the compound keeps 3,250 x 1.3 x 12 x 0.7 + 1,500 - 6,237.50 -
    6,570 = 24,182.50 a year for the contract. k copies pooled (posts of 0.5, rounded up
    once; patrol by the hour, 2,096.55 each)::

        k  cleaning 0.25k  management 0.1538k  patrol      contract    k x 24,182.50
        1  0.5  19,260     0.5  28,710          2,096.55    50,066.55   24,182.50
        2  0.5  19,260     0.5  28,710          4,193.10    52,163.10   48,365.00
        3  1.0  38,520     0.5  28,710          6,289.65    73,519.65   72,547.50
        4  1.0  38,520     1.0  57,420          8,386.20   104,326.20   96,730.00
        5  1.5  57,780     1.0  57,420         10,482.75   125,682.75  120,912.50
        6  1.5  57,780     1.0  57,420         12,579.30   127,779.30  145,095.00 ok

    so the least viable bundle has 6 such compounds."""
    df = _street(fee_rate_yuan_per_m2_month=[1.3])
    be = break_even(df, "bundle_size", PLAN, PARAMS)
    assert be["reachable"].tolist() == [True]
    assert be["value"].tolist() == [6.0]
    assert be["current"].tolist() == [1.0]
    be5 = break_even(df, "bundle_size", PLAN, PARAMS, max_bundle_size=5)
    assert be5["reachable"].tolist() == [False]
    assert np.isinf(be5["value"]).all()
    assert be5["reason"].tolist() == ["no bundle of up to 5 such compounds pays its way"]


def test_an_unknown_variable_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown variable 'fees'"):
        break_even(_street(), "fees", PLAN, PARAMS)  # type: ignore[arg-type]
