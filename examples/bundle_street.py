"""Bundle the Sanqiao-like street: optimise the bundles, compare before/after, split one contract.

Run: python examples/bundle_street.py   (needs the optimise extra: pip install ".[optimise]")
"""

from __future__ import annotations

import pandas as pd

import propfee as pf
from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles, split_bundle

street = pf.datasets.sanqiao_like_street()
plan = pf.default_plan()
game = BundleGame.from_district(street, plan)

problem = BundlingProblem(max_distance_m=200.0, max_members=4, objective="subsidy",
                          time_limit_s=8.0)
result = optimise_bundles(game, problem)
multi = result.bundles[result.bundles["members"] > 1]
print(f"{len(street)} compounds -> {len(multi)} bundles of {multi['members'].mean():.2f} "
      f"compounds on average; {int((result.assignment['members'] == 1).sum())} stay alone")
print(f"objective {result.objective:,.2f}, proven bound {result.bound:,.2f}, gap {result.gap:.2%} "
      f"({result.method}, {result.bound_kind} bound, {result.seconds:.1f} s)")

alone_plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
    update={"bundle_by": "none"})})
rows = {
    "each compound alone": pf.evaluate_district(street, alone_plan).district_totals(),
    "bundled by zone": pf.evaluate_district(street, plan).district_totals(),
    "optimised bundles": pf.evaluate_district(street, result.to_plan(plan)).district_totals(),
}
cols = ["cost_shared_property_yuan", "compound_cash_cost_yuan", "street_subsidy_yuan",
        "deficit_reduction_yuan"]
print("\nBefore and after [yuan/year]")
print(pd.DataFrame(rows).T[cols].to_string(float_format=lambda v: f"{v:,.2f}"))

biggest = multi.sort_values(["members", "contract_yuan"], ascending=False).iloc[0]
print(f"\nSplitting the contract of {biggest['bundle_id']} ({biggest['members']} compounds, "
      f"{biggest['contract_yuan']:,.2f} yuan/year)")
for method in ("floor_area", "shapley", "core"):
    split = split_bundle(game, biggest["member_ids"], method)
    print(f"\n{method}: least-core epsilon {split.least_core_epsilon_yuan:,.2f}, largest "
          f"overcharge of a sub-group {split.max_overcharge_yuan:,.2f}")
    print(split.shares[["compound_id", "share_yuan", "standalone_yuan", "saving_yuan"]]
          .to_string(index=False))
