import pytest

from yiwang.cases.models import Case
from yiwang.cases.tests.conftest import fill_answers

PRACTICE_REGISTRATION = "010010020000"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_file_online_then_accept_and_approve_in_chromium(site, tmp_path):
    from yiwang import demo

    demo.load(sample_cases=False)
    page = site.page
    document = tmp_path / "plan.pdf"
    document.write_bytes(b"%PDF-1.4 site plan")

    from yiwang.parties.models import Applicant

    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    site.login("applicant")
    page.goto(site.url(f"/apply/{PRACTICE_REGISTRATION}/"))
    page.select_option("#applicant", value=str(clinic.pk))  # reloads with its procedures
    page.wait_for_url(f"**applicant={clinic.pk}")
    fill_answers(page, PRACTICE_REGISTRATION)
    page.fill("#contact_name", "王明")
    page.fill("#contact_phone", "13800000000")
    page.set_input_files("#material_M01", str(document))
    with page.expect_navigation():
        page.click("#apply-form button[type=submit]")
    case = Case.objects.get()
    assert case.number in page.locator("h1").inner_text()
    assert "已接收" in page.locator("dl.deadlines").inner_text()
    page.click("text=退出")

    site.login("clerk")
    page.goto(site.url("/workbench/cases/"))
    row = page.locator(f"tr[data-case='{case.pk}']")
    assert "大连海滨口腔诊所"[:1] in row.inner_text()
    row.locator("input[type=checkbox]").check()
    with page.expect_navigation():
        page.click("text=受理所选办件")
    assert Case.objects.get().status == "accepted"
    page.click("text=退出")

    site.login("approver")
    page.goto(site.url(f"/workbench/cases/{case.pk}/"))
    page.fill("#note-approve", "同意")
    with page.expect_navigation():
        page.click("form.action-approve button[type=submit]")
    assert "已批准" in page.locator("dl.deadlines").inner_text()
    assert Case.objects.get().status == "approved"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_commitment_case_filed_online_shows_its_licence_the_same_day(site, tmp_path):
    from yiwang import demo
    from yiwang.parties.models import Applicant

    demo.load(sample_cases=False)
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    page = site.page
    document = tmp_path / "form.pdf"
    document.write_bytes(b"%PDF-1.4 application")

    site.login("applicant")
    page.goto(site.url(f"/apply/010040010000/?applicant={clinic.pk}"))
    page.check("input[name=procedure][value=commitment]")
    page.check("#commitment_signed")
    fill_answers(page, "010040010000")
    page.fill("#contact_name", "王明")
    page.fill("#contact_phone", "13800000000")
    for code in ["M01", "M03", "M04", "M05"]:
        page.set_input_files(f"#material_{code}", str(document))
    page.check("input[name=elicence_M02]")
    with page.expect_navigation():
        page.click("#apply-form button[type=submit]")
    facts = page.locator("dl.deadlines").inner_text()
    case = Case.objects.get()
    assert case.status == "issued" and case.procedure == "commitment"
    assert "已发证" in facts
    assert case.licence_number and case.licence_number in facts
    assert "告知承诺" in facts


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_window_filing_picks_the_applicant_from_suggestions_in_chromium(site, tmp_path):
    from yiwang import demo
    from yiwang.parties.models import Applicant

    demo.load(sample_cases=False)
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    document = tmp_path / "plan.pdf"
    document.write_bytes(b"%PDF-1.4 site plan")
    page = site.page
    site.login("clerk")
    page.goto(site.url(f"/apply/{PRACTICE_REGISTRATION}/"))
    page.fill("#applicant-query", clinic.uscc[:12])
    suggestion = page.locator(f"#applicant-suggestions input[value='{clinic.pk}']")
    suggestion.wait_for()
    suggestion.check()
    fill_answers(page, PRACTICE_REGISTRATION)
    page.fill("#contact_name", "王明")
    page.fill("#contact_phone", "13800000000")
    page.set_input_files("#material_M01", str(document))
    with page.expect_navigation():
        page.click("#apply-form button[type=submit]")
    case = Case.objects.get()
    assert case.applicant_id == clinic.pk and case.channel == "window"
    assert case.number in page.content()
