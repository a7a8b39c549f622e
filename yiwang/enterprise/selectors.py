"""Reads for the enterprise pages and API, permission-filtered."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.enterprise.models import (
    OPEN_STATUSES,
    Expert,
    FrontServiceRequest,
    ListEntry,
    ListKind,
    SecretaryAssignment,
)
from yiwang.enterprise.services import applicant_get
from yiwang.errors import NotFound
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require, visible


def access_enterprise(*, user: Any, applicant_id: int) -> Applicant:
    applicant = applicant_get(applicant_id)
    require(user, Action.ENTERPRISE_LISTS_VIEW, applicant)
    return applicant


def secretary_history(applicant: Applicant) -> QuerySet[SecretaryAssignment]:
    return SecretaryAssignment.objects.filter(applicant=applicant).select_related("secretary")


def three_lists(applicant: Applicant) -> dict[str, list[ListEntry]]:
    """The enterprise's entries by list, in the order of the lists (one query)."""
    lists: dict[str, list[ListEntry]] = {kind: [] for kind in ListKind.values}
    for entry in ListEntry.objects.filter(applicant=applicant).select_related("owner"):
        lists[entry.kind].append(entry)
    return lists


def entries_overdue_for(user: Any) -> QuerySet[ListEntry]:
    """Open entries past their due date that the user owns or whose enterprise the user is
    the current secretary of."""
    my_enterprises = SecretaryAssignment.objects.filter(
        secretary__user=user, ends_on__isnull=True
    ).values("applicant_id")
    return (
        ListEntry.objects.filter(status__in=OPEN_STATUSES, due_on__lt=clock.today())
        .filter(Q(owner__user=user) | Q(applicant_id__in=my_enterprises))
        .select_related("applicant", "owner")
        .order_by("due_on", "pk")
    )


def enterprises_of_secretary(user: Any) -> QuerySet[SecretaryAssignment]:
    return SecretaryAssignment.objects.filter(
        secretary__user=user, ends_on__isnull=True
    ).select_related("applicant")


def front_requests_visible(user: Any) -> QuerySet[FrontServiceRequest]:
    return visible(
        user,
        FrontServiceRequest.objects.select_related("applicant", "item", "expert", "case"),
        Action.FRONT_SERVICE_VIEW,
        region_field="applicant__region__code",
        applicant_field="applicant_id",
    )


def access_front_request(*, user: Any, request_id: int) -> FrontServiceRequest:
    request = (
        FrontServiceRequest.objects.select_related("applicant__region", "item", "expert", "case")
        .prefetch_related("advice__files")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound(_no_request())
    is_expert = request.expert is not None and request.expert.user_id == getattr(user, "pk", None)
    if not is_expert:
        require(user, Action.FRONT_SERVICE_VIEW, request)
    return request


def _no_request():
    return _("No such front-service request.")


def front_requests_for_case(case) -> QuerySet[FrontServiceRequest]:
    """The requests tied to a case, and those of its applicant for its item not yet tied."""
    return (
        FrontServiceRequest.objects.filter(
            Q(case=case)
            | Q(case__isnull=True, applicant_id=case.applicant_id, item_id=case.item_id)
        )
        .select_related("expert", "item")
        .prefetch_related("advice__files")
    )


def requests_of_expert(user: Any) -> QuerySet[FrontServiceRequest]:
    return (
        FrontServiceRequest.objects.filter(expert__user=user)
        .select_related("applicant", "item", "case")
        .prefetch_related("advice__files")
    )


def experts_active() -> QuerySet[Expert]:
    return Expert.objects.filter(is_active=True)
