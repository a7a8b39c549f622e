"""Bad input never reaches a 5xx: media types, sizes, bounds, and errors always in JSON."""

import pytest

from yiwang.api.guard import MAX_INT
from yiwang.api.routes import api
from yiwang.cases.models import Case

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


@pytest.fixture
def applicant(demo, api_client):
    return api_client.login_as("applicant").language("en")


def error_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()["error"]


def test_a_json_endpoint_refuses_other_media_types_with_415(applicant):
    body = '{"item_code": "010010020000", "channel": "online"}'
    for kind in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        error = error_of(applicant.post("/api/v1/applications", body, content_type=kind), 415)
        assert error["code"] == "unsupported_media_type" and "application/json" in error["message"]
    assert Case.objects.count() == 0
    zh = applicant.language("zh-hans").post("/api/v1/applications", body, content_type="text/plain")
    assert "请求体应为" in error_of(zh, 415)["message"]


def test_an_upload_endpoint_refuses_json_with_415(applicant):
    response = applicant.post("/api/v1/files", {"file": "x"}, content_type="application/json")
    assert "multipart/form-data" in error_of(response, 415)["message"]


def test_strings_in_a_body_are_bounded_and_the_field_is_named(applicant):
    body = {"item_code": "010010020000", "channel": "online", "form": {"contact_name": "张" * 5000}}
    error = error_of(
        applicant.post("/api/v1/applications", body, content_type="application/json"), 400
    )
    assert error["fields"] == {
        "form.contact_name": "This text is too long (at most 4000 characters)."
    }
    assert Case.objects.count() == 0


def test_a_body_over_the_limit_is_413(applicant):
    body = '{"form": {' + ",".join(f'"k{n}": "{"x" * 100}"' for n in range(3000)) + "}}"
    assert (
        error_of(
            applicant.post("/api/v1/applications", body, content_type="application/json"), 413
        )["code"]
        == "too_large"
    )


@pytest.mark.parametrize(
    "url, field",
    [
        (f"/api/v1/applications?department={HUGE}", "department"),
        (f"/api/v1/applications?offset={HUGE}", "offset"),
        (f"/api/v1/applicants?limit={HUGE}", "limit"),
        (f"/api/v1/applications/{HUGE}", "case_id"),
        (f"/api/v1/applicants/{HUGE}", "applicant_id"),
        (f"/api/v1/prereviews/{HUGE}", "prereview_id"),
    ],
)
def test_integers_beyond_the_bound_are_400_naming_the_field(applicant, url, field):
    error = error_of(applicant.get(url), 400)
    assert list(error["fields"]) == [field]


def test_integers_in_a_body_are_bounded(applicant):
    body = {"item_code": "010010020000", "channel": "online", "department": 2**70}
    error = error_of(
        applicant.post("/api/v1/applications", body, content_type="application/json"), 400
    )
    assert list(error["fields"]) == ["department"]


def test_a_superscript_digit_is_not_a_department_id(demo, client):
    assert error_of(client.get("/api/v1/items?department=³"), 404)["code"] == "not_found"
    assert error_of(client.get("/api/v1/items/010010020000?department=³"), 404)


def test_every_api_error_is_json(demo, client):
    assert error_of(client.get("/api/v1/no-such-thing"), 404)["code"] == "http_404"
    assert error_of(client.put("/api/v1/applications"), 405)["code"] == "http_405"
    assert error_of(client.get("/api/v1/applications"), 401)["code"] == "unauthorised"


def test_the_openapi_document_states_bounds_and_error_statuses():
    document = api.get_openapi_schema()
    operations = [op for ops in document["paths"].values() for op in ops.values()]
    assert len(operations) >= 29
    for operation in operations:
        statuses = {str(status) for status in operation["responses"]}
        assert {"400", "404", "405"} <= statuses
        if "requestBody" in operation:
            assert {"413", "415"} <= statuses
        if operation.get("security"):
            assert {"401", "403"} <= statuses
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            for option in schema.get("anyOf", [schema]):
                if option.get("type") == "integer":
                    assert option["maximum"] <= MAX_INT
                if option.get("type") == "string" and not {"format", "enum"} & set(option):
                    assert option["maxLength"] <= 500
    token = document["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"401", "429"} <= {str(status) for status in token}
