from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import propfee as pf
from propfee.cli import app, main

runner = CliRunner()


def test_demo_shows_the_source_figure_and_deficit() -> None:
    result = runner.invoke(app, ["demo", "--draws", "8"])
    assert result.exit_code == 0, result.output
    assert "60,000.00" in result.output
    # The source compound's market baseline at grade 4 (formal hiring, 2024 parameters;
    # one building, one stairwell unit, one gate, 1,000 m2 green, built 1990, age 34):
    # staff: cleaning 1,333.33 h = 0.67 post -> 1 post 38,520; greening 100 h -> half a
    #   post 19,260; management 285.71 h -> half a post 28,710; a 16 h gate 5,840 h = 2
    #   guards 111,816; patrol 54.75 h by the hour 54.75 / 2,920 x 55,908 = 1,048.28;
    #   4.01875 heads; depreciation 800 x 4.01875 = 3,215; overhead 5% of 202,569.275 =
    #   10,128.46; margin 8% 17,015.82, VAT 13,782.81, surcharges 1,653.94;
    # jobs at market price with a trip a visit: 14,879.05 (road levelling 3,636 + 909,
    #   snow 1,350 + 900, small water 1,132.80 + 708, ... at age factors 2.36, 2.02, 2.7);
    # waste 54.75 t x 120 = 6,570; running costs 200 + 500 + 3,000 + 2,400 + 3,000 + 500
    #   + 2,000 = 11,600; total 278,199.36; 42,000 - 278,199.36:
    assert "-236,199.36" in result.output
    # The conclusion comes first, in one sentence, with its intervals.
    first = " ".join(result.output.split("\n\n")[0].split())
    assert first.startswith("Conclusion: on the Sanqiao-like street (286 compounds, 220 under "
                            "100 households) the 4+1 plan (xinghualing) leaves 224 compounds "
                            "in deficit (90%: ")
    assert "street subsidy of 79.3 (90%: " in first
    assert "would leave 286 in deficit, 7,032.3 10k yuan a year short." in first
    assert "of 8 draws of the default ranges" in first
    assert "Street subsidy [10k yuan/year]" in result.output  # the 4+1 side
    assert "Smart devices" in result.output  # the channel credit
    assert "xinghualing" in result.output
    assert "shared_staffed" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 100


def test_demo_in_chinese_fits_100_columns_and_states_its_conclusion_first() -> None:
    """Chinese characters take two columns of a terminal."""
    import unicodedata

    result = runner.invoke(app, ["demo", "--labels", "zh", "--draws", "0"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("结论：三桥式街道 286 个小区（其中 220 个不足 100 户）按四管一补")
    assert "224 个入不敷出，街道每年需补贴 79.3 万元；" in lines[1]
    assert "区间" not in result.output.split("\n\n")[0]  # no draws, no interval
    assert "街道补贴（万元/年）" in result.output
    assert "四管一补资金池余额" in result.output

    def columns(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)

    assert max(columns(line) for line in lines) <= 100


def test_plans_lists_the_named_plans() -> None:
    result = runner.invoke(app, ["plans"])
    assert result.exit_code == 0, result.output
    names = [line.split(":")[0] for line in result.output.splitlines()]
    assert names == ["xinghualing", "shared_staffed"]


def test_help_on_every_command() -> None:
    for command in (["--help"], ["demo", "--help"], ["evaluate", "--help"], ["bundle", "--help"],
                    ["project", "--help"], ["montecarlo", "--help"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0
        assert "Usage" in result.output


def test_evaluate_writes_a_table(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    pd.DataFrame({"compound_id": ["a"], "households": [100], "floor_area_m2": [1e4],
                  "build_year": [1990]}).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    # 10,000 m2 x 0.5 yuan x 12 months x 70% collected = 42,000 yuan.
    assert table["Fee collected [yuan/year]"].tolist() == [42000.0]
    one = pf.evaluate(pf.Compound(compound_id="a", households=100, floor_area_m2=1e4,
                                  build_year=1990))
    assert table["Fund pool balance [yuan/year]"].tolist() == [one.pool_balance_yuan]
    assert table["Market baseline balance [yuan/year]"].tolist() == [
        one.market_baseline_balance_yuan]


def test_evaluate_with_a_plan_file(tmp_path: Path) -> None:
    from propfee.channels import PublicIncome
    from propfee.plan import default_plan

    src = tmp_path / "c.csv"
    pd.DataFrame({"compound_id": ["a"], "households": [100], "floor_area_m2": [1e4],
                  "build_year": [1990], "parking_spaces": [0]}).to_csv(src, index=False)
    plan = tmp_path / "plan.json"
    plan.write_text(default_plan().model_copy(update={"public_income": PublicIncome()}
                                              ).to_json(), encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["evaluate", str(src), "--plan", str(plan), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)["Public-resource income [yuan/year]"].tolist() == [0.0]


def _run_main(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> int:
    monkeypatch.setattr("sys.argv", ["propfee", *args])
    with pytest.raises(SystemExit) as info:
        main()
    return int(info.value.code or 0)


def test_bad_input_exits_1_and_lists_every_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("compound_id,households,floor_area_m2,build_year\n"
                   "a,0,100,1990\nb,10,-5,1990\n", encoding="utf-8")
    assert _run_main(monkeypatch, ["evaluate", str(src)]) == 1
    err = capsys.readouterr().err
    assert "row 2, column households: must be a positive whole number, got '0'" in err
    assert "row 3, column floor_area_m2: must be a number greater than 0, got '-5'" in err


def test_usage_error_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run_main(monkeypatch, ["demo", "--as-of", "yesterday"]) == 2
    assert _run_main(monkeypatch, ["no-such-command"]) == 2


def test_bundle_writes_the_assignment(tmp_path: Path) -> None:
    from propfee.datasets import synthetic_district

    src = tmp_path / "c.csv"
    synthetic_district(12, seed=4).to_csv(src, index=False)
    out = tmp_path / "bundles.csv"
    result = runner.invoke(app, ["bundle", str(src), "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "gap" in result.output
    assert "Street subsidy: proposed bundles" in result.output
    table = pd.read_csv(out)
    assert sorted(table["Compound id"]) == sorted(pd.read_csv(src)["compound_id"])
    assert "Fair share [yuan/year]" in table.columns


def test_bundle_bad_objective_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    src.write_text("compound_id,households,floor_area_m2,build_year\na,10,100,1990\n",
                   encoding="utf-8")
    assert _run_main(monkeypatch, ["bundle", str(src), "--objective", "cheapest"]) == 2


def test_project_and_montecarlo(tmp_path: Path) -> None:
    out = tmp_path / "funding.csv"
    result = runner.invoke(app, ["project", "--years", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "steady yearly contribution" in result.output
    assert len(pd.read_csv(out)) == 286
    result = runner.invoke(app, ["montecarlo", "--draws", "300", "--years", "3", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "District street subsidy a year: 95% point" in result.output
    assert "yuan/year" in result.output


def test_excel_in_chinese_excel_out(tmp_path: Path) -> None:
    from propfee.datasets import sanqiao_like_street
    from propfee.labels import label_table

    src = tmp_path / "小区.xlsx"
    label_table(sanqiao_like_street().head(8), "zh").to_excel(src, index=False)
    out = tmp_path / "预算.xlsx"
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(out), "--labels", "zh"])
    assert result.exit_code == 0, result.output
    assert "街道补贴（元/年）" in pd.read_excel(out, sheet_name="小区明细").columns


def test_evaluate_report_money_unit_and_headline_range(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from propfee.datasets import sanqiao_like_street

    src = tmp_path / "c.csv"
    sanqiao_like_street().head(6).to_csv(src, index=False)
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(out), "--labels", "zh",
                                 "--money", "yuan", "--range", "8"])
    assert result.exit_code == 0, result.output
    summary = load_workbook(out)["汇总"]
    assert summary["B12"].value == "金额（元/年）"
    assert "90% 区间" in summary["A3"].value
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(out), "--money", "usd"])
    assert result.exit_code == 2
    assert "--money" in result.output


def test_schema_and_template(tmp_path: Path) -> None:
    import json

    result = runner.invoke(app, ["schema", "compound"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "Compound"
    assert runner.invoke(app, ["schema", "nonsense"]).exit_code == 2
    out = tmp_path / "t.xlsx"
    assert runner.invoke(app, ["template", str(out), "--labels", "zh"]).exit_code == 0
    assert "户数" in pd.read_excel(out).columns


# --- Options, outputs and errors ----------------------------------------------------------

ONE = "compound_id,households,floor_area_m2,build_year\na,100,10000,1990\n"


@pytest.mark.parametrize("args", [
    ["montecarlo", "--draws", "0"], ["montecarlo", "--seed", "-1"], ["montecarlo", "--years", "0"],
    ["project", "--years", "0"], ["project", "--years", "101"], ["project", "--interest", "2"],
    ["project", "--wage-growth", "5"], ["bundle", "x.csv", "--max-members", "0"],
    ["bundle", "x.csv", "--time-limit", "-1"], ["demo", "--as-of", "2024-13-01"],
    ["evaluate", "missing.csv"], ["evaluate", "x.csv", "--plan", "missing.json"],
    ["evaluate", "x.csv", "--labels", "fr"], ["evaluate", "x.csv", "--column", "nonsense"],
    ["evaluate", "x.csv", "--out", "no/such/folder/r.xlsx"],
    ["evaluate", "x.csv", "--out", "r.txt"], ["montecarlo", "--out", "r.txt"],
    ["project", "--out", "r.json"],
])
def test_bad_options_exit_2_without_a_traceback(tmp_path: Path, monkeypatch, args) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text(ONE, encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (args, result.output)
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                     SystemExit)


def test_help_keeps_units() -> None:
    result = runner.invoke(app, ["bundle", "--help"])
    assert "[m]" in result.output
    assert "[s]" in result.output
    assert "[years]" in runner.invoke(app, ["project", "--help"]).output


def test_out_equal_to_the_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    src.write_text(ONE, encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(src)])
    assert result.exit_code == 2
    assert "refusing to write over the input file" in result.output
    assert src.read_text(encoding="utf-8") == ONE


def test_out_names_every_file_written(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    src.write_text(ONE, encoding="utf-8")
    out = tmp_path / "r.csv"
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert str(tmp_path / "r_lines.csv") in result.output
    assert (tmp_path / "r_lines.csv").exists()


def test_xlsx_row_limit_is_checked_before_the_evaluation(tmp_path: Path, monkeypatch) -> None:
    import propfee.io.writers

    src = tmp_path / "c.csv"
    src.write_text(ONE, encoding="utf-8")
    # A sheet of one row below its header:
    monkeypatch.setattr(propfee.io.writers, "EXCEL_MAX_ROWS", 2)
    calls: list[int] = []
    import propfee.budget

    real = propfee.budget.evaluate_district
    monkeypatch.setattr(propfee.budget, "evaluate_district",
                        lambda frame, *a, **k: calls.append(len(frame)) or real(frame, *a, **k))
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "write .csv or .json instead" in result.output
    assert not (tmp_path / "r.xlsx").exists()
    assert calls == [1]  # only the one-compound sample that sizes the lines table


def test_encoding_and_column_options(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    src.write_bytes("编号,住户,建筑面积,建成年份\na,100,10000,1990\n".encode("gbk"))
    result = runner.invoke(app, ["evaluate", str(src)])
    assert result.exit_code == 1
    assert "map it with --column '住户=COLUMN'" in result.output
    result = runner.invoke(app, ["evaluate", str(src), "--column", "住户=households",
                                 "--encoding", "gbk"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["evaluate", str(src), "--column", "住户=households",
                                 "--encoding", "utf-8"])
    assert result.exit_code == 1
    assert "cannot decode" in result.output


def test_the_command_line_starts_without_the_heavy_imports() -> None:
    import subprocess
    import sys

    code = ("import sys; from propfee.cli import app; import propfee; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'scipy', 'numpy', 'pydantic') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
    import propfee

    assert propfee.Compound is propfee.compound.Compound
    assert sorted(propfee.__all__) == sorted(set(propfee.__all__))
    for name in propfee.__all__:
        assert getattr(propfee, name) is not None


def test_demo_without_the_uncertainty_extra_says_why_there_is_no_interval(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``pip install . && propfee demo`` (no scipy) still runs, and says what to install."""
    import importlib.util

    real = importlib.util.find_spec

    def find_spec(name: str, *args: object, **kwargs: object) -> object:
        return None if name == "scipy" else real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    head = result.output.split("\n\n")[0]
    assert "(90%:" not in head
    assert "(no intervals: they need the extra propfee[uncertainty])" in head
