"""The source's 60,000-yuan problem: one compound of 100 households x 100 m2.

Run: python examples/one_compound.py
"""

from __future__ import annotations

import pandas as pd

import propfee as pf

compound = pf.Compound(
    compound_id="src", name="100 households x 100 m2", households=100,
    floor_area_m2_per_household=100.0, build_year=1990, green_area_m2=1000.0,
    gates=1, buildings=2, parking_spaces=20,
)

baseline = pf.market_baseline(compound)
print("Fee billed: 100 households x 100 m2 x 0.5 yuan/m2/month x 12 =",
      f"{baseline.fee_billed_yuan:,.2f} yuan a year")
print(f"Fee collected at 70%: {baseline.fee_collected_yuan:,.2f} yuan")
print("A market company alone, delivering all its work at grade 4, costs "
      f"{baseline.total_annual_cost_yuan:,.2f} yuan a year")
print(f"Balance {baseline.balance_yuan:,.2f} yuan; break-even fee "
      f"{baseline.break_even_rate_yuan_per_m2_month:.2f} yuan/m2/month")
print()
lines = pd.DataFrame([line.model_dump() for line in baseline.lines])
print(lines[lines["amount_yuan"] != 0][["code", "category", "amount_yuan"]].to_string(index=False))

budget = pf.evaluate(compound)
print()
print("Under the four kinds of management plus one subsidy (illustrative default plan):")
print(pd.Series(budget.by_payer, name="cost by payer [yuan/year]").to_string())
print(f"Street subsidy to keep the fund pool at zero: {budget.street_subsidy_yuan:,.2f} yuan")
print("Who pays the total cost of "
      f"{budget.total_cost_yuan:,.2f} yuan [yuan/year]:")
print(pd.Series(budget.who_pays, name="who pays [yuan/year]").to_string())
print(pd.Series(budget.contributions, name="contribution [yuan/year]").to_string())
assert baseline.fee_billed_yuan == 60000.00
assert budget.street_subsidy_yuan < -baseline.balance_yuan
