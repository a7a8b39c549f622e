"""The leaders' dashboard, the drill-down and its Excel export, the PDF report, the public page."""

import io
import re

import pytest
from django.test import Client

from yiwang.indicators.tests.factories import october_cases

OCTOBER = "period=custom&from=2026-10-01&to=2026-10-31"


@pytest.fixture
def leader(demo, freeze):
    freeze("2026-11-02")
    october_cases()
    client = Client()
    client.login(username="leader", password="demo-pass-2026")
    return client


@pytest.mark.django_db
def test_dashboard_shows_figures_definitions_and_warnings(leader):
    response = leader.get(f"/workbench/indicators/?{OCTOBER}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "60.00%" in page  # on-time rate 3 / 5
    assert "4.20" in page  # working days used
    assert "无数据" in page  # satisfaction: no rating in October
    assert 'id="chart-region"' in page and "indicator-charts" in page
    assert "010040010000" in page  # an item below 100% on time


@pytest.mark.django_db
def test_dashboard_in_english(leader):
    leader.cookies.load({"django_language": "en"})
    page = leader.get(
        f"/workbench/indicators/?{OCTOBER}", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "On-time rate" in page and "no data" in page


@pytest.mark.django_db
def test_a_bad_period_shows_the_rule_and_no_figures(leader):
    response = leader.get("/workbench/indicators/?period=custom&from=2026-10-31&to=2026-10-01")
    assert response.status_code == 400
    assert "indicator-tile" not in response.content.decode()


@pytest.mark.django_db
def test_drill_down_and_excel_export(leader):
    from openpyxl import load_workbook

    page = leader.get(f"/workbench/indicators/on_time_rate/cases/?{OCTOBER}").content.decode()
    assert len(re.findall(r'href="/workbench/cases/\d+/"', page)) == 5
    response = leader.get(f"/workbench/indicators/on_time_rate/cases.xlsx?{OCTOBER}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6  # header and five decided cases
    used = sorted(row[10] for row in rows[1:])
    assert used == [1, 3, 4, 6, 7]


@pytest.mark.django_db
def test_report_is_a_pdf(leader):
    response = leader.get(f"/workbench/indicators/report.pdf?{OCTOBER}")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_public_figures_need_no_login_and_show_no_names(demo, freeze):
    freeze("2026-11-02")
    october_cases()
    page = Client().get("/figures/?year=2026").content.decode()
    assert "60.00%" in page  # on-time rate of the year: 3 of 5
    assert "大连海滨口腔诊所" not in page and "T000" not in page


@pytest.mark.django_db
def test_a_reviewer_may_not_open_the_dashboard(demo):
    client = Client()
    client.login(username="reviewer", password="demo-pass-2026")
    assert client.get("/workbench/indicators/").status_code == 403
