"""The three attacks of a database administrator: truncation, rewrite with rehash, rollback."""

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from yiwang.audit import chain, heads
from yiwang.audit.models import AuditAnchor, AuditRecord, AuditStream
from yiwang.audit.services import audit_anchor, audit_record
from yiwang.audit.tasks import anchor_audit_streams
from yiwang.audit.verification import first_breach

pytestmark = pytest.mark.django_db(transaction=True)


def seed(name: str) -> str:
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return f"{name}:{base64.b64encode(raw).decode()}"


@pytest.fixture(autouse=True)
def audit_key(settings):
    settings.YIWANG_AUDIT_SIGNING_KEYS = seed("audit-2026")
    return settings.YIWANG_AUDIT_SIGNING_KEYS


def write(n, stream="case:1", action="case.step"):
    with transaction.atomic():
        for index in range(n):
            audit_record(
                actor=None,
                action=action,
                object_type="case",
                object_id=stream.split(":")[1],
                after={"n": index},
                stream=stream,
            )


def exported(settings) -> list[dict]:
    with open(settings.YIWANG_AUDIT_HEADS_FILE) as handle:
        return [json.loads(line) for line in handle]


def test_a_signed_head_covers_every_stream_and_is_exported(settings):
    write(3, "case:1")
    write(2, "case:2")
    first = audit_anchor()
    assert first.tree_size == 2 and first.signature and first.key_id == "audit-2026"
    leaves = [(s.name, s.anchored_seq, s.anchored_hash) for s in AuditStream.objects.all()]
    assert first.root == chain.merkle_root(leaves)
    assert audit_anchor() is None  # nothing moved: no head
    write(1, "case:2")
    second = audit_anchor()
    assert (second.seq, second.prev_hash, second.tree_size) == (2, first.hash, 2)
    assert [head["seq"] for head in exported(settings)] == [1, 2]
    assert exported(settings)[1] == heads.head_as_dict(second)
    assert first_breach() is None
    call_command("verify_audit")


def test_truncation_of_a_signed_stream_is_named(settings):
    """The approve decision (newest record) is deleted and the stream head moved back."""
    write(3, "case:7")
    audit_anchor()
    last = AuditRecord.objects.get(stream="case:7", seq=3)
    AuditRecord.objects.filter(pk=last.pk).delete()
    AuditStream.objects.filter(name="case:7").update(last_seq=2, last_hash=last.prev_hash)
    breach = first_breach()
    assert (breach.stream, breach.seq) == ("case:7", 3)
    assert breach.problem == "truncation: record #3 of signed head #1 removed"
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    assert error.value.returncode == 1 and "truncation" in str(error.value)


def test_rewrite_with_rehash_of_records_heads_and_anchors_is_named():
    """Edit a record, recompute its chain, the stream head and the anchor's hash: the signed
    root no longer matches, and a re-signature needs a key the attacker does not have."""
    write(3, "case:9")
    write(1, "case:10")
    audit_anchor()
    records = list(AuditRecord.objects.filter(stream="case:9").order_by("seq"))
    prev = records[0].prev_hash
    for record in records:
        if record.seq == 2:
            record.after = {"n": "approved by someone else"}
        record.prev_hash = prev
        record.hash = chain.hash_of_record(record)
        record.save()
        prev = record.hash
    AuditStream.objects.filter(name="case:9").update(last_hash=prev, anchored_hash=prev)
    anchor = AuditAnchor.objects.get(seq=1)
    anchor.entries = [
        [name, seq, prev if name == "case:9" else digest] for name, seq, digest in anchor.entries
    ]
    anchor.hash = chain.hash_of_anchor(anchor)
    anchor.save()
    # The streams themselves are consistent again...
    breach = first_breach(copies=[])
    # ...but the Merkle root signed in head #1 is not.
    assert (breach.stream, breach.seq) == ("anchor", 1)
    assert breach.problem == "rewrite: Merkle root differs"
    # Recomputing the root too leaves a signature that does not hold.
    leaves = [(s.name, s.anchored_seq, s.anchored_hash) for s in AuditStream.objects.all()]
    anchor.root = chain.merkle_root(leaves)
    anchor.hash = chain.hash_of_anchor(anchor)
    anchor.save()
    assert first_breach(copies=[]).problem == "rewrite: signature of the head does not hold"
    # Signing with a key of one's own does not help either: it is not one of the log's keys.
    forger = Ed25519PrivateKey.generate()
    anchor.key_id = "audit-2026"
    anchor.signature = base64.b64encode(forger.sign(heads.statement_of(anchor))).decode()
    anchor.save()
    assert first_breach(copies=[]).problem == "rewrite: signature of the head does not hold"


def test_rollback_of_the_head_table_is_named_from_the_exported_copy(settings, tmp_path):
    write(2, "case:3")
    audit_anchor()
    write(1, "case:3")  # e.g. the approve decision
    audit_anchor()
    # The administrator removes the decision, the newest signed head, and resets the stream.
    record = AuditRecord.objects.get(stream="case:3", seq=3)
    record.delete()
    AuditAnchor.objects.filter(seq=2).delete()
    AuditStream.objects.filter(name="case:3").update(
        last_seq=2, last_hash=record.prev_hash, anchored_seq=2, anchored_hash=record.prev_hash
    )
    # Inside the database everything is consistent again.
    assert first_breach(copies=[]) is None
    # The export file (outside the database) still holds head #2.
    breach = first_breach()
    assert breach.seq == 2
    assert breach.problem.startswith("rollback: the head table ends at #1, the copy ")
    # A copy downloaded from the public page by anyone serves the same purpose.
    copy = tmp_path / "downloaded.jsonl"
    copy.write_text(Path(settings.YIWANG_AUDIT_HEADS_FILE).read_text())
    settings.YIWANG_AUDIT_HEADS_FILE = str(tmp_path / "elsewhere.jsonl")
    with pytest.raises(CommandError) as error:
        call_command("verify_audit", "--heads", str(copy))
    assert "rollback" in str(error.value)


def test_a_head_rewritten_in_the_table_differs_from_its_copy(settings):
    write(1, "case:4")
    audit_anchor()
    AuditAnchor.objects.filter(seq=1).update(root="f" * 64)
    assert first_breach().problem.startswith("rewrite")


def test_a_copy_not_signed_by_the_log_proves_nothing(tmp_path):
    write(1, "case:5")
    audit_anchor()
    forged = heads.head_as_dict(AuditAnchor.objects.get(seq=1))
    forged.update(seq=7, signature=base64.b64encode(b"x" * 64).decode())
    assert first_breach(copies=[("forged", forged)]) is None


def test_the_periodic_task_signs_and_exports(settings):
    write(1, "case:6")
    assert anchor_audit_streams.call() == 1
    assert anchor_audit_streams.call() == 0
    assert [head["seq"] for head in exported(settings)] == [1]


def test_heads_signed_with_a_retired_key_still_verify(settings):
    write(1, "case:8")
    audit_anchor()
    old = settings.YIWANG_AUDIT_SIGNING_KEYS
    public = heads.signing_key().public_b64
    settings.YIWANG_AUDIT_SIGNING_KEYS = seed("audit-2027")
    settings.YIWANG_AUDIT_PUBLIC_KEYS = f"{old.split(':')[0]}:{public}"
    write(1, "case:8")
    assert audit_anchor().key_id == "audit-2027"
    assert first_breach() is None


def test_public_page_and_feed_show_the_signed_heads(client):
    write(2, "case:11")
    anchor = audit_anchor()
    page = client.get("/audit/heads/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert anchor.root in page.content.decode() and "audit-2026" in page.content.decode()
    feed = client.get("/audit/heads.jsonl")
    assert feed.status_code == 200
    lines = [json.loads(line) for line in feed.content.decode().splitlines()]
    assert lines == [heads.head_as_dict(anchor)]
    zh = client.get("/audit/heads/")
    assert "签名" in zh.content.decode()
