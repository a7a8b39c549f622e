import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_through_the_real_page_in_chinese_and_english(site):
    from yiwang import demo

    demo.load(sample_cases=False)
    page = site.page
    page.goto(site.url("/login/"))
    assert page.locator("h1").inner_text() == "登录"
    site.login("reviewer")
    header = page.locator("header.site-header")
    assert "李建国" in header.inner_text()
    assert "大连市卫生健康委员会" in header.inner_text()
    assert "工作台" in header.inner_text()

    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    header = page.locator("header.site-header")
    assert "Dalian Municipal Health Commission" in header.inner_text()
    assert "Workbench" in header.inner_text()
    assert page.locator("html").get_attribute("lang") == "en"

    with page.expect_navigation():
        page.click("text=Sign out")
    assert "Sign in" in page.locator("header.site-header").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_a_message(site):
    from yiwang import demo

    demo.load(sample_cases=False)
    site.login("clerk", password="wrong-password")
    assert "用户名或密码错误" in site.page.locator("[role=alert]").inner_text()


def test_workbench_lists_only_applicants_in_scope(demo):
    client = Client()
    assert client.login(username="zs_reviewer", password="demo-pass-2026")
    response = client.get("/workbench/applicants/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "大连中山仁和医院" in text
    assert "大连西岗康宁医院" not in text


def test_applicant_page_outside_scope_is_404_not_500(demo):
    from yiwang.parties.models import Applicant

    xigang = Applicant.objects.get(name="大连西岗康宁医院")
    client = Client()
    client.login(username="zs_reviewer", password="demo-pass-2026")
    response = client.get(f"/workbench/applicants/{xigang.pk}/")
    assert response.status_code == 404
    assert "不在您所在部门和辖区" in response.content.decode()


def test_portal_user_cannot_enter_the_workbench(demo):
    client = Client()
    client.login(username="applicant", password="demo-pass-2026")
    assert client.get("/workbench/").status_code == 403
