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

from yiwang.supervision import verify_draw
from yiwang.supervision.models import Plan, PlanEntity

PG_DIRECTORY_HASH = """
SELECT encode(sha256(convert_to(coalesce(string_agg(code, E'\\n' ORDER BY code COLLATE "C"), ''),
       'UTF8')), 'hex')
FROM supervision_planentity WHERE plan_id = %s
"""

# Ordering by the binary digest equals ordering by its lowercase hex (both byte order); the
# digest is computed once per entity and turned into hex only for the drawn ones.
PG_STRATUM_DRAW = """
SELECT code, applicant_id, region_code, sha256(convert_to(%s || ':' || code, 'UTF8')) AS rank
FROM supervision_planentity WHERE plan_id = %s AND grade = %s
ORDER BY rank LIMIT %s
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


def drawn_entities(plan: Plan, seed: str) -> list[tuple[str, str, int, str]]:
    """(key, code, applicant id, region code) of the drawn entities, in task order."""
    if not on_postgresql():
        strata: dict[str, list[str]] = {}
        frozen = {}
        rows = PlanEntity.objects.filter(plan=plan).values_list(
            "grade", "code", "applicant_id", "region_code"
        )
        for grade, code, applicant_id, region_code in rows:
            strata.setdefault(grade, []).append(code)
            frozen[code] = (applicant_id, region_code)
        return [
            (key, code, *frozen[code])
            for key, code in verify_draw.drawn_entities(seed, strata, plan.ratios)
        ]
    chosen: list[tuple[str, str, int, str]] = []
    with connection.cursor() as cursor:
        for grade, size in sorted(stratum_sizes(plan).items()):
            take = verify_draw.take_count(plan.ratios.get(grade, 0), size)
            if take == 0:
                continue
            cursor.execute(PG_STRATUM_DRAW, [seed, plan.pk, grade, take])
            chosen.extend(
                (bytes(rank).hex(), code, applicant_id, region_code)
                for code, applicant_id, region_code, rank in cursor.fetchall()
            )
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


def insert_tasks(rows: list[tuple]) -> list[int]:
    """COPY the drawn tasks with ids taken from the sequence first (PostgreSQL); their ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('supervision_task', 'id'))"
            " FROM generate_series(1, %s)",
            [len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = (
            "id, kind, status, department_id, applicant_id, entity_code, region_code,"
            " licence_type_code, plan_id, draw_order, rank_key, reason, created_at"
        )
        with cursor.cursor.copy(f"COPY supervision_task ({columns}) FROM STDIN") as copy:
            for task_id, row in zip(ids, rows, strict=True):
                copy.write_row((task_id, *row))
    return ids


def insert_assignments(assignments: list[tuple[int, int, str]]) -> None:
    with connection.cursor() as cursor:
        columns = "task_id, staff_id, code"
        with cursor.cursor.copy(f"COPY supervision_taskinspector ({columns}) FROM STDIN") as copy:
            for row in assignments:
                copy.write_row(row)
