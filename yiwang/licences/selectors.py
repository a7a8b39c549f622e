"""Reads of the licence register for pages and the API, always through the permission filter."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yiwang.errors import NotFound
from yiwang.licences.models import Licence, LicenceEvent, Policy, Verification
from yiwang.permissions import Action, require, scope_of, visible


def _base() -> QuerySet[Licence]:
    return Licence.objects.select_related("holder", "item", "department__region")


def licences_visible(user: Any) -> QuerySet[Licence]:
    return visible(
        user,
        _base(),
        Action.LICENCE_VIEW,
        region_field="department__region__code",
        department_field="department_id",
        applicant_field="holder_id",
    )


def licence_search(
    user: Any, *, query: str = "", status: str = "", type_code: str = ""
) -> QuerySet[Licence]:
    queryset = licences_visible(user)
    query = query.strip()
    if query:
        queryset = queryset.filter(
            Q(number__startswith=query)
            | Q(holder__name__contains=query)
            | Q(holder__uscc=query)
            | Q(licence_type__contains=query)
        )
    if status:
        queryset = queryset.filter(status=status)
    if type_code:
        queryset = queryset.filter(licence_type_code=type_code)
    return queryset.order_by("-issued_at", "-pk")


def licences_of_holder_user(user: Any) -> QuerySet[Licence]:
    """The licences of the applicants a portal user represents."""
    return (
        _base()
        .filter(holder_id__in=sorted(scope_of(user).applicant_ids))
        .order_by("valid_until", "pk")
    )


def access_licence(*, user: Any, number: str) -> Licence:
    """The licence, if the user may see it (staff of its scope, or its holder)."""
    licence = _base().filter(number=number).first()
    if licence is None:
        raise NotFound(_("No licence has the number %(number)s.") % {"number": number})
    require(user, Action.LICENCE_VIEW, licence)
    return licence


def public_licence(number: str) -> Licence:
    licence = _base().filter(number=(number or "").strip()).first()
    if licence is None:
        raise NotFound(
            _("No licence has the number %(number)s.") % {"number": number}, code="unknown_licence"
        )
    return licence


def licence_history(licence: Licence) -> QuerySet[LicenceEvent]:
    return licence.events.select_related("case", "policy", "actor__staff__department").order_by(
        "at", "pk"
    )


def policies_for(user: Any) -> QuerySet[Policy]:
    require(user, Action.LICENCE_POLICY)
    return Policy.objects.select_related("created_by")


def access_policy(*, user: Any, policy_id: int) -> Policy:
    require(user, Action.LICENCE_POLICY)
    policy = Policy.objects.filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(_("No policy has the id %(id)s.") % {"id": policy_id})
    return policy


def verifications_open(user: Any) -> QuerySet[Verification]:
    queryset = Verification.objects.select_related("licence__holder", "licence__department")
    return visible(
        user,
        queryset.filter(outcome=Verification.Outcome.OPEN),
        Action.LICENCE_VERIFICATION_DECIDE,
        region_field="licence__department__region__code",
        department_field="licence__department_id",
    ).order_by("due_on", "pk")
