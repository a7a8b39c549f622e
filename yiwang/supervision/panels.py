"""Supervision's sections on lower apps' pages: a licence's holder's inspections, and a
commitment case's post-approval check (the licence and case apps do not import this app)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from yiwang.panels import panel, tile
from yiwang.permissions import Action, may
from yiwang.supervision.models import Inspection, Task


@panel("licence.detail", order=60)
def holder_inspections(request, *, licence=None, **context) -> str | None:
    if licence is None or not may(request.user, Action.SUPERVISION_VIEW):
        return None
    inspections = (
        Inspection.objects.filter(task__applicant_id=licence.holder_id)
        .select_related("task", "department")
        .order_by("-scheduled_for", "-pk")[:10]
    )
    return render_to_string(
        "supervision/_panel_inspections.html", {"inspections": inspections}, request=request
    )


@panel("case.detail", order=60)
def post_approval_check(request, *, case=None, **context) -> str | None:
    if case is None or not may(request.user, Action.SUPERVISION_VIEW):
        return None
    task = (
        Task.objects.filter(kind=Task.Kind.POST_APPROVAL, case_id=case.pk)
        .select_related("inspection")
        .first()
    )
    if task is None:
        return None
    return render_to_string("supervision/_panel_post_check.html", {"task": task}, request=request)


tile(
    key="supervision.tasks",
    label=_("My inspection tasks"),
    url_name="supervision:tasks",
    allowed=lambda user: may(user, Action.SUPERVISION_INSPECT),
    order=31,
)
tile(
    key="supervision.directory",
    label=_("Supervised directory"),
    url_name="supervision:directory",
    allowed=lambda user: may(user, Action.SUPERVISION_VIEW),
    order=32,
)
tile(
    key="supervision.plans",
    label=_("Plans and draws"),
    url_name="supervision:plans",
    allowed=lambda user: may(user, Action.SUPERVISION_PLAN),
    order=33,
)
tile(
    key="supervision.publication",
    label=_("Publication of results"),
    url_name="supervision:publication",
    allowed=lambda user: may(user, Action.SUPERVISION_PUBLISH),
    order=34,
)
