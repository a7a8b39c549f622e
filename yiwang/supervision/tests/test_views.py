"""Supervision pages through the Django test client: what each role sees, refusals shown."""

import datetime

import pytest
from django.test import Client

from yiwang import clock
from yiwang.cases.models import CommitmentCheck
from yiwang.events.testing import deliver_pending
from yiwang.regions.models import Department
from yiwang.supervision import outcomes
from yiwang.supervision.models import Inspection, Plan, Task

pytestmark = pytest.mark.django_db


def signed_in(username):
    client = Client()
    assert client.login(username=username, password="demo-pass-2026")
    return client


def test_directory_page_lists_entities_and_counts_by_area(freeze, entities):
    freeze("2026-03-02")
    page = signed_in("inspector1").get("/workbench/supervision/?grade=D")
    text = page.content.decode()
    assert page.status_code == 200 and "监管对象名录" in text
    assert "测试诊所00003" in text and "测试诊所00000" not in text  # grade A is filtered out
    assert 'id="area-map"' in text and "中山区" in text
    dalian = signed_in("inspector1").get("/workbench/supervision/?region=210202000000")
    assert "青泥洼桥街道" in dalian.content.decode()


def test_applicants_cannot_open_the_directory(freeze, demo):
    freeze("2026-03-02")
    assert signed_in("applicant").get("/workbench/supervision/").status_code == 403


def test_leader_plans_commits_and_draws_on_pages(freeze, entities, inspector3):
    freeze("2026-03-02")
    leader = signed_in("leader")
    refused = leader.post(
        "/workbench/supervision/plans/",
        {
            "name": "计划",
            "year": "2026",
            "region_code": "210200000000",
            "ratio_A": "2",
            "ratio_B": "0.1",
            "ratio_C": "0.1",
            "ratio_D": "0.1",
            "inspectors_per_task": "2",
        },
        follow=True,
    )
    assert "抽查比例" in refused.content.decode() and not Plan.objects.exists()
    created = leader.post(
        "/workbench/supervision/plans/",
        {
            "name": "计划",
            "year": "2026",
            "region_code": "210200000000",
            "ratio_A": "0.1",
            "ratio_B": "0.1",
            "ratio_C": "0.1",
            "ratio_D": "0.5",
            "inspectors_per_task": "2",
            "licence_types": ["11100000000002"],
        },
        follow=True,
    )
    plan = Plan.objects.get()
    assert "抽取前请先冻结" in created.content.decode()
    leader.post(f"/workbench/supervision/plans/{plan.pk}/commit/")
    early = leader.get(f"/workbench/supervision/plans/{plan.pk}/").content.decode()
    assert plan.pk and "种子承诺值" in early
    drawn = leader.post(
        f"/workbench/supervision/plans/{plan.pk}/draw/", {"witness": "123"}, follow=True
    ).content.decode()
    assert "检查任务已生成" in drawn and Task.objects.filter(plan=plan).exists()
    twice = leader.post(
        f"/workbench/supervision/plans/{plan.pk}/draw/", {"witness": "456"}, follow=True
    )
    assert "只能抽取一次" in twice.content.decode()


def test_inspector_task_page_and_public_results(freeze, drawn_plan, user_named):
    task = Task.objects.filter(plan=drawn_plan, assignments__code="21020000001").first()
    inspector = signed_in("inspector1")
    page = inspector.get(f"/workbench/supervision/tasks/{task.pk}/").content.decode()
    assert "开始检查" in page and "四不两直" in page
    mine = inspector.get("/workbench/supervision/tasks/").content.decode()
    assert f"/workbench/supervision/tasks/{task.pk}/" in mine
    other = Task.objects.filter(plan=drawn_plan).exclude(assignments__code="21020000001").first()
    refused = inspector.post(f"/workbench/supervision/tasks/{other.pk}/start/", follow=True)
    assert "只有分派到该任务的执法人员" in refused.content.decode()
    inspection = outcomes.inspection_result(
        actor=user_named("inspector1"), task_id=task.pk, outcome="compliant", findings="符合要求"
    )
    leader = signed_in("leader")
    queue = leader.get("/workbench/supervision/publication/").content.decode()
    assert task.applicant.name in queue
    leader.post(f"/workbench/supervision/tasks/{task.pk}/publish/")
    inspection.refresh_from_db()
    assert inspection.published_on is not None
    public = Client().get("/supervision/results/").content.decode()
    assert "符合要求" in public and task.entity_code in public
    record = Client().get(f"/supervision/draws/{drawn_plan.draw.pk}/").content.decode()
    assert drawn_plan.seed_commitment in record and "verify_draw" in record


def test_the_demo_gives_inspector1_and_the_leader_work(db):
    from yiwang import demo

    demo.load(sample_cases=True)
    inspector = signed_in("inspector1")
    tasks = inspector.get("/workbench/supervision/tasks/").content.decode()
    assert "双随机抽查" in tasks and "专项检查" in tasks
    leader = signed_in("leader")
    assert "公示" in leader.get("/workbench/supervision/publication/").content.decode()
    states = set(Task.objects.values_list("status", flat=True))
    assert {"open", "in_progress", "done"} <= states
    assert Task.objects.filter(kind="reinspection").exists()
    assert Task.objects.filter(kind="post_approval").exists()
    joint = Task.objects.get(kind="special").inspection
    assert joint.participations.count() == 3


def test_leader_starts_point_to_area_from_a_violation_page(freeze, drawn_plan, user_named):
    task = Task.objects.filter(plan=drawn_plan, assignments__code="21020000001").first()
    outcomes.inspection_result(
        actor=user_named("inspector1"),
        task_id=task.pk,
        outcome="violation",
        findings="超范围执业",
        legal_basis="《医疗机构管理条例》第四十六条",
        amount="3000",
    )
    leader = signed_in("leader")
    page = leader.get(f"/workbench/supervision/tasks/{task.pk}/").content.decode()
    assert 'id="point-to-area"' in page and "《医疗机构管理条例》第四十六条" in page
    made = leader.post(
        f"/workbench/supervision/tasks/{task.pk}/point_to_area/",
        {"area": "district", "ratio_A": "0.2", "ratio_B": "0.2", "ratio_C": "0.5", "ratio_D": "1"},
    )
    plan = Plan.objects.get(kind="point_to_area")
    assert made.status_code == 302 and made["Location"].endswith(f"/plans/{plan.pk}/")
    assert plan.region.code == "210202000000" and plan.source_inspection.task == task


def test_entity_page_shows_licences_and_history_and_404s_unknown_ids(freeze, entities):
    freeze("2026-03-02")
    inspector = signed_in("inspector1")
    page = inspector.get(f"/workbench/supervision/entities/{entities[0].pk}/").content.decode()
    assert entities[0].uscc in page and "TEST-000000" in page and "尚无检查记录" in page
    assert inspector.get("/workbench/supervision/entities/999999/").status_code == 404


def test_entity_history_follows_the_applicant_not_the_code_on_the_task(freeze, entities):
    # An entity without a USCC is coded by its smallest licence number in force, which can
    # change: its earlier tasks keep the old code. History is found by the applicant.
    freeze("2026-03-02")
    department = Department.objects.get(name="大连市卫生健康委员会")

    def inspected(applicant, code, findings):
        task = Task.objects.create(
            kind="special",
            department=department,
            applicant=applicant,
            entity_code=code,
            region_code=applicant.region.code,
            created_at=clock.now(),
        )
        Inspection.objects.create(
            task=task,
            department=department,
            scheduled_for=datetime.date(2026, 2, 2),
            findings_summary=findings,
            created_at=clock.now(),
        )

    inspected(entities[0], "OLD-CODE-1", "旧编码下的检查")
    inspected(entities[1], entities[0].uscc, "另一家机构的检查")
    page = signed_in("inspector1").get(f"/workbench/supervision/entities/{entities[0].pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "旧编码下的检查" in text and "2026-02-02" in text
    assert "另一家机构的检查" not in text and "尚无检查记录" not in text


def test_post_approval_checks_live_only_in_supervision_queue(freeze, file_case):
    freeze("2026-09-28")
    city = Department.objects.get(name="大连市卫生健康委员会")
    case = file_case(
        item_code="010040010000",
        procedure="commitment",
        commitment_signed=True,
        department_id=city.pk,
    )
    deliver_pending()  # case.decided → the post-approval task
    inspector = signed_in("inspector1")
    # The cases app's own commitment-check page and its tile are gone.
    assert inspector.get("/workbench/checks/").status_code == 404
    assert "承诺核查" not in inspector.get("/workbench/").content.decode()
    # The check is a task in supervision's queue, on the phone pages of the inspectors.
    task = Task.objects.get(kind="post_approval", case=case)
    assert task.status == "open" and CommitmentCheck.objects.get(case=case).result == "pending"
    page = inspector.get(f"/workbench/supervision/tasks/{task.pk}/").content.decode()
    assert "告知承诺事后核查" in page and case.number in page
