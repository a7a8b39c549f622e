import pytest

pytestmark = pytest.mark.django_db


def test_the_month_page_marks_holidays_and_make_up_days(client):
    response = client.get("/calendar/", {"year": 2026, "month": 10}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-date="2026-10-01" data-kind="holiday"' in html
    assert 'data-date="2026-10-10" data-kind="makeup_workday"' in html
    assert "National Day" in html
    assert "Provisional" not in html


def test_a_month_without_published_data_is_flagged_provisional(client):
    response = client.get("/calendar/", {"year": 2030, "month": 10})
    html = response.content.decode()
    assert 'data-provisional="2030"' in html
    assert "暂定" in html


@pytest.mark.parametrize("query", [{"year": 1999, "month": 1}, {"year": 2026, "month": 13}])
def test_a_month_outside_the_calendar_is_refused(client, query):
    assert client.get("/calendar/", query).status_code == 400


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_month_page_in_chinese_and_english(site):
    page = site.page
    page.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})
    page.goto(site.url("/calendar/?year=2026&month=10"))
    holiday = page.locator('td[data-date="2026-10-01"]')
    assert "国庆节" in holiday.inner_text()
    assert "调休上班日" in page.locator('td[data-date="2026-10-10"]').inner_text()
    page.get_by_role("link", name="下个月").click()
    page.wait_for_url("**month=11**")
    page.goto(site.url("/calendar/?year=2027&month=1"))
    assert page.locator(".provisional-banner").is_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert "Provisional" in page.locator(".provisional-banner").inner_text()
    page.goto(site.url("/calendar/?year=2026&month=2"))
    assert "Spring Festival" in page.locator('td[data-date="2026-02-15"]').inner_text()
    assert "Make-up working day" in page.locator('td[data-date="2026-02-14"]').inner_text()
