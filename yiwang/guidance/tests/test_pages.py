import pytest

from yiwang.guidance.panels import layout_before_filing, layout_on_case
from yiwang.parties.models import Applicant


@pytest.mark.django_db
def test_the_layout_page_has_a_map_and_a_table(guidance_demo, client):
    page = client.get("/guidance/layout/?specialty=stomatology").content.decode()
    assert "<svg" in page and "中山区" in page and "西岗区" in page
    assert 'class="tile class-weak"' in page and 'class="tile class-abundant"' in page


@pytest.mark.django_db
def test_the_printable_guide_holds_every_violation(guidance_demo, client):
    page = client.get("/guidance/compliance/print/").content.decode()
    assert "大连市医疗领域监管合规指引（演示版）" in page
    assert page.count('class="violation"') == 6 and "第九十九条" in page


@pytest.mark.django_db
def test_the_filing_panel_shows_the_regions_class_to_a_would_be_clinic(
    guidance_demo, rf, user_named
):
    from yiwang.catalog.models import Item

    request = rf.get("/")
    request.user = user_named("applicant")
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    html = layout_before_filing(
        request, item=Item.objects.get(code="010010010000"), applicant=clinic
    )
    assert "中山区" in html and 'data-specialty="stomatology"' in html and "充足" in html
    assert "未取得医疗机构执业许可证擅自执业" in html  # the guide for this item
    assert (
        layout_before_filing(request, item=Item.objects.get(code="070080020000"), applicant=clinic)
        is None
    )


@pytest.mark.django_db
def test_the_reviewer_sees_the_class_on_the_case(guidance_demo, rf, user_named):
    from yiwang.appointments.tests.factories import file_case

    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    case = file_case(actor=user_named("applicant"), applicant=clinic, item_code="010010010000")
    request = rf.get("/")
    request.user = user_named("reviewer")
    html = layout_on_case(request, case=case)
    assert "医疗资源" in html and "中山区" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_would_be_clinic_sees_its_regions_class_before_filing(guidance_demo, site):
    site.login("applicant")
    page = site.page
    page.goto(site.url("/guidance/layout/check/"))
    page.select_option("#layout-check select[name=region]", "210203000000")
    page.select_option("#layout-check select[name=specialty]", "stomatology")
    with page.expect_navigation():
        page.click("#layout-check button[type=submit]")
    assert page.inner_text("#layout-class") == "薄弱"
    assert "西岗区" in page.inner_text("#layout-result")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_filing_page_shows_the_regions_class_to_a_would_be_clinic(guidance_demo, site):
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    site.login("applicant")
    page = site.page
    # 医疗机构设置审批: the applicant sees its region's resources before it files.
    page.goto(site.url(f"/apply/010010010000/?applicant={clinic.pk}"))
    panel = page.locator("#resource-layout")
    assert "中山区" in panel.inner_text()
    assert panel.locator("table").count() >= 1
