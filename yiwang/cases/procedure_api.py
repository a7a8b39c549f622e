"""The reform procedures in the API: pre-review, one-thing bundles, green marks, commitment
checks and the public list of emergency listings."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Router, Schema
from ninja.responses import Status

from yiwang.cases import bundles, prereviews, procedures, selectors
from yiwang.cases.api import MaterialIn, iso_date
from yiwang.cases.models import EmergencyListing
from yiwang.cases.schemas import (
    BundleApplicationOut,
    BundleOut,
    CommitmentCheckOut,
    CommitmentCheckRow,
    EmergencyListingOut,
    GreenMarkOut,
    PreReviewOut,
)
from yiwang.catalog.selectors import item_by_code

# Reform procedures -------------------------------------------------------------------------

prereview_router = Router(tags=["pre-review"])
bundle_router = Router(tags=["one-thing bundles"])
procedure_router = Router(tags=["reform procedures"])


def prereview_body(prereview) -> dict:
    return {
        "id": prereview.pk,
        "status": prereview.status,
        "rounds": prereview.rounds,
        "item_code": prereview.item_version.item.code,
        "history": prereview.history,
        "materials": [
            {
                "code": m.code,
                "name": m.name,
                "file_id": m.file_id,
                "acceptable": m.acceptable,
                "comment": m.comment,
            }
            for m in prereview.materials.all()
        ],
    }


class PreReviewIn(Schema):
    item_code: str
    applicant: dict[str, Any] | None = None
    materials: list[MaterialIn] = []


@prereview_router.post("", response={201: PreReviewOut})
def submit_prereview(request, payload: PreReviewIn):
    prereview = prereviews.prereview_submit(
        actor=request.user,
        item_code=payload.item_code,
        materials=[m.dict() for m in payload.materials],
        applicant_id=(payload.applicant or {}).get("id"),
    )
    return Status(201, prereview_body(prereview))


@prereview_router.get("/{int:prereview_id}", response=PreReviewOut)
def get_prereview(request, prereview_id: int):
    return prereview_body(prereviews.access_prereview(user=request.user, prereview_id=prereview_id))


class CommentsIn(Schema):
    """{material code: {"acceptable": bool, "comment": text}}."""

    comments: dict[str, dict[str, Any]]


class RevisionIn(Schema):
    materials: list[MaterialIn]


@prereview_router.post("/{int:prereview_id}/comments", response=PreReviewOut)
def comment_prereview(request, prereview_id: int, payload: CommentsIn):
    changed = prereviews.prereview_comment(
        actor=request.user, prereview_id=prereview_id, comments=payload.comments
    )
    return prereview_body(changed)


@prereview_router.post("/{int:prereview_id}/revisions", response=PreReviewOut)
def revise_prereview(request, prereview_id: int, payload: RevisionIn):
    changed = prereviews.prereview_revise(
        actor=request.user,
        prereview_id=prereview_id,
        materials=[m.model_dump() for m in payload.materials],
    )
    return prereview_body(changed)


class BundleMaterialIn(Schema):
    key: str
    file_id: int | None = None


class BundleApplicationIn(Schema):
    applicant: dict[str, Any] | None = None
    form: dict[str, Any] = {}
    materials: list[BundleMaterialIn] = []
    channel: str = "online"


def bundle_application_body(application) -> dict:
    outcome = bundles.bundle_result(application)
    sub_cases = application.cases.select_related("item", "department").order_by("pk")
    return {
        "number": application.number,
        "bundle": application.bundle.code,
        "status": outcome.status,
        "result": outcome.result,
        "decided": outcome.decided,
        "total": outcome.total,
        "completed_on": iso_date(application.completed_on),
        "cases": [
            {
                "id": c.pk,
                "number": c.number,
                "item_code": c.item.code,
                "status": c.status,
                "department": c.department.name,
                "due_on": iso_date(c.due_on),
            }
            for c in sub_cases
        ],
    }


@bundle_router.get("", auth=None, response=list[BundleOut])
def list_bundles(request):
    return [
        {
            "code": b.code,
            "name": b.name,
            "name_en": b.name_en,
            "items": b.item_codes,
            "materials": bundles.bundle_materials(b),
        }
        for b in bundles.bundles_offered()
    ]


@bundle_router.post("/{code}/applications", response={201: BundleApplicationOut})
def submit_bundle(request, code: str, payload: BundleApplicationIn):
    application = bundles.bundle_submit(
        actor=request.user,
        bundle_code=code,
        form=payload.form,
        materials=[m.dict() for m in payload.materials],
        applicant_id=(payload.applicant or {}).get("id"),
        channel=payload.channel,
    )
    return Status(201, bundle_application_body(application))


@bundle_router.get("/applications/{number}", response=BundleApplicationOut)
def get_bundle_application(request, number: str):
    application = bundles.access_bundle_application(user=request.user, number=number)
    return bundle_application_body(application)


class GreenItemIn(Schema):
    reason: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None


@procedure_router.post("/items/{code}/green", response={201: GreenMarkOut})
def mark_item_green(request, code: str, payload: GreenItemIn):
    mark = procedures.item_mark_green(
        actor=request.user,
        item=item_by_code(code),
        reason=payload.reason,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    body = {"item_code": code, "reason": mark.reason}
    return Status(
        201, {**body, "starts_on": iso_date(mark.starts_on), "ends_on": iso_date(mark.ends_on)}
    )


class CheckIn(Schema):
    truthful: bool
    findings: str


@procedure_router.get("/commitment-checks", response=list[CommitmentCheckRow])
def list_commitment_checks(request, result: str = "pending"):
    return [
        {
            "id": c.pk,
            "case": c.case.number,
            "case_id": c.case_id,
            "applicant": c.case.applicant.name,
            "due_on": iso_date(c.due_on),
            "result": c.result,
        }
        for c in selectors.commitment_checks_for(request.user, result=result)[:200]
    ]


@procedure_router.post("/commitment-checks/{int:check_id}", response=CommitmentCheckOut)
def record_commitment_check(request, check_id: int, payload: CheckIn):
    check = procedures.commitment_check_record(
        actor=request.user, check_id=check_id, truthful=payload.truthful, findings=payload.findings
    )
    return {"id": check.pk, "result": check.result, "checked_on": iso_date(check.checked_on)}


@procedure_router.get("/emergency-listings", auth=None, response=list[EmergencyListingOut])
def list_emergency_listings(request):
    return [
        {
            "product": e.product_name,
            "holder": e.holder_name,
            "conditions": e.conditions,
            "listed_on": iso_date(e.listed_on),
            "ends_on": iso_date(e.ends_on),
            "case": e.case.number,
        }
        for e in EmergencyListing.objects.select_related("case")[:500]
    ]
