"""31 wrong passwords lock the account; the right one then waits, on every door."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

from yiwang.audit.models import AuditRecord
from yiwang.errors import PermissionRefused
from yiwang.security.throttling import login_unlock

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-2026"


def token(client, username, password, address="10.1.2.3", language="en"):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_api_token_locks_the_account_after_31_wrong_passwords_and_the_right_one_waits(
    demo, client, freeze
):
    freeze("2026-11-30T10:00:00")
    statuses = [token(client, "clerk", f"wrong-{n}").status_code for n in range(31)]
    assert statuses[:29] == [401] * 29 and statuses[29:] == [429, 429]
    right = token(client, "clerk", PASSWORD)
    assert right.status_code == 429
    body = right.json()["error"]
    assert body["code"] == "locked_out" and "Try again in 30 minutes" in body["message"]
    assert right["Retry-After"] == "1800"
    assert (
        token(client, "clerk", PASSWORD, language="zh-hans")
        .json()["error"]["message"]
        .find("30 分钟")
        >= 0
    )
    # Another account from another address is not locked.
    assert token(client, "approver", PASSWORD, address="10.9.9.9").status_code == 200
    # Locked: the audit says so.
    assert AuditRecord.objects.filter(action="login.locked_out", stream="login:clerk").exists()
    # After the cool-off (counted from the last try) the right password works again.
    freeze("2026-11-30T10:31:00")
    assert token(client, "clerk", PASSWORD, address="10.1.2.4").status_code == 200


def test_the_address_is_locked_across_accounts(demo, client):
    for n in range(30):
        token(client, f"nobody-{n}", "wrong", address="10.7.7.7")
    assert token(client, "approver", PASSWORD, address="10.7.7.7").status_code == 429
    assert token(client, "approver", PASSWORD, address="10.7.7.8").status_code == 200


def test_login_page_locks_and_shows_the_wait(demo, client):
    for n in range(31):
        client.post(
            "/login/", {"username": "reviewer", "password": f"bad-{n}"}, REMOTE_ADDR="10.3.3.3"
        )
    page = client.post(
        "/login/",
        {"username": "reviewer", "password": PASSWORD},
        REMOTE_ADDR="10.3.3.4",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 429
    assert "Try again in 30 minutes" in page.content.decode()
    assert "_auth_user_id" not in client.session
    zh = client.post(
        "/login/", {"username": "reviewer", "password": PASSWORD}, REMOTE_ADDR="10.3.3.5"
    )
    assert zh.status_code == 429 and "分钟" in zh.content.decode()


def test_admin_login_locks_and_an_administrator_unlocks(demo, client):
    admin_user = get_user_model().objects.create_superuser("root", "r@example.cn", "root-pass-26")
    for n in range(31):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": "clerk", "password": f"bad-{n}"},
            REMOTE_ADDR="10.4.4.4",
        )
    locked = client.post(
        "/admin/login/?next=/admin/",
        {"username": "clerk", "password": PASSWORD},
        REMOTE_ADDR="10.4.4.5",
    )
    assert locked.status_code == 429
    with pytest.raises(PermissionRefused):
        login_unlock(actor=get_user_model().objects.get(username="clerk"), username="clerk")
    client.force_login(admin_user)
    attempts = AccessAttempt.objects.filter(username="clerk")
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": [a.pk for a in attempts]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="clerk").exists()
    unlocked = AuditRecord.objects.filter(action="login.unlocked", stream="login:clerk")
    assert unlocked.exists() and {r.actor_id for r in unlocked} == {admin_user.pk}
    client.logout()
    assert token(client, "clerk", PASSWORD, address="10.4.4.6").status_code == 200
