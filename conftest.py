"""Shared test fixtures: frozen today, staff and applicants, API client, Chromium for pages."""

import datetime
import os
import pathlib
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


def _skipped_in_ci(config) -> int:
    """In CI a skipped test is a failure: a missing browser or database must not pass quietly.

    Counted from the terminal reporter, which under pytest-xdist is the controller's and hears
    every worker's reports; the workers leave the verdict to it.
    """
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if not os.environ.get("CI") or hasattr(config, "workerinput") or reporter is None:
        return 0
    return len(reporter.stats.get("skipped", []))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if skipped := _skipped_in_ci(config):
        terminalreporter.write_line(f"CI: {skipped} skipped test(s) count as failures", red=True)


def pytest_sessionfinish(session, exitstatus):
    # Runs before the terminal summary is written, so it counts the skips itself.
    if _skipped_in_ci(session.config) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language (Chinese): a page requested in English,
    or a test that activated a language, leaves it active in the worker's thread otherwise."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
    """The demo data of `make run` (regions, departments, staff, applicants, items).

    Loading it through the services takes more than a second, so the rows it adds are recorded
    the first time and copied into later tests (see `DemoSnapshot`). A transactional test
    (browser, concurrency) still loads it for real: its rows are committed as in `make run`.
    `YIWANG_TEST_DEMO=load` loads it for real in every test.
    """
    from django.db import connection

    from yiwang import demo as demo_data

    if not connection.in_atomic_block or os.environ.get("YIWANG_TEST_DEMO") == "load":
        demo_data.load(sample_cases=False)
        return demo_data
    context = DemoSnapshot.context()
    snapshot = _DEMO_SNAPSHOTS.get(context)
    if snapshot is not None and snapshot.restore():
        return demo_data
    if context not in _DEMO_SNAPSHOTS:
        recorded = DemoSnapshot.record(lambda: demo_data.load(sample_cases=False))
        if recorded is not _RETRY:
            _DEMO_SNAPSHOTS[context] = recorded
        return demo_data
    demo_data.load(sample_cases=False)
    return demo_data


_RETRY = object()  # this test's database was not empty enough to record from: try the next one
_DEMO_SNAPSHOTS = {}  # context → DemoSnapshot, or None when the demo cannot be copied


class DemoSnapshot:
    """The rows that loading the demo adds to an otherwise empty database, copied per test.

    Recorded inside the first test that asks for the demo (inside its transaction, so nothing
    the load does on commit ever runs, as before), once per process and per context: everything
    that the demo's content may depend on (settings such as the signing keys, today's date, the
    language). Restoring inserts the same rows, with the same keys, in the same order, and sets
    the key sequences as the load left them, so a test cannot tell the copy from a real load.
    The demo is loaded for real instead when a copy would not be faithful: the load changed rows
    that exist before it (content types, permissions), refers to them, or wrote files.
    """

    def __init__(self, counts, tables, sequences, models):
        self.counts = counts  # rows per table before the load: the state it was recorded in
        self.tables = tables  # [(table, columns, rows)]
        self.sequences = sequences  # SQLite: {table: seq}
        self.models = models  # PostgreSQL: models whose identity sequence follows the rows

    @staticmethod
    def context():
        from django.conf import settings
        from django.utils import translation

        from yiwang import clock

        values = tuple(
            (name, repr(getattr(settings, name)))
            for name in sorted(dir(settings))
            if name.isupper() and name != "MEDIA_ROOT"  # each test's own empty folder
        )
        return (clock.today(), translation.get_language(), values)

    @staticmethod
    def _counts(cursor, tables):
        """Rows per table, in one query."""
        from django.db import connection

        quote = connection.ops.quote_name
        cursor.execute(
            "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
        )
        return dict(zip(tables, cursor.fetchone(), strict=True))

    @staticmethod
    def _rows(cursor, table):
        from django.db import connection

        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return [column[0] for column in cursor.description], [tuple(r) for r in cursor.fetchall()]

    @classmethod
    def record(cls, load):
        """Run `load` and return the snapshot of what it added (None: cannot copy; or _RETRY)."""
        from django.apps import apps
        from django.conf import settings
        from django.db import connection

        def files():
            return set(pathlib.Path(settings.MEDIA_ROOT).rglob("*"))

        tables = connection.introspection.table_names()
        with connection.cursor() as cursor:
            before = {table: cls._rows(cursor, table)[1] for table in tables}
            files_before = files()
            load()
            after = {table: cls._rows(cursor, table) for table in tables}
            sequences = {}
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
                sequences = dict(cursor.fetchall())
        changed = [table for table in tables if after[table][1] != before[table]]
        if any(before[table] for table in changed if table in _BASELINE_TABLES):
            return None
        if any(before[table] for table in changed):
            return _RETRY
        if files() != files_before:
            return None
        baseline = {table for table in tables if before[table]} | _BASELINE_TABLES
        models = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.db_table in changed
        ]
        for model in models:
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                if (
                    field.concrete
                    and not field.many_to_many  # its own table is checked as a model
                    and target
                    and target._meta.db_table in baseline
                ):
                    return None  # such keys change when a transactional test flushes
        return cls(
            {table: len(rows) for table, rows in before.items()},
            [(table, *after[table]) for table in changed],
            {table: sequences[table] for table in changed if table in sequences},
            models,
        )

    def restore(self) -> bool:
        """Insert the rows into this test's database; False (nothing done) unless it holds
        as many rows per table as the one the demo was recorded in."""
        from django.core.management.color import no_style
        from django.db import connection

        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if self._counts(cursor, list(self.counts)) != self.counts:
                return False
            for table, columns, rows in self.tables:
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                if connection.vendor == "sqlite":
                    # SQLite's driver reads time columns back as datetime.time, which it cannot
                    # bind again: store them as the text they were.
                    rows = [
                        tuple(v.isoformat() if isinstance(v, datetime.time) else v for v in row)
                        for row in rows
                    ]
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
            for table, seq in self.sequences.items():
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [seq, table])
            for statement in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(statement)
        return True


# Filled by migrations or post_migrate; a transactional test's flush gives them new keys.
_BASELINE_TABLES = {"django_content_type", "auth_permission", "django_migrations"}


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
