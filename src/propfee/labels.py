"""Bilingual labels for every report table, chart and workbook, from one table of labels.

:data:`LABELS` maps a column name or a value code (line, channel, category, payer, kind,
sheet, chart text) to its English and Chinese label. :func:`label_table` renames the
columns of a result table and translates the codes in its ``line``, ``channel``,
``category``, ``payer``, ``kind`` and ``step`` columns.

A code without an entry gets a label built from its parts: ``job_pipe_dredging`` becomes
"按次服务：管道疏通" ("Per-use job: pipe dredging"), ``device_cameras_capital`` becomes
"智能设备：监控摄像头（购置）", ``cost_<channel>_yuan`` "<channel>（元/年）", and so on
(see :func:`label`). Only a code with no known part is shown as it is (never dropped).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

import numpy as np
import pandas as pd

from propfee.compound import COMPOUND_COLUMNS
from propfee.costs import COST_CATEGORIES
from propfee.work.categories import FIXED_CATEGORIES, ROLES

__all__ = ["LABELS", "MESSAGES", "PLAN_LABELS", "UNITS", "WORDS", "Language", "contract_name",
           "is_cjk_text", "label", "label_table", "message", "plan_label", "unit_label"]

Language = Literal["en", "zh"]

_ROLE_ZH = {"cleaning": "保洁", "order": "门岗", "patrol": "巡逻", "greening": "绿化",
            "management": "管理/客服"}

LABELS: Final[dict[str, tuple[str, str]]] = {
    # Compound columns: from their declaration.
    **{c.name: (c.label_en, c.label_zh) for c in COMPOUND_COLUMNS},
    "bundle_id": ("Shared-property contract", "共享物业协议"),
    "rate_yuan_per_m2_month": ("Fee rate [yuan/m2/month]", "物业费标准（元/平方米/月）"),
    # Baseline.
    "headcount_fte_total": ("Staff [FTE]", "人员（人）"),
    "margin_yuan": ("Profit or commission [yuan/year]", "利润或酬金（元/年）"),
    "vat_yuan": ("VAT [yuan/year]", "增值税（元/年）"),
    "surcharges_yuan": ("Surcharges [yuan/year]", "附加税费（元/年）"),
    "total_annual_cost_yuan": ("Market baseline cost [yuan/year]", "市场化基准成本（元/年）"),
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
    "street_subsidy_yuan": ("Street subsidy [yuan/year]", "街道补贴（元/年）"),
    "street_total_yuan": ("Street total [yuan/year]", "街道合计支出（元/年）"),
    "cash_cost_per_household_month_yuan": ("Cash cost per household [yuan/month]",
                                           "户均现金支出（元/月）"),
    "pool_surplus_yuan": ("Pool surplus kept [yuan/year]", "资金池结余（元/年）"),
    "lift_levy_yuan": ("Lift households' levy [yuan/year]", "电梯单元住户分摊（元/年）"),
    "lift_levy_per_lift_household_month_yuan": (
        "Lift levy per lift household [yuan/month]", "电梯户均分摊（元/月）"),
    "market_baseline_cost_yuan": ("Market baseline cost [yuan/year]", "市场化基准成本（元/年）"),
    "market_baseline_balance_yuan": ("Market baseline balance [yuan/year]",
                                     "市场化基准收支差额（元/年）"),
    "saving_vs_market_baseline_yuan": ("Saving vs market baseline [yuan/year]",
                                       "较市场化基准节约（元/年）"),
    "deficit_reduction_yuan": ("Deficit reduction [yuan/year]", "赤字减少（元/年）"),
    "volunteer_hours": ("Volunteer hours [h/year]", "志愿服务时长（小时/年）"),
    "volunteer_added_hours": ("Volunteer hours of added service [h/year]",
                              "志愿服务中的增值服务时长（小时/年）"),
    "work": ("Work", "工作内容"),
    "unit": ("Unit", "单位"),
    "demand": ("Needed", "需要量"),
    "market": ("Bought at market price", "按市场价购买"),
    "amount_yuan": ("Amount [yuan/year]", "金额（元/年）"),
    "line": ("Line", "项目"),
    "channel": ("Channel", "渠道"),
    "category": ("Official cost item", "成本构成"),
    "payer": ("Payer", "承担方"),
    "compounds": ("Compounds", "小区数"),
    "households_class": ("Households", "户数分组"),
    "in_deficit": ("In deficit", "亏损小区数"),
    "compounds_in_deficit": ("Compounds in deficit", "亏损小区数"),
    "grade": ("Service grade", "服务等级"),
    "baseline_in_deficit": ("In deficit, market baseline", "市场化基准下亏损小区数"),
    "fourplusone_in_deficit": ("In deficit, 4+1", "四管一补下需补贴小区数"),
    "baseline_deficit_yuan": ("Market baseline deficit [yuan/year]", "市场化基准赤字（元/年）"),
    "deficit_reduction_share": ("Deficit reduction share", "赤字减少比例"),
    "median_break_even_rate_yuan_per_m2_month": ("Median break-even fee [yuan/m2/month]",
                                                 "保本物业费中位数（元/平方米/月）"),
    "step": ("Step", "步骤"),
    "yuan": ("Amount [yuan/year]", "金额（元/年）"),
    "market baseline": ("Market baseline (a market company alone)",
                        "市场化基准（市场化物业单独服务）"),
    "4+1 pool balance": ("4+1 pool balance", "四管一补资金池余额"),
    "net_public_cost_yuan": ("Net public cost [yuan/year]", "公共财政净支出（元/年）"),
    "kind": ("Kind", "性质"),
    "all": ("Total", "合计"),
    "<100": ("<100", "不足100户"),
    "100-299": ("100-299", "100-299户"),
    ">=300": (">=300", "300户及以上"),
    "yes": ("Yes", "是"),
    "no": ("No", "否"),
    # Kinds of lines.
    "per_use": ("Per use", "按次"),
    "standing": ("Standing", "常设"),
    "capital": ("Capital", "投资"),
    "in_kind": ("In kind", "折算（非现金）"),
    "income": ("Income", "收入"),
    # Workbook sheets (at most 31 characters, no []:*?/\\).
    "sheet_summary": ("Summary", "汇总"),
    "Taiyuan, Shanxi": ("Taiyuan, Shanxi", "山西省太原市"),
    "sheet_breakdown": ("Breakdown", "分组与渠道"),
    "sheet_whatif": ("What-if by compound", "逐小区试算"),
    "sheet_compound_budgets": ("Compound budgets", "测算表"),
    "sheet_notice": ("Notice to residents", "公示表"),
    "sheet_plans": ("Plans compared", "方案比较"),
    "sheet_request": ("Budget request", "预算申请"),
    "sheet_assumptions": ("Assumptions", "测算假设"),
    "sheet_contributions": ("Channel credit", "渠道贡献"),
    "sheet_compounds": ("Compounds", "小区明细"),
    "sheet_lines": ("Lines", "项目明细"),
    "sheet_by_street": ("By street", "按街道"),
    "sheet_by_zone": ("By zone", "按片区"),
    "sheet_template": ("compounds", "小区"),
    "sheet_instructions": ("Instructions", "填写说明"),
    "total_row": ("Total", "合计"),
    # Chart and summary texts.
    "yuan_per_year": ("yuan/year", "元/年"),
    "year": ("Year", "年份"),
    "district": ("District", "全区"),
    "balance_end_yuan": ("Fund pool balance, end of year [yuan]", "年末资金池余额（元）"),
    "chart_waterfall": ("4+1 budget of compound {id}", "小区 {id} 的四管一补收支"),
    "chart_who_pays": ("Who pays, by {by}", "各{by}费用由谁承担"),
    "chart_projection": ("Fund pool balance by year", "资金池余额逐年变化"),
    "chart_bundle_map": ("{value} by compound; outlines: shared-property contracts",
                         "各小区{value}；方框：共享物业协议"),
    "chart_channel_credit": ("What each channel did to the balance",
                             "各渠道对收支差额的贡献"),
    "chart_payers": ("Who pays the district's services", "全区服务费用由谁承担"),
    "chart_amount_axis": ("Amount [yuan/year]", "金额（万元/年）"),
    "chart_balance_axis": ("Balance [yuan]", "余额（万元）"),
    "x_axis_m": ("x [m]", "横坐标（米）"),
    "y_axis_m": ("y [m]", "纵坐标（米）"),
    "net_change": ("Net change", "净变化"),
    "fee_income_yuan": ("Fee income [yuan/year]", "物业费收入（元/年）"),
    "net_yuan": ("Net [yuan/year]", "当年净额（元/年）"),
    # Projection and Monte Carlo.
    "first_negative_year": ("First year the pool is negative", "资金池首次为负的年份"),
    "never_negative": ("never", "不会为负"),
    "outflow_yuan": ("Spending [yuan/year]", "支出（元/年）"),
    "interest_yuan": ("Interest [yuan/year]", "利息（元/年）"),
    "baseline_contribution_yuan": ("Steady contribution keeping the pool >= 0 [yuan/year]",
                                   "使资金池不为负的每年稳定补充（元/年）"),
    "threshold_contribution_yuan": ("Steady contribution keeping the floor [yuan/year]",
                                    "保持最低余额的每年稳定补充（元/年）"),
    "baseline_fee_rate_yuan_per_m2_month": ("Fee rate keeping the pool >= 0 [yuan/m2/month]",
                                            "使资金池不为负的物业费标准（元/平方米/月）"),
    "p_pool_negative": ("Chance the pool is negative in some year", "资金池某年为负的概率"),
    "p_any_negative": ("Chance some pool is negative in some year",
                       "至少一个小区资金池某年为负的概率"),
    "subsidy_q05_yuan": ("Street subsidy, 5% [yuan/year]", "街道补贴 5% 分位（元/年）"),
    "subsidy_q50_yuan": ("Street subsidy, median [yuan/year]", "街道补贴中位数（元/年）"),
    "subsidy_q95_yuan": ("Street subsidy, 95% [yuan/year]", "街道补贴 95% 分位（元/年）"),
    "subsidy_mean_yuan": ("Street subsidy, mean [yuan/year]", "街道补贴平均值（元/年）"),
    # Channels.
    "self_governance": ("Residents' self-governance", "居民自治管"),
    "shared_property": ("Shared property", "共享物业承接管"),
    "street_fallback": ("Street/community fallback", "街道社区兜底管"),
    "smart_devices": ("Smart devices", "可视设备智慧管"),
    "public_income": ("Public-resource income", "公共资源收益补"),
    "direct": ("Compound's running costs", "小区运行费用"),
    # Payers.
    "residents_fees": ("Residents' fees", "居民物业费"),
    "pool_surplus_kept": ("Less: surplus kept in the pool", "减：资金池结余"),
    "street_services": ("Street services", "街道承担的服务"),
    "street_subsidy": ("Street subsidy (into the pool)", "街道补贴（转入资金池）"),
    "fund_pool": ("Compound fund pool", "小区资金池"),
    "lift_levy": ("Lift households' levy", "电梯单元住户分摊"),
    "street_office": ("Street office", "街道办事处"),
    "renovation_programme": ("Renovation programme", "老旧小区改造资金"),
    "volunteers_in_kind": ("Volunteers (in kind)", "志愿者（折算）"),
    # Official cost categories.
    **{code: (c.en, c.zh) for code, c in COST_CATEGORIES.items()},
}
"""Label -> (English, Chinese)."""

LABELS["market_channel"] = ("Market (work no channel supplies)", "市场采购（各渠道未承担的工作）")
for _ch in ("self_governance", "shared_property", "street_fallback", "smart_devices", "direct"):
    LABELS[f"hours_{_ch}"] = (f"Hours supplied: {LABELS[_ch][0]} [h/year]",
                              f"{LABELS[_ch][1]}承担工时（小时/年）")
LABELS["hours_market"] = ("Hours bought at market price [h/year]", "按市场价购买的工时（小时/年）")
LABELS["cost_market_yuan"] = ("Bought at market price [yuan/year]", "按市场价购买（元/年）")
for _ch in ("self_governance", "shared_property", "street_fallback", "smart_devices", "direct"):
    LABELS[f"cost_{_ch}_yuan"] = (f"{LABELS[_ch][0]} [yuan/year]", f"{LABELS[_ch][1]}（元/年）")
for _ch in ("shared_property", "self_governance", "street_fallback", "smart_devices",
            "public_income"):
    LABELS[f"contribution_{_ch}_yuan"] = (f"Contribution: {LABELS[_ch][0]} [yuan/year]",
                                          f"贡献：{LABELS[_ch][1]}（元/年）")
for _p in ("fund_pool", "lift_levy", "street_office", "renovation_programme",
           "volunteers_in_kind"):
    LABELS[f"paid_by_{_p}_yuan"] = (f"Paid by {LABELS[_p][0].lower()} [yuan/year]",
                                    f"{LABELS[_p][1]}承担（元/年）")
for _r in ROLES:
    LABELS[f"headcount_fte_{_r}"] = (f"Staff: {_r} [FTE]", f"{_ROLE_ZH[_r]}人员（人）")
    LABELS[f"staff_{_r}_yuan"] = (f"Staff cost: {_r} [yuan/year]",
                                  f"{_ROLE_ZH[_r]}人员费用（元/年）")
    LABELS[f"staff_{_r}"] = (f"Staff: {_r}", f"{_ROLE_ZH[_r]}人员费用")
    LABELS[f"market_heads_{_r}"] = (f"Market staff: {_r} [FTE]", f"市场化{_ROLE_ZH[_r]}人员（人）")
for _code, _en, _zh in (
    ("upkeep", "Running and upkeep of shared parts", "共用部位共用设施设备日常运行维护费"),
    ("common_electricity", "Common electricity", "公共用电"),
    ("common_water", "Common water", "公共用水"),
    ("consumables", "Consumables", "公共部位耗材"),
    ("lift_electricity", "Lift electricity", "电梯用电"),
    ("cleaning_materials", "Cleaning materials", "清洁卫生材料费"),
    ("greening_materials", "Greening materials", "绿化养护材料费"),
    ("office", "Office", "办公费用"),
    ("insurance", "Insurance", "公共责任保险费"),
    ("depreciation", "Depreciation", "固定资产折旧"),
    ("overhead", "Head-office overhead share", "管理费分摊"),
    ("contract_margin", "Contract margin", "共享物业酬金"),
    ("contract_fixed_fee", "Contract fixed fee", "共享物业固定服务费"),
    ("contract_travel", "Travel between compounds", "跨小区交通协调费"),
    ("callout_drive", "Call-out crew's drive between compounds", "上门服务在小区之间的行车费"),
    ("other", "Other costs approved by the owners", "经业主同意的其它费用"),
):
    LABELS.setdefault(_code, (_en, _zh))
    LABELS[f"{_code}_yuan"] = (f"{_en} [yuan/year]", f"{_zh}（元/年）")


# The 4+1 model's columns, kinds and lines.
for _code, _en, _zh in (
    ("market_depreciation", "Market company: depreciation", "市场化物业：固定资产折旧"),
    ("market_overhead", "Market company: head-office overhead", "市场化物业：管理费分摊"),
    ("market_margin", "Market company: profit", "市场化物业：利润"),
    ("market_vat", "Market company: VAT", "市场化物业：增值税"),
    ("market_surcharges", "Market company: surcharges", "市场化物业：附加税费"),
    ("market_garbage", "Garbage removal at market price", "垃圾清运（市场价）"),
    ("market_lift_maintenance", "Lift maintenance contract", "电梯维保合同"),
    ("market_lift_inspection", "Lift statutory inspection", "电梯法定检验"),
    ("standing", "Standing post", "常设岗位"),
    ("informal", "Informal hire", "劳务协议"),
    ("running", "Running cost", "运行费用"),
    ("capital", "Capital", "资本投入"),
    ("in_kind", "In kind", "志愿折算"),
    ("service", "Street service", "街道服务"),
    ("gate_remote_help", "Remote help of device-only gates", "无人值守门岗远程协助"),
    ("gate_live_in", "Live-in gatekeeper", "住家门卫"),
):
    LABELS[_code] = (_en, _zh)
_WORK_ZH: Final = {"cleaning": "保洁", "greening": "绿化", "management": "管理/客服",
                   "gate": "门岗", "patrol": "巡逻", "garbage": "垃圾清运", "lift": "电梯维保"}
_WORK_EN: Final = {"cleaning": "cleaning", "greening": "greening",
                   "management": "management", "gate": "gate keeping", "patrol": "patrol",
                   "garbage": "garbage removal", "lift": "lift care"}
for _w in ("garbage", "lift"):  # work that only the street or a licensed unit does
    LABELS.setdefault(_w, (_WORK_EN[_w].capitalize(), _WORK_ZH[_w]))
for _w in FIXED_CATEGORIES:
    LABELS.setdefault(f"informal_{_w}", (f"Informal hire: {_WORK_EN[_w]}",
                                         f"劳务协议：{_WORK_ZH[_w]}"))
    LABELS.setdefault(f"market_{_w}", (f"Bought at market price: {_WORK_EN[_w]}",
                                       f"市场价购买：{_WORK_ZH[_w]}"))
    LABELS.setdefault(f"contract_staff_{_w}", (f"Contract staff: {_WORK_EN[_w]}",
                                               f"共享物业常设岗位：{_WORK_ZH[_w]}"))
    LABELS.setdefault(f"demand_{_w}", (f"Needed: {_WORK_EN[_w]}", f"需要量：{_WORK_ZH[_w]}"))
WORDS: Final[dict[str, tuple[str, str]]] = {
    # Per-use jobs, street services, devices, volunteer tasks, gate regimes.
    "pipe_dredging": ("pipe dredging", "管道疏通"),
    "stairwell_repair": ("stairwell repair", "楼道维修"),
    "septic_tank_pumping": ("septic-tank pumping", "化粪池清掏"),
    "water_tank_cleaning": ("water-tank cleaning", "水箱清洗"),
    "small_water_repairs": ("small water repairs", "小型水路维修"),
    "small_electrical_repairs": ("small electrical repairs", "小型电路维修"),
    "roof_leak_repair": ("roof-leak repair", "屋面防漏维修"),
    "stairwell_lighting_repair": ("stairwell-lighting repair", "楼道照明维修"),
    "snow_clearing": ("snow clearing", "清雪"),
    "fire_equipment_service": ("fire-equipment service", "消防设施维保"),
    "express_lockers": ("express lockers", "快递柜"),
    "ev_chargers": ("EV chargers", "充电桩"),
    "base_stations": ("base stations", "通信基站"),
    "site_fees": ("site fees", "场地占用费"),
    "remote_help": ("remote help", "远程协助"),
    "live_in": ("live-in gatekeeper", "住家门卫"),
    "road_levelling": ("road levelling", "道路平整"),
    "wall_repair": ("wall repair", "墙面维修"),
    "wall_maintenance": ("wall maintenance", "墙面维护"),
    "roof_repair": ("roof repair", "屋面维修"),
    "drain_clearing": ("drain clearing", "下水道疏通"),
    "lighting_repair": ("lighting repair", "照明维修"),
    "tree_pruning": ("tree pruning", "树木修剪"),
    "pest_control": ("pest control", "病虫害及四害防治"),
    "deep_cleaning": ("deep cleaning", "集中保洁"),
    "garbage_removal": ("garbage removal", "垃圾清运"),
    "grid_workers": ("grid workers", "网格员"),
    "access_control": ("access control", "门禁"),
    "cameras": ("cameras", "监控摄像头"),
    "smart_parking": ("smart parking", "智能停车"),
    "speakers": ("speakers", "广播音箱"),
    "smart_door": ("smart door security", "智能门禁"),
    "fire_extinguisher_checks": ("fire-extinguisher checks", "消防器材检查"),
    "greening": ("greening", "绿化养护"),
    "in_building_cleaning": ("in-building cleaning", "楼内保洁"),
    "mediation": ("mediation", "矛盾调解"),
    "patrol": ("patrol", "治安巡逻"),
    "stairwell_lighting": ("stairwell lighting", "楼道照明"),
    "legal_education": ("legal education", "法治宣传"),
    "gate": ("gate", "门岗"),
    "staffed_24h": ("staffed 24 h", "24小时值守"),
    "staffed_16h": ("staffed 16 h", "16小时值守"),
    "live_in_gatekeeper": ("live-in gatekeeper", "驻守门卫"),
    "device_only": ("devices only, remote help", "设备值守、远程协助"),
    "advertising": ("advertising", "广告"),
    "site_leases": ("site leases", "场地租赁"),
    "parking": ("parking", "停车"),
    "renovation": ("renovation", "改造"),
    "cleaning": ("cleaning", "保洁"),
    "order": ("order and security", "秩序维护"),
    "management": ("management and customer service", "管理/客服"),
    "cameras_gate": ("cameras at the gates", "出入口监控"),
    "cameras_building": ("cameras at the buildings", "楼栋监控"),
    "advertising_buildings": ("advertising in buildings", "楼道广告"),
    "advertising_gates": ("advertising at the gates", "出入口广告"),
}
"""Parts of line codes (jobs, devices, volunteer tasks, gate regimes) -> (English, Chinese)."""

# Prefix or suffix of a code -> (English pattern, Chinese pattern); ``{}`` is the rest.
_PREFIXES: Final[tuple[tuple[str, str, str], ...]] = (
    ("job_", "Per-use job: {}", "按次服务：{}"),
    ("device_", "Smart devices: {}", "智能设备：{}"),
    ("volunteer_", "Volunteers: {}", "志愿服务：{}"),
    ("street_", "Street fallback: {}", "街道兜底：{}"),
    ("gate_", "Gate: {}", "门岗：{}"),
    ("income_", "Public income: {}", "公共资源收益：{}"),
    ("market_job_", "Bought at market price: {}", "市场价购买：{}"),
    ("market_", "Bought at market price: {}", "市场价购买：{}"),
    ("demand_", "Needed: {}", "需要量：{}"),
    ("contract_", "Shared-property contract: {}", "共享物业：{}"),
    ("cost_", "{} [yuan/year]", "{}（元/年）"),
    ("paid_by_", "Paid by {}", "{}承担"),
    ("contribution_", "Contribution: {}", "贡献：{}"),
    ("hours_", "Hours supplied: {} [h/year]", "{}承担工时（小时/年）"),
)
_SUFFIXES: Final[tuple[tuple[str, str, str], ...]] = (
    ("_yuan", "{} [yuan/year]", "{}（元/年）"),
    ("_callout", "{} (call-outs)", "{}（上门费）"),
    ("_capital", "{} (capital)", "{}（购置）"),
    ("_running", "{} (running)", "{}（运行维护）"),
    ("_time", "{} (time, in kind)", "{}（工时折算）"),
    ("_materials", "{} (materials)", "{}（材料）"),
)


def _lookup(code: str, lang: Language, part: bool) -> str | None:
    pair = (WORDS.get(code) or LABELS.get(code)) if part else (LABELS.get(code)
                                                               or WORDS.get(code))
    if pair is not None:
        return pair[0] if lang == "en" else pair[1]
    return None


def _generated(code: str, lang: Language, depth: int = 0) -> str | None:
    """A label built from a known prefix or suffix and a known rest, or ``None``."""
    known = _lookup(code, lang, depth > 0)
    if known is not None or depth > 3:
        return known
    for suffix, en, zh in _SUFFIXES:
        if code.endswith(suffix) and len(code) > len(suffix):
            rest = _generated(code[: -len(suffix)], lang, depth + 1)
            if rest is not None:
                return (en if lang == "en" else zh).format(rest.removesuffix(" [yuan/year]")
                                                           .removesuffix("（元/年）"))
    for prefix, en, zh in _PREFIXES:
        if code.startswith(prefix) and len(code) > len(prefix):
            tail = code[len(prefix):]
            rest = _generated(tail, lang, depth + 1) or tail.replace("_", " ")
            return (en if lang == "en" else zh).format(rest)
    return None


def label(code: str, lang: Language = "en") -> str:
    """The label of a column name or code in English or Chinese.

    A code without an entry in :data:`LABELS` is labelled from its parts (a known prefix
    such as ``job_``, ``device_``, ``volunteer_``, ``street_``, ``cost_``, ``paid_by_``,
    a known suffix such as ``_capital``, ``_time``, ``_yuan``, and a known word of
    :data:`WORDS`); a code with no known part is returned as it is.

    Parameters
    ----------
    code
        Column name or value code.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> label("street_subsidy_yuan", "zh")
    '街道补贴（元/年）'
    >>> label("job_pipe_dredging", "zh")
    '按次服务：管道疏通'
    >>> label("device_cameras_capital")
    'Smart devices: cameras (capital)'
    >>> label("job_chimney_sweeping", "zh")
    '按次服务：chimney sweeping'
    >>> label("no_such_code", "zh")
    'no_such_code'
    """
    found = _generated(code, lang)
    return code if found is None else found


UNITS: Final[dict[str, tuple[str, str]]] = {
    "1": ("", ""),
    "-": ("", ""),
    "1/year": ("1/year", "每年"),
    "FTE": ("FTE", "人（全时）"),
    "compounds/trip": ("compounds/trip", "个小区/趟"),
    "h/(building day)": ("h/(building day)", "小时/（栋·日）"),
    "h/year": ("h/year", "小时/年"),
    "households/staff": ("households/staff", "户/人"),
    "kg/(household day)": ("kg/(household day)", "千克/（户·日）"),
    "m/(unit storey)": ("m/(unit storey)", "米/（单元·层）"),
    "m2/staff": ("m2/staff", "平方米/人"),
    "m2/tree": ("m2/tree", "平方米/棵"),
    "persons/household": ("persons/household", "人/户"),
    "uses/(unit year)": ("uses/(unit year)", "次/（单元·年）"),
    "uses/visit": ("uses/visit", "次/趟"),
    "yuan": ("yuan", "元"),
    "yuan/(gate year)": ("yuan/(gate year)", "元/（出入口·年）"),
    "yuan/(household year)": ("yuan/(household year)", "元/（户·年）"),
    "yuan/(lift year)": ("yuan/(lift year)", "元/（部·年）"),
    "yuan/(m2 month)": ("yuan/(m2 month)", "元/（平方米·月）"),
    "yuan/(m2 year)": ("yuan/(m2 year)", "元/（平方米·年）"),
    "yuan/(staff year)": ("yuan/(staff year)", "元/（人·年）"),
    "yuan/(unit year)": ("yuan/(unit year)", "元/（单元·年）"),
    "yuan/(item year)": ("yuan/(item year)", "元/（个·年）"),
    "yuan/(compound year)": ("yuan/(compound year)", "元/（小区·年）"),
    "yuan/h": ("yuan/h", "元/小时"),
    "yuan/km": ("yuan/km", "元/千米"),
    "yuan/month": ("yuan/month", "元/月"),
    "yuan/t": ("yuan/t", "元/吨"),
    "yuan/unit": ("yuan/unit", "元/套"),
    "yuan/use": ("yuan/use", "元/次"),
    "yuan/visit": ("yuan/visit", "元/趟"),
    "yuan/year": ("yuan/year", "元/年"),
}
"""Units of the parameter file as a reader writes them, in English and Chinese."""


def unit_label(unit: str, lang: Language = "en") -> str:
    """A unit of the parameter file as a reader writes it (``yuan/(m2 month)`` -> 元/（平方米·月）).

    Parameters
    ----------
    unit
        A unit as the parameter file writes it.
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str
        The unit in ``lang`` (empty for a pure number); a unit :data:`UNITS` does not
        know is returned as it is.

    Examples
    --------
    >>> unit_label("yuan/(m2 month)", "zh"), unit_label("1", "zh")
    ('元/（平方米·月）', '')
    """
    pair = UNITS.get(unit)
    return unit if pair is None else pair[0 if lang == "en" else 1]


PLAN_LABELS: Final[dict[str, tuple[str, str]]] = {
    "xinghualing": ("Xinghualing 4+1 plan", "杏花岭“四管一补”方案"),
    "shared_staffed": ("Shared property with standing posts", "共享物业（常设岗位）方案"),
}
"""The built-in plans by the names a reader knows."""


def plan_label(name: str | None, lang: Language = "en") -> str:
    """A built-in plan's name for a reader; ``None`` (a plan of the user's own) reads
    "the plan given" / 自定方案.

    Examples
    --------
    >>> plan_label("xinghualing", "zh"), plan_label(None)
    ('杏花岭“四管一补”方案', 'the plan given')
    """
    if name is None:
        return "the plan given" if lang == "en" else "自定方案"
    pair = PLAN_LABELS.get(name)
    return name if pair is None else pair[0 if lang == "en" else 1]


_CONTRACT_KINDS: Final[dict[str, tuple[str, str]]] = {
    "zone": ("Zone {}", "片区 {}"),
    "street": ("Street {}", "街道 {}"),
    "alone": ("{} (alone)", "{}（单独）"),
}
"""How the codes of a contract the plan makes (``zone:<zone>``, ``street:<street>``,
``alone:<compound id>``) read."""


def contract_name(bundle_id: str, lang: Language = "en",
                  names: Mapping[str, str] | None = None) -> str:
    """The name a planner reads for a shared-property contract, from its code.

    The plan names the contracts it makes by a code (``zone:Z001``, ``street:Sanqiao``,
    ``alone:SQ007``, see :class:`propfee.plan.PlanArrays`); this is the one place a
    code becomes a name. A bundle id given by the planner or the optimiser (``B-SQ001``)
    is its own name.

    Parameters
    ----------
    bundle_id
        The contract's code (the ``bundle_id`` column of a budget).
    lang
        ``"en"`` or ``"zh"``.
    names
        Compound id -> compound name, for a compound alone; ``None`` or a missing or
        empty name: the id.

    Returns
    -------
    str

    Examples
    --------
    >>> contract_name("zone:Z001"), contract_name("zone:Z001", "zh")
    ('Zone Z001', '片区 Z001')
    >>> contract_name("alone:SQ007", names={"SQ007": "机床厂宿舍"})
    '机床厂宿舍 (alone)'
    >>> contract_name("zone:一片区", "zh"), contract_name("alone:SQ007", "zh")
    ('一片区', 'SQ007（单独）')
    >>> contract_name("B-SQ001")
    'B-SQ001'
    """
    kind, sep, rest = str(bundle_id).partition(":")
    pattern = _CONTRACT_KINDS.get(kind) if sep and rest else None
    if pattern is None:
        return str(bundle_id)
    if kind == "alone" and names is not None:
        rest = names.get(rest) or rest
    if kind == "zone" and lang == "zh" and rest.endswith("区"):
        return rest  # 一片区, 东区: already a zone's name
    return pattern[0 if lang == "en" else 1].format(rest)


def is_cjk_text(text: str) -> bool:
    """Whether a text contains a Chinese, Japanese or Korean character.

    Examples
    --------
    >>> is_cjk_text("资金池"), is_cjk_text("pool")
    (True, False)
    """
    return any("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
               or "\uff00" <= ch <= "\uffef" for ch in text)


_VALUE_COLUMNS: Final = ("line", "channel", "category", "payer", "kind", "step",
                         "households_class", "work")


def _value_label(value: object, lang: Language) -> object:
    if isinstance(value, bool | np.bool_):
        return label("yes" if value else "no", lang)
    return label(str(value), lang)


def label_table(table: pd.DataFrame, lang: Language = "en") -> pd.DataFrame:
    """A copy of a result table with labelled columns and translated codes.

    Codes in the ``line``, ``channel``, ``category``, ``payer``, ``kind``, ``step`` and
    ``households_class`` columns (and in an index of one of these names) are translated;
    boolean columns become Yes/No (是/否).

    Parameters
    ----------
    table
        A result table (budget compounds or lines, baseline, summaries).
    lang
        ``"en"`` or ``"zh"``.

    Returns
    -------
    pandas.DataFrame
        The labelled copy (same rows, same order).
    """
    out = table.copy()
    for column in out.columns:
        if column in _VALUE_COLUMNS:
            out[column] = out[column].map(lambda v: _value_label(v, lang))
        elif out[column].dtype == bool:
            out[column] = out[column].map(lambda v: _value_label(bool(v), lang))
    if out.index.name in _VALUE_COLUMNS:
        out.index = out.index.map(lambda v: _value_label(v, lang))
    out.columns = [label(str(c), lang) for c in out.columns]
    if out.index.name is not None:
        out.index.name = label(str(out.index.name), lang)
    return out


MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # The whole file.
    "no_file": ("no such file", "找不到该文件"),
    "is_folder": ("is a folder, not a file", "这是文件夹，不是文件"),
    "bad_suffix": ("read .csv, .xlsx or .parquet files", "只能读取 .csv、.xlsx 或 .parquet 文件"),
    "xls_file": ("an Excel 97-2003 workbook (.xls): open it in Excel and save it as an Excel "
                 "Workbook (.xlsx)",
                 "这是 Excel 97-2003 工作簿（.xls）：请在 Excel 中打开，"
                 "另存为“Excel 工作簿（.xlsx）”"),
    "cannot_read": ("cannot read: {reason}", "无法读取：{reason}"),
    "too_big": ("the file has {size:,} bytes and propfee reads at most {limit:,}; {hint}",
                "文件有 {size:,} 字节，超过上限 {limit:,} 字节；{hint}"),
    "too_big_hint_table": ("split the district into several files, or write it as Parquet",
                           "请把全区拆成几个文件，或另存为 Parquet"),
    "too_big_hint_plan": ("a plan takes a few kilobytes; check that this is a plan file",
                          "方案文件通常只有几千字节，请确认这是方案文件"),
    "empty": ("the file is empty", "文件是空的"),
    "not_excel": ("not an Excel workbook", "不是 Excel 工作簿"),
    "looks_text": ("not an Excel workbook: it is text; if it is a CSV table, name it .csv",
                   "不是 Excel 工作簿，而是文本文件；若为 CSV 表格，请把扩展名改为 .csv"),
    "encrypted": ("the workbook is protected by a password (encrypted); open it in Excel, "
                  "remove the password (File > Info > Protect Workbook > Encrypt with "
                  "Password) and save it",
                  "工作簿设有打开密码（已加密）：请在 Excel 中打开，取消密码（文件 > 信息 > "
                  "保护工作簿 > 用密码进行加密）后保存"),
    "xls_renamed": ("an Excel 97-2003 workbook (.xls) named {suffix}; open it in Excel and "
                    "save it as an Excel Workbook (.xlsx)",
                    "这是扩展名被改为 {suffix} 的 Excel 97-2003 工作簿（.xls）：请在 Excel 中"
                    "打开，另存为“Excel 工作簿（.xlsx）”"),
    "ole_file": ("an older Office file, not an Excel workbook (.xlsx)",
                 "这是旧版 Office 文件，不是 Excel 工作簿（.xlsx）"),
    "html_file": ("a web page (HTML) named {suffix}, as some systems export tables; open it in "
                  "Excel and save it as an Excel Workbook (.xlsx)",
                  "这是扩展名为 {suffix} 的网页（HTML）文件（有些系统这样导出表格）：请在 Excel 中"
                  "打开，另存为“Excel 工作簿（.xlsx）”"),
    "bad_workbook": ("cannot read the workbook: {reason}", "无法读取该工作簿：{reason}"),
    "workbook_too_big": ("the workbook unpacks to {size:,} bytes, more than {limit:,}",
                         "工作簿解压后有 {size:,} 字节，超过上限 {limit:,} 字节"),
    "no_sheet": ("no sheet {sheet}; the sheets are {names}",
                 "没有工作表 {sheet}；现有工作表：{names}"),
    "no_visible_sheet": ("the workbook has no visible worksheet", "工作簿中没有可见的工作表"),
    "empty_sheet": ("the sheet is empty", "工作表是空的"),
    "unknown_encoding": ("unknown encoding {encoding}; try utf-8, gb18030 or utf-16",
                         "未知编码 {encoding}；可试 utf-8、gb18030 或 utf-16"),
    "cannot_decode": ("cannot decode the text as {how} (byte {byte}); pass the encoding "
                      "(--encoding)",
                      "无法按 {how} 解码文本（第 {byte} 字节）；请用 --encoding 指定编码"),
    "ragged_more": ("the rows have more cells than the header has names",
                    "数据行的单元格多于表头的列名"),
    "ragged_row": ("row {row} has {cells} cells but the header has {header}",
                   "第 {row} 行有 {cells} 个单元格，表头只有 {header} 个"),
    "bad_table": ("cannot read the table: {reason}", "无法读取表格：{reason}"),
    "bad_parquet": ("not a readable Parquet file: {reason}", "不是可读取的 Parquet 文件：{reason}"),
    "bad_json": ("not valid JSON: {reason}", "不是有效的 JSON：{reason}"),
    "plan_number": ("larger than {limit:g} in size: no value of a plan comes near it",
                    "数值超过 {limit:g}：方案中的任何数值都不会这么大"),
    # A column.
    "parquet_type": ("holds {kind}; propfee reads numbers or text",
                     "该列为{kind}；只能读取数值或文本"),
    "binary_text": ("holds bytes that are not UTF-8 text", "含有不是 UTF-8 文本的字节"),
    "unknown_column": ("unknown column; {hint}map it with --column '{header}=COLUMN' "
                       "(mapping={{header: column}} in Python)",
                       "无法识别的列；{hint}可用 --column '{header}=列名' 指定"),
    "did_you_mean": ("did you mean {close!r} ({column})? ", "是否指 {close}（{column}）？"),
    "second_column": ("a second column for {name!r}", "与另一列同为 {name}"),
    "unknown_unit": ("unknown unit for {name!r}; known: {known}",
                     "{name} 的单位无法识别；可用：{known}"),
    "not_a_column": ("{column!r} is not a compound column{hint}", "{column} 不是小区表的列{hint}"),
    "missing_column": ("missing column", "缺少此列"),
    "no_rows": ("the table has no rows", "表中没有数据行"),
    "merged_header": ("the header cell is merged with the cells below ({range}); unmerge it",
                      "表头单元格与下方单元格合并（{range}）：请取消合并"),
    "merged_across": ("cells merged across columns ({range}); unmerge them and type each "
                      "column's value",
                      "单元格跨列合并（{range}）：请取消合并，分别填写各列"),
    "merged_amount": ("cells merged over rows {first}-{last} ({range}): is {shown} each "
                      "compound's or their total? Unmerge them and type each row's value",
                      "单元格跨第 {first}-{last} 行合并（{range}）：{shown} 是每个小区的数"
                      "还是合计？请取消合并，逐行填写"),
    "merged_id": ("cells merged over rows {first}-{last} ({range}); each compound needs its "
                  "own id",
                  "单元格跨第 {first}-{last} 行合并（{range}）：每个小区须有自己的编号"),
    "formula": ("a formula propfee cannot compute ({reason}): {formula}; open the file in "
                "Excel and save it, or type the value",
                "公式无法计算（{reason}）：{formula}；请在 Excel 中打开并保存，或直接填写数值"),
    # A cell.
    "rule_positive_int": ("must be a positive whole number", "应为正整数"),
    "rule_nonneg_int": ("must be a whole number, 0 or more", "应为非负整数"),
    "rule_int_between": ("must be a whole number from {low} to {high}",
                         "应为 {low} 到 {high} 之间的整数"),
    "rule_int_from": ("must be a whole number, {low} or more", "应为不小于 {low} 的整数"),
    "rule_positive": ("must be a number greater than 0", "应为大于 0 的数"),
    "rule_nonneg": ("must be a number, 0 or more", "应为非负数"),
    "rule_between": ("must be a number from {low} to {high}", "应为 {low} 到 {high} 之间的数"),
    "rule_share": ("must be a share from 0 to 1 (0.8, or 80%)",
                   "应为 0 到 1 之间的比例（如 0.8 或 80%）"),
    "rule_number": ("must be a number", "应为数值"),
    "at_most": ("must be at most {high}", "应不大于 {high}"),
    "subnormal": ("is too close to 0 to compute with (below {tiny:g}); type 0 or a larger "
                  "number", "过于接近 0，无法计算（小于 {tiny:g}）；请填 0 或更大的数"),
    "missing": ("is required; the cell is empty", "为必填项，单元格为空"),
    "too_long": ("is longer than {limit} characters", "超过 {limit} 个字符"),
    "control": ("holds a control character", "含有控制字符"),
    "not_text": ("must be text", "应为文本"),
    "duplicate_id": ("the same id as another row (after trimming spaces)",
                     "与其他行编号相同（去掉首尾空格后）"),
    "no_area": ("give the floor area, in total or per household",
                "请填写建筑面积（总面积或户均面积）"),
    "area_disagrees": ("disagrees with the floor area per household x households = {derived}",
                       "与户均面积 × 户数 = {derived} 不符"),
    "area_too_big": ("x households = {derived} m2, more than {limit}",
                     "乘以户数为 {derived} 平方米，超过 {limit}"),
    # Head lines and confirmations.
    "in_file": ("compound file {path}", "小区文件 {path}"),
    "in_plan": ("plan file {path}", "方案文件 {path}"),
    "in_overrides": ("overrides file {path}", "部件调整文件 {path}"),
}
"""Message code -> (English, Chinese) template; fill with :func:`message`."""


def message(code: str, lang: Language = "en", **values: object) -> str:
    """A message in English or Chinese from its code and the values it names.

    Parameters
    ----------
    code
        A key of :data:`MESSAGES`.
    lang
        ``"en"`` or ``"zh"``.
    **values
        The values the template names.

    Returns
    -------
    str

    Examples
    --------
    >>> message("rule_int_between", "zh", low=1900, high=2100)
    '应为 1900 到 2100 之间的整数'
    >>> message("too_long", limit=100)
    'is longer than 100 characters'
    """
    en, zh = MESSAGES[code]
    return (zh if lang == "zh" else en).format(**values)
MESSAGES.update({
    "no_header": ("a column without a header holds values; type its header",
                  "此列没有表头却有数据；请填写表头"),
    "totals_row": ("looks like a totals row ({value}); remove it: propfee adds up the "
                   "compounds itself",
                   "看起来是合计行（{value}）：请删除，propfee 会自行汇总"),
})
