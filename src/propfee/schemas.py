"""JSON Schemas of every input and result model, for services and validation elsewhere.

The compound schema is derived from :data:`propfee.compound.COMPOUND_COLUMNS`: each
property carries its bounds, its English label as ``title``, and ``unit`` and
``label_zh`` keys.

Descriptions are plain text for a reader of the schema: a model's description is its
docstring's summary (the text before the first numpydoc section), and each property
without a description of its own takes its entry of the docstring's ``Attributes``
section; Sphinx roles (``:func:`x```) and double backquotes are taken off.
"""

from __future__ import annotations

import re
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
    return {name: _plain(model.model_json_schema()) for name, model in _models().items()}


_SECTION = re.compile(r"^(\w[\w ]*)\n-{3,}$", re.MULTILINE)
_ROLE = re.compile(r":(?:\w+:)*\w+:`~?([^`<]*?)(?:\s*<[^>]*>)?`")


def _text(doc: str) -> str:
    """Sphinx roles and double backquotes taken off; the lines of a paragraph joined."""
    doc = _ROLE.sub(r"\1", doc).replace("``", "")
    return "\n\n".join(" ".join(p.split()) for p in doc.strip().split("\n\n") if p.strip())


def _sections(doc: str) -> tuple[str, dict[str, str]]:
    """A numpydoc docstring's summary and its ``Attributes`` entries, as plain text.

    Examples
    --------
    >>> _sections("A bundle.\\n\\nAttributes\\n----------\\nbundle_id\\n    Its ``id``.\\n")
    ('A bundle.', {'bundle_id': 'Its id.'})
    """
    heads = list(_SECTION.finditer(doc))
    summary = doc[:heads[0].start()] if heads else doc
    entries: dict[str, str] = {}
    for k, head in enumerate(heads):
        if head.group(1).strip() != "Attributes":
            continue
        body = doc[head.end():heads[k + 1].start() if k + 1 < len(heads) else len(doc)]
        name = None
        for line in body.splitlines():
            if line and not line[0].isspace():
                name = line.split(":", 1)[0].strip()
                entries[name] = ""
            elif name is not None and line.strip():
                entries[name] += " " + line.strip()
    return _text(summary), {k: _text(v) for k, v in entries.items()}


def _plain(schema: dict[str, Any]) -> dict[str, Any]:
    """Every model description of a schema as plain text, properties described."""
    for node in [schema, *schema.get("$defs", {}).values()]:
        doc = node.get("description")
        if not isinstance(doc, str):
            continue
        summary, entries = _sections(doc)
        node["description"] = summary
        for name, prop in node.get("properties", {}).items():
            if name in entries and entries[name] and "description" not in prop:
                prop["description"] = entries[name]
    for node in _walk(schema):
        if isinstance(node.get("description"), str):
            node["description"] = _text(node["description"])
    return schema


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every dict of a schema, depth first."""
    out: list[dict[str, Any]] = []
    if isinstance(node, dict):
        out.append(node)
        for value in node.values():
            out += _walk(value)
    elif isinstance(node, list):
        for value in node:
            out += _walk(value)
    return out
