"""JSON Schemas of every input and result model, for services and validation elsewhere.

The compound schema is derived from :data:`propfee.compound.COMPOUND_COLUMNS`: each
property carries its bounds, its English label as ``title``, and ``unit`` and
``label_zh`` keys.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__ = ["MODELS", "json_schemas"]


def _models() -> dict[str, type[BaseModel]]:
    from propfee.analysis.projection import ProjectionSettings
    from propfee.baseline import BaselineResult
    from propfee.budget import BudgetResult
    from propfee.bundling.optimise import BundlingProblem
    from propfee.compound import Compound
    from propfee.params import ParameterSet
    from propfee.plan import Plan

    return {
        "compound": Compound, "plan": Plan, "params": ParameterSet,
        "projection": ProjectionSettings, "bundling": BundlingProblem,
        "baseline-result": BaselineResult, "budget-result": BudgetResult,
    }


MODELS: tuple[str, ...] = (
    "compound", "plan", "params", "projection", "bundling", "baseline-result", "budget-result",
)
"""Names of the models with a schema (importing this module imports no model)."""


def json_schemas() -> dict[str, dict[str, Any]]:
    """Model name -> its JSON Schema (pydantic, validation mode).

    Returns
    -------
    dict
        One JSON Schema per name of :data:`MODELS`.
    """
    return {name: model.model_json_schema() for name, model in _models().items()}
