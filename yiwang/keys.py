"""The signing key store: Ed25519 keys that live outside the database.

Keys come from settings (the environment) as `<key id>:<base64 32-byte private seed>`
separated by commas; the first one signs. Without them (development) one key is generated once
into VAR_DIR/signing/, never committed. A bottom module: the audit log signs its heads with
these keys, the licence register its e-licences. Only the public halves may be written to the
database, and nothing that checks the audit log trusts a public key read from there.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

RAW = serialization.Encoding.Raw


@dataclass(frozen=True)
class SigningKeyPair:
    key_id: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def public_b64(self) -> str:
        raw = self.public.public_bytes(RAW, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self.private.sign(data)).decode()


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


def parse_public_keys(text: str) -> dict[str, Ed25519PublicKey]:
    """`<key id>:<base64 32-byte public key>,...`: retired keys that still verify old heads."""
    keys = {}
    for entry in (part.strip() for part in (text or "").split(",")):
        if not entry:
            continue
        key_id, _sep, raw = entry.partition(":")
        keys[key_id.strip()] = Ed25519PublicKey.from_public_bytes(base64.b64decode(raw.strip()))
    return keys


def configured_keys(setting: str = "YIWANG_SIGNING_KEYS") -> list[SigningKeyPair]:
    text = getattr(settings, setting, "") or ""
    if isinstance(text, list | tuple):
        text = ",".join(text)
    return parse_keys(text) or [development_key()]


def development_key() -> SigningKeyPair:
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


def verify_with(key: Ed25519PublicKey | None, data: bytes, signature: str) -> bool:
    if key is None or not signature:
        return False
    try:
        key.verify(base64.b64decode(signature), data)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
