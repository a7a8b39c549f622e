import io

import pytest
from openpyxl import load_workbook

from yiwang.catalog.models import ItemVersion


@pytest.mark.django_db
def test_the_item_list_searches_and_filters(demo, client):
    html = client.get("/items/", {"q": "执业登记"}).content.decode()
    assert "医疗机构执业登记" in html and "护士执业注册" not in html
    html = client.get("/items/", {"procedure": "first_use"}).content.decode()
    assert "放射诊疗许可" in html and "公共场所卫生许可" not in html
    html = client.get("/items/", {"zero_visits": "1"}).content.decode()
    assert "医师执业注册" in html and "医疗机构设置审批" not in html


@pytest.mark.django_db
def test_the_guide_is_rendered_from_the_elements(demo, client):
    html = client.get("/items/010010020000/").content.decode()
    version = ItemVersion.objects.get(item__code="010010020000", status="published")
    assert version.name in html
    for material in version.materials.all():
        assert material.name in html
    assert "《医疗机构管理条例》第十九条" in html
    assert "大连市民政务服务中心" in html
    assert "yiwang/guide.css" in html  # its print rules (@media print) moved out for the CSP
    assert "/items/010010020000/materials/M01/template.xlsx" in html


@pytest.mark.django_db
def test_the_public_guide_shows_no_provenance_notes_and_the_administrator_sees_them(demo, client):
    version = ItemVersion.objects.get(item__code="010010020000", status="published")
    source = version.sources["statutory_limit_days"]
    public = client.get("/items/010010020000/").content.decode()
    assert source not in public and "statutory_limit_days" not in public
    assert "需核对" not in public
    client.login(username="clerk", password="demo-pass-2026")
    assert client.get("/items/manage/010010020000/").status_code == 403
    client.login(username="catalogue", password="demo-pass-2026")
    page = client.get("/items/manage/010010020000/")
    assert page.status_code == 200
    html = page.content.decode()
    assert source in html and "statutory_limit_days" in html


@pytest.mark.django_db
def test_a_material_template_downloads_blank_and_filled(demo, client):
    url = "/items/010040010000/materials/M01/template.xlsx"
    blank = load_workbook(io.BytesIO(client.get(url).content)).active
    filled = load_workbook(io.BytesIO(client.get(url, {"example": "1"}).content)).active
    assert blank["A3"].value == "申请单位名称" and blank["B3"].value is None
    assert filled["B3"].value == "大连滨海健康管理有限公司"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_guide_page_in_chinese_and_english(site):
    from yiwang import demo

    demo.load(sample_cases=False)
    page = site.page
    page.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})
    page.goto(site.url("/items/"))
    page.fill("#q", "执业登记")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name="医疗机构执业登记").click()
    page.wait_for_url("**/items/010010020000/")
    assert page.locator("h1").inner_text() == "医疗机构执业登记"
    assert "45 个工作日" in page.locator("#statutory").inner_text()
    assert "医疗机构申请执业登记注册书" in page.locator("#materials").inner_text()
    assert "大连市卫生健康委员会" in page.locator("#implementations").inner_text()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Practice registration of a medical institution"
    assert "45 working days" in page.locator("#statutory").inner_text()
    assert "Registration form for practice" in page.locator("#materials").inner_text()
    assert "Dalian Municipal Health Commission" in page.locator("#implementations").inner_text()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
