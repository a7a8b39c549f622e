"""`{{ event|change_sentence }}` for a licence's history."""

from django import template

from yiwang.licences import wording

register = template.Library()


@register.filter
def change_sentence(event) -> str:
    return wording.change_sentence(event)
