"""The case pages through Django's test client (the browser test is in test_pages.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yiwang.cases.models import Case
from yiwang.cases.tests.conftest import PRACTICE_REGISTRATION, posted_answers

pytestmark = pytest.mark.django_db


def signed_in(username):
    client = Client()
    assert client.login(username=username, password="demo-pass-2026")
    return client


def test_apply_page_files_a_case_with_uploads(demo, clinic, freeze):
    freeze("2026-09-28")
    client = signed_in("applicant")
    page = client.get(f"/apply/{PRACTICE_REGISTRATION}/")
    assert page.status_code == 200
    assert "医疗机构执业登记" in page.content.decode()
    data = {
        "applicant": clinic.pk,
        "contact_name": "王明",
        "contact_phone": "13800000000",
        "idempotency_key": "form-1",
        **posted_answers(),
    }
    for code in ["M01", "M02", "M04"]:
        data[f"material_{code}"] = SimpleUploadedFile(
            f"{code}.pdf", b"%PDF-1.4", content_type="application/pdf"
        )
    response = client.post(f"/apply/{PRACTICE_REGISTRATION}/", data)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/my/cases/{case.pk}/"
    assert set(case.materials.filter(missing=False).values_list("code", flat=True)) == {
        "M01",
        "M02",
        "M04",
    }
    detail = client.get(response.url).content.decode()
    assert case.number in detail and "2026-10-10" in detail


def test_apply_page_shows_the_missing_field_and_files_nothing(demo, clinic):
    client = signed_in("applicant")
    response = client.post(
        f"/apply/{PRACTICE_REGISTRATION}/", {"applicant": clinic.pk, "contact_name": "王明"}
    )
    assert response.status_code == 200
    assert "contact_phone" in response.content.decode()
    assert Case.objects.count() == 0


def test_clerk_queue_accepts_in_batch(file_case, freeze):
    freeze("2026-09-28")
    cases = [file_case(), file_case()]
    client = signed_in("clerk")
    page = client.get("/workbench/cases/").content.decode()
    assert all(case.number in page for case in cases)
    response = client.post("/workbench/cases/accept/", {"case": [c.pk for c in cases]})
    assert response.status_code == 302
    assert set(Case.objects.values_list("status", flat=True)) == {"accepted"}


def test_case_page_offers_only_the_actions_the_user_may_take(file_case, freeze, user_named):
    from yiwang.cases import services

    freeze("2026-09-28")
    case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    reviewer_page = signed_in("reviewer").get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "action-review" in reviewer_page and "action-approve" not in reviewer_page
    approver_page = signed_in("approver").get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "action-approve" in approver_page and "action-extend" in approver_page


def test_refused_action_on_the_page_shows_why_and_changes_nothing(file_case, freeze):
    freeze("2026-09-28")
    case = file_case()
    client = signed_in("clerk")
    response = client.post(f"/workbench/cases/{case.pk}/refuse/", {"reason": ""}, follow=True)
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).status == "received"
    assert "reason" in response.content.decode()


def test_material_file_is_served_to_staff_in_scope_only(file_case, freeze):
    freeze("2026-09-28")
    case = file_case()
    material = case.materials.exclude(file=None).first()
    assert signed_in("clerk").get(f"/files/{material.file_id}/").status_code == 200
    assert signed_in("xg_reviewer").get(f"/files/{material.file_id}/").status_code == 404


def test_queue_page_queries_stay_constant(file_case, freeze, django_assert_max_num_queries):
    freeze("2026-09-28")
    for _ in range(8):
        file_case()
    client = signed_in("clerk")
    with django_assert_max_num_queries(14):
        response = client.get("/workbench/cases/")
    assert response.content.decode().count('data-case="') == 8


def test_queue_queries_do_not_grow_with_departments_items_or_cases(file_case, freeze, user_named):
    """A peer spent 1,400 queries on one user with 170 case types; ours is one set-based query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.regions.models import Department

    freeze("2026-09-28")
    client = signed_in("clerk")

    def queries_for_queue():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/workbench/cases/?status=received").status_code == 200
        return len(captured)

    file_case()
    few = queries_for_queue()
    zhongshan = Department.objects.get(name="中山区卫生健康局")
    for item_code in ("010010020000", "010040010000", "010010010000", "010030010000"):
        file_case(item_code=item_code)
        file_case(item_code=item_code)
    file_case(item_code="010040010000", department_id=zhongshan.pk)
    many = queries_for_queue()
    assert many == few


def _apply_data(clinic, key, **extra):
    data = {
        "applicant": clinic.pk,
        "contact_name": "王明",
        "contact_phone": "13800000000",
        "idempotency_key": key,
        **posted_answers(),
        **extra,
    }
    for code in ["M01", "M02", "M04"]:
        data[f"material_{code}"] = SimpleUploadedFile(
            f"{code}.pdf", b"%PDF-1.4", content_type="application/pdf"
        )
    return data


def test_back_and_submit_again_returns_the_case_already_filed(demo, clinic, freeze):
    freeze("2026-09-28")
    client = signed_in("applicant")
    url = f"/apply/{PRACTICE_REGISTRATION}/"
    page = client.get(url).content.decode()
    key = client.session[f"apply-key:{PRACTICE_REGISTRATION}"]
    assert f'value="{key}"' in page
    first = client.post(url, _apply_data(clinic, key))
    again = client.post(url, _apply_data(clinic, key))  # the same form, sent again
    assert Case.objects.count() == 1
    assert first.url == again.url == f"/my/cases/{Case.objects.get().pk}/"


def test_a_second_open_case_for_the_same_item_needs_confirmation(demo, clinic, freeze):
    freeze("2026-09-28")
    client = signed_in("applicant")
    url = f"/apply/{PRACTICE_REGISTRATION}/"
    client.post(url, _apply_data(clinic, "form-1"))
    existing = Case.objects.get()
    page = client.get(url).content.decode()
    assert existing.number in page and 'name="confirm_duplicate"' in page
    refused = client.post(url, _apply_data(clinic, "form-2"))
    assert refused.status_code == 200 and Case.objects.count() == 1
    assert existing.number in refused.content.decode()
    confirmed = client.post(url, _apply_data(clinic, "form-2", confirm_duplicate="1"))
    assert confirmed.status_code == 302 and Case.objects.count() == 2


def test_the_clerk_finds_an_applicant_by_code_or_name(demo, clinic):
    clerk = signed_in("clerk")
    by_code = clerk.get("/workbench/cases/applicants/", {"applicant_query": clinic.uscc[:10]})
    assert by_code.status_code == 200
    assert f'value="{clinic.pk}"' in by_code.content.decode()
    by_name = clerk.get("/workbench/cases/applicants/", {"applicant_query": "海滨口腔"})
    assert clinic.name in by_name.content.decode()
    assert signed_in("applicant").get("/workbench/cases/applicants/").status_code == 403


def test_window_filing_takes_a_typed_uscc_as_the_applicant(demo, clinic, freeze):
    freeze("2026-09-28")
    clerk = signed_in("clerk")
    data = _apply_data(clinic, "window-1", channel="window", applicant_query=clinic.uscc)
    del data["applicant"]
    response = clerk.post(f"/apply/{PRACTICE_REGISTRATION}/", data)
    case = Case.objects.get()
    assert response.status_code == 302 and case.applicant_id == clinic.pk
    assert case.channel == "window"


def test_the_history_reads_as_sentences_and_articles_are_cited_in_chinese(
    file_case, freeze, user_named
):
    from yiwang.cases import services

    freeze("2026-09-28")
    case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    page = signed_in("reviewer").get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "大连市行政审批局 王晓琳 受理申请" in page
    assert f"申请人{case.applicant.name} 提交申请" in page
    assert "accept clerk" not in page and ">accept<" not in page
    assert "《行政许可法》第" in page and "Art. 3" not in page
    english = signed_in("reviewer")
    english.post("/i18n/setlang/", {"language": "en"})
    page = english.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "王晓琳 accepted the application" in page
    assert "Administrative Licensing Law, Art. 3" in page
