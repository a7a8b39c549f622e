"""The Licences API (API.md): holder and staff read, the public check masks, the PDF waits."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.licences.models import Licence
from yiwang.licences.tasks import generate_document
from yiwang.licences.tests.factories import make_licence

pytestmark = pytest.mark.django_db
D = datetime.date


def test_staff_and_holder_read_the_licence_with_its_history(freeze, demo, api_client):
    freeze("2026-09-28")
    licence = make_licence()
    body = api_client.login_as("applicant").get(f"/api/v1/licences/{licence.number}").json()
    assert body["number"] == licence.number and body["status"] == "valid"
    assert body["valid_until"] == "2026-10-31" and body["scope"] == ["口腔科"]
    assert body["holder"]["name"] == "大连海滨口腔诊所"
    assert [event["action"] for event in body["history"]] == ["import"]
    assert (
        api_client.login_as("reviewer").get(f"/api/v1/licences/{licence.number}").status_code == 200
    )


def test_other_applicants_and_anonymous_callers_cannot_read_it(freeze, demo, api_client):
    freeze("2026-09-28")
    licence = make_licence(holder="大连中山仁和医院")
    assert api_client.get(f"/api/v1/licences/{licence.number}").status_code == 401
    response = api_client.login_as("applicant").get(f"/api/v1/licences/{licence.number}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_public_verification_masks_a_person_and_reports_the_signature(freeze, demo, api_client):
    freeze("2026-09-28")
    licence = make_licence()
    body = api_client.get(f"/api/v1/licences/{licence.number}/verify").json()
    assert body == {
        **body,
        "number": licence.number,
        "status": "valid",
        "valid_until": "2026-10-31",
        "signature_valid": True,
    }
    Licence.objects.filter(pk=licence.pk).update(scope=["全科"])
    assert not api_client.get(f"/api/v1/licences/{licence.number}/verify").json()["signature_valid"]
    unknown = api_client.language("en").get("/api/v1/licences/999999/verify")
    assert unknown.status_code == 404 and "999999" in unknown.json()["error"]["message"]


def test_the_document_is_409_until_generated_then_the_pdf(freeze, demo, api_client):
    freeze("2026-09-28")
    licence = make_licence()
    api_client.login_as("applicant")
    pending = api_client.get(f"/api/v1/licences/{licence.number}/document")
    assert pending.status_code == 409 and pending.json()["error"]["code"] == "document_pending"
    generate_document.call(licence.pk, licence.version)
    response = api_client.get(f"/api/v1/licences/{licence.number}/document")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    upload = api_client.post(
        "/api/v1/licences/verify-document", {"file": SimpleUploadedFile("l.pdf", content)}
    )
    assert upload.json()["signature_valid"] is True
    forged = bytearray(content)
    forged[-100] ^= 0x20
    upload = api_client.post(
        "/api/v1/licences/verify-document", {"file": SimpleUploadedFile("l.pdf", bytes(forged))}
    )
    assert upload.json() == {"number": None, "signature_valid": False}
