"""For tests: run the queued event deliveries now, as a worker would after commit."""

from __future__ import annotations

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from yiwang import clock
from yiwang.events.tasks import deliver_event

DELIVER = deliver_event.module_path


def pending_deliveries():
    """Deliveries a worker would take now (a retry waits for its time)."""
    return DBTaskResult.objects.ready().filter(task_path=DELIVER)


def deliver_pending(*, limit: int = 10_000) -> int:
    """Deliver every queued event (and the events those deliveries publish); return how many ran.

    A failing subscriber leaves its row failed and its retry queued, and raises, as a worker would.
    """
    ran = 0
    while ran < limit:
        row = pending_deliveries().order_by("enqueued_at").first()
        if row is None:
            break
        try:
            deliver_event.call(**row.args_kwargs["kwargs"])
        except Exception:
            _finish(row, TaskResultStatus.FAILED)
            raise
        _finish(row, TaskResultStatus.SUCCESSFUL)
        ran += 1
    return ran


def _finish(row, status) -> None:
    DBTaskResult.objects.filter(pk=row.pk).update(status=status, finished_at=clock.now())
