"""The working-day calendar (工作日历) and its arithmetic, by lookup in precomputed tables.

A day is a working day when it is Monday–Friday and not a statutory holiday, or a weekend day
that the State Council made a working day (调休). Periods are counted in working days and the
day of the event that starts them is not counted (Administrative Licensing Law, Art. 82).

Sources, in order of precedence: the administrators' `DayOverride` rows, then `chinesecalendar`
for the years it covers. A year that neither covers (no `PublishedYear` row either) is
*provisional*: its days follow the weekend rule and every answer touching it says so.

`WorkingCalendar` is a pure value built once for 2004–2099: a byte per day for its kind, a
prefix count of working days and the sorted list of working dates, so that adding and counting
are two list lookups. `get_calendar()` returns the current one; it rebuilds when the
`CalendarVersion` row (bumped in the transaction of every calendar write) has moved, checking
at most once per `RECHECK_SECONDS`. `reset_calendar()` forgets it (tests).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import chinese_calendar
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.errors import invalid_field
from yiwang.workdays import selectors
from yiwang.workdays.models import WORKING_KINDS, DayKind

FIRST_YEAR = 2004
LAST_YEAR = 2099
MAX_WORKING_DAYS = 1000
RECHECK_SECONDS = 1.0

KINDS = (DayKind.WORKDAY.value, DayKind.WEEKEND.value, DayKind.HOLIDAY.value,
         DayKind.MAKEUP_WORKDAY.value)  # fmt: skip
_KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}
_WORKING_CODES = frozenset(_KIND_CODE[kind] for kind in WORKING_KINDS)

YEAR_RULE = _("Give a date in a year from 2004 to 2099.")
WORKING_DAYS_RULE = _("Give a number of working days from 0 to 1,000.")
END_BEFORE_START_RULE = _("The end date cannot be before the start date.")
BEYOND_CALENDAR_RULE = _("The result would fall after 2099, beyond the calendar.")

# chinesecalendar names holidays in English; these are their Chinese names for display.
HOLIDAY_NAMES = {
    "New Year's Day": pgettext_lazy("holiday", "New Year's Day"),
    "Spring Festival": pgettext_lazy("holiday", "Spring Festival"),
    "Tomb-sweeping Day": pgettext_lazy("holiday", "Tomb-sweeping Day"),
    "Labour Day": pgettext_lazy("holiday", "Labour Day"),
    "Dragon Boat Festival": pgettext_lazy("holiday", "Dragon Boat Festival"),
    "National Day": pgettext_lazy("holiday", "National Day"),
    "Mid-autumn Festival": pgettext_lazy("holiday", "Mid-autumn Festival"),
    "Anti-Fascist 70th Day": pgettext_lazy("holiday", "Anti-Fascist 70th Day"),
}


def display_name(name: str) -> str:
    """A holiday's name in the active language (administrators' own names are kept as typed)."""
    return str(HOLIDAY_NAMES.get(name, name))


@dataclass(frozen=True)
class DayInfo:
    date: datetime.date
    kind: str
    name: str
    provisional: bool

    @property
    def workday(self) -> bool:
        return self.kind in WORKING_KINDS


def check_year(day: datetime.date, field: str) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise invalid_field(field, YEAR_RULE, code="year_out_of_range")


def check_working_days(n: int, field: str = "working_days") -> None:
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise invalid_field(field, WORKING_DAYS_RULE, code="working_days_out_of_range")


def published_by_chinesecalendar(year: int) -> bool:
    """Whether `chinesecalendar` has the State Council's calendar for this year."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _published_kind(day: datetime.date) -> tuple[str, str]:
    if day in chinese_calendar.holidays:
        return DayKind.HOLIDAY.value, chinese_calendar.holidays[day]
    if day.weekday() >= 5:
        if day in chinese_calendar.workdays:
            return DayKind.MAKEUP_WORKDAY.value, chinese_calendar.workdays[day]
        return DayKind.WEEKEND.value, ""
    return DayKind.WORKDAY.value, ""


class WorkingCalendar:
    """The calendar of 2004–2099 as tables; immutable once built."""

    def __init__(
        self,
        *,
        overrides: Mapping[datetime.date, tuple[str, str]] | None = None,
        published_years: Iterable[int] = (),
    ):
        overrides = overrides or {}
        published = set(published_years)
        self.first = datetime.date(FIRST_YEAR, 1, 1)
        self._base = self.first.toordinal()
        self._size = datetime.date(LAST_YEAR, 12, 31).toordinal() - self._base + 1
        kinds = bytearray(self._size)
        names: dict[int, str] = {}
        provisional_years = set()
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            from_library = published_by_chinesecalendar(year)
            if not from_library and year not in published:
                provisional_years.add(year)
            self._fill_year(year, from_library, kinds, names)
        for day, (kind, name) in overrides.items():
            if FIRST_YEAR <= day.year <= LAST_YEAR:
                index = day.toordinal() - self._base
                kinds[index] = _KIND_CODE[kind]
                names.pop(index, None)
                if name:
                    names[index] = name
        self._kinds = bytes(kinds)
        self._names = names
        self.provisional_years = frozenset(provisional_years)
        self._index_tables()

    def _fill_year(self, year, from_library, kinds, names) -> None:
        day = datetime.date(year, 1, 1)
        index = day.toordinal() - self._base
        one = datetime.timedelta(days=1)
        while day.year == year:
            if from_library:
                kind, name = _published_kind(day)
                if name:
                    names[index] = name
            else:
                kind = DayKind.WEEKEND.value if day.weekday() >= 5 else DayKind.WORKDAY.value
            kinds[index] = _KIND_CODE[kind]
            day += one
            index += 1

    def _index_tables(self) -> None:
        # cumulative[i]: working days strictly before day index i; the same for provisional days.
        cumulative = [0] * (self._size + 1)
        provisional_before = [0] * (self._size + 1)
        working_dates: list[datetime.date] = []
        working_provisional: list[int] = []
        count = provisional = 0
        for index, code in enumerate(self._kinds):
            day = datetime.date.fromordinal(self._base + index)
            if day.year in self.provisional_years:
                provisional += 1
            if code in _WORKING_CODES:
                count += 1
                working_dates.append(day)
                working_provisional.append(provisional)
            cumulative[index + 1] = count
            provisional_before[index + 1] = provisional
        self._cumulative = cumulative
        self._provisional_before = provisional_before
        self._working_dates = working_dates
        # For the k-th working day: provisional days up to and including it.
        self._working_provisional = working_provisional

    def _index(self, day: datetime.date, field: str) -> int:
        index = day.toordinal() - self._base
        if not 0 <= index < self._size:
            raise invalid_field(field, YEAR_RULE, code="year_out_of_range")
        return index

    # The arithmetic: each answer is a few list lookups.

    def add(self, start: datetime.date, n: int) -> tuple[datetime.date, bool]:
        """The n-th working day after `start` (not counted); n = 0 gives `start` itself."""
        index = start.toordinal() - self._base
        if not 0 <= index < self._size:
            raise invalid_field("start", YEAR_RULE, code="year_out_of_range")
        if not 0 <= n <= MAX_WORKING_DAYS:
            raise invalid_field("working_days", WORKING_DAYS_RULE, code="working_days_out_of_range")
        if n == 0:
            return start, self._provisional_before[index + 1] != self._provisional_before[index]
        position = self._cumulative[index + 1] + n - 1
        if position >= len(self._working_dates):
            raise invalid_field("working_days", BEYOND_CALENDAR_RULE, code="beyond_calendar")
        return (
            self._working_dates[position],
            self._working_provisional[position] != self._provisional_before[index],
        )

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end`."""
        first = self._index(start, "start")
        last = self._index(end, "end")
        if last < first:
            raise invalid_field("end", END_BEFORE_START_RULE, code="end_before_start")
        return self._cumulative[last + 1] - self._cumulative[first + 1]

    def next_working_day(self, day: datetime.date, field: str = "date") -> datetime.date:
        """The first working day on or after `day`."""
        position = self._cumulative[self._index(day, field)]
        if position >= len(self._working_dates):
            raise invalid_field(field, BEYOND_CALENDAR_RULE, code="beyond_calendar")
        return self._working_dates[position]

    def position(self, day: datetime.date, field: str = "date") -> int:
        """How many working days fall on or before `day` since 2004-01-01 (a clock's ruler)."""
        return self._cumulative[self._index(day, field) + 1]

    def working_day_at(self, position: int) -> datetime.date:
        """The working day whose `position` is `position` (1 = the first working day of 2004)."""
        if not 1 <= position <= len(self._working_dates):
            raise invalid_field("working_days", BEYOND_CALENDAR_RULE, code="beyond_calendar")
        return self._working_dates[position - 1]

    def touches_provisional(self, start: datetime.date, end: datetime.date) -> bool:
        """Whether any day from `start` to `end` (both included) lies in a provisional year."""
        first = self._index(start, "start")
        last = self._index(end, "end")
        if last < first:
            first, last = last, first
        return self._provisional_before[last + 1] != self._provisional_before[first]

    def is_provisional_year(self, year: int) -> bool:
        return year in self.provisional_years or not FIRST_YEAR <= year <= LAST_YEAR

    def day(self, day: datetime.date, field: str = "date") -> DayInfo:
        index = self._index(day, field)
        return DayInfo(
            date=day,
            kind=KINDS[self._kinds[index]],
            name=self._names.get(index, ""),
            provisional=day.year in self.provisional_years,
        )

    def days(self, start: datetime.date, end: datetime.date) -> list[DayInfo]:
        """Every day from `start` to `end`, both included."""
        first = self._index(start, "from")
        last = self._index(end, "to")
        if last < first:
            raise invalid_field("to", END_BEFORE_START_RULE, code="end_before_start")
        return [
            self.day(datetime.date.fromordinal(self._base + index))
            for index in range(first, last + 1)
        ]


class CalendarCache:
    """Holds the current `WorkingCalendar`; rebuilt when the calendar's version row moves."""

    def __init__(self, recheck_seconds: float = RECHECK_SECONDS):
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self._calendar: WorkingCalendar | None = None
        self._version: int | None = None
        self._checked_at = 0.0
        self._changed = False

    def mark_changed(self) -> None:
        """A service changed the calendar: look at the version row on the next read."""
        self._changed = True

    def get(self) -> WorkingCalendar:
        moment = time.monotonic()
        calendar = self._calendar
        if (
            calendar is not None
            and not self._changed
            and moment - self._checked_at < self.recheck_seconds
        ):
            return calendar
        version = selectors.calendar_version()
        with self._lock:
            if self._calendar is None or version != self._version:
                overrides, published_years = selectors.calendar_sources()
                self._calendar = WorkingCalendar(
                    overrides=overrides, published_years=published_years
                )
                self._version = version
            self._checked_at = moment
            self._changed = False
            return self._calendar


_cache = CalendarCache()


def get_calendar() -> WorkingCalendar:
    return _cache.get()


def reset_calendar() -> None:
    """Forget the built calendar (tests; after restoring a database)."""
    _cache.reset()


def calendar_changed() -> None:
    _cache.mark_changed()


# The functions the rest of Yiwang calls.


def add_working_days(start: datetime.date, n: int) -> tuple[datetime.date, bool]:
    """(due, provisional): the n-th working day after `start`; the start day is not counted."""
    return get_calendar().add(start, n)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (Art. 82)."""
    return get_calendar().between(start, end)


def next_working_day(on_or_after: datetime.date) -> datetime.date:
    return get_calendar().next_working_day(on_or_after)


def day_info(day: datetime.date) -> DayInfo:
    return get_calendar().day(day)


def is_provisional_year(year: int) -> bool:
    return get_calendar().is_provisional_year(year)
