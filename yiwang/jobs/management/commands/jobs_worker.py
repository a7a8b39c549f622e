"""The task worker with a lease: django-tasks-db's `db_worker`, plus a heartbeat thread that
renews this worker's lease and takes back the tasks of workers that died (`yiwang.jobs.leases`).
"""

import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from yiwang.jobs import leases


class Command(DbWorkerCommand):
    help = "Run a task worker that holds a lease and reclaims tasks of dead workers."

    def handle(self, *args, worker_id: str, **options):
        stop = threading.Event()
        leases.beat(worker_id)
        leases.reclaim_abandoned()

        def heartbeat():
            interval = max(leases.lease_seconds() / 3, 0.2)
            while not stop.wait(interval):
                try:
                    close_old_connections()
                    leases.beat(worker_id)
                    leases.reclaim_abandoned()
                except Exception:  # a database hiccup must not kill the heartbeat
                    leases.logger.exception("heartbeat of %s failed", worker_id)
                finally:
                    connection.close()

        thread = threading.Thread(target=heartbeat, name="lease-heartbeat", daemon=True)
        thread.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            stop.set()
            thread.join(timeout=5)
            leases.release(worker_id)
