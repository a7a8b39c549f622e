"""Background and daily work of the licence register: PDFs, deemed renewal (Art. 50), expiry,
renewal and verification reminders. Each job calls services; none has logic of its own."""

from __future__ import annotations

from django_tasks import task

from yiwang.licences import reminders
from yiwang.licences.documents import licence_store_document, render_pdf
from yiwang.licences.models import Licence


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
