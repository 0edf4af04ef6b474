"""Bundle files: which compounds share a contract, one row per member, CSV or Excel.

A bundle file has one row per member compound:

==========================  ====================  =========================================
column                      Chinese header        read back
==========================  ====================  =========================================
``bundle_id``               捆绑编号               yes: the contract the compound belongs to
``compound_id``             小区编号               yes: the compound
``compound_name``           小区名称               no (for people)
``fixed_fee_yuan_per_year`` 固定服务费（元/年）     yes, if given: the contract's own fixed fee
                                                  [yuan/year], the same on each of its rows
``members``, ``households``, 成员数, 户数,            no: what the optimiser reports
``contract_yuan``,          合同价（元/年）,
``deficit_yuan``,           缺口（元/年）,
``core_empty``,             核心为空,
``alone_reason``            单独原因
==========================  ====================  =========================================

Every other column is ignored too, so a planner may add notes. Headers may be in English
or Chinese, in any order; empty rows are skipped. The optimiser's own assignment table
(``BundlingResult.assignment``, written by :func:`propfee.io.write_table`, where a
compound alone is the bundle ``alone:<id>``) is read as it is: every bundle in a file is
returned, a bundle of one included (a bundle of one is a compound alone, under that name).

Text cells that a spreadsheet would run as formulas are written with a leading ``'``
(:func:`propfee.io.neutralise_formulas`); the reader takes that ``'`` off again, so an id
such as ``=A1`` or ``-12`` comes back as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from propfee._tables import FIRST_DATA_ROW, read_table, write_table
from propfee.channels.shared_property import Bundle
from propfee.compound import normalise_id
from propfee.errors import InputError, Problem
from propfee.labels import Language

if TYPE_CHECKING:
    from propfee.bundling.optimise import BundlingResult

__all__ = ["BUNDLE_COLUMNS", "read_bundles", "write_bundles"]

BUNDLE_COLUMNS: Final[dict[str, str]] = {
    "bundle_id": "捆绑编号",
    "compound_id": "小区编号",
    "compound_name": "小区名称",
    "fixed_fee_yuan_per_year": "固定服务费（元/年）",
    "members": "成员数",
    "households": "户数",
    "contract_yuan": "合同价（元/年）",
    "deficit_yuan": "缺口（元/年）",
    "core_empty": "核心为空",
    "alone_reason": "单独原因",
}
"""The columns of a bundle file and their Chinese headers, in the order they are written."""

_READ: Final[dict[str, tuple[str, ...]]] = {
    "bundle_id": ("bundle_id", "bundle", "bundle id", "contract", "捆绑编号", "捆绑", "合同编号"),
    "compound_id": ("compound_id", "compound id", "id", "小区编号", "编号"),
    "fixed_fee_yuan_per_year": ("fixed_fee_yuan_per_year", "fixed fee", "固定服务费（元/年）",
                                "固定服务费(元/年)", "固定服务费"),
}
"""Headers (lower case) of the columns the reader uses."""

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def write_bundles(
    path: str | Path,
    bundles: BundlingResult | Sequence[Bundle],
    *,
    names: Mapping[str, str] | None = None,
    labels: Language = "en",
) -> Path:
    """Write bundles to ``.csv`` or ``.xlsx``, one row per member.

    Parameters
    ----------
    path
        Target file; written atomically.
    bundles
        The optimiser's result (every compound, with what the optimiser reports about
        its bundle) or explicit bundles (their members, and their own fixed fee where
        one is set).
    names
        Compound id -> name, written as ``compound_name``.
    labels
        Headers in English (``"en"``, the column names) or Chinese (``"zh"``).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    propfee.errors.UsageError
        For another format or a missing folder.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = write_bundles(folder / "b.csv", [Bundle(bundle_id="B1", members=("a", "b"))])
    >>> read_bundles(path, ["a", "b", "c"])
    (Bundle(bundle_id='B1', members=('a', 'b'), fixed_fee_yuan_per_year=None),)
    """
    table = _result_rows(bundles) if not isinstance(bundles, Sequence) else _bundle_rows(
        bundles)
    if names is not None:
        table.insert(2, "compound_name", [names.get(c, "") for c in table["compound_id"]])
    if labels == "zh":
        table = table.rename(columns=BUNDLE_COLUMNS)
    return write_table(table, path)


def _bundle_rows(bundles: Sequence[Bundle]) -> pd.DataFrame:
    rows = [{"bundle_id": b.bundle_id, "compound_id": m,
             "fixed_fee_yuan_per_year": b.fixed_fee_yuan_per_year}
            for b in bundles for m in b.members]
    table = pd.DataFrame(rows, columns=["bundle_id", "compound_id", "fixed_fee_yuan_per_year"])
    if not any(b.fixed_fee_yuan_per_year is not None for b in bundles):
        table = table.drop(columns=["fixed_fee_yuan_per_year"])
    return table


def _result_rows(result: BundlingResult) -> pd.DataFrame:
    info = result.bundles.set_index("bundle_id")
    table = result.assignment[["bundle_id", "compound_id", "alone_reason"]].copy()
    for column in ("members", "households", "contract_yuan", "deficit_yuan", "core_empty"):
        table[column] = info[column].reindex(table["bundle_id"]).to_numpy()
    order = [c for c in BUNDLE_COLUMNS if c in table.columns]
    return table.sort_values(["bundle_id", "compound_id"], kind="stable")[order].reset_index(
        drop=True)


def read_bundles(
    path: str | Path,
    compound_ids: Sequence[str] | npt.ArrayLike,
    *,
    encoding: str | None = None,
) -> tuple[Bundle, ...]:
    """Read bundles from a ``.csv`` or ``.xlsx`` file, one row per member.

    Parameters
    ----------
    path
        The bundle file (see the module docstring for its columns).
    compound_ids
        Every compound id of the table the bundles are for.
    encoding
        The text file's encoding, instead of detecting it (UTF-8, UTF-16, GB18030).

    Returns
    -------
    tuple of propfee.channels.shared_property.Bundle
        In the order of their first row, members in the order of their rows; compounds
        of the table in no bundle are alone.

    Raises
    ------
    propfee.errors.InputError
        Naming the file, the row as the spreadsheet shows it (the header is row 1) and
        the value, for every: missing ``bundle_id`` or ``compound_id`` column; empty
        bundle or compound id; compound not in ``compound_ids``; compound in two bundles
        (or twice in one); fixed fee that is not a number >= 0 or differs between the
        rows of one bundle.
    propfee.errors.MissingExtraError
        For an Excel file without the ``excel`` extra.
    """
    target = Path(path)
    what = f"bundle file {target}"
    frame = read_table(target, what="bundle file", encoding=encoding)
    lower = {c.strip().lower(): c for c in frame.columns}
    found = {name: next((lower[a] for a in aliases if a in lower), None)
             for name, aliases in _READ.items()}
    missing = [name for name in ("bundle_id", "compound_id") if found[name] is None]
    if missing:
        raise InputError([Problem(None, m, None, f"missing column ({BUNDLE_COLUMNS[m]})",
                                  line=1) for m in missing], what=what)
    known = {normalise_id(str(c)) for c in np.asarray(compound_ids, dtype=object).ravel()}
    problems: list[Problem] = []
    members: dict[str, list[str]] = {}
    fee: dict[str, tuple[float | None, int]] = {}
    seen: dict[str, tuple[str, int]] = {}
    fee_column = found["fixed_fee_yuan_per_year"]
    for r in range(len(frame)):
        line = r + FIRST_DATA_ROW
        if all(v is None for v in frame.iloc[r]):
            continue
        raw_bundle = frame[found["bundle_id"]].iloc[r]
        raw_compound = frame[found["compound_id"]].iloc[r]
        bundle = None if raw_bundle is None else _unquote(raw_bundle)
        compound = None if raw_compound is None else normalise_id(_unquote(raw_compound))
        if not bundle:
            problems.append(Problem(compound, "bundle_id", raw_bundle, "empty bundle id",
                                    line=line))
        if not compound:
            problems.append(Problem(None, "compound_id", raw_compound, "empty compound id",
                                    line=line))
            continue
        if compound not in known:
            problems.append(Problem(compound, "compound_id", raw_compound,
                                    "not a compound of the table", line=line))
        elif compound in seen:
            other, other_line = seen[compound]
            where = "twice in bundle" if other == bundle else "also in bundle"
            problems.append(Problem(compound, "compound_id", raw_compound,
                                    f"{where} {other!r} (row {other_line})", line=line))
            continue
        if not bundle:
            continue
        seen[compound] = (bundle, line)
        members.setdefault(bundle, []).append(compound)
        if fee_column is not None:
            problems += _fee(frame[fee_column].iloc[r], bundle, compound, line, fee)
    if problems:
        raise InputError(problems, what=what)
    return tuple(Bundle(bundle_id=b, members=tuple(m),
                        fixed_fee_yuan_per_year=fee.get(b, (None, 0))[0])
                 for b, m in members.items())


def _fee(raw: str | None, bundle: str, compound: str, line: int,
         fee: dict[str, tuple[float | None, int]]) -> list[Problem]:
    """Check a row's fixed fee against the first one its bundle gave (empty cells pass)."""
    if raw is None:
        return []
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        value = float("nan")
    if not np.isfinite(value) or value < 0:
        return [Problem(compound, "fixed_fee_yuan_per_year", raw,
                        "must be a number >= 0 [yuan/year]", line=line)]
    first = fee.setdefault(bundle, (value, line))
    if first[0] != value:
        return [Problem(compound, "fixed_fee_yuan_per_year", raw,
                        f"bundle {bundle!r} has {first[0]:g} in row {first[1]}", line=line)]
    return []


def _unquote(text: str) -> str:
    """Undo :func:`propfee.io.neutralise_formulas`: ``'=A1`` is ``=A1``."""
    return text[1:] if text.startswith("'") and text[1:2] in _FORMULA_START and len(
        text) > 1 else text
