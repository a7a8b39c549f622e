"""Leases on RUNNING tasks: a worker that stops beating loses its tasks to the queue again.

django-tasks-db marks a task RUNNING when a worker claims it and never looks back: a worker
killed mid-task leaves it RUNNING forever. Our workers (`manage.py jobs_worker`) hold a lease
they renew every `JOB_LEASE_SECONDS / 3`; every worker, while it beats, puts back to READY
each RUNNING task that started longer than a lease ago and whose worker holds no live lease.
Tasks must therefore be idempotent by their arguments (they may run twice).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from yiwang.jobs.models import WorkerLease

logger = logging.getLogger("yiwang.jobs")


def lease_seconds() -> float:
    return float(getattr(settings, "JOB_LEASE_SECONDS", 60))


def beat(worker_id: str) -> WorkerLease:
    now = timezone.now()
    lease, created = WorkerLease.objects.get_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": now,
            "beat_at": now,
        },
    )
    if not created:
        WorkerLease.objects.filter(pk=lease.pk).update(beat_at=now)
    return lease


def release(worker_id: str) -> None:
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def reclaim_abandoned() -> list[str]:
    """Put back on the queue every RUNNING task whose worker's lease lapsed; returns their ids."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=lease_seconds())
    live = set(WorkerLease.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
    reclaimed = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    for task_id, worker_ids, path in running.values_list("id", "worker_ids", "task_path"):
        if worker_ids and worker_ids[-1] in live:
            continue
        with transaction.atomic():
            moved = DBTaskResult.objects.filter(
                pk=task_id, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
            ).update(status=TaskResultStatus.READY, started_at=None)
        if moved:
            logger.warning("task %s (%s) abandoned by %s: queued again", task_id, path, worker_ids)
            reclaimed.append(str(task_id))
    WorkerLease.objects.filter(beat_at__lt=now - datetime.timedelta(days=1)).delete()
    return reclaimed
