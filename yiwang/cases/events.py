"""The events a case publishes (discovered by the events app), one typed payload for all.

Every step recorded on a case (`engine.perform.record_step`) publishes one of these in its
transaction; the timeline entry and the audit record of the step point at the same event.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel

from yiwang.events import event_type


class CaseEventPayload(BaseModel):
    case_id: int
    number: str
    action: str
    item_code: str
    item_name: str
    applicant_id: int
    department_id: int
    region_code: str
    channel: str
    procedure: str
    status: str
    from_status: str | None = None
    on: datetime.date
    at: datetime.datetime
    note: str = ""
    outcome: str | None = None  # approved | denied, for case.decided
    decided_on: datetime.date | None = None
    legal_basis: str = ""
    licence_number: str = ""
    post_check_due: datetime.date | None = None
    data: dict = {}
    # The applicant's inbox message of the step (`notifications.SUBJECTS`), written from this
    # event by `subscribers.write_step_notice` once the step has committed.
    notice: str = ""
    notice_body: str = ""


class NoticePayload(BaseModel):
    case_id: int
    notification_ids: list[int]


# The step recorded → the event published; steps not listed publish "case.<step>".
EVENT_OF_STEP = {
    "receive": "case.filed",
    "accept": "case.accepted",
    "deem_accepted": "case.accepted",
    "refuse": "case.refused",
    "request_correction": "case.correction_requested",
    "resubmit": "case.resubmitted",
    "dispatch": "case.dispatched",
    "review": "case.reviewed",
    "suspend": "case.suspended",
    "resume": "case.resumed",
    "extend": "case.extended",
    "approve": "case.decided",
    "deny": "case.decided",
    "commitment_decide": "case.decided",
    "issue": "case.issued",
    "withdraw": "case.withdrawn",
    "record_visit": "case.visited",
    "supplement": "case.supplemented",
    "lapse": "case.lapsed",
    "mark_green": "case.marked_green",
    "commitment_check": "case.commitment_checked",
    "provisional_licence_withdrawn": "case.provisional_licence_withdrawn",
}
CLOSED = "case.closed"  # published as well when a step ends the case
NOTICE = "case.notice"  # the applicant's inbox messages of a step, for the senders

# The events of steps, which may carry the applicant's notice of the step.
STEP_EVENTS = sorted(set(EVENT_OF_STEP.values()))

for _name in {*STEP_EVENTS, CLOSED}:
    event_type(_name, CaseEventPayload)
event_type(NOTICE, NoticePayload)


def event_name(step: str) -> str:
    return EVENT_OF_STEP.get(step, f"case.{step}")


def carries_notices(step: str) -> bool:
    return event_name(step) in STEP_EVENTS
