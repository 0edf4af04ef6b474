"""Shared fixtures and hypothesis strategies."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import propfee as pf
from propfee.channels import SharedProperty
from propfee.plan import Plan

settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "mutation", max_examples=5, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)
"""Few, fixed examples: the profile of scripts/mutation.sh, where the hand tests do the
killing and the properties run once per mutant."""
settings.load_profile(os.environ.get("PROPFEE_HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def params() -> pf.ParameterSet:
    return pf.default_parameters()


@pytest.fixture
def source_compound() -> pf.Compound:
    """The source's compound: 100 households x 100 m2, built 1990, one gate, 1,000 m2 green."""
    return pf.Compound(
        compound_id="src", households=100, floor_area_m2_per_household=100.0,
        build_year=1990, green_area_m2=1000.0,
    )


CREW_HOUSEHOLDS = (1, 2, 1499, 1500, 1501, 2999, 3000, 3001, 4500)
"""Households at and around the default crew size (1,500 households a crew). [households]"""


@st.composite
def districts(draw: st.DrawFn, min_size: int = 1, max_size: int = 300) -> pd.DataFrame:
    """Valid compound tables of random size and content.

    Usually a dozen rows or fewer, sometimes up to ``max_size`` (hundreds); tiny (one
    household of 20 m2) and huge (up to 60,000 households) compounds, compounds at and
    around the crew boundaries, up to four streets of up to three zones each, a table's
    own fee rates and collection rates (zero included) or the defaults, build years from 1950
    to 2035 (after the evaluation date: age 0), with or without party member counts.
    The bulk of a large table comes from a seeded generator (hypothesis draws the
    seed), the special rows from hypothesis itself.
    """
    small = st.integers(min_size, max(min_size, min(max_size, 12)))
    n = draw(st.one_of(small, small, small, st.integers(min_size, max_size)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    households = rng.integers(1, 2001, size=n)
    special = draw(st.lists(
        st.tuples(st.integers(0, n - 1), st.one_of(
            st.sampled_from(CREW_HOUSEHOLDS), st.integers(1, 60000))),
        max_size=min(n, 6)))
    for row, value in special:
        households[row] = value
    per_household = rng.uniform(20.0, 200.0, size=n)
    if draw(st.booleans()):
        per_household[draw(st.integers(0, n - 1))] = 20.0  # a tiny flat
    # Within the compound table's bound (10^7 m2 of floor area, propfee.compound).
    floor = np.clip(np.round(households * per_household, 1), 1.0, 1e7)
    streets = draw(st.integers(1, 4))
    street = rng.integers(0, streets, size=n)
    zone = rng.integers(0, 3, size=n)
    own_fee = draw(st.booleans())
    own_coll = draw(st.booleans())
    df = pd.DataFrame(
        {
            "compound_id": [f"K{i:03d}" for i in range(n)],
            "households": households,
            "floor_area_m2": floor,
            "build_year": rng.integers(1950, 2036, size=n),
            "gates": rng.integers(0, 4, size=n),
            "buildings": np.maximum(households // 60, 1),
            "green_area_m2": np.round(rng.uniform(0.0, 20000.0, size=n), 1)
            * (rng.random(n) < 0.8),
            "parking_spaces": rng.integers(0, 301, size=n),
            "x_m": np.round(rng.uniform(0.0, 5000.0, size=n), 1),
            "y_m": np.round(rng.uniform(0.0, 5000.0, size=n), 1),
            "street": [f"S{k}" for k in street],
            "zone": [f"S{s}-Z{z}" for s, z in zip(street, zone, strict=True)],
        }
    )
    if own_fee:  # every row its own rate (a table mixing own and default rates has NaN)
        df["fee_rate_yuan_per_m2_month"] = np.round(rng.uniform(0.0, 3.0, size=n), 2)
    if own_coll:
        df["collection_rate"] = rng.choice([0.0, 0.35, 0.7, 0.95, 1.0], size=n)
    if draw(st.booleans()):
        df["party_members"] = rng.integers(0, 200, size=n)
    return df


BARE = Plan(
    service_grade=3,
    shared_property=SharedProperty(
        bundle_by="none", fixed_fee_yuan_per_bundle_year=0.0, contract_margin_rate=0.0,
        standing_work=("cleaning", "greening", "management", "gate", "patrol"),
    ),
)
"""The stand-alone contract at cost: grade 3 (24 h staffed gates), every kind of hour work
a standing post of the contract, each compound alone, no margin, no fixed fee, no job
covered (the jobs are bought at market price); tests add one channel each.

Formal staff cost of one post with the default Taiyuan parameters (2024): pay x 12 x
(1 + welfare 0.05) + social insurance 0.30 x max(wage, floor 3,700) x 12 (= 13,320):
  cleaning, greening  2,000 x 12 x 1.05 + 13,320 = 25,200 + 13,320 = 38,520
  management          3,500 x 12 x 1.05 + 13,320 = 44,100 + 13,320 = 57,420
  order, patrol (a guard of 2,920 h: 920 h overtime at 150% adds 1.5 x 920 / 2,000 = 69%)
                      2,000 x 12 x 1.69 x 1.05 + 13,320 = 42,588 + 13,320 = 55,908
Grade 3 norms: cleaner 13,000 m2, gardener 17,500 m2 of green, manager 650 households,
0.3 h of patrol a building a day; a 24 h gate is 24 x 365 = 8,760 guard hours, 3 guards
of 2,920 h.
"""

POST_YUAN = {"cleaning": 38520.0, "order": 55908.0, "patrol": 55908.0,
             "greening": 38520.0, "management": 57420.0}
"""Formal cost of one full post of each role (see :data:`BARE`). [yuan/year]"""


def street_start(compounds: int, problem: object) -> tuple:  # type: ignore[type-arg]
    """The first ``compounds`` of the Sanqiao-like street as a bundling game, with its
    candidate bundles, their objective values and the greedy start, under ``problem``."""
    from propfee.bundling import BundleGame
    from propfee.bundling import optimise as opt

    game = BundleGame.from_district(pf.datasets.sanqiao_like_street().head(compounds))
    cand = opt.enumerate_candidates(game, problem)  # type: ignore[arg-type]
    obj, _, _ = opt.objective_values(game, cand, problem)  # type: ignore[arg-type]
    return game, cand, obj, opt._greedy(obj, cand, len(game))


def record_time_limits(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, float]]:
    """Let every HiGHS solve of the optimiser run as it would, and record its
    ``(compounds, time limit)``."""
    from propfee.bundling import optimise as opt

    limits: list[tuple[int, float]] = []
    original = opt._solve_partition

    def solve(obj, candidates, n, time_limit, *args, **kwargs):  # type: ignore[no-untyped-def]
        limits.append((n, time_limit))
        return original(obj, candidates, n, time_limit, *args, **kwargs)

    monkeypatch.setattr(opt, "_solve_partition", solve)
    return limits


@pytest.fixture(autouse=True)
def _pandas_display_options() -> object:
    """Undo display options a test sets globally (the getting-started page sets a float
    format, as a notebook user would), so that later tests read plain printed numbers."""
    keys = ("display.float_format", "display.width", "display.max_columns",
            "display.unicode.east_asian_width")
    saved = {k: pd.get_option(k) for k in keys}
    yield
    for key, value in saved.items():
        pd.set_option(key, value)
