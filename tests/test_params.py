from __future__ import annotations

import datetime as dt
import re
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
    for role in ("cleaning", "order", "patrol", "greening", "management"):
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
        1,  # the fee rate, the first entry of the file
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


# ---------------------------------------------------------------- bad files, named


def _entry(text: str, path: str) -> tuple[int, int]:
    """Start and end of one entry of a parameter file's text."""
    start = text.index(f'[values."{path}"]')
    end = text.find("\n[", start + 1)
    return start, len(text) if end < 0 else end


def _with_history(path: str, history: str) -> str:
    """The built-in file with the history of one entry replaced."""
    import re

    text = _taiyuan_text()
    start, end = _entry(text, path)
    block = re.sub(r"history = \[.*\]", f"history = {history}", text[start:end], count=1)
    return text[:start] + block + text[end:]


@pytest.mark.parametrize("literal", ["true", "false"])
def test_a_boolean_is_never_a_number(tmp_path: Path, literal: str) -> None:
    # pydantic alone reads `true` as 1.0: a collection rate of 100% from a typo.
    path = tmp_path / "bool.toml"
    path.write_text(_with_history("fees.collection_rate",
                                  f"[{{ since = 2000-01-01, value = {literal} }}]"),
                    encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_parameter_file(path)
    message = str(info.value)
    assert f"{path}: values.fees.collection_rate.history.0.value:" in message
    assert f"{literal} is a boolean, not a number" in message
    assert f"(got {literal.title()})" in message


def test_a_missing_path_is_never_the_built_in_set(tmp_path: Path) -> None:
    # A bare name is a built-in region; anything with a directory or a suffix is a file.
    assert load_parameters("taiyuan") == pf.default_parameters()
    for name in ("nosuchdir/taiyuan", str(tmp_path / "taiyuan"), "taiyuan.toml",
                 "./taiyuan"):
        with pytest.raises(ParameterError, match=rf"{re.escape(name)}: no such parameter file$"):
            load_parameters(name)
    with pytest.raises(ParameterError, match="atlantis: no such parameter file or built-in "
                                             "region"):
        load_parameters("atlantis")
    with pytest.raises(ParameterError, match=rf"{re.escape(str(tmp_path))}: is a folder"):
        load_parameters(tmp_path)
    with pytest.raises(ParameterError, match="no such parameter file"):
        load_parameters("a\0b")
    with pytest.raises(ParameterError, match=r"no such parameter file|not a usable file name"):
        load_parameters("d/" + "x" * 5000)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a = " + "[" * 50_000 + "]" * 50_000, "line 1: arrays or tables nested more than 16 deep"),
        ("a = " + "{ b = " * 17 + "1" + " }" * 17, "line 1: arrays or tables nested more "
                                                   "than 16 deep"),
        ("\n" + ".".join(["a"] * 50_000) + " = 1", "line 2: a dotted key of more than 32 parts"),
        (".".join(['"a"'] * 40) + " = 1", "line 1: a dotted key of more than 32 parts"),
    ],
    ids=["arrays", "inline-tables", "dotted-key", "quoted-dotted-key"],
)
def test_deep_or_long_structures_are_refused_before_parsing(
        tmp_path: Path, text: str, fragment: str) -> None:
    # tomllib recurses on nesting (RecursionError at about 300 levels) and takes time
    # quadratic in the parts of a dotted key (50,000 parts: about a minute).
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=f"{re.escape(str(path))}: {fragment}"):
        load_parameter_file(path)


def test_the_structure_check_skips_strings_and_comments(tmp_path: Path) -> None:
    # Brackets and dots inside strings and comments are text, not structure; a
    # multi-line string may end in up to two quotes of its own.
    text = _taiyuan_text().replace(
        'region = "Taiyuan, Shanxi"',
        'region = "Taiyuan [[[[[[[[[[[[[[[[[[ ' + "a." * 40 + '"\n'
        "# " + "{" * 40 + "\n"
        "description = '''" + "[" * 40 + "''''' \n"
        'x_note = """' + "." * 40 + '\\"""""" \n'
        "y_note = '" + "{" * 40 + "'", 1)
    text = text.replace("description = \"\"\"Default", "z_note = \"\"\"Default", 1)
    path = tmp_path / "strings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError) as info:  # parsed: only the unknown keys are refused
        load_parameter_file(path)
    assert all("Extra inputs are not permitted" in p for p in info.value.problems)
    assert {p.split(": ")[1] for p in info.value.problems} == {"x_note", "y_note", "z_note"}


def test_a_recursion_error_is_never_a_crash(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from propfee.params import loader

    monkeypatch.setattr(loader, "_check_structure", lambda text, path: None)
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 50_000 + "]" * 50_000, encoding="utf-8")
    with pytest.raises(ParameterError, match=f"{re.escape(str(path))}: nested too deeply"):
        load_parameter_file(path)


def test_a_file_beyond_the_size_limit_is_refused(tmp_path: Path) -> None:
    from propfee.params.loader import MAX_FILE_BYTES

    assert MAX_FILE_BYTES == 4 * 1024 * 1024
    text = _taiyuan_text()
    path = tmp_path / "big.toml"
    path.write_text(text + "#" * (MAX_FILE_BYTES - len(text.encode("utf-8"))), encoding="utf-8")
    assert load_parameters(path) == pf.default_parameters()  # exactly at the limit: read
    path.write_text(text + "#" * (MAX_FILE_BYTES + 1 - len(text.encode("utf-8"))),
                    encoding="utf-8")
    with pytest.raises(ParameterError, match=rf"{re.escape(str(path))}: larger than 4,194,304 "
                                             "bytes"):
        load_parameter_file(path)


def test_errors_at_the_value_stage_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "low-wage.toml"
    path.write_text(_with_history(
        "staffing.order.monthly_wage_yuan",
        '[{ since = 2000-01-01, value = 1000.0, range = { low = 900.0, high = 1100.0, '
        'shape = "uniform", reason = "r" } }]'), encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_parameters(path)
    assert info.value.problems == (
        f"{path}: staffing.order.monthly_wage_yuan: 1000.0 is below the minimum wage "
        "1880.0 yuan/month",)
    # the head says which date would do: the latest first date of the values missing
    with pytest.raises(ParameterError, match=rf"^bad parameters:\n  the date 2015-01-01 is "
                                             r"before 9 values come into force; use "
                                             rf"2017-10-01 or later\.\n  - {re.escape(str(path))}"
                                             r": wages.minimum_monthly_wage_yuan: no value in "
                                             "force on 2015-01-01"):
        load_parameters(path, dt.date(2015, 1, 1))
    small = tmp_path / "small.toml"
    small.write_text(SMALL_FILE, encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_parameters(small)
    assert all(p.startswith(f"{small}: ") for p in info.value.problems)
    assert f"{small}: staffing: Field required (got " in str(info.value)


@pytest.mark.parametrize("since", ["9999-12-31", "1949-09-30", "0001-01-01"])
def test_a_history_date_out_of_range_is_refused(tmp_path: Path, since: str) -> None:
    path = tmp_path / "dates.toml"
    path.write_text(_with_history("fees.collection_rate",
                                  f"[{{ since = {since}, value = 0.7 }}]"), encoding="utf-8")
    with pytest.raises(ParameterError, match=rf"{re.escape(str(path))}: values\.fees\."
                                             r"collection_rate\.history\.0\.since: Value error, "
                                             rf"{since} is outside 1949-10-01 to 2100-12-31"):
        load_parameter_file(path)


def test_the_dates_at_the_ends_of_the_range_are_accepted(tmp_path: Path) -> None:
    from propfee.params.loader import EARLIEST_DATE, LATEST_DATE, check_evaluation_date

    assert dt.date(1949, 10, 1) == EARLIEST_DATE
    assert dt.date(2100, 12, 31) == LATEST_DATE
    assert check_evaluation_date(dt.date(1949, 10, 1)) == dt.date(1949, 10, 1)
    assert check_evaluation_date(dt.datetime(2100, 12, 31, 23, 59)) == dt.date(2100, 12, 31)
    path = tmp_path / "ends.toml"
    path.write_text(_with_history("fees.collection_rate",
                                  "[{ since = 1949-10-01, value = 0.6 }, "
                                  "{ since = 2100-12-31, value = 0.8 }]"), encoding="utf-8")
    assert load_parameters(path, dt.date(2100, 12, 30)).fees.collection_rate == 0.6
    assert load_parameters(path, dt.date(2100, 12, 31)).fees.collection_rate == 0.8


@pytest.mark.parametrize(("when", "shown"), [
    (dt.date(9999, 12, 31), "evaluation date 9999-12-31 is outside 1949-10-01 to 2100-12-31"),
    (dt.date(2101, 1, 1), "evaluation date 2101-01-01 is outside"),
    (dt.date(1949, 9, 30), "evaluation date 1949-09-30 is outside"),
    ("2024-07-09", "evaluation date: '2024-07-09' is not a date"),
])
def test_an_evaluation_date_out_of_range_is_a_typed_error(tmp_path: Path, when, shown) -> None:
    from propfee.params.loader import check_evaluation_date

    with pytest.raises(ParameterError, match=f"^bad parameters:\n  - {shown}"):
        check_evaluation_date(when)
    with pytest.raises(ParameterError, match=f"^bad parameters:\n  - taiyuan: {shown}"):
        load_parameters("taiyuan", when)
    path = tmp_path / "p.toml"
    path.write_text(_taiyuan_text(), encoding="utf-8")
    with pytest.raises(ParameterError, match=f"  - {re.escape(str(path))}: {shown}"):
        load_parameters(path, when)


def test_the_command_line_refuses_an_evaluation_date_out_of_range(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from propfee.cli import app

    src = tmp_path / "c.csv"
    src.write_text("compound_id,households,floor_area_m2,build_year\na,100,10000,1990\n",
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(src), "--as-of", "9999-12-31"])
    assert result.exit_code == 2, result.output  # a bad option value: usage
    assert "out of range: give a date from 1949-10-01 to 2100-12-31" in " ".join(
        result.output.split())
    assert "Traceback" not in result.output
    # One range: the command line's is the loader's.
    from propfee.cli._common import FIRST_DATE, LAST_DATE
    from propfee.params.loader import EARLIEST_DATE, LATEST_DATE

    assert (FIRST_DATE, LAST_DATE) == (EARLIEST_DATE, LATEST_DATE)
