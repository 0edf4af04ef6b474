"""Planning over time and under uncertainty.

- :mod:`propfee.analysis.components`: the 4+1 kernel year by year
- :mod:`propfee.analysis.projection`: fund-pool projection and funding goals
- :mod:`propfee.analysis.breakeven`: break-even fee rate, collection, income, bundle size
- :mod:`propfee.analysis.what_it_takes`: fee, collection, income or volunteer hours that
  balance a pool, per compound or bundle, with the plan's bundles
- :mod:`propfee.analysis.sensitivity`: tornado table, two-parameter grid, and the effect
  of every illustrative parameter
- :mod:`propfee.analysis.montecarlo`: seeded Monte Carlo of the pool
"""

from propfee.analysis.breakeven import break_even
from propfee.analysis.components import Components, year_components
from propfee.analysis.draws import evaluate_draws
from propfee.analysis.drivers import DRIVERS, deficit_drivers
from propfee.analysis.montecarlo import MonteCarloResult, Uncertainty, monte_carlo
from propfee.analysis.projection import OneOff, Projection, ProjectionSettings, project
from propfee.analysis.sensitivity import grid, illustrative_effects, tornado
from propfee.analysis.what_it_takes import what_it_would_take

__all__ = [
    "DRIVERS",
    "Components",
    "MonteCarloResult",
    "OneOff",
    "Projection",
    "ProjectionSettings",
    "Uncertainty",
    "break_even",
    "deficit_drivers",
    "evaluate_draws",
    "grid",
    "illustrative_effects",
    "monte_carlo",
    "project",
    "tornado",
    "what_it_would_take",
    "year_components",
]
