"""Usage errors in Chinese: every message a Chinese user reads on a bad command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from propfee.cli import main

ONE = "compound_id,households,floor_area_m2,build_year\na,100,10000,1990\n"


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
         args: list[str]) -> tuple[int, list[str]]:
    monkeypatch.setattr("sys.argv", ["propfee", *args])
    with pytest.raises(SystemExit) as info:
        main()
    return int(info.value.code or 0), capsys.readouterr().err.splitlines()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROPFEE_LANG", raising=False)
    (tmp_path / "x.csv").write_text(ONE, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("args", "error"), [
    (["evaluate"], "错误：缺少参数 小区文件"),
    (["evaluate", "x.csv", "y.csv"], "错误：多余的参数：y.csv"),
    (["evaluat"], "错误：没有命令“evaluat”（是否想用“evaluate”？）"),
    (["evaluate", "x.csv", "--bogus"], "错误：没有选项 --bogus（是否想用 --bundles、--out？）"),
    (["evaluate", "x.csv", "--out"], "错误：选项 --out 后面需要一个值"),
    (["evaluate", "x.csv", "--range", "abc"], "错误：--range 的值有误：应为整数"),
    (["evaluate", "nosuch.csv"], "错误：小区文件的值有误：文件“nosuch.csv”不存在"),
    (["evaluate", "x.csv", "--column", "abc"], "错误：--column 的值有误：“abc”应写成 表头=列名"),
    (["montecarlo", "--draws", "0"], "错误：--draws 的值有误：应不小于 1"),
    (["project", "--interest", "2"], "错误：--interest 的值有误：应不大于 0.5"),
    (["bundle", "x.csv", "--objective", "foo"],
     "错误：--objective 的值有误：'foo' 应为 subsidy（街道补贴）、cost（成本）或 viable（可持续）"),
])
def test_each_kind_of_usage_error_is_worded_in_chinese(
        here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: list[str], error: str) -> None:
    code, lines = _run(monkeypatch, capsys, [args[0], "--labels", "zh", *args[1:]])
    assert code == 2
    assert lines[-1] == error
    if len(lines) > 1:  # the usage and where to find help come first, also in Chinese
        assert lines[0].startswith("用法：")
        assert lines[1].endswith("--help' 查看帮助。")


def test_the_language_also_comes_from_the_environment(
        here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROPFEE_LANG", "zh")
    assert _run(monkeypatch, capsys, ["evaluate"])[1][-1] == "错误：缺少参数 小区文件"
    monkeypatch.delenv("PROPFEE_LANG")
    code, lines = _run(monkeypatch, capsys, ["evaluate"])
    assert (code, lines[-1]) == (2, "Error: Missing argument 'compounds_file'.")
    assert lines[0].startswith("Usage:")


_WORDS_ALLOWED = {"YYYY", "MM", "DD", "UTF", "en", "zh", "wan", "yuan", "subsidy", "cost",
                  "viable", "xlsx", "csv", "json", "parquet", "help", "propfee",
                  "xinghualing", "shared", "staffed"}  # the built-in plans' names


@pytest.mark.parametrize("args", [
    ["montecarlo", "--draws", "0"], ["montecarlo", "--seed", "-1"],
    ["project", "--years", "0"], ["project", "--interest", "2"],
    ["bundle", "x.csv", "--max-members", "0"], ["demo", "--as-of", "2024-13-01"],
    ["evaluate", "missing.csv"], ["evaluate", "x.csv", "--plan", "missing.json"],
    ["evaluate", "x.csv", "--column", "nonsense"], ["evaluate", "x.csv", "--out", "r.txt"],
    ["evaluate", "x.csv", "--money", "pounds"], ["evaluate", "x.csv", "y.csv"],
    ["evaluate", "--no-such"], ["evaluate", "x.csv", "--range"], ["nothing"],
])
def test_no_english_word_in_a_chinese_usage_error(
        here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: list[str]) -> None:
    code, lines = _run(monkeypatch, capsys, [args[0], "--labels", "zh", *args[1:]])
    assert code == 2
    error = lines[-1]
    assert error.startswith("错误：")
    # what the user typed (options, values, files) may stay as typed; nothing else may
    text = re.sub(r"--[\w-]+|“[^”]*”|'[^']*'|[\w./-]+\.(csv|json|txt)", " ", error)
    words = set(re.findall(r"[A-Za-z]{2,}", text)) - _WORDS_ALLOWED
    assert not words, (args, error)


def test_parameter_and_option_value_errors_in_chinese(
        here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _run(monkeypatch, capsys, ["evaluate", "x.csv", "--labels", "zh",
                                             "--params", "nosuch"])
    assert (code, lines) == (1, ["参数有误：", "  - nosuch：既没有这个参数文件，也不是内置地区"])
    code, lines = _run(monkeypatch, capsys, ["evaluate", "x.csv", "--labels", "zh",
                                             "--as-of", "1990-01-01"])
    assert code == 1
    # one line says which date would do (the latest first date of the built-in file's
    # values: the wages of 2017-10-01), then each value, in Chinese
    assert lines[1] == ("  测算日期 1990-01-01 早于 178 项参数的生效日期；"
                        "请用 2017-10-01 或之后的日期。")
    assert lines[2] == ("  - taiyuan：fees.rate_yuan_per_m2_month：1990-01-01 没有生效的取值"
                        "（最早的取值自 2000-01-01 起）")
    code, lines = _run(monkeypatch, capsys, ["bundle", "x.csv", "--labels", "zh",
                                             "--time-limit", "0"])
    assert (code, lines) == (2, ["错误：选项的值有误：", "  - --time-limit：应大于 0（实为 0.0）"])


def test_a_bad_bundle_file_is_described_in_chinese(
        here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "b.csv").write_text("bundle_id,compound_id\nB1,a\nB1,a\nB2,nope\n",
                                encoding="utf-8")
    code, lines = _run(monkeypatch, capsys, ["evaluate", "x.csv", "--labels", "zh",
                                             "--bundles", "b.csv"])
    assert (code, lines) == (1, [
        "打包文件 b.csv 有 2 个问题：",
        "  - 第 3 行，小区 'a'，compound_id：在组合“B1”中出现两次（另见第 2 行）（实为 \"a\"）",
        "  - 第 4 行，小区 'nope'，compound_id：不是小区表中的小区（实为 \"nope\"）"])
    (here / "c.csv").write_text("group,compound_id\nB1,a\n", encoding="utf-8")
    code, lines = _run(monkeypatch, capsys, ["evaluate", "x.csv", "--labels", "zh",
                                             "--bundles", "c.csv"])
    assert code == 1
    assert lines[1].endswith("缺少列（捆绑编号）")


def test_a_column_mapping_error_names_the_option_in_chinese(
        here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _run(monkeypatch, capsys, ["evaluate", "x.csv", "--labels", "zh",
                                             "--column", "户数=nosuch"])
    assert code == 1
    assert lines[-1] == '  - --column 选项：nosuch 不是小区表的列（实为 "户数=nosuch"）'
