"""The API's input guard, in front of every operation, and the OpenAPI document saying so.

- A body is taken only in the media type the operation declares: JSON endpoints require
  `application/json`, upload endpoints `multipart/form-data`; anything else is 415.
- A JSON body may be at most `API_MAX_BODY_BYTES` (413); every string in it at most
  `API_MAX_STRING` characters, every integer within ±(2⁵³−1) (400 naming the field).
- Query and path integers are bounded the same way, query strings to `API_MAX_QUERY_STRING`.
- Every error under /api/ is the JSON error body of API.md, whatever raised it.
The OpenAPI document states these bounds (maximum, minimum, maxLength) and every error status
an operation can answer, so a client (or a fuzzer) can rely on it.
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.db import DataError
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

MAX_INT = 2**53 - 1
INTEGER = re.compile(r"[+-]?[0-9]+")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def max_body() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", 256 * 1024))


def max_string() -> int:
    return int(getattr(settings, "API_MAX_STRING", 4000))


def max_query_string() -> int:
    return int(getattr(settings, "API_MAX_QUERY_STRING", 500))


def error(status: int, code: str, message: str, fields: dict | None = None) -> JsonResponse:
    body = {"error": {"code": code, "message": str(message), "fields": fields or {}}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def too_large_number(field: str) -> JsonResponse:
    text = _("This number is out of range (at most %(max)s in size).") % {"max": MAX_INT}
    return error(
        400,
        "invalid",
        _("The request has invalid fields: %(names)s.") % {"names": field},
        {field: text},
    )


def _walk(value: Any, path: str) -> tuple[str, str] | None:
    """The first field that breaks a bound, with its rule, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            return path or "body", "number"
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return path or "body", "number"
    elif isinstance(value, str):
        if len(value) > max_string():
            return path or "body", "string"
    elif isinstance(value, dict):
        for key, item in value.items():
            if len(key) > 200:
                return f"{path}.{key[:40]}…" if path else key[:40] + "…", "string"
            found = _walk(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _walk(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def _bound_message(rule: str) -> str:
    if rule == "number":
        return _("This number is out of range (at most %(max)s in size).") % {"max": MAX_INT}
    return _("This text is too long (at most %(max)s characters).") % {"max": max_string()}


def declared_media_types(api) -> dict[tuple[str, str], set[str]]:
    """(operation path template, method) → the media types its request body may take."""
    found = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            found[(path, method.upper())] = set(body["content"]) if body else set()
    return found


_MEDIA_TYPES: dict | None = None
# The API the guard checks requests for: `routes.py` hands it over once it is built (the guard
# never imports the routes, which import the guard).
_GUARDED: list = []


def guard_api(api) -> None:
    global _MEDIA_TYPES
    _GUARDED[:] = [api]
    _MEDIA_TYPES = None


def _media_types_for(request) -> set[str] | None:
    global _MEDIA_TYPES
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if _MEDIA_TYPES is None:
        _MEDIA_TYPES = declared_media_types(_GUARDED[0]) if _GUARDED else {}
    template = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", match.route)
    return _MEDIA_TYPES.get((template, request.method))


class ApiGuardMiddleware:
    """Checks input to /api/ before any operation runs; turns every error there into JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        refused = self._refuse(request)
        response = refused or self.get_response(request)
        return as_json_error(response)

    def _refuse(self, request):
        for name, value in request.GET.items():
            if INTEGER.fullmatch(value.strip()) and abs(int(value)) > MAX_INT:
                return too_large_number(name)
            if len(value) > max_query_string():
                text = _("This text is too long (at most %(max)s characters).") % {
                    "max": max_query_string()
                }
                return error(
                    400,
                    "invalid",
                    _("The request has invalid fields: %(names)s.") % {"names": name},
                    {name: text},
                )
        if request.method not in BODY_METHODS:
            return None
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > max_body() and not request.content_type.startswith("multipart/"):
            return error(
                413,
                "too_large",
                _("The body is too large: at most %(max)s bytes.") % {"max": max_body()},
            )
        accepted = _media_types_for(request)
        if accepted is None or not (length or request.content_type):
            return None
        if accepted and request.content_type not in accepted:
            return error(
                415,
                "unsupported_media_type",
                _("Send the body as %(types)s, not %(given)s.")
                % {"types": " or ".join(sorted(accepted)), "given": request.content_type or "-"},
            )
        if request.content_type == "application/json" and length:
            try:
                data = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                return None  # the operation answers 400 "not valid JSON" in its own words
            broken = _walk(data, "")
            if broken:
                field, rule = broken
                return error(
                    400,
                    "invalid",
                    _("The request has invalid fields: %(names)s.") % {"names": field},
                    {field: _bound_message(rule)},
                )
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/api/"):
            return None
        for name, value in view_kwargs.items():
            if isinstance(value, int) and abs(value) > MAX_INT:
                return too_large_number(name)
            if isinstance(value, str) and len(value) > max_query_string():
                return error(404, "not_found", _("Not found."))
        return None

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        if isinstance(exception, OverflowError | DataError):
            # A value past a column's range that the bounds above let through (a 32-bit column).
            return error(400, "invalid", _("A number in the request is out of range."))
        return None


def as_json_error(response):
    """Any error answer under /api/ that is not our JSON body becomes one (same status)."""
    if response.status_code < 400:
        return response
    if response.get("Content-Type", "").startswith("application/json"):
        return response
    status = response.status_code
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    messages = {
        400: _("The request is not valid."),
        403: _("You may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The body is too large."),
        500: _("Something went wrong on our side; nothing was changed."),
    }
    replaced = error(status, f"http_{status}", messages.get(status, phrase))
    for header in ("Allow", "Retry-After"):
        if header in response:
            replaced[header] = response[header]
    return replaced


# The OpenAPI document ---------------------------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: the fields named in error.fields break their rule",
    "401": "Not signed in, or wrong credentials",
    "403": "Signed in, but not allowed to do this",
    "404": "No such object, or not visible to the caller",
    "405": "Method not allowed",
    "409": "The object's state or a duplicate refuses the request",
    "413": "The body is too large",
    "415": "The body is not in the media type the operation takes",
    "429": "Too many failed sign-ins: locked for a while (Retry-After)",
}


def _bound_schema(schema: dict, components: dict, seen: set, *, string_max: int) -> None:
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if ref and ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            _bound_schema(components.get(name, {}), components, seen, string_max=string_max)
        return
    kind = schema.get("type")
    if kind == "integer":
        schema.setdefault("maximum", MAX_INT)
        schema.setdefault("minimum", -MAX_INT)
    elif kind == "string" and "format" not in schema and "enum" not in schema:
        schema.setdefault("maxLength", string_max)
    for key in ("properties",):
        for sub in (schema.get(key) or {}).values():
            _bound_schema(sub, components, seen, string_max=string_max)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _bound_schema(schema[key], components, seen, string_max=string_max)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or []:
            _bound_schema(sub, components, seen, string_max=string_max)


def harden_openapi(document: dict) -> dict:
    """State the guard's bounds and every error status in the document (in place)."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    seen: set[str] = set()
    for _path, operations in document.get("paths", {}).items():
        for _method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                _bound_schema(
                    parameter.get("schema", {}), components, seen, string_max=max_query_string()
                )
            body = operation.get("requestBody")
            for media in (body or {}).get("content", {}).values():
                _bound_schema(media.get("schema", {}), components, seen, string_max=max_string())
            statuses = {"400", "404", "405", "409"}
            if operation.get("security"):
                statuses |= {"401", "403"}
            if body:
                statuses |= {"413", "415"}
            if operation.get("operationId", "").endswith("issue_token"):
                statuses |= {"401", "429"}
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                if status in responses or int(status) in responses:
                    continue
                responses.setdefault(
                    int(status),
                    {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return document
