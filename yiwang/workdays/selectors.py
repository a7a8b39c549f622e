"""Reads of the calendar's sources (public data: no permission filter)."""

from __future__ import annotations

import datetime

from yiwang.workdays.models import CalendarVersion, DayOverride, PublishedYear


def calendar_version() -> int:
    return CalendarVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def calendar_sources() -> tuple[dict[datetime.date, tuple[str, str]], set[int]]:
    """The overrides as {date: (kind, name)} and the years administrators published."""
    overrides = {
        day: (kind, name)
        for day, kind, name in DayOverride.objects.values_list("date", "kind", "name")
    }
    years = set(PublishedYear.objects.values_list("year", flat=True))
    return overrides, years
