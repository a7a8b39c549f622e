"""Filing with the item's application form: answers checked, stored, shown and licensed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yiwang.cases import services
from yiwang.cases.models import Case, StoredFile
from yiwang.cases.tests.conftest import FORM, PRACTICE_REGISTRATION, posted_answers
from yiwang.catalog.demo import example_answers

pytestmark = pytest.mark.django_db


def signed_in(username):
    client = Client()
    assert client.login(username=username, password="demo-pass-2026")
    return client


def test_the_api_refuses_a_form_without_subjects_naming_the_field_in_chinese(
    demo, clinic, api_client, freeze
):
    freeze("2026-09-28")
    client = api_client.login_as("applicant").language("zh-hans")
    answers = {**example_answers(PRACTICE_REGISTRATION), "beds": 9999}
    del answers["clinical_subjects"]
    response = client.post(
        "/api/v1/applications",
        {
            "item_code": PRACTICE_REGISTRATION,
            "channel": "online",
            "applicant": {"id": clinic.pk},
            "form": {**FORM, **answers},
            "materials": [],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_form"
    assert error["fields"]["form.clinical_subjects"] == "诊疗科目为必填项。"
    assert error["fields"]["form.beds"] == "床位（张）不得大于 5000。"
    assert Case.objects.count() == 0


def test_answers_left_out_that_the_profile_gives_are_taken_from_it(file_case, clinic, freeze):
    freeze("2026-09-28")
    case = file_case()  # the example answers carry no name or address
    assert case.form["institution_name"] == clinic.name
    assert case.form["address"] == {"region": clinic.region.code, "detail": clinic.address}
    assert case.form["clinical_subjects"] == ["12"]


def test_the_issued_licence_carries_the_subjects_as_scope(file_case, freeze, user_named):
    freeze("2026-09-28")
    case = file_case(form={"clinical_subjects": ["03", "12"], "beds": 20})
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    services.case_approve(actor=user_named("approver"), case_id=case.pk, note="同意")
    case = services.case_issue(actor=user_named("approver"), case_id=case.pk)
    from yiwang.licences.models import Licence

    licence = Licence.objects.get(case=case)
    assert licence.scope == ["内科", "口腔科"]
    printed = {entry["label"]: entry["value"] for entry in licence.particulars}
    assert printed["床位（张）"] == "20"
    assert printed["机构名称"] == case.applicant.name
    page = signed_in("applicant").get(f"/my/licences/{licence.number}/").content.decode()
    assert "内科；口腔科" in page and "大连海滨口腔诊所" in page


def test_the_filing_page_shows_each_refusal_next_to_its_field(demo, clinic, freeze):
    freeze("2026-09-28")
    client = signed_in("applicant")
    data = {
        "applicant": clinic.pk,
        "contact_name": "王明",
        "contact_phone": "13800000000",
        "idempotency_key": "form-errors",
        **posted_answers(),
        "answer_beds": "-2",
    }
    response = client.post(f"/apply/{PRACTICE_REGISTRATION}/", data)
    page = response.content.decode()
    assert response.status_code == 200 and Case.objects.count() == 0
    assert 'data-error-for="beds"' in page and "床位（张）不得小于 0。" in page
    assert "form.beds" not in page  # the message names the field by its label, not its path


def test_a_renamed_program_is_refused_next_to_the_material_with_its_name(demo, clinic, freeze):
    freeze("2026-09-28")
    client = signed_in("applicant")
    data = {
        "applicant": clinic.pk,
        "contact_name": "王明",
        "contact_phone": "13800000000",
        "idempotency_key": "form-exe",
        **posted_answers(),
        "material_M01": SimpleUploadedFile(
            "营业执照.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf"
        ),
    }
    page = client.post(f"/apply/{PRACTICE_REGISTRATION}/", data).content.decode()
    assert 'data-error-for="material_M01"' in page
    assert "文件“营业执照.pdf”被拒收" in page
    assert Case.objects.count() == 0 and StoredFile.objects.count() == 0


def test_the_supplement_page_shows_the_refusal_next_to_the_file(file_case, freeze, user_named):
    freeze("2026-09-28")
    case = file_case(missing=("M03",))
    services.case_request_correction(
        actor=user_named("clerk"),
        case_id=case.pk,
        items=[{"material_code": "M03", "reason": "缺少房屋证明"}],
    )
    client = signed_in("applicant")
    page = client.get(f"/my/cases/{case.pk}/").content.decode()
    assert 'id="material_M03-rules"' in page and "MB" in page  # rules before upload
    client.post(
        f"/my/cases/{case.pk}/resubmit/",
        {"material_M03": SimpleUploadedFile("房屋证明.pdf", b"MZ\x90\x00" + b"\x00" * 64)},
    )
    page = client.get(f"/my/cases/{case.pk}/").content.decode()
    assert 'data-error-for="material_M03"' in page and "房屋证明.pdf" in page
