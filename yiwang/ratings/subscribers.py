"""What 好差评 does when a case is decided or a hotline ticket is replied or rated elsewhere."""

from __future__ import annotations

import datetime

from yiwang.events import subscriber
from yiwang.ratings import services
from yiwang.ratings.models import SubjectKind


def _day(value: str | None, fallback: str | None = None) -> datetime.date:
    return datetime.date.fromisoformat(value or fallback)


@subscriber("case.decided")
def invite_case_rating(event) -> None:
    """Every decided case (approved or denied) can be rated by its applicant."""
    payload = event.payload
    services.invitation_open(
        subject_kind=SubjectKind.CASE,
        subject_id=payload["case_id"],
        number=payload["number"],
        opened_on=_day(payload.get("decided_on"), payload.get("on")),
        applicant_id=payload.get("applicant_id"),
        department_id=payload.get("department_id"),
        region_code=payload.get("region_code") or "",
        item_code=payload.get("item_code") or "",
        item_name=payload.get("item_name") or "",
        service_channel=payload.get("channel") or "",
    )


@subscriber("ticket.replied")
def invite_ticket_rating(event) -> None:
    """A replied ticket whose reporter is a known applicant can be rated through the portal."""
    payload = event.payload
    services.invitation_open(
        subject_kind=SubjectKind.TICKET,
        subject_id=payload["ticket_id"],
        number=payload["number"],
        opened_on=_day(payload["replied_on"]),
        applicant_id=payload.get("reporter_applicant_id"),
        department_id=payload.get("department_id"),
        service_channel="hotline",
    )


@subscriber("ticket.rated")
def count_hotline_rating(event) -> None:
    """The reporter rated the ticket in the complaints service: count it, rectify 1 and 2."""
    payload = event.payload
    services.rating_from_hotline(
        ticket_id=payload["ticket_id"],
        number=payload["number"],
        level=int(payload["level"]),
        comment=payload.get("comment") or "",
        department_id=payload.get("department_id"),
        rated_on=_day(payload["rated_on"]),
    )
