"""Ranges in parameter files: syntax, units, validation, correlation groups."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from propfee.errors import ParameterError
from propfee.params import load_parameter_file
from propfee.params.ranges import CorrelationGroup, UncertainInput, UncertainInputs

FIXTURE = Path(__file__).parent / "data" / "ranges.toml"

ENTRY = """
region = "x"
[values."fees.collection_rate"]
unit = "{unit}"
status = "illustrative"
reference = "r"
history = {history}
{range}
"""


def _file(tmp_path: Path, *, unit: str = "1", history: str = "[{ since = 2000-01-01, "
          "value = 0.7 }]", range_: str = "", extra: str = "") -> Path:
    path = tmp_path / "r.toml"
    path.write_text(ENTRY.format(unit=unit, history=history, range=range_) + extra,
                    encoding="utf-8")
    return path


def test_the_fixture_table_in_the_units_of_the_paths() -> None:
    table = load_parameter_file(FIXTURE).ranges(dt.date(2024, 7, 9)).set_index("path")
    assert list(table.columns) == ["value", "low", "high", "shape", "reason", "status",
                                   "unit", "group"]
    assert table.loc["fees.collection_rate", ["value", "low", "high", "shape"]].tolist() == [
        0.7, 0.4, 0.95, "pert"]
    # Given per year, read per month: 24,000 / 12 = 2,000; 22,560 / 12 = 1,880;
    # 31,200 / 12 = 2,600.
    order = table.loc["staffing.order.monthly_wage_yuan"]
    assert (order["value"], order["low"], order["high"]) == (2000.0, 1880.0, 2600.0)
    assert order["unit"] == "yuan/month"
    assert order["group"] == "wages"
    # The source's fee rate: a collapsed range, no uncertainty.
    rate = table.loc["fees.rate_yuan_per_m2_month"]
    assert rate["value"] == rate["low"] == rate["high"] == 0.5
    assert rate["status"] == "source"
    # The insurance floor's value in 2024 is 3,700 within the one range of its history.
    assert table.loc["labour.social_insurance_floor_yuan_per_month", "value"] == 3700.0


def test_a_history_entry_range_applies_while_its_value_is_in_force() -> None:
    f = load_parameter_file(FIXTURE)
    cleaning = "staffing.cleaning.monthly_wage_yuan"
    in_2020 = f.uncertain(dt.date(2020, 1, 1)).get(cleaning)
    assert (in_2020.value, in_2020.low, in_2020.high, in_2020.shape) == (
        1800.0, 1700.0, 2300.0, "uniform")
    in_2024 = f.uncertain(dt.date(2024, 1, 1)).get(cleaning)
    assert (in_2024.value, in_2024.low, in_2024.high, in_2024.shape) == (
        2000.0, 1880.0, 2600.0, "triangular")
    # Before any value is in force, there is nothing uncertain about it.
    in_2010 = f.uncertain(dt.date(2010, 1, 1))
    assert cleaning not in in_2010.names
    assert "wages" not in in_2010.correlations  # neither wage is in force: no group left


def test_ranges_change_no_value(tmp_path: Path) -> None:
    from importlib import resources

    import propfee as pf

    text = resources.files("propfee.params").joinpath("data", "taiyuan.toml").read_text("utf-8")
    # The built-in file's ranges removed, then one put back: the values are the same.
    bare = re.sub(r"\nrange = \{[^}]*\}", "", re.sub(r", range = \{[^}]*\}", "", text))
    bare = bare.split("\n[correlations]")[0]
    old = "history = [{ since = 2000-01-01, value = 0.7 }]"
    assert bare.count(old) == 1
    path = tmp_path / "p.toml"
    path.write_text(bare.replace(old, old + '\nrange = { low = 0.4, high = 0.95, shape = '
                                            '"pert", reason = "r" }'), encoding="utf-8")
    assert pf.load_parameters(path) == pf.default_parameters()
    assert load_parameter_file(path).ranges()["path"].tolist() == ["fees.collection_rate"]


@pytest.mark.parametrize(
    ("history", "range_", "fragment"),
    [
        ("[{ since = 2000-01-01, value = 0.7 }]",
         'range = { low = 0.8, high = 0.9, shape = "pert", reason = "r" }',
         "values.fees.collection_rate: Value error, range low 0.8 is above the value 0.7 in "
         "force from 2000-01-01"),
        ("[{ since = 2000-01-01, value = 0.7 }, { since = 2010-01-01, value = 0.95 }]",
         'range = { low = 0.5, high = 0.9, shape = "pert", reason = "r" }',
         "range high 0.9 is below the value 0.95 in force from 2010-01-01"),
        ('[{ since = 2000-01-01, value = 0.7, range = { low = 0.75, high = 0.9, shape = '
         '"uniform", reason = "r" } }]', "",
         "range low 0.75 is above the value 0.7 in force from 2000-01-01"),
        ("[{ since = 2000-01-01, value = 0.7 }]",
         'range = { low = 0.9, high = 0.4, shape = "pert", reason = "r" }',
         "low 0.9 is above high 0.4"),
        ("[{ since = 2000-01-01, value = 0.7 }]",
         'range = { low = 0.7, high = 0.7, shape = "pert", reason = "  " }',
         "say why the range is this wide"),
        ("[{ since = 2000-01-01, value = 0.7 }]",
         'range = { low = 0.4, high = 0.9, shape = "pert" }', "reason: Field required"),
        ("[{ since = 2000-01-01, value = 0.7 }]",
         'range = { low = 0.4, high = 0.9, shape = "normal", reason = "r" }',
         "Input should be 'uniform', 'triangular', 'pert', 'lognormal', 'gamma' or 'beta'"),
        ("[{ since = 2000-01-01, value = 0.7 }]",
         'range = { low = false, high = 0.9, shape = "pert", reason = "r" }',
         "range.low: Value error, false is a boolean, not a number (got False)"),
        ("[{ since = 2000-01-01, value = 0.7 }]",
         'range = { low = 0.0, high = 0.9, shape = "lognormal", reason = "r" }',
         "a lognormal range needs low > 0 (got low 0)"),
        ('[{ since = 2000-01-01, value = "high" }]',
         'range = { low = 0.0, high = 0.9, shape = "pert", reason = "r" }',
         "the text value 'high' in force from 2000-01-01 cannot have a range"),
    ],
    ids=["low-above", "high-below-later-value", "own-range", "reversed", "no-reason",
         "reason-missing", "unknown-shape", "boolean", "lognormal-zero", "text"],
)
def test_bad_ranges_name_the_file_the_path_and_the_numbers(
        tmp_path: Path, history: str, range_: str, fragment: str) -> None:
    path = _file(tmp_path, history=history, range_=range_)
    with pytest.raises(ParameterError) as info:
        load_parameter_file(path)
    message = str(info.value)
    assert f"{path}: values.fees.collection_rate" in message
    assert fragment in message


@pytest.mark.parametrize(
    ("range_", "fragment"),
    [
        ('range = { low = 0.4, high = 1.2, shape = "pert", reason = "r" }',
         "fees.collection_rate: pert range 0.4 to 1.2 goes above 1, the most the value may be"),
        ('range = { low = 0.4, high = 0.9, shape = "lognormal", reason = "r" }',
         # median 0.7, sigma = ln(0.7 / 0.4) / 1.645 = 0.3402: 0.7 x e^(8 x 0.3402) = 10.6451
         "fees.collection_rate: a lognormal range reaches 10.6451 (8 log-scale standard "
         "deviations above its median), and the value must be <= 1; use uniform, triangular "
         "or pert"),
    ],
)
def test_draws_may_never_leave_the_bounds_of_the_path(tmp_path: Path, range_: str,
                                                      fragment: str) -> None:
    path = _file(tmp_path, range_=range_)
    f = load_parameter_file(path)
    with pytest.raises(ParameterError, match=re.escape(f"{path}: {fragment}")):
        f.ranges()


def test_a_range_in_percent_is_converted_with_its_value(tmp_path: Path) -> None:
    # 70% in [40%, 95%], beta: 0.7 in [0.4, 0.95] once in the unit the path expects (1).
    path = _file(tmp_path, unit="%", history="[{ since = 2000-01-01, value = 70.0 }]",
                 range_='range = { low = 40.0, high = 95.0, shape = "beta", reason = "r" }')
    item = load_parameter_file(path).uncertain().get("fees.collection_rate")
    assert (item.value, item.low, item.high, item.unit) == (0.7, 0.4, 0.95, "1")


@pytest.mark.parametrize(
    ("correlations", "fragment"),
    [
        ('wages = { paths = ["fees.collection_rate", "fees.nothing"], rank_correlation = 0.5, '
         'reason = "r" }', "correlations.wages: 'fees.nothing' is not a path of this file"),
        ('wages = { paths = ["fees.collection_rate", "fees.rate_yuan_per_m2_month"], '
         'rank_correlation = 0.5, reason = "r" }',
         "correlations.wages: 'fees.rate_yuan_per_m2_month' has no range"),
        ('wages = { paths = ["fees.collection_rate", "fees.collection_rate"], '
         'rank_correlation = 0.5, reason = "r" }', "'fees.collection_rate' is listed twice"),
        ('wages = { paths = ["fees.collection_rate", "a.b"], rank_correlation = 1.5, '
         'reason = "r" }', "rank_correlation: Input should be less than or equal to 1"),
        ('a = { paths = ["fees.collection_rate", "a.b"], rank_correlation = 0.5, reason = "r" }'
         '\nb = { paths = ["a.b", "fees.collection_rate"], rank_correlation = 0.6, reason = "r" }',
         "correlations.b: 'a.b' and 'fees.collection_rate' are given 0.6 here and 0.5 in 'a'"),
        # x~y 0.9, y~z 0.9, x~z -0.9: no three values can do that.
        ('a = { paths = ["fees.collection_rate", "a.b"], rank_correlation = 0.9, reason = "r" }'
         '\nb = { paths = ["a.b", "a.c"], rank_correlation = 0.9, reason = "r" }'
         '\nc = { paths = ["fees.collection_rate", "a.c"], rank_correlation = -0.9, '
         'reason = "r" }', "correlations.a, correlations.b, correlations.c: the rank "
                           "correlation matrix is not positive semi-definite"),
        # Three values at -0.5 each: the rank matrix is singular but semi-definite; the
        # normal scores 2 sin(-pi / 12) = -0.5176 are not.
        ('a = { paths = ["fees.collection_rate", "a.b", "a.c"], rank_correlation = -0.5, '
         'reason = "r" }', "correlations.a: the normal-score correlation 2 sin(pi rho / 6) is "
                           "not positive semi-definite"),
    ],
    ids=["unknown", "no-range", "twice", "above-one", "conflict", "not-psd", "scores-not-psd"],
)
def test_bad_correlation_groups(tmp_path: Path, correlations: str, fragment: str) -> None:
    more = ""
    for name in ("a.b", "a.c"):
        more += (f'\n[values."{name}"]\nunit = "1"\nstatus = "illustrative"\nreference = "r"\n'
                 'history = [{ since = 2000-01-01, value = 0.5 }]\n'
                 'range = { low = 0.0, high = 1.0, shape = "uniform", reason = "r" }\n')
    more += ('\n[values."fees.rate_yuan_per_m2_month"]\nunit = "yuan/(m2 month)"\n'
             'status = "source"\nreference = "r"\nhistory = [{ since = 2000-01-01, '
             'value = 0.5 }]\n')
    path = _file(tmp_path, range_='range = { low = 0.4, high = 0.9, shape = "pert", '
                                  'reason = "r" }', extra=more + "\n[correlations]\n"
                                                                 + correlations + "\n")
    with pytest.raises(ParameterError) as info:
        load_parameter_file(path)
    assert str(path) in str(info.value)
    assert fragment in str(info.value)


def test_the_built_in_file_lists_its_illustrative_values_without_a_range(
        tmp_path: Path) -> None:
    from importlib import resources

    taiyuan = load_parameter_file("taiyuan")
    assert taiyuan.without_range() == []  # every illustrative number has its range
    text = resources.files("propfee.params").joinpath("data", "taiyuan.toml").read_text("utf-8")
    bare = tmp_path / "bare.toml"  # the same file with no range
    bare.write_text(re.sub(r"\nrange = \{[^}]*\}", "", re.sub(
        r", range = \{[^}]*\}", "", text)).split("\n[correlations]")[0], encoding="utf-8")
    missing = load_parameter_file(bare).without_range()
    assert "fees.collection_rate" in missing  # illustrative, a number
    assert "fees.rate_yuan_per_m2_month" not in missing  # sourced
    assert "labour.market_hiring" not in missing  # illustrative, but text
    assert set(missing) <= {p for p, v in taiyuan.values.items() if v.status == "illustrative"}
    assert load_parameter_file(FIXTURE).without_range() == []
    assert list(taiyuan.ranges().columns)[:4] == ["path", "value", "low", "high"]


def test_uncertain_inputs_take_plan_prices_and_refuse_duplicates() -> None:
    base = load_parameter_file(FIXTURE).uncertain()
    job = "shared_property.jobs.pipe_dredging.market_price_yuan_per_use"
    more = base.extended([(job, 300.0, 200.0, 450.0, "lognormal")])
    assert more.names[-1] == job
    assert more.get(job).reason == "given by the caller"
    assert more.table()["path"].tolist()[:len(base)] == list(base.names)
    with pytest.raises(ValidationError, match=re.escape("'fees.collection_rate' is given twice")):
        base.extended([("fees.collection_rate", 0.7, 0.5, 0.9, "pert")])
    with pytest.raises(ValidationError, match="range low 350 is above the value 300"):
        base.extended([(job, 300.0, 350.0, 450.0, "lognormal")])
    with pytest.raises(ValueError, match=r"is \(name, value, low, high, shape\[, reason\]\)"):
        base.extended([(job, 300.0, 350.0)])
    collapsed = more.collapsed()
    assert all(i.low == i.high == i.value for i in collapsed.inputs)
    assert collapsed.correlations == more.correlations
    with pytest.raises(KeyError, match="nothing"):
        base.replaced([UncertainInput(name="nothing", value=1.0, low=1.0, high=1.0,
                                      shape="uniform", reason="r")])


def test_a_beta_range_lies_within_zero_and_one() -> None:
    with pytest.raises(ValidationError, match=r"a beta range lies within \[0, 1\]"):
        UncertainInput(name="x", value=0.9, low=0.5, high=1.2, shape="beta", reason="r")
    with pytest.raises(ValidationError, match="strictly between 0 and 1"):
        UncertainInput(name="x", value=1.0, low=0.5, high=1.0, shape="beta", reason="r")
    assert UncertainInput(name="x", value=1.0, low=1.0, high=1.0, shape="beta",
                          reason="r").support() == (1.0, 1.0)


def test_the_rank_correlation_matrix_of_the_inputs() -> None:
    inputs = UncertainInputs(
        inputs=tuple(UncertainInput(name=n, value=1.0, low=0.0, high=2.0, shape="uniform",
                                    reason="r") for n in "abcd"),
        correlations={"g": CorrelationGroup(paths=("d", "b"), rank_correlation=0.3,
                                            reason="r")})
    expected = np.eye(4)
    expected[1, 3] = expected[3, 1] = 0.3
    np.testing.assert_array_equal(inputs.rank_correlation(), expected)


numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(a=numbers, b=numbers, c=numbers)
def test_a_range_holds_its_value_or_is_refused_naming_both(a: float, b: float,
                                                           c: float) -> None:
    low, value, high = a, b, c
    try:
        item = UncertainInput(name="x", value=value, low=low, high=high, shape="uniform",
                              reason="r")
    except ValidationError as exc:
        assert not (low <= value <= high)
        text = str(exc)
        if low > high:
            assert "is above high" in text
        else:
            assert f"{value:g}" in text
    else:
        assert low <= item.value <= high
        assert item.support() == ((value, value) if low == high else (low, high))
