"""Shared fixtures and hypothesis strategies."""

from __future__ import annotations

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
settings.load_profile("default")


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


BARE = Plan(shared_property=SharedProperty(bundle_by="none", fixed_fee_yuan_per_bundle_year=0.0,
                                           contract_margin_rate=0.0))
"""Only the shared-property company, at cost, each compound alone; tests add one channel each.

Staff on-costs throughout: 1 + social insurance 0.30 + welfare 0.05 = 1.35.
"""
