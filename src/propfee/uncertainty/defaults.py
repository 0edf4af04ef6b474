"""The default uncertain inputs: the parameter file's ranges and the plan's prices.

Every parameter labelled illustrative in the built-in Taiyuan file carries a range
(``range = {...}``, :mod:`propfee.params.ranges`). A plan's prices are guesses too
(:data:`propfee.analysis.sensitivity.PLAN_PRICE_FIELDS`): none of the named plans' prices
comes from a public source, so each gets a wide range around its value::

    a price (yuan)     lognormal, the value the median, 90% between value / 1.5 and
                       value x 1.5
    a rate (0 to 1)    triangular between 0.5 x value and min(1.5 x value, 1)

each with the reason "wide: no source found (a plan price)".
"""

from __future__ import annotations

import datetime as dt

from propfee.analysis.sensitivity import PLAN_PRICE_FIELDS
from propfee.params.loader import SOURCE_DATE, load_parameter_file
from propfee.params.ranges import UncertainInput, UncertainInputs
from propfee.plan import Plan, default_plan, override_paths

__all__ = ["default_ranges", "plan_price_ranges"]

PLAN_PRICE_REASON = "wide: no source found (a plan price)"


def plan_price_ranges(plan: Plan | None = None) -> tuple[UncertainInput, ...]:
    """A wide range around each price of a plan (see the module docstring).

    Parameters
    ----------
    plan
        The plan; defaults to :func:`propfee.plan.default_plan`.

    Returns
    -------
    tuple of UncertainInput
        One per non-zero price field of the plan's items, by override path.

    Examples
    --------
    >>> r = {i.name: i for i in plan_price_ranges()}
    >>> g = r["street_fallback.garbage_removal.price_yuan"]
    >>> (g.value, g.low, g.high, g.shape)
    (120.0, 80.0, 180.0, 'lognormal')
    """
    plan = plan or default_plan()
    out = []
    for path, value in override_paths(plan).items():
        field = path.rsplit(".", 1)[1]
        if field not in PLAN_PRICE_FIELDS or not value:
            continue
        if field.endswith("_rate"):
            low, high, shape = 0.5 * value, min(1.5 * value, 1.0), "triangular"
        else:
            low, high, shape = value / 1.5, value * 1.5, "lognormal"
        out.append(UncertainInput(name=path, value=value, low=round(low, 10),
                                  high=round(high, 10), shape=shape,
                                  reason=PLAN_PRICE_REASON))
    return tuple(out)


def default_ranges(plan: Plan | None = None, params_file: str = "taiyuan",
                   when: dt.date = SOURCE_DATE) -> UncertainInputs:
    """The parameter file's ranges in force on a date and the plan's price ranges.

    Parameters
    ----------
    plan
        The plan; defaults to :func:`propfee.plan.default_plan`.
    params_file
        A parameter file or a built-in region name.
    when
        The evaluation date.

    Returns
    -------
    UncertainInputs
        Inputs of the file (with its correlation groups), then the plan's prices.
    """
    return load_parameter_file(params_file).uncertain(when).extended(
        [(i.name, i.value, i.low, i.high, i.shape, i.reason)
         for i in plan_price_ranges(plan)])
