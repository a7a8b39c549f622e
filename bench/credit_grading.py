"""Benchmark: grading N entities set-based on PostgreSQL (issue 13: 1,000,000 in under 60 s).

Run: .venv/bin/python bench/credit_grading.py --entities 1000000 --facts 300000
     [--server postgres://postgres@127.0.0.1:5432/] [--database NAME] [--keep] [--budget 1200]
     [--load-only] [--template NAME]

Creates a throwaway database (`--database`, default `$BENCH_DB` or `yiwang_bench_credit`),
migrates it, loads the demo's regions, departments, applicants and the credit reference data
(score card v1, list rules, four lists), inserts N medical institutions and F facts in
`INSERT … SELECT generate_series` (one fact for about every third entity: confirmed
commitments, compliant inspections, rectifications, general penalties, upheld complaints),
then times, through the services:

1. the first pass over everyone (a standing for each entity, a history row for each move);
2. the daily pass when nothing changed;
3. the daily pass after 20,000 more facts;
4. the preview of a score card v2 (lower A threshold) and putting it in force.

To time the passes again without loading again: `--load-only --keep --database BASE` once,
then `--template BASE --database RUN` copies the loaded database (CREATE DATABASE … TEMPLATE)
and runs only the passes. Each step prints the load average: the machine may be shared.

Checks that v2 moved exactly the previewed counts. Stops by itself when the budget (seconds)
is spent, and drops the database at the end (unless --keep). Results: docs/performance.md.
"""

import argparse
import datetime
import importlib
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

# A database of its own (BENCH_DB or --database), so that benchmarks never share one.
DATABASE = os.environ.get("BENCH_DB", "yiwang_bench_credit")

ENTITIES = """
INSERT INTO parties_applicant (
    kind, name, uscc, id_number, region_id, address, legal_representative, phone, email,
    institution_category, beds, practice_licence_number, credit_grade, black_listed,
    red_listed, created_at
)
SELECT 'medical_institution', '基准医疗机构' || i, 'BENCH' || lpad(i::text, 13, '0'), NULL,
       %(region)s, '', '', '', '', '诊所', NULL, '', 'B', false, false, now()
FROM generate_series(1, %(count)s) AS i
"""

FACTS = """
INSERT INTO credit_creditfact (
    applicant_id, entity_code, department_id, source, record_id, kind, severity, occurred_on,
    source_document, summary, valid_from, valid_until, repairable_from, status, ended_on,
    inclusive_measure_id, recorded_at, recorded_by_id
)
SELECT a.id, a.uscc, %(department)s, 'health', %(prefix)s || g,
       (ARRAY['commitment_kept', 'inspection_compliant', 'inspection_rectify', 'penalty',
              'complaint_upheld'])[1 + g %% 5],
       (ARRAY['minor', 'minor', 'minor', 'general', 'minor'])[1 + g %% 5],
       DATE '2026-06-01' + (g %% 150), 'bench', '',
       DATE '2026-06-01' + (g %% 150), DATE '2027-06-01' + (g %% 150),
       DATE '2026-09-01' + (g %% 150), 'active', NULL, NULL, now(), NULL
FROM generate_series(1, %(count)s) AS g
JOIN parties_applicant a
  ON a.id = %(first)s + ((g::bigint * %(stride)s + %(shift)s) %% %(entities)s)
"""


def server_connection(server: str):
    return psycopg.connect(server.rstrip("/") + "/postgres", autocommit=True)


def with_database(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def setup_django(url: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()


class Budget:
    def __init__(self, seconds: float):
        self.ends = time.monotonic() + seconds

    def check(self, step: str) -> None:
        if time.monotonic() > self.ends:
            raise SystemExit(f"budget spent before {step}: stopping")


def timed(label: str, action):
    """Run and time one step; the load average (1 min) is printed with it: the CPU is shared."""
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"{label:<40} {seconds:8.2f} s   load {os.getloadavg()[0]:.1f}", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--facts", type=int, default=300_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/")
    parser.add_argument("--database", default=DATABASE, help="a database name of your own")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--load-only", action="store_true", help="stop after loading (a template, with --keep)"
    )
    parser.add_argument(
        "--template", help="copy this loaded database (made with --load-only --keep) instead"
    )
    parser.add_argument("--budget", type=float, default=1200, help="stop after these seconds")
    parser.add_argument(
        "--show-slower-than", type=float, default=0.5, help="print statements slower than this"
    )
    options = parser.parse_args()

    with server_connection(options.server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)')
        template = f' TEMPLATE "{options.template}"' if options.template else ""
        connection.execute(f'CREATE DATABASE "{options.database}"{template}')
    try:
        run(options, Budget(options.budget))
    finally:
        if not options.keep:
            from django.db import connections

            connections.close_all()
            with server_connection(options.server) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)')


def run(options, budget: Budget) -> None:
    setup_django(with_database(options.server, options.database))
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from yiwang.credit.demo import reference_data
    from yiwang.credit.grading import (
        grade_everyone,
        scorecard_activate,
        scorecard_create,
        scorecard_preview,
    )
    from yiwang.credit.models import CreditStanding, GradeRecord
    from yiwang.events.models import Event
    from yiwang.parties.models import Applicant
    from yiwang.regions.models import Department, Region

    call_command("migrate", verbosity=0)
    if options.template:
        admin = get_user_model().objects.get(username="admin")
    else:
        with transaction.atomic():
            admin = get_user_model().objects.create_superuser(username="admin", password=None)
            for step in ("regions", "parties", "catalog", "credit"):
                importlib.import_module(f"yiwang.{step}.demo").load(admin)
    region = Region.objects.get(code="210202000000").pk
    department = Department.objects.get(name="大连市卫生健康委员会").pk
    if not options.template:
        with connection.cursor() as cursor:
            timed(
                f"insert {options.entities:,} entities",
                lambda: cursor.execute(ENTITIES, {"region": region, "count": options.entities}),
            )
    first = Applicant.objects.filter(uscc__startswith="BENCH").order_by("pk").first().pk
    facts = {
        "department": department,
        "first": first,
        "entities": options.entities,
        "count": options.facts,
        "prefix": "bench-",
        "stride": 7919,
        "shift": 0,
    }
    if not options.template:
        with connection.cursor() as cursor:
            timed(f"insert {options.facts:,} facts", lambda: cursor.execute(FACTS, facts))
            cursor.execute("ANALYZE")
    if options.load_only:
        return
    total = Applicant.objects.exclude(kind="person").count()
    rows = []

    def slow_statements(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - start
            if seconds > options.show_slower_than:
                print(f"    {seconds:6.2f} s  {' '.join(sql.split())[:110]}", flush=True)

    def step(label: str, action):
        budget.check(label)
        with connection.execute_wrapper(slow_statements):
            result, seconds = timed(label, action)
        rows.append((label, result, seconds))
        return result

    events_before = Event.objects.filter(name="credit.grade_changed").count()
    changes = step("first pass over everyone", lambda: grade_everyone(reason="bench first pass"))
    assert CreditStanding.objects.count() == total
    step("daily pass, nothing changed", lambda: grade_everyone(reason="bench daily"))
    with connection.cursor() as cursor:
        # Another stride, so that the new facts fall on entities with and without facts.
        more = {**facts, "count": 20_000, "prefix": "bench-more-", "stride": 104_729, "shift": 1}
        cursor.execute(FACTS, more)
    step("daily pass after 20,000 new facts", lambda: grade_everyone(reason="bench daily"))
    indicators = reference_data()["scorecard"]["indicators"]
    card = scorecard_create(
        actor=admin,
        name="bench v2",
        base_score=80,
        a_min=85,
        b_min=70,
        c_min=50,
        indicators=indicators,
    )
    preview = step("preview score card v2", lambda: scorecard_preview(actor=admin, card=card))
    applied = step("put score card v2 in force", lambda: scorecard_activate(actor=admin, card=card))
    assert applied["moves"] == preview["moves"], (applied["moves"], preview["moves"])
    events = Event.objects.filter(name="credit.grade_changed").count() - events_before
    history = GradeRecord.objects.count()

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    print()
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, PostgreSQL {server_version}, {datetime.date.today()}"
    )
    print(f"entities graded: {total:,}; facts: {options.facts + 20_000:,}")
    print("| step | grades changed | seconds |")
    print("| --- | ---: | ---: |")
    for label, result, seconds in rows:
        if isinstance(result, list):
            moved = len(result)
        elif "changed" in result:
            moved = result["changed"]
        else:
            moved = result["moving"]
        print(f"| {label} | {moved:,} | {seconds:.2f} |")
    print(f"first pass moves: {len(changes):,}; v2 moves: {preview['moves']}")
    print(f"credit.grade_changed events published: {events:,}; history rows: {history:,}")


if __name__ == "__main__":
    main()
