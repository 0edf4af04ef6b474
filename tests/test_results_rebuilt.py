"""Results rebuilt from report rows, lines in fen, channel credit on request, typical
compounds and the grade price curve: values by hand or against the row they come from."""

from __future__ import annotations

import importlib
import itertools
from typing import Any

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee.baseline import (
    BaselineResult,
    baseline_columns,
    grade_price_curve,
    market_baseline,
    market_baseline_district,
    typical_compounds,
)
from propfee.budget import (
    CREDIT_CHANNELS,
    BudgetLine,
    BudgetResult,
    DistrictBudget,
    WorkRow,
    budget_arrays,
    shapley_fen,
)
from propfee.budget.columns import SUPPLIERS
from propfee.budget.results import result_fields
from propfee.compound import validate_compounds
from propfee.display import budget_html, district_html
from propfee.fees import effective_fee_inputs
from propfee.money import GroupLayout, allocate_fen, yuan_to_fen
from propfee.plan import resolve_plan
from propfee.staffing import ROLES, hours_per_post
from propfee.work.categories import HOUR_CATEGORIES, ROLE_OF, work_categories
from propfee.work.demand import coverage_regime, demand_by_category

budget_module = importlib.import_module("propfee.budget.evaluate")
"""The module of the entry points (``propfee.budget.evaluate`` is also the function)."""

CONTRIBUTIONS = [f"contribution_{ch}_yuan" for ch in CREDIT_CHANNELS]


def _street(n: int = 6) -> pd.DataFrame:
    return pf.datasets.sanqiao_like_street().head(n)


def _compound(row: pd.Series) -> pf.Compound:
    return pf.Compound.model_validate({k: (v.item() if hasattr(v, "item") else v)
                                       for k, v in row.items()
                                       if k not in ("street", "zone") and v == v})  # not NaN


def _baseline_of_row(rows: pd.DataFrame, i: int, grade: int,
                     params: pf.ParameterSet | None = None) -> BaselineResult:
    """The BaselineResult a row of market_baseline_district says, field by field."""
    row = rows.iloc[i]
    params = params or pf.default_parameters()
    codes = [c[:-len("_yuan")] for c in rows.columns if c.endswith("_yuan") and c not in (
        "total_annual_cost_yuan", "lift_levy_yuan", "fee_billed_yuan", "fee_collected_yuan",
        "balance_yuan", "cost_per_household_month_yuan")]
    one = market_baseline(_compound(_street(len(rows)).iloc[i]), params, grade=grade)
    assert [x.code for x in one.lines] == codes
    return one.model_copy(update={
        "headcount_fte": {r: float(row[f"headcount_fte_{r}"]) for r in ROLES},
        "demand": {c.name: float(row[f"demand_{c.name}"]) for c in work_categories(params)},
        "lines": tuple(x.model_copy(update={"amount_yuan": float(row[f"{x.code}_yuan"])})
                       for x in one.lines),
        **{k: float(row[k]) for k in ("total_annual_cost_yuan", "lift_levy_yuan",
                                      "fee_billed_yuan",
                                      "fee_collected_yuan", "balance_yuan",
                                      "cost_per_household_month_yuan",
                                      "break_even_rate_yuan_per_m2_month",
                                      "break_even_collection_rate")}})


def test_typical_compounds_by_hand() -> None:
    # 5, 100, 1,000, 1,001 households at 80 m2 each, built 1995:
    #   stairwell units ceil(h / 12): 1, 9, 84, 84;   buildings ceil(h / 24): 1, 5, 42, 42
    #   gates ceil(h / 1,000): 1, 1, 1, 2;          floor 400, 8,000, 80,000, 80,080 m2
    #   green 20% of the floor: 80, 1,600, 16,000, 16,016 m2; parking h // 5: 1, 20, 200, 200
    t = typical_compounds([5, 100, 1000, 1001], floor_area_m2_per_household=80.0,
                          build_year=1995)
    assert t["compound_id"].tolist() == ["h5", "h100", "h1000", "h1001"]
    assert t["households"].tolist() == [5, 100, 1000, 1001]
    assert t["stairwell_units"].tolist() == [1, 9, 84, 84]
    assert t["buildings"].tolist() == [1, 5, 42, 42]
    assert t["gates"].tolist() == [1, 1, 1, 2]
    assert t["floor_area_m2"].tolist() == [400.0, 8000.0, 80000.0, 80080.0]
    assert t["green_area_m2"].tolist() == pytest.approx([80.0, 1600.0, 16000.0, 16016.0])
    assert t["parking_spaces"].tolist() == [1, 20, 200, 200]
    assert t["build_year"].tolist() == [1995] * 4
    assert t["storeys"].tolist() == [6] * 4
    # Defaults: 100 m2 a household, built 2010.
    d = typical_compounds(24)
    assert d["floor_area_m2"].tolist() == [2400.0]
    assert d["build_year"].tolist() == [2010]
    assert (d["stairwell_units"].tolist(), d["buildings"].tolist()) == ([2], [1])


def test_grade_price_curve_is_the_baseline_per_m2_month() -> None:
    # price = total annual cost of the typical compound / floor area / 12, the grade's
    # guidance band centre x (1 -/+ tolerance).
    params = pf.default_parameters()
    curve = grade_price_curve([100, 600], params, grades=(2, 4))
    assert curve["grade"].tolist() == [2, 2, 4, 4]
    assert curve["households"].tolist() == [100, 600, 100, 600]
    table = validate_compounds(typical_compounds([100, 600]))
    informal = params.model_copy(update={"labour": params.labour.model_copy(
        update={"market_hiring": "informal"})})
    tol = params.grades.guidance_tolerance_rate
    for k, (g, i) in enumerate([(2, 0), (2, 1), (4, 0), (4, 1)]):
        one = _compound(typical_compounds([100, 600]).iloc[i])
        floor = table.array("floor_area_m2")[i]
        formal = market_baseline(one, params, grade=g).total_annual_cost_yuan
        loose = market_baseline(one, informal, grade=g).total_annual_cost_yuan
        row = curve.iloc[k]
        assert row["price_yuan_per_m2_month"] == pytest.approx(formal / floor / 12, abs=1e-6)
        assert row["informal_price_yuan_per_m2_month"] == pytest.approx(
            loose / floor / 12, abs=1e-6)
        centre = params.grades.grade(g).guidance_yuan_per_m2_month
        assert row["guidance_low_yuan_per_m2_month"] == pytest.approx(centre * (1 - tol))
        assert row["guidance_high_yuan_per_m2_month"] == pytest.approx(centre * (1 + tol))
    assert (curve["informal_price_yuan_per_m2_month"] < curve["price_yuan_per_m2_month"]).all()
    # The default grades are 1 to 5, and the default parameters are the default set.
    assert grade_price_curve([100])["grade"].tolist() == [1, 2, 3, 4, 5]
    pd.testing.assert_frame_equal(grade_price_curve([100]), grade_price_curve([100], params))


def test_baseline_result_equals_its_district_row() -> None:
    street = _street(3)
    rows = market_baseline_district(street)
    for i in range(3):
        one = market_baseline(_compound(street.iloc[i]))
        assert _baseline_of_row(rows, i, grade=4) == one
        assert one.grade == 4
    html = one._repr_html_()
    head = (f"<p>Market baseline of compound {one.compound_id} at grade 4: total "
            f"{one.total_annual_cost_yuan:,.2f} yuan/year, balance "
            f"{one.balance_yuan:,.2f} yuan/year</p>")
    lines = pd.DataFrame([line.model_dump() for line in one.lines])
    assert html == head + lines.to_html(index=False)


def test_budget_result_rebuilt_from_a_district_row_and_its_lines() -> None:
    # Each compound alone (no bundles): the district row, its lines and its work give the
    # result of evaluating the compound by itself.
    plan = pf.default_plan()
    plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "none"})})
    street = _street(3)
    budget = pf.evaluate_district(street, plan, contributions=True)
    for i, cid in enumerate(street["compound_id"]):
        row = budget.compounds.iloc[i]
        lines = budget.lines[budget.lines["compound_id"] == cid]
        work = budget.work[budget.work["compound_id"] == cid]
        got = BudgetResult.model_validate(result_fields(
            row.to_dict(), cid, str(row["bundle_id"]),
            [BudgetLine(line=r.line, channel=r.channel, category=r.category, payer=r.payer,
                        kind=r.kind, work=r.work, amount_yuan=r.amount_yuan)
             for r in lines.itertuples()],
            [WorkRow(category=r["category"], unit=r["unit"], demand=r["demand"],
                     supplied={s: r[s] for s in SUPPLIERS}) for _, r in work.iterrows()]))
        assert got == pf.evaluate(_compound(street.iloc[i]), plan)
        assert got.by_payer == {p: row[f"paid_by_{p}_yuan"] for p in got.by_payer}
        assert set(got.by_payer) == {c[len("paid_by_"):-len("_yuan")]
                                     for c in row.index if c.startswith("paid_by_")}
        assert got.by_channel["market"] == row["cost_market_yuan"]
        assert sum(yuan_to_fen(x.amount_yuan) for x in got.lines) == yuan_to_fen(
            got.total_cost_yuan)
    assert got._repr_html_() == budget_html(got)
    assert f"{got.compound_id}" in got._repr_html_()
    assert budget._repr_html_() == district_html(budget.compounds)


def test_kernel_lines_in_fen() -> None:
    # Every line in fen: the lines split in fen as split, the others rounded half away
    # from zero; their sum per compound is the total cost in fen.
    table = validate_compounds(_street(4))
    plan = pf.named_plan("shared_staffed")
    out = budget_arrays(table, resolve_plan(plan, table), pf.default_parameters())
    fen = out.fen_lines()
    assert list(fen) == list(out.lines)
    assert [s.code for s in out.lines_fen] == [
        *(f"contract_staff_{w}" for w in HOUR_CATEGORIES), "contract_margin",
        "contract_fixed_fee", "contract_travel"]
    for spec, amount in out.lines.items():
        want = out.lines_fen[spec] if spec in out.lines_fen else yuan_to_fen(amount)
        np.testing.assert_array_equal(np.broadcast_to(fen[spec], (4,)),
                                      np.broadcast_to(want, (4,)))
    budget = pf.evaluate_district(_street(4), plan)
    total = sum(np.broadcast_to(v, (4,)) for v in fen.values())
    np.testing.assert_array_equal(total, yuan_to_fen(budget.compounds["total_cost_yuan"]))
    np.testing.assert_array_equal(out.cash_fen(),
                                  yuan_to_fen(budget.compounds["compound_cash_cost_yuan"]))


@pytest.mark.parametrize("mode", ["shapley", "waterfall"])
def test_channel_credit_on_request_adds_up_and_is_kept(mode) -> None:
    # Efficiency: the balance with no channel on plus every channel's credit is the pool
    # balance with all of them, to the fen.
    budget = pf.evaluate_district(_street(5), pf.named_plan("shared_staffed"))
    credit = budget.channel_credit(mode)
    assert list(credit.columns) == ["compound_id", "market_baseline_balance_yuan",
                                    *CONTRIBUTIONS]
    assert credit["compound_id"].tolist() == _street(5)["compound_id"].tolist()
    total = yuan_to_fen(credit["market_baseline_balance_yuan"]) + sum(
        yuan_to_fen(credit[c]) for c in CONTRIBUTIONS)
    np.testing.assert_array_equal(total, yuan_to_fen(budget.compounds["pool_balance_yuan"]))
    np.testing.assert_array_equal(credit["market_baseline_balance_yuan"],
                                  budget.compounds["market_baseline_balance_yuan"])
    assert budget.channel_credit(mode) is credit  # computed once
    stacked = pf.evaluate_district(_street(5), pf.named_plan("shared_staffed"),
                                   contributions=mode).compounds
    pd.testing.assert_frame_equal(
        credit.reset_index(drop=True),
        stacked[["compound_id", "market_baseline_balance_yuan", *CONTRIBUTIONS]].reset_index(
            drop=True), check_exact=True)


def test_channel_credit_and_lines_need_the_inputs() -> None:
    budget = pf.evaluate_district(_street(2))
    bare = DistrictBudget(budget.compounds)
    with pytest.raises(ValueError, match=r"^this budget keeps no inputs: evaluate it with "
                       r"contributions=True$"):
        bare.channel_credit()
    with pytest.raises(ValueError, match=r"^this budget keeps no inputs: evaluate it with "
                       r"with_lines=True$"):
        _ = bare.work


def test_totals_by_zone_and_over_the_district() -> None:
    # Rows SQ006 (Z002, 70 households), SQ001 (Z001, 49), SQ005 (Z002, 61), SQ002 (Z001,
    # 70): zones sorted Z001, Z002; 2 compounds each; households 49 + 70 = 119 and
    # 70 + 61 = 131; money sums exactly in fen; per-household rates are not summed.
    street = pf.datasets.sanqiao_like_street().iloc[[5, 0, 4, 1]].reset_index(drop=True)
    budget = pf.evaluate_district(street)
    c = budget.compounds
    out = budget.totals_by("zone")
    assert list(out.index) == ["Z001", "Z002"]
    assert list(out.columns[:2]) == ["compounds", "households"]
    assert out["compounds"].tolist() == [2, 2]
    assert out["households"].tolist() == [119, 131]
    for zone, rows in (("Z001", [1, 3]), ("Z002", [0, 2])):
        for col in ("total_cost_yuan", "street_subsidy_yuan", "fee_collected_yuan",
                    "market_baseline_balance_yuan"):
            want = int(yuan_to_fen(c[col].to_numpy()[rows]).sum()) / 100.0
            assert out.loc[zone, col] == want
    assert not [col for col in out.columns if "per_household" in col]
    totals = budget.district_totals()
    want = int(yuan_to_fen(c["total_cost_yuan"].to_numpy()).sum()) / 100.0
    assert totals["total_cost_yuan"] == want
    assert not [k for k in totals.index if "per_household" in k]
    assert totals["pool_balance_yuan"] == int(
        yuan_to_fen(c["pool_balance_yuan"].to_numpy()).sum()) / 100.0


def test_baseline_report_columns() -> None:
    # Total headcount = the sum over roles; the fee rate and collection rate are the
    # compound's own where given, else the parameter set's (here: two given, one not).
    street = _street(3).assign(fee_rate_yuan_per_m2_month=[0.5, None, 0.8],
                               collection_rate=[0.9, None, 0.6])
    rows = market_baseline_district(street)
    roles = [c for c in rows.columns if c.startswith("headcount_fte_") and c != (
        "headcount_fte_total")]
    assert roles == [f"headcount_fte_{r}" for r in ROLES]
    np.testing.assert_allclose(rows["headcount_fte_total"], rows[roles].sum(axis=1))
    params = pf.default_parameters()
    assert rows["rate_yuan_per_m2_month"].tolist() == [0.5, 0.5, 0.8]
    assert rows["collection_rate"].tolist() == [0.9, 0.7, 0.6]
    rate, coll = effective_fee_inputs(validate_compounds(street), params)
    np.testing.assert_allclose(rows["rate_yuan_per_m2_month"], rate)
    np.testing.assert_allclose(rows["collection_rate"], coll)
    # SQ001: 4,066.9 m2 x 0.5 x 12 = 24,401.40 billed, 90% collected = 21,961.26.
    assert rows["fee_billed_yuan"].iloc[0] == 24401.4
    assert rows["fee_collected_yuan"].iloc[0] == 21961.26
    assert list(rows.index) == [0, 1, 2]


@pytest.mark.parametrize(("grade", "regime", "gate_hours", "gate_yuan", "guards"), [
    # The plan's live-in keepers are the residents' own hires: the market company keeps
    # the gate as grade 3 does, 24 h by 3 guards x 55,908 = 167,724.
    (3, "live_in", 8760.0, 167724.0, 3.0),
    (3, None, 8760.0, 167724.0, 3.0),
    # A plan that staffs 16 h is compared with 16 h: 5,840 / 2,920 = 2 guards = 111,816.
    (3, "staffed_16h", 5840.0, 111816.0, 2.0),
    # Grade 5 keeps its gate with a live-in keeper bought at market: 8,760 / 8,760 x
    # 1,900 x 12 = 22,800, no guard.
    (5, None, 8760.0, 22800.0, 0.0),
])
def test_baseline_district_gate_regime_and_a_checked_table(grade, regime, gate_hours,
                                                           gate_yuan, guards) -> None:
    street = _street(3)
    rows = market_baseline_district(validate_compounds(street), grade=grade,
                                    gate_regime=regime)
    assert rows["demand_gate"].tolist() == [gate_hours] * 3
    assert rows["market_gate_yuan"].tolist() == [gate_yuan] * 3
    assert rows["headcount_fte_order"].tolist() == [guards] * 3
    for i in range(3):
        one = market_baseline(_compound(street.iloc[i]), grade=grade, gate_regime=regime)
        assert rows["total_annual_cost_yuan"].iloc[i] == one.total_annual_cost_yuan
        assert one.demand["gate"] == gate_hours


def test_curve_and_typical_compounds_keep_whole_households() -> None:
    curve = grade_price_curve([100, 600], grades=(2, 4))
    assert curve["households"].dtype == np.int64
    assert list(curve.index) == [0, 1, 2, 3]
    t = typical_compounds([100.0, 25.0])
    assert t["compound_id"].tolist() == ["h100", "h25"]
    assert t["households"].dtype == np.int64
    assert t["stairwell_units"].tolist() == [9, 3]  # ceil(100 / 12), ceil(25 / 12)


@pytest.mark.parametrize("weights", [[1.0, -1.0], [1.0, float("nan")], [1.0, float("inf")]])
def test_allocate_fen_names_bad_weights(weights) -> None:
    with pytest.raises(ValueError, match=r"^weights must be finite and non-negative, got \["):
        allocate_fen(100, weights, ["a", "b"])


def test_shapley_fen_by_hand_in_whole_fen() -> None:
    # Three players, v({}) = 0 and v(S) = 10 fen for every non-empty S: each player's
    # numerator n! phi = 2 x 10 (first in the order) = 20, phi = 20 / 6 = 3 rest 2 each;
    # 10 - 9 = 1 fen missing goes to the largest remainder, ties to the first listed: a.
    players = ("a", "b", "c")
    v = {frozenset(s): np.array([0 if not s else 10]) for size in range(4)
         for s in itertools.combinations(players, size)}
    out = shapley_fen(v, players)
    assert {k: x.tolist() for k, x in out.items()} == {"a": [4], "b": [3], "c": [3]}
    assert all(x.dtype == np.int64 for x in out.values())


def test_one_compound_keeps_its_id() -> None:
    one = pf.Compound(compound_id="c1", households=40, floor_area_m2_per_household=80.0,
                      build_year=1995, zone="Z")
    result = pf.evaluate(one)
    assert result.compound_id == "c1"
    assert result.bundle_id == "zone:Z"  # the default plan bundles by zone
    assert pf.evaluate(one.model_copy(update={"zone": ""})).bundle_id == "alone:c1"


def test_credit_asked_at_evaluation_is_reused_and_the_other_mode_computed(monkeypatch) -> None:
    # A budget evaluated with the waterfall credit returns those columns as they are;
    # asked for the Shapley credit it computes it, here in pieces of 2 rows (bundles kept
    # whole), and gets what an evaluation with the Shapley credit gets.
    street = _street(5)
    plan = pf.named_plan("shared_staffed")
    cols = ["compound_id", "market_baseline_balance_yuan", *CONTRIBUTIONS]
    waterfall = pf.evaluate_district(street, plan, contributions="waterfall")
    got = waterfall.channel_credit("waterfall")
    pd.testing.assert_frame_equal(got, waterfall.compounds[cols])
    monkeypatch.setattr(budget_module, "CREDIT_CHUNK_ROWS", 2)
    shapley = waterfall.channel_credit()
    want = pf.evaluate_district(street, plan, contributions="shapley").compounds[cols]
    pd.testing.assert_frame_equal(shapley.reset_index(drop=True), want.reset_index(drop=True))
    # The two credits differ somewhere (else this test could not tell them apart).
    assert not np.array_equal(got[CONTRIBUTIONS].to_numpy(), shapley[CONTRIBUTIONS].to_numpy())


def test_lines_table_keeps_ids_as_given() -> None:
    # Compound ids are categories of Python objects (as given, in first-appearance
    # order); one row per compound and line, amounts exact to the fen.
    street = _street(3).iloc[[2, 0, 1]]
    budget = pf.evaluate_district(street)
    lines = budget.lines
    ids = lines["compound_id"]
    assert ids.cat.categories.dtype == object
    assert list(ids.cat.categories) == ["SQ003", "SQ001", "SQ002"]
    assert ids.astype(str).drop_duplicates().tolist() == ["SQ003", "SQ001", "SQ002"]
    assert len(lines) == 3 * lines["line"].nunique()
    for column in ("line", "channel", "category", "payer", "kind", "work"):
        assert isinstance(lines[column].dtype, pd.CategoricalDtype), column
    total = lines.groupby("compound_id", observed=True)["amount_yuan"].sum()
    np.testing.assert_allclose(total.loc[street["compound_id"]].to_numpy(),
                               budget.compounds["total_cost_yuan"].to_numpy(), atol=1e-6)


def test_group_layout_by_hand() -> None:
    # Groups 0 = {a, b}, 1 = {c}; two splits stacked: totals (5, 7) and (-5, -7), equal
    # weights: 5 = 2 + 2 + 1 leftover fen to the smaller key a; 7 to c alone; the
    # negative row is the positive one with its sign.
    layout = GroupLayout([0, 0, 1], np.array(["a", "b", "c"]), 2)
    got = layout.allocate([[5, 7], [-5, -7]], [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    assert got.tolist() == [[3, 2, 7], [-3, -2, -7]]
    # A non-zero total over all-zero weights is refused, naming only that group.
    with pytest.raises(ValueError, match=r"^groups \[1\] have a non-zero total but "):
        layout.allocate([0, 5], [0.0, 0.0, 0.0])
    # A layout of no groups and no parties can be made.
    GroupLayout(np.zeros(0, dtype=np.int64), np.array([], dtype=object), 0)


def test_weights_keep_their_leading_bits() -> None:
    # Two parties: weights keep b = floor((62 - 1) / 2) = 30 significant bits of the
    # largest. 1 and 1 + 2^-30 are both 2^29 units (1 + 2^-30 = (2^29 + 1/2) / 2^29,
    # floored): a tie, so the one fen goes to the smaller key a. A weight 2^-28 larger
    # is one unit more: b gets it.
    assert allocate_fen(1, [1.0, 1.0 + 2.0 ** -30], ["a", "b"]).tolist() == [1, 0]
    assert allocate_fen(1, [1.0, 1.0 + 2.0 ** -28], ["a", "b"]).tolist() == [0, 1]


def _alone_plan() -> pf.Plan:
    plan = pf.named_plan("shared_staffed")
    return plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "none"})})


@pytest.mark.parametrize(("contributions", "chunk_rows", "progress"), [
    # Five compounds, each its own bundle: pieces of 2, 2 and 1 rows.
    (None, 2, [0.4, 0.8, 1.0]),
    ("waterfall", 2, [0.4, 0.8, 1.0]),
    # With the credit a piece holds at most CREDIT_CHUNK_ROWS (1,024): one piece.
    ("shapley", 10**6, [1.0]),
    # Fewer than one row asked: at least one row a piece.
    ("waterfall", 0, [0.2, 0.4, 0.6, 0.8, 1.0]),
])
def test_a_district_in_pieces_is_the_district_whole(contributions, chunk_rows, progress) -> None:
    table = validate_compounds(_street(5))
    params = pf.default_parameters()
    resolved = resolve_plan(_alone_plan(), table)
    seen: list[float] = []
    pieces = budget_module._district_budget(table, params, resolved, contributions, True,
                                            chunk_rows, seen.append)
    whole = budget_module._district_budget(table, params, resolved, contributions, True)
    assert seen == pytest.approx(progress)
    pd.testing.assert_frame_equal(pieces.compounds, whole.compounds, check_exact=True)
    pd.testing.assert_frame_equal(pieces.lines, whole.lines, check_exact=True)
    pd.testing.assert_frame_equal(pieces.work, whole.work, check_exact=True)
    c = pieces.compounds
    assert list(c.columns[:7]) == ["compound_id", "name", "street", "zone", "bundle_id",
                                   "households", "floor_area_m2"]
    assert c["pool_non_negative"].dtype == bool
    assert str(c["bundle_id"].dtype) == "str"  # pandas' default text dtype, as ids are
    assert c["bundle_id"].tolist() == [f"alone:SQ00{i}" for i in range(1, 6)]
    assert c["zone"].tolist() == _street(5)["zone"].tolist()
    assert c["name"].tolist() == _street(5)["name"].tolist()
    assert c.attrs["contributions"] == contributions


def test_baseline_kernel_keeps_demand_unrounded() -> None:
    # Demand of each kind of work (unrounded, in its unit; the gate at the grade's hours)
    # beside the headcount rounded to posts. Guards work 2,500 h a year here: a gate kept
    # 24 h is 8,760 h = 3.504 guards, rounded up to 4; a live-in keeper at grade 5 is no
    # guard.
    table = validate_compounds(_street(3))
    params = pf.default_parameters().replace({"labour.guard_hours_per_year": 2500.0})
    out = baseline_columns(table, params, 3)
    assert out["demand_gate"].tolist() == [8760.0] * 3
    assert out["headcount_fte_order"].tolist() == [4.0] * 3
    for grade in (3, 4, 5):
        out = baseline_columns(table, params, grade)
        regime = params.grades.grade(grade).gate_regime
        want = demand_by_category(table, params, grade, coverage_regime(None, regime))
        for name, demand in want.items():
            np.testing.assert_allclose(out[f"demand_{name}"], demand, rtol=0,
                                       atol=5e-7)  # the ledger counts micro-units
        for work in HOUR_CATEGORIES:
            role = ROLE_OF[work]
            posts = out[f"demand_{work}"] / hours_per_post(role, params)
            if work == "gate" and regime == "live_in":
                assert (out["headcount_fte_order"] == 0.0).all()
            else:
                assert (out[f"headcount_fte_{role}"] >= posts - 1e-9).all()


def test_report_columns_by_hand() -> None:
    # Per household and month: total / households / 12 (and the same for cash); saving
    # against the market baseline = its cost - cash; channels as costed, public income
    # not among them; hours of work each supplier supplied = the kernel's ledger summed
    # over the hour categories.
    street = _street(4)
    plan = pf.named_plan("shared_staffed")
    c = pf.evaluate_district(validate_compounds(street), plan).compounds
    hh = street["households"].to_numpy(dtype=float)
    np.testing.assert_allclose(c["cost_per_household_month_yuan"],
                               c["total_cost_yuan"] / hh / 12.0)
    np.testing.assert_allclose(c["cash_cost_per_household_month_yuan"],
                               c["compound_cash_cost_yuan"] / hh / 12.0)
    np.testing.assert_allclose(c["saving_vs_market_baseline_yuan"],
                               c["market_baseline_cost_yuan"] - c["compound_cash_cost_yuan"],
                               atol=1e-6)
    costs = sorted(col for col in c.columns
                   if col.startswith("cost_") and not col.startswith("cost_per"))
    assert costs == ["cost_direct_yuan", "cost_market_yuan", "cost_self_governance_yuan",
                     "cost_shared_property_yuan", "cost_smart_devices_yuan",
                     "cost_street_fallback_yuan"]
    table = validate_compounds(street)
    out = budget_arrays(table, resolve_plan(plan, table), pf.default_parameters())
    for supplier in SUPPLIERS:
        want = sum((out.ledger.supplied(supplier, w) for w in HOUR_CATEGORIES), np.zeros(4))
        np.testing.assert_allclose(c[f"hours_{supplier}"], want)
    assert (c["hours_shared_property"] > 0).all()
    assert (c["hours_smart_devices"] > 0).all()
    assert (c["pool_non_negative"] == (c["pool_balance_yuan"] >= 0)).all()
    volunteer = sum(v for k, v in out.details.items() if k.startswith("volunteer_hours:"))
    np.testing.assert_allclose(c["volunteer_hours"], volunteer)


def test_a_pool_exactly_balanced_is_non_negative() -> None:
    # Set the compound's fee so that fee collected + public income = cash costs to the
    # fen: balance 0, and the pool counts as not in deficit.
    one = _street(1).assign(collection_rate=1.0)
    c = pf.evaluate_district(one).compounds.iloc[0]
    need_fen = int(yuan_to_fen(c["compound_cash_cost_yuan"] - c["public_income_yuan"]))
    floor = float(one["floor_area_m2"].iloc[0])
    rate = need_fen / 100.0 / 12.0 / floor
    balanced = pf.evaluate_district(one.assign(fee_rate_yuan_per_m2_month=rate)).compounds
    assert int(yuan_to_fen(balanced["fee_collected_yuan"].iloc[0])) == need_fen
    assert balanced["pool_balance_yuan"].iloc[0] == 0.0
    assert bool(balanced["pool_non_negative"].iloc[0]) is True
    assert balanced["street_subsidy_yuan"].iloc[0] == 0.0
    assert balanced["pool_surplus_yuan"].iloc[0] == 0.0


def test_district_arguments_checked_and_progress() -> None:
    seen: list[float] = []
    budget = pf.evaluate_district(_street(3), progress=seen.append)
    assert seen == [1.0]
    assert budget.compounds["compound_id"].tolist() == ["SQ001", "SQ002", "SQ003"]
    with pytest.raises(ValueError, match=r"^contributions must be True, False, 'shapley' or "
                       r"'waterfall', got 'both'$"):
        pf.evaluate_district(_street(3), contributions="both")  # type: ignore[arg-type]


def test_kernel_output_of_some_compounds_is_their_run_alone() -> None:
    # Compounds 2 and 3 of five, each its own bundle, with lines made only where a
    # condition holds (a gate kept by devices): the part of the five-compound run is the
    # run of the two, lines, details, ledger and income.
    street = _street(5).assign(gates=[1, 0, 1, 2, 1])
    table = validate_compounds(street)
    params = pf.default_parameters()
    plan = _alone_plan().model_copy(update={"gate_regime": "device_only"})
    out = budget_arrays(table, resolve_plan(plan, table), params)
    two = table.take(np.array([1, 2]))
    alone = budget_arrays(two, resolve_plan(plan, two), params)
    part = out.take(slice(1, 3))
    assert set(part.lines) == set(alone.lines)
    for spec, v in alone.lines.items():
        np.testing.assert_allclose(np.broadcast_to(part.lines[spec], (2,)),
                                   np.broadcast_to(v, (2,)))
    assert set(part.details) == set(alone.details)
    for key, v in alone.details.items():
        np.testing.assert_allclose(np.broadcast_to(part.details[key], (2,)),
                                   np.broadcast_to(v, (2,)))
    assert alone.line_rows  # lines made only where a condition holds
    assert set(part.line_rows) == set(alone.line_rows)
    for spec, here in alone.line_rows.items():
        assert part.line_rows[spec].tolist() == here.tolist()
    help_ = next(s for s in alone.line_rows if s.code == "gate_remote_help")
    assert alone.line_rows[help_].tolist() == [False, True]
    assert part.ledger.supplied_micro().keys() == alone.ledger.supplied_micro().keys()
    for key, v in alone.ledger.supplied_micro().items():
        np.testing.assert_array_equal(part.ledger.supplied_micro()[key], v)
    np.testing.assert_allclose(part.public_income_yuan, alone.public_income_yuan)
    # Only the gateless compound: no remote help at all.
    first: Any = out.take(slice(1, 2))
    assert "gate_remote_help" not in {s.code for s in first.lines}


def test_one_compound_district_progress() -> None:
    seen: list[float] = []
    pf.evaluate_district(_street(1), progress=seen.append)
    assert seen == [1.0]


def test_pieces_keep_bundles_whole_when_rows_are_not_in_bundle_order() -> None:
    # Zones interleaved (Z002, Z001, Z002, Z001): bundled by zone, pieces of 2 rows must
    # gather each bundle's rows from across the table; the result is the table's whole.
    street = pf.datasets.sanqiao_like_street().iloc[[4, 0, 5, 1]].reset_index(drop=True)
    table = validate_compounds(street)
    params = pf.default_parameters()
    resolved = resolve_plan(pf.named_plan("shared_staffed"), table)
    assert resolved.bundle_code.tolist() == [0, 1, 0, 1]
    seen: list[float] = []
    pieces = budget_module._district_budget(table, params, resolved, None, True, 2,
                                            seen.append)
    whole = budget_module._district_budget(table, params, resolved, None, True)
    assert seen == [0.5, 1.0]
    pd.testing.assert_frame_equal(pieces.compounds, whole.compounds, check_exact=True)
    # Bundled: each zone's two members share their posts, unlike each alone.
    alone = budget_module._district_budget(table, params, resolve_plan(_alone_plan(), table),
                                           None, True)
    assert not whole.compounds["total_cost_yuan"].equals(alone.compounds["total_cost_yuan"])
