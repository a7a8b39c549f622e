"""Page panels: a higher app adds a section to a lower app's page (a slot such as "case.detail")
without the lower app importing it. Panels are declared in each app's `panels.py`.

Never import a domain app here.
"""

from __future__ import annotations

from collections.abc import Callable

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
