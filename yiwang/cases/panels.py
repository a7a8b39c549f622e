"""What the cases app adds to other apps' pages and to the workbench (found by `yiwang.panels`)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from yiwang.cases import selectors
from yiwang.licences import applications, rules
from yiwang.licences.models import Licence
from yiwang.panels import panel, tile
from yiwang.permissions import Action, may, scope_of
from yiwang.regions.models import Role


@panel("licence.holder", order=50)
def licence_applications_panel(request, *, licence: Licence) -> str:
    """On the holder's licence page: what may be applied for, and the cases already filed."""
    return render_to_string(
        "cases/_licence_applications.html",
        {
            "licence": licence,
            "renewal_opens": rules.renewal_opens_on(licence),
            "purposes": applications.purposes_for_holder(licence),
            "links": licence.cases.select_related("case").order_by("-pk"),
        },
        request=request,
    )


QUEUE_ROLES = {Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.LEADER}

tile(
    key="cases.queue",
    label=_("Case queue"),
    url_name="cases:queue",
    allowed=lambda user: bool(scope_of(user).roles & QUEUE_ROLES) or scope_of(user).is_superuser,
    counts=selectors.queue_counts,
    urgent="overdue",
    order=10,
)
tile(
    key="cases.prereviews",
    label=_("Pre-reviews"),
    url_name="cases:prereview-queue",
    allowed=lambda user: may(user, Action.PREREVIEW_COMMENT),
    order=20,
)
