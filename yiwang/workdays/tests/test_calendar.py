"""Real 2026 dates: Spring Festival 2026-02-15..23 (make-up Saturdays 02-14 and 02-28) and
National Day 2026-10-01..07 (make-up Sunday 09-20 and Saturday 10-10), per chinesecalendar."""

import datetime

import pytest

from yiwang.errors import InvalidInput
from yiwang.workdays import calendar as workdays

D = datetime.date


@pytest.mark.parametrize(
    "day, kind, name",
    [
        (D(2026, 2, 13), "workday", ""),
        (D(2026, 2, 14), "makeup_workday", "Spring Festival"),
        (D(2026, 2, 15), "holiday", "Spring Festival"),
        (D(2026, 2, 23), "holiday", "Spring Festival"),
        (D(2026, 2, 24), "workday", ""),
        (D(2026, 2, 28), "makeup_workday", "Spring Festival"),
        (D(2026, 3, 1), "weekend", ""),
        (D(2026, 9, 20), "makeup_workday", "National Day"),
        (D(2026, 10, 1), "holiday", "National Day"),
        (D(2026, 10, 7), "holiday", "National Day"),
        (D(2026, 10, 8), "workday", ""),
        (D(2026, 10, 10), "makeup_workday", "National Day"),
        (D(2026, 10, 11), "weekend", ""),
    ],
)
def test_2026_days_have_their_published_kind(published, day, kind, name):
    info = published.day(day)
    assert (info.kind, info.name, info.provisional) == (kind, name, False)
    assert info.workday == (kind in ("workday", "makeup_workday"))


def test_the_start_day_is_not_counted_and_zero_gives_the_start(published):
    assert published.add(D(2026, 2, 24), 1) == (D(2026, 2, 25), False)
    assert published.add(D(2026, 2, 15), 0) == (D(2026, 2, 15), False)


def test_spring_festival_is_skipped_and_make_up_saturdays_count(published):
    # Friday 02-13, then the make-up Saturday 02-14, then nine days of holiday.
    assert published.add(D(2026, 2, 13), 1)[0] == D(2026, 2, 14)
    assert published.add(D(2026, 2, 13), 2)[0] == D(2026, 2, 24)
    # 02-24..27 are four working days; Saturday 02-28 is the fifth.
    assert published.add(D(2026, 2, 23), 5)[0] == D(2026, 2, 28)
    assert published.between(D(2026, 2, 13), D(2026, 2, 28)) == 6


def test_twenty_working_days_over_national_day(published):
    # 09-29, 09-30, 10-08, 10-09, Saturday 10-10 (make-up), then 10-12.. : due 10-30.
    assert published.add(D(2026, 9, 28), 20) == (D(2026, 10, 30), False)
    assert published.add(D(2026, 9, 30), 1)[0] == D(2026, 10, 8)
    assert published.between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert published.between(D(2026, 9, 19), D(2026, 9, 20)) == 1


def test_next_working_day_is_on_or_after(published):
    assert published.next_working_day(D(2026, 10, 1)) == D(2026, 10, 8)
    assert published.next_working_day(D(2026, 10, 10)) == D(2026, 10, 10)
    assert published.next_working_day(D(2026, 2, 15)) == D(2026, 2, 24)


def test_a_year_without_data_is_provisional_and_follows_the_weekend_rule(published):
    assert not workdays.published_by_chinesecalendar(2030)
    assert 2030 in published.provisional_years
    # 2030-10-01 is a Tuesday: without a published calendar it counts as a working day.
    info = published.day(D(2030, 10, 1))
    assert (info.kind, info.provisional) == ("workday", True)
    assert published.day(D(2030, 10, 5)).kind == "weekend"
    assert published.add(D(2030, 9, 30), 1) == (D(2030, 10, 1), True)


def test_an_answer_that_crosses_into_a_provisional_year_says_so(published):
    due, provisional = published.add(D(2026, 12, 24), 10)
    assert due.year == 2027 and provisional
    assert published.add(D(2026, 12, 1), 5)[1] is False
    assert published.touches_provisional(D(2026, 12, 30), D(2027, 1, 2))


def test_overrides_win_over_chinesecalendar():
    calendar = workdays.WorkingCalendar(
        overrides={
            D(2026, 10, 7): ("workday", ""),
            D(2030, 10, 1): ("holiday", "国庆节"),
        }
    )
    assert calendar.day(D(2026, 10, 7)).workday
    assert calendar.add(D(2026, 9, 30), 1)[0] == D(2026, 10, 7)
    info = calendar.day(D(2030, 10, 1))
    assert (info.kind, info.name, info.provisional) == ("holiday", "国庆节", True)


def test_a_published_year_is_not_provisional():
    calendar = workdays.WorkingCalendar(published_years=[2030])
    assert not calendar.day(D(2030, 1, 7)).provisional
    assert calendar.is_provisional_year(2031)


@pytest.mark.parametrize("day", [D(2003, 12, 31), D(2100, 1, 1), D(1999, 6, 1)])
def test_years_outside_2004_to_2099_are_refused_naming_the_field(published, day):
    with pytest.raises(InvalidInput) as refused:
        published.add(day, 1)
    assert "start" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        published.between(D(2026, 1, 5), day)
    assert set(refused.value.fields) <= {"start", "end"}


@pytest.mark.parametrize("n", [-1, 1001, 10**9])
def test_a_negative_or_absurd_number_of_days_is_refused(published, n):
    with pytest.raises(InvalidInput) as refused:
        published.add(D(2026, 1, 5), n)
    assert refused.value.fields.keys() == {"working_days"}


def test_an_end_before_the_start_is_refused(published):
    with pytest.raises(InvalidInput) as refused:
        published.between(D(2026, 1, 5), D(2026, 1, 4))
    assert refused.value.code == "end_before_start"
    assert refused.value.fields.keys() == {"end"}


def test_the_result_may_not_leave_the_calendar(published):
    with pytest.raises(InvalidInput) as refused:
        published.add(D(2099, 12, 1), 100)
    assert refused.value.code == "beyond_calendar"


@pytest.mark.django_db
def test_get_calendar_sees_an_override_written_through_the_service(user_named, demo):
    from yiwang.workdays.services import day_override_set

    assert not workdays.day_info(D(2026, 10, 7)).workday
    day_override_set(actor=user_named("admin"), date=D(2026, 10, 7), kind="workday", notice="x")
    assert workdays.day_info(D(2026, 10, 7)).workday
    assert workdays.add_working_days(D(2026, 9, 30), 1) == (D(2026, 10, 7), False)
