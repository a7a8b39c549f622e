"""The events this app publishes (names and payloads are the contract other apps subscribe to)."""

from __future__ import annotations

import datetime

from pydantic import BaseModel

from yiwang.events import event_type


class TicketReplied(BaseModel):
    ticket_id: int
    number: str
    kind: str
    department_id: int
    reporter_applicant_id: int | None
    replied_on: datetime.date


class TicketClosed(BaseModel):
    ticket_id: int
    number: str
    kind: str
    department_id: int | None
    subject_entity_id: int | None
    upheld: bool
    closed_on: datetime.date


class TicketRated(BaseModel):
    ticket_id: int
    number: str
    level: int
    comment: str
    department_id: int | None
    rated_on: datetime.date


class TicketInspectionRequested(BaseModel):
    ticket_id: int
    number: str
    entity_id: int
    entity_code: str | None
    department_id: int
    reason: str


TICKET_REPLIED = event_type("ticket.replied", TicketReplied)
TICKET_CLOSED = event_type("ticket.closed", TicketClosed)
TICKET_RATED = event_type("ticket.rated", TicketRated)
TICKET_INSPECTION_REQUESTED = event_type("ticket.inspection_requested", TicketInspectionRequested)
