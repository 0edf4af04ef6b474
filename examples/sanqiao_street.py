"""The Sanqiao-like street under the market model and under 4+1, by size class and by zone.

Run: python examples/sanqiao_street.py
"""

from __future__ import annotations

import propfee as pf

street = pf.datasets.sanqiao_like_street()
print(f"{len(street)} compounds, {(street['households'] < 100).sum()} under 100 households, "
      f"{street['zone'].nunique()} zones")

baseline = pf.market_baseline_district(street)
print("\nStand-alone market baseline [yuan/year]")
print(pf.report.summarise_baseline(baseline).to_string())

budget = pf.evaluate_district(street)
print("\nMarket baseline and 4+1 side by side [yuan/year]")
print(pf.report.summarise_budget(budget).to_string())
print("\nWhat each channel contributed [yuan/year]")
print(pf.report.channel_contributions(budget).to_string())
print("\nThe ten zones needing the most street subsidy [yuan/year]")
zones = budget.totals_by("zone")
print(zones.nlargest(10, "street_subsidy_yuan")[
    ["compounds", "households", "market_baseline_balance_yuan", "street_subsidy_yuan"]
].to_string())
