"""Several writes of one change sent as one statement.

A step of a case writes an event and its queued deliveries, an audit record and its stream's
head: rows that do not read each other. On PostgreSQL they go as one statement (the first ones
as data-modifying `WITH` clauses), saving a round trip and a parse each; elsewhere they run one
after another. The SQL is Django's own (`InsertQuery`, `UpdateQuery`), so field conversions and
defaults are those of `save()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet, sql

Statement = tuple[str, Sequence[Any]]


def insert_statement(model: type[Model], objs: Sequence[Model], *, returning_pk=False) -> Statement:
    """The INSERT of `objs` (all of one model; primary keys given, or left to the database)."""
    opts = model._meta
    fields = [
        field
        for field in opts.concrete_fields
        if not (field.primary_key and field.db_returning and objs[0].pk is None)
    ]
    query = sql.InsertQuery(model)
    query.insert_values(fields, objs)
    compiler = query.get_compiler(using=router.db_for_write(model))
    if returning_pk:
        compiler.returning_fields = [opts.pk]
    [(text, params)] = compiler.as_sql()
    return text, params


def update_statement(queryset: QuerySet, **values: Any) -> Statement:
    query = queryset.query.chain(sql.UpdateQuery)
    query.add_update_values(values)
    return query.get_compiler(queryset.db).as_sql()


def execute_together(statements: Sequence[Statement], *, using: str = "default") -> list[tuple]:
    """Run the writes as one statement where the database allows it; the rows the last one
    returns (its RETURNING), or []."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            *first, (last_text, last_params) = statements
            clauses = ", ".join(f"w{i} AS ({text})" for i, (text, _p) in enumerate(first))
            params = [value for _t, step_params in first for value in step_params]
            cursor.execute(f"WITH {clauses} {last_text}", [*params, *last_params])
        else:
            for text, params in statements:
                cursor.execute(text, params)
        return cursor.fetchall() if cursor.description else []
