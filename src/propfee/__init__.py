"""propfee: the cost of keeping old residential compounds clean, safe and repaired.

The public face of the library: compounds, parameters, the stand-alone market
baseline and the money helpers. Names are imported on first use (a module-level
``__getattr__``), so ``import propfee`` and the command line start at once; type
checkers see the ordinary imports below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from propfee import (
        analysis,
        bundling,
        channels,
        compare,
        datasets,
        params,
        plan,
        report,
        reserve,
    )
    from propfee.baseline import BaselineResult, market_baseline, market_baseline_district
    from propfee.budget import (
        BudgetResult,
        DistrictBudget,
        evaluate,
        evaluate_district,
        evaluate_many,
    )
    from propfee.compare import compare_plans
    from propfee.compound import COMPOUND_COLUMNS, Compound, validate_compounds
    from propfee.errors import InputError, MissingExtraError, ParameterError, PropfeeError
    from propfee.fees import FeeSchedule
    from propfee.money import allocate_fen
    from propfee.params import ParameterSet, default_parameters, load_parameters
    from propfee.plan import Plan, default_plan, named_plan, plan_names

__version__ = "0.1.0"

_WHERE: dict[str, str] = {
    "BaselineResult": "propfee.baseline", "market_baseline": "propfee.baseline",
    "market_baseline_district": "propfee.baseline",
    "BudgetResult": "propfee.budget", "DistrictBudget": "propfee.budget",
    "evaluate": "propfee.budget", "evaluate_district": "propfee.budget",
    "evaluate_many": "propfee.budget",
    "COMPOUND_COLUMNS": "propfee.compound", "Compound": "propfee.compound",
    "validate_compounds": "propfee.compound",
    "InputError": "propfee.errors", "MissingExtraError": "propfee.errors",
    "ParameterError": "propfee.errors", "PropfeeError": "propfee.errors",
    "FeeSchedule": "propfee.fees", "allocate_fen": "propfee.money",
    "ParameterSet": "propfee.params", "default_parameters": "propfee.params",
    "load_parameters": "propfee.params",
    "Plan": "propfee.plan", "default_plan": "propfee.plan", "named_plan": "propfee.plan",
    "plan_names": "propfee.plan", "compare_plans": "propfee.compare",
}
_MODULES = frozenset({"analysis", "bundling", "channels", "compare", "datasets", "params", "plan",
                      "report", "reserve"})

__all__ = [
    "COMPOUND_COLUMNS",
    "BaselineResult",
    "BudgetResult",
    "Compound",
    "DistrictBudget",
    "FeeSchedule",
    "InputError",
    "MissingExtraError",
    "ParameterError",
    "ParameterSet",
    "Plan",
    "PropfeeError",
    "__version__",
    "allocate_fen",
    "analysis",
    "bundling",
    "channels",
    "compare",
    "compare_plans",
    "datasets",
    "default_parameters",
    "default_plan",
    "evaluate",
    "evaluate_district",
    "evaluate_many",
    "load_parameters",
    "market_baseline",
    "market_baseline_district",
    "named_plan",
    "params",
    "plan",
    "plan_names",
    "report",
    "reserve",
    "validate_compounds",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use and keep it in the module."""
    if name in _MODULES:
        value: Any = importlib.import_module(f"propfee.{name}")
    elif name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
    else:
        raise AttributeError(f"module 'propfee' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
