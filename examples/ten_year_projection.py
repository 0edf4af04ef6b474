"""Ten years of the Sanqiao-like street's fund pools, with and without bundling.

Run: python examples/ten_year_projection.py
"""

from __future__ import annotations

import pandas as pd

import propfee as pf
from propfee.analysis import ProjectionSettings, monte_carlo, project

street = pf.datasets.sanqiao_like_street()
plan = pf.default_plan()
alone = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
    update={"bundle_by": "none"})})
settings = ProjectionSettings(horizon_years=10, wage_growth_rate=0.05, price_inflation_rate=0.02,
                              interest_rate=0.015)

rows = {}
for name, chosen in (("each compound alone", alone), ("bundled by zone", plan)):
    p = project(street, chosen, settings=settings)
    district = p.district()
    rows[name] = {
        "pool after 10 years [yuan]": district["balance_yuan"].iloc[-1],
        "steady yearly contribution to stay >= 0 [yuan/year]":
            p.funding["baseline_contribution_yuan"].sum(),
        "device replacements over 10 years [yuan]": district["replacements_yuan"].sum(),
        "median fee rate that needs no contribution [yuan/m2/month]":
            p.funding["baseline_fee_rate_yuan_per_m2_month"].median(),
    }
    if name == "bundled by zone":
        print("Bundled by zone, district cash flows by year [yuan]")
        print(district[["fee_income_yuan", "public_income_yuan", "staff_yuan", "other_yuan",
                        "jobs_yuan", "replacements_yuan", "net_yuan", "balance_yuan"]]
              .to_string(float_format=lambda v: f"{v:,.0f}"))

print("\nWith and without bundling")
print(pd.DataFrame(rows).to_string(float_format=lambda v: f"{v:,.2f}"))

mc = monte_carlo(street, plan, settings=settings, draws=2000, seed=2024)
print("\nMonte Carlo (2,000 draws): the street's mean yearly subsidy [yuan/year]")
print(mc.district.to_string(float_format=lambda v: f"{v:,.2f}"))
