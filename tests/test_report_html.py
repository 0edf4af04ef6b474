"""Notebook display of results: key figures with units and formatted numbers."""

from __future__ import annotations

import html

import pytest

import propfee as pf
from propfee.labels import contract_name, label
from propfee.report import budget_html, district_html

STREET = pf.datasets.sanqiao_like_street().head(12)


def _money(value: float) -> str:
    return f"{value:,.2f}".replace("-", "\u2212")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_district_html_shows_totals_with_units(lang: str) -> None:
    budget = pf.evaluate_district(STREET, contributions=True)
    text = district_html(budget.compounds, lang=lang, rows=5)
    c = budget.compounds
    # Pool balance and street subsidy summed to the fen, with thousands separators.
    pool = sum(round(v * 100) for v in c["pool_balance_yuan"]) / 100
    subsidy = sum(round(v * 100) for v in c["street_subsidy_yuan"]) / 100
    assert _money(pool) in text
    assert _money(subsidy) in text
    assert html.escape(label("street_subsidy_yuan", lang).removesuffix(" [yuan/year]")
                       .removesuffix("（元/年）")) in text
    assert ("元/年" if lang == "zh" else "yuan/year") in text
    # Channel credit, labelled.
    assert html.escape(label("shared_property", lang)) in text
    assert _money(c["contribution_shared_property_yuan"].sum()) in text
    # Only the first 5 compounds in the table, and a count of the rest.
    assert "SQ005" in text
    assert "SQ006" not in text
    assert "7" in text
    assert "street_subsidy_yuan" not in text  # no snake_case headers
    # Contracts by name, not by the plan's code.
    zone = str(c["zone"].iloc[0])
    assert html.escape(contract_name(f"zone:{zone}", lang)) in text  # type: ignore[arg-type]
    assert "zone:" not in text
    # Who pays, adding up to the total cost, with the subsidy shown as a transfer.
    total = sum(round(v * 100) for v in c["total_cost_yuan"]) / 100
    assert _money(total) in text
    assert ("街道补贴（转入资金池）" if lang == "zh"
            else "Street subsidy (a transfer into the pool)") in text
    if "net_public_cost_yuan" in c:
        assert html.escape(label("net_public_cost_yuan", lang).split(" [")[0]
                           .split("（")[0]) in text


def test_budget_html_shows_pool_subsidy_and_lines() -> None:
    one = pf.evaluate(pf.Compound(**STREET.iloc[0].to_dict()))
    text = budget_html(one)
    assert _money(one.pool_balance_yuan) in text
    assert _money(one.street_subsidy_yuan) in text
    assert "Fund pool balance" in text
    assert "Street subsidy" in text
    assert "[yuan/year]" in text
    first = next(line for line in one.lines if line.amount_yuan)
    assert html.escape(label(first.line)) in text
    # Who pays: the rows add up to the total cost.
    assert _money(one.total_cost_yuan) in text
    assert sum(round(v * 100) for v in one.who_pays.values()) == round(one.total_cost_yuan * 100)
    zh = budget_html(one, lang="zh")
    assert "资金池余额" in zh
    assert "街道补贴" in zh


def test_names_are_escaped() -> None:
    frame = STREET.head(2).copy()
    frame["name"] = ["<script>x</script>", "A & B"]
    text = district_html(pf.evaluate_district(frame).compounds)
    assert "<script>x" not in text
    assert "A &amp; B" in text


@pytest.mark.parametrize(("code", "lang", "name"), [
    ("zone:Z001", "en", "Zone Z001"), ("zone:Z001", "zh", "片区 Z001"),
    ("street:Sanqiao", "en", "Street Sanqiao"), ("street:三桥", "zh", "街道 三桥"),
    ("alone:SQ007", "en", "Yard 7 (alone)"), ("alone:SQ008", "zh", "SQ008（单独）"),
    ("B-SQ001", "en", "B-SQ001"), ("zone:", "en", "zone:"), ("北区:1", "zh", "北区:1"),
])
def test_contract_names(code: str, lang: str, name: str) -> None:
    assert contract_name(code, lang, {"SQ007": "Yard 7", "SQ008": ""}) == name  # type: ignore[arg-type]
