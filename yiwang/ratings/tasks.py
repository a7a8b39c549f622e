"""Daily work of 好差评: warn department leaders of rectifications near or past their due date."""

from __future__ import annotations

from django_tasks import task

from yiwang.ratings.rectifications import rectifications_alert


@task()
def alert_rectification_deadlines() -> int:
    return rectifications_alert()
