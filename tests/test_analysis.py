"""Projection, break-even, sensitivity and Monte Carlo."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import propfee as pf
from propfee.analysis import (
    OneOff,
    ProjectionSettings,
    Uncertainty,
    break_even,
    grid,
    monte_carlo,
    project,
    tornado,
    year_components,
)
from propfee.channels import Device, IncomeSource, PublicIncome, SelfGovernance, SmartDevices
from propfee.errors import InputError

from .conftest import BARE, districts
from .test_budget import HAND, _free_jobs

PROJECTED = BARE.model_copy(update={"public_income": PublicIncome(items=(IncomeSource(
    name="advertising", basis="compound", units_per_basis=2.0, price_yuan_per_unit_year=1500.0,
    occupancy_rate=0.5),))})
"""The stand-alone contract at cost, each compound alone, with advertising: the projection
is easy to follow by hand."""


def _pest_control_only() -> pf.ParameterSet:
    """Every job free but pest control, at market: 150 a use and 80 a visit."""
    return _free_jobs().replace({"jobs.pest_control.market_price_yuan_per_use": 150.0,
                                 "jobs.pest_control.callout_yuan_per_visit": 80.0})


def _old_compound() -> pd.DataFrame:
    # Built 1950: every job's age factor is capped in every year, so jobs do not grow.
    return pd.DataFrame({"compound_id": ["k"], "households": [140], "floor_area_m2": [10000.0],
                         "build_year": [1950], "gates": [0], "green_area_m2": [0.0]})


HAND_SETTINGS = ProjectionSettings(horizon_years=3, wage_growth_rate=0.05,
                                   price_inflation_rate=0.02, interest_rate=0.01,
                                   replace_devices=False)


def test_three_year_projection_by_hand() -> None:
    """Staff grows 5% a year, everything else 2%; interest 1% on the balance.

    Year-1 figures (grade 3, every kind of hour work a standing post at cost; 140
    households, 10,000 m2, one building, no gate, no green):
      staff: cleaning 1,538.46 h = 0.77 -> 1.0 post x 38,520 = 38,520; management
             140 / 650 x 2,000 = 430.77 h = 0.22 -> 0.5 post x 57,420 = 28,710; patrol
             109.5 h = 0.0375 guard x 55,908 = 2,096.55: S = 69,326.55
      other: electricity 200 + water 700 + consumables 3,000 + cleaning materials
             3,360 + insurance 500 + office 2,800 + garbage 76.65 t x 120 = 9,198:
             O = 19,758
      jobs:  pest control, 1 building x 1 use a year x (150 + 80) = 230: J = 230
      fee:   10,000 x 0.5 x 12 x 0.7 = 42,000; income: 2 x 1,500 x 0.5 = 1,500
    net_t = 43,500 - S x 1.05^(t-1) - (O + J) x 1.02^(t-1):
      t=1: 43,500 - 69,326.55 - 19,988 = -45,814.55;            B1 = -45,814.55
      t=2: 43,500 - 72,792.8775 - 20,387.76 = -49,680.6375;     interest -458.1455,
           B2 = -45,814.55 - 458.1455 - 49,680.6375 = -95,953.333
      t=3: 43,500 - 76,432.521375 - 20,795.5152 = -53,728.036575; interest -959.53333,
           B3 = -95,953.333 - 959.53333 - 53,728.036575 = -150,640.902905
    """
    p = project(_old_compound(), PROJECTED, _pest_control_only(), settings=HAND_SETTINGS)
    flows = p.flows.set_index("year")
    assert flows["fee_income_yuan"].tolist() == pytest.approx([42000.0] * 3)
    assert flows["public_income_yuan"].tolist() == pytest.approx([1500.0] * 3)
    assert flows["staff_yuan"].tolist() == pytest.approx([69326.55, 72792.8775, 76432.521375])
    assert flows["other_yuan"].tolist() == pytest.approx([19758.0, 20153.16, 20556.2232])
    assert flows["jobs_yuan"].tolist() == pytest.approx([230.0, 234.6, 239.292])
    assert flows["interest_yuan"].tolist() == pytest.approx([0.0, -458.1455, -959.53333])
    assert flows["net_yuan"].tolist() == pytest.approx(
        [-45814.55, -49680.6375, -53728.036575])
    assert flows["balance_yuan"].tolist() == pytest.approx(
        [-45814.55, -95953.333, -150640.902905])
    assert p.funding["first_negative_year"].tolist() == [2024]
    # Baseline goal: C = max_t(-B_t / A_t), A = (1, 2.01, 3.0301): 150,640.90 / 3.0301 =
    # 49,714.83; 95,953.33 / 2.01 = 47,737.98; 45,814.55 -> 49,714.83 a year, as a fee
    # rate 0.5 + 49,714.83 / 84,000 = 1.091843. Threshold (a floor of 10,000): the first
    # year binds, 55,814.55.
    assert p.funding["baseline_contribution_yuan"].iloc[0] == pytest.approx(
        150640.902905 / 3.0301)
    assert p.funding["baseline_fee_rate_yuan_per_m2_month"].iloc[0] == pytest.approx(
        0.5 + 150640.902905 / 3.0301 / 84000.0)
    assert p.funding["threshold_contribution_yuan"].iloc[0] == pytest.approx(55814.55)


def test_monte_carlo_of_the_hand_projection_without_variance() -> None:
    """No variance: every draw is the projection; the mean yearly subsidy is the mean of
    the three yearly deficits (45,814.55 + 49,680.6375 + 53,728.036575) / 3 = 49,741.07,
    and the pool goes negative in every draw."""
    still = Uncertainty(collection_rate_sd=0.0, poisson_jobs=False, volunteer_coverage_sd=0.0,
                        parking_occupancy_sd=0.0, wage_growth_sd=0.0)
    mc = monte_carlo(_old_compound(), PROJECTED, _pest_control_only(), settings=HAND_SETTINGS,
                     uncertainty=still, draws=3, seed=1)
    want = (45814.55 + 49680.6375 + 53728.036575) / 3
    row = mc.compounds.iloc[0]
    for q in ("q05", "q50", "q95", "mean"):
        assert row[f"subsidy_{q}_yuan"] == pytest.approx(want)
    assert row["p_pool_negative"] == 1.0
    assert mc.district["subsidy_q50_yuan"] == pytest.approx(want)
    assert mc.district["p_any_negative"] == 1.0
    assert mc.draws == 3


def test_projection_counts_informal_hires_as_staff() -> None:
    """Informal hours grow with wages like staff: cleaning 1,538.46 h hired informally at
    19.8 yuan/h = 30,461.54 a year; with the contract's management (28,710) and patrol
    (2,096.55): 61,268.09 in year 1, x 1.05 in year 2 = 64,331.49."""
    plan = PROJECTED.model_copy(update={
        "self_governance": SelfGovernance(hire_informally=("cleaning",)),
        "shared_property": BARE.shared_property.model_copy(
            update={"standing_work": ("management", "patrol")}),
    })
    s = ProjectionSettings(horizon_years=2, wage_growth_rate=0.05, replace_devices=False)
    flows = project(_old_compound(), plan, _pest_control_only(),
                    settings=s).flows.set_index("year")
    year1 = 10000.0 / 13000.0 * 2000.0 * 19.8 + 28710.0 + 2096.55
    assert year1 == pytest.approx(61268.09, abs=0.005)
    assert flows["staff_yuan"].tolist() == pytest.approx([year1, year1 * 1.05])


def test_year_components_split_the_cash_by_what_drives_it() -> None:
    """The hand compound of the budget's tests (every channel): staff 127,331.10 (the
    contract); in kind 12,754.68 (volunteers); street 5,475 (garbage); other: running
    costs 11,600 and the device's running cost 1,200, its capital left to the
    replacements; income 1,500; jobs free."""
    df = pd.DataFrame({"compound_id": ["a"], "households": [100], "floor_area_m2": [10000.0],
                       "build_year": [1990], "green_area_m2": [1000.0], "buildings": [2]})
    comp = year_components(df, HAND, _free_jobs(), horizon_years=2)
    assert comp.staff_yuan[:, 0].tolist() == pytest.approx([127331.1] * 2)
    assert comp.in_kind_yuan[:, 0].tolist() == pytest.approx([12754.6848] * 2)
    assert comp.street_yuan[:, 0].tolist() == pytest.approx([5475.0] * 2)
    assert comp.other_yuan[:, 0].tolist() == pytest.approx([12800.0] * 2)
    assert comp.income_yuan == {"advertising": pytest.approx(np.full((2, 1), 1500.0))}
    assert comp.device_capital_yuan == {"access_control": pytest.approx([30000.0])}
    assert comp.device_life_years == {"access_control": pytest.approx([8.0])}
    assert comp.years.tolist() == [2024, 2025]
    # Jobs: uses grow with age (34 then 35 years): pipe dredging 2 buildings x 0.5 x
    # min(1 + 0.04 x age, 3) = 2.36, then 2.40.
    assert comp.job_uses["pipe_dredging"][:, 0].tolist() == pytest.approx([2.36, 2.4])


def test_one_offs_and_opening_balance() -> None:
    base = ProjectionSettings(horizon_years=3, replace_devices=False)
    extra = base.model_copy(update={"opening_balance_yuan": 1000.0, "one_offs": (
        OneOff(year=2, amount_yuan=5000.0, compound_id="k", label="roof"),)})
    a = project(_old_compound(), BARE, settings=base).balance.iloc[0].to_numpy()
    b = project(_old_compound(), BARE, settings=extra).balance.iloc[0].to_numpy()
    flows = project(_old_compound(), BARE, settings=extra).flows
    assert flows["one_offs_yuan"].tolist() == [0.0, 5000.0, 0.0]
    i = base.interest_rate
    # +1,000 grows with interest; -5,000 in year 2 grows from year 2.
    expected = a + 1000.0 * (1 + i) ** np.arange(1, 4) - np.array([0, 5000.0, 5000.0 * (1 + i)])
    np.testing.assert_allclose(b, expected)
    with pytest.raises(InputError, match="not a compound"):
        project(_old_compound(), BARE, settings=base.model_copy(update={"one_offs": (
            OneOff(year=1, amount_yuan=1.0, compound_id="nobody"),)}))


def test_device_replacement_at_end_of_life() -> None:
    devices = SmartDevices(items=(
        Device(name="speakers", basis="compound", units_per_basis=2.0,
               capital_cost_yuan_per_unit=800.0, service_life_years=5.0),
        Device(name="cameras", basis="building", units_per_basis=2.0,
               capital_cost_yuan_per_unit=1500.0, service_life_years=6.0),
        Device(name="access_control", basis="gate", units_per_basis=1.0,
               capital_cost_yuan_per_unit=30000.0, service_life_years=8.0),
        Device(name="smart_parking", basis="parking_space", units_per_basis=1.0,
               capital_cost_yuan_per_unit=600.0, service_life_years=8.0),
    ))
    plan = BARE.model_copy(update={"smart_devices": devices})
    df = _old_compound().assign(gates=1, buildings=1, parking_spaces=10)
    comp = year_components(df, plan, horizon_years=10)
    p = project(df, plan, settings=ProjectionSettings(horizon_years=10,
                                                      price_inflation_rate=0.0),
                components=comp)
    repl = p.flows.set_index("year")["replacements_yuan"]
    # Speakers (5 y, 2 x 800 = 1,600) in year 6; cameras (6 y, 2 per building x 1,500 =
    # 3,000) in year 7; access control (8 y, 1 gate x 30,000) and smart parking (8 y,
    # 10 spaces x 600 = 6,000) in year 9: 36,000; speakers again in year 11 (beyond).
    assert repl.loc[2029] == pytest.approx(1600.0)
    assert repl.loc[2030] == pytest.approx(3000.0)
    assert repl.loc[2032] == pytest.approx(36000.0)
    assert repl.drop([2029, 2030, 2032]).eq(0).all()


@settings(max_examples=15)
@given(districts(max_size=4), st.floats(0.0, 0.1), st.floats(0.0, 0.1))
def test_higher_inflation_never_raises_the_pool(df, low, extra) -> None:
    comp = year_components(df, horizon_years=4)
    a = project(df, settings=ProjectionSettings(horizon_years=4, price_inflation_rate=low),
                components=comp).balance.to_numpy()
    b = project(df, settings=ProjectionSettings(horizon_years=4,
                                                price_inflation_rate=low + extra),
                components=comp).balance.to_numpy()
    assert np.all(b <= a + 1e-6)


def _staffed_with_income() -> pf.Plan:
    # The stand-alone company at cost with the default plan's public-income sources:
    # every compound of the street runs a deficit at 0.5 yuan/m2.
    return BARE.model_copy(update={"public_income": pf.default_plan().public_income})


@pytest.mark.parametrize("variable", ["fee_rate", "collection_rate", "public_income"])
def test_break_even_really_breaks_even(variable) -> None:
    street = pf.datasets.sanqiao_like_street().head(25)
    plan = _staffed_with_income()
    be = break_even(street, variable, plan)
    if variable == "collection_rate":
        assert not be["reachable"].any()  # at 0.5 yuan/m2 no collection rate suffices
        assert (be["reason"] == "would need more than 100% of the billed fee").all()
        assert (be["value"] > 1).all()
        return
    assert (be["reachable"] & (be["value"] > 0)).all()
    if variable == "fee_rate":
        changed = street.assign(fee_rate_yuan_per_m2_month=be["value"].to_numpy())
        out = pf.evaluate_district(changed, plan).compounds
    else:
        # A panel a building earns its price x 0.5 occupancy: the price rises by twice the
        # extra income a building.
        extra = (be["value"] - be["current"]).to_numpy() / street["buildings"].to_numpy()
        over = pd.DataFrame({"compound_id": street["compound_id"],
                             "public_income.advertising_buildings.price_yuan_per_unit_year":
                                 400.0 + 2 * extra})
        out = pf.evaluate_district(street, plan, overrides=over).compounds
    # Zero, to the rounding of the budget's lines to the fen (about 50 lines a compound
    # here; break-even works on the unrounded cash).
    np.testing.assert_allclose(out["pool_balance_yuan"], 0.0, atol=0.05)


def test_bundle_size_answers_clearly() -> None:
    street = pf.datasets.sanqiao_like_street().head(10)
    be = break_even(street, "bundle_size", max_bundle_size=5)
    unreachable = be[~be["reachable"]]
    assert np.isinf(unreachable["value"]).all()
    assert (unreachable["reason"] == "no bundle of up to 5 such compounds pays its way").all()
    reachable = be[be["reachable"]]
    assert reachable["value"].isin([1.0, 2.0, 3.0, 4.0, 5.0]).all()
    assert (reachable["reason"] == "").all()
    # Each answer checked against the game: k copies pay their way, k - 1 do not.
    from propfee.bundling import BundleGame

    game = BundleGame.from_district(street)
    keep = game.income_yuan - game.other_cash_yuan
    for i, k in zip(be.index, be["value"], strict=True):
        sizes = range(1, 6) if np.isinf(k) else [int(k) - 1, int(k)]
        for size in sizes:
            if size == 0:
                continue
            pays = size * keep[i] >= game.costs(np.full((1, size), i))[0]
            assert pays == (size == k), (i, size)


def test_tornado_and_grid_agree_with_direct_evaluation() -> None:
    street = pf.datasets.sanqiao_like_street().head(30)
    table = tornado(street, {"fees.collection_rate": (0.5, 0.9),
                             "public_income.parking.occupancy_rate": (0.3, 0.9)})
    assert list(table.columns[:3]) == ["parameter", "base_value", "low"]
    assert table["swing"].is_monotonic_decreasing
    direct = pf.evaluate_district(street, params=pf.default_parameters().replace(
        {"fees.collection_rate": 0.5})).compounds["street_subsidy_yuan"].sum()
    row = table.set_index("parameter").loc["fees.collection_rate"]
    assert row["metric_low"] == pytest.approx(direct)
    g = grid(street, ("fees.collection_rate", [0.6, 0.8]),
             ("fees.rate_yuan_per_m2_month", [0.5, 1.0]))
    assert g.shape == (2, 2)
    cell = pf.evaluate_district(street, params=pf.default_parameters().replace(
        {"fees.collection_rate": 0.8, "fees.rate_yuan_per_m2_month": 1.0}))
    assert g.loc[1.0, 0.8] == pytest.approx(cell.compounds["street_subsidy_yuan"].sum())
    with pytest.raises(InputError, match="neither a numeric parameter path"):
        tornado(street, {"fees.nonsense": (0.0, 1.0)})


def test_tornado_and_grid_by_hand() -> None:
    """The hand compound of the budget's tests (balance 42,000 + 1,500 - 140,131.10 =
    -96,631.10): collection 0.5 / 0.9 makes the fee 30,000 / 54,000, -108,631.10 /
    -84,631.10; the advertising price 1,000 / 3,000 makes the income 1,000 / 3,000,
    -97,131.10 / -95,131.10; a cleaner's wage of 1,880 / 2,500 costs the half post
    0.5 x (w x 12 x 1.05 + 13,320) = 18,504 / 22,410 instead of 19,260, -95,875.10 /
    -99,781.10 (the volunteers' shadow wage is the minimum wage, unchanged)."""
    df = pd.DataFrame({"compound_id": ["a"], "households": [100], "floor_area_m2": [10000.0],
                       "build_year": [1990], "green_area_m2": [1000.0], "buildings": [2]})
    ranges = {"fees.collection_rate": (0.5, 0.9),
              "public_income.advertising.price_yuan_per_unit_year": (1000.0, 3000.0),
              "staffing.cleaning.monthly_wage_yuan": (1880.0, 2500.0)}
    table = tornado(df, ranges, HAND, _free_jobs(), metric="pool_balance_yuan")
    assert table["parameter"].tolist() == [
        "fees.collection_rate", "staffing.cleaning.monthly_wage_yuan",
        "public_income.advertising.price_yuan_per_unit_year"]
    assert table["base_value"].tolist() == [0.7, 2000.0, 1500.0]
    assert table["metric_base"].tolist() == pytest.approx([-96631.1] * 3)
    assert table["metric_low"].tolist() == pytest.approx([-108631.1, -95875.1, -97131.1])
    assert table["metric_high"].tolist() == pytest.approx([-84631.1, -99781.1, -95131.1])
    assert table["swing"].tolist() == pytest.approx([24000.0, 3906.0, 2000.0])
    g = grid(df, ("fees.collection_rate", [0.5, 0.9]),
             ("public_income.advertising.price_yuan_per_unit_year", [1000.0, 3000.0]),
             HAND, _free_jobs(), metric="pool_balance_yuan")
    assert g.index.name == "public_income.advertising.price_yuan_per_unit_year"
    assert g.columns.name == "fees.collection_rate"
    np.testing.assert_allclose(g.to_numpy(), [[-109131.1, -85131.1], [-107131.1, -83131.1]])
    with pytest.raises(InputError, match="one of compounds_in_deficit, street_subsidy_yuan"):
        tornado(df, {"fees.collection_rate": (0.5, 0.9)}, HAND, _free_jobs(),
                metric="baseline_balance_yuan")


def test_monte_carlo_with_zero_variance_equals_the_projection() -> None:
    street = pf.datasets.sanqiao_like_street().head(20)
    s = ProjectionSettings(horizon_years=5)
    still = Uncertainty(collection_rate_sd=0.0, poisson_jobs=False, volunteer_coverage_sd=0.0,
                        parking_occupancy_sd=0.0, wage_growth_sd=0.0)
    mc = monte_carlo(street, settings=s, uncertainty=still, draws=3, seed=1)
    p = project(street, settings=s)
    net = p.flows.pivot_table(index="compound_id", columns="year", values="net_yuan")
    expected = np.maximum(-net, 0).mean(axis=1).reindex(mc.compounds["compound_id"])
    np.testing.assert_allclose(mc.compounds["subsidy_q50_yuan"], expected.to_numpy())
    np.testing.assert_allclose(mc.compounds["subsidy_q05_yuan"], expected.to_numpy())
    neg = (p.balance < 0).any(axis=1).reindex(mc.compounds["compound_id"]).to_numpy()
    np.testing.assert_array_equal(mc.compounds["p_pool_negative"].to_numpy(), neg.astype(float))


def test_monte_carlo_is_seeded() -> None:
    street = pf.datasets.sanqiao_like_street().head(15)
    s = ProjectionSettings(horizon_years=4)
    a = monte_carlo(street, settings=s, draws=600, seed=7)
    b = monte_carlo(street, settings=s, draws=600, seed=7)
    c = monte_carlo(street, settings=s, draws=600, seed=8)
    pd.testing.assert_frame_equal(a.compounds, b.compounds)
    assert not a.compounds.equals(c.compounds)
    assert (a.compounds["subsidy_q05_yuan"] <= a.compounds["subsidy_q95_yuan"]).all()


def test_monte_carlo_blocks_in_any_order_give_the_same_numbers() -> None:
    """Draws are made in blocks of 250, each from its own child seed: running the blocks
    last first (as workers might finish them) and summarising them in block order gives
    what monte_carlo gives; 600 draws are blocks of 250, 250 and 100."""
    from propfee.analysis.montecarlo import Setup, run_block

    street = pf.datasets.sanqiao_like_street().head(8)
    s = ProjectionSettings(horizon_years=3)
    setup = Setup.make(street, None, None, s, None, None, 600, 7)
    assert [size for _, size in setup.blocks] == [250, 250, 100]
    done = {k: run_block(setup.levels, setup.settings, setup.uncertainty, child, size)
            for k, (child, size) in reversed(list(enumerate(setup.blocks)))}
    mc = setup.summarise([done[k] for k in range(3)])
    pd.testing.assert_frame_equal(mc.compounds, monte_carlo(street, settings=s, draws=600,
                                                            seed=7).compounds)


def test_collection_break_even_plugged_back_at_a_higher_rate() -> None:
    street = pf.datasets.sanqiao_like_street().head(25)
    plan = BARE
    params = pf.default_parameters().replace({"fees.rate_yuan_per_m2_month": 4.0})
    be = break_even(street, "collection_rate", plan, params)
    ok = be["reachable"].to_numpy() & (be["value"] > 0).to_numpy()
    assert ok.sum() > 0
    changed = street[ok].assign(collection_rate=be["value"].to_numpy()[ok])
    out = pf.evaluate_district(changed, plan, params).compounds
    np.testing.assert_allclose(out["pool_balance_yuan"], 0.0, atol=0.02)


def test_job_bill_has_the_poisson_mean_and_variance() -> None:
    """Two jobs in one compound-year: 10 uses at 100 yuan and 4 uses at 500 yuan.

    mu = 10 x 100 + 4 x 500 = 3,000 yuan; sigma^2 = 10 x 100^2 + 4 x 500^2 = 1,100,000.
    The drawn bill (factor x mu) over 200,000 seeded draws has that mean and variance
    within 1% and 2%; a compound-year with no expected job keeps factor 1.
    """
    import numpy as np

    from propfee.analysis.montecarlo import job_bill_factor

    uses = {"a": np.array([[10.0, 0.0]]), "b": np.array([[4.0, 0.0]])}
    price = {"a": np.array([100.0, 100.0]), "b": np.array([500.0, 500.0])}
    factor = job_bill_factor(np.random.default_rng(7), uses, price, 200_000)
    bill = factor[:, 0, 0] * 3000.0
    assert bill.mean() == pytest.approx(3000.0, rel=0.01)
    assert bill.var() == pytest.approx(1_100_000.0, rel=0.02)
    assert np.all(factor[:, 0, 1] == 1.0)
