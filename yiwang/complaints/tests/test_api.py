import datetime

import pytest

from yiwang.audit.models import AuditRecord
from yiwang.complaints import services
from yiwang.complaints.models import Ticket
from yiwang.complaints.tests.factories import MARKET, department, dispatched, entity, ticket, user
from yiwang.regions.models import Role
from yiwang.regions.services import staff_create

pytestmark = pytest.mark.django_db

INTAKE = {
    "channel": "12345",
    "kind": "complaint",
    "urgency": "normal",
    "content": "泳池水浑浊，有刺鼻气味。",
    "reporter": {"name": "王小明", "phone": "13940981234", "anonymous": False},
}


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def test_operator_posts_a_ticket_and_gets_due_date(demo, freeze, api_client):
    freeze("2026-09-30T09:00")
    client = api_client.login_as("operator")
    response = post(
        client,
        "/api/v1/complaints",
        {**INTAKE, "subject_code": entity().uscc, "external_number": "A1"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received"
    assert body["due"] == "2026-10-13"
    assert body["received_at"].startswith("2026-09-30T09:00:00")
    assert body["reporter"] == {
        "name": "王**",
        "phone": "139****1234",
        "anonymous": False,
        "masked": True,
    }
    assert body["subject"]["entity_id"] == entity().pk
    assert len(body["lookup_code"]) == 8
    again = post(client, "/api/v1/complaints", {**INTAKE, "external_number": "A1"})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert again.json()["lookup_code"] is None


def test_missing_content_is_400_naming_the_field_in_chinese_and_english(demo, freeze, api_client):
    freeze("2026-06-01")
    client = api_client.login_as("operator")
    response = post(client, "/api/v1/complaints", {**INTAKE, "content": ""})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "content" in error["fields"]
    assert error["message"] == "请记录来电人反映的内容。"
    response = post(client.language("en"), "/api/v1/complaints", {**INTAKE, "content": ""})
    assert response.json()["error"]["message"] == "Write down what the caller reports."
    assert Ticket.objects.count() == 0


def test_unknown_department_is_400(demo, freeze, api_client):
    freeze("2026-06-01")
    pk = ticket().ticket.pk
    client = api_client.login_as("operator")
    response = post(client, f"/api/v1/complaints/{pk}/actions/dispatch", {"department": 4242})
    assert response.status_code == 400
    assert "department" in response.json()["error"]["fields"]
    assert Ticket.objects.get(pk=pk).status == "received"


def test_dispatch_reply_close_over_http(demo, freeze, api_client):
    freeze("2026-06-01")
    pk = ticket().ticket.pk
    operator = api_client.login_as("operator")
    response = post(
        operator, f"/api/v1/complaints/{pk}/actions/dispatch", {"department": department().pk}
    )
    assert response.status_code == 200, response.content
    assert response.json()["department"]["name"] == "大连市卫生健康委员会"
    again = post(
        operator, f"/api/v1/complaints/{pk}/actions/dispatch", {"department": department(MARKET).pk}
    )
    assert again.status_code == 409
    from django.test import Client

    reviewer = Client()
    reviewer.defaults = dict(api_client.defaults)
    token = post(
        reviewer, "/api/v1/auth/token", {"username": "reviewer", "password": "demo-pass-2026"}
    )
    reviewer.defaults["HTTP_AUTHORIZATION"] = "Bearer " + token.json()["token"]
    replied = post(reviewer, f"/api/v1/complaints/{pk}/actions/reply", {"text": "已处理"})
    assert replied.status_code == 200
    assert replied.json()["status"] == "replied"
    assert replied.json()["replies"][0]["on_time"] is True
    closed = post(operator, f"/api/v1/complaints/{pk}/actions/close", {"upheld": True})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = post(reviewer, f"/api/v1/complaints/{pk}/actions/reply", {"text": "再答复"})
    assert late.status_code == 409
    assert closed.json()["timeline"][-1]["action"] == "close"


def test_second_extension_is_409(demo, freeze, api_client):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    client = api_client.login_as("approver")
    first = post(client, f"/api/v1/complaints/{pk}/actions/extend", {"reason": "检测"})
    assert first.status_code == 200 and first.json()["clock"]["extended_days"] == 5
    second = post(client, f"/api/v1/complaints/{pk}/actions/extend", {"reason": "再延"})
    assert second.status_code == 409
    assert second.json()["error"]["message"] == "该工单已延期一次，不得再次延期。"


def test_rate_level_out_of_range_is_400(demo, freeze, api_client):
    freeze("2026-06-01")
    received = dispatched()
    from yiwang.complaints import services

    services.ticket_reply(actor=user("reviewer"), ticket_id=received.ticket.pk, text="答复")
    response = post(
        api_client,
        "/api/v1/complaints/lookup/rate",
        {"number": received.ticket.number, "code": received.lookup_code, "level": 0},
    )
    assert response.status_code == 400 and "level" in response.json()["error"]["fields"]
    good = post(
        api_client,
        "/api/v1/complaints/lookup/rate",
        {"number": received.ticket.number, "code": received.lookup_code, "level": 5},
    )
    assert good.status_code == 200 and good.json()["ratings"] == [{"round": 1, "level": 5}]


def test_public_lookup_needs_number_and_code(demo, freeze, api_client):
    freeze("2026-06-01")
    received = ticket()
    wrong = post(
        api_client, "/api/v1/complaints/lookup", {"number": received.ticket.number, "code": "XXXX"}
    )
    assert wrong.status_code == 404
    right = post(
        api_client,
        "/api/v1/complaints/lookup",
        {"number": received.ticket.number.lower(), "code": received.lookup_code.lower()},
    )
    assert right.status_code == 200
    assert right.json()["status"] == "received" and "reporter" not in right.json()


def _staff(username, department_name, role):
    return staff_create(
        actor=user("admin"),
        username=username,
        password="demo-pass-2026",
        display_name=username,
        department=department(department_name),
        roles=[role],
        certificate_number=f"21020009{len(username):03d}" if role == Role.INSPECTOR else "",
    )


# Who sees the reporter of a ticket handled by the city health commission: only its reviewers,
# approvers and leaders. Every other role, in that department or elsewhere, sees them masked.
ROLE_SEES = {role: False for role in Role}
ROLE_SEES.update({Role.REVIEWER: True, Role.APPROVER: True, Role.LEADER: True})


@pytest.mark.parametrize("role", list(Role))
def test_reporter_masking_for_every_role(demo, freeze, api_client, role):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    _staff("same_dept", "大连市卫生健康委员会", role)
    _staff("other_dept", MARKET, role)
    same = api_client.login_as("same_dept").get(f"/api/v1/complaints/{pk}")
    assert same.status_code == 200, same.content
    expected = (
        {"name": "王小明", "phone": "13940981234", "anonymous": False, "masked": False}
        if ROLE_SEES[role]
        else {"name": "王**", "phone": "139****1234", "anonymous": False, "masked": True}
    )
    assert same.json()["reporter"] == expected
    reads = AuditRecord.objects.filter(action="ticket.reporter_read", object_id=str(pk))
    assert reads.count() == (1 if ROLE_SEES[role] else 0)
    other = api_client.login_as("other_dept").get(f"/api/v1/complaints/{pk}")
    if other.status_code == 200:
        assert other.json()["reporter"]["masked"] is True
    else:
        assert other.status_code == 404


def test_superuser_sees_the_reporter_masked(demo, freeze, api_client):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    body = api_client.login_as("admin").get(f"/api/v1/complaints/{pk}").json()
    assert body["reporter"]["masked"] is True and body["reporter"]["phone"] == "139****1234"


def test_every_read_of_the_reporter_is_audited(demo, freeze, api_client):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    client = api_client.login_as("reviewer")
    client.get(f"/api/v1/complaints/{pk}")
    client.get(f"/api/v1/complaints/{pk}")
    reads = AuditRecord.objects.filter(action="ticket.reporter_read", object_id=str(pk))
    assert reads.count() == 2
    assert set(reads.values_list("actor_label", flat=True)) == {"reviewer"}


def test_queue_sorts_urgent_first_then_due_date(demo, freeze, api_client):
    freeze("2026-06-01")
    late_normal = dispatched(content="一").ticket
    freeze("2026-06-02")
    urgent = dispatched(urgency="urgent", content="二").ticket
    freeze("2026-06-03")
    body = api_client.login_as("reviewer").get("/api/v1/complaints").json()
    assert [item["id"] for item in body["items"]] == [urgent.pk, late_normal.pk]
    assert body["items"][0]["urgency"] == "urgent"


def test_figures_count_kinds_and_rates(demo, freeze, api_client):
    from yiwang.complaints import services

    freeze("2026-06-01")
    one = dispatched().ticket
    two = dispatched(kind="report", content="举报内容").ticket
    ticket(kind="consultation", content="咨询")
    services.ticket_reply(actor=user("reviewer"), ticket_id=one.pk, text="答复")
    services.ticket_rate(actor=user("operator"), ticket_id=one.pk, level=5)
    freeze("2026-06-15")
    services.ticket_reply(actor=user("reviewer"), ticket_id=two.pk, text="答复")  # late
    services.ticket_rate(actor=user("operator"), ticket_id=two.pk, level=2)
    body = (
        api_client.login_as("leader")
        .get("/api/v1/complaints/figures", {"from": "2026-06-01", "to": "2026-06-30"})
        .json()
    )
    assert body["received"] == 3
    assert body["by_kind"] == {"complaint": 1, "report": 1, "consultation": 1}
    assert body["by_month"] == [{"month": "2026-06", "count": 3}]
    assert body["by_entity"][0] == {"entity_id": entity().pk, "name": entity().name, "count": 3}
    assert (body["replied"], body["replied_on_time"], body["on_time_rate"]) == (2, 1, 0.5)
    assert (body["rated"], body["satisfied"], body["satisfaction"]) == (2, 1, 0.5)
    bad = api_client.get("/api/v1/complaints/figures", {"from": "2026-06-30", "to": "2026-06-01"})
    assert bad.status_code == 400 and "to" in bad.json()["error"]["fields"]


def test_report_requests_an_inspection_over_http(demo, freeze, api_client):
    freeze("2026-06-01")
    pk = dispatched(kind="report").ticket.pk
    response = post(
        api_client.login_as("approver"),
        f"/api/v1/complaints/{pk}/actions/request_inspection",
        {"reason": "专项检查"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["inspection"]["decision"] == "inspection"
    # 15 working days after Monday 06-01, skipping the Dragon Boat Festival on Friday 06-19.
    assert response.json()["decision_due"] == datetime.date(2026, 6, 23).isoformat()


def test_reply_with_an_attachment_and_a_foreign_file_is_refused(demo, freeze, api_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    client = api_client.login_as("reviewer")
    upload = client.post(
        "/api/v1/files",
        {"file": SimpleUploadedFile("检查记录.pdf", b"%PDF-1.4 record", "application/pdf")},
    )
    assert upload.status_code == 201, upload.content
    file_id = upload.json()["file_id"]
    foreign = post(
        client, f"/api/v1/complaints/{pk}/actions/reply", {"text": "答复", "attachments": [999]}
    )
    assert foreign.status_code == 400 and "attachments" in foreign.json()["error"]["fields"]
    replied = post(
        client, f"/api/v1/complaints/{pk}/actions/reply", {"text": "答复", "attachments": [file_id]}
    )
    assert replied.status_code == 200
    assert replied.json()["replies"][0]["attachments"] == [file_id]


def test_a_signed_in_reporter_who_rates_or_reopens_is_answered_with_the_ticket_not_404(
    demo, freeze, api_client
):
    # Found by the authorization matrix: the rating was stored, then the answer re-read the
    # ticket through the caller's queue, which a portal user has not (404 after the step).
    freeze("2026-06-01")
    pk = dispatched(actor=user("applicant"), channel="web").ticket.pk
    services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text="已处理")
    reporter = api_client.login_as("applicant")
    rated = post(reporter, f"/api/v1/complaints/{pk}/actions/rate", {"level": 2})
    assert rated.status_code == 200, rated.content
    assert rated.json()["ratings"] == [{"round": 1, "level": 2}]
    assert "timeline" not in rated.json()  # the lookup page's view: no staff names
    reopened = post(reporter, f"/api/v1/complaints/{pk}/actions/reopen", {"reason": "仍未解决"})
    assert reopened.status_code == 200, reopened.content
    assert Ticket.objects.get(pk=pk).reopen_count == 1
    stranger = api_client.login_as("reviewer")
    refused = post(stranger, f"/api/v1/complaints/{pk}/actions/rate", {"level": 5})
    assert refused.status_code == 403  # in view, not the reporter
