"""Physical quantities of a compound that work, devices and income are counted against.

A per-unit figure (uses of a job, units of a device, units of an income source) is
``units_per_basis x quantity``, where the quantity is one of :data:`BASES`:

================  ==========================================================  ==========
basis             quantity                                                    unit
================  ==========================================================  ==========
compound          1                                                           compound
household         households                                                  household
gate              gates                                                       gate
building          buildings                                                   building
stairwell_unit    stairwell units                                             unit
parking_space     parking spaces on common land                               space
lift              passenger lifts                                             lift
water_tank        roof or basement water tanks (secondary water supply)       tank
parking_gate      gates of a compound that has parking spaces (0 without)     gate
floor_10000_m2    floor area / 10,000                                         10,000 m2
green_m2          green area                                                  m2
tree              green area / green_m2_per_tree                              tree
pipe_m            stairwell units x storeys x pipe_m_per_stairwell_unit_storey  m
roof_m2           floor area / storeys                                        m2
road_m2           floor area x road_m2_per_floor_m2                           m2
================  ==========================================================  ==========

The derived bases read the parameter set's ``quantities`` group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np
import numpy.typing as npt

from propfee.compound import CompoundTable
from propfee.params.model import BASES, ParameterSet, WorkBasis

__all__ = ["BASES", "COLUMN_OF_BASIS", "WorkBasis", "basis_quantity"]

FloatArray = npt.NDArray[np.float64]

COLUMN_OF_BASIS: Final[dict[str, str]] = {
    "household": "households",
    "gate": "gates",
    "building": "buildings",
    "stairwell_unit": "stairwell_units",
    "parking_space": "parking_spaces",
    "lift": "lifts",
    "water_tank": "water_tanks",
    "green_m2": "green_area_m2",
}
"""Bases that are a compound column as it is."""


def basis_quantity(table: CompoundTable, basis: WorkBasis | str, params: ParameterSet,
                   values: Mapping[str, float | FloatArray] | None = None) -> FloatArray:
    """How many of ``basis`` each compound has (1 per compound for ``"compound"``).

    Parameters
    ----------
    table
        Validated compounds.
    basis
        The counting basis (see the module table).
    params
        Parameter set (``quantities`` for derived bases).
    values
        Numeric parameter values by path, where some vary by row
        (:class:`propfee.params.values.ParamValues`); default: those of ``params``.

    Returns
    -------
    numpy.ndarray
        Quantity per compound, in the unit the basis names.

    Examples
    --------
    >>> from propfee.compound import validate_compounds, Compound
    >>> from propfee.params import default_parameters
    >>> t = validate_compounds(Compound(compound_id="a", households=96, floor_area_m2=7200.0,
    ...     build_year=1990, stairwell_units=4, storeys=6, green_area_m2=800.0))
    >>> p = default_parameters()
    >>> [float(basis_quantity(t, b, p)[0]) for b in ("pipe_m", "roof_m2", "tree")]
    [288.0, 1200.0, 20.0]
    """
    if basis == "compound":
        return np.ones(len(table), dtype=np.float64)
    column = COLUMN_OF_BASIS.get(basis)
    if column is not None:
        return table.array(column)
    q = params.quantities

    def value(name: str) -> float | FloatArray:
        return getattr(q, name) if values is None else values[f"quantities.{name}"]

    floor = table.array("floor_area_m2")
    if basis == "parking_gate":
        return np.where(table.array("parking_spaces") > 0, table.array("gates"), 0.0)
    if basis == "floor_10000_m2":
        return floor / 10000.0
    if basis == "tree":
        return np.asarray(table.array("green_area_m2") / value("green_m2_per_tree"))
    if basis == "pipe_m":
        return np.asarray(table.array("stairwell_units") * table.array("storeys")
                          * value("pipe_m_per_stairwell_unit_storey"))
    if basis == "roof_m2":
        return floor / table.array("storeys")
    if basis == "road_m2":
        return np.asarray(floor * value("road_m2_per_floor_m2"))
    raise ValueError(f"unknown basis {basis!r}; bases are {', '.join(BASES)}")
