"""Uploads are judged by content: type, name, active content, archives, quota, virus scan."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.cases.models import StoredFile
from yiwang.security.uploads import normalised_name

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def package(names: list[str]) -> bytes:
    """A zip whose bytes do not depend on the clock: they name parametrized tests, and xdist
    refuses to run when two workers collect different names (one second apart)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), "<ofd/>")
    return buffer.getvalue()


def send(client, name, content, kind="application/pdf"):
    return client.post(
        "/api/v1/files", {"file": SimpleUploadedFile(name, content, content_type=kind)}
    )


@pytest.fixture
def applicant(demo, api_client):
    return api_client.login_as("applicant").language("en")


def refused(response, code):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == code and list(error["fields"]) == ["file"]
    return error["fields"]["file"]


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("evil.pdf", b"<html><script>alert(1)</script></html>", "forbidden_type"),
        ("invoice.pdf", EXE, "forbidden_type"),  # a renamed .exe
        ("run.sh.pdf", b"#!/bin/sh\nrm -rf /\n", "forbidden_type"),
        ("papers.zip", package(["a.pdf"]), "forbidden_type"),
        (
            "plan.pdf",
            b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
            "active_content",
        ),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_dangerous_or_unknown_content_is_refused_and_nothing_stored(applicant, name, content, code):
    message = refused(send(applicant, name, content, kind="application/pdf"), code)
    assert message
    assert StoredFile.objects.count() == 0


def test_archives_and_programs_are_named_in_the_message(applicant):
    assert "Archives" in refused(send(applicant, "a.zip", package(["x"])), "forbidden_type")
    assert "Programs" in refused(send(applicant, "a.pdf", EXE), "forbidden_type")
    zh = applicant.language("zh-hans")
    assert "程序" in refused(send(zh, "a.pdf", EXE), "forbidden_type")


@pytest.mark.parametrize(
    "name, content, declared, stored_type, stored_name",
    [
        ("evil.exe.", PDF, "application/x-msdownload", "application/pdf", "evil.pdf"),
        ("licence.pdf", PDF, "text/html", "application/pdf", "licence.pdf"),
        ("photo.pdf", PNG, "application/pdf", "image/png", "photo.png"),
        ("scan.JPG ", JPEG, "image/jpeg", "image/jpeg", "scan.jpg"),
        (
            "营业执照.ofd",
            package(["OFD.xml", "Doc_0/Document.xml"]),
            "application/zip",
            "application/ofd",
            "营业执照.ofd",
        ),
    ],
)
def test_accepted_files_are_stored_with_the_detected_type_and_a_normalised_name(
    applicant, name, content, declared, stored_type, stored_name
):
    response = send(applicant, name, content, kind=declared)
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == stored_type
    stored = StoredFile.objects.get(pk=response.json()["file_id"])
    assert (stored.content_type, stored.original_name) == (stored_type, stored_name)
    assert stored.content.name.endswith("." + stored_name.rsplit(".", 1)[1])


def test_names_are_normalised():
    assert normalised_name("evil.exe.", "pdf") == "evil.pdf"
    assert normalised_name("plan.pdf.exe", "pdf") == "plan.pdf"
    assert normalised_name("a.b.pdf", "pdf") == "a_b.pdf"
    assert normalised_name("../../etc/passwd", "png") == "passwd.png"
    assert normalised_name("...", "jpg") == "file.jpg"
    assert normalised_name("bad\x00name\u202e.pdf", "pdf") == "badname.pdf"


def test_each_user_has_a_storage_quota(applicant, settings):
    settings.UPLOAD_QUOTA_MB = 1
    half = PDF + b"x" * 600_000
    assert send(applicant, "a.pdf", half).status_code == 201
    message = refused(send(applicant, "b.pdf", half), "quota_exceeded")
    assert "1 MB" in message
    assert StoredFile.objects.count() == 1


def refuse_eicar(file, name):
    return "EICAR test signature" if b"EICAR" in file.read() else None


def test_the_virus_scan_hook_refuses_infected_files(applicant, settings):
    settings.UPLOAD_SCANNER = "yiwang.security.tests.test_uploads.refuse_eicar"
    assert "EICAR" in refused(send(applicant, "a.pdf", PDF + b"EICAR"), "infected")
    assert send(applicant, "b.pdf", PDF).status_code == 201


def test_files_are_served_as_attachments_with_nosniff(applicant, client):
    file_id = send(applicant, "evil.exe.", PDF, kind="text/html").json()["file_id"]
    client.login(username="applicant", password="demo-pass-2026")
    response = client.get(f"/files/{file_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="evil.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
