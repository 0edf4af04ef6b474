"""Long calls report their progress: pieces of a district, years of a projection,
phases of the optimiser; the shares rise and end at 1."""

from __future__ import annotations

import numpy as np
import pytest

import propfee as pf
from propfee.analysis import ProjectionSettings, project
from propfee.budget.evaluate import _district_budget, chunks
from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles
from propfee.compound import validate_compounds
from propfee.plan import resolve_plan

from .conftest import street_start


def test_district_reports_each_piece() -> None:
    street = validate_compounds(pf.datasets.sanqiao_like_street())
    resolved = resolve_plan(pf.default_plan(), street)
    seen: list[float] = []
    _district_budget(street, pf.default_parameters(), resolved, None, False,
                     chunk_rows=100, progress=seen.append)
    # 286 compounds in pieces of about 100 that keep zones whole: after each piece, the
    # share of compounds done so far.
    pieces = chunks(resolved.bundle_code, len(resolved.bundle_ids), 100)
    sizes = [len(np.arange(286)[rows]) for rows, _ in pieces]
    assert len(sizes) >= 3
    assert all(size <= 100 for size in sizes)
    assert seen == pytest.approx(list(np.cumsum(sizes) / 286))
    assert seen[-1] == 1.0


def test_projection_reports_each_year() -> None:
    seen: list[float] = []
    project(pf.datasets.sanqiao_like_street().head(5), settings=ProjectionSettings(
        horizon_years=4), progress=seen.append)
    assert seen == [0.25, 0.5, 0.75, 1.0]


@pytest.mark.parametrize(("method", "passes_from", "passes_to"),
                         [("heuristic", 0.3, 0.9), ("exact", 0.3, 0.6)])
def test_optimiser_reports_its_phases(method: str, passes_from: float, passes_to: float
                                      ) -> None:
    """Candidates priced (0.2), greedy start (0.3), then each window pass a quarter of
    the passes' span (0.15 for the heuristic, 0.075 for the exact method's start), the
    end of the passes, and the end (1.0)."""
    street = pf.datasets.sanqiao_like_street().head(30)
    game = BundleGame.from_district(street)
    seen: list[float] = []
    optimise_bundles(game, BundlingProblem(method=method, time_limit_s=5.0),
                     progress=seen.append)
    assert seen[:2] == [0.2, 0.3]
    assert seen[-2:] == pytest.approx([passes_to, 1.0])
    step = (passes_to - passes_from) / 4
    passes = seen[2:-1]
    assert 1 <= len(passes) <= 4
    assert passes[:-1] == pytest.approx([passes_from + step * (k + 1)
                                         for k in range(len(passes) - 1)])


def test_window_passes_stop_at_the_first_that_improves_nothing() -> None:
    """Five compounds of the street: the first grid's edges cut every good bundle (no
    change), the grid shifted by half a window finds them (better), the next shift finds
    nothing more: the passes stop there, three of four, and report the end of their span."""
    from propfee.bundling import optimise as opt

    problem = BundlingProblem(method="heuristic", time_limit_s=5.0)
    game, cand, obj, start = street_start(5, problem)
    shifts: list[float] = []
    seen: list[float] = []

    def window(*args: object, **kwargs: object) -> object:
        shifts.append(float(args[5]))  # type: ignore[arg-type]
        return original(*args, **kwargs)

    original = opt._window_improve
    try:
        opt._window_improve = window  # type: ignore[assignment]
        better = opt._improve_by_windows(obj, cand, start, game, problem, float("inf"),
                                         seen.append, (0.3, 0.9))
        none = opt._improve_by_windows(obj, cand, start, game, problem, 0.0,
                                       seen.append, (0.3, 0.9))  # deadline passed
    finally:
        opt._window_improve = original
    w = problem.window_m
    assert shifts == [0.0, 0.5 * w, 0.25 * w]
    assert obj[better].sum() < obj[start].sum()
    assert none.tolist() == start.tolist()
    assert seen == pytest.approx([0.45, 0.6, 0.75, 0.9, 0.9])
