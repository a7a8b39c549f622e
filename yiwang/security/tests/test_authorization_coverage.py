"""Every object endpoint of the API has rows in the authorization matrix.

The object endpoints are read from the served OpenAPI document (every operation with a path
parameter), not typed here: a new endpoint fails this test until it gets matrix rows. An
endpoint whose path names a choice (a rectification's step: `verify`, `call_back`, …) is covered
when rows try every value the document lists for it.
"""

import re

from yiwang.api.routes import api
from yiwang.cases.engine.actions import case_actions
from yiwang.security.tests.test_authorization_apps import APP_ENDPOINTS
from yiwang.security.tests.test_authorization_matrix import ENDPOINTS
from yiwang.security.tests.test_authorization_oversight import (
    CREDIT_ROWS,
    PUBLIC_OVERSIGHT_ROWS,
    SUPERVISION_ROWS,
)
from yiwang.security.tests.test_authorization_services import PUBLIC_SERVICE_ROWS, SERVICE_ROWS
from yiwang.security.tests.test_authorization_states import STATE_ROWS

PARAMETER = re.compile(r"\{[^}]*\}")
PREFIX = "/api/v1"
ROWS = [
    *ENDPOINTS,
    *APP_ENDPOINTS,
    *SERVICE_ROWS,
    *PUBLIC_SERVICE_ROWS,
    *CREDIT_ROWS,
    *SUPERVISION_ROWS,
    *PUBLIC_OVERSIGHT_ROWS,
]


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


def choices() -> dict[str, set[str]]:
    """Endpoint → the concrete paths its enumerated path parameters make (one per value)."""
    made = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                values = parameter.get("schema", {}).get("enum")
                if parameter["in"] == "path" and values:
                    name = "{" + parameter["name"] + "}"
                    made[_shape(method, path)] = {
                        _shape(method, path.replace(name, value)) for value in values
                    }
    return made


def endpoints_with_rows() -> set[str]:
    rows = {_shape(method, template) for method, template, *_rest in ROWS}
    rows |= {endpoint for endpoint, concrete in choices().items() if concrete <= rows}
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
    assert sorted(endpoints - covered) == []  # an endpoint without rows
    concrete = {shape for made in choices().values() for shape in made}
    assert sorted(covered - endpoints - concrete) == []  # rows for endpoints that are gone
