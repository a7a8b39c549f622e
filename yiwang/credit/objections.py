"""Objection (异议) and credit repair (信用修复).

An entity objects to one of its own facts; the fact is marked disputed and the department that
owns it answers within a number of working days: upheld corrects the fact (it stops counting),
rejected restores it. After correcting what it did, the entity applies for repair with its
evidence once the fact's minimum period has passed; a granted repair ends the fact's effect
from that day, takes its rule-made list entries off, and regrades the entity.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.credit.grading import grade_pass
from yiwang.credit.lists import list_entries_end_for_fact
from yiwang.credit.models import CreditFact, Objection, Repair
from yiwang.credit.rules import OBJECTION_ANSWER_WORKING_DAYS, REPAIR_DECISION_WORKING_DAYS
from yiwang.errors import Conflict, NotFound, invalid_field
from yiwang.permissions import Action, refusal, require, scope_of
from yiwang.workdays.calendar import add_working_days

FACT_FIELDS = ["status", "ended_on"]


def _locked_fact(fact_id: int) -> CreditFact:
    fact = (
        CreditFact.objects.select_for_update(of=("self",))
        .select_related("applicant__region", "department")
        .filter(pk=fact_id)
        .first()
    )
    if fact is None:
        raise NotFound(_("No such credit fact."))
    return fact


def _own_fact(actor: Any, fact: CreditFact, action: Action) -> None:
    """Only the entity the fact is about (its representatives) may object or apply to repair."""
    if fact.applicant_id not in scope_of(actor).applicant_ids:
        raise refusal(
            actor,
            fact,
            _("You may object to or repair only facts in your own credit record."),
            code="not_your_fact",
        )
    require(actor, action, fact)


def objection_file(*, actor: Any, fact_id: int, reason: str) -> Objection:
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field("reason", _("Say what is wrong with the fact."), code="required")
    with transaction.atomic():
        fact = _locked_fact(fact_id)
        _own_fact(actor, fact, Action.CREDIT_OBJECT)
        if fact.status == CreditFact.Status.DISPUTED:
            raise Conflict(_("This fact is already disputed."), code="already_disputed")
        if fact.status != CreditFact.Status.ACTIVE:
            raise Conflict(_("This fact no longer counts."), code="not_counting")
        today = clock.today()
        due, _provisional = add_working_days(today, OBJECTION_ANSWER_WORKING_DAYS)
        objection = Objection.objects.create(
            fact=fact,
            reason=reason,
            filed_at=clock.now(),
            filed_by=actor,
            answer_due=due,
        )
        before = snapshot(fact, FACT_FIELDS)
        fact.status = CreditFact.Status.DISPUTED
        fact.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="credit.objection_file",
            obj=fact,
            before=before,
            after={**snapshot(fact, FACT_FIELDS), "objection": objection.pk, "answer_due": due},
            note=reason,
        )
    return objection


def objection_answer(*, actor: Any, objection_id: int, upheld: bool, answer: str) -> Objection:
    """The owning department's answer: upheld corrects the fact (it stops counting)."""
    answer = (answer or "").strip()
    if not answer:
        raise invalid_field("answer", _("Write the answer to the entity."), code="required")
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("fact__applicant__region")
            .filter(pk=objection_id)
            .first()
        )
        if objection is None:
            raise NotFound(_("No such objection."))
        require(actor, Action.CREDIT_OBJECTION_ANSWER, objection)
        if objection.status != Objection.Status.OPEN:
            raise Conflict(_("This objection has already been answered."), code="answered")
        fact = _locked_fact(objection.fact_id)
        before = snapshot(fact, FACT_FIELDS)
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
        objection.answer, objection.answered_by = answer, actor
        objection.answered_on = clock.today()
        objection.save(update_fields=["status", "answer", "answered_by", "answered_on"])
        if upheld:
            fact.status, fact.ended_on = CreditFact.Status.CORRECTED, clock.today()
        else:
            fact.status = CreditFact.Status.ACTIVE
        fact.save(update_fields=FACT_FIELDS)
        audit_record(
            actor=actor,
            action="credit.objection_answer",
            obj=fact,
            before=before,
            after={**snapshot(fact, FACT_FIELDS), "objection": objection.pk, "upheld": upheld},
            note=answer,
        )
        if upheld:
            list_entries_end_for_fact(fact, actor=actor)
            grade_pass(
                actor=actor,
                reason=f"objection {objection.pk} upheld",
                applicant_ids=[fact.applicant_id],
            )
    return objection


def repair_apply(*, actor: Any, fact_id: int, statement: str, evidence: str) -> Repair:
    statement, evidence = (statement or "").strip(), (evidence or "").strip()
    if not statement:
        raise invalid_field(
            "statement", _("Say what you corrected after the fact."), code="required"
        )
    if not evidence:
        raise invalid_field("evidence", _("Give the evidence of the correction."), code="required")
    with transaction.atomic():
        fact = _locked_fact(fact_id)
        _own_fact(actor, fact, Action.CREDIT_REPAIR_APPLY)
        if fact.status == CreditFact.Status.DISPUTED:
            raise Conflict(
                _("The fact is disputed: wait for the answer to the objection."), code="disputed"
            )
        if fact.status != CreditFact.Status.ACTIVE:
            raise Conflict(_("This fact no longer counts."), code="not_counting")
        today = clock.today()
        if today < fact.repairable_from:
            raise Conflict(
                _("The fact is still within its minimum period: repair is possible from %(day)s.")
                % {"day": fact.repairable_from.isoformat()},
                code="minimum_period",
                fields={
                    "fact": _("repair possible from %(day)s")
                    % {"day": fact.repairable_from.isoformat()}
                },
            )
        if fact.repairs.filter(status=Repair.Status.PENDING).exists():
            raise Conflict(_("A repair of this fact is already pending."), code="repair_pending")
        due, _provisional = add_working_days(today, REPAIR_DECISION_WORKING_DAYS)
        repair = Repair.objects.create(
            fact=fact,
            statement=statement,
            evidence=evidence,
            filed_at=clock.now(),
            filed_by=actor,
            decision_due=due,
        )
        audit_record(actor=actor, action="credit.repair_apply", obj=repair, after=snapshot(repair))
    return repair


def repair_decide(*, actor: Any, repair_id: int, grant: bool, note: str = "") -> Repair:
    """Granted: the fact stops counting from today, its list entries end, the grade follows."""
    note = (note or "").strip()
    if not grant and not note:
        raise invalid_field("note", _("Give the reason for refusing the repair."), code="required")
    with transaction.atomic():
        repair = (
            Repair.objects.select_for_update(of=("self",))
            .select_related("fact__applicant__region")
            .filter(pk=repair_id)
            .first()
        )
        if repair is None:
            raise NotFound(_("No such repair application."))
        require(actor, Action.CREDIT_REPAIR_DECIDE, repair)
        if repair.status != Repair.Status.PENDING:
            raise Conflict(_("This repair has already been decided."), code="already_decided")
        repair.status = Repair.Status.GRANTED if grant else Repair.Status.REFUSED
        repair.decided_by, repair.decided_on, repair.decision_note = actor, clock.today(), note
        repair.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
        fact = _locked_fact(repair.fact_id)
        before = snapshot(fact, FACT_FIELDS)
        if grant:
            fact.status, fact.ended_on = CreditFact.Status.REPAIRED, clock.today()
            fact.save(update_fields=FACT_FIELDS)
        audit_record(
            actor=actor,
            action="credit.repair_grant" if grant else "credit.repair_refuse",
            obj=fact,
            before=before,
            after={**snapshot(fact, FACT_FIELDS), "repair": repair.pk},
            note=note,
        )
        if grant:
            list_entries_end_for_fact(fact, actor=actor)
            grade_pass(
                actor=actor, reason=f"repair {repair.pk} granted", applicant_ids=[fact.applicant_id]
            )
    return repair
