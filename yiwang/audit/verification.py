"""Checking the chains: the first record that was changed, removed or inserted out of order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from yiwang.audit import chain
from yiwang.audit.models import AuditAnchor, AuditRecord, AuditStream

GENESIS = "0" * 64


@dataclass(frozen=True)
class Breach:
    stream: str
    seq: int
    record_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"record {self.record_id}" if self.record_id else "no record"
        return f"{self.stream} #{self.seq} ({where}): {self.problem}"


def verify_streams() -> Iterator[Breach]:
    """Walk each stream in order; yield the first breach of each stream."""
    heads = {head.name: head for head in AuditStream.objects.all()}
    current: str | None = None
    expected_seq, expected_prev, broken = 1, GENESIS, False
    records = AuditRecord.objects.order_by("stream", "seq").iterator(chunk_size=2000)
    for record in records:
        if record.stream != current:
            if current is not None and not broken:
                yield from _check_head(heads.pop(current, None), current, expected_seq - 1)
            current, expected_seq, expected_prev, broken = record.stream, 1, GENESIS, False
        if broken:
            continue
        breach = _check_record(record, expected_seq, expected_prev)
        if breach:
            broken = True
            yield breach
            continue
        expected_seq, expected_prev = record.seq + 1, record.hash
    if current is not None and not broken:
        yield from _check_head(heads.pop(current, None), current, expected_seq - 1)
    for name, head in heads.items():
        if head.last_seq:
            yield Breach(name, 1, None, "every record of this stream was removed")


def _check_record(record: AuditRecord, expected_seq: int, expected_prev: str) -> Breach | None:
    if record.seq > expected_seq:
        return Breach(
            record.stream, expected_seq, None, f"records {expected_seq}..{record.seq - 1} removed"
        )
    if record.seq < expected_seq or record.prev_hash != expected_prev:
        return Breach(record.stream, record.seq, record.pk, "inserted out of order")
    if chain.hash_of_record(record) != record.hash:
        return Breach(record.stream, record.seq, record.pk, "content changed")
    return None


def _check_head(head: AuditStream | None, stream: str, last_seq: int) -> Iterator[Breach]:
    if head is None:
        yield Breach(stream, last_seq, None, "stream head missing")
    elif head.last_seq != last_seq:
        yield Breach(stream, last_seq + 1, None, f"records after #{last_seq} removed")


def verify_anchors() -> Iterator[Breach]:
    """Walk the global chain; each anchored head must still be the record's hash."""
    prev = GENESIS
    expected = 1
    for anchor in AuditAnchor.objects.order_by("seq").iterator(chunk_size=500):
        computed = chain.anchor_hash(
            seq=anchor.seq, at=anchor.at, entries=anchor.entries, prev_hash=anchor.prev_hash
        )
        if anchor.seq != expected or anchor.prev_hash != prev or computed != anchor.hash:
            yield Breach("anchor", anchor.seq, anchor.pk, "global chain broken")
            return
        for stream, seq, digest in anchor.entries:
            found = (
                AuditRecord.objects.filter(stream=stream, seq=seq)
                .values_list("hash", flat=True)
                .first()
            )
            if found != digest:
                yield Breach(stream, seq, None, f"differs from anchor #{anchor.seq}")
        prev, expected = anchor.hash, anchor.seq + 1


def first_breach() -> Breach | None:
    for breach in verify_streams():
        return breach
    for breach in verify_anchors():
        return breach
    return None
