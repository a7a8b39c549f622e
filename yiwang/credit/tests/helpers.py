"""Small builders the credit tests share."""

import datetime
import itertools

from yiwang.credit.services import fact_record

_numbers = itertools.count(1)


def fact(w, applicant, kind, severity="minor", *, department=None, on=None, **extra):
    """Record one fact about `applicant` as its department would send it."""
    recorded, _created = fact_record(
        actor=w.admin,
        department=department or w.health,
        entity_code=applicant.code,
        kind=kind,
        severity=severity,
        occurred_on=on or datetime.date(2026, 2, 2),
        source_document=f"大连卫监〔2026〕{next(_numbers)}号",
        record_id=extra.pop("record_id", f"t-{next(_numbers)}"),
        **extra,
    )
    return recorded


def grade_a(w, applicant):
    """Two confirmed commitments: 80 + 5 + 5 = 90, the lowest A of the demo score card; the
    department says they count until the end of 2028."""
    for _ in range(2):
        fact(w, applicant, "commitment_kept", valid_until=datetime.date(2028, 12, 31))
    applicant.refresh_from_db()
    assert applicant.credit_grade == "A"
    return applicant
