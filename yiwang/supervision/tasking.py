"""Tasks that do not come from a draw: post-approval checks of commitments (from `case.decided`),
complaint checks (from `ticket.inspection_requested`), special inspections a leader orders; and
who carries a task out (a leader assigns, an inspector of the department joins)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.cases.models import Case, CommitmentCheck
from yiwang.errors import Conflict, NotFound, invalid_field
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require
from yiwang.regions.models import Department, Role, Staff
from yiwang.supervision.directory import licences_in_force
from yiwang.supervision.models import Task, TaskInspector

CLOSED = (Task.Status.DONE,)


def entity_code_of(applicant: Applicant, *, today: datetime.date) -> str:
    """The directory's code of an entity: its USCC, or its smallest licence number in force."""
    if applicant.uscc:
        return applicant.uscc
    number = (
        licences_in_force(today=today)
        .filter(holder=applicant)
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    return number or applicant.code


def _licence_type_of(applicant: Applicant, department: Department, *, today) -> str:
    codes = (
        licences_in_force(today=today)
        .filter(holder=applicant, department=department)
        .order_by("number")
        .values_list("licence_type_code", flat=True)
    )
    return next(iter(codes), "")


def task_create(
    *,
    actor: Any,
    kind: str,
    applicant: Applicant,
    department: Department,
    due_on: datetime.date | None,
    reason: str = "",
    case=None,
    source_ticket_id: int | None = None,
    source_inspection=None,
    licence_type_code: str = "",
    inspectors: list[Staff] = (),
) -> Task:
    """One task with its audit record (callers hold the transaction and the permission check)."""
    today = clock.today()
    task = Task.objects.create(
        kind=kind,
        department=department,
        applicant=applicant,
        entity_code=entity_code_of(applicant, today=today),
        region_code=applicant.region.code,
        licence_type_code=licence_type_code or _licence_type_of(applicant, department, today=today),
        due_on=due_on,
        case=case,
        source_ticket_id=source_ticket_id,
        source_inspection=source_inspection,
        reason=reason,
        created_at=clock.now(),
    )
    for staff in inspectors:
        TaskInspector.objects.create(task=task, staff=staff, code=staff.certificate_number)
    audit_record(actor=actor, action="supervision.task.create", obj=task, after=snapshot(task))
    return task


def post_approval_task_open(*, case_id: int, due_on: datetime.date | None) -> Task | None:
    """The post-approval check (事后核查) of a case decided on the applicant's commitment."""
    from_cases = _commitment_case(case_id)
    if from_cases is None:
        return None
    case, check = from_cases
    with transaction.atomic():
        existing = Task.objects.filter(kind=Task.Kind.POST_APPROVAL, case_id=case.pk).first()
        if existing is not None:
            return existing
        return task_create(
            actor=None,
            kind=Task.Kind.POST_APPROVAL,
            applicant=case.applicant,
            department=case.department,
            due_on=due_on or check.due_on,
            reason=str(
                _("Post-approval check of case %(number)s (告知承诺)") % {"number": case.number}
            ),
            case=case,
        )


def post_approval_task_close(*, case_id: int, result: str) -> list[Task]:
    """The commitment check was recorded on the case without an inspection here (the cases
    API): its post-approval task and any re-inspection that follows it are done. When the
    result came from this app's own inspection, those tasks are done already: nothing
    changes, so a redelivered event is harmless."""
    with transaction.atomic():
        chain = list(
            Task.objects.select_for_update().filter(kind=Task.Kind.POST_APPROVAL, case_id=case_id)
        )
        found = chain
        while found:
            found = list(
                Task.objects.select_for_update().filter(
                    kind=Task.Kind.REINSPECTION, source_inspection__task__in=found
                )
            )
            chain += found
        closed = [task for task in chain if task.status not in CLOSED]
        for task in closed:
            task.status = Task.Status.DONE
            task.save(update_fields=["status"])
            audit_record(
                actor=None,
                action="supervision.task.close",
                obj=task,
                after={"status": task.status, "commitment_check": result},
            )
    return closed


def _commitment_case(case_id: int):
    case = Case.objects.select_related("applicant__region", "department").filter(pk=case_id).first()
    check = CommitmentCheck.objects.filter(case_id=case_id).first()
    if case is None or check is None:
        return None
    return case, check


def complaint_task_open(
    *, ticket_id: int, entity_id: int | None, department_id: int, reason: str, due_on=None
) -> Task | None:
    """A complaint check asked for by the hotline (`ticket.inspection_requested`)."""
    applicant = Applicant.objects.select_related("region").filter(pk=entity_id).first()
    department = Department.objects.filter(pk=department_id).first()
    if applicant is None or department is None:
        return None
    with transaction.atomic():
        existing = Task.objects.filter(kind=Task.Kind.COMPLAINT, source_ticket_id=ticket_id).first()
        if existing is not None:
            return existing
        return task_create(
            actor=None,
            kind=Task.Kind.COMPLAINT,
            applicant=applicant,
            department=department,
            due_on=due_on,
            reason=reason,
            source_ticket_id=ticket_id,
        )


def special_task_open(
    *, actor: Any, applicant_id: int, reason: str, due_on: datetime.date | None
) -> Task:
    """A special inspection (专项检查) a leader orders, e.g. on a hot topic."""
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field("reason", _("Say why this inspection is ordered."), code="required")
    applicant = Applicant.objects.select_related("region").filter(pk=applicant_id).first()
    if applicant is None:
        raise invalid_field("entity", _("No such entity."), code="not_found")
    staff = Staff.objects.select_related("department").get(user_id=actor.pk)
    with transaction.atomic():
        probe = Task(department=staff.department, region_code=applicant.region.code)
        require(actor, Action.SUPERVISION_PLAN, probe)
        return task_create(
            actor=actor,
            kind=Task.Kind.SPECIAL,
            applicant=applicant,
            department=staff.department,
            due_on=due_on,
            reason=reason,
        )


def access_task(*, user: Any, task_id: int, action: Action = Action.SUPERVISION_VIEW) -> Task:
    task = (
        Task.objects.select_related("applicant", "department", "plan", "case")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise NotFound(_("No such task."))
    require(user, action, task)
    return task


def task_assign(*, actor: Any, task_id: int, usernames: list[str]) -> Task:
    """A leader names the inspectors of a task (at least two, of the task's department)."""
    with transaction.atomic():
        task = access_task(user=actor, task_id=task_id, action=Action.SUPERVISION_PLAN)
        if task.status in CLOSED or hasattr(task, "inspection"):
            raise Conflict(_("The inspection has started; its inspectors are fixed."))
        staff = list(
            Staff.objects.filter(
                department=task.department,
                roles__role=Role.INSPECTOR,
                user__username__in=usernames or [],
                is_active=True,
            ).exclude(certificate_number="")
        )
        if len(staff) < 2 or len(staff) != len(set(usernames)):
            raise invalid_field(
                "inspectors",
                _("Name at least two certified inspectors of the task's department."),
                code="too_few_inspectors",
            )
        task.assignments.all().delete()
        for member in staff:
            TaskInspector.objects.create(task=task, staff=member, code=member.certificate_number)
        task.status = Task.Status.OPEN
        task.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="supervision.task.assign",
            obj=task,
            after={"inspectors": sorted(member.certificate_number for member in staff)},
        )
    return task


def task_join(*, actor: Any, task_id: int) -> Task:
    """An inspector of the department takes part in a task that was not drawn."""
    with transaction.atomic():
        task = access_task(user=actor, task_id=task_id, action=Action.SUPERVISION_INSPECT)
        if task.kind in (Task.Kind.DRAWN, Task.Kind.POINT_TO_AREA) and task.status != (
            Task.Status.NEEDS_INSPECTORS
        ):
            raise Conflict(
                _("Inspectors of a drawn task are drawn, not chosen."), code="drawn_task"
            )
        if task.status in CLOSED or hasattr(task, "inspection"):
            raise Conflict(_("The inspection has started; its inspectors are fixed."))
        # A superuser passes the permission but is no inspector: no staff row (was a 500).
        staff = Staff.objects.filter(user_id=actor.pk).first()
        if staff is None or not staff.certificate_number:
            raise invalid_field(
                "certificate_number", _("An inspector needs an enforcement certificate number.")
            )
        _assignment, created = TaskInspector.objects.get_or_create(
            task=task, staff=staff, defaults={"code": staff.certificate_number}
        )
        if not created:
            raise Conflict(_("You are on this task already."), code="duplicate")
        if (
            task.status == Task.Status.NEEDS_INSPECTORS
            and task.plan_id
            and task.assignments.count() >= task.plan.inspectors_per_task
        ):
            task.status = Task.Status.OPEN
            task.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="supervision.task.join",
            obj=task,
            after={"inspector": staff.certificate_number},
        )
    return task
