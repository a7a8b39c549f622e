"""Is this licence, or this PDF, what the commission issued? Read-only checks for the public
verification page and API.

A licence verifies when its signature holds over its signed content and the register's
elements still equal that content; the one allowed difference is an expiry date moved by an
applied dated policy (an endorsement, 加注), which is reported with the policy's name.
A PDF verifies when its SHA-256 is that of a document we generated and signed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from yiwang.licences import elicence, signing
from yiwang.licences.models import Licence, LicenceDocument, Policy, PolicyApplication


@dataclass
class Authenticity:
    licence: Licence | None
    signature_valid: bool
    endorsement: PolicyApplication | None = None
    document: LicenceDocument | None = None

    @property
    def is_superseded_document(self) -> bool:
        return bool(
            self.document and self.licence and self.document.version != self.licence.version
        )


def licence_authenticity(licence: Licence) -> Authenticity:
    if not licence.signed_content:
        return Authenticity(licence, False)
    holds = signing.verify(
        licence.signing_key_id, licence.signed_content.encode(), licence.signature
    )
    signed = json.loads(licence.signed_content)
    current = elicence.elements(licence)
    endorsement = None
    if current["valid_until"] != signed.get("valid_until"):
        endorsement = (
            PolicyApplication.objects.filter(
                licence=licence,
                undone=False,
                policy__state=Policy.State.APPLIED,
                after_valid_until=licence.valid_until,
            )
            .select_related("policy")
            .order_by("-policy__applied_at")
            .first()
        )
        if endorsement is not None:
            current = elicence.elements(licence, valid_until=_date(signed.get("valid_until")))
    matches = elicence.canonical(current) == licence.signed_content
    return Authenticity(licence, holds and matches, endorsement if matches else None)


def document_authenticity(content: bytes) -> Authenticity:
    """An uploaded PDF: one changed byte changes its SHA-256, and no signed document has it."""
    digest = hashlib.sha256(content).hexdigest()
    document = (
        LicenceDocument.objects.filter(sha256=digest)
        .select_related("licence__holder", "licence__item", "licence__department")
        .first()
    )
    if document is None:
        return Authenticity(None, False)
    holds = signing.verify(document.signing_key_id, bytes.fromhex(digest), document.signature)
    licence_check = licence_authenticity(document.licence)
    return Authenticity(
        document.licence,
        holds and licence_check.signature_valid,
        licence_check.endorsement,
        document,
    )


def _date(text):
    return datetime.date.fromisoformat(text) if text else None
