"""Plans and draws (双随机): create, commit (freeze directory and pool, publish the commitment),
draw (the witness's value turns the secret into the tasks); and inspectors' declared conflicts.
Every write is one transaction with its audit record."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.errors import Conflict, InvalidInput, invalid_field
from yiwang.permissions import Action, require, scope_of
from yiwang.regions.models import PREFIX_LENGTH, Region, Role, Staff
from yiwang.supervision import drawing, verify_draw
from yiwang.supervision.directory import GRADES, UNGRADED, directory
from yiwang.supervision.models import (
    Draw,
    InspectorConflict,
    Plan,
    PlanInspector,
    Task,
    TaskInspector,
)

RATIO_RULE = _("A sampling ratio is a decimal from 0 to 1 with at most 4 places.")
PER_TASK_RULE = _("At least two inspectors go on every inspection (双随机).")
POOL_RULE = _("The inspector pool needs at least two inspectors, and no fewer than per task.")
PLAN_FIELDS = ["status", "seed_commitment", "directory_hash", "pool_hash", "committed_at"]


def _ratios(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise invalid_field("ratios", RATIO_RULE, code="ratio_invalid")
    ratios: dict[str, str] = {}
    for grade in (*GRADES, UNGRADED):
        if grade not in raw:
            if grade == UNGRADED:
                continue
            raise invalid_field(f"ratios.{grade}", RATIO_RULE, code="ratio_missing")
        try:
            value = Decimal(str(raw[grade]))
        except InvalidOperation:
            raise invalid_field(f"ratios.{grade}", RATIO_RULE, code="ratio_invalid") from None
        exponent = value.as_tuple().exponent
        if not value.is_finite() or not 0 <= value <= 1 or (exponent < -4 and value != 0):
            raise invalid_field(f"ratios.{grade}", RATIO_RULE, code="ratio_out_of_range")
        ratios[grade] = format(value.normalize(), "f")
    unknown = sorted(set(raw) - {*GRADES, UNGRADED})
    if unknown:
        raise invalid_field(f"ratios.{unknown[0]}", RATIO_RULE, code="ratio_unknown_grade")
    # Entities without a grade are sampled like grade B (the grade a new holder starts with).
    ratios.setdefault(UNGRADED, ratios["B"])
    return ratios


def _pool(*, department, usernames: list[str] | None) -> list[Staff]:
    inspectors = Staff.objects.filter(
        department=department, is_active=True, roles__role=Role.INSPECTOR
    ).select_related("user")
    if usernames:
        chosen = list(inspectors.filter(user__username__in=usernames))
        missing = sorted(set(usernames) - {staff.user.username for staff in chosen})
        if missing:
            raise invalid_field(
                "inspector_pool",
                _("Not an inspector of this department: %(names)s.")
                % {"names": ", ".join(missing)},
                code="not_an_inspector",
            )
    else:
        chosen = list(inspectors)
    uncertified = [staff.user.username for staff in chosen if not staff.certificate_number]
    if uncertified:
        raise invalid_field(
            "inspector_pool",
            _("Inspectors need an enforcement certificate number (执法证号): %(names)s.")
            % {"names": ", ".join(sorted(uncertified))},
            code="no_certificate",
        )
    codes = [staff.certificate_number for staff in chosen]
    shared = sorted({code for code in codes if codes.count(code) > 1})
    if shared:
        raise invalid_field(
            "inspector_pool",
            _("Two inspectors share an enforcement certificate number: %(codes)s.")
            % {"codes": ", ".join(shared)},
            code="shared_certificate",
        )
    return chosen


def plan_create(
    *,
    actor: Any,
    name: str,
    year: int,
    licence_types: list[str],
    region_code: str,
    ratios: dict,
    inspectors_per_task: int = 2,
    inspector_pool: list[str] | None = None,
    kind: str = Plan.Kind.YEARLY,
    source_inspection=None,
) -> Plan:
    """A draft plan of the actor's department; the pool is checked now and frozen at commit."""
    scope = scope_of(actor)
    name = (name or "").strip()
    if not name:
        raise invalid_field("name", _("Give the plan a name."), code="required")
    if not 2000 <= int(year) <= 2100:
        raise invalid_field("year", _("Give the plan's year (2000–2100)."), code="year_invalid")
    clean_ratios = _ratios(ratios)
    if int(inspectors_per_task) < 2:
        raise invalid_field("inspectors_per_task", PER_TASK_RULE, code="too_few_per_task")
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise invalid_field("region_code", _("No region has this division code."), code="unknown")
    staff = Staff.objects.select_related("department").filter(user_id=actor.pk).first()
    if staff is None:
        raise invalid_field("department", _("Only staff of a department plan inspections."))
    plan = Plan(
        name=name,
        year=int(year),
        kind=kind,
        department=staff.department,
        region=region,
        licence_types=sorted({str(code) for code in licence_types or []}),
        ratios=clean_ratios,
        inspectors_per_task=int(inspectors_per_task),
        requested_pool=sorted(set(inspector_pool or [])),
        source_inspection=source_inspection,
        created_by=actor,
        created_at=clock.now(),
    )
    require(actor, Action.SUPERVISION_PLAN, plan)
    if scope.region_prefix and not region.code.startswith(scope.region_prefix):
        raise invalid_field("region_code", _("The region lies outside the one you cover."))
    pool = _pool(department=staff.department, usernames=plan.requested_pool)
    if len(pool) < max(2, plan.inspectors_per_task):
        raise invalid_field("inspector_pool", POOL_RULE, code="pool_too_small")
    with transaction.atomic():
        plan.save()
        audit_record(actor=actor, action="supervision.plan.create", obj=plan, after=snapshot(plan))
    return plan


def _locked_plan(plan_id: int) -> Plan:
    plan = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("region", "department")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise invalid_field("plan", _("No such plan."), code="not_found")
    return plan


def _freeze_directory(plan: Plan) -> int:
    """INSERT … SELECT the plan's directory into its frozen copy, in the database."""
    rows = directory(
        today=clock.today(),
        licence_types=plan.licence_types or None,
        region_prefix=plan.region.prefix,
    ).order_by()
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO supervision_planentity (plan_id, code, name, region_code, grade,"
            " applicant_id) SELECT %s, d.code, d.name, d.region_code, d.grade, d.applicant_id"
            f" FROM ({sql}) d",
            [plan.pk, *params],
        )
        frozen = cursor.rowcount
        if drawing.on_postgresql():
            # The draw plans its per-stratum scans on these statistics.
            cursor.execute("ANALYZE supervision_planentity")
        return frozen


def plan_commit(*, actor: Any, plan_id: int) -> Plan:
    """Freeze the directory and the pool; publish the secret's commitment and the hashes."""
    with transaction.atomic():
        plan = _locked_plan(plan_id)
        require(actor, Action.SUPERVISION_PLAN, plan)
        if plan.status != Plan.Status.DRAFT:
            raise Conflict(_("This plan is already committed."), code="already_committed")
        before = snapshot(plan, PLAN_FIELDS)
        pool = _pool(department=plan.department, usernames=plan.requested_pool)
        if len(pool) < max(2, plan.inspectors_per_task):
            raise invalid_field("inspector_pool", POOL_RULE, code="pool_too_small")
        declared: dict[int, list[str]] = {}
        for staff_id, code in InspectorConflict.objects.filter(staff__in=pool).values_list(
            "staff_id", "entity_code"
        ):
            declared.setdefault(staff_id, []).append(code)
        PlanInspector.objects.bulk_create(
            PlanInspector(
                plan=plan,
                staff=staff,
                code=staff.certificate_number,
                conflicts=sorted(declared.get(staff.pk, [])),
            )
            for staff in pool
        )
        plan.directory_size = _freeze_directory(plan)
        plan.stratum_sizes = drawing.count_strata(plan)
        plan.secret = secrets.token_hex(32)
        plan.seed_commitment = verify_draw.seed_commitment_of(plan.secret)
        plan.directory_hash = drawing.directory_hash(plan)
        codes, conflicts = drawing.pool_codes(plan)
        plan.pool_hash = verify_draw.pool_hash_of(codes, conflicts)
        plan.committed_at = clock.now()
        plan.status = Plan.Status.COMMITTED
        plan.save()
        audit_record(
            actor=actor,
            action="supervision.plan.commit",
            obj=plan,
            before=before,
            after={**snapshot(plan, PLAN_FIELDS), "directory_size": plan.directory_size},
        )
    return plan


def plan_draw(*, actor: Any, plan_id: int, witness: str) -> Draw:
    """The draw: seed = sha256(secret + witness); tasks by exactly the rule of API.md."""
    witness = (witness or "").strip()
    if not witness or len(witness) > 200:
        raise invalid_field(
            "witness", _("Give the witness's value (1 to 200 characters)."), code="required"
        )
    with transaction.atomic():
        plan = _locked_plan(plan_id)
        require(actor, Action.SUPERVISION_PLAN, plan)
        if plan.status == Plan.Status.DRAFT:
            raise Conflict(
                _("Commit the plan before the draw: the secret must be fixed first."),
                code="not_committed",
            )
        if plan.status == Plan.Status.DRAWN or Draw.objects.filter(plan=plan).exists():
            raise Conflict(_("This plan has been drawn; a plan is drawn once."), code="drawn")
        seed = verify_draw.seed_of(plan.secret, witness)
        now = clock.now()
        if drawing.on_postgresql():
            task_count, _short = drawing.draw_in_database(
                plan, seed, kind=_drawn_kind(plan), licence_type=_drawn_type(plan), now=now
            )
        else:
            task_count = _draw_in_python(plan, seed, now)
        draw = Draw.objects.create(
            plan=plan,
            witness=witness,
            seed=seed,
            drawn_at=now,
            drawn_by=actor,
            task_count=task_count,
        )
        plan.status = Plan.Status.DRAWN
        plan.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="supervision.plan.draw",
            obj=plan,
            after={"draw": draw.pk, "witness": witness, "seed": seed, "tasks": task_count},
        )
    return draw


def _drawn_kind(plan: Plan) -> str:
    return Task.Kind.POINT_TO_AREA if plan.kind == Plan.Kind.POINT_TO_AREA else Task.Kind.DRAWN


def _drawn_type(plan: Plan) -> str:
    return plan.licence_types[0] if len(plan.licence_types) == 1 else ""


def _draw_in_python(plan: Plan, seed: str, now) -> int:
    """The rule by the verifier's own functions, tasks written by bulk rows (not PostgreSQL)."""
    entities = drawing.drawn_entities(plan, seed)
    pool, conflicts = drawing.pool_codes(plan)
    tasks = verify_draw.assign_inspectors(
        seed, [entity[1] for entity in entities], pool, plan.inspectors_per_task, conflicts
    )
    frozen = {code: (key, applicant_id, region) for key, code, applicant_id, region in entities}
    created = Task.objects.bulk_create(
        Task(
            kind=_drawn_kind(plan),
            status=Task.Status.NEEDS_INSPECTORS if task["needs_inspectors"] else Task.Status.OPEN,
            department_id=plan.department_id,
            applicant_id=frozen[task["entity"]][1],
            entity_code=task["entity"],
            region_code=frozen[task["entity"]][2],
            licence_type_code=_drawn_type(plan),
            plan=plan,
            draw_order=order,
            rank_key=frozen[task["entity"]][0],
            created_at=now,
        )
        for order, task in enumerate(tasks, start=1)
    )
    staff_of = dict(plan.pool.values_list("code", "staff_id"))
    TaskInspector.objects.bulk_create(
        TaskInspector(task_id=row.pk, staff_id=staff_of[code], code=code)
        for row, task in zip(created, tasks, strict=True)
        for code in task["inspectors"]
    )
    return len(tasks)


def conflict_declare(*, actor: Any, entity_code: str, reason: str) -> InspectorConflict:
    """An inspector declares a conflict with an entity (回避); later plans avoid the pair."""
    require(actor, Action.SUPERVISION_DECLARE_CONFLICT)
    entity_code = (entity_code or "").strip()
    reason = (reason or "").strip()
    if not entity_code:
        raise invalid_field("entity_code", _("Name the entity by its code."), code="required")
    if not reason:
        raise invalid_field("reason", _("Say why you must stand aside."), code="required")
    staff = Staff.objects.filter(user_id=actor.pk).first()
    if staff is None:
        raise InvalidInput(_("Only staff declare conflicts."))
    with transaction.atomic():
        conflict, created = InspectorConflict.objects.get_or_create(
            staff=staff,
            entity_code=entity_code,
            defaults={"reason": reason, "declared_at": clock.now()},
        )
        if not created:
            raise Conflict(_("You have declared this conflict already."), code="duplicate")
        audit_record(
            actor=actor,
            action="supervision.conflict.declare",
            obj=conflict,
            after=snapshot(conflict),
        )
    return conflict


def area_prefix(region_code: str, level: int) -> str:
    return region_code[: PREFIX_LENGTH[level]]


def conflicts_of(*, actor: Any):
    return InspectorConflict.objects.filter(staff__user_id=actor.pk).order_by("-declared_at")
