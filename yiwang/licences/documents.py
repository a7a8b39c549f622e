"""The e-licence PDF: its elements in Chinese, a QR code to the public verification page, and
the signed content with its signature, printed and attached (`signature.json`) for offline checks.

WeasyPrint with Debian's fonts-noto-cjk; libharfbuzz-subset0 makes the CJK font subsetting
fast (~0.3 s a page instead of ~14 s). Run by the task worker, never in a request.
"""

from __future__ import annotations

import hashlib
import json

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.licences import signing
from yiwang.licences.models import Licence, LicenceDocument


def verification_url(number: str) -> str:
    return f"{settings.PUBLIC_URL}/verify/{number}/"


def render_pdf(licence: Licence) -> bytes:
    # Loaded on first use: WeasyPrint needs Pango, which only PDF rendering should require.
    from weasyprint import HTML, Attachment  # noqa: PLC0415

    url = verification_url(licence.number)
    signed = json.loads(licence.signed_content)
    with translation.override("zh-hans"):
        html = render_to_string(
            "licences/document.html",
            {
                "licence": licence,
                "signed": signed,
                "url": url,
                "qr": segno.make(url, error="m").svg_data_uri(scale=4),
            },
        )
    proof = json.dumps(
        {
            "content": licence.signed_content,
            "signature": licence.signature,
            "signing_key_id": licence.signing_key_id,
            "algorithm": "Ed25519",
        },
        ensure_ascii=False,
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        attachments=[
            Attachment(
                string=proof,
                name="signature.json",
                description="Ed25519 signature of the licence's canonical content",
            )
        ],
    )


def licence_store_document(*, licence_id: int, version: int, content: bytes) -> Licence | None:
    """Keep the generated PDF of a version (the task worker calls this); a stale one is dropped."""
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        licence = Licence.objects.select_for_update().get(pk=licence_id)
        if licence.version != version:
            return None
        key_id, signature = signing.sign(bytes.fromhex(digest))
        licence.document.save(
            f"{licence.number}-v{version:03d}.pdf", ContentFile(content), save=False
        )
        licence.document_sha256 = digest
        licence.save(update_fields=["document", "document_sha256"])
        LicenceDocument.objects.get_or_create(
            sha256=digest,
            defaults={
                "licence": licence,
                "version": version,
                "signature": signature,
                "signing_key_id": key_id,
                "generated_at": clock.now(),
            },
        )
        audit_record(
            actor=None,
            action="licence.document",
            obj=licence,
            stream=f"licence:{licence.pk}",
            after={"version": version, "sha256": digest},
        )
    return licence
