"""Long calls report their progress: pieces of a district, years of a projection,
phases of the optimiser; the shares rise and end at 1."""

from __future__ import annotations

import pytest

import propfee as pf
from propfee.analysis import ProjectionSettings, project
from propfee.budget import _district_budget
from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles
from propfee.compound import validate_compounds
from propfee.plan import resolve_plan


def test_district_reports_each_piece() -> None:
    street = validate_compounds(pf.datasets.sanqiao_like_street())
    resolved = resolve_plan(pf.default_plan(), street)
    seen: list[float] = []
    _district_budget(street, pf.default_parameters(), resolved, None, False,
                     chunk_rows=100, progress=seen.append)
    # 286 compounds in pieces of about 100 that keep zones whole: at least 3 pieces.
    assert len(seen) >= 3
    assert seen == sorted(seen)
    assert seen[-1] == 1.0


def test_projection_reports_each_year() -> None:
    seen: list[float] = []
    project(pf.datasets.sanqiao_like_street().head(5), settings=ProjectionSettings(
        horizon_years=4), progress=seen.append)
    assert seen == [0.25, 0.5, 0.75, 1.0]


def test_optimiser_reports_its_phases() -> None:
    street = pf.datasets.sanqiao_like_street().head(30)
    game = BundleGame.from_district(street)
    seen: list[float] = []
    optimise_bundles(game, BundlingProblem(method="heuristic", time_limit_s=5.0),
                     progress=seen.append)
    assert seen == pytest.approx([0.2, 0.3, 0.6, 0.9, 1.0])
