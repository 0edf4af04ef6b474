"""The per-compound columns of a budget, from one stacked kernel run.

Per compound (money in [yuan/year], every figure the sum of rounded lines, in fen)::

    cost_<channel>        lines of the channel (the market and running costs included)
    paid_by_<payer>       lines the payer bears (the lift levy: lift care and electricity,
                          paid by the households of the units with a lift)
    total_cost            every line, every payer
    compound_cash_cost    lines paid by the fund pool
    pool_balance          fee collected + public income - compound cash cost
    street_subsidy        max(-pool balance, 0)   (a transfer into the pool)
    pool_surplus          max(pool balance, 0)    (kept in the pool)
    street_total          street services + street subsidy
    net_public_cost       street total + renovation-programme capital
    market_baseline_cost  a market company alone delivering the same work at the same
                          grade: the run with every channel off (propfee.baseline)
    market_baseline_balance  fee collected - market baseline cost  (= v(no channel))
    saving_vs_market_baseline  market baseline cost - compound cash cost
    deficit_reduction     max(-market baseline balance, 0) - net public cost

Who pays, exactly: ``total_cost = fee_collected + public_income + street_subsidy -
pool_surplus + paid_by_lift_levy + paid_by_street_office + paid_by_renovation_programme +
paid_by_volunteers_in_kind`` (residents pay their fees into the pool; the street's
subsidy is a transfer into it; a surplus stays in it).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

from propfee._arrays import sum_arrays
from propfee.budget.credit import SUBSETS, WATERFALL, credit_of, stacked_run
from propfee.budget.kernel import KernelOutput, group_sums_by
from propfee.channels.common import CHANNELS, PAYERS, LineSpec
from propfee.compound import CompoundTable
from propfee.fees import fee_collected_fen
from propfee.money import fen_rows_to_yuan, yuan_to_fen
from propfee.params import ParameterSet
from propfee.params.values import ParamValues
from propfee.plan import PlanArrays
from propfee.work.categories import HOUR_CATEGORIES

__all__ = ["COST_CHANNELS", "SUPPLIERS", "piece_columns"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

COST_CHANNELS: Final = tuple(ch for ch in CHANNELS if ch != "public_income")
"""The channels that bear cost lines (public income brings money in)."""

SUPPLIERS: Final = ("street_fallback", "smart_devices", "self_governance", "shared_property",
                    "market")
"""Who supplies work, in the order they take it."""

_FULL: Final = SUBSETS[-1]
_NONE: Final = SUBSETS[0]


def piece_columns(
    table: CompoundTable, params: ParameterSet, plan: PlanArrays, mode: str | None,
    values: ParamValues | None = None,
) -> tuple[dict[str, npt.NDArray[Any]], list[LineSpec], IntArray, KernelOutput]:
    """Run the kernel on one piece (with every channel subset the columns need) and
    report it.

    Parameters
    ----------
    table, params, plan
        The compounds, the parameter set and the resolved plan.
    mode
        ``None`` (no channel credit: the plan and the market baseline only),
        ``"shapley"`` (all 32 subsets) or ``"waterfall"``.
    values
        Numeric parameter values, some perhaps one per compound.

    Returns
    -------
    tuple
        The columns (name -> array), the line specs, the ``(lines, compounds)`` fen
        matrix of the budget's lines, and the budget's kernel output.
    """
    n = len(table)
    fee = fee_collected_fen(table, params, values)
    steps = ((_NONE,) if mode is None else WATERFALL if mode == "waterfall"
             else SUBSETS[:-1])
    subsets = (*steps, _FULL)
    stacked, balances = stacked_run(table, plan, params, subsets, fee, values)
    last = len(subsets) - 1
    out = stacked.take(slice(last * n, (last + 1) * n))
    credit = None if mode is None else credit_of(balances, mode)
    cols, specs, matrix = _columns(table, out, fee, balances[_NONE], credit)
    return cols, specs, matrix, out


def _columns(
    table: CompoundTable, out: KernelOutput, fee: IntArray, baseline_balance: IntArray,
    credit: tuple[dict[str, IntArray], IntArray] | None,
) -> tuple[dict[str, npt.NDArray[Any]], list[LineSpec], IntArray]:
    n = len(table)
    specs, matrix = out.fen_matrix()
    sums = group_sums_by(specs, matrix, {"channel": COST_CHANNELS, "payer": PAYERS})
    by_channel, by_payer = sums["channel"], sums["payer"]
    income = yuan_to_fen(out.public_income_yuan)
    total = sum_arrays(by_payer.values(), like=np.zeros(n, dtype=np.int64))
    cash = by_payer["fund_pool"]
    balance = fee + income - cash
    subsidy = np.maximum(-balance, 0)
    street_total = by_payer["street_office"] + subsidy
    net_public = street_total + by_payer["renovation_programme"]
    base_cost = fee - baseline_balance  # no public income with every channel off
    money: dict[str, IntArray] = {
        **{f"cost_{ch}_yuan": v for ch, v in by_channel.items()},
        **{f"paid_by_{py}_yuan": v for py, v in by_payer.items()},
        "total_cost_yuan": total,
        "compound_cash_cost_yuan": cash,
        "fee_collected_yuan": fee,
        "public_income_yuan": income,
        "pool_balance_yuan": balance,
        "street_subsidy_yuan": subsidy,
        "pool_surplus_yuan": np.maximum(balance, 0),
        "street_total_yuan": street_total,
        "net_public_cost_yuan": net_public,
        "market_baseline_cost_yuan": base_cost,
        "market_baseline_balance_yuan": baseline_balance,
        "saving_vs_market_baseline_yuan": base_cost - cash,
        "deficit_reduction_yuan": np.maximum(-baseline_balance, 0) - net_public,
    }
    if credit is not None:
        for name, part in credit[0].items():
            money[f"contribution_{name}_yuan"] = part
    yuan = fen_rows_to_yuan(money, n)
    households = table.array("households")
    cols: dict[str, npt.NDArray[Any]] = {}
    for column, value in yuan.items():
        cols[column] = value
        if column == "net_public_cost_yuan":  # the ratios after the street's totals
            cols["pool_non_negative"] = balance >= 0
            cols["cost_per_household_month_yuan"] = yuan["total_cost_yuan"] / households / 12.0
            cols["cash_cost_per_household_month_yuan"] = (
                yuan["compound_cash_cost_yuan"] / households / 12.0)
            lift_hh = table.array("lift_households")
            lift_hh = np.where(np.isnan(lift_hh),
                               np.where(table.array("lifts") > 0, households, 0.0), lift_hh)
            with np.errstate(divide="ignore", invalid="ignore"):
                cols["lift_levy_per_lift_household_month_yuan"] = np.where(
                    lift_hh > 0, yuan["paid_by_lift_levy_yuan"] / np.where(
                        lift_hh > 0, lift_hh, 1.0) / 12.0, 0.0)
    ledger = out.ledger
    for supplier in SUPPLIERS:  # hours of work each supplier supplied
        cols[f"hours_{supplier}"] = sum_arrays(
            (ledger.supplied(supplier, c) for c in HOUR_CATEGORIES), like=households)
    zero = np.zeros(n)
    cols["volunteer_hours"] = sum_arrays(
        (v for k, v in out.details.items() if k.startswith("volunteer_hours:")), like=zero)
    cols["volunteer_added_hours"] = sum_arrays(
        (v for k, v in out.details.items() if k.startswith("added_hours:")), like=zero)
    return cols, specs, matrix
