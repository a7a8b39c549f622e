"""A ticket's clocks, from its deadline rule and the `workdays` calendar.

- reply: `reply_days` working days from receipt (urgent 1, normal 5 by default), the day of
  receipt not counted; one extension (default 5) with a reason; a return to the dispatcher
  does not stop it; a reopened ticket starts a new reply clock on the day it was reopened.
- decision (reports only): `decision_days` (default 15) from receipt to the decision whether
  to open a special inspection.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from yiwang.complaints.limits import DEFAULT_RULES, EXTENSION_DAYS, REOPEN_DAYS
from yiwang.complaints.models import DeadlineRule, Status, Ticket
from yiwang.errors import invalid_field
from yiwang.workdays.clock import NORMAL, OVERDUE, WARNING, ClockReading, DeadlineClock

_RANK = {NORMAL: 0, WARNING: 1, OVERDUE: 2}
_REPLY_STOPPED = (Status.REPLIED, Status.CLOSED, Status.MERGED)


def rule_for(*, kind: str, urgency: str) -> DeadlineRule:
    """The rule of a kind and urgency; a missing row is made from the defaults (`limits`)."""
    rule = DeadlineRule.objects.filter(kind=kind, urgency=urgency).first()
    default = next((d for d in DEFAULT_RULES if d[:2] == (kind, urgency)), None)
    if rule is None and default is not None:
        rule, _created = DeadlineRule.objects.get_or_create(
            kind=kind,
            urgency=urgency,
            defaults={
                "reply_days": default[2],
                "decision_days": default[3],
                "extension_days": EXTENSION_DAYS,
                "reopen_days": REOPEN_DAYS,
            },
        )
    if rule is None:
        raise invalid_field(
            "kind",
            _("No time limit is set for %(kind)s tickets of %(urgency)s urgency.")
            % {"kind": kind, "urgency": urgency},
            code="no_deadline_rule",
        )
    return rule


def reply_clock(ticket: Ticket) -> DeadlineClock:
    extended = ticket.extension_days and ticket.extended_round == ticket.round
    stopped = None
    if ticket.status in _REPLY_STOPPED:
        stopped = ticket.replied_on or ticket.closed_on or ticket.clock_start
    return DeadlineClock(
        start=ticket.clock_start,
        limit_days=ticket.reply_days,
        extensions=(ticket.extension_days,) if extended else (),
        stopped_on=stopped,
        kind="reply",
    )


def decision_clock(ticket: Ticket) -> DeadlineClock | None:
    if not ticket.decision_days:
        return None
    stopped = ticket.decided_on
    if stopped is None and ticket.status in (Status.CLOSED, Status.MERGED):
        stopped = ticket.closed_on
    return DeadlineClock(
        start=ticket.received_on,
        limit_days=ticket.decision_days,
        stopped_on=stopped,
        kind="decision",
    )


def readings(ticket: Ticket, today: datetime.date) -> tuple[ClockReading, ClockReading | None]:
    decision = decision_clock(ticket)
    return reply_clock(ticket).at(today), decision.at(today) if decision else None


def refresh(ticket: Ticket, today: datetime.date) -> None:
    """Set the stored due dates and level (what queues sort and filter by) from the clocks."""
    reply, decision = readings(ticket, today)
    ticket.due_on = reply.due
    ticket.decision_due = decision.due if decision else None
    if not ticket.is_open:
        ticket.level = NORMAL
        return
    running = [reply] if ticket.status not in _REPLY_STOPPED else []
    if decision is not None and ticket.decided_on is None:
        running.append(decision)
    ticket.level = max((r.level for r in running), key=_RANK.__getitem__, default=NORMAL)
