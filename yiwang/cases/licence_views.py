"""The holder's page for a case on a licence: renewal, change, cancellation or verification."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yiwang.cases.licence_cases import licence_apply
from yiwang.cases.services import file_store
from yiwang.cases.views import _refused
from yiwang.catalog.selectors import item_published
from yiwang.errors import DomainError
from yiwang.licences import applications
from yiwang.licences.models import Licence, Purpose
from yiwang.licences.selectors import access_licence
from yiwang.permissions import scope_of


def _holder_licence(request, number: str) -> Licence:
    licence = access_licence(user=request.user, number=number)
    if licence.holder_id not in scope_of(request.user).applicant_ids:
        raise Http404
    return licence


@login_required
def licence_apply_page(request, number: str, purpose: str):
    licence = _holder_licence(request, number)
    if purpose not in [p.value for p in applications.purposes_for_holder(licence)]:
        raise Http404
    version = item_published(applications.item_code_for(purpose))
    if request.method == "POST":
        try:
            link = _apply_from_form(request, licence, purpose, version)
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(
                request, _("Application %(number)s received.") % {"number": link.case.number}
            )
            return redirect("cases:my-case", case_id=link.case_id)
    else:
        try:
            applications.check_can_apply(licence, purpose)
        except DomainError as error:
            _refused(request, error)
    return render(
        request,
        "cases/licence_apply.html",
        {
            "licence": licence,
            "purpose": Purpose(purpose),
            "version": version,
            "materials": version.materials.all(),
            "form": request.POST,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        },
    )


def _apply_from_form(request, licence, purpose, version):
    materials = []
    for material in version.materials.all():
        upload = request.FILES.get(f"material_{material.code}")
        if upload:
            stored = file_store(actor=request.user, upload=upload)
            materials.append({"code": material.code, "file_id": stored.pk})
        elif material.from_elicence:
            materials.append({"code": material.code, "from_elicence": True})
        else:
            materials.append({"code": material.code, "missing": True})
    form = {
        "contact_name": request.POST.get("contact_name", ""),
        "contact_phone": request.POST.get("contact_phone", ""),
        "remarks": request.POST.get("remarks", ""),
    }
    if purpose == Purpose.CHANGE:
        form["scope"] = [
            line for line in request.POST.get("scope", "").splitlines() if line.strip()
        ]
    return licence_apply(
        actor=request.user,
        licence=licence,
        purpose=purpose,
        form=form,
        materials=materials,
        idempotency_key=request.POST.get("idempotency_key") or None,
    )
