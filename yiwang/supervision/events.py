"""The events supervision publishes (names and payloads are the contract other apps rely on)."""

from __future__ import annotations

from pydantic import BaseModel

from yiwang.events import event_type


class InspectionConcluded(BaseModel):
    inspection_id: int
    task_id: int
    kind: str
    entity_id: int
    entity_code: str
    entity_name: str
    department_id: int
    departments: list[int]
    region_code: str
    outcome: str
    concluded_on: str
    findings_summary: str
    rectify_due: str | None = None
    publish_due: str
    source_ticket_id: int | None = None
    case_id: int | None = None


class PenaltyDecided(BaseModel):
    penalty_id: int
    inspection_id: int
    entity_id: int
    entity_code: str
    department_id: int
    legal_basis: str
    amount: str
    decided_on: str
    inclusive_list_entry: int | None = None  # the credit app's InclusiveMeasure applied


class InspectionPublished(BaseModel):
    inspection_id: int
    entity_code: str
    department_id: int
    outcome: str
    concluded_on: str
    published_on: str


INSPECTION_CONCLUDED = event_type("inspection.concluded", InspectionConcluded)
PENALTY_DECIDED = event_type("penalty.decided", PenaltyDecided)
INSPECTION_PUBLISHED = event_type("inspection.published", InspectionPublished)
