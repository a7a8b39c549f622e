"""Supervision in the API (API.md, "Supervision"): directory, plans, draws, tasks, results."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from yiwang import clock
from yiwang.errors import invalid_field
from yiwang.permissions import Action, require, scope_of
from yiwang.supervision import (
    directory,
    drawing,
    inspections,
    leniency,
    outcomes,
    selectors,
    services,
    tasking,
)
from yiwang.supervision.models import Inspection, Plan, Task

router = Router(tags=["supervision"])
public_router = Router(tags=["public"])


def _iso(day):
    return day.isoformat() if day else None


# Directory ---------------------------------------------------------------------------------


@router.get("/entities", response=list[dict])
def entities(
    request,
    response: HttpResponse,
    licence_type: str = "",
    region: str = "",
    grade: str = "",
    page: int = 1,
    page_size: int = 100,
):
    """The supervised directory (staff): every holder of a licence in force, by code.

    A list of at most `page_size` (≤ 1000) entities; `X-Total-Count` gives the total."""
    require(request.user, Action.SUPERVISION_VIEW)
    prefix = scope_of(request.user).region_prefix or ""
    if region and not region.startswith(prefix):
        raise invalid_field("region", _("The region lies outside the one you cover."))
    if not 1 <= page_size <= 1000:
        raise invalid_field("page_size", _("Give a page size from 1 to 1000."))
    today = clock.today()
    rows = directory.directory(
        today=today,
        licence_types=[licence_type] if licence_type else None,
        region_prefix=region or prefix,
        grade=grade,
    ).order_by("code")
    paged = Paginator(rows, page_size).get_page(page)
    response["X-Total-Count"] = str(paged.paginator.count)
    types = directory.licence_types_of([row["applicant_id"] for row in paged], today=today)
    return [
        {
            "id": row["applicant_id"],
            "code": row["code"],
            "name": row["name"],
            "region_code": row["region_code"],
            "licence_types": types.get(row["applicant_id"], []),
            "credit_grade": None if row["grade"] == "U" else row["grade"],
        }
        for row in paged
    ]


# Plans and draws ---------------------------------------------------------------------------


class PlanIn(Schema):
    name: str
    year: int
    licence_types: list[str] = []
    region_code: str
    ratios: dict[str, Any]
    inspectors_per_task: int = 2
    inspector_pool: list[str] | None = None


def plan_body(plan: Plan) -> dict:
    draw = getattr(plan, "draw", None) if plan.status == Plan.Status.DRAWN else None
    return {
        "id": plan.pk,
        "name": plan.name,
        "year": plan.year,
        "kind": plan.kind,
        "status": plan.status,
        "department": plan.department_id,
        "region_code": plan.region.code,
        "licence_types": plan.licence_types,
        "ratios": plan.ratios,
        "inspectors_per_task": plan.inspectors_per_task,
        "inspector_pool": [row.code for row in plan.pool.all()] or plan.requested_pool,
        "seed_commitment": plan.seed_commitment or None,
        "directory_hash": plan.directory_hash or None,
        "pool_hash": plan.pool_hash or None,
        "directory_size": plan.directory_size if plan.committed_at else None,
        "committed_at": plan.committed_at.isoformat() if plan.committed_at else None,
        "draw": draw.pk if draw else None,
    }


@router.post("/plans", response={201: dict})
def plan_create(request, payload: PlanIn):
    plan = services.plan_create(actor=request.user, **payload.dict())
    return Status(201, plan_body(plan))


@router.get("/plans/{int:plan_id}")
def plan_detail(request, plan_id: int):
    return plan_body(selectors.access_plan(user=request.user, plan_id=plan_id))


@router.post("/plans/{int:plan_id}/commit")
def plan_commit(request, plan_id: int):
    return plan_body(services.plan_commit(actor=request.user, plan_id=plan_id))


class DrawIn(Schema):
    witness: str


@router.post("/plans/{int:plan_id}/draw", response={201: dict})
def plan_draw(request, plan_id: int, payload: DrawIn):
    draw = services.plan_draw(actor=request.user, plan_id=plan_id, witness=payload.witness)
    return Status(201, draw_body(draw))


def draw_body(draw) -> dict:
    record = drawing.draw_record(draw.plan)
    published = {
        row.task.entity_code: result_body(row)
        for row in Inspection.objects.filter(
            task__plan=draw.plan, published_on__isnull=False
        ).select_related("task__applicant", "department")
    }
    for task in record["tasks"]:
        task["result"] = published.get(task["entity"])
    return record


@router.get("/draws/{int:draw_id}", auth=None)
def draw_detail(request, draw_id: int):
    """Public: the whole draw record, enough for anyone to recompute it (verify_draw)."""
    return draw_body(selectors.public_draw(draw_id))


class ConflictIn(Schema):
    entity_code: str
    reason: str


@router.post("/conflicts", response={201: dict})
def conflict_declare(request, payload: ConflictIn):
    conflict = services.conflict_declare(actor=request.user, **payload.dict())
    return Status(201, {"id": conflict.pk, "entity_code": conflict.entity_code})


# Tasks and inspections ---------------------------------------------------------------------


def task_body(task: Task) -> dict:
    inspection = getattr(task, "inspection", None)
    return {
        "id": task.pk,
        "kind": task.kind,
        "status": task.status,
        "entity": {
            "id": task.applicant_id,
            "code": task.entity_code,
            "name": task.applicant.name,
            "region_code": task.region_code,
        },
        "licence_type": task.licence_type_code,
        "department": task.department_id,
        "plan": task.plan_id,
        "due_on": _iso(task.due_on),
        "case_id": task.case_id,
        "source_ticket_id": task.source_ticket_id,
        "source_inspection": task.source_inspection_id,
        "reason": task.reason,
        "inspectors": [row.code for row in task.assignments.all()],
        "inspection": inspection_body(inspection) if inspection else None,
    }


def inspection_body(inspection: Inspection) -> dict:
    today = clock.today()
    penalty = getattr(inspection, "penalty", None)
    return {
        "id": inspection.pk,
        "task": inspection.task_id,
        "status": inspection.status,
        "unannounced": inspection.unannounced,
        "announcement_reason": inspection.announcement_reason,
        "scheduled_for": _iso(inspection.scheduled_for),
        "checklist": (
            {
                "name": inspection.checklist.name,
                "version": inspection.checklist.version,
                "items": inspection.checklist.items,
            }
            if inspection.checklist
            else None
        ),
        "departments": [
            {
                "department": part.department_id,
                "name": part.department.name,
                "findings": part.findings,
                "answers": part.answers,
                "photos": [photo.sha256 for photo in part.photos.all()],
                "recorded_at": part.recorded_at.isoformat() if part.recorded_at else None,
            }
            for part in inspection.participations.select_related("department")
        ],
        "outcome": inspection.outcome or None,
        "findings_summary": inspection.findings_summary,
        "rectify_days": inspection.rectify_days,
        "rectify_due": _iso(inspection.rectify_due),
        "concluded_on": _iso(inspection.concluded_on),
        "publish_due": _iso(inspection.publish_due),
        "published_on": _iso(inspection.published_on),
        "publication_level": selectors.publication_level(inspection, today) or None,
        "follow_ups": list(inspection.follow_ups.values_list("pk", flat=True)),
        "penalty": (
            {
                "id": penalty.pk,
                "status": penalty.status,
                "legal_basis": penalty.legal_basis,
                "amount": str(penalty.amount),
                "violation_kind": penalty.violation_kind,
                "proposals": penalty.proposals,
                "inclusive_list_entry": (
                    leniency.proposal_body(penalty.inclusive_measure)
                    if penalty.inclusive_measure
                    else None
                ),
                "decided_on": _iso(penalty.decided_on),
            }
            if penalty
            else None
        ),
    }


@router.get("/tasks")
def task_list(request, mine: bool = False, status: str = "open", page: int = 1):
    require(request.user, Action.SUPERVISION_VIEW)
    paged = Paginator(selectors.tasks_for(request.user, mine=mine, status=status), 50)
    rows = paged.get_page(page)
    return {"count": paged.count, "results": [task_body(task) for task in rows]}


@router.get("/tasks/{int:task_id}")
def task_detail(request, task_id: int):
    return task_body(tasking.access_task(user=request.user, task_id=task_id))


class AssignIn(Schema):
    inspectors: list[str]


@router.post("/tasks/{int:task_id}/assign")
def task_assign(request, task_id: int, payload: AssignIn):
    return task_body(
        tasking.task_assign(actor=request.user, task_id=task_id, usernames=payload.inspectors)
    )


@router.post("/tasks/{int:task_id}/join")
def task_join(request, task_id: int):
    return task_body(tasking.task_join(actor=request.user, task_id=task_id))


class StartIn(Schema):
    unannounced: bool = True
    announcement_reason: str = ""
    joint_departments: list[int] = []
    scheduled_for: datetime.date | None = None


@router.post("/tasks/{int:task_id}/inspection", response={201: dict})
def inspection_start(request, task_id: int, payload: StartIn):
    inspection = inspections.inspection_start(
        actor=request.user,
        task_id=task_id,
        unannounced=payload.unannounced,
        announcement_reason=payload.announcement_reason,
        joint_department_ids=payload.joint_departments,
        scheduled_for=payload.scheduled_for,
    )
    return Status(201, inspection_body(inspection))


@router.get("/inspections/{int:inspection_id}")
def inspection_detail(request, inspection_id: int):
    return inspection_body(
        inspections.access_inspection(user=request.user, inspection_id=inspection_id)
    )


@router.post("/inspections/{int:inspection_id}/findings")
def inspection_findings(
    request,
    inspection_id: int,
    findings: Form[str],
    answers: Form[str] = "{}",
    photos: File[list[UploadedFile]] = None,
):
    """Multipart: `findings`, `answers` (JSON {item code: yes|no|na}), `photos` (images)."""
    inspections.inspection_record_findings(
        actor=request.user,
        inspection_id=inspection_id,
        findings=findings,
        answers=_json_object(answers, "answers"),
        photos=photos or [],
    )
    return inspection_body(Inspection.objects.get(pk=inspection_id))


def _json_object(text: str, field: str) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise invalid_field(field, _("Give a JSON object."))
    return value


class ResultIn(Schema):
    outcome: str
    findings: str
    rectify_days: Any = None
    legal_basis: str = ""
    amount: Any = None
    violation_kind: str = ""
    inclusive_measure: int | None = None
    answers: dict[str, str] | None = None


@router.post("/tasks/{int:task_id}/result")
def task_result(request, task_id: int, payload: ResultIn):
    """API.md: the result of a task; starts the inspection and records the findings if needed."""
    inspection = outcomes.inspection_result(actor=request.user, task_id=task_id, **payload.dict())
    return task_body(Task.objects.get(pk=inspection.task_id))


class PenaltyIn(Schema):
    legal_basis: str
    amount: Any
    inclusive_measure: int | None = None


@router.post("/penalties/{int:penalty_id}/decide")
def penalty_decide(request, penalty_id: int, payload: PenaltyIn):
    penalty = outcomes.penalty_decide(actor=request.user, penalty_id=penalty_id, **payload.dict())
    return inspection_body(penalty.inspection)


@router.post("/inspections/{int:inspection_id}/publish")
def inspection_publish(request, inspection_id: int):
    return inspection_body(
        outcomes.inspection_publish(actor=request.user, inspection_id=inspection_id)
    )


class PointToAreaIn(Schema):
    area: str = "street"
    ratios: dict[str, Any]
    inspectors_per_task: int = 2
    name: str = ""


@router.post("/inspections/{int:inspection_id}/point-to-area", response={201: dict})
def point_to_area(request, inspection_id: int, payload: PointToAreaIn):
    plan = outcomes.point_to_area_plan(
        actor=request.user, inspection_id=inspection_id, **payload.dict()
    )
    return Status(201, plan_body(plan))


# Public results ----------------------------------------------------------------------------


def result_body(inspection: Inspection) -> dict:
    task = inspection.task
    return {
        "id": inspection.pk,
        "entity": {"code": task.entity_code, "name": task.applicant.masked_name},
        "department": inspection.department.name,
        "kind": task.kind,
        "inspected_on": _iso(inspection.scheduled_for),
        "concluded_on": _iso(inspection.concluded_on),
        "outcome": inspection.outcome,
        "findings_summary": inspection.findings_summary,
        "rectify_due": _iso(inspection.rectify_due),
        "publish_due": _iso(inspection.publish_due),
        "published_on": _iso(inspection.published_on),
    }


class PeriodIn(Schema):
    date_from: datetime.date | None = Field(None, alias="from")
    date_to: datetime.date | None = Field(None, alias="to")


@public_router.get("/inspection-results", auth=None)
def inspection_results(request, period: Query[PeriodIn]):
    """Public: published inspection results (一公开), no personal data."""
    rows = selectors.published_results(date_from=period.date_from, date_to=period.date_to)[:1000]
    return [result_body(row) for row in rows]
