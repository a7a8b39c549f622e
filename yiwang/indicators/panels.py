"""The leaders' dashboard tile (found by `yiwang.panels`)."""

from django.utils.translation import gettext_lazy as _

from yiwang.panels import tile
from yiwang.permissions import Action, may

tile(
    key="indicators.dashboard",
    label=_("Reform indicators"),
    url_name="indicators:dashboard",
    allowed=lambda user: may(user, Action.INDICATOR_VIEW),
    order=5,
)
