"""The API's error body (API.md): {"error": {"code", "message", "fields"}},

Messages are in the caller's language.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from yiwang.errors import DomainError

# Pydantic's error types, said in our words so that Chinese callers read Chinese.
_PYDANTIC_MESSAGES = {
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
        make = _PYDANTIC_MESSAGES.get(error.get("type", ""))
        text = make() if make else _("Invalid value: %(detail)s") % {"detail": error.get("msg", "")}
        fields.setdefault(_field_name(error.get("loc", ())), text)
    return fields


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def install_handlers(api) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, error: DomainError):
        return api.create_response(request, error.as_body(), status=error.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, error: ValidationError):
        fields = validation_fields(error.errors)
        message = _("The request has invalid fields: %(names)s.") % {"names": ", ".join(fields)}
        return api.create_response(request, error_body("invalid", message, fields), status=400)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, error):
        message = _("Sign in first: send Authorization: Bearer <token>.")
        return api.create_response(request, error_body("unauthorised", message), status=401)

    @api.exception_handler(Http404)
    def not_found(request, error):
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, error: HttpError):
        return api.create_response(
            request, error_body(f"http_{error.status_code}", str(error)), status=error.status_code
        )
