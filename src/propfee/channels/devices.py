"""Channel 4, smart devices (可视设备智慧管): devices that supply work and cost money.

Per compound and device (in the plan's order; each supplies what the devices before it
left)::

    units          = units_per_basis * basis quantity            (e.g. 1 per gate)
    crf(r, n)      = r / (1 - (1 + r)^-n),  = 1 / n when r = 0
    capital_yuan   = units * capital_cost_yuan_per_unit * crf(discount_rate, service_life_years)
    running_yuan   = units * running_cost_yuan_per_unit_year
    supplied       = min(units * work_per_unit_year, what is left of the device's work)

Access control supplies gate hours (8,760 a unit a year keeps a gate all day), cameras
supply patrol hours; a device with no work (speakers, a parking barrier) is an added
service the plan buys. Where the plan keeps its gates by devices (``device_only``), each
gate the devices keep also needs remote help (an intercom answered by a service centre)::

    remote_help    = remote_help_yuan_per_gate_year * gate hours supplied / (coverage
                     hours a day * 365)

Annualised capital is paid by the ``capital_funder`` (the renovation programme or the
compound's fund pool); running costs and remote help by the fund pool. With the channel
switched off no device supplies anything: the gate hours the plan needs (its staffed
regime's, else the grade's) are bought at market prices, by guards or, where the grade
keeps its gates so, a live-in gatekeeper (:mod:`propfee.work.market`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from propfee.channels.common import Amount, Item, LineSpec, Price, Section, WorkBasis
from propfee.staffing import DAYS_PER_YEAR
from propfee.work.demand import COVERAGE_HOURS_PER_DAY

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["Device", "SmartDevices", "apply", "capital_recovery_factor"]

FloatArray = npt.NDArray[np.float64]


def capital_recovery_factor(
    discount_rate: npt.ArrayLike, service_life_years: npt.ArrayLike
) -> FloatArray:
    """Capital-recovery factor: the annual payment that repays 1 yuan over a life.

    ``crf = r / (1 - (1 + r)^-n)``, computed as ``r / -expm1(-n log1p(r))`` so that a
    tiny rate gives ``1 / n`` rather than a division of zero by zero; ``1 / n`` when
    ``r = 0``.

    Parameters
    ----------
    discount_rate
        Annual discount rate ``r``. [1/year]
    service_life_years
        Service life ``n``; must be positive. [year]

    Returns
    -------
    numpy.ndarray
        The factor. [1/year]

    Examples
    --------
    5% over 6 years: 0.05 x 1.05^6 / (1.05^6 - 1) = 0.19702.

    >>> round(float(capital_recovery_factor(0.05, 6)[0]), 5)
    0.19702
    >>> float(capital_recovery_factor(0.0, 8)[0])
    0.125
    >>> round(float(capital_recovery_factor(1e-16, 8)[0]), 12)
    0.125
    """
    r = np.asarray(discount_rate, dtype=np.float64)
    n = np.asarray(service_life_years, dtype=np.float64)
    paid_down = -np.expm1(-n * np.log1p(r))  # 1 - (1 + r)^-n, exact for small r
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = np.where(r > 0, r / np.where(r > 0, paid_down, 1.0), 1.0 / n)
    return np.atleast_1d(crf)


class Device(Item):
    """A kind of smart device installed in every compound of the plan.

    Attributes
    ----------
    name
        Device name (``access_control``, ``cameras``...).
    basis
        What the units are counted against (``gate``, ``building``, ``parking_gate``...).
    units_per_basis
        Units per basis item. [units]
    capital_cost_yuan_per_unit
        Purchase and installation. [yuan/unit]
    service_life_years
        Service life. [year]
    running_cost_yuan_per_unit_year
        Power, network, maintenance. [yuan/(unit year)]
    work
        The work category the device supplies (``gate``, ``patrol``...), if any.
    work_per_unit_year
        Work one unit supplies in a year, in the work's unit (8,760 gate hours: a gate
        kept all day). [work unit/(unit year)]
    capital_funder
        Who pays the capital: ``renovation_programme`` or ``fund_pool``.
    """

    basis: WorkBasis
    units_per_basis: Amount
    capital_cost_yuan_per_unit: Price
    service_life_years: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    running_cost_yuan_per_unit_year: Price = 0.0
    work: str | None = None
    work_per_unit_year: Amount = 0.0
    capital_funder: Literal["renovation_programme", "fund_pool"] = "renovation_programme"


class SmartDevices(Section[Device]):
    """The smart devices of the plan (items: :class:`Device`).

    Attributes
    ----------
    discount_rate
        Discount rate of the capital-recovery factor. [1/year]
    """

    discount_rate: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.04


def apply(ctx: ChannelInputs, settings: SmartDevices) -> None:
    """Add every device's capital and running lines and supply the work it does."""
    if not ctx.any_on("smart_devices") or not settings.items:
        return
    on = ctx.on["smart_devices"]
    rows = ctx.where_on("smart_devices")
    names = settings.names()
    quantity = np.array([ctx.quantity(dev.basis) for dev in settings.items])
    units = ctx.items.rows("smart_devices", names, "units_per_basis") * quantity * on
    life = ctx.items.rows("smart_devices", names, "service_life_years")
    capital = units * ctx.items.rows("smart_devices", names, "capital_cost_yuan_per_unit")
    annual = capital * capital_recovery_factor(settings.discount_rate, life)
    running = units * ctx.items.rows("smart_devices", names, "running_cost_yuan_per_unit_year")
    offer = units * ctx.items.rows("smart_devices", names, "work_per_unit_year")
    gate_hours = np.zeros(len(ctx))
    for i, dev in enumerate(settings.items):
        work = dev.work or ""
        ctx.details[f"device_capital:{dev.name}"] = capital[i]
        ctx.details[f"device_life:{dev.name}"] = np.broadcast_to(life[i], (len(ctx),))
        ctx.add(LineSpec(f"device_{dev.name}_capital", "smart_devices", "depreciation",
                         dev.capital_funder, "capital", work), annual[i], where=rows)
        ctx.add(LineSpec(f"device_{dev.name}_running", "smart_devices", "upkeep", "fund_pool",
                         "running", work), running[i], where=rows)
        if dev.work is not None:
            got = ctx.supply("smart_devices", dev.work, offer[i], where=rows)
            if dev.work == "gate":
                gate_hours = gate_hours + got
    if ctx.gate_regime == "device_only" and gate_hours.any():
        per_gate = COVERAGE_HOURS_PER_DAY[ctx.coverage] * DAYS_PER_YEAR
        ctx.add(LineSpec("gate_remote_help", "smart_devices", "order", "fund_pool", "running",
                         "gate"),
                ctx.values["gates.remote_help_yuan_per_gate_year"] * gate_hours / per_gate,
                where=gate_hours > 0)
