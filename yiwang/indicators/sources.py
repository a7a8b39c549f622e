"""The figures that do not come from the case counts: one function per source.

The complaints, ratings, supervision and disclosure apps are built in parallel; until each
lands its function returns None (shown as "no data", never zero). Filling one in is a change
to that function only: it gets the slice and returns a share (0..1) or None when nothing counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from yiwang.catalog.models import Implementation, ItemVersion
from yiwang.indicators.definitions import share

if TYPE_CHECKING:
    from yiwang.indicators.slices import Slice


def _catalogue_limits(slice_: Slice) -> list[tuple[bool, int, int]]:
    """(fully online, statutory, committed) of the published items in the slice.

    Without a department or region of its own the slice counts the published base items; with
    one, the published implementation entries of the departments in it.
    """
    if slice_.department is None and slice_.region is None:
        versions = ItemVersion.objects.filter(status=ItemVersion.Status.PUBLISHED)
        if slice_.item:
            versions = versions.filter(item=slice_.item)
        return list(versions.values_list("online", "statutory_limit_days", "committed_limit_days"))
    entries = Implementation.objects.filter(status=Implementation.Status.PUBLISHED)
    condition = Q()
    if slice_.department:
        condition &= Q(department=slice_.department)
    if slice_.region:
        condition &= Q(department__region__code__startswith=slice_.region.prefix)
    if slice_.item:
        condition &= Q(item=slice_.item)
    return list(
        entries.filter(condition).values_list(
            "online", "statutory_limit_days", "committed_limit_days"
        )
    )


def catalogue_figures(slice_: Slice) -> dict[str, float | None]:
    limits = _catalogue_limits(slice_)
    online = sum(1 for is_online, _s, _c in limits if is_online)
    ratios = [(s - c) / s for _o, s, c in limits if s]
    return {
        "online_rate": share(online, len(limits)),
        "compression": round(sum(ratios) / len(ratios), 4) if ratios else None,
        "published_items": len(limits),
    }


# Sources from apps that have not landed yet: "no data" until they do.


def complaint_on_time_rate(slice_: Slice) -> float | None:
    """complaints: tickets replied by their due date / tickets replied (`ticket.replied`)."""
    return None


def satisfaction(slice_: Slice) -> float | None:
    """ratings: ratings of level 4–5 / all ratings given in the period (`rating.given`)."""
    return None


def bad_rating_rectification_rate(slice_: Slice) -> float | None:
    """ratings: bad ratings rectified within 15 working days / bad ratings due in the period."""
    return None


def decision_publication_on_time_rate(slice_: Slice) -> float | None:
    """disclosure: decisions and penalties published within 7 working days / published."""
    return None


def inspection_publication_on_time_rate(slice_: Slice) -> float | None:
    """disclosure: inspection results published within 20 working days / published."""
    return None


def inspection_coverage_by_grade(slice_: Slice) -> list[dict] | None:
    """supervision: [{"grade", "entities", "inspected", "coverage"}] per credit grade."""
    return None


OTHER_SOURCES = {
    "complaint_on_time_rate": complaint_on_time_rate,
    "satisfaction": satisfaction,
    "bad_rating_rectification_rate": bad_rating_rectification_rate,
    "decision_publication_on_time_rate": decision_publication_on_time_rate,
    "inspection_publication_on_time_rate": inspection_publication_on_time_rate,
}
