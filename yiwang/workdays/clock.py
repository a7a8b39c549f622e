"""Deadline clocks (办理时限): one implementation for every time limit a case carries.

A case may carry several clocks — acceptance (受理, 5 working days, Art. 32), committed
(承诺时限), statutory (法定时限, Art. 42), supplement (补正) and verification (核查) — each a
`DeadlineClock` value. A clock stores no "days left" counter: its reading is computed from the
start, the limit, suspensions and extensions, for any "today", by calendar lookups.

The rules, precisely:

* Counting (Art. 82): periods run in working days; the day of the starting event is not
  counted. Working days *used* are those after `start` up to and including the reading's end
  (today, or the day the clock was stopped, whichever is earlier), less suspended ones.
* Suspension (Art. 45: hearings, tests, inspections, appraisal and expert review are not
  counted): a suspension from S to R leaves out the working days after S up to and including
  R. Overlapping suspensions are counted once. While a suspension is open (no R yet) the due
  date is unknown (None) and the clock's state is "suspended"; its days are counted as
  suspended up to today. A suspension that begins after the due date does not move it.
* Extension (Art. 42: once, by 10 working days, with the approver's consent): each extension
  adds its working days to the limit. How many extensions are allowed is the case workflow's
  rule, not the clock's.
* Due date: the working day on which the used days reach limit + extensions.
* Level: "overdue" when the reading's end is after the due date (or more days were used than
  the limit allows), else "warning" when 80% or more of the limit is used or 2 or fewer
  working days remain, else "normal".
* Provisional: true when any day from the start to the due date (or to the reading's end
  while the due date is unknown) lies in a year without a published calendar.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from yiwang.errors import invalid_field
from yiwang.workdays.calendar import MAX_WORKING_DAYS, WorkingCalendar, get_calendar

RUNNING = "running"
SUSPENDED = "suspended"
STOPPED = "stopped"

NORMAL = "normal"
WARNING = "warning"
OVERDUE = "overdue"

WARNING_SHARE = 0.8
WARNING_DAYS_LEFT = 2

RESUME_BEFORE_SUSPENSION_RULE = _("A clock cannot resume before the day it was suspended.")
SUSPENSION_BEFORE_START_RULE = _("A clock cannot be suspended before it starts.")
STOP_BEFORE_START_RULE = _("A clock cannot stop before it starts.")
LIMIT_RULE = _("Give a time limit from 0 to 1,000 working days.")
EXTENSION_RULE = _("Give an extension from 1 to 1,000 working days.")


@dataclass(frozen=True)
class Suspension:
    """A suspension of a clock (中止/暂停计时, Art. 45) from `start` to `end` (None: still open)."""

    start: datetime.date
    end: datetime.date | None = None
    kind: str = ""
    reason: str = ""

    def __post_init__(self):
        if self.end is not None and self.end < self.start:
            raise invalid_field(
                "end", RESUME_BEFORE_SUSPENSION_RULE, code="resume_before_suspension"
            )

    @property
    def is_open(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class ClockReading:
    due: datetime.date | None
    used: int
    suspended: int
    remaining: int
    state: str
    level: str
    provisional: bool
    limit: int


@dataclass(frozen=True)
class DeadlineClock:
    """A time limit in working days from `start` (the start day is not counted, Art. 82)."""

    start: datetime.date
    limit_days: int
    suspensions: tuple[Suspension, ...] = ()
    extensions: tuple[int, ...] = ()
    stopped_on: datetime.date | None = None
    kind: str = ""
    name: str = ""

    def __post_init__(self):
        if not 0 <= self.limit_days <= MAX_WORKING_DAYS:
            raise invalid_field("limit_days", LIMIT_RULE, code="limit_out_of_range")
        for days in self.extensions:
            if not 1 <= days <= MAX_WORKING_DAYS:
                raise invalid_field("extensions", EXTENSION_RULE, code="extension_out_of_range")
        for suspension in self.suspensions:
            if suspension.start < self.start:
                raise invalid_field(
                    "suspensions", SUSPENSION_BEFORE_START_RULE, code="suspension_before_start"
                )
        if self.stopped_on is not None and self.stopped_on < self.start:
            raise invalid_field("stopped_on", STOP_BEFORE_START_RULE, code="stop_before_start")

    @property
    def total_limit(self) -> int:
        """The limit with every extension (Art. 42)."""
        return self.limit_days + sum(self.extensions)

    def at(self, today: datetime.date, calendar: WorkingCalendar | None = None) -> ClockReading:
        """The reading on `today`; a stopped clock reads as on the day it stopped."""
        calendar = calendar or get_calendar()
        end = today if self.stopped_on is None else min(today, self.stopped_on)
        end = max(end, self.start)
        origin = calendar.position(self.start, "start")
        reached = calendar.position(end, "today")
        intervals = self._suspended_intervals(calendar, reached)
        suspended = sum(max(0, min(high, reached) - max(low, origin)) for low, high in intervals)
        used = reached - origin - suspended
        limit = self.total_limit
        is_open = any(suspension.is_open for suspension in self.suspensions)
        due = None if is_open else self._due(calendar, origin, limit, intervals) or self.start
        if self.stopped_on is not None and self.stopped_on <= today:
            state = STOPPED
        elif is_open:
            state = SUSPENDED
        else:
            state = RUNNING
        remaining = max(0, limit - used)
        if (due is not None and end > due) or used > limit:
            level = OVERDUE
        elif used >= WARNING_SHARE * limit or remaining <= WARNING_DAYS_LEFT:
            level = WARNING
        else:
            level = NORMAL
        provisional = calendar.touches_provisional(self.start, max(due or end, end))
        return ClockReading(
            due=due,
            used=used,
            suspended=suspended,
            remaining=remaining,
            state=state,
            level=level,
            provisional=provisional,
            limit=limit,
        )

    def _suspended_intervals(
        self, calendar: WorkingCalendar, reached: int
    ) -> list[tuple[int, int]]:
        """Suspensions as merged (low, high] ranges of working-day positions."""
        ranges = []
        for suspension in self.suspensions:
            low = calendar.position(suspension.start, "start")
            if suspension.end is not None:
                high = calendar.position(suspension.end, "end")
            else:  # still open: suspended up to the reading's end
                high = max(low, reached)
            ranges.append((low, high))
        ranges.sort()
        merged: list[tuple[int, int]] = []
        for low, high in ranges:
            if merged and low <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], high))
            else:
                merged.append((low, high))
        return merged

    @staticmethod
    def _due(
        calendar: WorkingCalendar, origin: int, limit: int, intervals: list[tuple[int, int]]
    ) -> datetime.date | None:
        target = origin + limit
        for low, high in intervals:
            # A suspension moves the due date only if it begins before the due day.
            if max(low, origin) < target:
                target += max(0, high - max(low, origin))
            else:
                break
        if target == origin:
            return None  # replaced by the start day in `at`: a zero limit is due on the day
        return calendar.working_day_at(target)
