"""Observations: the work-order log, templates, exposures, counts and prices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.errors import InputError
from propfee.params.ranges import UncertainInput, UncertainInputs
from propfee.uncertainty.calibration import Observations, calibrate
from propfee.uncertainty.observations import (
    job_exposures,
    order_counts,
    order_prices,
    read_observation_table,
    read_observations,
    read_order_log,
    write_templates,
)

pytest.importorskip("scipy")
STREET = pf.datasets.sanqiao_like_street().head(40)

LOG_ZH = """日期,小区编号,服务类别,接单方,费用（元）
2023-01-05,SQ001,管道疏通,党员,
2023/03/09,SQ001,pipe_dredging,共享物业企业,210
2023-07-01,SQ002,wall_repair,market,1400
2023年12月31日,SQ002,wall_repair,市场化企业,1600
"""


def test_the_work_order_log_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "工单.csv"
    path.write_text(LOG_ZH, encoding="gbk")  # as Excel saves it on a Chinese PC
    log = read_order_log(path, jobs=["pipe_dredging", "wall_repair"])
    assert log["job"].tolist() == ["pipe_dredging", "pipe_dredging", "wall_repair",
                                   "wall_repair"]
    assert log["taken_by"].tolist() == ["party_member", "shared_company", "market", "market"]
    assert log["cost_yuan"].tolist() == [0.0, 210.0, 1400.0, 1600.0]  # blank: a party member
    assert log["date"].dt.date.tolist() == [dt.date(2023, 1, 5), dt.date(2023, 3, 9),
                                            dt.date(2023, 7, 1), dt.date(2023, 12, 31)]
    assert log["line"].tolist() == [2, 3, 4, 5]


def test_every_bad_row_of_the_log_is_named(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "date,compound_id,job,taken_by,cost_yuan\n"
        "2023-01-05,SQ001,pipe_dredging,party_member,\n"
        "not a date,SQ001,pipe_dredging,volunteer,0\n"
        "9999-01-01,SQ002,pipe_dreging,market,100\n"
        "2023-02-01,,wall_repair,neighbour,x\n"
        "2023-02-02,SQ003,wall_repair,market,\n"
        "2023-02-03,SQ003,wall_repair,volunteer,-5\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_order_log(path, jobs=["pipe_dredging", "wall_repair"])
    shown = [str(p) for p in info.value.problems]
    assert shown == [
        "row 3, compound 'SQ001', field 'date': not a date (write YYYY-MM-DD) "
        "(got 'not a date')",
        "row 4, compound 'SQ002', field 'date': outside 1949-10-01 to 2100-12-31 "
        "(got '9999-01-01')",
        "row 4, compound 'SQ002', field 'job': not a job of the plan; did you mean "
        "'pipe_dredging'? (got 'pipe_dreging')",
        "row 5, field 'compound_id': blank",
        "row 5, field 'taken_by': must be one of party_member (党员), volunteer (志愿者), "
        "shared_company (共享物业企业), market (市场化企业) (got 'neighbour')",
        "row 5, field 'cost_yuan': not a number (got 'x')",
        "row 6, compound 'SQ003', field 'cost_yuan': blank: an order a company takes has a cost",
        "row 7, compound 'SQ003', field 'cost_yuan': must be 0 or more (got '-5')",
    ]
    assert f"work-order log {path}" in str(info.value)


def test_an_unknown_header_and_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("date,compound,job,taken_by\n2023-01-01,a,b,market\n", encoding="utf-8")
    with pytest.raises(InputError, match="field 'compound': unknown column; did you mean "
                                         "'compound_id'"):
        read_order_log(path)
    with pytest.raises(InputError, match=r"work-order log .*nothing.csv:\n.*no such file"):
        read_order_log(tmp_path / "nothing.csv")


def test_counts_from_a_log_with_zero_counts_by_hand() -> None:
    log = pd.DataFrame({
        "date": pd.to_datetime(["2023-01-05", "2023-03-09", "2023-07-01", "2024-01-02"]),
        "compound_id": ["a", "a", "b", "a"], "job": ["pipe", "pipe", "wall", "pipe"],
        "taken_by": ["party_member", "market", "market", "market"],
        "cost_yuan": [0.0, 200.0, 1500.0, 250.0], "line": [2, 3, 4, 5]})
    exposures = pd.DataFrame({"job": ["pipe", "pipe", "wall", "wall"],
                              "compound_id": ["a", "b", "a", "b"],
                              "exposure_per_year": [2.0, 3.0, 1.0, 4.0]})
    counts = order_counts(log, exposures, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31),
                          quantity="jobs.{job}.rate")
    # 2023 is 365 days: one year of exposure. The 2024 order is outside the period.
    assert counts.to_dict("list") == {
        "quantity": ["jobs.pipe.rate", "jobs.pipe.rate", "jobs.wall.rate", "jobs.wall.rate"],
        "compound_id": ["a", "b", "a", "b"], "exposure": [2.0, 3.0, 1.0, 4.0],
        "count": [2.0, 0.0, 0.0, 1.0]}
    # The log's own span, 2023-01-05 to 2024-01-02: 363 days.
    assert order_counts(log, exposures)["exposure"].tolist() == pytest.approx(
        [2 * 363 / 365, 3 * 363 / 365, 363 / 365, 4 * 363 / 365])
    with pytest.raises(InputError, match="row 4, compound 'b', field 'job': no exposure"):
        order_counts(log, exposures[exposures["job"] == "pipe"])
    prices = order_prices(log, quantity="jobs.{job}.price")
    # Market orders with a cost: pipe in a, 200 + 250 over 2 uses; wall in b, 1,500 over 1.
    assert prices.to_dict("list") == {
        "quantity": ["jobs.pipe.price", "jobs.wall.price"], "compound_id": ["a", "b"],
        "observed": [450.0, 1500.0], "exposure": [2.0, 1.0]}


def test_exposures_times_rates_are_the_kernels_uses(params) -> None:
    from propfee.budget import budget_arrays
    from propfee.compound import validate_compounds
    from propfee.plan import default_plan, resolve_plan

    plan = default_plan()
    exposures = job_exposures(STREET, plan, params)
    table = validate_compounds(STREET)
    ledger = budget_arrays(table, resolve_plan(plan, table), params).ledger
    for job, rows in exposures.groupby("job", sort=False):
        rate = params.jobs[str(job)].uses_per_basis_year
        np.testing.assert_allclose(rate * rows["exposure_per_year"].to_numpy(),
                                   ledger.demand(str(job)), rtol=1e-6, atol=1e-6)
    # Pipe dredging is counted per building with the age factor: SQ001 has 2 buildings
    # of 1983, 41 years old in 2024: 2 x min(1 + 0.04 x 41, 3) = 5.28.
    first = exposures[(exposures["job"] == "pipe_dredging")].iloc[0]
    assert (first["compound_id"], first["exposure_per_year"]) == ("SQ001", pytest.approx(5.28))


@pytest.mark.parametrize("labels", ["en", "zh"])
def test_templates_are_read_back(tmp_path: Path, labels: str) -> None:
    pytest.importorskip("openpyxl")
    from openpyxl import load_workbook

    path = write_templates(tmp_path / f"observations-{labels}.xlsx", labels=labels)
    book = load_workbook(path)
    expected = (["job_counts", "rates", "amounts", "order_log", "instructions"] if labels == "en"
                else ["工单次数", "比率", "金额", "工单记录", "说明"])
    assert book.sheetnames == expected
    assert read_observations(path) == Observations()  # empty sheets are absent
    rates = book[expected[1]]
    rates.append(["fees.collection_rate", "SQ001", 60, 100])
    rates.append(["fees.collection_rate", 102, 30, 50])  # a number as id reads as text
    log = book[expected[3]]
    log.append([dt.datetime(2023, 5, 1), "SQ001", "pipe_dredging", "党员", None])
    book.save(path)
    obs = read_observations(path)
    assert obs.job_counts is None
    assert obs.rates is not None
    assert obs.rates[["compound_id", "successes", "trials", "line"]].to_numpy().tolist() == [
        ["SQ001", 60, 100, 2], ["102", 30, 50, 3]]
    read = read_order_log(path, sheet=expected[3])
    assert read["taken_by"].tolist() == ["party_member"]


def test_a_blank_quantity_is_named(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text("quantity,compound_id,exposure,count\n,a,1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 2, compound 'a', field 'quantity': blank"):
        read_observation_table(path, "job_counts")


def test_a_log_calibrates_a_job_rate_end_to_end(tmp_path: Path, params) -> None:
    # Two years of orders in 40 compounds at a true rate of 0.6 pipe dredgings per
    # building-age-factor a year; the plan's value is 1.0, with a range of 0.3 to 3.
    exposures = job_exposures(STREET, params=params)
    pipe = exposures[exposures["job"] == "pipe_dredging"].reset_index(drop=True)
    rng = np.random.default_rng(8)
    counts = rng.poisson(0.6 * pipe["exposure_per_year"].to_numpy() * 2)
    rows = []
    for compound, n in zip(pipe["compound_id"], counts, strict=True):
        for day in rng.integers(0, 730, n):
            rows.append((dt.date(2022, 1, 1) + dt.timedelta(days=int(day)), compound,
                         "pipe_dredging", "shared_company", 210.0))
    path = tmp_path / "log.csv"
    pd.DataFrame(rows, columns=["date", "compound_id", "job", "taken_by", "cost_yuan"]).to_csv(
        path, index=False)
    log = read_order_log(path, jobs=exposures["job"].unique())
    observed = order_counts(log, pipe, start=dt.date(2022, 1, 1), end=dt.date(2023, 12, 31))
    assert observed["count"].sum() == counts.sum()
    assert observed["exposure"].tolist() == pytest.approx(
        (pipe["exposure_per_year"] * 730 / 365).tolist())
    rate = "jobs.pipe_dredging.uses_per_basis_year"
    prior = UncertainInputs(inputs=(UncertainInput(name=rate, value=1.0, low=0.3, high=3.0,
                                                   shape="lognormal", reason="r"),))
    post = calibrate(prior, Observations(job_counts=observed))
    item = post.inputs[0]
    assert item.low <= 0.6 <= item.high
    assert post.summary["narrowing"].iloc[0] > 0.8
    assert post.flags.empty
