"""Filing an application: checking the item, channel, applicant, form and materials.

Split from `services.py` because filing has many input rules; the write itself is
`services.case_submit`.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from yiwang.cases.engine.states import OPEN
from yiwang.cases.models import Case, Channel, Procedure, StoredFile
from yiwang.catalog.answers import answers_check, is_empty
from yiwang.catalog.forms import prefill_from_profile
from yiwang.catalog.selectors import dictionaries_for, implementations_of
from yiwang.errors import Conflict, InvalidInput, invalid_field
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, may, refusal, scope_of

REQUIRED_FORM_FIELDS = {
    "contact_name": _("Name of the contact person"),
    "contact_phone": _("Phone of the contact person"),
}
MB = 1024 * 1024


@dataclass
class MaterialChoice:
    code: str
    name: str
    file: StoredFile | None = None
    missing: bool = False
    from_elicence: bool = False


def check_channel(channel: str, version, postal_tracking_number: str) -> None:
    if channel not in Channel.values:
        raise invalid_field("channel", _("Unknown channel: %(value)s.") % {"value": channel})
    allowed = set(version.channels or []) | {Channel.WINDOW}
    if channel not in allowed:
        raise invalid_field(
            "channel",
            _("This item cannot be applied for through the channel “%(value)s”.")
            % {"value": Channel(channel).label},
        )
    if channel == Channel.MAIL and not postal_tracking_number.strip():
        raise invalid_field(
            "postal_tracking_number", _("A mailed application needs its postal tracking number.")
        )


def check_procedure(procedure: str, version) -> None:
    if procedure not in Procedure.values:
        raise invalid_field("procedure", _("Unknown procedure: %(value)s.") % {"value": procedure})
    if procedure != Procedure.STANDARD and procedure not in (version.procedures or []):
        raise invalid_field(
            "procedure",
            _("The item does not allow the procedure “%(value)s”.")
            % {"value": Procedure(procedure).label},
        )


def applicant_for_filing(actor: Any, applicant_id: int | None) -> Applicant:
    """Staff at the window file for anyone in their region; portal users for whom they represent."""
    scope = scope_of(actor)
    if applicant_id is None:
        if len(scope.applicant_ids) == 1:
            applicant_id = next(iter(scope.applicant_ids))
        else:
            raise invalid_field("applicant", _("Say which applicant this application is for."))
    applicant = Applicant.objects.select_related("region").filter(pk=applicant_id).first()
    if applicant is None:
        raise invalid_field(
            "applicant", _("No applicant has the id %(id)s.") % {"id": applicant_id}
        )
    if applicant.pk in scope.applicant_ids or may(actor, Action.CASE_FILE_FOR_OTHERS, applicant):
        return applicant
    # Refused as any permission is (403, or 404 for an applicant outside one's view), not as
    # a bad field: nothing about another applicant is revealed by trying its id.
    message = _("You may not apply for this applicant.")
    raise refusal(actor, applicant, message, code="forbidden", fields={"applicant": message})


def open_case_of(applicant, item) -> Case | None:
    """The applicant's newest case for the item that is still open, if any."""
    return (
        Case.objects.filter(applicant=applicant, item=item, status__in=sorted(OPEN))
        .order_by("-received_at")
        .first()
    )


def closed_case_with_key(actor, key: str) -> bool:
    """Whether the form session's key already filed a case that is no longer open."""
    return (
        Case.objects.filter(filed_by=actor, idempotency_key=key)
        .exclude(status__in=sorted(OPEN))
        .exists()
    )


def refuse_duplicate(applicant, item) -> None:
    existing = open_case_of(applicant, item)
    if existing is not None:
        message = _(
            "Application %(number)s for this item, filed on %(day)s, is still open. "
            "Confirm to file another one."
        ) % {"number": existing.number, "day": existing.submitted_on.isoformat()}
        raise Conflict(message, code="duplicate_open_case", fields={"confirm_duplicate": message})


def check_form(form: dict, version=None, applicant=None) -> dict:
    """The contact fields and the item version's own form (申请表), checked together.

    An answer left out that the applicant's profile gives (name, address …) is taken from
    the profile, as the filing page shows it prefilled.
    """
    problems = {
        f"form.{name}": _("%(label)s is required.") % {"label": label}
        for name, label in REQUIRED_FORM_FIELDS.items()
        if not str(form.get(name, "")).strip()
    }
    fields = version.application_form if version is not None else []
    if fields:
        given = {key: value for key, value in form.items() if not is_empty(value)}
        dictionaries = dictionaries_for(fields)
        answers = (
            {**prefill_from_profile(fields, applicant, dictionaries), **given}
            if applicant
            else given
        )
        try:
            form = answers_check(fields=fields, answers=answers, dictionaries=dictionaries)
        except InvalidInput as error:
            problems.update(error.fields)
    if problems:
        first = next(iter(problems.values()))
        raise InvalidInput(first, code="invalid_form", fields=problems)
    return form


def check_materials(actor: Any, version, given: list[dict]) -> list[MaterialChoice]:
    """Each material of the item, with its file, or marked missing; unknown codes are refused."""
    expected = {material.code: material for material in version.materials.all()}
    chosen: dict[str, MaterialChoice] = {}
    file_ids = [entry.get("file_id") for entry in given if entry.get("file_id")]
    files = {f.pk: f for f in StoredFile.objects.filter(pk__in=file_ids)}
    for index, entry in enumerate(given):
        code = entry.get("code")
        if code not in expected:
            raise invalid_field(
                f"materials.{index}.code",
                _("The item has no material with the code %(code)s.") % {"code": code},
                code="unknown_material",
            )
        material = expected[code]
        choice = MaterialChoice(code=code, name=material.name)
        if entry.get("file_id"):
            choice.file = _checked_file(actor, material, files.get(entry["file_id"]), index)
        elif entry.get("from_elicence") and material.from_elicence:
            choice.from_elicence = True
        else:
            choice.missing = True
        chosen[code] = choice
    for code, material in expected.items():
        chosen.setdefault(code, MaterialChoice(code=code, name=material.name, missing=True))
    return [chosen[code] for code in expected]


def _checked_file(actor: Any, material, stored: StoredFile | None, index: int) -> StoredFile:
    field = f"materials.{index}.file_id"
    if stored is None or (stored.uploaded_by_id != actor.pk and not scope_of(actor).roles):
        raise invalid_field(field, _("No uploaded file has this id."), code="unknown_file")
    limit = (material.max_size_mb or 10) * MB
    if stored.size > limit:
        raise invalid_field(
            field,
            _("%(file)s: %(name)s may be at most %(limit)s MB; this file has %(size).1f MB.")
            % {
                "file": stored.original_name,
                "name": material.name,
                "limit": material.max_size_mb,
                "size": stored.size / MB,
            },
            code="too_large",
        )
    allowed = [kind.lower().lstrip(".") for kind in (material.allowed_types or [])]
    if allowed and file_kind(stored) not in allowed:
        raise invalid_field(
            field,
            _("%(file)s: %(name)s must be one of: %(kinds)s.")
            % {"file": stored.original_name, "name": material.name, "kinds": ", ".join(allowed)},
            code="forbidden_type",
        )
    return stored


def file_kind(stored: StoredFile) -> str:
    """The file's kind as an extension, from its declared type, else its name."""
    extension = mimetypes.guess_extension(stored.content_type or "") or ""
    if extension in ("", ".bin"):
        extension = (
            "." + stored.original_name.rsplit(".", 1)[-1] if "." in stored.original_name else ""
        )
    return {"jpe": "jpg", "jpeg": "jpg"}.get(
        extension.lstrip(".").lower(), extension.lstrip(".").lower()
    )


def implementation_for_applicant(version, applicant, department_id: int | None = None):
    """The implementation entry that takes the case: the one asked for, else the nearest one."""
    candidates = list(implementations_of(version.item).select_related("department__region"))
    if department_id is not None:
        for implementation in candidates:
            if implementation.department_id == department_id:
                return implementation
        raise invalid_field("department", _("This department does not carry out the item."))
    covering = [
        i for i in candidates if applicant.region.code.startswith(i.department.region.prefix)
    ]
    if not covering:
        raise invalid_field(
            "item_code", _("No department carries out this item for the applicant's region.")
        )
    # The most local department that covers the applicant takes it.
    return max(covering, key=lambda i: (len(i.department.region.prefix), -i.pk))
