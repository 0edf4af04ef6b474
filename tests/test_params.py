from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import propfee as pf
from propfee.errors import ParameterError
from propfee.params import load_parameter_file, load_parameters

SMALL_FILE = """
region = "Testville"
[values."fees.rate_yuan_per_m2_month"]
unit = "yuan/(m2 month)"
status = "illustrative"
reference = "test"
history = [{ since = 2000-01-01, value = 0.5 }, { since = 2025-01-01, value = 0.8 }]
"""


def _taiyuan_text() -> str:
    from importlib import resources

    return resources.files("propfee.params").joinpath("data", "taiyuan.toml").read_text("utf-8")


def test_default_set_has_the_source_values(params: pf.ParameterSet) -> None:
    assert params.fees.rate_yuan_per_m2_month == 0.5  # source
    # Shanxi class 1: 1,880 yuan/month and 19.8 yuan/hour from 2021-10-01 (in force in 2024).
    assert params.wages.minimum_monthly_wage_yuan == 1880.0
    assert params.wages.minimum_hourly_wage_yuan == 19.8
    assert params.taxes.vat_rate == 0.06
    assert params.as_of == dt.date(2024, 7, 9)


def test_wages_and_labour_terms_are_dated() -> None:
    # Before 2021-10-01 the 2017 figures apply: 1,700 yuan/month, 18.5 yuan/hour.
    p2020 = load_parameters("taiyuan", dt.date(2020, 6, 1))
    assert p2020.wages.minimum_monthly_wage_yuan == 1700.0
    assert p2020.wages.minimum_hourly_wage_yuan == 18.5
    p2021 = load_parameters("taiyuan", dt.date(2021, 10, 1))
    assert p2021.wages.minimum_monthly_wage_yuan == 1880.0
    # The social-insurance floor: 2,800 from 2017, 3,300 from 2021-07-01, 3,700 from 2024.
    assert p2020.labour.social_insurance_floor_yuan_per_month == 2800.0
    assert p2021.labour.social_insurance_floor_yuan_per_month == 3300.0
    assert load_parameters("taiyuan", dt.date(2024, 1, 1)).labour \
        .social_insurance_floor_yuan_per_month == 3700.0


def test_default_labour_terms(params: pf.ParameterSet) -> None:
    lab = params.labour
    assert (lab.standard_hours_per_year, lab.guard_hours_per_year) == (2000.0, 2920.0)
    assert lab.overtime_pay_multiple == 1.5
    assert lab.market_hiring == "formal"
    # Every role's wage is at or above the minimum wage in force.
    for role in ("cleaning", "order", "maintenance", "greening", "management"):
        assert getattr(params.staffing, role).monthly_wage_yuan >= 1880.0


def test_every_value_has_unit_reference_and_status() -> None:
    table = load_parameter_file("taiyuan").table()
    assert table["unit"].str.len().min() > 0
    assert table["reference"].str.len().min() > 0
    assert set(table["status"]) <= {"source", "rule", "norm", "illustrative"}
    assert "illustrative" in set(table["status"])


def test_dated_lookup(tmp_path: Path) -> None:
    # Replace the fee-rate entry of the Taiyuan file with a two-step history.
    text = _taiyuan_text().replace(
        'history = [{ since = 2000-01-01, value = 0.5 }]',
        'history = [{ since = 2000-01-01, value = 0.5 }, { since = 2025-01-01, value = 0.8 }]',
    )
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    assert load_parameters(path, dt.date(2024, 12, 31)).fees.rate_yuan_per_m2_month == 0.5
    assert load_parameters(path, dt.date(2025, 1, 1)).fees.rate_yuan_per_m2_month == 0.8


def test_date_before_first_value_is_an_error() -> None:
    with pytest.raises(ParameterError, match=r"wages.minimum_monthly_wage_yuan: no value in force"):
        load_parameters("taiyuan", dt.date(2015, 1, 1))


def test_incomplete_file_names_the_missing_paths(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(SMALL_FILE, encoding="utf-8")
    with pytest.raises(ParameterError, match="staffing: Field required"):
        load_parameters(path)


@pytest.mark.parametrize(
    ("updates", "message"),
    [
        ({"fees.collection_rate": 1.5}, "fees.collection_rate: Input should be less than or equal"),
        ({"fees.rate_yuan_per_m2_month": -0.1}, "greater than or equal to 0"),
        ({"fees.no_such": 1.0}, "fees.no_such: no such parameter"),
        ({"staffing.order.monthly_wage_yuan": 1000.0}, "below the minimum wage"),
        ({"costs.age_factor_cap": 0.5}, "costs.age_factor_cap"),
        ({"pricing.model": "cost_plus"}, "pricing.model"),
        ({"fees.collection_rate": float("nan")}, "fees.collection_rate"),
    ],
)
def test_bad_scenarios_are_refused(params, updates, message) -> None:
    with pytest.raises(ParameterError, match=message):
        params.replace(updates)


def test_scenario_is_a_copy(params: pf.ParameterSet) -> None:
    scenario = params.replace({"fees.collection_rate": 0.95})
    assert scenario.fees.collection_rate == 0.95
    assert params.fees.collection_rate == 0.7


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("region = ", "not valid TOML"),
        ('region = "x"\nvalues = {}\nextra = 1', "extra: Extra inputs are not permitted"),
        (
            'region = "x"\n[values."a.b"]\nunit="1"\nstatus="guess"\nreference="r"\n'
            'history=[{since=2000-01-01, value=1.0}]',
            "status",
        ),
        (
            'region = "x"\n[values."a.b"]\nunit="1"\nstatus="rule"\nreference="r"\n'
            'history=[{since=2001-01-01, value=1.0}, {since=2000-01-01, value=2.0}]',
            "ascending",
        ),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load_parameter_file(path)


def test_unknown_region() -> None:
    with pytest.raises(ParameterError, match="no such parameter file"):
        load_parameter_file("atlantis")


def test_unknown_parameter_path_in_file(tmp_path: Path) -> None:
    text = _taiyuan_text() + (
        '\n[values."fees.surprise"]\nunit="1"\nstatus="rule"\nreference="r"\n'
        "history=[{since=2000-01-01, value=1.0}]\n"
    )
    path = tmp_path / "extra.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=r"fees\.surprise: Extra inputs are not permitted"):
        load_parameters(path)
