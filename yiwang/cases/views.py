"""Case pages: applying and following a case (portal); the queue and the case page (workbench).

Views parse the request, call one service or selector, and render; a refused action shows
its message on the same page and changes nothing.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang import clock
from yiwang.cases import answers, filing, procedures, selectors, services
from yiwang.cases.engine.actions import dispatch
from yiwang.cases.engine.states import Status
from yiwang.cases.models import Channel, Level, Notification, StoredFile, Suspension
from yiwang.catalog.forms import answers_from_post
from yiwang.catalog.selectors import item_published
from yiwang.errors import DomainError, InvalidInput
from yiwang.parties.models import Applicant
from yiwang.parties.selectors import applicant_with_code, applicants_matching
from yiwang.permissions import Action, may, require, scope_of


def _refused(request, error: DomainError) -> None:
    text = str(error.message)
    if error.fields:
        text += " " + "；".join(f"{name}: {message}" for name, message in error.fields.items())
    messages.error(request, text)


# What the upload checks accept when a material names no types (`security.uploads`).
DEFAULT_KINDS = ("pdf", "ofd", "jpg", "png")

# Portal ----------------------------------------------------------------------------------


@login_required
def apply(request, code: str):
    version = item_published(code)
    applicants = list(Applicant.objects.filter(pk__in=sorted(scope_of(request.user).applicant_ids)))
    staff_filing = may(request.user, Action.CASE_FILE_FOR_OTHERS)
    chosen = request.POST.get("applicant") or request.GET.get("applicant")
    applicant = next(
        (a for a in applicants if str(a.pk) == chosen), applicants[0] if applicants else None
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            case = _submit_from_form(request, version, staff_filing)
        except DomainError as error:
            messages.error(request, str(error.message))
            errors = _errors_by_input(error, version)
        else:
            messages.success(
                request, _("Application %(number)s received.") % {"number": case.number}
            )
            if staff_filing:
                return redirect("cases:workbench-case", case_id=case.pk)
            return redirect("cases:my-case", case_id=case.pk)
    application_form = answers.form_for_page(
        version, applicant, request.POST if request.method == "POST" else None
    )
    for field in application_form:
        field["error"] = errors.get(field["name"], "")
    return render(
        request,
        "cases/apply.html",
        {
            "version": version,
            "material_rows": _material_rows(version.materials.all(), errors),
            "applicants": applicants,
            "applicant": applicant,
            "procedures": procedures.procedures_for(version, applicant, clock.today()),
            "staff_filing": staff_filing,
            "channels": Channel.choices,
            "form": request.POST,
            "application_form": application_form,
            "errors": errors,
            "idempotency_key": request.POST.get("idempotency_key")
            or _form_session_key(request, code),
            "open_case": _open_case(applicant, chosen, version.item),
        },
    )


def _errors_by_input(error: DomainError, version) -> dict[str, str]:
    """A refusal's field messages keyed by the page's inputs: `form.beds` → beds,
    `materials.2.file_id` → material_M03 (the page posts every material, in order)."""
    return _errors_by_code(error, [material.code for material in version.materials.all()])


def _errors_by_code(error: DomainError, codes: list[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for path, message in error.fields.items():
        parts = path.split(".")
        if parts[0] == "form" and len(parts) > 1:
            key = parts[1]
        elif parts[0] == "materials" and len(parts) > 1 and parts[1].isdigit():
            key = f"material_{codes[int(parts[1])]}" if int(parts[1]) < len(codes) else path
        else:
            key = path
        errors.setdefault(key, str(message))
    return errors


def _material_rows(materials, errors: dict[str, str]) -> list[dict]:
    """Each material with what it accepts (shown before upload) and its refusal, if any."""
    rows = []
    for material in materials:
        kinds = [kind.lower().lstrip(".") for kind in material.allowed_types or DEFAULT_KINDS]
        rows.append(
            {
                "material": material,
                "kinds": [kind.upper() for kind in kinds],
                "accept": ",".join(f".{kind}" for kind in _with_aliases(kinds)),
                "max_bytes": (material.max_size_mb or 10) * filing.MB,
                "error": errors.get(f"material_{material.code}", ""),
            }
        )
    return rows


def _with_aliases(kinds: list[str]) -> list[str]:
    return [*kinds, "jpeg"] if "jpg" in kinds else kinds


def _open_case(applicant, chosen: str | None, item):
    """The open case the form warns about: the portal's applicant, or the one staff typed."""
    if applicant is None and chosen and chosen.isdigit():
        applicant = Applicant.objects.filter(pk=int(chosen)).first()
    return filing.open_case_of(applicant, item) if applicant else None


def _form_session_key(request, code: str) -> str:
    """One idempotency key per form session, kept in the session: submitting, going back and
    submitting again returns the case already filed instead of filing a second one. The
    session starts anew once that case is closed, or when the person confirms a second one."""
    name = f"apply-key:{code}"
    key = request.session.get(name)
    if key is None or filing.closed_case_with_key(request.user, key):
        key = request.session[name] = uuid.uuid4().hex
    return key


def _submit_from_form(request, version, staff_filing: bool):
    materials = []
    for material in version.materials.all():
        upload = request.FILES.get(f"material_{material.code}")
        if upload:
            stored = _stored(request.user, material.code, upload)
            materials.append({"code": material.code, "file_id": stored.pk})
        elif request.POST.get(f"elicence_{material.code}"):
            materials.append({"code": material.code, "from_elicence": True})
        else:
            materials.append({"code": material.code, "missing": True})
    applicant = request.POST.get("applicant") or None
    if applicant is None and request.POST.get("applicant_query"):
        # Staff typed a full USCC or ID number without picking a suggestion: that applicant.
        found = applicant_with_code(request.user, request.POST["applicant_query"])
        applicant = str(found.pk) if found else None
    case, _created = services.case_submit(
        actor=request.user,
        item_code=version.item.code,
        channel=request.POST.get("channel", "online") if staff_filing else "online",
        procedure=request.POST.get("procedure", "standard"),
        applicant_id=int(applicant) if applicant and applicant.isdigit() else None,
        form={
            **answers_from_post(version.application_form or [], request.POST),
            "contact_name": request.POST.get("contact_name", ""),
            "contact_phone": request.POST.get("contact_phone", ""),
            "remarks": request.POST.get("remarks", ""),
        },
        materials=materials,
        postal_tracking_number=request.POST.get("postal_tracking_number", ""),
        idempotency_key=_key_for_submission(request, version.item.code),
        commitment_signed=request.POST.get("commitment_signed") == "1",
        prereview_id=int(request.POST["prereview"])
        if request.POST.get("prereview", "").isdigit()
        else None,
        duplicate_allowed=request.POST.get("confirm_duplicate") == "1",
    )
    return case


def _key_for_submission(request, code: str) -> str | None:
    """The form's key; a confirmed second application for the item starts a new form session."""
    if request.POST.get("confirm_duplicate") == "1":
        key = request.session[f"apply-key:{code}"] = uuid.uuid4().hex
        return key
    return request.POST.get("idempotency_key") or None


def _stored(actor, code: str, upload):
    """Store one material's file; a refusal names the file and the material it was for."""
    try:
        return services.file_store(actor=actor, upload=upload)
    except InvalidInput as error:
        message = _("%(file)s was refused: %(reason)s") % {
            "file": upload.name,
            "reason": error.message,
        }
        raise InvalidInput(
            message, code=error.code, fields={f"material_{code}": message}
        ) from error


@login_required
def my_cases(request):
    page = Paginator(selectors.cases_of_applicant_user(request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/my_cases.html", {"page": page})


@login_required
def my_case(request, case_id: int):
    view = selectors.case_view(user=request.user, case_id=case_id)
    if view.case.applicant_id not in scope_of(request.user).applicant_ids:
        return redirect("cases:workbench-case", case_id=case_id)
    open_notice = view.case.corrections.filter(answered_at__isnull=True).last()
    upload_errors = request.session.pop(f"upload-errors:{case_id}", {})
    rules = {
        row["material"].code: row
        for row in _material_rows(view.case.item_version.materials.all(), upload_errors)
    }
    return render(
        request,
        "cases/my_case.html",
        {
            "view": view,
            "case": view.case,
            "notice": open_notice,
            "notice_rows": [
                {**rules[entry["material_code"]], "reason": entry.get("reason", "")}
                for entry in (open_notice.items if open_notice else [])
                if entry.get("material_code") in rules
            ],
            "supply_rows": [
                rules[material.code]
                for material in view.case.materials.all()
                if material.missing and material.code in rules
            ],
            "answers": answers.answers_of_case(view.case),
        },
    )


@login_required
@require_POST
def my_case_act(request, case_id: int, action: str):
    materials: list[dict] = []
    try:
        if action == "withdraw":
            services.case_withdraw(
                actor=request.user, case_id=case_id, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The application was withdrawn."))
        elif action in ("resubmit", "supplement"):
            for key, upload in request.FILES.items():
                if key.startswith("material_"):
                    code = key.removeprefix("material_")
                    stored = _stored(request.user, code, upload)
                    materials.append({"code": code, "file_id": stored.pk})
            if action == "resubmit":
                services.case_resubmit(actor=request.user, case_id=case_id, materials=materials)
            else:
                procedures.case_supplement(actor=request.user, case_id=case_id, materials=materials)
            messages.success(request, _("The materials were submitted."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
        # Shown next to each file on the case page the redirect leads to.
        request.session[f"upload-errors:{case_id}"] = _errors_by_code(
            error, [entry["code"] for entry in materials]
        )
    return redirect("cases:my-case", case_id=case_id)


@login_required
def inbox(request):
    applicant_ids = sorted(scope_of(request.user).applicant_ids)
    page = Paginator(
        Notification.objects.filter(
            applicant_id__in=applicant_ids, recipient=request.user
        ).select_related("case"),
        20,
    ).get_page(request.GET.get("page"))
    return render(request, "cases/inbox.html", {"page": page})


# Workbench -------------------------------------------------------------------------------


@login_required
def queue(request):
    require(request.user, Action.WORKBENCH_ENTER)
    filters = {
        "status": request.GET.get("status") or None,
        "level": request.GET.get("level") or None,
        "mine": request.GET.get("mine") == "1",
        "query": request.GET.get("q", ""),
    }
    cases = selectors.case_queue_for(request.user, **filters)
    page = Paginator(selectors.queue_rows(cases), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/queue.html",
        {
            "page": page,
            "filters": filters,
            "statuses": Status.choices,
            "levels": Level.choices,
            "may_accept": may(request.user, Action.CASE_ACCEPT),
        },
    )


@login_required
@require_POST
def batch_accept(request):
    accepted, refused = [], []
    for case_id in request.POST.getlist("case"):
        try:
            accepted.append(services.case_accept(actor=request.user, case_id=int(case_id)).number)
        except (DomainError, ValueError) as error:
            refused.append(f"{case_id}: {getattr(error, 'message', error)}")
    if accepted:
        messages.success(request, _("Accepted: %(numbers)s") % {"numbers": "、".join(accepted)})
    for line in refused:
        messages.error(request, line)
    return redirect("cases:queue")


@login_required
def workbench_case(request, case_id: int):
    require(request.user, Action.WORKBENCH_ENTER)
    view = selectors.case_view(user=request.user, case_id=case_id)
    return render(
        request,
        "cases/case.html",
        {
            "view": view,
            "case": view.case,
            "suspension_kinds": Suspension.Kind.choices,
            "materials": view.case.item_version.materials.all(),
            "dispatch_departments": selectors.dispatch_choices(view.case),
            "handlers": selectors.handler_choices(view.case),
            "answers": answers.answers_of_case(view.case),
        },
    )


@login_required
def applicant_suggestions(request):
    """The applicants matching what the window clerk types (an htmx partial)."""
    require(request.user, Action.CASE_FILE_FOR_OTHERS)
    query = request.GET.get("applicant_query", "")
    # A complete code names one applicant: it is picked already, as filing would take it.
    exact = applicant_with_code(request.user, query) if query else None
    return render(
        request,
        "cases/_applicant_suggestions.html",
        {"matches": applicants_matching(request.user, query), "exact": exact},
    )


def _action_form(request) -> dict:
    """The posted form as the action's body; a correction notice lists a reason per material."""
    data = request.POST.dict()
    if "material" in request.POST:
        data["items"] = [
            {"material_code": code, "reason": request.POST.get(f"reason_{code}", "")}
            for code in request.POST.getlist("material")
        ]
    return data


@login_required
@require_POST
def workbench_act(request, case_id: int, action: str):
    try:
        dispatch(actor=request.user, case_id=case_id, action=action, data=_action_form(request))
        messages.success(request, _("Done."))
    except DomainError as error:
        _refused(request, error)
    return redirect("cases:workbench-case", case_id=case_id)


@login_required
def download(request, file_id: int):
    """A material's file, for its uploader and for staff who may see a case that holds it."""
    stored = StoredFile.objects.filter(pk=file_id).first()
    if stored is None:
        raise Http404
    if stored.uploaded_by_id != request.user.pk:
        holders = [m.case for m in stored.casematerial_set.select_related("case__region")]
        if not any(may(request.user, Action.CASE_VIEW, case) for case in holders):
            raise Http404
    return FileResponse(
        stored.content.open("rb"),
        as_attachment=True,  # never inline: a download, with nosniff (SecurityMiddleware)
        filename=stored.original_name,
        content_type=stored.content_type,
    )
