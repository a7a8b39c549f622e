"""Every write to halls' slots and bookings: one function per use case, one transaction, one
audit record.

A place in a slot is taken by one conditional UPDATE (`booked < capacity`): under concurrent
bookings the database re-checks the condition on the locked row, so a slot is never overfilled.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.appointments import rules
from yiwang.appointments.models import (
    ACTIVE,
    Booking,
    BookingBlock,
    BookingStatus,
    Channel,
    Hall,
    Slot,
    TicketSequence,
)
from yiwang.audit.services import audit_record
from yiwang.cases.models import Case
from yiwang.catalog.models import Item
from yiwang.errors import Conflict, NotFound, invalid_field
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require, scope_of
from yiwang.workdays.calendar import day_info


def local_moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A wall-clock time in the hall (the service's time zone) as an aware moment."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def person_or_none(actor: Any):
    return actor if getattr(actor, "pk", None) else None


def snapshot(booking: Booking) -> dict:
    return {
        "ticket": booking.ticket,
        "hall": booking.hall_id,
        "slot": booking.slot_id,
        "date": booking.date.isoformat(),
        "item": booking.item_id,
        "case": booking.case_id,
        "applicant": booking.applicant_id,
        "channel": booking.channel,
        "status": booking.status,
    }


# Opening slots ----------------------------------------------------------------------------


def _times(period, minutes: int):
    start = datetime.datetime.combine(datetime.date(2000, 1, 1), period.starts_at)
    end = datetime.datetime.combine(datetime.date(2000, 1, 1), period.ends_at)
    step = datetime.timedelta(minutes=minutes)
    while start + step <= end:
        yield start.time(), (start + step).time()
        start += step


def hall_open_slots(*, actor: Any, hall: Hall, start: datetime.date, end: datetime.date) -> int:
    """Create the missing slots of every working day from `start` to `end` (make-up days
    included, holidays and weekends skipped); returns how many were created."""
    require(actor, Action.APPOINTMENT_SCHEDULE, hall)
    return _create_slots(actor=actor, hall=hall, start=start, end=end)


def halls_open_ahead(*, today: datetime.date) -> int:
    """The daily job: every open hall's slots for the coming weeks."""
    end = today + datetime.timedelta(days=rules.OPEN_AHEAD_DAYS)
    return sum(
        _create_slots(actor=None, hall=hall, start=today, end=end)
        for hall in Hall.objects.filter(is_open=True)
    )


def _create_slots(*, actor: Any, hall: Hall, start: datetime.date, end: datetime.date) -> int:
    if end < start:
        raise invalid_field("end", _("The last day comes before the first."))
    if (end - start).days > 366:
        raise invalid_field("end", _("Open slots for at most a year at a time."))
    periods = list(hall.opening_periods.all())
    groups = list(hall.item_groups.all())
    existing = set(
        Slot.objects.filter(hall=hall, date__range=(start, end)).values_list(
            "group_id", "date", "starts_at"
        )
    )
    new = []
    day = start
    while day <= end:
        if day_info(day).workday:
            for group in groups:
                for period in periods:
                    for begins, ends in _times(period, group.slot_minutes):
                        if (group.pk, day, begins) not in existing:
                            new.append(
                                Slot(
                                    group=group,
                                    hall=hall,
                                    date=day,
                                    starts_at=begins,
                                    ends_at=ends,
                                    capacity=group.capacity,
                                )
                            )
        day += datetime.timedelta(days=1)
    with transaction.atomic():
        Slot.objects.bulk_create(new, ignore_conflicts=True)
        audit_record(
            actor=person_or_none(actor),
            action="hall.open_slots",
            obj=hall,
            after={"from": start.isoformat(), "until": end.isoformat(), "created": len(new)},
        )
    return len(new)


# Booking ----------------------------------------------------------------------------------


def _next_ticket(hall: Hall, day: datetime.date, *, green: bool) -> str:
    queryset = TicketSequence.objects.select_for_update()
    sequence = queryset.filter(hall=hall, date=day).first()
    if sequence is None:
        try:
            with transaction.atomic():
                TicketSequence.objects.create(hall=hall, date=day, last=0)
        except IntegrityError:
            pass  # a concurrent booking created it; lock that one
        sequence = queryset.get(hall=hall, date=day)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    marker = "G" if green else ""
    return f"{hall.code}{marker}{day:%y%m%d}{sequence.last:03d}"


def active_block(key: str, day: datetime.date) -> BookingBlock | None:
    return BookingBlock.objects.filter(holder_key=key, starts_on__lte=day, ends_on__gte=day).first()


def _check_not_blocked(key: str) -> None:
    block = active_block(key, clock.today())
    if block is not None:
        raise Conflict(
            _(
                "Booking is blocked until %(until)s: %(count)s booked visits were missed "
                "within 90 days."
            )
            % {"until": block.ends_on.isoformat(), "count": block.no_shows},
            code="booking_blocked",
        )


def _bookable_slot(slot_id: int) -> Slot:
    slot = Slot.objects.select_related("hall__region", "group").filter(pk=slot_id).first()
    if slot is None or not slot.hall.is_open:
        raise NotFound(_("No such slot."), fields={"slot": _("No such slot.")})
    if not day_info(slot.date).workday:
        raise invalid_field(
            "slot",
            _("The hall is closed on %(date)s (holiday or weekend); choose a working day.")
            % {"date": slot.date.isoformat()},
            code="closed_day",
        )
    if local_moment(slot.date, slot.starts_at) <= clock.now():
        raise invalid_field("slot", _("This slot has already begun or passed."), code="past")
    return slot


def _item_for(slot: Slot, item_code: str) -> Item:
    item = slot.group.items.filter(code=item_code).first()
    if item is None:
        raise invalid_field(
            "item_code",
            _("Item %(code)s is not served in this slot's group (%(group)s).")
            % {"code": item_code, "group": slot.group.name},
            code="item_not_in_group",
        )
    return item


def _case_for(actor: Any, case_id: int, item: Item) -> Case:
    case = Case.objects.select_related("region", "applicant").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case."), fields={"case_id": _("No such case.")})
    require(actor, Action.CASE_VIEW, case)
    if case.item_id != item.pk:
        raise invalid_field("case_id", _("The case is for another item than the one booked."))
    return case


def _applicant_for(actor: Any, applicant_id: int | None) -> Applicant:
    if applicant_id is None:
        represented = sorted(scope_of(actor).applicant_ids)
        if len(represented) != 1:
            raise invalid_field("applicant_id", _("Say which applicant the booking is for."))
        applicant_id = represented[0]
    applicant = Applicant.objects.select_related("region").filter(pk=applicant_id).first()
    if applicant is None:
        raise NotFound(_("No such applicant."), fields={"applicant_id": _("No such applicant.")})
    return applicant


def _take_place(slot: Slot) -> None:
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise Conflict(
            _("The slot is full; choose another time."),
            code="slot_full",
            fields={"slot": _("The slot is full.")},
        )


def _free_place(slot_id: int | None) -> None:
    if slot_id:
        Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def booking_create(
    *,
    actor: Any,
    slot_id: int,
    item_code: str,
    channel: str = Channel.PORTAL,
    case_id: int | None = None,
    applicant_id: int | None = None,
    visitor_name: str = "",
    phone: str = "",
    rebooked_from: Booking | None = None,
) -> Booking:
    """Book a place: by the portal (for an applicant the user acts for), by phone or at the
    door (a clerk, for anyone). Refused in the past, on a closed day, in a full slot, twice in
    one slot, or while the holder is blocked for missed bookings."""
    if channel not in (Channel.PORTAL, Channel.PHONE, Channel.DOOR):
        raise invalid_field("channel", _("Book by portal, phone or at the door."))
    slot = _bookable_slot(slot_id)
    item = _item_for(slot, item_code)
    case = _case_for(actor, case_id, item) if case_id else None
    applicant = None
    if case is not None:
        applicant = case.applicant
    elif applicant_id is not None or channel == Channel.PORTAL:
        applicant = _applicant_for(actor, applicant_id)
    if channel == Channel.PORTAL:
        require(actor, Action.APPOINTMENT_BOOK, applicant)
    else:
        require(actor, Action.APPOINTMENT_DESK, slot.hall)
    visitor_name = (visitor_name or "").strip() or (applicant.name if applicant else "")
    phone = (phone or "").strip() or (applicant.phone if applicant else "")
    if not visitor_name:
        raise invalid_field("visitor_name", _("Give the visitor's name."))
    if applicant is None and not any(character.isdigit() for character in phone):
        raise invalid_field("phone", _("Give a phone number for a booking without an applicant."))
    key = rules.holder_key(applicant_id=applicant.pk if applicant else None, phone=phone)
    _check_not_blocked(key)
    if Booking.objects.filter(slot=slot, holder_key=key, status__in=ACTIVE).exists():
        raise Conflict(
            _("This applicant or phone already has a place in this slot."),
            code="duplicate_booking",
            fields={"slot": _("already booked")},
        )
    with transaction.atomic():
        _take_place(slot)
        booking = Booking(
            ticket=_next_ticket(slot.hall, slot.date, green=False),
            hall=slot.hall,
            slot=slot,
            date=slot.date,
            item=item,
            case=case,
            applicant=applicant,
            visitor_name=visitor_name,
            phone=phone,
            holder_key=key,
            channel=channel,
            booked_by=actor,
            booked_at=clock.now(),
            rebooked_from=rebooked_from,
        )
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError as error:
            raise Conflict(
                _("This applicant or phone already has a place in this slot."),
                code="duplicate_booking",
                fields={"slot": _("already booked")},
            ) from error
        audit_record(
            actor=person_or_none(actor),
            action="booking.create",
            obj=booking,
            after=snapshot(booking),
        )
    return booking


def booking_walk_in_green(
    *, actor: Any, hall: Hall, case_id: int, visitor_name: str = ""
) -> Booking:
    """The emergency green window (绿色通道) takes a green-channel case's visitor at once,
    outside the slots and their capacity."""
    require(actor, Action.APPOINTMENT_DESK, hall)
    window = hall.windows.filter(is_green=True).first()
    if window is None:
        raise Conflict(_("This hall has no green window."), code="no_green_window")
    case = Case.objects.select_related("applicant", "region", "item").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case."), fields={"case_id": _("No such case.")})
    require(actor, Action.CASE_VIEW, case)
    if not (case.green or case.procedure == "green"):
        raise invalid_field(
            "case_id",
            _("Only green-channel cases are taken at the green window."),
            code="not_green",
        )
    today = clock.today()
    with transaction.atomic():
        booking = Booking.objects.create(
            ticket=_next_ticket(hall, today, green=True),
            hall=hall,
            window=window,
            date=today,
            item=case.item,
            case=case,
            applicant=case.applicant,
            visitor_name=(visitor_name or "").strip() or case.applicant.name,
            phone=case.applicant.phone,
            holder_key=rules.holder_key(applicant_id=case.applicant_id, phone=""),
            channel=Channel.GREEN,
            status=BookingStatus.CHECKED_IN,
            booked_by=actor,
            booked_at=clock.now(),
            status_changed_at=clock.now(),
        )
        audit_record(
            actor=person_or_none(actor),
            action="booking.green_walk_in",
            obj=booking,
            after=snapshot(booking),
        )
    return booking


def locked_booking(booking_id: int) -> Booking:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("hall__region", "slot")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise NotFound(_("No such booking."))
    return booking


def booking_set_status(booking: Booking, *, actor: Any, status: str, action: str) -> Booking:
    before = snapshot(booking)
    booking.status = status
    booking.status_changed_at = clock.now()
    booking.save(update_fields=["status", "status_changed_at"])
    audit_record(
        actor=person_or_none(actor),
        action=action,
        obj=booking,
        before=before,
        after=snapshot(booking),
    )
    return booking


def refuse_unless_booked(booking: Booking) -> None:
    if booking.status != BookingStatus.BOOKED:
        raise Conflict(
            _("The booking is %(status)s; only a booked place can change.")
            % {"status": booking.get_status_display()},
            code="booking_not_open",
        )


def booking_cancel(*, actor: Any, booking_id: int) -> Booking:
    """Give the place back, at the latest before the slot begins."""
    with transaction.atomic():
        booking = locked_booking(booking_id)
        require(actor, Action.APPOINTMENT_CANCEL, booking)
        refuse_unless_booked(booking)
        if booking.slot and booking.date < clock.today():
            raise Conflict(_("The slot has passed."), code="slot_passed")
        _free_place(booking.slot_id)
        return booking_set_status(
            booking, actor=actor, status=BookingStatus.CANCELLED, action="booking.cancel"
        )


def booking_rebook(*, actor: Any, booking_id: int, slot_id: int) -> Booking:
    """Move a booking to another slot: the old place is given back only if the new one is got."""
    with transaction.atomic():
        old = booking_cancel(actor=actor, booking_id=booking_id)
        return booking_create(
            actor=actor,
            slot_id=slot_id,
            item_code=old.item.code,
            channel=old.channel if old.channel != Channel.GREEN else Channel.DOOR,
            case_id=old.case_id,
            applicant_id=old.applicant_id,
            visitor_name=old.visitor_name,
            phone=old.phone,
            rebooked_from=old,
        )
