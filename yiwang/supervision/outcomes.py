"""The end of an inspection: its outcome and what follows from it (re-inspection, penalty, the
commitment check of the case), the penalty decision, publication and the overdue flags."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.cases.models import CommitmentCheck
from yiwang.cases.procedures.commitment import commitment_check_record
from yiwang.errors import Conflict, invalid_field
from yiwang.events import publish
from yiwang.permissions import Action, require
from yiwang.regions.models import PREFIX_LENGTH, Region
from yiwang.supervision import leniency
from yiwang.supervision.directory import licences_in_force
from yiwang.supervision.inspections import (
    PUBLISH_WITHIN_WORKING_DAYS,
    _penalty_fields,
    _rectify_days,
    _require_assigned,
    access_inspection,
    inspection_record_findings,
    inspection_start,
)
from yiwang.supervision.models import (
    Inspection,
    LeaderAlert,
    Outcome,
    Penalty,
    Plan,
    Task,
    TaskInspector,
)
from yiwang.supervision.services import plan_create
from yiwang.supervision.tasking import task_create
from yiwang.workdays.calendar import add_working_days

OUTCOME_RULE = _("The outcome is compliant, rectify or violation.")
RESULT_FIELDS = [
    "status",
    "outcome",
    "findings_summary",
    "rectify_days",
    "rectify_due",
    "concluded_on",
    "publish_due",
]


def inspection_conclude(
    *,
    actor: Any,
    inspection_id: int,
    outcome: str,
    findings_summary: str,
    rectify_days: Any = None,
    legal_basis: str = "",
    amount: Any = None,
    violation_kind: str = "",
    inclusive_measure: Any = None,
) -> Inspection:
    """Record the outcome; rectify opens a re-inspection on the due day, a violation a penalty
    with the four-list entries proposed for its violation type and the one applied."""
    if outcome not in Outcome.values:
        raise invalid_field("outcome", OUTCOME_RULE, code="outcome")
    findings_summary = (findings_summary or "").strip()
    if not findings_summary:
        raise invalid_field(
            "findings", _("Summarise the findings (they are published)."), code="required"
        )
    days = _rectify_days(rectify_days) if outcome == Outcome.RECTIFY else None
    penalty = (
        _penalty_fields(
            legal_basis,
            amount,
            violation_kind=violation_kind,
            inclusive_measure=inclusive_measure,
            on=clock.today(),
        )
        if outcome == Outcome.VIOLATION
        else None
    )
    with transaction.atomic():
        inspection = access_inspection(user=actor, inspection_id=inspection_id)
        inspection = (
            Inspection.objects.select_for_update()
            .select_related("task__applicant__region", "department")
            .get(pk=inspection.pk)
        )
        task = inspection.task
        require(actor, Action.SUPERVISION_INSPECT, task)
        _require_assigned(actor, task)
        if inspection.status == Inspection.Status.CONCLUDED:
            raise Conflict(_("This inspection already has its result."), code="concluded")
        missing = inspection.participations.filter(recorded_at__isnull=True)
        if missing.exists():
            raise Conflict(
                _("Every department of the inspection records its findings before the result."),
                code="findings_missing",
            )
        before = snapshot(inspection, RESULT_FIELDS)
        today = clock.today()
        inspection.outcome = outcome
        inspection.findings_summary = findings_summary
        inspection.concluded_on = today
        inspection.concluded_by = actor
        inspection.status = Inspection.Status.CONCLUDED
        inspection.publish_due = add_working_days(today, PUBLISH_WITHIN_WORKING_DAYS)[0]
        if days is not None:
            inspection.rectify_days = days
            inspection.rectify_due = add_working_days(today, days)[0]
        inspection.save()
        task.status = Task.Status.DONE
        task.save(update_fields=["status"])
        _follow_up(actor, inspection, penalty)
        audit_record(
            actor=actor,
            action="supervision.inspection.conclude",
            obj=inspection,
            before=before,
            after=snapshot(inspection, RESULT_FIELDS),
        )
        publish(
            "inspection.concluded",
            payload=concluded_payload(inspection),
            actor=actor,
            subject=inspection,
        )
    return inspection


def _follow_up(actor: Any, inspection: Inspection, penalty: dict | None) -> None:
    task = inspection.task
    if inspection.outcome == Outcome.RECTIFY:
        follow_up = task_create(
            actor=actor,
            kind=Task.Kind.REINSPECTION,
            applicant=task.applicant,
            department=task.department,
            due_on=inspection.rectify_due,
            reason=str(_("Re-inspection after rectification")),
            case=None,
            source_inspection=inspection,
            licence_type_code=task.licence_type_code,
        )
        TaskInspector.objects.bulk_create(
            TaskInspector(task=follow_up, staff_id=assigned.staff_id, code=assigned.code)
            for assigned in task.assignments.all()
        )
    if inspection.outcome == Outcome.VIOLATION:
        Penalty.objects.create(
            inspection=inspection,
            department=inspection.department,
            applicant=task.applicant,
            opened_at=clock.now(),
            **penalty,
        )
    case_id = _commitment_case_id(task)
    if case_id is not None and inspection.outcome != Outcome.RECTIFY:
        # The case's consequences (revocation, credit) stay in the cases app.
        check = CommitmentCheck.objects.filter(case_id=case_id, result="pending").first()
        if check is not None:
            commitment_check_record(
                actor=actor,
                check_id=check.pk,
                truthful=inspection.outcome == Outcome.COMPLIANT,
                findings=inspection.findings_summary,
            )


def _commitment_case_id(task: Task) -> int | None:
    """The commitment case a post-approval task (or its re-inspections) checks."""
    seen = 0
    while task is not None and seen < 50:
        if task.kind == Task.Kind.POST_APPROVAL:
            return task.case_id
        source = task.source_inspection
        task = source.task if source is not None else None
        seen += 1
    return None


def concluded_payload(inspection: Inspection) -> dict:
    task = inspection.task
    return {
        "inspection_id": inspection.pk,
        "task_id": task.pk,
        "kind": task.kind,
        "entity_id": task.applicant_id,
        "entity_code": task.entity_code,
        "entity_name": task.applicant.masked_name,
        "department_id": inspection.department_id,
        "departments": sorted(inspection.participations.values_list("department_id", flat=True)),
        "region_code": task.region_code,
        "outcome": inspection.outcome,
        "concluded_on": inspection.concluded_on.isoformat(),
        "findings_summary": inspection.findings_summary,
        "rectify_due": inspection.rectify_due.isoformat() if inspection.rectify_due else None,
        "publish_due": inspection.publish_due.isoformat(),
        "source_ticket_id": task.source_ticket_id,
        "case_id": _commitment_case_id(task),
    }


def penalty_decide(
    *,
    actor: Any,
    penalty_id: int,
    legal_basis: str,
    amount: Any,
    inclusive_measure: Any = None,
) -> Penalty:
    """The leader decides the penalty, applying one of the four-list entries proposed with it
    (包容审慎) or none."""
    with transaction.atomic():
        penalty = (
            Penalty.objects.select_for_update(of=("self",))
            .select_related("inspection__task", "applicant")
            .filter(pk=penalty_id)
            .first()
        )
        if penalty is None:
            raise invalid_field("penalty", _("No such penalty record."), code="not_found")
        require(actor, Action.SUPERVISION_PENALTY, penalty)
        if penalty.status == Penalty.Status.DECIDED:
            raise Conflict(_("This penalty is decided already."), code="decided")
        fields = _penalty_fields(
            legal_basis,
            amount,
            violation_kind=penalty.violation_kind,
            inclusive_measure=None,
            on=penalty.opened_at.date(),
        )
        # The entries proposed when the penalty opened are the ones the decision chooses from.
        measure = leniency.applied_measure(
            proposals=penalty.proposals, measure_id=inclusive_measure
        )
        fields.update(
            proposals=penalty.proposals,
            inclusive_measure=measure,
            inclusive_entry_code=str(measure.pk) if measure else None,
            inclusive_entry_title=leniency.entry_title(measure) if measure else None,
        )
        before = snapshot(penalty)
        for name, value in fields.items():
            setattr(penalty, name, value)
        penalty.status = Penalty.Status.DECIDED
        penalty.decided_on = clock.today()
        penalty.save()
        audit_record(
            actor=actor,
            action="supervision.penalty.decide",
            obj=penalty,
            before=before,
            after=snapshot(penalty),
        )
        publish(
            "penalty.decided",
            payload={
                "penalty_id": penalty.pk,
                "inspection_id": penalty.inspection_id,
                "entity_id": penalty.applicant_id,
                "entity_code": penalty.inspection.task.entity_code,
                "department_id": penalty.department_id,
                "legal_basis": penalty.legal_basis,
                "amount": str(penalty.amount),
                "decided_on": penalty.decided_on.isoformat(),
                "inclusive_list_entry": penalty.inclusive_measure_id,
            },
            actor=actor,
            subject=penalty,
        )
    return penalty


def inspection_publish(*, actor: Any, inspection_id: int) -> Inspection:
    """Publish a concluded result (一公开); its overdue flag, if any, is resolved."""
    with transaction.atomic():
        inspection = access_inspection(user=actor, inspection_id=inspection_id)
        inspection = (
            Inspection.objects.select_for_update().select_related("task").get(pk=inspection.pk)
        )
        require(actor, Action.SUPERVISION_PUBLISH, inspection)
        if inspection.status != Inspection.Status.CONCLUDED:
            raise Conflict(_("Only a concluded inspection is published."), code="not_concluded")
        if inspection.published_on is not None:
            raise Conflict(_("This result is published already."), code="published")
        inspection.published_on = clock.today()
        inspection.save(update_fields=["published_on"])
        LeaderAlert.objects.filter(inspection=inspection, resolved_on__isnull=True).update(
            resolved_on=inspection.published_on
        )
        audit_record(
            actor=actor,
            action="supervision.inspection.publish",
            obj=inspection,
            after={"published_on": inspection.published_on},
        )
        publish(
            "inspection.published",
            payload={
                "inspection_id": inspection.pk,
                "entity_code": inspection.task.entity_code,
                "department_id": inspection.department_id,
                "outcome": inspection.outcome,
                "concluded_on": inspection.concluded_on.isoformat(),
                "published_on": inspection.published_on.isoformat(),
            },
            actor=actor,
            subject=inspection,
        )
    return inspection


def publication_flag_overdue(*, today: datetime.date | None = None) -> int:
    """Daily: flag to the department's leaders every result past its publish_due, once."""
    today = today or clock.today()
    overdue = Inspection.objects.filter(
        status=Inspection.Status.CONCLUDED, published_on__isnull=True, publish_due__lt=today
    ).exclude(alerts__kind=LeaderAlert.Kind.PUBLICATION_OVERDUE)
    flagged = 0
    with transaction.atomic():
        for inspection_id, department_id in overdue.values_list("pk", "department_id"):
            alert = LeaderAlert.objects.create(
                kind=LeaderAlert.Kind.PUBLICATION_OVERDUE,
                department_id=department_id,
                inspection_id=inspection_id,
                raised_on=today,
            )
            audit_record(
                actor=None, action="supervision.alert.raise", obj=alert, after=snapshot(alert)
            )
            flagged += 1
    return flagged


def inspection_result(
    *,
    actor: Any,
    task_id: int,
    outcome: str,
    findings: str,
    rectify_days: Any = None,
    legal_basis: str = "",
    amount: Any = None,
    violation_kind: str = "",
    inclusive_measure: Any = None,
    answers: dict | None = None,
) -> Inspection:
    """The whole result of a task in one step (API.md): start, own findings, outcome."""
    with transaction.atomic():
        inspection = Inspection.objects.filter(task_id=task_id).first()
        if inspection is None:
            inspection = inspection_start(actor=actor, task_id=task_id)
        own = inspection.participations.filter(
            department__staff__user_id=actor.pk, recorded_at__isnull=True
        ).exists()
        if own:
            inspection_record_findings(
                actor=actor, inspection_id=inspection.pk, findings=findings, answers=answers
            )
        return inspection_conclude(
            actor=actor,
            inspection_id=inspection.pk,
            outcome=outcome,
            findings_summary=findings,
            rectify_days=rectify_days,
            legal_basis=legal_basis,
            amount=amount,
            violation_kind=violation_kind,
            inclusive_measure=inclusive_measure,
        )


AREA_LEVELS = {"street": Region.Level.TOWN, "district": Region.Level.COUNTY}


def point_to_area_plan(
    *,
    actor: Any,
    inspection_id: int,
    area: str,
    ratios: dict,
    inspectors_per_task: int = 2,
    name: str = "",
) -> Plan:
    """以点带面: a violation starts a special draw among entities of the same licence type in
    the same street or district, drawn by the same rule (commit, then draw with a witness)."""
    if area not in AREA_LEVELS:
        raise invalid_field("area", _("The area is street or district."), code="area")
    inspection = access_inspection(user=actor, inspection_id=inspection_id)
    if inspection.outcome != Outcome.VIOLATION:
        raise Conflict(
            _("Only a violation starts an inspection of its area."), code="not_a_violation"
        )
    task = inspection.task
    level = AREA_LEVELS[area]
    code = task.region_code[: PREFIX_LENGTH[level]].ljust(12, "0")
    region = Region.objects.filter(code=code).first() or task.applicant.region
    types = (
        [task.licence_type_code]
        if task.licence_type_code
        else sorted(
            set(
                licences_in_force(today=clock.today())
                .filter(holder_id=task.applicant_id)
                .values_list("licence_type_code", flat=True)
            )
        )
    )
    return plan_create(
        actor=actor,
        name=name
        or str(_("Point to area: %(region)s after %(entity)s"))
        % {"region": region.name, "entity": task.entity_code},
        year=clock.today().year,
        licence_types=types,
        region_code=region.code,
        ratios=ratios,
        inspectors_per_task=inspectors_per_task,
        kind=Plan.Kind.POINT_TO_AREA,
        source_inspection=inspection,
    )
