"""A slice of the indicators: a period, and optionally a department, a region subtree, an item,
a channel and a procedure; parsed from a query string, checked, and bounded by the reader's scope.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.cases.models import Channel, Procedure
from yiwang.catalog.models import Item
from yiwang.errors import PermissionRefused, invalid_field
from yiwang.permissions import Action, require, scope_of
from yiwang.regions.models import PREFIX_LENGTH, Department, Region

PERIODS = ("day", "month", "quarter", "year", "custom")
MAX_YEARS = 10

PERIOD_RULE = _("Choose the period: day, month, quarter, year or custom.")
DATE_RULE = _("Give a date as YYYY-MM-DD.")
END_BEFORE_START_RULE = _("The period ends before it starts.")
SPAN_RULE = _("A period may span at most 10 years.")
CUSTOM_RULE = _("A custom period needs both its first and its last day.")
DEPARTMENT_RULE = _("No department has this id.")
REGION_RULE = _("No region has this 12-digit division code.")
ITEM_RULE = _("No item has this code.")
CHANNEL_RULE = _("Choose a channel: online, window, mail, phone or mobile.")
PROCEDURE_RULE = _("Choose a procedure from the list of procedures.")
SCOPE_RULE = _("This lies outside the region your role covers.")


@dataclass(frozen=True)
class Slice:
    start: datetime.date
    end: datetime.date
    period: str = "custom"
    department: Department | None = None
    region: Region | None = None
    region_prefix: str = ""  # the region subtree: the slice's region, else the reader's scope
    # The subtree's region ids, read once: filtering the cases on them lets an index on
    # (region_id, day) serve a drill-down instead of joining the regions table per case.
    region_ids: tuple[int, ...] | None = None
    item: Item | None = None
    channel: str = ""
    procedure: str = ""

    @property
    def live_only(self) -> bool:
        """Channel and procedure are not kept in the roll-ups: such slices read the cases."""
        return bool(self.channel or self.procedure)

    def subtree_ids(self) -> tuple[int, ...]:
        if self.region_ids is not None:
            return self.region_ids
        return subtree_region_ids(self.region_prefix)

    def case_filter(self) -> Q:
        condition = Q()
        if self.region_prefix:
            condition &= Q(region_id__in=self.subtree_ids())
        if self.department:
            condition &= Q(department_id=self.department.pk)
        if self.item:
            condition &= Q(item_id=self.item.pk)
        if self.channel:
            condition &= Q(channel=self.channel)
        if self.procedure:
            condition &= Q(procedure=self.procedure)
        return condition

    def figure_filter(self) -> Q:
        condition = Q()
        if self.region_prefix:
            condition &= Q(region_code__startswith=self.region_prefix)
        if self.department:
            condition &= Q(department_id=self.department.pk)
        if self.item:
            condition &= Q(item_id=self.item.pk)
        return condition

    def licence_filter(self) -> Q:
        condition = Q()
        if self.region_prefix:
            condition &= Q(department__region_id__in=self.subtree_ids())
        if self.department:
            condition &= Q(department_id=self.department.pk)
        if self.item:
            condition &= Q(item_id=self.item.pk)
        return condition

    def previous(self) -> Slice:
        """The period just before, of the same kind (the previous month, quarter, year…)."""
        if self.period == "month":
            start = _months_back(self.start, 1)
            return replace(self, start=start, end=_months_back(self.start, 0) - _DAY)
        if self.period == "quarter":
            return replace(self, start=_months_back(self.start, 3), end=self.start - _DAY)
        if self.period == "year":
            return replace(
                self, start=self.start.replace(year=self.start.year - 1), end=self.start - _DAY
            )
        length = self.end - self.start
        return replace(self, start=self.start - length - _DAY, end=self.start - _DAY)

    def query(self, **changes: Any) -> dict[str, str]:
        """The slice as query parameters (for links that keep the same filters)."""
        params = {"period": "custom", "from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.department:
            params["department"] = str(self.department.pk)
        if self.region:
            params["region"] = self.region.code
        if self.item:
            params["item"] = self.item.code
        if self.channel:
            params["channel"] = self.channel
        if self.procedure:
            params["procedure"] = self.procedure
        params.update({key: str(value) for key, value in changes.items() if value is not None})
        return params


_DAY = datetime.timedelta(days=1)


def subtree_region_ids(prefix: str) -> tuple[int, ...]:
    """The ids of the regions whose code starts with `prefix` (a region and everything below)."""
    return tuple(
        Region.objects.filter(code__startswith=prefix).order_by("pk").values_list("pk", flat=True)
    )


def _months_back(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _date(params: dict, name: str) -> datetime.date | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise invalid_field(name, DATE_RULE, code="invalid_date") from None


def period_bounds(period: str, on: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == "day":
        return on, on
    if period == "month":
        start = on.replace(day=1)
        return start, _months_back(start, -1) - _DAY
    if period == "quarter":
        start = datetime.date(on.year, (on.month - 1) // 3 * 3 + 1, 1)
        return start, _months_back(start, -3) - _DAY
    return datetime.date(on.year, 1, 1), datetime.date(on.year, 12, 31)


def parse_slice(user: Any, params: dict) -> Slice:
    """Read and check a slice; refuse a reader without the right (403) or outside scope (403)."""
    require(user, Action.INDICATOR_VIEW)
    start, end = _date(params, "from"), _date(params, "to")
    period = (params.get("period") or ("custom" if start or end else "year")).strip()
    if period not in PERIODS:
        raise invalid_field("period", PERIOD_RULE, code="invalid_period")
    if period == "custom":
        if start is None or end is None:
            raise invalid_field("from" if start is None else "to", CUSTOM_RULE, code="required")
    else:
        start, end = period_bounds(period, _date(params, "on") or clock.today())
    if end < start:
        raise invalid_field("to", END_BEFORE_START_RULE, code="end_before_start")
    if end >= _years_after(start, MAX_YEARS):
        raise invalid_field("to", SPAN_RULE, code="period_too_long")

    scope_prefix = "" if scope_of(user).is_superuser else scope_of(user).region_prefix or ""
    department = _department(params.get("department"))
    region = _region(params.get("region"))
    for found, code in ((department and department.region, "department"), (region, "region")):
        if found is not None and not found.code.startswith(scope_prefix):
            raise PermissionRefused(SCOPE_RULE, code="outside_scope", fields={code: SCOPE_RULE})
    prefix = region.prefix if region else scope_prefix
    channel = (params.get("channel") or "").strip()
    if channel and channel not in Channel.values:
        raise invalid_field("channel", CHANNEL_RULE, code="invalid_channel")
    procedure = (params.get("procedure") or "").strip()
    if procedure and procedure not in Procedure.values:
        raise invalid_field("procedure", PROCEDURE_RULE, code="invalid_procedure")
    return Slice(
        start=start,
        end=end,
        period=period,
        department=department,
        region=region,
        region_prefix=prefix,
        region_ids=subtree_region_ids(prefix) if prefix else None,
        item=_item(params.get("item")),
        channel=channel,
        procedure=procedure,
    )


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _department(value: Any) -> Department | None:
    text = str(value or "").strip()
    if not text:
        return None
    department = (
        Department.objects.select_related("region").filter(pk=int(text)).first()
        if text.isdigit()
        else None
    )
    if department is None:
        raise invalid_field("department", DEPARTMENT_RULE, code="unknown_department")
    return department


def _region(value: Any) -> Region | None:
    text = str(value or "").strip()
    if not text:
        return None
    region = Region.objects.filter(code=text).first()
    if region is None:
        raise invalid_field("region", REGION_RULE, code="unknown_region")
    return region


def _item(value: Any) -> Item | None:
    text = str(value or "").strip()
    if not text:
        return None
    item = Item.objects.filter(code=text).first()
    if item is None:
        raise invalid_field("item", ITEM_RULE, code="unknown_item")
    return item


def child_prefix_length(prefix: str) -> int:
    """The prefix length of the next level down (province → city → district → …)."""
    for length in sorted(PREFIX_LENGTH.values()):
        if length > len(prefix):
            return length
    return len(prefix)
