import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.cases.models import Case, StoredFile
from yiwang.cases.tests.conftest import FORM, PRACTICE_REGISTRATION
from yiwang.catalog.demo import example_answers

pytestmark = pytest.mark.django_db


def upload(client, name="plan.pdf", content=b"%PDF-1.4 plan", kind="application/pdf"):
    response = client.post(
        "/api/v1/files", {"file": SimpleUploadedFile(name, content, content_type=kind)}
    )
    assert response.status_code == 201, response.content
    return response.json()


def application(client, clinic, *, missing=(), **extra):
    materials = [
        {"code": code, "missing": True}
        if code in missing
        else {"code": code, "file_id": upload(client)["file_id"]}
        for code in ["M01", "M02", "M03", "M04", "M05", "M06", "M07", "M08"]
    ]
    body = {
        "item_code": PRACTICE_REGISTRATION,
        "channel": "online",
        "procedure": "standard",
        "applicant": {"id": clinic.pk},
        "form": {**FORM, **example_answers(PRACTICE_REGISTRATION)},
        "materials": materials,
    }
    body.update(extra)
    return body


def act(client, case_id, action, **body):
    return client.post(
        f"/api/v1/applications/{case_id}/actions/{action}", body, content_type="application/json"
    )


def test_file_upload_records_hash_size_and_type(demo, api_client):
    import hashlib

    client = api_client.login_as("applicant")
    body = upload(client, content=b"%PDF-1.4 abc")
    assert body["sha256"] == hashlib.sha256(b"%PDF-1.4 abc").hexdigest()
    assert body["size"] == 12 and body["content_type"] == "application/pdf"
    stored = StoredFile.objects.get(pk=body["file_id"])
    assert stored.content.read() == b"%PDF-1.4 abc"


def test_forbidden_file_type_is_refused(demo, api_client):
    client = api_client.login_as("applicant")
    response = client.post(
        "/api/v1/files",
        {"file": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "forbidden_type"
    assert StoredFile.objects.count() == 0


def test_full_lifecycle_over_the_api(demo, api_client, clinic, freeze):
    freeze("2026-09-28")
    applicant = api_client.login_as("applicant")
    response = applicant.post(
        "/api/v1/applications",
        application(applicant, clinic, missing=("M03",)),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["status"] == "received"
    assert case["deadlines"]["acceptance_due"] == "2026-10-10"
    assert case["item_code"] == PRACTICE_REGISTRATION and case["item_version"] == 1

    clerk = api_client.__class__().login_as("clerk")
    response = act(
        clerk,
        case["id"],
        "request_correction",
        items=[{"material_code": "M03", "reason": "缺少房屋产权证明"}],
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "correction_requested"

    new_file = upload(applicant)["file_id"]
    response = act(
        applicant, case["id"], "resubmit", materials=[{"code": "M03", "file_id": new_file}]
    )
    assert response.json()["status"] == "received"

    freeze("2026-09-29")
    assert act(clerk, case["id"], "accept").json()["accepted_on"] == "2026-09-29"
    reviewer = api_client.__class__().login_as("reviewer")
    freeze("2026-10-09")
    suspended = act(reviewer, case["id"], "suspend", kind="inspection", reason="现场核查").json()
    assert suspended["clock"]["state"] == "suspended"
    assert suspended["deadlines"]["committed_due"] is None
    freeze("2026-10-13")
    resumed = act(reviewer, case["id"], "resume").json()
    assert resumed["deadlines"]["committed_due"] == "2026-10-19"
    assert resumed["clock"]["suspended_working_days"] == 3
    approver = api_client.__class__().login_as("approver")
    extended = act(approver, case["id"], "extend", reason="需补充专家论证").json()
    assert extended["clock"]["extended_days"] == 10
    approved = act(approver, case["id"], "approve", note="同意").json()
    assert approved["status"] == "approved" and approved["deadlines"]["issue_due"] == "2026-10-27"
    issued = act(approver, case["id"], "issue").json()
    assert issued["status"] == "issued" and issued["licence_number"]
    actions = [entry["action"] for entry in issued["timeline"]]
    assert actions == [
        "receive",
        "request_correction",
        "resubmit",
        "accept",
        "suspend",
        "resume",
        "extend",
        "approve",
        "issue",
    ]
    assert len(issued["corrections"]) == 1


def test_idempotency_key_returns_the_same_case(demo, api_client, clinic, freeze):
    freeze("2026-09-28")
    client = api_client.login_as("applicant")
    body = application(client, clinic)
    first = client.post(
        "/api/v1/applications", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="same"
    )
    second = client.post(
        "/api/v1/applications", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="same"
    )
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Case.objects.count() == 1


def test_action_not_allowed_now_is_409_with_a_message(demo, api_client, clinic, freeze):
    freeze("2026-09-28")
    client = api_client.login_as("applicant")
    case = client.post(
        "/api/v1/applications", application(client, clinic), content_type="application/json"
    ).json()
    approver = api_client.__class__().login_as("approver")
    response = act(approver, case["id"], "approve")
    assert response.status_code == 409
    assert (
        "已接收" in response.json()["error"]["message"]
        or "received" in response.json()["error"]["message"].lower()
    )
    assert Case.objects.get(pk=case["id"]).status == "received"


def test_unknown_item_and_unknown_action(demo, api_client, clinic):
    client = api_client.login_as("applicant")
    body = application(client, clinic, item_code="999999999999")
    response = client.post("/api/v1/applications", body, content_type="application/json")
    assert response.status_code == 400 and "item_code" in response.json()["error"]["fields"]
    assert act(client, 1, "teleport").status_code == 409


def test_outsider_gets_404_for_a_case(demo, api_client, clinic, freeze):
    freeze("2026-09-28")
    client = api_client.login_as("applicant")
    case = client.post(
        "/api/v1/applications", application(client, clinic), content_type="application/json"
    ).json()
    outsider = api_client.__class__().login_as("xg_reviewer")
    assert outsider.get(f"/api/v1/applications/{case['id']}").status_code == 404
    assert act(outsider, case["id"], "review", opinion="x").status_code == 404


def test_queue_is_sorted_green_first_then_nearest_due(demo, api_client, clinic, freeze):
    freeze("2026-09-28")
    client = api_client.login_as("applicant")
    late = client.post(
        "/api/v1/applications", application(client, clinic), content_type="application/json"
    ).json()
    freeze("2026-09-30")
    later = client.post(
        "/api/v1/applications", application(client, clinic), content_type="application/json"
    ).json()
    green = client.post(
        "/api/v1/applications", application(client, clinic), content_type="application/json"
    ).json()
    leader = api_client.__class__().login_as("leader")
    marked = act(leader, green["id"], "mark_green", reason="疫情定点医院急需")
    assert marked.status_code == 200 and marked.json()["green"] is True
    clerk = api_client.__class__().login_as("clerk")
    queue = clerk.get("/api/v1/applications").json()
    assert [row["id"] for row in queue["items"]] == [green["id"], late["id"], later["id"]]
    assert queue["items"][0]["green"] is True


def test_queue_query_count_does_not_grow_with_cases(
    demo, api_client, clinic, freeze, django_assert_max_num_queries
):
    freeze("2026-09-28")
    client = api_client.login_as("applicant")
    for _ in range(6):
        client.post(
            "/api/v1/applications", application(client, clinic), content_type="application/json"
        )
    clerk = api_client.__class__().login_as("clerk")
    with django_assert_max_num_queries(6):
        response = clerk.get("/api/v1/applications")
    assert response.json()["count"] == 6


def test_applicant_sees_only_own_cases_in_the_list(demo, api_client, clinic, freeze):
    freeze("2026-09-28")
    client = api_client.login_as("applicant")
    client.post(
        "/api/v1/applications", application(client, clinic), content_type="application/json"
    )
    response = client.get("/api/v1/applications?status=received")
    assert response.json()["count"] == 1
    other = api_client.__class__().login_as("zs_reviewer")
    assert other.get("/api/v1/applications?status=received").json()["count"] == 0


def test_a_file_over_the_material_limit_is_refused(demo, api_client, clinic, freeze):
    from yiwang.catalog.models import Material

    freeze("2026-09-28")
    client = api_client.login_as("applicant")
    body = application(client, clinic)
    material = Material.objects.filter(version__item__code=PRACTICE_REGISTRATION, code="M01").get()
    Material.objects.filter(pk=material.pk).update(max_size_mb=1)
    big = upload(client, content=b"%PDF-1.4 " + b"x" * (1024 * 1024 + 1))
    body["materials"][0]["file_id"] = big["file_id"]
    response = client.post("/api/v1/applications", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"].keys() == {"materials.0.file_id"}
    assert Case.objects.count() == 0
