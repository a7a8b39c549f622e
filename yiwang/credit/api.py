"""Credit in the API (API.md, "Credit"): the public grade and lists, facts from departments
(each with its own token), objections and repairs, score cards and manual list entries."""

from __future__ import annotations

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import HttpBearer

from yiwang import clock
from yiwang.credit import selectors
from yiwang.credit.grading import (
    grade_explained,
    scorecard_activate,
    scorecard_create,
    scorecard_in_force,
    scorecard_preview,
)
from yiwang.credit.importing import fact_import
from yiwang.credit.lists import list_entry_decide, list_entry_propose
from yiwang.credit.models import CreditFact, FactImport, ScoreCard
from yiwang.credit.objections import objection_answer, objection_file, repair_apply, repair_decide
from yiwang.credit.rules import LIST_MEASURES
from yiwang.credit.services import department_for_token, fact_record
from yiwang.errors import InvalidInput
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require
from yiwang.replica import operation_reads_from_replica

router = Router(tags=["credit"])


class DepartmentToken(HttpBearer):
    """A department's own token (medical insurance, market supervision, health)."""

    def authenticate(self, request, token):
        return department_for_token(token)


def _iso(day):
    return day.isoformat() if day else None


def public_body(applicant: Applicant) -> dict:
    standing = selectors.standing_of(applicant)
    card = scorecard_in_force()
    return {
        "code": applicant.uscc,
        "name": applicant.name,
        "grade": applicant.credit_grade,
        "graded_on": _iso(standing.graded_on) if standing else None,
        "scorecard_version": card.version if standing and card else None,
        "lists": selectors.lists_of(applicant),
        "history": [
            {
                "grade": record.grade,
                "previous_grade": record.previous_grade,
                "graded_on": record.graded_on.isoformat(),
                "scorecard_version": record.scorecard.version,
            }
            for record in selectors.grade_history(applicant)[:50]
        ],
    }


def fact_body(fact: CreditFact) -> dict:
    return {
        "id": fact.pk,
        "entity_code": fact.entity_code,
        "department": fact.department.name,
        "source": fact.source,
        "record_id": fact.record_id,
        "kind": fact.kind,
        "kind_label": str(fact.get_kind_display()),
        "severity": fact.severity,
        "occurred_on": fact.occurred_on.isoformat(),
        "source_document": fact.source_document,
        "valid_from": fact.valid_from.isoformat(),
        "valid_until": fact.valid_until.isoformat(),
        "repairable_from": fact.repairable_from.isoformat(),
        "status": fact.status,
        "ended_on": _iso(fact.ended_on),
        "inclusive_measure": fact.inclusive_measure_id,
    }


@router.get("", auth=None, response=list[dict])
@operation_reads_from_replica
def search(request, q: str = ""):
    """Public lookup of published grades by code or part of the name."""
    return [
        {
            "code": applicant.uscc,
            "name": applicant.name,
            "grade": applicant.credit_grade,
            "lists": selectors.lists_of(applicant),
        }
        for applicant in selectors.public_search(query=q)
    ]


@router.get("/lists/{list_kind}", auth=None, response=list[dict])
@operation_reads_from_replica
def public_list(request, list_kind: Literal["red", "black"]):
    return [
        {
            "code": entry.applicant.uscc,
            "name": entry.applicant.name,
            "list": entry.list_kind,
            "legal_basis": entry.legal_basis,
            "reason": entry.reason,
            "from": entry.starts_on.isoformat(),
            "until": entry.ends_on.isoformat(),
            "measures": [str(text) for text in LIST_MEASURES[list_kind]],
        }
        for entry in selectors.public_list(list_kind=list_kind)
    ]


@router.get("/inclusive-measures", response=list[dict])
def inclusive_measures(request, violation_kind: str, on: datetime.date | None = None):
    """The four lists' entries that apply to a violation type on a day (staff)."""
    return [
        {
            "id": measure.pk,
            "list": measure.list_kind,
            "violation_kind": measure.violation_kind,
            "violation": measure.violation,
            "conditions": measure.conditions,
            "legal_basis": measure.legal_basis,
            "list_version": measure.list_version,
            "valid_from": measure.valid_from.isoformat(),
            "valid_until": _iso(measure.valid_until),
        }
        for measure in selectors.inclusive_measures_for(
            violation_kind=violation_kind, on=on or clock.today()
        )
    ]


class FactIn(Schema):
    record_id: str
    entity_code: str
    kind: str
    severity: str
    occurred_on: datetime.date
    source_document: str
    valid_until: datetime.date | None = None
    summary: str = ""


@router.post("/facts", auth=DepartmentToken(), response={200: dict, 201: dict})
def send_fact(request, payload: FactIn):
    """A department sends one fact; the same record id again returns the recorded fact (200)."""
    actor = f"{request.auth.name} (API)"
    fact, created = fact_record(actor=actor, department=request.auth, **payload.dict())
    return Status(201 if created else 200, fact_body(fact))


def import_body(job: FactImport) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "rows": job.rows_total,
        "imported": job.imported,
        "report": job.report,
    }


@router.post("/facts/import", auth=DepartmentToken(), response={201: dict, 400: dict})
def import_facts(request, file: File[UploadedFile]):
    """A department's Excel or CSV file: all rows or none (400 with each bad row)."""
    job = fact_import(
        actor=f"{request.auth.name} (API)",
        department=request.auth,
        filename=file.name or "",
        content=file.read(),
    )
    if job.status == FactImport.Status.REJECTED:
        return Status(
            400,
            {
                "error": {
                    "code": "import_rejected",
                    "message": _("Nothing was imported: %(count)s problem(s) in the file.")
                    % {"count": len(job.report)},
                    "fields": {"file": _("see the report")},
                    "report": job.report,
                },
                "import": import_body(job),
            },
        )
    return Status(201, import_body(job))


@router.get("/entities/{int:applicant_id}", response=dict)
def entity_record(request, applicant_id: int):
    """An entity's whole record for staff and for the entity itself: facts, history, why."""
    applicant = selectors.access_entity(user=request.user, applicant_id=applicant_id)
    why = grade_explained(applicant)
    return {
        **public_body(applicant),
        "facts": [fact_body(fact) for fact in selectors.facts_of(applicant)],
        "score": why["score"],
        "why": [
            {"fact": line["fact"].pk, "kind": line["fact"].kind, "points": line["points"]}
            for line in why["lines"]
        ],
    }


class ObjectionIn(Schema):
    reason: str


class AnswerIn(Schema):
    upheld: bool
    answer: str


class RepairIn(Schema):
    statement: str
    evidence: str


class DecisionIn(Schema):
    grant: bool
    note: str = ""


def objection_body(objection) -> dict:
    return {
        "id": objection.pk,
        "fact": objection.fact_id,
        "status": objection.status,
        "answer_due": objection.answer_due.isoformat(),
        "answer": objection.answer,
        "answered_on": _iso(objection.answered_on),
        "fact_status": CreditFact.objects.get(pk=objection.fact_id).status,
    }


def repair_body(repair) -> dict:
    fact = CreditFact.objects.select_related("applicant").get(pk=repair.fact_id)
    return {
        "id": repair.pk,
        "fact": repair.fact_id,
        "status": repair.status,
        "decision_due": repair.decision_due.isoformat(),
        "decided_on": _iso(repair.decided_on),
        "fact_status": fact.status,
        "grade": fact.applicant.credit_grade,
    }


@router.post("/facts/{int:fact_id}/objection", response={201: dict})
def object_to_fact(request, fact_id: int, payload: ObjectionIn):
    return Status(
        201,
        objection_body(objection_file(actor=request.user, fact_id=fact_id, reason=payload.reason)),
    )


@router.post("/objections/{int:objection_id}/answer", response=dict)
def answer_objection(request, objection_id: int, payload: AnswerIn):
    return objection_body(
        objection_answer(
            actor=request.user,
            objection_id=objection_id,
            upheld=payload.upheld,
            answer=payload.answer,
        )
    )


@router.post("/facts/{int:fact_id}/repair", response={201: dict})
def apply_for_repair(request, fact_id: int, payload: RepairIn):
    repair = repair_apply(
        actor=request.user, fact_id=fact_id, statement=payload.statement, evidence=payload.evidence
    )
    return Status(201, repair_body(repair))


@router.post("/repairs/{int:repair_id}/decide", response=dict)
def decide_repair(request, repair_id: int, payload: DecisionIn):
    return repair_body(
        repair_decide(
            actor=request.user, repair_id=repair_id, grant=payload.grant, note=payload.note
        )
    )


class IndicatorIn(Schema):
    fact_kind: str
    severity: str
    points: int


class ScoreCardIn(Schema):
    name: str
    base_score: int
    a_min: int
    b_min: int
    c_min: int
    indicators: list[IndicatorIn]


def scorecard_body(card: ScoreCard) -> dict:
    return {
        "version": card.version,
        "name": card.name,
        "status": card.status,
        "base_score": card.base_score,
        "thresholds": {"A": card.a_min, "B": card.b_min, "C": card.c_min},
        "effective_from": _iso(card.effective_from),
        "indicators": [
            {"fact_kind": i.fact_kind, "severity": i.severity, "points": i.points}
            for i in card.indicators.all()
        ],
        "preview": card.preview or None,
    }


@router.post("/scorecards", response={201: dict})
def create_scorecard(request, payload: ScoreCardIn):
    data = payload.dict()
    card = scorecard_create(actor=request.user, **data)
    return Status(201, scorecard_body(card))


@router.get("/scorecards/{int:version}", response=dict)
def get_scorecard(request, version: int):
    # Drafts and their previews are the leaders' work (credit.md, "Pages"), as on the page.
    require(request.user, Action.CREDIT_SCORECARD)
    return scorecard_body(get_object_or_404(ScoreCard, version=version))


@router.post("/scorecards/{int:version}/preview", response=dict)
def preview_scorecard(request, version: int):
    card = get_object_or_404(ScoreCard, version=version)
    return scorecard_preview(actor=request.user, card=card)


@router.post("/scorecards/{int:version}/activate", response=dict)
def activate_scorecard(request, version: int):
    card = get_object_or_404(ScoreCard, version=version)
    return scorecard_activate(actor=request.user, card=card)


class ListEntryIn(Schema):
    code: str
    list: Literal["red", "black"]
    legal_basis: str
    reason: str
    starts_on: datetime.date
    ends_on: datetime.date


class ListDecisionIn(Schema):
    approve: bool
    note: str = ""


def list_entry_body(entry) -> dict:
    return {
        "id": entry.pk,
        "code": entry.applicant.uscc,
        "list": entry.list_kind,
        "status": entry.status,
        "legal_basis": entry.legal_basis,
        "from": entry.starts_on.isoformat(),
        "until": entry.ends_on.isoformat(),
    }


@router.post("/list-entries", response={201: dict})
def propose_list_entry(request, payload: ListEntryIn):
    applicant = Applicant.objects.select_related("region").filter(uscc=payload.code).first()
    if applicant is None:
        message = _("No organisation with this unified social credit code is registered.")
        raise InvalidInput(message, code="unknown_entity", fields={"code": message})
    entry = list_entry_propose(
        actor=request.user,
        applicant=applicant,
        list_kind=payload.list,
        legal_basis=payload.legal_basis,
        reason=payload.reason,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, list_entry_body(entry))


@router.post("/list-entries/{int:entry_id}/decide", response=dict)
def decide_list_entry(request, entry_id: int, payload: ListDecisionIn):
    entry = list_entry_decide(
        actor=request.user, entry_id=entry_id, approve=payload.approve, note=payload.note
    )
    return list_entry_body(entry)


@router.get("/{code}", auth=None, response=dict)
@operation_reads_from_replica
def public_grade(request, code: str):
    """API.md: the published grade of an organisation by its unified social credit code."""
    return public_body(selectors.public_entity(code=code))
