"""Sections this app adds to lower apps' pages (see `yiwang.panels`)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from yiwang.enterprise import selectors
from yiwang.enterprise.front import offers_for
from yiwang.panels import panel, tile
from yiwang.permissions import Action, may


@panel("case.detail", order=50)
def front_services_on_case(request, **context) -> str | None:
    """The reviewer sees the front services the applicant had before applying, with advice."""
    case = context.get("case")
    if case is None:
        return None
    requests = list(selectors.front_requests_for_case(case))
    if not requests:
        return None
    return render_to_string(
        "enterprise/_case_panel.html", {"requests": requests, "case": case}, request=request
    )


@panel("case.apply", order=60)
def front_services_before_applying(request, **context) -> str | None:
    """Before filing: the free front services offered for the item, and how to ask for them."""
    item = context.get("item")
    code = getattr(item, "code", None) or getattr(getattr(item, "item", None), "code", None)
    if not code:
        return None
    kinds = offers_for(code)
    if not kinds:
        return None
    return render_to_string(
        "enterprise/_apply_panel.html", {"kinds": kinds, "item_code": code}, request=request
    )


tile(
    key="enterprise.secretary",
    label=_("Service secretary"),
    url_name="enterprise:secretary",
    allowed=lambda user: may(user, Action.ENTERPRISE_LISTS_EDIT),
    order=60,
)
tile(
    key="enterprise.expert",
    label=_("Front-service requests"),
    url_name="enterprise:expert",
    allowed=lambda user: hasattr(user, "expert"),
    order=61,
)
