"""Every chart in both languages: drawn with missing-glyph warnings as errors (pytest's
filterwarnings=error), and the plotted data, labels and titles checked."""

from __future__ import annotations

import pathlib
import warnings

import numpy as np
import pytest

import propfee as pf
from propfee import plot
from propfee.labels import label

matplotlib = pytest.importorskip("matplotlib")

STREET = pf.datasets.sanqiao_like_street().head(24)
LANGS = ["en", "zh"]


@pytest.fixture(scope="module")
def budget() -> pf.DistrictBudget:
    return pf.evaluate_district(STREET)


@pytest.fixture(scope="module")
def one() -> pf.BudgetResult:
    return pf.evaluate(pf.Compound(**STREET.iloc[0].to_dict()))


@pytest.fixture(autouse=True)
def _cjk_font() -> None:
    if plot.find_cjk_font() is None:
        pytest.fail("no CJK font: install fonts-noto-cjk (apt-get install fonts-noto-cjk)")


def _draw(fig, tmp_path: pathlib.Path, name: str) -> None:
    """Draw to PNG with every warning an error (a missing glyph warns while drawing)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(tmp_path / f"{name}.png", dpi=50)
    assert (tmp_path / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def _no_code_left(fig, lang: str) -> None:
    texts = " ".join(_texts(fig))
    for code in ("_yuan", "yuan/year" if lang == "zh" else "元", "self_governance",
                 "residents_fees"):
        assert code not in texts


@pytest.mark.parametrize("lang", LANGS)
def test_waterfall(one, tmp_path, lang) -> None:
    fig = plot.waterfall(one, lang=lang)
    _draw(fig, tmp_path, "waterfall")
    ax = fig.axes[0]
    assert ax.get_title() == label("chart_waterfall", lang).format(id=one.compound_id)
    heights = [p.get_height() for p in ax.patches]
    bottoms = [p.get_y() for p in ax.patches]
    # Fee and public income rise from 0; each supplier's cash cost (the fund pool's
    # lines) falls; then the pool balance from 0 and the subsidy on top of it.
    cash: dict[str, float] = {}
    for line in one.lines:
        if line.payer == "fund_pool":
            cash[line.channel] = cash.get(line.channel, 0.0) + line.amount_yuan
    expected = [one.fee_collected_yuan, one.public_income_yuan,
                *[-v for v in cash.values() if v], one.pool_balance_yuan]
    if one.street_subsidy_yuan > 0:
        expected.append(one.street_subsidy_yuan)
    assert heights == pytest.approx(expected)
    assert bottoms[1] == pytest.approx(one.fee_collected_yuan)
    assert one.fee_collected_yuan + one.public_income_yuan - sum(cash.values()) == \
        pytest.approx(one.pool_balance_yuan, abs=0.01)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == label("fee_collected_yuan", lang).removesuffix(" [yuan/year]") \
        .removesuffix("（元/年）")
    assert ax.get_ylabel() == ("金额（万元/年）" if lang == "zh" else "Amount [yuan/year]")
    _no_code_left(fig, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_channel_credit(budget, tmp_path, lang) -> None:
    fig = plot.channel_credit(budget, lang=lang)
    _draw(fig, tmp_path, "credit")
    ax = fig.axes[0]
    steps = pf.report.channel_contributions(budget)["yuan"]
    assert [p.get_height() for p in ax.patches] == pytest.approx(steps.tolist())
    # Channel bars start where the previous one ended: baseline + credit so far.
    bottoms = [p.get_y() for p in ax.patches]
    assert bottoms[1] == pytest.approx(steps.iloc[0])
    assert bottoms[2] == pytest.approx(steps.iloc[0] + steps.iloc[1])
    assert bottoms[-1] == 0
    assert steps.iloc[0] + steps.iloc[1:-1].sum() == pytest.approx(steps.iloc[-1], abs=0.01)
    assert [t.get_text() for t in ax.get_xticklabels()] == [label(s, lang) for s in steps.index]
    assert ax.get_title() == label("chart_channel_credit", lang)
    _no_code_left(fig, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_district_payers(budget, tmp_path, lang) -> None:
    """One bar per payer of who pays (payers.WHO_PAYS), in its order, adding up to the
    district's total cost."""
    fig = plot.district_payers(budget, lang=lang)
    _draw(fig, tmp_path, "payers")
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    t = budget.district_totals()
    assert widths[0] == pytest.approx(t["fee_collected_yuan"])
    assert widths[2] == pytest.approx(t["street_subsidy_yuan"])
    assert widths[3] == pytest.approx(-t["pool_surplus_yuan"])
    assert widths[-1] == pytest.approx(t["paid_by_volunteers_in_kind_yuan"])
    assert sum(widths) == pytest.approx(t["total_cost_yuan"], abs=0.01)
    names = [t_.get_text() for t_ in ax.get_yticklabels()]
    assert names[0] == ("居民物业费" if lang == "zh" else "Residents' fees")
    assert names[2] == ("街道补贴（转入资金池）" if lang == "zh"
                        else "Street subsidy (into the pool)")
    assert ax.get_title() == label("chart_payers", lang)
    # Thousands separators in English; 万元 in Chinese: 1,234,567 yuan -> "123".
    fmt = ax.xaxis.get_major_formatter()
    assert fmt(1_234_567, 0) == ("123" if lang == "zh" else "1,234,567")


@pytest.mark.parametrize("lang", LANGS)
def test_who_pays(budget, tmp_path, lang) -> None:
    """Stacks of who pays per zone, the largest total cost first; the payers above zero
    less a surplus kept (below zero) make each zone's total cost."""
    fig = plot.who_pays(budget, by="zone", lang=lang, top=5)
    _draw(fig, tmp_path, "who_pays")
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == ("居民物业费" if lang == "zh" else "Residents' fees")
    assert legend[-1] == ("志愿者（折算）" if lang == "zh" else "Volunteers (in kind)")
    zones = budget.totals_by("zone")
    first = zones["total_cost_yuan"].idxmax()
    assert ax.get_xticklabels()[0].get_text() == first
    n = len(ax.get_xticklabels())
    positive = [p for p in ax.patches if p.get_height() > 0]
    negative = sum(p.get_height() for p in ax.patches[::n] if p.get_height() < 0)
    top = max(p.get_y() + p.get_height() for p in positive[::n])
    assert top + negative == pytest.approx(zones.loc[first, "total_cost_yuan"], abs=0.02)
    assert ax.get_xlabel() == ("片区" if lang == "zh" else "Zone")
    assert ax.get_title() == ("各片区费用由谁承担" if lang == "zh" else "Who pays, by zone")


@pytest.mark.parametrize("lang", LANGS)
def test_projection_lines(tmp_path, lang) -> None:
    from propfee.analysis import ProjectionSettings, project

    projection = project(STREET, settings=ProjectionSettings(horizon_years=3))
    fig = plot.projection_lines(projection, compounds=["SQ001"], lang=lang)
    _draw(fig, tmp_path, "projection")
    ax = fig.axes[0]
    district = projection.district()
    x, y = ax.lines[0].get_data()
    assert list(x) == list(district.index)
    assert list(y) == pytest.approx(district["balance_yuan"].tolist())
    assert ax.get_ylabel() == ("余额（万元）" if lang == "zh" else "Balance [yuan]")
    assert ax.get_xlabel() == ("年份" if lang == "zh" else "Year")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "全区" if lang == "zh" else "District", "SQ001"]
    assert ax.get_title() == label("chart_projection", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_bundle_map(budget, tmp_path, lang) -> None:
    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.patches import FancyBboxPatch

    fig = plot.bundle_map(budget, STREET, lang=lang)
    _draw(fig, tmp_path, "map")
    ax = fig.axes[0]
    points = ax.collections[0]
    assert isinstance(points.norm, TwoSlopeNorm)
    assert points.norm.vcenter == 0
    values = budget.compounds["pool_balance_yuan"].to_numpy()
    assert np.asarray(points.get_array()) == pytest.approx(values)
    sizes = budget.compounds.groupby("bundle_id").size()
    outlines = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(outlines) == int((sizes > 1).sum())
    names = {t.get_text() for t in ax.texts}
    assert names == {b.split(":")[-1] for b in sizes[sizes > 1].index}
    colour_label = fig.axes[1].get_ylabel()
    assert colour_label == ("资金池余额（万元/年）" if lang == "zh"
                            else "Fund pool balance [yuan/year]")
    assert ax.get_xlabel() == ("横坐标（米）" if lang == "zh" else "x [m]")


def test_chart_shows_itself_in_a_notebook(one) -> None:
    png = plot.waterfall(one)._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_cjk_font_found_after_the_cache_was_built(monkeypatch) -> None:
    """A font installed after matplotlib built its list is found without clearing caches."""
    import matplotlib.font_manager as fm

    without = [f for f in fm.fontManager.ttflist if f.name not in plot.CJK_FONTS
               and "CJK" not in f.name]
    monkeypatch.setattr(fm.fontManager, "ttflist", without)
    plot.find_cjk_font.cache_clear()
    try:
        assert plot.find_cjk_font() in plot.CJK_FONTS
    finally:
        plot.find_cjk_font.cache_clear()


def test_no_cjk_font_warns_once_naming_the_package(one, monkeypatch) -> None:
    monkeypatch.setattr(plot, "find_cjk_font", lambda: None)
    plot._warn_no_font.cache_clear()
    with pytest.warns(UserWarning, match="fonts-noto-cjk"):
        fig = plot.waterfall(one, lang="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot.waterfall(one, lang="zh")  # said once per process
    assert fig.axes[0].get_title() == f"4+1 budget of compound {one.compound_id}"
    plot._warn_no_font.cache_clear()
