"""Background and daily work of the licence register: PDFs, deemed renewal (Art. 50), expiry,
renewal and verification reminders. Each job calls services; none has logic of its own."""

from __future__ import annotations

from django.db.models import Q
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from yiwang.licences import reminders
from yiwang.licences.documents import licence_store_document, render_pdf
from yiwang.licences.models import IN_FORCE, Licence


@task()
def generate_document(licence_id: int, version: int) -> str:
    licence = Licence.objects.select_related("holder", "item", "department").get(pk=licence_id)
    if licence.version != version:
        return "stale"
    licence_store_document(licence_id=licence_id, version=version, content=render_pdf(licence))
    return "done"


@task()
def apply_deemed_renewals_and_expiry() -> dict:
    """Daily, after midnight: first Art. 50 deemed renewals, then expiry of the rest."""
    return {
        "deemed_renewed": reminders.apply_deemed_renewals(),
        "expired": reminders.expire_licences(),
    }


@task()
def send_reminders() -> dict:
    return {
        "renewal": reminders.remind_renewals(),
        "verification": reminders.open_due_verifications(),
    }


@task()
def requeue_missing_documents() -> list[str]:
    """Daily: every licence in force whose current version has no PDF and no queued job for it
    gets its job again (a job lost with its worker, or never enqueued); returns the numbers."""
    path = f"{generate_document.module_path}"
    pending = {
        tuple(args_kwargs.get("args") or ())
        for args_kwargs in DBTaskResult.objects.filter(
            task_path=path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).values_list("args_kwargs", flat=True)
    }
    missing = Licence.objects.filter(status__in=IN_FORCE).filter(
        Q(document="") | Q(document__isnull=True)
    )
    queued = []
    for licence_id, version, number in missing.values_list("pk", "version", "number"):
        if (licence_id, version) not in pending:
            generate_document.enqueue(licence_id, version)
            queued.append(number)
    return queued
