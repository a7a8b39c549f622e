"""The workbench's own tiles (found by `yiwang.panels`)."""

from django.utils.translation import gettext_lazy as _

from yiwang.panels import tile
from yiwang.permissions import Action, may

tile(
    key="workbench.applicants",
    label=_("Applicants"),
    url_name="applicant-list",
    allowed=lambda user: may(user, Action.APPLICANT_VIEW),
    order=70,
)
tile(
    key="workbench.admin",
    label=_("Administration"),
    url_name="admin:index",
    allowed=lambda user: user.is_superuser,
    order=99,
)
