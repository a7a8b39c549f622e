"""Services to enterprises in the API: secretaries, the three lists, front services."""

from __future__ import annotations

import datetime

from django.db import transaction
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from yiwang import clock
from yiwang.cases.services import file_store
from yiwang.enterprise import front, selectors, services
from yiwang.enterprise.models import (
    EntryStatus,
    FrontServiceRequest,
    ListEntry,
    ListKind,
    SecretaryAssignment,
    ServiceKind,
)

router = Router(tags=["enterprise services"])
front_router = Router(tags=["front services"])


class AssignIn(Schema):
    applicant_id: int
    secretary_id: int
    note: str = ""


class AssignmentOut(Schema):
    applicant_id: int
    secretary_id: int
    secretary: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class EntryIn(Schema):
    kind: ListKind
    title: str
    owner_id: int | None = None
    due_on: datetime.date | None = None
    notes: str = ""


class ProblemIn(Schema):
    title: str
    notes: str = ""


class EntryChangeIn(Schema):
    status: EntryStatus | None = None
    note: str = ""
    due_on: datetime.date | None = None
    owner_id: int | None = None


class EntryOut(Schema):
    id: int
    applicant_id: int
    kind: str
    title: str
    notes: str
    owner_id: int
    owner: str
    due_on: datetime.date
    status: str
    overdue: bool
    reported_by_enterprise: bool
    closed_on: datetime.date | None


class ListsOut(Schema):
    secretary: str | None
    problem: list[EntryOut]
    done_for: list[EntryOut]
    potential: list[EntryOut]


class FrontRequestIn(Schema):
    applicant_id: int
    item_code: str
    kind: ServiceKind
    description: str


class AssignExpertIn(Schema):
    expert_id: int


class LinkIn(Schema):
    case_id: int


class AdviceOut(Schema):
    text: str
    recorded_at: datetime.datetime
    files: list[str]


class FrontRequestOut(Schema):
    id: int
    applicant_id: int
    item_code: str
    kind: str
    description: str
    status: str
    expert: str | None
    case_id: int | None
    requested_at: datetime.datetime
    advice: list[AdviceOut]


def assignment_body(assignment: SecretaryAssignment) -> dict:
    return {
        "applicant_id": assignment.applicant_id,
        "secretary_id": assignment.secretary_id,
        "secretary": assignment.secretary.display_name,
        "starts_on": assignment.starts_on,
        "ends_on": assignment.ends_on,
    }


def entry_body(entry: ListEntry) -> dict:
    return {
        "id": entry.pk,
        "applicant_id": entry.applicant_id,
        "kind": entry.kind,
        "title": entry.title,
        "notes": entry.notes,
        "owner_id": entry.owner_id,
        "owner": entry.owner.display_name,
        "due_on": entry.due_on,
        "status": entry.status,
        "overdue": entry.status in ("open", "in_progress") and entry.due_on < clock.today(),
        "reported_by_enterprise": entry.reported_by_enterprise,
        "closed_on": entry.closed_on,
    }


def request_body(request: FrontServiceRequest) -> dict:
    return {
        "id": request.pk,
        "applicant_id": request.applicant_id,
        "item_code": request.item.code,
        "kind": request.kind,
        "description": request.description,
        "status": request.status,
        "expert": request.expert.name if request.expert_id else None,
        "case_id": request.case_id,
        "requested_at": request.requested_at,
        "advice": [
            {
                "text": advice.text,
                "recorded_at": advice.recorded_at,
                "files": [stored.original_name for stored in advice.files.all()],
            }
            for advice in request.advice.all()
        ],
    }


# Secretaries and lists --------------------------------------------------------------------


@router.post("/secretaries", response={201: AssignmentOut})
def secretary_assign(request, payload: AssignIn):
    assignment = services.secretary_assign(
        actor=request.user,
        applicant_id=payload.applicant_id,
        secretary_id=payload.secretary_id,
        note=payload.note,
    )
    return Status(201, assignment_body(assignment))


@router.get("/{applicant_id}/secretaries", response=list[AssignmentOut])
def secretary_history(request, applicant_id: int):
    applicant = selectors.access_enterprise(user=request.user, applicant_id=applicant_id)
    return [assignment_body(entry) for entry in selectors.secretary_history(applicant)]


@router.get("/{applicant_id}/lists", response=ListsOut)
def three_lists(request, applicant_id: int):
    applicant = selectors.access_enterprise(user=request.user, applicant_id=applicant_id)
    lists = selectors.three_lists(applicant)
    current = services.current_secretary(applicant.pk)
    return {
        "secretary": current.secretary.display_name if current else None,
        **{kind: [entry_body(entry) for entry in entries] for kind, entries in lists.items()},
    }


@router.post("/{applicant_id}/lists", response={201: EntryOut})
def list_entry_add(request, applicant_id: int, payload: EntryIn):
    entry = services.list_entry_add(
        actor=request.user,
        applicant_id=applicant_id,
        kind=payload.kind,
        title=payload.title,
        owner_id=payload.owner_id,
        due_on=payload.due_on,
        notes=payload.notes,
    )
    return Status(201, entry_body(entry))


@router.post("/{applicant_id}/problems", response={201: EntryOut})
def problem_report(request, applicant_id: int, payload: ProblemIn):
    """The enterprise adds a problem to its own list; its secretary owns it."""
    entry = services.problem_report(
        actor=request.user, applicant_id=applicant_id, title=payload.title, notes=payload.notes
    )
    return Status(201, entry_body(entry))


@router.post("/entries/{entry_id}", response=EntryOut)
def list_entry_update(request, entry_id: int, payload: EntryChangeIn):
    entry = services.list_entry_update(
        actor=request.user,
        entry_id=entry_id,
        status=payload.status,
        note=payload.note,
        due_on=payload.due_on,
        owner_id=payload.owner_id,
    )
    return entry_body(entry)


@router.get("/overdue", response=list[EntryOut])
def overdue_entries(request):
    """The caller's overdue entries: owned, or of enterprises the caller is secretary of."""
    return [entry_body(entry) for entry in selectors.entries_overdue_for(request.user)]


# Front services ---------------------------------------------------------------------------


@front_router.post("", response={201: FrontRequestOut})
def front_service_request(request, payload: FrontRequestIn):
    created = front.front_service_request(
        actor=request.user,
        applicant_id=payload.applicant_id,
        item_code=payload.item_code,
        kind=payload.kind,
        description=payload.description,
    )
    return Status(201, request_body(created))


@front_router.get("", response=list[FrontRequestOut])
def front_service_list(request, case_id: int | None = None):
    requests = selectors.front_requests_visible(request.user).prefetch_related("advice__files")
    if case_id is not None:
        requests = requests.filter(case_id=case_id)
    return [request_body(entry) for entry in requests[:200]]


@front_router.get("/{request_id}", response=FrontRequestOut)
def front_service_detail(request, request_id: int):
    return request_body(selectors.access_front_request(user=request.user, request_id=request_id))


@front_router.post("/{request_id}/assign", response=FrontRequestOut)
def front_service_assign(request, request_id: int, payload: AssignExpertIn):
    front.front_service_assign(
        actor=request.user, request_id=request_id, expert_id=payload.expert_id
    )
    return request_body(selectors.access_front_request(user=request.user, request_id=request_id))


@front_router.post("/{request_id}/advice", response={201: FrontRequestOut})
def front_service_advise(
    request, request_id: int, text: Form[str], files: File[list[UploadedFile]] = None
):
    """The assigned expert records advice, with marked-up files (multipart)."""
    with transaction.atomic():  # a refused advice keeps none of its files
        stored = [file_store(actor=request.user, upload=upload) for upload in files or []]
        front.front_service_advise(
            actor=request.user, request_id=request_id, text=text, files=stored
        )
    return Status(
        201, request_body(selectors.access_front_request(user=request.user, request_id=request_id))
    )


@front_router.post("/{request_id}/link", response=FrontRequestOut)
def front_service_link(request, request_id: int, payload: LinkIn):
    front.front_service_link(actor=request.user, request_id=request_id, case_id=payload.case_id)
    return request_body(selectors.access_front_request(user=request.user, request_id=request_id))
