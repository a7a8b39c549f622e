"""Appointments in the API (API.md, "Appointments"): halls and slots are public; booking,
cancelling and rebooking for applicants; phone, door and green-window bookings, check-in,
no-shows and the day sheet for the hall's clerks."""

from __future__ import annotations

import datetime

from ninja import Router, Schema
from ninja.responses import Status

from yiwang.appointments import attendance, selectors, services
from yiwang.appointments.models import Booking, Channel

router = Router(tags=["appointments"])


class HallOut(Schema):
    id: int
    name: str
    address: str


class SlotOut(Schema):
    id: int
    start: str
    end: str
    capacity: int
    booked: int
    group: str


class BookingIn(Schema):
    slot: int
    item_code: str
    case_id: int | None = None
    applicant_id: int | None = None
    visitor_name: str = ""
    phone: str = ""


class DeskBookingIn(BookingIn):
    channel: Channel = Channel.PHONE


class RebookIn(Schema):
    slot: int


class GreenWalkInIn(Schema):
    hall: int
    case_id: int
    visitor_name: str = ""


class BookingOut(Schema):
    ticket: str
    status: str
    channel: str
    hall: str
    address: str
    date: str
    start: str | None
    end: str | None
    window: str | None
    item_code: str
    case_id: int | None
    case_number: str | None
    visitor_name: str
    rebooked_from: str | None


def booking_body(booking: Booking) -> dict:
    slot = booking.slot
    return {
        "ticket": booking.ticket,
        "status": booking.status,
        "channel": booking.channel,
        "hall": booking.hall.name,
        "address": booking.hall.address,
        "date": booking.date.isoformat(),
        "start": slot.starts_at.strftime("%H:%M") if slot else None,
        "end": slot.ends_at.strftime("%H:%M") if slot else None,
        "window": str(booking.window) if booking.window_id else None,
        "item_code": booking.item.code,
        "case_id": booking.case_id,
        "case_number": booking.case.number if booking.case_id else None,
        "visitor_name": booking.visitor_name,
        "rebooked_from": booking.rebooked_from.ticket if booking.rebooked_from_id else None,
    }


@router.get("/halls", auth=None, response=list[HallOut])
def hall_list(request):
    return [
        {"id": hall.pk, "name": hall.name, "address": hall.address}
        for hall in selectors.halls_open()
    ]


@router.get("/slots", auth=None, response=list[SlotOut])
def slot_list(request, hall: int, date: datetime.date, item_code: str | None = None):
    """Public: the slots of a hall on a day (none on holidays and weekends)."""
    return [
        {
            "id": slot.pk,
            "start": slot.starts_at.strftime("%H:%M"),
            "end": slot.ends_at.strftime("%H:%M"),
            "capacity": slot.capacity,
            "booked": slot.booked,
            "group": slot.group.name,
        }
        for slot in selectors.slots_for(
            hall=selectors.hall_get(hall), day=date, item_code=item_code
        )
    ]


@router.post("", response={201: BookingOut})
def booking_create(request, payload: BookingIn):
    """Book a place for an applicant the caller acts for; a full slot is 409."""
    booking = services.booking_create(
        actor=request.user,
        slot_id=payload.slot,
        item_code=payload.item_code,
        channel=Channel.PORTAL,
        case_id=payload.case_id,
        applicant_id=payload.applicant_id,
        visitor_name=payload.visitor_name,
        phone=payload.phone,
    )
    return Status(201, booking_body(booking))


@router.post("/desk", response={201: BookingOut})
def booking_create_at_desk(request, payload: DeskBookingIn):
    """A clerk books by phone or at the door, for an applicant or a person with a phone."""
    booking = services.booking_create(
        actor=request.user,
        slot_id=payload.slot,
        item_code=payload.item_code,
        channel=payload.channel,
        case_id=payload.case_id,
        applicant_id=payload.applicant_id,
        visitor_name=payload.visitor_name,
        phone=payload.phone,
    )
    return Status(201, booking_body(booking))


@router.post("/green", response={201: BookingOut})
def green_walk_in(request, payload: GreenWalkInIn):
    """The emergency green window takes a green-channel case's visitor at once."""
    booking = services.booking_walk_in_green(
        actor=request.user,
        hall=selectors.hall_get(payload.hall),
        case_id=payload.case_id,
        visitor_name=payload.visitor_name,
    )
    return Status(201, booking_body(booking))


@router.get("/mine", response=list[BookingOut])
def my_bookings(request):
    return [booking_body(booking) for booking in selectors.bookings_of(request.user)]


@router.get("/day", response=list[BookingOut])
def day_sheet(request, hall: int, date: datetime.date):
    """The clerk's day: who is coming when, with their case."""
    sheet = selectors.day_sheet(user=request.user, hall=selectors.hall_get(hall), day=date)
    return [booking_body(booking) for booking in sheet]


@router.get("/{ticket}", response=BookingOut)
def booking_detail(request, ticket: str):
    return booking_body(selectors.access_booking(user=request.user, ticket=ticket))


def _id(request, ticket: str) -> int:
    return selectors.access_booking(user=request.user, ticket=ticket).pk


@router.post("/{ticket}/cancel", response=BookingOut)
def booking_cancel(request, ticket: str):
    return booking_body(
        services.booking_cancel(actor=request.user, booking_id=_id(request, ticket))
    )


@router.post("/{ticket}/rebook", response={201: BookingOut})
def booking_rebook(request, ticket: str, payload: RebookIn):
    booking = services.booking_rebook(
        actor=request.user, booking_id=_id(request, ticket), slot_id=payload.slot
    )
    return Status(201, booking_body(booking))


@router.post("/{ticket}/check-in", response=BookingOut)
def booking_check_in(request, ticket: str):
    booking = selectors.access_booking(user=request.user, ticket=ticket)
    return booking_body(attendance.booking_check_in(actor=request.user, booking_id=booking.pk))


@router.post("/{ticket}/no-show", response=BookingOut)
def booking_no_show(request, ticket: str):
    booking = selectors.access_booking(user=request.user, ticket=ticket)
    return booking_body(attendance.booking_mark_no_show(actor=request.user, booking_id=booking.pk))
