"""Supervision: a double-random draw over a directory of 1,000,000 entities on PostgreSQL.

    .venv/bin/python bench/supervision_draw.py [--entities 1000000] [--inspectors 10]
        [--keep] [--reuse] [--undo] [--explain] [--profile]

Runs in its own database (`bench_h12_supervision`), made here and dropped at the end (`--keep`
leaves it; `--reuse` runs in the kept one, filling it only if it is empty, and draws again a
plan that `--undo` left committed, so neither the fill nor the commit is repeated). It fills
the register with N holders of a valid licence (grades A 20%, B 50%, C 20%, D 10%) by one
INSERT … SELECT each, then times the plan's commit (freeze of the directory, directory hash)
and the draw (hash-ranking in the database, inspectors assigned, tasks written), and checks
the draw against the stand-alone verifier's rule on the published record. Bounded: one fill,
one commit, one draw; a statement timeout stops any runaway query.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

DATABASE = "bench_h12_supervision"
WITNESS = "bench witness 123"
PLAN_NAME = "基准抽查"
RATIOS = {"A": "0.02", "B": "0.05", "C": "0.1", "D": "0.3"}


def fill(cursor, total: int) -> None:
    cursor.execute("SET statement_timeout = '600s'")
    cursor.execute("SELECT id FROM regions_region ORDER BY code")
    regions = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT id FROM regions_department WHERE name = '大连市卫生健康委员会'")
    department = cursor.fetchone()[0]
    cursor.execute("SELECT id FROM catalog_item WHERE code = '010010020000'")
    item = cursor.fetchone()[0]
    cursor.execute("SELECT coalesce(max(id), 0) FROM parties_applicant")
    first = cursor.fetchone()[0] + 1
    cursor.execute(
        """
        INSERT INTO parties_applicant (id, kind, name, uscc, region_id, address,
            legal_representative, phone, email, institution_category, practice_licence_number,
            credit_grade, black_listed, red_listed, created_at)
        SELECT %s + i, 'medical_institution', '基准诊所' || i, '52' || lpad(i::text, 16, '0'),
            (%s::bigint[])[1 + i %% %s], '', '', '', '', '诊所', '',
            CASE WHEN i %% 10 < 2 THEN 'A' WHEN i %% 10 < 7 THEN 'B'
                 WHEN i %% 10 < 9 THEN 'C' ELSE 'D' END,
            false, false, now()
        FROM generate_series(0, %s - 1) AS i
        """,
        [first, regions, len(regions), total],
    )
    cursor.execute(
        """
        INSERT INTO licences_licence (number, licence_type, licence_type_code, holder_id, item_id,
            department_id, scope, valid_from, valid_until, status, version, elicence_id,
            signed_content, signature, signing_key_id, document_sha256, issued_at, imported,
            particulars, licence_type_en)
        SELECT 'BENCH-' || lpad(i::text, 8, '0'), '医疗机构执业许可证', '11100000000002', %s + i,
            %s, %s, '[]', DATE '2025-01-01', DATE '2030-12-31', 'valid', 1, '', '', '', '', '',
            now(), true, '{}', ''
        FROM generate_series(0, %s - 1) AS i
        """,
        [first, item, department, total],
    )
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('parties_applicant', 'id'), %s)", [first + total]
    )
    cursor.execute("ANALYZE parties_applicant")
    cursor.execute("ANALYZE licences_licence")


def explain_draw(plan, seed: str) -> dict:
    """The draw's statements once more, each under EXPLAIN (ANALYZE, BUFFERS), in a transaction
    that is rolled back; at the end the deferred foreign-key checks are made immediate and
    timed (`SET CONSTRAINTS ALL IMMEDIATE`), which is what the draw's COMMIT runs first."""
    import psycopg
    from django.db import connection, transaction

    from yiwang.supervision import drawing

    steps: dict[str, float] = {}

    def explained(execute, sql, params, many, context):
        head = " ".join(sql.split())[:70]
        started = time.perf_counter()
        words = sql.split()
        explainable = words[0].upper() in ("SELECT", "INSERT") or (
            words[0].upper() == "CREATE" and "AS" in words[:8]
        )
        if not explainable:
            result = execute(sql, params, many, context)
            steps[head] = round(time.perf_counter() - started, 3)
            return result
        execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params, many, context)
        lines = [row[0] for row in context["cursor"].fetchall()]
        steps[head] = round(time.perf_counter() - started, 3)
        print(f"-- {steps[head]} s: {head}\n" + "\n".join(lines) + "\n", flush=True)
        if sql.lstrip().upper().startswith("SELECT"):
            # The caller reads the rows: run it once more for them (not timed here).
            return execute(sql, params, many, context)
        return None

    def explained_raw(raw_connection, sql, params):
        # The task INSERT runs on a thread beside the pool hashing: explained under a savepoint
        # rolled back, then run for its RETURNING rows (not timed here).
        head = " ".join(sql.split())[:70]
        with raw_connection.cursor() as cursor:
            cursor.execute("SAVEPOINT bench_explain")
            started = time.perf_counter()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            lines = [row[0] for row in cursor.fetchall()]
            steps[head] = round(time.perf_counter() - started, 3)
            cursor.execute("ROLLBACK TO SAVEPOINT bench_explain")
            print(f"-- {steps[head]} s: {head}\n" + "\n".join(lines) + "\n", flush=True)
            cursor.execute(sql, params)
            return cursor.fetchall()

    def timed(name, function):
        def run(*args, **kwargs):
            started = time.perf_counter()
            result = function(*args, **kwargs)
            steps[name] = round(time.perf_counter() - started, 3)
            return result

        return run

    pool_orders, pick_inspectors = (
        drawing.verify_draw.pool_orders,
        drawing.verify_draw.pick_inspectors,
    )
    raw = drawing._execute_raw
    copy = psycopg.Cursor.copy

    @contextlib.contextmanager
    def timed_copy(cursor, statement, *args, **kwargs):
        started = time.perf_counter()
        with copy(cursor, statement, *args, **kwargs) as running:
            yield running
        steps[" ".join(statement.split())[:70]] = round(time.perf_counter() - started, 3)

    with transaction.atomic():
        try:
            psycopg.Cursor.copy = timed_copy
            drawing._execute_raw = explained_raw
            drawing.verify_draw.pool_orders = timed(
                "Python: pool orders (verify_draw.pool_orders)", pool_orders
            )
            drawing.verify_draw.pick_inspectors = timed(
                "Python: running cap (pick_inspectors)", pick_inspectors
            )
            started = time.perf_counter()
            with connection.execute_wrapper(explained):
                drawing.draw_in_database(
                    plan, seed, kind="drawn", licence_type="", now=plan.committed_at
                )
            steps["draw_in_database, all (explained statements run twice)"] = round(
                time.perf_counter() - started, 3
            )
        finally:
            psycopg.Cursor.copy = copy
            drawing._execute_raw = raw
            drawing.verify_draw.pool_orders = pool_orders
            drawing.verify_draw.pick_inspectors = pick_inspectors
        with connection.cursor() as cursor:
            # One deferred foreign key after another: each runs its per-row checks when made
            # immediate, so each one's share of the COMMIT shows.
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE contype = 'f' AND condeferred"
                " AND conrelid IN ('supervision_task'::regclass,"
                " 'supervision_taskinspector'::regclass) ORDER BY conname"
            )
            for (name,) in cursor.fetchall():
                started = time.perf_counter()
                cursor.execute(f'SET CONSTRAINTS "{name}" IMMEDIATE')
                steps[f"deferred check {name}"] = round(time.perf_counter() - started, 3)
            started = time.perf_counter()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            steps["other deferred checks"] = round(time.perf_counter() - started, 3)
        transaction.set_rollback(True)
    for head, seconds in steps.items():
        print(f"{seconds:8.3f} s  {head}")
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--inspectors", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="print where the draw spends time")
    parser.add_argument(
        "--undo",
        action="store_true",
        help="after the check, delete the draw and its tasks and leave the plan committed, so "
        "that the next --reuse run draws it again",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="first run the draw's statements under EXPLAIN (ANALYZE, BUFFERS), rolled back",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the kept database as it is (filled only if it holds no bench holders yet)",
    )
    args = parser.parse_args()
    out = {"command": " ".join(["bench/supervision_draw.py", *sys.argv[1:]])}
    context = (
        contextlib.nullcontext(DATABASE)
        if args.reuse
        else common.bench_database(DATABASE, keep=args.keep)
    )
    with context as database:
        common.django_setup(database)
        from django.contrib.auth import get_user_model
        from django.db import connection, transaction

        from yiwang.regions.models import Department, Role
        from yiwang.regions.services import staff_create
        from yiwang.supervision import drawing, services, verify_draw
        from yiwang.supervision.models import Plan, Task

        admin = get_user_model().objects.get(username="admin")
        health = Department.objects.get(name="大连市卫生健康委员会")
        taken = set(get_user_model().objects.values_list("username", flat=True))
        for index in range(3, args.inspectors + 1):
            if f"bench_inspector{index}" in taken:
                continue
            staff_create(
                actor=admin,
                username=f"bench_inspector{index}",
                password="x" * 12,
                display_name=f"执法人员{index}",
                department=health,
                roles=[Role.INSPECTOR],
                certificate_number=f"2102009{index:04d}",
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM licences_licence WHERE number = 'BENCH-00000000')"
            )
            filled = cursor.fetchone()[0]
        if not filled:
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                fill(cursor, args.entities)
            out["fill_s"] = round(time.perf_counter() - started, 1)
            print(f"filled {args.entities:,} holders in {out['fill_s']} s", flush=True)
        leader = get_user_model().objects.get(username="leader")
        # --reuse draws again a plan left committed by --undo (no second freeze of the directory).
        plan = (
            Plan.objects.filter(name=PLAN_NAME, status=Plan.Status.COMMITTED).last()
            if args.reuse
            else None
        )
        if plan is None:
            plan = services.plan_create(
                actor=leader,
                name=PLAN_NAME,
                year=2026,
                licence_types=["11100000000002"],
                region_code="210200000000",
                ratios=RATIOS,
                inspectors_per_task=2,
            )
            started = time.perf_counter()
            plan = services.plan_commit(actor=leader, plan_id=plan.pk)
            out["commit_s"] = round(time.perf_counter() - started, 2)
            print(f"commit (freeze {plan.directory_size:,}, hash): {out['commit_s']} s", flush=True)
        else:
            print(f"drawing again the committed plan {plan.pk} ({plan.directory_size:,})")
        if args.explain:
            out["explain"] = explain_draw(plan, verify_draw.seed_of(plan.secret, WITNESS))
        timings = []
        started = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        draw = services.plan_draw(actor=leader, plan_id=plan.pk, witness=WITNESS)
        timings.append(time.perf_counter() - started)
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        out["draw_s"] = round(timings[0], 2)
        out["directory"] = plan.directory_size
        out["tasks"] = draw.task_count
        out["pool"] = plan.pool.count()
        print(f"draw: {out['draw_s']} s → {draw.task_count:,} tasks", flush=True)
        plan.refresh_from_db()
        started = time.perf_counter()
        record = drawing.draw_record(plan)
        out["record_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        out["verifier_problems"] = verify_draw.problems(record)
        out["verify_s"] = round(time.perf_counter() - started, 2)
        out["tasks_written"] = Task.objects.filter(plan=plan).count()
        print(
            f"record {out['record_s']} s; verifier {out['verify_s']} s: "
            f"{out['verifier_problems'] or 'MATCH'}",
            flush=True,
        )
        if args.undo:
            # Raw deletes: the ORM's collector would read the 70,000 tasks' relations first.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM supervision_taskinspector AS a USING supervision_task AS t"
                    " WHERE a.task_id = t.id AND t.plan_id = %s",
                    [plan.pk],
                )
                cursor.execute("DELETE FROM supervision_task WHERE plan_id = %s", [plan.pk])
                cursor.execute("DELETE FROM supervision_draw WHERE plan_id = %s", [plan.pk])
                cursor.execute(
                    "UPDATE supervision_plan SET status = 'committed' WHERE id = %s", [plan.pk]
                )
            with connection.cursor() as cursor:
                cursor.execute("VACUUM supervision_task")
                cursor.execute("VACUUM supervision_taskinspector")
            print(f"undone: plan {plan.pk} is committed again")
    path = common.write_result("supervision_draw", out)
    print(f"results: {path}")


if __name__ == "__main__":
    main()
