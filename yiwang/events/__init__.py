"""Durable domain events (领域事件): a typed record of what happened, written in the transaction of
the change, delivered after commit to the subscribers of other apps through the task queue.

Never import a higher app here: publishers and subscribers name events by string.
"""

from yiwang.events.registry import EventType, event_type, subscriber

__all__ = ["Event", "EventType", "event_type", "publish", "subscriber"]


def __getattr__(name):
    # Models cannot load before the app registry is ready, and Django imports this package
    # first; `publish` and `Event` are therefore handed out on first use.
    if name == "publish":
        from yiwang.events.services import publish  # noqa: PLC0415

        return publish
    if name == "Event":
        from yiwang.events.models import Event  # noqa: PLC0415

        return Event
    raise AttributeError(name)
