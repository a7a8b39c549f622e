"""What an applicant's credit allows (信用承诺, 容缺受理 for the trustworthy; none for the
untrustworthy): A grades see notification-commitment and tolerance first; D grades and the
black list may use neither (seed 004: "A-grade holders get priority, tolerance acceptance and
notification-commitment; black-listed ones lose them")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.errors import Conflict

TRUST_PROCEDURES = ("commitment", "tolerance")


def refusal(applicant, procedure: str):
    """The reason this applicant may not use this procedure, or None."""
    if procedure not in TRUST_PROCEDURES:
        return None
    if applicant.black_listed:
        return _("Applicants on the black list cannot use notification-commitment or tolerance.")
    if applicant.credit_grade == "D":
        return _(
            "Applicants graded D cannot use notification-commitment or tolerance; "
            "apply by the standard procedure."
        )
    return None


def require_allowed(applicant, procedure: str) -> None:
    reason = refusal(applicant, procedure)
    if reason:
        raise Conflict(reason, code="credit_gate", fields={"procedure": reason})


def offered(applicant, allowed: list[str]) -> list[str]:
    """The procedures to offer, in the order shown: trust procedures first for A grades."""
    usable = [p for p in allowed if refusal(applicant, p) is None]
    if applicant.credit_grade == "A" or applicant.red_listed:
        return sorted(usable, key=lambda p: (p not in TRUST_PROCEDURES, usable.index(p)))
    return usable
