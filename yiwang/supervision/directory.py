"""The supervised directory (监管对象名录): every holder of a licence in force, as a query over the
licence register joined to the applicant (its region and credit grade), never a copy kept by hand.

A holder enters the moment its licence is issued and leaves when the last one ends, because the
query reads the register as it is. An entity's code is its USCC, or for a holder without one
(a person) the smallest number among its licences in force.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Count, F, Min, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Substr

from yiwang.licences.models import IN_FORCE, Licence
from yiwang.parties.models import Applicant

GRADES = ("A", "B", "C", "D")
UNGRADED = "U"


def licences_in_force(*, today: datetime.date) -> QuerySet:
    return Licence.objects.filter(status__in=IN_FORCE).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def directory(
    *,
    today: datetime.date,
    licence_types: list[str] | None = None,
    region_prefix: str = "",
    grade: str = "",
    query: str = "",
) -> QuerySet:
    """One row per entity: applicant_id, code, name, region_code, grade (U without one)."""
    licences = licences_in_force(today=today)
    if licence_types:
        licences = licences.filter(licence_type_code__in=licence_types)
    if region_prefix:
        licences = licences.filter(holder__region__code__startswith=region_prefix)
    if grade in GRADES:
        licences = licences.filter(holder__credit_grade=grade)
    elif grade == UNGRADED:
        licences = licences.exclude(holder__credit_grade__in=GRADES)
    if query:
        licences = licences.filter(
            Q(holder__name__icontains=query) | Q(holder__uscc=query) | Q(number=query)
        )
    return (
        licences.values("holder_id")
        .annotate(
            applicant_id=F("holder_id"),
            code=Coalesce(F("holder__uscc"), Min("number"), output_field=CharField()),
            name=F("holder__name"),
            region_code=F("holder__region__code"),
            grade=Case(
                When(holder__credit_grade__in=GRADES, then=F("holder__credit_grade")),
                default=Value(UNGRADED),
                output_field=CharField(),
            ),
        )
        .values("applicant_id", "code", "name", "region_code", "grade")
    )


def licence_types_of(applicant_ids: list[int], *, today: datetime.date) -> dict[int, list[str]]:
    """The licence types in force of a page of entities, in one query."""
    found: dict[int, set[str]] = {}
    rows = (
        licences_in_force(today=today)
        .filter(holder_id__in=applicant_ids)
        .values_list("holder_id", "licence_type_code", "licence_type")
    )
    for holder_id, code, name in rows:
        found.setdefault(holder_id, set()).add(code or name)
    return {holder_id: sorted(types) for holder_id, types in found.items()}


def counts_by_region(*, today: datetime.date, prefix: str, length: int, **filters) -> list[dict]:
    """Entities per child region (the first `length` digits of the region code)."""
    rows = (
        directory(today=today, region_prefix=prefix, **filters)
        .values("holder__region__code")
        .order_by()
    )
    counted = (
        Applicant.objects.filter(pk__in=rows.values("holder_id"))
        .annotate(area=Substr("region__code", 1, length))
        .values("area")
        .annotate(entities=Count("pk"))
        .order_by("area")
    )
    return list(counted)


def is_in_directory(applicant_id: int, *, today: datetime.date) -> bool:
    return licences_in_force(today=today).filter(holder_id=applicant_id).exists()
