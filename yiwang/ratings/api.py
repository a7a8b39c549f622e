"""好差评 in the API (API.md, "Disclosure and ratings"): give and change a rating, the link
rating without login, the rectification steps, and the public figures."""

from __future__ import annotations

import datetime
from typing import Literal

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from yiwang.errors import InvalidInput, NotFound
from yiwang.ratings import rectifications as steps
from yiwang.ratings import selectors, services
from yiwang.ratings.models import Rating, Rectification, SubjectKind
from yiwang.replica import operation_reads_from_replica

router = Router(tags=["ratings"])
public_router = Router(tags=["ratings"])

# The period filters of API.md are named `from` and `to`, which Python cannot name.
FROM = Query(None, alias="from")
TO = Query(None, alias="to")
SUBJECT_RULE = _("Give either case_id or complaint_id.")


class RatingIn(Schema):
    case_id: int | None = None
    complaint_id: int | None = None
    level: int
    channel: Literal["portal", "window", "phone"] = "portal"
    comment: str = ""
    callback_consent: bool = False
    callback_phone: str = ""


class RatingChangeIn(Schema):
    level: int
    comment: str | None = None


class LinkRatingIn(Schema):
    token: str
    level: int
    comment: str = ""
    callback_consent: bool = False
    callback_phone: str = ""


class RectificationOut(Schema):
    id: int
    due: datetime.date
    status: str


class RatingOut(Schema):
    id: int
    level: int
    channel: str
    rated_at: datetime.datetime
    change_until: datetime.date
    rectification: RectificationOut | None


class StepIn(Schema):
    genuine: bool | None = None
    reason: str = ""
    note: str = ""


class RectificationDetailOut(Schema):
    id: int
    number: str
    department: str | None
    level: int
    comment: str
    rater: dict | None
    status: str
    opened_on: datetime.date
    due: datetime.date
    clock_level: str
    genuine: bool | None
    verification_reason: str
    callback_note: str
    fix_note: str
    told_note: str
    closed_on: datetime.date | None


class FigureOut(Schema):
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


def rating_body(rating: Rating) -> dict:
    rectification = getattr(rating, "rectification", None)
    return {
        "id": rating.pk,
        "level": rating.level,
        "channel": rating.channel,
        "rated_at": rating.rated_at,
        "change_until": rating.change_until,
        "rectification": (
            {"id": rectification.pk, "due": rectification.due, "status": rectification.status}
            if rectification
            else None
        ),
    }


def rectification_body(rectification: Rectification) -> dict:
    rating = rectification.rating
    department = rating.invitation.department
    return {
        "id": rectification.pk,
        "number": rating.invitation.number,
        "department": department.name if department else None,
        "level": rating.level,
        "comment": rating.comment,
        "rater": selectors.rater_shown(rating),
        "status": rectification.status,
        "opened_on": rectification.opened_on,
        "due": rectification.due,
        "clock_level": steps.rectification_reading(rectification).level,
        "genuine": rectification.genuine,
        "verification_reason": rectification.verification_reason,
        "callback_note": rectification.callback_note,
        "fix_note": rectification.fix_note,
        "told_note": rectification.told_note,
        "closed_on": rectification.closed_on,
    }


@router.post("", response={201: RatingOut})
def rating_create(request, payload: RatingIn):
    if (payload.case_id is None) == (payload.complaint_id is None):
        raise InvalidInput(SUBJECT_RULE, code="subject", fields={"case_id": SUBJECT_RULE})
    kind, subject_id = (
        (SubjectKind.CASE, payload.case_id)
        if payload.case_id is not None
        else (SubjectKind.TICKET, payload.complaint_id)
    )
    invitation = selectors.invitation_for(
        user=request.auth, subject_kind=kind, subject_id=subject_id
    )
    rating = services.rating_give(
        actor=request.auth,
        invitation=invitation,
        level=payload.level,
        channel=payload.channel,
        comment=payload.comment,
        callback_consent=payload.callback_consent,
        callback_phone=payload.callback_phone,
    )
    return Status(201, rating_body(rating))


@router.patch("/{int:rating_id}", response=RatingOut)
def rating_update(request, rating_id: int, payload: RatingChangeIn):
    rating = Rating.objects.select_related("invitation").filter(pk=rating_id).first()
    if rating is None:
        raise NotFound(_("No such rating."))
    rating = services.rating_change(
        actor=request.auth, rating=rating, level=payload.level, comment=payload.comment
    )
    return rating_body(rating)


@router.post("/by-link", auth=None, response={201: RatingOut})
def rating_by_link(request, payload: LinkRatingIn):
    """Rate through the one-time link of the notice, without signing in."""
    invitation = services.invitation_for_token(payload.token)
    rating = services.rating_give(
        actor=None,
        invitation=invitation,
        level=payload.level,
        channel="link",
        comment=payload.comment,
        callback_consent=payload.callback_consent,
        callback_phone=payload.callback_phone,
        token=payload.token,
    )
    return Status(201, rating_body(rating))


@router.get("/rectifications", response=list[RectificationDetailOut])
def rectification_list(request, status: str | None = None):
    rows = selectors.rectifications_for(request.auth)
    if status:
        rows = rows.filter(status=status)
    return [rectification_body(row) for row in rows[:500]]


STEPS = {
    "verify": lambda actor, row, body: steps.rectification_verify(
        actor=actor, rectification=row, genuine=body.genuine, reason=body.reason
    ),
    "call_back": lambda actor, row, body: steps.rectification_record_callback(
        actor=actor, rectification=row, note=body.note
    ),
    "fix": lambda actor, row, body: steps.rectification_record_fix(
        actor=actor, rectification=row, note=body.note
    ),
    "close": lambda actor, row, body: steps.rectification_close(
        actor=actor, rectification=row, note=body.note
    ),
}


@router.post("/rectifications/{rectification_id}/actions/{action}", response=RectificationDetailOut)
def rectification_act(
    request,
    rectification_id: int,
    action: Literal["verify", "call_back", "fix", "close"],
    payload: StepIn,
):
    row = selectors.access_rectification(user=request.auth, rectification_id=rectification_id)
    return rectification_body(STEPS[action](request.auth, row, payload))


@public_router.get("/rating-figures", auth=None, response=list[FigureOut])
@operation_reads_from_replica
def rating_figures(
    request,
    group_by: Literal["department", "item", "window", "month"] = "department",
    date_from: datetime.date | None = FROM,
    date_to: datetime.date | None = TO,
):
    """Satisfaction, bad ratings and rectification on time, as figures (never comments)."""
    return selectors.rating_figures(group_by=group_by, date_from=date_from, date_to=date_to)
