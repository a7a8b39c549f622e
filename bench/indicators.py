"""Benchmark: the leaders' dashboard and its drill-down at 100,000 and 1,000,000 cases.

Run alone (its own database `bench_i16_indicators`, created and dropped here):
    .venv/bin/python bench/indicators.py                      (100,000 then 1,000,000)
    .venv/bin/python bench/indicators.py --steps 100000       (quick)

Fills the cases in the database itself (`INSERT … SELECT` over `generate_series`: the province
of `bench/scale.py` — 14 cities, 28 district bureaus — every published item, three years of
cases up to yesterday across channels, procedures and states, visits for window filings,
suspensions, licences for issued cases): the indicators read only these tables, and a server-
side fill of a million cases takes a minute where the full COPY generator of `scale.py` takes
most of an hour on this shared machine. Then it rebuilds the working-day positions and the
daily roll-ups (`yiwang.indicators.rollups.rebuild`, timed), then times, in-process
through Django's test client as the demo's `leader`: the dashboard page (every indicator for
Dalian and a year, the previous year, by region, by month, by item, licences, warnings) and
the first page of a drill-down (the cases behind the on-time rate). Bounded by `--budget`
seconds: it stops by itself. Results: var/bench/indicators.json and docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

DATABASE = "bench_i16_indicators"


def _defaults(model, given: set[str]) -> dict[str, str]:
    """SQL literals for the NOT NULL columns not set here (Django keeps defaults in Python)."""
    from django.db import models

    literals = {}
    for field in model._meta.concrete_fields:
        if field.column in given or field.null or field.primary_key:
            continue
        if isinstance(field, models.BooleanField):
            literals[field.column] = "false"
        elif isinstance(field, models.JSONField):
            literals[field.column] = "'[]'::jsonb" if field.default is list else "'{}'::jsonb"
        elif isinstance(field, (models.IntegerField, models.BigIntegerField)):
            literals[field.column] = str(field.default if isinstance(field.default, int) else 0)
        else:
            literals[field.column] = "''"
    return literals


CASES_SQL = """
WITH source AS (
    SELECT g,
           (%(departments)s::int[])[1 + floor(random() * %(n_departments)s)::int] AS department,
           (%(versions)s::int[])[1 + floor(power(random(), 2) * %(n_versions)s)::int] AS version,
           (ARRAY['online','online','online','window','window','mobile','mail','phone'])
               [1 + floor(random() * 8)::int] AS channel,
           (ARRAY['standard','standard','standard','standard','commitment','tolerance','green'])
               [1 + floor(random() * 7)::int] AS procedure,
           current_date - 1 - floor(random() * 1095)::int AS received,
           floor(random() * 3)::int AS to_accept,
           1 + floor(random() * 14)::int AS to_decide,
           random() AS fate
    FROM generate_series(1, %(count)s) AS g
), dated AS (
    SELECT s.*, d.region_id, v.item_id,
           (current_date - s.received) AS age,
           s.received + s.to_accept AS accepted,
           s.received + s.to_accept + s.to_decide AS decided
    FROM source s
    JOIN regions_department d ON d.id = s.department
    JOIN catalog_itemversion v ON v.id = s.version
)
INSERT INTO cases_case (number, item_id, item_version_id, implementation_id, department_id,
    region_id, applicant_id, filed_by_id, channel, procedure, status, received_at, submitted_on,
    accepted_on, decided_on, issued_on, closed_on, green, due_on, level {extra_columns})
SELECT 'IB' || %(batch)s || '-' || g, item_id, version,
       (SELECT i.id FROM catalog_implementation i
         WHERE i.item_id = dated.item_id AND i.department_id = dated.department LIMIT 1),
       department, region_id, %(applicant)s,
       CASE WHEN channel = 'window' AND fate < 0.75 THEN %(clerk)s
            WHEN channel = 'window' THEN %(reviewer)s ELSE %(portal)s END,
       channel, procedure,
       CASE WHEN age <= 2 THEN 'received'
            WHEN decided >= current_date THEN 'accepted'
            WHEN fate < 0.05 THEN 'refused'
            WHEN fate < 0.10 THEN 'denied'
            ELSE 'issued' END,
       received + time '09:30' + (g %% 420) * interval '1 minute', received,
       CASE WHEN age > 2 AND fate >= 0.05 THEN accepted END,
       CASE WHEN age > 2 AND fate >= 0.05 AND decided < current_date THEN decided END,
       CASE WHEN age > 2 AND fate >= 0.10 AND decided < current_date THEN decided END,
       CASE WHEN age > 2 AND fate < 0.05 THEN accepted
            WHEN age > 2 AND decided < current_date THEN decided END,
       procedure = 'green',
       CASE WHEN age <= 2 THEN received + 7 WHEN decided >= current_date THEN decided END,
       CASE WHEN decided >= current_date AND fate > 0.97 THEN 'overdue' ELSE 'normal' END
       {extra_values}
FROM dated
"""


def fill(total: int) -> dict:
    """Add generated cases (and their visits, suspensions, licences) up to `total`."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.scale import ensure_province
    from yiwang.cases.models import Case
    from yiwang.licences.models import Licence

    started = time.perf_counter()
    users = dict(get_user_model().objects.values_list("username", "pk"))
    given = {
        "number", "item_id", "item_version_id", "implementation_id", "department_id",
        "region_id", "applicant_id", "filed_by_id", "channel", "procedure", "status",
        "received_at", "submitted_on", "accepted_on", "decided_on", "issued_on", "closed_on",
        "green", "due_on", "level",
    }  # fmt: skip
    extra = _defaults(Case, given)
    with connection.cursor() as cursor:
        ensure_province(cursor.cursor)
        cursor.execute("SELECT count(*) FROM cases_case WHERE number LIKE 'IB%%'")
        have = cursor.fetchone()[0]
        # Children only for the cases added now (an anti-join against a table being filled in
        # the same statement rescans it per row).
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        first_new = cursor.fetchone()[0]
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM regions_department")
        departments = cursor.fetchone()[0]
        cursor.execute(
            "SELECT array_agg(id ORDER BY id) FROM catalog_itemversion WHERE status = 'published'"
        )
        versions = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM parties_applicant")
        applicant = cursor.fetchone()[0]
        batch = 0
        while have < total:
            count = min(200_000, total - have)
            cursor.execute(
                CASES_SQL.format(
                    extra_columns="".join(f", {column}" for column in extra),
                    extra_values="".join(f", {value}" for value in extra.values()),
                ),
                {
                    "departments": departments, "n_departments": len(departments),
                    "versions": versions, "n_versions": len(versions), "count": count,
                    "batch": f"{have}-{batch}", "applicant": applicant,
                    "clerk": users["clerk"], "reviewer": users["reviewer"],
                    "portal": users["applicant"],
                },
            )  # fmt: skip
            have += count
            batch += 1
        cursor.execute(
            "INSERT INTO cases_visit (case_id, at, purpose, recorded_by_id) "
            "SELECT id, received_at, 'filing', %s FROM cases_case WHERE id > %s "
            "AND channel = 'window'",
            [users["clerk"], first_new],
        )
        cursor.execute(
            "INSERT INTO cases_visit (case_id, at, purpose, recorded_by_id) "
            "SELECT id, received_at + interval '3 days', 'pickup', %s FROM cases_case "
            "WHERE id > %s AND status = 'issued' AND id %% 4 = 0",
            [users["clerk"], first_new],
        )
        cursor.execute(
            "INSERT INTO cases_suspension (case_id, kind, reason, started_on, ended_on, "
            "resume_status) SELECT id, 'expert_review', '专家评审', accepted_on + 1, "
            "accepted_on + 3, 'accepted' FROM cases_case WHERE id > %s "
            "AND decided_on >= accepted_on + 5 AND id %% 10 = 0",
            [first_new],
        )
        licence_given = {
            "number", "licence_type", "licence_type_code", "holder_id", "item_id", "case_id",
            "department_id", "valid_from", "valid_until", "status", "issued_at",
        }  # fmt: skip
        licence_extra = _defaults(Licence, licence_given)
        cursor.execute(
            "INSERT INTO licences_licence (number, licence_type, licence_type_code, holder_id, "
            "item_id, case_id, department_id, valid_from, valid_until, status, issued_at"
            + "".join(f", {column}" for column in licence_extra)
            + ") SELECT 'L' || c.number, v.licence_type, v.licence_type_code, c.applicant_id, "
            "c.item_id, c.id, c.department_id, c.issued_on, c.issued_on + 1826, 'valid', "
            "c.issued_on + time '15:00'"
            + "".join(f", {value}" for value in licence_extra.values())
            + " FROM cases_case c JOIN catalog_itemversion v ON v.id = c.item_version_id "
            "WHERE c.id > %s AND c.status = 'issued' AND v.licence_type <> ''",
            [first_new],
        )
        loaded = time.perf_counter() - started
        cursor.execute("VACUUM ANALYZE")
    return {
        "cases": have,
        "load_seconds": round(loaded, 1),
        "vacuum_analyze_seconds": round(time.perf_counter() - started - loaded, 1),
    }


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


def measure(samples: int, *, rebuild: bool = True) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from yiwang import clock
    from yiwang.indicators import rollups

    started = time.perf_counter()
    written = rollups.rebuild() if rebuild else None
    print(f"  roll-up: {written} rows in {time.perf_counter() - started:.1f} s", flush=True)
    roll_up_seconds = round(time.perf_counter() - started, 1) if rebuild else None
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
        **_selector_times(samples),
        "load_average_1_5_15": [round(value, 2) for value in os.getloadavg()],
    }


def _selector_times(samples: int) -> dict:
    """The same two reads without HTTP and templates: `selectors.dashboard`, and the drill-down's
    count plus its first 50 rows with their facts (what the database and the ORM cost)."""
    from django.contrib.auth import get_user_model

    from yiwang import clock
    from yiwang.indicators import selectors
    from yiwang.indicators.slices import parse_slice

    leader = get_user_model().objects.get(username="leader")
    year = clock.today().year - 1

    def read_dashboard():
        selectors.dashboard(
            parse_slice(leader, {"period": "year", "on": f"{year}-06-30", "region": "210200000000"})
        )

    def read_drill_down():
        slice_ = parse_slice(
            leader,
            {"period": "custom", "from": f"{year}-01-01", "to": f"{year}-12-31",
             "region": "210200000000"},
        )  # fmt: skip
        cases = selectors.CountedCases(selectors.drill_down(slice_, "on_time_rate"))
        cases.count()
        [selectors.drill_down_row(case) for case in cases[:50]]

    timings = {}
    for name, read in (
        ("dashboard_selectors", read_dashboard),
        ("drill_down_selectors", read_drill_down),
    ):
        times = []
        for _ in range(samples):
            started = time.perf_counter()
            read()
            times.append((time.perf_counter() - started) * 1000)
        timings[name] = {
            "p50_ms": round(common.percentile(times, 50), 1),
            "p95_ms": round(common.percentile(times, 95), 1),
            "samples": samples,
        }
    return timings


def explain_drill_down(total: int) -> Path:
    """EXPLAIN ANALYZE of the drill-down's two statements (its count and its first page)."""
    from django.contrib.auth import get_user_model

    from yiwang import clock
    from yiwang.indicators import selectors
    from yiwang.indicators.slices import parse_slice

    year = clock.today().year - 1
    leader = get_user_model().objects.get(username="leader")
    slice_ = parse_slice(
        leader,
        {"period": "custom", "from": f"{year}-01-01", "to": f"{year}-12-31",
         "region": "210200000000"},
    )  # fmt: skip
    counted = selectors.drill_down_counted(slice_, "on_time_rate")
    cases = counted.cases
    # Before: the subtree joined through the regions table by code prefix (as until issue 16's
    # second pass); after: the subtree's region ids, served by (region_id, decided_on).
    joined = selectors.drill_down(replace(slice_, region_prefix=""), "on_time_rate").filter(
        region__code__startswith=slice_.region_prefix
    )
    plans = [
        "-- count (region ids, no facts)\n"
        + counted.counted.order_by().values("pk").explain(analyze=True),
        "-- first page, 50 rows (region ids)\n" + cases[:50].explain(analyze=True),
        "-- count (before: join on the region code)\n"
        + joined.values("pk").order_by().explain(analyze=True),
        "-- first page (before: join on the region code)\n" + joined[:50].explain(analyze=True),
    ]
    path = common.RESULTS / f"indicators-explain-{total}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(plans))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--budget", type=int, default=2400, help="stop after this many seconds")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the kept database as it is (no fill, no roll-up rebuild)",
    )
    args = parser.parse_args()
    if args.reuse:
        reuse(args)
        return
    signal.alarm(args.budget)  # bounded: the run ends itself (and the database is dropped)
    out = {"command": " ".join(sys.argv), "steps": []}
    with common.bench_database(args.database, keep=args.keep) as database:
        common.django_setup(database)
        for total in args.steps:
            print(f"indicators: filling to {total:,} cases …", flush=True)
            loaded = fill(total)
            step = {"cases": total, "fill": loaded, **measure(args.samples)}
            step["explain"] = str(explain_drill_down(total))
            out["steps"].append(step)
            print(step, flush=True)
            common.write_result("indicators", out)
    print(f"results: {common.RESULTS / 'indicators.json'}")


def reuse(args) -> None:
    """Time the dashboard and drill-down again on a kept database (`--keep` of an earlier run)."""
    common.django_setup(args.database)
    from yiwang.cases.models import Case

    total = Case.objects.count()
    step = {"cases": total, "reused": True, **measure(args.samples, rebuild=False)}
    step["explain"] = str(explain_drill_down(total))
    print(step, flush=True)
    common.write_result("indicators-reuse", {"command": " ".join(sys.argv), "steps": [step]})


if __name__ == "__main__":
    main()
