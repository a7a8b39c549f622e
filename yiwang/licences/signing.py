"""Ed25519 signatures of e-licences, with keys from settings and rotation by key id.

`YIWANG_SIGNING_KEYS` (setting, from the environment) lists keys as
`<key id>:<base64 32-byte private seed>` separated by commas; the first one signs. Every key
that ever signed has its public half stored in `SigningKey`, so after a rotation (a new key
first, the old one removed from the setting) old licences still verify. Without the setting
(development) a key is generated once into VAR_DIR/signing/, never committed.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

from yiwang import clock
from yiwang.licences.models import SigningKey

RAW = serialization.Encoding.Raw


@dataclass(frozen=True)
class SigningKeyPair:
    key_id: str
    private: Ed25519PrivateKey

    @property
    def public_b64(self) -> str:
        raw = self.private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode()


def parse_keys(text: str) -> list[SigningKeyPair]:
    pairs = []
    for entry in (part.strip() for part in (text or "").split(",")):
        if not entry:
            continue
        key_id, _sep, seed = entry.partition(":")
        raw = base64.b64decode(seed.strip())
        if len(raw) != 32:
            raise ValueError(f"signing key {key_id!r}: the seed must be 32 bytes in base64")
        pairs.append(SigningKeyPair(key_id.strip(), Ed25519PrivateKey.from_private_bytes(raw)))
    return pairs


def configured_keys() -> list[SigningKeyPair]:
    text = getattr(settings, "YIWANG_SIGNING_KEYS", "") or ""
    if isinstance(text, list | tuple):
        text = ",".join(text)
    return parse_keys(text) or [_development_key()]


def _development_key() -> SigningKeyPair:
    folder = Path(settings.VAR_DIR) / "signing"
    path = folder / "dev.key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        seed = Ed25519PrivateKey.generate().private_bytes(
            RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        path.write_text("dev-" + seed.hex()[:8] + ":" + base64.b64encode(seed).decode())
        path.chmod(0o600)
    return parse_keys(path.read_text())[0]


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
