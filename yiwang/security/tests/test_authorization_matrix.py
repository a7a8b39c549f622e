"""The authorization matrix, generated from the permission table (`yiwang.permissions.RULES`).

Every object endpoint × every demo account × an object of the account's own department, of
another department, of another region and of another applicant. The expected status comes
from the table: allowed → the operation runs (2xx, or a 409/400 of the object's state, never
403/404); seen but not allowed → 403; not seen → 404 (an object outside one's view is not
revealed). Each request runs in a savepoint that is rolled back, so every pair sees the same
objects.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from yiwang.api.services import token_issue
from yiwang.cases.engine.actions import case_actions
from yiwang.cases.engine.states import Status
from yiwang.cases.engine.table import actions_from
from yiwang.demo import DEMO_ACCOUNTS
from yiwang.permissions import Action, _sees, may

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-2026"

# (method, path template, the action the table decides it by, what it reads the object as)
ENDPOINTS = [
    ("GET", "/api/v1/applicants/{applicant}", Action.APPLICANT_VIEW, "applicant"),
    ("GET", "/api/v1/applications/{case}", Action.CASE_VIEW, "case"),
    # Every transition the API offers on a newly received case, with the permission the
    # engine's transition table names for it.
    *[
        ("POST", f"/api/v1/applications/{{case}}/actions/{step.action}", step.permission, "case")
        for step in actions_from(Status.RECEIVED)
        if step.action in {action.name for action in case_actions()} and step.permission
    ],
    ("GET", "/api/v1/licences/{licence}", Action.LICENCE_VIEW, "licence"),
    ("GET", "/api/v1/licences/{licence}/document", Action.LICENCE_VIEW, "licence"),
    ("GET", "/api/v1/prereviews/{prereview}", Action.CASE_VIEW, "prereview"),
    ("POST", "/api/v1/prereviews/{prereview}/comments", Action.PREREVIEW_COMMENT, "prereview"),
    ("POST", "/api/v1/prereviews/{prereview}/revisions", Action.CASE_FILE, "prereview"),
    ("POST", "/api/v1/procedures/commitment-checks/{check}", Action.COMMITMENT_CHECK, "check"),
    ("GET", "/api/v1/bundles/applications/{bundle}", Action.CASE_VIEW, "bundle"),
]
VIEW_OF = {
    "case": Action.CASE_VIEW,
    "licence": Action.LICENCE_VIEW,
    "prereview": Action.CASE_VIEW,
    "check": None,
    "bundle": Action.CASE_VIEW,
    "applicant": None,
}
BODY = {
    "note": "matrix",
    "reason": "matrix",
    "comments": {"M01": {"acceptable": False, "comment": "matrix"}},
    "materials": [{"code": "M01", "missing": True}],
    "items": [{"code": "M01", "reason": "matrix"}],
    "purpose": "other",
    "truthful": True,
    "findings": "matrix",
}


def expected(user, action: Action, kind: str, obj, *, view: Action | None = None) -> str:
    if may(user, action, obj):
        return "allowed"
    view = view or VIEW_OF.get(kind)
    if (view and may(user, view, obj)) or _sees(user, obj):
        return "403"
    return "404"


def outcome(status: int) -> str:
    if status in (403, 404):
        return str(status)
    assert status < 500, status
    return "allowed"


def test_every_object_endpoint_follows_the_permission_table(objects, client, user_named, settings):
    settings.API_TOKEN_HOURS = 24
    # Some demo accounts come with `make run`'s sample work only (e.g. the joint inspectors).
    accounts = [
        (username, what)
        for username, what in DEMO_ACCOUNTS
        if get_user_model().objects.filter(username=username).exists()
    ]
    tokens = {
        username: token_issue(username=username, password=PASSWORD)[0]
        for username, _what in accounts
    }
    mismatches, pairs, seen = [], 0, {"allowed": 0, "403": 0, "404": 0}
    for username, _what in accounts:
        user = user_named(username)
        for variant, found in objects.items():
            for method, template, action, kind in ENDPOINTS:
                obj = found[kind]
                path = template.format(
                    applicant=found["applicant"].pk,
                    case=found["case"].pk,
                    prereview=found["prereview"].pk,
                    check=found["check"].pk,
                    bundle=found["bundle"].number,
                    licence=found["licence"].number,
                )
                want = expected(user, action, kind, obj)
                with transaction.atomic():
                    if method == "GET":
                        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {tokens[username]}")
                    else:
                        response = client.post(
                            path,
                            BODY,
                            content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {tokens[username]}",
                        )
                    transaction.set_rollback(True)
                pairs += 1
                got = outcome(response.status_code)
                seen[got] += 1
                if got != want:
                    mismatches.append(
                        f"{username} {method} {template} ({variant}): expected {want}, "
                        f"got {response.status_code} {response.content[:160]!r}"
                    )
    print(f"authorization matrix: {pairs} pairs {seen}, {len(mismatches)} mismatches")
    assert all(seen.values())  # the matrix exercises every outcome
    assert pairs == len(accounts) * len(objects) * len(ENDPOINTS)
    assert mismatches == []
