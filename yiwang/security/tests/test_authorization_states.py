"""The case transitions of the authorization matrix, from every state the engine's table knows.

`test_authorization_matrix` takes the transitions offered on a received case; here every row of
`yiwang.cases.engine.table` is tried from each of its source states, on a case of the account's
own department, another department, another region and another applicant. Who may take it is
decided by the row's permission whatever the state: allowed → the action runs or is refused by
the case's state or body (2xx, 400, 409, never 403/404); seen but not allowed → 403; not seen →
404. No pair may answer 5xx.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from yiwang.api.services import token_issue
from yiwang.cases.engine.actions import case_actions
from yiwang.cases.engine.states import Status
from yiwang.cases.engine.table import TRANSITIONS
from yiwang.cases.models import Case, Suspension
from yiwang.demo import DEMO_ACCOUNTS
from yiwang.security.tests.test_authorization_matrix import (
    BODY,
    PASSWORD,
    expected,
    outcome,
)

pytestmark = pytest.mark.django_db

OFFERED = {action.name for action in case_actions()}
# (state, action, permission) for every transition people take, from each of its sources.
STATE_ROWS = [
    (status, step.action, step.permission)
    for step in TRANSITIONS.values()
    if step.permission is not None and step.action in OFFERED
    for status in sorted(step.sources)
]


def place_in(case: Case, status: str) -> Case:
    """The case as it stands in `status`: the dates and rows the engine's clocks read there."""
    today = timezone.localdate()
    changes = {"status": status}
    if status in (Status.ACCEPTED, Status.SUSPENDED, Status.REVIEWED, Status.APPROVED):
        changes["accepted_on"] = case.submitted_on
    if status == Status.APPROVED:
        changes["decided_on"] = today
    Case.objects.filter(pk=case.pk).update(**changes)
    if status == Status.SUSPENDED:
        Suspension.objects.create(
            case=case,
            kind=Suspension.Kind.EXPERT_REVIEW,
            reason="matrix",
            started_on=today,
            resume_status=Status.ACCEPTED,
        )
    return Case.objects.select_related("region").get(pk=case.pk)


def state_body(case: Case) -> dict:
    """Fields the later steps require (dispatch names a department, suspend a kind), so that
    only the permission or the state can refuse."""
    return {"department": case.department_id, "kind": Suspension.Kind.EXPERT_REVIEW}


def test_every_case_state_is_a_source_of_some_row():
    # A state no row leaves is final; every open state must be tried.
    sources = {status for status, _action, _permission in STATE_ROWS}
    assert {Status.CORRECTION_REQUESTED, Status.ACCEPTED, Status.SUSPENDED} <= sources
    assert {Status.RECEIVED, Status.REVIEWED, Status.APPROVED} <= sources


@pytest.mark.parametrize("status", sorted({row[0] for row in STATE_ROWS}))
def test_case_transitions_from_every_state_follow_the_permission_table(
    status, objects, client, user_named, settings
):
    settings.API_TOKEN_HOURS = 24
    accounts = [
        username
        for username, _what in DEMO_ACCOUNTS
        if get_user_model().objects.filter(username=username).exists()
    ]
    tokens = {name: token_issue(username=name, password=PASSWORD)[0] for name in accounts}
    rows = [(action, permission) for state, action, permission in STATE_ROWS if state == status]
    mismatches, pairs = [], 0
    for variant, found in objects.items():
        case = place_in(found["case"], status)
        for username in accounts:
            user = user_named(username)
            for action, permission in rows:
                want = expected(user, permission, "case", case)
                with transaction.atomic():
                    response = client.post(
                        f"/api/v1/applications/{case.pk}/actions/{action}",
                        {**BODY, **state_body(case)},
                        content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {tokens[username]}",
                    )
                    transaction.set_rollback(True)
                pairs += 1
                got = outcome(response.status_code)
                if got != want:
                    mismatches.append(
                        f"{username} {action} from {status} ({variant}): expected {want}, "
                        f"got {response.status_code} {response.content[:160]!r}"
                    )
    assert pairs == len(objects) * len(accounts) * len(rows)
    assert mismatches == [], "\n".join(mismatches)
