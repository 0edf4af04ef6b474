"""Channel 4, smart devices (可视设备智慧管): devices that lower staffing cost.

Formulas (per compound and device)::

    units          = units_per_basis * basis quantity            (e.g. 1 per gate)
    crf(r, n)      = r (1 + r)^n / ((1 + r)^n - 1),  = 1 / n when r = 0
    capital_yuan   = units * capital_cost_yuan_per_unit * crf(discount_rate, service_life_years)
    running_yuan   = units * running_cost_yuan_per_unit_year
    replaced_fte   = min(units * replaced_fte_per_unit, demand left)   (of ``replaces_role``)

Annualised capital is paid by the ``capital_funder`` (the renovation programme or the
compound's fund pool); running costs by the fund pool. A ``device_only`` gate regime
needs this channel (without it the gates fall back to the grade's regime) and adds
the remote help of each gate, paid by the fund pool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator

from propfee.channels.common import (
    Basis,
    LineSpec,
    Name,
    NonNeg,
    PlanModel,
    Rate,
    Role,
    unique_names,
)
from propfee.channels.gates import gate_running_yuan

if TYPE_CHECKING:
    from propfee.channels.context import ChannelInputs

__all__ = ["Device", "SmartDevices", "apply", "capital_recovery_factor"]

FloatArray = npt.NDArray[np.float64]


def capital_recovery_factor(
    discount_rate: npt.ArrayLike, service_life_years: npt.ArrayLike
) -> FloatArray:
    """Capital-recovery factor: the annual payment that repays 1 yuan over a life.

    ``crf = r (1 + r)^n / ((1 + r)^n - 1)``; ``1 / n`` when ``r = 0``.

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
    """
    r = np.asarray(discount_rate, dtype=np.float64)
    n = np.asarray(service_life_years, dtype=np.float64)
    growth = (1.0 + r) ** n
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = np.where(r > 0, r * growth / (growth - 1.0), 1.0 / n)
    return np.atleast_1d(crf)


class Device(PlanModel):
    """A kind of smart device installed in every compound of the plan.

    Attributes
    ----------
    name
        Device name (``access_control``, ``cameras``...).
    basis
        What the units are counted against (``gate``, ``building``, ``compound``...).
    units_per_basis
        Units per basis item. [units]
    capital_cost_yuan_per_unit
        Purchase and installation. [yuan/unit]
    service_life_years
        Service life; must be positive. [year]
    running_cost_yuan_per_unit_year
        Power, network, maintenance. [yuan/(unit year)]
    replaces_role
        The staff role whose posts or hours the device replaces, if any.
    replaced_fte_per_unit
        Staff replaced per unit. [FTE/unit]
    capital_funder
        Who pays the capital: ``renovation_programme`` or ``fund_pool``.
    """

    name: Name
    basis: Basis
    units_per_basis: NonNeg
    capital_cost_yuan_per_unit: NonNeg
    service_life_years: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    running_cost_yuan_per_unit_year: NonNeg = 0.0
    replaces_role: Role | None = None
    replaced_fte_per_unit: NonNeg = 0.0
    capital_funder: Literal["renovation_programme", "fund_pool"] = "renovation_programme"


class SmartDevices(PlanModel):
    """The smart devices of the plan and the discount rate that annualises them.

    Attributes
    ----------
    devices
        The devices, each with a unique name.
    discount_rate
        Discount rate of the capital-recovery factor. [1/year]
    """

    devices: Annotated[tuple[Device, ...], Field(strict=False)] = ()
    discount_rate: Rate = 0.04

    @field_validator("devices")
    @classmethod
    def _unique(cls, devices: tuple[Device, ...]) -> tuple[Device, ...]:
        unique_names(devices)
        return devices


def apply(ctx: ChannelInputs) -> None:
    """Add every device's capital and running lines and the staff it replaces."""
    if not ctx.any_on("smart_devices"):
        return
    on = ctx.on["smart_devices"]
    rows = on == 1.0
    sd = ctx.plan.plan.smart_devices
    if sd.devices:  # every device at once, one row a device
        names = tuple(dev.name for dev in sd.devices)
        quantity = np.array([ctx.quantity(dev.basis) for dev in sd.devices])  # per compound
        units = ctx.plan.rows("smart_devices", names, "units_per_basis") * quantity * on
        life = ctx.plan.rows("smart_devices", names, "service_life_years")
        capital = units * ctx.plan.rows("smart_devices", names, "capital_cost_yuan_per_unit")
        annual = capital * capital_recovery_factor(sd.discount_rate, life)
        running = units * ctx.plan.rows("smart_devices", names,
                                        "running_cost_yuan_per_unit_year")
        replaced = units * ctx.plan.rows("smart_devices", names, "replaced_fte_per_unit")
    for i, dev in enumerate(sd.devices):  # in order: each device takes what is left
        ctx.details[f"device_capital:{dev.name}"] = capital[i]
        ctx.details[f"device_life:{dev.name}"] = ctx.plan.value("smart_devices", dev.name,
                                                                "service_life_years")
        ctx.add(LineSpec(f"device_{dev.name}_capital", "smart_devices", "depreciation",
                         dev.capital_funder, "capital"), annual[i], where=rows)
        ctx.add(LineSpec(f"device_{dev.name}_running", "smart_devices", "upkeep", "fund_pool",
                         "running"), running[i], where=rows)
        if dev.replaces_role is not None:
            ctx.take("smart_devices", dev.replaces_role, replaced[i])
    device_only = ctx.regime_rows("device_only")
    if device_only.any():
        _, remote = gate_running_yuan("device_only", ctx.table.array("gates"), ctx.params)
        ctx.add(LineSpec("gate_remote_help", "smart_devices", "order", "fund_pool", "running"),
                remote * device_only, where=device_only)
