"""Domain errors: what services raise when a rule refuses a request.

The API maps each to its HTTP status and the error body of API.md; pages show the message.
Messages are translated when they are rendered, so build them with `gettext_lazy`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A request that a rule refuses; nothing was changed."""

    status = 400
    code = "invalid"

    def __init__(self, message: Any, *, code: str | None = None, fields: dict | None = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}

    def as_body(self) -> dict:
        return {
            "error": {
                "code": self.code,
                "message": str(self.message),
                "fields": {name: str(text) for name, text in self.fields.items()},
            }
        }


class InvalidInput(DomainError):
    """Input that breaks a field rule (400); `fields` names each field and its rule."""

    status = 400
    code = "invalid"


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it does (404)."""

    status = 404
    code = "not_found"


class PermissionRefused(DomainError):
    """The caller may see the object but not do this to it (403)."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The object's state, a duplicate, or a concurrent change refuses the request (409)."""

    status = 409
    code = "conflict"


def invalid_field(field: str, message: Any, *, code: str = "invalid") -> InvalidInput:
    """One field broke one rule: the message names both."""
    return InvalidInput(message, code=code, fields={field: message})


# Pydantic's error types, said in our words so that Chinese callers read Chinese.
PYDANTIC_MESSAGES = {
    "missing": lambda: _("This field is required."),
    "date_from_datetime_parsing": lambda: _("Give a date as YYYY-MM-DD."),
    "date_parsing": lambda: _("Give a date as YYYY-MM-DD."),
    "date_type": lambda: _("Give a date as YYYY-MM-DD."),
    "int_parsing": lambda: _("Give a whole number."),
    "int_type": lambda: _("Give a whole number."),
    "bool_parsing": lambda: _("Give true or false."),
    "string_too_long": lambda: _("This text is too long."),
    "string_too_short": lambda: _("This text is too short."),
    "string_type": lambda: _("Give a text."),
    "literal_error": lambda: _("This value is not one of those allowed."),
    "enum": lambda: _("This value is not one of those allowed."),
    "greater_than_equal": lambda: _("This number is too small."),
    "less_than_equal": lambda: _("This number is too large."),
    "json_invalid": lambda: _("The body is not valid JSON."),
}

_CONTAINERS = {"body", "query", "path", "form", "file", "header", "cookie", "payload", "data"}


def _field_name(loc) -> str:
    parts = [str(part) for part in loc if str(part) not in _CONTAINERS]
    return ".".join(parts) or "body"


def validation_fields(errors: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        make = PYDANTIC_MESSAGES.get(error.get("type", ""))
        text = make() if make else _("Invalid value: %(detail)s") % {"detail": error.get("msg", "")}
        fields.setdefault(_field_name(error.get("loc", ())), text)
    return fields
