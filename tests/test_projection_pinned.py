"""The fund-pool projection and its Monte Carlo, every figure by hand, every term non-zero.

Two compounds over three years (2024-2026), their year components given directly (the
kernel's own figures are pinned in tests/test_hand_budgets.py), so that each term of the
projection is a number one can follow:

    compound                      a                       b
    floor area, fee rate          10,000 m2, 0.5          5,000 m2, 1.0
    fee billed, collection        60,000, 80%             60,000, 90%
    staff (constant prices)       50,000; 51,000; 52,000  46,500 each year
    other                         8,000                   6,000
    pipe jobs: uses x price       2; 2.5; 3 x 400         1 x 500
    advertising income            3,000                   1,000
    device capital, life          6,000, 2 years          1,000, 2.5 years

Settings: wages +5%, prices +2%, public income +3%, the fee rate +1% a year, interest 1%
on the balance (charged on a negative one), opening balance 2,000, a one-off of 3,000
for a in year 2, devices replaced by the pool, a threshold floor of 5,000. Indices
W = 1, 1.05, 1.1025; P = 1, 1.02, 1.0404; F = 1, 1.01, 1.0201; G = 1, 1.03, 1.0609.
Devices installed at the start of year 1 are replaced at the start of year
floor(k x life) + 1: a's camera in year 3 (floor 2 + 1), b's too (floor 2.5 + 1), at the
year's prices: 6,000 x 1.0404 = 6,242.40 and 1,000 x 1.0404 = 1,040.40.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from propfee.analysis.components import Components
from propfee.analysis.montecarlo import Levels, Uncertainty, job_bill_factor, run_block
from propfee.analysis.projection import OneOff, Projection, ProjectionSettings, project
from propfee.errors import InputError

COMP = Components(
    ids=np.array(["a", "b"]), years=np.array([2024, 2025, 2026]),
    staff_yuan=np.array([[50000.0, 46500.0], [51000.0, 46500.0], [52000.0, 46500.0]]),
    in_kind_yuan=np.zeros((3, 2)), other_yuan=np.array([[8000.0, 6000.0]] * 3),
    street_yuan=np.zeros((3, 2)),
    job_uses={"pipe": np.array([[2.0, 1.0], [2.5, 1.0], [3.0, 1.0]])},
    job_price_yuan={"pipe": np.array([400.0, 500.0])},
    income_yuan={"ads": np.array([[3000.0, 1000.0]] * 3)}, income_is_parking={"ads": False},
    device_capital_yuan={"camera": np.array([6000.0, 1000.0])},
    device_life_years={"camera": np.array([2.0, 2.5])},
    fee_billed_yuan=np.array([60000.0, 60000.0]), collection_rate=np.array([0.8, 0.9]),
    floor_area_m2=np.array([10000.0, 5000.0]), rate_yuan_per_m2_month=np.array([0.5, 1.0]),
)
SETTINGS = ProjectionSettings(
    horizon_years=3, wage_growth_rate=0.05, price_inflation_rate=0.02,
    public_income_growth_rate=0.03, fee_rate_growth_rate=0.01, interest_rate=0.01,
    opening_balance_yuan=2000.0, threshold_floor_yuan=5000.0,
    one_offs=(OneOff(year=2, amount_yuan=3000.0, compound_id="a", label="roof repair"),))
A = (1.0, 2.01, 3.0301)  # sum_{s<=t} 1.01^(t-s)
TABLE = pd.DataFrame({"compound_id": ["a", "b"], "households": [100, 60],
                      "floor_area_m2": [10000.0, 5000.0], "build_year": [1990, 1990]})


def _project(settings: ProjectionSettings, components: Components = COMP) -> Projection:
    """The projection of the given year components (the table only names the compounds)."""
    return project(TABLE, settings=settings, components=components)


# Year by year, by hand.
# a, t=1: fee 48,000 + ads 3,000 - staff 50,000 - other 8,000 - jobs 800 = -7,800;
#         interest 1% of 2,000 = 20: B1 = 2,000 + 20 - 7,800 = -5,780
#    t=2: fee 48,000 x 1.01 = 48,480; ads 3,090; staff 51,000 x 1.05 = 53,550; other
#         8,160; jobs 2.5 x 400 x 1.02 = 1,020; one-off 3,000: net 51,570 - 65,730 =
#         -14,160; interest -57.80: B2 = -5,780 - 57.80 - 14,160 = -19,997.80
#    t=3: fee 48,964.80; ads 3,182.70; staff 52,000 x 1.1025 = 57,330; other 8,323.20;
#         jobs 3 x 400 x 1.0404 = 1,248.48; camera 6,242.40: net 52,147.50 - 73,144.08 =
#         -20,996.58; interest -199.978: B3 = -19,997.80 - 199.978 - 20,996.58 =
#         -41,194.358
# b, t=1: 54,000 + 1,000 - 46,500 - 6,000 - 500 = 2,000; + 20: B1 = 4,020
#    t=2: 54,540 + 1,030 - 48,825 - 6,120 - 510 = 115; + 40.20: B2 = 4,175.20
#    t=3: 55,085.40 + 1,060.90 - 51,266.25 - 6,242.40 - 520.20 - 1,040.40 = -2,922.95;
#         + 41.752: B3 = 1,294.002
FLOWS = {
    "fee_income_yuan": ([48000.0, 48480.0, 48964.8], [54000.0, 54540.0, 55085.4]),
    "public_income_yuan": ([3000.0, 3090.0, 3182.7], [1000.0, 1030.0, 1060.9]),
    "staff_yuan": ([50000.0, 53550.0, 57330.0], [46500.0, 48825.0, 51266.25]),
    "other_yuan": ([8000.0, 8160.0, 8323.2], [6000.0, 6120.0, 6242.4]),
    "jobs_yuan": ([800.0, 1020.0, 1248.48], [500.0, 510.0, 520.2]),
    "replacements_yuan": ([0.0, 0.0, 6242.4], [0.0, 0.0, 1040.4]),
    "one_offs_yuan": ([0.0, 3000.0, 0.0], [0.0, 0.0, 0.0]),
    "interest_yuan": ([20.0, -57.8, -199.978], [20.0, 40.2, 41.752]),
    "net_yuan": ([-7800.0, -14160.0, -20996.58], [2000.0, 115.0, -2922.95]),
    "balance_yuan": ([-5780.0, -19997.8, -41194.358], [4020.0, 4175.2, 1294.002]),
}


def test_three_year_flows_by_hand() -> None:
    p = _project(settings=SETTINGS, components=COMP)
    for column, (a, b) in FLOWS.items():
        flows = p.flows.set_index(["compound_id", "year"])[column]
        assert flows.loc["a"].tolist() == pytest.approx(a, rel=1e-12, abs=1e-9), column
        assert flows.loc["b"].tolist() == pytest.approx(b, rel=1e-12, abs=1e-9), column
    assert p.balance.to_numpy()[0].tolist() == pytest.approx(FLOWS["balance_yuan"][0],
                                                             rel=1e-12)
    assert [int(y) for y in p.balance.columns] == [2024, 2025, 2026]
    # The district: every flow summed, e.g. balance 2026 -41,194.358 + 1,294.002.
    assert p.district().loc[2026, "balance_yuan"] == pytest.approx(-39900.356, rel=1e-12)
    assert p.district().loc[2025, "one_offs_yuan"] == pytest.approx(3000.0)


def test_funding_contributions_and_fee_rates_by_hand() -> None:
    """a: baseline -B / A = 5,780; 19,997.8 / 2.01 = 9,949.15; 41,194.358 / 3.0301 =
    13,595.05 -> 13,595.05 a year. Threshold (5,000 - B) / A = 10,780; 24,997.8 / 2.01 =
    12,436.72; 46,194.358 / 3.0301 = 15,245.16.

    As fee rates, a rise grows with the rate (F = 1, 1.01, 1.0201) and earns interest:
    A'_t = sum_s 1.01^(t-s) F_s = t x 1.01^(t-1) = 1, 2.02, 3.0603; K = 10,000 m2 x 12 x
    0.8 = 96,000. Baseline -B / A' = 5,780; 9,899.90; 41,194.358 / 3.0603 = 13,460.89 ->
    0.5 + 13,460.89 / 96,000 = 0.640218. Threshold 10,780; 12,375.15; 46,194.358 /
    3.0603 = 15,094.72 -> 0.5 + 15,094.72 / 96,000 = 0.657237.

    b never goes negative: baseline 0 and its fee rate is its own, 1.0. Threshold
    (5,000 - B) / A = 980; 824.8 / 2.01 = 410.35; 3,705.998 / 3.0301 = 1,223.06 a year;
    as a rate (K = 5,000 x 12 x 0.9 = 54,000): 980; 408.32; 3,705.998 / 3.0603 = 1,210.99
    -> 1.0 + 1,210.99 / 54,000 = 1.022426.
    """
    f = _project(settings=SETTINGS, components=COMP).funding.set_index("compound_id")
    base_a = 41194.358 / 3.0301
    thr_a = 46194.358 / 3.0301
    thr_b = 3705.998 / 3.0301
    assert f.loc["a", "baseline_contribution_yuan"] == pytest.approx(base_a, rel=1e-12)
    assert f.loc["a", "baseline_contribution_yuan"] == pytest.approx(13595.05, abs=5e-3)
    assert f.loc["a", "threshold_contribution_yuan"] == pytest.approx(thr_a, rel=1e-12)
    assert f.loc["a", "baseline_fee_rate_yuan_per_m2_month"] == pytest.approx(
        0.5 + 41194.358 / 3.0603 / 96000.0, rel=1e-12)
    assert f.loc["a", "baseline_fee_rate_yuan_per_m2_month"] == pytest.approx(0.640218,
                                                                             abs=5e-7)
    assert f.loc["a", "threshold_fee_rate_yuan_per_m2_month"] == pytest.approx(
        0.5 + 46194.358 / 3.0603 / 96000.0, rel=1e-12)
    assert f.loc["a", "threshold_fee_rate_yuan_per_m2_month"] == pytest.approx(0.657237,
                                                                              abs=5e-7)
    assert f.loc["a", "first_negative_year"] == 2024
    assert f.loc["b", "baseline_contribution_yuan"] == 0.0
    assert f.loc["b", "baseline_fee_rate_yuan_per_m2_month"] == 1.0
    assert f.loc["b", "threshold_contribution_yuan"] == pytest.approx(thr_b, rel=1e-12)
    assert f.loc["b", "threshold_fee_rate_yuan_per_m2_month"] == pytest.approx(
        1.0 + 3705.998 / 3.0603 / 54000.0, rel=1e-12)
    assert f.loc["b", "threshold_fee_rate_yuan_per_m2_month"] == pytest.approx(1.022426,
                                                                              abs=5e-7)
    assert f["first_negative_year"].isna().tolist() == [False, True]


GRANT = SETTINGS.model_copy(update={"one_offs": (
    *SETTINGS.one_offs,
    OneOff(year=3, amount_yuan=-45000.0, compound_id="a", label="renovation grant"))})
"""A grant of 45,000 paid into a's pool in 2026: its net that year is -20,996.58 + 45,000
= 24,003.42 and B3 = -19,997.80 - 199.978 + 24,003.42 = 3,805.642, so 2025 binds."""


def test_an_earlier_year_binds_when_the_pool_recovers() -> None:
    """a with the grant: baseline -B / A = 5,780; 19,997.8 / 2.01 = 9,949.154; -3,805.642
    / 3.0301 < 0: 9,949.154 (2025). Threshold (5,000 - B) / A = 10,780; 24,997.8 / 2.01
    = 12,436.716; 1,194.358 / 3.0301 = 394.16: 12,436.716 (2025). As rates (A' = 1, 2.02,
    3.0603): 19,997.8 / 2.02 = 9,899.90 -> 0.5 + 9,899.90 / 96,000 = 0.603124; 24,997.8 /
    2.02 = 12,375.15 -> 0.5 + 12,375.15 / 96,000 = 0.628908."""
    p = _project(settings=GRANT, components=COMP)
    a = p.flows[p.flows["compound_id"] == "a"]
    assert a["one_offs_yuan"].tolist() == [0.0, 3000.0, -45000.0]
    assert a["balance_yuan"].tolist() == pytest.approx([-5780.0, -19997.8, 3805.642],
                                                       rel=1e-12)
    f = p.funding.set_index("compound_id").loc["a"]
    assert f["baseline_contribution_yuan"] == pytest.approx(19997.8 / 2.01, rel=1e-12)
    assert f["threshold_contribution_yuan"] == pytest.approx(24997.8 / 2.01, rel=1e-12)
    assert f["baseline_fee_rate_yuan_per_m2_month"] == pytest.approx(0.603124, abs=5e-7)
    assert f["threshold_fee_rate_yuan_per_m2_month"] == pytest.approx(0.628908, abs=5e-7)
    assert f["first_negative_year"] == 2024


def _charging(rate: np.ndarray) -> Components:
    """The components with each compound charging ``rate`` instead of its own."""
    return dataclasses.replace(COMP, rate_yuan_per_m2_month=rate,
                               fee_billed_yuan=COMP.floor_area_m2 * 12.0 * rate)


@pytest.mark.parametrize(("column", "goal"), [
    ("baseline_fee_rate_yuan_per_m2_month", 0.0),
    ("threshold_fee_rate_yuan_per_m2_month", 5000.0),
])
def test_the_funding_fee_rate_keeps_the_pool_at_its_goal(column: str, goal: float) -> None:
    """With a steady fee rate (no growth of the rate), charging the funding fee rate
    instead of the compound's own keeps the pool at or above the goal every year, and
    exactly on it in the year that binds: the rate is the least that does it."""
    steady = SETTINGS.model_copy(update={"fee_rate_growth_rate": 0.0})
    rate = _project(settings=steady, components=COMP).funding[column].to_numpy()
    balance = _project(settings=steady, components=_charging(rate)).balance.to_numpy()
    assert balance.min(axis=1) == pytest.approx([goal, goal], abs=1e-6)
    # Without a rate of growth the fee income is 60,000 x collection every year; b's pool
    # then dips below 5,000 (and below 0 in 2026), so it has a rate above its own too.
    assert (rate > COMP.rate_yuan_per_m2_month).all()


@pytest.mark.parametrize("growth", [-0.05, 0.01])
def test_the_baseline_fee_rate_keeps_the_pool_at_zero_when_the_fee_rate_moves(
        growth: float) -> None:
    """The rise follows the fee rate's growth: charging the baseline fee rate keeps the pool
    at or above zero and exactly on it in the year that binds, whether the rate falls or
    rises."""
    moving = SETTINGS.model_copy(update={"fee_rate_growth_rate": growth})
    rate = _project(settings=moving, components=COMP).funding[
        "baseline_fee_rate_yuan_per_m2_month"].to_numpy()
    balance = _project(settings=moving, components=_charging(rate)).balance.to_numpy()
    assert balance[0].min() == pytest.approx(0.0, abs=1e-6)  # a binds
    assert balance.min() >= -1e-6


def test_no_contribution_needed_means_no_fee_rise_even_without_collection() -> None:
    """Collection rate 0 but a pool that never falls below the floor: no rise, the own
    rate; a compound that collects nothing and needs money cannot get it from the fee."""
    rich = dataclasses.replace(COMP, collection_rate=np.array([0.0, 0.0]),
                               income_yuan={"ads": np.array([[80000.0, 80000.0]] * 3)})
    f = _project(settings=SETTINGS, components=rich).funding
    assert f["threshold_contribution_yuan"].tolist() == [0.0, 0.0]
    assert f["baseline_fee_rate_yuan_per_m2_month"].tolist() == [0.5, 1.0]
    assert f["threshold_fee_rate_yuan_per_m2_month"].tolist() == [0.5, 1.0]
    # Nothing collected and only the ads of COMP: every pool needs money, no fee brings it.
    poor = dataclasses.replace(COMP, collection_rate=np.array([0.0, 0.0]))
    f = _project(settings=SETTINGS, components=poor).funding
    assert (f["baseline_contribution_yuan"] > 0).all()
    assert np.isinf(f["baseline_fee_rate_yuan_per_m2_month"]).all()
    assert np.isinf(f["threshold_fee_rate_yuan_per_m2_month"]).all()


def test_renovation_programme_pays_the_replacements() -> None:
    """Replacements paid by the renovation programme leave the pool: a's 2026 net is
    -20,996.58 + 6,242.40 = -14,754.18 and B3 = -19,997.80 - 199.978 - 14,754.18 =
    -34,951.958; b's B3 = 1,294.002 + 1,040.40 = 2,334.402."""
    programme = SETTINGS.model_copy(update={"replacement_funder": "renovation_programme"})
    flows = _project(settings=programme, components=COMP).flows
    assert flows["replacements_yuan"].tolist() == [0.0] * 6
    assert flows["balance_yuan"].tolist()[4:] == pytest.approx([-34951.958, 2334.402],
                                                               rel=1e-12)


@pytest.mark.parametrize(("life", "years"), [
    # Installed at the start of year 1; replaced at the start of years floor(k x life) + 1.
    (1.0, [2, 3]),      # 2, 3 (4 is past the horizon)
    (1.5, [2]),         # floor(1.5) + 1 = 2; floor(3.0) + 1 = 4
    (2.0, [3]),         # the last year of the horizon
    (2.999, [3]),       # floor(2.999) + 1 = 3: just inside
    (3.0, []),          # floor(3) + 1 = 4: just past it
])
def test_device_replacement_at_the_end_of_the_horizon(life: float, years: list[int]) -> None:
    comp = dataclasses.replace(COMP, device_life_years={"camera": np.array([life, life])})
    flows = _project(settings=SETTINGS, components=comp).flows
    a = flows[flows["compound_id"] == "a"]["replacements_yuan"].tolist()
    price = [1.0, 1.02, 1.0404]
    assert a == pytest.approx([6000.0 * price[t - 1] if t in years else 0.0
                               for t in (1, 2, 3)], rel=1e-12)


@pytest.mark.parametrize(("year", "balance_a"), [
    # 1,000 more paid out of every pool: in year 2 it costs 1,000 x 1.01 by 2026 (a's
    # -41,194.358 - 1,010); in year 3, the last, 1,000; in year 4 it is past the horizon.
    (2, -42204.358),
    (3, -42194.358),
    (4, None),
])
def test_one_off_in_the_last_year_of_the_horizon_and_after_it(year: int,
                                                               balance_a: float | None) -> None:
    extra = SETTINGS.model_copy(update={"one_offs": (
        *SETTINGS.one_offs, OneOff(year=year, amount_yuan=1000.0, label="lift survey"))})
    if balance_a is None:
        with pytest.raises(InputError, match=r"one_offs\.year.*beyond the 3-year horizon"):
            _project(settings=extra)
        return
    flows = _project(settings=extra).flows
    assert flows["balance_yuan"].tolist()[4] == pytest.approx(balance_a, rel=1e-12)
    assert flows["one_offs_yuan"].tolist()[2 * (year - 1) + 1] == 1000.0  # b's


# --- Monte Carlo ------------------------------------------------------------------------

LEVELS = Levels(multipliers=np.array([1.0]), staff=COMP.staff_yuan[None],
                other=COMP.other_yuan[None], in_kind=COMP.in_kind_yuan[None], base=COMP,
                occupancy={"ads": np.array([1.0, 1.0])})
STILL = Uncertainty(collection_rate_sd=0.0, poisson_jobs=False, volunteer_coverage_sd=0.0,
                    parking_occupancy_sd=0.0, wage_growth_sd=0.0)


@pytest.mark.parametrize(("settings", "subsidy_a"), [
    # The mean yearly subsidy is the mean of the yearly deficits max(-net, 0):
    # a: (7,800 + 14,160 + 20,996.58) / 3 = 14,318.86
    (SETTINGS, 14318.86),
    # With the grant a's pool ends 2026 at +3,805.642 but was negative before: still a
    # draw where the pool goes negative; no deficit in 2026: (7,800 + 14,160) / 3 = 7,320.
    (GRANT, 7320.0),
])
def test_monte_carlo_without_spread_is_the_projection(settings: ProjectionSettings,
                                                      subsidy_a: float) -> None:
    """Every draw is the projection: a's pool goes negative, b's does not (b's subsidy
    (0 + 0 + 2,922.95) / 3 = 974.316667)."""
    negative, subsidy = run_block(LEVELS, settings, STILL, np.random.SeedSequence(1), 3)
    assert negative.tolist() == [[1.0, 0.0]] * 3
    assert subsidy[:, 0].tolist() == pytest.approx([subsidy_a] * 3, rel=1e-12)
    assert subsidy[:, 1].tolist() == pytest.approx([2922.95 / 3] * 3, rel=1e-12)


def test_monte_carlo_draws_followed_by_hand() -> None:
    """Collection rates and wage growth drawn from a seeded generator, followed draw by draw.

    The block's generator draws, in this order: the volunteer multipliers (2 draws x 2
    compounds, unused with one coverage level), the collection rates, then the wage
    growth. Collection: Beta with mean m and sd 0.1: k = m (1 - m) / 0.01 - 1, Beta(m k,
    (1 - m) k): a (m 0.8): k = 15, Beta(12, 3); b (m 0.9): k = 8, Beta(7.2, 0.8). Wage
    growth 5% + 2% x Z.
    """
    seq = np.random.SeedSequence(2024)
    u = STILL.model_copy(update={"wage_growth_sd": 0.02, "collection_rate_sd": 0.1})
    negative, subsidy = run_block(LEVELS, SETTINGS, u, seq, 2)
    rng = np.random.default_rng(np.random.SeedSequence(2024))
    rng.standard_normal((2, 2))
    coll = rng.beta(np.array([12.0, 7.2]), np.array([3.0, 0.8]), size=(2, 2))
    z = rng.standard_normal(2)
    # The draws of this seed (numpy's PCG64 stream):
    assert coll.ravel().tolist() == pytest.approx(
        [0.63453485, 0.94968259, 0.75080150, 0.84707844], abs=5e-9)
    assert z.tolist() == pytest.approx([0.90306308, -1.48058133], abs=5e-9)
    # Draw 0, b: collection 0.94968259, wage growth 5% + 2% x 0.90306308 = 6.806126%:
    #   fee 60,000 x 0.94968259 = 56,980.955; x 1.01 = 57,550.765; x 1.0201 = 58,126.273
    #   staff 46,500; 49,664.849; 53,045.101
    #   net: 56,980.955 + 1,000 - 46,500 - 6,000 - 500 = 4,980.955;
    #        57,550.765 + 1,030 - 49,664.849 - 6,120 - 510 = 2,285.916;
    #        58,126.273 + 1,060.90 - 53,045.101 - 6,242.40 - 520.20 - 1,040.40 = -1,660.928
    #   subsidy 1,660.928 / 3 = 553.643; the pool stays positive.
    g0 = 0.05 + 0.02 * 0.90306308
    assert g0 == pytest.approx(0.06806126, abs=5e-9)
    net_b0 = [56980.955 + 1000 - 46500 - 6000 - 500,
              57550.765 + 1030 - 46500 * (1 + g0) - 6120 - 510,
              58126.273 + 1060.9 - 46500 * (1 + g0) ** 2 - 6242.4 - 520.2 - 1040.4]
    assert net_b0 == pytest.approx([4980.955, 2285.916, -1660.928], abs=2e-3)
    assert subsidy[0, 1] == pytest.approx(1660.928 / 3, abs=1e-3)
    # Draw 1, b: collection 0.84707844, growth 5% - 2% x 1.48058133 = 2.038837%:
    #   net 50,824.706 + 1,000 - 46,500 - 6,000 - 500 = -1,175.294;
    #       51,332.953 + 1,030 - 47,448.059 - 6,120 - 510 = -1,715.106;
    #       51,846.283 + 1,060.90 - 48,415.448 - 6,242.40 - 520.20 - 1,040.40 = -3,311.265
    #   B1 = 2,000 + 20 - 1,175.294 = 844.706; B2 = 844.706 + 8.447 - 1,715.106 = -861.953:
    #   negative; subsidy (1,175.294 + 1,715.106 + 3,311.265) / 3 = 2,067.222.
    g1 = 0.05 - 0.02 * 1.48058133
    fee_b1 = 60000 * 0.84707844 * np.array([1.0, 1.01, 1.0201])
    assert fee_b1.tolist() == pytest.approx([50824.706, 51332.953, 51846.283], abs=1e-3)
    assert 46500 * (1 + g1) == pytest.approx(47448.059, abs=1e-3)
    assert subsidy[1, 1] == pytest.approx((1175.294 + 1715.106 + 3311.265) / 3, abs=1e-3)
    # a is short in both draws: draw 0, t = 1: 60,000 x 0.63453485 + 3,000 - 58,800 =
    # -17,727.909, already below -2,020.
    assert negative.tolist() == [[1.0, 0.0], [1.0, 1.0]]
    staff_a0 = np.array([50000.0, 51000.0 * (1 + g0), 52000.0 * (1 + g0) ** 2])
    fee_a0 = 60000 * 0.63453485 * np.array([1.0, 1.01, 1.0201])
    net_a0 = (fee_a0 + np.array([3000.0, 3090.0, 3182.7]) - staff_a0
              - np.array([8800.0, 9180.0 + 3000.0, 9571.68 + 6242.4]))
    assert net_a0[0] == pytest.approx(-17727.909, abs=1e-3)
    assert subsidy[0, 0] == pytest.approx(-net_a0.mean(), rel=1e-7)


def test_job_bill_drawn_from_the_gamma_of_the_poisson_moments() -> None:
    """Two jobs, 2 uses at 100 and 4 uses at 50: mean 2 x 100 + 4 x 50 = 400, variance
    2 x 100^2 + 4 x 50^2 = 30,000; Gamma with shape 400^2 / 30,000 = 5.3333 and scale
    30,000 / 400 = 75, over its mean. A compound with nothing expected keeps factor 1."""
    uses = {"x": np.array([[2.0, 0.0]]), "y": np.array([[4.0, 0.0]])}
    price = {"x": np.array([100.0, 100.0]), "y": np.array([50.0, 50.0])}
    factor = job_bill_factor(np.random.default_rng(5), uses, price, 3)
    assert factor.shape == (3, 1, 2)
    same = np.random.default_rng(5).gamma(np.array([[160000 / 30000, 1.0]]),
                                          np.array([[75.0, 0.0]]), size=(3, 1, 2))
    assert factor[:, 0, 0].tolist() == pytest.approx((same[:, 0, 0] / 400).tolist(),
                                                     rel=1e-12)
    assert factor[:, 0, 0].tolist() == pytest.approx([0.63987177, 1.12505624, 0.72436006],
                                                     abs=5e-9)
    assert factor[:, 0, 1].tolist() == [1.0, 1.0, 1.0]
