"""The template knows reality: plain rules, an example never computed, the 现状 sheet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from propfee.cli import app
from propfee.compound import COMPOUND_COLUMNS, ColumnSpec, validate_compounds
from propfee.errors import InputError
from propfee.excel.tables import _ZH_HELP, _ZH_UNITS, EXAMPLE_COMPOUND
from propfee.io import read_compounds, write_template
from propfee.labels import label
from propfee.reserve import default_catalogue, reserve_study
from propfee.reserve.current_state import (
    CURRENT_STATE_COLUMNS,
    EXAMPLE_STATE,
    current_state_overrides,
    read_current_state,
)

runner = CliRunner()
CATALOGUE = default_catalogue()  # dated 2024-07-09: the study's first year is 2024


def _fill(path: Path, *, state: list[dict[str, object]], lang: str = "zh",
          active: str | None = None) -> None:
    """Two compounds on the data sheet (A1 built 1990, B2 built 1995), ``state`` rows on
    the 现状 sheet, by column name."""
    book = load_workbook(path)
    zh = lang == "zh"
    data = book["小区" if zh else "compounds"]
    heads = {c.value: c.column for c in data[1]}
    for r, row in enumerate(({"compound_id": "A1", "households": 100,
                              "floor_area_m2": 6000.0, "build_year": 1990},
                             {"compound_id": "B2", "households": 80,
                              "floor_area_m2": 5000.0, "build_year": 1995}), start=2):
        for name, value in row.items():
            data.cell(row=r, column=heads[label(name, "zh") if zh else name], value=value)
    sheet = book["现状" if zh else "current state"]
    by_name = {c.spec.name: c.header(lang) for c in CURRENT_STATE_COLUMNS}
    heads = {c.value: c.column for c in sheet[1]}
    for r, row in enumerate(state, start=2):
        for name, value in row.items():
            sheet.cell(row=r, column=heads[by_name[name]], value=value)
    if active is not None:
        book.active = book.sheetnames.index(active)
    book.save(path)


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = write_template(tmp_path / "小区.xlsx", labels="zh")
    _fill(path, state=[{"compound_id": "A1", "fund_balance_yuan": 150000,
                        "roof_renewed_year": 2019, "staff_persons": 3, "contract": "无"}])
    return path


def test_roof_renewed_in_2019_is_due_in_2037_and_the_fund_starts_at_the_balance(
        filled: Path) -> None:
    compounds = read_compounds(filled)
    state = read_current_state(filled, compounds, CATALOGUE, lang="zh")
    assert state is not None
    assert state.sheet == "现状"
    assert (state.compounds_used, state.compounds_given) == (1, 1)
    study = reserve_study(compounds, CATALOGUE, overrides=state.overrides)
    schedule = study.schedule()
    roof = schedule[(schedule["component"] == "roof_waterproofing")]
    # A1: renewed 2019, life 18 years -> due 2019 + 18 = 2037, the next in 2055, beyond
    # the 30-year horizon 2024-2053. B2 (no state row): built 1995, due 1995 + 18 = 2013,
    # overdue, so renewed in the first year 2024 and again in 2024 + 18 = 2042.
    assert roof[roof["compound_id"] == "A1"]["year"].tolist() == [2037]
    assert roof[roof["compound_id"] == "B2"]["year"].tolist() == [2024, 2042]
    path = study.fund_path()
    first = path[path["year"] == 2024].set_index("compound_id")["opening_yuan"]
    assert first["A1"] == 150000.00  # the balance entered, to the fen
    assert first["B2"] != 150000.00
    # Staff and contract are kept for the record, not turned into overrides.
    assert set(state.overrides["component"]) == {"fund", "roof_waterproofing"}
    assert state.table.loc[0, "staff_persons"] == 3.0
    assert state.table.loc[0, "contract"] == "无"


def test_a_group_sets_every_component_of_it() -> None:
    compounds = pd.DataFrame({"compound_id": ["A1"], "households": [100],
                              "floor_area_m2": [6000.0], "build_year": [1990]})
    state = current_state_overrides(
        pd.DataFrame({"compound_id": ["A1"], "pipes_renewed_year": [2015],
                      "stairwells_renewed_year": [2018.0]}), compounds, CATALOGUE)
    got = state.overrides.groupby("value")["component"].apply(sorted).to_dict()
    assert got == {2015.0: ["drain_sewer_pipes", "electrical_risers_wiring", "gas_risers",
                            "water_supply_risers"],
                   2018.0: ["common_doors_windows", "stairwell_lighting", "stairwells"]}
    assert state.overrides["row"].tolist() == [2.0] * 7


def test_the_cli_reads_the_current_state_sheet_and_says_so(filled: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["reserve", str(filled), "--labels", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "已读取“现状”表：1 个小区（共 2 个）按填写的维修资金余额或改造年份测算" in result.output
    assert "收入、人员、合同仅作记录" in result.output
    result = runner.invoke(app, ["reserve", str(filled), "--labels", "en"])
    assert result.exit_code == 0, result.output
    assert "used for 1 of 2 compounds" in result.output


def test_a_value_in_both_the_sheet_and_the_overrides_is_an_error(filled: Path,
                                                                tmp_path: Path) -> None:
    extra = tmp_path / "o.csv"
    extra.write_text("compound_id,component,field,value\nB2,roof_waterproofing,"
                     "last_renewed_year,2010\nA1,fund,opening_balance_yuan,1000\n",
                     encoding="utf-8")
    result = runner.invoke(app, ["reserve", str(filled), "--labels", "zh",
                                 "--overrides", str(extra)])
    assert result.exit_code != 0
    assert (f"小区 'A1'，fund.opening_balance_yuan：现状表第 2 行“专项维修资金余额（元）”"
            f"（150,000）与 {extra} 第 3 行（1000）都给了该值，请只留一处") in result.output
    # Another compound's value from the file is fine alongside the sheet.
    extra.write_text("compound_id,component,field,value\nB2,roof_waterproofing,"
                     "last_renewed_year,2010\n", encoding="utf-8")
    result = runner.invoke(app, ["reserve", str(filled), "--overrides", str(extra)])
    assert result.exit_code == 0, result.output


def test_bad_cells_name_the_sheet_cell_and_header(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", labels="zh")
    _fill(path, state=[
        {"compound_id": "A1", "roof_renewed_year": 1989, "fund_balance_yuan": -5},
        {"compound_id": "B2", "walls_renewed_year": 2019.5, "lifts_renewed_year": 2025},
        {"compound_id": "Z9", "staff_persons": 2},
        {"compound_id": "A1", "contract": "无"},
    ])
    with pytest.raises(InputError) as caught:
        read_current_state(path, read_compounds(path), CATALOGUE, lang="zh")
    lines = caught.value.text("zh")
    # Columns: A 小区编号, B 余额, C 屋面, D 管线, E 外墙, F 楼道, G 道路, H 消防, I 电梯.
    assert "现状!B2 专项维修资金余额（元）：不能小于 0，实为 -5" in lines
    assert "现状!C2 屋面防水改造年份：早于建成年份 1990，实为 1989" in lines
    assert "现状!E3 外墙改造年份：应为整数（年份或人数），实为 2019.5" in lines
    assert "现状!I3 电梯更新年份：晚于测算起始年份 2024，实为 2025" in lines
    assert '现状!A4 小区编号：不是“小区”表中的小区，实为 "Z9"' in lines
    assert '现状!A5 小区编号：与第 2 行重复，实为 "A1"' in lines
    assert len(caught.value.problems) == 6
    result = runner.invoke(app, ["reserve", str(path), "--labels", "zh"])
    assert result.exit_code != 0
    assert "现状!C2 屋面防水改造年份" in result.output


def test_the_example_is_never_evaluated(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", labels="zh")
    assert load_workbook(path).sheetnames == ["小区", "现状", "填写说明", "示例"]
    _fill(path, state=[], active="示例")  # saved while looking at the example
    frame = read_compounds(path)
    assert frame["compound_id"].tolist() == ["A1", "B2"]  # not A01, the example's
    state = read_current_state(path, frame, CATALOGUE)
    assert state is not None
    assert (state.compounds_given, len(state.overrides)) == (0, 0)
    example = load_workbook(path)["示例"]
    cells = {c.value: c for row in example.iter_rows() for c in row if c.value is not None}
    assert cells["幸福里小区"].font.i  # grey italics
    assert cells["幸福里小区"].font.color.rgb == "00808080"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_example_is_a_valid_compound_and_state(lang: str) -> None:
    table = validate_compounds(pd.DataFrame([EXAMPLE_COMPOUND[lang]]))
    state = current_state_overrides(pd.DataFrame([EXAMPLE_STATE[lang]]), table, CATALOGUE)
    # Fund 180,000 yuan; roof 2016 (1 component), walls 2019 (1), stairwells 2019 (3),
    # fire 2021 (1): 1 + 1 + 1 + 3 + 1 = 7 overrides.
    assert len(state.overrides) == 7


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rules_are_plain_words(tmp_path: Path, lang: str) -> None:
    path = write_template(tmp_path / "t.xlsx", labels=lang)  # type: ignore[arg-type]
    book = load_workbook(path)
    texts = [str(c.value) for ws in book.worksheets for row in ws.iter_rows()
             for c in row if c.value is not None]
    for ws in book.worksheets:
        for dv in ws.data_validations.dataValidation:
            texts += [dv.error or "", dv.prompt or ""]
            assert dv.prompt, dv.sqref  # every validated column says what it means
    assert not [t for t in texts if "e+" in t or "e-0" in t]
    notes = " ".join(str(c.value) for row in book.worksheets[2].iter_rows()
                     for c in row if c.value is not None)
    if lang == "zh":
        assert "数值，大于 0，不超过 1000 万" in notes  # floor area, upper bound 10^7 m2
        assert "文本，最多 100 个字" in notes
        assert "不大于" not in notes
        assert "tanks" not in notes
        assert "yuan" not in notes
        assert "记录用，当前测算不使用" in notes
    else:
        assert "number, more than 0, at most 10,000,000" in notes
        assert "text, at most 100 characters" in notes
        assert "no computation uses it yet" in notes


def test_every_column_has_a_chinese_unit_and_a_meaning_beyond_its_header() -> None:
    for spec in COMPOUND_COLUMNS:
        assert spec.unit == "-" or spec.unit in _ZH_UNITS, spec.name
        help_text, base = _ZH_HELP[spec.name], label(spec.name, "zh").split("（")[0]
        assert help_text.rstrip("。") != base, spec.name  # not the header again
        assert len(help_text) > len(base) + 8, spec.name
    for col in CURRENT_STATE_COLUMNS:
        assert col.spec.unit == "-" or _ZH_UNITS[col.spec.unit] == col.unit_zh
        assert len(col.help_zh) > len(col.spec.label_zh.split("（")[0]) + 8


def test_bounds_read_as_people_write_them() -> None:
    text = ColumnSpec.bound_text
    # 10^7 = 1000 x 10^4 (万); 10^8 = 1 亿; a year keeps no separator.
    assert (text(1e7, "zh"), text(1e8, "zh"), text(1e6, "zh")) == ("1000 万", "1 亿", "100 万")
    assert (text(1e7), text(2100), text(2100, "zh"), text(1e-5)) == (
        "10,000,000", "2100", "2100", "0.00001")
