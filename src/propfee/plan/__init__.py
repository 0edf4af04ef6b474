"""4+1 plans: how each piece of a compound's work is supplied, and per-compound overrides.

- :mod:`propfee.plan.model`: the :class:`Plan`, its sections, and the named plans;
- :mod:`propfee.plan.resolve`: a plan resolved against a compound table
  (:class:`PlanArrays`), with per-compound overrides.
"""

from propfee.plan.model import (
    DEFAULT_JOBS,
    PLAN_NAMES,
    SECTIONS,
    Plan,
    default_plan,
    named_plan,
    plan_names,
    shared_staffed_plan,
    work_problems,
    xinghualing_plan,
)
from propfee.plan.resolve import BUNDLE_ID_PATH, PlanArrays, override_paths, resolve_plan

__all__ = [
    "BUNDLE_ID_PATH",
    "DEFAULT_JOBS",
    "PLAN_NAMES",
    "SECTIONS",
    "Plan",
    "PlanArrays",
    "default_plan",
    "named_plan",
    "override_paths",
    "plan_names",
    "resolve_plan",
    "shared_staffed_plan",
    "work_problems",
    "xinghualing_plan",
]
