"""Figures as people read them: shares in percent, days with two decimals, "no data" for None."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value, unit="share"):
    if value is None:
        return _("no data")
    if unit == "share":
        return f"{value * 100:.2f}%"
    if unit == "days":
        return f"{value:.2f}"
    return f"{value:,}"


@register.filter
def trend(row):
    """↑, ↓ or → against the previous period; empty when either side has no data."""
    value, previous = row["value"], row["previous"]
    if value is None or previous is None:
        return ""
    if value > previous:
        return "↑"
    if value < previous:
        return "↓"
    return "→"


@register.filter
def get_value(mapping, key):
    return mapping.get(key)
