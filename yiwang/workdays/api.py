"""The public calendar endpoints of API.md: days, add, between."""

import datetime
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from yiwang.errors import invalid_field
from yiwang.workdays.calendar import display_name, get_calendar

router = Router(tags=["calendar"], auth=None)

MAX_DAYS_LISTED = 366
RANGE_TOO_LONG_RULE = _("List at most 366 days at a time.")


class DayOut(Schema):
    date: datetime.date
    workday: bool
    kind: str
    name: str
    provisional: bool


class AddOut(Schema):
    start: datetime.date
    working_days: int
    due: datetime.date
    provisional: bool


class BetweenOut(Schema):
    start: datetime.date
    end: datetime.date
    working_days: int
    provisional: bool


@router.get("/days", response=list[DayOut])
def days(
    request,
    start: Annotated[datetime.date, Query(alias="from")],
    end: Annotated[datetime.date, Query(alias="to")],
):
    """Every day from `from` to `to` (both included, at most 366 days)."""
    if (end - start).days >= MAX_DAYS_LISTED:
        raise invalid_field("to", RANGE_TOO_LONG_RULE, code="range_too_long")
    listed = get_calendar().days(start, end)
    return [
        {
            "date": day.date,
            "workday": day.workday,
            "kind": day.kind,
            "name": display_name(day.name),
            "provisional": day.provisional,
        }
        for day in listed
    ]


@router.get("/add", response=AddOut)
def add(request, start: datetime.date, working_days: int):
    """The `working_days`-th working day after `start` (the start day is not counted)."""
    due, provisional = get_calendar().add(start, working_days)
    return {"start": start, "working_days": working_days, "due": due, "provisional": provisional}


@router.get("/between", response=BetweenOut)
def between(request, start: datetime.date, end: datetime.date):
    """Working days after `start` up to and including `end`."""
    calendar = get_calendar()
    count = calendar.between(start, end)
    return {
        "start": start,
        "end": end,
        "working_days": count,
        "provisional": calendar.touches_provisional(start, end),
    }
