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
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "mutation", max_examples=8, deadline=None, derandomize=True, database=None,
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


@st.composite
def districts(draw: st.DrawFn, min_size: int = 1, max_size: int = 12) -> pd.DataFrame:
    """Valid compound tables of random size and content."""
    n = draw(st.integers(min_size, max_size))
    ints = lambda lo, hi: st.lists(st.integers(lo, hi), min_size=n, max_size=n)  # noqa: E731
    floats = lambda lo, hi: st.lists(  # noqa: E731
        st.floats(lo, hi, allow_nan=False, allow_infinity=False), min_size=n, max_size=n
    )
    households = draw(ints(1, 2000))
    per_household = draw(floats(20.0, 200.0))
    return pd.DataFrame(
        {
            "compound_id": [f"K{i:03d}" for i in range(n)],
            "households": households,
            "floor_area_m2": np.round(np.array(households) * np.array(per_household), 1),
            "build_year": draw(ints(1950, 2024)),
            "gates": draw(ints(0, 3)),
            "green_area_m2": draw(floats(0.0, 20000.0)),
            "parking_spaces": draw(ints(0, 300)),
            "x_m": draw(floats(0.0, 5000.0)),
            "y_m": draw(floats(0.0, 5000.0)),
            "street": "S",
            "zone": [f"Z{i % 3}" for i in range(n)],
        }
    )


BARE = Plan(
    service_grade=3,
    shared_property=SharedProperty(
        bundle_by="none", fixed_fee_yuan_per_bundle_year=0.0, contract_margin_rate=0.0,
        standing_roles=("cleaning", "order", "maintenance", "greening", "management"),
    ),
)
"""The stand-alone company at cost: grade 3 (24 h staffed gates), every role a standing
post of the contract, each compound alone, no margin, no fixed fee; tests add one
channel each.

Formal staff cost of one post with the default Taiyuan parameters (2024): pay x 12 x
(1 + welfare 0.05) + social insurance 0.30 x max(wage, floor 3,700) x 12 (= 13,320):
  cleaning, greening  2,000 x 12 x 1.05 + 13,320 = 25,200 + 13,320 = 38,520
  maintenance         3,200 x 12 x 1.05 + 13,320 = 40,320 + 13,320 = 53,640
  management          3,500 x 12 x 1.05 + 13,320 = 44,100 + 13,320 = 57,420
  order (a guard of 2,920 h: 920 h overtime at 150% adds 1.5 x 920 / 2,000 = 69%)
                      2,000 x 12 x 1.69 x 1.05 + 13,320 = 42,588 + 13,320 = 55,908
Grade 3 norms: cleaner 13,000 m2, maintenance 32,500 m2, gardener 17,500 m2 of green,
manager 650 households; a 24 h gate needs 24 x 365 / 2,920 = 3 guards.
"""

POST_YUAN = {"cleaning": 38520.0, "order": 55908.0, "maintenance": 53640.0,
             "greening": 38520.0, "management": 57420.0}
"""Formal cost of one full post of each role (see :data:`BARE`). [yuan/year]"""
