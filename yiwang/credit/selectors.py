"""Reads of credit for pages, the API and other apps (supervision proposes the four lists'
entries with `inclusive_measures_for`; sampling reads the grade on `parties.Applicant`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from yiwang import clock
from yiwang.credit.models import (
    CreditFact,
    CreditStanding,
    GradeRecord,
    InclusiveMeasure,
    ListEntry,
    Objection,
    Repair,
    ScoreCard,
)
from yiwang.errors import NotFound
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require, visible


def inclusive_measures_for(*, violation_kind: str, on: datetime.date) -> list[InclusiveMeasure]:
    """The entries of the four lists in force on `on` for a violation type, no-penalty first."""
    order = {"no_penalty": 0, "no_compulsory": 1, "mitigated": 2, "lighter": 3}
    rows = InclusiveMeasure.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        violation_kind=violation_kind,
        valid_from__lte=on,
    )
    return sorted(rows, key=lambda m: (order.get(m.list_kind, 9), m.pk))


def sampling_grade(applicant: Applicant) -> str:
    """The stratum supervision samples an entity in: the black list samples as D."""
    return "D" if applicant.black_listed else applicant.credit_grade


def sampling_ratio(applicant: Applicant, ratios: dict[str, Decimal]) -> Decimal:
    return Decimal(str(ratios[sampling_grade(applicant)]))


def public_entity(*, code: str) -> Applicant:
    """An organisation's published grade (persons' records are not published)."""
    applicant = (
        Applicant.objects.select_related("region")
        .filter(uscc=(code or "").strip().upper())
        .exclude(kind=Applicant.Kind.PERSON)
        .first()
    )
    if applicant is None:
        raise NotFound(_no_entity())
    return applicant


def _no_entity() -> str:
    return _("No organisation with this unified social credit code is registered.")


def public_search(*, query: str, limit: int = 50) -> QuerySet[Applicant]:
    """Public lookup by code or part of the name (organisations only)."""
    query = (query or "").strip()
    rows = Applicant.objects.exclude(kind=Applicant.Kind.PERSON).order_by("name")
    if not query:
        return rows.none()
    return rows.filter(Q(uscc=query.upper()) | Q(name__contains=query))[:limit]


def standing_of(applicant: Applicant) -> CreditStanding | None:
    return CreditStanding.objects.filter(applicant=applicant).first()


def grade_history(applicant: Applicant) -> QuerySet[GradeRecord]:
    return GradeRecord.objects.filter(applicant=applicant).select_related("scorecard")


def lists_of(applicant: Applicant, *, on: datetime.date | None = None) -> list[str]:
    on = on or clock.today()
    return sorted(
        set(
            ListEntry.objects.filter(
                applicant=applicant,
                status=ListEntry.Status.ACTIVE,
                starts_on__lte=on,
                ends_on__gte=on,
            ).values_list("list_kind", flat=True)
        )
    )


def public_list(*, list_kind: str, on: datetime.date | None = None) -> QuerySet[ListEntry]:
    on = on or clock.today()
    return (
        ListEntry.objects.filter(
            list_kind=list_kind, status=ListEntry.Status.ACTIVE, starts_on__lte=on, ends_on__gte=on
        )
        .exclude(applicant__kind=Applicant.Kind.PERSON)
        .select_related("applicant")
        .order_by("applicant__name", "pk")
    )


def facts_of(applicant: Applicant) -> QuerySet[CreditFact]:
    return (
        CreditFact.objects.filter(applicant=applicant)
        .select_related("department", "inclusive_measure")
        .prefetch_related("objections", "repairs")
    )


def access_entity(*, user: Any, applicant_id: int) -> Applicant:
    applicant = Applicant.objects.select_related("region").filter(pk=applicant_id).first()
    if applicant is None:
        raise NotFound(_no_entity())
    require(user, Action.CREDIT_VIEW, applicant)
    return applicant


def objections_to_answer(user: Any) -> QuerySet[Objection]:
    rows = Objection.objects.filter(status=Objection.Status.OPEN).select_related(
        "fact__applicant", "fact__department"
    )
    return visible(
        user,
        rows,
        Action.CREDIT_OBJECTION_ANSWER,
        region_field="fact__applicant__region__code",
        department_field="fact__department_id",
    )


def repairs_to_decide(user: Any) -> QuerySet[Repair]:
    rows = Repair.objects.filter(status=Repair.Status.PENDING).select_related(
        "fact__applicant", "fact__department"
    )
    return visible(
        user,
        rows,
        Action.CREDIT_REPAIR_DECIDE,
        region_field="fact__applicant__region__code",
        department_field="fact__department_id",
    )


def scorecards_with_indicators() -> QuerySet[ScoreCard]:
    """Every score card, newest first, with its indicators (the score card page's list)."""
    return ScoreCard.objects.prefetch_related("indicators").order_by("-version")


def scorecard_with_indicators(*, version: int) -> ScoreCard:
    card = scorecards_with_indicators().filter(version=version).first()
    if card is None:
        raise Http404
    return card
