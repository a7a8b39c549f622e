from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerLease(models.Model):
    """A live task worker: it renews `beat_at` every few seconds while it runs.

    A RUNNING task whose worker's lease has lapsed was abandoned (the worker was killed or its
    machine died): `leases.reclaim_abandoned` puts it back on the queue.
    """

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker lease")
        verbose_name_plural = _("worker leases")

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host}:{self.pid}"
