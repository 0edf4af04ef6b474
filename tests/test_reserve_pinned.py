"""The reserve study's figures, each computed by hand on a case where every term counts.

One compound of 10 households, 1,000 m2, five storeys and two stairwell units, with a
catalogue of three components: a roof (200 m2 x 50 = 10,000 yuan, life 10, the fund may
pay), stairwell lighting (2 x 5 = 10 storeys x 100 = 1,000 yuan, life 4, the fund may
pay) and cleaning (10 households x 10 = 100 yuan, life 2, daily upkeep: the fund pool).
Costs grow 10% a year (P_t = 1.1^(t-1)); the study starts in 2024.

The fund: first deposit D = 1,000 m2 x 1,000 yuan/m2 x 2% = 20,000; opening balance 10%
of D before 1998, 50% from 1998; a top-up when the balance is below 30% of D (6,000),
to 80% of D (16,000), half of it collected; 1% interest on a positive balance.

Funding plans, from the flows without top-ups and with interest on any balance:
``B0_t = B0_{t-1} x 1.01 + deposits_t - spend_t``, ``A_t = 1, 2.01, 3.0301, 4.060401,
5.10100501``; baseline ``max(0, max_t -B0_t / A_t)``, threshold ``max(0, max_t (floor -
B0_t) / A_t)``, full ``max(baseline, (FFB_T - B0_T) / A_T)``.
"""

from __future__ import annotations

import datetime as dt
import pathlib

import numpy as np
import pandas as pd
import pytest

from propfee.errors import InputError, ParameterError
from propfee.reserve import (
    Catalogue,
    ComponentSpec,
    FundRules,
    RenovationEvent,
    ReserveSettings,
    SiteGeometry,
    default_catalogue,
    load_catalogue,
    reserve_study,
)
from propfee.reserve.fund import HOUSING_REFORM_YEAR
from propfee.reserve.priorities import priority_table, renovation_what_if

AS_OF = dt.date(2024, 7, 9)
RULES = FundRules(owner_deposit_rate=0.02, reform_cost_price_yuan_per_m2=1000.0,
                  topup_threshold_share=0.30, topup_target_share=0.8,
                  topup_collection_rate=0.5, interest_rate=0.01,
                  opening_share_pre1998=0.1, opening_share_from1998=0.5)
CATALOGUE = Catalogue(
    as_of=AS_OF, site=SiteGeometry(plot_ratio=1.0, storey_height_m=3.0, building_depth_m=10.0),
    fund=RULES,
    components=(
        ComponentSpec(name="roof", basis="roof_m2", life_years=10, unit_cost_yuan=50.0),
        ComponentSpec(name="lighting", basis="stair_storeys", life_years=4,
                      unit_cost_yuan=100.0),
        ComponentSpec(name="cleaning", basis="households", life_years=2, unit_cost_yuan=10.0,
                      work="upkeep"),
    ))
FIVE = ReserveSettings(horizon_years=5, cost_inflation_rate=0.10)
A = [1.0, 2.01, 3.0301, 4.060401, 5.10100501]  # sum_{s<=t} 1.01^(t-s)


def _compounds(*ids: str, build_year: int = 2000, households: list[int] | None = None
               ) -> pd.DataFrame:
    n = len(ids)
    return pd.DataFrame({"compound_id": list(ids), "households": households or [10] * n,
                         "floor_area_m2": [1000.0] * n, "build_year": [build_year] * n,
                         "storeys": [5] * n, "stairwell_units": [2] * n})


# The compound of the main case: roof renewed 2016 (due 2026), lighting from the build
# year 2000 (overdue: done in 2024, again 2028), cleaning renewed 2023 (2025, 2027), and
# 500 yuan a year of other deposits (income from common parts).
MAIN = pd.DataFrame({"compound_id": ["c1"], "roof.last_renewed_year": [2016],
                     "cleaning.last_renewed_year": [2023], "fund.annual_deposit_yuan": [500.0]})


def test_fund_path_and_percent_funded_by_hand() -> None:
    s = reserve_study(_compounds("c1"), CATALOGUE,
                      FIVE.model_copy(update={"threshold_share": 0.5}), overrides=MAIN)
    assert s.schedule()[["year", "component", "renewals", "cost_yuan", "payer"]
                        ].to_numpy().tolist() == [
        [2024, "lighting", 1, 1000.00, "special_maintenance_fund"],
        [2025, "cleaning", 1, 110.00, "fund_pool"],                  # 100 x 1.1
        [2026, "roof", 1, 12100.00, "special_maintenance_fund"],     # 10,000 x 1.21
        [2027, "cleaning", 1, 133.10, "fund_pool"],                  # 100 x 1.331
        [2028, "lighting", 1, 1464.10, "special_maintenance_fund"],  # 1,000 x 1.4641
    ]
    path = s.fund_path().set_index("year")
    # Built 2000 (from 1998): opening 50% x 20,000 = 10,000.
    # 2024: 10,000 + interest 100 + 500 - 1,000                          =  9,600.00
    # 2025:  9,600 + 96 + 500                                             = 10,196.00
    # 2026: 10,196 + 101.96 + 500 - 12,100                                = -1,302.04
    # 2027: below 6,000: top-up 0.5 x (16,000 - max(-1,302.04, 0)) = 8,000; no interest
    #       on a shortfall: -1,302.04 + 8,000 + 500                        =  7,197.96
    # 2028: 7,197.96 + 71.98 (71.9796) + 500 - 1,464.10                   =  6,305.84
    assert path["opening_yuan"].tolist() == [10000.00, 9600.00, 10196.00, -1302.04, 7197.96]
    assert path["topup_yuan"].tolist() == [0.0, 0.0, 0.0, 8000.00, 0.0]
    assert path["deposits_yuan"].tolist() == [500.0] * 5
    assert path["interest_yuan"].tolist() == [100.00, 96.00, 101.96, 0.0, 71.98]
    assert path["fund_work_yuan"].tolist() == [1000.00, 0.0, 12100.00, 0.0, 1464.10]
    closing = [9600.00, 10196.00, -1302.04, 7197.96, 6305.84]
    assert path["closing_yuan"].tolist() == closing
    assert path["pool_work_yuan"].tolist() == [0.0, 110.00, 0.0, 133.10, 0.0]
    assert path["programme_work_yuan"].tolist() == [0.0] * 5
    # Fully funded: P_t x (10,000 x roof age / 10 + 1,000 x lamp age / 4); the cleaning is
    # not the fund's and never counts. Ages at the end of the year: roof 9, 10 (capped at
    # its life), 1, 2, 3; lamp 1, 2, 3, 4, 1.
    # 2024: 9,000 + 250 = 9,250; 2025: 1.1 x (10,000 + 500) = 11,550;
    # 2026: 1.21 x (1,000 + 750) = 2,117.50; 2027: 1.331 x (2,000 + 1,000) = 3,993;
    # 2028: 1.4641 x (3,000 + 250) = 4,758.325 -> 4,758.33.
    ffb = [9250.00, 11550.00, 2117.50, 3993.00, 4758.33]
    assert path["fully_funded_yuan"].tolist() == ffb
    # Percent funded = closing / fully funded: 9,600 / 9,250 = 1.037838; 10,196 / 11,550 =
    # 0.882771; -1,302.04 / 2,117.50 = -0.614895; 7,197.96 / 3,993 = 1.802645;
    # 6,305.84 / 4,758.33 = 1.325221.
    assert path["percent_funded"].to_numpy() == pytest.approx(
        [9600 / 9250, 10196 / 11550, -1302.04 / 2117.5, 7197.96 / 3993, 6305.84 / 4758.33],
        rel=1e-12)
    assert path["percent_funded"].iloc[0] == pytest.approx(1.037838, abs=5e-7)
    # At the start the ages are 2024 - last renewal, capped: roof 8 -> 8,000; lamp 24 ->
    # 4 -> 1,000; year-1 prices: 9,000; percent funded 10,000 / 9,000.
    assert s.fully_funded_start_fen.tolist() == [900000]
    funding = s.funding().iloc[0]
    assert funding["first_deposit_yuan"] == 20000.00
    assert funding["opening_balance_yuan"] == 10000.00
    assert funding["percent_funded_start"] == pytest.approx(10000 / 9000, rel=1e-12)
    assert funding["first_shortfall_year"] == 2026


def test_funding_plans_by_hand() -> None:
    """Baseline, threshold (a floor of 50% of D, not the top-up rule's 30%) and full.

    Flows without top-ups: deposits - spend = -500, 500, -11,600, 500, -964.10:
      B0_1 = 10,000 x 1.01 - 500                    =  9,600
      B0_2 =  9,600 x 1.01 + 500                    = 10,196
      B0_3 = 10,196 x 1.01 - 11,600                 = -1,302.04
      B0_4 = -1,302.04 x 1.01 + 500                 =   -815.0604
      B0_5 = -815.0604 x 1.01 - 964.10              = -1,787.311004
    baseline:  -B0 / A = ..., 1,302.04 / 3.0301 = 429.702, 815.0604 / 4.060401 = 200.73,
               1,787.311004 / 5.10100501 = 350.38: 429.702 (2026 binds)
    threshold: (10,000 - B0) / A = 400, -97.51, 11,302.04 / 3.0301 = 3,729.92,
               10,815.0604 / 4.060401 = 2,663.51, 11,787.311004 / 5.10100501 = 2,310.78:
               3,729.92 (2026)
    full:      (FFB_5 - B0_5) / A_5 = (4,758.33 + 1,787.311004) / 5.10100501 = 1,283.21,
               above the baseline
    as rates:  C / (1,000 m2 x 12): 0.0358085, 0.3108269, 0.1069338
    """
    s = reserve_study(_compounds("c1"), CATALOGUE,
                      FIVE.model_copy(update={"threshold_share": 0.5}), overrides=MAIN)
    b0 = [9600.0, 10196.0, -1302.04, -815.0604, -1787.311004]
    base = 1302.04 / 3.0301
    assert base == pytest.approx(max(-b / a for b, a in zip(b0, A, strict=True)))
    threshold = 11302.04 / 3.0301
    assert threshold == pytest.approx(max((10000 - b) / a for b, a in zip(b0, A, strict=True)))
    full = (4758.33 + 1787.311004) / 5.10100501
    funding = s.funding().iloc[0]
    assert funding["baseline_contribution_yuan"] == pytest.approx(base, rel=1e-12)
    assert funding["baseline_contribution_yuan"] == pytest.approx(429.702, abs=5e-4)
    assert funding["threshold_contribution_yuan"] == pytest.approx(threshold, rel=1e-12)
    assert funding["threshold_contribution_yuan"] == pytest.approx(3729.923, abs=5e-4)
    assert funding["full_contribution_yuan"] == pytest.approx(full, rel=1e-12)
    assert funding["full_contribution_yuan"] == pytest.approx(1283.206, abs=5e-4)
    assert funding["baseline_yuan_per_m2_month"] == pytest.approx(base / 12000, rel=1e-12)
    assert funding["threshold_yuan_per_m2_month"] == pytest.approx(threshold / 12000, rel=1e-12)
    assert funding["full_yuan_per_m2_month"] == pytest.approx(full / 12000, rel=1e-12)
    # Each plan meets its goal on the linear path B0_t + C x A_t, and only just: the
    # binding year sits on the goal.
    for c, goal, binding in ((base, 0.0, 2), (threshold, 10000.0, 2)):
        path = [b + c * a for b, a in zip(b0, A, strict=True)]
        assert min(path) == pytest.approx(goal, abs=1e-9)
        assert int(np.argmin(path)) == binding
    assert b0[-1] + full * A[-1] == pytest.approx(4758.33, abs=1e-9)  # 100% funded in 2028


def test_full_plan_paid_in_reaches_the_fully_funded_balance() -> None:
    """The full plan's contribution, paid into the account as a regular deposit (no
    top-ups), ends the horizon at the fully funded balance: 4,758.33, give or take the
    fen the ledger rounds interest to."""
    s = reserve_study(_compounds("c1"), CATALOGUE, FIVE, overrides=MAIN)
    full = float(s.funding_yuan["full"][0])
    paid = MAIN.assign(**{"fund.annual_deposit_yuan": [500.0 + round(full, 2)]})
    plain = reserve_study(_compounds("c1"), CATALOGUE, FIVE.model_copy(update={"topup": False}),
                          overrides=paid)
    closing = plain.fund_path()["closing_yuan"]
    assert closing.iloc[-1] == pytest.approx(4758.33, abs=0.05)
    assert plain.percent_funded[-1, 0] == pytest.approx(1.0, abs=1e-5)
    assert (closing >= 0).all()


def test_full_plan_is_never_below_the_baseline() -> None:
    """The fund dips deep in year 1 and recovers: 100% funded at the end would take less
    than keeping the balance at zero in 2024, so the full plan is the baseline plan.

    Roof overdue (renewed with the building in 2000): 10,000 in 2024; lighting renewed
    2023: 1,000 x 1.331 = 1,331 in 2027. Opening balance 1,000 (an override), deposits
    3,000 a year. Without top-ups, deposits - spend = -7,000, 3,000, 3,000, 1,669, 3,000:
      B0 = 1,000 x 1.01 - 7,000 = -5,990; -5,990 x 1.01 + 3,000 = -3,049.9;
           -3,049.9 x 1.01 + 3,000 = -80.399; -80.399 x 1.01 + 1,669 = 1,587.79701;
           1,587.79701 x 1.01 + 3,000 = 4,603.6749801
    FFB_5 = 1.4641 x (10,000 x 5/10 + 1,000 x 2/4) = 8,052.55
    baseline = max(5,990 / 1, 3,049.9 / 2.01, 80.399 / 3.0301) = 5,990
    threshold (30% of D = 6,000) = (6,000 + 5,990) / 1 = 11,990
    full = max(5,990, (8,052.55 - 4,603.6749801) / 5.10100501 = 676.12) = 5,990
    """
    ov = pd.DataFrame({"compound_id": ["c1"], "lighting.last_renewed_year": [2023],
                       "cleaning.last_renewed_year": [2023],
                       "fund.opening_balance_yuan": [1000.0],
                       "fund.annual_deposit_yuan": [3000.0]})
    s = reserve_study(_compounds("c1"), CATALOGUE, FIVE, overrides=ov)
    f = s.funding().iloc[0]
    assert f["baseline_contribution_yuan"] == pytest.approx(5990.0, abs=1e-9)
    assert f["threshold_contribution_yuan"] == pytest.approx(11990.0, abs=1e-9)
    unfloored = (8052.55 - 4603.6749801) / 5.10100501
    assert unfloored == pytest.approx(676.12, abs=5e-3)
    assert f["full_contribution_yuan"] == pytest.approx(5990.0, abs=1e-9)
    assert f["full_yuan_per_m2_month"] == pytest.approx(5990.0 / 12000, rel=1e-12)
    # opening 1,000 / (roof 10,000 x 10/10 + lamp 1,000 x 1/4 = 10,250) = 0.097561
    assert f["percent_funded_start"] == pytest.approx(1000 / 10250, rel=1e-12)
    assert pd.isna(f["first_shortfall_year"])
    path = s.fund_path()
    # With the top-up rule: 2024: 1,000 < 6,000: top-up 0.5 x (16,000 - 1,000) = 7,500,
    # interest 10: 1,000 + 7,500 + 3,000 + 10 - 10,000 = 1,510; 2025: top-up 0.5 x
    # (16,000 - 1,510) = 7,245, interest 15.10: 11,770.10; 2026: + 117.70 + 3,000 =
    # 14,887.80; 2027: + 148.88 + 3,000 - 1,331 = 16,705.68; 2028: + 167.06 + 3,000 =
    # 19,872.74.
    assert path["topup_yuan"].tolist() == [7500.00, 7245.00, 0.0, 0.0, 0.0]
    assert path["interest_yuan"].tolist() == [10.00, 15.10, 117.70, 148.88, 167.06]
    assert path["closing_yuan"].tolist() == [1510.00, 11770.10, 14887.80, 16705.68, 19872.74]
    # FFB: roof ages 1..5 (renewed 2024); lamp 2, 3, 4, then 1, 2 (renewed 2027):
    # 1,000 + 500; 1.1 x (2,000 + 750); 1.21 x (3,000 + 1,000); 1.331 x (4,000 + 250);
    # 1.4641 x (5,000 + 500).
    assert path["fully_funded_yuan"].tolist() == [1500.00, 3025.00, 4840.00, 5656.75,
                                                  8052.55]


@pytest.mark.parametrize(("opening", "topup", "closing"), [
    # D = 20,000: top-up below 30% x D = 6,000, to 80% x D = 16,000, half collected.
    # Interest 1%: 60.0001, 60, 59.9998 -> 60.00 each.
    (6000.01, 0.0, 6060.01),               # just above: no top-up
    (6000.00, 0.0, 6060.00),               # at 30%: not below it, no top-up
    (5999.98, 5000.01, 11059.99),          # just below: 0.5 x (16,000 - 5,999.98)
])
def test_top_up_at_thirty_percent_of_the_first_deposit(opening: float, topup: float,
                                                       closing: float) -> None:
    # Nothing of the fund's is due in 2024 (roof renewed 2020, lighting 2023).
    ov = pd.DataFrame({"compound_id": ["c1"], "roof.last_renewed_year": [2020],
                       "lighting.last_renewed_year": [2023],
                       "fund.opening_balance_yuan": [opening]})
    s = reserve_study(_compounds("c1"), CATALOGUE, ReserveSettings(horizon_years=1),
                      overrides=ov)
    row = s.fund_path().iloc[0]
    assert row["opening_yuan"] == opening
    assert row["topup_yuan"] == topup
    assert row["interest_yuan"] == 60.00
    assert row["fund_work_yuan"] == 0.0
    assert row["closing_yuan"] == closing
    # Fully funded: roof 10,000 x 5/10 + lamp 1,000 x 2/4 = 5,500.
    assert row["percent_funded"] == pytest.approx(closing / 5500, rel=1e-12)


@pytest.mark.parametrize(("build_year", "share", "opening", "topup", "closing", "threshold"), [
    # D = 1,000 m2 x 1,000 yuan x 2% = 20,000 whatever the build year; the opening share
    # switches with the housing reform of 1998: 10% before it, 50% from it.
    # 1997: 2,000 < 6,000: top-up 0.5 x (16,000 - 2,000) = 7,000, interest 20: 9,020.
    #       Threshold plan (floor 6,000): (6,000 - 2,000 x 1.01) / 1 = 3,980.
    (1997, 0.1, 2000.0, 7000.0, 9020.0, 3980.0),
    # 1998 and 1999: 10,000, interest 100: 10,100; above the floor, no threshold plan.
    (1998, 0.5, 10000.0, 0.0, 10100.0, 0.0),
    (1999, 0.5, 10000.0, 0.0, 10100.0, 0.0),
])
def test_opening_balance_around_the_1998_housing_reform(
    build_year: int, share: float, opening: float, topup: float, closing: float,
    threshold: float,
) -> None:
    assert HOUSING_REFORM_YEAR == 1998
    ov = pd.DataFrame({"compound_id": ["c1"], "roof.last_renewed_year": [2020],
                       "lighting.last_renewed_year": [2023]})
    s = reserve_study(_compounds("c1", build_year=build_year), CATALOGUE,
                      ReserveSettings(horizon_years=1), overrides=ov)
    f = s.funding().iloc[0]
    assert f["first_deposit_yuan"] == 20000.0
    assert f["opening_balance_yuan"] == opening == share * 20000.0
    # At the start: roof 10,000 x 4/10 + lamp 1,000 x 1/4 = 4,250.
    assert f["percent_funded_start"] == pytest.approx(opening / 4250, rel=1e-12)
    row = s.fund_path().iloc[0]
    assert (row["topup_yuan"], row["closing_yuan"]) == (topup, closing)
    assert f["threshold_contribution_yuan"] == pytest.approx(threshold, abs=1e-9)


def test_first_deposit_and_opening_of_the_taiyuan_catalogue_around_1998() -> None:
    """The built-in rules: 2% of a reform cost price of 1,200 yuan/m2, so D = 1,000 m2 x
    1,200 x 2% = 24,000 for every build year; nothing left before 1998, half of D (12,000)
    from 1998."""
    fund = default_catalogue().fund
    assert (fund.owner_deposit_rate, fund.reform_cost_price_yuan_per_m2) == (0.02, 1200.0)
    assert (fund.opening_share_pre1998, fund.opening_share_from1998) == (0.0, 0.5)
    df = pd.concat([_compounds(f"b{y}", build_year=y) for y in (1997, 1998, 1999)],
                   ignore_index=True)
    f = reserve_study(df, settings=ReserveSettings(horizon_years=1)).funding()
    assert f["first_deposit_yuan"].tolist() == [24000.0] * 3
    assert f["opening_balance_yuan"].tolist() == [0.0, 12000.0, 12000.0]


@pytest.mark.parametrize(("year", "fund_work", "programme_work", "ffb"), [
    # The roof is due in 2026 (year 3). The programme renews it in year R at the year's
    # prices, in place of any ordinary renewal in year R or later; it then runs 10 years.
    # R = 2 (2025, the year before): 11,000 by the programme; the fund never pays the roof.
    # Roof ages 9, 1, 2, 3, 4: FFB 9,250; 1.1 x (1,000 + 500) = 1,650; 1.21 x (2,000 +
    # 750) = 3,327.50; 1.331 x (3,000 + 1,000) = 5,324; 1.4641 x (4,000 + 250) =
    # 6,222.425 -> 6,222.43.
    (2, [1000.0, 0.0, 0.0, 0.0, 1464.10], [0.0, 11000.0, 0.0, 0.0, 0.0],
     [9250.00, 1650.00, 3327.50, 5324.00, 6222.43]),
    # R = 3 (2026, the year it is due): 12,100 by the programme instead of the fund; the
    # ages are those of an ordinary renewal: 9, 10, 1, 2, 3.
    (3, [1000.0, 0.0, 0.0, 0.0, 1464.10], [0.0, 0.0, 12100.0, 0.0, 0.0],
     [9250.00, 11550.00, 2117.50, 3993.00, 4758.33]),
    # R = 4 (2027, the year after): the fund has paid 12,100 in 2026, the programme renews
    # it again at 13,310; roof ages 9, 10, 1, 1, 2: 1.331 x (1,000 + 1,000) = 2,662;
    # 1.4641 x (2,000 + 250) = 3,294.225 -> 3,294.23.
    (4, [1000.0, 0.0, 12100.0, 0.0, 1464.10], [0.0, 0.0, 0.0, 13310.0, 0.0],
     [9250.00, 11550.00, 2117.50, 2662.00, 3294.23]),
])
def test_renovation_resets_the_roof_the_year_before_of_and_after_it_is_due(
    year: int, fund_work: list[float], programme_work: list[float], ffb: list[float],
) -> None:
    event = RenovationEvent(year=year, compound_ids=("c1",), components=("roof",))
    s = reserve_study(_compounds("c1"), CATALOGUE,
                      FIVE.model_copy(update={"renovations": (event,)}), overrides=MAIN)
    path = s.fund_path()
    assert path["fund_work_yuan"].tolist() == fund_work
    assert path["programme_work_yuan"].tolist() == programme_work
    assert path["fully_funded_yuan"].tolist() == ffb
    roof = s.schedule().query("component == 'roof'")
    assert roof["payer"].tolist() == (["renovation_programme"] if year < 4 else
                                      ["special_maintenance_fund", "renovation_programme"])
    # Roof renewals a year, ordinary and by the programme.
    assert s.renewals[:, 0, 0].tolist() == {2: [0, 1, 0, 0, 0], 3: [0, 0, 1, 0, 0],
                                            4: [0, 0, 1, 1, 0]}[year]


def test_renovation_what_if_district_paths() -> None:
    """The what-if of renovating c1 in 2025 (every fund-eligible component) against the
    base, the district being c1 alone: the programme renews the roof (11,000) and the
    lighting (1,100) in 2025; the lighting, renewed in 2024 by the fund, is then due
    again in 2029, after the horizon.

    Base (MAIN with its deposits, the top-up rule): fund work 1,000; 0; 12,100; 0;
    1,464.10; balance as in the main case. Renovated: fund work 1,000 in 2024 only;
    2024: 9,600; 2025: 9,600 + 96 + 500 = 10,196; 2026: + 101.96 + 500 = 10,797.96;
    2027: + 107.98 + 500 = 11,405.94; 2028: + 114.06 + 500 = 12,020.00.
    """
    w = renovation_what_if(_compounds("c1"), ["c1"], year=2, catalogue=CATALOGUE,
                           settings=FIVE, overrides=MAIN)
    p = w.paths
    assert p["year"].tolist() == [2024, 2025, 2026, 2027, 2028]
    assert p["base_special_maintenance_fund_yuan"].tolist() == [1000.0, 0.0, 12100.0, 0.0,
                                                                1464.10]
    assert p["base_fund_pool_yuan"].tolist() == [0.0, 110.0, 0.0, 133.10, 0.0]
    assert p["base_renovation_programme_yuan"].tolist() == [0.0] * 5
    assert p["base_fund_balance_yuan"].tolist() == [9600.00, 10196.00, -1302.04, 7197.96,
                                                    6305.84]
    assert p["renovated_special_maintenance_fund_yuan"].tolist() == [1000.0, 0.0, 0.0, 0.0,
                                                                     0.0]
    assert p["renovated_fund_pool_yuan"].tolist() == [0.0, 110.0, 0.0, 133.10, 0.0]
    assert p["renovated_renovation_programme_yuan"].tolist() == [0.0, 12100.0, 0.0, 0.0, 0.0]
    assert p["renovated_fund_balance_yuan"].tolist() == [9600.00, 10196.00, 10797.96,
                                                         11405.94, 12020.00]


# --- priorities -------------------------------------------------------------------------

# Seven compounds of 1,000 m2 (D = 20,000 each), no top-ups, the main catalogue and 10%
# inflation. Work over 2024-2028 for all but n: roof 12,100 and lighting 1,210 in 2026
# (renewed 2016 and 2022; for z and w the roof has a life of 3 and was renewed 2023):
# 13,310. n renewed everything in 2024: lighting 1,464.10 in 2028 only.
PRIORITY_IDS = ["e", "n", "d", "b", "c", "z", "w"]   # deliberately not in rank order
PRIORITY_HOUSEHOLDS = [10, 1, 10, 5, 20, 10, 10]
PRIORITY_OVERRIDES = pd.DataFrame({
    "compound_id": PRIORITY_IDS,
    "roof.last_renewed_year": [2016, 2024, 2016, 2016, 2016, 2023, 2023],
    "roof.life_years": [np.nan, np.nan, np.nan, np.nan, np.nan, 3.0, 3.0],
    "lighting.last_renewed_year": [2022, 2024, 2022, 2022, 2022, 2022, 2022],
    "cleaning.last_renewed_year": [2023] * 7,
    "fund.opening_balance_yuan": [25500.0, 5000.0, 25500.0, 25500.0, 17000.0, 12000.0,
                                  11000.0],
})


def test_priority_ranking_ties_on_each_key() -> None:
    """Rank by (1) years to the first shortfall, (2) percent funded at the start, (3) fund
    work per household, highest first, (4) the id.

    Fully funded at the start: roof 10,000 x 8/10 + lamp 1,000 x 2/4 = 8,500 (b, c, d,
    e); roof 10,000 x 1/3 = 3,333.33 + 500 = 3,833.33 (z, w); nothing for n (all new:
    percent funded undefined, ranked after any number).
      w: 11,000 -> 11,110 -> 11,221.10 -> 11,221.10 + 112.21 - 13,310 = -1,976.69 in
         2026 (year 3); percent funded 11,000 / 3,833.33 = 2.869568
      z: 12,000 -> 12,120 -> 12,241.20 -> + 122.41 - 13,310 = -946.39 in 2026 (year 3);
         12,000 / 3,833.33 = 3.130438: a tie with w on the first key, w first on the second
         although z is the one better funded: z is still second, above every compound that
         never runs short, all better funded than z's 3.13 but c
      c: never short; 17,000 / 8,500 = 2.0: before b, d, e on the second key although its
         work per household is the lowest (13,310 / 20 = 665.50)
      b, d, e: never short, 25,500 / 8,500 = 3.0; b's work per household 13,310 / 5 =
         2,662 before d's and e's 1,331 (third key); d before e by id (fourth key)
      n: never short, percent funded undefined: last, though its 1,464.10 per household
         is above d's and e's
    """
    s = reserve_study(_compounds(*PRIORITY_IDS, households=PRIORITY_HOUSEHOLDS), CATALOGUE,
                      FIVE.model_copy(update={"topup": False}), overrides=PRIORITY_OVERRIDES)
    t = priority_table(s).set_index("compound_id")
    assert t.index.tolist() == ["w", "z", "c", "b", "d", "e", "n"]
    assert t["rank"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert t["years_to_first_shortfall"].tolist()[:2] == [3, 3]
    assert t["years_to_first_shortfall"].isna().tolist() == [False] * 2 + [True] * 5
    assert t["first_shortfall_year"].tolist()[:2] == [2026, 2026]
    pf_start = t["percent_funded_start"]
    assert pf_start.loc[["w", "z", "c", "b", "d", "e"]].to_numpy() == pytest.approx(
        [11000 / 3833.33, 12000 / 3833.33, 2.0, 3.0, 3.0, 3.0], rel=1e-12)
    assert np.isnan(pf_start.loc["n"])
    assert t["fund_work_yuan"].tolist() == [13310.0] * 6 + [1464.10]
    assert t["fund_work_per_household_yuan"].tolist() == pytest.approx(
        [1331.0, 1331.0, 665.5, 2662.0, 1331.0, 1331.0, 1464.1], rel=1e-12)
    # Lowest closing balance: w -1,976.69 and z -946.39 (2026, no interest on a
    # shortfall after it); c 17,515.12 - 13,310 = 4,205.12; b, d, e 26,272.68 - 13,310 =
    # 12,962.68; n 5,203.03 + 52.03 - 1,464.10 = 3,790.96 (2028).
    assert t["deepest_balance_yuan"].tolist() == [-1976.69, -946.39, 4205.12, 12962.68,
                                                  12962.68, 12962.68, 3790.96]
    # Baseline plan as a rate: w: B0_3 = 11,221.1 x 1.01 - 13,310 = -1,976.689, then
    # -1,996.45589, -2,016.4204489: the third year binds, 1,976.689 / 3.0301 / 12,000;
    # z: 12,241.2 x 1.01 - 13,310 = -946.388: 946.388 / 3.0301 / 12,000; the others 0.
    assert t["baseline_yuan_per_m2_month"].to_numpy() == pytest.approx(
        [1976.689 / 3.0301 / 12000, 946.388 / 3.0301 / 12000, 0, 0, 0, 0, 0], rel=1e-9,
        abs=1e-15)
    assert t["households"].tolist() == [10, 10, 20, 5, 10, 10, 1]
    assert t["build_year"].tolist() == [2000] * 7


def test_district_sums_of_the_priority_case() -> None:
    """The district table the command line prints: every flow summed over the seven.

    Opening 2024: 3 x 25,500 + 5,000 + 17,000 + 12,000 + 11,000 = 121,500; interest 1% of
    it = 1,215. Fund work 2026: 6 x 13,310 = 79,860; 2028: n's 1,464.10. Pool work (the
    cleaning, renewed 2023, at 100 x 1.1 in 2025 and 100 x 1.331 in 2027) x 6.6 (every
    compound's households: 10 + 1 + 10 + 5 + 20 + 10 + 10 = 66 at 10 yuan): 726; 878.46.
    """
    s = reserve_study(_compounds(*PRIORITY_IDS, households=PRIORITY_HOUSEHOLDS), CATALOGUE,
                      FIVE.model_copy(update={"topup": False}), overrides=PRIORITY_OVERRIDES)
    d = s.district()
    assert d.index.tolist() == [2024, 2025, 2026, 2027, 2028]
    assert d.loc[2024, "opening_yuan"] == pytest.approx(121500.0, abs=1e-6)
    assert d.loc[2024, "interest_yuan"] == pytest.approx(1215.0, abs=1e-6)
    assert d["fund_work_yuan"].tolist() == pytest.approx([0.0, 0.0, 79860.0, 0.0, 1464.10])
    assert d["pool_work_yuan"].tolist() == pytest.approx([0.0, 726.0, 0.0, 878.46, 0.0])
    assert d["topup_yuan"].tolist() == [0.0] * 5
    # Closing 2026: b, d, e 3 x 12,962.68 + c 4,205.12 + z -946.39 + w -1,976.69 +
    # n 5,151.51 = 45,321.59.
    assert d.loc[2026, "closing_yuan"] == pytest.approx(45321.59, abs=1e-6)


def test_workbook_carries_the_hand_figures(tmp_path: pathlib.Path) -> None:
    pytest.importorskip("openpyxl")
    from propfee.reserve.report import write_reserve

    s = reserve_study(_compounds("c1"), CATALOGUE,
                      FIVE.model_copy(update={"threshold_share": 0.5}), overrides=MAIN)
    out = write_reserve(s, tmp_path / "r.xlsx", priorities=priority_table(s),
                        catalogue=CATALOGUE)
    sheets = pd.read_excel(out, sheet_name=None)
    fund = sheets["fund"]
    assert fund["Closing balance [yuan]"].tolist() == [9600.00, 10196.00, -1302.04,
                                                       7197.96, 6305.84]
    assert fund["Fully funded balance [yuan]"].tolist() == [9250.00, 11550.00, 2117.50,
                                                            3993.00, 4758.33]
    assert fund["Owners' top-up [yuan]"].tolist() == [0.0, 0.0, 0.0, 8000.00, 0.0]
    funding = sheets["funding"].iloc[0]
    assert funding["Baseline plan [yuan/year]"] == pytest.approx(1302.04 / 3.0301)
    assert funding["Threshold plan [yuan/year]"] == pytest.approx(11302.04 / 3.0301)
    assert funding["Full funding plan [yuan/year]"] == pytest.approx(
        (4758.33 + 1787.311004) / 5.10100501)
    assert funding["First shortfall year"] == 2026
    schedule = sheets["schedule"]
    assert schedule["Cost [yuan]"].tolist() == [1000.00, 110.00, 12100.00, 133.10, 1464.10]
    prio = sheets["priorities"].iloc[0]
    assert prio["Lowest balance [yuan]"] == -1302.04
    assert prio["Fund work per household [yuan]"] == pytest.approx(14564.10 / 10)


# --- dated and yearly boundaries --------------------------------------------------------


@pytest.mark.parametrize(("day", "loads"), [
    # The built-in catalogue's components are priced from 2020-01-01.
    (dt.date(2019, 12, 31), False),
    (dt.date(2020, 1, 1), True),
    (dt.date(2020, 1, 2), True),
])
def test_built_in_catalogue_from_its_first_day(day: dt.date, loads: bool) -> None:
    if not loads:
        with pytest.raises(ParameterError, match=r"roof_waterproofing: no value in force on "
                                                 r"2019-12-31 \(first is 2020-01-01\)"):
            load_catalogue("taiyuan", day)
        return
    c = load_catalogue("taiyuan", day)
    assert c.as_of == day
    assert (c.fund.interest_rate, c.fund.topup_threshold_share) == (0.015, 0.30)
    roof = c.components[c.names.index("roof_waterproofing")]
    assert (roof.life_years, roof.unit_cost_yuan) == (18.0, 95.0)


@pytest.mark.parametrize(("last", "roof_years", "ffb_start", "ffb_2024"), [
    # Roof life 10, the study starts in 2024. Renewed 2013: overdue by a year, done in
    # 2024 and then every 10 years; 2014: due exactly at the start, the same; 2015: 2025.
    # Fully funded at the start: roof age min(2024 - last, 10) / 10 x 10,000 + lamp
    # (renewed 2023) 1/4 x 1,000; at the end of 2024 roof age 1 (renewed) or 10.
    (2013, [2024, 2034], 10250.00, 1000.00 + 500.00),
    (2014, [2024, 2034], 10250.00, 1000.00 + 500.00),
    (2015, [2025, 2035], 9250.00, 10000.00 + 500.00),
])
def test_component_due_the_year_before_at_and_after_the_start(
    last: int, roof_years: list[int], ffb_start: float, ffb_2024: float,
) -> None:
    ov = pd.DataFrame({"compound_id": ["c1"], "roof.last_renewed_year": [last],
                       "lighting.last_renewed_year": [2023],
                       "cleaning.last_renewed_year": [2023]})
    s = reserve_study(_compounds("c1"), CATALOGUE,
                      ReserveSettings(horizon_years=12, cost_inflation_rate=0.0), overrides=ov)
    roof = s.schedule().query("component == 'roof'")
    assert roof["year"].tolist() == roof_years
    assert roof["cost_yuan"].tolist() == [10000.0, 10000.0]
    assert s.fully_funded_start_fen.tolist() == [round(ffb_start * 100)]
    assert s.fund_path()["fully_funded_yuan"].iloc[0] == ffb_2024


@pytest.mark.parametrize("build_year", [2023, 2024, 2025])
def test_build_year_before_at_and_after_the_start_of_the_study(build_year: int) -> None:
    """Every component last renewed in the build year. Built 2023: fully funded at the start
    roof 1/10 x 10,000 + lamp 1/4 x 1,000 = 1,250, percent funded 10,000 / 1,250 = 8;
    cleaning (life 2) in 2025 at 100 x 1.02. Built 2024: nothing is aged at the start
    (percent funded undefined), 1,250 at the end of 2024. Built 2025, after the start:
    an error naming the compound and each component."""
    df = _compounds("c1", build_year=build_year)
    two = ReserveSettings(horizon_years=2)
    if build_year == 2025:
        with pytest.raises(InputError, match=r"'c1'.*roof\.last_renewed_year.*after the first "
                                             r"year of the study \(2024\)"):
            reserve_study(df, CATALOGUE, two)
        return
    s = reserve_study(df, CATALOGUE, two)
    f = s.funding().iloc[0]
    assert f["opening_balance_yuan"] == 10000.0
    if build_year == 2023:
        assert f["percent_funded_start"] == 8.0
        assert s.schedule()[["year", "component", "cost_yuan"]].to_numpy().tolist() == [
            [2025, "cleaning", 102.0]]
        # End of 2024: roof 2/10, lamp 2/4: 2,000 + 500; 2025: 1.02 x (3,000 + 750).
        assert s.fund_path()["fully_funded_yuan"].tolist() == [2500.0, 3825.0]
    else:
        assert np.isnan(f["percent_funded_start"])
        assert s.schedule().empty
        # End of 2024: 1,000 + 250; 2025: 1.02 x (2,000 + 500) = 2,550.
        assert s.fund_path()["fully_funded_yuan"].tolist() == [1250.0, 2550.0]


def test_notes_sheet_figures_by_hand(tmp_path: pathlib.Path) -> None:
    """The notes state the hand figures of the five-year case: fund work in 2024 is the
    lighting, 1,000.00; later fund work roof 12,100.00 + lighting 1,464.10 = 13,564.10
    over the 4 later years = 3,391.03 a year (the cleaning, 110 and 133.10, is the fund
    pool's); opening balance 10,000.00 > 1,000.00, so no backlog sentence; the plans
    1,302.04 / 3.0301 = 429.70, 11,302.04 / 3.0301 = 3,729.92 and
    (4,758.33 + 1,787.311004) / 5.10100501 = 1,283.21 yuan a year."""
    pytest.importorskip("openpyxl")
    from propfee.reserve.report import reserve_notes, write_reserve

    s = reserve_study(_compounds("c1"), CATALOGUE,
                      FIVE.model_copy(update={"threshold_share": 0.5}), overrides=MAIN)
    notes = reserve_notes(s, "en")
    assert notes[1] == "Scope: 1 compound, 2024 to 2028 (5 years)."
    assert notes[2] == ("Work the fund pays in the first year (2024): 1,000.00 yuan in 1 "
                        "compound; in the later years 3,391.03 yuan a year on average; the "
                        "funds' opening balances 10,000.00 yuan.")
    assert notes[5].startswith("Baseline plan: the yearly top-up that keeps the balance from "
                               "ever going below zero; all compounds 429.70 yuan/year")
    assert "backlog, not" not in notes[5]
    assert "3,729.92 yuan/year" in notes[6]
    assert "1,283.21 yuan/year" in notes[7]
    zh = reserve_notes(s, "zh")
    assert "第一年（2024 年）由维修资金支付的工程：0.1 万元，涉及 1 个小区" in zh[2]
    out = write_reserve(s, tmp_path / "r.xlsx", priorities=priority_table(s),
                        catalogue=CATALOGUE, names={"c1": "Apricot Lane"})
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["notes", "schedule", "fund", "funding", "priorities", "catalogue"]
    assert sheets["notes"].columns[0] == "Reserve study of the special maintenance fund"
    assert sheets["notes"].iloc[:, 0].tolist() == notes[1:]
    funding = sheets["funding"]
    assert funding["Compound"].tolist()[0] == "Apricot Lane"
    total = funding.iloc[-1]
    assert total["Compound id"] == "Total"
    assert total["Baseline plan [yuan/year]"] == pytest.approx(1302.04 / 3.0301)
    assert total["First deposit [yuan]"] == 20000.0


def test_a_first_year_backlog_above_the_opening_balance_is_explained() -> None:
    """Every component of an old compound with no renewal recorded falls due in year 1,
    far above its (zero) opening balance: the notes say the top-up is the backlog's."""
    from propfee.datasets import sanqiao_like_street
    from propfee.reserve.report import reserve_notes

    s = reserve_study(sanqiao_like_street().head(2))
    assert float(s.funding()["opening_balance_yuan"].sum()) == 0.0
    notes = reserve_notes(s, "en")
    assert "because of the backlog, not because of the yearly wear" in notes[5]
    assert "这是欠账造成的" in reserve_notes(s, "zh")[5]
