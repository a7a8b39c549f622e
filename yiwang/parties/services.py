"""Every write to applicants: one function per use case, one transaction, one audit record."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yiwang.audit.services import audit_record, snapshot
from yiwang.errors import Conflict, InvalidInput, invalid_field
from yiwang.parties.identifiers import IdentifierError, validate_resident_id, validate_uscc
from yiwang.parties.models import Applicant, Representation
from yiwang.permissions import Action, require
from yiwang.regions.models import Region

USCC_RULES = {
    "length": _("A unified social credit code has 18 characters."),
    "format": _(
        "A unified social credit code uses digits and the letters of GB 32100 only, "
        "with a 6-digit division code in characters 3–8."
    ),
    "checksum": _("The check digit (18th character) of this unified social credit code is wrong."),
    "organisation_code": _(
        "The organisation code inside this unified social credit code (characters 9–17) "
        "has a wrong check character."
    ),
}
ID_RULES = {
    "length": _("A resident ID number has 18 characters."),
    "format": _("A resident ID number has 17 digits and a final digit or X."),
    "checksum": _("The check digit (18th character) of this resident ID number is wrong."),
    "birth_date_or_area": _(
        "The birth date or area code in this resident ID number does not exist."
    ),
}


def _checked_code(
    kind: str, uscc: str | None, id_number: str | None
) -> tuple[str | None, str | None]:
    if kind == Applicant.Kind.PERSON:
        if not id_number:
            raise invalid_field(
                "id_number", _("A person needs a resident ID number."), code="required"
            )
        try:
            return None, validate_resident_id(id_number)
        except IdentifierError as error:
            raise invalid_field("id_number", ID_RULES[error.rule], code=error.rule) from error
    if not uscc:
        raise invalid_field(
            "uscc", _("An organisation needs a unified social credit code."), code="required"
        )
    try:
        return validate_uscc(uscc), None
    except IdentifierError as error:
        raise invalid_field("uscc", USCC_RULES[error.rule], code=error.rule) from error


def _region(region_code: str) -> Region:
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise invalid_field(
            "region_code",
            _("No region has the division code %(code)s.") % {"code": region_code},
            code="unknown_region",
        )
    return region


def applicant_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    region_code: str,
    uscc: str | None = None,
    id_number: str | None = None,
    **details: Any,
) -> Applicant:
    """Register an applicant after checking its code, region and the actor's scope."""
    if kind not in Applicant.Kind.values:
        raise invalid_field("kind", _("Kind must be organisation, medical_institution or person."))
    name = (name or "").strip()
    if not name:
        raise invalid_field("name", _("The name is required."), code="required")
    uscc, id_number = _checked_code(kind, uscc, id_number)
    region = _region(region_code)
    applicant = Applicant(kind=kind, name=name, region=region, uscc=uscc, id_number=id_number)
    for field, value in details.items():
        if value is not None:
            setattr(applicant, field, value)
    if kind != Applicant.Kind.MEDICAL_INSTITUTION and applicant.beds is not None:
        raise invalid_field("beds", _("Only a medical institution has beds."))
    require(actor, Action.APPLICANT_CREATE, applicant)
    _refuse_duplicate(uscc=uscc, id_number=id_number)
    try:
        with transaction.atomic():
            applicant.save()
            audit_record(
                actor=actor, action="applicant.create", obj=applicant, after=snapshot(applicant)
            )
    except IntegrityError as error:
        raise Conflict(
            _("An applicant with this code is already registered."), code="duplicate"
        ) from error
    return applicant


def _refuse_duplicate(*, uscc: str | None, id_number: str | None) -> None:
    if uscc and Applicant.objects.filter(uscc=uscc).exists():
        raise Conflict(
            _("An applicant with the unified social credit code %(code)s is already registered.")
            % {"code": uscc},
            code="duplicate",
            fields={"uscc": _("already registered")},
        )
    if id_number and Applicant.objects.filter(id_number=id_number).exists():
        raise Conflict(
            _("An applicant with this resident ID number is already registered."),
            code="duplicate",
            fields={"id_number": _("already registered")},
        )


def applicant_set_credit(
    *,
    actor: Any,
    applicant: Applicant,
    grade: str,
    black_listed: bool | None = None,
    red_listed: bool | None = None,
    reason: str,
) -> Applicant:
    """Staff set the credit grade and list flags (a later issue derives them from records)."""
    if grade not in Applicant.Grade.values:
        raise invalid_field("grade", _("The credit grade must be A, B, C or D."))
    if not reason.strip():
        raise invalid_field("reason", _("Give the reason for the change."), code="required")
    require(actor, Action.APPLICANT_SET_CREDIT, applicant)
    fields = ["credit_grade", "black_listed", "red_listed"]
    with transaction.atomic():
        locked = Applicant.objects.select_for_update().get(pk=applicant.pk)
        before = snapshot(locked, fields)
        locked.credit_grade = grade
        if black_listed is not None:
            locked.black_listed = black_listed
        if red_listed is not None:
            locked.red_listed = red_listed
        if locked.black_listed and locked.red_listed:
            raise InvalidInput(_("An applicant cannot be on the black and the red list at once."))
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="applicant.set_credit",
            obj=locked,
            before=before,
            after=snapshot(locked, fields),
            note=reason,
        )
    return locked


def representation_grant(
    *, actor: Any, user: Any, applicant: Applicant, capacity: str
) -> Representation:
    """Let a portal account act for an applicant."""
    require(actor, Action.APPLICANT_CREATE, applicant)
    with transaction.atomic():
        representation, created = Representation.objects.get_or_create(
            user=user, applicant=applicant, defaults={"capacity": capacity}
        )
        if created:
            audit_record(
                actor=actor,
                action="representation.grant",
                obj=applicant,
                after={"user": user.pk, "capacity": capacity},
            )
    return representation
