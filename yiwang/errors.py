"""Domain errors: what services raise when a rule refuses a request.

The API maps each to its HTTP status and the error body of API.md; pages show the message.
Messages are translated when they are rendered, so build them with `gettext_lazy`.
"""

from __future__ import annotations

from typing import Any


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
