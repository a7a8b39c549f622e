"""The loop the matrix files share: every row × every demo account (and the anonymous caller
for public rows) × every variant of the row's object.

A row names the permission (`action`) the table decides it by, or a `rule` for the few
endpoints whose documented rule is personal (only the reporter rates, only the assigned expert
advises). The expected outcome is "allowed" (2xx, or a 400/409 of the body or the object's
state: never 403/404), "403" (the caller sees the object but may not act) or "404" (the
object lies outside the caller's view and is not revealed). A refused write must change
nothing: the object's row and the audit trail are compared before and after. Every request
runs in a savepoint that is rolled back, so every pair sees the same objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.forms.models import model_to_dict

from yiwang.api.services import token_issue
from yiwang.audit.models import AuditRecord
from yiwang.demo import DEMO_ACCOUNTS
from yiwang.permissions import Action, _sees, may
from yiwang.security.tests.test_authorization_matrix import PASSWORD

ANONYMOUS = "anonymous"


class Row(NamedTuple):
    method: str
    template: str
    action: Action | None
    kind: str
    body: Any = None
    view: Action | None = None
    # (user, obj) -> "allowed" | "403" | "404": a documented rule the table alone does not state
    rule: Callable[[Any, Any], str] | None = None
    multipart: bool = False


def seen_or_not(user, obj, view: Action | None = None) -> str:
    """The refusal for a caller who may not act: 403 if the object is in view, else 404."""
    if user is None:
        return "404"
    if user.is_superuser or (view and may(user, view, obj)) or _sees(user, obj):
        return "403"
    return "404"


def expected(user, row: Row, obj) -> str:
    if row.rule is not None:
        return row.rule(user, obj)
    if user is None:  # no token: every non-public endpoint answers 401, counted with 403
        return "403"
    # A key that names no scoped object (a score card's version, a threshold's measure): the
    # role alone decides, and a refusal is 403.
    target = obj if hasattr(obj, "scope_region_code") else None
    if may(user, row.action, target):
        return "allowed"
    if target is None:
        return "403"
    return seen_or_not(user, target, row.view)


def outcome(status: int) -> str:
    if status in (401, 403):
        return "403"
    if status == 404:
        return "404"
    assert status < 500, status
    return "allowed"


def accounts() -> list[str]:
    # Some demo accounts come with `make run`'s sample work only (e.g. the joint inspectors).
    return [
        username
        for username, _what in DEMO_ACCOUNTS
        if get_user_model().objects.filter(username=username).exists()
    ]


def fingerprint(obj) -> tuple:
    """What a refused write must leave as it was: the object's row and the audit trail."""
    row = None
    if obj is not None and hasattr(obj, "_meta"):
        fresh = type(obj).objects.filter(pk=obj.pk).first()
        row = fresh and model_to_dict(fresh)
    return (row, AuditRecord.objects.count())


def fill(value, found: dict):
    """`{kind}` and `{kind.attribute}` placeholders in a body made the variant's values."""
    if isinstance(value, dict):
        return {key: fill(item, found) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, found) for item in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        kind, _dot, attribute = value[1:-1].partition(".")
        return getattr(found[kind], attribute or "pk")
    return value


def run(
    rows: list[Row],
    variants: dict[str, dict],
    *,
    client,
    user_named,
    keys: dict[str, Callable[[Any], Any]] | None = None,
    anonymous: bool = False,
) -> tuple[int, dict, list[str]]:
    """Every row × account × variant; returns (pairs, outcomes seen, mismatches)."""
    keys = keys or {}
    names = accounts()
    tokens = {name: token_issue(username=name, password=PASSWORD)[0] for name in names}
    callers = [*names, ANONYMOUS] if anonymous else names
    mismatches, pairs, seen = [], 0, {"allowed": 0, "403": 0, "404": 0}
    for username in callers:
        user = None if username == ANONYMOUS else user_named(username)
        headers = {} if user is None else {"HTTP_AUTHORIZATION": f"Bearer {tokens[username]}"}
        for variant, found in variants.items():
            for row in rows:
                if row.kind not in found:
                    continue  # the variant does not apply to this object's scope
                obj = found[row.kind]
                path = row.template.format(
                    **{kind: keys.get(kind, _pk)(value) for kind, value in found.items()}
                )
                want = expected(user, row, obj)
                with transaction.atomic():
                    before = fingerprint(obj) if row.method != "GET" else None
                    response = _call(client, row, path, fill(row.body, found), headers)
                    got = outcome(response.status_code)
                    changed = (
                        row.method != "GET" and got != "allowed" and fingerprint(obj) != before
                    )
                    transaction.set_rollback(True)
                pairs += 1
                seen[got] += 1
                if got != want or changed:
                    mismatches.append(
                        f"{username} {row.method} {row.template} ({variant}): expected {want}, "
                        f"got {response.status_code}{' and a change' if changed else ''} "
                        f"{response.content[:160]!r}"
                    )
    return pairs, seen, mismatches


def _pk(value):
    return getattr(value, "pk", value)


def _call(client, row: Row, path: str, body, headers: dict):
    if row.method == "GET":
        return client.get(path, **headers)
    if row.multipart:
        return client.post(path, body or {}, **headers)
    call = getattr(client, row.method.lower())
    return call(path, body or {}, content_type="application/json", **headers)
