"""Disclosure in the API (API.md, "Disclosure and ratings"): public records with search and
open-data export, the staff publication queue, and policy documents."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status

from yiwang.disclosure import opendata, policies, selectors, services
from yiwang.disclosure.models import PolicyDocument, Publication
from yiwang.disclosure.rules import FAIR_COMPETITION_STANDARDS
from yiwang.permissions import Action
from yiwang.replica import operation_reads_from_replica

public_router = Router(tags=["disclosure"])
router = Router(tags=["disclosure"])
policy_router = Router(tags=["policies"])

# API.md names the period filters `from` and `to`, which Python cannot name.
FROM = Query(None, alias="from")
TO = Query(None, alias="to")


class RecordOut(Schema):
    id: int
    kind: str
    number: str
    case_number: str | None
    licence_number: str
    holder: str
    holder_code: str
    item: str
    item_code: str
    decision: str
    legal_basis: str
    summary: str
    department: str | None
    decided_on: datetime.date
    publish_due: datetime.date
    published_at: datetime.datetime | None
    status: str
    withdrawal_reason: str


class QueueOut(RecordOut):
    needs_review: bool
    clock_level: str


def record_body(record: Publication) -> dict:
    return {
        "id": record.pk,
        "kind": record.kind,
        "number": record.number,
        "case_number": record.number if record.kind == Publication.Kind.LICENSING else None,
        "licence_number": record.licence_number,
        "holder": record.subject_name,
        "holder_code": record.subject_code,
        "item": record.item_name,
        "item_code": record.item_code,
        "decision": record.decision,
        "legal_basis": record.legal_basis,
        "summary": record.summary,
        "department": record.department.name if record.department else None,
        "decided_on": record.decided_on,
        "publish_due": record.publish_due,
        "published_at": record.published_at,
        "status": record.status,
        "withdrawal_reason": record.withdrawal_reason,
    }


def _records(kind, q, item, date_from, date_to):
    rows = selectors.public_records(kind=kind, q=q, item=item, date_from=date_from, date_to=date_to)
    return [record_body(row) for row in rows[:1000]]


@public_router.get("/decisions", auth=None, response=list[RecordOut])
@operation_reads_from_replica
def decisions(
    request,
    date_from: datetime.date | None = FROM,
    date_to: datetime.date | None = TO,
    q: str = "",
    item: str = "",
):
    """Licensing decisions (双公示), newest first; `from`/`to` filter `decided_on`."""
    return _records(Publication.Kind.LICENSING, q, item, date_from, date_to)


@public_router.get("/penalties", auth=None, response=list[RecordOut])
@operation_reads_from_replica
def penalties(
    request,
    date_from: datetime.date | None = FROM,
    date_to: datetime.date | None = TO,
    q: str = "",
):
    return _records(Publication.Kind.PENALTY, q, "", date_from, date_to)


@public_router.get("/inspection-results", auth=None, response=list[RecordOut])
@operation_reads_from_replica
def inspection_results(
    request,
    date_from: datetime.date | None = FROM,
    date_to: datetime.date | None = TO,
    q: str = "",
):
    return _records(Publication.Kind.INSPECTION, q, "", date_from, date_to)


@public_router.get("/records/export", auth=None)
@operation_reads_from_replica
def export(
    request,
    format: Literal["csv", "json"] = "json",
    kind: Literal["licensing", "penalty", "inspection"] | None = None,
    date_from: datetime.date | None = FROM,
    date_to: datetime.date | None = TO,
    q: str = "",
    item: str = "",
):
    """Open data: every published record matching the filters, as CSV or JSON."""
    rows = selectors.public_records(kind=kind, q=q, item=item, date_from=date_from, date_to=date_to)
    if format == "csv":
        response = HttpResponse(opendata.export_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            opendata.export_json(rows), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="yiwang-disclosure.{format}"'
    return response


@router.get("/queue", response=list[QueueOut])
def queue(request, status: Literal["queued", "published", "withdrawn"] | None = None):
    rows = selectors.publication_queue_for(request.auth)
    if status:
        rows = rows.filter(status=status)
    return [
        record_body(row)
        | {
            "needs_review": row.needs_review,
            "clock_level": services.publication_reading(row).level,
        }
        for row in rows[:500]
    ]


@router.post("/{int:publication_id}/publish", response=RecordOut)
def publish(request, publication_id: int):
    row = selectors.access_publication(
        user=request.auth, publication_id=publication_id, action=Action.DISCLOSURE_PUBLISH
    )
    return record_body(services.publication_publish(actor=request.auth, publication=row))


class WithdrawIn(Schema):
    reason: str = ""


@router.post("/{int:publication_id}/withdraw", response=RecordOut)
def withdraw(request, publication_id: int, payload: WithdrawIn):
    row = selectors.access_publication(
        user=request.auth, publication_id=publication_id, action=Action.DISCLOSURE_WITHDRAW
    )
    return record_body(
        services.publication_withdraw(actor=request.auth, publication=row, reason=payload.reason)
    )


# Policy documents -------------------------------------------------------------------------


class PolicyOut(Schema):
    id: int
    title: str
    document_number: str
    drafting_office: str
    text: str
    touches_market: bool
    status: str
    published_on: datetime.date | None
    interpretation: str | None
    interpretation_published_on: datetime.date | None
    interpretation_due: datetime.date | None
    review: dict | None
    amended_by: int | None
    ended_on: datetime.date | None


def policy_body(document: PolicyDocument, *, staff: bool = False) -> dict:
    interpretation = getattr(document, "interpretation", None)
    shown = interpretation if interpretation and (staff or interpretation.published_on) else None
    review = getattr(document, "fair_competition_review", None)
    return {
        "id": document.pk,
        "title": document.title,
        "document_number": document.document_number,
        "drafting_office": document.drafting_department.name,
        "text": document.text,
        "touches_market": document.touches_market,
        "status": document.status,
        "published_on": document.published_on,
        "interpretation": shown.text if shown else None,
        "interpretation_published_on": shown.published_on if shown else None,
        "interpretation_due": document.interpretation_due,
        "review": (
            {
                "checklist": review.checklist,
                "conclusion": review.conclusion,
                "compliant": review.compliant,
                "reviewed_on": review.reviewed_on.isoformat(),
            }
            if review
            else None
        ),
        "amended_by": document.amended_by_id,
        "ended_on": document.ended_on,
    }


@public_router.get("/policies", auth=None, response=list[PolicyOut])
@operation_reads_from_replica
def public_policy_list(request, q: str = "", status: str = ""):
    return [policy_body(row) for row in selectors.public_policies(q=q, status=status)[:500]]


@public_router.get("/policies/{int:document_id}", auth=None, response=PolicyOut)
@operation_reads_from_replica
def public_policy_detail(request, document_id: int):
    return policy_body(selectors.public_policy(document_id))


class PolicyIn(Schema):
    title: str
    text: str
    touches_market: bool = False
    document_number: str = ""


class ReviewIn(Schema):
    checklist: dict[str, bool]
    conclusion: str = ""


class InterpretationIn(Schema):
    text: str = ""


class AssessIn(Schema):
    year: int
    outcome: str
    note: str = ""
    amended_by: int | None = None


@policy_router.get("/standards")
def standards(request) -> dict:
    """The questions of the fair-competition review (公平竞争审查条例, Arts. 8–11)."""
    return {code: str(text) for code, text in FAIR_COMPETITION_STANDARDS.items()}


@policy_router.post("", response={201: PolicyOut})
def policy_create(request, payload: PolicyIn):
    document = policies.policy_draft(
        actor=request.auth,
        title=payload.title,
        text=payload.text,
        touches_market=payload.touches_market,
        document_number=payload.document_number,
    )
    return Status(201, policy_body(document, staff=True))


def _policy(request, document_id: int, action: Action) -> PolicyDocument:
    return selectors.access_policy(user=request.auth, document_id=document_id, action=action)


@policy_router.post("/{int:document_id}/review", response=PolicyOut)
def policy_review(request, document_id: int, payload: ReviewIn):
    document = _policy(request, document_id, Action.POLICY_DRAFT)
    policies.policy_review(
        actor=request.auth,
        document=document,
        checklist=payload.checklist,
        conclusion=payload.conclusion,
    )
    return policy_body(PolicyDocument.objects.get(pk=document.pk), staff=True)


@policy_router.post("/{int:document_id}/interpretation", response=PolicyOut)
def policy_interpretation(request, document_id: int, payload: InterpretationIn):
    document = _policy(request, document_id, Action.POLICY_DRAFT)
    policies.policy_interpret(actor=request.auth, document=document, text=payload.text)
    return policy_body(PolicyDocument.objects.get(pk=document.pk), staff=True)


@policy_router.post("/{int:document_id}/publish", response=PolicyOut)
def policy_publish(request, document_id: int):
    document = _policy(request, document_id, Action.POLICY_PUBLISH)
    return policy_body(policies.policy_publish(actor=request.auth, document=document), staff=True)


@policy_router.post("/{int:document_id}/assess", response=PolicyOut)
def policy_assess(request, document_id: int, payload: AssessIn):
    document = _policy(request, document_id, Action.POLICY_ASSESS)
    amended_by = (
        PolicyDocument.objects.filter(pk=payload.amended_by).first() if payload.amended_by else None
    )
    policies.policy_assess(
        actor=request.auth,
        document=document,
        year=payload.year,
        outcome=payload.outcome,
        note=payload.note,
        amended_by=amended_by,
    )
    return policy_body(PolicyDocument.objects.get(pk=document.pk), staff=True)


@policy_router.get("/due-for-assessment", response=list[PolicyOut])
def due_for_assessment(request, year: int = Query(..., ge=2000, le=2100)):
    visible_ids = selectors.policies_for(request.auth).values("pk")
    rows = policies.documents_due_for_assessment(year=year).filter(pk__in=visible_ids)
    return [policy_body(row, staff=True) for row in rows]
