"""Tasks from other apps' events, joint inspections, point to area, publication deadlines."""

import datetime
import uuid

import pytest

from yiwang.cases.models import CommitmentCheck
from yiwang.credit.models import CreditEvent
from yiwang.errors import Conflict, InvalidInput, PermissionRefused
from yiwang.events.models import Event
from yiwang.events.testing import deliver_pending
from yiwang.licences.models import Licence
from yiwang.regions.models import Department
from yiwang.supervision import inspections, outcomes, services, tasking
from yiwang.supervision.models import Inspection, LeaderAlert, Plan, Task
from yiwang.supervision.subscribers import open_complaint_check, open_post_approval_check
from yiwang.supervision.tests.factories import make_inspector

pytestmark = pytest.mark.django_db
D = datetime.date
PUBLIC_PLACE = "010040010000"


def event(name, payload):
    return Event(id=uuid.uuid4(), name=name, payload=payload, occurred_at=None)


@pytest.fixture
def commitment_case(freeze, file_case):
    freeze("2026-09-28")
    city = Department.objects.get(name="大连市卫生健康委员会")
    case = file_case(
        item_code=PUBLIC_PLACE,
        procedure="commitment",
        commitment_signed=True,
        department_id=city.pk,
    )
    return case, CommitmentCheck.objects.get(case=case)


def decided(case, check, **extra):
    return event(
        "case.decided",
        {
            "case_id": case.pk,
            "number": case.number,
            "procedure": "commitment",
            "outcome": "approved",
            "post_check_due": check.due_on.isoformat(),
            **extra,
        },
    )


def two_inspectors_on(task, user_named):
    tasking.task_join(actor=user_named("inspector1"), task_id=task.pk)
    tasking.task_join(actor=user_named("inspector2"), task_id=task.pk)


def test_a_commitment_case_gets_its_post_approval_task_once(commitment_case):
    case, check = commitment_case
    open_post_approval_check(decided(case, check))
    open_post_approval_check(decided(case, check))  # delivered twice: still one task
    task = Task.objects.get(kind="post_approval")
    assert task.case_id == case.pk and task.due_on == D(2026, 10, 30)
    assert task.entity_code == case.applicant.uscc
    open_post_approval_check(decided(case, check, procedure="standard"))
    assert Task.objects.count() == 1


def test_a_false_commitment_found_by_inspection_revokes_through_the_cases_service(
    commitment_case, user_named, freeze
):
    case, check = commitment_case
    open_post_approval_check(decided(case, check))
    task = Task.objects.get(kind="post_approval")
    two_inspectors_on(task, user_named)
    freeze("2026-10-12")
    outcomes.inspection_result(
        actor=user_named("inspector1"),
        task_id=task.pk,
        outcome="violation",
        findings="现场无承诺的消毒设施",
        legal_basis="《行政许可法》第六十九条",
        amount="0",
    )
    check.refresh_from_db()
    assert check.result == "false" and check.checked_on == D(2026, 10, 12)
    assert Licence.objects.get(case=case).status == "revoked"
    assert CreditEvent.objects.get(applicant=case.applicant).kind == "false_commitment"
    payload = Event.objects.get(name="inspection.concluded").payload
    assert payload["case_id"] == case.pk and payload["outcome"] == "violation"


def test_rectify_then_compliant_confirms_the_commitment(commitment_case, user_named, freeze):
    case, check = commitment_case
    open_post_approval_check(decided(case, check))
    task = Task.objects.get(kind="post_approval")
    two_inspectors_on(task, user_named)
    freeze("2026-10-12")
    first = outcomes.inspection_result(
        actor=user_named("inspector1"),
        task_id=task.pk,
        outcome="rectify",
        findings="公共用品消毒记录缺页",
        rectify_days=5,
    )
    check.refresh_from_db()
    assert check.result == "pending"
    # five working days after Monday 12 October 2026 → Monday 19 October
    assert first.rectify_due == D(2026, 10, 19)
    follow_up = Task.objects.get(kind="reinspection")
    assert follow_up.due_on == D(2026, 10, 19) and follow_up.source_inspection == first
    freeze("2026-10-19")
    outcomes.inspection_result(
        actor=user_named("inspector2"), task_id=follow_up.pk, outcome="compliant", findings="已整改"
    )
    check.refresh_from_db()
    assert check.result == "confirmed"
    assert CreditEvent.objects.get(applicant=case.applicant).kind == "commitment_kept"


def test_the_engines_case_decided_event_opens_the_task(commitment_case):
    """The case engine publishes `case.decided` when it decides on the commitment."""
    case, check = commitment_case
    event = Event.objects.get(name="case.decided", payload__case_id=case.pk)
    assert event.payload["procedure"] == "commitment"
    assert deliver_pending() >= 1
    task = Task.objects.get(kind="post_approval", case=case)
    assert task.due_on == check.due_on == D(2026, 10, 30)


def test_a_complaint_asks_for_an_inspection(demo, user_named, freeze):
    freeze("2026-09-28")
    hospital = tasking.Applicant.objects.get(name="大连中山仁和医院")
    city = Department.objects.get(name="大连市卫生健康委员会")
    payload = {
        "ticket_id": 77,
        "number": "12345-20260928-0001",
        "entity_id": hospital.pk,
        "entity_code": hospital.uscc,
        "department_id": city.pk,
        "reason": "群众反映夜间急诊无医师值守",
    }
    open_complaint_check(event("ticket.inspection_requested", payload))
    open_complaint_check(event("ticket.inspection_requested", payload))
    task = Task.objects.get(kind="complaint")
    assert task.source_ticket_id == 77 and task.reason == "群众反映夜间急诊无医师值守"
    two_inspectors_on(task, user_named)
    outcomes.inspection_result(
        actor=user_named("inspector1"), task_id=task.pk, outcome="compliant", findings="值班表齐全"
    )
    assert Event.objects.get(name="inspection.concluded").payload["source_ticket_id"] == 77


def test_a_joint_inspection_takes_each_departments_findings(demo, user_named, freeze):
    freeze("2026-09-28")
    make_inspector("yb_inspector", "21020000101", department="大连市医疗保障局")
    make_inspector("sc_inspector", "21020000201", department="大连市市场监督管理局")
    hospital = tasking.Applicant.objects.get(name="大连中山仁和医院")
    leader = user_named("leader")
    task = tasking.special_task_open(
        actor=leader, applicant_id=hospital.pk, reason="综合查一次", due_on=D(2026, 10, 16)
    )
    tasking.task_assign(actor=leader, task_id=task.pk, usernames=["inspector1", "inspector2"])
    partners = list(
        Department.objects.filter(name__in=["大连市医疗保障局", "大连市市场监督管理局"])
    )
    inspection = inspections.inspection_start(
        actor=user_named("inspector1"),
        task_id=task.pk,
        joint_department_ids=[department.pk for department in partners],
    )
    assert inspection.participations.count() == 3 and inspection.unannounced
    with pytest.raises(PermissionRefused):  # the approval bureau takes no part in it
        inspections.inspection_record_findings(
            actor=user_named("clerk"), inspection_id=inspection.pk, findings="x"
        )
    inspections.inspection_record_findings(
        actor=user_named("yb_inspector"), inspection_id=inspection.pk, findings="重复收费2例"
    )
    with pytest.raises(Conflict) as waiting:
        outcomes.inspection_result(
            actor=user_named("inspector1"), task_id=task.pk, outcome="compliant", findings="ok"
        )
    assert waiting.value.code == "findings_missing"
    inspections.inspection_record_findings(
        actor=user_named("sc_inspector"), inspection_id=inspection.pk, findings="价格公示规范"
    )
    done = outcomes.inspection_result(
        actor=user_named("inspector1"),
        task_id=task.pk,
        outcome="rectify",
        findings="医保重复收费需退还并整改",
        rectify_days=15,
    )
    parts = {
        p.department.name: p.findings for p in done.participations.select_related("department")
    }
    assert (
        parts["大连市医疗保障局"] == "重复收费2例"
        and parts["大连市市场监督管理局"] == "价格公示规范"
    )
    assert len(Event.objects.get(name="inspection.concluded").payload["departments"]) == 3


def test_a_taking_department_reads_the_inspection_through_its_inspectors_only(
    demo, user_named, freeze
):
    # Found by the authorization matrix: every member of a taking department read the
    # inspection, a catalogue administrator too, whom the table gives no sight of supervision.
    freeze("2026-09-28")
    make_inspector("yb_inspector", "21020000101", department="大连市医疗保障局")
    hospital = tasking.Applicant.objects.get(name="大连中山仁和医院")
    leader = user_named("leader")
    task = tasking.special_task_open(
        actor=leader, applicant_id=hospital.pk, reason="综合查一次", due_on=None
    )
    tasking.task_assign(actor=leader, task_id=task.pk, usernames=["inspector1", "inspector2"])
    partner = Department.objects.get(name="大连市医疗保障局")
    inspection = inspections.inspection_start(
        actor=user_named("inspector1"), task_id=task.pk, joint_department_ids=[partner.pk]
    )
    for reader in ("yb_inspector", "inspector2", "leader"):
        read = inspections.access_inspection(user=user_named(reader), inspection_id=inspection.pk)
        assert read.pk == inspection.pk
    with pytest.raises(PermissionRefused):
        inspections.access_inspection(user=user_named("catalogue"), inspection_id=inspection.pk)


def test_an_announced_visit_needs_a_reason(demo, user_named, freeze):
    freeze("2026-09-28")
    hospital = tasking.Applicant.objects.get(name="大连中山仁和医院")
    leader = user_named("leader")
    task = tasking.special_task_open(
        actor=leader, applicant_id=hospital.pk, reason="专项", due_on=None
    )
    tasking.task_assign(actor=leader, task_id=task.pk, usernames=["inspector1", "inspector2"])
    with pytest.raises(InvalidInput) as refused:
        inspections.inspection_start(
            actor=user_named("inspector1"), task_id=task.pk, unannounced=False
        )
    assert "announcement_reason" in refused.value.fields and not Inspection.objects.exists()


def test_a_violation_starts_a_point_to_area_draw_in_the_street(drawn_plan, user_named, freeze):
    task = Task.objects.filter(plan=drawn_plan, assignments__code="21020000001").first()
    inspector = user_named("inspector1")
    with pytest.raises(Conflict):
        inspection = outcomes.inspection_result(
            actor=inspector, task_id=task.pk, outcome="compliant", findings="ok"
        )
        outcomes.point_to_area_plan(
            actor=user_named("leader"),
            inspection_id=inspection.pk,
            area="street",
            ratios={"A": "1", "B": "1", "C": "1", "D": "1"},
        )
    # A task in the street (the draw is random: its first open task may be the hospital, which
    # is registered at district level, and the street's draw would then be the district's).
    other = Task.objects.filter(
        plan=drawn_plan,
        assignments__code="21020000001",
        status="open",
        region_code__startswith="210202003",
    ).first()
    violation = outcomes.inspection_result(
        actor=inspector,
        task_id=other.pk,
        outcome="violation",
        findings="超范围执业",
        legal_basis="《医疗机构管理条例》第四十六条",
        amount="3000",
    )
    leader = user_named("leader")
    plan = outcomes.point_to_area_plan(
        actor=leader,
        inspection_id=violation.pk,
        area="street",
        ratios={"A": "0.5", "B": "0.5", "C": "0.5", "D": "0.5"},
    )
    assert plan.kind == Plan.Kind.POINT_TO_AREA and plan.region.code == "210202003000"
    assert plan.licence_types == ["11100000000002"]
    services.plan_commit(actor=leader, plan_id=plan.pk)
    services.plan_draw(actor=leader, plan_id=plan.pk, witness="现场见证人 张三 39")
    tasks = Task.objects.filter(plan=plan)
    # the street holds the 40 institutions and the demo clinic (grade B): 5 + 6 + 5 + 5
    assert tasks.count() == 21 and {t.kind for t in tasks} == {"point_to_area"}
    assert all(t.region_code.startswith("210202003") for t in tasks)


def test_unpublished_results_are_flagged_once_after_twenty_working_days(
    drawn_plan, user_named, freeze
):
    task = Task.objects.filter(plan=drawn_plan, assignments__code="21020000001").first()
    inspection = outcomes.inspection_result(
        actor=user_named("inspector1"), task_id=task.pk, outcome="compliant", findings="符合要求"
    )
    # concluded Monday 2 March 2026: 20 working days → Monday 30 March
    assert inspection.publish_due == D(2026, 3, 30)
    assert outcomes.publication_flag_overdue(today=D(2026, 3, 30)) == 0
    assert outcomes.publication_flag_overdue(today=D(2026, 3, 31)) == 1
    assert outcomes.publication_flag_overdue(today=D(2026, 4, 1)) == 0
    alert = LeaderAlert.objects.get()
    assert alert.department == inspection.department and alert.resolved_on is None
    freeze("2026-04-01")
    outcomes.inspection_publish(actor=user_named("leader"), inspection_id=inspection.pk)
    alert.refresh_from_db()
    assert alert.resolved_on == D(2026, 4, 1)
    with pytest.raises(Conflict):
        outcomes.inspection_publish(actor=user_named("leader"), inspection_id=inspection.pk)


def test_publication_level_warns_then_goes_overdue(drawn_plan, user_named, freeze):
    from yiwang.supervision.selectors import publication_level

    task = Task.objects.filter(plan=drawn_plan, assignments__code="21020000001").first()
    inspection = outcomes.inspection_result(
        actor=user_named("inspector1"), task_id=task.pk, outcome="compliant", findings="符合要求"
    )
    assert publication_level(inspection, D(2026, 3, 3)) == "normal"
    assert publication_level(inspection, D(2026, 3, 26)) == "warning"
    assert publication_level(inspection, D(2026, 3, 31)) == "overdue"


def test_panels_show_inspections_on_the_licence_and_the_post_check_on_the_case(
    commitment_case, user_named
):
    from django.test import RequestFactory

    from yiwang.panels import render_panels

    case, check = commitment_case
    open_post_approval_check(decided(case, check))
    request = RequestFactory().get("/")
    request.user = user_named("inspector1")
    [case_panel] = [
        html for html in render_panels("case.detail", request, case=case) if "post-check" in html
    ]
    assert "告知承诺事后核查" in case_panel and "2026-10-30" in case_panel
    licence = Licence.objects.get(case=case)
    html = "".join(render_panels("licence.detail", request, licence=licence))
    assert "supervision-inspections" in html
    request.user = user_named("applicant")
    assert not [h for h in render_panels("case.detail", request, case=case) if "post-check" in h]


def test_the_daily_job_flags_overdue_results(drawn_plan, user_named, freeze):
    from yiwang.supervision.tasks import flag_overdue_publications

    task = Task.objects.filter(plan=drawn_plan, assignments__code="21020000001").first()
    outcomes.inspection_result(
        actor=user_named("inspector1"), task_id=task.pk, outcome="compliant", findings="符合要求"
    )
    freeze("2026-03-31")
    assert flag_overdue_publications.call() == 1
    assert LeaderAlert.objects.get().raised_on == D(2026, 3, 31)


def test_a_check_recorded_through_the_cases_api_closes_the_task_and_its_reinspection(
    commitment_case, user_named, freeze, api_client
):
    case, check = commitment_case
    deliver_pending()  # case.decided → the post-approval task, in supervision's queue
    task = Task.objects.get(kind="post_approval", case=case)
    two_inspectors_on(task, user_named)
    freeze("2026-10-12")
    outcomes.inspection_result(
        actor=user_named("inspector1"),
        task_id=task.pk,
        outcome="rectify",
        findings="公共用品消毒记录缺页",
        rectify_days=5,
    )
    follow_up = Task.objects.get(kind="reinspection")
    assert follow_up.status == "open"
    # Another client of the cases API records the check without an inspection here.
    response = api_client.login_as("inspector2").post(
        f"/api/v1/procedures/commitment-checks/{check.pk}",
        {"truthful": True, "findings": "复核材料齐全"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["result"] == "confirmed"
    deliver_pending()
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert Task.objects.filter(status__in=("open", "needs_inspectors")).count() == 0
    deliver_pending()  # nothing left to deliver, nothing changes
    assert Task.objects.get(pk=follow_up.pk).status == "done"


def test_an_inspection_here_records_the_check_once_and_its_event_changes_nothing(
    commitment_case, user_named, freeze
):
    case, check = commitment_case
    deliver_pending()
    task = Task.objects.get(kind="post_approval", case=case)
    two_inspectors_on(task, user_named)
    freeze("2026-10-12")
    outcomes.inspection_result(
        actor=user_named("inspector1"), task_id=task.pk, outcome="compliant", findings="与承诺一致"
    )
    check.refresh_from_db()
    assert check.result == "confirmed" and check.findings == "与承诺一致"
    assert Event.objects.filter(name="case.commitment_checked").count() == 1
    deliver_pending()  # the case's event reaches supervision: the task is done already
    assert Task.objects.get(pk=task.pk).status == "done"
    assert CreditEvent.objects.filter(applicant=case.applicant, kind="commitment_kept").count() == 1


def test_a_superuser_who_joins_a_task_is_told_an_inspector_is_needed(demo, user_named, freeze):
    # Found by the authorization matrix: the superuser passes the permission but has no staff
    # row, and joining answered 500.
    freeze("2026-09-28")
    hospital = tasking.Applicant.objects.get(name="大连中山仁和医院")
    task = tasking.special_task_open(
        actor=user_named("leader"), applicant_id=hospital.pk, reason="专项", due_on=None
    )
    with pytest.raises(InvalidInput) as refused:
        tasking.task_join(actor=user_named("admin"), task_id=task.pk)
    assert "certificate_number" in refused.value.fields
    assert not task.assignments.exists()
