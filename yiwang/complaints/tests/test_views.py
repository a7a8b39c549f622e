import pytest
from django.test import Client

from yiwang.audit.models import AuditRecord
from yiwang.complaints import services
from yiwang.complaints.models import Ticket
from yiwang.complaints.tests.factories import department, dispatched, entity, user

pytestmark = pytest.mark.django_db


def signed_in(username):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user(username))
    return client


def test_operator_intake_page_takes_and_dispatches_a_ticket(demo, freeze):
    freeze("2026-09-30T20:00")
    client = signed_in("operator")
    page = client.get("/workbench/complaints/intake/")
    assert page.status_code == 200
    assert 'autofocus accesskey="c"' in page.content.decode()
    response = client.post(
        "/workbench/complaints/intake/",
        {
            "content": "游泳馆水质差",
            "kind": "complaint",
            "urgency": "normal",
            "channel": "12345",
            "subject_code": entity().uscc,
            "reporter_name": "王小明",
            "reporter_phone": "13940981234",
            "department": str(department().pk),
        },
        follow=True,
    )
    created = Ticket.objects.get()
    assert created.status == "dispatched" and created.lead_department == department()
    assert created.due_on.isoformat() == "2026-10-13"
    assert created.number in response.content.decode()


def test_intake_page_refuses_missing_content_with_the_field(demo, freeze):
    freeze("2026-06-01")
    response = signed_in("operator").post(
        "/workbench/complaints/intake/",
        {
            "content": "",
            "kind": "complaint",
            "urgency": "normal",
            "channel": "phone",
            "reporter_phone": "13940981234",
        },
    )
    assert response.status_code == 400
    assert "content" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_queue_lists_urgent_first(demo, freeze):
    freeze("2026-06-01")
    normal = dispatched(content="普通").ticket
    urgent = dispatched(urgency="urgent", content="紧急").ticket
    html = signed_in("reviewer").get("/workbench/complaints/").content.decode()
    assert html.index(urgent.number) < html.index(normal.number)


def test_ticket_page_shows_the_reporter_to_the_handling_reviewer_only(demo, freeze):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    handler = signed_in("reviewer").get(f"/workbench/complaints/{pk}/").content.decode()
    assert "13940981234" in handler and "王小明" in handler
    for username in ("operator", "clerk", "inspector1", "auditor", "admin"):
        html = signed_in(username).get(f"/workbench/complaints/{pk}/").content.decode()
        assert "13940981234" not in html and "139****1234" in html, username
    assert AuditRecord.objects.filter(action="ticket.reporter_read").count() == 1


def test_export_masks_every_reporter(demo, freeze):
    freeze("2026-06-01")
    dispatched()
    body = signed_in("reviewer").get("/workbench/complaints/export.csv").content.decode()
    assert "139****1234" in body and "13940981234" not in body and "王**" in body


def test_reply_from_the_ticket_page(demo, freeze):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    client = signed_in("reviewer")
    html = client.get(f"/workbench/complaints/{pk}/").content.decode()
    assert "action-reply" in html and "action-dispatch" not in html
    client.post(f"/workbench/complaints/{pk}/reply/", {"text": "已处理"})
    assert Ticket.objects.get(pk=pk).status == "replied"


def test_public_web_complaint_gives_number_and_code_then_lookup_rates_and_reopens(demo, freeze):
    freeze("2026-06-01")
    public = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    filed = public.post(
        "/complaints/new/",
        {"kind": "complaint", "content": "诊所乱收费", "anonymous": "on"},
    )
    assert filed.status_code == 201
    created = Ticket.objects.get()
    assert created.channel == "web" and created.anonymous
    code = filed.context["code"]
    assert code in filed.content.decode()
    services.ticket_dispatch(
        actor=user("clerk"), ticket_id=created.pk, department_id=department().pk
    )
    services.ticket_reply(actor=user("reviewer"), ticket_id=created.pk, text="已核查退费")
    wrong = public.post("/complaints/lookup/", {"number": created.number, "code": "NOPE"})
    assert wrong.status_code == 404 and "已核查退费" not in wrong.content.decode()
    seen = public.post("/complaints/lookup/", {"number": created.number, "code": code})
    assert "已核查退费" in seen.content.decode()
    public.post(
        "/complaints/lookup/", {"number": created.number, "code": code, "do": "rate", "level": "1"}
    )
    public.post(
        "/complaints/lookup/",
        {"number": created.number, "code": code, "do": "reopen", "reason": "没退全"},
    )
    created.refresh_from_db()
    assert created.status == "dispatched" and created.reopen_count == 1
    assert list(created.ratings.values_list("level", flat=True)) == [1]


def test_public_complaint_without_content_is_refused(demo, freeze):
    freeze("2026-06-01")
    response = Client().post(
        "/complaints/new/", {"kind": "complaint", "content": "", "anonymous": "on"}
    )
    assert response.status_code == 400 and Ticket.objects.count() == 0


def test_operator_records_a_phone_rating_on_the_ticket_page(demo, freeze):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text="答复")
    client = signed_in("operator")
    assert "action-rate" in client.get(f"/workbench/complaints/{pk}/").content.decode()
    client.post(f"/workbench/complaints/{pk}/rate/", {"level": "4"})
    client.post(f"/workbench/complaints/{pk}/close/", {"upheld": "on"})
    closed = Ticket.objects.get(pk=pk)
    assert closed.status == "closed" and closed.upheld is True
    assert list(closed.ratings.values_list("level", flat=True)) == [4]


def test_workbench_has_the_complaints_tile(demo):
    assert "/workbench/complaints/" in signed_in("reviewer").get("/workbench/").content.decode()


def test_web_complaint_by_a_signed_in_applicant_links_the_reporter(demo, freeze):
    freeze("2026-06-01")
    client = signed_in("applicant")
    client.post(
        "/complaints/new/",
        {"kind": "suggestion", "content": "建议延长窗口时间", "reporter_phone": "13800000000"},
    )
    created = Ticket.objects.get()
    assert created.reporter_user == user("applicant") and created.reporter_applicant is not None


def test_queue_page_and_api_cost_a_fixed_number_of_queries(
    demo, freeze, django_assert_max_num_queries, api_client
):
    freeze("2026-06-01")
    for index in range(12):
        dispatched(content=f"第{index}件：内容各不相同 {index * 7919}")
    client = signed_in("reviewer")
    with django_assert_max_num_queries(14):
        assert client.get("/workbench/complaints/").status_code == 200
    api = api_client.login_as("reviewer")
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/complaints").json()["items"]) == 12


def test_queue_shows_the_users_deadline_alerts(demo, freeze):
    from yiwang.complaints.tasks import refresh_ticket_levels

    freeze("2026-09-30")
    overdue = dispatched().ticket
    freeze("2026-10-14")
    refresh_ticket_levels.call()
    html = signed_in("reviewer").get("/workbench/complaints/").content.decode()
    assert 'class="card alerts"' in html and overdue.number in html
    assert "card alerts" not in signed_in("clerk").get("/workbench/complaints/").content.decode()


def test_portal_home_links_to_complaints(demo):
    html = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/").content.decode()
    assert "/complaints/new/" in html and "/complaints/lookup/" in html


def test_panel_lists_tickets_about_a_licence_holder_for_staff_only(demo, freeze):
    from django.test import RequestFactory

    from yiwang.panels import render_panels

    freeze("2026-06-01")
    about = dispatched().ticket

    class Licence:
        holder_id = entity().pk

    request = RequestFactory().get("/")
    request.user = user("reviewer")
    shown = "".join(render_panels("licence.detail", request, licence=Licence()))
    assert about.number in shown and "13940981234" not in shown
    request.user = user("applicant")
    assert about.number not in "".join(render_panels("licence.detail", request, licence=Licence()))
