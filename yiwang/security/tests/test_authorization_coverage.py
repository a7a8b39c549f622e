"""Every object endpoint of the API has rows in the authorization matrix, or is listed as not yet.

The object endpoints are read from the served OpenAPI document (every operation with a path
parameter), not typed here: a new endpoint fails this test until it gets matrix rows (or, for
now, a line in `NOT_YET_IN_THE_MATRIX`, which only shrinks: a listed endpoint that gained rows
fails too, so the list cannot go stale).
"""

import re

from yiwang.api.routes import api
from yiwang.cases.engine.actions import case_actions
from yiwang.security.tests.test_authorization_apps import APP_ENDPOINTS
from yiwang.security.tests.test_authorization_matrix import ENDPOINTS
from yiwang.security.tests.test_authorization_states import STATE_ROWS

PARAMETER = re.compile(r"\{[^}]*\}")
PREFIX = "/api/v1"

# Object endpoints without matrix rows yet (issue 18): each needs its app's objects placed in
# the four variants. Public endpoints (no login) and those keyed by a catalogue code rather than
# a scoped object are here too until a row states their rule.
NOT_YET_IN_THE_MATRIX = {
    "GET /appointments/{}",
    "POST /appointments/{}/cancel",
    "POST /appointments/{}/check-in",
    "POST /appointments/{}/no-show",
    "POST /appointments/{}/rebook",
    "POST /bundles/{}/applications",
    "POST /complaints/{}/actions/rate",
    "POST /complaints/{}/actions/reopen",
    "POST /credit/facts/{}/objection",
    "POST /credit/facts/{}/repair",
    "POST /credit/list-entries/{}/decide",
    "GET /credit/lists/{}",
    "POST /credit/objections/{}/answer",
    "POST /credit/repairs/{}/decide",
    "GET /credit/scorecards/{}",
    "POST /credit/scorecards/{}/activate",
    "POST /credit/scorecards/{}/preview",
    "GET /credit/{}",
    "POST /disclosure/{}/publish",
    "POST /disclosure/{}/withdraw",
    "POST /enterprises/entries/{}",
    "GET /front-services/{}",
    "POST /front-services/{}/advice",
    "POST /front-services/{}/assign",
    "POST /front-services/{}/link",
    "GET /guidance/compliance/violations/{}",
    "GET /guidance/layout/regions/{}",
    "PUT /guidance/layout/thresholds/{}",
    "GET /items/{}",
    "GET /licences/{}/verify",
    "POST /policies/{}/assess",
    "POST /policies/{}/interpretation",
    "POST /policies/{}/publish",
    "POST /policies/{}/review",
    "POST /procedures/items/{}/green",
    "GET /public/policies/{}",
    "POST /ratings/rectifications/{}/actions/{}",
    "PATCH /ratings/{}",
    "GET /supervision/draws/{}",
    "GET /supervision/inspections/{}",
    "POST /supervision/inspections/{}/findings",
    "POST /supervision/inspections/{}/point-to-area",
    "POST /supervision/inspections/{}/publish",
    "POST /supervision/penalties/{}/decide",
    "GET /supervision/tasks/{}",
    "POST /supervision/tasks/{}/assign",
    "POST /supervision/tasks/{}/inspection",
    "POST /supervision/tasks/{}/join",
    "POST /supervision/tasks/{}/result",
}


def _shape(method: str, path: str) -> str:
    path = path.removeprefix(PREFIX)
    return f"{method.upper()} {PARAMETER.sub('{}', path)}"


def object_endpoints() -> set[str]:
    paths = api.get_openapi_schema()["paths"]
    return {
        _shape(method, path)
        for path, operations in paths.items()
        if PARAMETER.search(path)
        for method in operations
    }


def endpoints_with_rows() -> set[str]:
    rows = {_shape(method, template) for method, template, *_rest in ENDPOINTS}
    rows |= {_shape(method, template) for method, template, *_rest in APP_ENDPOINTS}
    case_actions_tried = {action for _status, action, _permission in STATE_ROWS}
    rows |= {
        _shape("POST", f"/applications/{{case}}/actions/{name}") for name in case_actions_tried
    }
    if {action.name for action in case_actions()} <= case_actions_tried:
        rows.add(_shape("POST", "/applications/{case}/actions/{action}"))
    return rows


def test_every_object_endpoint_has_rows_in_the_matrix():
    endpoints = object_endpoints()
    covered = endpoints_with_rows()
    assert covered <= endpoints, sorted(covered - endpoints)  # rows for endpoints that exist
    assert sorted(endpoints - covered - NOT_YET_IN_THE_MATRIX) == []  # a new endpoint, no row
    assert sorted(NOT_YET_IN_THE_MATRIX & covered) == []  # rows added: strike it off the list
    assert endpoints >= NOT_YET_IN_THE_MATRIX  # an endpoint that is gone
