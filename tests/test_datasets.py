from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.datasets import sanqiao_like_street, synthetic_district


def test_sanqiao_reproduces_the_source_statistics() -> None:
    df = sanqiao_like_street()
    assert len(df) == 286
    assert int((df["households"] < 100).sum()) == 220  # 76.9%
    assert df["build_year"].between(1980, 2005).all()
    # Zones of about 983 / 270 = 3.6 compounds.
    assert 3.0 <= len(df) / df["zone"].nunique() <= 4.2
    pf.validate_compounds(df)  # a valid compound table


def test_same_seed_same_street() -> None:
    pd.testing.assert_frame_equal(sanqiao_like_street(1), sanqiao_like_street(1))
    assert not sanqiao_like_street(1).equals(sanqiao_like_street(2))


def test_synthetic_district_sizes() -> None:
    df = synthetic_district(983, seed=3)
    assert len(df) == 983
    assert int((df["households"] < 100).sum()) == round(983 * 220 / 286)
    assert df["compound_id"].is_unique


@pytest.mark.parametrize(("n", "small"), [(0, None), (10, 11), (10, -1)])
def test_bad_sizes(n, small) -> None:
    with pytest.raises(ValueError, match="must be"):
        synthetic_district(n, small)


def test_street_columns_are_those_drawn_before_tanks_and_lifts() -> None:
    """Tanks and lifts come from a generator of their own: every other column of the
    example street is what it was before they were added (sums pinned then)."""
    df = sanqiao_like_street()
    assert int(df["households"].sum()) == 29746
    assert df["floor_area_m2"].sum() == pytest.approx(2143982.5)
    assert int(df["build_year"].sum()) == 569567
    assert int(df["buildings"].sum()) == 584
    assert int(df["stairwell_units"].sum()) == 1497
    assert df["green_area_m2"].sum() == pytest.approx(277741.7)
    assert int(df["parking_spaces"].sum()) == 5797
    assert df["x_m"].sum() == pytest.approx(294498.8)
    assert df["y_m"].sum() == pytest.approx(187291.1)
    first = df.iloc[0]
    assert (first["compound_id"], first["households"], first["floor_area_m2"],
            first["build_year"], first["zone"]) == ("SQ001", 49, 4066.9, 1983, "Z001")
    # Tanks on 75 compounds (151 tanks, one a building), lifts on 11 (31 lifts serving
    # 619 households).
    assert (int((df["water_tanks"] > 0).sum()), int(df["water_tanks"].sum())) == (75, 151)
    assert (int((df["lifts"] > 0).sum()), int(df["lifts"].sum())) == (11, 31)
    assert df["lift_households"].sum() == 619.0


@pytest.mark.parametrize("seed", [3, 20240709])
def test_tanks_and_lifts_follow_their_rules(seed: int) -> None:
    df = synthetic_district(983, seed=seed)
    tanks = df["water_tanks"]
    assert ((tanks == 0) | (tanks == df["buildings"])).all()  # a tank on every building
    assert 0.2 < (tanks > 0).mean() < 0.3  # about a quarter of the compounds
    lifts = df["lifts"] > 0
    assert (df.loc[lifts, "build_year"] >= 1995).all()
    assert (df.loc[lifts, "households"] >= 300).all()
    assert lifts.any()
    assert (df.loc[lifts, "lifts"] <= df.loc[lifts, "stairwell_units"]).all()
    served = df.loc[lifts, "lift_households"]
    per_unit = df.loc[lifts, "households"] / df.loc[lifts, "stairwell_units"]
    assert served.tolist() == np.minimum(np.round(df.loc[lifts, "lifts"] * per_unit),
                                         df.loc[lifts, "households"]).tolist()
    assert (df.loc[~lifts, "lift_households"] == 0).all()  # none without a lift
    pf.validate_compounds(df)  # lifts and their households fit


def test_only_compounds_with_tanks_and_lifts_pay_for_them() -> None:
    """On the example street: tank cleaning is 2 uses a tank a year, only where there
    are tanks; a lift costs 6,000 of maintenance, 500 of inspection and 3,000 of
    electricity a year, only where there are lifts."""
    df = sanqiao_like_street()
    budget = pf.evaluate_district(df)
    work = budget.work.set_index(["compound_id", "category"])["demand"]
    ids = df["compound_id"]
    tank_uses = np.array([work[(i, "water_tank_cleaning")] for i in ids])
    np.testing.assert_allclose(tank_uses, 2.0 * df["water_tanks"].to_numpy())
    lift_years = np.array([work[(i, "lift")] for i in ids])
    np.testing.assert_array_equal(lift_years, df["lifts"].to_numpy())
    lines = budget.lines.assign(line=budget.lines["line"].astype(str)).pivot_table(
        index="compound_id", columns="line", values="amount_yuan", observed=True).reindex(ids)
    lifts = df["lifts"].to_numpy()
    np.testing.assert_allclose(lines["market_lift_maintenance"], 6000.0 * lifts)
    np.testing.assert_allclose(lines["market_lift_inspection"], 500.0 * lifts)
    np.testing.assert_allclose(lines["lift_electricity"], 3000.0 * lifts)
    no_tank = (df["water_tanks"] == 0).to_numpy()
    assert (lines["job_water_tank_cleaning"].to_numpy()[no_tank] == 0).all()
    assert (lines["job_water_tank_cleaning"].to_numpy()[~no_tank] > 0).all()
