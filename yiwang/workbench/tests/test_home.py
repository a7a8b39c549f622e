"""Each role's home shows only the tiles it may open, with its figures."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def tiles_of(username: str) -> str:
    client = Client()
    assert client.login(username=username, password="demo-pass-2026")
    response = client.get("/workbench/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_tile_shown_to_a_role_opens_for_it(demo):
    import re

    for username in ("clerk", "reviewer", "approver", "inspector1", "leader", "catalogue"):
        client = Client()
        client.login(username=username, password="demo-pass-2026")
        page = client.get("/workbench/").content.decode()
        links = re.findall(r'data-tile="[^"]+"><a href="([^"]+)"', page)
        assert links, username
        for link in links:
            assert client.get(link).status_code == 200, (username, link)


def test_the_catalogue_tile_is_only_for_catalogue_administrators(demo):
    assert 'data-tile="catalog.manage"' not in tiles_of("clerk")
    assert 'data-tile="catalog.manage"' not in tiles_of("inspector1")
    assert 'data-tile="catalog.manage"' in tiles_of("catalogue")


def test_the_queue_tile_counts_the_overdue_cases(file_case, freeze):
    freeze("2026-09-28")
    file_case()
    freeze("2026-10-20")  # past the 5 working days of acceptance
    from yiwang.cases.tasks import refresh_deadline_levels

    refresh_deadline_levels.call()
    page = tiles_of("clerk")
    assert 'class="tile attention" data-tile="cases.queue"' in page
    assert "figure-overdue" in page


def test_signing_in_leads_staff_to_the_workbench_and_applicants_to_the_portal(demo):
    staff = Client().post("/login/", {"username": "reviewer", "password": "demo-pass-2026"})
    assert staff.status_code == 302
    assert Client().get(staff.url).status_code in (200, 302)
    clerk = Client()
    clerk.login(username="clerk", password="demo-pass-2026")
    assert clerk.get("/welcome/").url == "/workbench/"
    applicant = Client()
    applicant.login(username="applicant", password="demo-pass-2026")
    assert applicant.get("/welcome/").url == "/"
