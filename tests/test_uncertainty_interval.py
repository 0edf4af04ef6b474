"""The headline as an interval: the seam, the figures by hand, collapsed ranges, Dask."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.compound import CompoundTable, validate_compounds
from propfee.errors import MissingExtraError, ParameterError, UsageError
from propfee.params import load_parameter_file
from propfee.params.ranges import UncertainInput, UncertainInputs
from propfee.plan import Plan
from propfee.uncertainty.interval import (
    FIGURES,
    OUTPUTS,
    check_inputs,
    evaluate_draws,
    headline_model,
    interval,
)
from propfee.uncertainty.sensitivity import drivers_sentence, tornado

pytest.importorskip("scipy")
FIXTURE = Path(__file__).parent / "data" / "ranges.toml"
STREET = pf.datasets.sanqiao_like_street()
SMALL = STREET.head(12)
PARKING = ("public_income.parking.occupancy_rate", 0.6, 0.3, 0.9, "pert")
PIPE = ("jobs.pipe_dredging.market_price_yuan_per_use", 300.0, 200.0, 450.0,
        "lognormal")


def _inputs() -> UncertainInputs:
    return load_parameter_file(FIXTURE).uncertain().extended([PARKING, PIPE])


# ---------------------------------------------------------------- the figures by hand

TOY = pd.DataFrame({
    "compound_id": ["a", "b", "c", "d"], "households": [50, 60, 70, 80],
    "floor_area_m2": [4000.0, 5000.0, 6000.0, 7000.0], "build_year": [1990] * 4,
    "street": ["S1", "S1", "S2", "S2"], "zone": ["Z1", "Z2", "Z2", "Z3"]})


def toy_evaluator(table: CompoundTable, plan: Plan, params: pf.ParameterSet,
                  draws: pd.DataFrame) -> dict[str, np.ndarray]:
    """Pool balance = x - (100, 200, 300, 400) per compound; subsidy its deficit; net
    public cost the subsidy plus 10 per compound."""
    x = draws["x"].to_numpy()[:, None]
    balance = x - np.array([100.0, 200.0, 300.0, 400.0])
    subsidy = np.maximum(-balance, 0.0)
    return {"pool_balance_yuan": balance, "street_subsidy_yuan": subsidy,
            "net_public_cost_yuan": subsidy + 10.0}


def test_the_figures_of_a_toy_evaluator_by_hand() -> None:
    inputs = UncertainInputs(inputs=(UncertainInput(name="x", value=250.0, low=0.0, high=500.0,
                                                    shape="uniform", reason="r"),))
    result = interval(TOY, ranges=inputs, n=100, seed=3, evaluate_draws=toy_evaluator,
                      check=False)
    x = result.draws["x"].to_numpy()
    # At the value x = 250: balances 150, 50, -50, -150: two compounds in deficit, subsidy
    # 50 + 150 = 200, net public cost 200 + 4 x 10 = 240, pool 250 x 4 - 1,000 = 0.
    district = result.headline[result.headline["level"] == "district"].set_index("figure")
    assert district["point"].to_dict() == {"compounds_in_deficit": 2.0,
                                           "street_subsidy_yuan": 200.0,
                                           "net_public_cost_yuan": 240.0,
                                           "pool_balance_yuan": 0.0}
    deficits = (x[:, None] < np.array([100, 200, 300, 400])).sum(axis=1)
    assert district.loc["compounds_in_deficit", "median"] == np.median(deficits)
    # Money is summed in whole fen: each compound's balance is rounded to the fen first.
    in_fen = np.round((x[:, None] - np.array([100, 200, 300, 400])) * 100).sum(axis=1) / 100
    np.testing.assert_allclose(district.loc["pool_balance_yuan", ["low", "median", "high"]],
                               np.quantile(in_fen, [0.05, 0.5, 0.95]), rtol=1e-12)
    # By street: S1 holds a and b (100, 200), S2 holds c and d (300, 400). At x = 250:
    # S1 has no deficit (balances 150, 50), S2 two (subsidy 50 + 150).
    streets = result.figure("street_subsidy_yuan", "street")
    assert streets["point"].to_dict() == {"S1": 0.0, "S2": 200.0}
    zones = result.figure("compounds_in_deficit", "zone")
    assert zones["point"].to_dict() == {"Z1": 0.0, "Z2": 1.0, "Z3": 1.0}  # c in Z2, d in Z3
    # Per compound: a deficit when x is below its cost; with 100 LHS draws on [0, 500]
    # exactly 20, 40, 60 and 80 draws fall below 100, 200, 300, 400.
    assert result.compounds["deficit_probability"].tolist() == [0.2, 0.4, 0.6, 0.8]
    assert result.compounds["pool_balance_point_yuan"].tolist() == [150.0, 50.0, -50.0, -150.0]
    # At x = 200, b's balance is exactly 0: not a deficit (c and d are).
    at_200 = interval(TOY, ranges=inputs.collapsed().replaced([inputs.get("x").model_copy(
        update={"value": 200.0, "low": 200.0, "high": 200.0})]), n=3,
        evaluate_draws=toy_evaluator, check=False)
    assert at_200.figure("compounds_in_deficit")["point"].tolist() == [2.0]
    assert at_200.compounds["deficit_probability"].tolist() == [0.0, 0.0, 1.0, 1.0]


def test_a_block_size_changes_nothing() -> None:
    inputs = UncertainInputs(inputs=(UncertainInput(name="x", value=250.0, low=0.0, high=500.0,
                                                    shape="uniform", reason="r"),))
    runs = [interval(TOY, ranges=inputs, n=37, seed=1, evaluate_draws=toy_evaluator,
                     check=False, block=b) for b in (1, 7, 32, 100)]
    for other in runs[1:]:
        pd.testing.assert_frame_equal(runs[0].headline, other.headline)
        pd.testing.assert_frame_equal(runs[0].compounds, other.compounds)


@pytest.mark.parametrize(("bad", "message"), [
    (lambda t, p, q, d: {"pool_balance_yuan": np.zeros((len(d), len(t)))},
     "the evaluator returned no 'street_subsidy_yuan'"),
    (lambda t, p, q, d: {name: np.zeros((len(t), len(d) + 1)) for name in OUTPUTS},
     r"'pool_balance_yuan' has shape \(4, 2\), not \(1, 4\): a row per draw and a "
     "column per compound"),  # the point, one draw, is evaluated first
])
def test_an_evaluator_is_held_to_its_contract(bad, message: str) -> None:
    inputs = UncertainInputs(inputs=(UncertainInput(name="x", value=1.0, low=0.0, high=2.0,
                                                    shape="uniform", reason="r"),))
    with pytest.raises(UsageError, match=message):
        interval(TOY, ranges=inputs, n=5, evaluate_draws=bad, check=False, block=5)


# ---------------------------------------------------------------- the default evaluator


def test_the_default_evaluator_applies_parameters_and_plan_prices(params) -> None:
    table = validate_compounds(SMALL)
    plan = pf.default_plan()
    draws = pd.DataFrame({"fees.collection_rate": [0.5, 0.9],
                          "public_income.parking.occupancy_rate": [0.3, 0.8]},
                         index=pd.Index([10, 11], name="draw"))
    out = evaluate_draws(table, plan, params, draws)
    assert set(out) == set(OUTPUTS)
    for k in range(2):
        overrides = pd.DataFrame({"compound_id": table.ids,
                                  "public_income.parking.occupancy_rate":
                                      draws.iloc[k, 1]})
        direct = pf.evaluate_district(
            table, plan, params.replace({"fees.collection_rate": draws.iloc[k, 0]}),
            overrides=overrides, contributions=False, with_lines=False).compounds
        for name in OUTPUTS:
            np.testing.assert_array_equal(out[name][k], direct[name].to_numpy())
    # More collected and more parking rented: every pool is at least as well off.
    assert (out["pool_balance_yuan"][1] >= out["pool_balance_yuan"][0]).all()


def test_collapsed_ranges_give_the_point_headline_exactly(params) -> None:
    inputs = _inputs().collapsed()
    result = interval(SMALL, ranges=inputs, n=6, seed=2, block=4)
    h = result.headline
    assert (h["median"] == h["point"]).all()
    assert (h["low"] == h["point"]).all()
    assert (h["high"] == h["point"]).all()
    # The point is the district itself, evaluated as the plain call does.
    plain = pf.evaluate_district(SMALL, contributions=False, with_lines=False).compounds
    at_values = params.replace({k: v for k, v in inputs.point.items()
                                if not k.startswith(("public_income", "shared_property"))})
    assert at_values == params  # the fixture's values are Taiyuan's
    district = h[h["level"] == "district"].set_index("figure")["point"]
    assert district["compounds_in_deficit"] == (plain["pool_balance_yuan"] < 0).sum()
    assert district["street_subsidy_yuan"] == pytest.approx(plain["street_subsidy_yuan"].sum(),
                                                            abs=1e-6)
    probability = result.compounds["deficit_probability"].to_numpy()
    assert set(probability) <= {0.0, 1.0}
    np.testing.assert_array_equal(probability == 1.0, plain["pool_balance_yuan"] < 0)


def test_a_wider_range_gives_a_wider_interval() -> None:
    narrow = UncertainInputs(inputs=(UncertainInput(
        name="fees.collection_rate", value=0.7, low=0.65, high=0.75, shape="uniform",
        reason="r"),))
    wide = UncertainInputs(inputs=(UncertainInput(
        name="fees.collection_rate", value=0.7, low=0.4, high=0.95, shape="uniform",
        reason="r"),))
    a = interval(SMALL, ranges=narrow, n=16, seed=0).figure("pool_balance_yuan")
    b = interval(SMALL, ranges=wide, n=16, seed=0).figure("pool_balance_yuan")
    assert (b["high"] - b["low"]).iloc[0] > 3 * (a["high"] - a["low"]).iloc[0]


@pytest.mark.parametrize(("extra", "fragment"), [
    (("fees.no_such", 1.0, 0.5, 1.5, "uniform"),
     "fees.no_such: neither a parameter path nor a plan override path"),
    (("staffing.order.monthly_wage_yuan", 2000.0, 1700.0, 2600.0, "uniform"),
     "staffing.order.monthly_wage_yuan: a draw of 1700 is refused: "
     "staffing.order.monthly_wage_yuan: 1700.0 is below the minimum wage 1880.0 yuan/month"),
    (("public_income.parking.occupancy_rate", 0.6, 0.3, 1.2, "uniform"),
     "public_income.parking.occupancy_rate: a draw of 1.2 is refused"),
])
def test_inputs_are_checked_before_any_draw(params, extra, fragment: str) -> None:
    inputs = UncertainInputs().extended([extra])
    with pytest.raises(ParameterError) as info:
        check_inputs(validate_compounds(SMALL), pf.default_plan(), params, inputs)
    assert fragment in str(info.value)
    with pytest.raises(ParameterError, match=r"refused|neither"):
        interval(SMALL, ranges=UncertainInputs(), extra=[extra], n=4)


def test_the_headline_model_feeds_a_tornado() -> None:
    model = headline_model(SMALL)
    inputs = UncertainInputs().extended([
        ("fees.collection_rate", 0.7, 0.4, 0.95, "pert"), PARKING])
    table = tornado(inputs, model)
    assert set(table["output"]) == set(FIGURES)
    pool = table[table["output"] == "pool_balance_yuan"].set_index("input")
    assert (pool["at_high"] > pool["at_low"]).all()  # more collected, more rented: more
    sentence = drivers_sentence(table, "pool_balance_yuan")
    assert sentence.startswith("The fund pool balance depends most on the collection rate")


# ---------------------------------------------------------------- Dask


@pytest.fixture(scope="module", params=[1, 2], ids=["1-worker", "2-workers"])
def client(request: pytest.FixtureRequest):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=request.param, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def test_dask_gives_the_local_numbers(client) -> None:
    inputs = _inputs()
    local = interval(SMALL, ranges=inputs, n=20, seed=5, block=6)
    remote = interval(SMALL, ranges=inputs, n=20, seed=5, block=6, dask=True)
    pd.testing.assert_frame_equal(local.headline, remote.headline)
    pd.testing.assert_frame_equal(local.compounds, remote.compounds)
    for name in OUTPUTS:
        np.testing.assert_array_equal(local.outputs[name], remote.outputs[name])


def test_dask_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(MissingExtraError, match=r"propfee\[dask\]"):
        interval(SMALL, n=2, dask=True)


def test_the_default_ranges_are_the_files_and_the_plans_prices() -> None:
    """Every illustrative value of the built-in file has a range (reason given), and the
    default inputs add a wide range around each of the plan's prices."""
    from propfee.params import load_parameter_file
    from propfee.uncertainty import default_ranges, plan_price_ranges

    file = load_parameter_file("taiyuan")
    assert file.without_range() == []
    inputs = default_ranges()
    names = set(inputs.names)
    assert {"fees.collection_rate", "jobs.wall_repair.market_price_yuan_per_use",
            "street_fallback.garbage_removal.price_yuan",
            "smart_devices.access_control.capital_cost_yuan_per_unit",
            "street_fallback.grid_workers.price_yuan",
            "public_income.parking.price_yuan_per_unit_year"} <= names
    prices = {i.name: i for i in plan_price_ranges()}
    # 30,000 yuan of access control: 20,000 to 45,000, the value the median.
    ac = prices["smart_devices.access_control.capital_cost_yuan_per_unit"]
    assert (ac.low, ac.value, ac.high, ac.shape) == (20000.0, 30000.0, 45000.0, "lognormal")
    occ = prices["public_income.parking.occupancy_rate"]  # 0.6: 0.3 to 0.9
    assert (occ.low, occ.high, occ.shape) == (0.3, 0.9, "triangular")
    assert all(i.reason for i in inputs.inputs)
