"""Inspections: start (unannounced by default, 四不两直; joint with other departments, 综合查一次),
each department's findings and photos, the outcome (compliant / rectify within N working days,
with a re-inspection task on the due day / violation, with a penalty record), the penalty
decision, and publication within 20 working days (企业信息公示暂行条例 Art. 6)."""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.errors import Conflict, NotFound, PermissionRefused, invalid_field
from yiwang.permissions import Action, may, require, scope_of
from yiwang.regions.models import Department, Staff
from yiwang.supervision import leniency
from yiwang.supervision.checklists import checklist_for
from yiwang.supervision.models import Inspection, Participation, Photo, Task
from yiwang.supervision.tasking import access_task

# 企业信息公示暂行条例 Art. 6: results of inspections are published within 20 working days.
PUBLISH_WITHIN_WORKING_DAYS = 20
MAX_RECTIFY_DAYS = 250
ANSWERS = ("yes", "no", "na")
PHOTO_TYPES = ("image/jpeg", "image/png", "image/heic", "image/webp")
MAX_PHOTO_BYTES = 15 * 1024 * 1024
RECTIFY_RULE = _("A rectification period is a positive whole number of working days (1–250).")
OWN_TASK_RULE = _("Only the inspectors assigned to this task record its result.")


def access_inspection(*, user: Any, inspection_id: int) -> Inspection:
    inspection = (
        Inspection.objects.select_related("task__applicant", "department", "checklist")
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None:
        raise NotFound(_("No such inspection."))
    # A joint visit's other departments read it through their inspectors' participation;
    # anyone else (a catalogue administrator of a taking department too) as the table says.
    own = inspection.participations.filter(department_id=scope_of(user).department_id).first()
    if own is None or not may(user, Action.SUPERVISION_INSPECT, own):
        require(user, Action.SUPERVISION_VIEW, inspection)
    return inspection


def _require_assigned(actor: Any, task: Task) -> None:
    if actor.is_superuser:
        return
    if not task.assignments.filter(staff__user_id=actor.pk).exists():
        raise PermissionRefused(OWN_TASK_RULE, code="not_your_task")


def inspection_start(
    *,
    actor: Any,
    task_id: int,
    unannounced: bool = True,
    announcement_reason: str = "",
    joint_department_ids: list[int] | None = None,
    scheduled_for=None,
) -> Inspection:
    """The visit begins (or is scheduled); announced only with a written reason."""
    announcement_reason = (announcement_reason or "").strip()
    if not unannounced and not announcement_reason:
        raise invalid_field(
            "announcement_reason",
            _("Inspections are unannounced (四不两直); say why this one is announced."),
            code="reason_required",
        )
    with transaction.atomic():
        task = access_task(user=actor, task_id=task_id, action=Action.SUPERVISION_VIEW)
        task = Task.objects.select_for_update().get(pk=task.pk)
        if not may(actor, Action.SUPERVISION_PLAN, task):
            _require_assigned(actor, task)
        if Inspection.objects.filter(task=task).exists():
            raise Conflict(_("This task's inspection has started already."), code="started")
        if task.assignments.count() < 2:
            raise Conflict(
                _("At least two inspectors go on every inspection; this task has fewer."),
                code="too_few_inspectors",
            )
        joint = _joint_departments(task, joint_department_ids or [])
        today = clock.today()
        inspection = Inspection.objects.create(
            task=task,
            department=task.department,
            unannounced=unannounced,
            announcement_reason=announcement_reason,
            scheduled_for=scheduled_for or today,
            checklist=checklist_for(task.licence_type_code, on=today),
            created_at=clock.now(),
        )
        for department in [task.department, *joint]:
            Participation.objects.create(inspection=inspection, department=department)
        task.status = Task.Status.IN_PROGRESS
        task.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="supervision.inspection.start",
            obj=inspection,
            after={
                **snapshot(inspection),
                "departments": [d.pk for d in [task.department, *joint]],
            },
        )
    return inspection


def _joint_departments(task: Task, ids: list[int]) -> list[Department]:
    wanted = sorted({int(pk) for pk in ids} - {task.department_id})
    found = list(Department.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise invalid_field("joint_departments", _("No such department."), code="not_found")
    return found


def inspection_record_findings(
    *, actor: Any, inspection_id: int, findings: str, answers: dict | None = None, photos=()
) -> Participation:
    """The actor's department records its own findings (and photos) on the inspection."""
    findings = (findings or "").strip()
    if not findings:
        raise invalid_field("findings", _("Write down what the inspection found."), code="required")
    with transaction.atomic():
        inspection = access_inspection(user=actor, inspection_id=inspection_id)
        if inspection.status == Inspection.Status.CONCLUDED:
            raise Conflict(_("The inspection is concluded."), code="concluded")
        staff = Staff.objects.filter(user_id=actor.pk).first()
        participation = (
            inspection.participations.select_for_update()
            .filter(department_id=getattr(staff, "department_id", None))
            .first()
        )
        if participation is None:
            raise PermissionRefused(
                _("Your department does not take part in this inspection."), code="not_joint"
            )
        require(actor, Action.SUPERVISION_INSPECT, participation)
        if participation.department_id == inspection.department_id:
            _require_assigned(actor, inspection.task)
        participation.answers = _answers(inspection, answers or {})
        participation.findings = findings
        participation.recorded_by = actor
        participation.recorded_at = clock.now()
        participation.save()
        for photo in photos:
            _store_photo(actor, participation, photo)
        audit_record(
            actor=actor,
            action="supervision.inspection.findings",
            obj=participation,
            after=snapshot(participation, ["answers", "findings", "department"]),
        )
    return participation


def _answers(inspection: Inspection, answers: dict) -> dict:
    codes = {item["code"] for item in (inspection.checklist.items if inspection.checklist else [])}
    clean = {}
    for code, answer in answers.items():
        if code not in codes:
            raise invalid_field(f"answers.{code}", _("Not an item of this checklist."))
        if answer not in ANSWERS:
            raise invalid_field(
                f"answers.{code}", _("Answer yes, no or na (not applicable)."), code="answer"
            )
        clean[code] = answer
    return clean


def _store_photo(actor: Any, participation: Participation, upload) -> Photo:
    if getattr(upload, "content_type", "") not in PHOTO_TYPES or upload.size > MAX_PHOTO_BYTES:
        raise invalid_field(
            "photos",
            _("A photo is a JPEG, PNG, HEIC or WebP image of at most 15 MB."),
            code="photo",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Photo.objects.create(
        participation=participation,
        image=upload,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )


def _rectify_days(value: Any) -> int:
    try:
        days = int(str(value))
    except (TypeError, ValueError):
        raise invalid_field("rectify_days", RECTIFY_RULE, code="rectify_days") from None
    if str(days) != str(value).strip() or not 1 <= days <= MAX_RECTIFY_DAYS:
        raise invalid_field("rectify_days", RECTIFY_RULE, code="rectify_days")
    return days


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError):
        raise invalid_field(
            "amount", _("Give the amount in yuan (0 or more)."), code="amount"
        ) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise invalid_field("amount", _("Give the amount in yuan (0 or more)."), code="amount")
    return amount


def _penalty_fields(
    legal_basis: str, amount: Any, *, violation_kind: str, inclusive_measure: Any, on
) -> dict:
    """A violation's penalty record: legal basis, fine, and the four-list entries proposed for
    its violation type (包容审慎) with the one applied, if any."""
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise invalid_field(
            "legal_basis",
            _("A violation names its legal basis (law and article)."),
            code="required",
        )
    violation_kind = (violation_kind or "").strip()
    proposals = leniency.proposals_for(violation_kind=violation_kind, on=on)
    measure = leniency.applied_measure(proposals=proposals, measure_id=inclusive_measure)
    return {
        "legal_basis": legal_basis,
        "amount": _amount(amount if amount not in (None, "") else 0),
        "violation_kind": violation_kind,
        "proposals": proposals,
        "inclusive_measure": measure,
        "inclusive_entry_code": str(measure.pk) if measure else None,
        "inclusive_entry_title": leniency.entry_title(measure) if measure else None,
    }
