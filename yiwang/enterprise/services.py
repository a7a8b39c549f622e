"""Secretaries and the three lists: every write is one function, one transaction, one audit
record (stream `enterprise:<applicant id>`, so an enterprise's whole service history is one
chain)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.enterprise.models import (
    EntryStatus,
    ListEntry,
    ListKind,
    SecretaryAssignment,
)
from yiwang.errors import Conflict, NotFound, invalid_field
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require
from yiwang.regions.models import Role, Staff
from yiwang.workdays.calendar import add_working_days

# A problem the enterprise reports is answered by its secretary within this many working days
# (the commission's service commitment, not a statute).
PROBLEM_ANSWER_WORKING_DAYS = 5


def person_or_none(actor: Any):
    return actor if getattr(actor, "pk", None) else None


def applicant_get(applicant_id: int) -> Applicant:
    applicant = Applicant.objects.select_related("region").filter(pk=applicant_id).first()
    if applicant is None:
        raise NotFound(_("No such applicant."), fields={"applicant_id": _("No such applicant.")})
    return applicant


def _record(actor: Any, action: str, obj, *, applicant_id: int, before=None, after=None, note=""):
    audit_record(
        actor=person_or_none(actor),
        action=action,
        obj=obj,
        stream=f"enterprise:{applicant_id}",
        before=before,
        after=after,
        note=str(note),
    )


def entry_snapshot(entry: ListEntry) -> dict:
    return {
        "kind": entry.kind,
        "title": entry.title,
        "owner": entry.owner_id,
        "due_on": entry.due_on,
        "status": entry.status,
        "closed_on": entry.closed_on,
    }


# Secretaries -----------------------------------------------------------------------------


def current_secretary(applicant_id: int) -> SecretaryAssignment | None:
    return (
        SecretaryAssignment.objects.select_related("secretary")
        .filter(applicant_id=applicant_id, ends_on__isnull=True)
        .first()
    )


def secretary_assign(
    *, actor: Any, applicant_id: int, secretary_id: int, note: str = ""
) -> SecretaryAssignment:
    """Assign a service secretary to an enterprise; the former assignment ends today and stays
    in the history."""
    applicant = applicant_get(applicant_id)
    require(actor, Action.SECRETARY_ASSIGN, applicant)
    staff = (
        Staff.objects.select_related("region")
        .filter(pk=secretary_id, is_active=True, roles__role=Role.SERVICE_SECRETARY)
        .first()
    )
    if staff is None:
        raise invalid_field(
            "secretary_id", _("Choose an active staff member with the service secretary role.")
        )
    if not applicant.region.code.startswith(staff.region.prefix):
        raise invalid_field(
            "secretary_id", _("The secretary's region does not cover the enterprise.")
        )
    today = clock.today()
    with transaction.atomic():
        current = (
            SecretaryAssignment.objects.select_for_update()
            .filter(applicant=applicant, ends_on__isnull=True)
            .first()
        )
        if current is not None and current.secretary_id == staff.pk:
            raise Conflict(
                _("%(name)s is already this enterprise's secretary.") % {"name": staff},
                code="already_secretary",
                fields={"secretary_id": _("already assigned")},
            )
        if current is not None:
            current.ends_on = today
            current.save(update_fields=["ends_on"])
        assignment = SecretaryAssignment.objects.create(
            applicant=applicant,
            secretary=staff,
            starts_on=today,
            assigned_by=actor,
            note=note.strip(),
        )
        _record(
            actor,
            "secretary.assign",
            assignment,
            applicant_id=applicant.pk,
            before={"secretary": current.secretary_id} if current else None,
            after={"secretary": staff.pk, "from": today},
            note=note,
        )
    return assignment


# The three lists --------------------------------------------------------------------------


def _owner(owner_id: int | None) -> Staff:
    if not owner_id:
        raise invalid_field(
            "owner_id", _("Every list entry needs an owner."), code="owner_required"
        )
    owner = Staff.objects.filter(pk=owner_id, is_active=True).first()
    if owner is None:
        raise invalid_field("owner_id", _("The owner must be an active staff member."))
    return owner


def _due(due_on: datetime.date | None) -> datetime.date:
    if due_on is None:
        raise invalid_field("due_on", _("Every list entry needs a due date."), code="due_required")
    if due_on < clock.today():
        raise invalid_field("due_on", _("The due date lies in the past."), code="due_in_past")
    return due_on


def _text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid_field(field, message, code="required")
    return value


def list_entry_add(
    *,
    actor: Any,
    applicant_id: int,
    kind: str,
    title: str,
    owner_id: int | None,
    due_on: datetime.date | None,
    notes: str = "",
) -> ListEntry:
    """A secretary or leader adds an entry to one of the enterprise's three lists."""
    applicant = applicant_get(applicant_id)
    require(actor, Action.ENTERPRISE_LISTS_EDIT, applicant)
    if kind not in ListKind.values:
        raise invalid_field("kind", _("Choose the problem, done-for or potential list."))
    title = _text(title, "title", _("Give the entry a title."))
    owner = _owner(owner_id)
    due_on = _due(due_on)
    with transaction.atomic():
        entry = ListEntry.objects.create(
            applicant=applicant,
            kind=kind,
            title=title,
            notes=(notes or "").strip(),
            owner=owner,
            due_on=due_on,
            created_by=actor,
            created_at=clock.now(),
        )
        _record(
            actor, "list_entry.add", entry, applicant_id=applicant.pk, after=entry_snapshot(entry)
        )
    return entry


def problem_report(*, actor: Any, applicant_id: int, title: str, notes: str = "") -> ListEntry:
    """The enterprise adds a problem to its own list; its secretary owns it and answers it
    within the committed working days."""
    applicant = applicant_get(applicant_id)
    require(actor, Action.ENTERPRISE_PROBLEM_REPORT, applicant)
    title = _text(title, "title", _("Say what the problem is."))
    assignment = current_secretary(applicant.pk)
    if assignment is None:
        raise Conflict(
            _("No service secretary is assigned to this enterprise yet; call the service hall."),
            code="no_secretary",
        )
    due_on, _provisional = add_working_days(clock.today(), PROBLEM_ANSWER_WORKING_DAYS)
    with transaction.atomic():
        entry = ListEntry.objects.create(
            applicant=applicant,
            kind=ListKind.PROBLEM,
            title=title,
            notes=(notes or "").strip(),
            owner=assignment.secretary,
            due_on=due_on,
            reported_by_enterprise=True,
            created_by=actor,
            created_at=clock.now(),
        )
        _record(
            actor,
            "list_entry.report",
            entry,
            applicant_id=applicant.pk,
            after=entry_snapshot(entry),
        )
    return entry


def list_entry_update(
    *,
    actor: Any,
    entry_id: int,
    status: str | None = None,
    note: str = "",
    due_on: datetime.date | None = None,
    owner_id: int | None = None,
) -> ListEntry:
    """Change an entry's status, due date or owner; a note is added to its notes, dated."""
    with transaction.atomic():
        entry = (
            ListEntry.objects.select_for_update(of=("self",))
            .select_related("applicant__region")
            .filter(pk=entry_id)
            .first()
        )
        if entry is None:
            raise NotFound(_("No such list entry."))
        require(actor, Action.ENTERPRISE_LISTS_EDIT, entry)
        before = entry_snapshot(entry)
        if status is not None:
            if status not in EntryStatus.values:
                raise invalid_field("status", _("Choose open, in progress, done or dropped."))
            entry.status = status
            entry.closed_on = (
                clock.today() if status in (EntryStatus.DONE, EntryStatus.DROPPED) else None
            )
        if due_on is not None:
            entry.due_on = _due(due_on)
        if owner_id is not None:
            entry.owner = _owner(owner_id)
        note = (note or "").strip()
        if note:
            entry.notes = f"{entry.notes}\n{clock.today().isoformat()} {note}".strip()
        if entry_snapshot(entry) == before and not note:
            raise invalid_field("status", _("Nothing to change."), code="no_change")
        entry.save()
        _record(
            actor,
            "list_entry.update",
            entry,
            applicant_id=entry.applicant_id,
            before=before,
            after=entry_snapshot(entry),
            note=note,
        )
    return entry
