"""The four lists of inclusive-prudent enforcement (包容审慎: no-penalty, lighter, mitigated,
no-compulsory-measure) as supervision proposes and applies them on a violation. The lists are
the credit app's versioned, dated data; this module only reads them (supervision is above
credit) and checks that the entry applied is one that was proposed."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from yiwang.credit.models import InclusiveMeasure
from yiwang.credit.rules import INCLUSIVE_LISTS
from yiwang.credit.selectors import inclusive_measures_for
from yiwang.errors import invalid_field

NOT_PROPOSED = _(
    "The list entry applied must be one of the entries proposed for this violation type "
    "(the four lists in force on the day)."
)


def violation_kinds_in_force(*, on: datetime.date) -> list[tuple[str, str]]:
    """(violation type, its wording) of every type that has an entry in force on `on`."""
    rows = (
        InclusiveMeasure.objects.filter(valid_from__lte=on)
        .exclude(valid_until__lt=on)
        .order_by("violation_kind", "pk")
        .values_list("violation_kind", "violation")
    )
    kinds: dict[str, str] = {}
    for kind, violation in rows:
        kinds.setdefault(kind, violation)
    return list(kinds.items())


def proposal_body(measure: InclusiveMeasure) -> dict:
    return {
        "id": measure.pk,
        "list": measure.list_kind,
        "list_label": str(INCLUSIVE_LISTS.get(measure.list_kind, measure.list_kind)),
        "violation": measure.violation,
        "conditions": list(measure.conditions),
        "legal_basis": measure.legal_basis,
        "list_version": measure.list_version,
    }


def proposals_for(*, violation_kind: str, on: datetime.date) -> list[dict]:
    """The entries of the four lists that match the violation type, no-penalty first."""
    if not violation_kind:
        return []
    return [proposal_body(m) for m in inclusive_measures_for(violation_kind=violation_kind, on=on)]


def applied_measure(*, proposals: list[dict], measure_id: Any) -> InclusiveMeasure | None:
    """The entry applied, which must be among the proposals (none applied: None)."""
    if measure_id in (None, ""):
        return None
    try:
        wanted = int(str(measure_id))
    except ValueError:
        raise invalid_field("inclusive_measure", NOT_PROPOSED, code="not_proposed") from None
    if wanted not in {proposal["id"] for proposal in proposals}:
        raise invalid_field("inclusive_measure", NOT_PROPOSED, code="not_proposed")
    return InclusiveMeasure.objects.get(pk=wanted)


def entry_title(measure: InclusiveMeasure) -> str:
    return f"{INCLUSIVE_LISTS.get(measure.list_kind, measure.list_kind)}：{measure.violation}"
