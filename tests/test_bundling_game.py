"""The bundling game: a compound's stand-alone contract, income and deficit agree with the
4+1 budget of the same compound run alone, and pooled deficits by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.bundling.game import BundleGame, padded_to_long
from propfee.compound import validate_compounds

from .test_bundling_splits import ABC, table_game


def test_pooled_deficits_by_hand() -> None:
    # Other cash 100, 200, 300 and income 1,000, 50, 20 yuan for a, b, c.
    #   ab with contract 900: 900 + (100 + 200) - (1,000 + 50) =   150
    #   c with contract 10:    10 + 300 - 20                   =   290
    #   a with contract 500:  500 + 100 - 1,000 = -400         ->    0
    #   the empty set with contract 7: 7 + 0 - 0               =     7
    g = table_game(ABC, other_cash_yuan=np.array([100.0, 200.0, 300.0]),
                   income_yuan=np.array([1000.0, 50.0, 20.0]))
    padded = [[0, 1], [2, -1], [0, -1], [-1, -1]]
    got = g.deficits(padded, np.array([900.0, 10.0, 500.0, 7.0]))
    assert got.tolist() == [150.0, 290.0, 0.0, 7.0]


def test_padded_to_long() -> None:
    # Row 0 holds 0 and 1, row 1 holds 2, row 2 is empty: 3 rows.
    bundle, member, k = padded_to_long([[0, 1], [2, -1], [-1, -1]])
    assert (bundle.tolist(), member.tolist(), k) == ([0, 0, 1], [0, 1, 2], 3)
    # Positions given as floats (a matrix read from a table) are positions all the same.
    bundle, member, k = padded_to_long(np.array([[0.0, 1.0], [2.0, -1.0]]))
    assert member.dtype == np.int64
    assert (bundle.tolist(), member.tolist(), k) == ([0, 0, 1], [0, 1, 2], 2)
    g = table_game(ABC, other_cash_yuan=np.array([1.0, 2.0, 3.0]))
    assert g.deficits(np.array([[0.0, 1.0], [2.0, -1.0]]), np.zeros(2)).tolist() == [3.0, 3.0]


def _staffed_some_roles() -> pf.Plan:
    plan = pf.named_plan("shared_staffed")
    return plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"standing_roles": ("management", "order")})})


def _alone(plan: pf.Plan) -> pf.Plan:
    return plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "none", "bundles": ()})})


@pytest.mark.parametrize("plan", [pf.named_plan("xinghualing"), pf.named_plan("shared_staffed"),
                                  _staffed_some_roles()],
                         ids=["xinghualing", "shared_staffed", "two_standing_roles"])
def test_game_matches_the_budget_of_each_compound_alone(plan) -> None:
    # The plans bundle by zone; the game ignores the bundles and prices each compound
    # alone, like the budget of the same plan without bundles. Each budget line is rounded
    # to the fen on its own, so the game (unrounded) agrees to a few fen.
    street = pf.datasets.sanqiao_like_street().head(12)
    assert plan.shared_property.bundle_by == "zone"
    game = BundleGame.from_district(street, plan)
    report = pf.evaluate_district(street, _alone(plan)).compounds.set_index("compound_id")
    report = report.loc[list(game.ids)]
    alone = game.standalone_costs()
    # c({i}) is the budget's shared-property contract of compound i.
    np.testing.assert_allclose(alone, report["cost_shared_property_yuan"], atol=0.1)
    # Income: fee collected plus public income.
    np.testing.assert_allclose(game.income_yuan,
                               report["fee_collected_yuan"] + report["public_income_yuan"],
                               atol=0.011)
    # Pool balance = income - (contract + other cash); deficit = max(-balance, 0).
    np.testing.assert_allclose(game.income_yuan - alone - game.other_cash_yuan,
                               report["pool_balance_yuan"], atol=0.1)
    singles = np.arange(len(game))[:, None]
    np.testing.assert_allclose(game.deficits(singles, alone), report["street_subsidy_yuan"],
                               atol=0.1)
    # The shared company's jobs at market price: each compound alone pays its call-outs
    # in full, so its job and call-out lines at the 30% discount are 0.7 of market.
    lines = pf.evaluate_district(street, _alone(plan)).lines
    jobs = lines[lines["line"].astype(str).str.startswith("job_")]
    at_market = jobs.groupby("compound_id", observed=True)["amount_yuan"].sum() / 0.7
    # (28 lines, each rounded to the fen: within 28 x 0.005 / 0.7 = 0.2 yuan)
    np.testing.assert_allclose(game.jobs_at_market_yuan, at_market.loc[list(game.ids)],
                               atol=0.2)
    assert game.floor_area_m2.tolist() == report["floor_area_m2"].tolist()
    assert game.households.tolist() == report["households"].tolist()
    assert list(game.ids) == street["compound_id"].tolist()


def test_a_contract_without_jobs_has_no_job_costs() -> None:
    # Standing posts only: no per-use jobs, so no jobs and no call-outs in any c(S).
    plan = pf.named_plan("shared_staffed")
    plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"items": ()})})
    street = pf.datasets.sanqiao_like_street().head(4)
    game = BundleGame.from_district(street, plan)
    assert game.jobs_yuan.tolist() == [0.0] * 4
    assert game.callout_yuan.tolist() == [0.0] * 4
    report = pf.evaluate_district(street, _alone(plan)).compounds
    np.testing.assert_allclose(game.standalone_costs(), report["cost_shared_property_yuan"],
                               atol=0.1)


def test_game_from_a_checked_table_is_the_same() -> None:
    street = pf.datasets.sanqiao_like_street().head(6)
    plan = pf.named_plan("shared_staffed")
    a = BundleGame.from_district(street, plan)
    b = BundleGame.from_district(validate_compounds(street), plan)
    for name in ("households", "floor_area_m2", "x_m", "y_m", "jobs_yuan", "callout_yuan",
                 "jobs_at_market_yuan", "other_cash_yuan", "income_yuan"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert isinstance(street, pd.DataFrame)


def test_the_game_ignores_a_plans_bundles() -> None:
    # Explicit bundles (with their own fixed fee, and a member not in the table) change
    # nothing: the game prices any set, and its terms hold no bundles.
    from propfee.channels.shared_property import Bundle

    street = pf.datasets.sanqiao_like_street().head(6)
    plan = pf.named_plan("shared_staffed")
    ids = street["compound_id"].tolist()
    bundled = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "explicit", "bundles": (
            Bundle(bundle_id="B1", members=tuple(ids[:3]), fixed_fee_yuan_per_year=99999.0),
            Bundle(bundle_id="B2", members=("not-here",)))})})
    game = BundleGame.from_district(street, bundled)
    plain = BundleGame.from_district(street, plan)
    assert game.shared.bundles == ()
    assert game.shared.bundle_by == "none"
    assert game.shared == plain.shared.model_copy(update={"bundle_by": "none"})
    every = np.array([[0, 1, 2, -1, -1, -1], [0, 1, 2, 3, 4, 5], [3, -1, -1, -1, -1, -1]])
    np.testing.assert_array_equal(game.costs(every), plain.costs(every))
