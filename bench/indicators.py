"""Benchmark: the leaders' dashboard and its drill-down at 100,000 and 1,000,000 cases.

Run alone (its own database `bench_i16_indicators`, created and dropped here unless `--keep`):
    .venv/bin/python bench/indicators.py                      (100,000 then 1,000,000)
    .venv/bin/python bench/indicators.py --steps 100000       (quick)
    .venv/bin/python bench/indicators.py --steps 1000000 --keep     (keep the filled database)
    .venv/bin/python bench/indicators.py --reuse [--rebuild]        (time the kept one again)
    .venv/bin/python bench/indicators.py --reuse --profile          (statements, EXPLAIN ANALYZE)

Fills the cases in the database itself (`INSERT … SELECT` over `generate_series`: the province
of `bench/scale.py` — 14 cities, 28 district bureaus — every published item, three years of
cases up to yesterday across channels, procedures and states, visits for window filings,
suspensions, licences for issued cases held by one organisation per five cases (spread over the
province's regions and credit grades), concluded inspections of one case in twenty): the
indicators read only these tables, and a server-
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
import json
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
        elif isinstance(field, models.DateTimeField):
            literals[field.column] = "now()"
        elif isinstance(field, models.DateField):
            literals[field.column] = "current_date"
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
       department, region_id,
       (%(applicants)s::int[])[1 + floor(random() * %(n_applicants)s)::int],
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


APPLICANTS_PER_CASE = 5  # licence holders: one per five cases (the directory's size matters)


def _fill_applicants(cursor, total: int) -> list[int]:
    """Bench licence holders (organisations) up to total / 5, spread over the province's
    regions and credit grades (some ungraded); the ids of all of them."""
    from yiwang.parties.models import Applicant

    given = {"kind", "name", "uscc", "region_id", "credit_grade"}
    extra = _defaults(Applicant, given)
    cursor.execute("SELECT count(*) FROM parties_applicant WHERE name LIKE 'IB-%%'")
    have = cursor.fetchone()[0]
    wanted = total // APPLICANTS_PER_CASE
    if have < wanted:
        cursor.execute(
            "INSERT INTO parties_applicant (kind, name, uscc, region_id, credit_grade"
            + "".join(f", {column}" for column in extra)
            + ") SELECT 'organisation', 'IB-' || g, 'IB' || lpad(g::text, 16, '0'), "
            "(%s::int[])[1 + floor(random() * %s)::int], "
            "(ARRAY['A','B','B','B','C','D',''])[1 + floor(random() * 7)::int]"
            + "".join(f", {value}" for value in extra.values())
            + " FROM generate_series(%s, %s) AS g",
            [*_department_regions(cursor), have + 1, wanted],
        )
    cursor.execute(
        "SELECT array_agg(id ORDER BY id) FROM parties_applicant WHERE name LIKE 'IB-%%'"
    )
    return cursor.fetchone()[0]


def _department_regions(cursor) -> tuple[list[int], int]:
    cursor.execute("SELECT array_agg(DISTINCT region_id) FROM regions_department")
    regions = cursor.fetchone()[0]
    return regions, len(regions)


def _fill_inspections(cursor, count: int, departments: list[int]) -> None:
    """`count` concluded drawn inspections of random bench holders over the three years."""
    from yiwang.supervision.models import Inspection, Task

    task_given = {"kind", "status", "department_id", "applicant_id", "entity_code",
                  "region_code", "created_at"}  # fmt: skip
    task_extra = _defaults(Task, task_given)
    inspection_given = {"task_id", "department_id", "status", "scheduled_for", "concluded_on",
                        "created_at"}  # fmt: skip
    inspection_extra = _defaults(Inspection, inspection_given)
    cursor.execute(
        "WITH picked AS (SELECT a.id, a.uscc, r.code, "
        "(%s::int[])[1 + floor(random() * %s)::int] AS department, "
        "current_date - 1 - floor(random() * 1095)::int AS concluded "
        "FROM (SELECT id, uscc, region_id FROM parties_applicant WHERE name LIKE 'IB-%%' "
        "ORDER BY random() LIMIT %s) a JOIN regions_region r ON r.id = a.region_id), "
        "tasks AS (INSERT INTO supervision_task (kind, status, department_id, applicant_id, "
        "entity_code, region_code, created_at"
        + "".join(f", {column}" for column in task_extra)
        + ") SELECT 'drawn', 'done', department, id, uscc, code, concluded"
        + "".join(f", {value}" for value in task_extra.values())
        + " FROM picked RETURNING id, department_id, created_at) "
        "INSERT INTO supervision_inspection (task_id, department_id, status, scheduled_for, "
        "concluded_on, created_at"
        + "".join(f", {column}" for column in inspection_extra)
        + ") SELECT id, department_id, 'concluded', created_at::date, created_at::date, "
        "created_at" + "".join(f", {value}" for value in inspection_extra.values()) + " FROM tasks",
        [departments, len(departments), count],
    )


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
        have = first_have = cursor.fetchone()[0]
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
        applicants = _fill_applicants(cursor, total)
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
                    "batch": f"{have}-{batch}", "applicants": applicants,
                    "n_applicants": len(applicants),
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
        _fill_inspections(cursor, (total - first_have) // 20, departments)
        loaded = time.perf_counter() - started
        cursor.execute("VACUUM ANALYZE")
    return {
        "cases": have,
        "load_seconds": round(loaded, 1),
        "vacuum_analyze_seconds": round(time.perf_counter() - started - loaded, 1),
    }


def _paths() -> tuple[str, str]:
    """The dashboard of Dalian for last year (a full year of history) and its drill-down."""
    from yiwang import clock

    year = clock.today().year - 1
    dashboard = f"/workbench/indicators/?period=year&on={year}-06-30&region=210200000000"
    drill = (
        f"/workbench/indicators/on_time_rate/cases/?period=custom&from={year}-01-01"
        f"&to={year}-12-31&region=210200000000"
    )
    return dashboard, drill


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

    from yiwang.indicators import rollups

    started = time.perf_counter()
    written = rollups.rebuild() if rebuild else None
    print(f"  roll-up: {written} rows in {time.perf_counter() - started:.1f} s", flush=True)
    roll_up_seconds = round(time.perf_counter() - started, 1) if rebuild else None
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="leader"))
    dashboard, drill = _paths()
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
        cases = selectors.drill_down_counted(slice_, "on_time_rate")  # as the page reads it
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


def _label(frames: list[tuple[str, str]]) -> str:
    """The part of the page a statement belongs to: the function `selectors.dashboard` called
    (and, under `indicator_values`, the one it called), else the innermost function of this app
    (or of any app: the login and the session)."""
    names = [f"{module}.{function}" for module, function in frames]
    anchors = [n for n in names if n.rsplit(".", 1)[1] in ("dashboard", "_dashboard")]
    if anchors and anchors[-1].startswith("indicators.selectors."):
        below = names[names.index(anchors[-1]) + 1 :]
        label = below[0] if below else anchors[-1]
        if label.endswith(".indicator_values") and len(below) > 1:
            label += " / " + below[1].rsplit(".", 1)[1]
        return label
    ours = [name for name in names if name.startswith("indicators.")]
    return (ours or names or ["(outside yiwang)"])[-1]


def _our_frames() -> list[tuple[str, str]]:
    """(module, function) of the yiwang frames on the stack, outermost first."""
    root = str(common.ROOT / "yiwang")
    frames = []
    frame = sys._getframe(2)
    while frame is not None:
        path = frame.f_code.co_filename
        if path.startswith(root):
            module = Path(path).relative_to(root).with_suffix("").as_posix().replace("/", ".")
            frames.append((module, frame.f_code.co_name))
        frame = frame.f_back
    return frames[::-1]


def _explained(sql: str, params) -> tuple[float, float, str]:
    """(planning ms, execution ms, plan) of one SELECT by EXPLAIN (ANALYZE, BUFFERS)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    planning = execution = 0.0
    for line in plan.splitlines():
        if line.startswith("Planning Time:"):
            planning = float(line.split(":")[1].split()[0])
        elif line.startswith("Execution Time:"):
            execution = float(line.split(":")[1].split()[0])
    return planning, execution, plan


def profile(total: int, path: str, name: str) -> dict:
    """One request of the page at `path`: its SQL statements grouped by the part of the page
    that made them, each with its wall time and its EXPLAIN (ANALYZE, BUFFERS) planning and
    execution times; the request's wall and Python CPU time. Plans: var/bench/<name>-<n>.txt."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="leader"))
    client.get(path)  # warm
    statements = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(
                (_label(_our_frames()), sql, params, (time.perf_counter() - started) * 1000)
            )

    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(record):
        response = client.get(path)
    wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    assert response.status_code == 200, response.status_code
    parts: dict[str, dict] = {}
    plans = []
    for label, sql, params, took in statements:
        part = parts.setdefault(
            label, {"statements": 0, "wall_ms": 0.0, "planning_ms": 0.0, "execution_ms": 0.0}
        )
        part["statements"] += 1
        part["wall_ms"] += took
        if sql.lstrip().upper().startswith("SELECT"):
            planning, execution, plan = _explained(sql, params)
            part["planning_ms"] += planning
            part["execution_ms"] += execution
            plans.append(f"-- {label} ({took:.1f} ms wall)\n{sql}\n{params}\n{plan}")
    for part in parts.values():
        for key in ("wall_ms", "planning_ms", "execution_ms"):
            part[key] = round(part[key], 1)
    out = {
        "path": path,
        "wall_ms": round(wall, 1),
        "python_cpu_ms": round(cpu, 1),
        "statements": len(statements),
        "sql_wall_ms": round(sum(s[3] for s in statements), 1),
        "explain_planning_ms": round(sum(p["planning_ms"] for p in parts.values()), 1),
        "explain_execution_ms": round(sum(p["execution_ms"] for p in parts.values()), 1),
        "parts": dict(sorted(parts.items(), key=lambda pair: -pair[1]["execution_ms"])),
        "load_average_1_5_15": [round(value, 2) for value in os.getloadavg()],
    }
    target = common.RESULTS / f"{name}-{total}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n\n".join(plans))
    return out


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
        help="time the kept database (`--keep` of an earlier run) again: migrate it, no fill",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="with --reuse: rebuild the roll-ups first"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="with --reuse: only the statements of one dashboard and one drill-down, each with "
        "EXPLAIN (ANALYZE, BUFFERS), grouped by the part of the page that made it",
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
    from django.core.management import call_command

    from yiwang.cases.models import Case

    call_command("migrate", verbosity=0)  # the branch's new tables and indexes, if any
    total = Case.objects.count()
    if args.profile:
        dashboard, drill = _paths()
        result = {
            "cases": total,
            "dashboard": profile(total, dashboard, "indicators-profile-dashboard"),
            "drill_down": profile(total, drill, "indicators-profile-drill-down"),
        }
        print(json.dumps(result, indent=1), flush=True)
        common.write_result("indicators-profile", {"command": " ".join(sys.argv), **result})
        return
    step = {"cases": total, "reused": True, **measure(args.samples, rebuild=args.rebuild)}
    step["explain"] = str(explain_drill_down(total))
    print(step, flush=True)
    common.write_result("indicators-reuse", {"command": " ".join(sys.argv), "steps": [step]})


if __name__ == "__main__":
    main()
