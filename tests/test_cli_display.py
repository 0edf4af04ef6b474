"""What the command line shows: translated tables and a progress bar over phases."""

from __future__ import annotations

import io
import time
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from propfee.cli import app
from propfee.datasets import sanqiao_like_street
from propfee.progress import phases


def test_evaluate_tables_in_chinese(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    sanqiao_like_street().head(8).to_csv(src, index=False)
    result = CliRunner().invoke(app, ["evaluate", str(src), "--labels", "zh"])
    assert result.exit_code == 0, result.output
    for text in ("市场化基准（市场化物业单独服务）", "共享物业承接管", "四管一补资金池余额",
                 "不足100户", "合计", "街道补贴（元/年）"):
        assert text in result.output
    for code in ("market baseline", "shared_property", "all"):
        assert code not in result.output.split()


def test_phases_bar_advances_and_names_the_phase() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    with phases(["reading", "evaluating", "writing"], delay_s=0.05, console=console) as advance:
        advance()
        advance(0.5)  # half of "evaluating": 1.5 of 3 phases
        time.sleep(0.4)  # the bar appears after delay_s and refreshes while a phase runs
        advance()
        advance()
    shown = buffer.getvalue()
    assert "evaluating" in shown
    assert "50%" in shown


def test_phases_print_nothing_off_a_terminal() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False)
    with phases(["a", "b"], delay_s=0.0, console=console) as advance:
        advance()
        advance()
    assert buffer.getvalue() == ""
