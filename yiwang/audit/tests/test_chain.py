import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from yiwang.audit.models import AuditRecord, AuditStream
from yiwang.audit.services import audit_anchor, audit_record
from yiwang.audit.verification import first_breach

pytestmark = pytest.mark.django_db


def write(n, stream="test:1"):
    with transaction.atomic():
        for index in range(n):
            audit_record(
                actor=None,
                action="test.write",
                object_type="test",
                object_id=1,
                after={"n": index},
                stream=stream,
            )


def test_intact_chain_verifies(demo):
    write(3)
    audit_anchor()
    assert first_breach() is None
    call_command("verify_audit")


def test_verify_audit_catches_an_edited_record(demo):
    write(3)
    record = AuditRecord.objects.get(stream="test:1", seq=2)
    AuditRecord.objects.filter(pk=record.pk).update(after={"n": 99})
    breach = first_breach()
    assert (breach.stream, breach.seq, breach.problem) == ("test:1", 2, "content changed")
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    assert error.value.returncode == 1


def test_removed_record_is_caught(demo):
    write(3)
    AuditRecord.objects.filter(stream="test:1", seq=2).delete()
    breach = first_breach()
    assert breach.stream == "test:1" and "removed" in breach.problem


def test_removed_last_record_is_caught_by_the_stream_head(demo):
    write(3)
    AuditRecord.objects.filter(stream="test:1", seq=3).delete()
    assert "removed" in first_breach().problem


def test_record_inserted_out_of_order_is_caught(demo):
    write(2)
    first = AuditRecord.objects.get(stream="test:1", seq=1)
    AuditRecord.objects.filter(stream="test:1", seq=2).update(prev_hash=first.prev_hash)
    breach = first_breach()
    assert (breach.seq, breach.problem) == (2, "inserted out of order")


def test_rewritten_stream_is_caught_by_the_anchor(demo):
    """Someone who rewrites a whole stream consistently still differs from the anchored head."""
    write(2)
    audit_anchor()
    AuditRecord.objects.filter(stream="test:1").delete()
    AuditStream.objects.filter(name="test:1").update(last_seq=0, last_hash="0" * 64)
    write(2)
    breach = first_breach()
    assert breach is not None and breach.problem.startswith("rewrite")


def test_audit_record_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", object_type="t", object_id=1)


def test_streams_are_independent_chains(demo):
    write(2, stream="case:1")
    write(1, stream="case:2")
    assert AuditStream.objects.get(name="case:1").last_seq == 2
    assert AuditStream.objects.get(name="case:2").last_seq == 1
