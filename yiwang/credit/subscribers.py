"""Facts from our own department's records, arriving as events: inspection outcomes, penalties
(with the four-lists entry applied, if any) and upheld complaints. Each is idempotent: the fact's
record id is built from the event's own record id."""

from __future__ import annotations

import datetime

from django.db import transaction

from yiwang.credit.models import InclusiveMeasure
from yiwang.credit.services import entity_for_code, own_fact_record
from yiwang.events import subscriber
from yiwang.parties.models import Applicant

INSPECTION_KINDS = {
    "compliant": "inspection_compliant",
    "rectify": "inspection_rectify",
    "violation": "inspection_violation",
}
# A penalty reduced by an entry of the four lists weighs less in the record.
PENALTY_SEVERITY = {"no_penalty": "minor", "no_compulsory": "general", "lighter": "general"}


def _day(value) -> datetime.date:
    return datetime.date.fromisoformat(str(value)[:10])


@subscriber("inspection.concluded")
def record_inspection(event) -> None:
    payload = event.payload
    applicant = entity_for_code(payload.get("entity_code") or "")
    if applicant is None or applicant.is_person or not payload.get("department_id"):
        return
    with transaction.atomic():
        own_fact_record(
            actor=None,
            applicant=applicant,
            department_id=payload["department_id"],
            kind=INSPECTION_KINDS[payload["outcome"]],
            record_id=f"inspection:{payload['inspection_id']}",
            occurred_on=_day(payload["concluded_on"]),
            source_document=f"inspection {payload['inspection_id']}",
            summary=payload.get("findings_summary") or "",
        )


@subscriber("penalty.decided")
def record_penalty(event) -> None:
    payload = event.payload
    applicant = entity_for_code(payload.get("entity_code") or "")
    if applicant is None or applicant.is_person:
        return
    measure = None
    if payload.get("inclusive_list_entry"):
        measure = InclusiveMeasure.objects.filter(pk=payload["inclusive_list_entry"]).first()
    severity = PENALTY_SEVERITY.get(measure.list_kind, "general") if measure else "general"
    with transaction.atomic():
        own_fact_record(
            actor=None,
            applicant=applicant,
            department_id=payload["department_id"],
            kind="penalty",
            severity=severity,
            record_id=f"penalty:{payload['penalty_id']}",
            occurred_on=_day(payload["decided_on"]),
            source_document=payload.get("legal_basis") or f"penalty {payload['penalty_id']}",
            summary=f"{payload.get('amount') or ''}",
            inclusive_measure=measure,
        )


@subscriber("ticket.closed")
def record_upheld_complaint(event) -> None:
    payload = event.payload
    if not payload.get("upheld") or not payload.get("subject_entity_id"):
        return
    applicant = Applicant.objects.filter(pk=payload["subject_entity_id"]).first()
    if applicant is None or applicant.is_person or not payload.get("department_id"):
        return
    with transaction.atomic():
        own_fact_record(
            actor=None,
            applicant=applicant,
            department_id=payload["department_id"],
            kind="complaint_upheld",
            record_id=f"ticket:{payload['ticket_id']}",
            occurred_on=_day(payload["closed_on"]),
            source_document=payload.get("number") or f"ticket {payload['ticket_id']}",
        )
