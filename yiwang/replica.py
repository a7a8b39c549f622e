"""Reads that may be served by a PostgreSQL streaming replica (issue 19, "past one machine").

With `DATABASE_REPLICA_URL` set, a view marked `@reads_from_replica` sends its reads to the
`replica` database; without it everything stays on the primary and the mark costs nothing. Only
answers that may trail the primary by the replication delay are marked: public licence
verification, guides, published records and figures, the leaders' dashboard. Writes always go
to the primary, and so do reads inside a transaction on the primary (a service that reads what
it is about to change) and reads of who is asking (sessions, users, tokens, login throttling):
a person who has just logged in must not look logged out because the replica is a second late.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator

from django.db import DEFAULT_DB_ALIAS, connections
from ninja.decorators import decorate_view

REPLICA_DB_ALIAS = "replica"

# Rows that decide who is asking and what they may do: always read where they were just written.
IDENTITY_APPS = frozenset({"auth", "sessions", "contenttypes", "axes"})
IDENTITY_MODELS = frozenset(
    {"regions.staff", "regions.staffrole", "parties.representation", "api.apitoken"}
)

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "yiwang_replica_reads", default=False
)


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads outside a primary transaction may go to the replica."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """Mark a read-only view (page or API operation) whose answer may trail the primary."""

    @functools.wraps(view)
    def read_from_replica(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return read_from_replica


def _decides_identity(model) -> bool:
    return model._meta.app_label in IDENTITY_APPS or model._meta.label_lower in IDENTITY_MODELS


def operation_reads_from_replica(operation: Callable) -> Callable:
    """The same mark for an API operation: wraps the whole run, answer shaping included, and
    leaves the function ninja reads its parameters from untouched."""
    return decorate_view(reads_from_replica)(operation)


class ReplicaRouter:
    """Installed by the settings only when `DATABASE_REPLICA_URL` is set."""

    def db_for_read(self, model, **hints) -> str | None:
        if not _replica_reads.get() or _decides_identity(model):
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first, second, **hints) -> bool:
        # Both aliases hold the same rows, so objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # A streaming replica is read-only; its schema arrives by replication.
        return db != REPLICA_DB_ALIAS
