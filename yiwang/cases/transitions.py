"""The engine every case action runs on: lock the case, ask the workflow table and the
permission module, change, recompute the deadlines from the `workdays` clocks, then write the
timeline entry and the audit record, and tell the applicant — all in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.cases import bundles, workflow
from yiwang.cases.clocks import deadlines_of
from yiwang.cases.models import Case, TimelineEntry
from yiwang.cases.notifications import notify
from yiwang.errors import Conflict, NotFound, invalid_field
from yiwang.permissions import require

# The case fields every audit record of an action shows before and after.
TRACKED = [
    "status",
    "department",
    "accepted_on",
    "deemed_accepted",
    "decided_on",
    "issued_on",
    "closed_on",
    "extension_days",
    "due_on",
    "level",
    "green",
    "licence_number",
]


def perform(
    *,
    actor: Any,
    case_id: int,
    action: str,
    change: Callable[[Case, Any], dict | None] | None = None,
    note: str = "",
    notice: str | None = None,
    notice_body: str = "",
    expected_version: int | None = None,
) -> Case:
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("item_version", "implementation", "region", "applicant", "department")
            .filter(pk=case_id)
            .first()
        )
        if case is None:
            raise NotFound(_("No case has the id %(id)s.") % {"id": case_id})
        step = workflow.transition(action)
        if step.permission is not None:
            require(actor, step.permission, case)
        workflow.check(action, case.status)
        if expected_version is not None and expected_version != case.version:
            raise Conflict(_("Someone else changed this case first; reload it."), code="stale")
        before = snapshot(case, TRACKED)
        now = clock.now()
        data = (change(case, now) if change else None) or {}
        if step.target:
            case.status = step.target
        case.version += 1
        refresh_deadlines(case, clock.localdate(now))
        case.save()
        if case.bundle_application_id and case.status in bundles.DECIDED:
            bundles.bundle_refresh(case.bundle_application_id)
        record_step(case, actor, action, now, note=note, data=data, before=before)
        if notice:
            notify(case=case, kind=notice, body=notice_body)
    return case


def record_step(case: Case, actor: Any, action: str, now, *, note: str, data: dict, before) -> None:
    label = getattr(actor, "username", None) or "system"
    TimelineEntry.objects.create(
        case=case,
        at=now,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label,
        note=note,
        data=data,
    )
    audit_record(
        actor=actor if getattr(actor, "pk", None) else None,
        action=f"case.{action}",
        obj=case,
        stream=f"case:{case.pk}",
        before=before,
        after={**snapshot(case, TRACKED), **data},
        note=note,
    )


def refresh_deadlines(case: Case, today) -> None:
    suspensions = list(case.suspensions.all()) if case.pk else []
    deadlines = deadlines_of(case, today, suspensions)
    case.due_on = deadlines.due_on
    case.level = deadlines.level


def required_text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid_field(field, message, code="required")
    return value
