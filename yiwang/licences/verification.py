"""Periodic verification (校验) of a medical institution's practice licence.

《医疗机构管理条例》第二十二条: every 3 years for an institution with 100 beds or more, every
year for the others; the periods are data (`VerificationPeriod`, per category and beds), with
the statute as the fallback. A verification is opened by the daily reminder task, decided by
staff (passed, deferred 1–6 months, failed), or passed when a verification case is issued.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.errors import Conflict, invalid_field
from yiwang.licences import rules
from yiwang.licences.history import record, state_of
from yiwang.licences.models import (
    IN_FORCE,
    Licence,
    Policy,
    Status,
    Verification,
    VerificationPeriod,
)
from yiwang.permissions import Action, require

STATUTE_BEDS = 100
STATUTE_YEARS_LARGE, STATUTE_YEARS_SMALL = 3, 1


def period_years(holder) -> int:
    """The verification period of an institution: its category's rule, else the general one."""
    beds = holder.beds or 0
    found = (
        VerificationPeriod.objects.filter(
            category__in=[holder.institution_category or "", ""], min_beds__lte=beds
        )
        .annotate(
            specific=Case(
                When(category="", then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("-specific", "-min_beds")
        .values_list("years", flat=True)
        .first()
    )
    if found is not None:
        return found
    return STATUTE_YEARS_LARGE if beds >= STATUTE_BEDS else STATUTE_YEARS_SMALL


def first_verification_due(licence: Licence) -> datetime.date:
    return rules.add_years(licence.valid_from, period_years(licence.holder))


def _onsite_review_on(day: datetime.date) -> bool:
    """False while an applied policy cancels on-site review in verification."""
    return not Policy.objects.filter(
        kind=Policy.Kind.NO_ONSITE_REVIEW,
        state=Policy.State.APPLIED,
        window_from__lte=day,
        window_to__gte=day,
    ).exists()


def verification_open(*, licence: Licence) -> Verification:
    """Open the due verification of a licence (the reminder task); one open at a time."""
    with transaction.atomic():
        licence = Licence.objects.select_for_update().get(pk=licence.pk)
        existing = licence.verifications.filter(outcome=Verification.Outcome.OPEN).first()
        if existing:
            return existing
        if licence.verification_due is None:
            raise Conflict(_("This licence has no verification due."), code="no_verification")
        verification = Verification.objects.create(
            licence=licence,
            due_on=licence.verification_due,
            created_at=clock.now(),
            onsite_review=_onsite_review_on(licence.verification_due),
        )
        record(
            licence,
            actor=None,
            action="verification_due",
            before=state_of(licence),
            data={
                "verification": verification.pk,
                "due_on": verification.due_on,
                "onsite_review": verification.onsite_review,
            },
        )
    return verification


def verification_decide(
    *,
    actor: Any,
    verification: Verification,
    outcome: str,
    deferral_months: int | None = None,
    note: str = "",
) -> Verification:
    """Passed: next period. Deferred (暂缓校验, 1–6 months): verified again after it.
    Failed: the practice licence is cancelled (注销)."""
    outcomes = Verification.Outcome
    if outcome not in (outcomes.PASSED, outcomes.DEFERRED, outcomes.FAILED):
        raise invalid_field("outcome", _("The outcome is passed, deferred or failed."))
    if outcome == outcomes.DEFERRED:
        if deferral_months is None or not 1 <= int(deferral_months) <= 6:
            raise invalid_field(
                "deferral_months", _("A deferral lasts from 1 to 6 months."), code="deferral"
            )
        deferral_months = int(deferral_months)
    else:
        deferral_months = None
    with transaction.atomic():
        verification = (
            Verification.objects.select_for_update()
            .select_related("licence__department__region")
            .get(pk=verification.pk)
        )
        require(actor, Action.LICENCE_VERIFICATION_DECIDE, verification)
        if verification.outcome != outcomes.OPEN:
            raise Conflict(_("This verification is already decided."), code="decided")
        licence = (
            Licence.objects.select_for_update()
            .select_related("holder")
            .get(pk=verification.licence_id)
        )
        _decide(actor, verification, licence, outcome, deferral_months, note)
    return verification


def _decide(actor, verification, licence, outcome, deferral_months, note, case=None) -> None:
    today = clock.today()
    before = state_of(licence)
    outcomes = Verification.Outcome
    if outcome == outcomes.PASSED:
        # The next period runs from the due date, however late the verification was done.
        licence.verification_due = rules.add_years(
            verification.due_on, period_years(licence.holder)
        )
    elif outcome == outcomes.DEFERRED:
        licence.verification_due = rules.add_months(today, deferral_months)
    else:
        licence.status = Status.CANCELLED
        licence.verification_due = None
    licence.save(update_fields=["verification_due", "status"])
    verification.outcome = outcome
    verification.deferral_months = deferral_months
    verification.decided_on = today
    verification.note = note
    verification.case = case or verification.case
    verification.save()
    record(
        licence,
        actor=actor,
        action=f"verification_{outcome}",
        before=before,
        note=note,
        case=case,
        data={"verification": verification.pk, "deferral_months": deferral_months},
    )


def verification_pass_for_case(*, actor: Any, licence: Licence, case) -> None:
    """A verification case issued: its licence passed (inside the issue transaction)."""
    if licence.status not in IN_FORCE:
        raise Conflict(_("Only a licence in force can be verified."), code="licence_not_in_force")
    verification = licence.verifications.filter(outcome=Verification.Outcome.OPEN).first()
    if verification is None:
        verification = Verification.objects.create(
            licence=licence,
            due_on=licence.verification_due or clock.today(),
            created_at=clock.now(),
            onsite_review=_onsite_review_on(clock.today()),
        )
    _decide(actor, verification, licence, Verification.Outcome.PASSED, None, "", case=case)
