"""What this app does when supervision or the licence register reports something (domain
events, after commit)."""

from yiwang.events import subscriber
from yiwang.guidance.layout import OPERATING_ITEMS, counted_institutions_refresh
from yiwang.guidance.linking import link_subject


@subscriber("licence.issued", "licence.ended", "licence.changed")
def recount_holder(event) -> None:
    """A licence that shows an institution operating started, ended or changed (its scope, its
    status): the holder is counted again towards the specialties of the layout guidance."""
    payload = event.payload
    if payload.get("item_code") in OPERATING_ITEMS:
        counted_institutions_refresh([payload["holder_id"]])


@subscriber("inspection.concluded")
def link_inspection_findings(event) -> None:
    """An inspection that found problems points its findings at the guide's violations."""
    payload = event.payload
    if payload.get("outcome") == "compliant":
        return
    link_subject(
        subject_kind="inspection",
        subject_id=payload["inspection_id"],
        text=payload.get("findings_summary") or "",
    )


@subscriber("penalty.decided")
def link_penalty_basis(event) -> None:
    """A penalty points its legal basis at the violations that cite the same article."""
    payload = event.payload
    link_subject(
        subject_kind="penalty",
        subject_id=payload["penalty_id"],
        text=payload.get("legal_basis") or "",
    )
