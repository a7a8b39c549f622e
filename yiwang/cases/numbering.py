"""Case numbers: department, date, sequence — unique, readable, sortable, without gaps.

The sequence row of (department, day) is locked for the rest of the filing transaction, so
two concurrent filings wait for each other instead of skipping or repeating a number; a
rolled-back filing releases its number with its lock.
"""

import datetime

from django.db import IntegrityError, transaction

from yiwang.cases.models import CaseNumberSequence


def next_case_number(*, department, day: datetime.date) -> str:
    """Call inside the filing transaction."""
    sequence = _locked_sequence(department, day)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{department.region.code[:6]}-{department.pk:03d}-{day:%Y%m%d}-{sequence.last:05d}"


def _locked_sequence(department, day):
    queryset = CaseNumberSequence.objects.select_for_update()
    found = queryset.filter(department=department, day=day).first()
    if found:
        return found
    try:
        with transaction.atomic():
            CaseNumberSequence.objects.create(department=department, day=day, last=0)
    except IntegrityError:
        pass  # created by a concurrent filing; lock theirs
    return queryset.get(department=department, day=day)
