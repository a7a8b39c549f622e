"""Which event types exist (name → payload schema) and who subscribes to each name.

Both are filled at start-up by each app's `events.py` and `subscribers.py` (discovered by this
app's AppConfig), never at run time, so the lists are fixed once the server serves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

_TYPES: dict[str, type[BaseModel]] = {}
_SUBSCRIBERS: dict[str, dict[str, Callable]] = {}


@dataclass(frozen=True)
class EventType:
    name: str
    schema: type[BaseModel]


def event_type(name: str, schema: type[BaseModel]) -> EventType:
    """Declare an event name and the pydantic schema of its payload."""
    known = _TYPES.get(name)
    if known is not None and known is not schema:
        raise ValueError(f"event type {name!r} is declared twice")
    _TYPES[name] = schema
    return EventType(name=name, schema=schema)


def schema_for(name: str) -> type[BaseModel] | None:
    return _TYPES.get(name)


def event_types() -> dict[str, type[BaseModel]]:
    return dict(_TYPES)


def subscriber(*names: str):
    """Register the decorated function as a subscriber of the named events."""

    def register(function: Callable) -> Callable:
        path = f"{function.__module__}.{function.__qualname__}"
        for name in names:
            _SUBSCRIBERS.setdefault(name, {})[path] = function
        return function

    return register


def subscribers_of(name: str) -> dict[str, Callable]:
    """Subscriber path → function, for one event name."""
    return dict(_SUBSCRIBERS.get(name, {}))


def subscriber_named(path: str) -> Callable | None:
    for functions in _SUBSCRIBERS.values():
        if path in functions:
            return functions[path]
    return None
