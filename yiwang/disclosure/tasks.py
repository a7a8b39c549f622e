"""Daily work of disclosure: warn department leaders of records awaiting review near or past
their publish date."""

from __future__ import annotations

from django_tasks import task

from yiwang.disclosure.services import publications_alert


@task()
def publish_and_alert() -> int:
    return publications_alert()
