"""Why a compound is in deficit: the drivers add up to its pool balance exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given

import propfee as pf
from propfee.analysis.drivers import DRIVERS, deficit_drivers
from tests.conftest import districts


@given(df=districts(max_size=30))
def test_reference_and_drivers_add_up_to_the_pool_balance_in_fen(df: pd.DataFrame) -> None:
    out = deficit_drivers(pf.evaluate_district(df))
    parts = ["reference_yuan", *(f"{d}_yuan" for d in DRIVERS)]
    total = np.round(out[parts].to_numpy() * 100).astype(np.int64).sum(axis=1)
    np.testing.assert_array_equal(total, np.round(out["pool_balance_yuan"] * 100))


def test_three_compounds_by_hand() -> None:
    """Three compounds that differ only in collection rate (0.5, 0.7, 0.9): the median
    compound is the second; the first's collection driver is households x billed per
    household x (0.5 - 0.7), the third's the same with +0.2; every other driver is zero;
    the reference is the second's balance per household times the households."""
    base = {"households": 100, "floor_area_m2": 10_000.0, "build_year": 1990, "buildings": 4,
            "stairwell_units": 8, "green_area_m2": 1000.0, "parking_spaces": 20, "zone": "Z"}
    df = pd.DataFrame([{**base, "compound_id": f"c{i}", "collection_rate": rate}
                       for i, rate in enumerate((0.5, 0.7, 0.9))])
    budget = pf.evaluate_district(df, pf.plan.named_plan("xinghualing").model_copy(
        update={"shared_property": pf.plan.named_plan("xinghualing").shared_property
                .model_copy(update={"bundle_by": "none"})}))
    out = deficit_drivers(budget).set_index("compound_id")
    # Billed: 10,000 m2 x 0.5 x 12 = 60,000 yuan, 600 a household.
    assert out.loc["c0", "collection_yuan"] == -12_000.0  # 100 x 600 x (0.5 - 0.7)
    assert out.loc["c2", "collection_yuan"] == 12_000.0  # 100 x 600 x (0.9 - 0.7)
    for d in DRIVERS:
        if d != "collection":
            assert (out[f"{d}_yuan"] == 0).all(), d
    balance = budget.compounds.set_index("compound_id")["pool_balance_yuan"]
    assert (out["reference_yuan"] == balance["c1"]).all()
    assert balance["c0"] == round(balance["c1"] - 12_000, 2)
    # The reasons name the median compound's own deficit where it has one, then what
    # makes this compound worse.
    assert balance["c1"] < 0
    assert balance["c0"] < 0
    assert out.loc["c0", "reason"] == (
        f"the district's median compound is in deficit too ({-balance['c1']:,.0f} yuan a year "
        "for as many households); on top of it low fee collection: 12,000 yuan a year worse "
        "than the median compound"
        if -balance["c1"] >= 12_000 else
        "mostly low fee collection: 12,000 yuan a year worse than the median compound")


def test_other_costs_speak_of_few_households_only_below_the_median() -> None:
    """Two compounds with far more green area per household than the three alike ones
    (whose balance is the reference): the one with fewer households than the median (40
    against 100) is told its fixed costs are spread over few households; the one with more
    (300) that its running costs per household are higher."""
    base = {"households": 100, "floor_area_m2": 10_000.0, "build_year": 1990, "buildings": 4,
            "stairwell_units": 8, "green_area_m2": 1000.0, "parking_spaces": 20, "zone": "Z",
            "collection_rate": 0.7}
    rows = [{**base, "compound_id": f"m{i}"} for i in range(3)]
    rows += [{**base, "compound_id": "small", "households": 40, "floor_area_m2": 4000.0,
              "green_area_m2": 8000.0},
             {**base, "compound_id": "large", "households": 300, "floor_area_m2": 30_000.0,
              "green_area_m2": 60_000.0}]
    plan = pf.plan.named_plan("xinghualing")
    plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "none"})})
    out = deficit_drivers(pf.evaluate_district(pd.DataFrame(rows), plan)).set_index(
        "compound_id")
    worst = out[[f"{d}_yuan" for d in DRIVERS]].idxmin(axis=1)
    assert (worst[["small", "large"]] == "other_costs_yuan").all()
    small = -out.loc["small", "other_costs_yuan"]
    large = -out.loc["large", "other_costs_yuan"]
    assert out.loc["small", "reason"] == (
        f"mostly fixed costs spread over few households: {small:,.0f} yuan a year worse than "
        "the median compound")
    assert out.loc["large", "reason"] == (
        "mostly higher running costs per household (cleaning, greening, management, "
        f"devices): {large:,.0f} yuan a year worse than the median compound")
    zh = deficit_drivers(pf.evaluate_district(pd.DataFrame(rows), plan), lang="zh")
    assert "固定成本摊到的户数少" in zh["reason"].iloc[3]
    assert "户均日常运行成本高" in zh["reason"].iloc[4]
