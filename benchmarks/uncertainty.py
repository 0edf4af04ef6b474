"""Draws per second: sampling the ranges, and the headline interval of a street and a city.

Prints how fast the sampler makes draws (Latin hypercube and Sobol, six inputs of which
two are correlated) and how many draws a second :func:`propfee.uncertainty.interval`
evaluates with the **default ranges** (every illustrative input of the built-in parameter
file and the default plan's prices, :func:`propfee.uncertainty.defaults.default_ranges`)
on the 286 compounds of ``propfee.datasets.sanqiao_like_street()`` and on a synthetic
district of 100,000 compounds, locally and, with ``--dask``, on a local cluster of 2
worker processes.

Run: pip install ".[uncertainty]" && python benchmarks/uncertainty.py [--draws 256]
[--city-draws 16] [--dask]
"""

from __future__ import annotations

import argparse
import time

import propfee as pf
from propfee.params.ranges import CorrelationGroup, UncertainInput, UncertainInputs
from propfee.uncertainty import sample
from propfee.uncertainty.defaults import default_ranges
from propfee.uncertainty.interval import interval


def inputs() -> UncertainInputs:
    """Six illustrative ranges: two parameters, two correlated wages, two plan prices."""
    def u(name: str, value: float, low: float, high: float, shape: str) -> UncertainInput:
        return UncertainInput(name=name, value=value, low=low, high=high, shape=shape,
                              reason="benchmark")

    return UncertainInputs(
        inputs=(u("fees.collection_rate", 0.7, 0.4, 0.95, "pert"),
                u("staffing.cleaning.monthly_wage_yuan", 2000.0, 1880.0, 2600.0, "triangular"),
                u("staffing.order.monthly_wage_yuan", 2000.0, 1880.0, 2600.0, "triangular"),
                u("labour.social_insurance_floor_yuan_per_month", 3700.0, 2500.0, 5000.0,
                  "lognormal"),
                u("public_income.parking.occupancy_rate", 0.6, 0.3, 0.9, "pert"),
                u("jobs.pipe_dredging.market_price_yuan_per_use", 300.0, 200.0,
                  450.0, "lognormal")),
        correlations={"wages": CorrelationGroup(
            paths=("staffing.cleaning.monthly_wage_yuan", "staffing.order.monthly_wage_yuan"),
            rank_correlation=0.8, reason="benchmark")})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=256)
    parser.add_argument("--city-draws", type=int, default=16,
                        help="draws on the 100,000-compound district (0: skip)")
    parser.add_argument("--dask", action="store_true", help="also on 2 local worker processes")
    args = parser.parse_args()
    ranges = inputs()
    for method in ("lhs", "sobol"):
        sample(ranges, 1024, method, seed=0)  # warm-up (imports)
        t0 = time.perf_counter()
        sample(ranges, 100_000, method, seed=1)
        rate = 100_000 / (time.perf_counter() - t0)
        print(f"sampling ({method}): {rate:,.0f} draws/s")
    street = pf.datasets.sanqiao_like_street()
    defaults = default_ranges()
    print(f"default ranges: {len(defaults.inputs)} inputs")
    interval(street, n=4, seed=0)  # warm-up
    t0 = time.perf_counter()
    result = interval(street, n=args.draws, seed=1)
    local = args.draws / (time.perf_counter() - t0)
    deficit = result.figure("compounds_in_deficit").iloc[0]
    print(f"interval, {len(street)} compounds, default ranges: {local:,.1f} draws/s "
          f"(compounds in deficit: point {deficit['point']:.0f}, median "
          f"{deficit['median']:.0f}, 5-95% {deficit['low']:.0f} to {deficit['high']:.0f})")
    if args.city_draws:
        city = pf.datasets.synthetic_district(100_000, seed=3)
        t0 = time.perf_counter()
        big = interval(city, n=args.city_draws, seed=1)
        seconds = time.perf_counter() - t0
        share = big.figure("compounds_in_deficit").iloc[0]
        print(f"interval, {len(city):,} compounds, default ranges: "
              f"{args.city_draws / seconds:,.2f} draws/s "
              f"({seconds * 1e6 / (args.city_draws * len(city)):.2f} us a compound-draw; "
              f"in deficit: point {share['point']:,.0f}, 5-95% {share['low']:,.0f} to "
              f"{share['high']:,.0f})")
    if args.dask:
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            interval(street, n=8, seed=0, dask=True)  # warm-up
            t0 = time.perf_counter()
            interval(street, n=args.draws, seed=1, dask=True)
            remote = args.draws / (time.perf_counter() - t0)
        print(f"interval on 2 Dask workers: {remote:,.1f} draws/s ({remote / local:.2f}x)")


if __name__ == "__main__":
    main()
