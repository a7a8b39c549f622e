"""The credit desk's workbench tile (found by `yiwang.panels`)."""

from django.utils.translation import gettext_lazy as _

from yiwang.panels import tile
from yiwang.permissions import Action, may

tile(
    key="credit.desk",
    label=_("Credit"),
    url_name="credit:desk",
    allowed=lambda user: may(user, Action.CREDIT_VIEW),
    order=50,
)
