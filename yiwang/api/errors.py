"""The API's error body (API.md): {"error": {"code", "message", "fields"}},

Messages are in the caller's language.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from yiwang.errors import DomainError, validation_fields


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
