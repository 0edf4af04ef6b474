"""Units of parameter values: read, converted when compatible, refused when not."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from propfee.errors import ParameterError
from propfee.params import load_parameter_file, load_parameters
from propfee.params.units import UnitError, convert, dimensionality


def _taiyuan_text() -> str:
    return resources.files("propfee.params").joinpath("data", "taiyuan.toml").read_text("utf-8")


def _with_unit(path: str, unit: str, value: float | None = None) -> str:
    """The built-in file with one entry's unit (and value) replaced."""
    text = _taiyuan_text()
    start = text.index(f'[values."{path}"]')
    end = text.find("\n[", start + 1)
    end = len(text) if end < 0 else end
    block = re.sub(r'unit = "[^"]*"', f'unit = "{unit}"', text[start:end], count=1)
    if value is not None:
        old = float(re.findall(r"value = ([0-9.e_]+)", block)[-1])
        block = re.sub(r"value = [0-9.e_]+", f"value = {value}", block)
        # a range is in the entry's unit too: scale it with the value
        block = re.sub(r"(low|high) = ([0-9.e_]+)",
                       lambda m: f"{m.group(1)} = {float(m.group(2)) * value / old}", block)
    return text[:start] + block + text[end:]


def test_every_built_in_unit_and_the_usual_ones_parse() -> None:
    values = tomllib.loads(_taiyuan_text())["values"]
    units = {v["unit"] for v in values.values()} - {"-"}
    more = {"yuan/use", "uses/year", "yuan/visit", "persons", "h/week", "yuan/h", "year",
            "yuan/(household month)", "visits/year", "元/月", "万元/year", "m2/household"}
    for unit in units | more:
        dimensionality(unit)  # raises on an unreadable unit
    assert dimensionality("yuan/(m2 month)") == "[currency] / [length] ** 2 / [time]"


@pytest.mark.parametrize(
    ("value", "given", "expected", "result"),
    [
        (24000.0, "yuan/year", "yuan/month", 2000.0),  # 24,000 / 12
        (0.5, "yuan/(m2 month)", "yuan/(m2 year)", 6.0),  # 0.5 x 12
        (8.0, "h/day", "h/year", 2920.0),  # 8 x 365
        (95.0, "%", "1", 0.95),  # 95 / 100
        (2.4, "万元/year", "yuan/month", 2000.0),  # 24,000 / 12
        (1.0, "staff", "FTE", 1.0),
        (120.0, "yuan/(household year)", "yuan/(household month)", 10.0),  # 120 / 12
    ],
)
def test_compatible_units_convert(value, given, expected, result) -> None:
    assert convert(value, given, expected) == result


@pytest.mark.parametrize(("given", "expected"), [
    ("yuan/month", "h/day"), ("1", "h/day"), ("h/year", "%"), ("households/staff", "m2/staff"),
    ("yuan/use", "yuan/visit"),
])
def test_incompatible_units_are_refused(given: str, expected: str) -> None:
    with pytest.raises(UnitError, match="does not convert"):
        convert(1.0, given, expected)
    with pytest.raises(UnitError, match="cannot read"):
        convert(1.0, "furlongs/fortnight", expected)


def test_a_wage_per_year_is_converted(tmp_path: Path) -> None:
    base = load_parameters("taiyuan")
    monthly = base.staffing.order.monthly_wage_yuan
    path = tmp_path / "p.toml"
    path.write_text(_with_unit("staffing.order.monthly_wage_yuan", "yuan/year", monthly * 12),
                    encoding="utf-8")
    # The same wage given per year (x 12) is read back per month (/ 12): unchanged.
    assert load_parameters(path).staffing.order.monthly_wage_yuan == monthly
    assert load_parameters(path) == base


def test_an_incompatible_unit_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(_with_unit("staffing.order.monthly_wage_yuan", "h/day"), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"staffing\.order\.monthly_wage_yuan: unit "
                                             r"'h/day' .* does not convert to 'yuan/month'"):
        load_parameter_file(path)
    path.write_text(_with_unit("fees.rate_yuan_per_m2_month", "parsecs"), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"fees\.rate_yuan_per_m2_month: cannot read the unit"):
        load_parameters(path)


def test_a_path_below_a_leaf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(_taiyuan_text() + '\n[values."fees.rate_yuan_per_m2_month.extra"]\n'
                    'unit = "1"\nstatus = "illustrative"\nreference = "x"\n'
                    'history = [{ since = 2000-01-01, value = 1.0 }]\n', encoding="utf-8")
    with pytest.raises(ParameterError, match=r"fees\.rate_yuan_per_m2_month\.extra: lies below "
                                             r"'fees\.rate_yuan_per_m2_month'"):
        load_parameters(path)


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_a_parameter_file_in_another_encoding_is_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "p.toml"
    text = _taiyuan_text().replace('region = "', 'region = "太原 ', 1)
    path.write_bytes(text.encode(encoding))
    assert load_parameters(path).region.startswith("太原 ")


def test_loading_the_built_in_file_needs_no_unit_library() -> None:
    import subprocess
    import sys

    code = ("import sys, propfee; propfee.default_parameters(); "
            "print('pint' in sys.modules, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == "False"


def test_an_absurd_value_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    text = _taiyuan_text()
    start = text.index('[values."fees.rate_yuan_per_m2_month"]')
    end = text.index("\n[", start)
    path.write_text(text[:start] + re.sub(r"value = [0-9.]+", "value = 1e300", text[start:end])
                    + text[end:], encoding="utf-8")
    with pytest.raises(ParameterError, match=r"fees\.rate_yuan_per_m2_month: 1e\+300 is beyond"):
        load_parameters(path)
