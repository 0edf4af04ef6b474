"""Ranges, sampling, sensitivity and calibration: a figure built from guesses, as an interval.

- :mod:`propfee.params.ranges`: the ranges of a parameter file and the typed
  :class:`~propfee.params.ranges.UncertainInputs` the sampler takes
- :mod:`propfee.uncertainty.marginals`: each range shape's distribution
- :mod:`propfee.uncertainty.sampling`: Latin hypercube and Sobol samples, with correlations
- :mod:`propfee.uncertainty.sensitivity`: Sobol indices (SALib), a tornado, and a sentence
  that names the drivers, in English or Chinese
- :mod:`propfee.uncertainty.calibration`: conjugate updates of the ranges with observed
  figures, and the observations the model cannot explain
- :mod:`propfee.uncertainty.observations`: the work-order log, observation tables and
  their templates, job exposures
- :mod:`propfee.uncertainty.interval`: the district's headline as intervals, through the
  :class:`~propfee.uncertainty.interval.EvaluateDraws` seam, locally or on Dask

Everything but the ranges needs the extra ``uncertainty`` (scipy, SALib), imported when
first used.
"""

from propfee.params.ranges import CorrelationGroup, Range, UncertainInput, UncertainInputs
from propfee.uncertainty.calibration import Observations, Posterior, calibrate
from propfee.uncertainty.defaults import default_ranges, plan_price_ranges
from propfee.uncertainty.district import DistrictCalibration, calibrate_district
from propfee.uncertainty.interval import EvaluateDraws, Interval, evaluate_draws, interval
from propfee.uncertainty.sampling import sample
from propfee.uncertainty.sensitivity import SobolResult, drivers_sentence, sobol_indices, tornado

__all__ = [
    "CorrelationGroup",
    "DistrictCalibration",
    "EvaluateDraws",
    "Interval",
    "Observations",
    "Posterior",
    "Range",
    "SobolResult",
    "UncertainInput",
    "UncertainInputs",
    "calibrate",
    "calibrate_district",
    "default_ranges",
    "drivers_sentence",
    "evaluate_draws",
    "interval",
    "plan_price_ranges",
    "sample",
    "sobol_indices",
    "tornado",
]
