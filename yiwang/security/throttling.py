"""Login throttling (django-axes) on every door: the API token endpoint, the login page, the admin.

Per account and per address (`AXES_LOCKOUT_PARAMETERS`): after `AXES_FAILURE_LIMIT` wrong
passwords the account, and separately the address, is locked for `AXES_COOLOFF_TIME`; each
further try during the lock starts the wait again. A lockout is audited; an administrator
unlocks (admin, "Access attempts", the audited "Unlock" action, or `login_unlock`).
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.db import transaction
from django.db.models import Max, Q
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yiwang.audit.services import audit_record
from yiwang.errors import InvalidInput, PermissionRefused


def seconds_to_wait(username: str | None, ip_address: str | None) -> int:
    """How long until the newest failure of this account or address has cooled off."""
    cool_off = get_cool_off()
    if cool_off is None:
        return 0
    match = Q(pk__in=[])
    if username:
        match |= Q(username=username)
    if ip_address:
        match |= Q(ip_address=ip_address)
    latest = AccessAttempt.objects.filter(match).aggregate(at=Max("attempt_time"))["at"]
    if latest is None:
        return 0
    return max(0, math.ceil((latest + cool_off - timezone.now()).total_seconds()))


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-ins for this account or from this address. "
        "Try again in %(minutes)d minute, or ask an administrator to unlock it.",
        "Too many failed sign-ins for this account or from this address. "
        "Try again in %(minutes)d minutes, or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429 with the time to wait; JSON (API.md) under /api/."""
    username = get_client_username(request, credentials)
    seconds = seconds_to_wait(username, get_client_ip_address(request))
    message = lockout_message(seconds)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": {"code": "locked_out", "message": message, "fields": {}}}, status=429
        )
    else:
        response = render(request, "security/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(1, seconds))
    return response


@receiver(user_locked_out)
def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    with transaction.atomic():
        audit_record(
            actor=None,
            action="login.locked_out",
            object_type="login",
            object_id=(username or ip_address or "?")[:64],
            after={
                "username": username,
                "ip_address": ip_address,
                "path": getattr(request, "path", ""),
            },
            stream=f"login:{(username or ip_address or '?')[:100]}",
        )


def login_unlock(*, actor: Any, username: str = "", ip_address: str = "") -> int:
    """An administrator lifts a lock on an account and/or an address; returns attempts removed."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionRefused(_("Only an administrator may unlock sign-in."))
    if not username and not ip_address:
        raise InvalidInput(
            _("Name an account or an address to unlock."),
            fields={"username": _("Name an account or an address to unlock.")},
        )
    with transaction.atomic():
        removed = 0
        if username:
            removed += reset(username=username)
        if ip_address:
            removed += reset(ip=ip_address)
        target = username or ip_address
        audit_record(
            actor=actor,
            action="login.unlocked",
            object_type="login",
            object_id=target[:64],
            after={"username": username, "ip_address": ip_address, "attempts_removed": removed},
            stream=f"login:{target[:100]}",
        )
    return removed
