"""What every ticket write shares: the locked row, the timeline entry and the audit record."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from yiwang.audit.services import audit_record, snapshot
from yiwang.complaints.models import Ticket, TimelineEntry
from yiwang.errors import Conflict, NotFound, invalid_field

# The ticket fields every audit record shows before and after.
TRACKED = [
    "status",
    "lead_department",
    "due_on",
    "decision_due",
    "level",
    "extension_days",
    "replied_on",
    "closed_on",
    "round",
    "reopen_count",
    "upheld",
    "decision",
    "merged_into",
]


def locked_ticket(ticket_id: int, *, expected_version: int | None = None) -> Ticket:
    """The ticket row, locked until the end of the caller's transaction."""
    # No joins in the locking query: after waiting for a concurrent change, PostgreSQL rechecks
    # the joined rows as they were before it, and a changed region would hide the ticket.
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("No ticket has the id %(id)s.") % {"id": ticket_id})
    if expected_version is not None and expected_version != ticket.version:
        raise Conflict(_("Someone else changed this ticket first; reload it."), code="stale")
    return ticket


def before_of(ticket: Ticket) -> dict:
    return snapshot(ticket, TRACKED)


def record(
    ticket: Ticket, *, actor: Any, action: str, now, before=None, note: str = "", data=None
) -> None:
    """One timeline entry and one audit record for one change (inside its transaction)."""
    data = data or {}
    person = actor if getattr(actor, "pk", None) else None
    TimelineEntry.objects.create(
        ticket=ticket,
        at=now,
        action=action,
        actor=person,
        actor_label=getattr(person, "username", None) or "public",
        note=note,
        data=data,
    )
    audit_record(
        actor=person,
        action=f"ticket.{action}",
        obj=ticket,
        stream=f"ticket:{ticket.pk}",
        before=before,
        after={**snapshot(ticket, TRACKED), **data},
        note=note,
    )


def required_text(value: str | None, field: str, message, *, limit: int = 5000) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid_field(field, message, code="required")
    if len(value) > limit:
        raise invalid_field(
            field,
            _("Keep it under %(limit)s characters.") % {"limit": limit},
            code="too_long",
        )
    return value
