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
        baseline,
        budget,
        bundling,
        channels,
        compare,
        compound,
        costs,
        datasets,
        display,
        errors,
        fees,
        labels,
        money,
        params,
        payers,
        plan,
        quantities,
        report,
        reserve,
        schemas,
        staffing,
        uncertainty,
        work,
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
    from propfee.uncertainty import interval
    from propfee.uncertainty.district import calibrate_district as calibrate

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
    "interval": "propfee.uncertainty", "calibrate": "propfee.uncertainty.district",
}
_ALIASES: dict[str, tuple[str, str]] = {
    "calibrate": ("propfee.uncertainty.district", "calibrate_district"),
}
"""Top-level names that are another name in their module."""

_MODULES = frozenset({
    "analysis", "baseline", "budget", "bundling", "channels", "compare", "compound", "costs",
    "datasets", "display", "distributed", "errors", "excel", "fees", "io", "labels", "money",
    "params", "payers", "plan", "plot", "progress", "quantities", "report", "reserve",
    "schemas", "staffing", "uncertainty", "work",
})
"""Submodules reachable as ``propfee.<name>`` after ``import propfee`` (imported on first
use; ``excel``, ``plot`` and ``distributed`` need their extras)."""

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
    "baseline",
    "budget",
    "bundling",
    "calibrate",
    "channels",
    "compare",
    "compare_plans",
    "compound",
    "costs",
    "datasets",
    "default_parameters",
    "default_plan",
    "display",
    "errors",
    "evaluate",
    "evaluate_district",
    "evaluate_many",
    "fees",
    "interval",
    "labels",
    "load_parameters",
    "market_baseline",
    "market_baseline_district",
    "money",
    "named_plan",
    "params",
    "payers",
    "plan",
    "plan_names",
    "quantities",
    "report",
    "reserve",
    "schemas",
    "staffing",
    "uncertainty",
    "validate_compounds",
    "work",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use and keep it in the module."""
    if name in _MODULES:
        value: Any = importlib.import_module(f"propfee.{name}")
    elif name in _ALIASES:
        module, attr = _ALIASES[name]
        value = getattr(importlib.import_module(module), attr)
    elif name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
    else:
        raise AttributeError(f"module 'propfee' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
