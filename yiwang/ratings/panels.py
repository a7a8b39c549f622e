"""好差评's workbench tiles (found by `yiwang.panels`): rectifications with their open and
overdue counts for the department, and the rating pad for the window."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.panels import tile
from yiwang.permissions import Action, may
from yiwang.ratings.models import Rectification
from yiwang.ratings.selectors import rectifications_for


def rectification_counts(user) -> dict:
    still_open = rectifications_for(user).exclude(status=Rectification.Status.CLOSED)
    figures = still_open.aggregate(
        pending=Count("pk"), overdue=Count("pk", filter=Q(due__lt=clock.today()))
    )
    return {"pending": figures["pending"], "overdue": figures["overdue"]}


tile(
    key="ratings.rectifications",
    label=_("Ratings and rectifications"),
    url_name="ratings:workbench",
    allowed=lambda user: may(user, Action.RECTIFICATION_HANDLE),
    counts=rectification_counts,
    urgent="overdue",
    order=62,
)
tile(
    key="ratings.pad",
    label=_("Rating pad"),
    url_name="ratings:pad",
    allowed=lambda user: may(user, Action.RATING_ENTER),
    order=63,
)
