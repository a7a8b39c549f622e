"""The roll-up tables written set-based: one `INSERT … SELECT` per table and chunk of days.

The database groups the counted cases itself (the querysets of `facts.py`, compiled to SQL, so
the definitions stay in one place and the roll-ups cannot drift from the live reading); no row
travels through Python. The callers delete the rows being replaced in the same transaction.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from yiwang.indicators.facts import COUNT_FIELDS, count_parts, issued_licences
from yiwang.indicators.models import DailyFigure, DailyLicences

SLICE_COLUMNS = ("day", "department_id", "region_code", "item_id")
LICENCE_COLUMNS = (*SLICE_COLUMNS, "licence_type")


def _compiled(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _insert(model, columns: tuple[str, ...], select_sql: str, params: tuple) -> int:
    """Run `INSERT INTO <model's table> (columns) <select_sql>`; the rows written."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {select_sql}", params)
        return max(cursor.rowcount, 0)


def _slice_values(queryset: QuerySet, day_field: str, region_field: str, aggregates: dict):
    """One counted set grouped by day, department, case region and item, in SQL."""
    return (
        queryset.annotate(figure_day=F(day_field), figure_region=F(region_field))
        .values("figure_day", "department_id", "figure_region", "item_id")
        .annotate(**aggregates)
        .order_by()
    )


def insert_daily_figures(start: datetime.date, end: datetime.date, *, where: Q | None) -> int:
    """`DailyFigure` rows of these days: the three counted sets united, then summed per slice."""
    quote = connection.ops.quote_name
    branches, params = [], ()
    for queryset, day_field, aggregates in count_parts(start, end, where=where):
        sql, part_params = _compiled(_slice_values(queryset, day_field, "region__code", aggregates))
        # Every branch names every count column (a set counts only its own, the others are 0).
        counts = ", ".join(
            f"{f'part.{quote(field)}' if field in aggregates else '0'} AS {quote(field)}"
            for field in COUNT_FIELDS
        )
        branches.append(
            "SELECT part.figure_day AS day, part.department_id AS department_id, "
            f"part.figure_region AS region_code, part.item_id AS item_id, {counts} "
            f"FROM ({sql}) part"
        )
        params += part_params
    sums = ", ".join(f"COALESCE(SUM({quote(field)}), 0)" for field in COUNT_FIELDS)
    select = (
        f"SELECT day, department_id, region_code, item_id, {sums} "
        f"FROM ({' UNION ALL '.join(branches)}) counted "
        "GROUP BY day, department_id, region_code, item_id"
    )
    return _insert(DailyFigure, (*SLICE_COLUMNS, *COUNT_FIELDS), select, params)


def insert_daily_licences(start: datetime.date, end: datetime.date, *, where: Q | None) -> int:
    """`DailyLicences` rows of these days, grouped in SQL."""
    grouped = (
        issued_licences(start, end, where=where)
        .annotate(figure_region=F("department__region__code"))
        .values("issued_day", "department_id", "figure_region", "item_id", "licence_type")
        .annotate(issued=Count("pk"))
        .order_by()
    )
    sql, params = _compiled(grouped)
    select = (
        "SELECT part.issued_day, part.department_id, part.figure_region, part.item_id, "
        f"part.licence_type, part.issued FROM ({sql}) part"
    )
    return _insert(DailyLicences, (*LICENCE_COLUMNS, "issued"), select, params)


def insert_months(monthly, rows: QuerySet, keys: tuple[str, ...], sums: tuple[str, ...]) -> int:
    """Monthly rows (`day` = the month's first day) summed in SQL from these daily rows."""
    grouped = (
        rows.annotate(month=TruncMonth("day"))
        .values("month", *keys)
        .annotate(**{f"total_{field}": Sum(field) for field in sums})
        .order_by()
    )
    sql, params = _compiled(grouped)
    columns = ", ".join(
        ["part.month", *(f"part.{key}" for key in keys), *(f"part.total_{f}" for f in sums)]
    )
    return _insert(monthly, ("day", *keys, *sums), f"SELECT {columns} FROM ({sql}) part", params)
