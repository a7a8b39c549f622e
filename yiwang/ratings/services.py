"""Every write of 好差评: invitations (from events), ratings, changes, rectification steps.

Each function is one transaction with one audit record (stream `rating:<invitation pk>`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.cases.models import Case
from yiwang.cases.notifications import notify_applicant
from yiwang.errors import Conflict, NotFound, PermissionRefused, invalid_field
from yiwang.events import publish
from yiwang.permissions import Action, refusal, require, scope_of
from yiwang.ratings import rules
from yiwang.ratings.models import (
    Rating,
    RatingChannel,
    RatingInvitation,
    Rectification,
    SubjectKind,
)
from yiwang.ratings.tokens import new_token, token_hash
from yiwang.workdays.calendar import add_working_days

LEVEL_RULE = _("Give a level from 1 (very dissatisfied) to 5 (very satisfied).")
WINDOW_RULE = _("This can no longer be rated: ratings are taken until %(until)s.")
TWICE_RULE = _("This is already rated; change the rating instead (within %(days)s working days).")
CHANGE_RULE = _("A rating can be changed only until %(until)s.")
NOT_YOURS_RULE = _("You may rate only your own cases and tickets.")
NOT_RATER_RULE = _("Only the rater may change a rating.")
TOKEN_RULE = _("This rating link is not valid.")
TOKEN_USED_RULE = _("This rating link has already been used.")
TOKEN_EXPIRED_RULE = _("This rating link expired on %(until)s.")
CHANNEL_RULE = _("Choose a channel: portal, window or phone.")
REASON_RULE = _("Give the reasons.")
NOTE_RULE = _("Describe what was done.")
GENUINE_RULE = _("Say whether the bad rating is genuine.")
STEP_RULE = _("This rectification is %(status)s; the next step is %(next)s.")

INVITATION_SUBJECT = _("Please rate how application %(number)s was handled")
INVITATION_BODY = _(
    "Rate the handling of application %(number)s (非常满意 … 非常不满意) until %(until)s: "
    "%(link)s — the link works once."
)


def _stream(invitation: RatingInvitation) -> str:
    return f"rating:{invitation.pk}"


# Invitations -----------------------------------------------------------------------------


def invitation_open(
    *,
    subject_kind: str,
    subject_id: int,
    number: str,
    opened_on: datetime.date,
    applicant_id: int | None = None,
    department_id: int | None = None,
    region_code: str = "",
    item_code: str = "",
    item_name: str = "",
    service_channel: str = "",
) -> tuple[RatingInvitation, str | None]:
    """Open a case or ticket for rating, once; returns the invitation and, when new, its token."""
    token = new_token()
    with transaction.atomic():
        invitation, created = RatingInvitation.objects.get_or_create(
            subject_kind=subject_kind,
            subject_id=subject_id,
            defaults={
                "number": number,
                "applicant_id": applicant_id,
                "department_id": department_id,
                "region_code": region_code,
                "item_code": item_code,
                "item_name": item_name,
                "service_channel": service_channel,
                "opened_on": opened_on,
                "rate_until": add_working_days(opened_on, rules.RATE_WITHIN_WORKING_DAYS)[0],
                "token_hash": token_hash(token),
            },
        )
        if not created:
            return invitation, None
        audit_record(
            actor=None,
            action="rating.invite",
            obj=invitation,
            stream=_stream(invitation),
            after={"number": number, "rate_until": invitation.rate_until},
        )
        if (
            subject_kind == SubjectKind.CASE
            and applicant_id
            and Case.objects.filter(pk=subject_id).exists()
        ):
            _notify_case_applicant(invitation, token)
    return invitation, token


def rating_link(token: str) -> str:
    return f"{settings.PUBLIC_URL}/rate/{token}/"


def _notify_case_applicant(invitation: RatingInvitation, token: str) -> None:
    """The notice with the one-time link, in the applicant's portal inbox (the case's inbox),
    sent by the configured senders after commit."""
    values = {
        "number": invitation.number,
        "until": invitation.rate_until.isoformat(),
        "link": rating_link(token),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(INVITATION_SUBJECT % values)
        body = str(INVITATION_BODY % values)
    notify_applicant(
        case_id=invitation.subject_id,
        applicant_id=invitation.applicant_id,
        kind="rating_invitation",
        subject=subject,
        body=body,
    )


def invitation_for_token(token: str) -> RatingInvitation:
    """The invitation a link names, if the link is unused and not expired (else a 4xx)."""
    invitation = (
        RatingInvitation.objects.filter(token_hash=token_hash(token or ""))
        .select_related("department")
        .first()
    )
    if invitation is None:
        raise NotFound(TOKEN_RULE, code="rating_link_invalid")
    if invitation.token_used_at is not None or hasattr(invitation, "rating"):
        raise Conflict(TOKEN_USED_RULE, code="rating_link_used")
    if clock.today() > invitation.rate_until:
        raise Conflict(
            TOKEN_EXPIRED_RULE % {"until": invitation.rate_until.isoformat()},
            code="rating_link_expired",
        )
    return invitation


def invitation_reissue_token(*, actor: Any, invitation: RatingInvitation) -> str:
    """A new link for an unrated invitation (the old one stops working)."""
    require(actor, Action.RATING_ENTER, invitation)
    if hasattr(invitation, "rating"):
        raise Conflict(TWICE_RULE % {"days": rules.CHANGE_WORKING_DAYS}, code="already_rated")
    token = new_token()
    with transaction.atomic():
        RatingInvitation.objects.filter(pk=invitation.pk).update(
            token_hash=token_hash(token), token_used_at=None
        )
        audit_record(
            actor=actor, action="rating.reissue_link", obj=invitation, stream=_stream(invitation)
        )
    return token


# Ratings ---------------------------------------------------------------------------------


def _check_level(level: Any) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or level not in rules.LEVELS:
        raise invalid_field("level", LEVEL_RULE, code="level_out_of_range")
    return level


def _check_open(invitation: RatingInvitation, today: datetime.date) -> None:
    if today > invitation.rate_until:
        raise Conflict(
            WINDOW_RULE % {"until": invitation.rate_until.isoformat()}, code="rating_window_closed"
        )


def _authorise_rater(actor: Any, invitation: RatingInvitation, channel: str) -> None:
    if channel == RatingChannel.PORTAL:
        if invitation.applicant_id not in scope_of(actor).applicant_ids:
            raise PermissionRefused(NOT_YOURS_RULE, code="not_your_case")
    elif channel in (RatingChannel.WINDOW, RatingChannel.PHONE):
        require(actor, Action.RATING_ENTER, invitation)
    elif channel != RatingChannel.LINK:
        raise invalid_field("channel", CHANNEL_RULE, code="channel_unknown")


def rating_give(
    *,
    actor: Any,
    invitation: RatingInvitation,
    level: Any,
    channel: str,
    comment: str = "",
    callback_consent: bool = False,
    callback_phone: str = "",
    token: str | None = None,
) -> Rating:
    """Record the one rating of a case or ticket; a level of 1 or 2 opens a rectification.

    `channel` "link" needs the invitation's unused `token` and no login; "portal" needs the
    applicant's own account; "window" and "phone" are entered by staff for the applicant.
    """
    level = _check_level(level)
    _authorise_rater(actor, invitation, channel)
    today = clock.today()
    now = clock.now()
    with transaction.atomic():
        locked = RatingInvitation.objects.select_for_update().get(pk=invitation.pk)
        if channel == RatingChannel.LINK:
            if token is None or locked.token_hash != token_hash(token):
                raise NotFound(TOKEN_RULE, code="rating_link_invalid")
            if locked.token_used_at is not None:
                raise Conflict(TOKEN_USED_RULE, code="rating_link_used")
        if Rating.objects.filter(invitation=locked).exists():
            raise Conflict(TWICE_RULE % {"days": rules.CHANGE_WORKING_DAYS}, code="already_rated")
        _check_open(locked, today)
        is_person = getattr(actor, "is_authenticated", False)
        staff_entry = channel in (RatingChannel.WINDOW, RatingChannel.PHONE)
        try:
            rating = Rating.objects.create(
                invitation=locked,
                level=level,
                comment=comment.strip(),
                channel=channel,
                rated_at=now,
                rated_on=today,
                change_until=add_working_days(today, rules.CHANGE_WORKING_DAYS)[0],
                callback_consent=bool(callback_consent),
                callback_phone=callback_phone.strip() if callback_consent else "",
                rater=actor if is_person and not staff_entry else None,
                entered_by=actor if staff_entry else None,
            )
        except IntegrityError as error:
            raise Conflict(
                TWICE_RULE % {"days": rules.CHANGE_WORKING_DAYS}, code="already_rated"
            ) from error
        if channel == RatingChannel.LINK:
            RatingInvitation.objects.filter(pk=locked.pk).update(token_used_at=now)
        if level in rules.BAD_LEVELS:
            _open_rectification(rating, today)
        audit_record(
            actor=actor if is_person else None,
            action="rating.give",
            obj=rating,
            stream=_stream(locked),
            after={"level": level, "channel": channel},
        )
        publish(
            "rating.given",
            payload={
                "rating_id": rating.pk,
                "subject_kind": locked.subject_kind,
                "subject_id": locked.subject_id,
                "level": level,
                "department_id": locked.department_id,
            },
            actor=actor if is_person else None,
            subject=rating,
        )
    return rating


def _open_rectification(rating: Rating, today: datetime.date) -> Rectification:
    rectification, _created = Rectification.objects.get_or_create(
        rating=rating,
        defaults={
            "status": Rectification.Status.OPEN,
            "opened_on": today,
            "due": add_working_days(today, rules.RECTIFY_WORKING_DAYS)[0],
        },
    )
    return rectification


def _may_change(actor: Any, rating: Rating) -> bool:
    if rating.rater_id is not None:
        return getattr(actor, "pk", None) == rating.rater_id
    owner = rating.invitation.applicant_id
    return owner is not None and owner in scope_of(actor).applicant_ids


def rating_change(*, actor: Any, rating: Rating, level: Any, comment: str | None = None) -> Rating:
    """Change a rating within 10 working days; a change to 1 or 2 opens a rectification."""
    level = _check_level(level)
    if not _may_change(actor, rating):
        raise refusal(actor, rating, NOT_RATER_RULE, code="not_the_rater")
    today = clock.today()
    if today > rating.change_until:
        raise Conflict(
            CHANGE_RULE % {"until": rating.change_until.isoformat()}, code="change_window_closed"
        )
    with transaction.atomic():
        locked = Rating.objects.select_for_update().get(pk=rating.pk)
        before = {"level": locked.level, "comment": locked.comment}
        locked.level = level
        if comment is not None:
            locked.comment = comment.strip()
        locked.changed_at = clock.now()
        locked.save(update_fields=["level", "comment", "changed_at"])
        if level in rules.BAD_LEVELS:
            _open_rectification(locked, today)
        audit_record(
            actor=actor,
            action="rating.change",
            obj=locked,
            stream=_stream(locked.invitation),
            before=before,
            after={"level": level, "comment": locked.comment},
        )
    return locked


def rating_from_hotline(
    *,
    ticket_id: int,
    number: str,
    level: int,
    comment: str,
    department_id: int | None,
    rated_on: datetime.date,
) -> Rating:
    """A ticket's reporter rated it in the complaints service: count it and rectify it alike."""
    level = _check_level(level)
    invitation, _token = invitation_open(
        subject_kind=SubjectKind.TICKET,
        subject_id=ticket_id,
        number=number,
        opened_on=rated_on,
        department_id=department_id,
    )
    with transaction.atomic():
        existing = Rating.objects.filter(invitation=invitation).first()
        if existing is not None:
            return existing
        moment = clock.now()
        rating = Rating.objects.create(
            invitation=invitation,
            level=level,
            comment=(comment or "").strip(),
            channel=RatingChannel.HOTLINE,
            rated_at=moment,
            rated_on=rated_on,
            change_until=add_working_days(rated_on, rules.CHANGE_WORKING_DAYS)[0],
        )
        if level in rules.BAD_LEVELS:
            _open_rectification(rating, rated_on)
        audit_record(
            actor=None,
            action="rating.from_hotline",
            obj=rating,
            stream=_stream(invitation),
            after={"level": level},
        )
    return rating
