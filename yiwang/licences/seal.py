"""The issuing department's electronic seal (电子印章) as drawn on an e-licence: a red ring, a
star, the department's name around the upper arc and "许可专用章" below the star.

The drawing is only what people see; the proof is the Ed25519 signature printed beside it.
"""

from __future__ import annotations

import math
from html import escape

SIZE = 160  # SVG user units; the page sizes it in millimetres
RED = "#c8161d"


def seal_svg(department_name: str, *, purpose: str = "许可专用章") -> str:
    centre = SIZE / 2
    radius = centre - 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" class="seal" '
        f'role="img" aria-label="{escape(department_name)} {escape(purpose)}">',
        f'<circle cx="{centre}" cy="{centre}" r="{radius}" fill="none" stroke="{RED}" '
        'stroke-width="5"/>',
        _star(centre, centre - 4, 22),
    ]
    parts.extend(_arc_text(department_name, centre, radius - 20))
    parts.append(
        f'<text x="{centre}" y="{centre + 40}" font-size="14" fill="{RED}" '
        f'text-anchor="middle" font-family="Yiwang Serif">{escape(purpose)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _star(cx: float, cy: float, outer: float) -> str:
    inner = outer * 0.382
    points = []
    for index in range(10):
        angle = math.radians(-90 + index * 36)
        length = outer if index % 2 == 0 else inner
        points.append(f"{cx + length * math.cos(angle):.2f},{cy + length * math.sin(angle):.2f}")
    return f'<polygon points="{" ".join(points)}" fill="{RED}"/>'


def _arc_text(text: str, centre: float, radius: float) -> list[str]:
    """Each character upright towards the centre, spread over the upper arc (about 240°)."""
    count = len(text)
    if count == 0:
        return []
    span = min(240.0, 24.0 * count)
    start = -90 - span / 2
    step = span / max(count - 1, 1)
    shapes = []
    for index, character in enumerate(text):
        degrees = start + index * step if count > 1 else -90
        angle = math.radians(degrees)
        x = centre + radius * math.cos(angle)
        y = centre + radius * math.sin(angle)
        shapes.append(
            f'<text x="{x:.2f}" y="{y:.2f}" font-size="18" fill="{RED}" text-anchor="middle" '
            f'dominant-baseline="central" font-family="Yiwang Serif" '
            f'transform="rotate({degrees + 90:.2f} {x:.2f} {y:.2f})">{escape(character)}</text>'
        )
    return shapes
