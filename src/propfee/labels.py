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

from typing import Final, Literal

import numpy as np
import pandas as pd

from propfee.compound import COMPOUND_COLUMNS
from propfee.costs import COST_CATEGORIES
from propfee.staffing import ROLES

__all__ = ["LABELS", "WORDS", "Language", "is_cjk_text", "label", "label_table"]

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


# The 4+1 model's columns, kinds and lines.
for _code, _en, _zh in (
    ("channel_base_balance_yuan", "Balance with no channel [yuan/year]",
     "无任何渠道时的收支差额（元/年）"),
    ("unmet_fte", "Demand no channel met [FTE]", "未满足的人员需求（人）"),
    ("replaced_fte_shared_property", "Staff taken over: Shared property [FTE]",
     "共享物业承接人员（人）"),
    ("replaced_fte_direct", "Staff hired informally [FTE]", "小区自聘人员（人）"),
    ("no channel", "No channel (market company alone)", "无渠道（市场化物业单独服务）"),
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
for _r in ROLES:
    LABELS[f"informal_{_r}"] = (f"Informal hire: {_r}", f"劳务协议{_ROLE_ZH[_r]}人员")
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
    "maintenance": ("maintenance", "维修"),
    "management": ("management and customer service", "管理/客服"),
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
    ("contract_", "Shared-property contract: {}", "共享物业：{}"),
    ("cost_", "{} [yuan/year]", "{}（元/年）"),
    ("paid_by_", "Paid by {}", "{}承担"),
    ("contribution_", "Contribution: {}", "贡献：{}"),
    ("baseline_", "Baseline: {}", "基准：{}"),
    ("replaced_fte_", "Staff taken over: {} [FTE]", "{}替代人员（人）"),
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
    '街道兜底补贴（元/年）'
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
                         "households_class")


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
