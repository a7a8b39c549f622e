"""Notification-commitment (告知承诺): decided the same working day on the signed text; a
post-approval check by an inspector follows, and a false commitment revokes the licence and
enters the credit record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.cases.engine.hooks import hook
from yiwang.cases.engine.perform import perform, record_step
from yiwang.cases.models import Case, CommitmentCheck, Procedure
from yiwang.cases.procedures.completeness import record_signature, require_complete
from yiwang.credit.services import credit_event_record
from yiwang.errors import Conflict, invalid_field
from yiwang.licences.services import licence_for_case, licence_issue_for_case, licence_revoke
from yiwang.permissions import Action, require
from yiwang.workdays.calendar import add_working_days

DEFAULT_CHECK_DAYS = 20


@hook("check_filing")
def check_commitment_filing(*, procedure: str, version, chosen, commitment_signed: bool, **_c):
    if procedure != Procedure.COMMITMENT:
        return
    if not commitment_signed:
        raise invalid_field(
            "commitment_signed",
            _("Notification-commitment needs the commitment text signed."),
            code="commitment_not_signed",
        )
    require_complete(version=version, chosen=chosen)


@hook("after_filing")
def keep_signed_commitment(*, case: Case, actor: Any, commitment_signed: bool) -> None:
    if case.procedure == Procedure.COMMITMENT and commitment_signed:
        record_signature(
            case,
            actor,
            _("I promise to supply the missing materials within the period set by the item."),
        )


@hook("after_filing_commit")
def decide_on_commitment(*, case: Case) -> Case | None:
    if case.procedure != Procedure.COMMITMENT:
        return None
    return commitment_decide(case_id=case.pk)


def commitment_decide(*, case_id: int) -> Case:
    """Accepted and decided the same working day on the signed commitment; the check follows."""

    def change(case, now):
        today = clock.localdate(now)
        case.accepted_on = case.decided_on = case.issued_on = case.closed_on = today
        licence = licence_issue_for_case(actor=None, case=case)
        case.licence_number = licence.number
        days = case.item_version.commitment_check_days or DEFAULT_CHECK_DAYS
        due, _provisional = add_working_days(today, days)
        CommitmentCheck.objects.create(
            case=case, department=case.department, starts_on=today, period_days=days, due_on=due
        )
        return {"licence_number": licence.number, "check_due": due.isoformat()}

    return perform(
        actor=None,
        case_id=case_id,
        action="commitment_decide",
        change=change,
        note=str(
            _(
                "Decided on the applicant's signed commitment (告知承诺); "
                "a post-approval check follows."
            )
        ),
        notice="issued",
    )


def commitment_check_record(
    *, actor: Any, check_id: int, truthful: bool, findings: str
) -> CommitmentCheck:
    """An inspector's finding: true closes the follow-up; false revokes and enters credit."""

    findings = (findings or "").strip()
    if not findings:
        raise invalid_field("findings", _("Write down what the check found."), code="required")
    with transaction.atomic():
        check = (
            CommitmentCheck.objects.select_for_update(of=("self",))
            .select_related("case__applicant", "department__region")
            .filter(pk=check_id)
            .first()
        )
        if check is None:
            raise invalid_field("check", _("No such commitment check."))
        require(actor, Action.COMMITMENT_CHECK, check)
        if check.result != CommitmentCheck.Result.PENDING:
            raise Conflict(_("This check already has its result."), code="already_checked")
        before = snapshot(check, ["result", "findings", "inspector", "checked_on"])
        check.result = (
            CommitmentCheck.Result.CONFIRMED if truthful else CommitmentCheck.Result.FALSE
        )
        check.findings, check.inspector, check.checked_on = findings, actor, clock.today()
        check.save()
        case = check.case
        if truthful:
            credit_event_record(
                actor=actor,
                applicant=case.applicant,
                kind="commitment_kept",
                case=case,
                note=findings,
            )
        else:
            licence = licence_for_case(case)
            if licence is not None:
                licence_revoke(actor=actor, licence=licence, reason=findings)
            credit_event_record(
                actor=actor,
                applicant=case.applicant,
                kind="false_commitment",
                case=case,
                note=findings,
            )
        record_step(
            case,
            actor,
            "commitment_check",
            clock.now(),
            note=findings,
            data={"result": check.result},
            before=None,
        )
        audit_record(
            actor=actor,
            action="commitment_check.record",
            obj=check,
            before=before,
            after=snapshot(check, ["result", "findings", "inspector", "checked_on"]),
        )
    return check
