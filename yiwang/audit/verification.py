"""Checking the chains: the first record that was changed, removed or inserted out of order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from yiwang import keys
from yiwang.audit import chain, heads
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
    """Walk the signed heads: chain, Merkle root, signature; then the streams against the last.

    Replaying the heads gives every stream's anchored (seq, hash); each record there must still
    exist (else truncation) with that hash (else rewrite), and the stream's head may not be
    behind it (truncation). A head whose root or signature does not hold was rewritten.
    """
    known = heads.public_keys()
    prev, expected = GENESIS, 1
    state: dict[str, tuple[int, str, int]] = {}
    for anchor in AuditAnchor.objects.order_by("seq").iterator(chunk_size=500):
        if anchor.seq != expected or anchor.prev_hash != prev:
            yield Breach("anchor", anchor.seq, anchor.pk, "rewrite: chain of signed heads broken")
            return
        if chain.hash_of_anchor(anchor) != anchor.hash:
            yield Breach("anchor", anchor.seq, anchor.pk, "rewrite: head content changed")
            return
        for stream, seq, digest in anchor.entries:
            state[stream] = (seq, digest, anchor.seq)
        if anchor.signature or anchor.root:
            leaves = [(stream, seq, digest) for stream, (seq, digest, _n) in state.items()]
            if len(leaves) != anchor.tree_size or chain.merkle_root(leaves) != anchor.root:
                yield Breach("anchor", anchor.seq, anchor.pk, "rewrite: Merkle root differs")
                return
            if not keys.verify_with(
                known.get(anchor.key_id), heads.statement_of(anchor), anchor.signature
            ):
                yield Breach(
                    "anchor", anchor.seq, anchor.pk, "rewrite: signature of the head does not hold"
                )
                return
        prev, expected = anchor.hash, anchor.seq + 1
    yield from _check_against_heads(state)


def _check_against_heads(state: dict[str, tuple[int, str, int]]) -> Iterator[Breach]:
    names = sorted(state)
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        wanted = {(name, state[name][0]) for name in chunk}
        found = {
            (stream, seq): digest
            for stream, seq, digest in AuditRecord.objects.filter(stream__in=chunk)
            .values_list("stream", "seq", "hash")
            .iterator()
            if (stream, seq) in wanted
        }
        tips = dict(AuditStream.objects.filter(name__in=chunk).values_list("name", "last_seq"))
        for name in chunk:
            seq, digest, head_seq = state[name]
            record = found.get((name, seq))
            if record is None or tips.get(name, 0) < seq:
                yield Breach(
                    name, seq, None, f"truncation: record #{seq} of signed head #{head_seq} removed"
                )
            elif record != digest:
                yield Breach(name, seq, None, f"rewrite: differs from signed head #{head_seq}")


def verify_copies(copies: list[tuple[str, dict]]) -> Iterator[Breach]:
    """Compare the head table with copies kept outside the database (export file, downloads).

    A copy signed with our key that the database lacks, past its last head, is a rollback; one
    that differs from the database's head of the same number is a rewrite.
    """
    known = heads.public_keys()
    stored = {
        anchor.seq: anchor
        for anchor in AuditAnchor.objects.filter(seq__in={int(h["seq"]) for _s, h in copies})
    }
    last = AuditAnchor.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    for source, head in sorted(copies, key=lambda pair: int(pair[1]["seq"])):
        if not heads.copy_signature_holds(head, known):
            continue  # not one of our heads: proves nothing either way
        seq = int(head["seq"])
        anchor = stored.get(seq)
        if anchor is None and seq > last:
            yield Breach(
                "anchor",
                seq,
                None,
                f"rollback: the head table ends at #{last}, the copy {source} holds #{seq}",
            )
            return
        if anchor is None or anchor.hash != head["hash"] or anchor.root != head["root"]:
            yield Breach(
                "anchor", seq, getattr(anchor, "pk", None), f"rewrite: differs from {source}"
            )
            return


def default_copies() -> list[tuple[str, dict]]:
    path = heads.export_path()
    return heads.load_copies([path]) if path else []


def all_breaches(copies: list[tuple[str, dict]] | None = None) -> Iterator[Breach]:
    yield from verify_streams()
    yield from verify_anchors()
    yield from verify_copies(default_copies() if copies is None else copies)


def first_breach(copies: list[tuple[str, dict]] | None = None) -> Breach | None:
    for breach in all_breaches(copies):
        return breach
    return None
