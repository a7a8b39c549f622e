"""Every write to a case: one function per action, one transaction, its audit record,
its timeline entry and its notice to the applicant.

Each action runs `transitions.perform`: lock the case row, ask the workflow table whether the
state allows the action (409 otherwise), ask the permission module whether the actor may
(403/404), change, recompute the deadlines from the `workdays` clocks, then record. Filing
(`case_submit`, `file_store`) lives in `submission`; the reform procedures in `procedures`.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from pydantic import AliasChoices, BeforeValidator, Field

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.cases.engine import hooks, table
from yiwang.cases.engine.actions import case_action
from yiwang.cases.engine.perform import perform, refresh_deadlines, required_text
from yiwang.cases.engine.states import Status
from yiwang.cases.engine.statutes import (
    ACCEPTANCE_DAYS,
    EXTENSION_DAYS,
    LAWSUIT_MONTHS,
    RECONSIDERATION_DAYS,
)
from yiwang.cases.models import (
    Case,
    CaseMaterial,
    CorrectionNotice,
    StaffAlert,
    Suspension,
    Visit,
)
from yiwang.cases.submission import case_submit, file_store, materials_supply
from yiwang.catalog.selectors import implementation_for
from yiwang.errors import Conflict, invalid_field
from yiwang.licences.services import (
    licence_number_for_issue,
    licence_number_void,
    licence_of_issue,
)
from yiwang.permissions import may
from yiwang.regions.models import Department, Role, Staff

__all__ = ["case_submit", "file_store"]  # filing writes, re-exported: callers use `services`

RIGHTS_NOTICE = _(
    "If you disagree with this decision you may apply for administrative reconsideration "
    "within %(days)s days of receiving it, or bring an administrative lawsuit within "
    "%(months)s months."
)


def _id_of(value):
    """A related object given as its id, as {"id": …} (API.md) or as a form's text."""
    if isinstance(value, dict):
        return value.get("id")
    return None if value == "" else value


DepartmentId = Annotated[
    int,
    BeforeValidator(_id_of),
    Field(validation_alias=AliasChoices("department", "department_id")),
]
ExpectedVersion = Annotated[
    int | None, Field(validation_alias=AliasChoices("version", "expected_version"))
]
Opinion = Annotated[str, Field(validation_alias=AliasChoices("opinion", "note"))]
Reason = Annotated[str, Field(validation_alias=AliasChoices("reason", "note"))]


def rights_notice() -> str:
    return str(RIGHTS_NOTICE) % {"days": RECONSIDERATION_DAYS, "months": LAWSUIT_MONTHS}


@case_action("accept")
def case_accept(*, actor: Any, case_id: int, note: str = "") -> Case:
    def change(case, now):
        case.accepted_on = clock.localdate(now)

    return perform(
        actor=actor, case_id=case_id, action="accept", change=change, note=note, notice="accepted"
    )


@case_action("refuse")
def case_refuse(*, actor: Any, case_id: int, reason: str, legal_basis: str = "") -> Case:
    """不予受理 (Art. 32): with the reason and its legal basis, told to the applicant."""
    reason = required_text(reason, "reason", _("Give the reason for not accepting."))

    def change(case, now):
        case.closed_on = clock.localdate(now)
        case.decision_reason = reason
        return {"reason": reason, "legal_basis": legal_basis}

    return perform(
        actor=actor,
        case_id=case_id,
        action="refuse",
        change=change,
        note=reason,
        notice="refused",
        notice_body=f"{reason} {legal_basis}".strip(),
    )


@case_action("request_correction")
def case_request_correction(*, actor: Any, case_id: int, items: list[dict], note: str = "") -> Case:
    """One notice listing everything missing (一次性告知, Art. 32(4))."""
    if not items:
        raise invalid_field("items", _("List every missing or wrong material, with a reason."))
    for index, entry in enumerate(items):
        required_text(entry.get("reason", ""), f"items.{index}.reason", _("Say what is wrong."))

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
    return perform(
        actor=actor,
        case_id=case_id,
        action="request_correction",
        change=change,
        note=note,
        notice="correction",
        notice_body=body,
    )


@case_action("resubmit")
def case_resubmit(
    *, actor: Any, case_id: int, materials: list[dict], at_window: bool = False, note: str = ""
) -> Case:
    """The applicant answers the correction notice; the acceptance clock starts again."""

    def change(case, now):
        notice = case.corrections.filter(answered_at__isnull=True).last()
        asked = [entry["material_code"] for entry in notice.items] if notice else []
        materials_supply(
            actor=actor,
            case=case,
            owed=asked,
            given=materials,
            now=now,
            missing_message=_(
                "These materials asked for in the notice are still missing: %(codes)s."
            ),
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

    return perform(actor=actor, case_id=case_id, action="resubmit", change=change, note=note)


def case_deem_accepted(*, case_id: int) -> Case:
    """No acceptance, refusal or notice within 5 working days: accepted on the day of receipt."""

    def change(case, now):
        case.accepted_on = case.submitted_on
        case.deemed_accepted = True
        return {"accepted_on": case.submitted_on.isoformat()}

    return perform(
        actor=None,
        case_id=case_id,
        action="deem_accepted",
        change=change,
        note=str(
            _(
                "No decision on acceptance within %(days)s working days: accepted on the day of "
                "receipt (Administrative Licensing Law, Art. 32)."
            )
        )
        % {"days": ACCEPTANCE_DAYS},
        notice="deemed_accepted",
    )


@case_action("dispatch")
def case_dispatch(*, actor: Any, case_id: int, department_id: DepartmentId, note: str = "") -> Case:
    """Send an accepted case to the back-office department of another implementation entry."""

    def change(case, now):
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

    return perform(actor=actor, case_id=case_id, action="dispatch", change=change, note=note)


@case_action("review")
def case_review(*, actor: Any, case_id: int, opinion: Opinion) -> Case:
    opinion = required_text(opinion, "opinion", _("Write the review opinion."))

    def change(case, now):
        case.review_opinion = opinion
        case.handler = actor

    return perform(actor=actor, case_id=case_id, action="review", change=change, note=opinion)


@case_action("suspend")
def case_suspend(*, actor: Any, case_id: int, kind: str, reason: str) -> Case:
    """Stop the clocks for expert review, inspection, testing or a hearing (Art. 45)."""
    if kind not in Suspension.Kind.values:
        raise invalid_field(
            "kind",
            _("The kind must be one of: %(kinds)s.") % {"kinds": ", ".join(Suspension.Kind.values)},
        )
    reason = required_text(reason, "reason", _("Give the written reason for the suspension."))

    def change(case, now):
        Suspension.objects.create(
            case=case,
            kind=kind,
            reason=reason,
            started_on=clock.localdate(now),
            resume_status=case.status,
        )
        return {"kind": kind}

    return perform(
        actor=actor,
        case_id=case_id,
        action="suspend",
        change=change,
        note=reason,
        notice="suspended",
        notice_body=reason,
    )


@case_action("resume")
def case_resume(*, actor: Any, case_id: int, note: str = "") -> Case:
    def change(case, now):
        open_suspension = case.suspensions.filter(ended_on__isnull=True).last()
        open_suspension.ended_on = clock.localdate(now)
        open_suspension.save(update_fields=["ended_on"])
        case.status = open_suspension.resume_status
        return {"suspended_from": open_suspension.started_on.isoformat()}

    return perform(
        actor=actor, case_id=case_id, action="resume", change=change, note=note, notice="resumed"
    )


@case_action("extend")
def case_extend(*, actor: Any, case_id: int, reason: str) -> Case:
    """Once, by 10 working days, with the approver's consent and a reason told (Art. 42)."""
    reason = required_text(reason, "reason", _("Give the reason for the extension."))

    def change(case, now):
        case.extension_days = EXTENSION_DAYS
        case.extension_reason = reason
        return {"days": EXTENSION_DAYS}

    return perform(
        actor=actor,
        case_id=case_id,
        action="extend",
        change=change,
        note=reason,
        notice="extended",
        notice_body=reason,
    )


@case_action("approve")
def case_approve(
    *, actor: Any, case_id: int, note: str = "", expected_version: ExpectedVersion = None
) -> Case:
    def change(case, now):
        case.decided_on = clock.localdate(now)
        case.decision_reason = note
        hooks.run("on_decision", case=case, actor=actor, approved=True, note=note)

    return perform(
        actor=actor,
        case_id=case_id,
        action="approve",
        change=change,
        note=note,
        notice="approved",
        expected_version=expected_version,
    )


@case_action("deny")
def case_deny(
    *, actor: Any, case_id: int, reason: str, expected_version: ExpectedVersion = None
) -> Case:
    """Deny with reasons and the right to reconsideration or a lawsuit (Art. 38)."""
    reason = required_text(reason, "reason", _("Give the reasons for the denial."))

    def change(case, now):
        case.decided_on = case.closed_on = clock.localdate(now)
        case.decision_reason = reason
        hooks.run("on_decision", case=case, actor=actor, approved=False, note=reason)

    return perform(
        actor=actor,
        case_id=case_id,
        action="deny",
        change=change,
        note=reason,
        notice="denied",
        notice_body=f"{reason}\n{rights_notice()}",
        expected_version=expected_version,
    )


@case_action("issue")
def case_issue(*, actor: Any, case_id: int, note: str = "") -> Case:
    """Issue the licence of an approved case (Art. 44) through the licences app.

    Under tolerance with materials still owed the licence is provisional, or held back when the
    item says so; a first-use permit issued at filing is the licence itself. A new licence's
    number is taken before the issuing transaction, so issues of one licence type do not wait
    for each other's whole transaction (docs/licences.md, "Licence numbers").
    """
    with licence_number_for_issue(actor=actor, case=_issuable(actor, case_id)) as number:

        def change(case, now):
            mode = hooks.first("issue_mode", "valid", case=case)
            if mode == "held":
                raise Conflict(
                    _("The licence is held until the promised materials arrive (容缺后补)."),
                    code="licence_held",
                )
            licence = licence_of_issue(
                actor=actor, case=case, provisional=mode == "provisional", number=number
            )
            case.issued_on = case.closed_on = clock.localdate(now)
            case.licence_number = licence.number
            return {"licence_number": licence.number, "licence_status": licence.status}

        case = perform(
            actor=actor, case_id=case_id, action="issue", change=change, note=note, notice="issued"
        )
    if number and case.licence_number != number:  # issued, but not as a new licence after all
        licence_number_void(actor=actor, number=number, reason="unused")
    return case


def _issuable(actor: Any, case_id: int) -> Case | None:
    """The case, when this actor may issue it now; otherwise None, and no number is taken
    (`perform` then answers with the reason)."""
    case = (
        Case.objects.select_related("item", "item_version", "department__region", "region")
        .filter(pk=case_id, status=Status.APPROVED)
        .first()
    )
    permission = table.transition("issue").permission
    if case is None or (permission is not None and not may(actor, permission, case)):
        return None
    return case


@case_action("withdraw")
def case_withdraw(*, actor: Any, case_id: int, reason: Reason = "") -> Case:
    def change(case, now):
        case.closed_on = clock.localdate(now)
        for suspension in case.suspensions.filter(ended_on__isnull=True):
            suspension.ended_on = case.closed_on
            suspension.save(update_fields=["ended_on"])

    return perform(
        actor=actor,
        case_id=case_id,
        action="withdraw",
        change=change,
        note=reason,
        notice="withdrawn",
    )


@case_action("record_visit")
def case_record_visit(*, actor: Any, case_id: int, purpose: str = "other") -> Case:
    if purpose not in Visit.Purpose.values:
        raise invalid_field(
            "purpose",
            _("The purpose must be one of: %(values)s.")
            % {"values": ", ".join(Visit.Purpose.values)},
        )

    def change(case, now):
        Visit.objects.create(case=case, at=now, purpose=purpose, recorded_by=actor)
        return {"purpose": purpose}

    return perform(actor=actor, case_id=case_id, action="record_visit", change=change)


def case_refresh_deadlines(*, case_id: int) -> tuple[str, str]:
    """Recompute a case's due date and level for today; returns (old level, new level)."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("item_version", "implementation")
            .get(pk=case_id)
        )
        old = case.level
        refresh_deadlines(case, clock.today())
        Case.objects.filter(pk=case.pk).update(level=case.level, due_on=case.due_on)
    return old, case.level


def case_alert_staff(*, case_id: int, level: str) -> list:
    """Tell the handler (or, with none, the department's reviewers) and the department's leaders."""
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
