"""Licence pages: public verification, the holder's licences on the portal, and the register,
policies, verifications and imports in the workbench. Views parse, call one service or
selector, and render; a refused request shows its message and changes nothing."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.errors import Conflict, DomainError
from yiwang.licences import importing, policies, selectors, services
from yiwang.licences.authenticity import document_authenticity, licence_authenticity
from yiwang.licences.models import Licence, Policy, Status, Verification
from yiwang.licences.verification import verification_decide as decide_verification
from yiwang.permissions import Action, may, require, scope_of
from yiwang.replica import reads_from_replica


def _refused(request, error: DomainError) -> None:
    text = str(error.message)
    if error.fields:
        text += " " + "；".join(f"{name}: {message}" for name, message in error.fields.items())
    messages.error(request, text)


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


# Public ----------------------------------------------------------------------------------


@reads_from_replica
def verify_page(request, number: str):
    """The page a licence's QR code opens."""
    try:
        licence = selectors.public_licence(number)
    except DomainError:
        return render(
            request, "licences/verify.html", {"number": number, "unknown": True}, status=404
        )
    return render(
        request, "licences/verify.html", {"number": number, "check": licence_authenticity(licence)}
    )


@reads_from_replica
def verify_form(request):
    """Verify by number, or by uploading the PDF (a forged or altered one fails)."""
    if request.method == "POST" and request.FILES.get("document"):
        upload = request.FILES["document"]
        check = document_authenticity(upload.read())
        return render(
            request,
            "licences/verify.html",
            {"check": check, "uploaded": True, "number": getattr(check.licence, "number", "")},
        )
    number = request.GET.get("number", "").strip()
    if number:
        return redirect("licences:verify", number=number)
    return render(request, "licences/verify_form.html")


# Portal ----------------------------------------------------------------------------------


@login_required
def my_licences(request):
    licences = selectors.licences_of_holder_user(request.user)
    page = Paginator(licences, 20).get_page(request.GET.get("page"))
    return render(request, "licences/my_licences.html", {"page": page})


def _holder_licence(request, number: str) -> Licence:
    licence = selectors.access_licence(user=request.user, number=number)
    if licence.holder_id not in scope_of(request.user).applicant_ids:
        raise Http404
    return licence


@login_required
def my_licence(request, number: str):
    licence = _holder_licence(request, number)
    return render(
        request,
        "licences/my_licence.html",
        {
            "licence": licence,
            "check": licence_authenticity(licence),
            "history": selectors.licence_history(licence),
            "reminders": licence.reminders.all()[:10],
        },
    )


@login_required
def document(request, number: str):
    licence = selectors.access_licence(user=request.user, number=number)
    if not licence.document:
        raise Conflict(
            _("The e-licence PDF is still being generated; try again in a minute."),
            code="document_pending",
        )
    return FileResponse(
        licence.document.open("rb"),
        as_attachment=True,
        filename=f"{licence.number}.pdf",
        content_type="application/pdf",
    )


# Workbench -------------------------------------------------------------------------------


@login_required
def search(request):
    require(request.user, Action.WORKBENCH_ENTER)
    query = request.GET.get("q", "")
    status = request.GET.get("status", "")
    licences = selectors.licence_search(request.user, query=query, status=status)
    page = Paginator(licences, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "licences/search.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": Status.choices,
            "may_policy": may(request.user, Action.LICENCE_POLICY),
            "may_import": may(request.user, Action.LICENCE_IMPORT),
        },
    )


@login_required
def workbench_licence(request, number: str):
    require(request.user, Action.WORKBENCH_ENTER)
    licence = selectors.access_licence(user=request.user, number=number)
    return render(
        request,
        "licences/licence.html",
        {
            "licence": licence,
            "check": licence_authenticity(licence),
            "history": selectors.licence_history(licence),
            "may_manage": may(request.user, Action.LICENCE_MANAGE, licence),
            "cases": licence.cases.select_related("case").order_by("-pk"),
            "verifications": licence.verifications.all(),
        },
    )


@login_required
@require_POST
def workbench_act(request, number: str):
    licence = selectors.access_licence(user=request.user, number=number)
    try:
        services.licence_act(
            actor=request.user,
            licence=licence,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Done."))
    except DomainError as error:
        _refused(request, error)
    return redirect("licences:detail", number=number)


@login_required
def policy_list(request):
    queryset = selectors.policies_for(request.user)
    if request.method == "POST":
        try:
            policy = policies.policy_create(
                actor=request.user,
                name=request.POST.get("name", ""),
                kind=request.POST.get("kind", ""),
                window_from=_date(request.POST.get("window_from")),
                window_to=_date(request.POST.get("window_to")),
                licence_type_codes=request.POST.get("licence_type_codes", "").split(),
                new_valid_until=_date(request.POST.get("new_valid_until")),
                legal_basis=request.POST.get("legal_basis", ""),
            )
        except DomainError as error:
            _refused(request, error)
        else:
            return redirect("licences:policy", policy_id=policy.pk)
    type_codes = (
        Licence.objects.order_by().values_list("licence_type_code", "licence_type").distinct()
    )
    return render(
        request,
        "licences/policies.html",
        {
            "policies": queryset,
            "kinds": Policy.Kind.choices,
            "form": request.POST,
            "type_codes": sorted(set(type_codes)),
        },
    )


@login_required
def policy_detail(request, policy_id: int):
    policy = selectors.access_policy(user=request.user, policy_id=policy_id)
    if policy.state == Policy.State.DRAFT:
        affected = policies.policy_preview(policy)
    else:
        affected = (
            Licence.objects.filter(pk__in=policy.applications.values("licence_id"))
            .select_related("holder")
            .order_by("valid_until", "pk")
        )
    page = Paginator(affected, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "licences/policy.html",
        {"policy": policy, "page": page, "total": page.paginator.count},
    )


@login_required
@require_POST
def policy_act(request, policy_id: int, action: str):
    policy = selectors.access_policy(user=request.user, policy_id=policy_id)
    try:
        if action == "apply":
            policy = policies.policy_apply(actor=request.user, policy=policy)
            messages.success(
                request, _("Applied to %(count)s licences.") % {"count": policy.applied_count}
            )
        elif action == "undo":
            policy = policies.policy_undo(actor=request.user, policy=policy)
            messages.success(
                request,
                _("Undone: %(count)s licences restored.") % {"count": policy.restored_count},
            )
        else:
            raise Http404
    except DomainError as error:
        _refused(request, error)
    return redirect("licences:policy", policy_id=policy.pk)


@login_required
def import_register(request):
    require(request.user, Action.LICENCE_IMPORT)
    job = None
    if request.method == "POST" and request.FILES.get("workbook"):
        upload = request.FILES["workbook"]
        try:
            job = importing.licence_import_workbook(
                actor=request.user, filename=upload.name, content=upload.read()
            )
        except DomainError as error:
            _refused(request, error)
    return render(request, "licences/import.html", {"job": job, "columns": importing.COLUMNS})


@login_required
def verifications(request):
    require(request.user, Action.WORKBENCH_ENTER)
    page = Paginator(selectors.verifications_open(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "licences/verifications.html",
        {"page": page, "outcomes": Verification.Outcome.choices[1:]},
    )


@login_required
@require_POST
def verification_decide(request, verification_id: int):
    verification = Verification.objects.filter(pk=verification_id).first()
    if verification is None:
        raise Http404
    months = request.POST.get("deferral_months") or None
    try:
        decide_verification(
            actor=request.user,
            verification=verification,
            outcome=request.POST.get("outcome", ""),
            deferral_months=int(months) if months and months.isdigit() else months and -1,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("The verification outcome was recorded."))
    except DomainError as error:
        _refused(request, error)
    return redirect("licences:verifications")
