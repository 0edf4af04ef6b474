"""The exit-code contract of every command: 0 success, 1 bad input, 2 usage; 3 only for a
bug. A walker gives every option of every command hostile values and checks the contract.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import propfee as pf
from propfee.cli import EXIT_BUG, app

runner = CliRunner()

TEXTS = ["", "nosuch.json", ".", "{folder}", "{binary}", "{gbk_bad}", "{empty}", "x" * 300,
         "-", "9999-12-31", "\udcff", "zh", "a=b", "{utf16_nobom}", "{encrypted}"]
INTS = ["-1", "0", "1e3", "abc", "", "99999999999999999999999", "nan", "-0"]
FLOATS = ["nan", "inf", "-inf", "1e308", "-1", "0", "abc", "", "1e-310", "-0.0"]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """Fresh files for each test (an --out of the walker may write over one)."""
    folder = tmp_path
    good = folder / "c.csv"
    pf.datasets.sanqiao_like_street().head(3).to_csv(good, index=False)
    (folder / "gbk_bad.csv").write_bytes("小区编号,户数,建筑面积,建成年份\nA1,一百,4200,1986\n"
                                         .encode("gbk"))
    (folder / "empty.csv").write_bytes(b"")
    (folder / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (folder / "folder.csv").mkdir()
    (folder / "utf16.csv").write_bytes(good.read_text(encoding="utf-8").encode("utf-16-le"))
    (folder / "encrypted.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + (
        "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0") + (30).to_bytes(2, "little")))
    return {"good": str(good), "folder": str(folder / "folder.csv"),
            "binary": str(folder / "binary.csv"), "gbk_bad": str(folder / "gbk_bad.csv"),
            "empty": str(folder / "empty.csv"), "utf16_nobom": str(folder / "utf16.csv"),
            "encrypted": str(folder / "encrypted.xlsx"), "dir": str(folder)}


def _base(command: str, files: dict[str, str], n: int) -> list[str]:
    good = files["good"]
    return {
        "evaluate": [good], "bundle": [good, "--time-limit", "1"],
        "project": [good, "--years", "1"], "montecarlo": [good, "--draws", "5", "--years", "1"],
        "reserve": [good, "--years", "1"], "template": [f"{files['dir']}/t{n}.xlsx"],
        "demo": ["--draws", "2"], "plans": [], "schema": [],
    }[command]


def _values(param, files: dict[str, str]) -> list[str]:
    annotation = param.type_descriptor.annotation
    if annotation is int:
        return INTS
    if annotation is float:
        return FLOATS
    return [v.format(**files) for v in TEXTS]


COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_with_hostile_values_keeps_the_contract(
        command: str, files: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No value of any option gives a traceback or an internal error (exit 3); a failure
    exits 1 or 2 with a message. (The parameter loader's own cases are tested below.)
    Run in a folder of its own: a relative ``--out`` such as ``nosuch.json`` is written."""
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    cmd = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    broken = []
    calls = 0
    for param in cmd.params:
        if param.name == "help" or getattr(param, "is_flag", False):
            continue
        for value in _values(param, files):
            if param.name in ("params_source", "catalogue") and value.endswith(".toml"):
                continue
            calls += 1
            base = _base(command, files, calls)
            if param.param_type_name == "argument":
                args = [command, value, *base[1:]]
            else:
                if command == "demo" and value in ("0", "-0"):
                    continue  # a valid seed: the whole demo, tested elsewhere
                args = [command, *base, param.opts[0], value]
            result = runner.invoke(app, args)
            code = result.exit_code
            text = result.output
            if code not in (0, 1, 2) or "Traceback" in text or "internal error" in text or (
                    code != 0 and not text.strip()):
                broken.append((param.name, value[:30], code, text.strip()[-300:]))
    assert calls > 10 or command in ("plans", "schema")
    assert not broken, broken


@pytest.mark.parametrize(("args", "code", "fragment"), [
    (["evaluate", "{gbk_bad}"], 1, "row 2, column households (户数): must be a positive"),
    (["evaluate", "{good}", "--encoding", "undefined"], 1, "cannot decode the text as undefined"),
    (["evaluate", "{gbk_bad}", "--encoding", "punycode"], 1, "cannot decode the text as punycode"),
    (["evaluate", "{gbk_bad}", "--encoding", "hex"], 1, "unknown encoding 'hex'"),
    (["evaluate", "{encrypted}"], 1, "protected by a password"),
    (["evaluate", "{utf16_nobom}"], 0, ""),
    (["evaluate", "{good}", "--labels", "fr"], 2, "'fr' is not en or zh"),
    (["evaluate", "{good}", "--column", "\udcff=households"], 2, "not UTF-8 text"),
    (["bundle", "{good}", "--max-distance", "1e308"], 2, "--max-distance"),
    (["project", "{good}", "--as-of", "9999-12-31"], 2, "out of range"),
    (["montecarlo", "{good}", "--as-of", "9999-12-31"], 2, "out of range"),
    (["project", "{good}", "--wage-growth", "nan"], 2, "finite number"),
    (["reserve", "{good}", "--out", "{dir}/no/r.xlsx"], 2, "no/r.xlsx: the folder"),
    (["reserve", "{good}", "--renovate", "\udcff"], 2, "not UTF-8 text"),
    (["template", "{good}"], 2, "exists and was left as it is"),
])
def test_chosen_hostile_calls_exit_as_the_contract_says(
        files: dict[str, str], args: list[str], code: int, fragment: str) -> None:
    result = runner.invoke(app, [a.format(**files) for a in args])
    assert result.exit_code == code, result.output
    assert fragment in " ".join(result.output.split())


# --- Parameter files ----------------------------------------------------------------------

@pytest.mark.parametrize("command", ["evaluate", "project", "montecarlo", "bundle"])
def test_a_parameter_path_that_does_not_exist_is_bad_input(command: str,
                                                           files: dict[str, str]) -> None:
    result = runner.invoke(app, [command, *_base(command, files, 0), "--params",
                                 "nosuchdir/taiyuan"])
    assert result.exit_code == 1, result.output
    assert "nosuchdir/taiyuan" in result.output


def test_a_deeply_nested_parameter_file_is_bad_input(tmp_path: Path,
                                                     files: dict[str, str]) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", files["good"], "--params", str(deep)])
    assert result.exit_code == 1, result.output
    assert "deep.toml" in result.output


def test_a_boolean_parameter_value_is_bad_input(tmp_path: Path, files: dict[str, str]) -> None:
    from importlib import resources

    text = resources.files("propfee.params").joinpath("data", "taiyuan.toml").read_text(
        encoding="utf-8")
    start = text.index('[values."fees.rate_yuan_per_m2_month"]')
    head, rest = text[:start], text[start:]
    rest = rest.replace("value = 0.5", "value = true", 1)
    path = tmp_path / "bool.toml"
    path.write_text(head + rest, encoding="utf-8")
    result = runner.invoke(app, ["evaluate", files["good"], "--params", str(path)])
    assert result.exit_code == 1, result.output
    assert "bool.toml" in result.output
    assert "(got True)" in result.output


def test_parameter_errors_exit_1(tmp_path: Path, files: dict[str, str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("region = 1\n", encoding="utf-8")
    for command in ("evaluate", "project", "montecarlo", "bundle"):
        result = runner.invoke(app, [command, *_base(command, files, 0), "--params", str(bad)])
        assert result.exit_code == 1, (command, result.output)
        assert "bad parameters" in result.output


# --- Through the real command -------------------------------------------------------------------

def _real(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "propfee"
    return subprocess.run([str(command), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_the_real_command_keeps_the_contract(files: dict[str, str]) -> None:
    cwd = Path(files["dir"])
    cases = [
        (["evaluate", files["gbk_bad"]], 1), (["evaluate", files["encrypted"]], 1),
        (["evaluate", "missing.csv"], 2), (["demo", "--as-of", "9999-12-31"], 2),
        (["evaluate", files["good"], "--out", "r.txt"], 2), (["nosuch"], 2),
        (["evaluate", files["good"], "--labels", "zh"], 0), (["--help"], 0),
    ]
    for args, code in cases:
        result = _real(*args, cwd=cwd)
        assert result.returncode == code, (args, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout
        assert EXIT_BUG not in (result.returncode,)
    result = _real("evaluate", files["gbk_bad"], "--labels", "zh", cwd=cwd)
    assert '第 2 行，户数列：应为正整数，实为 "一百"' in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="signals")
def test_ctrl_c_exits_130_without_a_traceback(files: dict[str, str]) -> None:
    command = Path(sys.executable).parent / "propfee"
    process = subprocess.Popen([str(command), "montecarlo", "--draws", "10000000"],
                               stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # inside the draws
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "stopped" in err


@pytest.mark.parametrize("field", ["capital_cost_yuan_per_unit", "units_per_basis"])
@pytest.mark.parametrize("value", [1e17, 1e300, 1e308])
@pytest.mark.parametrize("command", ["evaluate", "project"])
def test_plan_numbers_beyond_any_plan_are_bad_input(
        tmp_path: Path, files: dict[str, str], field: str, value: float, command: str) -> None:
    """A plan price of 1e17 or uses of 1e308 are refused at the file (exit 1), never an
    internal error and never a projection of 3e291 yuan."""
    import json

    plan = pf.default_plan().model_dump(mode="json")
    plan["smart_devices"]["items"][0][field] = value
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    result = runner.invoke(app, [command, *_base(command, files, 0), "--plan", str(path)])
    assert result.exit_code == 1, result.output
    assert (f"field 'smart_devices.items.0.{field}': larger than 1e+12 in size"
            in result.output)


@pytest.mark.parametrize(("field", "value", "bound"), [
    ("capital_cost_yuan_per_unit", 2e7, "10000000"),
    ("units_per_basis", 2e6, "1000000"),
])
def test_a_plan_from_python_is_bounded_too(field: str, value: float, bound: str) -> None:
    """A plan built in Python has the same bounds: every price at most 10 million yuan,
    every amount at most a million (far inside exact fen for any total printed)."""
    from propfee.errors import InputError

    plan = pf.default_plan().model_dump(mode="json")
    plan["smart_devices"]["items"][0][field] = value
    with pytest.raises(InputError, match=rf"less than or equal to {bound}"):
        pf.Plan.from_json(__import__("json").dumps(plan))


def test_amounts_too_large_for_the_fen_are_bad_input(
        files: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import propfee.budget

    def huge(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("cannot round an amount as large as 2.52e+17 yuan to the fen")

    monkeypatch.setattr(propfee.budget, "evaluate_district", huge)
    result = runner.invoke(app, ["evaluate", files["good"]])
    assert result.exit_code == 1
    assert "the amounts are too large to compute to the fen" in result.output
