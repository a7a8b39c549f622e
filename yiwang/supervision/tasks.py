"""Daily supervision work; each job calls a service."""

from __future__ import annotations

from django_tasks import task

from yiwang.supervision.outcomes import publication_flag_overdue


@task()
def flag_overdue_publications() -> int:
    """Flag results not published within 20 working days to the department's leaders."""
    return publication_flag_overdue()
