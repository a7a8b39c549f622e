"""The green channel (绿色通道, 急事急办): a leader's mark on a case or on an item for a period —
a dedicated handler, the head of every queue and the item's green limit."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from pydantic import AliasChoices, BeforeValidator, Field

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.cases.engine.actions import case_action
from yiwang.cases.engine.hooks import hook
from yiwang.cases.engine.perform import perform
from yiwang.cases.models import (
    Case,
    GreenMark,
    Procedure,
)
from yiwang.errors import Conflict, invalid_field
from yiwang.permissions import Action, require
from yiwang.regions.models import Staff


def green_mark_for_item(item, day: datetime.date) -> GreenMark | None:
    """The item's green mark in force on a day, if a leader set one (e.g. for an epidemic)."""
    return (
        GreenMark.objects.filter(item=item, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-marked_at")
        .first()
    )


@hook("green_mark")
def green_mark_at_filing(*, procedure: str, version, day: datetime.date) -> GreenMark | None:
    return check_green_request(procedure, version, day)


def check_green_request(procedure: str, version, day: datetime.date) -> GreenMark | None:
    """An applicant may ask for the green channel only while a leader has the item marked."""
    mark = green_mark_for_item(version.item, day)
    if procedure == Procedure.GREEN and mark is None:
        raise Conflict(
            _("The green channel is opened by a leader; this item is not marked green now."),
            code="green_not_open",
            fields={"procedure": _("green channel not open for this item")},
        )
    return mark


@case_action("mark_green")
def case_mark_green(
    *,
    actor: Any,
    case_id: int,
    reason: str,
    handler_id: Annotated[
        int | None,
        BeforeValidator(lambda value: None if value == "" else value),
        Field(validation_alias=AliasChoices("handler", "handler_id")),
    ] = None,
) -> Case:
    """A leader marks one case green: a dedicated handler, first in every queue, the green limit."""

    reason = (reason or "").strip()
    if not reason:
        raise invalid_field("reason", _("Say why this case is urgent."), code="required")

    def change(case, now):
        handler = None
        if handler_id is not None:
            staff = Staff.objects.filter(
                user_id=handler_id, department_id=case.department_id, is_active=True
            ).first()
            if staff is None:
                raise invalid_field("handler", _("The handler must work in the case's department."))
            handler = get_user_model().objects.get(pk=handler_id)
        case.green = True
        case.handler = handler or case.handler
        GreenMark.objects.create(
            case=case,
            starts_on=clock.localdate(now),
            reason=reason,
            handler=case.handler,
            marked_by=actor,
            marked_at=now,
        )
        return {"handler": case.handler_id, "reason": reason}

    return perform(actor=actor, case_id=case_id, action="mark_green", change=change, note=reason)


def item_mark_green(
    *, actor: Any, item, reason: str, starts_on: datetime.date, ends_on: datetime.date | None
) -> GreenMark:
    """A leader opens the green channel for every new case of an item for a period."""
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field("reason", _("Say why this item is urgent."), code="required")
    if ends_on is not None and ends_on < starts_on:
        raise invalid_field(
            "ends_on", _("The period ends before it starts."), code="reversed_period"
        )
    if "green" not in (item.versions.filter(status="published").first().procedures or []):
        raise invalid_field("item", _("The item does not allow the green channel."))
    require(actor, Action.ITEM_MARK_GREEN, _ItemScope(item))
    with transaction.atomic():
        mark = GreenMark.objects.create(
            item=item,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            marked_by=actor,
            marked_at=clock.now(),
        )
        audit_record(actor=actor, action="item.mark_green", obj=mark, after=snapshot(mark))
    return mark


class _ItemScope:
    scope_department_id = None
    scope_applicant_ids = frozenset()

    def __init__(self, item):
        self.scope_region_code = item.owner_department.region.code
