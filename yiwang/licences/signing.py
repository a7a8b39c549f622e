"""Ed25519 signatures of e-licences, with keys from settings and rotation by key id.

`YIWANG_SIGNING_KEYS` (setting, from the environment) lists keys as
`<key id>:<base64 32-byte private seed>` separated by commas; the first one signs. Every key
that ever signed has its public half stored in `SigningKey`, so after a rotation (a new key
first, the old one removed from the setting) old licences still verify. Without the setting
(development) a key is generated once into VAR_DIR/signing/, never committed. The key store
itself is `yiwang.keys` (the audit log signs its heads with the same store).
"""

from __future__ import annotations

import base64

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from yiwang import clock, keys
from yiwang.keys import SigningKeyPair, parse_keys
from yiwang.licences.models import SigningKey

__all__ = ["SigningKeyPair", "configured_keys", "parse_keys", "sign", "verify"]


def configured_keys() -> list[SigningKeyPair]:
    return keys.configured_keys("YIWANG_SIGNING_KEYS")


def current_key() -> SigningKeyPair:
    """The key that signs now; its public half is registered for verification later."""
    pair = configured_keys()[0]
    SigningKey.objects.get_or_create(
        key_id=pair.key_id,
        defaults={"public_key": pair.public_b64, "first_used_at": clock.now()},
    )
    return pair


def sign(data: bytes) -> tuple[str, str]:
    """(key id, base64 signature)."""
    pair = current_key()
    return pair.key_id, base64.b64encode(pair.private.sign(data)).decode()


def public_key(key_id: str) -> Ed25519PublicKey | None:
    stored = SigningKey.objects.filter(key_id=key_id).values_list("public_key", flat=True).first()
    if stored is None:
        pair = next((p for p in configured_keys() if p.key_id == key_id), None)
        return pair.private.public_key() if pair else None
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(stored))


def verify(key_id: str, data: bytes, signature: str) -> bool:
    key = public_key(key_id)
    if key is None or not signature:
        return False
    try:
        key.verify(base64.b64decode(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True
