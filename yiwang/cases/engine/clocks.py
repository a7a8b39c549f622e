"""The clocks a case carries, built from its records; every date comes from `workdays`.

- acceptance: 5 working days from the last submission (Art. 32), stopped by acceptance,
  refusal or a correction notice;
- committed (承诺时限) and statutory (法定时限, Art. 42) from acceptance, both stopped by every
  suspension (Art. 45) and by the decision; the one extension (Art. 42) lengthens the statutory;
- issue: 10 working days from approval to the licence (Art. 44).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from yiwang.cases.engine.states import CLOCK_AT_REST, IN_REVIEW, Status
from yiwang.cases.engine.statutes import ACCEPTANCE_DAYS, DEFAULT_SUPPLEMENT_DAYS, ISSUE_DAYS
from yiwang.workdays.clock import ClockReading, DeadlineClock
from yiwang.workdays.clock import Suspension as ClockSuspension


@dataclass(frozen=True)
class CaseClocks:
    acceptance: DeadlineClock
    committed: DeadlineClock | None
    statutory: DeadlineClock | None
    issue: DeadlineClock | None
    supplement: DeadlineClock | None = None


def limits_of(case) -> tuple[int, int]:
    """(committed, statutory) working days: the implementation may only tighten the item."""
    version = case.item_version
    statutory = version.statutory_limit_days
    committed = version.committed_limit_days
    if case.implementation_id and case.implementation.committed_limit_days:
        committed = min(committed, case.implementation.committed_limit_days)
    if case.green and version.green_limit_days:
        committed = min(committed, version.green_limit_days)
    if case.procedure == "emergency" and version.emergency_limit_days:
        committed = min(committed, version.emergency_limit_days)
    return committed, statutory


def clocks_of(case, suspensions=None) -> CaseClocks:
    if suspensions is None:
        suspensions = list(case.suspensions.all())
    acceptance_stop = case.accepted_on or (
        case.closed_on if case.status == Status.REFUSED else None
    )
    if case.status == Status.CORRECTION_REQUESTED:
        acceptance_stop = case.submitted_on
    if case.status == Status.WITHDRAWN and not case.accepted_on:
        acceptance_stop = case.closed_on
    acceptance = DeadlineClock(
        start=case.submitted_on,
        limit_days=ACCEPTANCE_DAYS,
        stopped_on=acceptance_stop,
        kind="acceptance",
    )
    if not case.accepted_on:
        return CaseClocks(acceptance, None, None, None)
    stops = tuple(
        ClockSuspension(start=s.started_on, end=s.ended_on, kind=s.kind) for s in suspensions
    )
    review_stop = case.decided_on or (case.closed_on if case.status == Status.WITHDRAWN else None)
    committed_days, statutory_days = limits_of(case)
    committed = DeadlineClock(
        start=case.accepted_on,
        limit_days=committed_days,
        suspensions=stops,
        stopped_on=review_stop,
        kind="committed",
    )
    statutory = DeadlineClock(
        start=case.accepted_on,
        limit_days=statutory_days,
        suspensions=stops,
        extensions=(case.extension_days,) if case.extension_days else (),
        stopped_on=review_stop,
        kind="statutory",
    )
    issue = None
    if case.decided_on and case.status in (Status.APPROVED, Status.ISSUED):
        issue = DeadlineClock(
            start=case.decided_on, limit_days=ISSUE_DAYS, stopped_on=case.issued_on, kind="issue"
        )
    supplement = None
    if case.procedure == "tolerance":
        # 容缺后补: the promised materials are due within the item's supplement period.
        # An issued case still owes its materials: only supplying them stops that clock.
        ended = case.supplemented_on if case.status == Status.ISSUED else case.closed_on
        supplement = DeadlineClock(
            start=case.accepted_on,
            limit_days=case.item_version.supplement_days or DEFAULT_SUPPLEMENT_DAYS,
            stopped_on=case.supplemented_on or ended,
            kind="supplement",
        )
    return CaseClocks(acceptance, committed, statutory, issue, supplement)


@dataclass(frozen=True)
class CaseDeadlines:
    acceptance_due: datetime.date | None
    committed_due: datetime.date | None
    statutory_due: datetime.date | None
    issue_due: datetime.date | None
    supplement_due: datetime.date | None
    current: ClockReading  # the reading that governs the case now
    due_on: datetime.date | None  # the date the queue sorts by
    level: str
    provisional: bool


_RANK = {"normal": 0, "warning": 1, "overdue": 2}


def deadlines_of(case, today: datetime.date, suspensions=None) -> CaseDeadlines:
    clocks = clocks_of(case, suspensions)
    acceptance = clocks.acceptance.at(today)
    committed = clocks.committed.at(today) if clocks.committed else None
    statutory = clocks.statutory.at(today) if clocks.statutory else None
    issue = clocks.issue.at(today) if clocks.issue else None
    supplement = clocks.supplement.at(today) if clocks.supplement else None
    if case.status in IN_REVIEW or case.status == Status.SUSPENDED:
        current = max((committed, statutory), key=lambda r: _RANK[r.level])
        due_on = committed.due
    elif case.status == Status.APPROVED:
        current, due_on = issue, issue.due
    elif case.status == Status.RECEIVED:
        current, due_on = acceptance, acceptance.due
    else:
        current = statutory or acceptance
        due_on = None
    readings = [r for r in (acceptance, committed, statutory, issue) if r]
    level = current.level if case.status not in CLOCK_AT_REST else "normal"
    return CaseDeadlines(
        acceptance_due=acceptance.due,
        committed_due=committed.due if committed else None,
        statutory_due=statutory.due if statutory else None,
        issue_due=issue.due if issue else None,
        supplement_due=supplement.due if supplement else None,
        current=current,
        due_on=due_on,
        level=level,
        provisional=any(r.provisional for r in readings),
    )
