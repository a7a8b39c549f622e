"""Writes of the publication queue: queue (from events), publish, withdraw, and daily alerts.

Each function is one transaction with one audit record (stream `publication:<pk>`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.disclosure import rules
from yiwang.disclosure.models import Publication, PublicationAlert
from yiwang.errors import Conflict, invalid_field
from yiwang.permissions import Action, require
from yiwang.regions.models import Role, Staff
from yiwang.workdays.calendar import add_working_days
from yiwang.workdays.clock import NORMAL, DeadlineClock

Kind = Publication.Kind
Status = Publication.Status

LIMITS = {
    Kind.LICENSING: rules.DECISION_PUBLISH_WORKING_DAYS,
    Kind.PENALTY: rules.DECISION_PUBLISH_WORKING_DAYS,
    Kind.INSPECTION: rules.INSPECTION_RESULT_PUBLISH_WORKING_DAYS,
}
WITHDRAW_REASON_RULE = _("Give the reason for the withdrawal; it is published with the note.")
NOT_QUEUED_RULE = _("This record is %(status)s; only a record awaiting review can be published.")
ALREADY_WITHDRAWN_RULE = _("This record is already withdrawn.")


def needs_review(*, kind: str, decision: str, is_person: bool) -> bool:
    """Approvals of organisations and compliant results go out automatically; denials,
    penalties, adverse results and anything about a natural person wait for one click."""
    if is_person or kind == Kind.PENALTY:
        return True
    if kind == Kind.LICENSING:
        return decision != "approved"
    return decision != "compliant"


def publication_queue(
    *,
    kind: str,
    source_id: int,
    decided_on: datetime.date,
    subject_name: str,
    subject_code: str,
    subject_is_person: bool,
    decision: str,
    number: str = "",
    department_id: int | None = None,
    region_code: str = "",
    item_code: str = "",
    item_name: str = "",
    licence_number: str = "",
    legal_basis: str = "",
    summary: str = "",
) -> Publication:
    """Queue a record the day it is decided, due N working days after; publish it at once when
    it needs no review. A repeated event finds the record already queued and changes nothing."""
    with transaction.atomic():
        existing = Publication.objects.filter(kind=kind, source_id=source_id).first()
        if existing is not None:
            return existing
        review = needs_review(kind=kind, decision=decision, is_person=subject_is_person)
        now = clock.now()
        publication = Publication.objects.create(
            kind=kind,
            source_id=source_id,
            number=number,
            department_id=department_id,
            region_code=region_code,
            subject_name=subject_name,
            subject_code=subject_code,
            subject_is_person=subject_is_person,
            item_code=item_code,
            item_name=item_name,
            decision=decision,
            licence_number=licence_number or "",
            legal_basis=legal_basis,
            summary=summary,
            decided_on=decided_on,
            publish_due=add_working_days(decided_on, LIMITS[kind])[0],
            needs_review=review,
            status=Status.QUEUED if review else Status.PUBLISHED,
            queued_at=now,
            published_at=None if review else now,
        )
        audit_record(
            actor=None,
            action="publication.queue" if review else "publication.publish",
            obj=publication,
            stream=f"publication:{publication.pk}",
            after={
                "kind": kind,
                "publish_due": publication.publish_due,
                "status": publication.status,
            },
        )
    return publication


def publication_set_licence_number(*, case_id: int, licence_number: str) -> int:
    """The licence issued after an approval: its number joins the published decision."""
    with transaction.atomic():
        changed = Publication.objects.filter(
            kind=Kind.LICENSING, source_id=case_id, licence_number=""
        ).update(licence_number=licence_number)
        if changed:
            audit_record(
                actor=None,
                action="publication.licence_number",
                object_type="disclosure.publication",
                object_id=f"licensing:{case_id}",
                stream=f"publication-case:{case_id}",
                after={"licence_number": licence_number},
            )
    return changed


def publication_publish(*, actor: Any, publication: Publication) -> Publication:
    """One click: publish a record that waited for review."""
    require(actor, Action.DISCLOSURE_PUBLISH, publication)
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.status != Status.QUEUED:
            raise Conflict(
                NOT_QUEUED_RULE % {"status": locked.get_status_display()}, code="not_queued"
            )
        locked.status = Status.PUBLISHED
        locked.published_at = clock.now()
        locked.published_by = actor
        locked.save(update_fields=["status", "published_at", "published_by"])
        audit_record(
            actor=actor,
            action="publication.publish",
            obj=locked,
            stream=f"publication:{locked.pk}",
            before={"status": Status.QUEUED},
            after={"status": locked.status},
        )
    return locked


def publication_withdraw(*, actor: Any, publication: Publication, reason: str) -> Publication:
    """Withdraw a record (e.g. the decision was revoked); the note stays public with the record."""
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field("reason", WITHDRAW_REASON_RULE, code="required")
    if actor is not None:
        require(actor, Action.DISCLOSURE_WITHDRAW, publication)
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.status == Status.WITHDRAWN:
            raise Conflict(ALREADY_WITHDRAWN_RULE, code="already_withdrawn")
        before = {"status": locked.status}
        locked.status = Status.WITHDRAWN
        locked.withdrawn_at = clock.now()
        locked.withdrawal_reason = reason
        locked.save(update_fields=["status", "withdrawn_at", "withdrawal_reason"])
        audit_record(
            actor=actor,
            action="publication.withdraw",
            obj=locked,
            stream=f"publication:{locked.pk}",
            before=before,
            after={"status": locked.status, "reason": reason},
        )
    return locked


def publication_reading(publication: Publication, today: datetime.date | None = None):
    """The publication clock: N working days from the decision, stopped when published."""
    stopped = clock.localdate(publication.published_at) if publication.published_at else None
    if publication.status == Status.WITHDRAWN and stopped is None:
        stopped = clock.localdate(publication.withdrawn_at)
    return DeadlineClock(
        start=publication.decided_on,
        limit_days=LIMITS[Kind(publication.kind)],
        stopped_on=max(stopped, publication.decided_on) if stopped else None,
    ).at(today or clock.today())


def publications_alert(*, today: datetime.date | None = None) -> int:
    """Daily: warn each department's leaders of records awaiting review at warning or overdue."""
    today = today or clock.today()
    leaders: dict[int, list[int]] = {}
    for row in Staff.objects.filter(is_active=True, roles__role=Role.LEADER).values(
        "department_id", "user_id"
    ):
        leaders.setdefault(row["department_id"], []).append(row["user_id"])
    already = set(
        PublicationAlert.objects.filter(created_on=today).values_list("publication_id", "user_id")
    )
    alerts = []
    for publication in Publication.objects.filter(status=Status.QUEUED):
        level = publication_reading(publication, today).level
        if level == NORMAL:
            continue
        for user_id in leaders.get(publication.department_id, []):
            if (publication.pk, user_id) not in already:
                alerts.append(
                    PublicationAlert(
                        publication=publication, user_id=user_id, level=level, created_on=today
                    )
                )
    with transaction.atomic():
        PublicationAlert.objects.bulk_create(alerts, ignore_conflicts=True)
        if alerts:
            audit_record(
                actor=None,
                action="publication.alert",
                object_type="disclosure.publication",
                object_id=today.isoformat(),
                after={"alerts": len(alerts)},
            )
    return len(alerts)
