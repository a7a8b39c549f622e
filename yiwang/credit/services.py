"""Writing credit events, each with its audit record."""

from typing import Any

from django.db import transaction

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.credit.models import CreditEvent


def credit_event_record(
    *, actor: Any, applicant, kind: str, case=None, note: str = ""
) -> CreditEvent:
    with transaction.atomic():
        event = CreditEvent.objects.create(
            applicant=applicant,
            kind=kind,
            case=case,
            note=note,
            recorded_at=clock.now(),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(actor=actor, action="credit.event", obj=event, after=snapshot(event))
    return event
