"""The draw rule of API.md applied to a plan's frozen directory and pool.

The rule itself lives in `verify_draw` (standard library only, the file anyone may run). On
PostgreSQL the draw is set-based in the database: the directory is ranked by `sha256` with a
top-N sort per stratum, every task's pool is ordered by `sha256` there too, and tasks and
assignments are written by `INSERT … SELECT`; only the running cap of the rule (a sequential
pass over small integer arrays, the verifier's own `pick_inspectors`) runs in Python. Elsewhere
the verifier's functions run whole. Both give the same draw (tested)."""

from __future__ import annotations

import json

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
# digest is computed once per entity and turned into hex only for the drawn ones. Each stratum
# is a top-N sort, so only the drawn entities are ever held in order.
PG_STRATUM_DRAW = """
(SELECT code, applicant_id, region_code, sha256(convert_to(%s || ':' || code, 'UTF8')) AS rank
 FROM supervision_planentity WHERE plan_id = %s AND grade = %s
 ORDER BY rank LIMIT %s)
"""

# The drawn entities in task order, kept for the statements that follow within the draw.
PG_PICK_TABLE = """
CREATE TEMPORARY TABLE supervision_draw_pick ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY rank) AS draw_order, code, applicant_id, region_code, rank
FROM ({strata}) AS drawn
"""

# Each task's pool order: positions (from 1) in the sorted pool, by sha256(seed:entity:inspector),
# without the inspectors who declared a conflict with the entity. A sort of the pool per task,
# never one sort of tasks × pool.
PG_POOL_ORDERS = """
SELECT ARRAY(
    SELECT pool.position::int
    FROM unnest(%s::text[]) WITH ORDINALITY AS pool(code, position)
    WHERE NOT coalesce((%s::jsonb -> pick.code) ? pool.code, false)
    ORDER BY sha256(convert_to(%s || ':' || pick.code || ':' || pool.code, 'UTF8')))
FROM supervision_draw_pick AS pick
ORDER BY pick.draw_order
"""

# The inspectors the rule took, as (draw order, pool position) in the order taken.
PG_TAKEN_TABLE = """
CREATE TEMPORARY TABLE supervision_draw_taken (taken serial, draw_order bigint, position int)
ON COMMIT DROP
"""

PG_INSERT_TASKS = """
INSERT INTO supervision_task (kind, status, department_id, applicant_id, entity_code,
    region_code, licence_type_code, plan_id, draw_order, rank_key, reason, created_at)
SELECT %s, CASE WHEN coalesce(taken.found, 0) < %s THEN 'needs_inspectors' ELSE 'open' END,
       %s, pick.applicant_id, pick.code, pick.region_code, %s, %s, pick.draw_order,
       encode(pick.rank, 'hex'), '', %s
FROM supervision_draw_pick AS pick
LEFT JOIN (SELECT draw_order, count(*) AS found FROM supervision_draw_taken GROUP BY draw_order)
     AS taken ON taken.draw_order = pick.draw_order
ORDER BY pick.draw_order
"""

# In the order taken: draw_record reads each task's inspectors back by assignment id.
PG_INSERT_ASSIGNMENTS = """
INSERT INTO supervision_taskinspector (task_id, staff_id, code)
SELECT task.id, pool.staff_id, pool.code
FROM supervision_draw_taken AS taken
JOIN supervision_task AS task ON task.plan_id = %s AND task.draw_order = taken.draw_order
JOIN unnest(%s::text[], %s::bigint[]) WITH ORDINALITY AS pool(code, staff_id, position)
     ON pool.position = taken.position
ORDER BY taken.taken
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
    sql, params = _pick_sql(plan, seed)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT code, applicant_id, region_code, rank FROM ({sql}) AS s", params)
        chosen = [
            (bytes(rank).hex(), code, applicant_id, region_code)
            for code, applicant_id, region_code, rank in cursor.fetchall()
        ]
    chosen.sort()
    return chosen


def _pick_sql(plan: Plan, seed: str) -> tuple[str, list]:
    """The union of every stratum's top-N by rank key, as SQL and its parameters."""
    parts, params = [], []
    for grade, size in sorted(stratum_sizes(plan).items()):
        take = verify_draw.take_count(plan.ratios.get(grade, 0), size)
        if take:
            parts.append(PG_STRATUM_DRAW)
            params += [seed, plan.pk, grade, take]
    if not parts:
        # An empty draw keeps the columns (and their types) of a stratum's query.
        return PG_STRATUM_DRAW, [seed, plan.pk, "", 0]
    return " UNION ALL ".join(parts), params


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


def draw_in_database(
    plan: Plan, seed: str, *, kind: str, licence_type: str, now
) -> tuple[int, int]:
    """The whole draw in PostgreSQL, set-based: rank the directory and pick each stratum's
    share, order the pool of every task, write tasks and assignments by INSERT … SELECT. Only
    the running cap of the rule, a sequential pass over small integer arrays
    (`verify_draw.pick_inspectors`), runs in Python. Returns (tasks, tasks short of inspectors).
    """
    sql, params = _pick_sql(plan, seed)
    pool, conflicts = pool_codes(plan)
    staff_of = dict(plan.pool.values_list("code", "staff_id"))
    avoided: dict[str, list[str]] = {}
    for inspector, entities in conflicts.items():
        for entity in entities:
            avoided.setdefault(entity, []).append(inspector)
    per_task = plan.inspectors_per_task
    with connection.cursor() as cursor:
        # Each stratum's top-N sort holds the drawn rows in memory instead of spilling.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("DROP TABLE IF EXISTS supervision_draw_pick, supervision_draw_taken")
        cursor.execute(PG_PICK_TABLE.format(strata=sql), params)
        cursor.execute(PG_POOL_ORDERS, [pool, json.dumps(avoided), seed])
        orders = [[position - 1 for position in row[0]] for row in cursor.fetchall()]
        picks = verify_draw.pick_inspectors(orders, len(pool), per_task)
        cursor.execute(PG_TAKEN_TABLE)
        with cursor.cursor.copy(
            "COPY supervision_draw_taken (draw_order, position) FROM STDIN"
        ) as copy:
            for order, taken in enumerate(picks, start=1):
                for index in taken:
                    copy.write_row((order, index + 1))
        cursor.execute(
            PG_INSERT_TASKS, [kind, per_task, plan.department_id, licence_type, plan.pk, now]
        )
        cursor.execute(PG_INSERT_ASSIGNMENTS, [plan.pk, pool, [staff_of[code] for code in pool]])
        cursor.execute("DROP TABLE supervision_draw_pick, supervision_draw_taken")
    return len(picks), sum(1 for taken in picks if len(taken) < per_task)
