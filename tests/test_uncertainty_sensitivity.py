"""Sensitivity: Sobol indices against their analytic values, a tornado by hand, sentences."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from propfee.errors import UsageError
from propfee.params.ranges import CorrelationGroup, UncertainInput, UncertainInputs
from propfee.uncertainty.sensitivity import (
    drivers_sentence,
    model_outputs,
    name_of,
    sobol_indices,
    tornado,
)

pytest.importorskip("SALib")


def _u(name: str, value: float, low: float, high: float, shape: str = "uniform"
       ) -> UncertainInput:
    return UncertainInput(name=name, value=value, low=low, high=high, shape=shape, reason="r")


def _check(result, output: str, expected: dict[str, tuple[float, float]], tol: float) -> None:
    """Each factor's S1 and ST within its confidence interval and ``tol`` of the truth."""
    table = result.ranked(output).set_index("input")
    for factor, (s1, st) in expected.items():
        row = table.loc[factor]
        for got, conf, true in ((row["S1"], row["S1_conf"], s1), (row["ST"], row["ST_conf"], st)):
            assert abs(got - true) <= max(conf, 1e-3), (factor, got, conf, true)
            assert abs(got - true) <= tol, (factor, got, true)


def test_an_additive_function_has_its_analytic_indices() -> None:
    # Y = 1 X1 + 2 X2 + 0 X3, X ~ U(0, 1) independent: Var Y = (1 + 4) / 12;
    # S1 = S_T1 = 1 / 5 = 0.2, S2 = S_T2 = 4 / 5 = 0.8, S3 = S_T3 = 0 (no interaction).
    inputs = UncertainInputs(inputs=(
        _u("x1", 0.5, 0.0, 1.0), _u("x2", 0.5, 0.0, 1.0), _u("x3", 0.5, 0.0, 1.0),
        _u("fixed", 7.0, 7.0, 7.0)))

    def model(draws: pd.DataFrame) -> np.ndarray:
        assert (draws["fixed"] == 7.0).all()  # a collapsed input stays at its value
        return (draws["x1"] + 2 * draws["x2"] + 0 * draws["x3"]).to_numpy()

    result = sobol_indices(inputs, model, n=4096, seed=1)
    assert result.n_runs == 4096 * (3 + 2)  # N (k + 2), the collapsed input is no factor
    _check(result, "output", {"x1": (0.2, 0.2), "x2": (0.8, 0.8), "x3": (0.0, 0.0)}, 0.02)
    assert result.ranked("output")["input"].tolist() == ["x2", "x1", "x3"]


def test_the_ishigami_function_has_its_known_indices() -> None:
    # Ishigami and Homma (1990): Y = sin X1 + a sin^2 X2 + b X3^4 sin X1, X ~ U(-pi, pi),
    # a = 7, b = 0.1. V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2;
    # V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V3 = 0, V13 = b^2 pi^8 (1/18 - 1/50).
    a, b = 7.0, 0.1
    v = a**2 / 8 + b * math.pi**4 / 5 + b**2 * math.pi**8 / 18 + 0.5
    v1, v2 = 0.5 * (1 + b * math.pi**4 / 5) ** 2, a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    expected = {"x1": (v1 / v, (v1 + v13) / v), "x2": (v2 / v, v2 / v), "x3": (0.0, v13 / v)}
    assert expected["x1"][0] == pytest.approx(0.3139, abs=1e-4)
    assert expected["x3"][1] == pytest.approx(0.2437, abs=1e-4)
    inputs = UncertainInputs(inputs=tuple(_u(f"x{k}", 0.0, -math.pi, math.pi)
                                          for k in (1, 2, 3)))

    def ishigami(d: pd.DataFrame) -> pd.DataFrame:
        x1, x2, x3 = (d[f"x{k}"].to_numpy() for k in (1, 2, 3))
        return pd.DataFrame({"y": np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)})

    result = sobol_indices(inputs, ishigami, n=8192, seed=3)
    _check(result, "y", expected, 0.03)
    assert result.ranked("y")["input"].tolist() == ["x1", "x2", "x3"]


def test_a_correlation_group_is_one_factor() -> None:
    # Y = X1 + X2 + X3, all U(0, 1): the group {X1, X2} explains 2/3 of the variance.
    inputs = UncertainInputs(
        inputs=(_u("x1", 0.5, 0.0, 1.0), _u("x2", 0.5, 0.0, 1.0), _u("x3", 0.5, 0.0, 1.0)),
        correlations={"wages": CorrelationGroup(paths=("x1", "x2"), rank_correlation=0.8,
                                                reason="r")})

    def model(d: pd.DataFrame) -> np.ndarray:
        return d.sum(axis=1).to_numpy()

    grouped = sobol_indices(inputs, model, n=2048, seed=5)
    assert grouped.n_runs == 2048 * (2 + 2)
    _check(grouped, "output", {"wages": (2 / 3, 2 / 3), "x3": (1 / 3, 1 / 3)}, 0.03)
    alone = sobol_indices(inputs, model, n=2048, seed=5, groups=None)
    _check(alone, "output", {"x1": (1 / 3, 1 / 3), "x2": (1 / 3, 1 / 3)}, 0.03)


def test_an_output_that_does_not_vary_has_no_indices() -> None:
    inputs = UncertainInputs(inputs=(_u("x1", 0.5, 0.0, 1.0),))
    result = sobol_indices(inputs, lambda d: pd.DataFrame(
        {"flat": np.ones(len(d)), "moves": d["x1"].to_numpy()}), n=64)
    assert result.ranked("flat")[["S1", "ST"]].isna().all().all()
    assert result.ranked("moves")["ST"].iloc[0] == pytest.approx(1.0, abs=0.05)
    assert result.sentence("flat") == "Flat does not change over the ranges."


@pytest.mark.parametrize(("n", "message"), [(1000, "a power of two"), (1, "a power of two")])
def test_sobol_needs_a_power_of_two(n: int, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        sobol_indices(UncertainInputs(inputs=(_u("x", 0.5, 0.0, 1.0),)), lambda d: d["x"], n=n)
    with pytest.raises(UsageError, match="no input is uncertain"):
        sobol_indices(UncertainInputs(inputs=(_u("x", 0.5, 0.5, 0.5),)), lambda d: d["x"])


def test_a_tornado_by_hand() -> None:
    # y = 2a - 3b; a in [0, 1] (value 0.5), b in [1, 3] (value 2): base 1 - 6 = -5;
    # a: 0 - 6 = -6 and 2 - 6 = -4, swing 2; b: 1 - 3 = -2 and 1 - 9 = -8, swing 6.
    inputs = UncertainInputs(inputs=(_u("a", 0.5, 0.0, 1.0), _u("b", 2.0, 1.0, 3.0, "pert"),
                                     _u("c", 4.0, 4.0, 4.0)))
    calls = []

    def model(d: pd.DataFrame) -> pd.Series:
        calls.append(len(d))
        return pd.Series(2 * d["a"] - 3 * d["b"] + 0 * d["c"], name="y")

    table = tornado(inputs, model)
    assert calls == [1 + 2 * 2]  # one call: the base and two ends of each uncertain input
    assert table[["input", "at_low", "at_high", "base", "swing", "rank"]].to_numpy().tolist() == [
        ["b", -2.0, -8.0, -5.0, 6.0, 1], ["a", -6.0, -4.0, -5.0, 2.0, 2]]
    assert drivers_sentence(table, "y") == (
        "Y depends most on b (swing 6), then a (2): measure these first.")
    # a's swing is 2/6 = 0.33 of b's: below a threshold of 0.5 it is left out.
    assert drivers_sentence(table, "y", threshold=0.5) == (
        "Y depends most on b (swing 6): measure it first.")


SOBOL_TABLE = pd.DataFrame({
    "output": ["compounds_in_deficit"] * 4 + ["street_subsidy_yuan"],
    "input": ["fees.collection_rate", "wages", "public_income.parking.occupancy_rate",
              "shared_property.jobs.pipe_dredging.market_price_yuan_per_use",
              "fees.collection_rate"],
    "ST": [0.62, 0.21, 0.08, 0.01, 0.03], "rank": [1, 2, 3, 4, 1]})


def test_sentences_in_english_and_chinese() -> None:
    assert drivers_sentence(SOBOL_TABLE, "compounds_in_deficit") == (
        "The count of compounds in deficit depends most on the collection rate (total index "
        "0.62), then the wages (0.21) and the occupancy of parking (0.08): measure these first.")
    assert drivers_sentence(SOBOL_TABLE, "compounds_in_deficit", "zh") == (
        "入不敷出小区数最取决于物业费收缴率（总效应指数0.62），其次是工资水平（0.21）和停车使用率"
        "（0.08）：应先把这几项测准。")
    assert drivers_sentence(SOBOL_TABLE, "compounds_in_deficit", top=4, threshold=0.0) == (
        "The count of compounds in deficit depends most on the collection rate (total index "
        "0.62), then the wages (0.21), the occupancy of parking (0.08) and the market price of "
        "pipe dredging (0.01): measure these first.")
    assert drivers_sentence(SOBOL_TABLE, "compounds_in_deficit", "zh", top=4,
                            threshold=0.0).endswith(
        "其次是工资水平（0.21）、停车使用率（0.08）和管道疏通市场价（0.01）：应先把这几项测准。")
    assert drivers_sentence(SOBOL_TABLE, "street_subsidy_yuan") == (
        "No single input decides the street subsidy: every total index is below 0.05.")
    assert drivers_sentence(SOBOL_TABLE, "street_subsidy_yuan", "zh") == (
        "没有哪一项单独决定街道补贴：各项总效应指数都低于0.05。")
    with pytest.raises(KeyError):
        drivers_sentence(SOBOL_TABLE, "nothing")


@pytest.mark.parametrize(("code", "en", "zh"), [
    ("staffing.order.monthly_wage_yuan", "the guard's wage", "保安工资"),
    ("jobs.pipe_dredging.market_price_yuan_per_use",
     "the market price of pipe dredging", "管道疏通市场价"),
    ("shared_property.jobs.wall_repair.uses_per_basis_year", "the frequency of wall repair",
     "墙面维修频次"),
    ("staffing.order.headcount_step_fte", "the step in which guard posts are filled",
     "保安岗位配备步长"),
    ("grades.g4.cleaning_floor_m2_per_staff", "grade 4: floor area per cleaner",
     "四级服务每名保洁员负责面积"),
    ("street_fallback.grid_workers.price_yuan", "the street's price of grid workers",
     "街道网格员费用"),
    ("public_income.ev_chargers.price_yuan_per_unit_year", "the price of EV chargers",
     "充电桩价格"),
    ("self_governance.greening.materials_yuan_per_household_year",
     "the materials of volunteer greening", "志愿绿化养护材料费"),
    ("grades.g9.cleaning_floor_m2_per_staff", "grades.g9.cleaning_floor_m2_per_staff",
     "grades.g9.cleaning_floor_m2_per_staff"),
    ("public_income.parking.occupancy_rate", "the occupancy of parking", "停车使用率"),
    ("street_subsidy_yuan", "the street subsidy", "街道补贴"),
    ("something.else", "something.else", "something.else"),
])
def test_names_in_sentences(code: str, en: str, zh: str) -> None:
    assert name_of(code, "en") == en
    assert name_of(code, "zh") == zh


@pytest.mark.parametrize("plan", ["xinghualing", "shared_staffed"])
def test_every_default_range_has_a_plain_name_in_both_languages(plan: str) -> None:
    """A sentence never shows a parameter path: every uncertain input of the defaults."""
    from propfee.plan import named_plan
    from propfee.uncertainty.defaults import default_ranges

    for item in default_ranges(named_plan(plan)).inputs:
        for lang in ("en", "zh"):
            shown = name_of(item.name, lang)  # type: ignore[arg-type]
            assert shown != item.name, (item.name, lang)
            assert not re.search(r"[_.]", shown), (item.name, lang, shown)


def test_model_results_of_every_form() -> None:
    n = 3
    assert list(model_outputs(np.zeros(n), n)) == ["output"]
    assert list(model_outputs(np.zeros((n, 2)), n)) == ["output_0", "output_1"]
    assert list(model_outputs(pd.Series(np.zeros(n), name="s"), n)) == ["s"]
    assert list(model_outputs({"a": [1, 2, 3]}, n)) == ["a"]
    with pytest.raises(UsageError, match="'output' has shape \\(2,\\), not one value for each "
                                         "of the 3 draws"):
        model_outputs(np.zeros(2), n)
    with pytest.raises(UsageError, match="shape \\(3, 1, 1\\)"):
        model_outputs(np.zeros((3, 1, 1)), n)
