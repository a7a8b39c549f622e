"""Writing the audit record, always inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from django.db import connection, router, transaction
from django.db.models import F, Model
from django.forms.models import model_to_dict

from yiwang import clock
from yiwang.audit import chain, heads
from yiwang.audit.models import AuditAnchor, AuditRecord, AuditStream
from yiwang.statements import insert_statement, send_queued, update_statement, write

GENESIS = "0" * 64


def snapshot(obj: Model, fields: list[str] | None = None) -> dict:
    """The object's field values as JSON, for the before/after of a record."""
    data = model_to_dict(obj, fields=fields)
    for name, value in list(data.items()):
        if hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, list | tuple) and value and hasattr(value[0], "pk"):
            data[name] = [item.pk for item in value]
        elif hasattr(value, "name") and hasattr(value, "url"):
            data[name] = value.name or None
    data.setdefault("id", obj.pk)
    return chain.to_json_value(data)


def stream_for(obj: Model) -> str:
    """The default stream: one chain per object."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: Any = None,
    after: Any = None,
    note: str = "",
    stream: str | None = None,
) -> None:
    """Append one record to its stream; must run inside the transaction of the change (inside
    a `written_together` block the record is written when the block ends)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    stream = stream or (stream_for(obj) if obj is not None else f"{object_type}:{object_id}")
    # A head update still queued in a `written_together` block goes first: it is what the
    # next record of the stream chains to.
    head_key = ("audit.stream", stream)
    send_queued(head_key)
    head = _locked_head(stream)
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_label = _label(actor)
    before = chain.to_json_value(before)
    after = chain.to_json_value(after)
    seq = head.last_seq + 1
    at = clock.now()
    digest = chain.record_hash(
        stream=stream,
        seq=seq,
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        note=note,
        prev_hash=head.last_hash,
    )
    record = AuditRecord(
        stream=stream,
        seq=seq,
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        note=note,
        prev_hash=head.last_hash,
        hash=digest,
    )
    # The head moves and the record is written in one statement where the database allows,
    # with the step's other writes when the caller writes them together.
    using = router.db_for_write(AuditRecord)
    write(
        [
            update_statement(
                AuditStream.objects.filter(pk=head.pk), last_seq=seq, last_hash=digest
            ),
            insert_statement(AuditRecord, [record]),
        ],
        using=using,
        key=head_key,
    )


def _locked_head(stream: str) -> AuditStream:
    """The stream's head row, locked until the transaction ends; created when new.

    One statement either way: an INSERT that, when the stream exists, updates its row to
    itself instead (ON CONFLICT … DO UPDATE), which locks it as SELECT … FOR UPDATE would,
    waiting for a concurrent writer to commit, and returns the head as it then is. This
    replaces get_or_create's SELECT, SAVEPOINT, INSERT, RELEASE on every new object.
    """
    table = AuditStream._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, last_seq, last_hash, anchored_seq, anchored_hash) "
            "VALUES (%s, 0, %s, 0, '') ON CONFLICT (name) DO UPDATE SET name = excluded.name "
            "RETURNING id, last_seq, last_hash",
            [stream, GENESIS],
        )
        pk, last_seq, last_hash = cursor.fetchone()
    return AuditStream(pk=pk, name=stream, last_seq=last_seq, last_hash=last_hash)


def _label(actor: Any) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return getattr(actor, "username", "") or str(actor)


def audit_anchor() -> AuditAnchor | None:
    """Sign a new head when any stream moved since the last one (every minute, `schedule.py`).

    The head chains the moved stream heads to the previous head, and its root is the Merkle
    root over the anchored head of every stream; it is signed with a key outside the database
    and, after commit, appended to the export file.
    """
    with transaction.atomic():
        last = AuditAnchor.objects.select_for_update().order_by("-seq").first()
        moved = list(
            AuditStream.objects.select_for_update()
            .filter(last_seq__gt=F("anchored_seq"))
            .order_by("name")
            .values_list("pk", "name", "last_seq", "last_hash")
        )
        if not moved:
            return None
        entries = [[name, seq, digest] for _pk, name, seq, digest in moved]
        for pk, _name, last_seq, digest in moved:
            AuditStream.objects.filter(pk=pk).update(anchored_seq=last_seq, anchored_hash=digest)
        leaves = list(
            AuditStream.objects.filter(anchored_seq__gt=0).values_list(
                "name", "anchored_seq", "anchored_hash"
            )
        )
        seq = (last.seq if last else 0) + 1
        prev_hash = last.hash if last else GENESIS
        at = clock.now()
        root = chain.merkle_root(leaves)
        anchor = AuditAnchor(
            seq=seq,
            at=at,
            entries=entries,
            prev_hash=prev_hash,
            root=root,
            tree_size=len(leaves),
        )
        anchor.hash = chain.hash_of_anchor(anchor)
        key = heads.signing_key()
        anchor.key_id, anchor.signature = key.key_id, key.sign(heads.statement_of(anchor))
        anchor.save()
        transaction.on_commit(heads.export_heads)
        return anchor
