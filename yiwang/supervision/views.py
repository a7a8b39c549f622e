"""Supervision pages: the directory with its map of counts, plans and draws (leaders), the
inspector's tasks on a phone, publication, and the public results and draw records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang import clock
from yiwang.errors import DomainError, NotFound
from yiwang.licences.models import Licence
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, may, require, scope_of
from yiwang.regions.models import PREFIX_LENGTH, Department, Region
from yiwang.supervision import (
    directory,
    drawing,
    inspections,
    leniency,
    outcomes,
    selectors,
    services,
    tasking,
)
from yiwang.supervision.models import Outcome, Plan


def _refused(request, error: DomainError) -> None:
    text = str(error.message)
    if error.fields:
        text += " " + "；".join(f"{name}: {message}" for name, message in error.fields.items())
    messages.error(request, text)


def _region_of(user) -> Region | None:
    prefix = scope_of(user).region_prefix or ""
    if not prefix:
        return Region.objects.filter(level=1).first()
    return Region.objects.filter(code=prefix.ljust(12, "0")).first()


@login_required
def directory_page(request):
    require(request.user, Action.SUPERVISION_VIEW)
    today = clock.today()
    root = _region_of(request.user)
    region_code = request.GET.get("region", "") or (root.code if root else "")
    region = Region.objects.filter(code=region_code).first() or root
    if root and not region.code.startswith(root.prefix):
        region = root
    filters = {
        "licence_types": [request.GET["licence_type"]] if request.GET.get("licence_type") else None,
        "grade": request.GET.get("grade", ""),
    }
    rows = directory.directory(
        today=today, region_prefix=region.prefix, query=request.GET.get("q", "").strip(), **filters
    ).order_by("code")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    types = directory.licence_types_of([row["applicant_id"] for row in page], today=today)
    child_level = min(region.level + 1, 5)
    counts = directory.counts_by_region(
        today=today, prefix=region.prefix, length=PREFIX_LENGTH[child_level], **filters
    )
    names = {
        child.prefix: child
        for child in Region.objects.filter(code__startswith=region.prefix, level=child_level)
    }
    most = max([row["entities"] for row in counts], default=0) or 1
    area_counts = [
        {
            "region": names.get(row["area"]),
            "code": row["area"].ljust(12, "0"),
            "entities": row["entities"],
            "share": round(100 * row["entities"] / most),
        }
        for row in counts
    ]
    return render(
        request,
        "supervision/directory.html",
        {
            "page": page,
            "rows": [(row, types.get(row["applicant_id"], [])) for row in page],
            "region": region,
            "area_counts": area_counts,
            "grades": ["A", "B", "C", "D", "U"],
            "licence_types": Licence.objects.exclude(licence_type_code="")
            .values_list("licence_type_code", "licence_type")
            .order_by("licence_type_code")
            .distinct(),
        },
    )


@login_required
def entity_page(request, applicant_id: int):
    applicant = Applicant.objects.select_related("region").filter(pk=applicant_id).first()
    if applicant is None:
        raise NotFound(_("No such entity."))
    require(request.user, Action.SUPERVISION_VIEW, applicant)
    today = clock.today()
    code = tasking.entity_code_of(applicant, today=today)
    return render(
        request,
        "supervision/entity.html",
        {
            "applicant": applicant,
            "code": code,
            "licences": directory.licences_in_force(today=today).filter(holder=applicant),
            "history": selectors.history_of(applicant.pk),
            "in_directory": directory.is_in_directory(applicant.pk, today=today),
        },
    )


@login_required
def plan_list(request):
    require(request.user, Action.SUPERVISION_VIEW)
    if request.method == "POST":
        try:
            plan = services.plan_create(
                actor=request.user,
                name=request.POST.get("name", ""),
                year=int(request.POST.get("year") or clock.today().year),
                licence_types=request.POST.getlist("licence_types"),
                region_code=request.POST.get("region_code", ""),
                ratios={grade: request.POST.get(f"ratio_{grade}", "") for grade in "ABCD"},
                inspectors_per_task=int(request.POST.get("inspectors_per_task") or 0),
            )
            messages.success(request, _("The plan is saved. Commit it before the draw."))
            return redirect("supervision:plan", plan.pk)
        except DomainError as error:
            _refused(request, error)
        except ValueError:
            messages.error(request, _("Give the year and the inspectors per task as numbers."))
    return render(
        request,
        "supervision/plans.html",
        {
            "plans": selectors.plans_for(request.user)[:100],
            "may_plan": may(request.user, Action.SUPERVISION_PLAN),
            "region": _region_of(request.user),
            "year": clock.today().year,
            "licence_types": Licence.objects.exclude(licence_type_code="")
            .values_list("licence_type_code", "licence_type")
            .order_by("licence_type_code")
            .distinct(),
        },
    )


@login_required
def plan_page(request, plan_id: int):
    plan = selectors.access_plan(user=request.user, plan_id=plan_id)
    return render(
        request,
        "supervision/plan.html",
        {
            "plan": plan,
            "pool": plan.pool.select_related("staff"),
            "tasks": plan.tasks.select_related("applicant").prefetch_related("assignments")[:500],
            "may_plan": may(request.user, Action.SUPERVISION_PLAN, plan),
            "draw": getattr(plan, "draw", None) if plan.status == Plan.Status.DRAWN else None,
        },
    )


@login_required
@require_POST
def plan_act(request, plan_id: int, action: str):
    try:
        if action == "commit":
            services.plan_commit(actor=request.user, plan_id=plan_id)
            messages.success(request, _("Committed: the directory and the pool are frozen."))
        elif action == "draw":
            services.plan_draw(
                actor=request.user, plan_id=plan_id, witness=request.POST.get("witness", "")
            )
            messages.success(request, _("Drawn: the tasks are made."))
    except DomainError as error:
        _refused(request, error)
    return redirect("supervision:plan", plan_id)


@login_required
def task_list(request):
    require(request.user, Action.WORKBENCH_ENTER)
    mine = request.GET.get("all") != "1"
    tasks = selectors.tasks_for(request.user, mine=mine, status="open")
    return render(
        request,
        "supervision/tasks.html",
        {
            "tasks": tasks[:200],
            "mine": mine,
            "joint": selectors.joint_inspections_for(request.user)[:50],
        },
    )


@login_required
def task_page(request, task_id: int):
    task = tasking.access_task(user=request.user, task_id=task_id)
    inspection = getattr(task, "inspection", None)
    staff_department = scope_of(request.user).department_id
    own = None
    if inspection is not None:
        own = inspection.participations.filter(department_id=staff_department).first()
    return render(
        request,
        "supervision/task.html",
        {
            "task": task,
            "inspection": inspection,
            "own": own,
            "parts": inspection.participations.select_related("department").prefetch_related(
                "photos"
            )
            if inspection
            else [],
            "assigned": task.assignments.filter(staff__user_id=request.user.pk).exists(),
            "departments": Department.objects.exclude(pk=task.department_id).filter(
                kind__in=["health_commission", "medical_security", "market_supervision"],
                region__code=task.department.region.code,
            ),
            "outcomes": Outcome.choices,
            "level": selectors.publication_level(inspection, clock.today()) if inspection else "",
            "may_plan": may(request.user, Action.SUPERVISION_PLAN, task),
            "may_decide": may(request.user, Action.SUPERVISION_PENALTY, task),
            "violation_kinds": leniency.violation_kinds_in_force(on=clock.today()),
        },
    )


@login_required
@require_POST
def task_act(request, task_id: int, action: str):
    try:
        if action == "point_to_area":
            inspection = tasking.access_task(user=request.user, task_id=task_id).inspection
            plan = outcomes.point_to_area_plan(
                actor=request.user,
                inspection_id=inspection.pk,
                area=request.POST.get("area", ""),
                ratios={grade: request.POST.get(f"ratio_{grade}", "") for grade in "ABCD"},
            )
            messages.success(request, _("The plan is saved. Commit it before the draw."))
            return redirect("supervision:plan", plan.pk)
        _task_action(request, task_id, action)
    except DomainError as error:
        _refused(request, error)
    return redirect("supervision:task", task_id)


def _task_action(request, task_id: int, action: str) -> None:
    data = request.POST
    if action == "join":
        tasking.task_join(actor=request.user, task_id=task_id)
    elif action == "start":
        inspections.inspection_start(
            actor=request.user,
            task_id=task_id,
            unannounced=data.get("announced") != "1",
            announcement_reason=data.get("announcement_reason", ""),
            joint_department_ids=[int(pk) for pk in data.getlist("joint") if pk.isdigit()],
        )
        messages.success(request, _("The inspection has started."))
    elif action == "findings":
        inspection = tasking.access_task(user=request.user, task_id=task_id).inspection
        answers = {
            key.removeprefix("answer_"): value
            for key, value in data.items()
            if key.startswith("answer_")
        }
        inspections.inspection_record_findings(
            actor=request.user,
            inspection_id=inspection.pk,
            findings=data.get("findings", ""),
            answers=answers,
            photos=request.FILES.getlist("photos"),
        )
        messages.success(request, _("Your findings are recorded."))
    elif action == "conclude":
        inspection = tasking.access_task(user=request.user, task_id=task_id).inspection
        outcomes.inspection_conclude(
            actor=request.user,
            inspection_id=inspection.pk,
            outcome=data.get("outcome", ""),
            findings_summary=data.get("findings_summary", ""),
            rectify_days=data.get("rectify_days") or None,
            legal_basis=data.get("legal_basis", ""),
            amount=data.get("amount") or None,
            violation_kind=data.get("violation_kind", ""),
            inclusive_measure=data.get("inclusive_measure") or None,
        )
        messages.success(request, _("The result is recorded."))
    elif action == "publish":
        inspection = tasking.access_task(user=request.user, task_id=task_id).inspection
        outcomes.inspection_publish(actor=request.user, inspection_id=inspection.pk)
        messages.success(request, _("The result is published."))


@login_required
def publication_page(request):
    require(request.user, Action.SUPERVISION_VIEW)
    today = clock.today()
    queue = selectors.publication_queue(request.user)[:200]
    return render(
        request,
        "supervision/publication.html",
        {
            "rows": [(row, selectors.publication_level(row, today)) for row in queue],
            "alerts": selectors.alerts_for(request.user)[:100],
        },
    )


@login_required
def conflicts_page(request):
    require(request.user, Action.SUPERVISION_DECLARE_CONFLICT)
    if request.method == "POST":
        try:
            services.conflict_declare(
                actor=request.user,
                entity_code=request.POST.get("entity_code", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Your conflict is recorded; later draws avoid you there."))
            return redirect("supervision:conflicts")
        except DomainError as error:
            _refused(request, error)
    return render(
        request,
        "supervision/conflicts.html",
        {"conflicts": services.conflicts_of(actor=request.user)},
    )


def public_results(request):
    page = Paginator(selectors.published_results(), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/public_results.html", {"page": page})


def public_draw(request, draw_id: int):
    draw = selectors.public_draw(draw_id)
    record = drawing.draw_record(draw.plan)
    return render(
        request,
        "supervision/public_draw.html",
        {
            "draw": draw,
            "record": record,
            "sizes": {grade: len(codes) for grade, codes in record["strata"].items()},
        },
    )
