"""JSON Schemas of every input and result model, for services and validation elsewhere."""

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


MODELS = tuple(_models())
"""Names of the models with a schema."""


def json_schemas() -> dict[str, dict[str, Any]]:
    """Model name -> its JSON Schema (pydantic, validation mode)."""
    return {name: model.model_json_schema() for name, model in _models().items()}
