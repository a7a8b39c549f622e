"""The hall's workbench tile (found by `yiwang.panels`)."""

from django.utils.translation import gettext_lazy as _

from yiwang.panels import tile
from yiwang.permissions import Action, may

tile(
    key="appointments.day",
    label=_("Bookings of the day"),
    url_name="appointments:day",
    allowed=lambda user: may(user, Action.APPOINTMENT_DESK),
    order=15,
)
