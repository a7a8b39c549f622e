"""Issuing from cases, numbers and identifiers, provisional licences, renewal, change, cancellation
and the deemed renewal of Art. 50, against the real 2026 calendar."""

import datetime

import pytest

from yiwang.audit.models import AuditRecord
from yiwang.cases import services as case_services
from yiwang.cases.licence_cases import licence_apply
from yiwang.errors import Conflict, InvalidInput
from yiwang.licences import elicence, reminders, services
from yiwang.licences.models import Licence, LicenceEvent, LicenceReminder, Status
from yiwang.licences.tests.factories import PUBLIC_PLACE, make_licence

pytestmark = pytest.mark.django_db
D = datetime.date
FORM = {"contact_name": "王明", "contact_phone": "13800000000"}


def test_issuing_a_case_creates_a_signed_licence_with_history_and_audit(
    freeze, issue_case, django_capture_on_commit_callbacks
):
    freeze("2026-09-28")
    licence = issue_case()
    assert licence.status == Status.VALID
    assert licence.valid_from == D(2026, 9, 28)
    assert licence.valid_until == D(2031, 9, 27)  # 5 years, the last day before the anniversary
    assert licence.number.startswith("111000000000022026")
    assert licence.case.licence_number == licence.number
    assert elicence.is_valid_identifier(licence.elicence_id)
    assert licence.elicence_id.startswith("1.2.156.3005.2.11100000000002.")
    assert licence.elicence_id.split(".")[-2] == "001"
    assert licence.verification_due == D(2027, 9, 28)  # a clinic without beds: every year
    assert LicenceEvent.objects.filter(licence=licence, action="issue").count() == 1
    assert AuditRecord.objects.filter(
        stream=f"licence:{licence.pk}", action="licence.issue"
    ).exists()
    assert services.licence_for_case(licence.case) == licence


def test_an_issued_licence_keeps_its_type_in_english_for_english_pages(freeze, issue_case):
    freeze("2026-09-28")
    licence = issue_case()
    version = licence.case.item_version
    assert (licence.licence_type, licence.licence_type_en) == (
        version.licence_type,
        "Medical institution practice licence",
    )


def test_numbers_are_unique_per_type_and_year(freeze, demo):
    freeze("2026-09-28")
    numbers = {
        make_licence(item_code=PUBLIC_PLACE, holder="大连星海游泳馆有限公司").number
        for _ in range(3)
    }
    assert len(numbers) == 3 and all(n.startswith("111000000000062026") for n in numbers)


def test_identifier_check_character_catches_a_changed_character():
    identifier = elicence.elicence_identifier(
        type_code="11100000000002",
        issuer_uscc="11210200MB1E7E6MX4",
        number="111000000000022026000001",
        version=1,
    )
    assert elicence.is_valid_identifier(identifier)
    assert not elicence.is_valid_identifier(identifier.replace("2026000001", "2026000002"))


def test_provisional_licence_is_confirmed_or_withdrawn(freeze, demo):
    freeze("2026-09-28")
    first = make_licence(status=Status.PROVISIONAL)
    assert services.licence_confirm(actor=None, licence=first).status == Status.VALID
    second = make_licence(status=Status.PROVISIONAL)
    with pytest.raises(InvalidInput):
        services.licence_withdraw(actor=None, licence=second, reason=" ")
    assert (
        services.licence_withdraw(actor=None, licence=second, reason="未按期补正").status
        == Status.REVOKED
    )
    with pytest.raises(Conflict):
        services.licence_confirm(actor=None, licence=second)
    assert Licence.objects.get(pk=second.pk).status == Status.REVOKED


def test_staff_outside_the_issuing_department_cannot_revoke(freeze, demo, user_named):
    freeze("2026-09-28")
    licence = make_licence()
    from yiwang.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        services.licence_act(
            actor=user_named("clerk"), licence=licence, action="revoke", reason="承诺不实"
        )
    revoked = services.licence_act(
        actor=user_named("approver"), licence=licence, action="revoke", reason="承诺不实"
    )
    assert revoked.status == Status.REVOKED


def _apply(user_named, licence, purpose, **form):
    return licence_apply(
        actor=user_named("applicant"),
        licence=licence,
        purpose=purpose,
        form={**FORM, **form},
        materials=[{"code": "M02", "from_elicence": True}],
    )


def test_renewal_outside_its_window_is_refused_and_files_nothing(freeze, demo, user_named):
    licence = make_licence(valid_until=D(2026, 10, 31))
    freeze("2026-09-30")  # the window opens 30 days before: 1 October
    with pytest.raises(InvalidInput) as refused:
        _apply(user_named, licence, "renewal")
    assert refused.value.code == "renewal_window" and "licence" in refused.value.fields
    freeze("2026-11-01")
    with pytest.raises(InvalidInput):
        _apply(user_named, licence, "renewal")
    assert not licence.cases.exists()


def test_renewal_inside_the_window_extends_by_the_validity_when_issued(
    freeze, demo, user_named, decide
):
    licence = make_licence(valid_until=D(2026, 10, 31))
    freeze("2026-10-08")
    link = _apply(user_named, licence, "renewal")
    assert link.case.item.code == "010990010000"
    with pytest.raises(Conflict):  # one open renewal at a time
        _apply(user_named, licence, "renewal")
    freeze("2026-10-12")
    case = decide(link.case)
    licence.refresh_from_db()
    assert case.licence_number == licence.number
    assert licence.valid_until == D(2031, 10, 31)
    assert licence.version == 2 and licence.elicence_id.split(".")[-2] == "002"
    assert licence.events.filter(action="renewal").exists()


def test_undecided_renewal_at_expiry_counts_as_granted(freeze, demo, user_named):
    """Art. 50: the department did not decide before expiry, so the renewal is deemed granted."""
    licence = make_licence(valid_until=D(2026, 10, 31))
    other = make_licence(holder="大连中山仁和医院", valid_until=D(2026, 10, 31))
    freeze("2026-10-20")
    link = _apply(user_named, licence, "renewal")
    freeze("2026-10-31")
    assert reminders.apply_deemed_renewals() == 0  # still its last valid day
    freeze("2026-11-01")
    assert reminders.apply_deemed_renewals() == 1
    assert reminders.expire_licences() == 1  # the one without a renewal case
    licence.refresh_from_db()
    other.refresh_from_db()
    assert licence.status == Status.VALID and licence.valid_until == D(2031, 10, 31)
    assert licence.deemed_renewed_on == D(2026, 11, 1)
    event = licence.events.get(action="deemed_renewed")
    assert "Art. 50" in event.note or "第五十条" in event.note
    assert other.status == Status.EXPIRED
    # Deciding the case later does not extend a second time.
    case_services.case_accept(actor=user_named("clerk"), case_id=link.case_id)
    case_services.case_approve(actor=user_named("approver"), case_id=link.case_id)
    case_services.case_issue(actor=user_named("approver"), case_id=link.case_id)
    licence.refresh_from_db()
    assert licence.valid_until == D(2031, 10, 31)


def test_withdrawn_renewal_lets_the_licence_expire(freeze, demo, user_named):
    licence = make_licence(valid_until=D(2026, 10, 31))
    freeze("2026-10-20")
    link = _apply(user_named, licence, "renewal")
    case_services.case_withdraw(actor=user_named("applicant"), case_id=link.case_id)
    freeze("2026-11-01")
    assert reminders.apply_deemed_renewals() == 0
    assert reminders.expire_licences() == 1
    assert Licence.objects.get(pk=licence.pk).status == Status.EXPIRED


def test_change_to_an_expired_licence_is_refused(freeze, demo, user_named):
    licence = make_licence(valid_until=D(2026, 10, 31))
    freeze("2026-11-02")
    with pytest.raises(Conflict) as refused:
        _apply(user_named, licence, "change", scope=["口腔科", "医学影像科"])
    assert refused.value.code == "licence_expired"
    assert not licence.cases.exists()


def test_change_updates_the_scope_as_a_new_version(freeze, demo, user_named, decide):
    freeze("2026-09-28")
    licence = make_licence()
    link = _apply(user_named, licence, "change", scope=["口腔科", "医学影像科"])
    decide(link.case)
    licence.refresh_from_db()
    assert licence.scope == ["口腔科", "医学影像科"] and licence.version == 2


def test_cancellation_at_the_holders_request(freeze, demo, user_named, decide):
    freeze("2026-09-28")
    licence = make_licence()
    link = _apply(user_named, licence, "cancellation")
    decide(link.case)
    assert Licence.objects.get(pk=licence.pk).status == Status.CANCELLED
    with pytest.raises(Conflict):
        _apply(user_named, licence, "renewal")


def test_renewal_reminders_go_out_90_30_and_7_days_before_once(freeze, demo):
    licence = make_licence(valid_until=D(2026, 12, 31))
    for day, kind in (
        ("2026-10-02", "renewal_90"),
        ("2026-12-01", "renewal_30"),
        ("2026-12-24", "renewal_7"),
    ):
        freeze(day)
        reminders.remind_renewals()
        reminders.remind_renewals()
        assert LicenceReminder.objects.filter(licence=licence, kind=kind).count() == 1
    assert LicenceReminder.objects.filter(licence=licence).count() == 3
