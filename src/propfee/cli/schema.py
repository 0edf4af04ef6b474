"""``propfee schema``: the JSON Schemas of propfee's models."""

from __future__ import annotations

from typing import Annotated

import typer

from propfee.cli._common import say

__all__ = ["schema"]


def schema(
    model: Annotated[str, typer.Argument(
        help="compound, plan, params, projection, bundling, baseline-result, budget-result "
             "or all.")] = "all",
) -> None:
    """Print the JSON Schema of propfee's input and result models."""
    import json

    from propfee.schemas import json_schemas

    schemas = json_schemas()
    if model != "all" and model not in schemas:
        raise typer.BadParameter(f"{model[:80]!r}: one of {', '.join(schemas)} or all",
                                 param_hint="MODEL")
    chosen = schemas if model == "all" else schemas[model]
    say(json.dumps(chosen, indent=2, ensure_ascii=False))
