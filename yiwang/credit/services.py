"""Recording credit facts (信用信息) from the three departments, and the case engine's credit
events; each new fact applies the list rules and regrades its entity in the same transaction."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.credit.grading import grade_pass
from yiwang.credit.lists import apply_rules
from yiwang.credit.models import CreditEvent, CreditFact, DepartmentToken, InclusiveMeasure
from yiwang.credit.rules import (
    FACT_KINDS_OF_SOURCE,
    MINIMUM_MONTHS,
    OWN_FACT_SEVERITY,
    SEVERITIES,
    SOURCE_OF_DEPARTMENT_KIND,
    VALIDITY_MONTHS,
    add_months,
)
from yiwang.errors import InvalidInput, invalid_field
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require
from yiwang.regions.models import Department


def entity_for_code(code: str) -> Applicant | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    return (
        Applicant.objects.select_related("region").filter(Q(uscc=code) | Q(id_number=code)).first()
    )


def source_of(department: Department) -> str:
    return SOURCE_OF_DEPARTMENT_KIND.get(department.kind, "health")


def check_fact(
    *,
    department: Department,
    entity_code: str,
    kind: str,
    severity: str,
    occurred_on: datetime.date | None,
    source_document: str,
    record_id: str,
    valid_until: datetime.date | None,
) -> tuple[Applicant | None, dict[str, str]]:
    """The entity and every broken field rule of one fact (for the API and for import rows)."""
    problems: dict[str, str] = {}
    applicant = entity_for_code(entity_code)
    if applicant is None:
        problems["entity_code"] = _(
            "No entity with this code is registered: a fact needs a known entity."
        )
    elif applicant.is_person:
        problems["entity_code"] = _("Credit grades are kept for organisations, not persons.")
    kinds = FACT_KINDS_OF_SOURCE[source_of(department)]
    if kind not in kinds:
        problems["kind"] = _("This department sends facts of these kinds only: %(kinds)s.") % {
            "kinds": ", ".join(kinds)
        }
    if severity not in SEVERITIES:
        problems["severity"] = _("The severity is minor, general or serious.")
    if occurred_on is None:
        problems["occurred_on"] = _("Give the date as YYYY-MM-DD.")
    elif occurred_on > clock.today():
        problems["occurred_on"] = _("A fact cannot be dated in the future.")
    if not (source_document or "").strip():
        problems["source_document"] = _("Name the source document (e.g. the decision number).")
    if not (record_id or "").strip():
        problems["record_id"] = _("Give your own record id, so a repeat is recognised.")
    if valid_until is not None and occurred_on is not None and valid_until < occurred_on:
        problems["valid_until"] = _("The validity ends before the fact's date.")
    return applicant, problems


def fact_record(
    *,
    actor: Any,
    department: Department,
    entity_code: str,
    kind: str,
    severity: str,
    occurred_on: datetime.date | None,
    source_document: str,
    record_id: str,
    valid_until: datetime.date | None = None,
    summary: str = "",
    inclusive_measure: InclusiveMeasure | None = None,
) -> tuple[CreditFact, bool]:
    """Record a fact (or return the one already recorded under the department's record id).

    The entity is regraded and the list rules applied in the same transaction.
    """
    existing = CreditFact.objects.filter(
        department=department, record_id=(record_id or "").strip()
    ).first()
    if existing is not None:
        return existing, False
    applicant, problems = check_fact(
        department=department,
        entity_code=entity_code,
        kind=kind,
        severity=severity,
        occurred_on=occurred_on,
        source_document=source_document,
        record_id=record_id,
        valid_until=valid_until,
    )
    if problems:
        first = next(iter(problems.values()))
        raise InvalidInput(first, code="invalid_fact", fields=problems)
    with transaction.atomic():
        fact = fact_create(
            actor=actor,
            applicant=applicant,
            department=department,
            kind=kind,
            severity=severity,
            occurred_on=occurred_on,
            source_document=source_document.strip(),
            record_id=record_id.strip(),
            valid_until=valid_until,
            summary=summary,
            inclusive_measure=inclusive_measure,
        )
        grade_pass(actor=actor, reason=f"fact {fact.pk} recorded", applicant_ids=[applicant.pk])
    return fact, True


def fact_create(
    *, actor: Any, applicant: Applicant, department: Department, **fields
) -> CreditFact:
    occurred_on = fields["occurred_on"]
    severity = fields["severity"]
    fact = CreditFact.objects.create(
        applicant=applicant,
        entity_code=applicant.code,
        department=department,
        source=source_of(department),
        valid_from=occurred_on,
        valid_until=fields.pop("valid_until") or add_months(occurred_on, VALIDITY_MONTHS[severity]),
        repairable_from=add_months(occurred_on, MINIMUM_MONTHS[severity]),
        recorded_at=clock.now(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    audit_record(actor=actor, action="credit.fact_record", obj=fact, after=snapshot(fact))
    apply_rules(fact, actor=actor)
    return fact


def own_fact_record(
    *,
    actor: Any,
    applicant: Applicant,
    department_id: int,
    kind: str,
    record_id: str,
    occurred_on: datetime.date,
    source_document: str,
    summary: str = "",
    severity: str | None = None,
    inclusive_measure: InclusiveMeasure | None = None,
) -> tuple[CreditFact, bool]:
    """A fact from our own department's records (an event or the case engine), idempotent by
    record id; must run inside the transaction of what it records."""
    department = Department.objects.get(pk=department_id)
    fact = CreditFact.objects.filter(department=department, record_id=record_id).first()
    if fact is not None:
        return fact, False
    with transaction.atomic():
        fact = fact_create(
            actor=actor,
            applicant=applicant,
            department=department,
            kind=kind,
            severity=severity or OWN_FACT_SEVERITY[kind],
            occurred_on=occurred_on,
            source_document=source_document[:200],
            record_id=record_id,
            valid_until=None,
            summary=summary,
            inclusive_measure=inclusive_measure,
        )
        grade_pass(actor=actor, reason=f"fact {fact.pk} recorded", applicant_ids=[applicant.pk])
    return fact, True


def credit_event_record(
    *, actor: Any, applicant, kind: str, case=None, note: str = ""
) -> CreditEvent:
    """The case engine's credit event (a false or kept commitment, a missed supplement); it is
    also a health fact of the case's department, so the grade and lists follow at once."""
    with transaction.atomic():
        event = CreditEvent.objects.create(
            applicant=applicant,
            kind=kind,
            case=case,
            note=note,
            recorded_at=clock.now(),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(actor=actor, action="credit.event", obj=event, after=snapshot(event))
        department_id = getattr(case, "department_id", None)
        if department_id is not None and not applicant.is_person:
            own_fact_record(
                actor=actor,
                applicant=applicant,
                department_id=department_id,
                kind=kind,
                record_id=f"credit-event:{event.pk}",
                occurred_on=clock.today(),
                source_document=getattr(case, "number", "") or f"credit-event:{event.pk}",
                summary=note,
            )
    return event


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def department_token_issue(*, actor: Any, department: Department, label: str) -> tuple[str, Any]:
    """A new API token for a department's facts; the token itself is shown once, never stored."""
    require(actor, Action.CREDIT_TOKEN_ISSUE)
    if not (label or "").strip():
        raise invalid_field("label", _("Give the token a label."), code="required")
    token = "dept_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = DepartmentToken.objects.create(
            department=department,
            label=label.strip(),
            digest=token_digest(token),
            source=source_of(department),
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="credit.token_issue",
            obj=record,
            after={"department": department.pk, "label": record.label},
        )
    return token, record


def department_for_token(token: str) -> Department | None:
    record = (
        DepartmentToken.objects.select_related("department")
        .filter(digest=token_digest(token), revoked_at__isnull=True)
        .first()
    )
    return record.department if record else None
