"""Bundling benchmark: the Sanqiao-like street (286) and a district of 983 old compounds.

Prints, for each instance: bundles found, compounds per bundle, the street's subsidy with
every compound alone and with the optimised bundles, the objective, the proven bound and
the gap, and the wall time. Then compares, on the same instance and the same cost
function, with the max-p regions heuristic of PySAL's spopt (benchmark-only dependency:
pip install spopt geopandas); max-p maximises the number of regions above a size
threshold and ignores cost, so its regions are priced here with propfee's cost function.

Run: python benchmarks/bundling.py [--quick] [--plan shared_staffed] [--posts-pooled-per crew]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import propfee as pf
from propfee.bundling import BundleGame, BundlingProblem, optimise_bundles
from propfee.bundling.optimise import objective_values


def partition_objective(game: BundleGame, labels: np.ndarray, problem: BundlingProblem) -> float:
    """Objective of any partition (labels per compound), priced with propfee's cost function."""
    codes, _ = pd.factorize(labels)
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes)
    width = int(sizes.max())
    padded = np.full((len(sizes), width), -1, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    slot = np.arange(len(codes)) - np.repeat(starts, sizes)
    padded[codes[order], slot] = order
    obj, _, _ = objective_values(game, padded, problem)
    return float(obj.sum())


def maxp_labels(df: pd.DataFrame, threshold_households: float, distance_m: float) -> np.ndarray:
    import geopandas as gpd
    from libpysal.weights import DistanceBand
    from spopt.region import MaxPHeuristic

    gdf = gpd.GeoDataFrame(df.copy(), geometry=gpd.points_from_xy(df["x_m"], df["y_m"]))
    w = DistanceBand.from_dataframe(gdf, threshold=distance_m, binary=True, silence_warnings=True)
    model = MaxPHeuristic(gdf, w, ["households"], "households", threshold_households,
                          top_n=2, max_iterations_construction=20, max_iterations_sa=5)
    model.solve()
    return np.asarray(model.labels_)


def limit_violations(df: pd.DataFrame, labels: np.ndarray, problem: BundlingProblem
                     ) -> tuple[int, int]:
    """Regions a planner's limits forbid: (more than max_members, wider than max_distance_m)."""
    from scipy.spatial.distance import pdist

    xy = df[["x_m", "y_m"]].to_numpy()
    too_many = too_wide = 0
    for rows in pd.Series(labels).groupby(labels).indices.values():
        too_many += len(rows) > problem.max_members
        too_wide += len(rows) > 1 and float(pdist(xy[rows]).max()) > problem.max_distance_m
    return too_many, too_wide


def run(name: str, df: pd.DataFrame, problem: BundlingProblem, maxp: bool,
        posts_pooled_per: str = "contract", plan_name: str = "xinghualing") -> None:
    plan = pf.named_plan(plan_name)
    plan = plan.model_copy(update={"shared_property": plan.shared_property.model_copy(
        update={"posts_pooled_per": posts_pooled_per})})
    game = BundleGame.from_district(df, plan)
    t0 = time.perf_counter()
    result = optimise_bundles(game, problem)
    seconds = time.perf_counter() - t0
    multi = result.bundles[result.bundles["members"] > 1]
    alone_subsidy = float(game.deficits(np.arange(len(game))[:, None],
                                        game.standalone_costs()).sum())
    after = float(result.bundles["deficit_yuan"].sum())
    print(f"\n== {name}: {len(df)} compounds, plan {plan_name} "
          f"(posts pooled per {posts_pooled_per}) ==")
    print(f"bundles {len(multi)} (+{int((result.assignment['members'] == 1).sum())} alone), "
          f"{result.bundles['members'].mean():.2f} compounds per bundle")
    print(f"street subsidy: alone {alone_subsidy:,.0f} -> bundled {after:,.0f} yuan/year "
          f"({after / alone_subsidy:.1%} of alone)")
    print(f"objective {result.objective:,.0f}, bound {result.bound:,.0f} ({result.bound_kind}), "
          f"gap {result.gap:.3%}, {result.candidates:,} candidate bundles, {seconds:.1f} s "
          f"({result.method})")
    if (df["zone"].astype(str) != "").any():
        from propfee.bundling.report import compare_bundles
        from propfee.compound import validate_compounds

        t1 = time.perf_counter()
        c = compare_bundles(game, validate_compounds(df), result, problem)
        t = {k: v["subsidy"] / 100 for k, v in c.totals_fen.items()}
        print(f"street subsidy: alone {t['alone']:,.2f}, today's zones {t['zones']:,.2f}, "
              f"optimised bundles {t['bundles']:,.2f} yuan/year; {len(c.worse_members)} "
              f"compounds pay more than in their zone; fair shares and the zones' in "
              f"{time.perf_counter() - t1:.1f} s")
    if maxp:
        # A planner using max-p must pick the minimum region size; report a range of
        # thresholds, including the median size of propfee's own bundles (max-p's best case).
        median = float(multi["households"].median())
        for threshold in sorted({100.0, 200.0, round(median), 600.0, 1000.0}):
            try:
                t1 = time.perf_counter()
                labels = maxp_labels(df, threshold, problem.max_distance_m)
            except ImportError:
                print("max-p comparison skipped: pip install spopt geopandas")
                return
            maxp_obj = partition_objective(game, labels, problem)
            saving = 1 - result.objective / maxp_obj
            sizes = pd.Series(labels).value_counts()
            too_many, too_wide = limit_violations(df, labels, problem)
            print(f"max-p (spopt), households >= {threshold:>4.0f}: {len(sizes)} regions, "
                  f"up to {sizes.max()} compounds, objective {maxp_obj:,.0f} "
                  f"({time.perf_counter() - t1:.1f} s): propfee's plan is "
                  f"{abs(saving):.1%} {'cheaper' if saving >= 0 else 'dearer'}; regions "
                  "outside the "
                  f"limits: {too_many} over {problem.max_members} members, {too_wide} wider "
                  f"than {problem.max_distance_m:.0f} m")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="street only, no max-p")
    parser.add_argument("--posts-pooled-per", choices=["contract", "crew"], default="contract",
                        help="contract term SharedProperty.posts_pooled_per")
    parser.add_argument("--plan", default="xinghualing", help="a built-in plan name")
    parser.add_argument("--no-maxp", action="store_true", help="skip the max-p comparison")
    args = parser.parse_args()
    street = pf.datasets.sanqiao_like_street()
    run("Sanqiao-like street", street,
        BundlingProblem(method="exact", time_limit_s=9.0), maxp=not (args.quick or args.no_maxp),
        posts_pooled_per=args.posts_pooled_per, plan_name=args.plan)
    if not args.quick:
        district = pf.datasets.synthetic_district(983, seed=983, street="Xinghualing-like")
        run("district of 983 old compounds", district,
            BundlingProblem(method="exact", time_limit_s=50.0), maxp=not args.no_maxp,
            posts_pooled_per=args.posts_pooled_per, plan_name=args.plan)


if __name__ == "__main__":
    main()
