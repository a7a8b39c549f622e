"""Every write to the calendar: one function per use case, one transaction, one audit record.

Each write bumps `CalendarVersion` in the same transaction, so that every process rebuilds
its `WorkingCalendar` (see `calendar.CalendarCache`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from yiwang.audit.services import audit_record, snapshot
from yiwang.errors import InvalidInput, invalid_field
from yiwang.permissions import Action, require
from yiwang.workdays import importing
from yiwang.workdays.calendar import FIRST_YEAR, LAST_YEAR, YEAR_RULE, calendar_changed
from yiwang.workdays.models import CalendarVersion, DayOverride, PublishedYear

OVERRIDE_FIELDS = ["date", "kind", "name", "notice"]


class CalendarImportRefused(InvalidInput):
    """The file had problems; `problems` lists each (row, column, rule). Nothing was loaded."""

    code = "import_refused"

    def __init__(self, problems: list[importing.ImportProblem]):
        super().__init__(
            _("The calendar file has problems; nothing was loaded."),
            fields={"file": _("The calendar file has problems; nothing was loaded.")},
        )
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    year: int
    loaded: int
    removed: int


def _bump_version() -> None:
    updated = CalendarVersion.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        CalendarVersion.objects.create(pk=1, version=1)
    calendar_changed()
    transaction.on_commit(calendar_changed)


def _check_override(date: datetime.date, kind: str, name: str) -> None:
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise invalid_field("date", YEAR_RULE, code="year_out_of_range")
    if kind not in importing.DayKind.values:
        raise invalid_field("kind", importing.RULES["kind"], code="kind")
    rule = importing._weekday_rule(kind, date)
    if rule:
        raise invalid_field("kind", importing.RULES[rule], code=rule)
    if kind in ("holiday", "makeup_workday") and not name:
        raise invalid_field("name", importing.RULES["name_required"], code="name_required")


def day_override_set(
    *, actor: Any, date: datetime.date, kind: str, name: str = "", notice: str = ""
) -> DayOverride:
    """Set one day's kind (creates or replaces the override of that date)."""
    require(actor, Action.CALENDAR_EDIT)
    _check_override(date, kind, name)
    with transaction.atomic():
        override = DayOverride.objects.select_for_update().filter(date=date).first()
        before = snapshot(override, OVERRIDE_FIELDS) if override else None
        if override is None:
            override = DayOverride(date=date, created_by=_user_or_none(actor))
        override.kind, override.name, override.notice = kind, name, notice
        override.save()
        _bump_version()
        audit_record(
            actor=actor,
            action="calendar.day_override_set",
            obj=override,
            before=before,
            after=snapshot(override, OVERRIDE_FIELDS),
            note=notice,
        )
    return override


def day_override_delete(*, actor: Any, override: DayOverride) -> None:
    """Remove an override: the day follows `chinesecalendar` (or the weekend rule) again."""
    require(actor, Action.CALENDAR_EDIT)
    with transaction.atomic():
        before = snapshot(override, OVERRIDE_FIELDS)
        pk = override.pk
        override.delete()
        _bump_version()
        audit_record(
            actor=actor,
            action="calendar.day_override_delete",
            object_type=DayOverride._meta.label_lower,
            object_id=pk,
            before=before,
        )


def calendar_import_year(
    *, actor: Any, filename: str, content: bytes, year: int | None = None, notice: str = ""
) -> ImportResult:
    """Load a whole year from a CSV or .xlsx file: its rows replace the year's overrides.

    The year becomes published (no longer provisional). Any bad row refuses the whole file
    with `CalendarImportRefused`, whose `problems` name row, column and rule.
    """
    require(actor, Action.CALENDAR_EDIT)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise invalid_field("year", YEAR_RULE, code="year_out_of_range")
    try:
        raw = importing.rows_from_file(filename, content)
    except importing.UnreadableFile as error:
        raise CalendarImportRefused([importing.ImportProblem(1, "file", error.rule)]) from error
    rows, problems, year = importing.check_rows(raw, year)
    if problems or year is None:
        raise CalendarImportRefused(problems)
    user = _user_or_none(actor)
    with transaction.atomic():
        existing = DayOverride.objects.filter(date__year=year)
        before = [snapshot(override, OVERRIDE_FIELDS) for override in existing]
        removed, _details = existing.delete()
        DayOverride.objects.bulk_create(
            DayOverride(
                date=row.date,
                kind=row.kind,
                name=row.name,
                notice=row.notice or notice,
                created_by=user,
            )
            for row in rows
        )
        published, _created = PublishedYear.objects.update_or_create(
            year=year, defaults={"notice": notice, "loaded_by": user}
        )
        _bump_version()
        audit_record(
            actor=actor,
            action="calendar.import_year",
            obj=published,
            before={"overrides": before},
            after={
                "overrides": [
                    {"date": row.date, "kind": row.kind, "name": row.name, "notice": row.notice}
                    for row in rows
                ]
            },
            note=f"{filename} {notice}".strip(),
        )
    return ImportResult(year=year, loaded=len(rows), removed=removed)


def _user_or_none(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None
