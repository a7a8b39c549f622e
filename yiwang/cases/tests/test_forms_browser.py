"""The application form and the upload checks in Chromium, in Chinese and in English."""

import pypdfium2
import pytest

from yiwang import demo
from yiwang.cases import services
from yiwang.cases.models import Case
from yiwang.cases.tests.conftest import PRACTICE_REGISTRATION, fill_answers
from yiwang.catalog.demo import example_answers
from yiwang.catalog.selectors import item_published
from yiwang.licences.documents import render_pdf
from yiwang.licences.models import Licence
from yiwang.parties.models import Applicant

WORDS = {
    "zh-hans": {"subjects": "内科、口腔科", "scope": "内科；口腔科", "refused": "被拒收"},
    "en": {
        "subjects": "Internal medicine, Stomatology (dentistry)",
        "scope": "内科；口腔科",  # the licence is printed in Chinese, whatever the page's language
        "refused": "was refused",
    },
}


def _in_language(site, language: str) -> None:
    site.page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": site.base}]
    )


def _submit(page, button: str) -> None:
    """Press a submit button and wait for the answer page (not merely the current one)."""
    with page.expect_navigation():
        page.click(button)


def _sign_out(page, language: str) -> None:
    page.click("text=退出" if language == "zh-hans" else "text=Sign out")
    page.wait_for_load_state()


def _pdf_text(licence) -> str:

    document = pypdfium2.PdfDocument(render_pdf(licence))
    return "".join(page.get_textpage().get_text_range() for page in document)


def _attach_required_materials(page, document) -> None:
    for material in item_published(PRACTICE_REGISTRATION).materials.all():
        if material.core:
            page.set_input_files(f"#material_{material.code}", str(document))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_clinics_form_answers_become_the_licence_scope(site, tmp_path, user_named, language):

    demo.load(sample_cases=False)
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    document = tmp_path / "plan.pdf"
    document.write_bytes(b"%PDF-1.4 site plan")
    page = site.page
    _in_language(site, language)

    site.login("applicant")
    page.goto(site.url(f"/apply/{PRACTICE_REGISTRATION}/?applicant={clinic.pk}"))
    # Prefilled from the clinic's record: its name, district and street address.
    assert page.input_value("#answer_institution_name") == "大连海滨口腔诊所"
    assert page.input_value("#answer_address_region") == clinic.region.code
    assert page.input_value("#answer_address_detail") == clinic.address
    fill_answers(
        page,
        PRACTICE_REGISTRATION,
        {**example_answers(PRACTICE_REGISTRATION), "clinical_subjects": ["03", "12"]},
    )
    page.fill("#contact_name", "王明")
    page.fill("#contact_phone", "13800000000")
    _attach_required_materials(page, document)
    _submit(page, "#apply-form button[type=submit]")
    case = Case.objects.get()
    assert case.form["clinical_subjects"] == ["03", "12"]
    assert case.form["institution_name"] == "大连海滨口腔诊所"
    assert case.form["staff"][0]["name"] == "王明"

    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    _sign_out(page, language)
    site.login("approver")
    page.goto(site.url(f"/workbench/cases/{case.pk}/"))
    # The reviewer reads the answers first: before the deadlines and the materials.
    answers = page.locator("#answers")
    assert (
        answers.locator("[data-answer=clinical_subjects]").inner_text()
        == (WORDS[language]["subjects"])
    )
    assert answers.locator("[data-answer=institution_name]").inner_text() == "大连海滨口腔诊所"
    order = page.locator("#answers, dl.deadlines").evaluate_all(
        "nodes => nodes.map(node => node.id || node.className)"
    )
    assert order[0] == "answers"
    page.fill("#note-approve", "同意")
    _submit(page, "form.action-approve button[type=submit]")
    _submit(page, "form.action-issue button[type=submit]")

    licence = Licence.objects.get(case=case)
    assert licence.scope == ["内科", "口腔科"]
    printed = {entry["label"]: entry["value"] for entry in licence.particulars}
    assert printed["机构名称"] == "大连海滨口腔诊所"
    assert printed["地址"] == clinic.address
    _sign_out(page, language)
    site.login("applicant")
    page.goto(site.url(f"/my/licences/{licence.number}/"))
    assert page.locator("[data-licence=scope]").inner_text() == WORDS[language]["scope"]
    assert clinic.address in page.locator("dl.facts").inner_text()
    text = _pdf_text(licence)
    assert "内科；口腔科" in text
    assert "大连海滨口腔诊所" in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_program_renamed_pdf_is_refused_next_to_its_file(site, tmp_path, language):

    demo.load(sample_cases=False)
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    program = tmp_path / "营业执照.pdf"
    program.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64)
    page = site.page
    _in_language(site, language)
    site.login("applicant")
    page.goto(site.url(f"/apply/{PRACTICE_REGISTRATION}/?applicant={clinic.pk}"))
    rules = page.locator("#material_M01-rules").inner_text()
    assert "PDF" in rules and "MB" in rules  # accepted types and size, before any upload
    fill_answers(page, PRACTICE_REGISTRATION)
    page.fill("#contact_name", "王明")
    page.fill("#contact_phone", "13800000000")
    page.set_input_files("#material_M01", str(program))
    _submit(page, "#apply-form button[type=submit]")
    refusal = page.locator("[data-error-for=material_M01]")
    assert "营业执照.pdf" in refusal.inner_text()
    assert WORDS[language]["refused"] in refusal.inner_text()
    assert Case.objects.count() == 0
    # The answers typed survive the refusal.
    assert (
        page.input_value("#answer_principal") == example_answers(PRACTICE_REGISTRATION)["principal"]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_back_and_submit_again_in_chromium_gives_the_case_already_filed(site, tmp_path, language):

    demo.load(sample_cases=False)
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    document = tmp_path / "plan.pdf"
    document.write_bytes(b"%PDF-1.4 site plan")
    page = site.page
    _in_language(site, language)
    site.login("applicant")
    page.goto(site.url(f"/apply/{PRACTICE_REGISTRATION}/?applicant={clinic.pk}"))
    fill_answers(page, PRACTICE_REGISTRATION)
    page.fill("#contact_name", "王明")
    page.fill("#contact_phone", "13800000000")
    page.set_input_files("#material_M01", str(document))
    _submit(page, "#apply-form button[type=submit]")
    case = Case.objects.get()
    assert page.url.endswith(f"/my/cases/{case.pk}/")
    with page.expect_navigation():
        page.go_back()  # the browser shows the filled form again, with its form-session key
    _submit(page, "#apply-form button[type=submit]")
    assert Case.objects.count() == 1
    assert page.url.endswith(f"/my/cases/{case.pk}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_window_filing_with_a_typed_uscc_files_for_that_applicant(site, tmp_path, language):

    demo.load(sample_cases=False)
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    document = tmp_path / "plan.pdf"
    document.write_bytes(b"%PDF-1.4 site plan")
    page = site.page
    _in_language(site, language)
    site.login("clerk")
    page.goto(site.url(f"/apply/{PRACTICE_REGISTRATION}/"))
    page.fill("#applicant-query", clinic.uscc)  # the whole code: its applicant is picked
    page.locator(f"#applicant-suggestions input[value='{clinic.pk}']:checked").wait_for()
    fill_answers(page, PRACTICE_REGISTRATION)  # name and address come from the record
    page.fill("#contact_name", "王明")
    page.fill("#contact_phone", "13800000000")
    page.set_input_files("#material_M01", str(document))
    _submit(page, "#apply-form button[type=submit]")
    case = Case.objects.get()
    assert case.applicant_id == clinic.pk and case.channel == "window"
    assert case.form["institution_name"] == clinic.name
    assert page.locator("#answers [data-answer=institution_name]").inner_text() == clinic.name


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_filing_form_fits_a_phone(site, language):
    """Most applicants file from a phone: the form, its repeating rows and the region's
    resource table stay inside the screen (a wide table scrolls in its own box)."""

    demo.load(sample_cases=False)
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    page = site.page
    page.set_viewport_size({"width": 390, "height": 844})
    _in_language(site, language)
    site.login("applicant")
    page.goto(site.url(f"/apply/{PRACTICE_REGISTRATION}/?applicant={clinic.pk}"))
    assert page.locator("table.rows").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
