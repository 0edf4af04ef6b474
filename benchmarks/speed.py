"""Speed of the engine: the district call, the single-compound loop, and Monte Carlo.

Prints absolute figures and machine-independent ratios. Not a timed test.

Run: python benchmarks/speed.py [--compounds 1000000] [--loop 300] [--draws 10000]
"""

from __future__ import annotations

import argparse
import resource
import time

import propfee as pf
from propfee.analysis import ProjectionSettings, monte_carlo


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compounds", type=int, default=1_000_000)
    parser.add_argument("--loop", type=int, default=300, help="compounds in the Python loop")
    parser.add_argument("--draws", type=int, default=10_000)
    args = parser.parse_args()

    district = pf.datasets.synthetic_district(args.compounds, seed=1)
    pf.evaluate_district(district.head(1000), contributions=False, with_lines=False)  # warm-up
    seconds = []
    for _ in range(3):
        t0 = time.perf_counter()
        out = pf.evaluate_district(district, contributions=False, with_lines=False)
        seconds.append(time.perf_counter() - t0)
        del out
    first, batch = seconds[0], min(seconds)
    rate = args.compounds / batch
    print(f"district call, {args.compounds:,} compounds (DataFrame in, DataFrame out): "
          f"first call {first:.2f} s ({args.compounds / first:,.0f} compounds/s), "
          f"best of 3 {batch:.2f} s ({rate:,.0f} compounds/s), "
          f"peak memory {peak_mb():,.0f} MB")

    records = district.head(args.loop).to_dict("records")
    t0 = time.perf_counter()
    for record in records:
        pf.evaluate(pf.Compound(**record))
    loop = time.perf_counter() - t0
    per_single = loop / len(records)
    print(f"single-compound call in a Python loop: {per_single * 1e3:.2f} ms per compound "
          f"({1 / per_single:,.0f} compounds/s)")
    print(f"ratio district call / loop: {rate * per_single:,.0f} x faster")

    street = pf.datasets.sanqiao_like_street()
    t0 = time.perf_counter()
    mc = monte_carlo(street, settings=ProjectionSettings(horizon_years=10), draws=args.draws,
                     seed=1)
    seconds = time.perf_counter() - t0
    cells = args.draws * len(street) * 10
    print(f"Monte Carlo, {args.draws:,} draws x {len(street)} compounds x 10 years: "
          f"{seconds:.2f} s ({cells / seconds:,.0f} compound-years/s); "
          f"P(any pool negative) = {mc.district['p_any_negative']:.2f}")


if __name__ == "__main__":
    main()
