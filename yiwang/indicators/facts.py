"""The case indicators' definitions as SQL (DOMAIN.md, "Indicators"): per case, then counted.

One definition serves the live reading, the daily roll-ups and the drill-down, so the three
cannot differ:

- working days used: the working days after acceptance up to and including the decision, less
  the suspended ones (Art. 45, 82) — the positions table subtracts as `DeadlineClock` does;
- on time: used ≤ the case's committed limit (the item's, tightened by the department's
  implementation, the green channel or the emergency limit: `cases.engine.clocks.limits_of`);
- visits: the recorded physical visits of a closed case; visits saved count each closed case's
  visits below `TRADITIONAL_VISITS` (one trip to file and one to collect, before the reform);
- window filings at the hall: filed at the window by staff of a department that runs the
  comprehensive service hall (综合窗口) rather than at a department's own counter.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from yiwang.cases.models import Case as CaseRecord
from yiwang.cases.models import Channel, Suspension, Visit
from yiwang.indicators.models import WorkdayPosition
from yiwang.licences.models import Licence
from yiwang.regions.models import Staff

TRADITIONAL_VISITS = 2
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@dataclass
class Counts:
    """The numerators and denominators of the case indicators over some set of days."""

    filed: int = 0
    window_filed: int = 0
    window_at_hall: int = 0
    decided: int = 0
    used_days: int = 0
    on_time: int = 0
    closed: int = 0
    zero_visit: int = 0
    one_visit_or_less: int = 0
    visits: int = 0
    visits_saved: int = 0

    def add(self, other: Counts | dict) -> Counts:
        for field in COUNT_FIELDS:
            value = other.get(field) if isinstance(other, dict) else getattr(other, field)
            setattr(self, field, getattr(self, field) + int(value or 0))
        return self

    def as_dict(self) -> dict[str, int]:
        return {field: getattr(self, field) for field in COUNT_FIELDS}


COUNT_FIELDS = tuple(f.name for f in fields(Counts))


def _position(field: str) -> Subquery:
    return Subquery(
        WorkdayPosition.objects.filter(day=OuterRef(field)).values("position")[:1],
        output_field=IntegerField(),
    )


def _suspended_days() -> Coalesce:
    """Working days suspended (after the start, up to and including the resumption)."""
    per_case = (
        Suspension.objects.filter(case=OuterRef("pk"), ended_on__isnull=False)
        .annotate(low=_position("started_on"), high=_position("ended_on"))
        .values("case")
        .annotate(total=Sum(F("high") - F("low")))
        .values("total")
    )
    return Coalesce(Subquery(per_case, output_field=IntegerField()), Value(0))


def _tighter(current, value_field: str, when: Q):
    """`current`, or the field's value where `when` holds and it is positive and smaller."""
    condition = when & Q(**{f"{value_field}__gt": 0}) & Q(**{f"{value_field}__lt": current})
    return Case(When(condition, then=F(value_field)), default=current, output_field=IntegerField())


def committed_limit():
    """A case's committed limit in working days, as `cases.engine.clocks.limits_of` has it."""
    limit = F("item_version__committed_limit_days")
    limit = _tighter(limit, "implementation__committed_limit_days", Q(implementation__isnull=False))
    limit = _tighter(limit, "item_version__green_limit_days", Q(green=True))
    return _tighter(limit, "item_version__emergency_limit_days", Q(procedure="emergency"))


def visit_count() -> Coalesce:
    per_case = (
        Visit.objects.filter(case=OuterRef("pk")).values("case").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(per_case, output_field=IntegerField()), Value(0))


def decided_cases(cases: QuerySet) -> QuerySet:
    """The cases that count as decided (accepted, then decided)."""
    return cases.filter(decided_on__isnull=False, accepted_on__isnull=False)


def with_decision_facts(cases: QuerySet) -> QuerySet:
    """Decided cases with `used` working days and `limit` (committed working days)."""
    return decided_cases(cases).annotate(
        used=_position("decided_on") - _position("accepted_on") - _suspended_days(),
        limit=committed_limit(),
    )


def closed_cases(cases: QuerySet) -> QuerySet:
    return cases.filter(closed_on__isnull=False)


def with_visit_facts(cases: QuerySet) -> QuerySet:
    return closed_cases(cases).annotate(visit_count=visit_count())


def with_filing_facts(cases: QuerySet) -> QuerySet:
    at_hall = Exists(
        Staff.objects.filter(user=OuterRef("filed_by"), department__runs_service_hall=True)
    )
    return cases.annotate(received_day=TruncDate("received_at", tzinfo=SHANGHAI), at_hall=at_hall)


def _one_if(condition: Q) -> Sum:
    return Sum(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


DECISION_COUNTS = {
    "decided": Count("pk"),
    "used_days": Sum("used"),
    "on_time": _one_if(Q(used__lte=F("limit"))),
}
VISIT_COUNTS = {
    "closed": Count("pk"),
    "zero_visit": _one_if(Q(visit_count=0)),
    "one_visit_or_less": _one_if(Q(visit_count__lte=1)),
    "visits": Sum("visit_count"),
    "visits_saved": Sum(
        Case(
            *(
                When(visit_count=n, then=Value(TRADITIONAL_VISITS - n))
                for n in range(TRADITIONAL_VISITS)
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    ),
}
FILING_COUNTS = {
    "filed": Count("pk"),
    "window_filed": _one_if(Q(channel=Channel.WINDOW)),
    "window_at_hall": _one_if(Q(channel=Channel.WINDOW, at_hall=True)),
}


def day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """[start 00:00, the day after end 00:00) in Shanghai time, for an indexable range."""
    low = datetime.datetime.combine(start, datetime.time(), SHANGHAI)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), SHANGHAI)
    return low, high


def count_parts(
    start: datetime.date, end: datetime.date, *, where: Q | None = None
) -> list[tuple[QuerySet, str, dict]]:
    """The three counted sets of the days from `start` to `end`, each with the field that holds
    its own event's day and its aggregates: filings, decisions, closures."""
    cases = CaseRecord.objects.filter(where or Q())
    low, high = day_bounds(start, end)
    return [
        (
            with_filing_facts(cases.filter(received_at__gte=low, received_at__lt=high)),
            "received_day",
            FILING_COUNTS,
        ),
        (
            with_decision_facts(cases.filter(decided_on__gte=start, decided_on__lte=end)),
            "decided_on",
            DECISION_COUNTS,
        ),
        (
            with_visit_facts(cases.filter(closed_on__gte=start, closed_on__lte=end)),
            "closed_on",
            VISIT_COUNTS,
        ),
    ]


def grouped_counts(
    start: datetime.date,
    end: datetime.date,
    *,
    where: Q | None = None,
    keys: Iterable[str] = ("department_id", "region__code", "item_id"),
) -> dict[tuple, Counts]:
    """Counts per (day, *keys) for the days from `start` to `end`, each on its own event's day."""
    keys = list(keys)
    result: dict[tuple, Counts] = {}
    for queryset, day_field, aggregates in count_parts(start, end, where=where):
        rows = queryset.values(day_field, *keys).annotate(**aggregates).order_by()
        for row in rows:
            key = (row[day_field], *(row[k] for k in keys))
            result.setdefault(key, Counts()).add(row)
    return result


def issued_licences(
    start: datetime.date, end: datetime.date, *, where: Q | None = None
) -> QuerySet:
    """Licences issued (not imported) from `start` to `end`, with `issued_day` (Shanghai)."""
    low, high = day_bounds(start, end)
    return Licence.objects.filter(
        where or Q(), imported=False, issued_at__gte=low, issued_at__lt=high
    ).annotate(issued_day=TruncDate("issued_at", tzinfo=SHANGHAI))


def licence_counts(
    start: datetime.date,
    end: datetime.date,
    *,
    where: Q | None = None,
    keys: Iterable[str] = ("department_id", "department__region__code", "item_id"),
) -> dict[tuple, int]:
    """Licences issued (not imported) per (day, *keys, licence type), by the day issued."""
    keys = list(keys)
    rows = (
        issued_licences(start, end, where=where)
        .values("issued_day", *keys, "licence_type")
        .annotate(issued=Count("pk"))
        .order_by()
    )
    result: dict[tuple, int] = {}
    for row in rows:
        key = (row["issued_day"], *(row[k] for k in keys), row["licence_type"])
        result[key] = result.get(key, 0) + row["issued"]
    return result
