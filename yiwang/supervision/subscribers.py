"""Reactions to other apps' events: post-approval checks of commitment cases (opened on the
decision, closed when the check is recorded on the case), complaint checks."""

from __future__ import annotations

import datetime

from yiwang.events import subscriber
from yiwang.supervision.tasking import (
    complaint_task_open,
    post_approval_task_close,
    post_approval_task_open,
)


@subscriber("case.decided")
def open_post_approval_check(event) -> None:
    """A case approved on the applicant's commitment (告知承诺) gets its post-approval check."""
    payload = event.payload
    if payload.get("procedure") != "commitment" or (payload.get("outcome") or "approved") != (
        "approved"
    ):
        return
    due = payload.get("post_check_due")
    post_approval_task_open(
        case_id=int(payload["case_id"]),
        due_on=datetime.date.fromisoformat(due) if due else None,
    )


@subscriber("case.commitment_checked")
def close_post_approval_check(event) -> None:
    """The check was recorded on the case (the cases API, which other clients still use):
    supervision's queue is the one place it is pending, so its task closes too."""
    payload = event.payload
    post_approval_task_close(
        case_id=int(payload["case_id"]), result=str((payload.get("data") or {}).get("result"))
    )


@subscriber("ticket.inspection_requested")
def open_complaint_check(event) -> None:
    """The hotline asks for an inspection of the entity a complaint is about."""
    payload = event.payload
    complaint_task_open(
        ticket_id=int(payload["ticket_id"]),
        entity_id=payload.get("entity_id"),
        department_id=int(payload["department_id"]),
        reason=str(payload.get("reason") or payload.get("number") or ""),
    )
