"""Many draws in one stacked run equal one evaluation per draw."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.analysis.draws import evaluate_draws, one_at_a_time
from propfee.analysis.sensitivity import illustrative_ranges, tornado
from propfee.errors import InputError
from propfee.plan import named_plan

STREET = pf.datasets.sanqiao_like_street().head(40)


@pytest.mark.parametrize("plan_name", ["xinghualing", "shared_staffed"])
def test_each_draw_equals_its_own_evaluation(plan_name: str, params: pf.ParameterSet) -> None:
    plan = named_plan(plan_name)
    draws = pd.DataFrame({
        "fees.collection_rate": [0.5, 0.7, 0.95],
        "staffing.cleaning.monthly_wage_yuan": [1900.0, 2000.0, 2600.0],
        "jobs.pipe_dredging.market_price_yuan_per_use": [200.0, 300.0, 450.0],
        "contracts.members_per_trip": [2.0, 3.0, 5.0],
        "street_fallback.garbage_removal.price_yuan": [90.0, 120.0, 150.0],
        "public_income.parking.occupancy_rate": [0.3, 0.6, 0.9],
    })
    got = evaluate_draws(STREET, draws, plan, params)
    for i, row in draws.iterrows():
        p = params.replace({k: v for k, v in row.items() if not k.startswith(
            ("street_fallback.", "public_income."))})
        overrides = pd.DataFrame({
            "compound_id": STREET["compound_id"],
            "street_fallback.garbage_removal.price_yuan": row[
                "street_fallback.garbage_removal.price_yuan"],
            "public_income.parking.occupancy_rate": row["public_income.parking.occupancy_rate"],
        })
        one = pf.evaluate_district(STREET, plan, p, overrides=overrides).compounds
        for column, values in got.items():
            np.testing.assert_array_equal(values[i], one[column].to_numpy(), err_msg=column)


def test_unknown_or_infinite_inputs_are_named(params: pf.ParameterSet) -> None:
    with pytest.raises(InputError, match=r"fees\.no_such_rate") as err:
        evaluate_draws(STREET, pd.DataFrame({"fees.no_such_rate": [1.0],
                                             "fees.collection_rate": [np.inf]}))
    assert "not finite" in str(err.value)


def test_tornado_reads_the_one_at_a_time_draws(params: pf.ParameterSet) -> None:
    """The tornado's low and high of an input are the district evaluated with only that
    input moved (checked against separate evaluations)."""
    ranges = {"fees.collection_rate": (0.5, 0.9),
              "street_fallback.grid_workers.price_yuan": (20.0, 40.0)}
    out = tornado(STREET, ranges, metric="compounds_in_deficit").set_index("parameter")
    plan = pf.default_plan()
    for low_or_high, value in (("low", 0.5), ("high", 0.9)):
        c = pf.evaluate_district(STREET, plan, params.replace(
            {"fees.collection_rate": value})).compounds
        expected = int((c["pool_balance_yuan"] < 0).sum())
        assert out.loc["fees.collection_rate", f"metric_{low_or_high}"] == expected
    base = int((pf.evaluate_district(STREET).compounds["pool_balance_yuan"] < 0).sum())
    assert out["metric_base"].tolist() == [base, base]
    draws = one_at_a_time({"a": 1.0, "b": 2.0}, {"a": (0.5, 1.5), "b": (1.0, 3.0)})
    assert draws.to_dict("list") == {"a": [1.0, 0.5, 1.5, 1.0, 1.0],
                                     "b": [2.0, 2.0, 2.0, 1.0, 3.0]}


def test_illustrative_ranges_keep_shares_and_the_minimum_wage() -> None:
    params, ranges, info = illustrative_ranges(change_rate=0.25)
    # A share stays a share; a wage stays at the minimum wage (1,880 in 2024).
    assert ranges["fees.collection_rate"] == pytest.approx((0.525, 0.875))
    assert ranges["public_income.parking.occupancy_rate"] == pytest.approx((0.45, 0.75))
    assert ranges["staffing.cleaning.monthly_wage_yuan"] == (1880.0, 2500.0)
    # The plan's prices are in, its choices (shares, units) are not.
    assert "street_fallback.garbage_removal.price_yuan" in ranges
    assert "smart_devices.access_control.capital_cost_yuan_per_unit" in ranges
    assert "self_governance.patrol.share" not in ranges
    assert set(info["parameter"]) == set(ranges)
    assert params.as_of.isoformat() == "2024-07-09"


def test_no_illustrative_value_moves_the_count_more_than_the_tornado_says(
        params: pf.ParameterSet) -> None:
    """The tornado of every illustrative value and plan price at +-25% (the docs' table)
    against separate evaluations of the district: for the five inputs that swing the
    count of compounds in deficit most, and five chosen at random, the count at the low
    and the high is what the tornado reports, and its swing bounds the change."""
    from propfee.analysis.sensitivity import illustrative_effects

    street = pf.datasets.sanqiao_like_street()
    table = illustrative_effects(street, metric="compounds_in_deficit")
    plan = pf.default_plan()
    _, ranges, _ = illustrative_ranges(plan)
    rng = np.random.default_rng(7)
    picks = [*table["parameter"].head(5),
             *rng.choice(table["parameter"].iloc[5:].to_numpy(), 5, replace=False)]
    base = int((pf.evaluate_district(street, plan, params).compounds["pool_balance_yuan"]
                < 0).sum())
    rows = table.set_index("parameter")
    for path in picks:
        counts = []
        for end in ranges[path]:
            if path.startswith(("self_governance", "shared_property", "street_fallback",
                                "smart_devices", "public_income")):
                overrides = pd.DataFrame({"compound_id": street["compound_id"], path: end})
                c = pf.evaluate_district(street, plan, params, overrides=overrides).compounds
            else:
                c = pf.evaluate_district(street, plan, params.replace({path: end})).compounds
            counts.append(int((c["pool_balance_yuan"] < 0).sum()))
        assert counts == [rows.loc[path, "metric_low"], rows.loc[path, "metric_high"]], path
        assert max(abs(k - base) for k in counts) <= rows.loc[path, "swing"]
