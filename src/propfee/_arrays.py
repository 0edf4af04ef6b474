"""Small array helpers shared by the kernels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["compact", "factorize", "sum_arrays"]

T = TypeVar("T", bound=np.generic)


def sum_arrays(arrays: Iterable[npt.NDArray[T]], like: npt.NDArray[T]) -> npt.NDArray[T]:
    """Element-wise sum of equally shaped arrays, left to right, in one accumulator.

    Parameters
    ----------
    arrays
        The arrays to add (any number, also none).
    like
        An array of the result's shape and dtype (returned as zeros if ``arrays`` is empty).

    Returns
    -------
    numpy.ndarray
        A new array; the inputs are not modified.

    Examples
    --------
    >>> sum_arrays([np.array([1, 2]), np.array([3, 4])], like=np.zeros(2, dtype=int)).tolist()
    [4, 6]
    """
    total = np.zeros_like(like)
    for a in arrays:
        np.add(total, a, out=total)
    return total


def compact(values: npt.NDArray[T]) -> npt.NDArray[T]:
    """A broadcast of one value as that value alone (shape ``(1,)``); other arrays as they are.

    Element-wise functions of a plan value that no compound overrides then run once,
    not once per compound; the result still broadcasts against per-compound arrays.

    Examples
    --------
    >>> compact(np.broadcast_to(np.float64(8.0), (5,))).tolist()
    [8.0]
    >>> compact(np.array([1.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    if values.ndim == 1 and len(values) > 1 and values.strides == (0,):
        return values[:1]
    return values


def factorize(values: Any) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]:
    """Number distinct values in order of first appearance.

    Parameters
    ----------
    values
        Text values: an array of Python strings or a pandas Series.

    Returns
    -------
    tuple
        The number of each value and the distinct values as Python strings.

    Examples
    --------
    >>> code, names = factorize(np.array(["b", "a", "b"], dtype=object))
    >>> code.tolist(), names.tolist()
    ([0, 1, 0], ['b', 'a'])
    """
    if len(values) == 1:
        return np.zeros(1, dtype=np.int64), np.asarray(values, dtype=object)
    code, unique = pd.factorize(values)
    return code.astype(np.int64), np.asarray(unique, dtype=object)
