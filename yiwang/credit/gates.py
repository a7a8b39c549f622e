"""What an applicant's credit allows (信用承诺, 容缺受理 for the trustworthy; none for the
untrustworthy): A grades see notification-commitment and tolerance first; D grades and the
black list may use neither (seed 004: "A-grade holders get priority, tolerance acceptance and
notification-commitment; black-listed ones lose them").

An item version may ask more: `procedure_grades` names, per procedure, the lowest grade that
may use it and the legal basis (seed 004 offers commitment to A-graded medical institutions).
Callers that know the version pass it; without it only the general rules apply.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.errors import Conflict

TRUST_PROCEDURES = ("commitment", "tolerance")
GRADE_ORDER = ("A", "B", "C", "D")


def _grade_condition(version, procedure: str) -> dict | None:
    conditions = getattr(version, "procedure_grades", None) or {}
    return conditions.get(procedure)


def refusal(applicant, procedure: str, version=None):
    """The reason this applicant may not use this procedure, or None."""
    if procedure not in TRUST_PROCEDURES and _grade_condition(version, procedure) is None:
        return None
    if applicant.black_listed:
        return _("Applicants on the black list cannot use notification-commitment or tolerance.")
    if applicant.credit_grade == "D":
        return _(
            "Applicants graded D cannot use notification-commitment or tolerance; "
            "apply by the standard procedure."
        )
    condition = _grade_condition(version, procedure)
    if condition is not None:
        lowest = condition["min_grade"]
        if GRADE_ORDER.index(applicant.credit_grade) > GRADE_ORDER.index(lowest):
            return _(
                "This item offers this procedure to applicants graded %(grade)s or better "
                "(%(basis)s); your grade is %(current)s."
            ) % {
                "grade": lowest,
                "basis": condition.get("legal_basis", ""),
                "current": applicant.credit_grade,
            }
    return None


def require_allowed(applicant, procedure: str, version=None) -> None:
    reason = refusal(applicant, procedure, version)
    if reason:
        raise Conflict(reason, code="credit_gate", fields={"procedure": reason})


def offered(applicant, allowed: list[str], version=None) -> list[str]:
    """The procedures to offer, in the order shown: trust procedures first for A grades."""
    usable = [p for p in allowed if refusal(applicant, p, version) is None]
    if applicant.credit_grade == "A" or applicant.red_listed:
        return sorted(usable, key=lambda p: (p not in TRUST_PROCEDURES, usable.index(p)))
    return usable
