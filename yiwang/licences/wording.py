"""How a licence's history reads to people: who did what, in a sentence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.regions.naming import actor_name

CHANGE_SAID = {
    "issue": _("issued the licence"),
    "import": _("imported the licence into the register"),
    "confirm": _("confirmed the provisional licence"),
    "withdraw": _("withdrew the licence"),
    "revoke": _("revoked the licence"),
    "suspend": _("suspended the licence"),
    "reinstate": _("reinstated the licence"),
    "expire": _("marked the licence expired"),
    "cancel": _("cancelled the licence"),
    "deemed_renewed": _("renewed the licence by law (Art. 50)"),
    "renewal": _("renewed the licence"),
    "change": _("changed the licence"),
    "cancellation": _("cancelled the licence on the holder's application"),
    "revocation": _("revoked the licence on a decision"),
    "verification": _("recorded the verification"),
    "verification_due": _("opened the verification due"),
    "verification_exemption_ends": _("ended the verification exemption"),
    "verification_passed": _("passed the verification"),
    "verification_deferred": _("deferred the verification"),
    "verification_failed": _("failed the verification"),
    "apply_renewal": _("applied for renewal"),
    "apply_change": _("applied for a change"),
    "apply_cancellation": _("applied for cancellation"),
    "apply_revocation": _("filed a revocation"),
    "apply_verification": _("applied for verification"),
}


def change_sentence(event) -> str:
    said = CHANGE_SAID.get(event.action)
    return f"{actor_name(event.actor)} {said if said is not None else event.action}"
