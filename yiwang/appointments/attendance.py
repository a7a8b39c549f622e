"""Attendance at the hall: check-in, missed bookings (and the block the third one brings within
90 days), the reminder the working day before. One transaction and one audit record each."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.appointments import rules
from yiwang.appointments.models import Booking, BookingBlock, BookingStatus, Notice
from yiwang.appointments.services import (
    active_block,
    booking_set_status,
    local_moment,
    locked_booking,
    person_or_none,
    refuse_unless_booked,
)
from yiwang.audit.services import audit_record
from yiwang.errors import Conflict
from yiwang.permissions import Action, require
from yiwang.workdays.calendar import day_info, next_working_day


def booking_check_in(*, actor: Any, booking_id: int) -> Booking:
    with transaction.atomic():
        booking = locked_booking(booking_id)
        # Checked on the booking, not its hall: the booking's holder sees it and is refused
        # (403); the hall alone would hide the holder's own booking from them (404).
        require(actor, Action.APPOINTMENT_DESK, booking)
        refuse_unless_booked(booking)
        if booking.date != clock.today():
            raise Conflict(
                _("A visitor checks in on the day of the booking (%(date)s).")
                % {"date": booking.date.isoformat()},
                code="not_today",
            )
        return booking_set_status(
            booking, actor=actor, status=BookingStatus.CHECKED_IN, action="booking.check_in"
        )


def booking_mark_no_show(*, actor: Any, booking_id: int) -> Booking:
    """Record a missed booking once its slot has ended; the third within 90 days blocks the
    holder from booking for 30 days and tells them so."""
    with transaction.atomic():
        booking = locked_booking(booking_id)
        require(actor, Action.APPOINTMENT_DESK, booking)
        return _record_no_show(booking, actor=actor)


def _record_no_show(booking: Booking, *, actor: Any) -> Booking:
    with transaction.atomic():
        refuse_unless_booked(booking)
        if local_moment(booking.date, booking.slot.ends_at) > clock.now():
            raise Conflict(_("The slot has not ended yet."), code="slot_not_ended")
        booking_set_status(
            booking, actor=actor, status=BookingStatus.NO_SHOW, action="booking.no_show"
        )
        _block_if_repeated(booking, actor=actor)
        return booking


def _block_if_repeated(booking: Booking, *, actor: Any) -> BookingBlock | None:
    today = clock.today()
    since = today - datetime.timedelta(days=rules.NO_SHOW_WINDOW_DAYS)
    missed = Booking.objects.filter(
        holder_key=booking.holder_key, status=BookingStatus.NO_SHOW, date__gt=since
    ).count()
    if missed < rules.NO_SHOW_LIMIT or active_block(booking.holder_key, today):
        return None
    block = BookingBlock.objects.create(
        holder_key=booking.holder_key,
        applicant=booking.applicant,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=rules.BLOCK_DAYS - 1),
        no_shows=missed,
        created_at=clock.now(),
    )
    Notice.objects.create(
        booking=booking,
        holder_key=booking.holder_key,
        applicant=booking.applicant,
        phone=booking.phone,
        kind=Notice.Kind.BLOCKED,
        body=gettext(
            "You missed %(count)s booked visits within %(window)s days. You may not book "
            "until %(until)s; you can still come to the hall without a booking."
        )
        % {"count": missed, "window": rules.NO_SHOW_WINDOW_DAYS, "until": block.ends_on},
        created_at=clock.now(),
    )
    audit_record(
        actor=person_or_none(actor),
        action="booking.block",
        object_type="appointments.bookingblock",
        object_id=block.pk,
        stream=f"booking-holder:{booking.holder_key}",
        after={"from": block.starts_on, "until": block.ends_on, "no_shows": missed},
    )
    return block


def bookings_remind(*, today: datetime.date) -> int:
    """On a working day, remind everyone booked for the next working day (and for any day
    between, should a slot sit on a day that has since become a make-up day)."""
    if not day_info(today).workday:
        return 0
    target = next_working_day(today + datetime.timedelta(days=1))
    with transaction.atomic():
        due = list(
            Booking.objects.select_for_update(of=("self",))
            .select_related("hall", "slot", "item")
            .filter(
                status=BookingStatus.BOOKED,
                reminded_at__isnull=True,
                date__gt=today,
                date__lte=target,
            )
        )
        now = clock.now()
        notices = [
            Notice(
                booking=booking,
                holder_key=booking.holder_key,
                applicant_id=booking.applicant_id,
                phone=booking.phone,
                kind=Notice.Kind.REMINDER,
                body=gettext(
                    "Reminder: ticket %(ticket)s, %(hall)s, %(date)s %(time)s, for %(item)s. "
                    "Bring the original documents."
                )
                % {
                    "ticket": booking.ticket,
                    "hall": booking.hall.name,
                    "date": booking.date.isoformat(),
                    "time": booking.slot.starts_at.strftime("%H:%M"),
                    "item": booking.item.code,
                },
                created_at=now,
            )
            for booking in due
        ]
        Notice.objects.bulk_create(notices)
        Booking.objects.filter(pk__in=[booking.pk for booking in due]).update(reminded_at=now)
        if due:
            audit_record(
                actor=None,
                action="booking.remind",
                object_type="appointments.booking",
                object_id="reminders",
                stream=f"booking-reminders:{today.isoformat()}",
                after={"for": target.isoformat(), "tickets": [booking.ticket for booking in due]},
            )
    return len(due)


def bookings_record_no_shows(*, day: datetime.date) -> int:
    """At the end of a day: every place still booked for it (or earlier) was missed."""
    ids = list(
        Booking.objects.filter(status=BookingStatus.BOOKED, date__lte=day, slot__isnull=False)
        .order_by("date", "pk")
        .values_list("pk", flat=True)
    )
    for booking_id in ids:
        with transaction.atomic():
            _record_no_show(locked_booking(booking_id), actor=None)
    return len(ids)
