"""Front services before applying (前置服务, seeds 002 and 004): an enterprise asks for free
expert consultation, site-selection or layout advice, or drawing review; a coordinator assigns
an expert; the expert records the advice; the request follows the later application, whose
reviewer sees it. One transaction and one audit record per write."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.cases.models import Case, StoredFile
from yiwang.catalog.models import Item
from yiwang.enterprise.models import (
    Advice,
    Expert,
    FrontServiceOffer,
    FrontServiceRequest,
    RequestStatus,
    ServiceKind,
)
from yiwang.enterprise.services import applicant_get, person_or_none
from yiwang.errors import Conflict, NotFound, invalid_field
from yiwang.permissions import Action, refusal, require


def request_snapshot(request: FrontServiceRequest) -> dict:
    return {
        "applicant": request.applicant_id,
        "item": request.item_id,
        "kind": request.kind,
        "status": request.status,
        "expert": request.expert_id,
        "case": request.case_id,
    }


def _record(actor: Any, action: str, request: FrontServiceRequest, *, before=None, note=""):
    audit_record(
        actor=person_or_none(actor),
        action=action,
        obj=request,
        stream=f"enterprise:{request.applicant_id}",
        before=before,
        after=request_snapshot(request),
        note=str(note),
    )


def _locked(request_id: int) -> FrontServiceRequest:
    request = (
        FrontServiceRequest.objects.select_for_update(of=("self",))
        .select_related("applicant__region", "expert", "item")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound(_("No such front-service request."))
    return request


def offers_for(item_code: str) -> list[str]:
    return list(
        FrontServiceOffer.objects.filter(item__code=item_code).values_list("kind", flat=True)
    )


def front_service_request(
    *, actor: Any, applicant_id: int, item_code: str, kind: str, description: str
) -> FrontServiceRequest:
    applicant = applicant_get(applicant_id)
    require(actor, Action.FRONT_SERVICE_REQUEST, applicant)
    item = Item.objects.filter(code=item_code).first()
    if item is None:
        raise invalid_field("item_code", _("No item has this code."))
    if kind not in ServiceKind.values or kind not in offers_for(item_code):
        raise invalid_field(
            "kind",
            _("This front service is not offered for item %(code)s.") % {"code": item_code},
            code="not_offered",
        )
    description = (description or "").strip()
    if not description:
        raise invalid_field("description", _("Describe what you plan."), code="required")
    with transaction.atomic():
        request = FrontServiceRequest.objects.create(
            applicant=applicant,
            item=item,
            kind=kind,
            description=description,
            requested_by=actor,
            requested_at=clock.now(),
        )
        _record(actor, "front_service.request", request)
    return request


def front_service_assign(*, actor: Any, request_id: int, expert_id: int) -> FrontServiceRequest:
    """A coordinator assigns one expert; assigning again is refused (409)."""
    with transaction.atomic():
        request = _locked(request_id)
        require(actor, Action.FRONT_SERVICE_COORDINATE, request)
        if request.expert_id is not None:
            raise Conflict(
                _("An expert (%(name)s) is already assigned to this request.")
                % {"name": request.expert.name},
                code="expert_already_assigned",
                fields={"expert_id": _("already assigned")},
            )
        expert = Expert.objects.filter(pk=expert_id, is_active=True).first()
        if expert is None:
            raise invalid_field("expert_id", _("Choose an active expert of the pool."))
        before = request_snapshot(request)
        request.expert = expert
        request.status = RequestStatus.ASSIGNED
        request.assigned_by = actor
        request.assigned_at = clock.now()
        request.save()
        _record(actor, "front_service.assign", request, before=before)
    return request


def front_service_advise(
    *, actor: Any, request_id: int, text: str, files: list[StoredFile] = ()
) -> Advice:
    """The assigned expert records the advice, with marked-up files."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.expert is None or request.expert.user_id != getattr(actor, "pk", None):
            raise refusal(
                actor,
                request,
                _("Only the expert assigned to this request records its advice."),
                code="not_the_expert",
            )
        text = (text or "").strip()
        if not text:
            raise invalid_field("text", _("Write the advice."), code="required")
        before = request_snapshot(request)
        advice = Advice.objects.create(
            request=request, text=text, recorded_by=actor, recorded_at=clock.now()
        )
        advice.files.set(files)
        request.status = RequestStatus.ADVISED
        request.save(update_fields=["status"])
        _record(actor, "front_service.advise", request, before=before, note=text[:200])
    return advice


def front_service_link(*, actor: Any, request_id: int, case_id: int) -> FrontServiceRequest:
    """Tie the request to the application it led to (the filing subscriber does this itself
    for a case of the same applicant and item)."""
    with transaction.atomic():
        request = _locked(request_id)
        require(actor, Action.FRONT_SERVICE_REQUEST, request)
        case = Case.objects.filter(pk=case_id).first()
        if case is None:
            raise NotFound(_("No such case."), fields={"case_id": _("No such case.")})
        if case.applicant_id != request.applicant_id:
            raise invalid_field("case_id", _("The case belongs to another applicant."))
        before = request_snapshot(request)
        request.case = case
        request.save(update_fields=["case"])
        _record(actor, "front_service.link", request, before=before)
    return request


def link_requests_to_filed_case(*, case_id: int, applicant_id: int, item_code: str) -> int:
    """On filing: the applicant's unlinked requests for the item now point at the case.
    Running it twice links nothing more."""
    with transaction.atomic():
        requests = list(
            FrontServiceRequest.objects.select_for_update()
            .filter(applicant_id=applicant_id, item__code=item_code, case__isnull=True)
            .exclude(case_id=case_id)
        )
        for request in requests:
            before = request_snapshot(request)
            request.case_id = case_id
            request.save(update_fields=["case"])
            _record(None, "front_service.link", request, before=before, note="case.filed")
    return len(requests)
