"""The engine every case action runs on: lock the case, ask the workflow table and the
permission module, change, recompute the deadlines from the `workdays` clocks, then write the
timeline entry and the audit record — all in one transaction. The applicant is told from the
step's event after it commits (`subscribers.write_step_notice`), not inside the request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit import chain
from yiwang.audit.services import audit_record, snapshot
from yiwang.cases import events as case_events
from yiwang.cases.engine import hooks, table
from yiwang.cases.engine.clocks import deadlines_of
from yiwang.cases.engine.states import FINAL, GRANTED
from yiwang.cases.models import Case, TimelineEntry
from yiwang.errors import Conflict, NotFound, invalid_field
from yiwang.events import publish
from yiwang.permissions import require
from yiwang.statements import insert_row, written_together

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
            .select_related(
                "item",
                "item_version__item",
                "implementation",
                "region",
                "applicant",
                "department__region",
            )
            .filter(pk=case_id)
            .first()
        )
        if case is None:
            raise NotFound(_("No case has the id %(id)s.") % {"id": case_id})
        step = table.transition(action)
        if step.permission is not None:
            require(actor, step.permission, case)
        table.check(action, case.status, case)
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
        hooks.run("after_change", case=case, action=action)
        record_step(
            case,
            actor,
            action,
            now,
            note=note,
            data=data,
            before=before,
            notice=notice or "",
            notice_body=notice_body,
        )
    return case


def record_step(
    case: Case,
    actor: Any,
    action: str,
    now,
    *,
    note: str,
    data: dict,
    before,
    notice: str = "",
    notice_body: str = "",
) -> None:
    """The step's event (with the applicant's notice, if the step has one), and its timeline
    entry and audit record pointing at that event."""
    if notice and not case_events.carries_notices(action):
        raise ValueError(f"the event of step {action!r} carries no notice")
    person = actor if getattr(actor, "pk", None) else None
    # These rows read nothing the step has not already read: on PostgreSQL they go as one
    # statement (the audit head is locked and read before, as it must be).
    with written_together():
        event = publish(
            case_events.event_name(action),
            payload={
                **event_payload(case, action, now, note=note, data=data, before=before),
                "notice": notice,
                "notice_body": str(notice_body or ""),
            },
            actor=person,
            subject=case,
        )
        if case.status in FINAL and (before or {}).get("status") not in FINAL:
            publish(
                case_events.CLOSED,
                payload=event_payload(case, action, now, note=note, data=data, before=before),
                actor=person,
                subject=case,
            )
        entry = TimelineEntry(
            case=case,
            at=now,
            action=action,
            actor=person,
            actor_label=getattr(actor, "username", None) or "system",
            note=note,
            data=data,
            event=event,
        )
        insert_row(entry)
        audit_record(
            actor=person,
            action=f"case.{action}",
            obj=case,
            stream=f"case:{case.pk}",
            before=before,
            after={**snapshot(case, TRACKED), **data, "event": str(event.pk)},
            note=note,
        )


def event_payload(case: Case, action: str, now, *, note: str, data: dict, before) -> dict:
    decided = case_events.event_name(action) == "case.decided"
    return {
        "case_id": case.pk,
        "number": case.number,
        "action": action,
        "item_code": case.item_version.code,
        "item_name": case.item_version.name,
        "applicant_id": case.applicant_id,
        "department_id": case.department_id,
        "region_code": case.region.code,
        "channel": case.channel,
        "procedure": case.procedure,
        "status": case.status,
        "from_status": (before or {}).get("status"),
        "on": clock.localdate(now),
        "at": now,
        "note": str(note or ""),
        "outcome": ("approved" if case.status in GRANTED else "denied") if decided else None,
        "decided_on": case.decided_on,
        "legal_basis": str(data.get("legal_basis", "")),
        "licence_number": case.licence_number or "",
        "post_check_due": data.get("post_check_due") or data.get("check_due"),
        "data": chain.to_json_value(data),
    }


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
