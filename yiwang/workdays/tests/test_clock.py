"""The deadline clock on real 2026 dates (National Day 10-01..07, make-up Saturday 10-10)."""

import datetime

import pytest

from yiwang.errors import InvalidInput
from yiwang.workdays.clock import DeadlineClock, Suspension

D = datetime.date


def test_a_running_clock_over_national_day(published):
    clock = DeadlineClock(start=D(2026, 9, 28), limit_days=20, kind="statutory")
    reading = clock.at(D(2026, 10, 9), published)
    # 09-29, 09-30, 10-08, 10-09 are used.
    assert (reading.due, reading.used, reading.remaining) == (D(2026, 10, 30), 4, 16)
    assert (reading.state, reading.level, reading.suspended) == ("running", "normal", 0)
    assert reading.provisional is False


def test_the_start_day_itself_uses_nothing(published):
    reading = DeadlineClock(start=D(2026, 9, 28), limit_days=5).at(D(2026, 9, 28), published)
    assert (reading.used, reading.remaining) == (0, 5)


def test_warning_at_eighty_percent_used(published):
    clock = DeadlineClock(start=D(2026, 9, 28), limit_days=20)
    assert clock.at(D(2026, 10, 23), published).level == "normal"  # 15 used, 5 left
    reading = clock.at(D(2026, 10, 26), published)  # 16 used = 80%
    assert (reading.used, reading.level) == (16, "warning")


def test_warning_when_two_or_fewer_days_remain(published):
    clock = DeadlineClock(start=D(2026, 9, 28), limit_days=5)
    # 09-29, 09-30, 10-08: 3 used of 5 (60%), 2 remain.
    reading = clock.at(D(2026, 10, 8), published)
    assert (reading.used, reading.remaining, reading.level) == (3, 2, "warning")
    assert clock.at(D(2026, 9, 29), published).level == "normal"


def test_overdue_after_the_due_date_not_on_it(published):
    clock = DeadlineClock(start=D(2026, 9, 28), limit_days=5)
    assert clock.at(D(2026, 10, 10), published).due == D(2026, 10, 10)
    assert clock.at(D(2026, 10, 10), published).level == "warning"
    reading = clock.at(D(2026, 10, 11), published)  # a Sunday after the due Saturday
    assert (reading.level, reading.remaining) == ("overdue", 0)


def test_a_suspension_leaves_out_the_days_after_it_up_to_resuming(published):
    # Suspended on Friday 10-09 for an inspection, resumed Wednesday 10-14:
    # 10-10 (make-up), 10-12, 10-13, 10-14 are not counted.
    clock = DeadlineClock(
        start=D(2026, 9, 28),
        limit_days=20,
        suspensions=(Suspension(D(2026, 10, 9), D(2026, 10, 14), "inspection", "现场核查"),),
    )
    reading = clock.at(D(2026, 10, 15), published)
    assert (reading.used, reading.suspended) == (5, 4)
    assert reading.due == D(2026, 11, 5)
    assert reading.state == "running"


def test_while_suspended_there_is_no_due_date(published):
    clock = DeadlineClock(
        start=D(2026, 9, 28), limit_days=20, suspensions=(Suspension(D(2026, 10, 9)),)
    )
    reading = clock.at(D(2026, 10, 13), published)
    assert (reading.due, reading.state) == (None, "suspended")
    assert (reading.used, reading.suspended, reading.remaining) == (4, 3, 16)


def test_overlapping_suspensions_count_once(published):
    clock = DeadlineClock(
        start=D(2026, 9, 28),
        limit_days=20,
        suspensions=(
            Suspension(D(2026, 10, 9), D(2026, 10, 14)),
            Suspension(D(2026, 10, 12), D(2026, 10, 13)),
        ),
    )
    assert clock.at(D(2026, 10, 15), published).suspended == 4


def test_an_extension_adds_working_days_to_the_limit(published):
    clock = DeadlineClock(start=D(2026, 9, 28), limit_days=20, extensions=(10,))
    reading = clock.at(D(2026, 10, 9), published)
    assert reading.due == published.add(D(2026, 9, 28), 30)[0] == D(2026, 11, 13)
    assert reading.remaining == 26


def test_a_stopped_clock_reads_as_on_its_stop_day(published):
    clock = DeadlineClock(start=D(2026, 9, 28), limit_days=20, stopped_on=D(2026, 10, 12))
    reading = clock.at(D(2026, 12, 1), published)
    assert (reading.state, reading.used, reading.level) == ("stopped", 6, "normal")


def test_a_clock_running_into_a_year_without_data_is_provisional(published):
    reading = DeadlineClock(start=D(2026, 12, 20), limit_days=20).at(D(2026, 12, 21), published)
    assert reading.due.year == 2027 and reading.provisional


def test_a_resume_before_the_suspension_is_refused():
    with pytest.raises(InvalidInput) as refused:
        Suspension(D(2026, 10, 9), D(2026, 10, 8))
    assert refused.value.code == "resume_before_suspension"
    assert refused.value.fields.keys() == {"end"}


@pytest.mark.parametrize("limit", [-1, 1001])
def test_an_absurd_limit_is_refused(limit):
    with pytest.raises(InvalidInput) as refused:
        DeadlineClock(start=D(2026, 9, 28), limit_days=limit)
    assert refused.value.fields.keys() == {"limit_days"}


def test_a_suspension_before_the_start_is_refused():
    with pytest.raises(InvalidInput):
        DeadlineClock(start=D(2026, 9, 28), limit_days=5, suspensions=(Suspension(D(2026, 9, 1)),))
