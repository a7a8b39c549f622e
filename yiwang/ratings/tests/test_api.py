"""好差评 through the API and the pages: statuses, bodies, the link page without login."""

import re

import pytest

from yiwang.cases.models import Notification
from yiwang.events.models import Event
from yiwang.parties.models import Applicant
from yiwang.ratings.models import Rating, RatingInvitation
from yiwang.ratings.subscribers import invite_ticket_rating

pytestmark = pytest.mark.django_db


def token_of(case) -> str:
    notice = Notification.objects.filter(case=case, kind="rating_invitation").first()
    return re.search(r"/rate/([^/]+)/", notice.body).group(1)


def test_post_a_rating_with_a_bad_level_opens_a_rectification(decided, api_client):
    case = decided("2026-09-21")
    response = api_client.login_as("applicant").post(
        "/api/v1/ratings",
        {"case_id": case.pk, "level": 2, "comment": "材料被退回三次"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == 2
    assert body["rectification"]["due"] == "2026-10-19"
    assert body["rectification"]["status"] == "open"


def test_bad_input_is_a_4xx_naming_the_rule_in_the_callers_language(decided, api_client):
    case = decided()
    api_client.login_as("applicant")
    out_of_range = api_client.post(
        "/api/v1/ratings", {"case_id": case.pk, "level": 7}, content_type="application/json"
    )
    assert out_of_range.status_code == 400
    assert "level" in out_of_range.json()["error"]["fields"]
    assert "1" in out_of_range.json()["error"]["fields"]["level"]
    english = api_client.language("en").post(
        "/api/v1/ratings", {"case_id": case.pk, "level": 0}, content_type="application/json"
    )
    assert "Give a level from 1" in english.json()["error"]["fields"]["level"]
    neither = api_client.post("/api/v1/ratings", {"level": 5}, content_type="application/json")
    assert neither.status_code == 400 and "case_id" in neither.json()["error"]["fields"]
    assert not Rating.objects.exists()
    ok = api_client.post(
        "/api/v1/ratings", {"case_id": case.pk, "level": 5}, content_type="application/json"
    )
    assert ok.status_code == 201
    twice = api_client.post(
        "/api/v1/ratings", {"case_id": case.pk, "level": 4}, content_type="application/json"
    )
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_rated"
    changed = api_client.patch(
        f"/api/v1/ratings/{ok.json()['id']}", {"level": 4}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["level"] == 4


def test_someone_elses_case_is_refused(decided, api_client):
    case = decided()
    response = api_client.login_as("clerk").post(
        "/api/v1/ratings", {"case_id": case.pk, "level": 5}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_your_case"


def test_the_link_rates_once_through_the_public_api(decided, client):
    case = decided()
    token = token_of(case)
    first = client.post(
        "/api/v1/ratings/by-link",
        {"token": token, "level": 5},
        content_type="application/json",
    )
    assert first.status_code == 201
    again = client.post(
        "/api/v1/ratings/by-link",
        {"token": token, "level": 1},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "rating_link_used"
    assert Rating.objects.get().level == 5


def test_the_link_page_works_without_login_then_is_gone(decided, client):
    case = decided()
    token = token_of(case)
    page = client.get(f"/rate/{token}/")
    assert page.status_code == 200 and case.number in page.content.decode()
    done = client.post(f"/rate/{token}/", {"level": "4", "comment": "很快"})
    assert done.status_code == 200 and "rated" in done.content.decode()
    gone = client.get(f"/rate/{token}/")
    assert gone.status_code == 409
    assert Rating.objects.get().comment == "很快"


def test_rectification_steps_through_the_api(decided, api_client):
    case = decided("2026-09-21")
    api_client.login_as("applicant").post(
        "/api/v1/ratings", {"case_id": case.pk, "level": 1}, content_type="application/json"
    )
    api_client.login_as("leader")
    listed = api_client.get("/api/v1/ratings/rectifications").json()
    assert [row["number"] for row in listed] == [case.number]
    assert listed[0]["rater"] is None
    rid = listed[0]["id"]
    no_reason = api_client.post(
        f"/api/v1/ratings/rectifications/{rid}/actions/verify",
        {"genuine": True},
        content_type="application/json",
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    verified = api_client.post(
        f"/api/v1/ratings/rectifications/{rid}/actions/verify",
        {"genuine": True, "reason": "属实"},
        content_type="application/json",
    )
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    out_of_order = api_client.post(
        f"/api/v1/ratings/rectifications/{rid}/actions/close",
        {"note": "x"},
        content_type="application/json",
    )
    assert out_of_order.status_code == 409


def test_public_figures_show_no_comments(decided, api_client, client):
    case = decided()
    api_client.login_as("applicant").post(
        "/api/v1/ratings",
        {"case_id": case.pk, "level": 5, "comment": "秘密评语"},
        content_type="application/json",
    )
    figures = client.get("/api/v1/public/rating-figures?group_by=month&from=2026-09-01")
    assert figures.status_code == 200
    assert figures.json()[0]["key"] == "2026-09" and figures.json()[0]["satisfaction"] == 1.0
    page = client.get("/ratings/figures/").content.decode()
    assert "100%" in page and "秘密评语" not in page
    client.login(username="leader", password="demo-pass-2026")
    assert "秘密评语" in client.get("/workbench/ratings/").content.decode()


def test_the_rating_pad_records_a_window_rating(decided, client):
    case = decided()
    client.login(username="clerk", password="demo-pass-2026")
    shown = client.get(f"/workbench/ratings/entry/window/?number={case.number}")
    assert shown.status_code == 200 and "非常满意" in shown.content.decode()
    client.post("/workbench/ratings/entry/window/", {"number": case.number, "level": "5"})
    rating = Rating.objects.get()
    assert (rating.channel, rating.level) == ("window", 5)
    assert RatingInvitation.objects.get().rating == rating


def test_my_ratings_lists_and_rates(decided, client):
    case = decided()
    client.login(username="applicant", password="demo-pass-2026")
    assert case.number in client.get("/my/ratings/").content.decode()
    invitation = RatingInvitation.objects.get()
    client.post(f"/my/ratings/{invitation.pk}/", {"level": "3"})
    assert Rating.objects.get().channel == "portal"


def test_a_replied_ticket_is_rated_by_its_reporter(demo, api_client, freeze):
    freeze("2026-09-28")
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    invite_ticket_rating(
        Event(
            name="ticket.replied",
            payload={
                "ticket_id": 501,
                "number": "12345-20260928-0007",
                "kind": "complaint",
                "department_id": None,
                "reporter_applicant_id": clinic.pk,
                "replied_on": "2026-09-28",
            },
        )
    )
    response = api_client.login_as("applicant").post(
        "/api/v1/ratings", {"complaint_id": 501, "level": 4}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["rectification"] is None
    unknown = api_client.post(
        "/api/v1/ratings", {"complaint_id": 999, "level": 4}, content_type="application/json"
    )
    assert unknown.status_code == 404
    assert Rating.objects.get().invitation.subject_kind == "ticket"
