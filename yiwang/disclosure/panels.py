"""Disclosure's workbench tiles (found by `yiwang.panels`): the publication queue with its
waiting and overdue records, and the policy desk."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.disclosure.models import Publication
from yiwang.disclosure.selectors import publication_queue_for
from yiwang.panels import tile
from yiwang.permissions import Action, may


def queue_counts(user) -> dict:
    waiting = publication_queue_for(user).filter(status=Publication.Status.QUEUED)
    figures = waiting.aggregate(
        pending=Count("pk"), overdue=Count("pk", filter=Q(publish_due__lt=clock.today()))
    )
    return {"pending": figures["pending"], "overdue": figures["overdue"]}


tile(
    key="disclosure.queue",
    label=_("Publication queue"),
    url_name="disclosure:queue",
    allowed=lambda user: may(user, Action.DISCLOSURE_PUBLISH),
    counts=queue_counts,
    urgent="overdue",
    order=60,
)
tile(
    key="disclosure.policies",
    label=_("Policy documents"),
    url_name="disclosure:policy-desk",
    allowed=lambda user: may(user, Action.POLICY_DRAFT),
    order=61,
)
