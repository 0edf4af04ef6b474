"""Results rebuilt from report rows, lines in fen, channel credit on request, typical
compounds and the grade price curve: values by hand or against the row they come from."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import propfee as pf
from propfee import budget as budget_module
from propfee.baseline import (
    BaselineResult,
    baseline_arrays,
    effective_fee_inputs,
    grade_price_curve,
    market_baseline,
    market_baseline_district,
    typical_compounds,
)
from propfee.budget import (
    CREDIT_CHANNELS,
    BudgetResult,
    DistrictBudget,
    budget_arrays,
    shapley_fen,
)
from propfee.compound import validate_compounds
from propfee.money import GroupLayout, allocate_fen, yuan_to_fen
from propfee.plan import resolve_plan
from propfee.staffing import ROLES, role_demand_fte

CONTRIBUTIONS = [f"contribution_{ch}_yuan" for ch in CREDIT_CHANNELS]


def _street(n: int = 6) -> pd.DataFrame:
    return pf.datasets.sanqiao_like_street().head(n)


def _compound(row: pd.Series) -> pf.Compound:
    return pf.Compound.model_validate({k: (v.item() if hasattr(v, "item") else v)
                                       for k, v in row.items() if k not in ("street", "zone")})


def test_typical_compounds_by_hand() -> None:
    # 5, 100, 1,000, 1,001 households at 80 m2 each, built 1995:
    #   stairwell units ceil(h / 12): 1, 9, 84, 84;   buildings ceil(h / 24): 1, 5, 42, 42
    #   gates ceil(h / 1,000): 1, 1, 1, 2;          floor 400, 8,000, 80,000, 80,080 m2
    #   green 20% of the floor: 80, 1,600, 16,000, 16,016 m2
    t = typical_compounds([5, 100, 1000, 1001], floor_area_m2_per_household=80.0,
                          build_year=1995)
    assert t["compound_id"].tolist() == ["h5", "h100", "h1000", "h1001"]
    assert t["households"].tolist() == [5, 100, 1000, 1001]
    assert t["stairwell_units"].tolist() == [1, 9, 84, 84]
    assert t["buildings"].tolist() == [1, 5, 42, 42]
    assert t["gates"].tolist() == [1, 1, 1, 2]
    assert t["floor_area_m2"].tolist() == [400.0, 8000.0, 80000.0, 80080.0]
    assert t["green_area_m2"].tolist() == pytest.approx([80.0, 1600.0, 16000.0, 16016.0])
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


def test_baseline_result_from_a_district_row() -> None:
    street = _street(3)
    rows = market_baseline_district(street)
    for i in range(3):
        got = BaselineResult.from_row(rows.iloc[i])
        one = _compound(street.iloc[i])
        assert got == market_baseline(one)
    html = got._repr_html_()
    head = (f"<p>Market baseline of compound {got.compound_id}: total "
            f"{got.total_annual_cost_yuan:,.2f} yuan/year, balance "
            f"{got.balance_yuan:,.2f} yuan/year</p>")
    lines = pd.DataFrame([line.model_dump() for line in got.lines])
    assert html == head + lines.to_html(index=False)


def test_budget_result_from_a_district_row_and_its_lines() -> None:
    # Each compound alone (no bundles): the district row and its lines give the result of
    # evaluating the compound by itself.
    plan = pf.default_plan()
    plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"bundle_by": "none"})})
    street = _street(3)
    budget = pf.evaluate_district(street, plan)
    for i, cid in enumerate(street["compound_id"]):
        row = budget.compounds.iloc[i]
        lines = budget.lines[budget.lines["compound_id"] == cid]
        got = BudgetResult.from_tables(row, lines)
        assert got.compound_id == cid
        assert got.bundle_id == str(row["bundle_id"])
        assert got.total_cost_yuan == row["total_cost_yuan"]
        assert got.street_subsidy_yuan == row["street_subsidy_yuan"]
        assert got.by_payer == {p: row[f"paid_by_{p}_yuan"] for p in got.by_payer}
        assert set(got.by_payer) == {c[len("paid_by_"):-len("_yuan")]
                                     for c in row.index if c.startswith("paid_by_")}
        assert got.by_channel["shared_property"] == row["cost_shared_property_yuan"]
        assert [(x.line, x.payer, x.kind, x.amount_yuan) for x in got.lines] == [
            (r.line, r.payer, r.kind, r.amount_yuan) for r in lines.itertuples()]
        assert [x.channel for x in got.lines] == lines["channel"].astype(str).tolist()
        assert [x.category for x in got.lines] == lines["category"].astype(str).tolist()
        assert sum(x.amount_yuan for x in got.lines) == pytest.approx(got.total_cost_yuan)
    assert "<table" in got._repr_html_()
    assert "<table" in budget._repr_html_()


def test_kernel_lines_in_fen() -> None:
    # Every line in fen: the lines split in fen as split, the others rounded half away
    # from zero; their sum per compound is the total cost in fen.
    table = validate_compounds(_street(4))
    plan = pf.named_plan("shared_staffed")
    out = budget_arrays(table, resolve_plan(plan, table), pf.default_parameters())
    fen = out.fen_lines()
    assert list(fen) == list(out.lines)
    for spec, amount in out.lines.items():
        want = out.lines_fen[spec] if spec in out.lines_fen else yuan_to_fen(amount)
        np.testing.assert_array_equal(np.broadcast_to(fen[spec], (4,)),
                                      np.broadcast_to(want, (4,)))
    budget = pf.evaluate_district(_street(4), plan)
    total = sum(np.broadcast_to(v, (4,)) for v in fen.values())
    np.testing.assert_array_equal(total, yuan_to_fen(budget.compounds["total_cost_yuan"]))


@pytest.mark.parametrize("mode", ["shapley", "waterfall"])
def test_channel_credit_on_request_adds_up_and_is_kept(mode) -> None:
    # Efficiency: the balance with no channel on plus every channel's credit is the pool
    # balance with all of them, to the fen.
    budget = pf.evaluate_district(_street(5), pf.named_plan("shared_staffed"))
    credit = budget.channel_credit(mode)
    assert credit["compound_id"].tolist() == _street(5)["compound_id"].tolist()
    total = yuan_to_fen(credit["channel_base_balance_yuan"]) + sum(
        yuan_to_fen(credit[c]) for c in CONTRIBUTIONS)
    np.testing.assert_array_equal(total, yuan_to_fen(budget.compounds["pool_balance_yuan"]))
    assert budget.channel_credit(mode) is credit  # computed once
    stacked = pf.evaluate_district(_street(5), pf.named_plan("shared_staffed"),
                                   contributions=mode).compounds
    pd.testing.assert_frame_equal(
        credit.reset_index(drop=True),
        stacked[["compound_id", "channel_base_balance_yuan", *CONTRIBUTIONS]].reset_index(
            drop=True), check_exact=True)


def test_channel_credit_needs_the_inputs() -> None:
    budget = pf.evaluate_district(_street(2))
    bare = DistrictBudget(budget.compounds)
    with pytest.raises(ValueError, match=r"^this budget keeps no inputs: evaluate it with "
                       r"contributions=True to have its channel credit$"):
        bare.channel_credit()


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
        for col in ("total_cost_yuan", "street_subsidy_yuan", "fee_collected_yuan"):
            want = int(yuan_to_fen(c[col].to_numpy()[rows]).sum()) / 100.0
            assert out.loc[zone, col] == want
    assert not [col for col in out.columns if "per_household" in col]
    totals = budget.district_totals()
    want = int(yuan_to_fen(c["total_cost_yuan"].to_numpy()).sum()) / 100.0
    assert totals["total_cost_yuan"] == want
    assert not [k for k in totals.index if "per_household" in k]
    assert "pool_balance_yuan" in totals.index


def test_baseline_report_columns() -> None:
    # Total headcount = the sum over roles; the fee rate and collection rate are the
    # compound's own where given, else the parameter set's (here: two given, one not).
    street = _street(3).assign(fee_rate_yuan_per_m2_month=[0.5, None, 0.8],
                               collection_rate=[0.9, None, 0.6])
    rows = market_baseline_district(street)
    roles = [c for c in rows.columns if c.startswith("headcount_fte_") and c != (
        "headcount_fte_total")]
    assert len(roles) == 5
    np.testing.assert_allclose(rows["headcount_fte_total"], rows[roles].sum(axis=1))
    params = pf.default_parameters()
    default_rate = rows["rate_yuan_per_m2_month"][1]
    assert rows["rate_yuan_per_m2_month"].tolist() == [0.5, default_rate, 0.8]
    assert rows["collection_rate"][[0, 2]].tolist() == [0.9, 0.6]
    rate, coll = effective_fee_inputs(validate_compounds(street), params)
    np.testing.assert_allclose(rows["rate_yuan_per_m2_month"], rate)
    np.testing.assert_allclose(rows["collection_rate"], coll)
    assert list(rows.index) == [0, 1, 2]


def test_baseline_district_gate_regime_and_a_checked_table() -> None:
    street = _street(3)
    rows = market_baseline_district(validate_compounds(street), grade=3, gate_regime="live_in")
    for i in range(3):
        one = market_baseline(_compound(street.iloc[i]), grade=3, gate_regime="live_in")
        assert BaselineResult.from_row(rows.iloc[i]) == one
    staffed = market_baseline_district(street, grade=3)
    assert (rows["total_annual_cost_yuan"] != staffed["total_annual_cost_yuan"]).all()


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
                      build_year=1995)
    result = pf.evaluate(one)
    assert result.compound_id == "c1"
    assert result.bundle_id


def test_credit_asked_at_evaluation_is_reused_and_the_other_mode_computed(monkeypatch) -> None:
    # A budget evaluated with the waterfall credit returns those columns as they are;
    # asked for the Shapley credit it computes it, here in pieces of 2 rows (bundles kept
    # whole), and gets what an evaluation with the Shapley credit gets.
    street = _street(5)
    plan = pf.named_plan("shared_staffed")
    cols = ["compound_id", "channel_base_balance_yuan", *CONTRIBUTIONS]
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
    assert len(lines) == 3 * lines["line"].nunique()
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
    # With the credit a piece has 1/32 of the rows: 64 // 32 = 2 and 32 // 32 = 1.
    ("waterfall", 64, [0.4, 0.8, 1.0]),
    ("waterfall", 32, [0.2, 0.4, 0.6, 0.8, 1.0]),
    # Fewer than 32 rows asked: at least one row a piece.
    ("waterfall", 31, [0.2, 0.4, 0.6, 0.8, 1.0]),
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
    c = pieces.compounds
    assert list(c.columns[:7]) == ["compound_id", "name", "street", "zone", "bundle_id",
                                   "households", "floor_area_m2"]
    assert c["pool_non_negative"].dtype == bool
    assert str(c["bundle_id"].dtype) == "str"  # pandas' default text dtype, as ids are
    assert c["zone"].tolist() == _street(5)["zone"].tolist()
    assert c["name"].tolist() == _street(5)["name"].tolist()
    assert c.attrs["contributions"] == contributions


def test_baseline_kernel_keeps_demand_unrounded() -> None:
    # Demand of each role (unrounded, the order role at the grade's regime) beside the
    # headcount rounded to posts; live-in gatekeepers add pay to the order staff cost,
    # not demand: grade 5 keeps its gates live-in.
    # Guards work 2,500 h a year here: a gate kept 24 h needs 8,760 / 2,500 = 3.504 FTE
    # of order staff, unrounded; the headcount is rounded to posts.
    table = validate_compounds(_street(3))
    params = pf.default_parameters()
    params = params.model_copy(update={"labour": params.labour.model_copy(
        update={"guard_hours_per_year": 2500.0})})
    assert baseline_arrays(table, params, 3)["demand_fte_order"].tolist() == pytest.approx(
        [3.504] * 3)
    for grade in (3, 4, 5):
        out = baseline_arrays(table, params, grade)
        norms = params.grades.grade(grade)
        t = table
        for role in ROLES:
            want = role_demand_fte(role, norms, params, households=t.array("households"),
                                   floor_area_m2=t.array("floor_area_m2"),
                                   green_area_m2=t.array("green_area_m2"),
                                   gates=t.array("gates"), gate_regime=norms.gate_regime)
            np.testing.assert_allclose(out[f"demand_fte_{role}"], want)
            assert (out[f"headcount_fte_{role}"] >= out[f"demand_fte_{role}"] - 1e-9).all()


def test_report_columns_by_hand() -> None:
    # Per household and month: total / households / 12 (and the same for cash); saving
    # against the baseline = baseline total - cash; channels as costed, public income
    # not among them; staff taken over per channel = the kernel's takes summed by role.
    street = _street(4)
    plan = pf.named_plan("shared_staffed")
    c = pf.evaluate_district(validate_compounds(street), plan).compounds
    hh = street["households"].to_numpy(dtype=float)
    np.testing.assert_allclose(c["cost_per_household_month_yuan"],
                               c["total_cost_yuan"] / hh / 12.0)
    np.testing.assert_allclose(c["cash_cost_per_household_month_yuan"],
                               c["compound_cash_cost_yuan"] / hh / 12.0)
    np.testing.assert_allclose(c["saving_vs_baseline_yuan"],
                               c["baseline_total_yuan"] - c["compound_cash_cost_yuan"],
                               atol=1e-6)
    costs = sorted(col for col in c.columns
                   if col.startswith("cost_") and not col.startswith("cost_per"))
    assert costs == ["cost_direct_yuan", "cost_self_governance_yuan",
                     "cost_shared_property_yuan", "cost_smart_devices_yuan",
                     "cost_street_fallback_yuan"]
    table = validate_compounds(street)
    out = budget_arrays(table, resolve_plan(plan, table), pf.default_parameters())
    for ch in ("street_fallback", "smart_devices", "self_governance", "shared_property",
               "direct"):
        want = sum((v for (c_, _), v in out.replaced_fte.items() if c_ == ch), np.zeros(4))
        np.testing.assert_allclose(c[f"replaced_fte_{ch}"], want)
    assert (c["replaced_fte_shared_property"] > 0).all()
    assert (c["pool_non_negative"] == (c["pool_balance_yuan"] >= 0)).all()


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


def test_district_arguments_checked_and_progress() -> None:
    seen: list[float] = []
    budget = pf.evaluate_district(_street(3), progress=seen.append)
    assert seen == [1.0]
    assert budget.compounds["compound_id"].tolist() == ["SQ001", "SQ002", "SQ003"]
    with pytest.raises(ValueError, match=r"^contributions must be True, False, 'shapley' or "
                       r"'waterfall', got 'both'$"):
        pf.evaluate_district(_street(3), contributions="both")  # type: ignore[arg-type]


def test_kernel_output_of_some_compounds_is_their_run_alone() -> None:
    # Compounds 2 and 3 of five, each its own bundle, with the devices channel on only
    # where a condition holds: the part of the five-compound run is the run of the two.
    table = validate_compounds(_street(5))
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
    np.testing.assert_allclose(part.public_income_yuan, alone.public_income_yuan)


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
    pieces = budget_module._district_budget(table, params, resolved, None, True, 2)
    whole = budget_module._district_budget(table, params, resolved, None, True)
    pd.testing.assert_frame_equal(pieces.compounds, whole.compounds, check_exact=True)
