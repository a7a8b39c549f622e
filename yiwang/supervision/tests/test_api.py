"""The supervision API (API.md): the whole path plan → commit → draw → inspection → rectify →
re-inspection → published, and bad input refused with the rule named, nothing changed."""

import pytest

from yiwang.credit.models import InclusiveMeasure
from yiwang.events.models import Event
from yiwang.supervision import verify_draw
from yiwang.supervision.models import Inspection, Plan, Task

pytestmark = pytest.mark.django_db

PLAN = {
    "name": "2026年医疗机构双随机抽查",
    "year": 2026,
    "licence_types": ["11100000000002"],
    "region_code": "210200000000",
    "ratios": {"A": 0.1, "B": 0.2, "C": 0.5, "D": 1},
    "inspectors_per_task": 2,
    "inspector_pool": ["inspector1", "inspector2", "inspector3"],
}


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def draw_a_plan(api_client):
    leader = api_client.login_as("leader")
    created = post(leader, "/api/v1/supervision/plans", PLAN)
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    committed = post(leader, f"/api/v1/supervision/plans/{plan_id}/commit").json()
    assert committed["status"] == "committed" and len(committed["seed_commitment"]) == 64
    drawn = post(
        leader, f"/api/v1/supervision/plans/{plan_id}/draw", {"witness": "2026-03-02 福彩"}
    )
    assert drawn.status_code == 201, drawn.content
    return plan_id, drawn.json()


def test_the_whole_path_through_the_api(freeze, entities, inspector3, api_client):
    freeze("2026-03-02")  # Monday
    _plan_id, record = draw_a_plan(api_client)
    public = api_client.get(f"/api/v1/supervision/draws/{record['id']}")
    assert public.status_code == 200
    assert verify_draw.problems(public.json()) == []

    task = record["tasks"][0]
    first, second = task["inspectors"]
    username = {
        "21020000001": "inspector1",
        "21020000002": "inspector2",
        "21020000003": "inspector3",
    }
    inspector = api_client.login_as(username[first])
    mine = inspector.get("/api/v1/supervision/tasks?mine=true").json()
    assert task["task_id"] in [row["id"] for row in mine["results"]]

    result = post(
        inspector,
        f"/api/v1/supervision/tasks/{task['task_id']}/result",
        {"outcome": "rectify", "findings": "医疗废物暂存点无警示标识", "rectify_days": 10},
    )
    assert result.status_code == 200, result.content
    inspection = result.json()["inspection"]
    assert inspection["outcome"] == "rectify" and inspection["unannounced"] is True
    # 10 working days after Monday 2 March 2026 → Monday 16 March
    assert inspection["rectify_due"] == "2026-03-16"
    # 20 working days → 30 March; the clock is normal on the day
    assert inspection["publish_due"] == "2026-03-30"
    assert inspection["publication_level"] == "normal"
    [follow_up] = inspection["follow_ups"]
    re_task = inspector.get(f"/api/v1/supervision/tasks/{follow_up}").json()
    assert re_task["kind"] == "reinspection" and re_task["due_on"] == "2026-03-16"
    assert sorted(re_task["inspectors"]) == sorted(task["inspectors"])

    freeze("2026-03-16")
    done = post(
        api_client.login_as(username[second]),
        f"/api/v1/supervision/tasks/{follow_up}/result",
        {"outcome": "compliant", "findings": "已整改：警示标识已设置"},
    )
    assert done.status_code == 200 and done.json()["status"] == "done"

    freeze("2026-03-18")
    leader = api_client.login_as("leader")
    published = post(leader, f"/api/v1/supervision/inspections/{inspection['id']}/publish")
    assert published.status_code == 200 and published.json()["published_on"] == "2026-03-18"
    results = api_client.get(
        "/api/v1/public/supervision/inspection-results?from=2026-03-01&to=2026-03-31"
    )
    assert [row["outcome"] for row in results.json()] == ["rectify"]
    assert results.json()[0]["findings_summary"] == "医疗废物暂存点无警示标识"
    again = api_client.get(f"/api/v1/supervision/draws/{record['id']}").json()
    assert again["tasks"][0]["result"]["published_on"] == "2026-03-18"
    assert Event.objects.filter(name="inspection.concluded").count() == 2
    assert Event.objects.filter(name="inspection.published").count() == 1


def test_directory_api_lists_holders_with_types_and_grade(freeze, entities, api_client):
    freeze("2026-03-02")
    response = api_client.login_as("inspector1").get("/api/v1/supervision/entities?grade=A")
    body = response.json()
    assert len(body) == 10 and response["X-Total-Count"] == "10"
    row = body[0]
    assert row["credit_grade"] == "A" and row["licence_types"] == ["11100000000002"]
    assert row["region_code"] == "210202003000"
    paged = api_client.get("/api/v1/supervision/entities?page_size=3&page=2")
    # the 40 institutions, the demo clinic, hospital and health-management company
    assert len(paged.json()) == 3 and paged["X-Total-Count"] == "43"
    assert api_client.login_as("applicant").get("/api/v1/supervision/entities").status_code == 403


def test_second_draw_is_409_and_changes_nothing(freeze, entities, inspector3, api_client):
    freeze("2026-03-02")
    plan_id, record = draw_a_plan(api_client)
    again = post(api_client, f"/api/v1/supervision/plans/{plan_id}/draw", {"witness": "other"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "drawn"
    assert Task.objects.filter(plan_id=plan_id).count() == len(record["tasks"])


def test_draw_before_commit_is_409(freeze, entities, api_client):
    freeze("2026-03-02")
    leader = api_client.login_as("leader").language("en")
    plan_id = post(leader, "/api/v1/supervision/plans", {**PLAN, "inspector_pool": None}).json()[
        "id"
    ]
    refused = post(leader, f"/api/v1/supervision/plans/{plan_id}/draw", {"witness": "w"})
    assert refused.status_code == 409 and "Commit the plan" in refused.json()["error"]["message"]
    assert Plan.objects.get(pk=plan_id).status == "draft"


def test_bad_ratio_is_400_naming_the_field_in_chinese_and_english(freeze, demo, api_client):
    freeze("2026-03-02")
    leader = api_client.login_as("leader")
    body = {**PLAN, "inspector_pool": None, "ratios": {"A": 1.5, "B": 0.1, "C": 0.1, "D": 0.1}}
    refused = post(leader, "/api/v1/supervision/plans", body)
    assert refused.status_code == 400
    assert "ratios.A" in refused.json()["error"]["fields"]
    assert "抽查比例" in refused.json()["error"]["message"]
    english = post(leader.language("en"), "/api/v1/supervision/plans", body)
    assert "sampling ratio" in english.json()["error"]["message"]
    assert not Plan.objects.exists()


def test_a_pool_of_one_is_refused(freeze, demo, api_client):
    freeze("2026-03-02")
    refused = post(
        api_client.login_as("leader"),
        "/api/v1/supervision/plans",
        {**PLAN, "inspector_pool": ["inspector1"]},
    )
    assert refused.status_code == 400 and "inspector_pool" in refused.json()["error"]["fields"]


def test_a_result_on_someone_elses_task_is_403(freeze, entities, inspector3, api_client):
    freeze("2026-03-02")
    _plan_id, record = draw_a_plan(api_client)
    task = next(t for t in record["tasks"] if "21020000003" not in t["inspectors"])
    refused = post(
        api_client.login_as("inspector3"),
        f"/api/v1/supervision/tasks/{task['task_id']}/result",
        {"outcome": "compliant", "findings": "ok"},
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_your_task"
    assert not Inspection.objects.exists()
    assert Task.objects.get(pk=task["task_id"]).status == "open"


@pytest.mark.parametrize("days", [0, -3, 2.5, "ten", None])
def test_rectification_period_must_be_positive_working_days(
    freeze, entities, inspector3, api_client, days
):
    freeze("2026-03-02")
    _plan_id, record = draw_a_plan(api_client)
    task = next(t for t in record["tasks"] if "21020000001" in t["inspectors"])
    refused = post(
        api_client.login_as("inspector1"),
        f"/api/v1/supervision/tasks/{task['task_id']}/result",
        {"outcome": "rectify", "findings": "消毒记录缺失", "rectify_days": days},
    )
    assert refused.status_code == 400, refused.content
    assert "rectify_days" in refused.json()["error"]["fields"]
    assert "工作日" in refused.json()["error"]["message"]
    assert not Inspection.objects.exists()


def test_a_violation_opens_a_penalty_and_the_leader_decides_it(
    freeze, entities, inspector3, api_client
):
    freeze("2026-03-02")
    _plan_id, record = draw_a_plan(api_client)
    task = next(t for t in record["tasks"] if "21020000001" in t["inspectors"])
    missing = post(
        api_client.login_as("inspector1"),
        f"/api/v1/supervision/tasks/{task['task_id']}/result",
        {"outcome": "violation", "findings": "超出登记诊疗科目开展医疗美容"},
    )
    assert missing.status_code == 400 and "legal_basis" in missing.json()["error"]["fields"]
    no_penalty, medical_record = (
        InclusiveMeasure.objects.get(violation_kind="medical_record_irregular", list_kind=kind)
        for kind in ("no_penalty", "mitigated")
    )
    result = post(
        api_client,
        f"/api/v1/supervision/tasks/{task['task_id']}/result",
        {
            "outcome": "violation",
            "findings": "病历书写不规范",
            "legal_basis": "《医疗机构管理条例》第四十六条",
            "amount": "3000",
            "violation_kind": "medical_record_irregular",
        },
    )
    penalty = result.json()["inspection"]["penalty"]
    assert penalty["status"] == "open" and penalty["inclusive_list_entry"] is None
    # The matching entries of credit's four lists are proposed with the penalty record.
    # no-penalty first, as credit orders them
    assert [row["id"] for row in penalty["proposals"]] == [no_penalty.pk, medical_record.pk]
    assert [row["list"] for row in penalty["proposals"]] == ["no_penalty", "mitigated"]
    not_proposed = InclusiveMeasure.objects.exclude(violation_kind="medical_record_irregular")[0]
    refused = post(
        api_client.login_as("leader"),
        f"/api/v1/supervision/penalties/{penalty['id']}/decide",
        {"legal_basis": "x", "amount": "1", "inclusive_measure": not_proposed.pk},
    )
    assert refused.status_code == 400, refused.content
    assert "inclusive_measure" in refused.json()["error"]["fields"]
    decided = post(
        api_client,
        f"/api/v1/supervision/penalties/{penalty['id']}/decide",
        {
            "legal_basis": "《医疗机构管理条例》第四十六条",
            "amount": "2000.00",
            "inclusive_measure": medical_record.pk,
        },
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["penalty"]["inclusive_list_entry"]["id"] == medical_record.pk
    event = Event.objects.get(name="penalty.decided")
    assert (
        event.payload["amount"] == "2000.00"
        and event.payload["inclusive_list_entry"] == medical_record.pk
    )
