"""Signed heads of the audit log: signing, exporting outside the database, reading copies.

A database administrator can rewrite the records, the stream heads and the anchors together
(the hashes are plain SHA-256), but not sign a head: the key is not in the database
(`yiwang.keys`; `YIWANG_AUDIT_SIGNING_KEYS`, else the e-licence keys). Every head is appended
to a file the application only appends to (`YIWANG_AUDIT_HEADS_FILE`; put it on storage with
append-only or object-lock semantics) and published at /audit/heads/, where anyone may keep
copies. A rollback of the head table shows as a head the copies hold and the database lacks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from yiwang import keys
from yiwang.audit import chain
from yiwang.audit.models import AuditAnchor


def signing_key() -> keys.SigningKeyPair:
    if getattr(settings, "YIWANG_AUDIT_SIGNING_KEYS", ""):
        return keys.configured_keys("YIWANG_AUDIT_SIGNING_KEYS")[0]
    return keys.configured_keys("YIWANG_SIGNING_KEYS")[0]


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Keys that may have signed a head: from settings only, never from the database."""
    found = {}
    for setting in ("YIWANG_SIGNING_KEYS", "YIWANG_AUDIT_SIGNING_KEYS"):
        if setting == "YIWANG_SIGNING_KEYS" or getattr(settings, setting, ""):
            for pair in keys.configured_keys(setting):
                found[pair.key_id] = pair.public
    found.update(keys.parse_public_keys(getattr(settings, "YIWANG_AUDIT_PUBLIC_KEYS", "")))
    return found


def statement_of(anchor: AuditAnchor) -> bytes:
    return chain.head_statement(
        seq=anchor.seq,
        at=anchor.at,
        tree_size=anchor.tree_size,
        root=anchor.root,
        hash=anchor.hash,
    )


def head_as_dict(anchor: AuditAnchor) -> dict:
    """The public form of a signed head: what the file, the page and every copy hold."""
    return {
        "seq": anchor.seq,
        "at": chain.timestamp(anchor.at),
        "tree_size": anchor.tree_size,
        "root": anchor.root,
        "prev_hash": anchor.prev_hash,
        "hash": anchor.hash,
        "key_id": anchor.key_id,
        "signature": anchor.signature,
    }


def copy_signature_holds(head: dict, known: dict[str, Ed25519PublicKey]) -> bool:
    try:
        statement = chain.head_statement(
            seq=int(head["seq"]),
            at=str(head["at"]),
            tree_size=int(head["tree_size"]),
            root=str(head["root"]),
            hash=str(head["hash"]),
        )
    except (KeyError, TypeError, ValueError):
        return False
    return keys.verify_with(known.get(str(head.get("key_id"))), statement, head.get("signature"))


def export_path() -> Path | None:
    path = getattr(settings, "YIWANG_AUDIT_HEADS_FILE", "")
    return Path(path) if path else None


def read_copy(path: Path) -> list[dict]:
    """The heads in a copy (JSON lines); lines that are not JSON objects are left out."""
    heads = []
    if not path.exists():
        return heads
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict) and "seq" in value:
                heads.append(value)
    return heads


def export_heads() -> int:
    """Append to the export file every signed head it does not hold yet; returns how many.

    Opened in append mode only: the application never rewrites or truncates the file.
    """
    path = export_path()
    if path is None:
        return 0
    held = read_copy(path)
    last = max((int(head["seq"]) for head in held), default=0)
    fresh = AuditAnchor.objects.filter(seq__gt=last).exclude(signature="").order_by("seq")
    lines = [json.dumps(head_as_dict(anchor), sort_keys=True) + "\n" for anchor in fresh]
    if not lines:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.writelines(lines)
        handle.flush()
        os.fsync(handle.fileno())
    return len(lines)


def load_copies(paths: Iterable[Path]) -> list[tuple[str, dict]]:
    return [(str(path), head) for path in paths for head in read_copy(path)]
