"""Complaints in the API (API.md, "Complaints"): intake, the queue, a ticket with its timeline,
one declared schema per action, the public lookup and the figures."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus

from yiwang import clock
from yiwang.complaints import deadlines, selectors, services
from yiwang.complaints.models import Ticket
from yiwang.complaints.schemas import (
    FiguresOut,
    PublicTicketOut,
    QueuePage,
    TicketOut,
)
from yiwang.errors import invalid_field

router = Router(tags=["complaints"])


class ReporterIn(Schema):
    name: str = ""
    phone: str = ""
    anonymous: bool = False


class TicketIn(Schema):
    channel: str
    kind: str
    urgency: str = "normal"
    content: str
    subject_code: str = ""
    subject_name: str = ""
    reporter: ReporterIn = ReporterIn()
    external_number: str = ""


class DispatchIn(Schema):
    department: int
    assisting: list[int] = []
    note: str = ""
    version: int | None = None


class ReasonIn(Schema):
    reason: str


class ReplyIn(Schema):
    text: str
    attachments: list[int] = []


class CloseIn(Schema):
    upheld: bool = False
    note: str = ""


class RateIn(Schema):
    level: int
    comment: str = ""


class MergeIn(Schema):
    into: int


class LookupIn(Schema):
    number: str
    code: str


class LookupRateIn(LookupIn):
    level: int
    comment: str = ""


class LookupReopenIn(LookupIn):
    reason: str


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _at(moment: datetime.datetime) -> str:
    """A moment in Asia/Shanghai with its offset (API.md)."""
    return timezone.localtime(moment).isoformat()


def ticket_body(ticket: Ticket, user: Any) -> dict:
    """A ticket as API.md shapes it; the reporter masked unless the caller may see them."""
    reply, decision = deadlines.readings(ticket, clock.today())
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "channel": ticket.channel,
        "external_number": ticket.external_number or None,
        "kind": ticket.kind,
        "urgency": ticket.urgency,
        "status": ticket.status,
        "content": ticket.content,
        "subject": {
            "entity_id": ticket.subject_entity_id,
            "code": ticket.subject_entity.uscc if ticket.subject_entity_id else None,
            "name": ticket.subject_entity.name if ticket.subject_entity_id else ticket.subject_text,
        },
        "reporter": selectors.reporter_of(user=user, ticket=ticket, purpose="api").as_dict(),
        "received_at": _at(ticket.received_at),
        "due": _iso(ticket.due_on),
        "decision_due": _iso(ticket.decision_due),
        "clock": {
            "used_working_days": reply.used,
            "remaining_working_days": reply.remaining,
            "extended_days": ticket.extension_days if ticket.extended_round else 0,
            "state": reply.state,
            "level": ticket.level,
            "provisional": reply.provisional or bool(decision and decision.provisional),
        },
        "department": {"id": ticket.lead_department_id, "name": ticket.lead_department.name}
        if ticket.lead_department_id
        else None,
        "assisting": [
            {"id": a.department_id, "name": a.department.name}
            for a in ticket.assignments.filter(lead=False, ended_at__isnull=True).select_related(
                "department"
            )
        ],
        "round": ticket.round,
        "replied_on": _iso(ticket.replied_on),
        "closed_on": _iso(ticket.closed_on),
        "upheld": ticket.upheld,
        "reopened": ticket.reopen_count,
        "inspection": {
            "decision": ticket.decision or None,
            "decided_on": _iso(ticket.decided_on),
            "inspection_id": ticket.inspection_id,
            "outcome": ticket.inspection_outcome or None,
            "concluded_on": _iso(ticket.inspection_concluded_on),
        },
        "merged_into": ticket.merged_into.number if ticket.merged_into_id else None,
        "duplicates": [
            {"id": p.original_id, "number": p.original.number, "similarity": p.similarity}
            for p in ticket.duplicate_of.filter(state="proposed").select_related("original")
        ],
        "replies": [
            {
                "round": r.round,
                "text": r.text,
                "department": r.department.name,
                "replied_at": _at(r.replied_at),
                "on_time": r.on_time,
                "attachments": [f.pk for f in r.attachments.all()],
            }
            for r in ticket.replies.select_related("department").prefetch_related("attachments")
        ],
        "ratings": [
            {
                "round": r.round,
                "level": r.level,
                "comment": r.comment,
                "rated_at": _at(r.rated_at),
            }
            for r in ticket.ratings.all()
        ],
        "version": ticket.version,
        "timeline": [
            {"at": _at(t.at), "action": t.action, "actor": t.actor_label, "note": t.note}
            for t in ticket.timeline.all()
        ],
    }


def public_body(ticket: Ticket) -> dict:
    """What the reporter reads with the number and code: no names of staff, no reporter."""
    return {
        "number": ticket.number,
        "kind": ticket.kind,
        "status": ticket.status,
        "received_at": _at(ticket.received_at),
        "due": _iso(ticket.due_on),
        "replies": [
            {"round": r.round, "text": r.text, "replied_at": _at(r.replied_at)}
            for r in ticket.replies.all()
        ],
        "ratings": [{"round": r.round, "level": r.level} for r in ticket.ratings.all()],
        "may_reopen": ticket.reopen_count == 0,
    }


def _answer(request, ticket_id: int) -> dict:
    return ticket_body(
        selectors.access_ticket(user=request.user, ticket_id=ticket_id), request.user
    )


@router.post("", response={200: TicketOut, 201: TicketOut})
def receive_ticket(request, payload: TicketIn):
    received = services.ticket_receive(
        actor=request.user,
        channel=payload.channel,
        kind=payload.kind,
        urgency=payload.urgency,
        content=payload.content,
        subject_code=payload.subject_code,
        subject_name=payload.subject_name,
        reporter_name=payload.reporter.name,
        reporter_phone=payload.reporter.phone,
        anonymous=payload.reporter.anonymous,
        external_number=payload.external_number,
    )
    body = ticket_body(received.ticket, request.user)
    body["lookup_code"] = received.lookup_code
    return HttpStatus(201 if received.created else 200, body)


@router.get("", response=QueuePage)
def ticket_queue(
    request,
    status: str | None = None,
    level: str | None = None,
    mine: bool = True,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
):
    queue = selectors.ticket_queue_for(request.user, status=status, level=level, mine=mine)
    rows = list(queue[offset : offset + limit])
    return {
        "count": queue.count(),
        "items": [
            {
                "id": t.pk,
                "number": t.number,
                "kind": t.kind,
                "urgency": t.urgency,
                "status": t.status,
                "subject": t.subject_entity.name if t.subject_entity_id else t.subject_text,
                "department": t.lead_department.name if t.lead_department_id else None,
                "due": _iso(t.due_on),
                "level": t.level,
                "received_at": _at(t.received_at),
            }
            for t in rows
        ],
    }


@router.get("/figures", response=FiguresOut, by_alias=True)
def ticket_figures(
    request,
    start: Annotated[datetime.date, Query(alias="from")],
    end: Annotated[datetime.date, Query(alias="to")],
    department: int | None = None,
):
    if end < start:
        raise invalid_field("to", _("The end of the period comes before its start."))
    return selectors.ticket_figures(
        user=request.user, start=start, end=end, department_id=department
    )


@router.post("/lookup", auth=None, response=PublicTicketOut)
def lookup_ticket(request, payload: LookupIn):
    return public_body(selectors.ticket_for_lookup(number=payload.number, code=payload.code))


@router.post("/lookup/rate", auth=None, response=PublicTicketOut)
def lookup_rate(request, payload: LookupRateIn):
    ticket = selectors.ticket_for_lookup(number=payload.number, code=payload.code)
    services.ticket_rate(
        actor=None,
        ticket_id=ticket.pk,
        level=payload.level,
        comment=payload.comment,
        code=payload.code,
    )
    return public_body(Ticket.objects.get(pk=ticket.pk))


@router.post("/lookup/reopen", auth=None, response=PublicTicketOut)
def lookup_reopen(request, payload: LookupReopenIn):
    ticket = selectors.ticket_for_lookup(number=payload.number, code=payload.code)
    services.ticket_reopen(
        actor=None, ticket_id=ticket.pk, reason=payload.reason, code=payload.code
    )
    return public_body(Ticket.objects.get(pk=ticket.pk))


@router.get("/{int:ticket_id}", response=TicketOut)
def get_ticket(request, ticket_id: int):
    return _answer(request, ticket_id)


@router.post("/{int:ticket_id}/actions/dispatch", response=TicketOut)
def dispatch_ticket(request, ticket_id: int, payload: DispatchIn):
    services.ticket_dispatch(
        actor=request.user,
        ticket_id=ticket_id,
        department_id=payload.department,
        assisting_ids=payload.assisting,
        note=payload.note,
        expected_version=payload.version,
    )
    return _answer(request, ticket_id)


@router.post("/{int:ticket_id}/actions/return", response=TicketOut)
def return_ticket(request, ticket_id: int, payload: ReasonIn):
    ticket = services.ticket_return(actor=request.user, ticket_id=ticket_id, reason=payload.reason)
    # A returned ticket goes back to the intake's region, which a district's handler may not
    # see: answer with the ticket as returned, not a 404 for a return that was committed.
    return ticket_body(ticket, request.user)


@router.post("/{int:ticket_id}/actions/extend", response=TicketOut)
def extend_ticket(request, ticket_id: int, payload: ReasonIn):
    services.ticket_extend(actor=request.user, ticket_id=ticket_id, reason=payload.reason)
    return _answer(request, ticket_id)


@router.post("/{int:ticket_id}/actions/reply", response=TicketOut)
def reply_ticket(request, ticket_id: int, payload: ReplyIn):
    services.ticket_reply(
        actor=request.user, ticket_id=ticket_id, text=payload.text, file_ids=payload.attachments
    )
    return _answer(request, ticket_id)


@router.post("/{int:ticket_id}/actions/close", response=TicketOut)
def close_ticket(request, ticket_id: int, payload: CloseIn | None = None):
    payload = payload or CloseIn()
    services.ticket_close(
        actor=request.user, ticket_id=ticket_id, upheld=payload.upheld, note=payload.note
    )
    return _answer(request, ticket_id)


def _answer_reporter(request, ticket_id: int) -> dict:
    """After a rating or a reopening: the reporter signed in with their account has no queue
    to read the ticket through (404 after the step was taken); they get what the lookup page
    shows them. Intake staff taking it by phone get the ticket as staff read it."""
    ticket = Ticket.objects.get(pk=ticket_id)
    if ticket.reporter_user_id == request.user.pk:
        return public_body(ticket)
    return _answer(request, ticket_id)


@router.post("/{int:ticket_id}/actions/reopen", response=TicketOut | PublicTicketOut)
def reopen_ticket(request, ticket_id: int, payload: ReasonIn):
    services.ticket_reopen(actor=request.user, ticket_id=ticket_id, reason=payload.reason)
    return _answer_reporter(request, ticket_id)


@router.post("/{int:ticket_id}/actions/rate", response=TicketOut | PublicTicketOut)
def rate_ticket(request, ticket_id: int, payload: RateIn):
    services.ticket_rate(
        actor=request.user, ticket_id=ticket_id, level=payload.level, comment=payload.comment
    )
    return _answer_reporter(request, ticket_id)


@router.post("/{int:ticket_id}/actions/request_inspection", response=TicketOut)
def request_inspection(request, ticket_id: int, payload: ReasonIn):
    services.ticket_decide_inspection(
        actor=request.user, ticket_id=ticket_id, open_inspection=True, reason=payload.reason
    )
    return _answer(request, ticket_id)


@router.post("/{int:ticket_id}/actions/decline_inspection", response=TicketOut)
def decline_inspection(request, ticket_id: int, payload: ReasonIn):
    services.ticket_decide_inspection(
        actor=request.user, ticket_id=ticket_id, open_inspection=False, reason=payload.reason
    )
    return _answer(request, ticket_id)


@router.post("/{int:ticket_id}/actions/merge", response=TicketOut)
def merge_ticket(request, ticket_id: int, payload: MergeIn):
    services.ticket_merge(actor=request.user, ticket_id=ticket_id, into_id=payload.into)
    return _answer(request, ticket_id)
