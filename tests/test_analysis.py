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
from propfee.channels import Device, SmartDevices
from propfee.errors import InputError

from .conftest import BARE, districts

# Only the company at cost, each compound alone: the projection is easy to follow by hand.


def _old_compound() -> pd.DataFrame:
    # Built 1950: its age factor is capped (2.5) in every year, so upkeep does not grow.
    return pd.DataFrame({"compound_id": ["k"], "households": [140], "floor_area_m2": [10000.0],
                         "build_year": [1950], "gates": [0], "green_area_m2": [0.0]})


def test_three_year_projection_by_hand() -> None:
    """Staff grows 5% a year, everything else 2%; interest 1% on the balance.

    Year-1 figures (BARE: grade 3, every role a standing post at cost; default Taiyuan
    parameters; 140 households, 10,000 m2, no gate, no green):
      staff: cleaning 10,000/13,000 = 0.77 -> 1.0 FTE x 38,520 = 38,520;
             maintenance 10,000/32,500 = 0.31 -> 0.5 FTE x 53,640 = 26,820;
             management 140/650 = 0.22 -> 0.5 FTE x 57,420 = 28,710; S = 94,050
      other: upkeep 1.2 x 10,000 x 2.5 = 30,000; cleaning materials 24 x 140 = 3,360;
             insurance 0.05 x 10,000 = 500; O = 33,860
      fee:   10,000 x 0.5 x 12 x 0.7 = 42,000
    net_t = 42,000 - 94,050 x 1.05^(t-1) - 33,860 x 1.02^(t-1):
      t=1: 42,000 - 94,050 - 33,860 = -85,910;                B1 = -85,910
      t=2: 42,000 - 98,752.5 - 34,537.2 = -91,289.7;          B2 = -85,910 x 1.01 - 91,289.7
                                                                = -86,769.1 - 91,289.7
                                                                = -178,058.8
      t=3: 42,000 - 103,690.125 - 35,227.944 = -96,918.069;   B3 = -178,058.8 x 1.01
                                                                  - 96,918.069
                                                                = -179,839.388 - 96,918.069
                                                                = -276,757.457
    """
    s = ProjectionSettings(horizon_years=3, wage_growth_rate=0.05, price_inflation_rate=0.02,
                           interest_rate=0.01, replace_devices=False)
    p = project(_old_compound(), BARE, settings=s)
    flows = p.flows.set_index("year")
    assert flows["staff_yuan"].tolist() == pytest.approx([94050.0, 98752.5, 103690.125])
    assert flows["other_yuan"].tolist() == pytest.approx([33860.0, 34537.2, 35227.944])
    assert flows["balance_yuan"].tolist() == pytest.approx(
        [-85910.0, -178058.8, -276757.457])
    assert p.funding["first_negative_year"].tolist() == [2024]
    # Baseline goal: C = max_t(-B_t / A_t), A = (1, 2.01, 3.0301): 276,757.457 / 3.0301
    # = 91,335.4; 178,058.8 / 2.01 = 88,586.5; 85,910 / 1 = 85,910 -> 91,335.4 a year.
    assert p.funding["baseline_contribution_yuan"].iloc[0] == pytest.approx(
        276757.457 / 3.0301)


def test_projection_counts_informal_hires_as_staff() -> None:
    """Informal hours grow with wages like staff: cleaning 10,000/13,000 = 0.769 FTE hired
    informally at 2,000 x 12 = 24,000 a year: 0.769... x 24,000 = 18,461.54 in year 1,
    x 1.05 in year 2 = 19,384.62."""
    plan = BARE.model_copy(update={
        "informal_roles": ("cleaning",),
        "shared_property": BARE.shared_property.model_copy(update={"standing_roles": ()}),
    })
    s = ProjectionSettings(horizon_years=2, wage_growth_rate=0.05, replace_devices=False)
    flows = project(_old_compound(), plan, settings=s).flows.set_index("year")
    year1 = 10000.0 / 13000.0 * 24000.0
    assert flows["staff_yuan"].tolist() == pytest.approx([year1, year1 * 1.05])


def test_one_offs_and_opening_balance() -> None:
    base = ProjectionSettings(horizon_years=3, replace_devices=False)
    extra = base.model_copy(update={"opening_balance_yuan": 1000.0, "one_offs": (
        OneOff(year=2, amount_yuan=5000.0, compound_id="k", label="roof"),)})
    a = project(_old_compound(), BARE, settings=base).balance.iloc[0].to_numpy()
    b = project(_old_compound(), BARE, settings=extra).balance.iloc[0].to_numpy()
    i = base.interest_rate
    # +1,000 grows with interest; -5,000 in year 2 grows from year 2.
    expected = a + 1000.0 * (1 + i) ** np.arange(1, 4) - np.array([0, 5000.0, 5000.0 * (1 + i)])
    np.testing.assert_allclose(b, expected)
    with pytest.raises(InputError, match="not a compound"):
        project(_old_compound(), BARE, settings=base.model_copy(update={"one_offs": (
            OneOff(year=1, amount_yuan=1.0, compound_id="nobody"),)}))


def test_device_replacement_at_end_of_life() -> None:
    devices = SmartDevices(devices=(
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
        # site_fees earns price x 0.5 occupancy: the price rises by twice the extra income.
        over = pd.DataFrame({"compound_id": street["compound_id"],
                             "public_income.site_fees.price_yuan_per_unit_year":
                                 2000.0 + 2 * (be["value"] - be["current"]).to_numpy()})
        out = pf.evaluate_district(street, plan, overrides=over).compounds
    np.testing.assert_allclose(out["pool_balance_yuan"], 0.0, atol=0.02)


def test_bundle_size_answers_clearly() -> None:
    be = break_even(pf.datasets.sanqiao_like_street().head(10), "bundle_size", max_bundle_size=5)
    unreachable = be[~be["reachable"]]
    assert np.isinf(unreachable["value"]).all()
    assert (unreachable["reason"].str.contains("no bundle of up to 5")).all()


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
    with pytest.raises(InputError, match="neither a parameter path"):
        tornado(street, {"fees.nonsense": (0.0, 1.0)})


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
