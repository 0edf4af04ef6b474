"""What every channel works on: the compounds, the plan's values, the parameters, and
the work ledger the channels supply in turn.

The kernel (:func:`propfee.budget.kernel.budget_arrays`) makes one :class:`ChannelInputs`
and hands it, with the channel's own settings, to each channel's ``apply`` function in a
fixed order (street, devices, self-governance, shared property, the compound's running
costs, the market, public income). Each channel supplies work through
:meth:`ChannelInputs.supply` and records the money lines that pay for it with
:meth:`ChannelInputs.add`. The channels never import the plan: what they need of it
arrives here as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from propfee.channels.common import ItemValues, LineSpec, WorkBasis, basis_quantity
from propfee.compound import CompoundTable
from propfee.params.model import GateRegime, ParameterSet
from propfee.params.values import ParamValues
from propfee.work.demand import age_years
from propfee.work.ledger import WorkLedger

__all__ = ["ChannelInputs"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass
class ChannelInputs:
    """The shared state of one kernel run.

    Attributes
    ----------
    table
        Validated compounds.
    params
        Parameter set (text values, the job catalogue).
    values
        Numeric parameter values by path, some perhaps one per compound.
    items
        The plan's item values per compound (:class:`propfee.channels.common.ItemValues`).
    bundle_code, n_bundles, bundle_fixed_fee_yuan
        The shared-property contract of each compound (``0..n_bundles-1``) and each
        contract's fixed fee per crew. [yuan/year]
    grade
        The plan's service grade, 1 to 5.
    gate_regime
        The plan's gate regime (``None``: the grade's).
    coverage
        How many hours a day the gates are kept (``staffed_24h``, ``staffed_16h`` or
        ``live_in``, :func:`propfee.work.demand.coverage_regime`).
    on
        Channel -> 1.0 where the channel is switched on for a compound, 0.0 where it is
        off. One run can evaluate different channel sets on different rows, which is how
        the channel credit evaluates all 32 subsets at once.
    ledger
        Demand and supplies of every work category.
    lines
        Every line made so far -> annual amount per compound. [yuan/year]
    lines_fen
        Lines that are whole fen by construction (contract shares). [fen/year]
    line_rows
        For a line that exists only where a condition holds: the compounds where it does.
    income_yuan
        Net public-resource income per compound. [yuan/year]
    details
        Per-item figures for the report and the projection (``income:<source>``,
        ``device_capital:<device>``, ``device_life:<device>``, ``volunteer_hours:<task>``,
        ``added_hours:<task>``...).
    volunteer_multiplier
        Multiplies each compound's volunteer supply (what-if analyses). [1]
    """

    table: CompoundTable
    params: ParameterSet
    values: ParamValues
    items: ItemValues
    bundle_code: IntArray
    n_bundles: int
    bundle_fixed_fee_yuan: FloatArray
    grade: int
    gate_regime: GateRegime | None
    coverage: str
    on: dict[str, FloatArray]
    ledger: WorkLedger
    lines: dict[LineSpec, FloatArray] = field(default_factory=dict)
    lines_fen: dict[LineSpec, IntArray] = field(default_factory=dict)
    line_rows: dict[LineSpec, npt.NDArray[np.bool_]] = field(default_factory=dict)
    income_yuan: FloatArray = field(default_factory=lambda: np.zeros(0))
    details: dict[str, FloatArray] = field(default_factory=dict)
    volunteer_multiplier: FloatArray | float = 1.0
    _quantities: dict[str, FloatArray] = field(default_factory=dict, repr=False)
    _on_where: dict[str, tuple[bool, bool]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.table)

    def all_on(self, channel: str) -> bool:
        """Whether the channel is on for every compound."""
        return self._switched(channel)[1]

    def any_on(self, channel: str) -> bool:
        """Whether the channel is on for any compound."""
        return self._switched(channel)[0]

    def _switched(self, channel: str) -> tuple[bool, bool]:
        hit = self._on_where.get(channel)
        if hit is None:
            on = self.on[channel] == 1.0
            hit = self._on_where[channel] = (bool(on.any()), bool(on.all()))
        return hit

    def where_on(self, channel: str) -> npt.NDArray[np.bool_]:
        """Where (per compound) the channel is on."""
        where: npt.NDArray[np.bool_] = self.on[channel] == 1.0
        return where

    def quantity(self, basis: WorkBasis | str) -> FloatArray:
        """How many of ``basis`` each compound has, worked out once per run."""
        value = self._quantities.get(basis)
        if value is None:
            value = self._quantities[basis] = basis_quantity(self.table, basis, self.params,
                                                             self.values)
        return value

    @property
    def age_years(self) -> FloatArray:
        """Building age at the evaluation date. [year]"""
        return age_years(self.table.array("build_year"), self.params.as_of.year)

    def supply(self, channel: str, category: str, offered: npt.ArrayLike,
               where: npt.NDArray[np.bool_] | None = None) -> FloatArray:
        """Let a channel supply up to ``offered`` of a category; return what it supplied.

        Parameters
        ----------
        channel
            The channel supplying the work.
        category
            The work category.
        offered
            What the channel can supply, in the category's unit.
        where
            Only these compounds.

        Returns
        -------
        numpy.ndarray
            What it supplied: ``min(offered, what is left)``, in the category's unit.
        """
        return self.ledger.supply(channel, category, offered, where)

    def add(self, spec: LineSpec, amount: npt.ArrayLike,
            where: npt.NDArray[np.bool_] | None = None) -> None:
        """Record a line. [yuan/year]

        Parameters
        ----------
        spec
            What the line is.
        amount
            Its amount per compound. [yuan/year]
        where
            For a line that exists only where a condition holds (a channel switched on,
            a gate kept by devices): the compounds where it does. A budget of some of the
            compounds has the line if it holds for any of them, just as a run on those
            compounds alone would make it.
        """
        if spec in self.lines:
            raise ValueError(f"line {spec.code!r} made twice")
        value = np.asarray(amount, dtype=np.float64)
        self.lines[spec] = np.broadcast_to(value, (len(self),)) if value.ndim == 0 else value
        if where is not None:
            self.line_rows[spec] = where
