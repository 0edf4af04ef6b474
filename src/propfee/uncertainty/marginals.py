"""The distribution of each range shape: quantile functions and their parameters.

Every shape turns a uniform number ``u`` in (0, 1) into a value by its inverse
cumulative distribution function (:func:`quantiles`), so a Latin hypercube or a Sobol
sequence of ``u`` becomes a sample of values. What each shape is, with ``v`` the value,
``l`` and ``h`` the range's low and high:

- ``uniform``: ``l + u (h - l)``.
- ``triangular``: mode ``v`` on ``[l, h]``; ``c = (v - l) / (h - l)``,
  ``l + sqrt(u (h - l)(v - l))`` for ``u < c``, else ``h - sqrt((1 - u)(h - l)(h - v))``.
- ``pert``: ``l + (h - l) B`` with ``B ~ Beta(1 + 4 (v - l) / (h - l), 1 + 4 (h - v) / (h - l))``;
  mode ``v``, mean ``(l + 4 v + h) / 6``.
- ``lognormal``: median ``v``, ``v exp(sigma z(u))`` with ``z`` the standard normal quantile
  and ``sigma = max(ln(v / l), ln(h / v)) / z(0.95)``: ``[l, h]`` is the 90% interval when
  ``v`` is their geometric mean, and lies inside it otherwise (the wider side sets the
  spread, so the interval is never narrower than stated).
- ``gamma``: mean ``v``; shape ``k`` such that the 95% quantile is ``h / l`` times the 5%
  quantile (the ratio falls from infinity to 1 as ``k`` grows: one solution), scale ``v / k``.
- ``beta``: mean ``v``; ``Beta(v kappa, (1 - v) kappa)`` with ``kappa`` such that the 5-95%
  interval is ``h - l`` wide (the width falls from about 1 to 0 as ``kappa`` grows).

A collapsed range (``l = h``) gives the value for every ``u``: exactly, not to rounding.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from propfee._optional import require
from propfee.errors import ParameterError
from propfee.params.ranges import LOGNORMAL_CUT_Z, UncertainInput

__all__ = [
    "Z95",
    "beta_parameters",
    "describe",
    "gamma_shape",
    "lognormal_sigma",
    "pert_parameters",
    "quantiles",
]

FloatArray = npt.NDArray[np.float64]

Z95 = 1.6448536269514722
"""The standard normal 95% quantile: a 90% interval is ``+- Z95`` standard deviations."""

_FEATURE = "ranges and sampling"


def _special() -> Any:
    return require("scipy.special", feature=_FEATURE, extra="uncertainty")


def lognormal_sigma(value: float, low: float, high: float) -> float:
    """Log-scale standard deviation of a lognormal range with median ``value``. [1]

    ``max(ln(value / low), ln(high / value)) / Z95``.

    Examples
    --------
    >>> round(lognormal_sigma(100.0, 50.0, 200.0) * Z95, 12) == round(math.log(2.0), 12)
    True
    """
    if low == high:
        return 0.0
    return max(math.log(value / low), math.log(high / value)) / Z95


def pert_parameters(value: float, low: float, high: float) -> tuple[float, float]:
    """``(alpha, beta)`` of a PERT range: ``1 + 4 (v - l) / (h - l)``, ``1 + 4 (h - v) / (h - l)``.

    Examples
    --------
    >>> pert_parameters(2.0, 0.0, 4.0)
    (3.0, 3.0)
    """
    width = high - low
    return 1.0 + 4.0 * (value - low) / width, 1.0 + 4.0 * (high - value) / width


def _solve(f: Any, lo: float, hi: float, what: str, name: str) -> float:
    """The root of ``f`` on ``[lo, hi]`` where it last falls through zero.

    ``f`` is scanned on 101 points (a value that is not a number is skipped), then the
    last bracket where it goes from ``>= 0`` to ``< 0`` is bisected to the last bit. The
    last crossing is the concentrated branch: a beta's interval width rises then falls
    with its concentration when the mean is near 0 or 1.
    """
    grid = np.linspace(lo, hi, 101)
    gaps = np.array([f(t) for t in grid])
    crossings = [k for k in range(100) if gaps[k] >= 0.0 > gaps[k + 1]]
    if not crossings:
        seen = gaps[~np.isnan(gaps)]
        wide = seen.size > 0 and bool((seen < 0).all())
        raise ParameterError([f"{name}: no {what} fits this range "
                              f"({'too wide' if wide else 'too narrow'})"])
    a, b = float(grid[crossings[-1]]), float(grid[crossings[-1] + 1])
    for _ in range(200):
        mid = (a + b) / 2.0
        if mid in (a, b):
            break
        if f(mid) >= 0.0:
            a = mid
        else:
            b = mid
    return a


def gamma_shape(value: float, low: float, high: float, name: str = "range") -> float:
    """Shape ``k`` of a gamma range: its 95% quantile is ``high / low`` times its 5%. [1]

    The scale is ``value / k``, so the mean is ``value``.

    Raises
    ------
    propfee.errors.ParameterError
        If no shape between ``e^-10`` and ``e^40`` fits (a ratio too wide or too narrow).
    """
    special = _special()
    target = math.log(high / low)

    def gap(t: float) -> float:
        k = math.exp(t)
        q05, q95 = float(special.gammaincinv(k, 0.05)), float(special.gammaincinv(k, 0.95))
        if q05 <= 0.0:
            return math.inf
        return math.log(q95) - math.log(q05) - target

    return math.exp(_solve(gap, -10.0, 40.0, "gamma shape", name))


def beta_parameters(value: float, low: float, high: float, name: str = "range"
                    ) -> tuple[float, float]:
    """``(alpha, beta)`` of a beta range: mean ``value``, 5-95% interval ``high - low`` wide.

    Raises
    ------
    propfee.errors.ParameterError
        If no concentration fits: a beta whose mean is near 0 or 1 cannot have a wide
        interval (at a mean of 0.97 the 5-95% interval is at most 0.19 wide).
    """
    special = _special()
    target = high - low

    def gap(t: float) -> float:
        kappa = math.exp(t)
        a, b = value * kappa, (1.0 - value) * kappa
        return float(special.betaincinv(a, b, 0.95) - special.betaincinv(a, b, 0.05)) - target

    kappa = math.exp(_solve(gap, -10.0, 40.0, "beta concentration", name))
    return value * kappa, (1.0 - value) * kappa


def quantiles(item: UncertainInput, u: npt.ArrayLike) -> FloatArray:
    """The values of ``item`` at the cumulative probabilities ``u`` (inverse CDF).

    Parameters
    ----------
    item
        The uncertain input.
    u
        Probabilities, strictly between 0 and 1. [1]

    Returns
    -------
    numpy.ndarray
        Values in the unit of ``item``, the shape of ``u``.

    Examples
    --------
    >>> from propfee.params.ranges import UncertainInput
    >>> x = UncertainInput(name="x", value=3.0, low=2.0, high=6.0, shape="uniform", reason="r")
    >>> quantiles(x, [0.25, 0.5]).tolist()
    [3.0, 4.0]
    """
    p = np.asarray(u, dtype=np.float64)
    v, lo, hi = item.value, item.low, item.high
    if item.collapsed:
        return np.full(p.shape, v)
    if item.shape == "uniform":
        return lo + p * (hi - lo)
    if item.shape == "triangular":
        c = (v - lo) / (hi - lo)
        left = lo + np.sqrt(p * (hi - lo) * (v - lo))
        right = hi - np.sqrt((1.0 - p) * (hi - lo) * (hi - v))
        return np.where(p < c, left, right)
    special = _special()
    if item.shape == "pert":
        a, b = pert_parameters(v, lo, hi)
        return np.asarray(lo + (hi - lo) * special.betaincinv(a, b, p), dtype=np.float64)
    if item.shape == "lognormal":
        sigma = lognormal_sigma(v, lo, hi)
        z = np.clip(special.ndtri(p), -LOGNORMAL_CUT_Z, LOGNORMAL_CUT_Z)  # the support
        return np.asarray(v * np.exp(sigma * z), dtype=np.float64)
    if item.shape == "gamma":
        k = gamma_shape(v, lo, hi, item.name)
        return np.asarray(special.gammaincinv(k, p) * (v / k), dtype=np.float64)
    a, b = beta_parameters(v, lo, hi, item.name)
    return np.asarray(special.betaincinv(a, b, p), dtype=np.float64)


def describe(item: UncertainInput) -> dict[str, float]:
    """Mean, median and the 5% and 95% quantiles of an input's distribution.

    For a uniform, triangular or PERT range the 5% and 95% quantiles lie inside
    ``[low, high]`` (the range is the whole support); for a lognormal range they are
    ``low`` and ``high`` when the value is their geometric mean; for gamma and beta, see
    the module's docstring.
    """
    q05, median, q95 = quantiles(item, [0.05, 0.5, 0.95]).tolist()
    v, lo, hi = item.value, item.low, item.high
    if item.collapsed or item.shape in ("gamma", "beta"):
        mean = v
    elif item.shape == "uniform":
        mean = (lo + hi) / 2.0
    elif item.shape == "triangular":
        mean = (lo + v + hi) / 3.0
    elif item.shape == "pert":
        mean = (lo + 4.0 * v + hi) / 6.0
    else:
        mean = v * math.exp(lognormal_sigma(v, lo, hi) ** 2 / 2.0)
    return {"mean": mean, "median": median, "q05": q05, "q95": q95}
