"""The public month view of the working-day calendar."""

import calendar as month_tables
import datetime

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.errors import invalid_field
from yiwang.workdays.calendar import FIRST_YEAR, LAST_YEAR, YEAR_RULE, display_name, get_calendar

MONTH_RULE = _("Give a month from 1 to 12.")
WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
KIND_LABELS = {
    "workday": _("Working day"),
    "weekend": _("Weekend"),
    "holiday": _("Holiday"),
    "makeup_workday": _("Make-up working day"),
}


def _whole_number(request, name: str, default: int, rule) -> int:
    value = request.GET.get(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise invalid_field(name, rule) from error


def month(request):
    today = clock.today()
    year = _whole_number(request, "year", today.year, YEAR_RULE)
    month_number = _whole_number(request, "month", today.month, MONTH_RULE)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise invalid_field("year", YEAR_RULE, code="year_out_of_range")
    if not 1 <= month_number <= 12:
        raise invalid_field("month", MONTH_RULE, code="month_out_of_range")
    calendar = get_calendar()
    weeks = []
    for week in month_tables.Calendar(firstweekday=0).monthdatescalendar(year, month_number):
        row = []
        for day in week:
            if day.month != month_number:
                row.append(None)
                continue
            info = calendar.day(day)
            row.append(
                {
                    "date": day,
                    "kind": info.kind,
                    "label": KIND_LABELS[info.kind],
                    "name": display_name(info.name),
                    "workday": info.workday,
                    "today": day == today,
                }
            )
        weeks.append(row)
    first = datetime.date(year, month_number, 1)
    previous = first - datetime.timedelta(days=1)
    following = first + datetime.timedelta(days=31)
    context = {
        "year": year,
        "month": month_number,
        "first": first,
        "weeks": weeks,
        "weekdays": WEEKDAYS,
        "kinds": KIND_LABELS,
        "provisional": calendar.is_provisional_year(year),
        "previous": previous if previous.year >= FIRST_YEAR else None,
        "following": following if following.year <= LAST_YEAR else None,
    }
    return render(request, "workdays/month.html", context)
