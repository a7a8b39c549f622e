"""For tests: run the queued event deliveries now, as a worker would after commit."""

from __future__ import annotations

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from yiwang import clock
from yiwang.events.tasks import deliver_event

DELIVER = deliver_event.module_path


def pending_deliveries():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=DELIVER)


def deliver_pending(*, limit: int = 10_000) -> int:
    """Deliver every queued event (and the events those deliveries publish); return how many ran."""
    ran = 0
    while ran < limit:
        row = pending_deliveries().order_by("enqueued_at").first()
        if row is None:
            break
        deliver_event.call(**row.args_kwargs["kwargs"])
        DBTaskResult.objects.filter(pk=row.pk).update(
            status=TaskResultStatus.SUCCESSFUL, finished_at=clock.now()
        )
        ran += 1
    return ran
