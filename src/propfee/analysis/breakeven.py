"""Break-even: the value of one input at which a compound's fund pool balances.

Vectorised over every compound of a district, from one run of the 4+1 kernel. With
``cash`` the compound's cash cost, ``fees`` its fee collected, ``income`` its public
income, ``billed`` its fee billed and ``area`` its floor area (year 1, [yuan/year])::

    fee_rate:        rate* = (cash - income) / (area x 12 x collection_rate)
    collection_rate: coll* = (cash - income) / billed          (unreachable above 1)
    public_income:   income* = cash - fees                      (the extra income needed)
    bundle_size:     the least k such that a bundle of k compounds like this one pays its
                     way: k x (fees + income - other cash) >= c(k copies), k = 1..max_k

A value of 0 means the compound already breaks even at zero; ``reachable`` is False (and
``reason`` says why) when no value of the input can break even.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from propfee.bundling.cost import contract_costs
from propfee.bundling.game import BundleGame
from propfee.compound import CompoundTable
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, default_plan

__all__ = ["break_even"]

Variable = Literal["fee_rate", "collection_rate", "public_income", "bundle_size"]


def break_even(
    compounds: pd.DataFrame | CompoundTable,
    variable: Variable,
    plan: Plan | None = None,
    params: ParameterSet | None = None,
    *,
    max_bundle_size: int = 30,
) -> pd.DataFrame:
    """The break-even value of ``variable`` for every compound (each in its own pool).

    Parameters
    ----------
    compounds
        A compound table.
    variable
        ``"fee_rate"`` [yuan/(m2 month)], ``"collection_rate"`` [1], ``"public_income"``
        [yuan/year] or ``"bundle_size"`` [compounds].
    plan
        The 4+1 plan; its bundles are ignored (each compound alone), its terms are used.
    params
        Parameter set.
    max_bundle_size
        Largest bundle tried for ``"bundle_size"``. [compounds]

    Returns
    -------
    pandas.DataFrame
        ``compound_id``, ``value``, ``current`` (today's value of the input),
        ``reachable`` and ``reason``.
    """
    plan = plan or default_plan()
    params = params or default_parameters()
    game = BundleGame.from_district(compounds, plan, params)
    n = len(game)
    alone = game.standalone_costs()
    cash = alone + game.other_cash_yuan
    # income_yuan = fees collected + public income; split them back.
    from propfee.compound import validate_compounds
    from propfee.fees import annual_fee_billed_yuan, effective_fee_inputs

    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    rate, coll = effective_fee_inputs(table, params)
    area = table.array("floor_area_m2")
    billed = annual_fee_billed_yuan(area, rate)
    fees = billed * coll
    public = game.income_yuan - fees
    need = cash - public
    reachable = np.ones(n, dtype=bool)
    reason = np.full(n, "", dtype=object)
    if variable == "fee_rate":
        current = rate
        denom = area * 12.0 * coll
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(need <= 0, 0.0, need / np.where(denom > 0, denom, 1.0))
        dead = (denom <= 0) & (need > 0)
        value = np.where(dead, np.inf, value)
        reachable &= ~dead
        reason[dead] = "nothing is collected: no fee rate can break even"
    elif variable == "collection_rate":
        current = coll
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(need <= 0, 0.0, need / np.where(billed > 0, billed, 1.0))
        value = np.where((billed <= 0) & (need > 0), np.inf, value)
        over = value > 1.0
        reachable &= ~over
        reason[over] = "would need more than 100% of the billed fee"
    elif variable == "public_income":
        current = public
        value = np.maximum(cash - fees, 0.0)
    elif variable == "bundle_size":
        current = np.ones(n)
        ks = np.arange(1, max_bundle_size + 1)
        # k copies of compound i: members i repeated k times, no spread.
        bundle = np.repeat(np.arange(n * len(ks)), np.tile(ks, n))
        member = np.repeat(np.arange(n), ks.sum())
        costs = contract_costs(
            bundle, member, n * len(ks), standing_hours=game.standing_hours,
            households=game.households, x_m=np.zeros(n), y_m=np.zeros(n),
            jobs_yuan=game.jobs_yuan, callout_yuan=game.callout_yuan,
            fixed_fee_yuan=game.shared.fixed_fee_yuan_per_bundle_year,
            shared=game.shared, params=game.params,
        ).total_yuan.reshape(n, len(ks))
        surplus = (game.income_yuan - game.other_cash_yuan)[:, None] * ks[None, :] - costs
        ok = surplus >= 0
        value = np.where(ok.any(axis=1), ks[np.argmax(ok, axis=1)], np.inf).astype(np.float64)
        reachable &= ok.any(axis=1)
        reason[~ok.any(axis=1)] = (
            f"no bundle of up to {max_bundle_size} such compounds pays its way")
    else:
        raise ValueError(f"unknown variable {variable!r}")
    return pd.DataFrame({"compound_id": game.ids, "value": value, "current": current,
                         "reachable": reachable, "reason": reason})
