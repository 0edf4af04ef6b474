"""propfee: the cost of keeping old residential compounds clean, safe and repaired.

The public face of the library: compounds, parameters, the stand-alone market
baseline and the money helpers.
"""

from propfee import analysis, bundling, channels, compare, datasets, params, plan, report, reserve
from propfee.baseline import BaselineResult, market_baseline, market_baseline_district
from propfee.budget import BudgetResult, DistrictBudget, evaluate, evaluate_district
from propfee.compare import compare_plans
from propfee.compound import COMPOUND_COLUMNS, Compound, validate_compounds
from propfee.errors import InputError, MissingExtraError, ParameterError, PropfeeError
from propfee.fees import FeeSchedule
from propfee.money import allocate_fen
from propfee.params import ParameterSet, default_parameters, load_parameters
from propfee.plan import Plan, default_plan, named_plan, plan_names

__version__ = "0.1.0"

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
