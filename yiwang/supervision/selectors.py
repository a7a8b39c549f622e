"""Reads for the supervision pages and API, permission-filtered."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from yiwang.errors import NotFound
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require, scope_of, visible
from yiwang.regions.models import Region
from yiwang.supervision.directory import GRADES, UNGRADED, licences_in_force
from yiwang.supervision.inspections import PUBLISH_WITHIN_WORKING_DAYS
from yiwang.supervision.models import Draw, Inspection, LeaderAlert, Penalty, Plan, Task
from yiwang.workdays.clock import DeadlineClock


def plans_for(user: Any) -> QuerySet:
    plans = Plan.objects.select_related("department", "region").order_by("-year", "-pk")
    return visible(
        user,
        plans,
        Action.SUPERVISION_VIEW,
        region_field="region__code",
        department_field="department_id",
    )


def access_plan(*, user: Any, plan_id: int) -> Plan:
    plan = Plan.objects.select_related("department", "region").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("No such plan."))
    require(user, Action.SUPERVISION_VIEW, plan)
    return plan


def public_draw(draw_id: int) -> Draw:
    draw = Draw.objects.select_related("plan").filter(pk=draw_id).first()
    if draw is None:
        raise NotFound(_("No such draw."))
    return draw


def tasks_for(user: Any, *, mine: bool = False, status: str = "") -> QuerySet:
    tasks = Task.objects.select_related("applicant", "department", "inspection").prefetch_related(
        "assignments"
    )
    if mine:
        tasks = tasks.filter(assignments__staff__user_id=user.pk)
    else:
        tasks = visible(
            user,
            tasks,
            Action.SUPERVISION_VIEW,
            region_field="region_code",
            department_field="department_id",
        )
    if status == "open":
        tasks = tasks.exclude(status=Task.Status.DONE)
    elif status:
        tasks = tasks.filter(status=status)
    return tasks.order_by("status", "due_on", "pk")


def joint_inspections_for(user: Any) -> QuerySet:
    """Open inspections of other departments in which the user's department takes part."""
    department_id = scope_of(user).department_id
    return (
        Inspection.objects.filter(
            participations__department_id=department_id, status=Inspection.Status.SCHEDULED
        )
        .exclude(department_id=department_id)
        .select_related("task__applicant", "department")
    )


def publication_level(inspection: Inspection, today: datetime.date) -> str:
    """normal / warning / overdue of the 20-working-day publication clock, like case clocks."""
    if inspection.concluded_on is None:
        return ""
    clock = DeadlineClock(
        start=inspection.concluded_on,
        limit_days=PUBLISH_WITHIN_WORKING_DAYS,
        stopped_on=inspection.published_on,
        kind="publication",
    )
    return clock.at(today).level


def publication_queue(user: Any) -> QuerySet:
    inspections = Inspection.objects.filter(
        status=Inspection.Status.CONCLUDED, published_on__isnull=True
    ).select_related("task__applicant", "department")
    return visible(
        user,
        inspections,
        Action.SUPERVISION_VIEW,
        region_field="task__region_code",
        department_field="department_id",
    ).order_by("publish_due", "pk")


def published_results(*, date_from=None, date_to=None) -> QuerySet:
    results = Inspection.objects.filter(published_on__isnull=False).select_related(
        "task__applicant", "department"
    )
    if date_from:
        results = results.filter(concluded_on__gte=date_from)
    if date_to:
        results = results.filter(concluded_on__lte=date_to)
    return results.order_by("-concluded_on", "-pk")


def alerts_for(user: Any) -> QuerySet:
    alerts = LeaderAlert.objects.filter(resolved_on__isnull=True).select_related(
        "inspection__task", "department"
    )
    scope = scope_of(user)
    if scope.is_superuser:
        return alerts
    return alerts.filter(department_id=scope.department_id)


def history_of(applicant_id: int) -> QuerySet:
    """An entity's inspections, through its tasks' applicant (indexed): the entity's code can
    change (its smallest licence number in force) while the applicant stays."""
    return (
        Inspection.objects.filter(task__applicant_id=applicant_id)
        .select_related("task", "department")
        .order_by("-scheduled_for", "-pk")
    )


def coverage_by_grade(
    *,
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date,
    region_prefix: str = "",
    department_id: int | None = None,
    item_id: int | None = None,
) -> list[dict]:
    """For the indicators, in one query: per credit grade (U without one), the entities of the
    directory on `as_of` (holders of a licence in force, in the region subtree, issued by the
    department, of the item) and how many of them had an inspection concluded from `start` to
    `end` (by the department, when one is given). Grades without entities are left out."""
    # From the entities, not the licences: the holders of the subtree (index on the applicant's
    # region) each probe their own licences in force (the partial index of migration 0005, read
    # without the table) and inspections, instead of reading every licence in force of the
    # province to find their distinct holders (docs/performance.md, "Indicators").
    licences = licences_in_force(today=as_of).filter(holder_id=OuterRef("pk"))
    if department_id:
        licences = licences.filter(department_id=department_id)
    if item_id:
        licences = licences.filter(item_id=item_id)
    inspections = Inspection.objects.filter(
        status=Inspection.Status.CONCLUDED,
        concluded_on__gte=start,
        concluded_on__lte=end,
        task__applicant_id=OuterRef("pk"),
    )
    if department_id:
        inspections = inspections.filter(department_id=department_id)
    entities = Applicant.objects.filter(Exists(licences))
    if region_prefix:
        # The subtree's region ids read first, as values: the planner then sees how few
        # applicants they hold and finds them by the region index (joined to the regions table
        # instead, it guessed more and scanned every applicant).
        region_ids = Region.objects.filter(code__startswith=region_prefix).values_list(
            "pk", flat=True
        )
        entities = entities.filter(region_id__in=list(region_ids))
    rows = (
        entities.values(
            grade_shown=Case(
                When(credit_grade__in=GRADES, then=F("credit_grade")),
                default=Value(UNGRADED),
                output_field=CharField(),
            )
        )
        .annotate(entities=Count("pk"), inspected=Count("pk", filter=Exists(inspections)))
        .order_by("grade_shown")
    )
    return [
        {
            "grade": row["grade_shown"],
            "entities": row["entities"],
            "inspected": row["inspected"],
            "coverage": round(row["inspected"] / row["entities"], 4),
        }
        for row in rows
    ]


def penalties_for(user: Any, *, status: str = "open") -> QuerySet:
    """Penalty records (行政处罚) the user may decide, oldest first."""
    penalties = Penalty.objects.select_related("inspection__task", "applicant", "department")
    if status:
        penalties = penalties.filter(status=status)
    return visible(
        user,
        penalties,
        Action.SUPERVISION_PENALTY,
        region_field="inspection__task__region_code",
        department_field="department_id",
    ).order_by("opened_at", "pk")


def access_penalty(*, user: Any, penalty_id: int) -> Penalty:
    penalty = (
        Penalty.objects.select_related(
            "inspection__task__applicant", "department", "inclusive_measure"
        )
        .filter(pk=penalty_id)
        .first()
    )
    if penalty is None:
        raise NotFound(_("No such penalty record."))
    require(user, Action.SUPERVISION_PENALTY, penalty)
    return penalty
