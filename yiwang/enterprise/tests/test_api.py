import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.enterprise.models import Expert, ListEntry

pytestmark = pytest.mark.django_db


def test_the_enterprise_reads_its_three_lists_and_adds_a_problem(
    company, api_client, secretary_staff
):
    api_client.login_as("applicant")
    created = api_client.post(
        f"/api/v1/enterprises/{company.pk}/problems",
        {"title": "排水许可办理慢"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["owner"] == "周静" and created.json()["due_on"] == "2026-10-10"
    lists = api_client.get(f"/api/v1/enterprises/{company.pk}/lists").json()
    assert lists["secretary"] == "周静"
    assert [entry["title"] for entry in lists["problem"]] == ["排水许可办理慢"]
    assert lists["done_for"] == [] and lists["potential"] == []


def test_another_enterprises_lists_are_not_found(services_demo, api_client):
    from yiwang.parties.models import Applicant

    hospital = Applicant.objects.get(name="大连中山仁和医院")
    api_client.login_as("applicant")
    assert api_client.get(f"/api/v1/enterprises/{hospital.pk}/lists").status_code == 404


def test_an_entry_without_owner_is_400_naming_the_field_in_english(company, api_client):
    api_client.login_as("secretary").language("en")
    response = api_client.post(
        f"/api/v1/enterprises/{company.pk}/lists",
        {"kind": "potential", "title": "拓展体检业务", "due_on": "2026-10-30"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"owner_id": "Every list entry needs an owner."}
    assert not ListEntry.objects.exists()


def test_an_entry_without_due_date_is_refused_in_chinese(company, api_client, secretary_staff):
    api_client.login_as("secretary")
    response = api_client.post(
        f"/api/v1/enterprises/{company.pk}/lists",
        {"kind": "potential", "title": "拓展体检业务", "owner_id": secretary_staff.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["due_on"] == "每个清单条目都必须有办结时限。"


def test_secretary_history_and_overdue_through_the_api(
    company, api_client, secretary_staff, freeze
):
    api_client.login_as("secretary")
    entry = api_client.post(
        f"/api/v1/enterprises/{company.pk}/lists",
        {
            "kind": "done_for",
            "title": "协调加急检测",
            "owner_id": secretary_staff.pk,
            "due_on": "2026-09-30",
        },
        content_type="application/json",
    ).json()
    freeze("2026-10-08T09:00")
    overdue = api_client.get("/api/v1/enterprises/overdue").json()
    assert [(row["id"], row["overdue"]) for row in overdue] == [(entry["id"], True)]
    done = api_client.post(
        f"/api/v1/enterprises/entries/{entry['id']}",
        {"status": "done", "note": "已办结"},
        content_type="application/json",
    )
    assert done.json()["status"] == "done" and done.json()["closed_on"] == "2026-10-08"
    assert api_client.get("/api/v1/enterprises/overdue").json() == []
    history = api_client.get(f"/api/v1/enterprises/{company.pk}/secretaries").json()
    assert [(row["secretary"], row["starts_on"], row["ends_on"]) for row in history] == [
        ("周静", "2026-09-28", None)
    ]


def test_front_service_request_assign_twice_and_advice_through_the_api(clinic, api_client):
    api_client.login_as("applicant")
    created = api_client.post(
        "/api/v1/front-services",
        {
            "applicant_id": clinic.pk,
            "item_code": "130010040000",
            "kind": "site_selection",
            "description": "拟在西岗区开设诊所",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    request_id = created.json()["id"]
    expert = Expert.objects.get(user__username="expert")
    api_client.login_as("secretary")
    assigned = api_client.post(
        f"/api/v1/front-services/{request_id}/assign",
        {"expert_id": expert.pk},
        content_type="application/json",
    )
    assert assigned.status_code == 200 and assigned.json()["expert"] == "高建平"
    twice = api_client.post(
        f"/api/v1/front-services/{request_id}/assign",
        {"expert_id": expert.pk},
        content_type="application/json",
    )
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "expert_already_assigned"
    api_client.login_as("expert")
    advised = api_client.post(
        f"/api/v1/front-services/{request_id}/advice",
        {
            "text": "选址应避开学校周边 50 米。",
            "files": [
                SimpleUploadedFile("选址图.pdf", b"%PDF-1.4 x", content_type="application/pdf")
            ],
        },
    )
    assert advised.status_code == 201, advised.content
    body = advised.json()
    assert body["status"] == "advised"
    assert body["advice"][0]["text"] == "选址应避开学校周边 50 米。" and body["advice"][0][
        "files"
    ] == ["选址图.pdf"]
