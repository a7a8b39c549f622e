"""Daily jobs of the halls: open slots ahead, remind the day before, record missed bookings."""

from __future__ import annotations

from django_tasks import task

from yiwang import clock
from yiwang.appointments import attendance, services


@task()
def open_slots_ahead() -> int:
    return services.halls_open_ahead(today=clock.today())


@task()
def send_booking_reminders() -> int:
    return attendance.bookings_remind(today=clock.today())


@task()
def record_no_shows() -> int:
    return attendance.bookings_record_no_shows(day=clock.today())
