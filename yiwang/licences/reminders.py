"""Daily licence work, decided from dates: deemed renewal (Art. 50), expiry, reminders.

"Today" is `clock.today()`. A licence's `valid_until` is its last valid day, so it expires on
the day after; a renewal case still undecided then makes it renewed by law (Art. 50).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef

from yiwang import clock
from yiwang.licences import rules, services
from yiwang.licences.models import (
    IN_FORCE,
    Licence,
    LicenceCase,
    LicenceReminder,
    Purpose,
    Verification,
)
from yiwang.licences.verification import verification_open


def _pending_renewals():
    return LicenceCase.objects.pending().filter(
        licence=OuterRef("pk"), purpose=Purpose.RENEWAL, applied_at__isnull=True
    )


def apply_deemed_renewals() -> int:
    today = clock.today()
    links = (
        LicenceCase.objects.undecided()
        .filter(
            purpose=Purpose.RENEWAL,
            applied_at__isnull=True,
            licence__status__in=IN_FORCE,
            licence__valid_until__lt=today,
        )
        .select_related("licence", "case")
    )
    count = 0
    for link in links:
        services.licence_deem_renewed(licence=link.licence, link=link)
        count += 1
    return count


def expire_licences() -> int:
    """In-force licences past their last day, with no renewal pending, become expired."""
    due = Licence.objects.filter(status__in=IN_FORCE, valid_until__lt=clock.today()).exclude(
        Exists(_pending_renewals())
    )
    count = 0
    for licence in due.iterator(chunk_size=500):
        services.licence_expire(licence=licence)
        count += 1
    return count


def remind_renewals() -> int:
    """90, 30 and 7 days before expiry, unless a renewal is already filed; once each."""
    today = clock.today()
    now = clock.now()
    created = 0
    for days in rules.RENEWAL_REMINDER_DAYS:
        day = today + datetime.timedelta(days=days)
        ids = (
            Licence.objects.filter(status__in=IN_FORCE, valid_until=day)
            .exclude(Exists(_pending_renewals()))
            .values_list("pk", flat=True)
        )
        reminders = [
            LicenceReminder(licence_id=pk, kind=f"renewal_{days}", for_date=day, created_at=now)
            for pk in ids.iterator(chunk_size=2000)
        ]
        created += len(LicenceReminder.objects.bulk_create(reminders, ignore_conflicts=True))
    return created


def open_due_verifications() -> int:
    """Verifications due within 30 days are opened, and the holder is reminded."""
    today = clock.today()
    horizon = today + datetime.timedelta(days=rules.VERIFICATION_REMINDER_DAYS)
    due = Licence.objects.filter(
        status__in=IN_FORCE, verification_due__isnull=False, verification_due__lte=horizon
    ).exclude(Exists(Verification.objects.filter(licence=OuterRef("pk"), outcome="open")))
    count = 0
    for licence in due.iterator(chunk_size=500):
        verification = verification_open(licence=licence)
        LicenceReminder.objects.get_or_create(
            licence=licence,
            kind="verification",
            for_date=verification.due_on,
            defaults={"created_at": clock.now()},
        )
        count += 1
    return count
