"""Writes sent together (`yiwang.statements`): one statement on PostgreSQL, one after another
elsewhere, the same rows either way (issue 19)."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from yiwang import clock
from yiwang.audit.models import AuditRecord, AuditStream
from yiwang.audit.services import audit_record
from yiwang.audit.verification import first_breach
from yiwang.events.models import Event
from yiwang.parties.models import Applicant
from yiwang.statements import (
    execute_together,
    insert_statement,
    update_statement,
    written_together,
)

pytestmark = pytest.mark.django_db


def test_an_insert_and_an_update_go_as_one_statement_on_postgresql(demo):
    applicant = Applicant.objects.order_by("pk").first()
    event = Event(
        id=uuid.uuid4(),
        name="test.together",
        subject_type="parties.applicant",
        subject_id=str(applicant.pk),
        payload={"n": 1},
        occurred_at=clock.now(),
    )
    with transaction.atomic(), CaptureQueriesContext(connection) as log:
        returned = execute_together(
            [
                update_statement(Applicant.objects.filter(pk=applicant.pk), name="改名诊所"),
                insert_statement(Event, [event], returning_pk=True),
            ]
        )
    expected = 1 if connection.vendor == "postgresql" else 2
    assert len(log.captured_queries) == expected
    assert [str(row[0]) for row in returned] in ([str(event.pk)], [event.pk.hex])
    assert Applicant.objects.get(pk=applicant.pk).name == "改名诊所"
    assert Event.objects.get(pk=event.pk).payload == {"n": 1}


def test_a_failing_write_takes_the_others_with_it(demo):
    applicant = Applicant.objects.order_by("pk").first()
    duplicate = Event.objects.create(
        name="test.once", payload={}, occurred_at=clock.now(), subject_type="", subject_id=""
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        execute_together(
            [
                update_statement(Applicant.objects.filter(pk=applicant.pk), name="不应保存"),
                insert_statement(Event, [duplicate]),
            ]
        )
    assert Applicant.objects.get(pk=applicant.pk).name != "不应保存"


def test_writes_queued_together_go_when_the_block_ends_and_chain_the_audit_right(demo):
    """Two records of one stream in one block: the second waits for the first's head to be
    written (one statement cannot change a row twice), and the chain verifies."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as log, written_together():
            audit_record(actor=None, action="a", object_type="t", object_id=1, stream="t:1")
            audit_record(actor=None, action="b", object_type="t", object_id=1, stream="t:1")
            audit_record(actor=None, action="c", object_type="t", object_id=2, stream="t:2")
            assert AuditRecord.objects.filter(stream__in=["t:1", "t:2"]).count() == 1
        assert AuditRecord.objects.filter(stream__in=["t:1", "t:2"]).count() == 3
    if connection.vendor == "postgresql":
        # heads locked 3, the first record flushed before the second head, the rest at the end
        # (and the count above, inside the block)
        assert len(log.captured_queries) == 3 + 1 + 1 + 1
    assert list(AuditRecord.objects.filter(stream="t:1").values_list("seq", "action")) == [
        (1, "a"),
        (2, "b"),
    ]
    assert AuditStream.objects.get(name="t:1").last_seq == 2
    assert first_breach() is None
