"""Bundles chosen by ``propfee bundle`` evaluated by ``propfee evaluate --bundles``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import propfee as pf
from propfee.channels.shared_property import Bundle
from propfee.cli import app, main
from propfee.errors import InputError, Problem
from propfee.labels import label

runner = CliRunner()

pytest.importorskip("highspy")


def _district(tmp_path: Path) -> tuple[pd.DataFrame, Path]:
    frame = pf.datasets.synthetic_district(12, seed=4)
    src = tmp_path / "c.csv"
    frame.to_csv(src, index=False)
    return frame, src


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_bundle_file_gives_the_budget_of_the_api_to_the_fen(
        tmp_path: Path, suffix: str) -> None:
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    frame, src = _district(tmp_path)
    chosen = tmp_path / f"bundles{suffix}"
    done = runner.invoke(app, ["bundle", str(src), "--out", str(chosen), "--time-limit", "5"])
    assert done.exit_code == 0, done.output
    out = tmp_path / "budget.csv"
    done = runner.invoke(app, ["evaluate", str(src), "--bundles", str(chosen), "--out",
                               str(out)])
    assert done.exit_code == 0, done.output
    written = pd.read_csv(out)
    api = pf.evaluate_district(frame, bundles=chosen).compounds
    # The file's bundles, not the zones, are the contracts: some bundle has members.
    assert not api["bundle_id"].str.startswith("zone:").any()
    assert api["bundle_id"].value_counts().max() > 1
    money = [c for c in api.columns if c.endswith("_yuan")]
    assert money
    for column in money:
        got = np.round(written[label(column, "en")].to_numpy() * 100)
        want = np.round(api[column].to_numpy() * 100)
        np.testing.assert_array_equal(got, want, err_msg=column)
    # The same budget as the explicit bundles read from the file by hand.
    bundles = pf.bundling.read_bundles(chosen, frame["compound_id"])
    again = pf.evaluate_district(frame, bundles=bundles).compounds
    pd.testing.assert_frame_equal(api, again)


def test_zones_give_way_to_the_bundles(tmp_path: Path) -> None:
    frame, _ = _district(tmp_path)
    ids = frame["compound_id"].tolist()
    zones = pf.evaluate_district(frame).compounds
    assert zones["bundle_id"].str.startswith("zone:").all()
    pair = pf.evaluate_district(frame, bundles=[Bundle(bundle_id="P", members=(ids[0],
                                                                               ids[5]))])
    got = pair.compounds.set_index("compound_id")["bundle_id"]
    assert got[ids[0]] == got[ids[5]] == "P"
    assert got[ids[1]] == f"alone:{ids[1]}"


def test_an_unknown_or_repeated_compound_names_the_file_row_and_value(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    frame, src = _district(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("bundle_id,compound_id\nB1,C01\nB1,C99\nB2,C01\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        pf.evaluate_district(frame, bundles=bad)
    assert info.value.problems == (
        Problem("C99", "compound_id", "C99", "not a compound of the table", line=3),
        Problem("C01", "compound_id", "C01", "also in bundle 'B1' (row 2)", line=4),
    )
    assert _run_main(monkeypatch, ["evaluate", str(src), "--bundles", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"bundle file {bad}" in err
    assert "row 3, compound 'C99', field 'compound_id': not a compound of the table" in err
    assert "row 4, compound 'C01', field 'compound_id': also in bundle 'B1' (row 2)" in err


def test_explicit_bundles_that_share_a_member_are_refused(tmp_path: Path) -> None:
    frame, _ = _district(tmp_path)
    with pytest.raises(InputError, match="'C01' is in bundles 'X' and 'Y'"):
        pf.evaluate_district(frame, bundles=[Bundle(bundle_id="X", members=("C01",)),
                                             Bundle(bundle_id="Y", members=("C01", "C02"))])


def _run_main(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> int:
    monkeypatch.setattr("sys.argv", ["propfee", *args])
    with pytest.raises(SystemExit) as info:
        main()
    return int(info.value.code or 0)


def test_the_headline_range_runs_under_chosen_bundles(tmp_path: Path) -> None:
    """``--range`` draws the plan with the file's bundles: each bundle names compounds of
    the whole table, so the range's checks resolve the plan on the whole table (on one row
    the other members would be unknown). With every range collapsed to its value the
    interval's point is the budget's count in deficit under those bundles."""
    pytest.importorskip("scipy")
    from propfee.plan import default_plan
    from propfee.uncertainty import interval

    frame, src = _district(tmp_path)
    chosen = tmp_path / "bundles.csv"
    assert runner.invoke(app, ["bundle", str(src), "--out", str(chosen),
                               "--time-limit", "5"]).exit_code == 0
    out = tmp_path / "budget.xlsx"
    done = runner.invoke(app, ["evaluate", str(src), "--bundles", str(chosen), "--out",
                               str(out), "--range", "4", "--labels", "zh"])
    assert done.exit_code == 0, done.output
    bundles = pf.bundling.read_bundles(chosen, frame["compound_id"])
    budget = pf.evaluate_district(frame, bundles=bundles)
    plan = default_plan().model_copy(update={"shared_property": default_plan()
                                             .shared_property.model_copy(update={
                                                 "bundle_by": "explicit",
                                                 "bundles": tuple(bundles)})})
    drawn = interval(frame, plan, n=4, seed=0)
    point = drawn.figure("compounds_in_deficit").iloc[0]["point"]
    assert point == int((budget.compounds["pool_balance_yuan"] < 0).sum())
