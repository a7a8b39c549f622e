"""Every write to a ticket after intake: one function per action, one transaction, its timeline
entry and audit record, and the events other apps react to. Intake lives in `intake`.

Each action locks the ticket row first, so two concurrent actions on one ticket run one after
the other and the second meets the state the first left (a second dispatch: 409).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.cases.models import StoredFile
from yiwang.complaints import deadlines
from yiwang.complaints.intake import Received, hash_code, ticket_receive
from yiwang.complaints.models import (
    Alert,
    Assignment,
    Decision,
    DuplicateProposal,
    Kind,
    Rating,
    Reply,
    Status,
    Ticket,
)
from yiwang.complaints.records import before_of, locked_ticket, record, required_text
from yiwang.errors import Conflict, PermissionRefused, invalid_field
from yiwang.events import publish
from yiwang.permissions import Action, may, refusal, require, scope_of
from yiwang.regions.models import Department, Role, Staff
from yiwang.workdays.calendar import working_days_between

__all__ = ["Received", "ticket_receive"]  # intake, re-exported: callers use `services`

DISPATCHABLE = (Status.RECEIVED, Status.RETURNED)


def _refused(message) -> Conflict:
    return Conflict(message, code="state")


def _save(ticket: Ticket, today) -> None:
    ticket.version += 1
    deadlines.refresh(ticket, today)
    ticket.save()


def ticket_dispatch(
    *,
    actor: Any,
    ticket_id: int,
    department_id: int,
    assisting_ids: list[int] | tuple[int, ...] = (),
    note: str = "",
    expected_version: int | None = None,
) -> Ticket:
    """派单: to one lead department (主办), optionally with assisting ones (协办)."""
    with transaction.atomic():
        ticket = locked_ticket(ticket_id, expected_version=expected_version)
        require(actor, Action.TICKET_DISPATCH, ticket)
        if ticket.status not in DISPATCHABLE:
            raise _refused(
                _(
                    "Ticket %(number)s is already %(status)s; "
                    "only a new or returned ticket is dispatched."
                )
                % {"number": ticket.number, "status": ticket.get_status_display()}
            )
        lead = _department(actor, department_id, "department")
        assisting = [
            _department(actor, pk, f"assisting.{index}") for index, pk in enumerate(assisting_ids)
        ]
        if any(d.pk == lead.pk for d in assisting):
            raise invalid_field("assisting", _("The lead department cannot also assist."))
        before = before_of(ticket)
        now = clock.now()
        ticket.assignments.filter(ended_at__isnull=True).update(ended_at=now)
        Assignment.objects.create(ticket=ticket, department=lead, lead=True, assigned_at=now)
        for department in assisting:
            Assignment.objects.create(ticket=ticket, department=department, assigned_at=now)
        ticket.lead_department = lead
        ticket.region = lead.region
        ticket.status = Status.DISPATCHED
        _save(ticket, clock.localdate(now))
        record(
            ticket,
            actor=actor,
            action="dispatch",
            now=now,
            before=before,
            note=note,
            data={"department": lead.name, "assisting": [d.name for d in assisting]},
        )
    return ticket


def _department(actor: Any, department_id: Any, field: str) -> Department:
    department = None
    if isinstance(department_id, int):
        department = Department.objects.select_related("region").filter(pk=department_id).first()
    prefix = scope_of(actor).region_prefix
    if department is None or (
        prefix
        and not scope_of(actor).is_superuser
        and not department.region.code.startswith(prefix)
    ):
        raise invalid_field(
            field,
            _("No department with the id %(id)s in your region.") % {"id": department_id},
            code="unknown_department",
        )
    return department


def ticket_return(*, actor: Any, ticket_id: int, reason: str) -> Ticket:
    """退回: misrouted; back to the dispatcher with the reason; the reply clock keeps running."""
    reason = required_text(reason, "reason", _("Say why the ticket is not yours."))
    with transaction.atomic():
        ticket = locked_ticket(ticket_id)
        require(actor, Action.TICKET_HANDLE, ticket)
        if ticket.status != Status.DISPATCHED:
            raise _refused(_("Only a dispatched ticket can be returned to the dispatcher."))
        before = before_of(ticket)
        now = clock.now()
        returned_by = ticket.lead_department
        ticket.assignments.filter(ended_at__isnull=True).update(ended_at=now)
        ticket.lead_department = None
        ticket.region = ticket.intake_department.region
        ticket.status = Status.RETURNED
        _save(ticket, clock.localdate(now))
        record(
            ticket,
            actor=actor,
            action="return",
            now=now,
            before=before,
            note=reason,
            data={"department": returned_by.name if returned_by else ""},
        )
    return ticket


def ticket_extend(*, actor: Any, ticket_id: int, reason: str) -> Ticket:
    """延期: once per ticket, by the rule's extension (default 5 working days), with a reason."""
    reason = required_text(reason, "reason", _("Give the reason for the extension."))
    with transaction.atomic():
        ticket = locked_ticket(ticket_id)
        require(actor, Action.TICKET_EXTEND, ticket)
        if ticket.extended_round is not None:
            raise _refused(
                _("This ticket was extended once already; a second extension is not allowed.")
            )
        if ticket.status != Status.DISPATCHED:
            raise _refused(_("Only a ticket being handled can be extended."))
        rule = deadlines.rule_for(kind=ticket.kind, urgency=ticket.urgency)
        before = before_of(ticket)
        now = clock.now()
        ticket.extension_days = rule.extension_days
        ticket.extension_reason = reason
        ticket.extended_round = ticket.round
        _save(ticket, clock.localdate(now))
        record(
            ticket,
            actor=actor,
            action="extend",
            now=now,
            before=before,
            note=reason,
            data={"days": rule.extension_days},
        )
    return ticket


def ticket_reply(
    *,
    actor: Any,
    ticket_id: int,
    text: str,
    file_ids: list[int] | tuple[int, ...] = (),
) -> Ticket:
    """答复: the handling department's answer, with attachments; stops the reply clock."""
    text = required_text(text, "text", _("Write the reply to the reporter."))
    with transaction.atomic():
        ticket = locked_ticket(ticket_id)
        require(actor, Action.TICKET_HANDLE, ticket)
        if not ticket.is_open:
            raise _refused(_("A closed ticket cannot be replied to; reopen it first."))
        if ticket.status != Status.DISPATCHED:
            raise _refused(
                _("Only a dispatched ticket can be replied to (this one is %(status)s).")
                % {"status": ticket.get_status_display()}
            )
        files = _files(actor, file_ids)
        before = before_of(ticket)
        now = clock.now()
        today = clock.localdate(now)
        on_time = ticket.due_on is not None and today <= ticket.due_on
        reply = Reply.objects.create(
            ticket=ticket,
            round=ticket.round,
            text=text,
            department=ticket.lead_department,
            replied_by=actor,
            replied_at=now,
            on_time=on_time,
        )
        reply.attachments.set(files)
        ticket.status = Status.REPLIED
        ticket.replied_on = today
        if ticket.first_replied_on is None:
            ticket.first_replied_on = today
            ticket.first_reply_on_time = on_time
        _save(ticket, today)
        record(
            ticket,
            actor=actor,
            action="reply",
            now=now,
            before=before,
            data={"round": ticket.round, "on_time": on_time, "attachments": [f.pk for f in files]},
        )
        publish(
            "ticket.replied",
            payload={
                "ticket_id": ticket.pk,
                "number": ticket.number,
                "kind": ticket.kind,
                "department_id": ticket.lead_department_id,
                "reporter_applicant_id": ticket.reporter_applicant_id,
                "replied_on": today,
            },
            actor=actor,
            subject=ticket,
        )
    return ticket


def _files(actor: Any, file_ids) -> list[StoredFile]:
    ids = list(file_ids or [])
    if not all(isinstance(pk, int) for pk in ids):
        raise invalid_field("attachments", _("Give the ids of uploaded files."))
    files = list(StoredFile.objects.filter(pk__in=ids, uploaded_by=actor))
    if len(files) != len(set(ids)):
        raise invalid_field(
            "attachments", _("Attach only files you uploaded yourself."), code="unknown_file"
        )
    return files


def _may_speak_for_reporter(actor: Any, ticket: Ticket, code: str | None) -> bool:
    """The reporter (by the lookup code or their account), or intake staff taking it by phone."""
    if code is not None:
        return hash_code(code) == ticket.lookup_code_hash
    if ticket.reporter_user_id and getattr(actor, "pk", None) == ticket.reporter_user_id:
        return True
    return may(actor, Action.TICKET_INTAKE, ticket)


def _not_the_reporter(actor: Any, ticket: Ticket, code: str | None, message: Any) -> Exception:
    """A wrong lookup code is refused (the number was given with it); a signed-in caller who
    is not the reporter is refused like any permission: 404 for a ticket outside their view."""
    if code is not None:
        return PermissionRefused(message, code="forbidden")
    return refusal(actor, ticket, message)


def ticket_rate(
    *, actor: Any, ticket_id: int, level: int, comment: str = "", code: str | None = None
) -> Rating:
    """好差评: the reporter rates the reply of the current round, once (5 best … 1 worst)."""
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
        raise invalid_field(
            "level", _("Rate from 1 (very dissatisfied) to 5 (very satisfied)."), code="range"
        )
    comment = (comment or "").strip()[:2000]
    with transaction.atomic():
        ticket = locked_ticket(ticket_id)
        if not _may_speak_for_reporter(actor, ticket, code):
            raise _not_the_reporter(actor, ticket, code, _("Only the reporter rates the reply."))
        if ticket.status not in (Status.REPLIED, Status.CLOSED):
            raise _refused(_("There is no reply to rate yet."))
        if ticket.ratings.filter(round=ticket.round).exists():
            raise _refused(_("This reply was rated already; each reply is rated once."))
        now = clock.now()
        rating = Rating.objects.create(
            ticket=ticket, round=ticket.round, level=level, comment=comment, rated_at=now
        )
        record(
            ticket,
            actor=actor,
            action="rate",
            now=now,
            data={"round": ticket.round, "level": level},
            note=comment,
        )
        publish(
            "ticket.rated",
            payload={
                "ticket_id": ticket.pk,
                "number": ticket.number,
                "level": level,
                "comment": comment,
                "department_id": ticket.lead_department_id,
                "rated_on": clock.localdate(now),
            },
            actor=actor,
            subject=ticket,
        )
    return rating


def ticket_reopen(*, actor: Any, ticket_id: int, reason: str, code: str | None = None) -> Ticket:
    """重办: once, within the rule's window (10 working days) after the reply."""
    reason = required_text(reason, "reason", _("Say what is still not resolved."))
    with transaction.atomic():
        ticket = locked_ticket(ticket_id)
        if not _may_speak_for_reporter(actor, ticket, code):
            raise _not_the_reporter(actor, ticket, code, _("Only the reporter reopens a ticket."))
        if ticket.status not in (Status.REPLIED, Status.CLOSED):
            raise _refused(_("Only a replied or closed ticket can be reopened."))
        if ticket.reopen_count >= 1:
            raise _refused(_("This ticket was reopened once already; it cannot be reopened again."))
        rule = deadlines.rule_for(kind=ticket.kind, urgency=ticket.urgency)
        now = clock.now()
        today = clock.localdate(now)
        if working_days_between(ticket.replied_on, today) > rule.reopen_days:
            raise _refused(
                _("The reopening window of %(days)s working days after the reply has passed.")
                % {"days": rule.reopen_days}
            )
        before = before_of(ticket)
        ticket.reopen_count += 1
        ticket.round += 1
        ticket.status = Status.DISPATCHED
        ticket.clock_start = today
        ticket.replied_on = None
        ticket.closed_on = None
        ticket.upheld = None  # the lead department's assignment stays open through the reply
        _save(ticket, today)
        record(ticket, actor=actor, action="reopen", now=now, before=before, note=reason)
    return ticket


def ticket_close(*, actor: Any, ticket_id: int, upheld: bool = False, note: str = "") -> Ticket:
    """办结: after the reply; `upheld` says whether the complaint or report was founded."""
    with transaction.atomic():
        ticket = locked_ticket(ticket_id)
        require(actor, Action.TICKET_CLOSE, ticket)
        if ticket.status != Status.REPLIED:
            raise _refused(_("Only a replied ticket can be closed."))
        before = before_of(ticket)
        now = clock.now()
        today = clock.localdate(now)
        ticket.status = Status.CLOSED
        ticket.closed_on = today
        ticket.upheld = bool(upheld)
        _save(ticket, today)
        record(ticket, actor=actor, action="close", now=now, before=before, note=note)
        publish(
            "ticket.closed",
            payload={
                "ticket_id": ticket.pk,
                "number": ticket.number,
                "kind": ticket.kind,
                "department_id": ticket.lead_department_id,
                "subject_entity_id": ticket.subject_entity_id,
                "upheld": bool(upheld),
                "closed_on": today,
            },
            actor=actor,
            subject=ticket,
        )
    return ticket


def ticket_decide_inspection(
    *, actor: Any, ticket_id: int, open_inspection: bool, reason: str
) -> Ticket:
    """A report (举报): decide, once, whether it opens a special inspection of its subject."""
    reason = required_text(reason, "reason", _("Give the reason for the decision."))
    with transaction.atomic():
        ticket = locked_ticket(ticket_id)
        require(actor, Action.TICKET_DECIDE_INSPECTION, ticket)
        if ticket.kind != Kind.REPORT:
            raise _refused(_("Only a report can open a special inspection."))
        if ticket.decision:
            raise _refused(_("The inspection decision on this report is taken already."))
        if ticket.status not in (Status.DISPATCHED, Status.REPLIED):
            raise _refused(_("Only a report being handled can open an inspection."))
        if open_inspection and ticket.subject_entity_id is None:
            raise invalid_field(
                "subject",
                _("Name the reported entity (a known USCC or name) before opening an inspection."),
                code="subject_unknown",
            )
        before = before_of(ticket)
        now = clock.now()
        today = clock.localdate(now)
        ticket.decision = Decision.INSPECTION if open_inspection else Decision.NO_INSPECTION
        ticket.decided_on = today
        _save(ticket, today)
        record(
            ticket,
            actor=actor,
            action="request_inspection" if open_inspection else "decline_inspection",
            now=now,
            before=before,
            note=reason,
        )
        if open_inspection:
            publish(
                "ticket.inspection_requested",
                payload={
                    "ticket_id": ticket.pk,
                    "number": ticket.number,
                    "entity_id": ticket.subject_entity_id,
                    "entity_code": ticket.subject_entity.uscc or None,
                    "department_id": ticket.lead_department_id,
                    "reason": reason,
                },
                actor=actor,
                subject=ticket,
            )
    return ticket


def ticket_link_inspection(
    *,
    ticket_id: int,
    inspection_id: int,
    outcome: str,
    concluded_on,
    findings_summary: str = "",
) -> Ticket | None:
    """The concluded inspection a report opened, linked back to it (idempotent)."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None or ticket.decision != Decision.INSPECTION:
            return None
        if ticket.inspection_id == inspection_id and ticket.inspection_outcome == outcome:
            return ticket
        before = before_of(ticket)
        now = clock.now()
        ticket.inspection_id = inspection_id
        ticket.inspection_outcome = outcome
        ticket.inspection_concluded_on = concluded_on
        ticket.inspection_findings = findings_summary
        ticket.version += 1
        ticket.save()
        record(
            ticket,
            actor=None,
            action="inspection_concluded",
            now=now,
            before=before,
            note=findings_summary,
            data={"inspection_id": inspection_id, "outcome": outcome},
        )
    return ticket


def ticket_merge(*, actor: Any, ticket_id: int, into_id: int) -> Ticket:
    """合并: a duplicate (same subject and content within 30 days) joins the earlier ticket."""
    with transaction.atomic():
        ticket = locked_ticket(ticket_id)
        require(actor, Action.TICKET_DISPATCH, ticket)
        proposal = DuplicateProposal.objects.filter(
            ticket=ticket, original_id=into_id, state=DuplicateProposal.State.PROPOSED
        ).first()
        if proposal is None:
            raise invalid_field(
                "into", _("Merge only into a ticket proposed as the original."), code="not_proposed"
            )
        if ticket.status not in DISPATCHABLE:
            raise _refused(_("Only a ticket not yet dispatched can be merged."))
        before = before_of(ticket)
        now = clock.now()
        ticket.status = Status.MERGED
        ticket.merged_into_id = into_id
        ticket.closed_on = clock.localdate(now)
        _save(ticket, clock.localdate(now))
        proposal.state = DuplicateProposal.State.MERGED
        proposal.save(update_fields=["state"])
        record(
            ticket,
            actor=actor,
            action="merge",
            now=now,
            before=before,
            data={"into": proposal.original.number},
        )
    return ticket


def ticket_refresh_deadlines(*, ticket_id: int) -> tuple[str, str]:
    """Recompute one open ticket's due dates and level; (old level, new level)."""
    with transaction.atomic():
        ticket = locked_ticket(ticket_id)
        old = ticket.level
        deadlines.refresh(ticket, clock.today())
        if ticket.level != old:
            ticket.save(update_fields=["due_on", "decision_due", "level"])
    return old, ticket.level


def ticket_alert_staff(*, ticket_id: int, level: str) -> list[Alert]:
    """Tell the handling department's reviewers, approvers and leaders (or, not yet dispatched,
    the dispatcher's operators and clerks) that a ticket is due soon or overdue."""
    ticket = Ticket.objects.get(pk=ticket_id)
    if ticket.lead_department_id:
        department_id, roles = (
            ticket.lead_department_id,
            (Role.REVIEWER, Role.APPROVER, Role.LEADER),
        )
    else:
        department_id, roles = (
            ticket.intake_department_id,
            (Role.HOTLINE_OPERATOR, Role.WINDOW_CLERK),
        )
    users = sorted(
        set(
            Staff.objects.filter(
                department_id=department_id, is_active=True, roles__role__in=roles
            ).values_list("user_id", flat=True)
        )
    )
    now = clock.now()
    with transaction.atomic():
        alerts = Alert.objects.bulk_create(
            Alert(user_id=user_id, ticket=ticket, level=level, created_at=now) for user_id in users
        )
        audit_record(
            actor=None,
            action="ticket.alert",
            obj=ticket,
            stream=f"ticket:{ticket.pk}",
            after={"level": level, "users": users},
        )
    return alerts
