"""Demand: the work each compound needs in a year, at a service grade.

Per compound, at grade ``g`` (norms :class:`propfee.params.model.GradeNorms`)::

    cleaning    = floor_area_m2 / cleaning_floor_m2_per_staff(g) * standard_hours     [h]
    greening    = green_area_m2 / greening_green_m2_per_staff(g) * standard_hours     [h]
    management  = households / management_households_per_staff(g) * standard_hours    [h]
    gate        = gates * coverage_hours_per_day * 365                                [h]
    patrol      = buildings * patrol_hours_per_building_day(g) * 365                  [h]
    garbage     = households * kg_per_household_day * 365 / 1000                     [t]
    lift        = lifts                                                      [lift-years]
    <job>       = quantity(basis) * uses_per_basis_year
                  * min(1 + age_growth_per_year * age, age_factor_cap)             [uses]
    age         = max(evaluation year - build_year, 0)                              [year]

The gate's coverage is 24 hours a day for ``staffed_24h`` and ``live_in``, 16 for
``staffed_16h``: the plan's own staffed regime where it sets one (the plan buys that
service), else the grade's (:func:`coverage_regime`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np
import numpy.typing as npt

from propfee.compound import CompoundTable
from propfee.params.model import GateRegime, ParameterSet
from propfee.params.values import ParamValues
from propfee.quantities import basis_quantity
from propfee.staffing import DAYS_PER_YEAR

__all__ = [
    "COVERAGE_HOURS_PER_DAY",
    "age_factor_capped",
    "age_years",
    "coverage_regime",
    "demand_by_category",
    "expected_uses_per_year",
]

FloatArray = npt.NDArray[np.float64]

COVERAGE_HOURS_PER_DAY: Final[dict[str, float]] = {
    "staffed_24h": 24.0, "staffed_16h": 16.0, "live_in": 24.0,
}
"""Hours a day a gate is kept under each coverage regime. [h/day]"""


def coverage_regime(plan_regime: GateRegime | None, grade_regime: str) -> str:
    """How many hours a day the gates are kept: the plan's staffed regime, else the grade's.

    Examples
    --------
    >>> coverage_regime("device_only", "staffed_16h"), coverage_regime("staffed_24h", "live_in")
    ('staffed_16h', 'staffed_24h')
    """
    if plan_regime in ("staffed_24h", "staffed_16h"):
        return plan_regime
    return grade_regime


def age_years(build_year: npt.ArrayLike, as_of_year: int) -> FloatArray:
    """Building age in whole years, never negative. [year]

    Examples
    --------
    >>> age_years([1990, 2030], 2024).tolist()
    [34.0, 0.0]
    """
    return np.atleast_1d(np.maximum(as_of_year - np.asarray(build_year, dtype=np.float64), 0.0))


def age_factor_capped(
    age: npt.ArrayLike, growth_per_year: npt.ArrayLike, cap: npt.ArrayLike
) -> FloatArray:
    """``min(1 + growth_per_year * age, cap)``. [1]

    Examples
    --------
    >>> age_factor_capped([0, 34, 100], 0.04, 2.0).tolist()
    [1.0, 2.0, 2.0]
    """
    return np.atleast_1d(np.minimum(
        1.0 + np.asarray(growth_per_year, dtype=np.float64) * np.asarray(age), cap))


def expected_uses_per_year(
    quantity: npt.ArrayLike,
    uses_per_basis_year: npt.ArrayLike,
    age: npt.ArrayLike,
    age_growth_per_year: npt.ArrayLike,
    age_factor_cap: npt.ArrayLike = np.inf,
) -> FloatArray:
    """Expected uses of a job in a year, growing with size and age.

    ``uses = quantity * uses_per_basis_year * min(1 + age_growth_per_year * age, cap)``

    Parameters
    ----------
    quantity
        Units of the job's basis. [units]
    uses_per_basis_year
        Base rate in a new compound. [uses/(unit year)]
    age
        Building age. [year]
    age_growth_per_year
        Growth per year of age. [1/year]
    age_factor_cap
        Upper limit of the age factor. [1]

    Returns
    -------
    numpy.ndarray
        Expected uses. [uses/year]

    Examples
    --------
    4 buildings, one dredging a building a year when new, 34 years old, +5% a year of
    age, capped at 3: 4 x 1 x min(1 + 0.05 x 34, 3) = 4 x 2.7 = 10.8 uses a year.

    >>> round(float(expected_uses_per_year(4, 1.0, 34, 0.05, 3.0)[0]), 6)
    10.8
    """
    return np.atleast_1d(
        np.asarray(quantity, dtype=np.float64) * np.asarray(uses_per_basis_year)
        * age_factor_capped(age, age_growth_per_year, age_factor_cap)
    )


def demand_by_category(
    table: CompoundTable,
    params: ParameterSet,
    grade: int,
    coverage: str,
    values: Mapping[str, float | FloatArray] | None = None,
) -> dict[str, FloatArray]:
    """Every category's demand per compound (see the module formulas).

    Parameters
    ----------
    table
        Validated compounds.
    params
        Parameter set (the job catalogue and its bases).
    grade
        Service grade, 1 (highest) to 5.
    coverage
        Coverage regime of the gates (:func:`coverage_regime`).
    values
        Numeric parameter values by path (some may vary by row); default: ``params``'.

    Returns
    -------
    dict
        Category -> demand per compound, in the category's unit (hours, tonnes,
        lift-years, uses) a year.

    Examples
    --------
    The source's compound: 100 households, 10,000 m2, 1,000 m2 green, one gate, 4
    buildings, at grade 4: cleaning 10,000 / 15,000 x 2,000 = 1,333.33 h; a 16 h gate
    16 x 365 = 5,840 h; patrol 4 x 0.15 x 365 = 219 h; waste 100 x 1.5 x 365 / 1,000 =
    54.75 t:

    >>> from propfee.compound import Compound, validate_compounds
    >>> from propfee.params import default_parameters
    >>> t = validate_compounds(Compound(compound_id="c", households=100,
    ...     floor_area_m2=10_000.0, build_year=1990, buildings=4, green_area_m2=1000.0))
    >>> d = demand_by_category(t, default_parameters(), 4, "staffed_16h")
    >>> [round(float(d[k][0]), 4) for k in ("cleaning", "gate", "patrol", "garbage")]
    [1333.3333, 5840.0, 219.0, 54.75]
    """
    v = ParamValues(params) if values is None else values
    g = f"grades.g{grade}."
    standard = v["labour.standard_hours_per_year"]
    households = table.array("households")
    floor = table.array("floor_area_m2")
    out: dict[str, FloatArray] = {
        "cleaning": np.asarray(floor / v[g + "cleaning_floor_m2_per_staff"] * standard),
        "greening": np.asarray(table.array("green_area_m2")
                               / v[g + "greening_green_m2_per_staff"] * standard),
        "management": np.asarray(households / v[g + "management_households_per_staff"]
                                 * standard),
        "gate": table.array("gates") * COVERAGE_HOURS_PER_DAY[coverage] * DAYS_PER_YEAR,
        "patrol": np.asarray(table.array("buildings") * v[g + "patrol_hours_per_building_day"]
                             * DAYS_PER_YEAR),
        "garbage": np.asarray(households * v["garbage.kg_per_household_day"]
                              * DAYS_PER_YEAR / 1000.0),
        "lift": table.array("lifts").astype(np.float64),
    }
    age = age_years(table.array("build_year"), params.as_of.year)
    for name, job in params.jobs.items():
        j = f"jobs.{name}."
        out[name] = expected_uses_per_year(
            basis_quantity(table, job.basis, params, v), v[j + "uses_per_basis_year"], age,
            v[j + "age_growth_per_year"], v[j + "age_factor_cap"])
    n = len(table)
    return {k: np.broadcast_to(a, (n,)).astype(np.float64, copy=False) for k, a in out.items()}
