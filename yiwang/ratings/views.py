"""好差评 pages: the no-login link page, the portal list, the window's rating pad, the phone
operator's entry, the workbench (ratings with comments, rectifications) and public figures."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from yiwang.errors import DomainError, InvalidInput, NotFound, invalid_field
from yiwang.permissions import Action, require
from yiwang.ratings import rectifications as steps
from yiwang.ratings import selectors, services
from yiwang.ratings.models import RatingChannel, RatingInvitation, SubjectKind
from yiwang.ratings.rules import LEVELS

CASE_NUMBER_RULE = _("No decided case or replied ticket has this number.")


def _say(request, error: DomainError) -> None:
    text = str(error.message)
    if error.fields:
        text += " " + "；".join(f"{name}: {message}" for name, message in error.fields.items())
    messages.error(request, text)


def _level(request) -> int:
    raw = request.POST.get("level", "")
    if not raw.isdigit():
        raise invalid_field("level", services.LEVEL_RULE, code="level_out_of_range")
    return int(raw)


def _levels():
    return sorted(LEVELS.items(), reverse=True)


def rate_by_link(request, token: str):
    """The page of the notice's one-time link: works without signing in, once."""
    try:
        invitation = services.invitation_for_token(token)
    except DomainError as error:
        return render(request, "ratings/link_gone.html", {"error": error}, status=error.status)
    if request.method == "POST":
        try:
            rating = services.rating_give(
                actor=None,
                invitation=invitation,
                level=_level(request),
                channel=RatingChannel.LINK,
                comment=request.POST.get("comment", ""),
                callback_consent=request.POST.get("callback_consent") == "on",
                callback_phone=request.POST.get("callback_phone", ""),
                token=token,
            )
        except DomainError as error:
            _say(request, error)
        else:
            return render(request, "ratings/thanks.html", {"rating": rating})
    return render(
        request, "ratings/rate.html", {"invitation": invitation, "levels": _levels(), "link": True}
    )


@login_required
def my_ratings(request):
    return render(
        request,
        "ratings/my_ratings.html",
        {
            "invitations": selectors.invitations_of_applicant(request.user)[:200],
            "levels": _levels(),
        },
    )


@login_required
@require_POST
def my_rate(request, invitation_id: int):
    invitation = RatingInvitation.objects.filter(pk=invitation_id).first()
    try:
        if invitation is None:
            raise NotFound(CASE_NUMBER_RULE)
        rating = getattr(invitation, "rating", None)
        if rating is None:
            services.rating_give(
                actor=request.user,
                invitation=invitation,
                level=_level(request),
                channel=RatingChannel.PORTAL,
                comment=request.POST.get("comment", ""),
                callback_consent=request.POST.get("callback_consent") == "on",
                callback_phone=request.POST.get("callback_phone", ""),
            )
        else:
            services.rating_change(
                actor=request.user,
                rating=rating,
                level=_level(request),
                comment=request.POST.get("comment", ""),
            )
        messages.success(request, _("Thank you: your rating is recorded."))
    except DomainError as error:
        _say(request, error)
    return redirect("ratings:mine")


def _invitation_by_number(number: str) -> RatingInvitation:
    invitation = RatingInvitation.objects.filter(number=number.strip()).first()
    if invitation is None:
        raise invalid_field("number", CASE_NUMBER_RULE, code="not_rateable")
    return invitation


@login_required
def staff_entry(request, channel: str):
    """The rating pad (window, the clerk's second screen) and the phone operator's entry."""
    require(request.user, Action.RATING_ENTER)
    if channel not in (RatingChannel.WINDOW, RatingChannel.PHONE):
        raise InvalidInput(services.CHANNEL_RULE, fields={"channel": services.CHANNEL_RULE})
    number = (request.POST.get("number") or request.GET.get("number") or "").strip()
    invitation = None
    if number:
        try:
            invitation = _invitation_by_number(number)
        except DomainError as error:
            _say(request, error)
    if request.method == "POST" and invitation is not None and "level" in request.POST:
        try:
            services.rating_give(
                actor=request.user,
                invitation=invitation,
                level=_level(request),
                channel=channel,
                comment=request.POST.get("comment", ""),
                callback_consent=request.POST.get("callback_consent") == "on",
                callback_phone=request.POST.get("callback_phone", ""),
            )
            messages.success(request, _("Thank you: the rating is recorded."))
            return redirect("ratings:entry", channel=channel)
        except DomainError as error:
            _say(request, error)
    return render(
        request,
        "ratings/pad.html",
        {
            "channel": channel,
            "number": number,
            "invitation": invitation,
            "levels": _levels(),
            "pad": channel == RatingChannel.WINDOW,
        },
    )


def _period(request) -> tuple[datetime.date | None, datetime.date | None]:
    def day(name):
        value = request.GET.get(name, "")
        try:
            return datetime.date.fromisoformat(value) if value else None
        except ValueError as error:
            raise invalid_field(name, _("Give a date as YYYY-MM-DD."), code="date") from error

    return day("from"), day("to")


def figures(request):
    """Public figures: no comments, no raters."""
    date_from, date_to = _period(request)
    group_by = request.GET.get("group_by", "department")
    rows = selectors.rating_figures(group_by=group_by, date_from=date_from, date_to=date_to)
    return render(
        request,
        "ratings/figures.html",
        {
            "rows": rows,
            "group_by": group_by,
            "groups": selectors.GROUPS,
            "from": date_from,
            "to": date_to,
        },
    )


@login_required
def workbench(request):
    """Ratings with comments, the rectification queue and the figures, for the department."""
    require(request.user, Action.RECTIFICATION_HANDLE)
    date_from, date_to = _period(request)
    group_by = request.GET.get("group_by", "department")
    ratings = selectors.ratings_for_staff(request.user)[:100]
    return render(
        request,
        "ratings/workbench.html",
        {
            "ratings": [(rating, selectors.rater_shown(rating)) for rating in ratings],
            "rectifications": [
                (row, steps.rectification_reading(row))
                for row in selectors.rectifications_for(request.user)[:200]
            ],
            "rows": selectors.rating_figures(
                group_by=group_by, date_from=date_from, date_to=date_to
            ),
            "group_by": group_by,
            "groups": selectors.GROUPS,
        },
    )


@login_required
def rectification(request, rectification_id: int):
    row = selectors.access_rectification(user=request.user, rectification_id=rectification_id)
    if request.method == "POST":
        step = request.POST.get("step", "")
        note = request.POST.get("note", "")
        try:
            if step == "verify":
                genuine = {"yes": True, "no": False}.get(request.POST.get("genuine", ""))
                steps.rectification_verify(
                    actor=request.user, rectification=row, genuine=genuine, reason=note
                )
            elif step == "call_back":
                steps.rectification_record_callback(
                    actor=request.user, rectification=row, note=note
                )
            elif step == "fix":
                steps.rectification_record_fix(actor=request.user, rectification=row, note=note)
            elif step == "close":
                steps.rectification_close(actor=request.user, rectification=row, note=note)
            messages.success(request, _("The step is recorded."))
        except DomainError as error:
            _say(request, error)
        return redirect("ratings:rectification", rectification_id=row.pk)
    return render(
        request,
        "ratings/rectification.html",
        {
            "row": row,
            "reading": steps.rectification_reading(row),
            "rater": selectors.rater_shown(row.rating),
            "subject_kinds": SubjectKind,
        },
    )
