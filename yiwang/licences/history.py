"""A licence's history: each change as one domain event, with its history entry and its audit
record pointing at that event. Every write of the register records through `record`."""

from __future__ import annotations

import datetime
from typing import Any

from yiwang import clock
from yiwang.audit import chain
from yiwang.audit.services import audit_record
from yiwang.events import publish
from yiwang.licences import events as licence_events
from yiwang.licences.models import Licence, LicenceEvent
from yiwang.statements import insert_row, written_together

TRACKED = [
    "status",
    "valid_from",
    "valid_until",
    "scope",
    "version",
    "elicence_id",
    "verification_due",
    "deemed_renewed_on",
]


def state_of(licence: Licence) -> dict:
    values = {}
    for name in TRACKED:
        value = getattr(licence, name)
        values[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return values


def record(
    licence: Licence,
    *,
    actor: Any,
    action: str,
    before: dict | None,
    note: Any = "",
    case=None,
    data: dict | None = None,
) -> None:
    """The change's domain event, and its history entry and audit record pointing at it; call
    inside its transaction; the rows are written together (`written_together`)."""
    person = actor if getattr(actor, "pk", None) else None
    after = chain.to_json_value({**state_of(licence), **(data or {})})
    # The three rows read nothing: one statement on PostgreSQL (with the caller's other writes
    # when it writes them together), after the audit head is locked and read.
    with written_together():
        domain_event = publish(
            licence_events.event_for(action).name,
            payload=_event_payload(licence, action, note=note, case=case),
            actor=person,
            subject=licence,
        )
        event = LicenceEvent(
            licence=licence,
            at=clock.now(),
            action=action,
            actor=person,
            actor_label=getattr(actor, "username", None) or "system",
            before=before,
            after=after,
            note=str(note),
            case=case,
            domain_event=domain_event,
        )
        insert_row(event)
        audit_record(
            actor=person,
            action=f"licence.{action}",
            obj=licence,
            stream=f"licence:{licence.pk}",
            before=before,
            after={**after, "event": str(domain_event.pk)},
            note=str(note),
        )


def _event_payload(licence: Licence, action: str, *, note: Any, case) -> dict:
    holder = licence.holder
    reason = licence_events.ENDING.get(action)
    return {
        "licence_id": licence.pk,
        "number": licence.number,
        "action": action,
        "status": licence.status,
        "holder_id": holder.pk,
        "holder_code": getattr(holder, "uscc", None),
        "holder_name": holder.name,
        "licence_type": licence.licence_type,
        "item_code": licence.item.code if licence.item_id else None,
        "region_code": licence.department.region.code,
        "department_id": licence.department_id,
        "issued_on": licence.valid_from,
        "valid_until": licence.valid_until,
        "case_id": getattr(case, "pk", None),
        "reason": reason,
        "ended_on": clock.today() if reason else None,
        "note": str(note or ""),
    }
