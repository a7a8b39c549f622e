"""A complete filing: what commitment, first use and emergency listing need before they start."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.errors import InvalidInput


def require_complete(*, version, chosen) -> None:
    materials = {m.code: m for m in version.materials.all()}
    missing = [c for c in chosen if c.missing and materials[c.code].required]
    if missing:
        raise InvalidInput(
            _("This procedure needs a complete filing; missing: %(names)s.")
            % {"names": "、".join(c.name for c in missing)},
            code="incomplete",
            fields={f"materials.{c.code}": _("required") for c in missing},
        )


def record_signature(case, actor, default_text) -> None:
    """The signed commitment or promise, kept with the case (inside the filing transaction)."""
    case.commitment_signed_at = clock.now()
    case.commitment_signer = getattr(actor, "username", "")
    case.commitment_text = case.item_version.commitment_text or str(default_text)
    case.save(update_fields=["commitment_signed_at", "commitment_signer", "commitment_text"])
