import os
import signal
import subprocess
import sys

import pydantic
import pytest
from django.conf import settings
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from yiwang.events import publish
from yiwang.events.models import Delivery, Event
from yiwang.events.tasks import deliver_event
from yiwang.events.testing import deliver_pending, pending_deliveries
from yiwang.events.tests import probe


@pytest.fixture(autouse=True)
def _clean_probe():
    probe.RECEIVED.clear()
    probe.FAIL_NEXT.clear()


def test_publishing_outside_a_transaction_is_refused(db):
    # pytest-django wraps the test in a transaction; leave it to be outside one.
    with pytest.raises(RuntimeError, match="inside the transaction"):
        connection.in_atomic_block = False
        try:
            publish("test.probe", payload={"n": 1})
        finally:
            connection.in_atomic_block = True


def test_a_payload_that_breaks_its_schema_is_refused(db):
    with pytest.raises(pydantic.ValidationError), transaction.atomic():
        publish("test.probe", payload={"n": "not a number"})
    assert not Event.objects.exists()


def test_an_event_of_a_rolled_back_change_is_never_delivered(db):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        publish("test.probe", payload={"n": 1})
        raise ZeroDivisionError
    assert not Event.objects.exists()
    assert not pending_deliveries().exists()
    assert deliver_pending() == 0
    assert probe.RECEIVED == []


def test_a_committed_event_is_delivered_once(db):
    with transaction.atomic():
        event = publish("test.probe", payload={"n": 7})
    assert pending_deliveries().count() == 1
    assert deliver_pending() == 1
    assert [(str(event.pk), 7)] == probe.RECEIVED
    subscriber = "yiwang.events.tests.probe.remember"
    # A worker that runs the same delivery again (after a crash) changes nothing.
    assert deliver_event.call(event_id=str(event.pk), subscriber=subscriber) == "already delivered"
    assert [(str(event.pk), 7)] == probe.RECEIVED
    assert Delivery.objects.filter(event=event, subscriber=subscriber).count() == 1


def test_a_failed_delivery_leaves_no_trace_and_is_tried_again_later(db, freeze):
    freeze("2026-09-28T10:00:00")
    with transaction.atomic():
        event = publish("test.probe", payload={"n": 3})
    probe.FAIL_NEXT.append(True)
    with pytest.raises(RuntimeError):
        deliver_pending()
    assert not Delivery.objects.filter(event=event).exists()
    retry = DBTaskResult.objects.get(task_path=deliver_event.module_path, status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert deliver_pending() == 0  # the retry waits 30 seconds
    freeze("2026-09-28T10:00:31")
    assert deliver_pending() == 1
    assert [(str(event.pk), 3)] == probe.RECEIVED


CRASHING_PUBLISHER = """
import os, signal, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
django.setup()
from django.db import transaction
from yiwang.events import publish
import yiwang.events.tests.probe
with transaction.atomic():
    publish("test.probe", payload={"n": 42})
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_event_committed_just_before_the_server_is_killed_is_delivered():
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_PUBLISHER],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    assert DBTaskResult.objects.filter(task_path=deliver_event.module_path).count() == 1
    assert deliver_pending() == 1
    assert [n for _id, n in probe.RECEIVED] == [42]
