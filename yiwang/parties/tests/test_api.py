import pytest

from yiwang.parties.identifiers import make_uscc
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db


def body(**overrides):
    data = {
        "kind": "organisation",
        "name": "大连新开游泳馆有限公司",
        "uscc": make_uscc("91210202", "MA7QK3L2"),
        "region_code": "210202000000",
    }
    data.update(overrides)
    return data


def test_clerk_creates_an_applicant(demo, api_client):
    response = api_client.login_as("clerk").post(
        "/api/v1/applicants", body(), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["name"] == "大连新开游泳馆有限公司"
    assert created["credit_grade"] == "B"
    assert Applicant.objects.filter(pk=created["id"], region__code="210202000000").exists()


def test_bad_check_digit_names_uscc_in_chinese(demo, api_client):
    good = body()["uscc"]
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = api_client.login_as("clerk").post(
        "/api/v1/applicants", body(uscc=bad), content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "checksum"
    assert "校验码" in error["fields"]["uscc"]
    assert not Applicant.objects.filter(name="大连新开游泳馆有限公司").exists()


def test_bad_check_digit_in_english(demo, api_client):
    good = body()["uscc"]
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = (
        api_client.login_as("clerk")
        .language("en")
        .post("/api/v1/applicants", body(uscc=bad), content_type="application/json")
    )
    assert response.status_code == 400
    assert "check digit" in response.json()["error"]["fields"]["uscc"]


def test_bad_resident_id_names_id_number(demo, api_client):
    response = api_client.login_as("clerk").post(
        "/api/v1/applicants",
        body(kind="person", name="王小明", uscc=None, id_number="110105194912310021"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "id_number" in response.json()["error"]["fields"]


def test_duplicate_is_409(demo, api_client):
    existing = Applicant.objects.exclude(uscc=None).first()
    response = api_client.login_as("clerk").post(
        "/api/v1/applicants", body(uscc=existing.uscc), content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate"


def test_unknown_region_is_400(demo, api_client):
    response = api_client.login_as("clerk").post(
        "/api/v1/applicants", body(region_code="999999000000"), content_type="application/json"
    )
    assert response.status_code == 400
    assert "region_code" in response.json()["error"]["fields"]


def test_missing_field_is_named(demo, api_client):
    response = api_client.login_as("clerk").post(
        "/api/v1/applicants", {"kind": "organisation"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert {"name", "region_code"} <= set(response.json()["error"]["fields"])


def test_district_reviewer_cannot_create_in_another_district(demo, api_client):
    response = api_client.login_as("zs_reviewer").post(
        "/api/v1/applicants", body(region_code="210203000000"), content_type="application/json"
    )
    assert response.status_code == 404
    assert not Applicant.objects.filter(name="大连新开游泳馆有限公司").exists()


def test_district_reviewer_cannot_read_another_districts_applicant(demo, api_client):
    xigang = Applicant.objects.filter(region__code="210203000000").first()
    response = api_client.login_as("zs_reviewer").get(f"/api/v1/applicants/{xigang.pk}")
    assert response.status_code == 404


def test_person_id_is_masked_for_roles_that_do_not_need_it(demo, api_client, user_named):
    from yiwang.parties.services import applicant_create

    person = applicant_create(
        actor=user_named("admin"),
        kind="person",
        name="王小明",
        id_number="11010519491231002X",
        region_code="210202000000",
    )
    masked = api_client.login_as("leader").get(f"/api/v1/applicants/{person.pk}").json()
    assert masked["id_number"] == "110105********002X"
    assert masked["name"] == "王**"
    full = api_client.login_as("clerk").get(f"/api/v1/applicants/{person.pk}").json()
    assert full["id_number"] == "11010519491231002X"


def test_wrong_password_is_401(demo, api_client):
    response = api_client.post(
        "/api/v1/auth/token",
        {"username": "clerk", "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorised"


def test_no_token_is_401(demo, api_client):
    response = api_client.get("/api/v1/applicants")
    assert response.status_code == 401


def test_openapi_document_is_served(demo, api_client):
    response = api_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/applicants" in response.json()["paths"]


def test_applicant_list_is_paginated_and_scoped(demo, api_client):
    response = api_client.login_as("zs_reviewer").get("/api/v1/applicants?limit=5")
    page = response.json()
    assert len(page["items"]) == 5
    assert all(item["region_code"].startswith("210202") for item in page["items"])
    assert page["count"] == Applicant.objects.filter(region__code__startswith="210202").count()
