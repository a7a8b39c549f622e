import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.audit.models import AuditRecord
from yiwang.cases.services import file_store
from yiwang.enterprise import front, selectors, services
from yiwang.enterprise.models import (
    Expert,
    FrontServiceRequest,
    ListEntry,
    SecretaryAssignment,
)
from yiwang.enterprise.panels import front_services_on_case
from yiwang.enterprise.subscribers import link_front_services
from yiwang.errors import Conflict, InvalidInput, PermissionRefused
from yiwang.events.models import Event
from yiwang.events.testing import deliver_pending
from yiwang.parties.models import Applicant
from yiwang.regions.models import Staff

pytestmark = pytest.mark.django_db


def test_a_new_secretary_ends_the_former_assignment_and_keeps_the_history(
    company, user_named, secretary_staff, freeze
):
    other = Staff.objects.get(user__username="clerk")
    other.roles.create(role="service_secretary")
    freeze("2026-10-12T09:00")
    services.secretary_assign(
        actor=user_named("leader"), applicant_id=company.pk, secretary_id=other.pk
    )
    history = list(SecretaryAssignment.objects.filter(applicant=company).order_by("starts_on"))
    assert [(a.secretary_id, a.starts_on, a.ends_on) for a in history] == [
        (secretary_staff.pk, datetime.date(2026, 9, 28), datetime.date(2026, 10, 12)),
        (other.pk, datetime.date(2026, 10, 12), None),
    ]
    assert (
        AuditRecord.objects.filter(
            action="secretary.assign", stream=f"enterprise:{company.pk}"
        ).count()
        == 2
    )


def test_assigning_the_same_secretary_again_is_refused(company, user_named, secretary_staff):
    with pytest.raises(Conflict) as refused:
        services.secretary_assign(
            actor=user_named("leader"), applicant_id=company.pk, secretary_id=secretary_staff.pk
        )
    assert refused.value.code == "already_secretary"
    assert SecretaryAssignment.objects.filter(applicant=company).count() == 1


def test_only_staff_with_the_secretary_role_can_be_assigned(company, user_named):
    reviewer = Staff.objects.get(user__username="reviewer")
    with pytest.raises(InvalidInput) as refused:
        services.secretary_assign(
            actor=user_named("leader"), applicant_id=company.pk, secretary_id=reviewer.pk
        )
    assert "secretary_id" in refused.value.fields


def test_a_clerk_may_not_assign_secretaries(company, user_named, secretary_staff):
    with pytest.raises(PermissionRefused):
        services.secretary_assign(
            actor=user_named("clerk"), applicant_id=company.pk, secretary_id=secretary_staff.pk
        )


@pytest.mark.parametrize(
    ("owner", "due_on", "field"),
    [
        (None, datetime.date(2026, 10, 9), "owner_id"),
        ("secretary", None, "due_on"),
        ("secretary", datetime.date(2026, 9, 1), "due_on"),
    ],
)
def test_a_list_entry_needs_an_owner_and_a_due_date(
    company, user_named, secretary_staff, owner, due_on, field
):
    with pytest.raises(InvalidInput) as refused:
        services.list_entry_add(
            actor=user_named("secretary"),
            applicant_id=company.pk,
            kind="problem",
            title="排水许可办理慢",
            owner_id=secretary_staff.pk if owner else None,
            due_on=due_on,
        )
    assert list(refused.value.fields) == [field]
    assert not ListEntry.objects.exists()


def test_the_enterprise_reports_a_problem_owned_by_its_secretary(
    company, user_named, secretary_staff
):
    entry = services.problem_report(
        actor=user_named("applicant"), applicant_id=company.pk, title="新址检测排期太长"
    )
    assert entry.owner == secretary_staff
    assert entry.kind == "problem" and entry.reported_by_enterprise
    # Five working days from Monday 28 September: 29, 30 Sep, 8, 9 Oct and the make-up Saturday.
    assert entry.due_on == datetime.date(2026, 10, 10)


def test_an_enterprise_without_a_secretary_is_told_so(services_demo, user_named):
    other = Applicant.objects.get(name="大连中山仁和医院")
    user = user_named("applicant")
    from yiwang.parties.services import representation_grant

    representation_grant(actor=user_named("admin"), user=user, applicant=other, capacity="agent")
    user = user_named("applicant")
    with pytest.raises(Conflict) as refused:
        services.problem_report(actor=user, applicant_id=other.pk, title="问题")
    assert refused.value.code == "no_secretary"


def test_the_secretary_sees_overdue_entries_until_they_are_done(
    company, user_named, secretary_staff, freeze
):
    entry = services.list_entry_add(
        actor=user_named("secretary"),
        applicant_id=company.pk,
        kind="done_for",
        title="协调加急检测",
        owner_id=secretary_staff.pk,
        due_on=datetime.date(2026, 9, 30),
    )
    assert list(selectors.entries_overdue_for(user_named("secretary"))) == []
    freeze("2026-10-08T09:00")
    assert list(selectors.entries_overdue_for(user_named("secretary"))) == [entry]
    services.list_entry_update(
        actor=user_named("secretary"), entry_id=entry.pk, status="done", note="检测报告已出具"
    )
    entry.refresh_from_db()
    assert entry.closed_on == datetime.date(2026, 10, 8)
    assert "2026-10-08 检测报告已出具" in entry.notes
    assert list(selectors.entries_overdue_for(user_named("secretary"))) == []


# Front services -----------------------------------------------------------------------------


def _request(user_named, clinic, kind="drawing_review", item_code="010010010000"):
    return front.front_service_request(
        actor=user_named("applicant"),
        applicant_id=clinic.pk,
        item_code=item_code,
        kind=kind,
        description="拟设口腔诊所，4 张牙椅",
    )


def test_a_front_service_not_offered_for_the_item_is_refused(clinic, user_named):
    with pytest.raises(InvalidInput) as refused:
        _request(user_named, clinic, kind="site_selection", item_code="010010050000")
    assert refused.value.code == "not_offered"
    assert not FrontServiceRequest.objects.exists()


def test_an_expert_is_assigned_once_and_records_advice_with_files(clinic, user_named, tmp_path):
    request = _request(user_named, clinic)
    expert = Expert.objects.get(user__username="expert")
    front.front_service_assign(
        actor=user_named("secretary"), request_id=request.pk, expert_id=expert.pk
    )
    other = Expert.objects.exclude(pk=expert.pk).first()
    with pytest.raises(Conflict) as refused:
        front.front_service_assign(
            actor=user_named("secretary"), request_id=request.pk, expert_id=other.pk
        )
    assert refused.value.code == "expert_already_assigned"
    with pytest.raises(PermissionRefused):
        front.front_service_advise(actor=user_named("reviewer"), request_id=request.pk, text="越权")
    drawing = file_store(
        actor=user_named("expert"),
        upload=SimpleUploadedFile(
            "平面图-批注.pdf", b"%PDF-1.4 marked", content_type="application/pdf"
        ),
    )
    advice = front.front_service_advise(
        actor=user_named("expert"),
        request_id=request.pk,
        text="诊室与消毒间应分区，污物通道单独设置。",
        files=[drawing],
    )
    request.refresh_from_db()
    assert (request.status, request.expert) == ("advised", expert)
    assert [f.original_name for f in advice.files.all()] == ["平面图-批注.pdf"]


def test_filing_links_the_front_services_and_the_reviewer_sees_the_advice(clinic, user_named, rf):
    from yiwang.appointments.tests.factories import file_case

    request = _request(user_named, clinic)
    expert = Expert.objects.get(user__username="expert")
    front.front_service_assign(
        actor=user_named("secretary"), request_id=request.pk, expert_id=expert.pk
    )
    front.front_service_advise(
        actor=user_named("expert"), request_id=request.pk, text="候诊区面积应不少于 20 平方米。"
    )
    case = file_case(actor=user_named("applicant"), applicant=clinic, item_code="010010010000")
    # The filing published case.filed; its delivery ties the request to the case.
    deliver_pending()
    request.refresh_from_db()
    assert request.case == case
    # Delivered again (at least once): nothing more is linked.
    event = Event.objects.filter(name="case.filed", payload__case_id=case.pk).first() or Event(
        id=uuid.uuid4(),
        name="case.filed",
        payload={"case_id": case.pk, "applicant_id": clinic.pk, "item_code": "010010010000"},
    )
    link_front_services(event)
    assert AuditRecord.objects.filter(action="front_service.link").count() == 1
    page = rf.get("/")
    page.user = user_named("reviewer")
    html = front_services_on_case(page, case=case)
    assert "候诊区面积应不少于 20 平方米。" in html and "高建平" in html


def test_the_case_panel_shows_nothing_without_front_services(services_demo, user_named, rf):
    from yiwang.appointments.tests.factories import file_case

    other = Applicant.objects.get(name="大连滨海健康管理有限公司")
    case = file_case(actor=user_named("applicant"), applicant=other, item_code="010040010000")
    page = rf.get("/")
    page.user = user_named("reviewer")
    assert front_services_on_case(page, case=case) is None
