"""Telling the applicant: always in the portal inbox, and through the configured senders.

Senders are pluggable (`YIWANG_NOTIFY_SENDERS`): `console` prints, `file` appends to
var/notifications.log, or a dotted path to a callable `send(notification)` (e-mail, SMS).
A case step's message is written from the step's event once the step has committed
(`subscribers.write_step_notice`), and the senders run from the `case.notice` event that
writing publishes: a rolled-back step tells nobody, a committed one is told even if the server
dies at once, and the request that took the step does neither.
"""

from __future__ import annotations

import importlib
import json
import logging

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.cases import events as case_events
from yiwang.cases.models import Case, Notification
from yiwang.events import publish
from yiwang.parties.models import Representation

logger = logging.getLogger("yiwang.notify")

SUBJECTS = {
    "received": _("Your application %(number)s was received"),
    "correction": _("Application %(number)s: please supply the missing materials"),
    "accepted": _("Your application %(number)s was accepted"),
    "deemed_accepted": _("Your application %(number)s counts as accepted"),
    "refused": _("Your application %(number)s was not accepted"),
    "suspended": _("Application %(number)s: the time limit is suspended"),
    "resumed": _("Application %(number)s: the time limit runs again"),
    "extended": _("Application %(number)s: the time limit is extended"),
    "approved": _("Your application %(number)s was approved"),
    "denied": _("Your application %(number)s was denied"),
    "issued": _("The licence for application %(number)s is issued"),
    "withdrawn": _("Your application %(number)s was withdrawn"),
    "lapsed": _("Application %(number)s: the promised materials did not arrive in time"),
    "supplemented": _("Application %(number)s: the promised materials were received"),
}


def notify_of_step(event) -> list[Notification]:
    """The inbox messages a case step's event asks for (its `notice`), once per event: a
    second delivery of the event writes nothing. Run in the subscriber's transaction."""
    payload = case_events.CaseEventPayload.model_validate(event.payload)
    if not payload.notice or Notification.objects.filter(event_id=event.pk).exists():
        return []
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(SUBJECTS[payload.notice] % {"number": payload.number})
    return notify_applicant(
        case_id=payload.case_id,
        applicant_id=payload.applicant_id,
        kind=payload.notice,
        subject=subject,
        body=payload.notice_body,
        event=event,
    )


def notify_applicant(
    *,
    case_id: int,
    applicant_id: int,
    kind: str,
    subject: str,
    body: str = "",
    case=None,
    event=None,
) -> list[Notification]:
    """An inbox message about a case for everyone acting for the applicant (or the applicant's
    inbox alone), sent on by the senders from the `case.notice` event; other apps (ratings)
    tell applicants through this too."""
    recipients = list(
        Representation.objects.filter(applicant_id=applicant_id).values_list("user_id", flat=True)
    ) or [None]
    now = clock.now()
    messages = Notification.objects.bulk_create(
        Notification(
            case_id=case_id,
            applicant_id=applicant_id,
            recipient_id=user_id,
            kind=kind,
            subject=subject,
            body=body,
            created_at=now,
            event=event,
        )
        for user_id in recipients
    )
    publish(
        case_events.NOTICE,
        payload={"case_id": case_id, "notification_ids": [m.pk for m in messages]},
        subject=case if case is not None else Case(pk=case_id),
    )
    return messages


def send_all(messages: list[Notification]) -> None:
    for name in settings.NOTIFY_SENDERS:
        sender = SENDERS.get(name) or _import(name)
        for message in messages:
            sender(message)


def _import(path: str):
    module, attribute = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), attribute)


def send_console(message: Notification) -> None:
    logger.info("notify applicant %s: %s", message.applicant_id, message.subject)


def send_file(message: Notification) -> None:
    path = settings.VAR_DIR / "notifications.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            json.dumps(
                {
                    "at": message.created_at.isoformat(),
                    "applicant": message.applicant_id,
                    "subject": message.subject,
                    "body": message.body,
                },
                ensure_ascii=False,
            )
            + "\n"
        )


SENDERS = {"console": send_console, "file": send_file}
