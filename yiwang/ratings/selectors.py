"""Reads of 好差评: invitations and ratings a user may see, rectification queues, and figures.

Staff never learn who rated unless the rater agreed to be called back (`rater_shown`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.errors import NotFound, invalid_field
from yiwang.permissions import Action, require, scope_of, visible
from yiwang.ratings.models import Rating, RatingInvitation, Rectification
from yiwang.ratings.rules import BAD_LEVELS, SATISFIED_LEVELS

GROUPS = {
    "department": ("invitation__department_id", "invitation__department__name"),
    "item": ("invitation__item_code", "invitation__item_name"),
    "window": ("invitation__service_channel", "invitation__service_channel"),
    "month": ("month", "month"),
}
GROUP_RULE = _("Group by department, item, window or month.")


def invitation_for(*, user: Any, subject_kind: str, subject_id: int) -> RatingInvitation:
    invitation = (
        RatingInvitation.objects.filter(subject_kind=subject_kind, subject_id=subject_id)
        .select_related("department")
        .first()
    )
    if invitation is None:
        raise NotFound(_("This case or ticket is not open for rating."), code="not_rateable")
    return invitation


def invitations_of_applicant(user: Any) -> QuerySet[RatingInvitation]:
    """The portal's list: the user's applicants' cases and tickets, rated or not."""
    ids = sorted(scope_of(user).applicant_ids)
    return (
        RatingInvitation.objects.filter(applicant_id__in=ids)
        .select_related("rating", "department")
        .order_by("-opened_on", "-pk")
    )


def ratings_for_staff(user: Any) -> QuerySet[Rating]:
    """Ratings with comments for the workbench, limited to the user's region and department."""
    return visible(
        user,
        Rating.objects.select_related("invitation__department", "rectification"),
        Action.RECTIFICATION_HANDLE,
        region_field="invitation__region_code",
        department_field="invitation__department_id",
    ).order_by("-rated_at")


def rectifications_for(user: Any) -> QuerySet[Rectification]:
    return visible(
        user,
        Rectification.objects.select_related("rating__invitation__department"),
        Action.RECTIFICATION_HANDLE,
        region_field="rating__invitation__region_code",
        department_field="rating__invitation__department_id",
    ).order_by("status", "due")


def access_rectification(*, user: Any, rectification_id: int) -> Rectification:
    rectification = (
        Rectification.objects.select_related("rating__invitation__department")
        .filter(pk=rectification_id)
        .first()
    )
    if rectification is None:
        raise NotFound(_("No such rectification."))
    require(user, Action.RECTIFICATION_HANDLE, rectification)
    return rectification


def rater_shown(rating: Rating) -> dict | None:
    """Who rated, for staff: only when the rater agreed to be called back."""
    if not rating.callback_consent:
        return None
    applicant = rating.invitation.applicant
    return {
        "name": applicant.name if applicant else "",
        "phone": rating.callback_phone,
    }


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    ratings: int
    satisfied: int
    bad: int
    satisfaction: float | None
    rectifications: int
    rectifications_due: int
    rectified_on_time: int
    on_time_rate: float | None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rating_figures(
    *,
    group_by: str = "department",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    department_id: int | None = None,
    today: datetime.date | None = None,
) -> list[FigureRow]:
    """Satisfaction (4–5 / all), bad ratings (1–2) and the rectification on-time rate, grouped.

    A rectification counts as due once closed or past its due date; on time when closed by it.
    """
    if group_by not in GROUPS:
        raise invalid_field("group_by", GROUP_RULE, code="group_unknown")
    today = today or clock.today()
    key, label = GROUPS[group_by]
    ratings = Rating.objects.all()
    if date_from:
        ratings = ratings.filter(rated_on__gte=date_from)
    if date_to:
        ratings = ratings.filter(rated_on__lte=date_to)
    if department_id:
        ratings = ratings.filter(invitation__department_id=department_id)
    if group_by == "month":
        ratings = ratings.annotate(month=TruncMonth("rated_on"))
    due = Q(rectification__closed_on__isnull=False) | Q(rectification__due__lt=today)
    rows = (
        ratings.values(key, label)
        .annotate(
            n=Count("pk"),
            satisfied=Count("pk", filter=Q(level__in=sorted(SATISFIED_LEVELS))),
            bad=Count("pk", filter=Q(level__in=sorted(BAD_LEVELS))),
            rectifications=Count("rectification"),
            due=Count("rectification", filter=due),
            on_time=Count(
                "rectification",
                filter=Q(rectification__closed_on__lte=F("rectification__due")),
            ),
        )
        .order_by(key)
    )
    figures = []
    for row in rows:
        raw_key = row[key]
        shown_key = raw_key.strftime("%Y-%m") if hasattr(raw_key, "strftime") else raw_key
        shown_label = row[label]
        if hasattr(shown_label, "strftime"):
            shown_label = shown_label.strftime("%Y-%m")
        figures.append(
            FigureRow(
                key="" if shown_key is None else str(shown_key),
                label=shown_label or "",
                ratings=row["n"],
                satisfied=row["satisfied"],
                bad=row["bad"],
                satisfaction=_share(row["satisfied"], row["n"]),
                rectifications=row["rectifications"],
                rectifications_due=row["due"],
                rectified_on_time=row["on_time"],
                on_time_rate=_share(row["on_time"], row["due"]),
            )
        )
    return figures


def satisfaction(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    department_id: int | None = None,
) -> dict:
    """The totals for the indicators: {"ratings", "satisfied", "satisfaction"}."""
    ratings = Rating.objects.all()
    if date_from:
        ratings = ratings.filter(rated_on__gte=date_from)
    if date_to:
        ratings = ratings.filter(rated_on__lte=date_to)
    if department_id:
        ratings = ratings.filter(invitation__department_id=department_id)
    totals = ratings.aggregate(
        n=Count("pk"), satisfied=Count("pk", filter=Q(level__in=sorted(SATISFIED_LEVELS)))
    )
    return {
        "ratings": totals["n"],
        "satisfied": totals["satisfied"],
        "satisfaction": _share(totals["satisfied"], totals["n"]),
    }


def indicator_totals(
    *,
    start: datetime.date,
    end: datetime.date,
    region_prefix: str = "",
    department_id: int | None = None,
    item_code: str = "",
    today: datetime.date | None = None,
) -> dict:
    """For the indicators, in two aggregate queries: ratings given from `start` to `end` and
    the satisfied ones (4–5); rectifications due from `start` to `end` that count (closed, or
    past their due date by `today`) and those closed by their due date."""
    today = today or clock.today()

    def scope(to_invitation: str) -> Q:
        condition = Q()
        if region_prefix:
            condition &= Q(**{f"{to_invitation}__region_code__startswith": region_prefix})
        if department_id:
            condition &= Q(**{f"{to_invitation}__department_id": department_id})
        if item_code:
            condition &= Q(**{f"{to_invitation}__item_code": item_code})
        return condition

    ratings = Rating.objects.filter(
        scope("invitation"), rated_on__gte=start, rated_on__lte=end
    ).aggregate(n=Count("pk"), satisfied=Count("pk", filter=Q(level__in=sorted(SATISFIED_LEVELS))))
    rectifications = (
        Rectification.objects.filter(scope("rating__invitation"), due__gte=start, due__lte=end)
        .filter(Q(closed_on__isnull=False) | Q(due__lt=today))
        .aggregate(counted=Count("pk"), on_time=Count("pk", filter=Q(closed_on__lte=F("due"))))
    )
    return {
        "ratings": ratings["n"],
        "satisfied": ratings["satisfied"],
        "rectifications_due": rectifications["counted"],
        "rectified_on_time": rectifications["on_time"],
    }
