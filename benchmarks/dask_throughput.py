"""Throughput on a local Dask cluster of processes, with 1 and 2 workers.

Prints compounds per second for the district evaluation and compound-year-draws per second
for the Monte Carlo, per worker count, and the speed-up of 2 workers over 1.

Run: pip install ".[dask]" && python benchmarks/dask_throughput.py [--compounds 200000]
"""

from __future__ import annotations

import argparse
import time

import propfee as pf
from propfee.analysis import ProjectionSettings
from propfee.distributed import evaluate_dask, monte_carlo_dask, partition_by


def main() -> None:
    from distributed import Client, LocalCluster

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compounds", type=int, default=200_000)
    parser.add_argument("--draws", type=int, default=4_000)
    args = parser.parse_args()
    district = pf.datasets.synthetic_district(args.compounds, seed=1)
    street = pf.datasets.sanqiao_like_street()
    settings = ProjectionSettings(horizon_years=10)
    rates = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            ddf = partition_by(district, "zone", 8 * workers).persist()
            evaluate_dask(ddf.head(100, npartitions=1, compute=False)).compute()  # warm-up
            t0 = time.perf_counter()
            result, _ = evaluate_dask(ddf).compute()
            evaluate_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            monte_carlo_dask(street, settings=settings, draws=args.draws, seed=1)
            mc_s = time.perf_counter() - t0
        rates[workers] = (len(result) / evaluate_s, args.draws * len(street) * 10 / mc_s)
        print(f"{workers} worker(s): district {rates[workers][0]:,.0f} compounds/s; "
              f"Monte Carlo {rates[workers][1]:,.0f} compound-year-draws/s")
    print(f"speed-up of 2 workers over 1: district {rates[2][0] / rates[1][0]:.2f}x, "
          f"Monte Carlo {rates[2][1] / rates[1][1]:.2f}x")


if __name__ == "__main__":
    main()
