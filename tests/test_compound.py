from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import propfee as pf
from propfee.compound import COMPOUND_COLUMNS, compounds_frame, validate_compounds
from propfee.errors import InputError

GOOD: dict[str, Any] = {
    "compound_id": "c1", "households": 100, "floor_area_m2": 10000.0, "build_year": 1990,
}


def test_area_per_household_gives_the_total() -> None:
    c = pf.Compound(compound_id="c1", households=80, floor_area_m2_per_household=62.5,
                    build_year=1988)
    assert c.floor_area_m2 == 5000.0  # 80 x 62.5


def test_total_area_gives_the_per_household() -> None:
    c = pf.Compound(**GOOD)
    assert c.floor_area_m2_per_household == 100.0  # 10,000 / 100


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"households": 0}, "households", "greater than 0"),
        ({"households": -5}, "households", "greater than 0"),
        ({"households": 10.5}, "households", "valid integer"),
        ({"floor_area_m2": -1.0}, "floor_area_m2", "greater than 0"),
        ({"floor_area_m2": float("nan")}, "floor_area_m2", "finite number"),
        ({"collection_rate": 1.2}, "collection_rate", "less than or equal to 1"),
        ({"collection_rate": -0.1}, "collection_rate", "greater than or equal to 0"),
        ({"build_year": 1850}, "build_year", "greater than or equal to 1900"),
        ({"green_area_m2": float("inf")}, "green_area_m2", "finite number"),
        ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
        ({"households": "100"}, "households", "valid integer"),  # strict: no coercion
        ({"floor_area_m2": None}, "floor_area_m2", "give floor_area_m2 or"),
        ({"floor_area_m2_per_household": 90.0}, "floor_area_m2", "disagrees"),
    ],
)
def test_bad_compound_names_field_id_and_value(changes, field, fragment) -> None:
    with pytest.raises(InputError) as info:
        pf.Compound(**{**GOOD, **changes})
    (problem,) = info.value.problems
    assert problem.row == "c1"
    assert problem.field == field
    assert fragment in problem.message
    assert "compound 'c1'" in str(info.value)


def _frame(**columns: list[Any]) -> pd.DataFrame:
    base = {
        "compound_id": ["a", "b", "c"],
        "households": [100, 50, 20],
        "floor_area_m2": [10000.0, 3000.0, 1500.0],
        "build_year": [1990, 1985, 1995],
    }
    return pd.DataFrame({**base, **columns})


@pytest.mark.parametrize(
    ("columns", "row", "field", "fragment"),
    [
        ({"households": [100, 0, 20]}, "b", "households", "must be > 0"),
        ({"households": [100, 50, -3]}, "c", "households", "must be > 0"),
        ({"households": [100, 50.5, 20]}, "b", "households", "whole number"),
        ({"households": [100, "many", 20]}, "b", "households", "not a number"),
        ({"households": [100, None, 20]}, "b", "households", "missing value"),
        ({"floor_area_m2": [10000.0, -1.0, 1500.0]}, "b", "floor_area_m2", "must be > 0"),
        ({"floor_area_m2": [10000.0, np.nan, 1500.0]}, "b", "floor_area_m2", "give floor_area"),
        ({"floor_area_m2": [10000.0, np.inf, 1500.0]}, "b", "floor_area_m2", "finite"),
        ({"collection_rate": [0.5, 1.5, 0.5]}, "b", "collection_rate", "must be <= 1"),
        ({"build_year": [1990, 1700, 1990]}, "b", "build_year", "must be >= 1900"),
        ({"compound_id": ["a", "a", "c"]}, "a", "compound_id", "duplicate id"),
        ({"gates": [1, True, 1]}, "b", "gates", "not a number"),
    ],
)
def test_bad_table_rows(columns, row, field, fragment) -> None:
    with pytest.raises(InputError) as info:
        validate_compounds(_frame(**columns))
    matches = [p for p in info.value.problems if p.field == field and fragment in p.message]
    assert matches, str(info.value)
    assert matches[0].row == row


def test_every_bad_row_is_reported_at_once() -> None:
    df = _frame(households=[0, -1, 20], floor_area_m2=[np.nan, 3000.0, -2.0])
    with pytest.raises(InputError) as info:
        validate_compounds(df)
    found = {(p.row, p.field) for p in info.value.problems}
    assert found == {
        ("a", "households"), ("b", "households"), ("a", "floor_area_m2"), ("c", "floor_area_m2")
    }
    assert str(info.value).startswith("4 problems in compound table")


def test_missing_and_unknown_columns() -> None:
    df = _frame().drop(columns=["build_year"]).assign(colour="red")
    with pytest.raises(InputError) as info:
        validate_compounds(df)
    assert {(p.field, p.message) for p in info.value.problems} == {
        ("colour", "unknown column"), ("build_year", "missing column")
    }


def test_defaults_are_filled_and_nothing_is_dropped() -> None:
    table = validate_compounds(_frame(gates=[2, None, 0]))
    assert table.frame["gates"].tolist() == [2, 1, 0]  # empty gate count takes the default 1
    assert list(table.frame.columns) == [c.name for c in COMPOUND_COLUMNS]


def test_model_and_table_agree(source_compound) -> None:
    from_model = validate_compounds(source_compound).frame
    from_frame = validate_compounds(compounds_frame([source_compound])).frame
    pd.testing.assert_frame_equal(from_model, from_frame)


# --- One declaration per field ------------------------------------------------------------

def test_the_model_is_derived_from_the_declaration() -> None:
    fields = pf.Compound.model_fields
    assert list(fields) == [c.name for c in COMPOUND_COLUMNS]
    kinds = {"str": str, "int": int, "float": float}
    schema = pf.Compound.model_json_schema()["properties"]
    for spec in COMPOUND_COLUMNS:
        annotation = fields[spec.name].annotation
        assert kinds[spec.kind] in (annotation, *getattr(annotation, "__args__", ())), spec.name
        prop = schema[spec.name]
        assert (prop["unit"], prop["title"], prop["label_zh"]) == (
            spec.unit, spec.label_en, spec.label_zh)
        if spec.required:
            assert fields[spec.name].is_required()
        else:
            assert fields[spec.name].default == spec.default


def test_report_labels_come_from_the_declaration() -> None:
    from propfee.labels import LABELS

    for spec in COMPOUND_COLUMNS:
        assert LABELS[spec.name] == (spec.label_en, spec.label_zh)


@pytest.mark.parametrize(
    "spec", [c for c in COMPOUND_COLUMNS if c.kind != "str" and c.upper is not None],
    ids=lambda s: s.name)
def test_model_and_table_share_the_bounds(spec) -> None:
    """Just past each bound, the model and the table both refuse; at the bound both accept."""
    base = dict(GOOD)
    if spec.name == "floor_area_m2_per_household":
        base.pop("floor_area_m2")
    over = spec.upper + 1 if spec.kind == "int" else spec.upper * 1.5
    value: Any = int(over) if spec.kind == "int" else over
    with pytest.raises(InputError, match=spec.name):
        pf.Compound(**{**base, spec.name: value})
    with pytest.raises(InputError, match=spec.name):
        validate_compounds(pd.DataFrame([{**base, spec.name: value}]))
    at = int(spec.upper) if spec.kind == "int" else spec.upper
    if spec.name == "lift_households":  # as many households as the bound, with a lift
        base.update(households=at, floor_area_m2=1e7, lifts=1)
    if spec.name == "floor_area_m2_per_household":
        base["households"] = 1  # 1 x 10,000 m2 stays within the floor-area bound
    assert validate_compounds(pd.DataFrame([{**base, spec.name: at}])).frame[spec.name][0] == at


def test_largest_amounts_stay_inside_exact_fen() -> None:
    """The largest fee the bounds allow, in fen, is far inside float64's exact integers."""
    from propfee.compound import _SPECS

    area, rate = _SPECS["floor_area_m2"].upper, _SPECS["fee_rate_yuan_per_m2_month"].upper
    assert area is not None
    assert rate is not None
    fee_fen = area * rate * 12 * 100  # 1e7 m2 x 100 yuan x 12 months x 100 fen = 1.2e12
    assert fee_fen == 1.2e12
    assert fee_fen * 1_000_000 < 2**63  # a million such compounds still fit int64 fen
    assert fee_fen < 2**53 / 1000


def test_derived_floor_area_is_bounded() -> None:
    # 1,000,000 households x 10,000 m2 each = 1e10 m2 > 1e7 m2: refused, not computed.
    with pytest.raises(InputError, match="floor_area_m2_per_household"):
        pf.Compound(compound_id="c", households=1_000_000, floor_area_m2_per_household=1e4,
                    build_year=1990)
    with pytest.raises(InputError, match="floor_area_m2_per_household"):
        validate_compounds(pd.DataFrame({"compound_id": ["c"], "households": [1_000_000],
                                         "floor_area_m2_per_household": [1e4],
                                         "build_year": [1990]}))


def test_ids_are_normalised_once() -> None:
    c = pf.Compound(**{**GOOD, "compound_id": "  Ａ1\u3000"})
    assert c.compound_id == "A1"
    frame = pd.DataFrame({**{k: [v, v] for k, v in GOOD.items()},
                          "compound_id": ["A1", "A1 "]})
    with pytest.raises(InputError, match="duplicate id") as info:
        validate_compounds(frame)
    assert [p.row for p in info.value.problems] == ["A1", "A1"]
    with pytest.raises(InputError, match="compound_id"):
        pf.Compound(**{**GOOD, "compound_id": "   "})


def test_zero_rows_and_lines() -> None:
    with pytest.raises(InputError, match="the table has no rows"):
        validate_compounds(pd.DataFrame({k: [] for k in GOOD}))
    bad = pd.DataFrame({**{k: [v, v] for k, v in GOOD.items()}, "compound_id": ["a", "b"],
                        "households": [5, -5]})
    with pytest.raises(InputError) as info:
        validate_compounds(bad, first_line=2, source="x.csv")
    assert [(p.line, p.row) for p in info.value.problems] == [(3, "b")]
    assert "compound file x.csv" in str(info.value)


def test_huge_values_are_not_echoed_whole() -> None:
    with pytest.raises(InputError) as info:
        pf.Compound(**{**GOOD, "name": "x" * 100_000})
    assert len(str(info.value)) < 400


@pytest.mark.parametrize("fields", [
    {"compound_id": " Ａ1 ", "households": 100, "floor_area_m2_per_household": 100.0,
     "build_year": 1990, "green_area_m2": 1000.0, "party_members": 3},
    {"compound_id": "x", "name": "n", "households": 7, "floor_area_m2": 500.0,
     "build_year": 2030, "street": "s", "zone": "z", "x_m": 1.0,
     "fee_rate_yuan_per_m2_month": 0.3, "collection_rate": 0.9, "lifts": 2},
])
def test_one_compound_table_equals_the_validated_table(fields) -> None:
    """A Compound's table is built without checking twice; it equals the checked one."""
    from propfee.compound import _validate, compounds_frame

    model = pf.Compound(**fields)
    fast = validate_compounds(model).frame
    checked = _validate(compounds_frame(model), lines=None, source=None).frame
    pd.testing.assert_frame_equal(fast, checked)


def test_text_check_without_pyarrow_says_maybe() -> None:
    """A core install has no pyarrow: the byte check then answers 'maybe' (the row-by-row
    check runs) instead of failing."""
    from propfee.compound import _may_be_longer, _may_hold_control

    class NoArrow:
        def __arrow_array__(self):
            raise ImportError("No module named 'pyarrow'")

    class Column:
        array = NoArrow()

    assert _may_hold_control(Column()) is True  # type: ignore[arg-type]
    assert _may_be_longer(Column(), 5) is True  # type: ignore[arg-type]


_TEXT = st.text(alphabet=st.sampled_from(["a", "Z", "7", " ", "\t", "\n", "\x01", "\x1f",
                                         "小", "区", "\u00e9", "\U0001f3e0"]), max_size=8)


@given(st.lists(_TEXT, min_size=1, max_size=12), st.integers(0, 10), st.integers(0, 4))
def test_fast_text_checks_never_miss(values, limit, cut) -> None:
    """The byte checks on arrow text say 'no' only when it is so: no value longer than the
    limit (in characters), no control character; on a slice of a column too."""
    from propfee.compound import _CONTROL, _may_be_longer, _may_hold_control

    whole = pd.Series(values, dtype="str")
    for text in (whole, whole.iloc[min(cut, len(values) - 1):]):
        longest = int(text.str.len().max())
        if not _may_be_longer(text, limit):
            assert longest <= limit
        if longest <= limit and all(len(v.encode()) <= limit for v in text):
            assert not _may_be_longer(text, limit)  # exact on byte lengths within the limit
        if not _may_hold_control(text):
            assert not text.str.contains(_CONTROL, regex=True).any()


def test_checked_table_owns_its_whole_numbers() -> None:
    """Whole-number columns given as int64 are copied, not shared: changing the caller's
    table afterwards changes nothing in the checked one (a budget evaluates its lines
    again from it later)."""
    df = pd.DataFrame({"compound_id": ["a", "b"], "households": np.array([10, 20]),
                       "floor_area_m2": [700.0, 1400.0], "build_year": np.array([1990, 1991]),
                       "gates": np.array([1, 2])})
    table = validate_compounds(df)
    for name, row, value in (("households", 0, 999), ("gates", 1, 9)):
        values = df[name].to_numpy()
        if values.flags.writeable:  # numbers that can change in place
            values[row] = value
        df.loc[row, name] = value
    assert table.frame["households"].tolist() == [10, 20]
    assert table.frame["gates"].tolist() == [1, 2]
    assert table.frame["households"].dtype == np.int64


def test_a_budget_keeps_its_inputs_when_the_caller_changes_the_table() -> None:
    """The long table of lines is built when first read, from the inputs the budget keeps:
    changing the caller's DataFrame in between (numbers in place) changes nothing."""
    df = pd.DataFrame({"compound_id": ["a", "b"], "households": np.array([60, 90]),
                       "floor_area_m2": np.array([4200.0, 6300.0]),
                       "green_area_m2": np.array([300.0, 500.0]),
                       "build_year": np.array([1988, 1992]), "zone": ["Z", "Z"]})
    expected = pf.evaluate_district(df.copy()).lines.copy()
    budget = pf.evaluate_district(df)
    floor = df["floor_area_m2"].to_numpy()
    if floor.flags.writeable:  # a frame whose numbers can change in place
        floor[:] = 1.0
    df.loc[:, "green_area_m2"] = 0.0
    df.loc[0, "households"] = 5
    pd.testing.assert_frame_equal(budget.lines, expected)


def test_the_coordinate_system_is_a_datum_name() -> None:
    """lon/lat in the datum a planner's map gives: a known name (or a map's name) passes,
    a misspelling is named with the closest, on a table and on one compound."""
    good = pd.DataFrame({"compound_id": ["a", "b"], "households": [10, 20],
                         "floor_area_m2": [700.0, 1400.0], "build_year": [1990, 1990],
                         "coord_system": ["gcj02", "Baidu"]})
    assert validate_compounds(good).frame["coord_system"].tolist() == ["gcj02", "Baidu"]
    bad = good.assign(coord_system=["gcj02", "gjc02"])
    with pytest.raises(InputError) as err:
        validate_compounds(bad)
    (problem,) = err.value.problems
    assert (problem.row, problem.field, problem.value) == ("b", "coord_system", "gjc02")
    assert "did you mean 'gcj02'?" in problem.message
    with pytest.raises(InputError, match="did you mean 'bd09'"):
        pf.Compound(compound_id="c", households=10, floor_area_m2=700.0, build_year=1990,
                    coord_system="bd9")
