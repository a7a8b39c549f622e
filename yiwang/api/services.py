"""Issuing API tokens."""

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.api.models import ApiToken
from yiwang.audit.services import audit_record
from yiwang.errors import DomainError


class BadCredentials(DomainError):
    status = 401
    code = "unauthorised"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(
    *, username: str, password: str, request: Any = None
) -> tuple[str, datetime.datetime]:
    """A bearer token for a right password; `request` lets login throttling see the caller."""
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise BadCredentials(_("Wrong user name or password."))
    token = secrets.token_urlsafe(32)
    expires_at = clock.now() + datetime.timedelta(hours=settings.API_TOKEN_HOURS)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user, digest=token_digest(token), expires_at=expires_at
        )
        audit_record(actor=user, action="token.issue", obj=record, after={"expires_at": expires_at})
    return token, expires_at
