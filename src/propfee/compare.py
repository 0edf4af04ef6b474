"""Plans side by side: the market baseline and each named 4+1 plan on the same compounds.

For each plan (and the stand-alone market baseline at the plan's service grade) the
district's headline figures, every one summed exactly in fen over the compounds::

    compounds_in_deficit  = compounds whose pool balance (baseline: balance) is negative
    pool_balance_yuan     = fee collected + public income - compound cash cost
    street_subsidy_yuan   = sum of max(-pool balance, 0)
    net_public_cost_yuan  = street services + street subsidy + renovation capital
    compound_cash_cost_yuan, fee_collected_yuan, public_income_yuan, in_kind_yuan

The baseline row has no public income, street services or renovation capital: its
street subsidy is what would keep every market-served compound out of deficit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from propfee.baseline import DEFAULT_GRADE, market_baseline_district
from propfee.budget import evaluate_district
from propfee.compound import CompoundTable, validate_compounds
from propfee.money import yuan_to_fen
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, named_plan, plan_names

__all__ = ["compare_plans"]


def _fen_sum(values: pd.Series) -> float:
    return int(yuan_to_fen(values.to_numpy(dtype=np.float64)).sum()) / 100.0


def compare_plans(
    compounds: pd.DataFrame | CompoundTable,
    plans: Sequence[str | Plan] | None = None,
    params: ParameterSet | None = None,
) -> pd.DataFrame:
    """The market baseline and each plan on the same compounds, one row each.

    Parameters
    ----------
    compounds
        A compound table.
    plans
        Plan names (see :func:`propfee.plan.plan_names`) or plans; default: every
        built-in plan.
    params
        Parameter set; defaults to :func:`propfee.params.default_parameters`.

    Returns
    -------
    pandas.DataFrame
        Index ``market_baseline`` and the plan names; columns as in the module
        docstring. Money in [yuan/year].
    """
    params = params or default_parameters()
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    chosen = list(plans) if plans is not None else list(plan_names())
    rows: dict[str, dict[str, float]] = {}
    base = market_baseline_district(table, params, grade=DEFAULT_GRADE)
    deficit = base["balance_yuan"].clip(upper=0.0)
    rows["market_baseline"] = {
        "compounds_in_deficit": float((base["balance_yuan"] < 0).sum()),
        "compound_cash_cost_yuan": _fen_sum(base["total_annual_cost_yuan"]),
        "fee_collected_yuan": _fen_sum(base["fee_collected_yuan"]),
        "public_income_yuan": 0.0,
        "pool_balance_yuan": _fen_sum(base["balance_yuan"]),
        "street_subsidy_yuan": -_fen_sum(deficit),
        "net_public_cost_yuan": -_fen_sum(deficit),
        "in_kind_yuan": 0.0,
    }
    for item in chosen:
        plan = named_plan(item) if isinstance(item, str) else item
        name = item if isinstance(item, str) else (plan.description or "plan")
        c = evaluate_district(table, plan, params, contributions=False,
                              with_lines=False).compounds
        rows[name] = {
            "compounds_in_deficit": float((c["pool_balance_yuan"] < 0).sum()),
            "compound_cash_cost_yuan": _fen_sum(c["compound_cash_cost_yuan"]),
            "fee_collected_yuan": _fen_sum(c["fee_collected_yuan"]),
            "public_income_yuan": _fen_sum(c["public_income_yuan"]),
            "pool_balance_yuan": _fen_sum(c["pool_balance_yuan"]),
            "street_subsidy_yuan": _fen_sum(c["street_subsidy_yuan"]),
            "net_public_cost_yuan": _fen_sum(c["net_public_cost_yuan"]),
            "in_kind_yuan": _fen_sum(c["paid_by_volunteers_in_kind_yuan"]),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["compounds_in_deficit"] = out["compounds_in_deficit"].astype(np.int64)
    out.index.name = "plan"
    return out
