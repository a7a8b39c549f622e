"""Delivering an event to one subscriber, from the task queue, at most once per pair."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django_tasks import task

from yiwang import clock
from yiwang.events import registry
from yiwang.events.models import Delivery, Event

logger = logging.getLogger("yiwang.events")


# A failing subscriber is tried again later, waiting longer each time, up to this many tries.
ATTEMPTS = 8


def retry_delay(attempt: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=30 * 2 ** (attempt - 1))


@task()
def deliver_event(event_id: str, subscriber: str, attempt: int = 1) -> str:
    """Run one subscriber on one event in its own transaction with its delivery row.

    A worker that dies mid-way leaves neither the subscriber's writes nor the delivery row, so
    the task can run again; two runs at once end with one delivery (the unique pair). A
    subscriber that fails is enqueued again (30 s, 1 min, 2 min, … later) before the error is
    raised, so the failure is logged and the event still arrives once the cause is fixed.
    """
    function = registry.subscriber_named(subscriber)
    if function is None:
        logger.error("no subscriber %s for event %s", subscriber, event_id)
        return "unknown subscriber"
    try:
        return _deliver(event_id, subscriber, function)
    except Exception:
        if attempt < ATTEMPTS:
            deliver_event.using(run_after=clock.now() + retry_delay(attempt)).enqueue(
                event_id=event_id, subscriber=subscriber, attempt=attempt + 1
            )
        raise


def _deliver(event_id: str, subscriber: str, function) -> str:
    try:
        with transaction.atomic():
            if Delivery.objects.filter(event_id=event_id, subscriber=subscriber).exists():
                return "already delivered"
            event = Event.objects.get(pk=event_id)
            function(event)
            Delivery.objects.create(event=event, subscriber=subscriber, delivered_at=clock.now())
    except IntegrityError:
        if Delivery.objects.filter(event_id=event_id, subscriber=subscriber).exists():
            return "already delivered"
        raise
    return "delivered"
