"""Taking tickets in from every channel (受理): the hotline platforms by API (idempotent by their
own ticket number), operators and clerks on the intake page, the public on the portal."""

from __future__ import annotations

import datetime
import difflib
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.complaints import deadlines
from yiwang.complaints.models import (
    HOTLINES,
    Channel,
    DuplicateProposal,
    Kind,
    Status,
    Ticket,
    TicketNumberSequence,
    Urgency,
)
from yiwang.complaints.records import record, required_text
from yiwang.errors import PermissionRefused, invalid_field
from yiwang.parties.identifiers import IdentifierError, validate_uscc
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, may, scope_of
from yiwang.regions.models import Department

DUPLICATE_WINDOW_DAYS = 30  # same subject and content within 30 days: propose a merge
DUPLICATE_SIMILARITY = 0.85
PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


@dataclass(frozen=True)
class Received:
    ticket: Ticket
    created: bool
    lookup_code: str | None  # given to the reporter once; only its hash is kept


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def ticket_receive(
    *,
    actor: Any,
    channel: str,
    kind: str,
    urgency: str = Urgency.NORMAL,
    content: str,
    subject_code: str = "",
    subject_name: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    anonymous: bool = False,
    external_number: str = "",
) -> Received:
    """One ticket; a hotline ticket number already taken returns the ticket it made."""
    _check_choice("channel", channel, Channel)
    _check_choice("kind", kind, Kind)
    _check_choice("urgency", urgency, Urgency)
    content = required_text(content, "content", _("Write down what the caller reports."))
    reporter_name, reporter_phone = _reporter(reporter_name, reporter_phone, anonymous)
    external_number = (external_number or "").strip()
    if external_number and channel not in HOTLINES:
        raise invalid_field(
            "external_number", _("Only the 12345 and 12315 hotlines send their own number.")
        )
    intake_department = _intake_department(actor, channel)
    subject_entity, subject_text = _subject(subject_code, subject_name)
    if external_number:
        found = _existing(channel, external_number)
        if found:
            return Received(found, False, None)
    rule = deadlines.rule_for(kind=kind, urgency=urgency)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    try:
        with transaction.atomic():
            now = clock.now()
            today = clock.localdate(now)
            ticket = Ticket(
                number=_next_number(today),
                channel=channel,
                external_number=external_number,
                kind=kind,
                urgency=urgency,
                content=content,
                subject_entity=subject_entity,
                subject_text=subject_text,
                reporter_name=reporter_name,
                reporter_phone=reporter_phone,
                anonymous=anonymous,
                reporter_user=actor if channel == Channel.WEB and _signed_in(actor) else None,
                reporter_applicant=_represented(actor) if channel == Channel.WEB else None,
                lookup_code_hash=hash_code(code),
                region=(subject_entity.region if subject_entity else intake_department.region),
                intake_department=intake_department,
                received_at=now,
                received_on=today,
                clock_start=today,
                reply_days=rule.reply_days,
                decision_days=rule.decision_days if kind == Kind.REPORT else None,
            )
            if not ticket.region.code.startswith(intake_department.region.prefix):
                ticket.region = intake_department.region
            deadlines.refresh(ticket, today)
            ticket.save()
            proposals = _propose_duplicates(ticket)
            record(
                ticket,
                actor=actor,
                action="receive",
                now=now,
                data={
                    "channel": channel,
                    "kind": kind,
                    "urgency": urgency,
                    "duplicates": proposals,
                },
            )
    except IntegrityError:
        # The hotline sent the same ticket twice at once: the other request made it.
        found = _existing(channel, external_number) if external_number else None
        if found is None:
            raise
        return Received(found, False, None)
    return Received(ticket, True, code)


def _check_choice(field: str, value: str, choices) -> None:
    if value not in choices.values:
        raise invalid_field(
            field,
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
            code="choice",
        )


def _reporter(name: str, phone: str, anonymous: bool) -> tuple[str, str]:
    name, phone = (name or "").strip(), (phone or "").strip()
    if anonymous:
        return "", ""
    if not phone:
        raise invalid_field(
            "reporter.phone",
            _("Give the reporter's phone number for the reply, or mark the report anonymous."),
            code="required",
        )
    if not PHONE.match(phone):
        raise invalid_field(
            "reporter.phone", _("A phone number has 7 to 20 digits."), code="phone_format"
        )
    if len(name) > 50:
        raise invalid_field("reporter.name", _("Keep the name under 50 characters."))
    return name, phone


def _signed_in(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _represented(actor: Any) -> Applicant | None:
    ids = sorted(scope_of(actor).applicant_ids)
    return Applicant.objects.filter(pk=ids[0]).first() if ids else None


def _intake_department(actor: Any, channel: str) -> Department:
    """Staff take tickets for their own department; the public's web tickets go to the hall."""
    if channel == Channel.WEB and not scope_of(actor).is_staff_member:
        hall = (
            Department.objects.filter(runs_service_hall=True)
            .select_related("region")
            .order_by("region__code", "pk")
            .first()
        )
        if hall is None:
            raise invalid_field("channel", _("No service hall takes web complaints yet."))
        return hall
    if not may(actor, Action.TICKET_INTAKE):
        raise PermissionRefused(
            _("Only hotline operators and window clerks take tickets from this channel."),
            code="forbidden",
        )
    department_id = scope_of(actor).department_id
    department = Department.objects.select_related("region").filter(pk=department_id).first()
    if department is None:  # a superuser without a staff record
        department = (
            Department.objects.filter(runs_service_hall=True).select_related("region").first()
        )
    if department is None:
        raise invalid_field("channel", _("No department takes tickets yet."))
    return department


def _subject(code: str, name: str) -> tuple[Applicant | None, str]:
    """The subject entity by its USCC, else by its exact name; unknown ones stay as text."""
    code, name = (code or "").strip(), (name or "").strip()
    if len(name) > 200:
        raise invalid_field("subject_name", _("Keep the name under 200 characters."))
    if code:
        try:
            code = validate_uscc(code)
        except IdentifierError:
            raise invalid_field(
                "subject_code",
                _("This is not a valid unified social credit code (18 characters, check digit)."),
                code="uscc",
            ) from None
        found = Applicant.objects.filter(uscc=code).select_related("region").first()
        if found:
            return found, found.name
        return None, " ".join(part for part in (name, code) if part)
    if name:
        matches = list(Applicant.objects.filter(name=name).select_related("region")[:2])
        if len(matches) == 1:
            return matches[0], name
    return None, name


def _existing(channel: str, external_number: str) -> Ticket | None:
    return Ticket.objects.filter(channel=channel, external_number=external_number).first()


def _next_number(day: datetime.date) -> str:
    """T + date + a 5-digit sequence of the day; the day's row is locked until commit."""
    sequence = TicketNumberSequence.objects.select_for_update().filter(day=day).first()
    if sequence is None:
        try:
            with transaction.atomic():
                TicketNumberSequence.objects.create(day=day, last=0)
        except IntegrityError:
            pass  # created by a concurrent intake; lock theirs
        sequence = TicketNumberSequence.objects.select_for_update().get(day=day)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"T{day:%Y%m%d}{sequence.last:05d}"


def _normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def _propose_duplicates(ticket: Ticket) -> list[str]:
    """Earlier open tickets on the same subject whose content is nearly the same (30 days)."""
    if ticket.subject_entity_id:
        same_subject = {"subject_entity_id": ticket.subject_entity_id}
    elif ticket.subject_text:
        same_subject = {"subject_entity__isnull": True, "subject_text": ticket.subject_text}
    else:
        return []
    since = ticket.received_on - datetime.timedelta(days=DUPLICATE_WINDOW_DAYS)
    candidates = (
        Ticket.objects.filter(**same_subject, received_on__gte=since)
        .exclude(pk=ticket.pk)
        .exclude(status=Status.MERGED)
        .order_by("-received_at")
        .only("pk", "number", "content")[:200]
    )
    mine = _normalised(ticket.content)
    proposals = []
    for candidate in candidates:
        ratio = difflib.SequenceMatcher(None, mine, _normalised(candidate.content)).ratio()
        if ratio >= DUPLICATE_SIMILARITY:
            DuplicateProposal.objects.create(
                ticket=ticket, original=candidate, similarity=round(ratio, 3)
            )
            proposals.append(candidate.number)
    return proposals
