"""`{{ labels|label_of:name }}`: a figure's label from the workbench's table of names."""

from django import template

register = template.Library()


@register.filter
def label_of(labels: dict, name: str):
    return labels.get(name, name)
