"""A signed-in page reads its user and the user's scope in one statement (issue 19, step 2)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yiwang.permissions import scope_of
from yiwang.security.backends import ScopedModelBackend

pytestmark = pytest.mark.django_db

PLAIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def statements(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as log:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in log.captured_queries]


# The plain backend reads the scope apart: the staff row, its roles and the represented
# applicants (an applicant has no staff row, so no roles query).
@pytest.mark.parametrize(
    ("username", "path", "saved"), [("reviewer", "/workbench/", 3), ("applicant", "/my/cases/", 2)]
)
def test_the_user_and_its_scope_are_read_in_one_statement(
    demo, django_user_model, username, path, saved
):
    scoped = Client()
    assert scoped.login(username=username, password="demo-pass-2026")
    plain = Client()
    plain.force_login(django_user_model.objects.get(username=username), backend=PLAIN_BACKEND)
    statements(scoped, path), statements(plain, path)  # warm the per-process caches
    with_scope = statements(scoped, path)
    without = statements(plain, path)
    assert len(without) - len(with_scope) == saved
    assert not any(sql.startswith('SELECT "parties_representation".') for sql in with_scope)


def test_the_scope_read_with_the_user_is_the_scope(demo, django_user_model):
    for username in ("reviewer", "clerk", "applicant", "leader", "zs_reviewer"):
        fresh = django_user_model.objects.get(username=username)
        user = ScopedModelBackend().get_user(fresh.pk)
        assert user._yiwang_scope == scope_of(fresh), username
