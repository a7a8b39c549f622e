"""Credit pages: the public grade lookup and lists, the entity's own credit page in the portal
(objection and repair), and the workbench's entity page and desk of objections and repairs.
Views parse, call one service or selector, and render; a refused request changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang import clock
from yiwang.credit import selectors
from yiwang.credit.grading import (
    grade_explained,
    scorecard_activate,
    scorecard_in_force,
    scorecard_preview,
)
from yiwang.credit.objections import objection_answer, objection_file, repair_apply, repair_decide
from yiwang.credit.rules import FACT_KINDS, GRADES, LIST_MEASURES, SEVERITIES
from yiwang.errors import DomainError
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, may, require, scope_of


def _refused(request, error: DomainError) -> None:
    text = str(error.message)
    if error.fields:
        text += " " + "；".join(f"{name}: {message}" for name, message in error.fields.items())
    messages.error(request, text)


# Public ----------------------------------------------------------------------------------


def lookup(request):
    query = request.GET.get("q", "").strip()
    results = list(selectors.public_search(query=query)) if query else []
    return render(request, "credit/lookup.html", {"query": query, "results": results})


def public_entity(request, code: str):
    applicant = selectors.public_entity(code=code)
    return render(
        request,
        "credit/public.html",
        {
            "applicant": applicant,
            "standing": selectors.standing_of(applicant),
            "card": scorecard_in_force(),
            "lists": selectors.lists_of(applicant),
            "history": selectors.grade_history(applicant)[:20],
        },
    )


def public_list(request, list_kind: str):
    if list_kind not in LIST_MEASURES:
        raise Http404
    return render(
        request,
        "credit/list.html",
        {
            "list_kind": list_kind,
            "entries": selectors.public_list(list_kind=list_kind),
            "measures": LIST_MEASURES[list_kind],
        },
    )


# Portal ----------------------------------------------------------------------------------


@login_required
def mine(request):
    """The applicant's own credit: each represented entity's grade, facts, objections, repairs."""
    ids = scope_of(request.user).applicant_ids
    entities = []
    for applicant in Applicant.objects.filter(pk__in=ids).exclude(kind="person").order_by("name"):
        entities.append(
            {
                "applicant": applicant,
                "facts": selectors.facts_of(applicant),
                "why": grade_explained(applicant),
                "lists": selectors.lists_of(applicant),
            }
        )
    return render(request, "credit/mine.html", {"entities": entities, "today": clock.today()})


@login_required
@require_POST
def object_to(request, fact_id: int):
    try:
        objection = objection_file(
            actor=request.user, fact_id=fact_id, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Your objection was filed; the department answers by %(day)s.")
            % {"day": objection.answer_due.isoformat()},
        )
    return redirect("credit:mine")


@login_required
@require_POST
def repair(request, fact_id: int):
    try:
        application = repair_apply(
            actor=request.user,
            fact_id=fact_id,
            statement=request.POST.get("statement", ""),
            evidence=request.POST.get("evidence", ""),
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Your repair application was filed; it is decided by %(day)s.")
            % {"day": application.decision_due.isoformat()},
        )
    return redirect("credit:mine")


# Workbench -------------------------------------------------------------------------------


@login_required
def entity(request, applicant_id: int):
    """Staff read an entity's credit: facts, grade history, and why this grade."""
    applicant = selectors.access_entity(user=request.user, applicant_id=applicant_id)
    require(request.user, Action.WORKBENCH_ENTER)
    return render(
        request,
        "credit/entity.html",
        {
            "applicant": applicant,
            "facts": selectors.facts_of(applicant),
            "why": grade_explained(applicant),
            "standing": selectors.standing_of(applicant),
            "card": scorecard_in_force(),
            "history": selectors.grade_history(applicant),
            "lists": selectors.lists_of(applicant),
        },
    )


@login_required
def desk(request):
    """The department's objections to answer and repairs to decide, nearest due first."""
    require(request.user, Action.WORKBENCH_ENTER)
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "credit/desk.html",
        {
            "objections": selectors.objections_to_answer(request.user),
            "repairs": selectors.repairs_to_decide(request.user),
            "query": query,
            "found": list(selectors.public_search(query=query)) if query else [],
            "may_edit_scorecards": may(request.user, Action.CREDIT_SCORECARD),
        },
    )


@login_required
@require_POST
def answer(request, objection_id: int):
    try:
        objection_answer(
            actor=request.user,
            objection_id=objection_id,
            upheld=request.POST.get("upheld") == "yes",
            answer=request.POST.get("answer", ""),
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The objection was answered."))
    return redirect("credit:desk")


@login_required
@require_POST
def decide(request, repair_id: int):
    try:
        repair_decide(
            actor=request.user,
            repair_id=repair_id,
            grant=request.POST.get("grant") == "yes",
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The repair was decided."))
    return redirect("credit:desk")


# Score cards -----------------------------------------------------------------------------


@login_required
def scorecards(request):
    """The score cards (评分卡): the one in force and the drafts a leader may preview."""
    require(request.user, Action.CREDIT_SCORECARD)
    return render(
        request, "credit/scorecards.html", {"cards": selectors.scorecards_with_indicators()}
    )


@login_required
def scorecard(request, version: int):
    """One card: its thresholds and indicators, and for a draft the grade-move matrix of its
    last preview with the button that puts it in force."""
    require(request.user, Action.CREDIT_SCORECARD)
    card = selectors.scorecard_with_indicators(version=version)
    return render(
        request,
        "credit/scorecard.html",
        {
            "card": card,
            "in_force": scorecard_in_force(),
            "matrix": preview_rows(card.preview),
            "fact_kinds": FACT_KINDS,
            "severities": SEVERITIES,
        },
    )


def preview_rows(preview: dict) -> list[dict]:
    """The preview's matrix as table rows: from each grade, the count moving to each grade."""
    matrix = preview.get("matrix") or {}
    return [
        {
            "grade": old,
            "cells": [
                {"grade": new, "count": matrix.get(old, {}).get(new, 0), "moves": old != new}
                for new in GRADES
            ],
            "total": sum(matrix.get(old, {}).values()),
        }
        for old in GRADES
    ]


@login_required
@require_POST
def scorecard_preview_page(request, version: int):
    require(request.user, Action.CREDIT_SCORECARD)
    card = selectors.scorecard_with_indicators(version=version)
    try:
        result = scorecard_preview(actor=request.user, card=card)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Previewed: %(moving)s of %(graded)s entities would change grade.")
            % {"moving": result["moving"], "graded": result["graded"]},
        )
    return redirect("credit:scorecard", version=version)


@login_required
@require_POST
def scorecard_activate_page(request, version: int):
    require(request.user, Action.CREDIT_SCORECARD)
    card = selectors.scorecard_with_indicators(version=version)
    if request.POST.get("confirm") != "yes":
        messages.error(
            request,
            _("confirm: tick the box to confirm the grade changes, then put the card in force."),
        )
        return redirect("credit:scorecard", version=version)
    try:
        result = scorecard_activate(actor=request.user, card=card)
    except DomainError as error:
        _refused(request, error)
    else:
        moves = "，".join(f"{move}: {count}" for move, count in result["moves"].items())
        messages.success(
            request,
            _(
                "Score card v%(version)s is in force: %(changed)s entities changed grade "
                "(%(moves)s)."
            )
            % {"version": result["version"], "changed": result["changed"], "moves": moves or "—"},
        )
    return redirect("credit:scorecard", version=version)
