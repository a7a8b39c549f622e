import pytest

from yiwang.workdays.tasks import warn_if_next_year_provisional

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_with_email(demo, user_named):
    admin = user_named("admin")
    admin.email = "admin@example.org"
    admin.save()
    return admin


def test_from_november_administrators_are_warned_while_next_year_is_provisional(
    admin_with_email, freeze, mailoutbox
):
    freeze("2026-11-01")
    assert warn_if_next_year_provisional.call() is True
    assert len(mailoutbox) == 1
    assert "2027" in mailoutbox[0].subject
    assert mailoutbox[0].to == ["admin@example.org"]


def test_no_warning_before_november(admin_with_email, freeze, mailoutbox):
    freeze("2026-10-31")
    assert warn_if_next_year_provisional.call() is False
    assert not mailoutbox


def test_no_warning_when_next_year_is_published(admin_with_email, freeze, mailoutbox):
    freeze("2025-11-20")  # chinesecalendar has 2026
    assert warn_if_next_year_provisional.call() is False
    assert not mailoutbox
