"""Enterprise-service pages: the enterprise's lists and front services (portal), the
secretary's page (overdue entries, enterprises, requests to assign), the expert's page.
Views parse, call one service or selector, and render; a refusal shows its message."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.cases.models import StoredFile
from yiwang.cases.services import file_store
from yiwang.enterprise import front, selectors, services
from yiwang.enterprise.models import (
    Advice,
    EntryStatus,
    FrontServiceOffer,
    ListKind,
    RequestStatus,
    ServiceKind,
)
from yiwang.errors import DomainError
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, may, require, scope_of


def _refused(request, error: DomainError) -> None:
    text = str(error.message)
    if error.fields:
        text += " " + "；".join(str(message) for message in error.fields.values())
    messages.error(request, text)


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _int(value: str) -> int | None:
    return int(value) if (value or "").strip().isdigit() else None


# Portal -----------------------------------------------------------------------------------


@login_required
def portal(request):
    """The enterprise's three lists, its secretary, and its front services."""
    applicants = Applicant.objects.filter(
        pk__in=sorted(scope_of(request.user).applicant_ids)
    ).select_related("region")
    sections = [
        {
            "applicant": applicant,
            "secretary": services.current_secretary(applicant.pk),
            "lists": [
                (ListKind(kind).label, entries)
                for kind, entries in selectors.three_lists(applicant).items()
            ],
        }
        for applicant in applicants
    ]
    offers = FrontServiceOffer.objects.select_related("item").order_by("item__code", "kind")
    return render(
        request,
        "enterprise/portal.html",
        {
            "sections": sections,
            "applicants": applicants,
            "offer_items": sorted({(offer.item.code, str(offer.item)) for offer in offers}),
            "kinds": ServiceKind.choices,
            "item_code": request.GET.get("item_code", ""),
            "requests": selectors.front_requests_visible(request.user).filter(
                applicant__in=applicants
            ),
        },
    )


@login_required
@require_POST
def problem_report(request, applicant_id: int):
    try:
        services.problem_report(
            actor=request.user,
            applicant_id=applicant_id,
            title=request.POST.get("title", ""),
            notes=request.POST.get("notes", ""),
        )
        messages.success(request, _("Your problem is on the list; your secretary answers it."))
    except DomainError as error:
        _refused(request, error)
    return redirect("enterprise:portal")


@login_required
@require_POST
def front_service_request(request):
    try:
        front.front_service_request(
            actor=request.user,
            applicant_id=_int(request.POST.get("applicant_id")) or 0,
            item_code=request.POST.get("item_code", ""),
            kind=request.POST.get("kind", ""),
            description=request.POST.get("description", ""),
        )
        messages.success(request, _("Request sent; a coordinator assigns an expert."))
    except DomainError as error:
        _refused(request, error)
    return redirect("enterprise:portal")


# Secretary --------------------------------------------------------------------------------


@login_required
def secretary(request):
    require(request.user, Action.ENTERPRISE_LISTS_EDIT)
    return render(
        request,
        "enterprise/secretary.html",
        {
            "overdue": selectors.entries_overdue_for(request.user),
            "enterprises": selectors.enterprises_of_secretary(request.user),
            "waiting": selectors.front_requests_visible(request.user).filter(
                status=RequestStatus.REQUESTED
            ),
            "experts": selectors.experts_active(),
            "kinds": ListKind.choices,
            "statuses": EntryStatus.choices,
            "may_coordinate": may(request.user, Action.FRONT_SERVICE_COORDINATE),
        },
    )


@login_required
def enterprise_lists(request, applicant_id: int):
    applicant = selectors.access_enterprise(user=request.user, applicant_id=applicant_id)
    return render(
        request,
        "enterprise/lists.html",
        {
            "applicant": applicant,
            "history": selectors.secretary_history(applicant),
            "lists": [
                (ListKind(kind).label, entries)
                for kind, entries in selectors.three_lists(applicant).items()
            ],
            "kinds": ListKind.choices,
            "statuses": EntryStatus.choices,
            "may_edit": may(request.user, Action.ENTERPRISE_LISTS_EDIT, applicant),
        },
    )


@login_required
@require_POST
def entry_add(request, applicant_id: int):
    try:
        services.list_entry_add(
            actor=request.user,
            applicant_id=applicant_id,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            owner_id=_int(request.POST.get("owner_id")),
            due_on=_date(request.POST.get("due_on")),
            notes=request.POST.get("notes", ""),
        )
        messages.success(request, _("Entry added."))
    except DomainError as error:
        _refused(request, error)
    return redirect("enterprise:lists", applicant_id=applicant_id)


@login_required
@require_POST
def entry_update(request, entry_id: int):
    try:
        entry = services.list_entry_update(
            actor=request.user,
            entry_id=entry_id,
            status=request.POST.get("status") or None,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Entry updated."))
        return redirect("enterprise:lists", applicant_id=entry.applicant_id)
    except DomainError as error:
        _refused(request, error)
    return redirect("enterprise:secretary")


@login_required
@require_POST
def assign_expert(request, request_id: int):
    try:
        front.front_service_assign(
            actor=request.user,
            request_id=request_id,
            expert_id=_int(request.POST.get("expert_id")) or 0,
        )
        messages.success(request, _("Expert assigned."))
    except DomainError as error:
        _refused(request, error)
    return redirect("enterprise:secretary")


# Expert -----------------------------------------------------------------------------------


@login_required
def expert(request):
    if not hasattr(request.user, "expert"):
        raise Http404
    return render(
        request, "enterprise/expert.html", {"requests": selectors.requests_of_expert(request.user)}
    )


@login_required
@require_POST
def advise(request, request_id: int):
    try:
        with transaction.atomic():  # a refused advice keeps none of its files
            stored = [
                file_store(actor=request.user, upload=upload)
                for upload in request.FILES.getlist("files")
            ]
            front.front_service_advise(
                actor=request.user,
                request_id=request_id,
                text=request.POST.get("text", ""),
                files=stored,
            )
        messages.success(request, _("Advice recorded."))
    except DomainError as error:
        _refused(request, error)
    return redirect("enterprise:expert")


@login_required
def advice_file(request, advice_id: int, file_id: int):
    """A marked-up file, for whoever may read the request (or the case it is tied to)."""
    advice = Advice.objects.filter(pk=advice_id, files__pk=file_id).first()
    if advice is None:
        raise Http404
    selectors.access_front_request(user=request.user, request_id=advice.request_id)
    stored = StoredFile.objects.get(pk=file_id)
    return FileResponse(
        stored.content.open("rb"), filename=stored.original_name, content_type=stored.content_type
    )
