"""Catalogue pages: the public item list and guides, the standardization report, and the
catalogue administrators' import and export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.catalog import selectors
from yiwang.catalog.importing import catalog_import_workbook, import_job_create
from yiwang.catalog.models import (
    PROCEDURE_LABELS,
    ExerciseLevel,
    Implementation,
    ItemVersion,
    in_english,
)
from yiwang.catalog.standardization import standardization_report
from yiwang.catalog.tasks import import_workbook
from yiwang.catalog.workbook import export_workbook, material_form
from yiwang.errors import NotFound, invalid_field
from yiwang.permissions import Action, may, require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Workbooks up to this size are checked while the page waits; larger ones go to the worker.
SYNCHRONOUS_BYTES = 300_000
LARGEST_UPLOAD = 20_000_000


def _flag(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


def item_list(request):
    params = request.GET
    filters = {
        "query": params.get("q", "").strip(),
        "department": int(params["department"]) if params.get("department", "").isdigit() else None,
        "level": int(params["level"]) if params.get("level", "").isdigit() else None,
        "online": _flag(params.get("online", "")),
        "zero_visits": params.get("zero_visits") == "1",
        "procedure": params.get("procedure", "")
        if params.get("procedure") in PROCEDURE_LABELS
        else "",
    }
    page = Paginator(selectors.items_published(**filters), 20).get_page(params.get("page"))
    keep = params.copy()
    keep.pop("page", None)
    return render(
        request,
        "catalog/item_list.html",
        {
            "page": page,
            "filters": filters,
            "querystring": keep.urlencode(),
            "departments": selectors.implementing_departments(),
            "levels": ExerciseLevel.choices,
            "procedures": list(PROCEDURE_LABELS.items()),
        },
    )


def _localised_list(entries: list[dict], *keys: str) -> list[dict]:
    """Steps and FAQ entries with their English text when the page is in English."""
    shown = []
    for entry in entries:
        shown.append(
            {
                **entry,
                **{
                    key: entry.get(f"{key}_en") or entry.get(key, "")
                    for key in keys
                    if in_english()
                },
            }
        )
    return shown


def item_guide(request, code: str):
    version = selectors.item_published(code)
    implementations = list(selectors.implementations_of(version.item))
    return render(
        request,
        "catalog/item_guide.html",
        {
            "version": version,
            "item": version.item,
            "name": version.localised("name"),
            "conditions": version.localised("conditions"),
            "implementing_body": version.localised("implementing_body"),
            "fee": version.localised("fee"),
            "licence_type": version.localised("licence_type"),
            "materials": list(version.materials.all()),
            "legal_basis": list(version.legal_basis.all()),
            "steps": _localised_list(version.process_steps, "name", "description"),
            "special_procedures": _localised_list(version.special_procedures, "name"),
            "faq": _localised_list(version.faq, "q", "a"),
            "implementations": implementations,
            "exercise_levels": [ExerciseLevel(level).label for level in version.exercise_levels],
        },
    )


def material_template(request, code: str, material_code: str):
    version = selectors.item_published(code)
    material = version.materials.filter(code=material_code).first()
    if material is None or not material.form_fields:
        raise NotFound(_("This material has no template."))
    example = request.GET.get("example") == "1"
    response = HttpResponse(material_form(material, example=example), content_type=XLSX)
    suffix = "example" if example else "blank"
    response["Content-Disposition"] = f'attachment; filename="{code}-{material.code}-{suffix}.xlsx"'
    return response


@login_required
def standardization(request):
    require(request.user, Action.WORKBENCH_ENTER)
    return render(request, "catalog/standardization.html", {"report": standardization_report()})


@login_required
def item_provenance(request, code: str):
    """The sources of an item's figures and its version changes, for catalogue administrators."""
    require(request.user, Action.CATALOG_EDIT)
    version = selectors.item_published(code)
    return render(
        request,
        "catalog/item_provenance.html",
        {
            "version": version,
            "item": version.item,
            "history": selectors.version_history(version.item),
        },
    )


@login_required
def manage(request):
    require(request.user, Action.CATALOG_EDIT)
    versions = ItemVersion.objects.select_related("item").order_by("item__code", "-version")
    return render(
        request,
        "catalog/manage.html",
        {
            "versions": versions,
            "may_publish": may(request.user, Action.CATALOG_PUBLISH),
            "imports": selectors.imports_of(request.user)[:10],
        },
    )


@login_required
def export(request):
    require(request.user, Action.CATALOG_EDIT)
    versions = (
        ItemVersion.objects.filter(status=ItemVersion.Status.PUBLISHED)
        .select_related("item")
        .prefetch_related("legal_basis", "materials")
        .order_by("item__code")
    )
    implementations = Implementation.objects.select_related("item", "department").order_by(
        "item__code", "department__name"
    )
    response = HttpResponse(
        export_workbook(list(versions), list(implementations)), content_type=XLSX
    )
    response["Content-Disposition"] = 'attachment; filename="catalogue.xlsx"'
    return response


@login_required
@require_POST
def import_upload(request):
    require(request.user, Action.CATALOG_EDIT)
    upload = request.FILES.get("workbook")
    if upload is None:
        raise invalid_field("workbook", _("Choose a workbook (.xlsx) to import."), code="required")
    if upload.size > LARGEST_UPLOAD:
        raise invalid_field("workbook", _("The workbook is larger than 20 MB."))
    job = import_job_create(
        actor=request.user,
        filename=upload.name,
        content=upload.read(),
        publish=request.POST.get("publish") == "1",
    )
    if upload.size <= SYNCHRONOUS_BYTES:
        catalog_import_workbook(actor=request.user, job=job)
    else:
        import_workbook.enqueue(job.pk)
    return redirect("catalog:import-detail", job_id=job.pk)


@login_required
def import_detail(request, job_id: int):
    job = selectors.access_import(user=request.user, job_id=job_id)
    template = "catalog/_import_progress.html" if request.headers.get("HX-Request") else None
    return render(request, template or "catalog/import_detail.html", {"job": job})
