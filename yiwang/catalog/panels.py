"""The catalogue's workbench tiles (found by `yiwang.panels`)."""

from django.utils.translation import gettext_lazy as _

from yiwang.panels import tile
from yiwang.permissions import Action, may

tile(
    key="catalog.items",
    label=_("Service items"),
    url_name="catalog:item-list",
    allowed=lambda user: may(user, Action.WORKBENCH_ENTER),
    order=80,
)
tile(
    key="catalog.manage",
    label=_("Manage the catalogue"),
    url_name="catalog:manage",
    allowed=lambda user: may(user, Action.CATALOG_EDIT),
    order=81,
)
