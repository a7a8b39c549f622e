import pytest

pytestmark = pytest.mark.django_db


def test_days_lists_national_day_and_the_make_up_saturday(api_client):
    response = api_client.language("en").get(
        "/api/v1/calendar/days", {"from": "2026-09-26", "to": "2026-10-11"}
    )
    assert response.status_code == 200, response.content
    days = {day["date"]: day for day in response.json()}
    assert len(days) == 16
    assert days["2026-10-01"] == {
        "date": "2026-10-01",
        "workday": False,
        "kind": "holiday",
        "name": "National Day",
        "provisional": False,
    }
    assert days["2026-10-10"]["kind"] == "makeup_workday" and days["2026-10-10"]["workday"]
    assert days["2026-09-28"]["kind"] == "workday"
    assert days["2026-10-11"]["kind"] == "weekend"


def test_days_names_holidays_in_chinese_by_default(api_client):
    response = api_client.get("/api/v1/calendar/days", {"from": "2026-02-15", "to": "2026-02-15"})
    assert response.json()[0]["name"] == "春节"


def test_add_gives_the_due_date(api_client):
    response = api_client.get("/api/v1/calendar/add", {"start": "2026-09-28", "working_days": 20})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-09-28",
        "working_days": 20,
        "due": "2026-10-30",
        "provisional": False,
    }


def test_add_into_a_year_without_data_is_provisional(api_client):
    response = api_client.get("/api/v1/calendar/add", {"start": "2030-09-30", "working_days": 1})
    assert response.json()["due"] == "2030-10-01"
    assert response.json()["provisional"] is True


def test_between_counts_after_start_up_to_end(api_client):
    response = api_client.get(
        "/api/v1/calendar/between", {"start": "2026-02-13", "end": "2026-02-28"}
    )
    assert response.status_code == 200
    assert response.json()["working_days"] == 6
    assert response.json()["provisional"] is False


@pytest.mark.parametrize(
    "path, query, field",
    [
        ("add", {"start": "2026-02-30", "working_days": 1}, "start"),
        ("add", {"start": "2026-09-28", "working_days": -1}, "working_days"),
        ("add", {"start": "2026-09-28", "working_days": 1001}, "working_days"),
        ("add", {"start": "2026-09-28", "working_days": "many"}, "working_days"),
        ("add", {"start": "2003-12-31", "working_days": 1}, "start"),
        ("add", {"start": "2100-01-01", "working_days": 1}, "start"),
        ("between", {"start": "2026-10-08", "end": "2026-10-01"}, "end"),
        ("between", {"start": "2026-10-08", "end": "2126-10-01"}, "end"),
        ("days", {"from": "2026-10-08", "to": "2026-10-01"}, "to"),
        ("days", {"from": "2026-01-01", "to": "2027-12-31"}, "to"),
        ("days", {"from": "1999-01-01", "to": "1999-01-02"}, "from"),
        ("days", {"to": "1999-01-02"}, "from"),
    ],
)
def test_bad_input_is_400_naming_the_field(api_client, path, query, field):
    response = api_client.language("en").get(f"/api/v1/calendar/{path}", query)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert field in error["fields"]
    assert error["fields"][field]


def test_the_rule_is_said_in_chinese_by_default(api_client):
    response = api_client.get("/api/v1/calendar/add", {"start": "2026-09-28", "working_days": 5000})
    assert response.status_code == 400
    assert "工作日" in response.json()["error"]["fields"]["working_days"]


def test_the_calendar_is_public(api_client):
    response = api_client.get("/api/v1/calendar/add", {"start": "2026-09-28", "working_days": 0})
    assert response.status_code == 200
    assert response.json()["due"] == "2026-09-28"
