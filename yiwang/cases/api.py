"""Applications and files in the API (API.md, "Applications")."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import BaseModel, ConfigDict

from yiwang import clock
from yiwang.cases import selectors, services
from yiwang.cases.engine.actions import CaseAction, action_named, case_actions, dispatch
from yiwang.cases.engine.clocks import deadlines_of
from yiwang.cases.engine.table import TRANSITIONS
from yiwang.cases.models import Case
from yiwang.cases.schemas import CaseOut, QueuePage
from yiwang.errors import invalid_field
from yiwang.permissions import Action, require

router = Router(tags=["applications"])
files_router = Router(tags=["files"])


class MaterialIn(Schema):
    code: str
    file_id: int | None = None
    missing: bool = False
    from_elicence: bool = False


class ApplicationIn(Schema):
    item_code: str
    channel: str
    procedure: str = "standard"
    applicant: dict[str, Any] | None = None
    department: int | None = None
    form: dict[str, Any] = {}
    materials: list[MaterialIn] = []
    commitment_signed: bool = False
    postal_tracking_number: str = ""
    prereview: int | None = None


class ActionIn(BaseModel):
    """The action's own fields (API.md): note, reason, items, materials, kind, department…"""

    model_config = ConfigDict(extra="allow")

    note: str = ""


class FileOut(Schema):
    file_id: int
    sha256: str
    size: int
    content_type: str


def case_body(case: Case, lists: selectors.CaseLists) -> dict:
    """A case as API.md shapes it."""
    deadlines = deadlines_of(case, clock.today(), lists.suspensions)
    reading = deadlines.current
    check = lists.commitment_check
    return {
        "id": case.pk,
        "number": case.number,
        "item_code": case.item.code if hasattr(case, "item") else None,
        "item_version": case.item_version.version,
        "status": case.status,
        "procedure": case.procedure,
        "channel": case.channel,
        "applicant": {
            "id": case.applicant_id,
            "name": case.applicant.masked_name,
            "code": case.applicant.masked_code,
        },
        "department": {"id": case.department_id, "name": case.department.name},
        "received_at": case.received_at.isoformat(),
        "accepted_on": case.accepted_on.isoformat() if case.accepted_on else None,
        "deemed_accepted": case.deemed_accepted,
        "decided_on": case.decided_on.isoformat() if case.decided_on else None,
        "visits": len(lists.visits),
        "deadlines": {
            "acceptance_due": iso_date(deadlines.acceptance_due),
            "committed_due": iso_date(deadlines.committed_due),
            "statutory_due": iso_date(deadlines.statutory_due),
            "issue_due": iso_date(deadlines.issue_due),
            "supplement_due": iso_date(deadlines.supplement_due),
            "verification_due": iso_date(check.due_on) if check else None,
        },
        "clock": {
            "used_working_days": reading.used,
            "suspended_working_days": reading.suspended,
            "remaining_working_days": reading.remaining,
            "extended_days": case.extension_days,
            "state": reading.state,
            "level": deadlines.level,
            "provisional": deadlines.provisional,
        },
        "green": case.green,
        "handler": case.handler.username if case.handler_id else None,
        "commitment": {
            "signed_at": case.commitment_signed_at.isoformat(),
            "signer": case.commitment_signer,
            "text": case.commitment_text,
            "check": check.result if check else None,
        }
        if case.commitment_signed_at
        else None,
        "supplemented_on": iso_date(case.supplemented_on),
        "bundle": case.bundle_application.number if case.bundle_application_id else None,
        "prereview": {
            "id": case.prereview_id,
            "rounds": case.prereview.rounds,
            "history": case.prereview.history,
        }
        if case.prereview_id
        else None,
        "corrections": [
            {
                "issued_at": n.issued_at.isoformat(),
                "items": n.items,
                "answered_at": n.answered_at.isoformat() if n.answered_at else None,
            }
            for n in lists.corrections
        ],
        "materials": [
            {
                "code": m.code,
                "name": m.name,
                "file_id": m.file_id,
                "missing": m.missing,
                "from_elicence": m.from_elicence,
            }
            for m in lists.materials
        ],
        "licence_number": case.licence_number or None,
        "version": case.version,
        "timeline": [
            {"at": t.at.isoformat(), "action": t.action, "actor": t.actor_label, "note": t.note}
            for t in lists.timeline
        ],
    }


def answer_from(case: Case, user) -> dict:
    """The answer to a write, shaped from the case its service loaded, locked and returned:
    never reloaded; only its lists are read, after the change, in one statement."""
    require(user, Action.CASE_VIEW, case)
    return case_body(case, selectors.case_lists(case.pk))


def iso_date(day):
    return day.isoformat() if day else None


@files_router.post("", response={201: FileOut})
def upload_file(request, file: File[UploadedFile]):
    stored = services.file_store(actor=request.user, upload=file)
    return Status(
        201,
        {
            "file_id": stored.pk,
            "sha256": stored.sha256,
            "size": stored.size,
            "content_type": stored.content_type,
        },
    )


@router.post("", response={200: CaseOut, 201: CaseOut})
def submit_application(request, payload: ApplicationIn):
    applicant_id = (payload.applicant or {}).get("id")
    case, created = services.case_submit(
        actor=request.user,
        item_code=payload.item_code,
        channel=payload.channel,
        procedure=payload.procedure,
        applicant_id=applicant_id,
        department_id=payload.department,
        form=payload.form,
        materials=[m.dict() for m in payload.materials],
        postal_tracking_number=payload.postal_tracking_number,
        idempotency_key=request.headers.get("Idempotency-Key") or None,
        commitment_signed=payload.commitment_signed,
        prereview_id=payload.prereview,
    )
    return Status(201 if created else 200, answer_from(case, request.user))


@router.get("", response=QueuePage)
def list_applications(
    request,
    status: str | None = None,
    level: str | None = None,
    department: int | None = None,
    mine: bool = False,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
):
    queue = selectors.case_queue_for(
        request.user, status=status, level=level, department=department, mine=mine
    )
    rows = list(selectors.queue_rows(queue)[offset : offset + limit])
    return {
        "count": queue.count(),
        "items": [
            {
                "id": c.pk,
                "number": c.number,
                "item_code": c.item.code,
                "item_name": c.item_version.name,
                "status": c.status,
                "procedure": c.procedure,
                "channel": c.channel,
                "applicant": c.applicant.masked_name,
                "green": c.green,
                "due_on": iso_date(c.due_on),
                "level": c.level,
                "department": c.department.name,
                "received_at": c.received_at.isoformat(),
            }
            for c in rows
        ],
    }


@router.get("/{int:case_id}", response=CaseOut)
def get_application(request, case_id: int):
    return case_body(*selectors.case_answer(user=request.user, case_id=case_id))


def _action_endpoint(action: CaseAction):
    """The route of one action: its body is the action's own schema (engine.actions)."""

    def take_action(request, case_id: int, payload=None):
        case = dispatch(actor=request.user, case_id=case_id, action=action.name, data=payload)
        return answer_from(case, request.user)

    take_action.__annotations__ = {"case_id": int, "payload": action.body | None}
    take_action.__name__ = f"take_{action.name}"
    return take_action


# The OpenAPI document is English whatever language is active when the routes load.
with translation.override("en"):
    for _action in case_actions():
        router.post(
            f"/{{int:case_id}}/actions/{_action.name}",
            response=CaseOut,
            operation_id=f"application_{_action.name}",
            summary=str(TRANSITIONS[_action.name].label),
        )(_action_endpoint(_action))


@router.post("/{int:case_id}/actions/{action}", response=CaseOut)
def act_on_application(request, case_id: int, action: str, payload: ActionIn | None = None):
    """Any other name: 409 if the table does not know it, 400 if only the system takes it."""
    action_named(action)
    raise invalid_field("action", _("This action is taken by the system only."))
