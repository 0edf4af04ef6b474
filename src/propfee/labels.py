"""Bilingual labels for every report table, from one table of labels.

:data:`LABELS` maps a column name or a value code (line, channel, category, payer) to its
English and Chinese label. :func:`label_table` renames the columns of a result table and
translates the codes in its ``line``, ``channel``, ``category`` and ``payer`` columns.
Names without a label are kept as they are (never dropped).
"""

from __future__ import annotations

from typing import Final, Literal

import pandas as pd

from propfee.compound import COMPOUND_COLUMNS
from propfee.costs import COST_CATEGORIES
from propfee.staffing import ROLES

__all__ = ["LABELS", "Language", "label", "label_table"]

Language = Literal["en", "zh"]

_ROLE_ZH = {"cleaning": "保洁", "order": "秩序维护", "maintenance": "维修", "greening": "绿化",
            "management": "管理/客服"}

LABELS: Final[dict[str, tuple[str, str]]] = {
    # Compound columns: from their declaration.
    **{c.name: (c.label_en, c.label_zh) for c in COMPOUND_COLUMNS},
    "bundle_id": ("Shared-property contract", "共享物业协议"),
    "rate_yuan_per_m2_month": ("Fee rate [yuan/m2/month]", "物业费标准（元/平方米/月）"),
    # Baseline.
    "headcount_fte_total": ("Staff [FTE]", "人员（人）"),
    "service_cost_yuan": ("Service cost [yuan/year]", "物业服务成本（元/年）"),
    "margin_yuan": ("Profit or commission [yuan/year]", "利润或酬金（元/年）"),
    "vat_yuan": ("VAT [yuan/year]", "增值税（元/年）"),
    "surcharges_yuan": ("Surcharges [yuan/year]", "附加税费（元/年）"),
    "total_annual_cost_yuan": ("Market price [yuan/year]", "市场化物业费用（元/年）"),
    "fee_billed_yuan": ("Fee billed [yuan/year]", "应收物业费（元/年）"),
    "fee_collected_yuan": ("Fee collected [yuan/year]", "实收物业费（元/年）"),
    "balance_yuan": ("Balance [yuan/year]", "收支差额（元/年）"),
    "cost_per_household_month_yuan": ("Cost per household [yuan/month]", "户均成本（元/月）"),
    "break_even_rate_yuan_per_m2_month": ("Break-even fee [yuan/m2/month]",
                                          "保本物业费（元/平方米/月）"),
    "break_even_collection_rate": ("Break-even collection rate", "保本收缴率"),
    # 4+1 budget.
    "total_cost_yuan": ("Total cost [yuan/year]", "总成本（元/年）"),
    "compound_cash_cost_yuan": ("Compound cash cost [yuan/year]", "小区现金支出（元/年）"),
    "public_income_yuan": ("Public-resource income [yuan/year]", "公共资源收益（元/年）"),
    "pool_balance_yuan": ("Fund pool balance [yuan/year]", "资金池余额（元/年）"),
    "pool_non_negative": ("Pool not negative", "资金池不为负"),
    "street_subsidy_yuan": ("Street subsidy [yuan/year]", "街道兜底补贴（元/年）"),
    "street_total_yuan": ("Street total [yuan/year]", "街道合计支出（元/年）"),
    "cash_cost_per_household_month_yuan": ("Cash cost per household [yuan/month]",
                                           "户均现金支出（元/月）"),
    "baseline_market_price_yuan": ("Market price [yuan/year]", "市场化物业费用（元/年）"),
    "baseline_jobs_at_market_yuan": ("Per-use jobs at market price [yuan/year]",
                                     "按次服务市场价（元/年）"),
    "baseline_total_yuan": ("Comparison baseline [yuan/year]", "对比基准（元/年）"),
    "baseline_balance_yuan": ("Baseline balance [yuan/year]", "基准收支差额（元/年）"),
    "saving_vs_baseline_yuan": ("Saving vs baseline [yuan/year]", "较基准节约（元/年）"),
    "deficit_reduction_yuan": ("Deficit reduction [yuan/year]", "赤字减少（元/年）"),
    "residual_fte": ("Staff left for the company [FTE]", "企业承担人员（人）"),
    "amount_yuan": ("Amount [yuan/year]", "金额（元/年）"),
    "line": ("Line", "项目"),
    "channel": ("Channel", "渠道"),
    "category": ("Official cost item", "成本构成"),
    "payer": ("Payer", "承担方"),
    "compounds": ("Compounds", "小区数"),
    "households_class": ("Households", "户数分组"),
    "in_deficit": ("In deficit", "亏损小区数"),
    "baseline_in_deficit": ("In deficit, market baseline", "市场化基准下亏损小区数"),
    "fourplusone_in_deficit": ("In deficit, 4+1", "四管一补下需补贴小区数"),
    "baseline_deficit_yuan": ("Baseline deficit [yuan/year]", "基准赤字（元/年）"),
    "deficit_reduction_share": ("Deficit reduction share", "赤字减少比例"),
    "median_break_even_rate_yuan_per_m2_month": ("Median break-even fee [yuan/m2/month]",
                                                 "保本物业费中位数（元/平方米/月）"),
    "step": ("Step", "步骤"),
    "yuan": ("Amount [yuan/year]", "金额（元/年）"),
    "baseline balance": ("Baseline balance", "市场化基准收支差额"),
    "4+1 pool balance": ("4+1 pool balance", "四管一补资金池余额"),
    # Channels.
    "self_governance": ("Residents' self-governance", "居民自治管"),
    "shared_property": ("Shared property", "共享物业承接管"),
    "street_fallback": ("Street/community fallback", "街道社区兜底管"),
    "smart_devices": ("Smart devices", "可视设备智慧管"),
    "public_income": ("Public-resource income", "公共资源收益补"),
    "direct": ("Compound's own purchases", "小区自购"),
    # Payers.
    "residents_fees": ("Residents' fees", "居民物业费"),
    "fund_pool": ("Compound fund pool", "小区资金池"),
    "street_office": ("Street office", "街道办事处"),
    "renovation_programme": ("Renovation programme", "老旧小区改造资金"),
    "volunteers_in_kind": ("Volunteers (in kind)", "志愿者（折算）"),
    # Official cost categories.
    **{code: (c.en, c.zh) for code, c in COST_CATEGORIES.items()},
}
"""Label -> (English, Chinese)."""

for _ch in ("self_governance", "shared_property", "street_fallback", "smart_devices", "direct"):
    LABELS[f"cost_{_ch}_yuan"] = (f"{LABELS[_ch][0]} [yuan/year]", f"{LABELS[_ch][1]}（元/年）")
for _ch in ("shared_property", "self_governance", "street_fallback", "smart_devices",
            "public_income"):
    LABELS[f"contribution_{_ch}_yuan"] = (f"Contribution: {LABELS[_ch][0]} [yuan/year]",
                                          f"贡献：{LABELS[_ch][1]}（元/年）")
for _p in ("residents_fees", "fund_pool", "street_office", "renovation_programme",
           "volunteers_in_kind"):
    LABELS[f"paid_by_{_p}_yuan"] = (f"Paid by {LABELS[_p][0].lower()} [yuan/year]",
                                    f"{LABELS[_p][1]}承担（元/年）")
for _ch in ("street_fallback", "smart_devices", "self_governance"):
    LABELS[f"replaced_fte_{_ch}"] = (f"Staff taken over: {LABELS[_ch][0]} [FTE]",
                                     f"{LABELS[_ch][1]}替代人员（人）")
for _r in ROLES:
    LABELS[f"headcount_fte_{_r}"] = (f"Staff: {_r} [FTE]", f"{_ROLE_ZH[_r]}人员（人）")
    LABELS[f"staff_{_r}_yuan"] = (f"Staff cost: {_r} [yuan/year]",
                                  f"{_ROLE_ZH[_r]}人员费用（元/年）")
    LABELS[f"staff_{_r}"] = (f"Staff: {_r}", f"{_ROLE_ZH[_r]}人员费用")
    LABELS[f"contract_staff_{_r}"] = (f"Contract staff: {_r}", f"共享物业{_ROLE_ZH[_r]}人员")
for _code, _en, _zh in (
    ("upkeep", "Running and upkeep of shared parts", "共用部位共用设施设备日常运行维护费"),
    ("cleaning_materials", "Cleaning materials", "清洁卫生材料费"),
    ("greening_materials", "Greening materials", "绿化养护材料费"),
    ("office", "Office", "办公费用"),
    ("insurance", "Insurance", "公共责任保险费"),
    ("depreciation", "Depreciation", "固定资产折旧"),
    ("overhead", "Head-office overhead share", "管理费分摊"),
    ("contract_margin", "Contract margin", "共享物业酬金"),
    ("contract_fixed_fee", "Contract fixed fee", "共享物业固定服务费"),
    ("contract_travel", "Travel between compounds", "跨小区交通协调费"),
    ("other", "Other costs approved by the owners", "经业主同意的其它费用"),
):
    LABELS.setdefault(_code, (_en, _zh))
    LABELS[f"{_code}_yuan"] = (f"{_en} [yuan/year]", f"{_zh}（元/年）")


def label(code: str, lang: Language = "en") -> str:
    """The label of a column name or code; the code itself if it has none."""
    pair = LABELS.get(code)
    if pair is None:
        return code
    return pair[0] if lang == "en" else pair[1]


def label_table(table: pd.DataFrame, lang: Language = "en") -> pd.DataFrame:
    """A copy of a result table with labelled columns and translated codes.

    Parameters
    ----------
    table
        A result table (budget compounds or lines, baseline, summaries).
    lang
        ``"en"`` or ``"zh"``.
    """
    out = table.copy()
    for column in ("line", "channel", "category", "payer"):
        if column in out.columns:
            out[column] = out[column].map(lambda v: label(str(v), lang))
    out.columns = [label(str(c), lang) for c in out.columns]
    if out.index.name is not None:
        out.index.name = label(str(out.index.name), lang)
    return out
