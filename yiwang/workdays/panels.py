"""The calendar's workbench tile (found by `yiwang.panels`)."""

from django.utils.translation import gettext_lazy as _

from yiwang.panels import tile
from yiwang.permissions import Action, may

tile(
    key="workdays.calendar",
    label=_("Working-day calendar"),
    url_name="workdays:month",
    allowed=lambda user: may(user, Action.WORKBENCH_ENTER),
    order=90,
)
