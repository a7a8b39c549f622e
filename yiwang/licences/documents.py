"""The e-licence PDF: its elements in Chinese, a QR code to the public verification page, and
the signed content with its signature, printed and attached (`signature.json`) for offline checks.

The Chinese font comes with the project (Noto Serif SC from the npm registry, installed by
`make setup` under node_modules) and is used by path, so a machine without system CJK fonts
prints the same licence; a missing font stops the rendering with the command that installs it.
libharfbuzz-subset0 (installed by the set-up when it runs as root) keeps subsetting fast.
Run by the event worker, never in a request.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.licences import signing
from yiwang.licences.models import Licence, LicenceDocument
from yiwang.licences.seal import seal_svg

FONT_FILES = {400: "400Regular/NotoSerifSC_400Regular.ttf", 700: "700Bold/NotoSerifSC_700Bold.ttf"}


class FontMissing(ImproperlyConfigured):
    """The licence font is not installed: rendering would print boxes instead of Chinese."""


def font_faces() -> str:
    """The @font-face rules of the licence font, by path; refuses when a file is missing."""
    folder = Path(settings.PDF_FONT_DIR)
    rules = []
    for weight, name in FONT_FILES.items():
        path = folder / name
        if not path.is_file():
            raise FontMissing(
                f"The licence font {path} is missing; run `npm ci` (or `make setup`) in "
                f"{settings.BASE_DIR} to install it."
            )
        rules.append(
            f'@font-face {{ font-family: "Yiwang Serif"; font-weight: {weight}; '
            f'src: url("{path.as_uri()}"); }}'
        )
    return "\n".join(rules)


def verification_url(number: str) -> str:
    return f"{settings.PUBLIC_URL}/verify/{number}/"


def render_pdf(licence: Licence) -> bytes:
    # Loaded on first use: WeasyPrint needs Pango, which only PDF rendering should require.
    from weasyprint import HTML, Attachment  # noqa: PLC0415
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    faces = font_faces()
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
                "font_faces": faces,
                "seal": seal_svg(signed["issuer"]["name"]),
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
        font_config=FontConfiguration(),
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
