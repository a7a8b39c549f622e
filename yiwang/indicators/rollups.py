"""Daily roll-ups of the case counts: history from `DailyFigure`, the days after it live.

`refresh_days` recomputes whole days (optionally one department's part) from the cases with the
definitions of `facts.py`, grouped and written by the database (`rollup_sql`, `INSERT … SELECT`),
so a refresh is idempotent and the roll-ups always equal a full recomputation. They are kept
current by:
- the case events (a decision, a closure, a filing refreshes its day and department),
- the nightly job (`tasks.roll_up`), which rolls yesterday in and refreshes the last
  `REFRESH_DAYS_BACK` days (visits recorded after a case closed, late corrections),
- the positions table: a new calendar version voids them (`positions.rebuild_positions`).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Min, Q, Sum

from yiwang import clock
from yiwang.cases.models import Case as CaseRecord
from yiwang.indicators import rollup_sql
from yiwang.indicators.facts import COUNT_FIELDS, Counts, grouped_counts
from yiwang.indicators.models import (
    DailyFigure,
    DailyLicences,
    MonthlyFigure,
    MonthlyLicences,
)
from yiwang.indicators.positions import checked_state, derived_state, ensure_positions

REFRESH_DAYS_BACK = 7
CHUNK_DAYS = 31


def refresh_days(
    start: datetime.date, end: datetime.date, *, department_id: int | None = None
) -> int:
    """Recompute the roll-up rows of these days (of one department, or all); rows written."""
    ensure_positions()
    where = Q(department_id=department_id) if department_id is not None else None
    written = 0
    chunk_start = start
    while chunk_start <= end:
        chunk_end = min(end, chunk_start + datetime.timedelta(days=CHUNK_DAYS - 1))
        with transaction.atomic():
            old = DailyFigure.objects.filter(day__gte=chunk_start, day__lte=chunk_end)
            if department_id is not None:
                old = old.filter(department_id=department_id)
            old.delete()
            written += rollup_sql.insert_daily_figures(chunk_start, chunk_end, where=where)
            old_licences = DailyLicences.objects.filter(day__gte=chunk_start, day__lte=chunk_end)
            if department_id is not None:
                old_licences = old_licences.filter(department_id=department_id)
            old_licences.delete()
            rollup_sql.insert_daily_licences(chunk_start, chunk_end, where=where)
            _refresh_months(chunk_start, chunk_end, department_id)
        chunk_start = chunk_end + datetime.timedelta(days=1)
    return written


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _refresh_months(start: datetime.date, end: datetime.date, department_id: int | None) -> None:
    """Re-sum the months that hold these days from the daily rows (same department filter)."""
    first, after = _month_start(start), _next_month(end)
    for daily, monthly, keys, sums in (
        (DailyFigure, MonthlyFigure, ("department_id", "region_code", "item_id"), COUNT_FIELDS),
        (
            DailyLicences,
            MonthlyLicences,
            ("department_id", "region_code", "item_id", "licence_type"),
            ("issued",),
        ),
    ):
        old = monthly.objects.filter(day__gte=first, day__lt=after)
        rows = daily.objects.filter(day__gte=first, day__lt=after)
        if department_id is not None:
            old = old.filter(department_id=department_id)
            rows = rows.filter(department_id=department_id)
        old.delete()
        rollup_sql.insert_months(monthly, rows, keys, sums)


def history(
    daily, monthly, start: datetime.date, end: datetime.date, *, where: Q, keys, sums: dict
) -> list[dict]:
    """Rows summed from the roll-ups over the days from `start` to `end` (both rolled up):
    whole months from the monthly table, the days around them from the daily one."""
    first_whole = start if start.day == 1 else _next_month(start)
    after_whole = _month_start(end + datetime.timedelta(days=1))
    parts = []
    if first_whole < after_whole:
        parts.append((monthly, first_whole, after_whole - datetime.timedelta(days=1)))
        if start < first_whole:
            parts.append((daily, start, first_whole - datetime.timedelta(days=1)))
        if after_whole <= end:
            parts.append((daily, after_whole, end))
    else:
        parts.append((daily, start, end))
    rows: list[dict] = []
    for model, low, high in parts:
        figures = model.objects.filter(where, day__gte=low, day__lte=high)
        if keys:
            rows.extend(figures.values(*keys).annotate(**sums).order_by())
        else:
            rows.append(figures.aggregate(**sums))
    return rows


def first_case_day() -> datetime.date | None:
    first = CaseRecord.objects.aggregate(first=Min("received_at"))["first"]
    return clock.localdate(first) if first else None


def roll_up(*, until: datetime.date | None = None) -> int:
    """Bring the roll-ups up to `until` (yesterday by default), re-doing the last few days."""
    ensure_positions()
    until = until or clock.today() - datetime.timedelta(days=1)
    state = derived_state()
    if state.rolled_up_to is None:
        start = first_case_day()
        if start is None:
            state.rolled_up_to = until
            state.save(update_fields=["rolled_up_to"])
            return 0
    else:
        start = min(state.rolled_up_to, until) - datetime.timedelta(days=REFRESH_DAYS_BACK - 1)
    written = refresh_days(start, until) if start <= until else 0
    state.rolled_up_to = max(until, state.rolled_up_to or until)
    state.save(update_fields=["rolled_up_to"])
    return written


def rebuild(*, until: datetime.date | None = None) -> int:
    """Recompute every roll-up from the first case (after a bulk load that published no events)."""
    ensure_positions()
    with transaction.atomic():
        for model in (DailyFigure, DailyLicences, MonthlyFigure, MonthlyLicences):
            model.objects.all().delete()
        state = derived_state()
        state.rolled_up_to = None
        state.save(update_fields=["rolled_up_to"])
    return roll_up(until=until)


# Set by `one_reading`: the boundary read once for the many reads of one page.
_pinned: ContextVar[tuple[datetime.date | None] | None] = ContextVar(
    "indicators_rolled_up_to", default=None
)


@contextlib.contextmanager
def one_reading():
    """Within it, the positions are checked and the roll-ups' boundary read once: a dashboard
    makes a dozen reads, each of which would otherwise check again."""
    if _pinned.get() is not None:  # already inside one
        yield
        return
    token = _pinned.set((checked_state().rolled_up_to,))
    try:
        yield
    finally:
        _pinned.reset(token)


def rolled_up_to() -> datetime.date | None:
    """The last day in the roll-ups (None: nothing rolled up), the positions checked first."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned[0]
    return checked_state().rolled_up_to


def read(
    start: datetime.date,
    end: datetime.date,
    *,
    figure_filter: Q,
    case_filter: Q,
    live_only: bool,
    key: Callable[[dict], object] | None = None,
    figure_keys: tuple[str, ...] = (),
    case_keys: tuple[str, ...] = (),
) -> dict[object, Counts]:
    """Counts over the days from `start` to `end`, grouped by `key` (None: one total).

    Days up to `rolled_up_to` come from the roll-ups, grouped in SQL by `figure_keys`; later
    days (today) are computed from the cases grouped by `case_keys`. `key(row)` maps a row of
    either side (with "day" and the named keys) to its group. `live_only` reads every day from
    the cases (slices the roll-ups do not keep: channel, procedure).
    """
    key = key or (lambda row: None)
    totals: dict[object, Counts] = {}
    boundary = rolled_up_to()  # also checks the positions the live days are counted with
    if live_only:
        boundary = None
    if boundary is not None and start <= boundary:
        rows = history(
            DailyFigure,
            MonthlyFigure,
            start,
            min(end, boundary),
            where=figure_filter,
            keys=figure_keys,
            sums={field: Sum(field) for field in COUNT_FIELDS},
        )
        for row in rows:
            totals.setdefault(key(row), Counts()).add(row)
        start = boundary + datetime.timedelta(days=1)
    if start <= end:
        for group, counts in grouped_counts(start, end, where=case_filter, keys=case_keys).items():
            row = dict(zip(("day", *case_keys), group, strict=True))
            totals.setdefault(key(row), Counts()).add(counts)
    return totals
