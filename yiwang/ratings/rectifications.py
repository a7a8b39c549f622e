"""The rectification of a bad rating (差评整改), step by step, within 15 working days:
verified by the department (genuine or not, with reasons), called back, fixed (when genuine),
and the rater told. Each step is one transaction with its audit record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.errors import Conflict, invalid_field
from yiwang.permissions import Action, require
from yiwang.ratings.models import Rectification, RectificationAlert
from yiwang.ratings.rules import RECTIFY_WORKING_DAYS
from yiwang.ratings.services import GENUINE_RULE, NOTE_RULE, REASON_RULE, STEP_RULE
from yiwang.regions.models import Role, Staff
from yiwang.workdays.clock import NORMAL, DeadlineClock

Status = Rectification.Status

# Which step comes after which; a fix is needed only for a genuine bad rating.
NEXT_STEP = {
    Status.OPEN: _("verify"),
    Status.VERIFIED: _("call back"),
    Status.CALLED_BACK: _("record the fix"),
    Status.FIXED: _("tell the rater"),
    Status.CLOSED: _("none"),
}


def _refuse(rectification: Rectification) -> Conflict:
    return Conflict(
        STEP_RULE
        % {
            "status": rectification.get_status_display(),
            "next": NEXT_STEP[Status(rectification.status)],
        },
        code="rectification_step",
    )


def _text(value: str | None, field: str, rule) -> str:
    text = (value or "").strip()
    if not text:
        raise invalid_field(field, rule, code="required")
    return text


def _step(
    *, actor: Any, rectification: Rectification, expected: set[str], action: str, changes: dict
) -> Rectification:
    require(actor, Action.RECTIFICATION_HANDLE, rectification)
    with transaction.atomic():
        locked = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if locked.status not in expected:
            raise _refuse(locked)
        before = {"status": locked.status}
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action=action,
            obj=locked,
            stream=f"rating:{locked.rating.invitation_id}",
            before=before,
            after={name: value for name, value in changes.items() if name != "status"}
            | {"status": locked.status},
        )
    return locked


def rectification_verify(
    *, actor: Any, rectification: Rectification, genuine: Any, reason: str
) -> Rectification:
    if not isinstance(genuine, bool):
        raise invalid_field("genuine", GENUINE_RULE, code="required")
    reason = _text(reason, "reason", REASON_RULE)
    return _step(
        actor=actor,
        rectification=rectification,
        expected={Status.OPEN},
        action="rectification.verify",
        changes={
            "status": Status.VERIFIED,
            "genuine": genuine,
            "verification_reason": reason,
            "verified_on": clock.today(),
        },
    )


def rectification_record_callback(
    *, actor: Any, rectification: Rectification, note: str
) -> Rectification:
    note = _text(note, "note", NOTE_RULE)
    return _step(
        actor=actor,
        rectification=rectification,
        expected={Status.VERIFIED},
        action="rectification.call_back",
        changes={
            "status": Status.CALLED_BACK,
            "callback_note": note,
            "called_back_on": clock.today(),
        },
    )


def rectification_record_fix(
    *, actor: Any, rectification: Rectification, note: str
) -> Rectification:
    note = _text(note, "note", NOTE_RULE)
    return _step(
        actor=actor,
        rectification=rectification,
        expected={Status.CALLED_BACK},
        action="rectification.fix",
        changes={"status": Status.FIXED, "fix_note": note, "fixed_on": clock.today()},
    )


def rectification_close(*, actor: Any, rectification: Rectification, note: str) -> Rectification:
    """Tell the rater the result; a genuine bad rating must have its fix recorded first."""
    note = _text(note, "note", NOTE_RULE)
    expected = {Status.FIXED}
    if rectification.genuine is False:
        expected.add(Status.CALLED_BACK)
    return _step(
        actor=actor,
        rectification=rectification,
        expected=expected,
        action="rectification.close",
        changes={"status": Status.CLOSED, "told_note": note, "closed_on": clock.today()},
    )


def rectification_reading(rectification: Rectification, today=None):
    """The clock of a rectification: 15 working days from the rating, stopped when closed."""
    clock_value = DeadlineClock(
        start=rectification.opened_on,
        limit_days=RECTIFY_WORKING_DAYS,
        stopped_on=rectification.closed_on,
    )
    return clock_value.at(today or clock.today())


def rectifications_alert(*, today=None) -> int:
    """Daily: warn each department's leaders of open rectifications at warning or overdue."""
    today = today or clock.today()
    open_ones = Rectification.objects.filter(~Q(status=Status.CLOSED)).select_related(
        "rating__invitation"
    )
    leaders: dict[int, list[int]] = {}
    for row in Staff.objects.filter(is_active=True, roles__role=Role.LEADER).values(
        "department_id", "user_id"
    ):
        leaders.setdefault(row["department_id"], []).append(row["user_id"])
    already = set(
        RectificationAlert.objects.filter(created_on=today).values_list(
            "rectification_id", "user_id"
        )
    )
    alerts = []
    for rectification in open_ones:
        level = rectification_reading(rectification, today).level
        if level == NORMAL:
            continue
        for user_id in leaders.get(rectification.rating.invitation.department_id, []):
            if (rectification.pk, user_id) in already:
                continue
            alerts.append(
                RectificationAlert(
                    rectification=rectification, user_id=user_id, level=level, created_on=today
                )
            )
    with transaction.atomic():
        RectificationAlert.objects.bulk_create(alerts, ignore_conflicts=True)
        if alerts:
            audit_record(
                actor=None,
                action="rectification.alert",
                object_type="ratings.rectification",
                object_id=today.isoformat(),
                after={"alerts": len(alerts)},
            )
    return len(alerts)
