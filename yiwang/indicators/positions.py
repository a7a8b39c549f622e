"""The working-day positions table beside the calendar.

`WorkingCalendar.position(day)` counts the working days on or before `day`; two positions
subtract to the working days after one day up to and including the other (Art. 82), exactly as
`DeadlineClock` counts. The table is rebuilt when the calendar's version row moves (an
administrator's override, a newly published year); the roll-ups that used the old positions
are then dropped and rebuilt.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists

from yiwang import clock
from yiwang.indicators.models import (
    DailyFigure,
    DailyLicences,
    DerivedState,
    MonthlyFigure,
    MonthlyLicences,
    WorkdayPosition,
)
from yiwang.workdays.calendar import FIRST_YEAR, LAST_YEAR, get_calendar
from yiwang.workdays.selectors import calendar_version

BATCH = 5000


def derived_state() -> DerivedState:
    state, _created = DerivedState.objects.get_or_create(pk=1)
    return state


def checked_state() -> DerivedState:
    """The derived state, the positions rebuilt first if the calendar moved since they were
    built (two statements when nothing moved: the calendar's version, then the state with
    whether any position exists)."""
    version = calendar_version()
    state = (
        DerivedState.objects.filter(pk=1)
        .annotate(has_positions=Exists(WorkdayPosition.objects.all()))
        .first()
    )
    if state is not None and state.calendar_version == version and state.has_positions:
        return state
    rebuild_positions(version)
    return derived_state()


def ensure_positions() -> None:
    """Rebuild the positions if the calendar moved since they were built."""
    checked_state()


@transaction.atomic
def rebuild_positions(version: int | None = None) -> None:
    """Every day of the calendar with its position; the roll-ups start again from nothing."""
    if version is None:
        version = calendar_version()
    calendar = get_calendar()
    WorkdayPosition.objects.all().delete()
    day, last = datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31)
    batch: list[WorkdayPosition] = []
    one = datetime.timedelta(days=1)
    while day <= last:
        batch.append(WorkdayPosition(day=day, position=calendar.position(day)))
        if len(batch) == BATCH:
            WorkdayPosition.objects.bulk_create(batch)
            batch = []
        day += one
    WorkdayPosition.objects.bulk_create(batch)
    # Working days used and on-time depend on the positions: old roll-ups are void.
    for model in (DailyFigure, DailyLicences, MonthlyFigure, MonthlyLicences):
        model.objects.all().delete()
    state = derived_state()
    state.calendar_version = version
    state.rolled_up_to = None
    state.rebuilt_at = clock.now()
    state.save()
