"""A plan resolved against a compound table: one value per compound for every item field.

The same plan applies to every compound of a district; a *column-wise override* table
(one row per compound, one column per dotted path such as
``"smart_devices.access_control.units_per_basis"``) changes any numeric item field,
or the bundle (``"shared_property.bundle_id"``), for some compounds, without a Python
loop over compounds. :func:`override_paths` lists every path a plan accepts;
:func:`resolve_plan` checks the overrides and gives the :class:`PlanArrays` the kernel
reads (the :class:`propfee.channels.common.ItemValues` of the channels).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

import annotated_types as at
import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel

from propfee._arrays import factorize
from propfee.compound import CompoundTable
from propfee.errors import InputError, Problem
from propfee.plan.model import SECTIONS, Plan

__all__ = [
    "BUNDLE_ID_PATH",
    "PlanArrays",
    "override_paths",
    "resolve_plan",
]

FloatArray = npt.NDArray[np.float64]

BUNDLE_ID_PATH = "shared_property.bundle_id"
"""Override column that puts a compound in a named bundle."""

def _items(plan: Plan, section: str) -> tuple[BaseModel, ...]:
    items: tuple[BaseModel, ...] = getattr(plan, section).items
    return items


def override_paths(plan: Plan) -> dict[str, float]:
    """Every numeric item field a per-compound override can change, with its plan value.

    Returns
    -------
    dict
        ``"<section>.<item name>.<field>" -> value``, e.g.
        ``"self_governance.patrol.share" -> 0.1``.
    """
    paths: dict[str, float] = {}
    for section in SECTIONS:
        for item in _items(plan, section):
            name = getattr(item, "name")  # noqa: B009
            for field_name, info in type(item).model_fields.items():
                if info.annotation is float:
                    paths[f"{section}.{name}.{field_name}"] = float(getattr(item, field_name))
    return paths


class _PlanPaths(NamedTuple):
    """A plan's override paths, worked out once per plan object (plans are frozen)."""

    paths: tuple[str, ...]
    values: FloatArray
    by_item: dict[str, tuple[tuple[str, str], ...]]  # "<section>.<item>" -> (field, path)
    rows: dict[tuple[str, tuple[str, ...], str], tuple[tuple[str, ...], FloatArray]]
    """``(section, names, field)`` -> the paths and the plan's values as a column
    (:meth:`PlanArrays.rows`), filled on first use."""
    broadcast: dict[int, dict[str, FloatArray]]
    """Number of compounds -> every path as a read-only broadcast of the plan's value
    (a few sizes kept: a district's pieces, one compound)."""


_PLAN_PATHS: dict[int, tuple[weakref.ref[Plan], _PlanPaths]] = {}


def _plan_paths(plan: Plan) -> _PlanPaths:
    """:func:`override_paths` as paths, values and paths by item, once per plan object."""
    key = id(plan)
    hit = _PLAN_PATHS.get(key)
    if hit is not None and hit[0]() is plan:
        return hit[1]
    paths = override_paths(plan)
    groups: dict[str, list[tuple[str, str]]] = {}
    for path in paths:
        head, _, leaf = path.rpartition(".")
        groups.setdefault(head, []).append((leaf, path))
    entry = _PlanPaths(tuple(paths), np.array(list(paths.values()), dtype=np.float64),
                       {head: tuple(items) for head, items in groups.items()}, {}, {})
    _PLAN_PATHS[key] = (weakref.ref(plan, lambda _: _PLAN_PATHS.pop(key, None)), entry)
    return entry


def _bounds(plan: Plan, path: str) -> tuple[float | None, bool, float | None]:
    section, name, field = path.split(".")
    item = next(i for i in _items(plan, section) if getattr(i, "name") == name)  # noqa: B009
    lo: float | None = None
    lo_open = False
    hi: float | None = None
    for meta in type(item).model_fields[field].metadata:
        if isinstance(meta, at.Ge):
            lo = float(meta.ge)  # type: ignore[arg-type]
        elif isinstance(meta, at.Gt):
            lo, lo_open = float(meta.gt), True  # type: ignore[arg-type]
        elif isinstance(meta, at.Le):
            hi = float(meta.le)  # type: ignore[arg-type]
    return lo, lo_open, hi


@dataclass(frozen=True, slots=True)
class PlanArrays:
    """A plan resolved against a compound table: one value per compound for every path.

    Attributes
    ----------
    plan
        The plan.
    values
        Path (see :func:`override_paths`) -> per-compound values. A path nobody
        overrides is a read-only broadcast of the plan's value (no memory per compound).
    bundle_code
        Bundle number of each compound, ``0..n_bundles-1``, in order of first appearance.
    bundle_ids
        Bundle identifier of each bundle number (``zone:<zone>``, ``street:<street>``,
        ``alone:<compound id>`` or an explicit bundle id), as Python strings.
    bundle_fixed_fee_yuan
        Fixed fee of each bundle. [yuan/year]
    """

    plan: Plan
    values: dict[str, FloatArray]
    bundle_code: npt.NDArray[np.int64]
    bundle_ids: npt.NDArray[np.object_]
    bundle_fixed_fee_yuan: FloatArray
    _items: dict[str, dict[str, FloatArray]] = field(default_factory=dict, repr=False,
                                                     compare=False)
    _own: dict[str, FloatArray] | None = field(default=None, repr=False, compare=False)
    """The plan's own broadcast values of a piece made by :meth:`take` (and kept by
    :meth:`alone`); a value that is one of them (by identity) is a path nobody
    overrides. ``None``: those of the plan's cache for this table's size."""

    def value_of(self, path: str) -> FloatArray:
        """Per-compound values of one override path (see :func:`override_paths`)."""
        return self.values[path]

    def value_items(self) -> list[tuple[str, FloatArray]]:
        """Every override path and its per-compound values."""
        return list(self.values.items())

    def value(self, section: str, name: str, field: str) -> FloatArray:
        """Per-compound value of one item field (units as the field's docstring)."""
        return self.values[f"{section}.{name}.{field}"]

    def rows(self, section: str, names: tuple[str, ...], field: str) -> FloatArray:
        """One field of several items, one row an item (units as the field's docstring).

        Shape ``(len(names), 1)`` (one value an item, which broadcasts over the compounds)
        where no compound overrides any of them, else ``(len(names), compounds)``.
        """
        entry = _plan_paths(self.plan)
        key = (section, names, field)
        hit = entry.rows.get(key)
        if hit is None:
            paths = tuple(f"{section}.{name}.{field}" for name in names)
            where = [entry.paths.index(p) for p in paths]
            column = entry.values[where][:, None]  # noqa: PD011 - the plan's own values
            column.flags.writeable = False
            hit = entry.rows[key] = (paths, column)
        paths, column = hit
        values = [self.values[p] for p in paths]
        plan_own = self._own_values(entry)
        if all(plan_own.get(p) is v for p, v in zip(paths, values, strict=True)):
            return column  # the plan's own broadcast values (resolve_plan): nobody overrides
        if all(v.strides == (0,) for v in values):
            return np.array([float(v[0]) for v in values])[:, None]
        return np.stack([np.broadcast_to(v, values[0].shape) for v in values])

    def _own_values(self, entry: _PlanPaths) -> dict[str, FloatArray]:
        """The plan's own broadcast values for these compounds (compared by identity)."""
        if self._own is not None:
            return self._own
        return entry.broadcast.get(len(self.bundle_code), {})

    def item(self, section: str, name: str) -> dict[str, FloatArray]:
        """Every numeric field of one item: field -> per-compound values."""
        head = f"{section}.{name}"
        values = self._items.get(head)
        if values is None:
            values = {leaf: self.values[path]
                      for leaf, path in _plan_paths(self.plan).by_item.get(head, ())}
            self._items[head] = values
        return values

    def alone(self, ids: pd.Series | npt.NDArray[Any]) -> PlanArrays:
        """The same plan with every compound in a bundle of its own.

        The bundle ids are ``alone:<compound id>``; each bundle pays the plan's default
        fixed fee. This is how a market company serves the compounds (the shared-property
        channel switched off).

        Parameters
        ----------
        ids
            Compound ids, in row order.
        """
        n = len(self.bundle_code)
        fee = np.full(n, self.plan.shared_property.fixed_fee_yuan_per_bundle_year)
        labels = np.array(["alone:" + str(i) for i in np.asarray(ids)], dtype=object)
        return PlanArrays(self.plan, self.values, np.arange(n, dtype=np.int64), labels, fee,
                          _own=self._own)

    @staticmethod
    def stack(parts: list[PlanArrays]) -> PlanArrays:
        """Plans of several copies of a table, one after the other (bundles renumbered).

        Parameters
        ----------
        parts
            Plans of the same plan resolved against tables of the same length.
        """
        first = parts[0]
        offsets = np.cumsum([0] + [len(p.bundle_ids) for p in parts[:-1]])
        code = np.concatenate([p.bundle_code + off for p, off in zip(parts, offsets,
                                                                     strict=True)])
        n = len(code)
        shared = all(p.values is first.values for p in parts)  # noqa: PD011
        tables = [first.values] if shared else [dict(p.value_items()) for p in parts]  # noqa: PD011
        same = [path for path, v in tables[0].items() if v.strides == (0,) and len(v) and (
            shared or all(t[path].strides == (0,) and t[path][0] == v[0] for t in tables))]
        # a path nobody overrides is the plan's value everywhere: one broadcast row each
        rows = np.broadcast_to(np.array([tables[0][p][0] for p in same])[:, None],
                               (len(same), n))
        values = dict(zip(same, rows, strict=True))
        values.update({path: np.concatenate([p.value_of(path) for p in parts])
                       for path in tables[0] if path not in values})
        ids = np.concatenate([p.bundle_ids for p in parts])
        fee = np.concatenate([p.bundle_fixed_fee_yuan for p in parts])
        return PlanArrays(first.plan, values, code.astype(np.int64), ids, fee)

    def take(self, rows: slice | npt.NDArray[np.int64], bundles: slice) -> PlanArrays:
        """The plan for the compounds at ``rows``, which must hold exactly ``bundles``.

        Parameters
        ----------
        rows
            Row positions of the compounds (a slice or positions).
        bundles
            The contiguous range of bundle numbers those compounds make up, whole.

        Returns
        -------
        PlanArrays
            Renumbered from 0, with bundle numbers ``0..len(bundles)-1``.
        """
        code = self.bundle_code[rows] - (bundles.start or 0)
        entry = _plan_paths(self.plan)
        own = self._own_values(entry)
        # the plan's own values: one broadcast for them all, marked as the plan's own
        fresh = dict(zip(entry.paths, np.broadcast_to(
            entry.values[:, None], (len(entry.paths), len(code))), strict=True))  # noqa: PD011
        values = {
            path: fresh[path] if own.get(path) is v
            else np.broadcast_to(v[:1], code.shape) if v.strides == (0,) else v[rows]
            for path, v in self.values.items()
        }
        return PlanArrays(self.plan, values, code, self.bundle_ids[bundles],
                          self.bundle_fixed_fee_yuan[bundles], _own=fresh)


Coded = tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]
"""Bundle numbers (``0..k-1`` in order of first appearance) and the label of each."""


def _bundle_labels(plan: Plan, table: CompoundTable
                   ) -> tuple[npt.NDArray[np.object_] | Coded, list[Problem]]:
    """The bundle of every compound and the problems found: the labels already numbered
    where that comes for free (``(code, names)``, not spelt out per compound), else the
    label of every compound (Python strings)."""
    sp = plan.shared_property
    problems: list[Problem] = []
    if sp.bundle_by in ("zone", "street"):
        code, uniq = table.codes(sp.bundle_by)
        names = np.asarray(f"{sp.bundle_by}:" + uniq, dtype=object)  # uniq: Python strings
        empty = np.flatnonzero(uniq == "")
        if len(empty) == 0:
            return (code, names), problems
        labels = names[code]
        rows = np.flatnonzero(code == empty[0])
        labels[rows] = np.array(["alone:" + i for i in table.text("compound_id")[rows]],
                                dtype=object)
        return labels, problems
    ids = table.text("compound_id")
    labels = np.array(["alone:" + i for i in ids], dtype=object)
    if sp.bundle_by == "explicit" and sp.bundles:
        index = pd.Index(ids)
        for bundle in sp.bundles:
            pos = index.get_indexer(pd.Index(list(bundle.members)))
            for member, p in zip(bundle.members, pos, strict=True):
                if p < 0:
                    problems.append(Problem(member, "shared_property.bundles", bundle.bundle_id,
                                            "bundle member is not in the compound table"))
            labels[pos[pos >= 0]] = bundle.bundle_id
        return labels, problems
    return (np.arange(len(ids), dtype=np.int64), labels), problems


def _broadcast_values(plan: Plan, n: int) -> dict[str, FloatArray]:
    """Every override path of a plan as a read-only broadcast of its value over ``n``
    compounds (no memory per compound), made once per plan and size."""
    entry = _plan_paths(plan)
    values = entry.broadcast.get(n)
    if values is None:
        if len(entry.broadcast) >= _SIZES_KEPT:
            entry.broadcast.clear()
        rows = np.broadcast_to(entry.values[:, None], (len(entry.paths), n))  # noqa: PD011
        values = entry.broadcast[n] = dict(zip(entry.paths, rows, strict=True))
    return values


_SIZES_KEPT: Final = 4
"""Table sizes whose broadcast plan values :func:`_broadcast_values` keeps per plan."""


def resolve_plan(
    plan: Plan, table: CompoundTable, overrides: pd.DataFrame | None = None
) -> PlanArrays:
    """Resolve a plan and its per-compound overrides into arrays, checking everything.

    Parameters
    ----------
    plan
        The plan.
    table
        Validated compounds.
    overrides
        Optional table with a ``compound_id`` column and any of the columns of
        :func:`override_paths` (numbers) or :data:`BUNDLE_ID_PATH` (text). Empty
        cells keep the plan's value.

    Returns
    -------
    PlanArrays

    Raises
    ------
    propfee.errors.InputError
        Listing every unknown compound, unknown column and out-of-range value.
    """
    values = dict(_broadcast_values(plan, len(table)))  # a dict of its own: overrides go in
    bundles, problems = _bundle_labels(plan, table)
    if overrides is not None:
        labels = bundles if isinstance(bundles, np.ndarray) else bundles[1][bundles[0]]
        overridden, labels = _apply_overrides(plan, table, overrides, values, labels)
        if BUNDLE_ID_PATH in overrides.columns:
            bundles = labels
        problems += overridden
        problems += _task_share_problems(plan, table, values)
    if problems:
        raise InputError(problems, what="plan")
    code, names = factorize(bundles) if isinstance(bundles, np.ndarray) else bundles
    unique = names
    fee = np.full(len(unique), plan.shared_property.fixed_fee_yuan_per_bundle_year)
    explicit = {b.bundle_id: b.fixed_fee_yuan_per_year for b in plan.shared_property.bundles
                if b.fixed_fee_yuan_per_year is not None}
    if explicit:
        where = pd.Index(unique).get_indexer(pd.Index(list(explicit)))
        for pos, own in zip(where, explicit.values(), strict=True):
            if pos >= 0:
                fee[pos] = own
    return PlanArrays(plan, values, code, unique, fee)


def _task_share_problems(plan: Plan, table: CompoundTable, values: dict[str, FloatArray]
                         ) -> list[Problem]:
    """Compounds whose volunteer task shares add up to more than 1 after overrides."""
    tasks = plan.self_governance.items
    if not tasks:
        return []
    total = np.sum([values[f"self_governance.{t.name}.share"] for t in tasks], axis=0)
    bad = np.flatnonzero(total > 1.0 + 1e-9)
    ids = table.text("compound_id")
    return [Problem(str(ids[i]), "self_governance.<task>.share", float(total[i]),
                    "task shares add up to more than 1") for i in bad]


def _apply_overrides(
    plan: Plan,
    table: CompoundTable,
    overrides: pd.DataFrame,
    values: dict[str, FloatArray],
    labels: npt.NDArray[np.object_],
) -> tuple[list[Problem], npt.NDArray[np.object_]]:
    """Write the overrides into ``values`` (in place) and return the problems and labels."""
    problems: list[Problem] = []
    if "compound_id" not in overrides.columns:
        return [Problem(None, "compound_id", None, "override table needs a compound_id column")
                ], labels
    unknown = [c for c in overrides.columns
               if c not in values and c not in ("compound_id", BUNDLE_ID_PATH)]
    problems += [Problem(None, str(c), None,
                         "unknown override column (see propfee.plan.override_paths)")
                 for c in unknown]
    oid = overrides["compound_id"].astype(str).to_numpy()
    pos = pd.Index(table.text("compound_id")).get_indexer(pd.Index(oid))
    problems += [Problem(oid[i], "compound_id", oid[i], "override names no compound of the table")
                 for i in np.flatnonzero(pos < 0)]
    dup = pd.Series(oid).duplicated().to_numpy()
    problems += [Problem(oid[i], "compound_id", oid[i], "compound overridden twice")
                 for i in np.flatnonzero(dup)]
    if problems:
        return problems, labels
    for column in overrides.columns:
        if column == "compound_id":
            continue
        raw = overrides[column]
        if column == BUNDLE_ID_PATH:
            given = raw.notna().to_numpy() & (raw.astype(str).str.len() > 0).to_numpy()
            labels = labels.copy()
            labels[pos[given]] = raw[given].astype(str).to_numpy(dtype=object)
            continue
        number = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
        given = raw.notna().to_numpy()
        bad = given & ~np.isfinite(number)
        problems += [Problem(oid[i], column, raw.iloc[i], "not a finite number")
                     for i in np.flatnonzero(bad)]
        lo, lo_open, hi = _bounds(plan, column)
        ok = given & ~bad
        with np.errstate(invalid="ignore"):
            if lo is not None:
                low = ok & ((number <= lo) if lo_open else (number < lo))
                problems += [Problem(oid[i], column, float(number[i]),
                                     f"must be {'>' if lo_open else '>='} {lo:g}")
                             for i in np.flatnonzero(low)]
                ok &= ~low
            if hi is not None:
                high = ok & (number > hi)
                problems += [Problem(oid[i], column, float(number[i]), f"must be <= {hi:g}")
                             for i in np.flatnonzero(high)]
                ok &= ~high
        own = np.array(values[column])  # a writable copy of the broadcast plan value
        own[pos[ok]] = number[ok]
        values[column] = own
    return problems, labels
