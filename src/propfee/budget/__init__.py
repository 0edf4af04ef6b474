"""The 4+1 budget: every compound's work supplied once, yuan by yuan, by channel and payer.

- :mod:`propfee.budget.kernel`: the kernel that composes the channels (:func:`budget_arrays`);
- :mod:`propfee.budget.columns`: the per-compound figures and how they are defined;
- :mod:`propfee.budget.credit`: each channel's credit (Shapley value or waterfall);
- :mod:`propfee.budget.results`: the result objects;
- :mod:`propfee.budget.evaluate`: :func:`evaluate`, :func:`evaluate_many`,
  :func:`evaluate_district`.
"""

from propfee.budget.credit import SUBSETS, shapley_fen, subset_balances_fen
from propfee.budget.evaluate import (
    Contributions,
    evaluate,
    evaluate_district,
    evaluate_many,
)
from propfee.budget.kernel import KernelOutput, budget_arrays, group_sums, group_sums_by
from propfee.budget.results import BudgetLine, BudgetResult, DistrictBudget, LineMatrix, WorkRow
from propfee.channels.common import CREDIT_CHANNELS
from propfee.payers import who_pays

__all__ = [
    "CREDIT_CHANNELS",
    "SUBSETS",
    "BudgetLine",
    "BudgetResult",
    "Contributions",
    "DistrictBudget",
    "KernelOutput",
    "LineMatrix",
    "WorkRow",
    "budget_arrays",
    "evaluate",
    "evaluate_district",
    "evaluate_many",
    "group_sums",
    "group_sums_by",
    "shapley_fen",
    "subset_balances_fen",
    "who_pays",
]
