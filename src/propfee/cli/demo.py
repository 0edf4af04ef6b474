"""``propfee demo``: the built-in Sanqiao-like street and the source's 60,000-yuan compound."""

from __future__ import annotations

from typing import Annotated

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

__all__ = ["demo"]


def demo(
    params_source: ParamsOption = "taiyuan",
    as_of: AsOfOption = SOURCE_DATE_ISO,
    seed: Annotated[int, typer.Option(help="Seed of the example street.", min=0,
                                      max=2**32 - 1)] = 20240709,
    labels: LabelsOption = "en",
) -> None:
    """Evaluate the built-in Sanqiao-like street and the source's 60,000-yuan compound."""
    lang = use_language(labels)
    import pandas as pd

    from propfee.baseline import market_baseline, market_baseline_district
    from propfee.budget import evaluate_district
    from propfee.compare import compare_plans
    from propfee.compound import Compound
    from propfee.datasets import sanqiao_like_street
    from propfee.labels import label_table
    from propfee.plan import default_plan
    from propfee.report import channel_contributions, summarise_baseline, summarise_budget

    p = params(params_source, as_of, lang)
    zh = lang == "zh"
    one = Compound(
        compound_id="source-example", name="100 households x 100 m2", households=100,
        floor_area_m2_per_household=100.0, build_year=1990, green_area_m2=1000.0,
    )
    r = market_baseline(one, p)
    say(f"原文中的小区：100 户 x 100 平方米，物业费 {p.fees.rate_yuan_per_m2_month} 元/平方米/月，"
        "1990 年建成，由市场化物业单独按四级服务（一个大门每天值守 16 小时）" if zh else
        "The source's compound: 100 households x 100 m2 at "
        f"{p.fees.rate_yuan_per_m2_month} yuan/m2/month, built 1990, a market company "
        "alone at service grade 4 (one gate staffed 16 h a day)")
    names = (["应收物业费（元/年）", "实收物业费（元/年）", "市场化物业费用（元/年）",
              "收支差额（元/年）", "保本物业费（元/平方米/月）"] if zh else
             ["fee billed [yuan/year]", "fee collected [yuan/year]", "market cost [yuan/year]",
              "balance [yuan/year]", "break-even rate [yuan/m2/month]"])
    lines = pd.DataFrame(
        {"value": [r.fee_billed_yuan, r.fee_collected_yuan, r.total_annual_cost_yuan,
                   r.balance_yuan, r.break_even_rate_yuan_per_m2_month]}, index=names)
    say(fmt(lines))
    street = sanqiao_like_street(seed)
    baseline = market_baseline_district(street, p)
    say("")
    small = int((street["households"] < 100).sum())
    say(f"三桥式街道，{len(street)} 个小区，其中 {small} 个不足 100 户："
        "市场化物业单独服务，按户数分组（元/年）" if zh else
        f"Sanqiao-like street, {len(street)} compounds, {small} under 100 households: "
        "stand-alone market baseline by size class [yuan/year]")
    say(fmt(label_table(summarise_baseline(baseline), lang) if zh
            else summarise_baseline(baseline)))
    say("")
    say("市场化基准与各内置方案（元/年）" if zh else
        "The market baseline and every built-in plan on the street [yuan/year]")
    say(fmt(compare_plans(street, params=p)))
    budget = evaluate_district(street, default_plan(), p)
    say("")
    say("市场化基准与四管一补（xinghualing 方案，按片区打包）对比（元/年）" if zh else
        "Market baseline and 4+1 (四管一补, the xinghualing plan, compounds bundled "
        "by zone) side by side [yuan/year]")
    say(fmt(label_table(summarise_budget(budget), lang) if zh else summarise_budget(budget)))
    say("")
    say("各渠道对全街资金池余额的贡献（五个渠道的沙普利值）（元/年）" if zh else
        "What each channel contributed to the street's pool balance (Shapley value "
        "over the five channels) [yuan/year]")
    say(fmt(label_table(channel_contributions(budget), lang) if zh
            else channel_contributions(budget)))
