"""Benchmark: adding N working days by table lookup against a day-by-day loop.

Run: .venv/bin/python bench/workdays.py [--calls 200000] [--loop-calls 20000]

Both sides add N = 1..60 working days to the same spread of start dates (2005 to Sept 2026,
the years chinesecalendar covers), in the same run; the loop steps one day at a time with
chinesecalendar.is_workday. The answers are checked to agree. Results: docs/performance.md.
"""

import argparse
import datetime
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")

import django

django.setup()

import chinese_calendar  # noqa: E402

from yiwang.workdays.calendar import WorkingCalendar  # noqa: E402

FIRST_START = datetime.date(2005, 1, 1)
LAST_START = datetime.date(2026, 9, 15)  # + 60 working days stays inside 2026


def spread(count: int, seed: int = 82) -> list[tuple[datetime.date, int]]:
    rng = random.Random(seed)
    span = (LAST_START - FIRST_START).days
    return [
        (FIRST_START + datetime.timedelta(days=rng.randrange(span + 1)), rng.randint(1, 60))
        for _ in range(count)
    ]


def loop_add(start: datetime.date, n: int) -> datetime.date:
    day = start
    one = datetime.timedelta(days=1)
    while n:
        day += one
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def best_rate(function, pairs, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        for start, n in pairs:
            function(start, n)
        best = min(best, time.perf_counter() - began)
    return len(pairs) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--loop-calls", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()

    began = time.perf_counter()
    calendar = WorkingCalendar()
    build_seconds = time.perf_counter() - began
    pairs = spread(arguments.calls)
    loop_pairs = pairs[: arguments.loop_calls]
    for start, n in loop_pairs[:2000]:
        assert calendar.add(start, n)[0] == loop_add(start, n), (start, n)

    lookup = best_rate(calendar.add, pairs, arguments.repeats)
    loop = best_rate(loop_add, loop_pairs, max(1, arguments.repeats // 2))

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPU(s)")
    print(f"calendar build (2004-2099): {build_seconds * 1000:.1f} ms")
    print(f"{'method':<40}{'calls':>10}{'calls/s':>14}")
    print(f"{'WorkingCalendar.add (lookup)':<40}{len(pairs):>10}{lookup:>14,.0f}")
    print(f"{'day-by-day chinesecalendar.is_workday':<40}{len(loop_pairs):>10}{loop:>14,.0f}")
    print(f"ratio lookup / loop: {lookup / loop:,.1f}x")
    met = lookup >= 500_000 and lookup / loop >= 50
    print(f"target >= 500,000 calls/s and >= 50x: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
