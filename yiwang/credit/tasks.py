"""Credit's periodic job: list entries past their end leave the lists, and everyone is regraded
once a day (facts past their validity stop counting)."""

from django_tasks import task

from yiwang.credit.grading import grade_everyone
from yiwang.credit.lists import list_entries_expire


@task()
def daily_regrade() -> int:
    list_entries_expire()
    return len(grade_everyone(reason="daily pass"))
