"""Results of a 4+1 evaluation: a district's tables, one compound's budget, its lines.

A :class:`DistrictBudget` holds one row per compound (:attr:`DistrictBudget.compounds`,
the columns of :mod:`propfee.budget.columns`) and builds, on first use, the long tables
of money lines (:attr:`DistrictBudget.lines`) and of work (:attr:`DistrictBudget.work`)
by running the kernel again on the inputs it keeps. A :class:`BudgetResult` is one
compound's row with its lines and its work.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict

from propfee.budget.columns import COST_CHANNELS, SUPPLIERS
from propfee.budget.credit import SUBSETS, WATERFALL, credit_of, stacked_run
from propfee.budget.kernel import KernelOutput, budget_arrays
from propfee.channels.common import CREDIT_CHANNELS, PAYERS, LineSpec
from propfee.compound import CompoundTable
from propfee.money import fen_to_yuan, yuan_to_fen
from propfee.params import ParameterSet
from propfee.payers import WHO_PAYS, who_pays
from propfee.plan import PlanArrays
from propfee.work.categories import work_categories

__all__ = [
    "BudgetLine",
    "BudgetResult",
    "DistrictBudget",
    "LineMatrix",
    "WorkRow",
    "result_fields",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

class BudgetLine(BaseModel):
    """One money line of a 4+1 budget.

    Attributes
    ----------
    line
        Line code (``market_gate``, ``job_pipe_dredging``, ``device_access_control_capital``...).
    channel, category, payer, kind
        Who supplies or bears it, its official cost category, who pays it, what kind of
        spending it is (``per_use``, ``standing``, ``market``...).
    work
        The work it pays for (``""``: a running cost; ``"*"``: overhead on a supplier's work).
    amount_yuan
        Annual amount, rounded to the fen. [yuan/year]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: str
    channel: str
    category: str
    payer: str
    kind: str
    work: str
    amount_yuan: float


class WorkRow(BaseModel):
    """One category of a compound's work: demand and who supplied it.

    Attributes
    ----------
    category
        Work category (``cleaning``, ``gate``, ``pipe_dredging``...).
    unit
        Its unit: ``h``, ``t``, ``lift`` or ``use`` (a year's worth).
    demand
        What the compound needs at the plan's grade. [unit/year]
    supplied
        Supplier (``street_fallback``, ``smart_devices``, ``self_governance``,
        ``shared_property``, ``market``) -> what it supplied; they add up to the demand.
        [unit/year]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: str
    unit: str
    demand: float
    supplied: dict[str, float]


@dataclass(frozen=True)
class DistrictBudget:
    """The 4+1 budget of a district.

    Attributes
    ----------
    compounds
        One row per compound (input order): identity, cost by channel
        (``cost_<channel>_yuan``), by payer (``paid_by_<payer>_yuan``), totals, fee and
        public income, pool balance, street subsidy, the market baseline, saving, deficit
        reduction, channel contributions (``contribution_<channel>_yuan``, when asked
        for), hours of work by supplier (``hours_<supplier>``) and volunteer hours (see
        :mod:`propfee.budget.columns`). Money in [yuan/year], rounded to the fen.
    """

    compounds: pd.DataFrame
    _inputs: tuple[CompoundTable, PlanArrays, ParameterSet] | None = field(
        default=None, repr=False, compare=False)
    _with_lines: bool = field(default=True, repr=False, compare=False)
    _pieces: Callable[[], Iterator[tuple[Any, CompoundTable, PlanArrays]]] | None = field(
        default=None, repr=False, compare=False)

    def channel_credit(self, mode: Literal["shapley", "waterfall"] = "shapley"
                       ) -> pd.DataFrame:
        """Each compound's channel credit, computed on first use (:mod:`propfee.budget.credit`).

        Parameters
        ----------
        mode
            ``"shapley"`` (the Shapley value over the five channels) or ``"waterfall"``.

        Returns
        -------
        pandas.DataFrame
            One row per compound (as :attr:`compounds`): ``compound_id``,
            ``market_baseline_balance_yuan`` (the balance with no channel on) and
            ``contribution_<channel>_yuan``. [yuan/year]
        """
        names = ["market_baseline_balance_yuan",
                 *(f"contribution_{ch}_yuan" for ch in CREDIT_CHANNELS)]
        df = self.compounds
        if names[1] in df.columns and mode == self.compounds.attrs.get("contributions"):
            return df[["compound_id", *names]]
        cached = self._credit_cache.get(mode)
        if cached is not None:
            return cached
        table, resolved, params = self._need_inputs("contributions=True")
        from propfee.budget.evaluate import CREDIT_CHUNK_ROWS, chunks

        fee = yuan_to_fen(df["fee_collected_yuan"].to_numpy())
        columns = {name: np.empty(len(df)) for name in names}
        steps = SUBSETS if mode == "shapley" else (*WATERFALL, SUBSETS[-1])
        for rows, bundles in chunks(resolved.bundle_code, len(resolved.bundle_ids),
                                    CREDIT_CHUNK_ROWS):
            _, values = stacked_run(table.take(rows), resolved.take(rows, bundles), params,
                                    steps, fee[rows])
            credit, none_on = credit_of(values, mode)
            columns[names[0]][rows] = fen_to_yuan(none_on)
            for ch in CREDIT_CHANNELS:
                columns[f"contribution_{ch}_yuan"][rows] = fen_to_yuan(credit[ch])
        out = pd.DataFrame({"compound_id": df["compound_id"], **columns})
        self._credit_cache[mode] = out
        return out

    @functools.cached_property
    def _credit_cache(self) -> dict[str, pd.DataFrame]:
        return {}

    def _need_inputs(self, how: str) -> tuple[CompoundTable, PlanArrays, ParameterSet]:
        if self._inputs is None:
            raise ValueError(f"this budget keeps no inputs: evaluate it with {how}")
        return self._inputs

    def _runs(self) -> Iterator[tuple[Any, KernelOutput]]:
        """The kernel run again, piece by piece: ``(rows, output)``."""
        if not self._with_lines:
            raise ValueError("this budget was evaluated with with_lines=False: evaluate it "
                             "with with_lines=True to have its lines and work")
        _, _, params = self._need_inputs("with_lines=True")
        assert self._pieces is not None
        for rows, part, plan in self._pieces():
            yield rows, budget_arrays(part, plan, params)

    @functools.cached_property
    def line_matrix(self) -> LineMatrix:
        """Every line of every compound as one ``(compounds, lines)`` matrix of fen, with
        the lines' specs: the compact form of :attr:`lines` (8 bytes a line of a
        compound, no text). Built on first use by running the kernel again.

        The lines are in the kernel's order: a line a piece makes that an earlier piece
        did not (a gate kept by devices in no compound of the first piece) stands right
        after the line before it in that piece, so the order never depends on how the
        table was cut."""
        n = len(self.compounds)
        out: dict[LineSpec, IntArray] = {}
        order: list[LineSpec] = []
        for rows, run in self._runs():
            previous: LineSpec | None = None
            specs, fen = run.fen_matrix()
            for spec, v in zip(specs, fen, strict=True):
                if spec not in out:
                    out[spec] = np.zeros(n, dtype=np.int64)
                    order.insert(0 if previous is None else order.index(previous) + 1, spec)
                out[spec][rows] = v
                previous = spec
        matrix = np.empty((n, len(order)), dtype=np.int64)
        for j, spec in enumerate(order):  # one line at a time: never two copies in memory
            matrix[:, j] = out.pop(spec)
        return LineMatrix(self.compounds["compound_id"].to_numpy(), tuple(order), matrix)

    @functools.cached_property
    def lines(self) -> pd.DataFrame:
        """The long table of money lines: one row per compound and line, with
        ``compound_id``, ``line``, ``channel``, ``category``, ``payer``, ``kind``,
        ``work`` (categorical) and ``amount_yuan`` [yuan/year], grouped by compound in
        input order. Built on first use from :attr:`line_matrix`; for a large district,
        :meth:`LineMatrix.to_parquet` writes it in pieces instead."""
        return self.line_matrix.to_frame()

    @functools.cached_property
    def work(self) -> pd.DataFrame:
        """The long table of work: one row per compound and category, with
        ``compound_id``, ``category``, ``unit``, ``demand`` and one column per supplier
        (``street_fallback``, ``smart_devices``, ``self_governance``, ``shared_property``,
        ``market``), in the category's unit a year; the suppliers add up to the demand.
        Built on first use, like :attr:`lines`."""
        _, _, params = self._need_inputs("with_lines=True")
        cats = work_categories(params)
        n = len(self.compounds)
        demand = {c.name: np.zeros(n) for c in cats}
        supplied = {(s, c.name): np.zeros(n) for s in SUPPLIERS for c in cats}
        for rows, run in self._runs():
            for c in cats:
                demand[c.name][rows] = run.ledger.demand(c.name)
                for s in SUPPLIERS:
                    supplied[(s, c.name)][rows] = run.ledger.supplied(s, c.name)
        ids = self.compounds["compound_id"].to_numpy()
        k = len(cats)
        return pd.DataFrame({
            "compound_id": np.repeat(ids, k),
            "category": np.tile([c.name for c in cats], n),
            "unit": np.tile([c.unit for c in cats], n),
            "demand": np.stack([demand[c.name] for c in cats], axis=1).ravel(),
            **{s: np.stack([supplied[(s, c.name)] for c in cats], axis=1).ravel()
               for s in SUPPLIERS},
        })

    def totals_by(self, column: str) -> pd.DataFrame:
        """Sum every money and count column of :attr:`compounds` by ``street`` or ``zone``.

        Parameters
        ----------
        column
            ``"street"``, ``"zone"`` or ``"bundle_id"``.

        Returns
        -------
        pandas.DataFrame
            One row per group; ``compounds`` counts them; money sums exactly (fen). [yuan/year]
        """
        df = self.compounds
        money = [c for c in df.columns if c.endswith("_yuan") and "per_household" not in c]
        fen = pd.DataFrame({c: yuan_to_fen(df[c].to_numpy()) for c in money})
        fen[column] = df[column].to_numpy()
        grouped = fen.groupby(column, sort=True)
        out = grouped.sum() / 100.0
        out.insert(0, "households", df.groupby(column, sort=True)["households"].sum())
        out.insert(0, "compounds", grouped.size())
        return out

    def district_totals(self) -> pd.Series:
        """Every money column summed over the district (exact to the fen). [yuan/year]"""
        df = self.compounds
        money = [c for c in df.columns if c.endswith("_yuan") and "per_household" not in c]
        return pd.Series({c: int(yuan_to_fen(df[c].to_numpy()).sum()) / 100.0 for c in money})

    def who_pays(self) -> dict[str, float]:
        """Who pays the district's total cost, adding up to it exactly (:func:`who_pays`).
        [yuan/year]"""
        return who_pays({str(k): v for k, v in self.district_totals().items()})

    def _repr_html_(self) -> str:
        from propfee.display import district_html

        return district_html(self.compounds)


_SPEC_FIELDS: Final = ("line", "channel", "category", "payer", "kind", "work")


def _code_dtype(size: int) -> type[np.signedinteger[Any]]:
    """The integer type pandas keeps the codes of ``size`` categories in."""
    return (np.int8 if size < 127 else np.int16 if size < 32_767
            else np.int32 if size < 2_147_483_647 else np.int64)


@dataclass(frozen=True)
class LineMatrix:
    """Every money line of every compound of a district, compact.

    Attributes
    ----------
    compound_id
        The compounds, in the order of the rows. ``(compounds,)``
    specs
        The lines, in the order of the columns.
    fen
        Annual amounts, ``(compounds, lines)``, C order (a compound's lines side by side).
        [fen/year]
    """

    compound_id: npt.NDArray[Any]
    specs: tuple[LineSpec, ...]
    fen: IntArray

    def spec_frame(self) -> pd.DataFrame:
        """One row per column of :attr:`fen`: ``line``, ``channel``, ``category``,
        ``payer``, ``kind`` and ``work``."""
        return pd.DataFrame([(s.code, s.channel, s.category, s.payer, s.kind, s.work)
                             for s in self.specs], columns=list(_SPEC_FIELDS))

    def to_frame(self, rows: slice = slice(None)) -> pd.DataFrame:
        """The long table of lines (:attr:`DistrictBudget.lines`) of the compounds at
        ``rows``, grouped by compound; its text columns categorical, made from codes
        (no Python work per row)."""
        ids = self.compound_id[rows]
        fen = self.fen[rows]
        n, k = fen.shape
        codes, uniques = pd.factorize(np.asarray(ids, dtype=object))
        id_dtype = pd.CategoricalDtype(pd.Index(uniques, dtype=object))
        frame: dict[str, Any] = {"compound_id": pd.Categorical.from_codes(
            np.repeat(codes.astype(_code_dtype(len(uniques))), k), dtype=id_dtype,
            validate=False)}
        for name, values in zip(_SPEC_FIELDS, self._spec_codes(), strict=True):
            cats, inverse = values
            frame[name] = pd.Categorical.from_codes(
                np.tile(inverse, n), dtype=pd.CategoricalDtype(cats), validate=False)
        frame["amount_yuan"] = fen_to_yuan(fen.reshape(-1))
        return pd.DataFrame(frame, copy=False)

    def _spec_codes(self) -> list[tuple[list[str], npt.NDArray[np.signedinteger[Any]]]]:
        """For each text field of the specs: its sorted values and each line's code."""
        out = []
        for name in _SPEC_FIELDS:
            values = [s.code if name == "line" else getattr(s, name) for s in self.specs]
            cats, inverse = np.unique(np.asarray(values, dtype=object), return_inverse=True)
            out.append(([str(c) for c in cats],
                        inverse.reshape(-1).astype(_code_dtype(len(cats)))))
        return out

    def to_parquet(self, path: str | Path, compounds_per_piece: int = 65_536) -> None:
        """Write the long table of lines to a Parquet file, a row group for each
        ``compounds_per_piece`` compounds, without building it whole (needs pyarrow:
        ``pip install 'propfee[parquet]'``). Reads back as :attr:`DistrictBudget.lines`
        (``pandas.read_parquet``), the compound ids as dictionary-encoded text.

        Parameters
        ----------
        path
            The file to write.
        compounds_per_piece
            Compounds a row group. [1]
        """
        from propfee._optional import require

        pa = require("pyarrow", feature="writing Parquet", extra="parquet")
        pq = require("pyarrow.parquet", feature="writing Parquet", extra="parquet")
        n, k = self.fen.shape
        spec_cols = [(name, pa.array(cats, pa.string()), inverse.astype(np.int32))
                     for name, (cats, inverse) in zip(_SPEC_FIELDS, self._spec_codes(),
                                                      strict=True)]
        text = pa.dictionary(pa.int32(), pa.string())
        schema = pa.schema([("compound_id", text),
                            *((name, text) for name in _SPEC_FIELDS),
                            ("amount_yuan", pa.float64())])
        step = max(int(compounds_per_piece), 1)
        with pq.ParquetWriter(str(path), schema) as writer:
            for start in range(0, max(n, 1), step):
                part = slice(start, min(start + step, n))
                codes, uniques = pd.factorize(np.asarray(self.compound_id[part],
                                                         dtype=object))
                m = len(codes)
                columns = [pa.DictionaryArray.from_arrays(
                    np.repeat(codes.astype(np.int32), k),
                    pa.array([str(u) for u in uniques], pa.string()))]
                columns += [pa.DictionaryArray.from_arrays(np.tile(inverse, m), cats)
                            for _, cats, inverse in spec_cols]
                columns.append(pa.array(fen_to_yuan(self.fen[part].reshape(-1))))
                writer.write_table(pa.Table.from_arrays(columns, schema=schema))


class BudgetResult(BaseModel):
    """The 4+1 budget of one compound: its row of :attr:`DistrictBudget.compounds`, its
    lines and its work.

    Attributes
    ----------
    compound_id
        The compound.
    bundle_id
        The shared-property contract it belongs to.
    lines
        Every money line, with channel, category, payer and the work it pays for.
        [yuan/year]
    work
        Every work category: demand and who supplied it.
    by_channel
        Cost by channel (the market and running costs included). [yuan/year]
    by_payer
        Cost by payer. [yuan/year]
    contributions
        Channel credit: the change of the pool balance each channel brings (Shapley
        value by default; empty if not computed). [yuan/year]
    total_cost_yuan
        All lines, every payer. [yuan/year]
    compound_cash_cost_yuan
        Lines paid by the fund pool. [yuan/year]
    fee_collected_yuan, public_income_yuan
        Income of the pool. [yuan/year]
    pool_balance_yuan
        Fee + public income - compound cash cost. [yuan/year]
    street_subsidy_yuan
        What the street adds to keep the pool from going negative. [yuan/year]
    pool_surplus_yuan
        What stays in the pool. [yuan/year]
    street_total_yuan
        Street services + street subsidy. [yuan/year]
    net_public_cost_yuan
        Street total + renovation-programme capital. [yuan/year]
    cost_per_household_month_yuan
        Total cost per household per month. [yuan/(household month)]
    lift_levy_per_lift_household_month_yuan
        What each household of a unit with a lift pays for lift care and electricity, a
        month (0 without lifts). [yuan/(household month)]
    market_baseline_cost_yuan
        A market company alone delivering the same work at the same grade. [yuan/year]
    market_baseline_balance_yuan
        Fee collected - market baseline cost. [yuan/year]
    saving_vs_market_baseline_yuan
        Market baseline cost - compound cash cost. [yuan/year]
    deficit_reduction_yuan
        Market baseline deficit - net public cost. [yuan/year]
    volunteer_hours, volunteer_added_hours
        Volunteer hours given, and those that supplied no priced work (added service).
        [h/year]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    compound_id: str
    bundle_id: str
    lines: tuple[BudgetLine, ...]
    work: tuple[WorkRow, ...]
    by_channel: dict[str, float]
    by_payer: dict[str, float]
    contributions: dict[str, float]
    total_cost_yuan: float
    compound_cash_cost_yuan: float
    fee_collected_yuan: float
    public_income_yuan: float
    pool_balance_yuan: float
    street_subsidy_yuan: float
    pool_surplus_yuan: float
    street_total_yuan: float
    net_public_cost_yuan: float
    cost_per_household_month_yuan: float
    lift_levy_per_lift_household_month_yuan: float
    market_baseline_cost_yuan: float
    market_baseline_balance_yuan: float
    saving_vs_market_baseline_yuan: float
    deficit_reduction_yuan: float
    volunteer_hours: float
    volunteer_added_hours: float

    @property
    def who_pays(self) -> dict[str, float]:
        """Who pays the total cost, adding up to it exactly (:func:`who_pays`). [yuan/year]"""
        return who_pays({name: getattr(self, name) if hasattr(self, name)
                         else self.by_payer[name[len("paid_by_"):-len("_yuan")]]
                         for _, name, _ in WHO_PAYS})

    def _repr_html_(self) -> str:
        from propfee.display import budget_html

        return budget_html(self)


_RESULT_SCALARS: Final = tuple(name for name, info in BudgetResult.model_fields.items()
                               if info.annotation is float)


def result_fields(values: dict[str, Any], compound_id: str, bundle_id: str,
                  lines: Iterable[BudgetLine | dict[str, Any]],
                  work: Iterable[WorkRow | dict[str, Any]]) -> dict[str, Any]:
    """The fields of a :class:`BudgetResult` from the columns of its compound."""

    def pick(prefix: str, names: Iterable[str]) -> dict[str, float]:
        return {name: float(values[f"{prefix}{name}_yuan"]) for name in names
                if f"{prefix}{name}_yuan" in values}

    return {
        "compound_id": compound_id,
        "bundle_id": bundle_id,
        "lines": tuple(lines),
        "work": tuple(work),
        "by_channel": pick("cost_", COST_CHANNELS),
        "by_payer": pick("paid_by_", PAYERS),
        "contributions": pick("contribution_", CREDIT_CHANNELS),
        **{name: float(values[name]) for name in _RESULT_SCALARS},
    }
