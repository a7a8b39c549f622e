"""Schemathesis over the whole OpenAPI document: every operation, as an applicant and as staff,
with data that fits the schema and data that does not. No answer may be a server error, and
every status must be one the document declares. Bounded: YIWANG_FUZZ_EXAMPLES per operation,
role and mode (CI's default, 12, takes about two minutes on this machine)."""

import contextlib
import os
import time

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import status_code_conformance

from yiwang.api.services import token_issue
from yiwang.wsgi import application

EXAMPLES = int(os.environ.get("YIWANG_FUZZ_EXAMPLES", "12"))
ROLES = ("applicant", "clerk")


@pytest.fixture
def keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, whose request signals would close the
    test's database connection (in its transaction); Django's test client unhooks them too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_no_server_error_and_no_undeclared_status_under_fuzzing(demo, keep_the_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    tokens = {role: token_issue(username=role, password="demo-pass-2026")[0] for role in ROLES}
    failures: list[str] = []
    operations, requests = 0, 0
    started = time.monotonic()

    def fuzz(operation, role: str, mode: GenerationMode) -> None:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def probe(case):
            nonlocal requests
            requests += 1
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            try:
                case.call_and_validate(
                    headers=headers, checks=[not_a_server_error, status_code_conformance]
                )
            except Exception as error:  # collect, do not stop: the report lists all
                failures.append(f"{operation.label} as {role} ({mode.value}): {str(error)[:400]}")

        # Unsatisfiable: nothing in this operation can be made invalid (no parameters, no body).
        with contextlib.suppress(Unsatisfiable):
            probe()

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for role in ROLES:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                fuzz(operation, role, mode)
    print(
        f"fuzz: {operations} operations, {requests} requests, "
        f"{time.monotonic() - started:.0f} s, {len(failures)} failures"
    )
    assert operations >= 29
    assert failures == []
