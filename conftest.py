"""Shared test fixtures: frozen today, staff and applicants, API client, Chromium for pages."""

import datetime
import os
import zoneinfo

import pytest

# Playwright's sync API runs an event loop in the test thread; the Django ORM calls made
# from the same thread by the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config):
    from django.conf import settings

    # Demo users are created in many tests; a slow password hash would dominate them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """On SQLite, PostgreSQL-only tests are deselected, not skipped: PostgreSQL runs them."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """In CI a skipped test is a failure: a missing browser or database must not pass quietly."""
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped and os.environ.get("CI"):
        terminalreporter.write_line(
            f"CI: {len(skipped)} skipped test(s) count as failures", red=True
        )
        config._yiwang_skips_failed = True


def pytest_sessionfinish(session, exitstatus):
    if getattr(session.config, "_yiwang_skips_failed", False) and exitstatus == 0:
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    """Uploaded files and generated documents of a test stay in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.YIWANG_AUDIT_HEADS_FILE = str(tmp_path / "audit-heads.jsonl")


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Every test sees the calendar of its own database, not a table cached by an earlier test."""
    from yiwang.workdays.calendar import reset_calendar

    reset_calendar()
    yield
    reset_calendar()


@pytest.fixture
def freeze():
    """Freeze "today" (and now) at a date or datetime in Asia/Shanghai: `freeze("2026-09-28")`."""
    import time_machine

    travellers = []

    def travel(moment):
        if isinstance(moment, str):
            moment = (
                datetime.datetime.fromisoformat(moment)
                if "T" in moment
                else datetime.datetime.fromisoformat(moment + "T10:00:00")
            )
        elif isinstance(moment, datetime.date) and not isinstance(moment, datetime.datetime):
            moment = datetime.datetime.combine(moment, datetime.time(10, 0))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SHANGHAI)
        while travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)
        return moment

    yield travel
    while travellers:
        travellers.pop().stop()


@pytest.fixture
def demo(db):
    """The demo data of `make run` (regions, departments, staff, applicants, items)."""
    from yiwang import demo as demo_data

    demo_data.load(sample_cases=False)
    return demo_data


@pytest.fixture
def user_named(db):
    from django.contrib.auth import get_user_model

    def fetch(username):
        return get_user_model().objects.get(username=username)

    return fetch


@pytest.fixture
def api_client(db, settings):
    """A test client that signs in through the token endpoint: `api_client.login_as("clerk")`."""
    from django.test import Client

    # Tests move "today" across days and months; a token must outlive the moves.
    settings.API_TOKEN_HOURS = 24 * 3650

    class ApiClient(Client):
        def login_as(self, username, password="demo-pass-2026"):
            response = self.post(
                "/api/v1/auth/token",
                {"username": username, "password": password},
                content_type="application/json",
            )
            assert response.status_code == 200, response.content
            self.defaults["HTTP_AUTHORIZATION"] = "Bearer " + response.json()["token"]
            return self

        def language(self, code):
            self.defaults["HTTP_ACCEPT_LANGUAGE"] = code
            return self

    return ApiClient()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's Chromium, never a downloaded one; a missing browser fails the test, not skips it."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium")
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A browser set up as our users' are: Chinese first."""
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def site(live_server, page):
    """The live server and a Chromium page; `site.url("/path")` gives an absolute address."""

    class Site:
        def __init__(self):
            self.page = page
            self.base = live_server.url

        def url(self, path):
            return self.base + path

        def login(self, username, password="demo-pass-2026"):
            self.page.goto(self.url("/login/"))
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", password)
            self.page.click("button[type=submit].primary")
            self.page.wait_for_load_state()

    page.set_default_timeout(15000)
    return Site()
