import pytest

from yiwang.cases.models import Case

PRACTICE_REGISTRATION = "010010020000"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_file_online_then_accept_and_approve_in_chromium(site, tmp_path):
    from yiwang import demo

    demo.load()
    page = site.page
    document = tmp_path / "plan.pdf"
    document.write_bytes(b"%PDF-1.4 site plan")

    site.login("applicant")
    page.goto(site.url(f"/apply/{PRACTICE_REGISTRATION}/"))
    page.select_option("#applicant", label="大连海滨口腔诊所")
    page.fill("#contact_name", "王明")
    page.fill("#contact_phone", "13800000000")
    page.set_input_files("#material_M01", str(document))
    page.click("#apply-form button[type=submit]")
    page.wait_for_load_state()
    case = Case.objects.get()
    assert case.number in page.locator("h1").inner_text()
    assert "已接收" in page.locator("dl.deadlines").inner_text()
    page.click("text=退出")

    site.login("clerk")
    page.goto(site.url("/workbench/cases/"))
    row = page.locator(f"tr[data-case='{case.pk}']")
    assert "大连海滨口腔诊所"[:1] in row.inner_text()
    row.locator("input[type=checkbox]").check()
    page.click("text=受理所选办件")
    page.wait_for_load_state()
    assert Case.objects.get().status == "accepted"
    page.click("text=退出")

    site.login("approver")
    page.goto(site.url(f"/workbench/cases/{case.pk}/"))
    page.fill("#note-approve", "同意")
    page.click("form.action-approve button[type=submit]")
    page.wait_for_load_state()
    assert "已批准" in page.locator("dl.deadlines").inner_text()
    assert Case.objects.get().status == "approved"
