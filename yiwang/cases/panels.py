"""What the cases app adds to other apps' pages (discovered by `yiwang.panels`)."""

from __future__ import annotations

from django.template.loader import render_to_string

from yiwang.licences import applications, rules
from yiwang.licences.models import Licence
from yiwang.panels import panel


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
