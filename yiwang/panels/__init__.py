"""Page panels and workbench tiles: a higher app adds a section to a lower app's page (a slot
such as "case.detail"), and every app adds its tiles to the staff workbench, without the page's
app importing it. Both are declared in each app's `panels.py`.

Never import a domain app here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_PANELS: dict[str, list[tuple[int, str, Callable]]] = {}


def panel(slot: str, *, order: int = 100):
    """Register the decorated `function(request, **context) -> str | None` for a page slot."""

    def register(function: Callable) -> Callable:
        path = f"{function.__module__}.{function.__qualname__}"
        entries = [entry for entry in _PANELS.get(slot, []) if entry[1] != path]
        entries.append((order, path, function))
        _PANELS[slot] = sorted(entries, key=lambda entry: (entry[0], entry[1]))
        return function

    return register


def render_panels(slot: str, request, **context) -> list[str]:
    """The HTML of every panel of a slot that has something to show, in order."""
    shown = []
    for _order, _path, function in _PANELS.get(slot, []):
        html = function(request, **context)
        if html:
            shown.append(html)
    return shown


@dataclass(frozen=True)
class Tile:
    """A workbench tile: shown to whoever `allowed(user)` admits, with an optional count.

    `counts(user)` returns {label: number} (e.g. {"overdue": 3}); a tile whose `urgent` count
    is above zero is marked for attention.
    """

    key: str
    label: object
    url_name: str
    allowed: Callable
    order: int = 100
    counts: Callable | None = None
    urgent: str | None = None


_TILES: dict[str, Tile] = {}


def tile(**fields) -> Tile:
    """Register a workbench tile (once per key, whatever reloads)."""
    entry = Tile(**fields)
    _TILES[entry.key] = entry
    return entry


def tiles_for(user) -> list[Tile]:
    """The tiles this user may open, in order."""
    return sorted(
        (entry for entry in _TILES.values() if entry.allowed(user)),
        key=lambda entry: (entry.order, entry.key),
    )
