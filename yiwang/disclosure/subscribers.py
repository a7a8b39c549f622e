"""What disclosure does when a case is decided, a licence issued or ended, a penalty decided
or an inspection concluded: queue, complete or withdraw the public record."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from yiwang.disclosure import services
from yiwang.disclosure.masking import mask_text, masked_subject
from yiwang.disclosure.models import Publication
from yiwang.events import subscriber
from yiwang.parties.models import Applicant

Kind = Publication.Kind
ENDED_REASONS = {"revoked", "withdrawn"}


def _day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _applicant(applicant_id: int | None = None, code: str = "") -> Applicant | None:
    if applicant_id:
        return Applicant.objects.filter(pk=applicant_id).first()
    if code:
        return (
            Applicant.objects.filter(uscc=code).first()
            or Applicant.objects.filter(id_number=code).first()
        )
    return None


@subscriber("case.decided")
def queue_licensing_decision(event) -> None:
    """双公示: every licensing decision, approved or denied."""
    payload = event.payload
    name, code, is_person = masked_subject(applicant=_applicant(payload.get("applicant_id")))
    services.publication_queue(
        kind=Kind.LICENSING,
        source_id=payload["case_id"],
        number=payload["number"],
        decided_on=_day(payload.get("decided_on") or payload["on"]),
        subject_name=name,
        subject_code=code,
        subject_is_person=is_person,
        decision=payload.get("outcome") or "approved",
        department_id=payload.get("department_id"),
        region_code=payload.get("region_code") or "",
        item_code=payload.get("item_code") or "",
        item_name=payload.get("item_name") or "",
        licence_number=payload.get("licence_number") or "",
        legal_basis=mask_text(payload.get("legal_basis") or ""),
    )


@subscriber("licence.issued")
def add_licence_number(event) -> None:
    payload = event.payload
    if payload.get("case_id"):
        services.publication_set_licence_number(
            case_id=payload["case_id"], licence_number=payload["number"]
        )


@subscriber("licence.ended")
def note_revocation(event) -> None:
    """A revoked or withdrawn licence withdraws its published decision, with a public note."""
    payload = event.payload
    if payload.get("reason") not in ENDED_REASONS:
        return
    for publication in Publication.objects.filter(
        kind=Kind.LICENSING, licence_number=payload["number"]
    ).exclude(status=Publication.Status.WITHDRAWN):
        # The note is public: written in the site's language, whoever's worker delivers it.
        with translation.override(settings.LANGUAGE_CODE):
            reason = (
                _("Licence %(number)s was revoked on %(on)s.")
                if payload["reason"] == "revoked"
                else _("Licence %(number)s was withdrawn on %(on)s.")
            ) % {"number": payload["number"], "on": payload["ended_on"]}
        services.publication_withdraw(actor=None, publication=publication, reason=reason)


@subscriber("penalty.decided")
def queue_penalty(event) -> None:
    """双公示: every administrative penalty decision."""
    payload = event.payload
    code = payload.get("entity_code") or ""
    applicant = _applicant(code=code)
    name, masked_code, is_person = masked_subject(
        applicant=applicant, name=payload.get("entity_name") or "", code=code
    )
    amount = payload.get("amount")
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("Fine: %(amount)s yuan") % {"amount": amount} if amount else ""
    services.publication_queue(
        kind=Kind.PENALTY,
        source_id=payload["penalty_id"],
        number=str(payload.get("number") or payload["penalty_id"]),
        decided_on=_day(payload["decided_on"]),
        subject_name=name or masked_code,
        subject_code=masked_code,
        subject_is_person=is_person,
        decision="penalty",
        department_id=payload.get("department_id"),
        region_code=payload.get("region_code") or "",
        legal_basis=mask_text(payload.get("legal_basis") or ""),
        summary=summary,
    )


@subscriber("inspection.concluded")
def queue_inspection_result(event) -> None:
    """双随机、一公开: every inspection result, within 20 working days."""
    payload = event.payload
    code = payload.get("entity_code") or ""
    name, masked_code, is_person = masked_subject(
        applicant=_applicant(code=code), name=payload.get("entity_name") or "", code=code
    )
    services.publication_queue(
        kind=Kind.INSPECTION,
        source_id=payload["inspection_id"],
        number=str(payload["inspection_id"]),
        decided_on=_day(payload["concluded_on"]),
        subject_name=name or masked_code,
        subject_code=masked_code,
        subject_is_person=is_person,
        decision=payload["outcome"],
        department_id=payload.get("department_id"),
        region_code=payload.get("region_code") or "",
        summary=mask_text(payload.get("findings_summary") or ""),
    )
