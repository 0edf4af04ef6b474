"""Planning over time and under uncertainty.

- :mod:`propfee.analysis.components`: the 4+1 kernel year by year
- :mod:`propfee.analysis.projection`: fund-pool projection and funding goals
- :mod:`propfee.analysis.breakeven`: break-even fee rate, collection, income, bundle size
- :mod:`propfee.analysis.sensitivity`: tornado table and two-parameter grid
- :mod:`propfee.analysis.montecarlo`: seeded Monte Carlo of the pool
"""

from propfee.analysis.breakeven import break_even
from propfee.analysis.components import Components, year_components
from propfee.analysis.montecarlo import MonteCarloResult, Uncertainty, monte_carlo
from propfee.analysis.projection import OneOff, Projection, ProjectionSettings, project
from propfee.analysis.sensitivity import grid, tornado

__all__ = [
    "Components",
    "MonteCarloResult",
    "OneOff",
    "Projection",
    "ProjectionSettings",
    "Uncertainty",
    "break_even",
    "grid",
    "monte_carlo",
    "project",
    "tornado",
    "year_components",
]
