"""Several writes of one change sent as one statement.

A step of a case writes an event and its queued deliveries, an audit record and its stream's
head: rows that do not read each other. On PostgreSQL they go as one statement (the first ones
as data-modifying `WITH` clauses), saving a round trip and a parse each; elsewhere they run one
after another. The SQL is Django's own (`InsertQuery`, `UpdateQuery`), so field conversions and
defaults are those of `save()`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet, sql

Statement = tuple[str, Sequence[Any]]


class _Batch:
    def __init__(self, using: str) -> None:
        self.using = using
        self.statements: list[Statement] = []
        self.keys: set = set()

    def flush(self) -> None:
        statements, self.statements, self.keys = self.statements, [], set()
        if statements:
            execute_together(statements, using=self.using)


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("batch", default=None)


@contextlib.contextmanager
def written_together(*, using: str = "default") -> Iterator[None]:
    """The writes `write` is given inside go as one statement when the block ends (on
    PostgreSQL). Only for a block that reads none of the rows it writes and catches no
    database error: a write is queued, not made, until the block ends."""
    if _batch.get() is not None:  # an enclosing block writes them
        yield
        return
    batch = _Batch(using)
    token = _batch.set(batch)
    try:
        yield
        batch.flush()
    finally:
        _batch.reset(token)


def write(statements: Sequence[Statement], *, using: str = "default", key: Any = None) -> None:
    """Make the writes now, or with the enclosing `written_together` block's. `key` names a row
    the writes update: a second write with the same key first sends what is queued, since one
    statement cannot change a row twice."""
    batch = _batch.get()
    if batch is None or batch.using != using:
        execute_together(statements, using=using)
        return
    if key is not None and key in batch.keys:
        batch.flush()
    batch.statements.extend(statements)
    if key is not None:
        batch.keys.add(key)


def insert_row(obj: Model) -> None:
    """INSERT one row now, or with the enclosing `written_together` block's writes (its
    database-made primary key, if any, is then not set on `obj`)."""
    model = type(obj)
    write([insert_statement(model, [obj])], using=router.db_for_write(model))


def send_queued(key: Any = None) -> None:
    """Send what the enclosing `written_together` block queued (or only if a queued write
    has `key`), before a read that needs it."""
    batch = _batch.get()
    if batch is not None and (key is None or key in batch.keys):
        batch.flush()


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
