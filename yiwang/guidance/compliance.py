"""Reading the compliance guide (医疗领域监管合规指引, seed 004): the current edition's laws and
common violations, searched in Chinese by every term of the query.

PostgreSQL serves the search from a trigram index on `search_text` (pg_trgm, which handles
CJK text with a UTF-8 locale); SQLite scans the column with the same condition.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from yiwang.errors import NotFound
from yiwang.guidance.models import GuideVersion, Law, Violation


def current_version() -> GuideVersion | None:
    return GuideVersion.objects.order_by("-number").first()


def laws_current() -> QuerySet[Law]:
    version = current_version()
    return (
        Law.objects.filter(version=version).prefetch_related("articles").order_by("field", "code")
    )


def violations_search(*, query: str = "", item_code: str = "") -> QuerySet[Violation]:
    """Violations of the current edition matching every term of `query` (whitespace separates
    terms), those with a term in their title first; `item_code` keeps those of one item."""
    violations = Violation.objects.filter(version=current_version())
    terms = [term for term in (query or "").split() if term][:8]
    for term in terms:
        violations = violations.filter(search_text__icontains=term)
    if item_code:
        violations = violations.filter(item_codes_key__contains=f";{item_code};")
    if terms:
        violations = violations.annotate(
            in_title=Case(
                When(Q(title__icontains=terms[0]), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("in_title", "code")
    return violations.prefetch_related("articles__law")


def violation_get(code: str) -> Violation:
    violation = (
        Violation.objects.filter(version=current_version(), code=code)
        .prefetch_related("articles__law")
        .first()
    )
    if violation is None:
        raise NotFound(_("No violation of the current guide has this code."))
    return violation
