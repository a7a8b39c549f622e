"""Periodic verification (校验): periods by beds and category, reminders, outcomes."""

import datetime

import pytest

from yiwang.errors import Conflict, InvalidInput
from yiwang.licences import reminders
from yiwang.licences.models import LicenceReminder, Status, Verification, VerificationPeriod
from yiwang.licences.tests.factories import make_licence
from yiwang.licences.verification import period_years, verification_decide
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db
D = datetime.date


def test_three_years_from_100_beds_one_year_below(demo):
    assert period_years(Applicant.objects.get(name="大连中山仁和医院")) == 3  # 260 beds
    assert period_years(Applicant.objects.get(name="大连恒爱护理院")) == 3  # 150 beds
    assert period_years(Applicant.objects.get(name="大连康桥妇产医院")) == 1  # 80 beds
    assert period_years(Applicant.objects.get(name="大连海滨口腔诊所")) == 1  # no beds


def test_the_statute_applies_without_configured_periods(demo):
    VerificationPeriod.objects.all().delete()
    assert period_years(Applicant.objects.get(name="大连西岗康宁医院")) == 3  # 120 beds
    assert period_years(Applicant.objects.get(name="大连天津街社区卫生服务中心")) == 1  # 30


def test_a_category_can_have_its_own_period(demo):
    VerificationPeriod.objects.create(category="护理院", min_beds=0, years=2)
    assert period_years(Applicant.objects.get(name="大连恒爱护理院")) == 2
    assert period_years(Applicant.objects.get(name="大连中山仁和医院")) == 3


def test_first_verification_is_due_one_period_after_issue(freeze, demo):
    freeze("2026-09-28")
    hospital = make_licence(
        holder="大连中山仁和医院", valid_from=D(2026, 3, 1), valid_until=D(2031, 2, 28)
    )
    clinic = make_licence(valid_from=D(2026, 3, 1), valid_until=D(2031, 2, 28))
    assert hospital.verification_due == D(2029, 3, 1)
    assert clinic.verification_due == D(2027, 3, 1)


def _open_clinic_verification(freeze):
    licence = make_licence(valid_from=D(2025, 11, 1), valid_until=D(2030, 10, 31))
    assert licence.verification_due == D(2026, 11, 1)
    freeze("2026-10-05")  # within 30 days of the due date
    assert reminders.open_due_verifications() >= 1  # the demo's licences may be due too
    assert reminders.open_due_verifications() == 0
    assert licence.verifications.filter(outcome="open").count() == 1
    assert LicenceReminder.objects.filter(licence=licence, kind="verification").exists()
    return licence, licence.verifications.get(outcome="open")


def test_passed_moves_the_next_verification_one_period_on(freeze, demo, user_named):
    licence, verification = _open_clinic_verification(freeze)
    verification_decide(actor=user_named("reviewer"), verification=verification, outcome="passed")
    licence.refresh_from_db()
    assert licence.verification_due == D(2027, 11, 1)
    with pytest.raises(Conflict):
        verification_decide(
            actor=user_named("reviewer"), verification=verification, outcome="passed"
        )


def test_deferral_lasts_one_to_six_months(freeze, demo, user_named):
    licence, verification = _open_clinic_verification(freeze)
    for months in (None, 0, 7):
        with pytest.raises(InvalidInput):
            verification_decide(
                actor=user_named("reviewer"),
                verification=verification,
                outcome="deferred",
                deferral_months=months,
            )
    verification_decide(
        actor=user_named("reviewer"),
        verification=verification,
        outcome="deferred",
        deferral_months=3,
        note="整改",
    )
    licence.refresh_from_db()
    assert licence.verification_due == D(2027, 1, 5)  # 3 months from the decision
    assert Verification.objects.get(pk=verification.pk).deferral_months == 3


def test_failed_verification_cancels_the_practice_licence(freeze, demo, user_named):
    licence, verification = _open_clinic_verification(freeze)
    verification_decide(actor=user_named("approver"), verification=verification, outcome="failed")
    licence.refresh_from_db()
    assert licence.status == Status.CANCELLED and licence.verification_due is None


def test_issuing_a_verification_case_records_it_passed(freeze, demo, user_named, decide):
    from yiwang.cases.licence_cases import licence_apply

    licence, verification = _open_clinic_verification(freeze)
    link = licence_apply(
        actor=user_named("applicant"),
        licence=licence,
        purpose="verification",
        form={"contact_name": "王明", "contact_phone": "13800000000"},
        materials=[{"code": "M02", "from_elicence": True}],
    )
    decide(link.case)
    verification.refresh_from_db()
    licence.refresh_from_db()
    assert verification.outcome == "passed" and verification.case_id == link.case_id
    assert licence.verification_due == D(2027, 11, 1)
