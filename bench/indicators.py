"""The indicators a leader reads, computed from the cases table (DOMAIN.md, "Indicators").

There is no indicators app yet; this is the selector it would use, kept in bench/ so the
scale benchmark can time it. Per item and department, over the cases decided in a period:
cases decided, average working days used (accepted → decided), on-time rate against the
item's committed limit, zero-visit and at-most-one-visit shares, online share.

Working days come from `WorkingCalendar.position` (holidays and make-up days included),
stored as a day → position table (`bench_workday`) so the database subtracts two positions
instead of calling Python per row; the indicators app would keep such a table next to the
calendar and rebuild it when the calendar's version moves.
"""

from __future__ import annotations

import datetime

from django.db import connection

CALENDAR_TABLE = "bench_workday"

QUERY = """
WITH decided AS (
    SELECT c.id, c.item_id, c.department_id, c.channel, c.item_version_id,
           wd.position - wa.position AS used
    FROM cases_case c
    JOIN bench_workday wa ON wa.day = c.accepted_on
    JOIN bench_workday wd ON wd.day = c.decided_on
    WHERE c.decided_on BETWEEN %(start)s AND %(end)s {department}
), visits AS (
    SELECT v.case_id, count(*) AS n
    FROM cases_visit v JOIN decided ON decided.id = v.case_id
    GROUP BY v.case_id
)
SELECT decided.item_id, decided.department_id,
       count(*) AS decided,
       round(avg(decided.used), 2) AS average_working_days,
       round(avg((decided.used <= iv.committed_limit_days)::int), 4) AS on_time_rate,
       round(avg((coalesce(visits.n, 0) = 0)::int), 4) AS zero_visit_share,
       round(avg((coalesce(visits.n, 0) <= 1)::int), 4) AS one_visit_share,
       round(avg((decided.channel = 'online')::int), 4) AS online_share
FROM decided
JOIN catalog_itemversion iv ON iv.id = decided.item_version_id
LEFT JOIN visits ON visits.case_id = decided.id
GROUP BY decided.item_id, decided.department_id
ORDER BY decided.item_id, decided.department_id
"""


def ensure_calendar_table() -> None:
    """day → working-day position, 2004–2099, from the working-day calendar."""
    from yiwang.workdays.calendar import get_calendar

    calendar = get_calendar()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT to_regclass('{CALENDAR_TABLE}') IS NOT NULL")
        if cursor.fetchone()[0]:
            return
        cursor.execute(
            f"CREATE TABLE {CALENDAR_TABLE} (day date PRIMARY KEY, position integer NOT NULL)"
        )
        day, last = datetime.date(2004, 1, 1), datetime.date(2099, 12, 31)
        with cursor.cursor.copy(f"COPY {CALENDAR_TABLE} (day, position) FROM STDIN") as copy:
            while day <= last:
                copy.write_row((day, calendar.position(day)))
                day += datetime.timedelta(days=1)
        cursor.execute(f"ANALYZE {CALENDAR_TABLE}")


def indicators(
    *, start: datetime.date, end: datetime.date, department_id: int | None = None
) -> list[dict]:
    """One row per (item, department) of the cases decided from `start` to `end`."""
    ensure_calendar_table()
    params = {"start": start, "end": end}
    department = ""
    if department_id is not None:
        department = "AND c.department_id = %(department)s"
        params["department"] = department_id
    with connection.cursor() as cursor:
        cursor.execute(QUERY.format(department=department), params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
