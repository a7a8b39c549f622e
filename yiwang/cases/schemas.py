"""The shapes of the cases API's answers (API.md, "Applications"), declared so that the OpenAPI
document tells clients exactly what they get. Dates are ISO text, as API.md shows them."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class Named(Schema):
    id: int
    name: str


class ApplicantRef(Schema):
    id: int
    name: str
    code: str | None = None


class Deadlines(Schema):
    acceptance_due: str | None
    committed_due: str | None
    statutory_due: str | None
    issue_due: str | None
    supplement_due: str | None
    verification_due: str | None


class ClockOut(Schema):
    used_working_days: int
    suspended_working_days: int
    remaining_working_days: int
    extended_days: int
    state: str
    level: str
    provisional: bool


class CommitmentOut(Schema):
    signed_at: str
    signer: str
    text: str
    check: str | None


class PreReviewRef(Schema):
    id: int
    rounds: int
    history: list[dict[str, Any]]


class CorrectionOut(Schema):
    issued_at: str
    items: list[dict[str, Any]]
    answered_at: str | None


class CaseMaterialOut(Schema):
    code: str
    name: str
    file_id: int | None
    missing: bool
    from_elicence: bool


class TimelineOut(Schema):
    at: str
    action: str
    actor: str
    note: str


class CaseOut(Schema):
    id: int
    number: str
    item_code: str | None
    item_version: int
    status: str
    procedure: str
    channel: str
    applicant: ApplicantRef
    department: Named
    received_at: str
    accepted_on: str | None
    deemed_accepted: bool
    decided_on: str | None
    visits: int
    deadlines: Deadlines
    clock: ClockOut
    green: bool
    handler: str | None
    commitment: CommitmentOut | None
    supplemented_on: str | None
    bundle: str | None
    prereview: PreReviewRef | None
    corrections: list[CorrectionOut]
    materials: list[CaseMaterialOut]
    licence_number: str | None
    version: int
    timeline: list[TimelineOut]


class QueueRow(Schema):
    id: int
    number: str
    item_code: str
    item_name: str
    status: str
    procedure: str
    channel: str
    applicant: str
    green: bool
    due_on: str | None
    level: str
    department: str
    received_at: str


class QueuePage(Schema):
    count: int
    items: list[QueueRow]


class PreReviewMaterialOut(Schema):
    code: str
    name: str
    file_id: int | None
    acceptable: bool | None
    comment: str


class PreReviewOut(Schema):
    id: int
    status: str
    rounds: int
    item_code: str
    history: list[dict[str, Any]]
    materials: list[PreReviewMaterialOut]


class BundleCaseOut(Schema):
    id: int
    number: str
    item_code: str
    status: str
    department: str
    due_on: str | None


class BundleApplicationOut(Schema):
    number: str
    bundle: str
    status: str
    result: str | None
    decided: int
    total: int
    completed_on: str | None
    cases: list[BundleCaseOut]


class GreenMarkOut(Schema):
    item_code: str
    reason: str
    starts_on: str | None
    ends_on: str | None


class CommitmentCheckOut(Schema):
    id: int
    result: str
    checked_on: str | None


class BundleOut(Schema):
    code: str
    name: str
    name_en: str
    items: list[str]
    materials: list[dict[str, Any]]


class CommitmentCheckRow(Schema):
    id: int
    case: str
    case_id: int
    applicant: str
    due_on: str | None
    result: str


class EmergencyListingOut(Schema):
    product: str
    holder: str
    conditions: str
    listed_on: str | None
    ends_on: str | None
    case: str
