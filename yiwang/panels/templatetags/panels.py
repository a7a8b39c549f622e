"""`{% panels "case.detail" case=case %}` renders the panels other apps registered for a slot."""

from django import template
from django.utils.safestring import mark_safe

from yiwang.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, **values):
    request = context.get("request")
    return mark_safe("".join(render_panels(slot, request, **values)))
