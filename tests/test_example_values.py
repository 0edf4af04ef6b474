"""The figures examples/one_compound.py prints, checked by value.

The fee lines are computed by hand; the market company's lines must add up to the
printed total, and the balance and break-even fee follow from it; the 4+1 figures are
those of the library's own result for the same compound (not numbers of the default
plan written here, which are illustrative and change with it).
"""

from __future__ import annotations

import pathlib
import re
import runpy

import pytest

import propfee as pf

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "examples" / "one_compound.py"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.fixture(scope="module")
def printed() -> list[str]:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        runpy.run_path(str(SCRIPT), run_name="__main__")
    return buf.getvalue().splitlines()


def _after(lines: list[str], pattern: str) -> list[float]:
    for line in lines:
        m = re.search(pattern, line)
        if m:
            return [_number(g) for g in m.groups()]
    raise AssertionError(f"no line matches {pattern!r}")


def test_fee_figures_by_hand(printed: list[str]) -> None:
    # 100 households x 100 m2 x 0.5 yuan/m2/month x 12 = 60,000; 70% collected = 42,000.
    assert _after(printed, r"x 12 = ([\d,.]+) yuan a year") == [60000.0]
    assert _after(printed, r"Fee collected at 70%: ([\d,.]+) yuan") == [42000.0]


def test_market_company_total_is_the_sum_of_its_printed_lines(printed: list[str]) -> None:
    (total,) = _after(printed, r"at grade 4, costs ([\d,.]+) yuan a year")
    start = next(i for i, line in enumerate(printed) if line.split() == [
        "code", "category", "amount_yuan"])
    amounts = []
    for line in printed[start + 1:]:
        if not line.strip():
            break
        amounts.append(float(line.split()[-1]))
    baseline = pf.market_baseline(pf.Compound(
        compound_id="src", households=100, floor_area_m2_per_household=100.0,
        build_year=1990, green_area_m2=1000.0, gates=1, buildings=2, parking_spaces=20))
    assert len(amounts) == sum(1 for line in baseline.lines if line.amount_yuan)
    assert round(sum(amounts), 2) == total
    balance, rate = _after(printed, r"Balance (-?[\d,.]+) yuan; break-even fee ([\d.]+)")
    # Balance = 42,000 collected - total; break-even = total / (10,000 m2 x 12 x 0.7).
    assert balance == pytest.approx(42000.0 - total, abs=0.005)
    assert rate == round(total / 84000.0, 2)


def test_four_plus_one_figures_are_the_budget(printed: list[str]) -> None:
    compound = pf.Compound(
        compound_id="src", households=100, floor_area_m2_per_household=100.0,
        build_year=1990, green_area_m2=1000.0, gates=1, buildings=2, parking_spaces=20,
    )
    budget = pf.evaluate(compound)
    for payer, amount in budget.by_payer.items():
        assert _after(printed, rf"^{payer}\s+(-?[\d.]+)$") == [amount]
    (subsidy,) = _after(printed, r"pool at zero: (-?[\d,.]+) yuan")
    assert subsidy == budget.street_subsidy_yuan
    # Each channel's printed credit; together they are the change of the pool balance
    # from no channel on to all on.
    credits = {ch: _after(printed, rf"^{ch}\s+(-?[\d.]+)$")[0] for ch in budget.contributions}
    assert credits == budget.contributions
    df = pf.evaluate_district(pf.validate_compounds(compound), contributions=True).compounds
    change = df["pool_balance_yuan"].iloc[0] - df["market_baseline_balance_yuan"].iloc[0]
    assert round(sum(credits.values()), 2) == round(change, 2)
    # Who pays, printed, adds up to the printed total cost.
    (total,) = _after(printed, r"Who pays the total cost of ([\d,.]+) yuan")
    who = {name: _after(printed, rf"^{name}\s+(-?[\d.]+)$")[0] for name in budget.who_pays}
    assert who == budget.who_pays
    assert round(sum(who.values()) * 100) == round(total * 100)
