"""Importing a catalogue workbook: everything is checked first, then all rows are written in
one transaction, or nothing is. The report lists each problem as (sheet, row, column, rule).

New codes become new items; a code already in the catalogue gets a new draft version (or its
open draft is replaced). With `publish`, items and implementation entries are published too.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.catalog import services
from yiwang.catalog.elements import version_data
from yiwang.catalog.models import Implementation, ImportJob, Item, ItemVersion
from yiwang.catalog.rules import item_problems
from yiwang.catalog.standardization import local_problems
from yiwang.catalog.workbook import BadWorkbook, Problem, Row, read_workbook
from yiwang.errors import DomainError
from yiwang.permissions import Action, require
from yiwang.regions.models import Department
from yiwang.regions.selectors import staff_of

PROGRESS_EVERY = 25


class Plan:
    """What the workbook asks for, assembled and checked before any write."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[Row, dict]] = {}
        self.implementations: list[tuple[Row, Item | None, Department, dict]] = []
        self.problems: list[Problem] = []

    def refuse(self, row: Row, column: str, rule: Any) -> None:
        self.problems.append(Problem(row.sheet, row.number, row.where(column), str(rule)))


def _assemble_items(plan: Plan, sheets: dict[str, list[Row]]) -> dict[str, list[Row]]:
    children: dict[str, list[Row]] = {}
    for row in sheets["items"]:
        code = row.values.get("code", "")
        if code in plan.items:
            plan.refuse(row, "code", _("Duplicate code %(code)s in this sheet.") % {"code": code})
            continue
        data = {key: value for key, value in row.values.items() if value not in (None, "")}
        plan.items[code] = (row, {**data, "legal_basis": [], "materials": []})
    for sheet, key in (("legal_basis", "legal_basis"), ("materials", "materials")):
        for row in sheets[sheet]:
            code = row.values.get("item_code", "")
            if code not in plan.items:
                plan.refuse(row, "item_code", _("No item with this code in the items sheet."))
                continue
            entry = {
                k: v for k, v in row.values.items() if k != "item_code" and v not in (None, "")
            }
            plan.items[code][1][key].append(entry)
            children.setdefault(f"{code}:{key}", []).append(row)
    return children


def _check_items(plan: Plan, children: dict[str, list[Row]], job: ImportJob) -> None:
    for done, (code, (row, data)) in enumerate(plan.items.items(), start=1):
        for path, rule in item_problems(data):
            parts = path.split(".")
            if parts[0] in ("legal_basis", "materials") and len(parts) > 1:
                child = children[f"{code}:{parts[0]}"][int(parts[1])]
                plan.refuse(child, parts[2] if len(parts) > 2 else "reference", rule)
            else:
                plan.refuse(row, parts[0], rule)
        existing = Item.objects.filter(code=code).first()
        if existing and existing.versions.filter(status=ItemVersion.Status.IN_REVIEW).exists():
            plan.refuse(row, "code", _("This item has a version in review; finish it first."))
        if done % PROGRESS_EVERY == 0:
            _progress(job, done)


def _check_implementations(plan: Plan, rows: list[Row], publish: bool) -> None:
    departments = {department.name: department for department in Department.objects.all()}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        code, name = row.values.get("item_code", ""), row.values.get("department", "")
        department = departments.get(name)
        if department is None:
            plan.refuse(row, "department", _("No department has this name."))
            continue
        if (code, name) in seen:
            plan.refuse(row, "item_code", _("This department has two rows for this item."))
            continue
        seen.add((code, name))
        base, item = _base_of(plan, code, publish)
        if base is None:
            plan.refuse(
                row, "item_code", _("The item is not published (import it with publish, first).")
            )
            continue
        local = {
            key: value
            for key, value in row.values.items()
            if key not in {"item_code", "department", "uscc"} and value not in (None, "")
        }
        for difference in local_problems(base, local):
            plan.refuse(
                row,
                difference.field,
                _("May only tighten the base item (base %(base)s, here %(here)s).")
                % {"base": difference.base, "here": difference.implementation},
            )
        uscc = row.values.get("uscc") or department.uscc
        if len(uscc or "") != 18:
            plan.refuse(row, "uscc", _("The department has no 18-character credit code: give one."))
        plan.implementations.append((row, item, department, {**local, "uscc": uscc}))


def _base_of(plan: Plan, code: str, publish: bool) -> tuple[dict | None, Item | None]:
    item = Item.objects.filter(code=code).first()
    if code in plan.items and publish:
        return plan.items[code][1], item
    if item is None:
        return None, None
    current = item.versions.filter(status=ItemVersion.Status.PUBLISHED).first()
    return (version_data(current) if current else None), item


def _progress(job: ImportJob, done: int) -> None:
    job.rows_done = min(done, job.rows_total)
    ImportJob.objects.filter(pk=job.pk).update(rows_done=job.rows_done)


def catalog_import_workbook(*, actor: Any, job: ImportJob) -> ImportJob:
    """Check the job's workbook whole; if it is clean, write all of it in one transaction."""
    require(actor, Action.CATALOG_EDIT)
    if job.publish:
        require(actor, Action.CATALOG_PUBLISH)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        sheets, problems = read_workbook(bytes(job.content))
    except BadWorkbook as error:
        return _finish(job, [error.problem], {})
    job.rows_total = sum(len(rows) for rows in sheets.values())
    ImportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_total)
    plan = Plan()
    plan.problems += problems
    children = _assemble_items(plan, sheets)
    _check_items(plan, children, job)
    _check_implementations(plan, sheets["implementations"], job.publish)
    if plan.problems:
        return _finish(job, plan.problems, {})
    try:
        summary = _write(actor, job, plan)
    except DomainError as error:
        # A rule only the services know (a permission, a race): nothing was kept.
        return _finish(job, [Problem("", 0, "", str(error.message))], {})
    return _finish(job, [], summary)


def _write(actor: Any, job: ImportJob, plan: Plan) -> dict:
    summary = {"items_created": 0, "items_revised": 0, "implementations": 0}
    with transaction.atomic():
        for code, (_row, data) in plan.items.items():
            version = _write_item(actor, code, data, summary)
            if job.publish:
                services.item_submit_for_review(actor=actor, version=version)
                services.item_publish(actor=actor, version=version)
        for row, item, department, local in plan.implementations:
            item = item or Item.objects.get(code=row.values["item_code"])
            _write_implementation(actor, item, department, local, job.publish)
            summary["implementations"] += 1
        audit_record(
            actor=actor,
            action="catalog.import",
            obj=job,
            after={"filename": job.filename, **summary},
        )
    return summary


def _write_item(actor: Any, code: str, data: dict, summary: dict) -> ItemVersion:
    item = Item.objects.filter(code=code).first()
    if item is None:
        summary["items_created"] += 1
        owner = _owner(actor)
        return services.item_create_draft(actor=actor, owner_department=owner, data=data)
    summary["items_revised"] += 1
    draft = item.versions.filter(status=ItemVersion.Status.DRAFT).first()
    if draft is not None:
        return services.item_version_update(actor=actor, version=draft, data=data)
    return services.item_version_revise(actor=actor, item=item, changes=data)


def _owner(actor: Any) -> Department:
    staff = staff_of(actor)
    if staff is not None:
        return staff.department
    return (
        Department.objects.filter(kind=Department.Kind.HEALTH_COMMISSION)
        .order_by("region__code")
        .first()
    )


def _write_implementation(actor, item, department, local, publish) -> None:
    existing = Implementation.objects.filter(item=item, department=department).first()
    uscc = local.pop("uscc", "")
    if existing is None:
        entry = services.implementation_create(
            actor=actor, item=item, department=department, uscc=uscc, **local
        )
    else:
        entry = services.implementation_update(actor=actor, implementation=existing, **local)
    if publish:
        services.implementation_publish(actor=actor, implementation=entry)


def _finish(job: ImportJob, problems: list[Problem], summary: dict) -> ImportJob:
    job.report = [problem.as_dict() for problem in problems]
    job.summary = summary
    job.status = ImportJob.Status.REJECTED if problems else ImportJob.Status.DONE
    job.rows_done = job.rows_total
    job.save(update_fields=["report", "summary", "status", "rows_done", "rows_total"])
    return job


def import_job_create(*, actor: Any, filename: str, content: bytes, publish: bool) -> ImportJob:
    """Keep the uploaded workbook for checking (now or by the task worker)."""
    require(actor, Action.CATALOG_EDIT)
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor, filename=filename[:200], content=content, publish=publish
        )
        audit_record(
            actor=actor, action="catalog.import_upload", obj=job, after={"filename": filename}
        )
    return job
