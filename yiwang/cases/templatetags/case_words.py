"""`{{ entry|step_sentence }}` and `{{ step.article|cited }}` for case pages."""

from django import template
from django.utils.translation import get_language

from yiwang.cases import wording

register = template.Library()


@register.filter
def step_sentence(entry) -> str:
    return wording.step_sentence(entry)


@register.filter
def cited(article: str) -> str:
    return wording.cited(article, get_language() or "zh-hans")
