"""``propfee plans``: the built-in 4+1 plans."""

from __future__ import annotations

from propfee.cli._common import say

__all__ = ["plans"]


def plans() -> None:
    """List the built-in 4+1 plans (use a name, or a plan JSON file, with --plan)."""
    from propfee.plan import named_plan, plan_names

    for name in plan_names():
        say(f"{name}: {named_plan(name).description}")
