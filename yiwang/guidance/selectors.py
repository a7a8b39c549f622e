"""Reads for the guidance pages and API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.errors import NotFound
from yiwang.guidance.models import ResourceFigures, Specialty
from yiwang.regions.models import Region


def region_by_code(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(_("No region has this code."), fields={"region": _("No such region.")})
    return region


def specialty_by_code(code: str) -> Specialty:
    specialty = Specialty.objects.filter(code=code).first()
    if specialty is None:
        raise NotFound(
            _("No specialty has this code."), fields={"specialty": _("No such specialty.")}
        )
    return specialty


def regions_with_guidance() -> list[Region]:
    """Regions an applicant can pick: those under a region with figures (and those regions)."""
    prefixes = [
        figures.region.prefix for figures in ResourceFigures.objects.select_related("region")
    ]
    return [
        region
        for region in Region.objects.order_by("code")
        if any(region.code.startswith(prefix) for prefix in prefixes)
    ]
