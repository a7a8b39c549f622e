"""Reads of regions, departments and staff."""

from typing import Any

from django.db.models import QuerySet

from yiwang.regions.models import Department, Region, Staff


def staff_of(user: Any) -> Staff | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_yiwang_staff", None)
    if cached is None:
        cached = (
            Staff.objects.select_related("department", "region", "department__region")
            .prefetch_related("roles")
            .filter(user_id=user.pk)
            .first()
        ) or False
        user._yiwang_staff = cached
    return cached or None


def region_subtree(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(code__startswith=region.prefix)


def departments_in(region: Region) -> QuerySet[Department]:
    return Department.objects.filter(region__code__startswith=region.prefix).select_related(
        "region"
    )
