"""Reads for the dashboard, the drill-down, the API and the public page.

Every figure comes from `definitions.INDICATORS` applied to counts read by `rollups.read`
(roll-ups for history, the cases for the days after them) or from `sources.py`.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.cases.engine.states import OPEN, Status
from yiwang.cases.models import Case as CaseRecord
from yiwang.catalog.models import ItemVersion
from yiwang.errors import invalid_field
from yiwang.indicators import rollups, sources
from yiwang.indicators.definitions import BY_KEY, DRILL_DOWN_KEYS, INDICATORS, mean, share
from yiwang.indicators.facts import (
    Counts,
    closed_cases,
    day_bounds,
    decided_cases,
    licence_counts,
    with_decision_facts,
    with_filing_facts,
    with_visit_facts,
)
from yiwang.indicators.models import DailyLicences, MonthlyLicences
from yiwang.indicators.positions import ensure_positions
from yiwang.indicators.slices import Slice, _months_back, child_prefix_length
from yiwang.regions.models import Department, Region

OPEN_STATUSES = sorted({*OPEN, Status.APPROVED})
OLDEST_OPEN = 10
DRILL_DOWN_RULE = _("Choose an indicator that lists the cases behind it.")


def counts_for(slice_: Slice, *, group: str | None = None) -> dict[object, Counts]:
    """The case counts of the slice, in total (group None) or by "month", "region", "item" or
    "region_item" (the region of the next level down and the item)."""
    figure_keys: tuple[str, ...] = ()
    case_keys: tuple[str, ...] = ()
    key = None
    if group == "month":
        figure_keys = ("day",)

        def key(row):
            return row["day"].replace(day=1)

    elif group == "region":
        length = child_prefix_length(slice_.region_prefix)
        figure_keys, case_keys = ("region_code",), ("region__code",)

        def key(row):
            return (row.get("region_code") or row.get("region__code"))[:length]

    elif group == "item":
        figure_keys, case_keys = ("item_id",), ("item_id",)

        def key(row):
            return row["item_id"]

    elif group == "region_item":
        length = child_prefix_length(slice_.region_prefix)
        figure_keys, case_keys = ("region_code", "item_id"), ("region__code", "item_id")

        def key(row):
            return ((row.get("region_code") or row.get("region__code"))[:length], row["item_id"])

    return rollups.read(
        slice_.start,
        slice_.end,
        figure_filter=slice_.figure_filter(),
        case_filter=slice_.case_filter(),
        live_only=slice_.live_only,
        key=key,
        figure_keys=figure_keys,
        case_keys=case_keys,
    )


def total_counts(slice_: Slice) -> Counts:
    return counts_for(slice_).get(None, Counts())


def regrouped(grouped: dict[tuple, Counts], index: int | None) -> dict[object, Counts]:
    """Counts by (region, item) summed by one part of the key (None: in total)."""
    result: dict[object, Counts] = {}
    for key, counts in grouped.items():
        result.setdefault(None if index is None else key[index], Counts()).add(counts)
    return result


def figures_from(counts: Counts) -> dict[str, float | None]:
    return {i.key: i.from_counts(counts) for i in INDICATORS if i.from_counts is not None}


def indicator_values(
    slice_: Slice, counts: Counts | None = None
) -> tuple[dict[str, float | None], Counts, dict]:
    """Every indicator's value for the slice, the case counts (read here unless given) and the
    catalogue counts."""
    counts = total_counts(slice_) if counts is None else counts
    values = figures_from(counts)
    catalogue = sources.catalogue_figures(slice_)
    values["online_rate"] = catalogue["online_rate"]
    values["compression"] = catalogue["compression"]
    values.update(sources.other_figures(slice_))
    return values, counts, catalogue


def licences_by_type(slice_: Slice) -> list[dict]:
    """Licences issued in the slice's period by type: roll-ups, then the live days."""
    totals: dict[str, int] = {}
    start = slice_.start
    boundary = rollups.rolled_up_to()
    if slice_.live_only:
        boundary = None
    if slice_.channel or slice_.procedure:
        # Licences carry neither: read them through their issuing cases.
        condition = Q(case__in=CaseRecord.objects.filter(slice_.case_filter()))
    else:
        condition = slice_.licence_filter()
    if boundary is not None and start <= boundary:
        rows = rollups.history(
            DailyLicences,
            MonthlyLicences,
            start,
            min(slice_.end, boundary),
            where=slice_.figure_filter(),
            keys=("licence_type",),
            sums={"issued": Sum("issued")},
        )
        for row in rows:
            totals[row["licence_type"]] = totals.get(row["licence_type"], 0) + row["issued"]
        start = boundary + datetime.timedelta(days=1)
    if start <= slice_.end:
        for (_day, licence_type), issued in licence_counts(
            start, slice_.end, where=condition, keys=()
        ).items():
            totals[licence_type] = totals.get(licence_type, 0) + issued
    return [
        {"licence_type": name, "issued": issued}
        for name, issued in sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))
    ]


def _row(counts: Counts) -> dict:
    return {
        "decided": counts.decided,
        "closed": counts.closed,
        "filed": counts.filed,
        "mean_used_working_days": mean(counts.used_days, counts.decided),
        "on_time_rate": share(counts.on_time, counts.decided),
        "at_most_one_visit_share": share(counts.one_visit_or_less, counts.closed),
        "zero_visit_share": share(counts.zero_visit, counts.closed),
    }


def by_region(slice_: Slice, by_region_item: dict[tuple, Counts] | None = None) -> list[dict]:
    """The figures by region of the next level down (from `by_region_item` when read already)."""
    if by_region_item is None:
        grouped = counts_for(slice_, group="region")
    else:
        grouped = regrouped(by_region_item, 0)
    codes = {prefix: prefix.ljust(12, "0") for prefix in grouped}
    names = {
        region.code: region
        for region in Region.objects.filter(code__in=sorted(set(codes.values())))
    }
    rows = []
    for prefix, counts in sorted(grouped.items()):
        region = names.get(codes[prefix])
        rows.append(
            {
                "code": codes[prefix],
                "name": region.display_name if region else codes[prefix],
                **_row(counts),
            }
        )
    return rows


def by_month(slice_: Slice) -> list[dict]:
    """The 12 months ending with the period's last month."""
    first = _months_back(slice_.end, 11)
    last = _months_back(slice_.end, -1) - datetime.timedelta(days=1)
    grouped = counts_for(replace(slice_, start=first, end=last), group="month")
    rows = []
    for index in range(12):
        month = _months_back(first, -index)
        rows.append({"month": month.strftime("%Y-%m"), **_row(grouped.get(month, Counts()))})
    return rows


def by_item(slice_: Slice, by_region_item: dict[tuple, Counts] | None = None) -> list[dict]:
    """The figures by item (from `by_region_item` when read already)."""
    if by_region_item is None:
        grouped = counts_for(slice_, group="item")
    else:
        grouped = regrouped(by_region_item, 1)
    names = _item_names(sorted(grouped))
    rows = []
    for item_id, counts in grouped.items():
        code, name = names[item_id]
        rows.append({"item_id": item_id, "code": code, "name": name, **_row(counts)})
    rows.sort(key=lambda row: (-row["decided"], row["code"]))
    return rows


def _item_names(item_ids: list[int]) -> dict[int, tuple[str, str]]:
    """item id → (code, name of its latest version), in one query."""
    names: dict[int, tuple[str, str]] = {}
    for item_id, code, name in (
        ItemVersion.objects.filter(item_id__in=item_ids)
        .order_by("item_id", "version")
        .values_list("item_id", "item__code", "name")
    ):
        names[item_id] = (code, name)  # the latest version comes last
    return names


def open_cases(slice_: Slice) -> QuerySet:
    """The open cases of the slice's departments, regions, items, channels and procedures."""
    return CaseRecord.objects.filter(slice_.case_filter(), status__in=OPEN_STATUSES)


def warnings(slice_: Slice, items: list[dict]) -> dict:
    overdue = (
        open_cases(slice_)
        .filter(level="overdue")
        .values("department_id")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "department_id")
    )
    departments = Department.objects.in_bulk([row["department_id"] for row in overdue])
    oldest = (
        open_cases(slice_)
        .select_related("department", "item_version")
        .order_by("received_at", "pk")[:OLDEST_OPEN]
    )
    return {
        "items_below_on_time": [
            row for row in items if row["on_time_rate"] is not None and row["on_time_rate"] < 1
        ],
        "departments_with_overdue": [
            {
                "department_id": row["department_id"],
                "name": departments[row["department_id"]].display_name,
                "overdue": row["overdue"],
            }
            for row in overdue
        ],
        "oldest_open": [
            {
                "id": case.pk,
                "number": case.number,
                "item": case.item_version.name,
                "department": case.department.display_name,
                "received_on": clock.localdate(case.received_at),
                "status": case.get_status_display(),
                "level": case.level,
            }
            for case in oldest
        ],
    }


def dashboard(slice_: Slice) -> dict:
    """Everything the leaders' page shows for one slice."""
    with rollups.one_reading():
        return _dashboard(slice_)


def _dashboard(slice_: Slice) -> dict:
    # One read by (region, item) gives the total, the rows by region and the rows by item.
    by_region_item = counts_for(slice_, group="region_item")
    values, counts, catalogue = indicator_values(
        slice_, regrouped(by_region_item, None).get(None, Counts())
    )
    previous = figures_from(total_counts(slice_.previous()))
    figures = []
    for indicator in INDICATORS:
        value = values.get(indicator.key)
        figures.append(
            {
                "indicator": indicator,
                "value": value,
                "previous": previous.get(indicator.key),
                "met": indicator.target.met_by(value) if indicator.target else None,
                "numerator": getattr(counts, indicator.numerator, None)
                if indicator.numerator
                else None,
                "denominator": getattr(counts, indicator.denominator, None)
                if indicator.denominator
                else None,
            }
        )
    items = by_item(slice_, by_region_item)
    return {
        "slice": slice_,
        "figures": figures,
        "counts": counts,
        "catalogue": catalogue,
        "by_region": by_region(slice_, by_region_item),
        "by_month": by_month(slice_),
        "by_item": items,
        "licences_by_type": licences_by_type(slice_),
        "inspection_coverage_by_grade": sources.inspection_coverage_by_grade(slice_),
        "warnings": warnings(slice_, items),
    }


def _drill_down_set(slice_: Slice, indicator_key: str) -> tuple[QuerySet, str]:
    """The cases behind one figure without their facts, and the day field they are listed by."""
    if indicator_key not in DRILL_DOWN_KEYS:
        raise invalid_field("indicator", DRILL_DOWN_RULE, code="unknown_indicator")
    cases = CaseRecord.objects.filter(slice_.case_filter())
    if indicator_key == "single_window_share":
        low, high = day_bounds(slice_.start, slice_.end)
        return cases.filter(channel="window", received_at__gte=low, received_at__lt=high), (
            "received_at"
        )
    if BY_KEY[indicator_key].denominator == "decided":
        return decided_cases(
            cases.filter(decided_on__gte=slice_.start, decided_on__lte=slice_.end)
        ), "decided_on"
    return closed_cases(
        cases.filter(closed_on__gte=slice_.start, closed_on__lte=slice_.end)
    ), "closed_on"


FACTS_BY_DAY = {
    "received_at": with_filing_facts,
    "decided_on": with_decision_facts,
    "closed_on": with_visit_facts,
}


def drill_down(slice_: Slice, indicator_key: str) -> QuerySet:
    """The cases behind one figure of the slice, with the facts that count them, newest first."""
    cases, day_field = _drill_down_set(slice_, indicator_key)
    ensure_positions()
    return (
        FACTS_BY_DAY[day_field](cases)
        .select_related("department", "item", "item_version", "region")
        .order_by(f"-{day_field}", "-pk")
    )


def drill_down_counted(slice_: Slice, indicator_key: str) -> CountedCases:
    """`drill_down` for a paged list: its rows with their facts, counted without them."""
    cases, _day_field = _drill_down_set(slice_, indicator_key)
    return CountedCases(drill_down(slice_, indicator_key), counted=cases)


def public_figures(*, year: int) -> dict:
    """The commission's headline figures for a year: counts and shares only, no personal data."""
    slice_ = Slice(
        start=datetime.date(year, 1, 1), end=min(datetime.date(year, 12, 31), clock.today())
    )
    with rollups.one_reading():
        values, counts, catalogue = indicator_values(slice_)
        issued = sum(row["issued"] for row in licences_by_type(slice_))
    return {
        "year": year,
        "values": values,
        "counts": counts,
        "published_items": catalogue["published_items"],
        "licences_issued": issued,
        "indicators": [BY_KEY[key] for key in PUBLIC_KEYS],
    }


PUBLIC_KEYS = [
    "online_rate",
    "compression",
    "mean_used_working_days",
    "on_time_rate",
    "zero_visit_share",
    "at_most_one_visit_share",
    "visits_saved",
    "satisfaction",
]


class CountedCases:
    """A drill-down queryset that counts its rows without computing their facts.

    The facts (working days used, visits) are subqueries per row: a page needs them for 50
    rows, the count for none.
    """

    def __init__(self, cases: QuerySet, *, counted: QuerySet | None = None):
        self.cases = cases
        # The same cases with neither facts nor joins: an index on (region, day) counts them.
        self.counted = counted if counted is not None else cases.values("pk")

    def count(self) -> int:
        return self.counted.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return self.cases[index]


def drill_down_row(case) -> dict:
    """One case of a drill-down with the facts that count it (annotated by `drill_down`)."""
    used = getattr(case, "used", None)
    limit = getattr(case, "limit", None)
    return {
        "id": case.pk,
        "number": case.number,
        "item_code": case.item.code,
        "item_name": case.item_version.name,
        "department": case.department.display_name,
        "channel": case.channel,
        "procedure": case.procedure,
        "status": case.status,
        "received_on": clock.localdate(case.received_at).isoformat(),
        "decided_on": case.decided_on.isoformat() if case.decided_on else None,
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        "used_working_days": used,
        "committed_limit": limit,
        "on_time": used <= limit if used is not None and limit is not None else None,
        "visits": getattr(case, "visit_count", None),
        "at_hall": getattr(case, "at_hall", None),
    }
