"""What a planner reads of a bundling: fair shares, savings against alone and today's zones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import propfee as pf
from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles
from propfee.bundling.report import (
    BundleComparison,
    compare_bundles,
    summary_rows,
    write_bundle_workbook,
)
from propfee.cli import app
from propfee.compound import validate_compounds
from propfee.money import yuan_to_fen

pytest.importorskip("highspy")

runner = CliRunner()


def _compare(frame: pd.DataFrame, *, keep: bool = False,
             max_distance_m: float = 200.0) -> BundleComparison:
    table = validate_compounds(frame)
    game = BundleGame.from_district(table)
    problem = BundlingProblem(max_distance_m=max_distance_m, time_limit_s=10.0)
    return compare_bundles(game, table, optimise_bundles(game, problem), problem, keep=keep)


def _far_zones() -> pd.DataFrame:
    """Eight compounds 500 m apart, in two zones of four: no bundle within 100 m."""
    frame = pf.datasets.synthetic_district(8, seed=4)
    frame["x_m"] = np.arange(8) * 500.0
    frame["y_m"] = 0.0
    frame["zone"] = ["Z1"] * 4 + ["Z2"] * 4
    return frame


def _fen(column: pd.Series) -> np.ndarray:
    return yuan_to_fen(column.to_numpy())


def test_member_savings_add_up_to_the_bundles_saving_to_the_fen() -> None:
    c = _compare(pf.datasets.synthetic_district(40, seed=4))
    m, b = c.members, c.bundles.set_index("bundle_id")
    assert (b["members"] > 1).any()
    for bundle, rows in m.groupby("bundle_id"):
        assert _fen(rows["share_yuan"]).sum() == _fen(b.loc[[bundle], "contract_yuan"])[0]
        assert (_fen(rows["saving_vs_alone_yuan"]).sum()
                == _fen(b.loc[[bundle], "saving_vs_alone_yuan"])[0])
        assert (_fen(rows["saving_vs_zone_yuan"]).sum()
                == _fen(b.loc[[bundle], "saving_vs_zone_yuan"])[0])
        # Each saving is its own difference, in whole fen.
        np.testing.assert_array_equal(_fen(rows["saving_vs_alone_yuan"]),
                                      _fen(rows["alone_yuan"]) - _fen(rows["share_yuan"]))
        np.testing.assert_array_equal(_fen(rows["saving_vs_zone_yuan"]),
                                      _fen(rows["zone_share_yuan"]) - _fen(rows["share_yuan"]))
    # The fair share keeps every member at or below its cost alone (core, or Shapley in it).
    assert (_fen(m["saving_vs_alone_yuan"]) >= 0).all()
    # The totals are the bundles' and the zones' costs added up.
    assert c.totals_fen["bundles"]["cost"] == _fen(b["contract_yuan"]).sum()
    assert c.totals_fen["zones"]["cost"] == int(
        (_fen(m["zone_share_yuan"])).sum())


def test_bundles_worse_than_the_zones_are_said_in_words_and_kept_zones_mend_it() -> None:
    c = _compare(_far_zones(), max_distance_m=100.0)
    assert (c.members["members"] == 1).all()  # nobody within 100 m
    assert c.worse_in_total
    assert c.totals_fen["bundles"]["cost"] > c.totals_fen["zones"]["cost"]
    words = c.warnings("en")
    assert words
    assert all(w.startswith("Warning:") for w in words)
    assert "worse than today's zones in total" in words[0]
    assert "--keep-zones" in words[0]
    assert any("警告" in w for w in c.warnings("zh"))
    kept = _compare(_far_zones(), max_distance_m=100.0, keep=True)
    assert kept.kept_zones == ("zone:Z1", "zone:Z2")
    assert kept.warnings("en") == []
    assert kept.totals_fen["bundles"] == kept.totals_fen["zones"]
    assert (kept.members["saving_vs_zone_yuan"] == 0).all()
    assert set(kept.members["bundle_id"]) == {"zone:Z1", "zone:Z2"}


@pytest.mark.parametrize("seed", [1, 4, 9])
def test_no_warning_when_the_bundles_are_better(seed: int) -> None:
    # Today every compound is its own zone: the optimiser can only do as well or better,
    # and the fair share never charges a member more than alone.
    frame = pf.datasets.synthetic_district(30, seed=seed)
    frame["zone"] = frame["compound_id"]
    c = _compare(frame)
    assert not c.worse_in_total
    assert c.worse_members == ()
    assert c.warnings("en") == []
    assert c.warnings("zh") == []
    rows = dict(summary_rows(c))
    assert rows["Check"].startswith("no compound pays more")


def test_the_workbook_names_contracts_and_explains_the_objective(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    c = _compare(_far_zones(), max_distance_m=100.0)
    for lang in ("en", "zh"):
        path = write_bundle_workbook(tmp_path / f"b_{lang}.xlsx", c, labels=lang)  # type: ignore[arg-type]
        sheets = pd.read_excel(path, sheet_name=None, dtype=str)
        assert list(sheets) == (["Members", "Bundles", "Summary"] if lang == "en"
                                else ["组合成员", "组合", "摘要"])
        text = " ".join(str(v) for s in sheets.values() for v in s.to_numpy().ravel())
        assert "zone:" not in text  # names, never the plan's codes
        assert ("Zone Z1" if lang == "en" else "片区 Z1") in text
        summary = list(sheets.values())[2]
        said = " ".join(summary.iloc[:, 1])
        assert ("yuan/year" if lang == "en" else "元/年") in said
        assert ("Least street subsidy" if lang == "en" else "街道补贴最少") in said
        assert "objective" not in said.lower()
        assert ("Warning" if lang == "en" else "警告") in " ".join(summary.iloc[:, 0])
        assert "Warning: Warning" not in said  # said once, by the item
        # Every member's name is on the members sheet.
        members = next(iter(sheets.values()))
        assert set(members.iloc[:, 2]) == set(_far_zones()["name"])


def test_the_command_warns_and_keeps_the_zones(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    _far_zones().to_csv(src, index=False)
    out = tmp_path / "b.xlsx"
    args = ["bundle", str(src), "--max-distance", "100", "--time-limit", "5", "--out", str(out)]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "Warning: the proposed bundles are worse than today's zones" in done.output
    done = runner.invoke(app, [*args, "--keep-zones", "--labels", "zh"])
    assert done.exit_code == 0, done.output
    assert "警告" not in done.output
    assert "保留的片区：2 个片区保持不变" in done.output
    # The kept zones are bundles of the file: the budget is today's zones'.
    frame = _far_zones()
    by_file = pf.evaluate_district(frame, bundles=out).compounds
    today = pf.evaluate_district(frame).compounds
    cols = ["compound_id", "bundle_id", "street_subsidy_yuan", "cost_shared_property_yuan"]
    pd.testing.assert_frame_equal(by_file[cols], today[cols])
    bad = runner.invoke(app, ["bundle", str(src), "--out", str(tmp_path / "b.json")])
    assert bad.exit_code == 2


def test_shapley_of_many_candidates_is_the_split_of_each() -> None:
    from propfee.bundling.allocation import coalition_costs, shapley_exact
    from propfee.bundling.report import shapley_of_candidates

    frame = pf.datasets.synthetic_district(12, seed=4)
    game = BundleGame.from_district(frame)
    cands = np.array([[3, 0, 7, -1], [5, -1, -1, -1], [2, 9, -1, -1], [11, 1, 4, 6]])
    got = shapley_of_candidates(game, cands)
    for row, values in zip(cands, got, strict=True):
        members = row[row >= 0]
        want = shapley_exact(coalition_costs(game, members), len(members))
        np.testing.assert_allclose(values[row >= 0], want, rtol=0, atol=1e-6)
        assert np.isnan(values[row < 0]).all()


def test_keeping_the_zones_charges_nobody_more_and_keeps_what_the_bundles_gain() -> None:
    frame = pf.datasets.synthetic_district(40, seed=4)
    c = _compare(frame)
    assert c.worse_members  # the optimiser's bundles charge some members more
    kept = _compare(frame, keep=True)
    assert kept.worse_members == ()
    assert kept.warnings("en") == []
    assert kept.objective["bundles"] <= kept.objective["zones"] + 0.005
    # Not all or nothing: some zones stay, some give way, and the street pays less than
    # under the zones alone (no more than under the optimiser's own bundles).
    assert 0 < len(kept.kept_zones) < frame["zone"].nunique()
    t = kept.totals_fen
    assert c.totals_fen["bundles"]["subsidy"] <= t["bundles"]["subsidy"] < t["zones"]["subsidy"]


def test_the_workbook_prints_and_totals_the_bundles_to_the_fen(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    import datetime as dt

    from openpyxl import load_workbook

    c = _compare(pf.datasets.synthetic_district(12, seed=4))
    path = write_bundle_workbook(tmp_path / "b.xlsx", c, labels="zh",
                                 printed=dt.date(2026, 12, 6))
    book = load_workbook(path)
    assert book.sheetnames == ["组合成员", "组合", "摘要"]
    assert book.active.title == "摘要"
    for sheet in book.worksheets:  # A4 landscape, one page wide, header on every page
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.oddFooter.left.text == "制表日期：2026年12月6日"
    bundles = book["组合"]
    heads = [cell.value for cell in bundles[1]]
    last = bundles.max_row
    assert bundles.cell(row=last, column=1).value == "合计"
    assert last == len(c.bundles) + 2  # header, one row a bundle, the totals
    # Every money total is the sum of the rows' fen; the member count is not summed.
    for column in ("组合合同价（元/年）", "比单独节省（元/年）", "街道补贴（元/年）"):
        j = heads.index(column) + 1
        rows = [bundles.cell(row=r, column=j).value for r in range(2, last)]
        assert bundles.cell(row=last, column=j).value == int(
            sum(yuan_to_fen(np.array(rows, dtype=float)))) / 100
        assert bundles.cell(row=2, column=j).number_format == "#,##0.00"
    assert bundles.cell(row=last, column=heads.index("成员数") + 1).value is None
    # The members sheet has no totals row: it is read back as a bundle file.
    members = book["组合成员"]
    assert members.max_row == len(c.members) + 1
    first_column = [members.cell(row=r, column=1).value for r in range(1, members.max_row + 1)]
    assert "合计" not in first_column
