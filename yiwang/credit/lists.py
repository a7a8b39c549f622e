"""Red and black lists (红黑名单): entries by rule from a fact, manual entries with legal basis
and a leader's approval, their end, and the flags kept on `parties.Applicant` that every gate
reads. Being black-listed grades the entity D, so supervision samples it most."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.credit.grading import grade_pass
from yiwang.credit.models import CreditFact, ListEntry, ListRule
from yiwang.credit.rules import SEVERITIES, add_months
from yiwang.errors import Conflict, PermissionRefused, invalid_field
from yiwang.events import publish
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require

SEVERITY_ORDER = list(SEVERITIES)
LIST_KINDS = ("red", "black")


def sync_list_flags(applicant_ids: list[int], *, on: datetime.date | None = None) -> None:
    """Set black_listed / red_listed from the entries in force today, set-based."""
    on = on or clock.today()
    in_force = ListEntry.objects.filter(
        applicant=OuterRef("pk"),
        status=ListEntry.Status.ACTIVE,
        starts_on__lte=on,
        ends_on__gte=on,
    )
    Applicant.objects.filter(pk__in=applicant_ids).update(
        black_listed=Exists(in_force.filter(list_kind="black")),
        red_listed=Exists(in_force.filter(list_kind="red")),
    )


def _activate(entry: ListEntry, *, actor: Any) -> None:
    """An entry takes effect: a black entry ends the entity's red entries (it cannot be both)."""
    if entry.list_kind == "black":
        ListEntry.objects.filter(
            applicant_id=entry.applicant_id, list_kind="red", status=ListEntry.Status.ACTIVE
        ).update(status=ListEntry.Status.ENDED, ended_on=clock.today())
    elif Applicant.objects.filter(pk=entry.applicant_id, black_listed=True).exists():
        raise Conflict(
            _("An entity on the black list cannot be put on the red list."), code="black_listed"
        )
    sync_list_flags([entry.applicant_id])
    grade_pass(
        actor=actor,
        reason=f"{entry.list_kind} list entry {entry.pk}",
        applicant_ids=[entry.applicant_id],
    )
    publish(
        "credit.listed",
        payload={
            "applicant_id": entry.applicant_id,
            "list": entry.list_kind,
            "until": entry.ends_on,
            "legal_basis": entry.legal_basis,
        },
        actor=actor,
        subject=entry,
    )


def apply_rules(fact: CreditFact, *, actor: Any) -> list[ListEntry]:
    """Put the fact's entity on every list whose entry rule the fact meets (e.g. a false
    commitment → black list). Call inside the transaction that records the fact."""
    rank = SEVERITY_ORDER.index(fact.severity)
    created = []
    for rule in ListRule.objects.filter(fact_kind=fact.kind, active=True).order_by("pk"):
        if SEVERITY_ORDER.index(rule.min_severity) > rank:
            continue
        entry, made = ListEntry.objects.get_or_create(
            fact=fact,
            list_kind=rule.list_kind,
            defaults={
                "applicant_id": fact.applicant_id,
                "status": ListEntry.Status.ACTIVE,
                "legal_basis": rule.legal_basis,
                "reason": str(fact.get_kind_display()),
                "starts_on": fact.occurred_on,
                "ends_on": add_months(fact.occurred_on, rule.months),
                "rule": rule,
                "created_at": clock.now(),
            },
        )
        if made:
            audit_record(actor=actor, action="credit.list_enter", obj=entry, after=snapshot(entry))
            _activate(entry, actor=actor)
            created.append(entry)
    return created


def list_entry_propose(
    *,
    actor: Any,
    applicant: Applicant,
    list_kind: str,
    legal_basis: str,
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> ListEntry:
    """A manual entry (e.g. a red list of model institutions), awaiting a leader's approval."""
    require(actor, Action.CREDIT_LIST_PROPOSE, applicant)
    if list_kind not in LIST_KINDS:
        raise invalid_field("list", _("The list is red or black."))
    if not (legal_basis or "").strip():
        raise invalid_field(
            "legal_basis", _("A manual entry needs its legal basis."), code="required"
        )
    if not (reason or "").strip():
        raise invalid_field("reason", _("Give the reason for the entry."), code="required")
    if ends_on < starts_on:
        raise invalid_field("ends_on", _("The entry ends before it starts."))
    with transaction.atomic():
        entry = ListEntry.objects.create(
            applicant=applicant,
            list_kind=list_kind,
            status=ListEntry.Status.PROPOSED,
            legal_basis=legal_basis.strip(),
            reason=reason.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            proposed_by=actor,
            created_at=clock.now(),
        )
        audit_record(actor=actor, action="credit.list_propose", obj=entry, after=snapshot(entry))
    return entry


def list_entry_decide(*, actor: Any, entry_id: int, approve: bool, note: str = "") -> ListEntry:
    """A leader other than the proposer approves (the entry takes effect) or refuses it."""
    with transaction.atomic():
        entry = (
            ListEntry.objects.select_for_update(of=("self",))
            .select_related("applicant__region")
            .filter(pk=entry_id)
            .first()
        )
        if entry is None:
            raise invalid_field("entry", _("No such list entry."))
        require(actor, Action.CREDIT_LIST_APPROVE, entry)
        if entry.status != ListEntry.Status.PROPOSED:
            raise Conflict(_("This entry has already been decided."), code="already_decided")
        if entry.proposed_by_id == getattr(actor, "pk", None):
            raise PermissionRefused(
                _("The one who proposed an entry cannot approve it."), code="four_eyes"
            )
        before = snapshot(entry, ["status", "approved_by"])
        entry.status = ListEntry.Status.ACTIVE if approve else ListEntry.Status.REFUSED
        entry.approved_by = actor
        entry.save(update_fields=["status", "approved_by"])
        audit_record(
            actor=actor,
            action="credit.list_approve" if approve else "credit.list_refuse",
            obj=entry,
            before=before,
            after=snapshot(entry, ["status", "approved_by"]),
            note=note,
        )
        if approve:
            _activate(entry, actor=actor)
    return entry


def list_entries_end_for_fact(fact: CreditFact, *, actor: Any) -> list[int]:
    """A fact that no longer counts takes its rule-made entries off the lists."""
    ended = []
    for entry in ListEntry.objects.filter(fact=fact, status=ListEntry.Status.ACTIVE):
        entry.status, entry.ended_on = ListEntry.Status.ENDED, clock.today()
        entry.save(update_fields=["status", "ended_on"])
        audit_record(
            actor=actor,
            action="credit.list_end",
            obj=entry,
            after={"status": entry.status, "ended_on": entry.ended_on},
        )
        ended.append(entry.pk)
    if ended:
        sync_list_flags([fact.applicant_id])
    return ended


def list_entries_expire(*, on: datetime.date | None = None) -> int:
    """The daily job: entries past their end date leave the lists; their entities are regraded."""
    on = on or clock.today()
    with transaction.atomic():
        due = list(
            ListEntry.objects.select_for_update()
            .filter(status=ListEntry.Status.ACTIVE, ends_on__lt=on)
            .values_list("pk", "applicant_id")
        )
        if not due:
            return 0
        ListEntry.objects.filter(pk__in=[pk for pk, _a in due]).update(
            status=ListEntry.Status.ENDED, ended_on=on
        )
        applicant_ids = sorted({applicant for _pk, applicant in due})
        sync_list_flags(applicant_ids, on=on)
        audit_record(
            actor=None,
            action="credit.list_expire",
            object_type="credit.listentry",
            object_id=on.isoformat(),
            stream="credit.lists",
            after={"entries": [pk for pk, _a in due]},
        )
        grade_pass(actor=None, reason="list entries ended", applicant_ids=applicant_ids)
    return len(due)
