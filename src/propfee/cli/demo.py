"""``propfee demo``: the built-in Sanqiao-like street and the source's 60,000-yuan compound.

The output opens with its conclusion in one sentence (the count of compounds in deficit
and the street subsidy under the default plan, each with its 90% interval from the
default ranges), then the tables behind it. Street tables are in 10,000 yuan (万元) a
year, one figure a row, so that they fit a terminal of 100 columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from propfee.cli._common import (
    SOURCE_DATE_ISO,
    AsOfOption,
    LabelsOption,
    ParamsOption,
    fmt,
    params,
    say,
    use_language,
)

if TYPE_CHECKING:
    import pandas as pd

    from propfee.labels import Language

__all__ = ["conclusion", "demo", "plans_table", "street_table"]

WAN_YUAN = 10_000.0
"""Yuan in one 万元 (ten thousand yuan). [yuan]"""


def _cell(code: str, value: float) -> str:
    """One figure as the terminal shows it: money in 万元 to 0.1, shares in percent,
    counts and grades whole."""
    if code.endswith("_share"):
        return f"{value:.1%}"
    if code.endswith("_yuan") or code == "yuan":
        return f"{value / WAN_YUAN:,.1f}"
    if code.endswith("_month"):
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def street_table(table: pd.DataFrame, lang: Language, *, turn: bool = True) -> pd.DataFrame:
    """A street summary turned for the terminal: one row a figure, money in 万元.

    Parameters
    ----------
    table
        A summary with one row a group (size class, plan...) and one column a figure;
        columns ending in ``_yuan`` (or named ``yuan``) are money [yuan/year].
    lang
        ``"en"`` or ``"zh"``: the labels of rows and columns.
    turn
        Turn the table so that figures are rows (default); ``False`` keeps one row a
        group (for a table of one figure).

    Returns
    -------
    pandas.DataFrame
        Text cells, one row a figure and one column a group; money is labelled
        ``[10k yuan/year]`` / ``（万元/年）``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"compounds": [3], "street_subsidy_yuan": [123_456.0]},
    ...                  index=pd.Index(["all"], name="households_class"))
    >>> street_table(t, "en").to_dict()
    {'Total': {'Compounds': '3', 'Street subsidy [10k yuan/year]': '12.3'}}
    """
    import pandas as pd

    from propfee.labels import label, label_table

    cells = pd.DataFrame({col: [_cell(str(col), float(v)) for v in table[col]]
                          for col in table.columns}, index=table.index)
    labelled = label_table(cells, lang)
    labelled.index = [label(str(i), lang) for i in table.index]
    labelled.columns = [str(c).replace("[yuan/year]", "[10k yuan/year]")
                        .replace("（元/年）", "（万元/年）") if str(src).endswith("_yuan")
                        or src == "yuan" else str(c)
                        for c, src in zip(labelled.columns, table.columns, strict=True)]
    return labelled.T if turn else labelled


def plans_table(table: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """:func:`propfee.compare.compare_plans` for the terminal: a column pair a plan.

    Each plan's row and its ``"<plan>: market baseline"`` row become two columns under
    the plan's name, headed ``4+1`` and ``market alone`` (四管一补, 市场化基准).

    Parameters
    ----------
    table
        The comparison, one row a plan or a plan's market baseline.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    pandas.DataFrame
        Text cells, one row a figure, two-level columns (plan, 4+1 or market alone).
    """
    import pandas as pd

    turned = street_table(table, lang)
    alone = "市场化基准" if lang == "zh" else "market alone"
    own = "四管一补" if lang == "zh" else "4+1"
    pairs = [(str(i).split(": ")[0], alone if ": " in str(i) else own) for i in table.index]
    turned.columns = pd.MultiIndex.from_tuples(pairs)
    return turned


def conclusion(*, compounds: int, small: int, in_deficit: int, subsidy_yuan: float,
               market_deficit_yuan: float, market_in_deficit: int, lang: Language,
               deficit_range: tuple[float, float] | None = None,
               subsidy_range_yuan: tuple[float, float] | None = None) -> str:
    """The demo's conclusion in one sentence.

    Parameters
    ----------
    compounds, small
        Compounds of the street, and those under 100 households.
    in_deficit, subsidy_yuan
        Compounds in deficit and street subsidy under the default plan. [yuan/year]
    market_deficit_yuan, market_in_deficit
        The street's deficit and count in deficit with a market company alone. [yuan/year]
    lang
        ``"en"`` or ``"zh"``.
    deficit_range, subsidy_range_yuan
        The 90% intervals (5% and 95% quantiles) of the two figures, if drawn.

    Returns
    -------
    str

    Examples
    --------
    >>> print(conclusion(compounds=286, small=220, in_deficit=224, subsidy_yuan=786_717.63,
    ...                  market_deficit_yuan=70_323_172.71, market_in_deficit=286, lang="en",
    ...                  deficit_range=(146, 286), subsidy_range_yuan=(400_000, 2_100_000)))
    Conclusion: on the Sanqiao-like street (286 compounds, 220 under 100 households) the
    4+1 plan (xinghualing) leaves 224 compounds in deficit (90%: 146 to 286) and needs a
    street subsidy of 78.7 (90%: 40.0 to 210.0) 10k yuan a year; a market company alone
    would leave 286 in deficit, 7,032.3 10k yuan a year short.
    """
    wan = subsidy_yuan / WAN_YUAN
    market_wan = market_deficit_yuan / WAN_YUAN
    if lang == "zh":
        d = (f"（90% 区间 {deficit_range[0]:,.0f}–{deficit_range[1]:,.0f}）"
             if deficit_range else "")
        s = (f"（90% 区间 {subsidy_range_yuan[0] / WAN_YUAN:,.1f}–"
             f"{subsidy_range_yuan[1] / WAN_YUAN:,.1f}）" if subsidy_range_yuan else "")
        return (f"结论：三桥式街道 {compounds} 个小区（其中 {small} 个不足 100 户）按四管一补"
                f"（xinghualing 方案），\n{in_deficit} 个入不敷出{d}，街道每年需补贴 {wan:,.1f}"
                f" 万元{s}；\n若由市场化物业单独服务，{market_in_deficit} 个亏损，"
                f"每年缺口 {market_wan:,.1f} 万元。")
    d = (f" (90%: {deficit_range[0]:,.0f} to {deficit_range[1]:,.0f})"
         if deficit_range else "")
    s = (f" (90%: {subsidy_range_yuan[0] / WAN_YUAN:,.1f} to "
         f"{subsidy_range_yuan[1] / WAN_YUAN:,.1f})" if subsidy_range_yuan else "")
    return (f"Conclusion: on the Sanqiao-like street ({compounds} compounds, {small} under "
            f"100 households) the\n4+1 plan (xinghualing) leaves {in_deficit} compounds in "
            f"deficit{d} and needs a\nstreet subsidy of {wan:,.1f}{s} 10k yuan a year; a "
            f"market company alone\nwould leave {market_in_deficit} in deficit, "
            f"{market_wan:,.1f} 10k yuan a year short.")


def demo(
    params_source: ParamsOption = "taiyuan",
    as_of: AsOfOption = SOURCE_DATE_ISO,
    seed: Annotated[int, typer.Option(help="Seed of the example street.", min=0,
                                      max=2**32 - 1)] = 20240709,
    labels: LabelsOption = "en",
    draws: Annotated[int, typer.Option(
        help="Draws of the default ranges for the 90% intervals of the conclusion "
             "(0: no interval).", min=0, max=100_000)] = 256,
) -> None:
    """Evaluate the built-in Sanqiao-like street and the source's 60,000-yuan compound."""
    lang = use_language(labels)
    import pandas as pd

    from propfee.baseline import market_baseline, market_baseline_district
    from propfee.budget import evaluate_district
    from propfee.compare import compare_plans
    from propfee.compound import Compound
    from propfee.datasets import sanqiao_like_street
    from propfee.plan import default_plan
    from propfee.report import channel_contributions, summarise_baseline, summarise_budget

    p = params(params_source, as_of, lang)
    zh = lang == "zh"
    street = sanqiao_like_street(seed)
    small = int((street["households"] < 100).sum())
    plan = default_plan()
    budget = evaluate_district(street, plan, p)
    summary = summarise_budget(budget)
    total = {str(k): float(v) for k, v in summary.to_dict("index")["all"].items()}
    deficit_range: tuple[float, float] | None = None
    subsidy_range: tuple[float, float] | None = None
    import importlib.util

    drawable = importlib.util.find_spec("scipy") is not None
    if draws and drawable:
        from propfee.uncertainty.interval import interval

        drawn = interval(street, plan, p, n=draws, seed=0)
        d = drawn.figure("compounds_in_deficit").iloc[0]
        s = drawn.figure("street_subsidy_yuan").iloc[0]
        deficit_range = (float(d["low"]), float(d["high"]))
        subsidy_range = (float(s["low"]), float(s["high"]))
    say(conclusion(compounds=len(street), small=small,
                   in_deficit=int(total["fourplusone_in_deficit"]),
                   subsidy_yuan=float(total["street_subsidy_yuan"]),
                   market_deficit_yuan=float(total["baseline_deficit_yuan"]),
                   market_in_deficit=int(total["baseline_in_deficit"]), lang=lang,
                   deficit_range=deficit_range, subsidy_range_yuan=subsidy_range))
    if draws and not drawable:
        say("（未显示区间：请安装 propfee[uncertainty]）" if zh else
            "(no intervals: they need the extra propfee[uncertainty])")
    elif draws:
        say(f"（区间：默认取值范围的 {draws} 次抽样，5% 与 95% 分位数）" if zh else
            f"(intervals: 5% and 95% quantiles of {draws} draws of the default ranges)")
    say("")
    say("四管一补与市场化物业单独服务，按户数分组" if zh else
        "4+1 and a market company alone, by household size class")
    say(fmt(street_table(summary, lang)))
    say("")
    say("各渠道对全街资金池余额的贡献（沙普利值）" if zh else
        "What each channel adds to the street's pool balance (Shapley value)")
    say(fmt(street_table(channel_contributions(budget), lang, turn=False)))
    say("")
    say("各内置方案及其市场化基准" if zh else
        "Every built-in plan and its market baseline (the same work bought at market price)")
    say(fmt(plans_table(compare_plans(street, params=p), lang)))
    say("")
    say("市场化物业单独服务，按户数分组" if zh else
        "A market company alone, by household size class")
    say(fmt(street_table(summarise_baseline(market_baseline_district(street, p)), lang)))
    say("")
    one = Compound(
        compound_id="source-example", name="100 households x 100 m2", households=100,
        floor_area_m2_per_household=100.0, build_year=1990, green_area_m2=1000.0,
    )
    r = market_baseline(one, p)
    say(f"原文中的小区：100 户 x 100 平方米，物业费 {p.fees.rate_yuan_per_m2_month} "
        "元/平方米/月，\n1990 年建成，由市场化物业单独按四级服务"
        "（一个大门每天值守 16 小时）" if zh else
        "The source's compound: 100 households x 100 m2 at "
        f"{p.fees.rate_yuan_per_m2_month} yuan/m2/month, built 1990,\na market company "
        "alone at service grade 4 (one gate staffed 16 h a day)")
    names = (["应收物业费（元/年）", "实收物业费（元/年）", "市场化物业费用（元/年）",
              "收支差额（元/年）", "保本物业费（元/平方米/月）"] if zh else
             ["fee billed [yuan/year]", "fee collected [yuan/year]", "market cost [yuan/year]",
              "balance [yuan/year]", "break-even rate [yuan/m2/month]"])
    lines = pd.DataFrame(
        {"数值" if zh else "value": [r.fee_billed_yuan, r.fee_collected_yuan,
                                     r.total_annual_cost_yuan, r.balance_yuan,
                                     r.break_even_rate_yuan_per_m2_month]}, index=names)
    say(fmt(lines))
