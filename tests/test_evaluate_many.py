"""Several compounds each on its own in one kernel run: the same results as one at a time."""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import propfee as pf
from propfee.budget import CREDIT_CHANNELS
from propfee.channels import Bundle
from propfee.errors import InputError

from .conftest import districts

budget_module = importlib.import_module("propfee.budget.evaluate")
"""The module of the entry points (``propfee.budget.evaluate`` is also the function)."""

PLANS = {"xinghualing": pf.named_plan("xinghualing"),
         "shared_staffed": pf.named_plan("shared_staffed")}


def _compounds(df) -> list[pf.Compound]:  # type: ignore[no-untyped-def]
    return [pf.Compound(**{k: v for k, v in r.items() if v == v})  # NaN: not given
            for r in df.to_dict("records")]


def _same_but_zero_lines(many: pf.BudgetResult, one: pf.BudgetResult) -> None:
    """``many`` is ``one`` but for lines that only other compounds of its call have,
    which it holds at zero after its own (see the expected failure below)."""
    assert many.model_copy(update={"lines": one.lines}) == one
    own = {x.line for x in one.lines}
    assert [x for x in many.lines if x.line in own] == list(one.lines)
    assert all(x.amount_yuan == 0.0 for x in many.lines if x.line not in own)


@settings(max_examples=25)
@given(districts(max_size=12), st.sampled_from(sorted(PLANS)),
       st.sampled_from([False, True, "waterfall"]), st.booleans())
def test_equals_one_at_a_time(df, plan_name, contributions, same_ids) -> None:
    """Each result equals the compound evaluated alone, whatever its neighbours in the
    call: same zone or street (bundled labels), the same id, any order: every figure,
    its work, its credit and its lines."""
    compounds = _compounds(df)
    if same_ids:  # a service's requests may all say "c1"
        compounds = [c.model_copy(update={"compound_id": "c1"}) for c in compounds]
    plan = PLANS[plan_name]
    many = pf.evaluate_many(compounds, plan, contributions=contributions)
    one_by_one = [pf.evaluate(c, plan, contributions=contributions) for c in compounds]
    assert len(many) == len(one_by_one)
    for got, want in zip(many, one_by_one, strict=True):
        _same_but_zero_lines(got, want)
    assert pf.evaluate_many(compounds[::-1], plan, contributions=contributions) == many[::-1]


def test_a_compound_without_gates_beside_one_with_gates() -> None:
    gated = pf.Compound(compound_id="g", households=100, floor_area_m2=8000.0, build_year=1990,
                        gates=1)
    open_ = pf.Compound(compound_id="o", households=100, floor_area_m2=8000.0,
                        build_year=1990, gates=0)
    many = pf.evaluate_many([gated, open_], contributions=False)
    alone = [pf.evaluate(c, contributions=False) for c in (gated, open_)]
    _same_but_zero_lines(many[1], alone[1])  # the figures and the lines it has agree
    assert many == alone


def test_neighbours_in_one_zone_pool_nothing() -> None:
    """Two compounds of one zone: evaluate_district bundles them (one call-out shared);
    evaluate_many keeps each alone, with the zone's label as its bundle id."""
    a = pf.Compound(compound_id="a", households=60, floor_area_m2=4200.0, build_year=1988,
                    zone="Z")
    b = pf.Compound(compound_id="b", households=90, floor_area_m2=6300.0, build_year=1992,
                    zone="Z")
    many = pf.evaluate_many([a, b], contributions=False)
    assert [r.bundle_id for r in many] == ["zone:Z", "zone:Z"]
    assert many == [pf.evaluate(a, contributions=False), pf.evaluate(b, contributions=False)]
    district = pf.evaluate_district(pf.compound.compounds_frame([a, b])).compounds
    # Pooled in the district: the two differ from alone (the bundle shares call-outs).
    assert district["total_cost_yuan"].sum() != pytest.approx(
        sum(r.total_cost_yuan for r in many), abs=0.005)


@pytest.mark.parametrize("bundle_by", ["zone", "none"])
def test_a_bundle_fee_named_for_a_label(bundle_by: str) -> None:
    """A plan that bundles by zone (or not at all) may still give one bundle its own
    fixed fee by naming its label: the compound of that label pays it, the others the
    plan's default, as each would alone."""
    staffed = pf.named_plan("shared_staffed")
    label = "zone:Z" if bundle_by == "zone" else "alone:a"
    sp = staffed.shared_property.model_copy(update={"bundle_by": bundle_by, "bundles": (
        Bundle(bundle_id=label, members=("a",), fixed_fee_yuan_per_year=90_000.0),)})
    plan = staffed.model_copy(update={"shared_property": sp})
    a = pf.Compound(compound_id="a", households=60, floor_area_m2=4200.0, build_year=1988,
                    zone="Z")
    b = pf.Compound(compound_id="b", households=90, floor_area_m2=6300.0, build_year=1992,
                    zone="Y")
    many = pf.evaluate_many([a, b], plan, contributions=False)
    assert many == [pf.evaluate(c, plan, contributions=False) for c in (a, b)]
    default_fee = pf.evaluate_many([a], staffed.model_copy(update={
        "shared_property": sp.model_copy(update={"bundles": ()})}), contributions=False)[0]
    # The named fee replaces the default (24,000 yuan) in a's contract: +66,000 yuan.
    assert sp.fixed_fee_yuan_per_bundle_year == 24_000.0
    assert round((many[0].total_cost_yuan - default_fee.total_cost_yuan) * 100) == 6_600_000


def test_explicit_bundles_one_at_a_time() -> None:
    """A plan with explicit bundles resolves each compound alone, as evaluate does: a
    compound that is a bundle's only member gets its bundle and fee; a bundle naming a
    compound not evaluated is an error, for evaluate_many as for evaluate."""
    default = pf.default_plan()
    sp = default.shared_property.model_copy(update={"bundle_by": "explicit", "bundles": (
        Bundle(bundle_id="B1", members=("a",), fixed_fee_yuan_per_year=1200.0),)})
    plan = default.model_copy(update={"shared_property": sp})
    a = pf.Compound(compound_id="a", households=60, floor_area_m2=4200.0, build_year=1988)
    b = pf.Compound(compound_id="b", households=90, floor_area_m2=6300.0, build_year=1992)
    (only,) = pf.evaluate_many([a], plan, contributions=False)
    assert only == pf.evaluate(a, plan, contributions=False)
    assert only.bundle_id == "B1"
    # The parameters and the credit option go through to each compound's own run.
    params = pf.default_parameters()
    dearer = params.model_copy(update={"wages": params.wages.model_copy(
        update={"minimum_hourly_wage_yuan": params.wages.minimum_hourly_wage_yuan + 5.0})})
    (credited,) = pf.evaluate_many([a], plan, dearer)
    assert credited == pf.evaluate(a, plan, dearer)
    assert set(credited.contributions) == set(CREDIT_CHANNELS)  # on by default
    assert credited.by_payer["volunteers_in_kind"] > only.by_payer["volunteers_in_kind"]
    with pytest.raises(InputError, match="bundle member is not in the compound table"):
        pf.evaluate_many([a, b], plan, contributions=False)
    with pytest.raises(InputError, match="bundle member is not in the compound table"):
        pf.evaluate(b, plan, contributions=False)


@pytest.mark.parametrize("contributions", [False, True])
def test_cut_into_pieces(monkeypatch: pytest.MonkeyPatch, contributions: bool) -> None:
    """More compounds than a piece holds (3 a piece, 2 with the credit): pieces at and
    past the boundary give the results of one piece."""
    compounds = [pf.Compound(compound_id=f"k{i}", households=30 + 17 * i,
                             floor_area_m2_per_household=55.0 + i, build_year=1980 + i)
                 for i in range(7)]
    whole = pf.evaluate_many(compounds, contributions=contributions)
    monkeypatch.setattr(budget_module, "CHUNK_ROWS", 3)
    monkeypatch.setattr(budget_module, "CREDIT_CHUNK_ROWS", 2)
    calls: list[int] = []
    results = budget_module._results

    def counted(table, *args):  # type: ignore[no-untyped-def]
        calls.append(len(table))
        return results(table, *args)

    monkeypatch.setattr(budget_module, "_results", counted)
    assert pf.evaluate_many(compounds, contributions=contributions) == whole
    assert calls == ([2, 2, 2, 1] if contributions else [3, 3, 1])


def test_empty_and_the_fields_of_a_line() -> None:
    assert pf.evaluate_many([]) == []
    plain = pf.Compound(compound_id="p", households=80, floor_area_m2=5600.0, build_year=1985)
    (credited,) = pf.evaluate_many([plain])  # the channel credit on by default, as evaluate
    assert credited == pf.evaluate(plain)
    assert set(credited.contributions) == set(CREDIT_CHANNELS)
    c = pf.Compound(compound_id=" c１ ", households=100, floor_area_m2=10000.0,
                    build_year=1990)
    (r,) = pf.evaluate_many([c], contributions=False)
    assert r.compound_id == "c1"  # trimmed and NFKC-normalised, as evaluate does
    first = r.lines[0]
    assert (first.line, first.channel, first.category, first.payer, first.kind, first.work) == (
        "street_garbage_removal", "street_fallback", "cleaning", "street_office", "service",
        "garbage")
    assert [w.category for w in r.work][:7] == ["cleaning", "greening", "management", "gate",
                                                "patrol", "garbage", "lift"]
    # Lines add up to the total in fen.
    assert sum(round(x.amount_yuan * 100) for x in r.lines) == round(r.total_cost_yuan * 100)
    assert r.cost_per_household_month_yuan == r.total_cost_yuan / 100 / 12
    # Its 100 households: 100 x 1.5 kg x 365 = 54.75 t removed by the street at 120 yuan.
    assert (first.amount_yuan, r.work[5].demand, r.work[5].supplied["street_fallback"]) == (
        6570.0, 54.75, 54.75)


@pytest.mark.parametrize(("call", "given", "message"), [
    (pf.evaluate, {"compound_id": "a"}, "evaluate takes one propfee.Compound; got a dict"),
    (pf.market_baseline, "a", "market_baseline takes one propfee.Compound; got a str"),
    (pf.evaluate_many, [{"compound_id": "a"}], "evaluate_many: item 0 is a dict"),
    (pf.evaluate_many, None, r"evaluate_many takes several .* got one NoneType"),
    (pf.validate_compounds, [1], "validate_compounds: item 0 is a int"),
])
def test_a_wrong_kind_of_input_is_named(call, given, message) -> None:
    """A dict where a Compound belongs (a common slip) is named, with how to make one."""
    with pytest.raises(TypeError, match=message):
        call(given)


def test_one_compound_where_several_belong() -> None:
    c = pf.Compound(compound_id="a", households=10, floor_area_m2=700.0, build_year=1990)
    with pytest.raises(TypeError, match=r"takes several propfee\.Compound models .* got one "
                                        r"Compound"):
        pf.evaluate_many(c)  # type: ignore[arg-type]
    # Any iterable of compounds will do: a tuple, a generator.
    assert pf.evaluate_many((c, c), contributions=False) == [
        pf.evaluate(c, contributions=False)] * 2
    assert len(pf.evaluate_many(iter([c]), contributions=False)) == 1
