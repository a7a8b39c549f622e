import datetime
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from yiwang.jobs import leases
from yiwang.jobs.models import WorkerLease
from yiwang.licences.models import Licence
from yiwang.licences.tasks import generate_document, requeue_missing_documents
from yiwang.licences.tests.factories import make_licence

ROOT = django_settings.BASE_DIR


def running(worker_id: str, started_seconds_ago: float) -> DBTaskResult:
    result = generate_document.enqueue(1, 1)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(seconds=started_seconds_ago),
        worker_ids=[worker_id],
    )
    return DBTaskResult.objects.get(pk=result.id)


@pytest.mark.django_db
def test_a_task_of_a_dead_worker_is_queued_again(settings):
    settings.JOB_LEASE_SECONDS = 30
    abandoned = running("dead", started_seconds_ago=120)
    WorkerLease.objects.create(
        worker_id="dead",
        host="h",
        pid=1,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
        beat_at=timezone.now() - datetime.timedelta(seconds=90),
    )
    alive = running("alive", started_seconds_ago=120)
    leases.beat("alive")
    fresh = running("unknown", started_seconds_ago=5)  # within one lease: not yet judged

    assert leases.reclaim_abandoned() == [str(abandoned.pk)]
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.started_at) == (TaskResultStatus.READY, None)
    alive.refresh_from_db()
    fresh.refresh_from_db()
    assert alive.status == fresh.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_the_daily_check_requeues_licences_without_a_document(demo):
    licence = make_licence()
    assert not licence.document
    DBTaskResult.objects.all().delete()
    queued = requeue_missing_documents.call()
    assert licence.number in queued
    tasks = DBTaskResult.objects.filter(task_path="yiwang.licences.tasks.generate_document")
    assert [licence.pk, licence.version] in [task.args_kwargs["args"] for task in tasks]
    assert tasks.count() == len(queued)
    # Already queued: not twice.
    assert requeue_missing_documents.call() == []
    assert tasks.count() == len(queued)


def subprocess_env(tmp_path) -> dict:
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "YIWANG_VAR_DIR": str(tmp_path / "var"),
        "YIWANG_SIGNING_KEYS": django_settings.YIWANG_SIGNING_KEYS,
        "YIWANG_JOB_LEASE_SECONDS": "2",
        "PYTHONPATH": str(ROOT),
    }


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_crash_kill_9_while_a_pdf_renders_then_restart_and_the_document_appears(
    demo, tmp_path, settings
):
    settings.YIWANG_SIGNING_KEYS = "k2026:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    with transaction.atomic():
        licence = make_licence()
    DBTaskResult.objects.all().delete()
    result = generate_document.enqueue(licence.pk, licence.version)
    env = subprocess_env(tmp_path)

    doomed = subprocess.Popen(
        [sys.executable, str(ROOT / "yiwang/jobs/tests/slow_worker.py"), "doomed"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: DBTaskResult.objects.filter(
                pk=result.id, status=TaskResultStatus.RUNNING
            ).exists(),
            60,
            "the worker to start rendering",
        )
    finally:
        os.killpg(doomed.pid, signal.SIGKILL)  # kill -9 the worker and all it started
        doomed.wait()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    assert not Licence.objects.get(pk=licence.pk).document

    restarted = subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: Licence.objects.get(pk=licence.pk).document,
            120,
            "the document after the restart",
        )
    finally:
        os.killpg(restarted.pid, signal.SIGTERM)
        restarted.wait(timeout=30)
    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids[0] == "doomed" and len(task.worker_ids) == 2
    assert Licence.objects.get(pk=licence.pk).document_sha256
    # The killed worker's lease lapsed in place; the cleanly stopped one released its own.
    assert list(WorkerLease.objects.values_list("worker_id", flat=True)) == ["doomed"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_child_outlives_the_launcher_killed_with_sigkill(tmp_path):
    launcher = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(free_port()), "--workers", "1"],
        cwd=ROOT,
        env=subprocess_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children = wait_for(
        lambda: (found := children_of(launcher.pid)) and len(found) == 3 and found,
        60,
        "the server, the worker and the scheduler",
    )
    launcher.kill()  # SIGKILL: no chance to clean up
    launcher.wait()
    wait_for(lambda: not any(alive(pid) for pid in children), 30, "the children to end")
