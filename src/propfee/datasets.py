"""Synthetic districts that reproduce the source's statistics.

:func:`sanqiao_like_street` builds a street like Sanqiao street of Xinghualing
District: 286 compounds, exactly 220 of them (76.9%) with fewer than 100
households, mostly built in the 1980s and 1990s, laid out along lanes on a local
metric grid and grouped into zones of about 3.6 compounds (983 old compounds were
grouped into 270 zones). :func:`synthetic_district` builds any number of compounds
with a chosen share of small ones. Both are deterministic for a given seed.

The distributions are modelling choices, not data: households of small compounds
are uniform on [12, 99]; of the others, 100 + a lognormal tail (median ~ 230);
floor area per household lognormal around 70 m2 (old work-unit housing); build
year uniform on 1980-1999 (small) or 1985-2005 (large); green area 5-20% of the
floor area; parking spaces 0.05-0.35 per household; one gate below 400 households;
a roof water tank on every building of about a quarter of the compounds (secondary water
supply); a lift added to about one stairwell unit in ten of compounds built from 1995
with 300 households or more (加装电梯), each serving its unit's households. Tanks and
lifts are drawn from a generator of their own, so the other columns are those of a
district drawn without them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SANQIAO_COMPOUNDS", "SANQIAO_SMALL_COMPOUNDS", "sanqiao_like_street",
           "synthetic_district"]

SANQIAO_COMPOUNDS = 286
"""Compounds in Sanqiao street (source). [compounds]"""

SANQIAO_SMALL_COMPOUNDS = 220
"""Compounds in Sanqiao street with fewer than 100 households (source). [compounds]"""

_ZONE_SIZE = 983 / 270
"""Mean compounds per zone in the district (source): 983 / 270 = 3.64."""


def synthetic_district(
    n_compounds: int,
    n_small: int | None = None,
    *,
    seed: int = 20240709,
    street: str = "Synthetic street",
    id_prefix: str = "C",
) -> pd.DataFrame:
    """Generate a synthetic district of old compounds.

    Parameters
    ----------
    n_compounds
        Number of compounds. [compounds]
    n_small
        How many have fewer than 100 households; defaults to the Sanqiao share
        220/286 of ``n_compounds``, rounded. [compounds]
    seed
        Seed of the numpy random Generator; the same seed gives the same district.
    street
        Street name written to every row.
    id_prefix
        Prefix of the compound ids (``C0001``...).

    Returns
    -------
    pandas.DataFrame
        A compound table (columns of :data:`propfee.compound.COMPOUND_COLUMNS`), with
        locations ``x_m``/``y_m`` [m] along east-west lanes 120 m apart.

    Raises
    ------
    ValueError
        If ``n_compounds`` < 1 or ``n_small`` is outside [0, n_compounds].
    """
    if n_compounds < 1:
        raise ValueError(f"n_compounds must be >= 1, got {n_compounds}")
    if n_small is None:
        n_small = round(n_compounds * SANQIAO_SMALL_COMPOUNDS / SANQIAO_COMPOUNDS)
    if not 0 <= n_small <= n_compounds:
        raise ValueError(f"n_small must be in [0, {n_compounds}], got {n_small}")
    rng = np.random.default_rng(seed)
    n_large = n_compounds - n_small
    small = rng.permutation(n_compounds) < n_small  # which rows are small, shuffled

    households = np.empty(n_compounds, dtype=np.int64)
    households[small] = rng.integers(12, 100, size=n_small)
    households[~small] = 100 + np.round(rng.lognormal(np.log(130.0), 0.8, size=n_large)).astype(
        np.int64
    )
    area_per_household = np.clip(rng.lognormal(np.log(70.0), 0.18, size=n_compounds), 40.0, 140.0)
    floor_area = np.round(households * area_per_household, 1)
    build_year = np.where(
        small,
        rng.integers(1980, 2000, size=n_compounds),
        rng.integers(1985, 2006, size=n_compounds),
    )
    # About 40 m2 of floor per stairwell unit-storey; 5-6 storeys; 2-4 units a building.
    stairwell_units = np.maximum(1, np.round(floor_area / (40.0 * 6 * 12 / 2)).astype(np.int64))
    buildings = np.maximum(1, np.round(stairwell_units / rng.integers(2, 5, n_compounds)))
    gates = np.where(households < 100, 1, 1 + (households >= 400) + (households >= 900))
    green_area = np.round(floor_area * rng.uniform(0.05, 0.20, size=n_compounds), 1)
    parking = np.round(households * rng.uniform(0.05, 0.35, size=n_compounds)).astype(np.int64)

    # Water tanks and added lifts come from a stream of their own (the seed's child), so
    # every other column is what it was before they were drawn.
    extra = np.random.default_rng([seed, 1])
    water_tanks = np.where(extra.random(n_compounds) < 0.25, buildings, 0).astype(np.int64)
    liftable = (build_year >= 1995) & (households >= 300)
    lifts = np.where(liftable, extra.binomial(stairwell_units, 0.1), 0).astype(np.int64)
    per_unit = households / stairwell_units
    lift_households = np.where(lifts > 0, np.minimum(np.round(lifts * per_unit), households),
                               0).astype(np.int64)

    # Compounds sit along east-west lanes 120 m apart, about 90 m from each other.
    per_lane = max(1, int(np.ceil(np.sqrt(n_compounds * 2.0))))
    lane = np.arange(n_compounds) // per_lane
    pos = np.arange(n_compounds) % per_lane
    x = np.round(pos * 90.0 + rng.normal(0, 15, n_compounds), 1)
    y = np.round(lane * 120.0 + rng.normal(0, 10, n_compounds), 1)
    # Zones group consecutive neighbours on a lane, about 3.6 compounds each.
    zone_index = lane * 1000 + (pos // _ZONE_SIZE).astype(np.int64)
    _, zone_codes = np.unique(zone_index, return_inverse=True)
    width = len(str(n_compounds))
    ids = [f"{id_prefix}{i + 1:0{width}d}" for i in range(n_compounds)]
    return pd.DataFrame(
        {
            "compound_id": ids,
            "name": [f"Compound {i + 1}" for i in range(n_compounds)],
            "households": households,
            "floor_area_m2": floor_area,
            "build_year": build_year.astype(np.int64),
            "buildings": buildings.astype(np.int64),
            "stairwell_units": stairwell_units,
            "gates": gates.astype(np.int64),
            "water_tanks": water_tanks,
            "lifts": lifts,
            "lift_households": lift_households,
            "green_area_m2": green_area,
            "parking_spaces": parking,
            "x_m": x,
            "y_m": y,
            "street": street,
            "zone": [f"Z{z + 1:03d}" for z in zone_codes],
        }
    )


def sanqiao_like_street(seed: int = 20240709) -> pd.DataFrame:
    """The built-in example street: 286 compounds, 220 with fewer than 100 households.

    Parameters
    ----------
    seed
        Seed of the generator; the default gives the documented example.

    Returns
    -------
    pandas.DataFrame
        A compound table of 286 rows (see :func:`synthetic_district`).

    Examples
    --------
    >>> df = sanqiao_like_street()
    >>> len(df), int((df["households"] < 100).sum())
    (286, 220)
    """
    return synthetic_district(
        SANQIAO_COMPOUNDS, SANQIAO_SMALL_COMPOUNDS, seed=seed, street="Sanqiao-like street",
        id_prefix="SQ",
    )
