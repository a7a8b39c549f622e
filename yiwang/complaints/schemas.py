"""The API's typed answers for tickets (API.md, "Complaints"); dates and times as ISO text."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class ReporterOut(Schema):
    name: str
    phone: str
    anonymous: bool
    masked: bool


class SubjectOut(Schema):
    entity_id: int | None
    code: str | None
    name: str


class ClockOut(Schema):
    used_working_days: int
    remaining_working_days: int
    extended_days: int
    state: str
    level: str
    provisional: bool


class DepartmentRef(Schema):
    id: int
    name: str


class InspectionOut(Schema):
    decision: str | None
    decided_on: str | None
    inspection_id: int | None
    outcome: str | None
    concluded_on: str | None


class DuplicateOut(Schema):
    id: int
    number: str
    similarity: float


class ReplyOut(Schema):
    round: int
    text: str
    department: str
    replied_at: str
    on_time: bool
    attachments: list[int]


class RatingOut(Schema):
    round: int
    level: int
    comment: str
    rated_at: str


class TimelineOut(Schema):
    at: str
    action: str
    actor: str
    note: str


class TicketOut(Schema):
    id: int
    number: str
    channel: str
    external_number: str | None
    kind: str
    urgency: str
    status: str
    content: str
    subject: SubjectOut
    reporter: ReporterOut
    received_at: str
    due: str | None
    decision_due: str | None
    clock: ClockOut
    department: DepartmentRef | None
    assisting: list[DepartmentRef]
    round: int
    replied_on: str | None
    closed_on: str | None
    upheld: bool | None
    reopened: int
    inspection: InspectionOut
    merged_into: str | None
    duplicates: list[DuplicateOut]
    replies: list[ReplyOut]
    ratings: list[RatingOut]
    version: int
    timeline: list[TimelineOut]
    lookup_code: str | None = None  # only in the answer to the intake that made the ticket


class QueueItem(Schema):
    id: int
    number: str
    kind: str
    urgency: str
    status: str
    subject: str
    department: str | None
    due: str | None
    level: str
    received_at: str


class QueuePage(Schema):
    count: int
    items: list[QueueItem]


class PublicReplyOut(Schema):
    round: int
    text: str
    replied_at: str


class PublicRatingOut(Schema):
    round: int
    level: int


class PublicTicketOut(Schema):
    number: str
    kind: str
    status: str
    received_at: str
    due: str | None
    replies: list[PublicReplyOut]
    ratings: list[PublicRatingOut]
    may_reopen: bool


class DepartmentCount(Schema):
    department_id: int | None
    name: str | None
    count: int


class EntityCount(Schema):
    entity_id: int
    name: str
    count: int


class MonthCount(Schema):
    month: str
    count: int


class FiguresOut(Schema):
    from_: str = Field(alias="from")
    to: str
    received: int
    by_kind: dict[str, int]
    by_department: list[DepartmentCount]
    by_entity: list[EntityCount]
    by_month: list[MonthCount]
    replied: int
    replied_on_time: int
    on_time_rate: float | None
    rated: int
    satisfied: int
    satisfaction: float | None
