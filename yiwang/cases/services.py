"""Every write to a case: one function per action, one transaction, its audit record,
its timeline entry and its notice to the applicant.

Each action runs `_perform`: lock the case row, ask the workflow table whether the state allows
the action (409 otherwise), ask the permission module whether the actor may (403/404), change,
recompute the deadlines from the `workdays` clocks, then record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.cases import filing, workflow
from yiwang.cases.clocks import deadlines_of
from yiwang.cases.models import (
    Case,
    CaseMaterial,
    Channel,
    CorrectionNotice,
    StoredFile,
    Suspension,
    TimelineEntry,
    Visit,
)
from yiwang.cases.notifications import notify
from yiwang.cases.numbering import next_case_number
from yiwang.catalog.selectors import implementation_for, implementations_of, item_published
from yiwang.errors import Conflict, InvalidInput, NotFound, invalid_field
from yiwang.permissions import Action, require

TRACKED = [
    "status",
    "department",
    "accepted_on",
    "deemed_accepted",
    "decided_on",
    "issued_on",
    "closed_on",
    "extension_days",
    "due_on",
    "level",
    "green",
    "licence_number",
]
EXTENSION_DAYS = 10  # Art. 42
UPLOAD_LIMIT = 50 * 1024 * 1024
FORBIDDEN_EXTENSIONS = {"exe", "bat", "cmd", "com", "js", "msi", "scr", "sh", "vbs", "jar", "ps1"}
RIGHTS_NOTICE = _(
    "If you disagree with this decision you may apply for administrative reconsideration "
    "within 60 days of receiving it, or bring an administrative lawsuit within 6 months."
)


# Files -----------------------------------------------------------------------------------


def file_store(*, actor: Any, upload: UploadedFile) -> StoredFile:
    """Keep an uploaded file with its SHA-256, size and type; acknowledged only once stored."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension in FORBIDDEN_EXTENSIONS:
        raise invalid_field(
            "file", _("Files of this type may not be uploaded."), code="forbidden_type"
        )
    if upload.size > UPLOAD_LIMIT:
        raise invalid_field("file", _("A file may be at most 50 MB."), code="too_large")
    if upload.size == 0:
        raise invalid_field("file", _("The file is empty."), code="empty")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        stored = StoredFile(
            sha256=digest.hexdigest(),
            size=upload.size,
            original_name=upload.name[:255],
            content_type=(upload.content_type or "application/octet-stream")[:100],
            uploaded_by=actor,
        )
        stored.content.save(f"{stored.sha256[:16]}.{extension or 'bin'}", upload, save=False)
        stored.save()
        audit_record(actor=actor, action="file.store", obj=stored, after=snapshot(stored))
    return stored


# Filing ----------------------------------------------------------------------------------


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
) -> tuple[Case, bool]:
    """File an application; returns (case, created). A repeated idempotency key returns its case."""
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
    form = filing.check_form(form or {})
    chosen = filing.check_materials(actor, version, materials or [])
    implementation = _implementation(version, applicant, department_id)
    try:
        with transaction.atomic():
            case = _create_case(
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
            )
    except IntegrityError:
        if idempotency_key:  # a concurrent retry with the same key won the race
            return Case.objects.get(filed_by=actor, idempotency_key=idempotency_key), False
        raise
    return case, True


def _implementation(version, applicant, department_id: int | None):
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


def _create_case(
    *,
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
        number=next_case_number(department=department, day=today),
        item=version.item,
        item_version=version,
        implementation=implementation,
        department=department,
        region=department.region,
        applicant=applicant,
        filed_by=actor,
        channel=channel,
        procedure=procedure,
        form=form,
        postal_tracking_number=postal_tracking_number.strip(),
        idempotency_key=idempotency_key,
        received_at=now,
        submitted_on=today,
        green=procedure == "green",
    )
    require(actor, Action.CASE_FILE, case)
    _refresh_deadlines(case, today)
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
    _record(
        case,
        actor,
        "receive",
        now,
        note="",
        data={"channel": channel, "missing": missing},
        before=None,
    )
    notify(case=case, kind="received")
    return case


# Actions ---------------------------------------------------------------------------------


def _perform(
    *,
    actor: Any,
    case_id: int,
    action: str,
    change: Callable[[Case, Any], dict | None] | None = None,
    note: str = "",
    notice: str | None = None,
    notice_body: str = "",
    expected_version: int | None = None,
) -> Case:
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("item_version", "implementation", "region", "applicant", "department")
            .filter(pk=case_id)
            .first()
        )
        if case is None:
            raise NotFound(_("No case has the id %(id)s.") % {"id": case_id})
        step = workflow.transition(action)
        if step.permission is not None:
            require(actor, step.permission, case)
        workflow.check(action, case.status)
        if expected_version is not None and expected_version != case.version:
            raise Conflict(_("Someone else changed this case first; reload it."), code="stale")
        before = snapshot(case, TRACKED)
        now = clock.now()
        data = (change(case, now) if change else None) or {}
        if step.target:
            case.status = step.target
        case.version += 1
        _refresh_deadlines(case, clock.localdate(now))
        case.save()
        _record(case, actor, action, now, note=note, data=data, before=before)
        if notice:
            notify(case=case, kind=notice, body=notice_body)
    return case


def _record(case: Case, actor: Any, action: str, now, *, note: str, data: dict, before) -> None:
    label = getattr(actor, "username", None) or "system"
    TimelineEntry.objects.create(
        case=case,
        at=now,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label,
        note=note,
        data=data,
    )
    audit_record(
        actor=actor if getattr(actor, "pk", None) else None,
        action=f"case.{action}",
        obj=case,
        stream=f"case:{case.pk}",
        before=before,
        after={**snapshot(case, TRACKED), **data},
        note=note,
    )


def _refresh_deadlines(case: Case, today) -> None:
    suspensions = list(case.suspensions.all()) if case.pk else []
    deadlines = deadlines_of(case, today, suspensions)
    case.due_on = deadlines.due_on
    case.level = deadlines.level


def _required_text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid_field(field, message, code="required")
    return value


def case_accept(*, actor: Any, case_id: int, note: str = "") -> Case:
    def change(case, now):
        case.accepted_on = clock.localdate(now)

    return _perform(
        actor=actor, case_id=case_id, action="accept", change=change, note=note, notice="accepted"
    )


def case_refuse(*, actor: Any, case_id: int, reason: str, legal_basis: str = "") -> Case:
    """不予受理 (Art. 32): with the reason and its legal basis, told to the applicant."""
    reason = _required_text(reason, "reason", _("Give the reason for not accepting."))

    def change(case, now):
        case.closed_on = clock.localdate(now)
        case.decision_reason = reason
        return {"reason": reason, "legal_basis": legal_basis}

    return _perform(
        actor=actor,
        case_id=case_id,
        action="refuse",
        change=change,
        note=reason,
        notice="refused",
        notice_body=f"{reason} {legal_basis}".strip(),
    )


def case_request_correction(*, actor: Any, case_id: int, items: list[dict], note: str = "") -> Case:
    """One notice listing everything missing (一次性告知, Art. 32(4))."""
    if not items:
        raise invalid_field("items", _("List every missing or wrong material, with a reason."))
    for index, entry in enumerate(items):
        _required_text(entry.get("reason", ""), f"items.{index}.reason", _("Say what is wrong."))

    def change(case, now):
        codes = set(case.item_version.materials.values_list("code", flat=True))
        for index, entry in enumerate(items):
            if entry.get("material_code") not in codes:
                raise invalid_field(
                    f"items.{index}.material_code",
                    _("The item has no material with the code %(code)s.")
                    % {"code": entry.get("material_code")},
                )
        clean = [
            {"material_code": e["material_code"], "reason": e["reason"].strip()} for e in items
        ]
        CorrectionNotice.objects.create(case=case, issued_at=now, issued_by=actor, items=clean)
        CaseMaterial.objects.filter(case=case, code__in=[e["material_code"] for e in clean]).update(
            missing=True
        )
        return {"items": clean}

    body = "\n".join(f"{e.get('material_code')}: {e.get('reason', '').strip()}" for e in items)
    return _perform(
        actor=actor,
        case_id=case_id,
        action="request_correction",
        change=change,
        note=note,
        notice="correction",
        notice_body=body,
    )


def case_resubmit(
    *, actor: Any, case_id: int, materials: list[dict], at_window: bool = False, note: str = ""
) -> Case:
    """The applicant answers the correction notice; the acceptance clock starts again."""

    def change(case, now):
        version = case.item_version
        chosen = {c.code: c for c in filing.check_materials(actor, version, materials or [])}
        notice = case.corrections.filter(answered_at__isnull=True).last()
        asked = [entry["material_code"] for entry in notice.items] if notice else []
        still_missing = [code for code in asked if chosen[code].missing]
        if still_missing:
            raise InvalidInput(
                _("These materials asked for in the notice are still missing: %(codes)s.")
                % {"codes": ", ".join(still_missing)},
                code="still_missing",
                fields={"materials": ", ".join(still_missing)},
            )
        for code in asked:
            CaseMaterial.objects.filter(case=case, code=code).update(
                file=chosen[code].file,
                missing=False,
                from_elicence=chosen[code].from_elicence,
                supplied_at=now,
            )
        if notice:
            notice.answered_at = now
            notice.save(update_fields=["answered_at"])
        case.submitted_on = clock.localdate(now)
        if at_window:
            Visit.objects.create(
                case=case, at=now, purpose=Visit.Purpose.CORRECTION, recorded_by=actor
            )
        return {"supplied": asked}

    return _perform(actor=actor, case_id=case_id, action="resubmit", change=change, note=note)


def case_deem_accepted(*, case_id: int) -> Case:
    """No acceptance, refusal or notice within 5 working days: accepted on the day of receipt."""

    def change(case, now):
        case.accepted_on = case.submitted_on
        case.deemed_accepted = True
        return {"accepted_on": case.submitted_on.isoformat()}

    return _perform(
        actor=None,
        case_id=case_id,
        action="deem_accepted",
        change=change,
        note=str(
            _(
                "No decision on acceptance within 5 working days: accepted on the day of "
                "receipt (Administrative Licensing Law, Art. 32)."
            )
        ),
        notice="deemed_accepted",
    )


def case_dispatch(*, actor: Any, case_id: int, department_id: int, note: str = "") -> Case:
    """Send an accepted case to the back-office department of another implementation entry."""

    def change(case, now):
        from yiwang.regions.models import Department

        department = Department.objects.select_related("region").filter(pk=department_id).first()
        implementation = department and implementation_for(case.item_version, department)
        if implementation is None:
            raise invalid_field("department", _("This department does not carry out the item."))
        case.department, case.implementation, case.region = (
            department,
            implementation,
            department.region,
        )
        return {"department": department.pk}

    return _perform(actor=actor, case_id=case_id, action="dispatch", change=change, note=note)


def case_review(*, actor: Any, case_id: int, opinion: str) -> Case:
    opinion = _required_text(opinion, "opinion", _("Write the review opinion."))

    def change(case, now):
        case.review_opinion = opinion
        case.handler = actor

    return _perform(actor=actor, case_id=case_id, action="review", change=change, note=opinion)


def case_suspend(*, actor: Any, case_id: int, kind: str, reason: str) -> Case:
    """Stop the clocks for expert review, inspection, testing or a hearing (Art. 45)."""
    if kind not in Suspension.Kind.values:
        raise invalid_field(
            "kind",
            _("The kind must be one of: %(kinds)s.") % {"kinds": ", ".join(Suspension.Kind.values)},
        )
    reason = _required_text(reason, "reason", _("Give the written reason for the suspension."))

    def change(case, now):
        Suspension.objects.create(
            case=case,
            kind=kind,
            reason=reason,
            started_on=clock.localdate(now),
            resume_status=case.status,
        )
        return {"kind": kind}

    return _perform(
        actor=actor,
        case_id=case_id,
        action="suspend",
        change=change,
        note=reason,
        notice="suspended",
        notice_body=reason,
    )


def case_resume(*, actor: Any, case_id: int, note: str = "") -> Case:
    def change(case, now):
        open_suspension = case.suspensions.filter(ended_on__isnull=True).last()
        open_suspension.ended_on = clock.localdate(now)
        open_suspension.save(update_fields=["ended_on"])
        case.status = open_suspension.resume_status
        return {"suspended_from": open_suspension.started_on.isoformat()}

    return _perform(
        actor=actor, case_id=case_id, action="resume", change=change, note=note, notice="resumed"
    )


def case_extend(*, actor: Any, case_id: int, reason: str) -> Case:
    """Once, by 10 working days, with the approver's consent and a reason told (Art. 42)."""
    reason = _required_text(reason, "reason", _("Give the reason for the extension."))

    def change(case, now):
        if case.extension_days:
            raise Conflict(
                _("The time limit was already extended once; the law allows one extension."),
                code="already_extended",
            )
        case.extension_days = EXTENSION_DAYS
        case.extension_reason = reason
        return {"days": EXTENSION_DAYS}

    return _perform(
        actor=actor,
        case_id=case_id,
        action="extend",
        change=change,
        note=reason,
        notice="extended",
        notice_body=reason,
    )


def case_approve(
    *, actor: Any, case_id: int, note: str = "", expected_version: int | None = None
) -> Case:
    def change(case, now):
        case.decided_on = clock.localdate(now)
        case.decision_reason = note

    return _perform(
        actor=actor,
        case_id=case_id,
        action="approve",
        change=change,
        note=note,
        notice="approved",
        expected_version=expected_version,
    )


def case_deny(
    *, actor: Any, case_id: int, reason: str, expected_version: int | None = None
) -> Case:
    """Deny with reasons and the right to reconsideration or a lawsuit (Art. 38)."""
    reason = _required_text(reason, "reason", _("Give the reasons for the denial."))

    def change(case, now):
        case.decided_on = case.closed_on = clock.localdate(now)
        case.decision_reason = reason

    return _perform(
        actor=actor,
        case_id=case_id,
        action="deny",
        change=change,
        note=reason,
        notice="denied",
        notice_body=f"{reason}\n{RIGHTS_NOTICE}",
        expected_version=expected_version,
    )


def case_issue(*, actor: Any, case_id: int, licence_number: str = "", note: str = "") -> Case:
    """Record the licence handed over (Art. 44); the licences app issues the document itself."""

    def change(case, now):
        case.issued_on = case.closed_on = clock.localdate(now)
        case.licence_number = (
            licence_number.strip() or f"{case.item_version.licence_type_code or 'L'}-{case.number}"
        )
        return {"licence_number": case.licence_number}

    return _perform(
        actor=actor, case_id=case_id, action="issue", change=change, note=note, notice="issued"
    )


def case_withdraw(*, actor: Any, case_id: int, reason: str = "") -> Case:
    def change(case, now):
        case.closed_on = clock.localdate(now)
        for suspension in case.suspensions.filter(ended_on__isnull=True):
            suspension.ended_on = case.closed_on
            suspension.save(update_fields=["ended_on"])

    return _perform(
        actor=actor,
        case_id=case_id,
        action="withdraw",
        change=change,
        note=reason,
        notice="withdrawn",
    )


def case_record_visit(*, actor: Any, case_id: int, purpose: str) -> Case:
    if purpose not in Visit.Purpose.values:
        raise invalid_field(
            "purpose",
            _("The purpose must be one of: %(values)s.")
            % {"values": ", ".join(Visit.Purpose.values)},
        )

    def change(case, now):
        Visit.objects.create(case=case, at=now, purpose=purpose, recorded_by=actor)
        return {"purpose": purpose}

    return _perform(actor=actor, case_id=case_id, action="record_visit", change=change)


def case_refresh_deadlines(*, case_id: int) -> tuple[str, str]:
    """Recompute a case's due date and level for today; returns (old level, new level)."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("item_version", "implementation")
            .get(pk=case_id)
        )
        old = case.level
        _refresh_deadlines(case, clock.today())
        Case.objects.filter(pk=case.pk).update(level=case.level, due_on=case.due_on)
    return old, case.level


def case_alert_staff(*, case_id: int, level: str) -> list:
    """Tell the handler (or, with none, the department's reviewers) and the department's leaders."""
    from yiwang.cases.models import StaffAlert
    from yiwang.regions.models import Role, Staff

    case = Case.objects.get(pk=case_id)
    staff = Staff.objects.filter(department_id=case.department_id, is_active=True)
    leaders = set(staff.filter(roles__role=Role.LEADER).values_list("user_id", flat=True))
    handlers = (
        {case.handler_id}
        if case.handler_id
        else set(staff.filter(roles__role=Role.REVIEWER).values_list("user_id", flat=True))
    )
    now = clock.now()
    with transaction.atomic():
        alerts = StaffAlert.objects.bulk_create(
            StaffAlert(user_id=user_id, case=case, level=level, created_at=now)
            for user_id in sorted(handlers | leaders)
        )
        audit_record(
            actor=None,
            action="case.alert",
            obj=case,
            stream=f"case:{case.pk}",
            after={"level": level, "users": sorted(handlers | leaders)},
        )
    return alerts
