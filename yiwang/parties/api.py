"""Applicants in the API (staff)."""

from typing import Literal

from ninja import Query, Router, Schema
from ninja.responses import Status

from yiwang.parties import selectors, services
from yiwang.parties.models import Applicant

router = Router(tags=["applicants"])


class ApplicantIn(Schema):
    kind: Literal["organisation", "medical_institution", "person"]
    name: str
    region_code: str
    uscc: str | None = None
    id_number: str | None = None
    address: str | None = None
    legal_representative: str | None = None
    phone: str | None = None
    institution_category: str | None = None
    beds: int | None = None
    practice_licence_number: str | None = None


class ApplicantOut(Schema):
    id: int
    kind: str
    name: str
    uscc: str | None
    id_number: str | None
    region_code: str
    region_name: str
    credit_grade: str
    black_listed: bool
    red_listed: bool
    institution_category: str
    beds: int | None


def shape(request, applicant: Applicant) -> dict:
    full = selectors.shows_identity(request.user, applicant)
    return {
        "id": applicant.pk,
        "kind": applicant.kind,
        "name": applicant.name if full else applicant.masked_name,
        "uscc": applicant.uscc,
        "id_number": applicant.id_number
        if full or not applicant.is_person
        else applicant.masked_code,
        "region_code": applicant.region.code,
        "region_name": applicant.region.name,
        "credit_grade": applicant.credit_grade,
        "black_listed": applicant.black_listed,
        "red_listed": applicant.red_listed,
        "institution_category": applicant.institution_category,
        "beds": applicant.beds,
    }


@router.post("", response={201: ApplicantOut})
def create_applicant(request, payload: ApplicantIn):
    data = payload.dict()
    applicant = services.applicant_create(actor=request.user, **data)
    return Status(201, shape(request, applicant))


class ApplicantPage(Schema):
    count: int
    items: list[ApplicantOut]


@router.get("", response=ApplicantPage)
def list_applicants(
    request, q: str = "", limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0)
):
    applicants = selectors.applicants_visible_to(request.user, query=q)
    page = applicants[offset : offset + limit]
    return {"count": applicants.count(), "items": [shape(request, a) for a in page]}


@router.get("/{int:applicant_id}", response=ApplicantOut)
def get_applicant(request, applicant_id: int):
    applicant = selectors.access_applicant(user=request.user, applicant_id=applicant_id)
    return shape(request, applicant)
