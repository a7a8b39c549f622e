"""Filing writes: storing uploaded files and creating a case (the checks are in `filing`)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.cases import filing, prereviews
from yiwang.cases.engine import hooks
from yiwang.cases.engine.perform import record_step, refresh_deadlines
from yiwang.cases.models import (
    Case,
    CaseMaterial,
    Channel,
    StoredFile,
    Visit,
    applicant_priority_of,
)
from yiwang.cases.numbering import case_number_for_filing
from yiwang.catalog.selectors import item_published
from yiwang.errors import InvalidInput, NotFound, invalid_field
from yiwang.permissions import Action, require
from yiwang.security.uploads import inspect_upload

UPLOAD_LIMIT = 50 * 1024 * 1024


def file_store(*, actor: Any, upload: UploadedFile) -> StoredFile:
    """Keep an uploaded file with its SHA-256, size and type; acknowledged only once stored."""
    if upload.size > UPLOAD_LIMIT:
        raise invalid_field("file", _("A file may be at most 50 MB."), code="too_large")
    if upload.size == 0:
        raise invalid_field("file", _("The file is empty."), code="empty")
    used = StoredFile.objects.filter(uploaded_by=actor).aggregate(total=Sum("size"))["total"]
    checked = inspect_upload(upload, used_bytes=used or 0)  # by content: type, name, quota, scan
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        stored = StoredFile(
            sha256=digest.hexdigest(),
            size=upload.size,
            original_name=checked.name[:255],
            content_type=checked.content_type,
            uploaded_by=actor,
        )
        stored.content.save(f"{stored.sha256[:16]}.{checked.kind}", upload, save=False)
        stored.save()
        audit_record(actor=actor, action="file.store", obj=stored, after=snapshot(stored))
    return stored


def case_submit(
    *,
    actor: Any,
    item_code: str,
    channel: str,
    form: dict,
    materials: list[dict],
    procedure: str = "standard",
    applicant_id: int | None = None,
    department_id: int | None = None,
    postal_tracking_number: str = "",
    idempotency_key: str | None = None,
    commitment_signed: bool = False,
    prereview_id: int | None = None,
    duplicate_allowed: bool = True,
) -> tuple[Case, bool]:
    """File an application; returns (case, created). A repeated idempotency key returns its case.

    Pages pass `duplicate_allowed=False` until the person confirms: a second open case of the
    same applicant for the same item is then refused (409) naming the case already open.
    """
    if idempotency_key:
        existing = Case.objects.filter(filed_by=actor, idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
    try:
        version = item_published(item_code)
    except NotFound as error:
        raise invalid_field(
            "item_code",
            _("No published item has the code %(code)s.") % {"code": item_code},
            code="unknown_item",
        ) from error
    filing.check_channel(channel, version, postal_tracking_number)
    filing.check_procedure(procedure, version)
    applicant = filing.applicant_for_filing(actor, applicant_id)
    if not duplicate_allowed:
        filing.refuse_duplicate(applicant, version.item)
    form = filing.check_form(form or {}, version, applicant)
    chosen = filing.check_materials(actor, version, materials or [])
    hooks.run(
        "check_filing",
        procedure=procedure,
        version=version,
        applicant=applicant,
        chosen=chosen,
        commitment_signed=commitment_signed,
    )
    green_mark = hooks.first(
        "green_mark", None, procedure=procedure, version=version, day=clock.today()
    )
    implementation = filing.implementation_for_applicant(version, applicant, department_id)
    prereview = (
        prereviews.for_filing(actor, prereview_id, version, applicant) if prereview_id else None
    )
    try:
        with (
            case_number_for_filing(
                actor=actor, department=implementation.department, day=clock.today()
            ) as number,
            transaction.atomic(),
        ):
            case = _create_case(
                number=number,
                actor=actor,
                version=version,
                implementation=implementation,
                applicant=applicant,
                channel=channel,
                procedure=procedure,
                form=form,
                chosen=chosen,
                postal_tracking_number=postal_tracking_number,
                idempotency_key=idempotency_key,
                green_mark=green_mark,
                prereview=prereview,
            )
            hooks.run("after_filing", case=case, actor=actor, commitment_signed=commitment_signed)
        case = hooks.first("after_filing_commit", case, case=case)
    except IntegrityError:
        if idempotency_key:  # a concurrent retry with the same key won the race
            return Case.objects.get(filed_by=actor, idempotency_key=idempotency_key), False
        raise
    return case, True


def _create_case(
    *,
    number: str,
    green_mark=None,
    prereview=None,
    actor,
    version,
    implementation,
    applicant,
    channel,
    procedure,
    form,
    chosen,
    postal_tracking_number,
    idempotency_key,
) -> Case:
    now = clock.now()
    today = clock.localdate(now)
    department = implementation.department
    case = Case(
        number=number,
        item=version.item,
        item_version=version,
        implementation=implementation,
        department=department,
        region=department.region,
        applicant=applicant,
        applicant_priority=applicant_priority_of(applicant.credit_grade),
        filed_by=actor,
        channel=channel,
        procedure=procedure,
        form=form,
        postal_tracking_number=postal_tracking_number.strip(),
        idempotency_key=idempotency_key,
        received_at=now,
        submitted_on=today,
        green=green_mark is not None,
        handler=green_mark.handler if green_mark else None,
        prereview=prereview,
    )
    require(actor, Action.CASE_FILE, case)
    refresh_deadlines(case, today)
    case.save()
    CaseMaterial.objects.bulk_create(
        CaseMaterial(
            case=case,
            code=c.code,
            name=c.name,
            file=c.file,
            missing=c.missing,
            from_elicence=c.from_elicence,
            supplied_at=now if c.file else None,
        )
        for c in chosen
    )
    if channel == Channel.WINDOW:
        Visit.objects.create(case=case, at=now, purpose=Visit.Purpose.FILING, recorded_by=actor)
    missing = [c.code for c in chosen if c.missing]
    record_step(
        case,
        actor,
        "receive",
        now,
        note="",
        data={"channel": channel, "missing": missing},
        before=None,
        notice="received",
    )
    return case


def materials_supply(
    *, actor: Any, case: Case, owed: list[str], given: list[dict], now, missing_message
) -> None:
    """Inside an action's transaction: the files for the owed materials, every one of them, or 400.

    `missing_message` names the rule (a correction notice, a tolerance promise) with %(codes)s.
    """
    chosen = {c.code: c for c in filing.check_materials(actor, case.item_version, given or [])}
    still = [code for code in owed if chosen[code].missing]
    if still:
        raise InvalidInput(
            missing_message % {"codes": ", ".join(still)},
            code="still_missing",
            fields={"materials": ", ".join(still)},
        )
    for code in owed:
        CaseMaterial.objects.filter(case=case, code=code).update(
            file=chosen[code].file,
            missing=False,
            from_elicence=chosen[code].from_elicence,
            supplied_at=now,
        )
