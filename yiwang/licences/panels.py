"""The licence register's workbench tiles (found by `yiwang.panels`)."""

from django.utils.translation import gettext_lazy as _

from yiwang.panels import tile
from yiwang.permissions import Action, may

tile(
    key="licences.search",
    label=_("Licence register"),
    url_name="licences:search",
    allowed=lambda user: may(user, Action.LICENCE_VIEW),
    order=40,
)
tile(
    key="licences.verifications",
    label=_("Verifications due"),
    url_name="licences:verifications",
    allowed=lambda user: may(user, Action.LICENCE_VERIFICATION_DECIDE),
    order=41,
)
tile(
    key="licences.policies",
    label=_("Dated policies"),
    url_name="licences:policies",
    allowed=lambda user: may(user, Action.LICENCE_POLICY),
    order=42,
)
tile(
    key="licences.import",
    label=_("Import a register"),
    url_name="licences:import",
    allowed=lambda user: may(user, Action.LICENCE_IMPORT),
    order=43,
)
