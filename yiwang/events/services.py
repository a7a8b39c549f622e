"""Publishing an event: the event row and one queued delivery per subscriber, in the caller's
transaction, so a rolled-back change publishes nothing and a committed one loses nothing."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, router
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from pydantic import BaseModel

from yiwang import clock
from yiwang.events import registry
from yiwang.events.models import Event
from yiwang.events.tasks import deliver_event
from yiwang.statements import insert_statement, write


def publish(
    name: str,
    *,
    payload: dict[str, Any] | BaseModel,
    actor: Any = None,
    subject: Any = None,
) -> Event:
    """Store the event and enqueue its deliveries; must run inside the transaction of the change.

    A payload is checked against the schema declared for the name (`event_type`), so a
    subscriber can rely on its fields; `subject` (a model instance) indexes the event by object.
    """
    if not connection.in_atomic_block:
        raise RuntimeError(f"publish({name!r}) must run inside the transaction of the change")
    data = _validated(name, payload)
    event = Event(
        name=name,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        payload=data,
        actor_id=getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None,
        occurred_at=clock.now(),
    )
    _store_with_deliveries(event)
    return event


def _validated(name: str, payload: dict[str, Any] | BaseModel) -> dict[str, Any]:
    schema = registry.schema_for(name)
    if isinstance(payload, BaseModel):
        if schema is not None and not isinstance(payload, schema):
            raise TypeError(f"payload of {name!r} must be a {schema.__name__}")
        return payload.model_dump(mode="json")
    if schema is not None:
        return schema.model_validate(payload).model_dump(mode="json")
    # An event without a declared schema still stores plain JSON (dates as ISO text).
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def _store_with_deliveries(event: Event) -> None:
    subscribers = registry.subscribers_of(event.name)
    backend = deliver_event.get_backend()
    if not isinstance(backend, DatabaseBackend):
        event.save(force_insert=True)
        for path in subscribers:
            deliver_event.enqueue(event_id=str(event.pk), subscriber=path)
        return
    # The database queue: the event and the rows `DatabaseBackend.enqueue` would write for its
    # deliveries, in one statement (the hot path's `case.decided` has five subscribers).
    deliveries = [
        DBTaskResult(
            id=backend._get_id(),
            args_kwargs={"args": [], "kwargs": {"event_id": str(event.pk), "subscriber": path}},
            priority=deliver_event.priority,
            task_path=deliver_event.module_path,
            queue_name=deliver_event.queue_name,
            run_after=deliver_event.run_after or get_date_max(),  # as its pre_save signal does
            backend_name=backend.alias,
        )
        for path in subscribers
    ]
    writes = [insert_statement(Event, [event])]
    if deliveries:
        writes.append(insert_statement(DBTaskResult, deliveries))
    write(writes, using=router.db_for_write(Event))
