"""EXPLAIN ANALYZE of the staff queue's first page (200 rows), before and after issue 19's
denormalized applicant priority, on a database `bench/scale.py --keep` filled.

Before: main's order (the applicant joined for "A first among equals") with main's
`case_open_queue` index; after: the `applicant_priority` column and the index that now covers
the whole order. Both on the same rows, in one transaction rolled back at the end (the index
swap and the grades given are not kept). A tenth of the generated applicants are made A-graded
first, their cases' priority set as the migration's backfill does, so the tie-break matters.

    .venv/bin/python bench/queue_explain.py --database i19_reads_scale \\
      [--user reviewer] [--status received,…]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

OPEN = "('received', 'correction_requested', 'accepted', 'suspended', 'reviewed', 'approved')"
MAIN_INDEX = (
    "CREATE INDEX case_open_queue ON cases_case (green DESC, due_on, received_at, id) "
    f"INCLUDE (department_id, region_id, status) WHERE status IN {OPEN}"
)


def explain(cursor, queryset) -> tuple[str, float]:
    sql, params = queryset.query.sql_with_params()
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    return plan, float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))


def best_of(cursor, queryset, runs: int = 5) -> tuple[str, float]:
    """The fastest of a few runs (warm cache), with its plan."""
    return min((explain(cursor, queryset) for _ in range(runs)), key=lambda found: found[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--user", default="reviewer")
    parser.add_argument("--status", default=None, help="the queue's status filter (a,b,…)")
    args = parser.parse_args()
    common.django_setup(args.database)
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.db.models import Case, F, Value, When

    from yiwang.cases.selectors import case_queue_for

    user = get_user_model().objects.get(username=args.user)
    after = case_queue_for(user, status=args.status)[:200]
    a_first = Case(When(applicant__credit_grade="A", then=Value(0)), default=Value(1))
    before = case_queue_for(user, status=args.status).order_by(
        "-green", F("due_on").asc(nulls_last=True), a_first, "received_at", "pk"
    )[:200]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE parties_applicant SET credit_grade = 'A' WHERE uscc LIKE %s AND id %% 10 = 0",
            ["9Z%"],
        )
        cursor.execute(
            "UPDATE cases_case c SET applicant_priority = 0 FROM parties_applicant a "
            "WHERE a.id = c.applicant_id AND a.credit_grade = 'A'"
        )
        cursor.execute("ANALYZE parties_applicant; ANALYZE cases_case")
        cursor.execute("SELECT count(*) FROM cases_case")
        total = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM cases_case WHERE status IN {OPEN}")
        open_cases = cursor.fetchone()[0]
        after_plan, after_ms = best_of(cursor, after)
        after_ids = list(after.values_list("pk", flat=True))
        cursor.execute("DROP INDEX case_open_queue")
        cursor.execute(MAIN_INDEX)
        cursor.execute("ANALYZE cases_case")
        before_plan, before_ms = best_of(cursor, before)
        before_ids = list(before.values_list("pk", flat=True))
        transaction.set_rollback(True)
    print(
        f"cases {total:,}, open {open_cases:,}; user {args.user}; same 200 rows: "
        f"{before_ids == after_ids}"
    )
    print(f"\n=== before (main): {before_ms:.2f} ms\n{before_plan}")
    print(f"\n=== after (issue 19): {after_ms:.2f} ms\n{after_plan}")


if __name__ == "__main__":
    main()
