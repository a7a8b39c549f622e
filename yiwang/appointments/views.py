"""Appointment pages: choose a slot and book (portal), the ticket, my bookings, and the clerk's
day sheet. Views parse, call one service or selector, and render; a refusal shows its message."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang import clock
from yiwang.appointments import attendance, selectors, services
from yiwang.appointments.models import Channel
from yiwang.catalog.models import Item
from yiwang.errors import DomainError
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, may, require, scope_of


def _refused(request, error: DomainError) -> None:
    text = str(error.message)
    if error.fields:
        text += " " + "；".join(f"{message}" for message in error.fields.values())
    messages.error(request, text)


def _day(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return clock.today()


def book(request):
    """Public: a hall's slots on a day for an item; signed-in applicants book one."""
    halls = list(selectors.halls_open())
    hall = next(
        (h for h in halls if str(h.pk) == request.GET.get("hall")), halls[0] if halls else None
    )
    day = _day(request.GET.get("date"))
    item_code = request.GET.get("item_code", "")
    items = Item.objects.filter(versions__status="published").distinct().order_by("code")
    represented = []
    if request.user.is_authenticated:
        represented = Applicant.objects.filter(pk__in=sorted(scope_of(request.user).applicant_ids))
    context = {
        "halls": halls,
        "hall": hall,
        "day": day,
        "item_code": item_code,
        "case_id": request.GET.get("case_id", "")
        if request.GET.get("case_id", "").isdigit()
        else "",
        "items": items,
        "represented": represented,
        "slots": selectors.slots_for(hall=hall, day=day, item_code=item_code or None)
        if hall
        else [],
    }
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/login/?next={request.get_full_path()}")
        try:
            booking = services.booking_create(
                actor=request.user,
                slot_id=int(request.POST.get("slot") or 0),
                item_code=request.POST.get("item_code", ""),
                channel=Channel.PORTAL,
                case_id=int(request.POST["case_id"]) if request.POST.get("case_id") else None,
                applicant_id=int(request.POST["applicant_id"])
                if request.POST.get("applicant_id")
                else None,
                phone=request.POST.get("phone", ""),
            )
        except DomainError as error:
            _refused(request, error)
            return render(request, "appointments/book.html", context, status=error.status)
        return redirect("appointments:ticket", ticket=booking.ticket)
    return render(request, "appointments/book.html", context)


@login_required
def ticket(request, ticket: str):
    booking = selectors.access_booking(user=request.user, ticket=ticket)
    return render(request, "appointments/ticket.html", {"booking": booking})


@login_required
def mine(request):
    return render(
        request, "appointments/mine.html", {"bookings": selectors.bookings_of(request.user)}
    )


@login_required
@require_POST
def cancel(request, ticket: str):
    booking = selectors.access_booking(user=request.user, ticket=ticket)
    try:
        services.booking_cancel(actor=request.user, booking_id=booking.pk)
        messages.success(request, _("Booking %(ticket)s cancelled.") % {"ticket": ticket})
    except DomainError as error:
        _refused(request, error)
    return redirect(request.POST.get("next") or "appointments:mine")


@login_required
def day_sheet(request):
    """The clerk's day: who is coming when, with their case; check in or record a no-show."""
    require(request.user, Action.APPOINTMENT_DESK)
    halls = [
        hall for hall in selectors.halls_open() if may(request.user, Action.APPOINTMENT_DESK, hall)
    ]
    hall = next(
        (h for h in halls if str(h.pk) == request.GET.get("hall")), halls[0] if halls else None
    )
    day = _day(request.GET.get("date"))
    sheet = selectors.day_sheet(user=request.user, hall=hall, day=day) if hall else []
    return render(
        request, "appointments/day.html", {"halls": halls, "hall": hall, "day": day, "sheet": sheet}
    )


@login_required
@require_POST
def desk_act(request, ticket: str, action: str):
    booking = selectors.access_booking(
        user=request.user, ticket=ticket, action=Action.APPOINTMENT_DESK
    )
    act = {"check-in": attendance.booking_check_in, "no-show": attendance.booking_mark_no_show}.get(
        action
    )
    if act is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            act(actor=request.user, booking_id=booking.pk)
        except DomainError as error:
            _refused(request, error)
    return redirect(
        f"/workbench/appointments/?hall={booking.hall_id}&date={booking.date.isoformat()}"
    )
