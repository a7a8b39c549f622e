"""Delivering an event to one subscriber, from the task queue, at most once per pair."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django_tasks import task

from yiwang import clock
from yiwang.events import registry
from yiwang.events.models import Delivery, Event

logger = logging.getLogger("yiwang.events")


@task()
def deliver_event(event_id: str, subscriber: str) -> str:
    """Run one subscriber on one event in its own transaction with its delivery row.

    A worker that dies mid-way leaves neither the subscriber's writes nor the delivery row, so
    the task can run again; two runs at once end with one delivery (the unique pair).
    """
    function = registry.subscriber_named(subscriber)
    if function is None:
        logger.error("no subscriber %s for event %s", subscriber, event_id)
        return "unknown subscriber"
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
