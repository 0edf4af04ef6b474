"""Reserve study: components, the special maintenance fund, schedule engine, priorities."""

from __future__ import annotations

import datetime as dt
import pathlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from typer.testing import CliRunner

import propfee as pf
from propfee.errors import InputError
from propfee.reserve import (
    Catalogue,
    ComponentSpec,
    FundRules,
    RenovationEvent,
    ReserveSettings,
    SiteGeometry,
    default_catalogue,
    dry_probability,
    fund_may_pay,
    renewal_schedule,
    reserve_study,
)
from propfee.reserve.components import quantity_bases
from propfee.reserve.priorities import priority_table, renovation_what_if

AS_OF = dt.date(2024, 7, 9)  # the study starts in 2024
RULES = FundRules(owner_deposit_rate=0.02, reform_cost_price_yuan_per_m2=1000.0,
                  topup_threshold_share=0.30, topup_target_share=1.0,
                  topup_collection_rate=0.5, interest_rate=0.01,
                  opening_share_pre1998=0.0, opening_share_from1998=0.5)
SITE = SiteGeometry(plot_ratio=1.0, storey_height_m=3.0, building_depth_m=10.0)


def _catalogue(**fund: float) -> Catalogue:
    """Roof (fund), stairwell lighting (fund) and an upkeep job the fund may not pay."""
    return Catalogue(
        as_of=AS_OF, site=SITE, fund=RULES.model_copy(update=fund),
        components=(
            ComponentSpec(name="roof", basis="roof_m2", life_years=10, unit_cost_yuan=50.0),
            ComponentSpec(name="lighting", basis="stair_storeys", life_years=4,
                          unit_cost_yuan=100.0),
            ComponentSpec(name="cleaning", basis="households", life_years=2,
                          unit_cost_yuan=10.0, work="upkeep"),
        ))


def _one() -> pd.DataFrame:
    # roof 1,000 m2 / 5 storeys = 200 m2; stair storeys 2 x 5 = 10; 10 households.
    return pd.DataFrame({"compound_id": ["c1"], "households": [10], "floor_area_m2": [1000.0],
                         "build_year": [2000], "storeys": [5], "stairwell_units": [2]})


OVERRIDES = pd.DataFrame({"compound_id": ["c1", "c1"], "component": ["roof", "cleaning"],
                          "field": ["last_renewed_year", "last_renewed_year"],
                          "value": [2016, 2023]})
FIVE = ReserveSettings(horizon_years=5, cost_inflation_rate=0.10)


def test_one_compound_five_years_by_hand() -> None:
    s = reserve_study(_one(), _catalogue(), FIVE, overrides=OVERRIDES)
    # Costs: roof 200 m2 x 50 = 10,000; lighting 10 x 100 = 1,000; cleaning 10 x 10 = 100.
    # Prices 1.1^(t-1). Roof renewed 2016, life 10: due 2026. Lighting from 2000, life 4:
    # overdue, done in 2024, again 2028. Cleaning from 2023, life 2: 2025, 2027 (the pool).
    sched = s.schedule()
    assert sched[["year", "component", "cost_yuan", "payer"]].to_numpy().tolist() == [
        [2024, "lighting", 1000.00, "special_maintenance_fund"],
        [2025, "cleaning", 110.00, "fund_pool"],                  # 100 x 1.1
        [2026, "roof", 12100.00, "special_maintenance_fund"],     # 10,000 x 1.21
        [2027, "cleaning", 133.10, "fund_pool"],                  # 100 x 1.331
        [2028, "lighting", 1464.10, "special_maintenance_fund"],  # 1,000 x 1.4641
    ]
    path = s.fund_path().set_index("year")
    # First deposit 1,000 m2 x 1,000 yuan x 2% = 20,000; built 2000 -> opening 50% = 10,000.
    # Top-up below 30% x 20,000 = 6,000, to 20,000, half collected; interest 1% on B >= 0.
    # 2024: 10,000 + 100.00 interest - 1,000 = 9,100.00
    # 2025: 9,100 + 91.00 = 9,191.00
    # 2026: 9,191 + 91.91 - 12,100 = -2,817.09
    # 2027: below 6,000: top-up 0.5 x (20,000 - 0) = 10,000; no interest: 7,182.91
    # 2028: 7,182.91 + 71.83 (71.8291) - 1,464.10 = 5,790.64
    assert path["interest_yuan"].tolist() == [100.00, 91.00, 91.91, 0.0, 71.83]
    assert path["topup_yuan"].tolist() == [0.0, 0.0, 0.0, 10000.00, 0.0]
    assert path["closing_yuan"].tolist() == [9100.00, 9191.00, -2817.09, 7182.91, 5790.64]
    assert path["pool_work_yuan"].tolist() == [0.0, 110.00, 0.0, 133.10, 0.0]
    # Fully funded at the end of each year, P_t x (10,000 x roof age + 1,000 x lamp age):
    # 2024: 1.0 x (10,000 x 9/10 + 1,000 x 1/4) = 9,250
    # 2025: 1.1 x (10,000 x 10/10 + 1,000 x 2/4) = 11,550
    # 2026: 1.21 x (10,000 x 1/10 + 1,000 x 3/4) = 2,117.50
    # 2027: 1.331 x (10,000 x 2/10 + 1,000 x 4/4) = 3,993.00
    # 2028: 1.4641 x (10,000 x 3/10 + 1,000 x 1/4) = 4,758.325 -> 4,758.33
    ffb = [9250.00, 11550.00, 2117.50, 3993.00, 4758.33]
    assert path["fully_funded_yuan"].tolist() == ffb
    closing = [9100.00, 9191.00, -2817.09, 7182.91, 5790.64]
    assert path["percent_funded"].to_numpy() == pytest.approx(
        [c / f for c, f in zip(closing, ffb, strict=True)], rel=1e-12)
    # At the start: roof 8/10 x 10,000 + lamp (24 years, capped at 4) 1,000 = 9,000.
    funding = s.funding().iloc[0]
    assert funding["percent_funded_start"] == pytest.approx(10000 / 9000)
    assert funding["first_shortfall_year"] == 2026
    # Plans without top-ups, interest on any balance: B0 = 9,100; 9,191; -2,817.09;
    # -2,845.2609; -4,337.813509. A_t = 1; 2.01; 3.0301; 4.060401; 5.10100501.
    base = max(2817.09 / 3.0301, 2845.2609 / 4.060401, 4337.813509 / 5.10100501)
    assert base == pytest.approx(2817.09 / 3.0301)
    assert funding["baseline_contribution_yuan"] == pytest.approx(base)
    assert funding["baseline_yuan_per_m2_month"] == pytest.approx(base / (1000 * 12))
    # Threshold floor 30% x 20,000 = 6,000: worst year 2026, (6,000 + 2,817.09) / 3.0301.
    assert funding["threshold_contribution_yuan"] == pytest.approx(
        max((6000 - 9100) / 1, (6000 - 9191) / 2.01, 8817.09 / 3.0301,
            8845.2609 / 4.060401, 10337.813509 / 5.10100501))
    # Full: 100% funded in 2028: (4,758.33 + 4,337.813509) / 5.10100501.
    assert funding["full_contribution_yuan"] == pytest.approx(
        (4758.33 + 4337.813509) / 5.10100501)


def test_baseline_plan_keeps_the_fund_at_or_above_zero() -> None:
    s = reserve_study(_one(), _catalogue(), FIVE.model_copy(update={"topup": False}),
                      overrides=OVERRIDES)
    c = s.funding_yuan["baseline"][0]
    b = 10000.0
    for t, spend in enumerate([1000.0, 0.0, 12100.0, 0.0, 1464.10]):
        b = b * 1.01 + c - spend
        assert b >= -1e-9, t


def test_district_row_equals_the_single_compound() -> None:
    street = pf.datasets.sanqiao_like_street().head(5)
    one = _one().assign(name="", street="Sanqiao-like street", zone="Z001")
    district = pd.concat([street, one], ignore_index=True)
    overrides = OVERRIDES
    big = reserve_study(district, _catalogue(), FIVE, overrides=overrides)
    small = reserve_study(_one(), _catalogue(), FIVE, overrides=overrides)
    row = big.fund_path().query("compound_id == 'c1'").reset_index(drop=True)
    pd.testing.assert_frame_equal(row, small.fund_path())
    # ... and both equal the hand computation above.
    assert row["closing_yuan"].tolist() == [9100.00, 9191.00, -2817.09, 7182.91, 5790.64]
    pd.testing.assert_frame_equal(
        big.funding().query("compound_id == 'c1'").reset_index(drop=True), small.funding())


def test_fund_hits_the_top_up_rule_from_an_empty_account() -> None:
    # Built 1990 (pre-1998): opening 0 < 30% x 20,000. Year 1: top-up 0.5 x 20,000 = 10,000,
    # no interest on 0, lighting 1,000 -> 9,000. Year 2: 9,000 >= 6,000: no top-up,
    # interest 90 -> 9,090.
    df = _one().assign(build_year=1990)
    s = reserve_study(df, _catalogue(), ReserveSettings(horizon_years=2, cost_inflation_rate=0),
                      overrides=OVERRIDES)
    path = s.fund_path()
    assert path["opening_yuan"].tolist() == [0.0, 9000.0]
    assert path["topup_yuan"].tolist() == [10000.0, 0.0]
    assert path["closing_yuan"].tolist() == [9000.0, 9090.0]
    # The same with the rule off: -1,000, then -1,000 (no interest on a shortfall).
    off = reserve_study(df, _catalogue(), ReserveSettings(
        horizon_years=2, cost_inflation_rate=0, topup=False), overrides=OVERRIDES)
    assert off.fund_path()["closing_yuan"].tolist() == [-1000.0, -1000.0]


def test_life_ending_exactly_at_the_horizon() -> None:
    # Horizon 2024..2028. Renewed 2018 with life 10: due 2028, the last year -> inside.
    # Renewed 2019: due 2029 -> outside.
    sched = renewal_schedule(np.array([2018.0, 2019.0]) - 2024, 10.0, 5)
    assert sched.counts[:, 0].tolist() == [0, 0, 0, 0, 1]
    assert sched.counts[:, 1].tolist() == [0, 0, 0, 0, 0]
    ov = pd.DataFrame({"compound_id": ["c1"], "roof.last_renewed_year": [2018]})  # wide
    s = reserve_study(_one(), _catalogue(), ReserveSettings(
        horizon_years=5, cost_inflation_rate=0), overrides=ov)
    roof = s.schedule().query("component == 'roof'")
    assert roof[["year", "cost_yuan"]].to_numpy().tolist() == [[2028, 10000.0]]


def test_schedule_engine_matches_the_device_rule() -> None:
    # Installed at the start of year 1 (time 0), life 2.5: years floor(k x 2.5) + 1 = 3, 6, 8.
    sched = renewal_schedule(0.0, np.array([2.5, 6.0]), 10)
    assert np.flatnonzero(sched.counts[:, 0]).tolist() == [2, 5, 7]
    assert np.flatnonzero(sched.counts[:, 1]).tolist() == [6]
    with pytest.raises(ValueError, match="positive"):
        renewal_schedule(0.0, 0.0, 5)


def test_renovation_programme_resets_and_pays() -> None:
    # The programme renews the roof in 2025 (year 2) at 10,000 x 1.1 = 11,000; the fund no
    # longer pays it in 2026; next due 2035. 2026: 9,191 + 91.91 = 9,282.91.
    event = RenovationEvent(year=2, compound_ids=("c1",), components=("roof",))
    s = reserve_study(_one(), _catalogue(), FIVE.model_copy(update={"renovations": (event,)}),
                      overrides=OVERRIDES)
    sched = s.schedule()
    roof = sched.query("component == 'roof'")
    assert roof[["year", "cost_yuan", "payer"]].to_numpy().tolist() == [
        [2025, 11000.0, "renovation_programme"]]
    path = s.fund_path()
    assert path["closing_yuan"].tolist()[:3] == [9100.00, 9191.00, 9282.91]
    assert path["programme_work_yuan"].tolist() == [0.0, 11000.0, 0.0, 0.0, 0.0]
    # Roof age after the reset: 2025 -> 1/10, 2026 -> 2/10: FFB 2026 = 1.21 x (2,000 + 750).
    assert path["fully_funded_yuan"].tolist()[2] == 3327.50


def _random_catalogue(draw: st.DrawFn) -> Catalogue:
    n = draw(st.integers(1, 5))
    specs = []
    for i in range(n):
        specs.append(ComponentSpec(
            name=f"k{i}", basis=draw(st.sampled_from(["roof_m2", "households", "riser_m",
                                                      "roads_m2", "facade_m2"])),
            life_years=draw(st.floats(1.0, 40.0)),
            unit_cost_yuan=draw(st.floats(0.0, 5000.0)),
            work=draw(st.sampled_from(["renewal", "repair", "upkeep"])),
            scope=draw(st.sampled_from(["common_part", "shared_facility", "private"]))))
    return Catalogue(as_of=AS_OF, site=SITE, fund=RULES, components=tuple(specs))


Case = tuple[pd.DataFrame, Catalogue, ReserveSettings]


@st.composite
def _cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(1, 4))
    households = draw(st.lists(st.integers(1, 500), min_size=n, max_size=n))
    df = pd.DataFrame({
        "compound_id": [f"K{i}" for i in range(n)], "households": households,
        "floor_area_m2": [h * draw(st.floats(20.0, 150.0)) for h in households],
        "build_year": draw(st.lists(st.integers(1960, 2024), min_size=n, max_size=n)),
        "storeys": draw(st.lists(st.integers(1, 30), min_size=n, max_size=n))})
    catalogue = _random_catalogue(draw)
    t = draw(st.integers(1, 30))
    events = ()
    if draw(st.booleans()):
        events = (RenovationEvent(year=draw(st.integers(1, t)), compound_ids=("K0",)),)
    settings = ReserveSettings(horizon_years=t, cost_inflation_rate=draw(st.floats(0, 0.1)),
                               topup=draw(st.booleans()), renovations=events)
    return df, catalogue, settings


@hsettings(max_examples=40)
@given(_cases())
def test_fund_never_pays_what_the_rules_exclude(case: Case) -> None:
    df, catalogue, settings = case
    s = reserve_study(df, catalogue, settings)
    for j, spec in enumerate(catalogue.components):
        paid = s.work_fen["special_maintenance_fund"][:, :, j]
        if not fund_may_pay(spec.work, spec.scope):
            assert not paid.any()
            assert spec.work == "upkeep" or spec.scope == "private"
        else:
            assert not s.work_fen["fund_pool"][:, :, j].any()
    assert np.array_equal(s.ledger.spend, s.work_fen["special_maintenance_fund"].sum(axis=2))


@hsettings(max_examples=40)
@given(_cases())
def test_money_is_conserved_between_accounts_to_the_fen(case: Case) -> None:
    df, catalogue, settings = case
    s = reserve_study(df, catalogue, settings)
    led = s.ledger
    for a in (led.opening, led.topup, led.deposits, led.interest, led.spend, led.closing):
        assert a.dtype == np.int64
    # Each year's closing balance is the opening plus the year's integer flows, and the
    # next year opens where this one closed.
    assert np.array_equal(led.closing,
                          led.opening + led.topup + led.deposits + led.interest - led.spend)
    assert np.array_equal(led.opening[1:], led.closing[:-1])
    # Every piece of work is paid by exactly one payer: the payers' totals add up to the
    # work done, to the fen, and the schedule table carries the same fen.
    total = sum(w.sum() for w in s.work_fen.values())
    both = [(s.work_fen[p] != 0).astype(int) for p in s.work_fen]
    assert int(np.max(sum(both))) <= 1
    assert round(s.schedule()["cost_yuan"].sum() * 100) == int(total)
    # What the fund paid is what left its balance over the horizon.
    assert int(led.closing[-1].sum() - led.opening[0].sum()) == int(
        (led.topup + led.deposits + led.interest).sum() - s.work_fen[
            "special_maintenance_fund"].sum())


@pytest.mark.parametrize(("overrides", "catalogue_update", "fragments"), [
    (pd.DataFrame({"compound_id": ["c1"], "roof.life_years": [0]}), None,
     ["'c1'", "roof.life_years", "must be > 0"]),
    (pd.DataFrame({"compound_id": ["c1"], "lighting.last_renewed_year": [1995]}), None,
     ["'c1'", "lighting.last_renewed_year", "before the build year 2000"]),
    (pd.DataFrame({"compound_id": ["c1"], "component": ["roof"], "field": ["quantity"],
                   "value": [-5.0]}), None, ["'c1'", "roof.quantity", "must be >= 0"]),
    (pd.DataFrame({"compound_id": ["c1"], "roof.last_renewed_year": [2030]}), None,
     ["'c1'", "roof.last_renewed_year", "after the first year"]),
    (pd.DataFrame({"compound_id": ["c1"], "chimney.life_years": [5]}), None,
     ["'c1'", "chimney.life_years", "no component 'chimney'"]),
    (pd.DataFrame({"compound_id": ["c9"], "roof.life_years": [5]}), None,
     ["'c9'", "not a compound"]),
    (pd.DataFrame({"compound_id": ["c1"], "roof.life_years": ["soon"]}), None,
     ["'c1'", "roof.life_years", "not a finite number", "row 2"]),
    (pd.DataFrame({"compound_id": ["c1", "c1"], "component": ["roof", "roof"],
                   "field": ["life_years", "life_years"], "value": [5, 6]}), None,
     ["'c1'", "roof.life_years", "given twice (overrides row 3)"]),
    (pd.DataFrame({"compound_id": ["c1"], "fund.opening_balance_yuan": [-1.0]}), None,
     ["'c1'", "fund.opening_balance_yuan", "must be >= 0"]),
    (None, {"life_years": 0}, ["roof", "life_years", "greater than 0"]),
    (None, {"quantity_per_basis": -1.0}, ["roof", "quantity_per_basis"]),
])
def test_bad_input_is_a_clear_error(
    overrides: pd.DataFrame | None, catalogue_update: dict[str, float] | None,
    fragments: list[str],
) -> None:
    def run() -> None:
        catalogue = _catalogue()
        if catalogue_update is not None:
            roof = catalogue.components[0].model_dump() | catalogue_update
            ComponentSpec.model_validate(roof)
        reserve_study(_one(), catalogue, FIVE, overrides=overrides)

    with pytest.raises(InputError) as info:
        run()
    for fragment in fragments:
        assert fragment in str(info.value)


def test_bad_renovation_event_names_the_compound() -> None:
    event = RenovationEvent(year=2, compound_ids=("nobody",))
    with pytest.raises(InputError, match=r"nobody.*not a compound"):
        reserve_study(_one(), _catalogue(), FIVE.model_copy(update={"renovations": (event,)}))
    late = RenovationEvent(year=9)
    with pytest.raises(InputError, match="beyond the 5-year horizon"):
        reserve_study(_one(), _catalogue(), FIVE.model_copy(update={"renovations": (late,)}))


def test_default_catalogue_is_documented_and_quantities_follow_the_fields() -> None:
    cat = default_catalogue()
    table = cat.table()
    assert {"roof_waterproofing", "water_supply_risers", "drain_sewer_pipes",
            "electrical_risers_wiring", "gas_risers", "external_walls", "stairwell_lighting",
            "common_doors_windows", "roads_paving", "fences", "site_drainage",
            "fire_equipment", "lifts"} <= set(table["component"])
    assert table["reference"].str.len().min() > 10
    assert set(table["status"]) <= {"source", "rule", "norm", "illustrative"}
    assert cat.fund.owner_deposit_rate == 0.02
    assert cat.fund.topup_threshold_share == 0.30
    df = pd.DataFrame({"compound_id": ["a"], "households": [60], "floor_area_m2": [4200.0],
                       "build_year": [1990], "storeys": [6], "buildings": [2],
                       "stairwell_units": [4], "green_area_m2": [500.0]})
    bases = quantity_bases(pf.validate_compounds(df), SITE)
    # roof 4,200 / 6 = 700; site 4,200 / 1.0; roads 4,200 - 700 - 500 = 3,000;
    # facade 2 x 2 x (700 / 2 / 10 + 10) x 6 x 3 = 3,240; risers 4 x 6 x 3 = 72 m.
    assert bases["roof_m2"][0] == pytest.approx(700.0)
    assert bases["roads_m2"][0] == pytest.approx(3000.0)
    assert bases["facade_m2"][0] == pytest.approx(3240.0)
    assert bases["riser_m"][0] == pytest.approx(72.0)
    assert bases["perimeter_m"][0] == pytest.approx(4 * np.sqrt(4200.0))


def test_monte_carlo_is_seeded_and_reduces_to_the_schedule() -> None:
    street = pf.datasets.sanqiao_like_street().head(6)
    settings = ReserveSettings(horizon_years=10)
    a = dry_probability(street, settings=settings, draws=40, seed=3)
    b = dry_probability(street, settings=settings, draws=40, seed=3, chunk=7)
    pd.testing.assert_frame_equal(a, b)
    assert (a.diff(axis=1).iloc[:, 1:] >= 0).all().all()  # "by year t" never falls
    # No spread: every draw is the deterministic schedule.
    exact = dry_probability(_one(), _catalogue(), FIVE, overrides=OVERRIDES, draws=5,
                            life_spread=0.0)
    assert exact.iloc[0].tolist() == [0.0, 0.0, 1.0, 1.0, 1.0]


def test_monte_carlo_over_lives_followed_by_hand() -> None:
    """One component, the roof (10,000, renewed 2016, life 10), and an account of 5,000
    (no top-ups): the fund runs dry the year the roof is renewed. Each draw's first life
    is 10 x exp(0.2 Z), Z the generator's first standard normal of the draw; the roof is
    renewed in year floor(2016 + life) (2024 if that is earlier).

    Seed 11, eight draws: Z = 0.0342, 1.3597, 1.2247, -0.5103, -0.2980, -0.5274, 0.5697,
    -0.0561; lives 10.069, 13.125, 12.776, 9.030, 9.421, 8.999, 11.207, 9.888; renewal
    in 2026, 2029, 2028, 2025, 2025, 2024 (2016 + 8.999 = 2024.999), 2027, 2025. Share
    of draws dry by 2024 1/8, by 2025 4/8, 2026 5/8, 2027 6/8, 2028 7/8 (2029 is past the
    horizon).
    """
    roof_only = Catalogue(as_of=AS_OF, site=SITE, fund=RULES, components=(
        ComponentSpec(name="roof", basis="roof_m2", life_years=10, unit_cost_yuan=50.0),))
    ov = pd.DataFrame({"compound_id": ["c1"], "roof.last_renewed_year": [2016],
                       "fund.opening_balance_yuan": [5000.0]})
    plain = ReserveSettings(horizon_years=5, cost_inflation_rate=0.0, topup=False)
    dry = dry_probability(_one(), roof_only, plain, overrides=ov, draws=8, seed=11,
                          life_spread=0.2)
    assert dry.loc["c1"].tolist() == [0.125, 0.5, 0.625, 0.75, 0.875]
    z = np.random.default_rng(11).standard_normal((8, 1, 1)).ravel()
    assert z.tolist() == pytest.approx([0.0342, 1.3597, 1.2247, -0.5103, -0.2980, -0.5274,
                                        0.5697, -0.0561], abs=5e-5)
    year = np.floor(2016 + 10 * np.exp(0.2 * z))
    assert year.tolist() == [2026, 2029, 2028, 2025, 2025, 2024, 2027, 2025]
    assert [float(np.mean(year <= y)) for y in range(2024, 2029)] == dry.loc["c1"].tolist()


def test_priority_table_ranks_by_shortfall_then_funding_then_cost() -> None:
    df = pd.DataFrame({"compound_id": ["new", "old", "mid"], "households": [10, 10, 10],
                       "floor_area_m2": [1000.0] * 3, "build_year": [2000, 2000, 2000],
                       "storeys": [5] * 3, "stairwell_units": [2] * 3})
    ov = pd.DataFrame({"compound_id": ["new", "old", "mid"],
                       "roof.last_renewed_year": [2020, 2014, 2016],
                       "lighting.last_renewed_year": [2022, 2022, 2022],
                       "fund.opening_balance_yuan": [5000.0, 0.0, 100.0]})
    plain = FIVE.model_copy(update={"topup": False})
    s = reserve_study(df, _catalogue(), plain, overrides=ov)
    table = priority_table(s)
    # Without top-ups. old: roof due 2024 (year 1) and no money; mid: roof due 2026
    # (year 3); new: roof due 2030,
    # lighting 2026 (1,210) paid from 5,000: never short within the horizon.
    assert table["compound_id"].tolist() == ["old", "mid", "new"]
    assert table["years_to_first_shortfall"].tolist()[:2] == [1, 3]
    assert table["years_to_first_shortfall"].isna().tolist() == [False, False, True]
    what = renovation_what_if(df, ["old"], catalogue=_catalogue(), settings=plain, overrides=ov)
    paths = what.paths
    # Year 1: the programme renews old's roof 10,000 and lighting 1,000 (not the upkeep).
    assert paths.loc[0, "renovated_renovation_programme_yuan"] == 11000.0
    assert paths.loc[0, "base_renovation_programme_yuan"] == 0.0
    assert (paths["renovated_fund_balance_yuan"] >= paths["base_fund_balance_yuan"]).all()


def test_chart_and_workbook(tmp_path: pathlib.Path) -> None:
    pytest.importorskip("matplotlib")
    pytest.importorskip("openpyxl")
    from propfee.reserve.report import fund_chart, write_reserve

    s = reserve_study(_one(), _catalogue(), FIVE, overrides=OVERRIDES)
    fig = fund_chart(s, "c1")
    assert len(fig.axes) == 2
    # The chart draws the hand figures of the five-year case, in thousands of yuan.
    top, bottom = fig.axes
    lines = {line.get_label(): line.get_ydata() for line in top.get_lines()}
    assert list(lines["Closing balance"]) == pytest.approx(
        [9.1, 9.191, -2.81709, 7.18291, 5.79064], abs=1e-12)
    assert list(lines["Fully funded balance"]) == pytest.approx(
        [9.25, 11.55, 2.1175, 3.993, 4.75833], abs=1e-12)
    bars = top.containers[0]
    assert [b.get_height() for b in bars] == pytest.approx([-1.0, 0.0, -12.1, 0.0, -1.4641],
                                                           abs=1e-12)
    # Percent funded [%]: 9,100 / 9,250 = 98.378%, ..., 5,790.64 / 4,758.33 = 121.695%.
    assert list(bottom.get_lines()[0].get_ydata()) == pytest.approx(
        [100 * 9100 / 9250, 100 * 9191 / 11550, -100 * 2817.09 / 2117.5,
         100 * 7182.91 / 3993, 100 * 5790.64 / 4758.33], rel=1e-12)
    with pytest.raises(InputError, match="nobody"):
        fund_chart(s, "nobody")
    out = write_reserve(s, tmp_path / "r.xlsx", priorities=priority_table(s), labels="zh",
                        catalogue=_catalogue(), printed=dt.date(2026, 12, 6))
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["说明", "维修计划", "维修资金", "筹资方案", "优先排序", "部件目录"]
    from openpyxl import load_workbook

    for sheet in load_workbook(out).worksheets:  # the footer's date is fixed, not a field
        assert sheet.oddFooter.left.text == "制表日期：2026年12月6日", sheet.title
        assert sheet.oddFooter.right.text == "第 &P 页，共 &N 页"
        assert sheet.print_title_rows == "$1:$1"
    assert "年末余额（元）" in sheets["维修资金"].columns
    assert sheets["维修资金"]["年末余额（元）"].tolist() == [9100.00, 9191.00, -2817.09,
                                                          7182.91, 5790.64]


def test_cli_reserve_writes_chinese_headers(tmp_path: pathlib.Path) -> None:
    pytest.importorskip("openpyxl")
    from propfee.cli import app

    src = tmp_path / "c.csv"
    pf.datasets.sanqiao_like_street().head(4).to_csv(src, index=False)
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(app, ["reserve", str(src), "--years", "5", "--labels", "zh",
                                      "--renovate", "SQ001", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "排序" in result.output
    sheets = pd.read_excel(out, sheet_name=None)
    assert "小区编号" in sheets["优先排序"].columns
    assert set(sheets["维修计划"]["承担方"]) >= {"住宅专项维修资金", "老旧小区改造资金"}


def test_catalogue_file_errors_name_the_component(tmp_path: pathlib.Path) -> None:
    from importlib import resources

    from propfee.errors import ParameterError
    from propfee.reserve import load_catalogue

    text = resources.files("propfee.params").joinpath(
        "data", "components_taiyuan.toml").read_text(encoding="utf-8")
    bad = tmp_path / "zero.toml"
    bad.write_text(text.replace("life_years = 18.0, unit_cost_yuan = 95.0",
                                "life_years = 0.0, unit_cost_yuan = 95.0"), encoding="utf-8")
    with pytest.raises(InputError, match=r"roof_waterproofing\.life_years"):
        load_catalogue(bad)
    with pytest.raises(ParameterError, match="no value in force"):
        load_catalogue("taiyuan", dt.date(2019, 1, 1))
    with pytest.raises(ParameterError, match="no built-in component catalogue"):
        load_catalogue("atlantis")
    later = load_catalogue("taiyuan", dt.date(2026, 3, 1))
    study = reserve_study(_one(), later, ReserveSettings(horizon_years=3))
    assert study.years.tolist() == [2026, 2027, 2028]
