"""Case numbers (办件编号): department, date, sequence — unique, readable, sortable.

The number is taken before the filing transaction, in a short transaction of its own that is
one statement (insert the department-day row or add one to it, returning the new value): the
row is locked only for that increment, so concurrent filings of one department never wait
for each other's whole filing. The price is gaps: a filing that fails after taking its number
leaves that number unused, and `case_number_void` writes an audit record saying which number
and why (docs/engine.md, "Case numbers"). A filing inside a caller's transaction (a licence
renewal that locks the licence) takes its number in that transaction: a rollback then returns
the number with everything else, and no gap appears.
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.db import connection, transaction

from yiwang.audit.services import audit_record
from yiwang.cases.models import CaseNumberSequence


def next_case_number(*, department, day: datetime.date) -> str:
    """The next number of (department, day). Outside a transaction the one statement commits
    by itself, so the row is locked for the increment alone."""
    table = CaseNumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (department_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (department_id, day) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [department.pk, day],
        )
        (last,) = cursor.fetchone()
    return f"{department.region.code[:6]}-{department.pk:03d}-{day:%Y%m%d}-{last:05d}"


@contextlib.contextmanager
def case_number_for_filing(*, actor: Any, department, day: datetime.date):
    """Take the number, then run the filing; if the filing fails, record the gap and re-raise."""
    number = next_case_number(department=department, day=day)
    try:
        yield number
    except BaseException as error:
        if not connection.in_atomic_block:  # inside a caller's transaction the number rolls back
            case_number_void(actor=actor, number=number, reason=type(error).__name__)
        raise


def case_number_void(*, actor: Any, number: str, reason: str) -> None:
    """A number taken by a filing that did not complete: audited, never given again."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="case.number_void",
            object_type="cases.case_number",
            object_id=number,
            stream=f"case_number:{number.rsplit('-', 1)[0]}",
            after={"number": number, "reason": reason},
        )
