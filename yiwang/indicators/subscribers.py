"""Keep the roll-ups current as cases move: a filing, a decision, a closure or a licence refreshes
its day's rows of its department (idempotent: a refresh recomputes the day from the cases)."""

from __future__ import annotations

import datetime

from yiwang.events import subscriber
from yiwang.indicators import rollups


def _refresh(day_text: str | None, department_id: int | None) -> int:
    if not day_text or department_id is None:
        return 0
    day = datetime.date.fromisoformat(day_text[:10])
    boundary = rollups.rolled_up_to()
    if boundary is None or day > boundary:
        return 0  # not rolled up yet: read live from the cases until the nightly roll-up
    return rollups.refresh_days(day, day, department_id=department_id)


@subscriber("case.filed", "case.decided", "case.closed", "case.refused", "case.withdrawn")
def refresh_case_day(event) -> None:
    payload = event.payload
    _refresh(payload.get("decided_on") or payload.get("on"), payload.get("department_id"))


@subscriber("licence.issued")
def refresh_licence_day(event) -> None:
    _refresh(event.payload.get("issued_on"), event.payload.get("department_id"))
