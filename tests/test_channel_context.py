"""The channels' shared state: demand by gate regime, what each channel takes, lines."""

from __future__ import annotations

import numpy as np
import pytest

import propfee as pf
from propfee.budget import CREDIT_CHANNELS
from propfee.channels.common import LineSpec
from propfee.channels.context import ChannelInputs
from propfee.compound import validate_compounds
from propfee.plan import resolve_plan
from propfee.staffing import ROLES, role_demand_fte


def _ctx(plan: pf.Plan | None = None, n: int = 3, off: tuple[str, ...] = (),
         params: pf.ParameterSet | None = None) -> ChannelInputs:
    table = validate_compounds(pf.datasets.sanqiao_like_street().head(n))
    plan = plan or pf.default_plan()
    on = {ch: np.full(n, 0.0 if ch in off else 1.0) for ch in CREDIT_CHANNELS}
    return ChannelInputs.start(table, resolve_plan(plan, table),
                               params or pf.default_parameters(), on)


def test_a_line_is_made_once() -> None:
    ctx = _ctx()
    spec = LineSpec("x_line", "direct", "other", "fund_pool", "service")
    ctx.add(spec, [1, 2, 3])
    assert ctx.lines[spec].dtype == np.float64
    assert ctx.lines[spec].tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match=r"^line 'x_line' made twice$"):
        ctx.add(spec, np.zeros(3))


def test_takes_of_the_same_role_add_up() -> None:
    # Management demand d; a channel offered 0.01 FTE twice takes 0.02 in all (where the
    # demand is at least that), and the remaining demand falls by as much.
    ctx = _ctx()
    d = ctx.demand["management"].copy()
    first = ctx.take("direct", "management", np.full(3, 0.01))
    second = ctx.take("direct", "management", np.full(3, 0.01))
    np.testing.assert_allclose(first + second, np.minimum(0.02, d))
    np.testing.assert_allclose(ctx.replaced[("direct", "management")], np.minimum(0.02, d))
    np.testing.assert_allclose(ctx.remaining["management"], d - np.minimum(0.02, d))
    assert ("street_fallback", "management") not in ctx.replaced


@pytest.mark.parametrize(("grade_regime", "want_fallback"), [
    (None, "staffed_16h"),  # grade 4 keeps its gates staffed 16 hours a day
    ("device_only", "live_in"),
])
def test_device_only_gates_fall_back_where_devices_are_off(grade_regime, want_fallback) -> None:
    # A plan keeping gates by devices only: where the smart-devices channel is off the
    # gates fall back to the grade's regime, or to live-in keepers when the grade's own
    # regime is device-only. Order demand follows the regime of each compound.
    params = pf.default_parameters()
    if grade_regime is not None:
        params = params.model_copy(update={"grades": params.grades.model_copy(update={
            "g4": params.grades.g4.model_copy(update={"gate_regime": grade_regime})})})
    plan = pf.default_plan().model_copy(update={"gate_regime": "device_only"})
    assert plan.service_grade == 4
    grade = params.grades.grade(plan.service_grade)
    ctx = _ctx(plan, off=("smart_devices",), params=params)
    assert ctx.gate_regime == "device_only"
    assert ctx.fallback_regime == want_fallback
    assert ctx.fallback.tolist() == [True, True, True]
    t = ctx.table
    kw = {"households": t.array("households"), "floor_area_m2": t.array("floor_area_m2"),
          "green_area_m2": t.array("green_area_m2"), "gates": t.array("gates")}
    for role in ROLES:
        want = role_demand_fte(role, grade, params, gate_regime=(
            want_fallback if role == "order" else "device_only"), **kw)
        np.testing.assert_allclose(ctx.demand[role], want)
    assert ctx.regime_rows(want_fallback).tolist() == [True, True, True]
    assert ctx.regime_rows("device_only").tolist() == [False, False, False]
    # Devices on everywhere: no fallback, every compound device-only.
    on = _ctx(plan, params=params)
    assert on.fallback.tolist() == [False, False, False]
    assert on.regime_rows("device_only").tolist() == [True, True, True]
    assert on.regime_rows(want_fallback).tolist() == [False, False, False]
    np.testing.assert_allclose(on.demand["order"], role_demand_fte(
        "order", grade, params, gate_regime="device_only", **kw))
