"""Reads of disclosure: the public records and their search, the staff queue, policy pages."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yiwang.disclosure.models import PolicyDocument, Publication
from yiwang.errors import NotFound, invalid_field
from yiwang.permissions import Action, require, visible

# Codes (USCC, masked ID numbers) and case or licence numbers: letters, digits, *, - only.
CODE_LIKE = re.compile(r"[0-9A-Za-z*\-]{6,40}")
PERIOD_RULE = _("The start of the period must not be after its end.")


def public_records(
    *,
    kind: str | None = None,
    q: str = "",
    item: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Publication]:
    """What the public sees: published records, and withdrawn ones with their note.

    `q` searches the (masked) name, the code, the case and licence numbers; `item` the item's
    code or name; the period filters the decision date.
    """
    if date_from and date_to and date_from > date_to:
        raise invalid_field("from", PERIOD_RULE, code="period")
    rows = Publication.objects.filter(published_at__isnull=False)
    if kind:
        rows = rows.filter(kind=kind)
    q = (q or "").strip()
    if CODE_LIKE.fullmatch(q):
        # A code or a number: exact matches on indexed columns, no scan of the names.
        rows = rows.filter(Q(subject_code=q.upper()) | Q(number=q) | Q(licence_number=q))
    elif q:
        rows = rows.filter(subject_name__icontains=q)
    item = (item or "").strip()
    if item:
        rows = rows.filter(Q(item_code=item) | Q(item_name__icontains=item))
    if date_from:
        rows = rows.filter(decided_on__gte=date_from)
    if date_to:
        rows = rows.filter(decided_on__lte=date_to)
    return rows.select_related("department").order_by("-decided_on", "-pk")


def public_record(publication_id: int) -> Publication:
    record = (
        Publication.objects.filter(pk=publication_id, published_at__isnull=False)
        .select_related("department")
        .first()
    )
    if record is None:
        raise NotFound(_("No such published record."))
    return record


def publication_queue_for(user: Any) -> QuerySet[Publication]:
    """The staff view: the department's records, waiting ones first, nearest due first."""
    return visible(
        user,
        Publication.objects.select_related("department"),
        Action.DISCLOSURE_VIEW_QUEUE,
        region_field="region_code",
        department_field="department_id",
    ).order_by("status", "publish_due", "pk")


def access_publication(*, user: Any, publication_id: int, action: Action) -> Publication:
    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is None:
        raise NotFound(_("No such record."))
    require(user, action, publication)
    return publication


def public_policies(*, q: str = "", status: str = "") -> QuerySet[PolicyDocument]:
    rows = PolicyDocument.objects.exclude(status=PolicyDocument.Status.DRAFT).select_related(
        "drafting_department", "interpretation"
    )
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(document_number__icontains=q))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-published_on", "-pk")


def public_policy(document_id: int) -> PolicyDocument:
    document = (
        public_policies()
        .select_related("fair_competition_review", "amended_by")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("No such published policy document."))
    return document


def policies_for(user: Any) -> QuerySet[PolicyDocument]:
    return visible(
        user,
        PolicyDocument.objects.select_related("drafting_department"),
        Action.POLICY_DRAFT,
        region_field="region_code",
        department_field="drafting_department_id",
    ).order_by("status", "-pk")


def access_policy(*, user: Any, document_id: int, action: Action) -> PolicyDocument:
    document = PolicyDocument.objects.filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("No such policy document."))
    require(user, action, document)
    return document


def publication_timeliness(
    *,
    kinds: list[str],
    start: datetime.date,
    end: datetime.date,
    region_prefix: str = "",
    department_id: int | None = None,
    item_code: str = "",
) -> dict:
    """For the indicators: records of these kinds published from `start` to `end`
    ("published", withdrawn ones included) and those published by their due date ("on_time")."""
    records = Publication.objects.filter(
        kind__in=kinds,
        published_at__isnull=False,
        published_at__date__gte=start,
        published_at__date__lte=end,
    )
    if region_prefix:
        records = records.filter(region_code__startswith=region_prefix)
    if department_id:
        records = records.filter(department_id=department_id)
    if item_code:
        records = records.filter(item_code=item_code)
    return records.aggregate(
        published=Count("pk"),
        on_time=Count("pk", filter=Q(published_at__date__lte=F("publish_due"))),
    )
