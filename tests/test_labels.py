"""Every code a result carries has a Chinese label; unknown codes get one from their parts."""

from __future__ import annotations

import pandas as pd
import pytest

import propfee as pf
from propfee.labels import is_cjk_text, label, label_table


@pytest.fixture(scope="module")
def budget() -> pf.DistrictBudget:
    return pf.evaluate_district(pf.datasets.sanqiao_like_street())


def test_every_line_code_has_a_chinese_label(budget) -> None:
    codes = sorted(set(budget.lines["line"]))
    missing = [c for c in codes if not is_cjk_text(label(c, "zh"))]
    assert not missing, f"add to propfee.labels (LABELS or WORDS): {missing}"
    untranslated_en = [c for c in codes if label(c, "en") == c]
    assert not untranslated_en


def test_every_value_code_and_column_has_a_chinese_label(budget) -> None:
    lines = budget.lines
    for column in ("channel", "category", "payer") + (("kind",) if "kind" in lines else ()):
        missing = [c for c in set(lines[column]) if not is_cjk_text(label(c, "zh"))]
        assert not missing, column
    missing = [c for c in budget.compounds.columns if not is_cjk_text(label(c, "zh"))]
    assert not missing


@pytest.mark.parametrize(("code", "zh", "en"), [
    ("job_pipe_dredging", "按次服务：管道疏通", "Per-use job: pipe dredging"),
    ("job_chimney_sweeping", "按次服务：chimney sweeping", "Per-use job: chimney sweeping"),
    ("device_cameras_running", "智能设备：监控摄像头（运行维护）",
     "Smart devices: cameras (running)"),
    ("volunteer_patrol_time", "志愿服务：治安巡逻（工时折算）",
     "Volunteers: patrol (time, in kind)"),
    ("gate_staffed_24h", "门岗：24小时值守", "Gate: staffed 24 h"),
    ("cost_shared_property_yuan", "共享物业承接管（元/年）", "Shared property [yuan/year]"),
    ("net_public_cost_yuan", "公共财政净支出（元/年）", "Net public cost [yuan/year]"),
    ("market_baseline_balance_yuan", "市场化基准收支差额（元/年）",
     "Market baseline balance [yuan/year]"),
    ("market_job_pipe_dredging_callout", "市场价购买：管道疏通（上门费）",
     "Bought at market price: pipe dredging (call-outs)"),
    ("informal_cleaning", "劳务协议：保洁", "Informal hire: cleaning"),
    ("per_use", "按次", "Per use"),
    ("nothing_known", "nothing_known", "nothing_known"),
])
def test_generated_labels(code: str, zh: str, en: str) -> None:
    assert label(code, "zh") == zh
    assert label(code, "en") == en


def test_label_table_translates_values_and_booleans() -> None:
    table = pd.DataFrame({"step": ["market baseline", "shared_property"],
                          "pool_non_negative": [True, False], "yuan": [1.0, 2.0]})
    zh = label_table(table, "zh")
    assert list(zh.columns) == ["步骤", "资金池不为负", "金额（元/年）"]
    assert zh["步骤"].tolist() == ["市场化基准（市场化物业单独服务）", "共享物业承接管"]
    assert zh["资金池不为负"].tolist() == ["是", "否"]
    summary = label_table(pf.report.summarise_budget(
        pf.evaluate_district(pf.datasets.sanqiao_like_street().head(6))), "zh")
    assert summary.index.tolist()[-1] == "合计"
    assert summary.index.tolist()[0] == "不足100户"
