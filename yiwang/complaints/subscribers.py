"""What this app does when other apps report: an inspection a report opened has concluded."""

from __future__ import annotations

import datetime

from yiwang.complaints.services import ticket_link_inspection
from yiwang.events import subscriber


@subscriber("inspection.concluded")
def link_inspection_outcome(event) -> None:
    """Supervision names the ticket that opened the inspection in `source_ticket_id`."""
    payload = event.payload
    ticket_id = payload.get("source_ticket_id")
    if not ticket_id:
        return
    concluded_on = payload.get("concluded_on")
    if isinstance(concluded_on, str):
        concluded_on = datetime.date.fromisoformat(concluded_on)
    ticket_link_inspection(
        ticket_id=int(ticket_id),
        inspection_id=int(payload["inspection_id"]),
        outcome=str(payload.get("outcome", "")),
        concluded_on=concluded_on,
        findings_summary=str(payload.get("findings_summary") or ""),
    )
