"""Properties of the arithmetic, over the whole published and provisional range."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.workdays.calendar import WorkingCalendar
from yiwang.workdays.clock import DeadlineClock, Suspension

CALENDAR = WorkingCalendar()
starts = st.dates(min_value=datetime.date(2004, 1, 1), max_value=datetime.date(2095, 12, 31))
counts = st.integers(min_value=0, max_value=1000)


def loop_add(start, n):
    """The slow definition: step day by day."""
    day = start
    while n:
        day += datetime.timedelta(days=1)
        if CALENDAR.day(day).workday:
            n -= 1
    return day


@settings(max_examples=300)
@given(starts, counts)
def test_counting_undoes_adding(start, n):
    due, _provisional = CALENDAR.add(start, n)
    assert CALENDAR.between(start, due) == n


@settings(max_examples=300)
@given(starts, st.integers(min_value=0, max_value=400))
def test_adding_undoes_counting_up_to_the_next_working_day(start, span):
    end = start + datetime.timedelta(days=span)
    n = CALENDAR.between(start, end)
    due, _provisional = CALENDAR.add(start, n)
    assert due <= end
    if n:
        assert CALENDAR.day(due).workday
        assert CALENDAR.between(due, end) == 0


@settings(max_examples=300)
@given(starts, counts, counts)
def test_adding_is_monotonic(start, first, second):
    low, high = sorted((first, second))
    assert CALENDAR.add(start, low)[0] <= CALENDAR.add(start, high)[0]


@settings(max_examples=300)
@given(starts, starts, st.integers(min_value=0, max_value=60))
def test_adding_is_monotonic_in_the_start(one, other, n):
    early, late = sorted((one, other))
    assert CALENDAR.add(early, n)[0] <= CALENDAR.add(late, n)[0]


@settings(max_examples=150)
@given(starts, st.integers(min_value=0, max_value=60))
def test_lookup_agrees_with_the_day_by_day_loop(start, n):
    assert CALENDAR.add(start, n)[0] == loop_add(start, n)


@settings(max_examples=300)
@given(
    st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=200),
    st.integers(min_value=0, max_value=120),
)
def test_a_suspension_shifts_the_due_date_by_exactly_its_working_days(start, limit, offset, length):
    plain_due = DeadlineClock(start=start, limit_days=limit).at(start, CALENDAR).due
    suspended_from = start + datetime.timedelta(days=offset)
    resumed = suspended_from + datetime.timedelta(days=length)
    clock = DeadlineClock(
        start=start, limit_days=limit, suspensions=(Suspension(suspended_from, resumed),)
    )
    reading = clock.at(resumed, CALENDAR)
    suspended_days = CALENDAR.between(suspended_from, resumed)
    if suspended_from < plain_due:
        expected = CALENDAR.add(start, limit + suspended_days)[0]
        assert reading.due == expected
        assert CALENDAR.between(plain_due, reading.due) == suspended_days
    else:
        assert reading.due == plain_due
    assert reading.suspended == suspended_days


@settings(max_examples=200)
@given(
    st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=120),
)
def test_used_plus_remaining_is_the_limit_until_due(start, limit, elapsed):
    today = start + datetime.timedelta(days=elapsed)
    reading = DeadlineClock(start=start, limit_days=limit).at(today, CALENDAR)
    if today <= reading.due:
        assert reading.used + reading.remaining == limit
    else:
        assert reading.level == "overdue"
