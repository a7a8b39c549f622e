import datetime

import pytest
from django.db import transaction

from yiwang.appointments import attendance, services
from yiwang.appointments.models import Booking, BookingBlock, Notice, Slot
from yiwang.appointments.tests.conftest import SETTING_UP
from yiwang.audit.models import AuditRecord
from yiwang.errors import Conflict, InvalidInput, PermissionRefused
from yiwang.parties.models import Applicant
from yiwang.workdays.services import day_override_set

pytestmark = pytest.mark.django_db


def book(user, slot, **extra):
    return services.booking_create(actor=user, slot_id=slot.pk, item_code=SETTING_UP, **extra)


def test_slots_follow_the_working_day_calendar(hall):
    days = set(Slot.objects.filter(hall=hall).values_list("date", flat=True))
    assert datetime.date(2026, 9, 30) in days
    # National Day: no slots; the make-up Saturday (10 October) has them.
    assert not any(datetime.date(2026, 10, day) in days for day in range(1, 8))
    assert datetime.date(2026, 10, 10) in days
    assert datetime.date(2026, 10, 11) not in days  # an ordinary Sunday
    # 09:00–11:30 and 13:30–17:00 in 30-minute slots: 5 + 7 per group and day.
    assert (
        Slot.objects.filter(hall=hall, date="2026-09-30", group__name="医疗机构设置与执业").count()
        == 12
    )


def test_opening_slots_twice_creates_none_again(hall, user_named):
    created = services.hall_open_slots(
        actor=user_named("leader"),
        hall=hall,
        start=datetime.date(2026, 9, 28),
        end=datetime.date(2026, 10, 12),
    )
    assert created == 0


def test_portal_booking_gives_a_ticket_and_takes_a_place(hall, slot_at, user_named):
    slot = slot_at("2026-09-30")
    booking = book(
        user_named("applicant"),
        slot,
        applicant_id=Applicant.objects.get(name="大连海滨口腔诊所").pk,
    )
    assert booking.ticket == "DL260930001"
    assert booking.status == "booked"
    assert booking.channel == "portal"
    slot.refresh_from_db()
    assert slot.booked == 1
    assert AuditRecord.objects.filter(action="booking.create", object_id=str(booking.pk)).exists()


def test_a_portal_user_must_say_which_applicant_when_acting_for_several(hall, slot_at, user_named):
    with pytest.raises(InvalidInput) as refused:
        book(user_named("applicant"), slot_at("2026-09-30"))
    assert "applicant_id" in refused.value.fields
    assert not Booking.objects.exists()


def test_booking_for_an_applicant_one_does_not_act_for_is_refused(hall, slot_at, user_named):
    other = Applicant.objects.get(name="大连中山仁和医院")
    with pytest.raises(Exception) as refused:
        book(user_named("applicant"), slot_at("2026-09-30"), applicant_id=other.pk)
    assert refused.value.status in (403, 404)
    assert Slot.objects.get(pk=slot_at("2026-09-30").pk).booked == 0


def test_a_booking_in_the_past_is_refused(hall, slot_at, user_named, freeze):
    slot = slot_at("2026-09-28", "09:00")
    freeze("2026-09-28T09:10")
    with pytest.raises(InvalidInput) as refused:
        book(user_named("clerk"), slot, channel="phone", visitor_name="王明", phone="13800000000")
    assert refused.value.code == "past"
    assert "slot" in refused.value.fields
    assert not Booking.objects.exists()


def test_a_booking_on_a_day_that_became_a_holiday_is_refused(hall, slot_at, user_named):
    slot = slot_at("2026-10-09")
    with transaction.atomic():
        day_override_set(
            actor=user_named("admin"),
            date=datetime.date(2026, 10, 9),
            kind="holiday",
            name="台风停工",
        )
    with pytest.raises(InvalidInput) as refused:
        book(user_named("clerk"), slot, channel="phone", visitor_name="王明", phone="13800000000")
    assert refused.value.code == "closed_day"
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_a_full_slot_refuses_the_next_booking(hall, slot_at, user_named):
    slot = slot_at("2026-09-30")
    clerk = user_named("clerk")
    for number in range(slot.capacity):
        book(
            clerk,
            slot,
            channel="phone",
            visitor_name=f"来访者{number}",
            phone=f"1380000000{number}",
        )
    with pytest.raises(Conflict) as refused:
        book(clerk, slot, channel="door", visitor_name="迟到者", phone="13900000000")
    assert refused.value.code == "slot_full"
    slot.refresh_from_db()
    assert slot.booked == slot.capacity == 4
    assert Booking.objects.count() == 4


def test_booking_twice_for_the_same_slot_is_refused(hall, slot_at, user_named):
    slot = slot_at("2026-09-30")
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    book(user_named("applicant"), slot, applicant_id=clinic.pk)
    with pytest.raises(Conflict) as refused:
        book(user_named("clerk"), slot, channel="phone", applicant_id=clinic.pk)
    assert refused.value.code == "duplicate_booking"
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_an_item_outside_the_slots_group_is_refused(hall, slot_at, user_named):
    with pytest.raises(InvalidInput) as refused:
        services.booking_create(
            actor=user_named("clerk"),
            slot_id=slot_at("2026-09-30").pk,
            item_code="010040010000",
            channel="phone",
            visitor_name="王明",
            phone="13800000000",
        )
    assert "item_code" in refused.value.fields


def test_cancel_gives_the_place_back_and_rebook_moves_it(hall, slot_at, user_named):
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    first = book(user_named("applicant"), slot_at("2026-09-30"), applicant_id=clinic.pk)
    moved = services.booking_rebook(
        actor=user_named("applicant"),
        booking_id=first.pk,
        slot_id=slot_at("2026-10-08", "10:00").pk,
    )
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert moved.rebooked_from == first
    assert moved.date == datetime.date(2026, 10, 8)
    assert Slot.objects.get(pk=slot_at("2026-09-30").pk).booked == 0
    assert Slot.objects.get(pk=slot_at("2026-10-08", "10:00").pk).booked == 1
    services.booking_cancel(actor=user_named("applicant"), booking_id=moved.pk)
    assert Slot.objects.get(pk=slot_at("2026-10-08", "10:00").pk).booked == 0


def test_a_rebooking_into_a_full_slot_keeps_the_old_place(hall, slot_at, user_named):
    clerk = user_named("clerk")
    full = slot_at("2026-10-08")
    for number in range(full.capacity):
        book(
            clerk,
            full,
            channel="phone",
            visitor_name=f"来访者{number}",
            phone=f"1380000000{number}",
        )
    mine = book(
        clerk, slot_at("2026-09-30"), channel="phone", visitor_name="王明", phone="13900000000"
    )
    with pytest.raises(Conflict):
        services.booking_rebook(actor=clerk, booking_id=mine.pk, slot_id=full.pk)
    mine.refresh_from_db()
    assert mine.status == "booked"
    assert Slot.objects.get(pk=slot_at("2026-09-30").pk).booked == 1


def test_the_reminder_goes_out_the_working_day_before_across_national_day(
    hall, slot_at, user_named
):
    clerk = user_named("clerk")
    after_holiday = book(
        clerk, slot_at("2026-10-08"), channel="phone", visitor_name="王明", phone="13800000000"
    )
    tomorrow = book(
        clerk, slot_at("2026-09-29"), channel="phone", visitor_name="李华", phone="13800000001"
    )
    # Monday 28 September: only Tuesday's visitor is reminded.
    assert attendance.bookings_remind(today=datetime.date(2026, 9, 28)) == 1
    # Wednesday 30 September is the working day before Thursday 8 October.
    assert attendance.bookings_remind(today=datetime.date(2026, 9, 30)) == 1
    assert attendance.bookings_remind(today=datetime.date(2026, 9, 30)) == 0
    # A holiday sends nothing.
    assert attendance.bookings_remind(today=datetime.date(2026, 10, 3)) == 0
    notice = Notice.objects.get(booking=after_holiday, kind="reminder")
    assert after_holiday.ticket in notice.body and "2026-10-08" in notice.body
    assert Notice.objects.filter(booking=tomorrow, kind="reminder").count() == 1


def test_the_third_no_show_in_90_days_blocks_booking_for_30_days(hall, slot_at, user_named, freeze):
    clerk = user_named("clerk")
    person = {"channel": "phone", "visitor_name": "王明", "phone": "138-0000-0000"}
    for day in ("2026-09-28", "2026-09-29", "2026-09-30"):
        booking = book(clerk, slot_at(day, "16:30"), **person)
        freeze(day + "T17:05")
        attendance.booking_mark_no_show(actor=clerk, booking_id=booking.pk)
    block = BookingBlock.objects.get()
    assert block.holder_key == "phone:13800000000"
    assert (block.starts_on, block.ends_on) == (
        datetime.date(2026, 9, 30),
        datetime.date(2026, 10, 29),
    )
    assert Notice.objects.filter(kind="blocked", holder_key=block.holder_key).exists()
    with pytest.raises(Conflict) as refused:
        book(clerk, slot_at("2026-10-09"), **person)
    assert refused.value.code == "booking_blocked"
    freeze("2026-10-30T08:00")
    services.hall_open_slots(
        actor=user_named("leader"),
        hall=hall,
        start=datetime.date(2026, 10, 30),
        end=datetime.date(2026, 10, 30),
    )
    assert book(clerk, slot_at("2026-10-30"), **person).status == "booked"


def test_a_no_show_before_the_slot_ends_is_refused(hall, slot_at, user_named):
    booking = book(
        user_named("clerk"),
        slot_at("2026-09-28", "16:30"),
        channel="phone",
        visitor_name="王明",
        phone="13800000000",
    )
    with pytest.raises(Conflict):
        attendance.booking_mark_no_show(actor=user_named("clerk"), booking_id=booking.pk)


def test_the_evening_job_records_every_missed_booking(hall, slot_at, user_named, freeze):
    clerk = user_named("clerk")
    missed = book(
        clerk,
        slot_at("2026-09-28", "14:00"),
        channel="phone",
        visitor_name="王明",
        phone="13800000000",
    )
    came = book(
        clerk,
        slot_at("2026-09-28", "14:30"),
        channel="door",
        visitor_name="李华",
        phone="13800000001",
    )
    freeze("2026-09-28T14:20")
    attendance.booking_check_in(actor=clerk, booking_id=came.pk)
    freeze("2026-09-28T21:00")
    assert attendance.bookings_record_no_shows(day=datetime.date(2026, 9, 28)) == 1
    missed.refresh_from_db()
    came.refresh_from_db()
    assert (missed.status, came.status) == ("no_show", "checked_in")


def test_only_clerks_book_by_phone(hall, slot_at, user_named):
    with pytest.raises(PermissionRefused):
        book(
            user_named("reviewer"),
            slot_at("2026-09-30"),
            channel="phone",
            visitor_name="王明",
            phone="13800000000",
        )
