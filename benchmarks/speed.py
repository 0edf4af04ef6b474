"""Speed where users feel it, side by side in one run: the single call, evaluate_many,
the baseline, the district call as the README writes it and the lean one, a district's
lines, the command line's start, the service example under a bounded local load, and
Monte Carlo.

Prints absolute figures (they move with the machine's load, printed first and last;
ratios less). Not a timed test.

Run: python benchmarks/speed.py [--sizes 10000,100000,1000000] [--lines 100000,1000000]
     [--many 1000,10000] [--requests 400] [--draws 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import propfee as pf
from propfee.analysis import ProjectionSettings, monte_carlo

ROOT = Path(__file__).resolve().parent.parent


def peak_mb() -> float:
    """Peak resident memory of this process so far. [MB]"""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def warm_ms(call, repeat: int = 200, rounds: int = 5) -> tuple[float, float]:
    """Median and 99th percentile of a warm call, from the quietest of ``rounds`` rounds
    of ``repeat`` calls (on a shared machine the neighbours come and go; a round they
    slow down says more about them than about the call). [ms]"""
    for _ in range(20):
        call()
    best: list[float] | None = None
    for _ in range(rounds):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
        if best is None or statistics.median(times) < statistics.median(best):
            best = times
    assert best is not None
    return statistics.median(best) * 1e3, float(np.percentile(best, 99)) * 1e3


def process_s(args: list[str], repeat: int = 5) -> float:
    """Best wall time of a whole process. [s]"""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def district_row(size: int, repeat: int = 3, **kwargs: object) -> str:
    """Time and peak memory of one district call, each run in a fresh process: the median
    time of ``repeat`` processes, with the range, and the largest peak. A process that
    starts right after another has freed a gigabyte pays more for its new memory (the
    kernel makes huge pages again), so one run says little."""
    code = (
        "import resource, sys, time\n"
        "import propfee as pf\n"
        f"kw = {kwargs!r}\n"
        f"df = pf.datasets.synthetic_district({size}, seed=1)\n"
        "pf.evaluate_district(df.head(1000), **kw)\n"
        "t0 = time.perf_counter()\n"
        "out = pf.evaluate_district(df, **kw)\n"
        "s = time.perf_counter() - t0\n"
        "print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)\n"
    )
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                             text=True).stdout.split()
        runs.append((float(out[0]), float(out[1])))
    seconds = statistics.median(s for s, _ in runs)
    low, high = min(s for s, _ in runs), max(s for s, _ in runs)
    mb = max(m for _, m in runs)
    return (f"{seconds:.2f} s ({size / seconds:,.0f} compounds/s; {low:.2f} to {high:.2f} s "
            f"over {repeat} processes), peak {mb:,.0f} MB")


def many_row(size: int, repeat: int = 5) -> str:
    """``pf.evaluate_many`` of ``size`` compounds (no channel credit), in a fresh process
    (its results would otherwise stay in this one's memory, and every process started
    after it would report it as its own peak): the median of ``repeat`` warm calls, a
    compound. [ms]"""
    code = (
        "import statistics, time\n"
        "import propfee as pf\n"
        "c = pf.Compound(compound_id='c1', households=100, floor_area_m2_per_household=100.0,"
        " build_year=1990, green_area_m2=1000.0)\n"
        f"many = [c.model_copy(update={{'compound_id': f'c{{i}}', 'households': 40 + i % 200}})"
        f" for i in range({size})]\n"
        "pf.evaluate_many(many[:100], contributions=False)\n"
        "times = []\n"
        f"for _ in range({repeat}):\n"
        "    t0 = time.perf_counter()\n"
        "    pf.evaluate_many(many, contributions=False)\n"
        "    times.append(time.perf_counter() - t0)\n"
        "print(statistics.median(times), min(times), max(times))\n"
    )
    med, low, high = (float(x) for x in subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split())
    return (f"median {med * 1e3 / size:.3f} ms a compound ({med:.2f} s; "
            f"{low * 1e3 / size:.3f} to {high * 1e3 / size:.3f} ms over {repeat} calls)")


def lines_row(size: int, repeat: int = 3) -> str:
    """``district.lines`` of a district evaluated with its lines, in a fresh process each
    time: the median time of ``repeat`` processes to build the long table (the kernel run
    again included), and the largest peak memory of a process (the district's own
    included)."""
    code = (
        "import resource, time\n"
        "import propfee as pf\n"
        f"df = pf.datasets.synthetic_district({size}, seed=1)\n"
        "budget = pf.evaluate_district(df)\n"
        "del df\n"
        "t0 = time.perf_counter()\n"
        "lines = budget.lines\n"
        "s = time.perf_counter() - t0\n"
        "print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, len(lines))\n"
    )
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                             text=True).stdout.split()
        runs.append((float(out[0]), float(out[1]), int(out[2])))
    seconds = statistics.median(s for s, _, _ in runs)
    low, high = min(s for s, _, _ in runs), max(s for s, _, _ in runs)
    return (f"{seconds:.2f} s for {runs[0][2]:,} rows ({low:.2f} to {high:.2f} s over "
            f"{repeat} processes), peak {max(m for _, m, _ in runs):,.0f} MB")


def service_row(requests: int, clients: int = 20, credit: bool = False) -> str:
    """The service example under a bounded load of valid requests on 127.0.0.1.

    The service runs as it would be deployed, in its own process (uvicorn, one worker);
    ``clients`` clients of this process each keep one connection open and send their
    share of ``requests`` one after another (the clients are coroutines of one thread).
    """
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        return "skipped: pip install '.[service]'"
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "examples.service:app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1", "--log-level", "error", "--no-access-log",
         "--backlog", "512"], cwd=ROOT)
    try:
        return _load(port, requests, clients, credit)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _load(port: int, requests: int, clients: int, credit: bool) -> str:
    deadline = time.monotonic() + 30
    while True:  # wait for the server to listen
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                return "failed: the service did not start"
            time.sleep(0.05)
    body = json.dumps({"compound": {"compound_id": "c1", "households": 100,
                                    "floor_area_m2_per_household": 100.0,
                                    "build_year": 1990},
                       "contributions": credit}).encode()
    request = (b"POST /budget HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               b"Content-Type: application/json\r\nContent-Length: "
               + str(len(body)).encode() + b"\r\n\r\n" + body)

    async def client(count: int) -> list[tuple[int, float]]:
        """One kept-alive connection sending ``count`` requests one after another."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        out = []
        try:
            for _ in range(count):
                t0 = time.perf_counter()
                writer.write(request)
                status = int((await reader.readline()).split()[1])
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                out.append((status, time.perf_counter() - t0))
        finally:
            writer.close()
        return out

    async def load() -> tuple[list[tuple[int, float]], float]:
        await client(20)  # warm the server
        shares = [requests // clients + (i < requests % clients) for i in range(clients)]
        t0 = time.perf_counter()
        parts = await asyncio.gather(*(client(k) for k in shares))
        return [r for part in parts for r in part], time.perf_counter() - t0

    # The clients are coroutines of one thread (no lock to wait for between a reply
    # arriving and its time being taken).
    results, wall = asyncio.run(load())
    latency = [s for _, s in results]
    ok = sum(1 for status, _ in results if status == 200)
    return (f"{requests / wall:,.0f} requests/s, p50 {statistics.median(latency) * 1e3:.1f} ms, "
            f"p99 {float(np.percentile(latency, 99)) * 1e3:.1f} ms ({ok}/{requests} ok, "
            f"{clients} clients)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="district sizes, comma-separated")
    parser.add_argument("--lines", default="100000,1000000",
                        help="district sizes whose lines table is built, comma-separated")
    parser.add_argument("--many", default="1000,10000",
                        help="evaluate_many sizes, comma-separated")
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--draws", type=int, default=10_000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    compound = pf.Compound(compound_id="c1", households=100,
                           floor_area_m2_per_household=100.0, build_year=1990,
                           green_area_m2=1000.0)
    rows: list[tuple[str, str]] = []
    med, p99 = warm_ms(lambda: pf.evaluate(compound, contributions=False))
    rows.append(("pf.evaluate(compound, contributions=False), warm",
                 f"median {med:.2f} ms, p99 {p99:.2f} ms"))
    med, p99 = warm_ms(lambda: pf.evaluate(compound))
    rows.append(("pf.evaluate(compound) (channel credit on), warm",
                 f"median {med:.2f} ms, p99 {p99:.2f} ms"))
    twenty = [compound.model_copy(update={"households": 40 + 10 * i}) for i in range(20)]
    med, p99 = warm_ms(lambda: pf.evaluate_many(twenty, contributions=False), repeat=100)
    rows.append(("pf.evaluate_many(20 compounds, contributions=False), warm",
                 f"median {med:.2f} ms ({med / 20:.2f} ms a compound), p99 {p99:.2f} ms"))
    for size in (int(s) for s in args.many.split(",") if s):
        rows.append((f"pf.evaluate_many({size:,} compounds, contributions=False), warm",
                     many_row(size)))
    med, p99 = warm_ms(lambda: pf.market_baseline(compound))
    rows.append(("pf.market_baseline(compound), warm", f"median {med:.2f} ms, p99 {p99:.2f} ms"))
    for size in sizes:
        rows.append((f"pf.evaluate_district(df) as the README calls it, {size:,} compounds",
                     district_row(size)))
    rows.append((f"lean call (with_lines=False), {sizes[-1]:,} compounds",
                 district_row(sizes[-1], with_lines=False)))
    rows.append((f"with the channel credit (contributions=True), {sizes[0]:,} compounds",
                 district_row(sizes[0], contributions=True)))
    for size in (int(s) for s in args.lines.split(",") if s):
        rows.append((f"district.lines (the long table), {size:,} compounds",
                     lines_row(size)))
    rows.append(("service example, one worker, 20 clients: POST /budget",
                 service_row(args.requests)))
    rows.append(("the same with the channel credit (\"contributions\": true)",
                 service_row(args.requests, credit=True)))
    rows.append(("the same, one client (a request alone waits for nothing)",
                 service_row(args.requests // 4, clients=1)))
    beside = Path(sys.executable).with_name("propfee")  # the environment's own script
    command = str(beside) if beside.exists() else shutil.which("propfee") or "propfee"
    rows.append(("propfee --help (whole process)", f"{process_s([command, '--help']):.2f} s"))
    rows.append(("python -c 'import propfee' (whole process)",
                 f"{process_s([sys.executable, '-c', 'import propfee']):.2f} s"))
    street = pf.datasets.sanqiao_like_street()
    t0 = time.perf_counter()
    monte_carlo(street, settings=ProjectionSettings(horizon_years=10), draws=args.draws, seed=1)
    rows.append((f"Monte Carlo, {args.draws:,} draws x {len(street)} compounds x 10 years",
                 f"{time.perf_counter() - t0:.2f} s"))
    width = max(len(name) for name, _ in rows)
    for name, figure in rows:
        print(f"{name:<{width}}  {figure}")
    print(f"(this process's peak memory: {peak_mb():,.0f} MB; load average now "
          "{:.2f} {:.2f} {:.2f})".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
