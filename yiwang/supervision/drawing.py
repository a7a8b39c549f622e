"""The draw rule of API.md applied to a plan's frozen directory and pool.

The rule itself lives in `verify_draw` (standard library only, the file anyone may run). On
PostgreSQL the hashing and the ordering of the directory happen in the database (`sha256`, a
top-N sort per stratum), so a directory of a million entities is drawn without moving it to
Python; elsewhere the same functions of `verify_draw` run in Python. Both give the same list
(tested).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count

from yiwang import clock
from yiwang.supervision import verify_draw
from yiwang.supervision.models import Plan, PlanEntity

PG_DIRECTORY_HASH = """
SELECT encode(sha256(convert_to(coalesce(string_agg(code, E'\\n' ORDER BY code COLLATE "C"), ''),
       'UTF8')), 'hex')
FROM supervision_planentity WHERE plan_id = %s
"""

# Ordering by the binary digest equals ordering by its lowercase hex (both byte order).
PG_STRATUM_DRAW = """
SELECT code, encode(sha256(convert_to(%s || ':' || code, 'UTF8')), 'hex')
FROM supervision_planentity WHERE plan_id = %s AND grade = %s
ORDER BY sha256(convert_to(%s || ':' || code, 'UTF8')) LIMIT %s
"""


PG_INSERT_TASKS = """
INSERT INTO supervision_task (kind, status, department_id, applicant_id, entity_code,
    region_code, licence_type_code, plan_id, draw_order, rank_key, reason, created_at)
SELECT %s, drawn.status, %s, entity.applicant_id, entity.code, entity.region_code, %s, %s,
    drawn.draw_order, drawn.rank_key, '', %s
FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[])
    AS drawn(code, draw_order, rank_key, status)
JOIN supervision_planentity entity ON entity.plan_id = %s AND entity.code = drawn.code
RETURNING entity_code, id
"""

PG_INSERT_ASSIGNMENTS = """
INSERT INTO supervision_taskinspector (task_id, staff_id, code)
SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[])
"""


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def directory_hash(plan: Plan) -> str:
    if on_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(PG_DIRECTORY_HASH, [plan.pk])
            return cursor.fetchone()[0]
    codes = PlanEntity.objects.filter(plan=plan).values_list("code", flat=True)
    return verify_draw.directory_hash_of(list(codes))


def stratum_sizes(plan: Plan) -> dict[str, int]:
    rows = PlanEntity.objects.filter(plan=plan).values("grade").annotate(size=Count("pk"))
    return {row["grade"]: row["size"] for row in rows.order_by()}


def drawn_entities(plan: Plan, seed: str) -> list[tuple[str, str]]:
    """(key, code) of the drawn entities in task order."""
    if not on_postgresql():
        strata: dict[str, list[str]] = {}
        for grade, code in PlanEntity.objects.filter(plan=plan).values_list("grade", "code"):
            strata.setdefault(grade, []).append(code)
        return verify_draw.drawn_entities(seed, strata, plan.ratios)
    chosen: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        for grade, size in sorted(stratum_sizes(plan).items()):
            take = verify_draw.take_count(plan.ratios.get(grade, 0), size)
            if take == 0:
                continue
            cursor.execute(PG_STRATUM_DRAW, [seed, plan.pk, grade, seed, take])
            chosen.extend((key, code) for code, key in cursor.fetchall())
    chosen.sort()
    return chosen


def pool_codes(plan: Plan) -> tuple[list[str], dict[str, list[str]]]:
    pool, conflicts = [], {}
    for code, declared in plan.pool.values_list("code", "conflicts"):
        pool.append(code)
        if declared:
            conflicts[code] = sorted(declared)
    return sorted(pool), conflicts


def draw_record(plan: Plan) -> dict:
    """The public record of a drawn plan: everything the verifier needs, the secret revealed."""
    draw = plan.draw
    strata: dict[str, list[str]] = {grade: [] for grade in stratum_sizes(plan)}
    codes = PlanEntity.objects.filter(plan=plan).values_list("grade", "code")
    for grade, code in codes.order_by():
        strata[grade].append(code)
    for members in strata.values():
        members.sort()
    pool, conflicts = pool_codes(plan)
    tasks = []
    task_rows = plan.tasks.filter(kind__in=("drawn", "point_to_area")).order_by("draw_order")
    inspectors: dict[int, list[str]] = {}
    for task_id, code in (
        plan.tasks.filter(assignments__isnull=False)
        .values_list("pk", "assignments__code")
        .order_by("assignments__pk")
    ):
        inspectors.setdefault(task_id, []).append(code)
    for task in task_rows.values("pk", "entity_code", "status"):
        tasks.append(
            {
                "entity": task["entity_code"],
                "inspectors": inspectors.get(task["pk"], []),
                "needs_inspectors": task["status"] == "needs_inspectors",
                "task_id": task["pk"],
            }
        )
    return {
        "id": draw.pk,
        "plan": {"id": plan.pk, "name": plan.name, "year": plan.year, "kind": plan.kind},
        "secret": plan.secret,
        "seed_commitment": plan.seed_commitment,
        "witness": draw.witness,
        "seed": draw.seed,
        "directory_hash": plan.directory_hash,
        "pool_hash": plan.pool_hash,
        "committed_at": plan.committed_at.isoformat(),
        "drawn_at": draw.drawn_at.isoformat(),
        "strata": strata,
        "ratios": {grade: str(ratio) for grade, ratio in plan.ratios.items()},
        "inspectors_per_task": plan.inspectors_per_task,
        "pool": pool,
        "conflicts": conflicts,
        "tasks": tasks,
    }


def insert_tasks(plan: Plan, rows: list[tuple], *, kind: str, licence_type: str) -> dict[str, int]:
    """One INSERT … SELECT for every drawn task (PostgreSQL); entity code → task id."""
    codes, orders, keys, statuses = (
        (list(column) for column in zip(*rows, strict=True)) if rows else ([], [], [], [])
    )
    with connection.cursor() as cursor:
        cursor.execute(
            PG_INSERT_TASKS,
            [
                kind,
                plan.department_id,
                licence_type,
                plan.pk,
                clock.now(),
                codes,
                orders,
                keys,
                statuses,
                plan.pk,
            ],
        )
        return dict(cursor.fetchall())


def insert_assignments(assignments: list[tuple[int, int, str]]) -> None:
    if not assignments:
        return
    task_ids, staff_ids, codes = (list(column) for column in zip(*assignments, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(PG_INSERT_ASSIGNMENTS, [task_ids, staff_ids, codes])
