"""How a record's and an anchor's hashes are computed: canonical JSON, then SHA-256."""

import datetime
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def to_json_value(value: Any) -> Any:
    """A value as it will come back from a JSONField, so the hash survives the round trip."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    ).encode()


def timestamp(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_hash(
    *,
    stream: str,
    seq: int,
    at: datetime.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    note: str,
    prev_hash: str,
) -> str:
    body = {
        "stream": stream,
        "seq": seq,
        "at": timestamp(at),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": before,
        "after": after,
        "note": note,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical(body)).hexdigest()


def hash_of_record(record) -> str:
    return record_hash(
        stream=record.stream,
        seq=record.seq,
        at=record.at,
        actor_id=record.actor_id,
        actor_label=record.actor_label,
        action=record.action,
        object_type=record.object_type,
        object_id=record.object_id,
        before=record.before,
        after=record.after,
        note=record.note,
        prev_hash=record.prev_hash,
    )


def anchor_hash(
    *,
    seq: int,
    at: datetime.datetime,
    entries: list,
    prev_hash: str,
    root: str = "",
    tree_size: int = 0,
) -> str:
    body = {"seq": seq, "at": timestamp(at), "entries": entries, "prev_hash": prev_hash}
    if root:
        # A signed head: its hash also covers the Merkle root over every stream's head.
        body.update(root=root, tree_size=tree_size)
    return hashlib.sha256(canonical(body)).hexdigest()


def hash_of_anchor(anchor) -> str:
    return anchor_hash(
        seq=anchor.seq,
        at=anchor.at,
        entries=anchor.entries,
        prev_hash=anchor.prev_hash,
        root=anchor.root,
        tree_size=anchor.tree_size,
    )


# Merkle tree over the stream heads; as in RFC 6962 (certificate transparency) leaves and
# inner nodes are hashed with different prefixes, so no leaf can pose as a subtree.
def leaf_hash(stream: str, seq: int, digest: str) -> bytes:
    return hashlib.sha256(b"\x00" + canonical([stream, seq, digest])).digest()


def merkle_root(leaves: list[tuple[str, int, str]]) -> str:
    """The root over (stream, seq, hash) leaves sorted by stream; SHA-256 of nothing if none."""
    level = [leaf_hash(*leaf) for leaf in sorted(leaves)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])  # an odd node is promoted unchanged
        level = paired
    return level[0].hex()


def head_statement(*, seq: int, at: datetime.datetime | str, tree_size: int, root: str, hash: str):
    """The bytes a signed head's signature covers (also what an exported copy carries)."""
    when = at if isinstance(at, str) else timestamp(at)
    body = {
        "log": "yiwang-audit",
        "seq": seq,
        "at": when,
        "tree_size": tree_size,
        "root": root,
        "hash": hash,
    }
    return canonical(body)
