"""Supervision: a double-random draw over a directory of 1,000,000 entities on PostgreSQL.

    .venv/bin/python bench/supervision_draw.py [--entities 1000000] [--inspectors 10]

Runs in its own database (`bench_h12_supervision`), made here and dropped at the end. It fills
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
            signed_content, signature, signing_key_id, document_sha256, issued_at, imported)
        SELECT 'BENCH-' || lpad(i::text, 8, '0'), '医疗机构执业许可证', '11100000000002', %s + i,
            %s, %s, '[]', DATE '2025-01-01', DATE '2030-12-31', 'valid', 1, '', '', '', '', '',
            now(), true
        FROM generate_series(0, %s - 1) AS i
        """,
        [first, item, department, total],
    )
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('parties_applicant', 'id'), %s)", [first + total]
    )
    cursor.execute("ANALYZE parties_applicant")
    cursor.execute("ANALYZE licences_licence")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--inspectors", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="print where the draw spends time")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="use the kept database as it is (no fill)"
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
        from yiwang.supervision.models import Task

        admin = get_user_model().objects.get(username="admin")
        health = Department.objects.get(name="大连市卫生健康委员会")
        for index in range(3, 0 if args.reuse else args.inspectors + 1):
            staff_create(
                actor=admin,
                username=f"bench_inspector{index}",
                password="x" * 12,
                display_name=f"执法人员{index}",
                department=health,
                roles=[Role.INSPECTOR],
                certificate_number=f"2102009{index:04d}",
            )
        if not args.reuse:
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                fill(cursor, args.entities)
            out["fill_s"] = round(time.perf_counter() - started, 1)
            print(f"filled {args.entities:,} holders in {out['fill_s']} s", flush=True)
        leader = get_user_model().objects.get(username="leader")
        plan = services.plan_create(
            actor=leader,
            name="基准抽查",
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
        timings = []
        started = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        draw = services.plan_draw(actor=leader, plan_id=plan.pk, witness="bench witness 123")
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
    path = common.write_result("supervision_draw", out)
    print(f"results: {path}")


if __name__ == "__main__":
    main()
