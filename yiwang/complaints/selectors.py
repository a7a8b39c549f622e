"""Reads of tickets for pages, API and the indicators, with the permission filter applied.

A reporter's name and phone leave this module only through `reporter_of`, which masks them for
everyone but the handling department's reviewers, approvers and leaders and audits every read
that shows them (举报人保密).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from yiwang.audit.services import audit_record
from yiwang.complaints.intake import hash_code
from yiwang.complaints.models import Alert, Assignment, Rating, Status, Ticket, Urgency
from yiwang.errors import NotFound
from yiwang.parties.identifiers import mask_name
from yiwang.permissions import Action, require, scope_of, sees_confidential, visible

OPEN = (Status.RECEIVED, Status.DISPATCHED, Status.RETURNED, Status.REPLIED)


def _assisted_by(department_id: int) -> Q:
    # An uncorrelated IN: PostgreSQL hashes the department's open assignments once instead of
    # probing them for every ticket, as a correlated EXISTS under OR would.
    assisting = Assignment.objects.filter(department_id=department_id, ended_at__isnull=True)
    return Q(pk__in=assisting.values("ticket_id"))


def tickets_visible_to(user: Any) -> QuerySet[Ticket]:
    """Tickets of the user's region: the dispatchers see all, a department its own (lead or
    assisting) and the unassigned ones. One query, no joins beyond the shown relations."""
    base = Ticket.objects.select_related("lead_department", "region", "subject_entity")
    allowed = visible(
        user,
        base,
        Action.TICKET_VIEW,
        region_field="region__code",
        department_field="lead_department_id",
    )
    department_id = scope_of(user).department_id
    if department_id is None:
        return allowed
    return allowed | base.filter(_assisted_by(department_id))


def access_ticket(*, user: Any, ticket_id: int) -> Ticket:
    ticket = tickets_visible_to(user).filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(
            _("No ticket has the id %(id)s in your region and department.") % {"id": ticket_id}
        )
    require(user, Action.TICKET_VIEW, _AsAssisting(ticket, user))
    return ticket


class _AsAssisting:
    """The ticket as the permission module sees it for a user of an assisting department."""

    def __init__(self, ticket: Ticket, user: Any):
        self.scope_region_code = ticket.scope_region_code
        department_id = scope_of(user).department_id
        assisting = ticket.assignments.filter(
            department_id=department_id, ended_at__isnull=True
        ).exists()
        self.scope_department_id = department_id if assisting else ticket.scope_department_id


def ticket_queue_for(
    user: Any, *, status: str | None = None, level: str | None = None, mine: bool = True
) -> QuerySet[Ticket]:
    """Open tickets, urgent first, then the nearest due date; `mine` keeps the user's
    department's (or, for dispatchers, those waiting to be dispatched)."""
    queue = tickets_visible_to(user).filter(status__in=OPEN)
    scope = scope_of(user)
    if mine and scope.department_id is not None:
        queue = queue.filter(
            Q(lead_department_id=scope.department_id)
            | Q(
                intake_department_id=scope.department_id,
                status__in=(Status.RECEIVED, Status.RETURNED, Status.REPLIED),
            )
            | _assisted_by(scope.department_id)
        )
    if status:
        queue = queue.filter(status=status)
    if level:
        queue = queue.filter(level=level)
    urgent_first = Case(
        When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return queue.order_by(urgent_first, "due_on", "received_at")


def alerts_for(user: Any, *, limit: int = 20) -> list[Alert]:
    """The user's latest deadline alerts on tickets still open."""
    return list(
        Alert.objects.filter(user_id=user.pk, ticket__status__in=OPEN)
        .select_related("ticket")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class Reporter:
    name: str
    phone: str
    anonymous: bool
    masked: bool

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "phone": self.phone,
            "anonymous": self.anonymous,
            "masked": self.masked,
        }


def mask_phone(phone: str) -> str:
    digits = phone.replace(" ", "").replace("-", "")
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def masked_reporter(ticket: Ticket) -> Reporter:
    return Reporter(
        name=mask_name(ticket.reporter_name) if ticket.reporter_name else "",
        phone=mask_phone(ticket.reporter_phone) if ticket.reporter_phone else "",
        anonymous=ticket.anonymous,
        masked=True,
    )


def may_see_reporter(user: Any, ticket: Ticket) -> bool:
    return sees_confidential(user, Action.TICKET_VIEW_REPORTER, ticket)


def reporter_of(*, user: Any, ticket: Ticket, purpose: str) -> Reporter:
    """The reporter as `user` may see them; a read that shows them is audited."""
    if ticket.anonymous or not may_see_reporter(user, ticket):
        return masked_reporter(ticket)
    with transaction.atomic():
        audit_record(
            actor=user,
            action="ticket.reporter_read",
            obj=ticket,
            stream=f"ticket:{ticket.pk}",
            note=purpose,
        )
    return Reporter(
        name=ticket.reporter_name,
        phone=ticket.reporter_phone,
        anonymous=False,
        masked=False,
    )


def ticket_for_lookup(*, number: str, code: str) -> Ticket:
    """The public lookup: the ticket number and the code given to the reporter, both right."""
    ticket = Ticket.objects.filter(number=(number or "").strip().upper()).first()
    if ticket is None or hash_code(code or "") != ticket.lookup_code_hash:
        raise NotFound(_("No ticket matches this number and code."))
    return ticket


def ticket_figures(
    *, user: Any, start: datetime.date, end: datetime.date, department_id: int | None = None
) -> dict:
    """Counts by kind, department, entity and month; the on-time reply rate (first replies by
    their due date / first replies) and satisfaction (ratings 4–5 / ratings) of tickets
    received from `start` to `end`."""
    tickets = tickets_visible_to(user).filter(received_on__gte=start, received_on__lte=end)
    tickets = tickets.exclude(status=Status.MERGED)
    if department_id:
        tickets = tickets.filter(lead_department_id=department_id)
    by_kind = dict(tickets.order_by().values_list("kind").annotate(n=Count("pk")))
    by_department = [
        {
            "department_id": row["lead_department_id"],
            "name": row["lead_department__name"],
            "count": row["n"],
        }
        for row in tickets.order_by()
        .values("lead_department_id", "lead_department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_department_id")
    ]
    by_entity = [
        {
            "entity_id": row["subject_entity_id"],
            "name": row["subject_entity__name"],
            "count": row["n"],
        }
        for row in tickets.filter(subject_entity__isnull=False)
        .order_by()
        .values("subject_entity_id", "subject_entity__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "subject_entity_id")[:50]
    ]
    by_month = [
        {"month": row["month"].strftime("%Y-%m"), "count": row["n"]}
        for row in tickets.order_by()
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]
    replied = tickets.filter(first_replied_on__isnull=False)
    replied_count = replied.count()
    on_time = replied.filter(first_reply_on_time=True).count()
    ratings = Rating.objects.filter(ticket__in=tickets.order_by().values("pk"))
    rated = ratings.count()
    satisfied = ratings.filter(level__gte=4).count()
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "received": sum(by_kind.values()),
        "by_kind": by_kind,
        "by_department": by_department,
        "by_entity": by_entity,
        "by_month": by_month,
        "replied": replied_count,
        "replied_on_time": on_time,
        "on_time_rate": round(on_time / replied_count, 4) if replied_count else None,
        "rated": rated,
        "satisfied": satisfied,
        "satisfaction": round(satisfied / rated, 4) if rated else None,
    }


def reply_timeliness(
    *,
    start: datetime.date,
    end: datetime.date,
    region_prefix: str = "",
    department_id: int | None = None,
) -> dict:
    """For the indicators: tickets first replied from `start` to `end` ("replied") and those
    replied by their due date ("on_time"), by region subtree and handling department."""
    tickets = Ticket.objects.filter(first_replied_on__gte=start, first_replied_on__lte=end)
    tickets = tickets.exclude(status=Status.MERGED)
    if region_prefix:
        tickets = tickets.filter(region__code__startswith=region_prefix)
    if department_id:
        tickets = tickets.filter(lead_department_id=department_id)
    return tickets.aggregate(
        replied=Count("pk"), on_time=Count("pk", filter=Q(first_reply_on_time=True))
    )
