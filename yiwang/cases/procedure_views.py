"""Pages of the reform procedures: pre-review, one-thing bundles, emergency listings (portal and
public), pre-review comments and green marks (workbench)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yiwang import clock
from yiwang.cases import answers, bundles, prereviews, procedures, services
from yiwang.cases.models import EmergencyListing, PreReview
from yiwang.cases.views import _refused
from yiwang.catalog.forms import answers_from_post
from yiwang.catalog.selectors import item_by_code, item_published
from yiwang.errors import DomainError, invalid_field
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require, scope_of, visible


def _stored(request, prefix: str) -> list[dict]:
    stored = []
    for key, upload in request.FILES.items():
        if key.startswith(prefix):
            file = services.file_store(actor=request.user, upload=upload)
            stored.append({"code": key.removeprefix(prefix), "file_id": file.pk})
    return stored


# Pre-review (portal) ---------------------------------------------------------------------


@login_required
def prereview_new(request, code: str):
    version = item_published(code)
    applicants = Applicant.objects.filter(pk__in=sorted(scope_of(request.user).applicant_ids))
    if request.method == "POST":
        try:
            prereview = prereviews.prereview_submit(
                actor=request.user,
                item_code=code,
                materials=_stored(request, "material_"),
                applicant_id=int(request.POST.get("applicant") or 0) or None,
            )
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Sent for pre-review. No time limit runs yet."))
            return redirect("cases:my-prereview", prereview_id=prereview.pk)
    return render(
        request,
        "cases/prereview_new.html",
        {
            "version": version,
            "materials": version.materials.all(),
            "applicants": applicants,
        },
    )


@login_required
def my_prereview(request, prereview_id: int):
    prereview = prereviews.access_prereview(user=request.user, prereview_id=prereview_id)
    if request.method == "POST":
        try:
            prereviews.prereview_revise(
                actor=request.user,
                prereview_id=prereview_id,
                materials=_stored(request, "material_"),
            )
            messages.success(request, _("Revised materials sent."))
        except DomainError as error:
            _refused(request, error)
        return redirect("cases:my-prereview", prereview_id=prereview_id)
    return render(request, "cases/prereview.html", {"prereview": prereview, "staff": False})


# Pre-review (workbench) ------------------------------------------------------------------


@login_required
def prereview_queue(request):
    require(request.user, Action.WORKBENCH_ENTER)
    queryset = (
        visible(
            request.user,
            PreReview.objects.select_related("applicant", "item_version"),
            Action.PREREVIEW_COMMENT,
            region_field="department__region__code",
            department_field="department_id",
        )
        .filter(status=PreReview.Status.SUBMITTED)
        .order_by("created_at")
    )
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(request, "cases/prereview_queue.html", {"page": page})


@login_required
def prereview_review(request, prereview_id: int):
    require(request.user, Action.WORKBENCH_ENTER)
    prereview = prereviews.access_prereview(user=request.user, prereview_id=prereview_id)
    if request.method == "POST":
        comments = {
            m.code: {
                "acceptable": request.POST.get(f"ok_{m.code}") == "1",
                "comment": request.POST.get(f"comment_{m.code}", ""),
            }
            for m in prereview.materials.all()
        }
        try:
            prereviews.prereview_comment(
                actor=request.user, prereview_id=prereview_id, comments=comments
            )
            messages.success(request, _("Comments sent to the applicant."))
            return redirect("cases:prereview-queue")
        except DomainError as error:
            _refused(request, error)
    return render(request, "cases/prereview.html", {"prereview": prereview, "staff": True})


# Bundles (portal) ------------------------------------------------------------------------


def bundle_list(request):
    return render(
        request,
        "cases/bundles.html",
        {
            "bundles": [
                (bundle, bundles.bundle_materials(bundle)) for bundle in bundles.bundles_offered()
            ]
        },
    )


@login_required
def bundle_apply(request, code: str):
    bundle = bundles.bundle_get(code)
    materials = bundles.bundle_materials(bundle)
    applicants = Applicant.objects.filter(pk__in=sorted(scope_of(request.user).applicant_ids))
    fields = answers.fields_of_versions(item_published(code) for code in bundle.item_codes)
    chosen = request.POST.get("applicant") or request.GET.get("applicant")
    applicant = next((a for a in applicants if str(a.pk) == chosen), applicants.first())
    if request.method == "POST":
        given = []
        for index, material in enumerate(materials):
            upload = request.FILES.get(f"material_{index}")
            if upload:
                file = services.file_store(actor=request.user, upload=upload)
                given.append({"key": material["key"], "file_id": file.pk})
        try:
            application = bundles.bundle_submit(
                actor=request.user,
                bundle_code=code,
                materials=given,
                applicant_id=int(request.POST.get("applicant") or 0) or None,
                form={
                    **answers_from_post(fields, request.POST),
                    "contact_name": request.POST.get("contact_name", ""),
                    "contact_phone": request.POST.get("contact_phone", ""),
                },
            )
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("Bundle application %(number)s received.") % {"number": application.number},
            )
            return redirect("cases:my-bundle", number=application.number)
    return render(
        request,
        "cases/bundle_apply.html",
        {
            "bundle": bundle,
            "materials": materials,
            "applicants": applicants,
            "applicant": applicant,
            "form": request.POST,
            "application_form": answers.fields_for_page(
                fields, applicant, request.POST if request.method == "POST" else None
            ),
        },
    )


@login_required
def my_bundle(request, number: str):
    application = bundles.access_bundle_application(user=request.user, number=number)
    return render(
        request,
        "cases/bundle.html",
        {
            "application": application,
            "outcome": bundles.bundle_result(application),
            "cases": application.cases.select_related("item_version", "department").order_by("pk"),
        },
    )


# Emergency listings (public) -------------------------------------------------------------


def emergency_listings(request):
    page = Paginator(EmergencyListing.objects.select_related("case"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/emergency_listings.html", {"page": page, "today": clock.today()})


# Green channel for an item (leaders) -----------------------------------------------------


@login_required
def item_green(request, code: str):
    require(request.user, Action.WORKBENCH_ENTER)
    item = item_by_code(code)
    if request.method == "POST":
        try:
            procedures.item_mark_green(
                actor=request.user,
                item=item,
                reason=request.POST.get("reason", ""),
                starts_on=_date(request.POST.get("starts_on"), "starts_on") or clock.today(),
                ends_on=_date(request.POST.get("ends_on"), "ends_on"),
            )
            messages.success(request, _("The green channel is open for this item."))
            return redirect("cases:item-green", code=code)
        except DomainError as error:
            _refused(request, error)
    marks = item.green_marks.select_related("marked_by").order_by("-marked_at")
    return render(
        request, "cases/item_green.html", {"item": item, "marks": marks, "today": clock.today()}
    )


def _date(value: str | None, field: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise invalid_field(field, _("Give a date as YYYY-MM-DD.")) from error
