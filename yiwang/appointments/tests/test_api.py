import pytest

from yiwang.appointments.models import Booking, Slot
from yiwang.appointments.tests.conftest import SETTING_UP
from yiwang.appointments.tests.factories import file_case
from yiwang.cases.procedures.green import case_mark_green
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(hall):
    return Applicant.objects.get(name="大连海滨口腔诊所")


def test_halls_and_slots_are_public(hall, slot_at, client):
    halls = client.get("/api/v1/appointments/halls").json()
    assert halls == [{"id": hall.pk, "name": "大连市政务服务中心", "address": hall.address}]
    slots = client.get(
        f"/api/v1/appointments/slots?hall={hall.pk}&date=2026-09-30&item_code={SETTING_UP}"
    ).json()
    assert len(slots) == 12
    assert slots[0] == {
        "id": slot_at("2026-09-30").pk,
        "start": "09:00",
        "end": "09:30",
        "capacity": 4,
        "booked": 0,
        "group": "医疗机构设置与执业",
    }
    assert client.get(f"/api/v1/appointments/slots?hall={hall.pk}&date=2026-10-01").json() == []


def test_booking_through_the_api_returns_201_with_the_ticket(hall, slot_at, clinic, api_client):
    api_client.login_as("applicant")
    response = api_client.post(
        "/api/v1/appointments",
        {
            "slot": slot_at("2026-09-30", "10:00").pk,
            "item_code": SETTING_UP,
            "applicant_id": clinic.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ticket"] == "DL260930001"
    assert (body["date"], body["start"], body["end"], body["status"]) == (
        "2026-09-30",
        "10:00",
        "10:30",
        "booked",
    )
    mine = api_client.get("/api/v1/appointments/mine").json()
    assert [entry["ticket"] for entry in mine] == ["DL260930001"]


def test_a_full_slot_is_409_and_names_the_slot(hall, slot_at, clinic, api_client):
    slot = slot_at("2026-09-30")
    Slot.objects.filter(pk=slot.pk).update(booked=4)
    api_client.login_as("applicant").language("en")
    response = api_client.post(
        "/api/v1/appointments",
        {"slot": slot.pk, "item_code": SETTING_UP, "applicant_id": clinic.pk},
        content_type="application/json",
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "slot_full"
    assert error["fields"] == {"slot": "The slot is full."}
    assert not Booking.objects.exists()


def test_a_holiday_booking_is_refused_in_chinese_by_default(hall, clinic, api_client):
    slot = Slot.objects.filter(hall=hall, date="2026-09-30").first()
    Slot.objects.filter(pk=slot.pk).update(date="2026-10-02")
    api_client.login_as("applicant")
    response = api_client.post(
        "/api/v1/appointments",
        {"slot": slot.pk, "item_code": SETTING_UP, "applicant_id": clinic.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "closed_day"
    assert "节假日" in error["fields"]["slot"]


def test_booking_tied_to_a_case_shows_on_the_clerks_day_sheet(
    hall, slot_at, clinic, api_client, user_named
):
    case = file_case(actor=user_named("applicant"), applicant=clinic, item_code=SETTING_UP)
    api_client.login_as("applicant")
    created = api_client.post(
        "/api/v1/appointments",
        {"slot": slot_at("2026-09-29", "13:30").pk, "item_code": SETTING_UP, "case_id": case.pk},
        content_type="application/json",
    ).json()
    assert created["case_number"] == case.number
    api_client.login_as("clerk")
    phone = api_client.post(
        "/api/v1/appointments/desk",
        {
            "slot": slot_at("2026-09-29", "09:00").pk,
            "item_code": SETTING_UP,
            "channel": "phone",
            "visitor_name": "王明",
            "phone": "13800000000",
        },
        content_type="application/json",
    )
    assert phone.status_code == 201
    sheet = api_client.get(f"/api/v1/appointments/day?hall={hall.pk}&date=2026-09-29").json()
    assert [(entry["start"], entry["visitor_name"], entry["case_number"]) for entry in sheet] == [
        ("09:00", "王明", None),
        ("13:30", clinic.name, case.number),
    ]


def test_the_day_sheet_is_for_the_halls_staff_only(hall, api_client):
    api_client.login_as("applicant")
    assert (
        api_client.get(f"/api/v1/appointments/day?hall={hall.pk}&date=2026-09-29").status_code
        == 403
    )


def test_cancel_and_rebook_through_the_api(hall, slot_at, clinic, api_client):
    api_client.login_as("applicant")
    ticket = api_client.post(
        "/api/v1/appointments",
        {"slot": slot_at("2026-09-30").pk, "item_code": SETTING_UP, "applicant_id": clinic.pk},
        content_type="application/json",
    ).json()["ticket"]
    moved = api_client.post(
        f"/api/v1/appointments/{ticket}/rebook",
        {"slot": slot_at("2026-10-10").pk},
        content_type="application/json",
    )
    assert moved.status_code == 201
    assert moved.json()["rebooked_from"] == ticket and moved.json()["date"] == "2026-10-10"
    cancelled = api_client.post(f"/api/v1/appointments/{moved.json()['ticket']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    again = api_client.post(f"/api/v1/appointments/{moved.json()['ticket']}/cancel")
    assert again.status_code == 409


def test_the_green_window_takes_green_channel_cases_only(hall, clinic, api_client, user_named):
    case = file_case(actor=user_named("applicant"), applicant=clinic, item_code=SETTING_UP)
    api_client.login_as("clerk")
    refused = api_client.post(
        "/api/v1/appointments/green",
        {"hall": hall.pk, "case_id": case.pk},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "not_green"
    case_mark_green(actor=user_named("leader"), case_id=case.pk, reason="疫情防控急需")
    taken = api_client.post(
        "/api/v1/appointments/green",
        {"hall": hall.pk, "case_id": case.pk},
        content_type="application/json",
    )
    assert taken.status_code == 201
    body = taken.json()
    assert body["ticket"] == "DLG260928001"
    assert body["status"] == "checked_in" and body["window"].startswith("DL09")
    assert body["start"] is None  # outside the slots and their capacity


def test_the_day_sheet_reads_in_a_fixed_number_of_queries(
    hall, slot_at, api_client, user_named, django_assert_max_num_queries
):
    from yiwang.appointments import services

    for number in range(8):
        services.booking_create(
            actor=user_named("clerk"),
            slot_id=slot_at("2026-09-29", ["09:00", "09:30"][number % 2]).pk,
            item_code=SETTING_UP,
            channel="phone",
            visitor_name=f"来访者{number}",
            phone=f"1380000000{number}",
        )
    api_client.login_as("clerk")
    with django_assert_max_num_queries(10):
        sheet = api_client.get(f"/api/v1/appointments/day?hall={hall.pk}&date=2026-09-29").json()
    assert len(sheet) == 8
