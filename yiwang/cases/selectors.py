"""Reads of cases for queues, case pages and the API; always through the permission filter.

A queue is one set-based query whatever the user's scopes: the permission module turns the
user's region and department into one condition, never a query per scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.cases.engine.clocks import CaseDeadlines, deadlines_of
from yiwang.cases.engine.states import Status
from yiwang.cases.engine.table import Transition, actions_from
from yiwang.cases.models import (
    Case,
    CaseMaterial,
    CommitmentCheck,
    CorrectionNotice,
    Suspension,
    TimelineEntry,
    Visit,
)
from yiwang.catalog.selectors import implementations_of
from yiwang.errors import NotFound
from yiwang.json_rows import child_rows, instances, lists_of_row
from yiwang.permissions import Action, may, require, scope_of, visible
from yiwang.regions.models import Role, Staff

# What each role works on first when no status filter is given.
DEFAULT_STATUSES = {
    Role.WINDOW_CLERK.value: [Status.RECEIVED, Status.CORRECTION_REQUESTED, Status.APPROVED],
    Role.REVIEWER.value: [Status.ACCEPTED, Status.SUSPENDED, Status.REVIEWED, Status.APPROVED],
    Role.APPROVER.value: [Status.REVIEWED, Status.ACCEPTED, Status.SUSPENDED, Status.APPROVED],
}


def _base(user: Any) -> QuerySet[Case]:
    queryset = Case.objects.select_related("item_version", "applicant", "department", "region")
    return visible(
        user,
        queryset,
        Action.CASE_VIEW,
        region_field="region__code",
        department_field="department_id",
        applicant_field="applicant_id",
        region_id_field="region_id",  # the queue index holds it (case_open_queue)
    )


def case_queue_for(
    user: Any,
    *,
    status: str | None = None,
    level: str | None = None,
    department: int | None = None,
    mine: bool = False,
    query: str = "",
) -> QuerySet[Case]:
    """The user's queue: green channel first, then the nearest due date (不见面 work first)."""
    queryset = _base(user)
    if status:
        queryset = queryset.filter(status__in=status.split(","))
    else:
        defaults = [s for role in scope_of(user).roles for s in DEFAULT_STATUSES.get(role, [])]
        if defaults:
            queryset = queryset.filter(status__in=set(defaults))
    if level:
        queryset = queryset.filter(level=level)
    if department:
        queryset = queryset.filter(department_id=department)
    if mine:
        queryset = queryset.filter(handler=user)
    if query:
        queryset = queryset.filter(number__startswith=query.strip())
    # Seed 004: A-graded applicants go first among cases due the same day (A 级优先).
    # The denormalized `applicant_priority` keeps the order in the `case_open_queue` index.
    return queryset.order_by(
        "-green", F("due_on").asc(nulls_last=True), "applicant_priority", "received_at", "pk"
    )


# What a queue row shows (page and API): a dozen of the case's columns, the names of its item
# version, applicant and department. The item version's 55 columns include its form and guide
# texts, the bulk of a row read whole.
QUEUE_ROW_COLUMNS = (
    "number",
    "status",
    "procedure",
    "channel",
    "green",
    "due_on",
    "level",
    "received_at",
    "item__code",
    "item_version__name",
    "item_version__name_en",
    "applicant__name",
    "applicant__kind",
    "department__name",
    "department__name_en",
)


def queue_rows(queue: QuerySet[Case]) -> QuerySet[Case]:
    """A queue narrowed to the columns its rows show."""
    return (
        queue.select_related(None)
        .select_related("item", "item_version", "applicant", "department")
        .only(*QUEUE_ROW_COLUMNS)
    )


def cases_of_applicant_user(user: Any) -> QuerySet[Case]:
    applicant_ids = scope_of(user).applicant_ids
    return (
        Case.objects.filter(applicant_id__in=sorted(applicant_ids))
        .select_related("item_version", "applicant")
        .order_by("-received_at", "-pk")
    )


def access_case(*, user: Any, case_id: int) -> Case:
    case = (
        Case.objects.select_related(
            "item",
            "item_version",
            "applicant",
            "department",
            "region",
            "implementation",
            "filed_by",
            "commitment_check",
        )
        .prefetch_related(
            "materials",
            "suspensions",
            "corrections",
            "visits",
            Prefetch(
                "timeline",
                queryset=TimelineEntry.objects.select_related("actor__staff__department").order_by(
                    "at", "pk"
                ),
            ),
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound(_("No case has the id %(id)s.") % {"id": case_id})
    require(user, Action.CASE_VIEW, case)
    return case


@dataclass(frozen=True)
class CaseLists:
    """What a case's API answer lists beside the case's own columns (API.md)."""

    materials: list[CaseMaterial]
    suspensions: list[Suspension]
    corrections: list[CorrectionNotice]
    visits: list[Visit]
    timeline: list[TimelineEntry]
    commitment_check: CommitmentCheck | None


# Each list of the answer and the columns it shows (the model's ordering columns come too).
ANSWER_LISTS = {
    "materials": (CaseMaterial, ("code", "name", "file_id", "missing", "from_elicence")),
    "suspensions": (Suspension, ("kind", "started_on", "ended_on")),
    "corrections": (CorrectionNotice, ("issued_at", "items", "answered_at")),
    "visits": (Visit, ("id",)),
    "timeline": (TimelineEntry, ("at", "action", "actor_label", "note")),
    "commitment_check": (CommitmentCheck, ("due_on", "result")),
}


def _answer_list_columns() -> dict:
    return {
        f"{name}_rows": child_rows(model, "case", fields)
        for name, (model, fields) in ANSWER_LISTS.items()
    }


def _lists_from(rows: dict[str, Any]) -> CaseLists:
    lists = {
        name: instances(model, rows[f"{name}_rows"]) for name, (model, _) in ANSWER_LISTS.items()
    }
    checks = lists.pop("commitment_check")
    return CaseLists(**lists, commitment_check=checks[0] if checks else None)


def case_lists(case_id: int) -> CaseLists:
    """The answer's lists of a case, in one statement (after a change, the case in hand)."""
    rows = lists_of_row(
        Case, case_id, name="case_answer_lists", columns=_answer_list_columns, using="default"
    )
    if not rows:
        raise NotFound(_("No case has the id %(id)s.") % {"id": case_id})
    return _lists_from(rows)


def case_answer(*, user: Any, case_id: int) -> tuple[Case, CaseLists]:
    """A case and its answer's lists, if the user may see it."""
    case = (
        Case.objects.select_related(
            "item", "item_version", "applicant", "department", "region", "implementation"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound(_("No case has the id %(id)s.") % {"id": case_id})
    require(user, Action.CASE_VIEW, case)
    return case, case_lists(case.pk)


@dataclass(frozen=True)
class CaseView:
    case: Case
    deadlines: CaseDeadlines
    actions: list[Transition]


def case_view(*, user: Any, case_id: int) -> CaseView:
    case = access_case(user=user, case_id=case_id)
    deadlines = deadlines_of(case, clock.today(), list(case.suspensions.all()))
    actions = [
        t for t in actions_from(case.status) if _applies(t, case) and may(user, t.permission, case)
    ]
    return CaseView(case=case, deadlines=deadlines, actions=actions)


def _applies(step: Transition, case: Case) -> bool:
    """Procedure-specific actions show only where they mean something."""
    if step.action == "supplement":
        return case.procedure == "tolerance" and not case.supplemented_on
    if step.action == "mark_green":
        return not case.green
    return True


def cases_needing_deadline_check() -> QuerySet[Case]:
    return Case.objects.filter(
        status__in=[
            Status.RECEIVED,
            Status.ACCEPTED,
            Status.SUSPENDED,
            Status.REVIEWED,
            Status.APPROVED,
        ]
    ).order_by("pk")


def commitment_checks_for(user: Any, *, result: str = "pending"):
    """An inspector's post-approval checks, nearest due first."""
    queryset = CommitmentCheck.objects.select_related("case__applicant", "department__region")
    queryset = visible(
        user,
        queryset,
        Action.COMMITMENT_CHECK,
        region_field="department__region__code",
        department_field="department_id",
    )
    if result:
        queryset = queryset.filter(result=result)
    return queryset.order_by("due_on", "pk")


def dispatch_choices(case: Case) -> list:
    """The departments an accepted case may be sent to: those carrying out its item, not its own."""
    return [
        implementation.department
        for implementation in implementations_of(case.item)
        if implementation.department_id != case.department_id
    ]


def handler_choices(case: Case) -> QuerySet:
    """Who may be a green case's dedicated handler: the department's reviewers and approvers."""
    return (
        Staff.objects.filter(
            department_id=case.department_id,
            is_active=True,
            roles__role__in=[Role.REVIEWER, Role.APPROVER],
        )
        .select_related("user")
        .distinct()
        .order_by("display_name")
    )


def queue_counts(user: Any) -> dict[str, int]:
    """The workbench tile's figures, in one query: the user's queue, its overdue cases, and the
    cases waiting for this user's decision."""
    queue = case_queue_for(user)
    figures = queue.aggregate(
        queue=Count("pk"),
        overdue=Count("pk", filter=Q(level="overdue")),
        to_decide=Count("pk", filter=Q(status=Status.REVIEWED)),
    )
    if not may(user, Action.CASE_DECIDE):
        figures.pop("to_decide")
    return figures
