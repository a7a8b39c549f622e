"""Disclosure pages: public records, feed and policy pages; the staff queue and policy desk."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from yiwang import clock
from yiwang.disclosure import policies, selectors, services
from yiwang.disclosure.models import PolicyDocument, Publication
from yiwang.disclosure.rules import FAIR_COMPETITION_STANDARDS
from yiwang.errors import DomainError, invalid_field
from yiwang.permissions import Action, may, require
from yiwang.replica import reads_from_replica

DATE_RULE = _("Give a date as YYYY-MM-DD.")


def _say(request, error: DomainError) -> None:
    text = str(error.message)
    if error.fields:
        text += " " + "；".join(f"{name}: {message}" for name, message in error.fields.items())
    messages.error(request, text)


def _date(request, name: str) -> datetime.date | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise invalid_field(name, DATE_RULE, code="date") from error


@reads_from_replica
def records(request):
    """Public search by name, code, item and decision date."""
    filters = {
        "kind": request.GET.get("kind", "") or None,
        "q": request.GET.get("q", ""),
        "item": request.GET.get("item", ""),
        "date_from": _date(request, "from"),
        "date_to": _date(request, "to"),
    }
    if filters["kind"] not in (None, *Publication.Kind.values):
        filters["kind"] = None
    page = Paginator(selectors.public_records(**filters), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "disclosure/records.html",
        {
            "page": page,
            "filters": filters,
            "kinds": Publication.Kind.choices,
            "query": request.GET.urlencode(),
        },
    )


@reads_from_replica
def record(request, publication_id: int):
    return render(
        request, "disclosure/record.html", {"record": selectors.public_record(publication_id)}
    )


@reads_from_replica
def policy_list(request):
    rows = selectors.public_policies(
        q=request.GET.get("q", ""), status=request.GET.get("status", "")
    )
    return render(
        request,
        "disclosure/policies.html",
        {"rows": rows[:200], "statuses": PolicyDocument.Status.choices[1:]},
    )


@reads_from_replica
def policy_page(request, document_id: int):
    """The document and its interpretation side by side, with its status."""
    document = selectors.public_policy(document_id)
    interpretation = getattr(document, "interpretation", None)
    if interpretation is not None and interpretation.published_on is None:
        interpretation = None
    return render(
        request,
        "disclosure/policy.html",
        {"document": document, "interpretation": interpretation},
    )


@login_required
def queue(request):
    require(request.user, Action.DISCLOSURE_VIEW_QUEUE)
    rows = selectors.publication_queue_for(request.user)
    status = request.GET.get("status", "queued")
    if status in Publication.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "disclosure/queue.html",
        {
            "page": page,
            "rows": [(row, services.publication_reading(row)) for row in page],
            "status": status,
            "statuses": Publication.Status.choices,
        },
    )


@login_required
@require_POST
def queue_act(request, publication_id: int, action: str):
    try:
        if action == "publish":
            row = selectors.access_publication(
                user=request.user, publication_id=publication_id, action=Action.DISCLOSURE_PUBLISH
            )
            services.publication_publish(actor=request.user, publication=row)
            messages.success(request, _("The record is published."))
        elif action == "withdraw":
            row = selectors.access_publication(
                user=request.user, publication_id=publication_id, action=Action.DISCLOSURE_WITHDRAW
            )
            services.publication_withdraw(
                actor=request.user, publication=row, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The record is withdrawn; the note stays public."))
    except DomainError as error:
        _say(request, error)
    return redirect(request.POST.get("next") or "disclosure:queue")


@login_required
def policy_desk(request):
    """The drafting office's documents, a new draft, and the yearly list due for assessment."""
    require(request.user, Action.POLICY_DRAFT)
    if request.method == "POST":
        try:
            document = policies.policy_draft(
                actor=request.user,
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
                document_number=request.POST.get("document_number", ""),
                touches_market=request.POST.get("touches_market") == "on",
                attachments=request.FILES.getlist("attachments"),
            )
            return redirect("disclosure:policy-edit", document_id=document.pk)
        except DomainError as error:
            _say(request, error)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else clock.today().year
    mine = selectors.policies_for(request.user)
    return render(
        request,
        "disclosure/policy_desk.html",
        {
            "rows": mine[:200],
            "year": year,
            "due": policies.documents_due_for_assessment(year=year).filter(
                pk__in=mine.values("pk")
            ),
            "overdue": policies.interpretations_overdue().filter(pk__in=mine.values("pk")),
        },
    )


def _policy_step(request, document: PolicyDocument) -> None:
    step = request.POST.get("step", "")
    if step == "review":
        checklist = {
            code: request.POST.get(f"standard_{code}") == "yes"
            if request.POST.get(f"standard_{code}") in ("yes", "no")
            else None
            for code in FAIR_COMPETITION_STANDARDS
        }
        policies.policy_review(
            actor=request.user,
            document=document,
            checklist=checklist,
            conclusion=request.POST.get("conclusion", ""),
        )
    elif step == "interpret":
        policies.policy_interpret(
            actor=request.user, document=document, text=request.POST.get("interpretation", "")
        )
    elif step == "publish":
        policies.policy_publish(actor=request.user, document=document)
    elif step == "assess":
        amended = request.POST.get("amended_by", "")
        policies.policy_assess(
            actor=request.user,
            document=document,
            year=int(request.POST.get("year") or clock.today().year),
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
            amended_by=PolicyDocument.objects.filter(pk=amended).first()
            if amended.isdigit()
            else None,
        )


@login_required
def policy_edit(request, document_id: int):
    document = selectors.access_policy(
        user=request.user, document_id=document_id, action=Action.POLICY_DRAFT
    )
    if request.method == "POST":
        try:
            _policy_step(request, document)
            messages.success(request, _("Recorded."))
        except DomainError as error:
            _say(request, error)
        return redirect("disclosure:policy-edit", document_id=document.pk)
    return render(
        request,
        "disclosure/policy_edit.html",
        {
            "document": document,
            "review": getattr(document, "fair_competition_review", None),
            "interpretation": getattr(document, "interpretation", None),
            "standards": FAIR_COMPETITION_STANDARDS.items(),
            "may_publish": may(request.user, Action.POLICY_PUBLISH, document),
            "may_assess": may(request.user, Action.POLICY_ASSESS, document),
            "year": clock.today().year,
        },
    )
