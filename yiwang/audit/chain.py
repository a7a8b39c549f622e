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


def anchor_hash(*, seq: int, at: datetime.datetime, entries: list, prev_hash: str) -> str:
    body = {"seq": seq, "at": timestamp(at), "entries": entries, "prev_hash": prev_hash}
    return hashlib.sha256(canonical(body)).hexdigest()
