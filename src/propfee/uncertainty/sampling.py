"""Samples of the uncertain inputs: Latin hypercube or Sobol points, a Gaussian copula for
correlated values, and each input's own distribution.

How a sample is made (:func:`sample`):

1. ``n`` points in the unit cube, one dimension per input, from ``scipy.stats.qmc``:
   a scrambled Latin hypercube (``"lhs"``: each input's ``n`` values fall one in each of
   ``n`` equal strata) or a scrambled Sobol sequence (``"sobol"``: the first ``n`` points
   of ``2^m >= n``; a power of two keeps its balance). Both are seeded: the same seed
   gives the same sample.
2. Correlation groups: the points of the correlated inputs become normal scores
   ``z = Phi^-1(u)``, are multiplied by the principal square root of the normal-score
   correlation matrix ``R_ij = 2 sin(pi rho_ij / 6)`` (``rho`` the declared rank
   correlation; a Gaussian copula with Pearson correlation ``R`` has Spearman correlation
   ``rho``) and go back through ``Phi``. This is the Cholesky method on normal scores, with
   the symmetric square root in place of the triangular factor so that a correlation of
   exactly 1 (a singular matrix) works too. Each input keeps its own distribution;
   correlated inputs lose the Latin hypercube's strata (not their distribution).
   Inputs in no group are left alone.
3. Each input's quantile function (:mod:`propfee.uncertainty.marginals`) turns its
   column into values, in the input's unit.

Every input has its dimension, collapsed or not, so collapsing one range leaves the draws
of the others as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee._optional import require
from propfee.errors import UsageError
from propfee.params.ranges import InputLike, UncertainInputs
from propfee.uncertainty.marginals import quantiles

__all__ = ["Method", "copula", "sample", "to_values", "unit_points"]

FloatArray = npt.NDArray[np.float64]

Method = Literal["lhs", "sobol"]
"""How points are spread over the unit cube: Latin hypercube or Sobol sequence."""

_EDGE = 2.0**-53
"""Points are kept in ``[2^-53, 1 - 2^-53]``: normal scores and lognormal quantiles stay
finite."""


def _check(n: int, method: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise UsageError(f"the number of draws must be a whole number of at least 1, got {n!r}")
    if method not in ("lhs", "sobol"):
        raise UsageError(f"method must be 'lhs' or 'sobol', got {method!r}")


def unit_points(d: int, n: int, method: Method = "lhs", seed: int = 0) -> FloatArray:
    """``n`` scrambled, seeded points in the ``d``-dimensional unit cube. [1]

    Parameters
    ----------
    d
        Dimensions (one per input).
    n
        Number of points.
    method
        ``"lhs"`` (Latin hypercube) or ``"sobol"`` (the first ``n`` of ``2^m >= n``).
    seed
        Seed of the scrambling.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, d)``, every entry in ``[2^-53, 1 - 2^-53]``.
    """
    _check(n, method)
    if d == 0:
        return np.zeros((n, 0))
    qmc = require("scipy.stats.qmc", feature="sampling ranges", extra="uncertainty")
    rng = np.random.default_rng(seed)
    if method == "lhs":
        points = qmc.LatinHypercube(d, scramble=True, rng=rng).random(n)
    else:
        m = max(int(np.ceil(np.log2(n))), 0)
        points = qmc.Sobol(d, scramble=True, rng=rng).random_base2(m)[:n]
    return np.clip(np.asarray(points, dtype=np.float64), _EDGE, 1.0 - _EDGE)


def copula(inputs: UncertainInputs, points: FloatArray) -> FloatArray:
    """The points with the correlation groups' rank correlations imposed (Gaussian copula).

    Parameters
    ----------
    inputs
        The inputs, whose order is the points' columns.
    points
        Shape ``(n, d)``, in (0, 1). [1]

    Returns
    -------
    numpy.ndarray
        Shape ``(n, d)``; columns of inputs in no group are the same objects' values.
    """
    rank = inputs.rank_correlation()
    linked = np.flatnonzero((rank - np.eye(len(rank)) != 0).any(axis=1))
    if linked.size == 0:
        return points
    special = require("scipy.special", feature="sampling ranges", extra="uncertainty")
    scores_corr = 2.0 * np.sin(np.pi * rank[np.ix_(linked, linked)] / 6.0)
    eigenvalues, vectors = np.linalg.eigh(scores_corr)
    root = (vectors * np.sqrt(np.clip(eigenvalues, 0.0, None))) @ vectors.T
    z = special.ndtri(points[:, linked]) @ root
    out = points.copy()
    out[:, linked] = np.clip(special.ndtr(z), _EDGE, 1.0 - _EDGE)
    return out


def to_values(inputs: UncertainInputs, points: FloatArray) -> pd.DataFrame:
    """Each input's values at the points of its column (no copula), one column per input.

    Parameters
    ----------
    inputs
        The inputs.
    points
        Shape ``(n, d)``, in (0, 1). [1]
    """
    columns = {item.name: quantiles(item, points[:, k]) for k, item in enumerate(inputs.inputs)}
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(points), name="draw"),
                         columns=list(inputs.names), dtype=np.float64)
    return frame


def sample(
    ranges: UncertainInputs,
    n: int,
    method: Method = "lhs",
    seed: int = 0,
    *,
    extra: Iterable[InputLike] = (),
) -> pd.DataFrame:
    """A sample of the uncertain inputs: one row per draw, one column per input.

    Parameters
    ----------
    ranges
        The uncertain inputs (:meth:`propfee.params.ParameterFile.uncertain`).
    n
        Number of draws.
    method
        ``"lhs"`` (scrambled Latin hypercube) or ``"sobol"`` (scrambled Sobol sequence;
        ``n`` a power of two keeps its balance properties).
    seed
        Seed: the same seed gives the same draws.
    extra
        More inputs that are not parameter paths (plan prices, say), as
        :class:`~propfee.params.ranges.UncertainInput` or ``(name, value, low, high,
        shape[, reason])``; they come after ``ranges``' inputs.

    Returns
    -------
    pandas.DataFrame
        ``n`` rows (index ``draw``) by one float64 column per input, in each input's
        unit. A collapsed range gives its value in every row, exactly.

    Examples
    --------
    >>> from propfee.params.ranges import UncertainInputs
    >>> draws = sample(UncertainInputs(), 4, extra=[("price", 300.0, 300.0, 300.0, "pert")])
    >>> draws["price"].tolist()
    [300.0, 300.0, 300.0, 300.0]
    """
    inputs = ranges.extended(extra)
    points = unit_points(len(inputs), n, method, seed)
    return to_values(inputs, copula(inputs, points))
