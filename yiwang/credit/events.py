"""The events credit publishes (names and payloads are a contract with the other apps)."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel

from yiwang.events import event_type


class GradeChanged(BaseModel):
    applicant_id: int
    old_grade: str
    new_grade: str
    scorecard_version: int


class Listed(BaseModel):
    applicant_id: int
    list: Literal["red", "black"]
    until: datetime.date
    legal_basis: str


GRADE_CHANGED = event_type("credit.grade_changed", GradeChanged)
LISTED = event_type("credit.listed", Listed)
