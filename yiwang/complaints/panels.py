"""Panels on lower apps' pages: the tickets about the applicant of a case or the holder of a
licence, for staff who may see tickets (never the reporter)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from yiwang.complaints import selectors
from yiwang.panels import panel, tile
from yiwang.permissions import Action, may


def _tickets_about(request, applicant_id: int | None) -> str | None:
    if applicant_id is None or not may(request.user, Action.TICKET_VIEW):
        return None
    tickets = selectors.tickets_visible_to(request.user).filter(subject_entity_id=applicant_id)
    latest = list(tickets.order_by("-received_at")[:5])
    if not latest:
        return None
    return render_to_string(
        "complaints/_panel.html",
        {"tickets": latest, "count": tickets.count()},
        request=request,
    )


@panel("case.detail", order=60)
def complaints_about_applicant(request, **context) -> str | None:
    case = context.get("case")
    return _tickets_about(request, getattr(case, "applicant_id", None))


@panel("licence.detail", order=60)
def complaints_about_holder(request, **context) -> str | None:
    licence = context.get("licence")
    return _tickets_about(request, getattr(licence, "holder_id", None))


tile(
    key="complaints.queue",
    label=_("Complaints and hotline tickets"),
    url_name="complaints:queue",
    allowed=lambda user: may(user, Action.TICKET_VIEW),
    order=35,
)
tile(
    key="complaints.intake",
    label=_("Take a hotline ticket"),
    url_name="complaints:intake",
    allowed=lambda user: may(user, Action.TICKET_INTAKE),
    order=36,
)
