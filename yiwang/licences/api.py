"""Licences in the API (API.md, "Licences"): the register entry, the public check, the PDF."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Router
from ninja.files import UploadedFile

from yiwang.errors import Conflict
from yiwang.licences import selectors
from yiwang.licences.authenticity import Authenticity, document_authenticity, licence_authenticity
from yiwang.licences.models import Licence
from yiwang.permissions import Action, may, scope_of
from yiwang.replica import operation_reads_from_replica

router = Router(tags=["licences"])


def _iso(day):
    return day.isoformat() if day else None


def licence_body(licence: Licence, user) -> dict:
    holder = licence.holder
    full = holder.pk in scope_of(user).applicant_ids or may(
        user, Action.APPLICANT_VIEW_IDENTITY, holder
    )
    return {
        "number": licence.number,
        "type": licence.licence_type,
        "type_code": licence.licence_type_code,
        "holder": {
            "id": holder.pk,
            "name": holder.name if full else holder.masked_name,
            "code": holder.code if full else holder.masked_code,
        },
        "item_code": licence.item.code,
        "issuer": licence.department.name,
        "valid_from": _iso(licence.valid_from),
        "valid_until": _iso(licence.valid_until),
        "status": licence.status,
        "scope": licence.scope,
        "version": licence.version,
        "elicence_id": licence.elicence_id,
        "deemed_renewed_on": _iso(licence.deemed_renewed_on),
        "verification_due": _iso(licence.verification_due),
        "document_ready": bool(licence.document),
        "history": [
            {
                "at": event.at.isoformat(),
                "action": event.action,
                "actor": event.actor_label,
                "note": event.note,
                "before": event.before,
                "after": event.after,
                "case": event.case.number if event.case_id else None,
            }
            for event in selectors.licence_history(licence)
        ],
    }


def verification_body(check: Authenticity) -> dict:
    licence = check.licence
    endorsement = check.endorsement
    return {
        "number": licence.number,
        "holder_name": licence.holder.masked_name,
        "type": licence.licence_type,
        "status": licence.status,
        "valid_from": _iso(licence.valid_from),
        "valid_until": _iso(licence.valid_until),
        "deemed_renewed": licence.deemed_renewed_on is not None,
        "extended_by_policy": endorsement.policy.name if endorsement else None,
        "issuer": licence.department.name,
        "version": licence.version,
        "signature_valid": check.signature_valid,
    }


@router.post("/verify-document", auth=None)
@operation_reads_from_replica
def document_verify(request, file: File[UploadedFile]):
    """Public: upload a licence PDF; one changed byte and the signature no longer holds."""
    check = document_authenticity(file.read())
    if check.licence is None:
        return {"number": None, "signature_valid": False}
    return {
        **verification_body(check),
        "document_version": check.document.version,
        "superseded": check.is_superseded_document,
    }


@router.get("/{number}")
def licence_detail(request, number: str):
    return licence_body(selectors.access_licence(user=request.user, number=number), request.user)


@router.get("/{number}/verify", auth=None)
@operation_reads_from_replica
def licence_verify(request, number: str):
    """Public: is this number real, its status, does its signature hold (holder masked)."""
    return verification_body(licence_authenticity(selectors.public_licence(number)))


@router.get("/{number}/document")
def licence_document(request, number: str):
    licence = selectors.access_licence(user=request.user, number=number)
    if not licence.document:
        raise Conflict(
            _("The e-licence PDF is still being generated; try again in a minute."),
            code="document_pending",
        )
    return FileResponse(
        licence.document.open("rb"),
        content_type="application/pdf",
        filename=f"{licence.number}.pdf",
    )
