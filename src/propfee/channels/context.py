"""What every channel works on: the compounds, the resolved plan, the parameters, and
the staff demand still open, shared as the channels take their part of it in turn.

The kernel (:func:`propfee.budget.budget_arrays`) makes one :class:`ChannelInputs`,
hands it to each channel's ``apply`` function in a fixed order (street, devices,
volunteers, shared property, direct costs, public income), and reads back the lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from propfee.channels.common import Basis, Channel, LineSpec, basis_quantity
from propfee.compound import CompoundTable
from propfee.costs import age_years
from propfee.params.model import GateRegime, GradeNorms, ParameterSet
from propfee.staffing import ROLES, role_demand_fte

if TYPE_CHECKING:
    from propfee.plan import PlanArrays

__all__ = ["ChannelInputs"]

FloatArray = npt.NDArray[np.float64]


@dataclass
class ChannelInputs:
    """The shared state of one kernel run.

    Attributes
    ----------
    table
        Validated compounds.
    plan
        The plan resolved against ``table``.
    params
        Parameter set.
    on
        Channel -> 1.0 where the channel is switched on for a compound, 0.0 where it is
        off (``shared_property`` off: a market company, each compound alone, market
        prices). One run can evaluate different channel sets on different rows, which is
        how the channel credit evaluates all 32 subsets at once.
    gate_regime
        The plan's gate regime.
    fallback_regime
        The regime a device-only gate falls back to without the smart-devices channel.
    fallback
        Where (per compound) the gates are in the fallback regime.
    demand
        Role -> demand at the plan's grade and gate regime. [FTE]
    remaining
        Role -> demand no channel has taken yet. [FTE]
    replaced
        ``(channel, role)`` -> demand the channel took. [FTE]
    lines
        Every line made so far -> annual amount per compound. [yuan/year]
    lines_fen
        Lines that are whole fen by construction (contract shares). [fen/year]
    income_yuan
        Net public-resource income per compound. [yuan/year]
    jobs_at_market_yuan
        The plan's per-use jobs at market price and unshared call-outs. [yuan/year]
    details
        Per-item figures for the report and the projection (``uses:<job>``,
        ``income:<source>``, ``device_capital:<device>``, ``device_life:<device>``).
    volunteer_multiplier
        Multiplies each compound's volunteer supply (what-if analyses). [1]
    """

    table: CompoundTable
    plan: PlanArrays
    params: ParameterSet
    on: dict[str, FloatArray]
    gate_regime: GateRegime = "staffed_24h"
    fallback_regime: GateRegime = "staffed_24h"
    fallback: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    demand: dict[str, FloatArray] = field(default_factory=dict)
    remaining: dict[str, FloatArray] = field(default_factory=dict)
    replaced: dict[tuple[str, str], FloatArray] = field(default_factory=dict)
    lines: dict[LineSpec, FloatArray] = field(default_factory=dict)
    lines_fen: dict[LineSpec, npt.NDArray[np.int64]] = field(default_factory=dict)
    line_rows: dict[LineSpec, npt.NDArray[np.bool_]] = field(default_factory=dict)
    income_yuan: FloatArray = field(default_factory=lambda: np.zeros(0))
    jobs_at_market_yuan: FloatArray = field(default_factory=lambda: np.zeros(0))
    details: dict[str, FloatArray] = field(default_factory=dict)
    volunteer_multiplier: FloatArray | float = 1.0
    _quantities: dict[str, FloatArray] = field(default_factory=dict, repr=False)
    _on_where: dict[str, tuple[bool, bool]] = field(default_factory=dict, repr=False)

    @classmethod
    def start(cls, table: CompoundTable, plan: PlanArrays, params: ParameterSet,
              on: dict[str, FloatArray]) -> ChannelInputs:
        """The state before any channel: full demand, no lines.

        Parameters
        ----------
        table, plan, params
            As :func:`propfee.budget.budget_arrays`.
        on
            Channel -> per-compound 1.0 (on) or 0.0 (off).
        """
        p = plan.plan
        grade = params.grades.grade(p.service_grade)
        regime = p.gate_regime or grade.gate_regime
        fallback_regime = grade.gate_regime if grade.gate_regime != "device_only" else "live_in"
        n = len(table)
        fallback = np.zeros(n, dtype=bool)
        if regime == "device_only":
            fallback = on["smart_devices"] == 0.0
        ctx = cls(table, plan, params, on, regime, fallback_regime, fallback)
        ctx.demand = {role: ctx.role_demand(role, grade) for role in ROLES}
        ctx.remaining = dict(ctx.demand)
        ctx.income_yuan = np.zeros(n)
        ctx.jobs_at_market_yuan = np.zeros(n)
        return ctx

    def regime_rows(self, regime: GateRegime) -> npt.NDArray[np.bool_]:
        """Where (per compound) the gates are kept in ``regime``."""
        here = self.fallback if regime == self.fallback_regime else np.zeros(len(self), bool)
        if regime == self.gate_regime:
            here = here | ~self.fallback
        return here

    def all_on(self, channel: str) -> bool:
        """Whether the channel is on for every compound."""
        return self._switched(channel)[1]

    def any_on(self, channel: str) -> bool:
        """Whether the channel is on for any compound."""
        return self._switched(channel)[0]

    def _switched(self, channel: str) -> tuple[bool, bool]:
        """(on anywhere, on everywhere) of a channel, worked out once per run (the
        switches do not change during a run)."""
        hit = self._on_where.get(channel)
        if hit is None:
            on = self.on[channel] == 1.0
            hit = self._on_where[channel] = (bool(on.any()), bool(on.all()))
        return hit

    def __len__(self) -> int:
        return len(self.table)

    def role_demand(self, role: str, grade: GradeNorms | None = None) -> FloatArray:
        """Demand of one role at the plan's grade and each compound's gate regime. [FTE]"""
        t = self.table
        g = grade or self.params.grades.grade(self.plan.plan.service_grade)

        def at(regime: GateRegime) -> FloatArray:
            return role_demand_fte(role, g, self.params, households=t.array("households"),
                                   floor_area_m2=t.array("floor_area_m2"),
                                   green_area_m2=t.array("green_area_m2"),
                                   gates=t.array("gates"), gate_regime=regime)

        demand = at(self.gate_regime)
        if role == "order" and self.fallback.any():
            demand = np.where(self.fallback, at(self.fallback_regime), demand)
        return demand

    def quantity(self, basis: Basis) -> FloatArray:
        """How many of ``basis`` each compound has (see
        :func:`propfee.channels.common.basis_quantity`), worked out once per run."""
        value = self._quantities.get(basis)
        if value is None:
            value = self._quantities[basis] = basis_quantity(self.table, basis, self.params)
        return value

    @property
    def age_years(self) -> FloatArray:
        """Building age at the evaluation date. [year]"""
        return age_years(self.table.array("build_year"), self.params.as_of.year)

    def take(self, channel: Channel, role: str, offered: FloatArray) -> FloatArray:
        """Let a channel take up to ``offered`` of a role's open demand; return what it got.

        Parameters
        ----------
        channel
            The channel taking the work.
        role
            The staff role.
        offered
            What the channel can take. [FTE]

        Returns
        -------
        numpy.ndarray
            What it took: ``min(offered, remaining)``. [FTE]
        """
        got = np.minimum(offered, self.remaining[role])
        self.remaining[role] = self.remaining[role] - got
        key = (channel, role)
        self.replaced[key] = self.replaced.get(key, np.zeros(len(self))) + got
        return got

    def add(self, spec: LineSpec, amount: FloatArray,
            where: npt.NDArray[np.bool_] | None = None) -> None:
        """Record a line. [yuan/year]

        Parameters
        ----------
        spec
            What the line is.
        amount
            Its amount per compound. [yuan/year]
        where
            For a line that exists only where a condition holds (a channel switched
            on or off, a gate regime): the compounds where it does. A budget of some of
            the compounds has the line if it holds for any of them, just as a run on
            those compounds alone would make it.
        """
        if spec in self.lines:
            raise ValueError(f"line {spec.code!r} made twice")
        self.lines[spec] = np.asarray(amount, dtype=np.float64)
        if where is not None:
            self.line_rows[spec] = where
