"""Parameter values as the kernels read them: one number, or one number per compound.

A :class:`~propfee.params.model.ParameterSet` holds one value per path. The kernels read
numeric values through a :class:`ParamValues`, which gives the set's value (a Python
float that broadcasts over every compound) unless the caller gave that path one value
per row. One kernel run can so evaluate many parameter draws at once: the table is
stacked once per draw and each copy gets its draw's values (the uncertainty analysis
does this). Text values (a gate regime, a hiring mode, a pricing model, a job's basis)
are read from the parameter set itself and are the same on every row.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from propfee.params.model import ParameterSet

__all__ = ["ParamValues", "numeric_paths"]

FloatArray = npt.NDArray[np.float64]


_FLAT: dict[int, tuple[weakref.ref[ParameterSet], dict[str, float]]] = {}


def _flat(params: ParameterSet) -> dict[str, float]:
    """Every numeric leaf of a parameter set by dotted path (a set is frozen: kept, by
    identity, while the set lives)."""
    key = id(params)
    hit = _FLAT.get(key)
    if hit is not None and hit[0]() is params:
        return hit[1]
    out: dict[str, float] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{prefix}{key}.")
        elif isinstance(node, float | int) and not isinstance(node, bool):
            out[prefix[:-1]] = float(node)

    walk(params.model_dump(exclude={"region", "as_of"}), "")
    _FLAT[key] = (weakref.ref(params, lambda _: _FLAT.pop(key, None)), out)
    return out


def numeric_paths(params: ParameterSet) -> list[str]:
    """Every numeric parameter path of a set (``"staffing.order.monthly_wage_yuan"``...)."""
    return list(_flat(params))


class ParamValues(Mapping[str, "float | FloatArray"]):
    """Numeric parameter values by path: the set's value, or one per row where given.

    Parameters
    ----------
    params
        The parameter set.
    rows
        Path -> one value per row (a ``(n,)`` array), for the paths that vary by row.
        Every path must be a numeric path of ``params``.

    Raises
    ------
    KeyError
        If a path of ``rows`` is not a numeric parameter path.

    Examples
    --------
    >>> from propfee.params import default_parameters
    >>> p = default_parameters()
    >>> ParamValues(p)["fees.collection_rate"]
    0.7
    >>> v = ParamValues(p, {"fees.collection_rate": np.array([0.6, 0.9])})
    >>> v["fees.collection_rate"].tolist(), v["fees.rate_yuan_per_m2_month"]
    ([0.6, 0.9], 0.5)
    """

    __slots__ = ("_base", "_rows", "params")

    def __init__(self, params: ParameterSet,
                 rows: Mapping[str, npt.ArrayLike] | None = None) -> None:
        self.params = params
        self._base = _flat(params)
        self._rows: dict[str, FloatArray] = {}
        for path, value in (rows or {}).items():
            if path not in self._base:
                raise KeyError(f"{path!r} is not a numeric parameter path")
            self._rows[path] = np.asarray(value, dtype=np.float64)

    def __getitem__(self, path: str) -> float | FloatArray:
        row = self._rows.get(path)
        return self._base[path] if row is None else row

    def __iter__(self) -> Iterator[str]:
        return iter(self._base)

    def __len__(self) -> int:
        return len(self._base)

    @property
    def varies(self) -> frozenset[str]:
        """The paths given one value per row."""
        return frozenset(self._rows)

    def take(self, rows: slice | npt.NDArray[np.int64]) -> ParamValues:
        """The values of the rows at ``rows`` (paths that do not vary stay as they are)."""
        return ParamValues(self.params, {p: v[rows] for p, v in self._rows.items()})

    def tile(self, k: int) -> ParamValues:
        """The values of ``k`` copies of the table stacked one after the other."""
        return ParamValues(self.params, {p: np.tile(v, k) for p, v in self._rows.items()})
