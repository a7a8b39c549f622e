"""Child rows carried in the parent's own SELECT as JSON lists.

A case's answer shows five short lists (materials, suspensions, correction notices, visits,
timeline) and its commitment check; prefetching them costs one statement each. Here each list
is a subquery aggregating its rows to JSON (`jsonb_agg` on PostgreSQL, `json_group_array` on
SQLite), so the case and all its lists come back in one statement; `instances` turns each
list's objects back into (unsaved) model instances with their fields' Python types.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections, models
from django.db.models import F, Func, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_date, parse_datetime


class JSONList(models.Aggregate):
    """The JSON array of its expression over the group."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


class EmbeddedJSON(Func):
    """A JSON column placed inside a JSON object as JSON: SQLite keeps JSON as text and would
    embed it as a string; PostgreSQL's jsonb embeds as is."""

    template = "%(expressions)s"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="JSON(%(expressions)s)", **extra_context)


def child_rows(model: type[models.Model], parent_field: str, fields: Sequence[str]) -> Subquery:
    """The rows of `model` whose `parent_field` is the outer row, as a JSON list of objects
    holding `fields` and the model's ordering fields (`instances` sorts by them); NULL when
    there are none."""
    names = list(dict.fromkeys([*fields, *_ordering_fields(model)]))
    values = {
        name: EmbeddedJSON(name) if isinstance(_field(model, name), JSONField) else F(name)
        for name in names
    }
    rows = (
        model.objects.filter(**{parent_field: OuterRef("pk")})
        .order_by()
        .values(parent_field)
        .annotate(rows=JSONList(JSONObject(**values)))
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField())


# Stands for the row's primary key in a statement compiled once (`lists_of_row`).
_PK_STAND_IN = -7_000_000_001
_compiled: dict[tuple, tuple[str, list, int]] = {}


def lists_of_row(
    model: type[models.Model],
    pk: Any,
    *,
    name: str,
    columns: Callable[[], dict[str, Subquery]],
    using: str,
) -> dict[str, list | None]:
    """The `child_rows` lists `columns()` names, of the row with this primary key, by a
    statement Django compiles once per process and database (`name` keys it): building and
    compiling six subqueries cost more CPU than the database spends answering them."""
    key = (name, using)
    if key not in _compiled:
        query = model.objects.filter(pk=_PK_STAND_IN).values(**columns()).query
        text, params = query.get_compiler(using=using).as_sql()
        params = list(params)
        _compiled[key] = (text, params, params.index(_PK_STAND_IN))
    text, params, at = _compiled[key]
    with connections[using].cursor() as cursor:
        cursor.execute(text, [*params[:at], pk, *params[at + 1 :]])
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
    if row is None:
        return {}
    return {column: _json(value) for column, value in zip(names, row, strict=True)}


def _json(value: Any) -> Any:
    # jsonb comes back as text from Django's connections, as SQLite's JSON does.
    return json.loads(value) if isinstance(value, str | bytes) else value


def instances(model: type[models.Model], rows: Iterable[dict[str, Any]] | None) -> list:
    """Unsaved instances of `model` from `child_rows`' objects, in the model's ordering."""
    built = [
        model(**{name: _python_value(_field(model, name), value) for name, value in row.items()})
        for row in rows or ()
    ]
    ordering = _ordering_fields(model)
    if ordering:
        built.sort(key=lambda obj: tuple(_sort_key(getattr(obj, name)) for name in ordering))
    return built


def _ordering_fields(model: type[models.Model]) -> list[str]:
    names = []
    for name in model._meta.ordering:
        if not isinstance(name, str) or name.startswith("-"):
            raise ValueError(f"{model.__name__}: only ascending field orderings are supported")
        names.append("pk" if name == "pk" else _field(model, name).attname)
    return ["id" if name == "pk" else name for name in names]


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.pk if name in ("pk", "id") else model._meta.get_field(name)


def _python_value(field: models.Field, value: Any) -> Any:
    """A JSON value as the field reads it from its column: dates and times come as ISO text
    (SQLite's are UTC without an offset), booleans from SQLite as 0 and 1."""
    if value is None or isinstance(field, JSONField):
        return value
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    if isinstance(field, models.DateField):
        return parse_date(value)
    if isinstance(field, models.BooleanField):
        return bool(value)
    return field.to_python(value)


def _sort_key(value: Any) -> tuple[bool, Any]:
    # None sorts last, as PostgreSQL orders NULLs in ascending order.
    return (value is None, value)
