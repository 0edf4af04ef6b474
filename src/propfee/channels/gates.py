"""Gate regimes (门岗): what keeping a compound's gates costs under each regime.

A gate is kept in one of four ways (:data:`propfee.params.model.GateRegime`)::

    staffed_24h   guards = gates * 24 * 365 / guard_hours_per_year   (order staff)
    staffed_16h   guards = gates * 16 * 365 / guard_hours_per_year   (order staff)
    live_in       pay    = gates * live_in_monthly_pay_yuan * 12     (service agreement,
                                                                     no social insurance)
    device_only   help   = gates * remote_help_yuan_per_gate_year    (devices: channel 4)

Guards are the ``order`` role's demand (:func:`propfee.staffing.role_demand_fte`); the
other two regimes cost money but no posts.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from propfee.params.model import GateRegime, ParameterSet

__all__ = ["gate_running_yuan"]

FloatArray = npt.NDArray[np.float64]


def gate_running_yuan(
    regime: GateRegime, gates: npt.ArrayLike, params: ParameterSet
) -> tuple[FloatArray, FloatArray]:
    """Live-in pay and remote help of a compound's gates.

    Parameters
    ----------
    regime
        The gate regime.
    gates
        Gates. [gates]
    params
        Parameter set (``gates.*``).

    Returns
    -------
    tuple of numpy.ndarray
        ``(live_in_pay, remote_help)``; both zero for staffed regimes. [yuan/year]

    Examples
    --------
    Two live-in gatekeepers at 1,500 yuan/month: 2 x 1,500 x 12 = 36,000 yuan a year.

    >>> from propfee.params import default_parameters
    >>> pay, help_ = gate_running_yuan("live_in", 2, default_parameters())
    >>> float(pay[0]), float(help_[0])
    (36000.0, 0.0)
    """
    g = np.atleast_1d(np.asarray(gates, dtype=np.float64))
    zero = np.zeros_like(g)
    if regime == "live_in":
        return g * params.gates.live_in_monthly_pay_yuan * 12.0, zero
    if regime == "device_only":
        return zero, g * params.gates.remote_help_yuan_per_gate_year
    return zero, zero
