import pytest

from yiwang.enterprise import services

pytestmark = pytest.mark.django_db


def test_the_portal_page_shows_the_lists_and_takes_a_problem(company, client, user_named):
    client.force_login(user_named("applicant"))
    response = client.post(
        f"/enterprise/{company.pk}/problems/", {"title": "新址检测排期太长"}, follow=True
    )
    page = response.content.decode()
    assert "新址检测排期太长" in page and "周静" in page and "企业问题清单" in page


def test_the_secretary_page_lists_overdue_entries(
    company, client, user_named, secretary_staff, freeze
):
    import datetime

    services.list_entry_add(
        actor=user_named("secretary"),
        applicant_id=company.pk,
        kind="problem",
        title="排水许可办理慢",
        owner_id=secretary_staff.pk,
        due_on=datetime.date(2026, 9, 29),
    )
    freeze("2026-10-09T09:00")
    client.force_login(user_named("secretary"))
    page = client.get("/workbench/enterprise/").content.decode()
    assert "排水许可办理慢" in page and "2026-09-29" in page
