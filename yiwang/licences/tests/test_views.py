"""The pages render for their users and refuse bad input with a message, changing nothing."""

import datetime

import pytest
from django.test import Client

from yiwang.licences.models import Policy
from yiwang.licences.tests.factories import make_licence

pytestmark = pytest.mark.django_db
D = datetime.date


def client_for(username):
    client = Client()
    assert client.login(username=username, password="demo-pass-2026")
    return client


def test_portal_pages_of_the_holder(freeze, demo):
    freeze("2026-10-08")
    licence = make_licence()
    client = client_for("applicant")
    assert licence.number in client.get("/my/licences/").content.decode()
    page = client.get(f"/my/licences/{licence.number}/").content.decode()
    assert 'data-signature="valid"' in page
    assert client.get(f"/my/licences/{licence.number}/apply/renewal/").status_code == 200
    assert client.get(f"/my/licences/{licence.number}/apply/verification/").status_code == 200
    assert client.get(f"/my/licences/{licence.number}/apply/revocation/").status_code == 404
    assert client.get(f"/my/licences/{licence.number}/document/").status_code == 409


def test_the_holder_reads_the_licence_type_in_the_page_language(freeze, demo):
    freeze("2026-10-08")
    licence = make_licence()
    client = client_for("applicant")
    english = client.get(f"/my/licences/{licence.number}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>Medical institution practice licence</h1>" in english.content.decode()
    chinese = client.get(f"/my/licences/{licence.number}/").content.decode()
    assert f"<h1>{licence.licence_type}</h1>" in chinese
    listing = client.get("/my/licences/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Medical institution practice licence" in listing


def test_renewal_form_outside_the_window_says_why(freeze, demo):
    freeze("2026-09-01")
    licence = make_licence()
    client = client_for("applicant")
    response = client.post(
        f"/my/licences/{licence.number}/apply/renewal/",
        {"contact_name": "王明", "contact_phone": "13800000000"},
    )
    assert response.status_code == 200 and "2026-10-01" in response.content.decode()
    assert not licence.cases.exists()


def test_workbench_pages(freeze, demo):
    freeze("2026-09-28")
    licence = make_licence()
    reviewer = client_for("reviewer")
    assert licence.number in reviewer.get("/workbench/licences/?q=大连").content.decode()
    assert reviewer.get(f"/workbench/licences/{licence.number}/").status_code == 200
    assert reviewer.get("/workbench/licences/verifications/").status_code == 200
    assert reviewer.get("/workbench/licences/policies/").status_code == 403
    leader = client_for("leader")
    assert leader.get("/workbench/licences/import/").status_code == 200
    response = leader.post(
        "/workbench/licences/policies/",
        {
            "name": "顺延",
            "kind": "extend_validity",
            "window_from": "2026-12-31",
            "window_to": "2026-10-01",
            "licence_type_codes": "11100000000002",
            "new_valid_until": "2027-06-30",
        },
    )
    assert response.status_code == 200 and not Policy.objects.exists()
    response = leader.post(
        "/workbench/licences/policies/",
        {
            "name": "顺延",
            "kind": "extend_validity",
            "window_from": "2026-10-01",
            "window_to": "2026-12-31",
            "licence_type_codes": "11100000000002",
            "new_valid_until": "2027-06-30",
        },
    )
    policy = Policy.objects.get()
    page = leader.get(f"/workbench/licences/policies/{policy.pk}/").content.decode()
    assert licence.number in page
    leader.post(f"/workbench/licences/policies/{policy.pk}/apply/")
    licence.refresh_from_db()
    assert licence.valid_until == D(2027, 6, 30)


def test_public_verification_pages(freeze, demo):
    freeze("2026-09-28")
    licence = make_licence()
    client = Client()
    assert client.get(f"/verify/{licence.number}/").status_code == 200
    assert client.get("/verify/000/").status_code == 404
    assert client.get(f"/verify/?number={licence.number}").status_code == 302
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/verify/", {"document": SimpleUploadedFile("x.pdf", b"%PDF-1.7 x")})
    assert 'data-verdict="invalid"' in response.content.decode()
