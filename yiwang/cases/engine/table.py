"""The case state machine: one table of states and the transitions allowed between them.

Each transition names the permission action that decides who may take it (role, department,
region: `yiwang.permissions`) and the article of the Administrative Licensing Law behind it.
`check` refuses anything else with a message saying why; services call it first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from yiwang.cases.engine.states import IN_REVIEW, OPEN, Status
from yiwang.cases.engine.statutes import ACCEPTANCE_DAYS, EXTENSION_DAYS, ISSUE_DAYS
from yiwang.errors import Conflict
from yiwang.permissions import Action

S = Status


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    permission: Action | None  # None: only the system takes it (deadline rules)
    article: str
    label: object
    # A further condition on the case beyond its state: returns the refusal (409) or None.
    guard: Callable[[object], Conflict | None] | None = None
    # The statutory number of working days the step starts or adds, from `statutes`.
    legal_days: int | None = None


def not_yet_extended(case) -> Conflict | None:
    if case.extension_days:
        return Conflict(
            _("The time limit was already extended once; the law allows one extension."),
            code="already_extended",
        )
    return None


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "accept",
            frozenset({S.RECEIVED}),
            S.ACCEPTED,
            Action.CASE_ACCEPT,
            "Art. 32",
            _("Accept"),
            legal_days=ACCEPTANCE_DAYS,
        ),
        Transition(
            "refuse",
            frozenset({S.RECEIVED}),
            S.REFUSED,
            Action.CASE_ACCEPT,
            "Art. 32",
            _("Refuse to accept"),
        ),
        Transition(
            "request_correction",
            frozenset({S.RECEIVED}),
            S.CORRECTION_REQUESTED,
            Action.CASE_ACCEPT,
            "Art. 32(4)",
            _("Request corrections"),
        ),
        Transition(
            "resubmit",
            frozenset({S.CORRECTION_REQUESTED}),
            S.RECEIVED,
            Action.CASE_RESUBMIT,
            "Art. 32(4)",
            _("Resubmit"),
        ),
        Transition(
            "deem_accepted",
            frozenset({S.RECEIVED}),
            S.ACCEPTED,
            None,
            "Art. 32(4)",
            _("Deemed accepted"),
        ),
        Transition(
            "dispatch",
            frozenset({S.ACCEPTED}),
            None,
            Action.CASE_DISPATCH,
            "Art. 26",
            _("Dispatch"),
        ),
        Transition(
            "review",
            frozenset({S.ACCEPTED}),
            S.REVIEWED,
            Action.CASE_REVIEW,
            "Art. 34",
            _("Record review"),
        ),
        Transition(
            "suspend",
            IN_REVIEW,
            S.SUSPENDED,
            Action.CASE_SUSPEND,
            "Art. 45",
            _("Suspend the clock"),
        ),
        Transition(
            "resume",
            frozenset({S.SUSPENDED}),
            None,
            Action.CASE_SUSPEND,
            "Art. 45",
            _("Resume the clock"),
        ),
        Transition(
            "extend",
            IN_REVIEW,
            None,
            Action.CASE_EXTEND,
            "Art. 42",
            format_lazy(_("Extend by {days} working days"), days=EXTENSION_DAYS),
            guard=not_yet_extended,
            legal_days=EXTENSION_DAYS,
        ),
        Transition("approve", IN_REVIEW, S.APPROVED, Action.CASE_DECIDE, "Art. 38", _("Approve")),
        Transition("deny", IN_REVIEW, S.DENIED, Action.CASE_DECIDE, "Art. 38", _("Deny")),
        Transition(
            "issue",
            frozenset({S.APPROVED}),
            S.ISSUED,
            Action.CASE_ISSUE,
            "Art. 44",
            _("Issue the licence"),
            legal_days=ISSUE_DAYS,
        ),
        Transition("withdraw", OPEN, S.WITHDRAWN, Action.CASE_WITHDRAW, "Art. 32", _("Withdraw")),
        Transition(
            "record_visit",
            frozenset(Status.values),
            None,
            Action.CASE_RECORD_VISIT,
            "—",
            _("Record a visit"),
        ),
        # Reform procedures (seeds: 告知承诺, 容缺后补, 绿色通道).
        Transition(
            "supplement",
            OPEN | {S.APPROVED, S.ISSUED},
            None,
            Action.CASE_RESUBMIT,
            "容缺后补",
            _("Supply the tolerated materials"),
        ),
        Transition(
            "lapse",
            OPEN | {S.APPROVED},
            S.LAPSED,
            None,
            "容缺后补",
            _("End: materials not supplied in time"),
        ),
        Transition(
            "mark_green",
            OPEN | {S.APPROVED},
            None,
            Action.CASE_MARK_GREEN,
            "急事急办",
            _("Mark as green channel"),
        ),
        Transition(
            "commitment_decide",
            frozenset({S.RECEIVED}),
            S.ISSUED,
            None,
            "告知承诺",
            _("Decided on the applicant's commitment"),
        ),
    ]
}


def transition(action: str) -> Transition:
    if action not in TRANSITIONS:
        raise Conflict(
            _("There is no action called %(action)s.") % {"action": action}, code="unknown_action"
        )
    return TRANSITIONS[action]


def check(action: str, status: str, case=None) -> Transition:
    """The transition, if the case's state (and the row's guard) allows it now; else 409."""
    step = transition(action)
    if status not in step.sources:
        raise Conflict(
            _("A case that is “%(status)s” cannot take the action “%(action)s”.")
            % {"status": Status(status).label, "action": step.label},
            code="not_allowed_now",
        )
    refusal = step.guard(case) if step.guard and case is not None else None
    if refusal is not None:
        raise refusal
    return step


def actions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources and t.permission is not None]
