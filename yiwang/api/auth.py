"""Bearer-token authentication for the API."""

from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from yiwang import clock
from yiwang.api.models import ApiToken
from yiwang.api.services import token_digest
from yiwang.permissions import remember_scope, scope_columns


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        # The token, its user and the user's scope in one statement: every permission check
        # of the request then reads the scope held on the user object.
        record = (
            ApiToken.objects.select_related("user")
            .only("user")
            .annotate(**scope_columns("user"))
            .filter(digest=token_digest(token), expires_at__gt=clock.now())
            .first()
        )
        if record is None or not record.user.is_active:
            return None
        remember_scope(record.user, record)
        request.user = record.user
        return record.user


class OptionalBearer(BearerToken):
    """Public endpoints: a token is read when given, never required."""

    def __call__(self, request):
        return super().__call__(request) or True


UNAUTHORISED_MESSAGE = _("Sign in first: send Authorization: Bearer <token>.")
