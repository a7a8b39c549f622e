"""The indicators API: figures, drill-down, and every refusal naming its field or rule."""

import pytest

from yiwang.indicators.models import DailyFigure
from yiwang.indicators.tests.factories import october_cases

OCTOBER = "from=2026-10-01&to=2026-10-31"


@pytest.fixture
def leader_api(demo, freeze, api_client):
    freeze("2026-11-02")
    october_cases()
    return api_client.login_as("leader")


@pytest.mark.django_db
def test_figures_of_a_period(leader_api):
    response = leader_api.get(f"/api/v1/indicators?{OCTOBER}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["on_time_rate"] == 0.6
    assert body["mean_used_working_days"] == 4.2
    assert body["single_window_share"] == 0.6667
    assert body["satisfaction"] is None
    assert body["counts"]["decided"] == 5
    assert body["counts"]["closed"] == 6


@pytest.mark.django_db
def test_drill_down_lists_the_cases_behind_a_figure(leader_api):
    response = leader_api.get(f"/api/v1/indicators/cases?indicator=on_time_rate&{OCTOBER}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 5
    late = {row["number"] for row in body["results"] if row["on_time"] is False}
    assert len(late) == 2
    used = sorted(row["used_working_days"] for row in body["results"])
    assert used == [1, 3, 4, 6, 7]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("from=2026-10-31&to=2026-10-01", 400, "to"),
        ("from=2010-01-01&to=2026-10-01", 400, "to"),
        ("from=2026-13-01&to=2026-10-01", 400, "from"),
        ("from=2026-10-01", 400, "to"),
        (f"{OCTOBER}&department=9999", 400, "department"),
        (f"{OCTOBER}&region=999999999999", 400, "region"),
        (f"{OCTOBER}&item=000", 400, "item"),
        (f"{OCTOBER}&channel=fax", 400, "channel"),
        (f"{OCTOBER}&period=week", 400, "period"),
    ],
)
def test_bad_input_names_the_field(leader_api, query, status, field):
    before = DailyFigure.objects.count()
    response = leader_api.get(f"/api/v1/indicators?{query}")
    assert response.status_code == status, response.content
    assert field in response.json()["error"]["fields"]
    assert DailyFigure.objects.count() == before


@pytest.mark.django_db
def test_a_department_outside_the_region_is_forbidden(leader_api):
    from yiwang.regions.models import Department, Region

    shenyang = Region.objects.create(
        code="210100000000", name="沈阳市", level=2, parent=Region.objects.get(code="210000000000")
    )
    department = Department.objects.create(
        name="沈阳市卫生健康委员会", kind="health_commission", region=shenyang
    )
    response = leader_api.get(
        f"/api/v1/indicators/cases?indicator=on_time_rate&{OCTOBER}&department={department.pk}"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "outside_scope"
    assert "results" not in response.json()


@pytest.mark.django_db
def test_roles_without_indicators_are_refused(leader_api, api_client):
    response = api_client.login_as("reviewer").get(f"/api/v1/indicators?{OCTOBER}")
    assert response.status_code == 403


@pytest.mark.django_db
def test_refusals_speak_english_when_asked(leader_api):
    response = leader_api.language("en").get("/api/v1/indicators?from=2026-10-31&to=2026-10-01")
    assert response.json()["error"]["fields"]["to"] == "The period ends before it starts."


@pytest.mark.django_db
def test_unknown_drill_down_indicator(leader_api):
    response = leader_api.get(f"/api/v1/indicators/cases?indicator=online_rate&{OCTOBER}")
    assert response.status_code == 400
    assert "indicator" in response.json()["error"]["fields"]
