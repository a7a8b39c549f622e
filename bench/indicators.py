"""Benchmark: the leaders' dashboard and its drill-down at 100,000 and 1,000,000 cases.

Run alone (its own database `bench_i16_indicators`, created and dropped here):
    .venv/bin/python bench/indicators.py                      (100,000 then 1,000,000)
    .venv/bin/python bench/indicators.py --steps 100000       (quick)

Fills the cases with `bench/scale.py`'s generator (COPY), then builds the working-day positions
and the daily roll-ups (`yiwang.indicators.rollups.roll_up`, timed), then times, in-process
through Django's test client as the demo's `leader`: the dashboard page (every indicator for
Dalian and a year, the previous year, by region, by month, by item, licences, warnings) and
the first page of a drill-down (the cases behind the on-time rate). Bounded by `--budget`
seconds: it stops by itself. Results: var/bench/indicators.json and docs/performance.md.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

DATABASE = "bench_i16_indicators"


def _timed(client, path: str, samples: int) -> dict:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    return {
        "p50_ms": round(common.percentile(times, 50), 1),
        "p95_ms": round(common.percentile(times, 95), 1),
        "samples": samples,
    }


def measure(samples: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from yiwang import clock
    from yiwang.indicators import rollups

    started = time.perf_counter()
    written = rollups.roll_up()
    print(f"  roll-up: {written:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    roll_up_seconds = round(time.perf_counter() - started, 1)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="leader"))
    year = clock.today().year - 1  # a full year of history
    dashboard = f"/workbench/indicators/?period=year&on={year}-06-30&region=210200000000"
    drill = (
        f"/workbench/indicators/on_time_rate/cases/?period=custom&from={year}-01-01"
        f"&to={year}-12-31&region=210200000000"
    )
    client.get(dashboard)  # warm the caches once, as a running server has them
    return {
        "roll_up_seconds": roll_up_seconds,
        "roll_up_rows": written,
        "dashboard_city_year": _timed(client, dashboard, samples),
        "drill_down_city_year": _timed(client, drill, samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--budget", type=int, default=2400, help="stop after this many seconds")
    parser.add_argument("--database", default=DATABASE)
    args = parser.parse_args()
    signal.alarm(args.budget)  # bounded: the run ends itself (and the database is dropped)
    out = {"command": " ".join(sys.argv), "steps": []}
    with common.bench_database(args.database) as database:
        common.django_setup(database)
        from bench.scale import fill

        for total in args.steps:
            print(f"indicators: filling to {total:,} cases …", flush=True)
            loaded = fill(total)
            step = {"cases": total, "fill": loaded, **measure(args.samples)}
            out["steps"].append(step)
            print(step, flush=True)
            common.write_result("indicators", out)
    print(f"results: {common.RESULTS / 'indicators.json'}")


if __name__ == "__main__":
    main()
