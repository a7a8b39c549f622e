"""Reads for the appointment pages and API, with the permission filter applied."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yiwang.appointments.models import Booking, Hall, Slot
from yiwang.errors import NotFound
from yiwang.permissions import Action, require, scope_of


def halls_open() -> QuerySet[Hall]:
    return Hall.objects.filter(is_open=True).select_related("region").order_by("code")


def hall_get(hall_id: int) -> Hall:
    hall = Hall.objects.select_related("region").filter(pk=hall_id).first()
    if hall is None:
        raise NotFound(_no_hall(), fields={"hall": _no_hall()})
    return hall


def _no_hall():
    return _("No such hall.")


def slots_for(*, hall: Hall, day: datetime.date, item_code: str | None = None) -> QuerySet[Slot]:
    slots = Slot.objects.filter(hall=hall, date=day).select_related("group")
    if item_code:
        slots = slots.filter(group__items__code=item_code)
    return slots.order_by("starts_at", "group__name")


def bookings_of(user: Any) -> QuerySet[Booking]:
    """The bookings of the applicants the user acts for, newest day first."""
    return (
        Booking.objects.filter(applicant_id__in=sorted(scope_of(user).applicant_ids))
        .select_related("hall", "slot", "item", "case", "window", "rebooked_from")
        .order_by("-date", "slot__starts_at")
    )


def day_sheet(*, user: Any, hall: Hall, day: datetime.date) -> QuerySet[Booking]:
    """The clerk's day: who is coming when, with their case (one query). Halls are public, so
    a caller without the desk role is refused (403) rather than told the hall does not exist."""
    require(user, Action.APPOINTMENT_DESK)
    require(user, Action.APPOINTMENT_DESK, hall)
    return (
        Booking.objects.filter(hall=hall, date=day)
        .exclude(status="cancelled")
        .select_related(
            "hall", "slot__group", "item", "case", "applicant", "window", "rebooked_from"
        )
        .order_by("slot__starts_at", "ticket")
    )


def access_booking(
    *, user: Any, ticket: str, action: Action = Action.APPOINTMENT_CANCEL
) -> Booking:
    booking = (
        Booking.objects.select_related("hall__region", "slot", "item", "case", "window")
        .filter(ticket=ticket)
        .first()
    )
    if booking is None:
        raise NotFound(_no_booking())
    require(user, action, booking)
    return booking


def _no_booking():
    return _("No such booking.")
