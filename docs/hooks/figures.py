"""The figures the pages show, computed from the library when the site is built.

A page asks for a figure with a placeholder, ``[[pf:NAME]]`` or ``[[pf:NAME ARG ...]]``,
which :func:`render` replaces by Markdown (a table, a sentence, a number) in the page's
language, ``en`` or ``zh``. Every figure is computed once per build (``functools.cache``)
and shared by both languages. Nothing here is typed by hand: change the library or the
parameter file and the pages follow.

The same functions serve ``tests/test_docs.py``, which checks the figures some pages
state in prose.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import math
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import propfee as pf
import propfee.uncertainty  # not reachable as pf.uncertainty before it is imported

PLANS = ("xinghualing", "shared_staffed")
"""The named plans, in the order the pages show them."""
DRAWS = 512
"""Draws of the headline interval (Latin hypercube): the docs build stays well under a
minute, and the 5% and 95% quantiles move by a compound or two between seeds."""
SEED = 20240709
"""Seed of every sample on the pages."""
FIGURES = ("compounds_in_deficit", "street_subsidy_yuan", "net_public_cost_yuan")
"""The headline figures, in the order the pages show them."""


# ------------------------------------------------------------------ numbers in words

def yuan(value: float, lang: str) -> str:
    """A yearly amount: ``6,051,093`` yuan in English, ``605.1 万元`` in Chinese."""
    if lang == "zh":
        return f"{value / 1e4:,.1f} 万元"
    return f"{value:,.0f}"


def millions(value: float, lang: str, digits: int = 2) -> str:
    """A large amount in words: ``6.05 million`` or ``605.1 万元``."""
    if lang == "zh":
        return f"{value / 1e4:,.1f} 万元"
    return f"{value / 1e6:,.{digits}f} million"


def count(value: float) -> str:
    return f"{math.floor(value + 0.5):,d}"


def share(value: float, digits: int = 0) -> str:
    return f"{100 * value:.{digits}f}%"


def number(value: float, digits: int | None = None) -> str:
    """A parameter value as it reads best: whole numbers with separators, others short."""
    if digits is not None:
        return f"{value:,.{digits}f}"
    if value == int(value) and abs(value) >= 1:
        return f"{value:,.0f}"
    return f"{value:,.4g}"


def interval_text(figure: str, point: float, low: float, high: float, lang: str) -> str:
    """``point (90%: low–high)`` in the page's language."""
    if figure == "compounds_in_deficit":
        if lang == "zh":
            return f"{count(point)} 个（90% 区间：{count(low)}–{count(high)}）"
        return f"{count(point)} (90%: {count(low)}–{count(high)})"
    if lang == "zh":
        return (f"{point / 1e4:,.1f} 万元（90% 区间：{low / 1e4:,.1f}–{high / 1e4:,.1f} 万元）")
    return f"{point / 1e6:,.2f} million (90%: {low / 1e6:,.2f}–{high / 1e6:,.2f} million)"


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A Markdown table; ``align`` is one letter a column (``l`` or ``r``)."""
    align = align or "l" + "r" * (len(header) - 1)
    marks = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(marks) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def code(text: str) -> str:
    return f"`{text}`"


def path_code(text: str) -> str:
    """A long dotted path as code that may wrap after a dot or an underscore, never inside
    a word (``<wbr>`` marks the places)."""
    import html

    return "<code>" + re.sub(r"([._])", r"\1<wbr>", html.escape(text)) + "</code>"


# ------------------------------------------------------------------ names of inputs

_GRADE_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}


def input_name(path: str, lang: str) -> str:
    """A plain name of an input path, in the page's language (the library's own names)."""
    named = pf.uncertainty.sensitivity.name_of(path, "zh" if lang == "zh" else "en")
    return named if named != path else code(path)


def drivers_sentence(tornado: pd.DataFrame, output: str, lang: str) -> str:
    """The library's sentence of what decides ``output``."""
    return str(pf.uncertainty.drivers_sentence(tornado, output, lang))


# ------------------------------------------------------------------ computations (cached)

@functools.cache
def street() -> pd.DataFrame:
    return pf.datasets.sanqiao_like_street()


@functools.cache
def budget(plan: str = "xinghualing") -> Any:
    return pf.evaluate_district(street(), pf.named_plan(plan), contributions=True)


@functools.cache
def compare() -> pd.DataFrame:
    return pf.compare_plans(street())


@functools.cache
def headline(plan: str) -> Any:
    """The street's headline under a plan, as intervals over the default ranges."""
    return pf.uncertainty.interval(street(), pf.named_plan(plan), n=DRAWS, seed=SEED)


@functools.cache
def drivers(plan: str) -> pd.DataFrame:
    """A tornado of the headline over the same ranges as :func:`headline`."""
    from propfee.uncertainty.interval import headline_model

    named = pf.named_plan(plan)
    ranges = pf.uncertainty.default_ranges(named)
    return pf.uncertainty.tornado(ranges, headline_model(street(), named))


def driver_output(plan: str) -> str:
    """The figure whose drivers a plan's page names: the count of compounds in deficit,
    unless it never moves (then the street subsidy)."""
    t = drivers(plan)
    moves = t.loc[t["output"] == "compounds_in_deficit", "swing"].max() > 0
    return "compounds_in_deficit" if moves else "street_subsidy_yuan"


@functools.cache
def effects(metric: str) -> pd.DataFrame:
    return pf.analysis.illustrative_effects(street(), metric=metric)


@functools.cache
def grade_curve() -> pd.DataFrame:
    return pf.baseline.grade_price_curve([30, 60, 100, 300, 1000])


@functools.cache
def deficit_reasons(lang: str) -> pd.DataFrame:
    return pf.analysis.deficit_drivers(budget(), lang="zh" if lang == "zh" else "en")


@functools.cache
def reserve() -> tuple[str, Any, pd.DataFrame]:
    """The reserve study's first compound in need, the study after the renovation
    programme takes the ten most in need in year 1, and the ranking."""
    from propfee.reserve import reserve_study
    from propfee.reserve.priorities import priority_table, renovation_what_if

    ranking = priority_table(reserve_study(street()))
    chosen = ranking["compound_id"].head(10).tolist()
    return chosen[0], renovation_what_if(street(), chosen, year=1).renovated, ranking


# ------------------------------------------------------------------ calibration example

DEFEND = Path(__file__).resolve().parent.parent / "how-to" / "defend-the-headline.md"
"""The page whose made-up records the calibration figures use: one recipe, on the page."""


@functools.cache
def example_records() -> dict[str, pd.DataFrame]:
    """The made-up year of records of the "Defend the headline" page, made by the page's
    own ``made_up_records`` (its code block is run here, so page and figures agree)."""
    from propfee.uncertainty.observations import read_order_log

    block = next(m.group("code") for m in _FENCE.finditer(DEFEND.read_text(encoding="utf-8"))
                 if "def made_up_records" in m.group("code"))
    namespace: dict[str, Any] = {"__name__": "__records__"}
    exec(compile(block.split("\nrecords = ")[0], str(DEFEND), "exec"), namespace)
    records = namespace["made_up_records"](street())
    folder = Path(tempfile.mkdtemp(prefix="propfee-log-"))
    records["log"].to_csv(folder / "log.csv", index=False, encoding="utf-8-sig")
    records["log"] = read_order_log(folder / "log.csv", jobs=records["exposures"]["job"].unique())
    return records


@functools.cache
def calibration() -> tuple[Any, Any, Any]:
    """The posterior from :func:`example_records`, the calibrated ranges, and the
    headline under ``xinghualing`` with them."""
    from propfee.uncertainty import Observations, calibrate
    from propfee.uncertainty.observations import order_counts

    r = example_records()
    counts = []
    for job in ("pipe_dredging", "small_water_repairs"):
        rows = r["exposures"][r["exposures"]["job"] == job]
        counts.append(order_counts(r["log"][r["log"]["job"] == job], rows,
                                   start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)))
    prior = pf.uncertainty.default_ranges(pf.default_plan())
    posterior = calibrate(prior, Observations(job_counts=pd.concat(counts, ignore_index=True),
                                              rates=r["collection"], amounts=r["parking"]))
    narrowed = posterior.updated(prior)
    after = pf.uncertainty.interval(street(), pf.default_plan(), ranges=narrowed, n=DRAWS,
                                    seed=SEED)
    return posterior, narrowed, after


# ------------------------------------------------------------------ the figures

def _figure_row(result: Any, figure: str) -> pd.Series:
    h = result.headline
    return h[(h["level"] == "district") & (h["figure"] == figure)].iloc[0]


_FIGURE_NAMES = {
    "compounds_in_deficit": ("compounds in deficit (of {n})", "资金池赤字的小区数（共 {n} 个）"),
    "street_subsidy_yuan": ("street subsidy [yuan/year]", "街道补贴（每年）"),
    "net_public_cost_yuan": ("net public cost [yuan/year]", "公共财政净支出（每年）"),
    "pool_balance_yuan": ("pool balances added up [yuan/year]", "资金池余额合计（每年）"),
}


def figure_name(figure: str, lang: str) -> str:
    return _FIGURE_NAMES[figure][lang == "zh"].format(n=len(street()))


def headline_table(lang: str) -> str:
    """The street under both named plans: each figure as ``point (90%: low–high)``."""
    head = ["", *(code(p) for p in PLANS)]
    if lang == "zh":
        head[0] = "指标"
    rows = []
    for figure in FIGURES:
        cells = [figure_name(figure, lang)]
        for plan in PLANS:
            r = _figure_row(headline(plan), figure)
            cells.append(interval_text(figure, r["point"], r["low"], r["high"], lang))
        rows.append(cells)
    return table(head, rows)


def headline_medians(lang: str) -> str:
    """The medians of the draws beside the points, as a sentence."""
    parts = []
    for plan in PLANS:
        r = {f: _figure_row(headline(plan), f) for f in FIGURES}
        n_median = count(r["compounds_in_deficit"]["median"])
        cost_median = millions(r["net_public_cost_yuan"]["median"], lang)
        if lang == "zh":
            parts.append(f"`{plan}` 方案：入不敷出小区数中位数 {n_median} 个，"
                         f"公共财政净支出中位数 {cost_median}")
        else:
            parts.append(f"under `{plan}` a median of {n_median} compounds in deficit and "
                         f"a net public cost of {cost_median}")
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def headline_drivers(lang: str, plan: str = "xinghualing") -> str:
    return drivers_sentence(drivers(plan), driver_output(plan), lang)


def drivers_table(lang: str, plan: str = "xinghualing", top: str = "8") -> str:
    """The tornado of a plan's driver figure: each input at its range's ends."""
    output = driver_output(plan)
    t = drivers(plan)
    t = t[(t["output"] == output) & (t["swing"] > 0)].head(int(top))
    money = output != "compounds_in_deficit"
    fmt = (lambda v: yuan(v, lang)) if money else count
    if lang == "zh":
        head = ["输入", "低值", "高值", "取低值时", "取高值时", "变动"]
    else:
        head = ["input", "low", "high", "at low", "at high", "swing"]
    rows = [[input_name(r.input, lang), number(r.low), number(r.high), fmt(r.at_low),
             fmt(r.at_high), fmt(r.swing)] for r in t.itertuples()]
    return table(head, rows)


def compare_table(lang: str) -> str:
    """Both named plans beside their market baselines (the points)."""
    c = compare()
    cols = ["compounds_in_deficit", "pool_balance_yuan", "street_subsidy_yuan",
            "net_public_cost_yuan"]
    if lang == "zh":
        head = ["方案", "入不敷出小区数", "资金池余额合计", "街道补贴", "公共财政净支出"]
    else:
        head = ["plan", "compounds in deficit", "pool balance", "street subsidy",
                "net public cost"]
    rows = []
    for name, r in c.iterrows():
        plan, _, base = str(name).partition(":")
        shown = (f"{code(plan)}：市场化基准" if lang == "zh" else f"{code(plan)}: market baseline"
                 ) if base else code(plan)
        rows.append([shown, count(r[cols[0]]), *(yuan(r[k], lang) for k in cols[1:])])
    return table(head, rows)


def compare_value(lang: str, row: str, column: str) -> str:
    value = compare().loc[row.replace("+", " ").replace("_baseline", ": market baseline"),
                          column]
    return count(value) if column == "compounds_in_deficit" else millions(value, lang)


_STEPS = {"market baseline": ("Market baseline (each compound alone)",
                             "市场化基准（各小区单独由市场化物业服务）"),
          "4+1 pool balance": ("= 4+1 pool balance", "= 四管一补下的资金池余额")}


def credit_table(lang: str, plan: str = "xinghualing") -> str:
    """The channel credit of the street (Shapley values), from the market baseline."""
    from propfee.labels import label

    steps = pf.report.channel_contributions(budget(plan))
    head = ["步骤", "资金池余额的变化"] if lang == "zh" else ["step", "yuan/year"]
    rows = []
    for step, r in steps.iterrows():
        if step in _STEPS:
            name = _STEPS[step][lang == "zh"]
        else:
            name = label(str(step), "zh" if lang == "zh" else "en")
        rows.append([name, yuan(r["yuan"], lang)])
    return table(head, rows)


def credit_value(lang: str, channel: str, plan: str = "xinghualing") -> str:
    steps = pf.report.channel_contributions(budget(plan))
    return millions(steps.loc[channel.replace("+", " "), "yuan"], lang)


_PAYERS = {
    "residents_fees": ("residents' fees (collected)", "居民缴纳的物业费（实收）"),
    "public_income": ("public-resource income", "公共资源收益"),
    "street_subsidy": ("street subsidy (a transfer into the pool)", "街道补贴（转入资金池）"),
    "pool_surplus_kept": ("less: surplus kept in the pools", "减：留在资金池的结余"),
    "lift_levy": ("the lift households' levy", "电梯单元住户分摊"),
    "street_services": ("street services (garbage removal, grid workers)",
                        "街道承担的服务（垃圾清运、网格员）"),
    "renovation_programme": ("renovation programme (device capital)",
                             "老旧小区改造资金（设备投资）"),
    "volunteers_in_kind": ("volunteers' time (in kind)", "志愿者时间（折价）"),
    "total": ("= total cost", "= 总成本"),
}


def who_pays_table(lang: str, plan: str = "xinghualing") -> str:
    t = pf.report.who_pays_table(budget(plan))
    head = ["由谁承担", "每年"] if lang == "zh" else ["who pays", "yuan/year"]
    rows = [[_PAYERS[r.payer][lang == "zh"], yuan(r.yuan, lang)] for r in t.itertuples()]
    return table(head, rows)


def who_pays_value(lang: str, payer: str, plan: str = "xinghualing") -> str:
    t = pf.report.who_pays_table(budget(plan)).set_index("payer")["yuan"]
    return millions(t[payer], lang)


def total_value(lang: str, column: str, plan: str = "xinghualing") -> str:
    c = budget(plan).compounds
    if column == "compounds_in_deficit":
        return count((c["pool_balance_yuan"] < 0).sum())
    if column == "compounds":
        return count(len(c))
    if column == "small":
        return count((c["households"] < 100).sum())
    return millions(c[column].sum(), lang)


def why_table(lang: str) -> str:
    """Why a few compounds are in deficit: for each driver the compound in deficit it
    weighs on most, the largest deficit, and the largest surplus."""
    from propfee.analysis.drivers import DRIVERS

    d = deficit_reasons(lang).set_index("compound_id")
    s = street().set_index("compound_id")
    deficit = d[d["pool_balance_yuan"] < 0]
    picks = [deficit[f"{k}_yuan"].idxmin() for k in DRIVERS
             if (deficit[f"{k}_yuan"] < 0).any()]
    picks.append(deficit["pool_balance_yuan"].idxmin())
    surplus = d[d["pool_balance_yuan"] > 0]
    if len(surplus):
        picks.append(surplus["pool_balance_yuan"].idxmax())
    picks = list(dict.fromkeys(picks))
    if lang == "zh":
        head = ["小区", "户数", "建成年份", "资金池余额（元/年）", "原因"]
    else:
        head = ["compound", "households", "built", "pool balance [yuan/year]", "reason"]
    rows = [[k, count(s.loc[k, "households"]), str(int(s.loc[k, "build_year"])),
             f"{d.loc[k, 'pool_balance_yuan']:,.0f}", d.loc[k, "reason"] or "—"]
            for k in picks]
    return table(head, rows, "lrrrl")


def why_split(lang: str) -> str:
    """The split of the same compounds' balances into the reference and the drivers."""
    from propfee.analysis.drivers import DRIVERS

    d = deficit_reasons(lang).set_index("compound_id")
    picks = [line.split(" | ")[0].strip("| ") for line in why_table(lang).splitlines()[2:]]
    names = {
        "flat_size_and_fee_rate": ("flat size, fee rate", "面积与收费标准"),
        "collection": ("collection", "收缴率"), "public_income": ("public income", "公共收益"),
        "repairs": ("repairs", "维修"), "gate_and_patrol": ("gates, patrol", "门岗巡逻"),
        "lifts": ("lifts", "电梯"), "other_costs": ("other costs", "其他成本")}
    head = (["小区", "中位小区（同样户数）"] if lang == "zh" else ["compound", "reference"])
    head += [names[k][lang == "zh"] for k in DRIVERS]
    head += ["= 资金池余额"] if lang == "zh" else ["= pool balance"]
    rows = [[k, f"{d.loc[k, 'reference_yuan']:,.0f}",
             *(f"{d.loc[k, f'{x}_yuan']:,.0f}" for x in DRIVERS),
             f"{d.loc[k, 'pool_balance_yuan']:,.0f}"] for k in picks]
    return table(head, rows)


def grade_table(lang: str) -> str:
    """The market baseline per m² of a compound of ordinary shape at each size and grade,
    beside the grade's guidance band."""
    c = grade_curve()
    sizes = sorted(c["households"].unique())
    if lang == "zh":
        head = ["等级", "指导价区间", *(f"{h:,} 户" for h in sizes)]
    else:
        head = ["grade", "band", *(f"{h:,}" for h in sizes)]
    rows = []
    for grade, g in c.groupby("grade"):
        g = g.set_index("households")
        lo = g["guidance_low_yuan_per_m2_month"].iloc[0]
        hi = g["guidance_high_yuan_per_m2_month"].iloc[0]
        formal, informal = g["price_yuan_per_m2_month"], g["informal_price_yuan_per_m2_month"]
        cells = [f"{formal.loc[h]:.2f} ({informal.loc[h]:.2f})" for h in sizes]
        name = _GRADE_ZH[grade] if lang == "zh" else str(grade)
        rows.append([name, f"{lo:.2f}–{hi:.2f}", *cells])
    return table(head, rows)


def grade_above(lang: str, households: str, which: str = "max") -> str:
    """How far above the top of its band the market baseline lies, for a compound size:
    the least (``min``) or the most (``max``) over the grades, formal hiring."""
    c = grade_curve()
    c = c[c["households"] == int(households)]
    above = c["price_yuan_per_m2_month"] / c["guidance_high_yuan_per_m2_month"]
    value = above.min() if which == "min" else above.max()
    return f"{value:.1f}"


def grade_norms(lang: str) -> str:
    """Each grade's norms, from the parameter set."""
    p = pf.default_parameters()
    regimes = {"staffed_24h": ("staffed 24 h", "24 小时值守"),
               "staffed_16h": ("staffed 16 h", "16 小时值守"),
               "live_in": ("live-in gatekeeper, 24 h", "住门卫，24 小时")}
    if lang == "zh":
        head = ["等级", "每名保洁员负责建筑面积", "每名绿化工负责绿地", "每名管理人员负责户数",
                "每栋楼每日巡逻", "出入口"]
    else:
        head = ["grade", "floor m² per cleaner", "green m² per gardener", "households per manager",
                "patrol h per building and day", "gates"]
    rows = []
    for g in range(1, 6):
        n = getattr(p.grades, f"g{g}")
        rows.append([_GRADE_ZH[g] if lang == "zh" else str(g),
                     number(n.cleaning_floor_m2_per_staff), number(n.greening_green_m2_per_staff),
                     number(n.management_households_per_staff),
                     number(n.patrol_hours_per_building_day),
                     regimes[n.gate_regime][lang == "zh"]])
    return table(head, rows, "lrrrrl")


def staff_costs(lang: str) -> str:
    """What a post of each role costs a year, formal and informal, at the default date."""
    from propfee import staffing

    p = pf.default_parameters()
    roles = {"cleaning": ("cleaner", "保洁员"), "order": ("gate guard", "门岗保安"),
             "patrol": ("patrol guard", "巡逻员"), "greening": ("gardener", "绿化工"),
             "management": ("manager, clerk", "管理/客服")}
    if lang == "zh":
        head = ["岗位", "月工资（元）", "每岗年工时", "正式用工每岗年成本（元）",
                "非正式用工时薪（元/小时）", "非正式用工同等工时年成本（元）"]
    else:
        head = ["role", "monthly wage [yuan]", "hours a post [h/year]",
                "formal cost a post [yuan/year]", "informal rate [yuan/h]",
                "informal, same hours [yuan/year]"]
    rows = []
    for role, names in roles.items():
        hours = staffing.hours_per_post(role, p)
        rate = float(staffing.informal_rate_yuan_per_hour(role, p))
        wage = getattr(p.staffing, role).monthly_wage_yuan
        rows.append([names[lang == "zh"], number(wage), number(hours),
                     number(float(staffing.formal_cost_per_post_yuan(role, p)), 0),
                     number(rate, 2), number(rate * hours, 0)])
    return table(head, rows)


def parameters_table(lang: str, section: str = "") -> str:
    """The parameter file, generated: value in force, unit, since when, status, range."""
    f = pf.params.load_parameter_file("taiyuan")
    when = pf.default_parameters().as_of
    t = f.table()
    ranges = f.ranges(when).set_index("path") if hasattr(f, "ranges") else pd.DataFrame()
    if section:
        t = t[t["parameter"].str.startswith(section + ".")]
    if lang == "zh":
        head = ["参数", "取值", "起始日期", "依据类别", "范围（低–高，分布）"]
    else:
        head = ["parameter", "value", "since", "status", "range (low–high, shape)"]
    rows = []
    for r in t.itertuples():
        value = r.value if isinstance(r.value, str) else number(float(r.value))
        if r.parameter in ranges.index:
            q = ranges.loc[r.parameter]
            rng = (f"{number(float(q['low']))}–{number(float(q['high']))}, {q['shape']}"
                   if q["low"] != q["high"] else "—")
        else:
            rng = "—"
        unit = "" if r.unit in ("-", "1") else f" {r.unit}"
        rows.append([path_code(r.parameter), f"{value}{unit}", str(r.since), r.status, rng])
    return table(head, rows, "lrlll")


def parameter_counts(lang: str) -> str:
    f = pf.params.load_parameter_file("taiyuan")
    t = f.table()
    counts = t["status"].value_counts()
    order = ["source", "rule", "norm", "illustrative"]
    if lang == "zh":
        zh = {"source": "原文", "rule": "法规", "norm": "行业定额", "illustrative": "示例假设"}
        return "，".join(f"{zh[k]} {counts.get(k, 0)} 项" for k in order) + f"，共 {len(t)} 项"
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in order) + f": {len(t)} in all"


def effects_table(lang: str, metric: str, limit: str = "0") -> str:
    """How much each illustrative value and plan price moves a figure (±25%, one at a time)."""
    e = effects(metric)
    moving = e[e["swing"] > 0]
    if int(limit):
        moving = moving.head(int(limit))
    money = metric != "compounds_in_deficit"
    fmt = (lambda v: f"{v:,.0f}") if money else count
    if lang == "zh":
        head = ["参数", "取值", "低值", "高值", "取低值时", "取高值时", "变动"]
    else:
        head = ["parameter", "value", "low", "high", "at low", "at high", "swing"]
    rows = [[path_code(r.parameter), number(r.base_value), number(r.low), number(r.high),
             fmt(r.metric_low), fmt(r.metric_high), fmt(r.swing)] for r in moving.itertuples()]
    return table(head, rows)


def effects_still(lang: str, metric: str) -> str:
    """The inputs that do not move a figure, listed."""
    e = effects(metric)
    still = sorted(e.loc[e["swing"] == 0, "parameter"])
    listed = ", ".join(path_code(p) for p in still)
    if lang == "zh":
        return f"以下 {len(still)} 项在 ±25% 范围内不改变该指标：{listed}。"
    return f"These {len(still)} do not move it at ±25%: {listed}."


def effects_top(lang: str, metric: str, k: str = "1") -> str:
    e = effects(metric)
    r = e.iloc[int(k) - 1]
    name = input_name(r["parameter"], lang)
    fmt = count if metric == "compounds_in_deficit" else (lambda v: millions(v, lang))
    if lang == "zh":
        return f"{name}（{fmt(r['metric_low'])} 至 {fmt(r['metric_high'])}）"
    return f"{name} ({fmt(r['metric_low'])} to {fmt(r['metric_high'])})"


def effects_count(lang: str, metric: str, which: str = "moving") -> str:
    e = effects(metric)
    if which == "all":
        return count(len(e))
    return count(((e["swing"] > 0) if which == "moving" else (e["swing"] == 0)).sum())


def calibration_table(lang: str) -> str:
    """What the made-up records did to the ranges."""
    posterior, _, _ = calibration()
    s = posterior.summary
    if lang == "zh":
        head = ["参数", "观测", "先验 5%–95%", "校准后取值", "校准后 5%–95%", "区间收窄"]
    else:
        head = ["input", "observations", "prior 5–95%", "calibrated value", "calibrated 5–95%",
                "narrowing"]
    def fmt(v: float) -> str:
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"

    rows = [[input_name(r.quantity, lang), count(r.observations),
             f"{fmt(r.prior_q05)}–{fmt(r.prior_q95)}", fmt(r.value),
             f"{fmt(r.low)}–{fmt(r.high)}", share(r.narrowing)]
            for r in s.itertuples()]
    return table(head, rows)


def calibration_headline(lang: str) -> str:
    """The headline under ``xinghualing`` before and after calibration."""
    _, _, after = calibration()
    before = headline("xinghualing")
    if lang == "zh":
        head = ["指标", "校准前", "校准后", "区间收窄"]
    else:
        head = ["figure", "default ranges", "calibrated", "narrower by"]
    rows = []
    for figure in FIGURES:
        b, a = _figure_row(before, figure), _figure_row(after, figure)
        width_b, width_a = b["high"] - b["low"], a["high"] - a["low"]
        rows.append([figure_name(figure, lang),
                     interval_text(figure, b["point"], b["low"], b["high"], lang),
                     interval_text(figure, a["point"], a["low"], a["high"], lang),
                     share(1 - width_a / width_b) if width_b > 0 else "—"])
    return table(head, rows)


def calibration_records(lang: str) -> str:
    r = example_records()
    n_log = len(r["log"])
    if lang == "zh":
        return (f"一年的工单记录 {n_log:,} 条（管道疏通和小型水路维修），"
                f"{len(r['collection'])} 个小区去年的收缴情况，"
                f"{len(r['parking'])} 个小区的停车收入")
    return (f"a year's work-order log of {n_log:,} orders (pipe dredging and small water "
            f"repairs), last year's collection in {len(r['collection'])} compounds and "
            f"parking income in {len(r['parking'])}")


def source_compound(lang: str, what: str) -> str:
    """The source's compound: 100 households of 100 m², built 1990, under the baseline."""
    c = pf.Compound(compound_id="c1", households=100, floor_area_m2_per_household=100.0,
                    build_year=1990, green_area_m2=1000.0)
    b = pf.market_baseline(c)
    value = {"fee": b.fee_billed_yuan, "cost": b.total_annual_cost_yuan,
             "balance": b.balance_yuan,
             "rate": b.break_even_rate_yuan_per_m2_month}[what]
    return f"{value:.2f}" if what == "rate" else f"{value:,.0f}"


def trip_table(lang: str) -> str:
    from propfee.channels.contract import trip_share

    p = pf.default_parameters()
    k = float(p.contracts.members_per_trip)
    n = np.arange(1, 9)
    shares = trip_share(n, k)
    head = ["成员数 n", "每轮趟数 ceil(n/k)", "每个成员分担"] if lang == "zh" else [
        "members n", "trips a round ceil(n/k)", "share of its call-outs a member pays"]
    rows = [[str(i), str(math.ceil(i / k)), f"{s:.3f}"] for i, s in zip(n, shares, strict=True)]
    return table(head, rows)


def reserve_fact(lang: str, what: str) -> str:
    """A fact of the reserve study's first compound in need, after the renovation."""
    first, renovated, ranking = reserve()
    r = ranking.set_index("compound_id").loc[first]
    path = renovated.fund_path()
    path = path[path["compound_id"] == first].set_index("year")
    funding = renovated.funding().set_index("compound_id").loc[first]
    short = path[path["closing_yuan"] < 0]
    facts = {
        "id": first, "households": count(r["households"]), "built": str(int(r["build_year"])),
        "year": str(int(path.index[0])),
        "programme": f"{path['programme_work_yuan'].iloc[0]:,.2f}",
        "topup": f"{path['topup_yuan'].iloc[0]:,.2f}",
        "short-year": str(int(short.index[0])) if len(short) else "—",
        "short": f"{-short['closing_yuan'].iloc[0]:,.2f}" if len(short) else "0",
        "baseline-rate": f"{funding['baseline_yuan_per_m2_month']:.2f}",
        "full-rate": f"{funding['full_yuan_per_m2_month']:.2f}",
    }
    return facts[what]


def reserve_ranking(lang: str) -> str:
    """The first ten compounds of the reserve study's priority table."""
    _, _, ranking = reserve()
    if lang == "zh":
        head = ["排序", "小区编号", "户数", "建筑面积（平方米）", "建成年份", "距首次不足年数",
                "维修资金支出（元）", "户均维修资金支出（元）", "基本方案续筹（元/平方米/月）"]
    else:
        head = ["Rank", "Compound id", "Households", "Floor area [m2]", "Build year",
                "Years to first shortfall", "Work paid by the fund [yuan]",
                "Fund work per household [yuan]", "Baseline plan [yuan/m2/month]"]
    rows = [[str(r.rank), r.compound_id, count(r.households), f"{r.floor_area_m2:,.1f}",
             str(int(r.build_year)), str(int(r.years_to_first_shortfall)),
             f"{r.fund_work_yuan:,.2f}", f"{r.fund_work_per_household_yuan:,.2f}",
             f"{r.baseline_yuan_per_m2_month:.2f}"] for r in ranking.head(10).itertuples()]
    return table(head, rows, "rlrrrrrrr")


def value(lang: str, path: str) -> str:
    """A parameter value in force at the default date."""
    from propfee.params.values import ParamValues

    return number(float(ParamValues(pf.default_parameters())[path]))


def plan_value(lang: str, plan: str, path: str) -> str:
    named = pf.named_plan(plan)
    section, item, field = path.split(".")
    for it in getattr(named, section).items:
        if it.name == item:
            return number(float(getattr(it, field)))
    raise KeyError(path)


def plan_share(lang: str, plan: str, path: str) -> str:
    return share(float(plan_value(lang, plan, path).replace(",", "")))


def draws(lang: str) -> str:
    return f"{DRAWS:,d}"


RENDERERS: dict[str, Callable[..., str]] = {
    "headline": headline_table, "headline-medians": headline_medians,
    "headline-drivers": headline_drivers, "drivers-table": drivers_table,
    "compare": compare_table, "compare-value": compare_value,
    "credit": credit_table, "credit-value": credit_value,
    "who-pays": who_pays_table, "who-pays-value": who_pays_value, "total": total_value,
    "why": why_table, "why-split": why_split,
    "grade-table": grade_table, "grade-above": grade_above, "grade-norms": grade_norms,
    "staff-costs": staff_costs, "parameters": parameters_table,
    "parameter-counts": parameter_counts,
    "effects": effects_table, "effects-still": effects_still, "effects-top": effects_top,
    "effects-count": effects_count,
    "calibration": calibration_table, "calibration-headline": calibration_headline,
    "calibration-records": calibration_records,
    "source-compound": source_compound, "trips": trip_table, "value": value,
    "reserve": reserve_fact, "reserve-ranking": reserve_ranking,
    "plan-value": plan_value, "plan-share": plan_share, "draws": draws,
}

PLACEHOLDER = re.compile(r"\[\[pf:(?P<name>[\w-]+)(?P<args>(?: [^\]\s]+)*)\]\]")


def render(markdown: str, lang: str, cli: Callable[[list[str], str], str] | None = None) -> str:
    """Replace every placeholder of a page; an unknown one is an error."""

    def one(m: re.Match[str]) -> str:
        name, args = m.group("name"), m.group("args").split()
        if name == "cli":
            if cli is None:
                raise KeyError("[[pf:cli]] needs a command runner")
            return cli(args, lang)
        if name not in RENDERERS:
            raise KeyError(f"unknown figure [[pf:{name}]]")
        return RENDERERS[name](lang, *args)

    return PLACEHOLDER.sub(one, markdown)


# ------------------------------------------------------------------ the command line

@functools.cache
def _workdir() -> Path:
    """A folder with the example files the command pages use."""
    from propfee.compound import COMPOUND_COLUMNS

    folder = Path(tempfile.mkdtemp(prefix="propfee-docs-"))
    rows = street().head(24)
    rows.to_csv(folder / "compounds.csv", index=False)
    zh = {c.name: c.label_zh for c in COMPOUND_COLUMNS}
    rows.rename(columns=zh).to_csv(folder / "小区.csv", index=False, encoding="utf-8-sig")
    return folder


@functools.cache
def run_cli(args: tuple[str, ...]) -> tuple[int, str]:
    """Run ``propfee ARGS`` in the example folder; its exit code and output."""
    from typer.testing import CliRunner

    from propfee.cli import app

    here = os.getcwd()
    os.chdir(_workdir())
    try:
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": "100", "PROPFEE_LANG": "en"})
    finally:
        os.chdir(here)
    return result.exit_code, result.output


def cli_block(args: list[str], lang: str) -> str:
    """A console block: the command and what it printed (``--head=N`` keeps N lines,
    ``--from=TEXT`` starts at the first line holding TEXT)."""
    head, start = 0, ""
    while args and args[0].startswith(("--head=", "--from=")):
        key, value = args[0][2:].split("=", 1)
        if key == "head":
            head = int(value)
        else:
            start = value
        args = args[1:]
    code_, output = run_cli(tuple(args))
    if code_ != 0:
        raise RuntimeError(f"propfee {' '.join(args)} exited with {code_}:\n{output}")
    lines = output.rstrip("\n").splitlines()
    if start:
        first = next(i for i, line in enumerate(lines) if start in line)
        lines = ["...", *lines[first:]]
    if head and len(lines) > head:
        lines = [*lines[:head], "..."]
    body = "\n".join(lines)
    return f"```console\n$ propfee {' '.join(args)}\n{body}\n```"


# ------------------------------------------------------------------ executed examples

_FENCE = re.compile(r"^```python\n(?P<code>.*?)^```\n", re.DOTALL | re.MULTILINE)
OUTPUT_MARK = "<!-- pf:output -->"


def run_examples(markdown: str, name: str) -> str:
    """Run a page's Python blocks in order (one namespace, as the tests do) and put what
    the block just before each ``<!-- pf:output -->`` printed in its place."""
    if OUTPUT_MARK not in markdown:
        return markdown
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    out: list[str] = []
    pos = 0
    for part in markdown.split(OUTPUT_MARK)[:-1]:
        blocks = list(_FENCE.finditer(markdown, pos, pos + len(part)))
        text = ""
        for i, block in enumerate(blocks):
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed), pd.option_context(
                    "display.width", 120, "display.max_columns", 30):
                exec(compile(block.group("code"), f"{name}", "exec"), namespace)
            if i == len(blocks) - 1:
                text = printed.getvalue().rstrip("\n")
        out.append(part)
        out.append(f"```text\n{text}\n```" if text else "")
        pos += len(part) + len(OUTPUT_MARK)
    out.append(markdown[pos:])
    return "".join(out)
