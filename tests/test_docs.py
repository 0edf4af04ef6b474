"""Every Python code block of the README and the docs runs.

Blocks of one page share a namespace, as in a notebook.
"""

from __future__ import annotations

import pathlib

import pytest
from mktestdocs import check_md_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_blocks_run(page: pathlib.Path) -> None:
    check_md_file(fpath=page, memory=True)


def test_glossary_names_every_compound_column_and_plan_field() -> None:
    from propfee.compound import COMPOUND_COLUMNS
    from propfee.plan import default_plan, override_paths

    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    missing = [c.name for c in COMPOUND_COLUMNS if f"`{c.name}`" not in glossary]
    fields = {path.rsplit(".", 1)[1] for path in override_paths(default_plan())}
    missing += [f for f in sorted(fields) if f"`{f}`" not in glossary]
    assert not missing, f"add to docs/glossary.md: {missing}"


def test_every_module_has_a_reference_page() -> None:
    import pkgutil

    import propfee

    reference = "".join(p.read_text(encoding="utf-8")
                        for p in (ROOT / "docs" / "reference").glob("*.md"))
    modules = [m.name for m in pkgutil.walk_packages(propfee.__path__, "propfee.")
               if not m.ispkg and m.name != "propfee.cli" and "._" not in m.name]
    missing = [m for m in modules if f"::: {m}" not in reference]
    assert not missing, f"add to docs/reference: {missing}"


# ---------------------------------------------------------------- figures on the pages
#
# Most figures are computed while the site builds (docs/hooks/figures.py, placeholders
# "[[pf:NAME ...]]"). The few a page states in its prose are checked here against the
# library, so that a change of parameters or of the model shows up as a failing test.

def _figures():
    import sys

    sys.path.insert(0, str(ROOT / "docs" / "hooks"))
    import figures

    return figures


def _text(page: str) -> str:
    return (ROOT / "docs" / page).read_text(encoding="utf-8")


def test_every_placeholder_names_a_figure() -> None:
    figures = _figures()
    unknown = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        names = {m.group("name") for m in figures.PLACEHOLDER.finditer(
            page.read_text(encoding="utf-8"))}
        bad = sorted(names - set(figures.RENDERERS) - {"cli"})
        if bad:
            unknown[str(page.relative_to(ROOT))] = bad
    assert not unknown


def test_staff_costs_in_prose() -> None:
    import propfee as pf
    from propfee import staffing

    p = pf.default_parameters()
    assert float(staffing.formal_cost_per_post_yuan("cleaning", p)) == 38520.0
    assert round(float(staffing.formal_cost_per_post_yuan("order", p)), 2) == 55908.0
    assert float(staffing.informal_rate_yuan_per_hour("cleaning", p)) == 19.8
    assert float(staffing.informal_rate_yuan_per_hour("cleaning", p)) * 2000 == 39600.0
    assert (p.wages.minimum_monthly_wage_yuan, p.wages.minimum_hourly_wage_yuan) == (1880.0, 19.8)
    text = _text("concepts/cost-structure.md")
    for figure in ("38,520", "55,908", "39,600", "19.8 yuan/h", "3,700"):
        assert figure in text, figure
    assert p.labour.social_insurance_floor_yuan_per_month == 3700.0
    assert "1,880 元/月、非全日制 19.8 元/小时" in _text("getting-started.zh.md")


def test_source_compound_in_prose() -> None:
    import propfee as pf

    c = pf.Compound(compound_id="c1", households=100, floor_area_m2_per_household=100.0,
                    build_year=1990)
    b = pf.market_baseline(c)
    assert (b.fee_billed_yuan, b.fee_collected_yuan) == (60000.0, 42000.0)
    assert "实收 4.2 万元" in _text("commands/demo.zh.md")
    street = pf.datasets.sanqiao_like_street()
    assert (len(street), int((street["households"] < 100).sum())) == (286, 220)


def test_channels_in_prose() -> None:
    import propfee as pf

    plan = pf.named_plan("xinghualing")
    p = pf.default_parameters()
    access = next(d for d in plan.smart_devices.items if d.name == "access_control")
    grid = next(i for i in plan.street_fallback.items if i.name == "grid_workers")
    assert access.work_per_unit_year == 8760.0
    assert grid.share == 0.5
    assert "8,760 h a unit a year" in _text("concepts/four-plus-one.md")
    # "a device-kept gate replaces 16 hours a day": grade 4 keeps its gates 16 hours
    assert plan.service_grade == 4
    assert p.grades.g4.gate_regime == "staffed_16h"
    assert [getattr(p.grades, f"g{g}").gate_regime for g in range(1, 6)] == [
        "staffed_24h", "staffed_24h", "staffed_24h", "staffed_16h", "live_in"]
    street = pf.datasets.sanqiao_like_street()
    credit = pf.report.channel_contributions(pf.evaluate_district(street))
    channels = credit.drop(index=["market baseline", "4+1 pool balance"])["yuan"]
    assert channels.idxmax() == "smart_devices"          # "the devices' credit is large"


def test_bundling_in_prose() -> None:
    import propfee as pf
    from propfee.bundling import BundleGame, split_bundle
    from propfee.channels.contract import trip_share

    assert pf.default_parameters().contracts.members_per_trip == 3
    assert trip_share([3, 4], 3.0).round(4).tolist() == [0.3333, 0.5]
    street = pf.datasets.sanqiao_like_street()
    zone = street.loc[street["zone"] == "Z001", "compound_id"].tolist()
    assert len(zone) == 4                              # "a zone of four members"
    split = split_bundle(BundleGame.from_district(street), zone, "core")
    assert split.least_core_epsilon_yuan > 0           # its core is empty


def test_grades_in_prose() -> None:
    import propfee as pf

    curve = pf.baseline.grade_price_curve([30, 100, 1000])
    # "No size lands in its band", "informal hiring barely moves a large compound"
    assert (curve["price_yuan_per_m2_month"] > curve["guidance_high_yuan_per_m2_month"]).all()
    large = curve[curve["households"] == 1000]
    gap = 1 - large["informal_price_yuan_per_m2_month"] / large["price_yuan_per_m2_month"]
    assert (gap < 0.07).all()


def test_assumptions_in_prose() -> None:
    import propfee as pf

    # "social insurance, ..., the guards' wages, profit and overhead rates matter only for
    # the market baseline and for shared_staffed"; "the manager's wage does matter"
    effects = pf.analysis.illustrative_effects(pf.datasets.sanqiao_like_street(),
                                               metric="net_public_cost_yuan")
    still = set(effects.loc[effects["swing"] == 0, "parameter"])
    for path in ("staffing.social_insurance_rate", "pricing.profit_rate",
                 "costs.overhead_share_rate", "staffing.order.monthly_wage_yuan"):
        assert path in still, path
    assert "staffing.management.monthly_wage_yuan" not in still


def test_calibration_story_in_prose() -> None:
    import propfee as pf
    from propfee.params.values import ParamValues

    v = ParamValues(pf.default_parameters())
    parking = next(i for i in pf.default_plan().public_income.items if i.name == "parking")
    guessed = (v["fees.collection_rate"], v["jobs.pipe_dredging.uses_per_basis_year"],
               v["jobs.small_water_repairs.uses_per_basis_year"], parking.price_yuan_per_unit_year)
    assert guessed == (0.7, 0.5, 0.06, 600.0)
    assert "0.7, 0.5, 0.06 and 600" in _text("how-to/defend-the-headline.md")
    assert (parking.occupancy_rate, parking.cost_share_rate) == (0.6, 0.2)   # its exposure


def test_headline_prose() -> None:
    # "The medians of the draws sit above the points"; "under shared_staffed every compound
    # is in deficit in every draw" (the interval the pages show, fewer draws)
    import propfee as pf
    from propfee.uncertainty import interval

    street = pf.datasets.sanqiao_like_street()
    for plan in ("xinghualing", "shared_staffed"):
        h = interval(street, pf.named_plan(plan), n=128, seed=20240709).headline
        d = h[h["level"] == "district"].set_index("figure")
        for figure in ("compounds_in_deficit", "net_public_cost_yuan"):
            assert d.loc[figure, "median"] >= d.loc[figure, "point"], (plan, figure)
        if plan == "shared_staffed":
            assert d.loc["compounds_in_deficit", "low"] == len(street)
