"""Plans side by side, each beside its own market baseline, on the same compounds.

For each plan, two rows: the plan, and its **market baseline** (a market company alone
delivering the same work at the same grade and gate hours: :mod:`propfee.baseline`,
the same figure as the budget's ``market_baseline_*`` columns and ``v(no channel)`` of
the channel credit). Plans at different grades or gate hours have different baselines.
Every figure is summed exactly in fen over the compounds::

    compounds_in_deficit  = compounds whose pool balance is below zero (zero is no deficit)
    compound_cash_cost    = lines paid by the fund pool
    pool_balance          = fee collected + public income - compound cash cost
    street_subsidy        = sum of max(-pool balance, 0)
    net_public_cost       = street services + street subsidy + renovation capital
    fee_collected, public_income, in_kind (volunteers' time that supplied work)

The baseline rows have no public income, street services or renovation capital: their
street subsidy is what would keep every market-served compound out of deficit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from propfee.budget import evaluate_district
from propfee.compound import CompoundTable, validate_compounds
from propfee.money import yuan_to_fen
from propfee.params import ParameterSet, default_parameters
from propfee.plan import Plan, named_plan, plan_names

__all__ = ["BASELINE_SUFFIX", "compare_plans"]

BASELINE_SUFFIX = ": market baseline"
"""Appended to a plan's name to name the row of its market baseline."""


def _fen_sum(values: pd.Series) -> float:
    return int(yuan_to_fen(values.to_numpy(dtype=np.float64)).sum()) / 100.0


def compare_plans(
    compounds: pd.DataFrame | CompoundTable,
    plans: Sequence[str | Plan] | None = None,
    params: ParameterSet | None = None,
) -> pd.DataFrame:
    """Each plan and its market baseline on the same compounds, one row each.

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
        Index: for each plan, its name and ``"<name>: market baseline"``; columns as in
        the module docstring plus ``grade``. Money in [yuan/year].
    """
    params = params or default_parameters()
    table = compounds if isinstance(compounds, CompoundTable) else validate_compounds(compounds)
    chosen = list(plans) if plans is not None else list(plan_names())
    rows: dict[str, dict[str, float]] = {}
    for item in chosen:
        plan = named_plan(item) if isinstance(item, str) else item
        name = item if isinstance(item, str) else (plan.description or "plan")
        c = evaluate_district(table, plan, params, contributions=False,
                              with_lines=False).compounds
        rows[name] = {
            "grade": float(plan.service_grade),
            "compounds_in_deficit": float((c["pool_balance_yuan"] < 0).sum()),
            "compound_cash_cost_yuan": _fen_sum(c["compound_cash_cost_yuan"]),
            "fee_collected_yuan": _fen_sum(c["fee_collected_yuan"]),
            "public_income_yuan": _fen_sum(c["public_income_yuan"]),
            "pool_balance_yuan": _fen_sum(c["pool_balance_yuan"]),
            "street_subsidy_yuan": _fen_sum(c["street_subsidy_yuan"]),
            "net_public_cost_yuan": _fen_sum(c["net_public_cost_yuan"]),
            "in_kind_yuan": _fen_sum(c["paid_by_volunteers_in_kind_yuan"]),
        }
        base = c["market_baseline_balance_yuan"]
        deficit = -_fen_sum(base.clip(upper=0.0))
        rows[name + BASELINE_SUFFIX] = {
            "grade": float(plan.service_grade),
            "compounds_in_deficit": float((base < 0).sum()),
            "compound_cash_cost_yuan": _fen_sum(c["market_baseline_cost_yuan"]),
            "fee_collected_yuan": _fen_sum(c["fee_collected_yuan"]),
            "public_income_yuan": 0.0,
            "pool_balance_yuan": _fen_sum(base),
            "street_subsidy_yuan": deficit,
            "net_public_cost_yuan": deficit,
            "in_kind_yuan": 0.0,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    for column in ("grade", "compounds_in_deficit"):
        out[column] = out[column].astype(np.int64)
    out.index.name = "plan"
    return out
