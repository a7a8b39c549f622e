"""The life of a case against the real 2026 calendar (Mid-autumn 9-25..27, National Day 10-1..7,
make-up Saturday 10-10)."""

import datetime

import pytest

from yiwang.audit.models import AuditRecord
from yiwang.cases import services
from yiwang.cases.engine.clocks import deadlines_of
from yiwang.cases.models import Case, Notification, TimelineEntry
from yiwang.cases.subscribers import write_step_notice
from yiwang.catalog.demo import example_answers
from yiwang.errors import Conflict, InvalidInput, NotFound, PermissionRefused
from yiwang.events.models import Event
from yiwang.events.testing import deliver_pending

pytestmark = pytest.mark.django_db
D = datetime.date


def deadlines(case, today):
    case = Case.objects.get(pk=case.pk)
    return deadlines_of(case, today)


def test_filing_numbers_pins_the_version_and_starts_the_acceptance_clock(freeze, file_case):
    freeze("2026-09-28")
    case = file_case()
    assert case.status == "received"
    assert case.number.endswith("-20260928-00001")
    assert case.item_version.version == 1
    assert case.department.name == "大连市卫生健康委员会"
    # 5 working days after Monday 28 September: 29, 30 Sep, 8, 9 Oct and make-up Saturday 10 Oct.
    assert deadlines(case, D(2026, 9, 28)).acceptance_due == D(2026, 10, 10)
    assert case.due_on == D(2026, 10, 10)
    deliver_pending()
    assert Notification.objects.filter(case=case, kind="received").exists()
    assert AuditRecord.objects.filter(stream=f"case:{case.pk}", action="case.receive").exists()


def test_the_applicant_is_told_from_the_step_event_once_it_has_committed(
    freeze, file_case, user_named
):
    """The inbox message of a step is written by the event's subscriber, not by the request
    that took the step (issue 19), and only once however often the event is delivered."""
    freeze("2026-09-28")
    case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    assert not Notification.objects.filter(case=case).exists()
    deliver_pending()
    accepted = Event.objects.get(name="case.accepted", subject_id=str(case.pk))
    assert accepted.payload["notice"] == "accepted"
    messages = Notification.objects.filter(case=case).order_by("pk")
    assert [(m.kind, m.event_id) for m in messages] == [
        ("received", Event.objects.get(name="case.filed", subject_id=str(case.pk)).pk),
        ("accepted", accepted.pk),
    ]
    assert messages[1].subject == f"您的申请 {case.number} 已受理"
    assert messages[1].recipient.username == "applicant"
    write_step_notice(accepted)
    assert Notification.objects.filter(case=case).count() == 2
    # The senders' events name the messages written, one event per step.
    notices = Event.objects.filter(name="case.notice", subject_id=str(case.pk))
    assert sorted(n.payload["notification_ids"] for n in notices) == [[m.pk] for m in messages]


def test_numbers_follow_each_other_without_gaps(freeze, file_case):
    freeze("2026-09-28")
    numbers = [file_case().number for _ in range(3)]
    assert [n[-5:] for n in numbers] == ["00001", "00002", "00003"]


def test_committed_and_statutory_clocks_start_at_acceptance(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case()
    freeze("2026-09-29")
    case = services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    assert case.accepted_on == D(2026, 9, 29)
    found = deadlines(case, D(2026, 9, 29))
    # Committed 7 (Dalian): 30 Sep, 8, 9, 10 (make-up), 12, 13, 14 Oct.
    assert found.committed_due == D(2026, 10, 14)
    assert found.statutory_due > found.committed_due
    assert case.due_on == D(2026, 10, 14)


def test_suspension_moves_the_due_date_by_the_suspended_working_days(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case()
    freeze("2026-09-29")
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    before = deadlines(case, D(2026, 9, 29))
    freeze("2026-10-09")
    suspended = services.case_suspend(
        actor=user_named("reviewer"), case_id=case.pk, kind="expert_review", reason="专家评审"
    )
    assert suspended.status == "suspended"
    during = deadlines(suspended, D(2026, 10, 12))
    assert during.committed_due is None and during.current.state == "suspended"
    freeze("2026-10-13")
    resumed = services.case_resume(actor=user_named("reviewer"), case_id=case.pk)
    assert resumed.status == "accepted"
    after = deadlines(resumed, D(2026, 10, 13))
    # Left out: 10 (make-up Saturday), 12 and 13 October: three working days.
    assert after.committed_due == D(2026, 10, 19)
    assert after.current.suspended == 3
    assert before.committed_due == D(2026, 10, 14)
    deliver_pending()
    assert Notification.objects.filter(case=case, kind__in=["suspended", "resumed"]).count() == 2


def test_one_extension_of_ten_working_days_only(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    statutory = deadlines(case, D(2026, 9, 28)).statutory_due
    extended = services.case_extend(
        actor=user_named("approver"), case_id=case.pk, reason="需现场核查"
    )
    assert extended.extension_days == 10
    from yiwang.workdays.calendar import add_working_days

    assert deadlines(extended, D(2026, 9, 28)).statutory_due == add_working_days(statutory, 10)[0]
    with pytest.raises(Conflict) as error:
        services.case_extend(actor=user_named("approver"), case_id=case.pk, reason="再次")
    assert error.value.code == "already_extended"


def test_reviewer_cannot_extend(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    with pytest.raises(PermissionRefused):
        services.case_extend(actor=user_named("reviewer"), case_id=case.pk, reason="x")
    assert Case.objects.get(pk=case.pk).extension_days == 0


def test_correction_notice_then_resubmission_restarts_acceptance(
    freeze, file_case, user_named, upload
):
    freeze("2026-09-28")
    case = file_case(missing=("M03",))
    assert case.materials.get(code="M03").missing
    services.case_request_correction(
        actor=user_named("clerk"),
        case_id=case.pk,
        items=[{"material_code": "M03", "reason": "缺少房屋产权证明"}],
    )
    case.refresh_from_db()
    assert case.status == "correction_requested"
    with pytest.raises(InvalidInput):
        services.case_resubmit(actor=user_named("applicant"), case_id=case.pk, materials=[])
    freeze("2026-10-08")
    resubmitted = services.case_resubmit(
        actor=user_named("applicant"),
        case_id=case.pk,
        materials=[{"code": "M03", "file_id": upload().pk}],
    )
    assert resubmitted.status == "received"
    assert resubmitted.submitted_on == D(2026, 10, 8)
    assert not resubmitted.materials.get(code="M03").missing
    notice = resubmitted.corrections.get()
    assert notice.answered_at is not None and notice.items[0]["material_code"] == "M03"
    # Five working days after 8 October: 9, 10 (make-up), 12, 13, 14.
    assert resubmitted.due_on == D(2026, 10, 14)


def test_deemed_acceptance_on_the_day_of_receipt(freeze, file_case):
    freeze("2026-09-28")
    case = file_case()
    freeze("2026-10-12")
    from yiwang.cases.tasks import apply_acceptance_deadline

    assert apply_acceptance_deadline.call() == 1
    case.refresh_from_db()
    assert case.status == "accepted" and case.deemed_accepted
    assert case.accepted_on == D(2026, 9, 28)
    entry = TimelineEntry.objects.filter(case=case, action="deem_accepted").get()
    assert "Art. 32" in entry.note or "第三十二条" in entry.note
    # Committed 7 from 28 September: 29, 30 Sep, 8, 9, 10, 12, 13 Oct.
    assert deadlines(case, D(2026, 10, 12)).committed_due == D(2026, 10, 13)


def test_acceptance_deadline_not_yet_passed_leaves_the_case(freeze, file_case):
    freeze("2026-09-28")
    case = file_case()
    freeze("2026-10-10")
    from yiwang.cases.tasks import apply_acceptance_deadline

    assert apply_acceptance_deadline.call() == 0
    assert Case.objects.get(pk=case.pk).status == "received"


def test_approve_then_issue_within_ten_working_days(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    services.case_review(
        actor=user_named("reviewer"), case_id=case.pk, opinion="材料齐全，符合条件"
    )
    freeze("2026-09-30")
    approved = services.case_approve(actor=user_named("approver"), case_id=case.pk, note="同意")
    assert approved.status == "approved" and approved.decided_on == D(2026, 9, 30)
    # Ten working days after 30 September: 8, 9, 10, 12..16, 19, 20 October.
    assert deadlines(approved, D(2026, 9, 30)).issue_due == D(2026, 10, 20)
    issued = services.case_issue(actor=user_named("approver"), case_id=case.pk)
    assert issued.status == "issued" and issued.licence_number


def test_denial_carries_reasons_and_rights(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    with pytest.raises(InvalidInput):
        services.case_deny(actor=user_named("approver"), case_id=case.pk, reason=" ")
    services.case_deny(actor=user_named("approver"), case_id=case.pk, reason="选址不符合规划")
    deliver_pending()
    message = Notification.objects.get(case=case, kind="denied")
    assert "选址不符合规划" in message.body
    assert "60" in message.body


def test_withdrawal_before_decision_only(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case()
    withdrawn = services.case_withdraw(
        actor=user_named("applicant"), case_id=case.pk, reason="不再需要"
    )
    assert withdrawn.status == "withdrawn"
    other = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=other.pk)
    services.case_approve(actor=user_named("approver"), case_id=other.pk)
    with pytest.raises(Conflict) as error:
        services.case_withdraw(actor=user_named("applicant"), case_id=other.pk)
    assert error.value.code == "not_allowed_now"


def test_action_not_allowed_now_changes_nothing(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case()
    records = AuditRecord.objects.count()
    with pytest.raises(Conflict):
        services.case_approve(actor=user_named("approver"), case_id=case.pk)
    assert Case.objects.get(pk=case.pk).status == "received"
    assert AuditRecord.objects.count() == records


def test_district_reviewer_cannot_act_on_city_cases(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    with pytest.raises((PermissionRefused, NotFound)):
        services.case_review(actor=user_named("xg_reviewer"), case_id=case.pk, opinion="x")


def test_refusal_needs_a_reason_and_closes_the_case(freeze, file_case, user_named):
    freeze("2026-09-28")
    case = file_case()
    with pytest.raises(InvalidInput) as error:
        services.case_refuse(actor=user_named("clerk"), case_id=case.pk, reason="")
    assert "reason" in error.value.fields
    refused = services.case_refuse(
        actor=user_named("clerk"),
        case_id=case.pk,
        reason="不属于本机关职权范围",
        legal_basis="《行政许可法》第三十二条第一款第二项",
    )
    assert refused.status == "refused" and refused.closed_on == D(2026, 9, 28)


def test_window_filing_counts_a_visit_and_online_counts_none(freeze, file_case, user_named):
    freeze("2026-09-28")
    online = file_case()
    at_window = file_case(username="clerk", channel="window")
    assert online.visits.count() == 0
    assert at_window.visits.count() == 1
    services.case_record_visit(actor=user_named("clerk"), case_id=online.pk, purpose="pickup")
    assert online.visits.get().purpose == "pickup"


def test_mail_filing_needs_a_tracking_number(freeze, file_case):
    freeze("2026-09-28")
    with pytest.raises(InvalidInput) as error:
        file_case(channel="mail")
    assert "postal_tracking_number" in error.value.fields
    case = file_case(channel="mail", postal_tracking_number="EMS1234567890")
    assert case.postal_tracking_number == "EMS1234567890"


def test_idempotency_key_returns_the_same_case(freeze, demo, clinic, user_named):
    freeze("2026-09-28")
    arguments = dict(
        actor=user_named("applicant"),
        item_code="010010020000",
        channel="online",
        form={"contact_name": "王明", "contact_phone": "138", **example_answers("010010020000")},
        materials=[],
        applicant_id=clinic.pk,
        idempotency_key="retry-1",
    )
    first, created = services.case_submit(**arguments)
    again, created_again = services.case_submit(**arguments)
    assert created and not created_again and first.pk == again.pk
    assert Case.objects.count() == 1


def test_unknown_material_code_and_missing_form_field_are_refused(freeze, demo, clinic, user_named):
    freeze("2026-09-28")
    base = dict(
        actor=user_named("applicant"),
        item_code="010010020000",
        channel="online",
        applicant_id=clinic.pk,
    )
    with pytest.raises(InvalidInput) as error:
        services.case_submit(
            **base,
            form={"contact_name": "王明", "contact_phone": "1", **example_answers("010010020000")},
            materials=[{"code": "M99", "missing": True}],
        )
    assert "materials.0.code" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        services.case_submit(**base, form={"contact_name": "王明"}, materials=[])
    assert "form.contact_phone" in error.value.fields
    assert Case.objects.count() == 0


def test_applicant_cannot_file_for_someone_it_does_not_represent(freeze, demo, user_named):
    from yiwang.parties.models import Applicant

    freeze("2026-09-28")
    stranger = Applicant.objects.get(name="大连西岗康宁医院")
    cases_before = Case.objects.count()
    # Refused as any permission is: the stranger lies outside the applicant's view, so it is
    # "not found" rather than a bad field that would confirm the id exists (issue 18).
    with pytest.raises(NotFound):
        services.case_submit(
            actor=user_named("applicant"),
            item_code="010010020000",
            channel="online",
            form={"contact_name": "a", "contact_phone": "1"},
            materials=[],
            applicant_id=stranger.pk,
        )
    assert Case.objects.count() == cases_before


def test_a_zhongshan_public_place_case_is_decided_by_the_district_bureau(
    freeze, file_case, user_named
):
    freeze("2026-09-28")
    case = file_case(item_code="010040010000")
    assert case.department.name == "中山区卫生健康局"
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    services.case_review(actor=user_named("zs_reviewer"), case_id=case.pk, opinion="符合条件")
    services.case_approve(actor=user_named("zs_approver"), case_id=case.pk, note="准予许可")
    case = services.case_issue(actor=user_named("zs_approver"), case_id=case.pk)
    assert case.status == "issued" and case.licence_number


def test_an_a_graded_applicant_goes_first_among_cases_due_the_same_day(
    freeze, file_case, clinic, user_named
):
    from yiwang.cases.selectors import case_queue_for
    from yiwang.parties.models import Applicant

    freeze("2026-09-28")
    Applicant.objects.filter(pk=clinic.pk).update(credit_grade="B")
    first = file_case()
    second = file_case()
    queue = list(case_queue_for(user_named("clerk")).values_list("pk", flat=True))
    assert queue.index(first.pk) < queue.index(second.pk)  # equals: first come, first served
    Applicant.objects.filter(pk=clinic.pk).update(credit_grade="A")
    third = file_case()  # filed while the applicant is A-graded
    assert third.applicant_priority == 0 and first.applicant_priority == 1
    queue = list(case_queue_for(user_named("clerk")).values_list("pk", flat=True))
    assert queue.index(third.pk) < queue.index(first.pk) < queue.index(second.pk)


def test_a_grade_change_reorders_the_applicants_open_cases_once_delivered(
    freeze, file_case, clinic, user_named
):
    from django.db import transaction

    from yiwang.cases.selectors import case_queue_for
    from yiwang.credit.grading import publish_grade_changes
    from yiwang.events.testing import deliver_pending
    from yiwang.parties.models import Applicant

    freeze("2026-09-28")
    other = Applicant.objects.exclude(pk=clinic.pk).filter(region=clinic.region).first()
    Applicant.objects.filter(pk=clinic.pk).update(credit_grade="B")
    first = file_case()
    second = file_case()
    Case.objects.filter(pk=first.pk).update(applicant=other)
    Applicant.objects.filter(pk=other.pk).update(credit_grade="B")
    refused = file_case()
    services.case_refuse(
        actor=user_named("clerk"), case_id=refused.pk, reason="不属于本机关职权范围"
    )
    deliver_pending()
    with transaction.atomic():  # what the credit pass does for an entity that moves up
        Applicant.objects.filter(pk=clinic.pk).update(credit_grade="A")
        publish_grade_changes([(clinic.pk, "B", "A")], version=1, actor=None)
    queue = list(case_queue_for(user_named("clerk")).values_list("pk", flat=True))
    assert queue.index(first.pk) < queue.index(second.pk)  # not yet delivered
    deliver_pending()
    queue = list(case_queue_for(user_named("clerk")).values_list("pk", flat=True))
    assert queue.index(second.pk) < queue.index(first.pk)
    assert Case.objects.get(pk=second.pk).applicant_priority == 0
    assert Case.objects.get(pk=first.pk).applicant_priority == 1
    assert Case.objects.get(pk=refused.pk).applicant_priority == 1  # closed: left as worked
    record = AuditRecord.objects.get(action="case.reprioritized")
    assert record.after == {"grade": "A", "priority": 0, "cases": 1}
    with transaction.atomic():  # and back down
        Applicant.objects.filter(pk=clinic.pk).update(credit_grade="C")
        publish_grade_changes([(clinic.pk, "A", "C")], version=1, actor=None)
    deliver_pending()
    queue = list(case_queue_for(user_named("clerk")).values_list("pk", flat=True))
    assert queue.index(first.pk) < queue.index(second.pk)
