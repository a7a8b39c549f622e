"""The draw rule of API.md applied to a plan's frozen directory and pool.

The rule itself lives in `verify_draw` (standard library only, the file anyone may run). On
PostgreSQL the directory is ranked by `sha256` in the database (a top-N sort per stratum, in
parallel), the tasks are written there by `INSERT … SELECT`, and meanwhile every task's pool
is ordered and the running cap applied in Python by the verifier's own functions; the
assignments follow by one `COPY`. Elsewhere the verifier's functions run whole. Both give the
same draw (tested)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

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

# Written as "open" while Python orders the pools (see draw_in_database); the few tasks that
# found too few inspectors are marked after. The ids come back for the assignments.
PG_INSERT_TASKS = """
INSERT INTO supervision_task (kind, status, department_id, applicant_id, entity_code,
    region_code, licence_type_code, plan_id, draw_order, rank_key, reason, created_at)
SELECT %s, 'open', %s, pick.applicant_id, pick.code, pick.region_code, %s, %s,
       pick.draw_order, encode(pick.rank, 'hex'), '', %s
FROM supervision_draw_pick AS pick
RETURNING draw_order, id
"""

PG_SHORT_TASKS = """
UPDATE supervision_task SET status = 'needs_inspectors'
WHERE plan_id = %s AND draw_order = ANY(%s)
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
    """Entities per stratum of the frozen directory: as counted at commit, or counted now for a
    plan committed before the count was kept."""
    if plan.stratum_sizes:
        return dict(plan.stratum_sizes)
    return count_strata(plan)


def count_strata(plan: Plan) -> dict[str, int]:
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
    """The draw on PostgreSQL. The database ranks the directory (one top-N sort per stratum,
    the drawn entities kept in a temporary table) and writes the tasks from it by
    INSERT … SELECT; meanwhile Python orders every task's pool and runs the running cap with
    the verifier's own functions (`verify_draw.pool_orders`, `pick_inspectors`); the
    assignments are then written by one COPY. Returns (tasks, tasks short of inspectors)."""
    sql, params = _pick_sql(plan, seed)
    pool, conflicts = pool_codes(plan)
    staff_of = dict(plan.pool.values_list("code", "staff_id"))
    # Each pool position's "staff id <TAB> certificate number", as COPY takes them.
    staff = [f"{staff_of[code]}\t{_copy_text(code)}" for code in pool]
    per_task = plan.inspectors_per_task
    with connection.cursor() as cursor:
        # Each stratum's top-N sort holds the drawn rows in memory instead of spilling.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # JIT compiling the ranking statement took longer (0.3 s) than it saved.
        cursor.execute("SET LOCAL jit = off")
        # Each stratum read through the (plan, grade) index as a bitmap: the planner would
        # rather walk the plan's index in order and filter the grade, visiting every entity
        # of the plan once per stratum (0.92 s against 0.82 s for the ranking, idle).
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("DROP TABLE IF EXISTS supervision_draw_pick")
        cursor.execute(PG_PICK_TABLE.format(strata=sql), params)
        cursor.execute("SELECT code FROM supervision_draw_pick ORDER BY draw_order")
        entities = [code for (code,) in cursor.fetchall()]
        # The database writes the tasks (one core) while this process hashes the pools (the
        # other): the task rows do not depend on the inspectors but for the status of the
        # rare task short of them, set after. Nothing else touches the connection meanwhile.
        with ThreadPoolExecutor(max_workers=1) as executor:
            writing = executor.submit(
                _execute_raw,
                # Django's connection is per thread: hand over this one's own.
                connection.connection,
                PG_INSERT_TASKS,
                [kind, plan.department_id, licence_type, plan.pk, now],
            )
            try:
                # Every task's pool order by the verifier's own function: hashlib, with the
                # seed's block hashed once, is faster per digest than PostgreSQL's sha256().
                orders = verify_draw.pool_orders(seed, entities, pool, conflicts)
                picks = verify_draw.pick_inspectors(orders, len(pool), per_task)
            finally:
                written = writing.result()
        task_ids = [0] * len(picks)
        for order, task_id in written:
            task_ids[order - 1] = task_id
        short = [order for order, taken in enumerate(picks, start=1) if len(taken) < per_task]
        if short:
            cursor.execute(PG_SHORT_TASKS, [plan.pk, short])
        with cursor.cursor.copy(
            "COPY supervision_taskinspector (task_id, staff_id, code) FROM STDIN"
        ) as copy:
            # One block of text, in the order taken (draw_record reads each task's inspectors
            # by assignment id): COPY row by row cost more in Python than the rows did here.
            copy.write(
                "".join(
                    f"{task_id}\t{staff[index]}\n"
                    for task_id, taken in zip(task_ids, picks, strict=True)
                    for index in taken
                )
            )
        cursor.execute("DROP TABLE supervision_draw_pick")
    return len(picks), len(short)


def _copy_text(value: str) -> str:
    """A value in COPY's text format (backslash, tab and line breaks escaped)."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _execute_raw(raw_connection, sql: str, params: list) -> list[tuple]:
    with raw_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
