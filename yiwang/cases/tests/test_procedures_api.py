"""Each reform procedure over the API, with its failure path and credit gate."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.cases.models import Case, CommitmentCheck
from yiwang.cases.tests.conftest import FORM, bundle_answers
from yiwang.catalog.demo import example_answers
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(demo, api_client):
    made = {}

    def client(username):
        if username not in made:
            made[username] = api_client.__class__().login_as(username)
        return made[username]

    return client


def file_id(client):
    upload = SimpleUploadedFile("m.pdf", b"%PDF-1.4", content_type="application/pdf")
    return client.post("/api/v1/files", {"file": upload}).json()["file_id"]


def body(client, clinic, item_code, procedure, codes, missing=(), **extra):
    materials = [
        {"code": c, "missing": True} if c in missing else {"code": c, "file_id": file_id(client)}
        for c in codes
    ]
    return {
        "item_code": item_code,
        "channel": "online",
        "procedure": procedure,
        "applicant": {"id": clinic.pk},
        "form": {**FORM, **example_answers(item_code)},
        "materials": materials,
        **extra,
    }


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


PUBLIC = ("010040010000", ["M01", "M02", "M03", "M04", "M05"])
RADIOLOGY = ("010030010000", ["M01", "M02", "M03", "M04", "M05", "M06"])


def test_commitment_over_the_api_then_a_false_check(clients, clinic, freeze):
    freeze("2026-09-28")
    city = Department.objects.get(name="大连市卫生健康委员会")
    applicant = clients("applicant")
    unsigned = post(
        applicant,
        "/api/v1/applications",
        body(applicant, clinic, PUBLIC[0], "commitment", PUBLIC[1], department=city.pk),
    )
    assert unsigned.status_code == 400 and "commitment_signed" in unsigned.json()["error"]["fields"]
    response = post(
        applicant,
        "/api/v1/applications",
        body(
            applicant,
            clinic,
            PUBLIC[0],
            "commitment",
            PUBLIC[1],
            department=city.pk,
            commitment_signed=True,
        ),
    )
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["status"] == "issued" and case["accepted_on"] == "2026-09-28"
    assert case["commitment"]["check"] == "pending"
    assert case["deadlines"]["verification_due"] == "2026-10-30"
    inspector = clients("inspector1")
    checks = inspector.get("/api/v1/procedures/commitment-checks").json()
    assert [c["case"] for c in checks] == [case["number"]]
    result = post(
        inspector,
        f"/api/v1/procedures/commitment-checks/{checks[0]['id']}",
        {"truthful": False, "findings": "承诺不实"},
    )
    assert result.json()["result"] == "false"
    licence = clients("approver").get(f"/api/v1/licences/{case['licence_number']}").json()
    assert licence["status"] == "revoked"


def test_black_listed_applicant_gets_409_naming_the_reason(clients, clinic, freeze):
    freeze("2026-09-28")
    Applicant.objects.filter(pk=clinic.pk).update(black_listed=True)
    applicant = clients("applicant")
    response = post(
        applicant,
        "/api/v1/applications",
        body(applicant, clinic, PUBLIC[0], "commitment", PUBLIC[1], commitment_signed=True),
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "credit_gate"
    assert "黑名单" in response.json()["error"]["message"]
    assert Case.objects.count() == 0


def test_tolerance_then_supplement_over_the_api(clients, clinic, freeze):
    freeze("2026-09-28")
    city = Department.objects.get(name="大连市卫生健康委员会")
    applicant = clients("applicant")
    core = post(
        applicant,
        "/api/v1/applications",
        body(
            applicant,
            clinic,
            PUBLIC[0],
            "tolerance",
            PUBLIC[1],
            missing=("M01",),
            department=city.pk,
            commitment_signed=True,
        ),
    )
    assert core.status_code == 400 and core.json()["error"]["code"] == "core_material_missing"
    case = post(
        applicant,
        "/api/v1/applications",
        body(
            applicant,
            clinic,
            PUBLIC[0],
            "tolerance",
            PUBLIC[1],
            missing=("M03",),
            department=city.pk,
            commitment_signed=True,
        ),
    ).json()
    post(clients("clerk"), f"/api/v1/applications/{case['id']}/actions/accept", {})
    accepted = clients("clerk").get(f"/api/v1/applications/{case['id']}").json()
    assert accepted["deadlines"]["supplement_due"] == "2026-10-16"
    approver = clients("approver")
    post(approver, f"/api/v1/applications/{case['id']}/actions/approve", {})
    issued = post(approver, f"/api/v1/applications/{case['id']}/actions/issue", {}).json()
    assert (
        approver.get(f"/api/v1/licences/{issued['licence_number']}").json()["status"]
        == "provisional"
    )
    supplied = post(
        applicant,
        f"/api/v1/applications/{case['id']}/actions/supplement",
        {"materials": [{"code": "M03", "file_id": file_id(applicant)}]},
    )
    assert supplied.status_code == 200, supplied.content
    assert supplied.json()["supplemented_on"] == "2026-09-28"
    assert approver.get(f"/api/v1/licences/{issued['licence_number']}").json()["status"] == "valid"


def test_green_mark_by_a_leader_only(clients, freeze):
    freeze("2026-09-28")
    data = {"reason": "疫情防控", "starts_on": "2026-09-28", "ends_on": "2026-10-31"}
    refused = post(clients("reviewer"), "/api/v1/procedures/items/010040010000/green", data)
    assert refused.status_code == 403
    assert (
        post(clients("leader"), "/api/v1/procedures/items/010040010000/green", data).status_code
        == 201
    )
    reversed_period = post(
        clients("leader"),
        "/api/v1/procedures/items/010040010000/green",
        {**data, "ends_on": "2026-09-01"},
    )
    assert (
        reversed_period.status_code == 400
        and "ends_on" in reversed_period.json()["error"]["fields"]
    )


def test_first_use_permit_withdrawn_by_denial_over_the_api(clients, clinic, freeze):
    freeze("2026-09-28")
    applicant = clients("applicant")
    case = post(
        applicant,
        "/api/v1/applications",
        body(applicant, clinic, RADIOLOGY[0], "first_use", RADIOLOGY[1]),
    ).json()
    number = case["licence_number"]
    approver = clients("approver")
    assert approver.get(f"/api/v1/licences/{number}").json()["status"] == "provisional"
    post(clients("clerk"), f"/api/v1/applications/{case['id']}/actions/accept", {})
    denied = post(
        approver, f"/api/v1/applications/{case['id']}/actions/deny", {"reason": "防护不达标"}
    )
    assert denied.json()["status"] == "denied"
    assert approver.get(f"/api/v1/licences/{number}").json()["status"] == "revoked"


def test_prereview_over_the_api(clients, clinic):
    applicant = clients("applicant")
    created = post(
        applicant,
        "/api/v1/prereviews",
        {
            "item_code": "010010020000",
            "applicant": {"id": clinic.pk},
            "materials": [{"code": "M01", "file_id": file_id(applicant)}],
        },
    )
    assert created.status_code == 201
    prereview = created.json()
    commented = post(
        clients("reviewer"),
        f"/api/v1/prereviews/{prereview['id']}/comments",
        {"comments": {"M01": {"acceptable": False, "comment": "请加盖公章"}}},
    )
    assert commented.json()["status"] == "commented"
    assert commented.json()["materials"][0]["comment"] == "请加盖公章"
    outsider = post(
        clients("xg_reviewer"),
        f"/api/v1/prereviews/{prereview['id']}/comments",
        {"comments": {"M01": {"acceptable": True}}},
    )
    assert outsider.status_code in (403, 404)
    assert Case.objects.count() == 0


def test_bundle_over_the_api(clients, clinic):
    listed = clients("applicant").get("/api/v1/bundles").json()
    clinic_bundle = next(b for b in listed if b["code"] == "open-a-clinic")
    applicant = clients("applicant")
    materials = [
        {"key": m["key"], "file_id": file_id(applicant)} for m in clinic_bundle["materials"]
    ]
    response = post(
        applicant,
        "/api/v1/bundles/open-a-clinic/applications",
        {
            "applicant": {"id": clinic.pk},
            "form": {**FORM, **bundle_answers(*clinic_bundle["items"])},
            "materials": materials,
        },
    )
    assert response.status_code == 201, response.content
    application = response.json()
    assert application["status"] == "in_progress" and application["total"] == 3
    unknown = post(
        applicant,
        "/api/v1/bundles/open-a-clinic/applications",
        {"applicant": {"id": clinic.pk}, "form": FORM, "materials": [{"key": "无此材料"}]},
    )
    assert unknown.status_code == 400
    assert CommitmentCheck.objects.count() == 0


def test_filing_for_an_applicant_one_may_not_file_for_is_refused_as_a_permission(clients):
    # Found by the authorization matrix: the refusal was a 400 on the `applicant` field, so an
    # id outside one's region told that it exists; now 403 in view, 404 outside it.
    body = {"form": FORM, "materials": []}
    hospital = Applicant.objects.get(name="大连康桥妇产医院")  # Zhongshan, not represented
    xigang = Applicant.objects.get(name="大连西岗康宁医院")
    path = "/api/v1/bundles/open-a-clinic/applications"
    portal = post(clients("applicant"), path, {**body, "applicant": {"id": hospital.pk}})
    assert portal.status_code == 404, portal.content
    reviewer = post(clients("reviewer"), path, {**body, "applicant": {"id": hospital.pk}})
    assert reviewer.status_code == 403 and reviewer.json()["error"]["code"] == "forbidden"
    district = post(clients("zs_reviewer"), path, {**body, "applicant": {"id": xigang.pk}})
    assert district.status_code == 404
    assert Case.objects.count() == 0
