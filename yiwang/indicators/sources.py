"""The figures that do not come from the case counts: one function per source.

Each function gets the slice and returns a share (0..1), or None ("no data", never zero) when
nothing counts in it. The complaints, ratings, disclosure and supervision figures are read
through those apps' selectors, one aggregate query each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from yiwang import clock
from yiwang.catalog.models import Implementation, ItemVersion
from yiwang.complaints import selectors as complaint_selectors
from yiwang.disclosure import selectors as disclosure_selectors
from yiwang.disclosure.models import Publication
from yiwang.indicators.definitions import share
from yiwang.ratings import selectors as rating_selectors
from yiwang.supervision import selectors as supervision_selectors

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


# Sources read from the complaints, ratings, disclosure and supervision apps, through their
# selectors. Each honours the slice's period, department, region subtree and item where its
# records carry them; channel and procedure belong to cases and do not narrow these figures.


def complaint_on_time_rate(slice_: Slice) -> float | None:
    """complaints: tickets first replied in the period by their due date / tickets first replied
    in the period (handling department, ticket region). Tickets carry no item: None by item."""
    if slice_.item is not None:
        return None
    figures = complaint_selectors.reply_timeliness(
        start=slice_.start,
        end=slice_.end,
        region_prefix=slice_.region_prefix,
        department_id=_department_id(slice_),
    )
    return share(figures["on_time"], figures["replied"])


def _rating_totals(slice_: Slice) -> dict:
    return rating_selectors.indicator_totals(
        start=slice_.start,
        end=slice_.end,
        region_prefix=slice_.region_prefix,
        department_id=_department_id(slice_),
        item_code=slice_.item.code if slice_.item else "",
    )


def satisfaction(slice_: Slice, totals: dict | None = None) -> float | None:
    """ratings: ratings of level 4–5 / all ratings given in the period."""
    totals = totals or _rating_totals(slice_)
    return share(totals["satisfied"], totals["ratings"])


def bad_rating_rectification_rate(slice_: Slice, totals: dict | None = None) -> float | None:
    """ratings: rectifications of bad ratings closed by their due date (15 working days) /
    rectifications due in the period that count (closed, or past due today)."""
    totals = totals or _rating_totals(slice_)
    return share(totals["rectified_on_time"], totals["rectifications_due"])


def _publication_rate(slice_: Slice, kinds: list[str]) -> float | None:
    figures = disclosure_selectors.publication_timeliness(
        kinds=kinds,
        start=slice_.start,
        end=slice_.end,
        region_prefix=slice_.region_prefix,
        department_id=_department_id(slice_),
        item_code=slice_.item.code if slice_.item else "",
    )
    return share(figures["on_time"], figures["published"])


def decision_publication_on_time_rate(slice_: Slice) -> float | None:
    """disclosure: licensing decisions and penalties published in the period by their publish
    date (7 working days after the decision) / those published in the period."""
    return _publication_rate(slice_, [Publication.Kind.LICENSING, Publication.Kind.PENALTY])


def inspection_publication_on_time_rate(slice_: Slice) -> float | None:
    """disclosure: inspection results published in the period by their publish date (20 working
    days after the conclusion) / those published in the period."""
    return _publication_rate(slice_, [Publication.Kind.INSPECTION])


def inspection_coverage_by_grade(slice_: Slice) -> list[dict] | None:
    """supervision: [{"grade", "entities", "inspected", "coverage"}] per credit grade: the
    directory's entities on the period's last day (today if sooner) and those with an inspection
    concluded in the period; None when the directory of the slice is empty."""
    rows = supervision_selectors.coverage_by_grade(
        start=slice_.start,
        end=slice_.end,
        as_of=min(slice_.end, clock.today()),
        region_prefix=slice_.region_prefix,
        department_id=_department_id(slice_),
        item_id=slice_.item.pk if slice_.item else None,
    )
    return rows or None


def _department_id(slice_: Slice) -> int | None:
    return slice_.department.pk if slice_.department else None


def other_figures(slice_: Slice) -> dict[str, float | None]:
    """The complaints, ratings and disclosure figures (the ratings' two from one read)."""
    ratings = _rating_totals(slice_)
    return {
        "complaint_on_time_rate": complaint_on_time_rate(slice_),
        "satisfaction": satisfaction(slice_, ratings),
        "bad_rating_rectification_rate": bad_rating_rectification_rate(slice_, ratings),
        "decision_publication_on_time_rate": decision_publication_on_time_rate(slice_),
        "inspection_publication_on_time_rate": inspection_publication_on_time_rate(slice_),
    }
