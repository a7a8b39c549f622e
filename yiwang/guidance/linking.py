"""Linking supervision to the compliance guide: the violations an inspection's findings or a
penalty's legal basis name (by the violation's title, or by an article it cites, written as
`《法名》第N条` or `法名第N条`). Run by the subscribers; running twice links nothing more."""

from __future__ import annotations

from django.db import transaction

from yiwang import clock
from yiwang.guidance.compliance import current_version
from yiwang.guidance.models import Violation, ViolationLink


def _plain(text: str) -> str:
    return "".join(character for character in text if character not in "《》〈〉 \u3000")


def violations_matching(text: str) -> list[tuple[Violation, str]]:
    """(violation, what matched) for every violation of the current guide the text names."""
    plain = _plain(text or "")
    if not plain:
        return []
    found = []
    violations = Violation.objects.filter(version=current_version()).prefetch_related(
        "articles__law"
    )
    for violation in violations:
        if _plain(violation.title) in plain:
            found.append((violation, violation.title))
            continue
        for article in violation.articles.all():
            citation = _plain(f"{article.law.name}{article.number}")
            if citation in plain:
                found.append((violation, f"《{article.law.name}》{article.number}"))
                break
    return found


def link_subject(*, subject_kind: str, subject_id: int, text: str) -> int:
    matches = violations_matching(text)
    with transaction.atomic():
        created = 0
        for violation, matched_on in matches:
            _link, made = ViolationLink.objects.get_or_create(
                subject_kind=subject_kind,
                subject_id=subject_id,
                violation=violation,
                defaults={"matched_on": matched_on[:200], "created_at": clock.now()},
            )
            created += made
    return created


def links_of(*, subject_kind: str, subject_id: int):
    return (
        ViolationLink.objects.filter(subject_kind=subject_kind, subject_id=subject_id)
        .select_related("violation")
        .order_by("violation__code")
    )
