"""The crew's drive between the members of a bundle on its call-out rounds, by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles
from propfee.channels.contract import callout_travel_yuan, closed_tour_m
from propfee.channels.shared_property import Bundle


def test_the_shortest_closed_tour_by_hand() -> None:
    # A 300-400-500 triangle: 1,200 m whichever way round; two members: there and back.
    assert closed_tour_m([0, 0, 0], [0, 300, 300], [0, 0, 400], 1).tolist() == [1200.0]
    assert closed_tour_m([0, 0], [0, 300], [0, 400], 1).tolist() == [1000.0]
    # A square of side 100 given corner, opposite corner, ...: 400 m, not via a diagonal.
    x, y = [0, 100, 0, 100], [0, 100, 100, 0]
    for order in itertools.permutations(range(4)):
        got = closed_tour_m([0] * 4, np.take(x, order), np.take(y, order), 1)
        assert got.tolist() == [400.0]
    # Five compounds on a lane 100 m apart, in a scrambled order: out and back, 800 m.
    assert closed_tour_m([0] * 5, [300, 0, 400, 100, 200], [0.0] * 5, 1).tolist() == [800.0]
    # Ten on a circle (beyond the exact limit): the nearest-neighbour tour is the polygon.
    angle = np.arange(10) * 2 * np.pi / 10
    got = closed_tour_m([0] * 10, 100 * np.cos(angle[::-1]), 100 * np.sin(angle[::-1]), 1)
    assert got[0] == pytest.approx(10 * 2 * 100 * np.sin(np.pi / 10))
    # One member, no member, a member without a location: nothing to drive.
    assert closed_tour_m([0, 2, 2], [5.0, 0.0, np.nan], [5.0, 0.0, 1.0], 3).tolist() == [
        0.0, 0.0, 0.0]


def test_the_drive_of_a_bundle_by_hand() -> None:
    # 10, 20 and 30 visits a year: 20 rounds of the 1.2 km triangle at 6 yuan/km = 144;
    # at 15 yuan/km 360; the pair of the first two: 15 rounds of 600 m at 6 = 54.
    visits = np.array([10.0, 20.0, 30.0])
    x, y = np.array([0.0, 300.0, 300.0]), np.array([0.0, 0.0, 400.0])
    got = callout_travel_yuan([0, 0, 0, 1, 1], [0, 1, 2, 0, 1], 2, visits_per_year=visits,
                              x_m=x, y_m=y, yuan_per_km=np.array([6.0, 6.0]))
    assert got.round(9).tolist() == [144.0, 54.0]
    fifteen = callout_travel_yuan([0, 0, 0], [0, 1, 2], 1, visits_per_year=visits, x_m=x,
                                  y_m=y, yuan_per_km=15.0)
    assert fifteen.round(9).tolist() == [360.0]


def _three() -> pd.DataFrame:
    return pd.DataFrame({"compound_id": ["a", "b", "c"], "households": [40, 60, 80],
                         "floor_area_m2": [3000.0, 4500.0, 6000.0], "build_year": [1985] * 3,
                         "x_m": [0.0, 300.0, 300.0], "y_m": [0.0, 0.0, 400.0]})


def _per_km(yuan: float) -> pf.params.ParameterSet:
    p = pf.default_parameters()
    return p.model_copy(update={"contracts": p.contracts.model_copy(
        update={"travel_yuan_per_km": yuan})})


def test_the_budget_charges_the_games_drive_split_by_visits_in_fen() -> None:
    frame = _three()
    game = BundleGame.from_district(frame)
    assert game.visits_per_year is not None
    rounds = game.visits_per_year.sum() / 3
    drive = game.components(np.array([[0, 1, 2]])).drive_yuan[0]
    assert drive == pytest.approx(rounds * 1.2 * 6.0)  # the triangle, 6 yuan/km
    # c(S) is dearer by exactly the drive than with no driving cost.
    flat = BundleGame.from_district(frame, params=_per_km(0.0))
    assert game.cost(["a", "b", "c"]) - flat.cost(["a", "b", "c"]) == pytest.approx(drive)
    assert game.cost(["a"]) == flat.cost(["a"])  # alone: nothing between members
    bundles = [Bundle(bundle_id="B", members=("a", "b", "c"))]
    lines = pf.evaluate_district(frame, bundles=bundles).lines
    part = lines[lines["line"] == "callout_drive"].set_index("compound_id")["amount_yuan"]
    fen = np.round(part.to_numpy() * 100).astype(np.int64)
    assert fen.sum() == round(drive * 100)
    weights = game.visits_per_year / game.visits_per_year.sum()
    assert np.abs(fen - weights * drive * 100).max() < 1.0  # by visits, largest remainder
    # Alone, or at 0 yuan/km, there is no such line.
    alone = pf.evaluate_district(frame, bundles=[]).lines
    assert not (alone["line"] == "callout_drive").any()
    free = pf.evaluate_district(frame, params=_per_km(0.0), bundles=bundles).lines
    assert not (free["line"] == "callout_drive").any()


def test_the_optimiser_prefers_the_compact_pairs() -> None:
    # Four alike compounds: a and b 10 m apart, c and d 10 m apart, 150 m between the
    # pairs. Any two pairs cost the same but for the drive: a-b with c-d.
    frame = pd.DataFrame({"compound_id": ["a", "c", "b", "d"], "households": [50] * 4,
                          "floor_area_m2": [4000.0] * 4, "build_year": [1985] * 4,
                          "x_m": [0.0, 0.0, 10.0, 10.0], "y_m": [0.0, 150.0, 0.0, 150.0]})
    game = BundleGame.from_district(frame)
    result = optimise_bundles(game, BundlingProblem(max_members=2, objective="cost",
                                                    time_limit_s=5.0))
    assert sorted(map(tuple, result.bundles["member_ids"])) == [("a", "b"), ("c", "d")]
