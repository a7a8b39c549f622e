"""Reads of applicants, always through the permission filter."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yiwang.errors import NotFound
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, may, require, scope_of, visible


def applicants_visible_to(user: Any, *, query: str = "") -> QuerySet[Applicant]:
    queryset = Applicant.objects.select_related("region")
    queryset = visible(
        user, queryset, Action.APPLICANT_VIEW, region_field="region__code", applicant_field="pk"
    )
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(uscc=query.upper()))
    return queryset.order_by("name", "pk")


def applicants_matching(user: Any, query: str, *, limit: int = 8) -> list[Applicant]:
    """Suggestions while typing: a code (USCC or resident ID) from its start, or a name part."""
    query = query.strip()
    if len(query) < 2:
        return []
    code = query.upper()
    queryset = visible(
        user,
        Applicant.objects.select_related("region"),
        Action.APPLICANT_VIEW,
        region_field="region__code",
        applicant_field="pk",
    ).filter(Q(uscc__startswith=code) | Q(id_number__startswith=code) | Q(name__icontains=query))
    return list(queryset.order_by("name", "pk")[:limit])


def applicant_with_code(user: Any, code: str) -> Applicant | None:
    """The applicant whose USCC or resident ID is exactly `code`, if the user may see it."""
    code = code.strip().upper()
    if not code:
        return None
    return (
        visible(
            user,
            Applicant.objects.select_related("region"),
            Action.APPLICANT_VIEW,
            region_field="region__code",
            applicant_field="pk",
        )
        .filter(Q(uscc=code) | Q(id_number=code))
        .first()
    )


def access_applicant(*, user: Any, applicant_id: int) -> Applicant:
    """Fetch an applicant the user may view, or NotFound."""
    applicant = Applicant.objects.select_related("region").filter(pk=applicant_id).first()
    if applicant is None:
        raise NotFound(_("No applicant has the id %(id)s.") % {"id": applicant_id})
    require(user, Action.APPLICANT_VIEW, applicant)
    return applicant


def shows_identity(user: Any, applicant: Applicant) -> bool:
    """Whether the user sees the full ID number: staff whose role needs it, or the person."""
    if applicant.pk in _own(user):
        return True
    return may(user, Action.APPLICANT_VIEW_IDENTITY, applicant)


def _own(user: Any) -> frozenset[int]:
    return scope_of(user).applicant_ids
