"""Dated policies (seed 000): time-bounded measures defined as data, previewed, applied to every
licence they match at once, and undone.

Set-based by design, so a million licences cost a few statements, not a million round trips:
apply = one INSERT … SELECT of the per-licence rows (`PolicyApplication`, the before and after
of each licence, which is also what undo restores from), one UPDATE of the licences (or of the
open verifications), one INSERT … SELECT of the licences' history events, and one audit
record of the policy (stream `policy:<pk>`) with the count. Preview and apply use the same
query (`policy_targets`), in one transaction with the policy row locked, so apply changes
exactly the licences the preview showed.

Undo restores, set-based, every licence the policy changed that nothing else changed since
(no later event of another origin); the others are left as they are and counted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import JSONObject
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.errors import Conflict, InvalidInput, invalid_field
from yiwang.licences import rules
from yiwang.licences.history import record, state_of
from yiwang.licences.models import (
    IN_FORCE,
    Closure,
    Licence,
    LicenceEvent,
    Policy,
    PolicyApplication,
    Status,
    Verification,
)
from yiwang.permissions import Action, require

Kind = Policy.Kind
EXTENDABLE = (Status.VALID, Status.PROVISIONAL, Status.EXPIRED)


# Defining --------------------------------------------------------------------------------


def policy_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    window_from: datetime.date | None,
    window_to: datetime.date | None,
    licence_type_codes: list[str] | None = None,
    new_valid_until: datetime.date | None = None,
    legal_basis: str = "",
) -> Policy:
    require(actor, Action.LICENCE_POLICY)
    codes = [code.strip() for code in (licence_type_codes or []) if code and code.strip()]
    _check(name, kind, window_from, window_to, codes, new_valid_until)
    with transaction.atomic():
        policy = Policy.objects.create(
            name=name.strip(),
            kind=kind,
            window_from=window_from,
            window_to=window_to,
            licence_type_codes=codes,
            new_valid_until=new_valid_until if kind == Kind.EXTEND_VALIDITY else None,
            legal_basis=legal_basis.strip(),
            created_by=actor,
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="policy.create",
            obj=policy,
            stream=f"policy:{policy.pk}",
            after=_describe(policy),
        )
    return policy


def _check(name, kind, window_from, window_to, codes, new_valid_until) -> None:
    fields = {}
    if not (name or "").strip():
        fields["name"] = _("Give the policy a name.")
    if kind not in Kind.values:
        fields["kind"] = _("Unknown kind of policy.")
    if window_from is None:
        fields["window_from"] = _("The window needs a first day.")
    if window_to is None:
        fields["window_to"] = _("The window needs a last day.")
    if window_from and window_to and window_to < window_from:
        fields["window_to"] = _("The window is reversed: its last day is before its first day.")
    if kind == Kind.EXTEND_VALIDITY:
        if not codes:
            fields["licence_type_codes"] = _("Choose at least one licence type.")
        if new_valid_until is None:
            fields["new_valid_until"] = _("Give the new expiry date.")
        elif window_to and new_valid_until <= window_to:
            fields["new_valid_until"] = _("The new expiry date must come after the window.")
    if fields:
        raise InvalidInput(next(iter(fields.values())), code="invalid_policy", fields=fields)


def _describe(policy: Policy) -> dict:
    return {
        "name": policy.name,
        "kind": policy.kind,
        "licence_type_codes": policy.licence_type_codes,
        "window_from": policy.window_from,
        "window_to": policy.window_to,
        "new_valid_until": policy.new_valid_until,
        "state": policy.state,
    }


# Which licences ----------------------------------------------------------------------------


def _closures(policy: Policy) -> QuerySet[Closure]:
    """Closures of the licence's holder that overlap the policy's window."""
    return Closure.objects.filter(
        holder_id=OuterRef("holder_id"), closed_on__lte=policy.window_to
    ).filter(Q(reopened_on__isnull=True) | Q(reopened_on__gte=policy.window_from))


def policy_targets(policy: Policy) -> QuerySet[Licence]:
    """The licences the policy changes, each annotated with `new_value` where it has one."""
    if policy.kind == Kind.EXTEND_VALIDITY:
        return Licence.objects.filter(
            licence_type_code__in=policy.licence_type_codes,
            status__in=EXTENDABLE,
            valid_until__gte=policy.window_from,
            valid_until__lte=policy.window_to,
        ).annotate(new_value=Value(policy.new_valid_until, output_field=DateField()))
    if policy.kind == Kind.EXEMPT_CLOSED:
        closures = _closures(policy)
        # Still closed: no verification until it reopens (then one month more).
        latest = closures.order_by(F("reopened_on").desc(nulls_first=True))
        return (
            Licence.objects.filter(
                item__code__in=sorted(rules.verified_item_codes()),
                status__in=IN_FORCE,
                verification_due__isnull=False,
            )
            .filter(Exists(closures))
            .annotate(
                new_value=Subquery(latest.values("exempt_until")[:1], output_field=DateField())
            )
            .filter(Q(new_value__isnull=True) | Q(verification_due__lt=F("new_value")))
        )
    return Licence.objects.filter(
        Exists(_open_verifications(policy).filter(licence_id=OuterRef("pk")))
    ).annotate(new_value=Value(None, output_field=DateField()))


def _open_verifications(policy: Policy) -> QuerySet[Verification]:
    return Verification.objects.filter(
        outcome=Verification.Outcome.OPEN,
        onsite_review=True,
        due_on__gte=policy.window_from,
        due_on__lte=policy.window_to,
    )


def policy_preview(policy: Policy) -> QuerySet[Licence]:
    return policy_targets(policy).select_related("holder").order_by("valid_until", "pk")


# Applying and undoing ----------------------------------------------------------------------


def _insert_select(model, queryset: QuerySet, columns: dict) -> int:
    """INSERT INTO <model> (<columns>) SELECT <one expression per column> FROM <queryset>.

    Every selected column is an annotation named `c0`, `c1`… in the columns' order, so the
    SELECT list has exactly the INSERT's order.
    """
    names_in_order = [f"c{index}" for index in range(len(columns))]
    selected = queryset.annotate(
        **dict(zip(names_in_order, columns.values(), strict=True))
    ).values_list(*names_in_order)
    sql, params = selected.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name).column) for name in columns
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)
        return cursor.rowcount


def _locked_policy(policy: Policy) -> Policy:
    return Policy.objects.select_for_update().get(pk=policy.pk)


def policy_apply(*, actor: Any, policy: Policy) -> Policy:
    require(actor, Action.LICENCE_POLICY)
    with transaction.atomic():
        policy = _locked_policy(policy)
        if policy.state != Policy.State.DRAFT:
            raise Conflict(
                _("Only a draft policy can be applied; this one is %(state)s.")
                % {"state": Policy.State(policy.state).label},
                code="not_draft",
            )
        count = _write_applications(policy)
        if count == 0:
            raise Conflict(
                _("The policy matches no licence; nothing was applied."),
                code="policy_empty",
                fields={"window_from": _("no licence matches")},
            )
        _change_targets(policy)
        now = clock.now()
        _write_events(policy, actor, now, "policy_apply", undone=False)
        policy.state, policy.applied_at, policy.applied_count = Policy.State.APPLIED, now, count
        policy.applied_event_mark = LicenceEvent.objects.aggregate(mark=Max("pk"))["mark"]
        policy.save(update_fields=["state", "applied_at", "applied_count", "applied_event_mark"])
        audit_record(
            actor=actor,
            action="policy.apply",
            obj=policy,
            stream=f"policy:{policy.pk}",
            after={**_describe(policy), "licences": count},
        )
    return policy


def _write_applications(policy: Policy) -> int:
    targets = policy_targets(policy)
    after_status = Case(
        When(status=Status.EXPIRED, then=Value(Status.VALID.value)),
        default=F("status"),
        output_field=CharField(),
    )
    null_date = Value(None, output_field=DateField())
    if policy.kind == Kind.EXTEND_VALIDITY:
        values = {
            "b_until": F("valid_until"),
            "a_until": F("new_value"),
            "b_status": F("status"),
            "a_status": after_status,
            "b_due": null_date,
            "a_due": null_date,
            "verification": Value(None, output_field=IntegerField()),
        }
    elif policy.kind == Kind.EXEMPT_CLOSED:
        values = {
            "b_until": null_date,
            "a_until": null_date,
            "b_status": Value(""),
            "a_status": Value(""),
            "b_due": F("verification_due"),
            "a_due": F("new_value"),
            "verification": Value(None, output_field=IntegerField()),
        }
    else:
        values = {
            "b_until": null_date,
            "a_until": null_date,
            "b_status": Value(""),
            "a_status": Value(""),
            "b_due": null_date,
            "a_due": null_date,
            "verification": Subquery(
                _open_verifications(policy).filter(licence_id=OuterRef("pk")).values("pk")[:1]
            ),
        }
    columns = {
        "policy": Value(policy.pk, output_field=IntegerField()),
        "licence": F("pk"),
        "before_valid_until": values["b_until"],
        "after_valid_until": values["a_until"],
        "before_status": values["b_status"],
        "after_status": values["a_status"],
        "before_verification_due": values["b_due"],
        "after_verification_due": values["a_due"],
        "verification": values["verification"],
        "undone": Value(False),
    }
    return _insert_select(PolicyApplication, targets, columns)


def _rows(policy: Policy, *, undone: bool) -> QuerySet[PolicyApplication]:
    return PolicyApplication.objects.filter(policy=policy, undone=undone)


def _from_rows(policy: Policy, column: str, *, undone: bool) -> Subquery:
    return Subquery(
        _rows(policy, undone=undone).filter(licence_id=OuterRef("pk")).values(column)[:1]
    )


def _change_targets(policy: Policy) -> None:
    changed = Licence.objects.filter(pk__in=_rows(policy, undone=False).values("licence_id"))
    if policy.kind == Kind.EXTEND_VALIDITY:
        changed.update(
            valid_until=policy.new_valid_until,
            status=_from_rows(policy, "after_status", undone=False),
        )
    elif policy.kind == Kind.EXEMPT_CLOSED:
        changed.update(verification_due=_from_rows(policy, "after_verification_due", undone=False))
    else:
        Verification.objects.filter(
            pk__in=_rows(policy, undone=False).values("verification_id")
        ).update(onsite_review=False)


def _write_events(policy: Policy, actor: Any, now, action: str, *, undone: bool) -> int:
    prefix_before, prefix_after = ("after", "before") if undone else ("before", "after")

    def state(prefix: str) -> JSONObject:
        return JSONObject(
            valid_until=F(f"{prefix}_valid_until"),
            status=F(f"{prefix}_status"),
            verification_due=F(f"{prefix}_verification_due"),
        )

    return _insert_select(
        LicenceEvent,
        _rows(policy, undone=undone),
        {
            "licence": F("licence_id"),
            "at": Value(now),
            "action": Value(action),
            "actor": Value(getattr(actor, "pk", None), output_field=IntegerField()),
            "actor_label": Value(getattr(actor, "username", None) or "system"),
            "before": state(prefix_before),
            "after": state(prefix_after),
            "note": Value(policy.name),
            "policy": Value(policy.pk, output_field=IntegerField()),
        },
    )


def policy_undo(*, actor: Any, policy: Policy) -> Policy:
    require(actor, Action.LICENCE_POLICY)
    with transaction.atomic():
        policy = _locked_policy(policy)
        if policy.state != Policy.State.APPLIED:
            raise Conflict(_("Only an applied policy can be undone."), code="not_applied")
        changed_since = LicenceEvent.objects.filter(
            licence_id=OuterRef("licence_id"), pk__gt=policy.applied_event_mark
        ).exclude(policy=policy)
        restored = _rows(policy, undone=False).exclude(Exists(changed_since)).update(undone=True)
        restorable = Licence.objects.filter(pk__in=_rows(policy, undone=True).values("licence_id"))
        if policy.kind == Kind.EXTEND_VALIDITY:
            restorable.update(
                valid_until=_from_rows(policy, "before_valid_until", undone=True),
                status=_from_rows(policy, "before_status", undone=True),
            )
        elif policy.kind == Kind.EXEMPT_CLOSED:
            restorable.update(
                verification_due=_from_rows(policy, "before_verification_due", undone=True)
            )
        else:
            Verification.objects.filter(
                pk__in=_rows(policy, undone=True).values("verification_id"),
                outcome=Verification.Outcome.OPEN,
            ).update(onsite_review=True)
        now = clock.now()
        _write_events(policy, actor, now, "policy_undo", undone=True)
        policy.state, policy.undone_at, policy.restored_count = Policy.State.UNDONE, now, restored
        policy.save(update_fields=["state", "undone_at", "restored_count"])
        audit_record(
            actor=actor,
            action="policy.undo",
            obj=policy,
            stream=f"policy:{policy.pk}",
            after={
                **_describe(policy),
                "restored": restored,
                "left_changed": policy.applied_count - restored,
            },
        )
    return policy


# Closures (the facts the exemption policy reads) -------------------------------------------


def closure_record(
    *,
    actor: Any,
    holder,
    closed_on: datetime.date,
    reopened_on: datetime.date | None = None,
    note: str = "",
) -> Closure:
    require(actor, Action.LICENCE_POLICY)
    if reopened_on and reopened_on < closed_on:
        raise invalid_field("reopened_on", _("An institution reopens after it closed."))
    with transaction.atomic():
        closure = Closure.objects.create(
            holder=holder,
            closed_on=closed_on,
            reopened_on=reopened_on,
            note=note,
            exempt_until=rules.add_months(reopened_on, 1) if reopened_on else None,
        )
        audit_record(
            actor=actor,
            action="closure.record",
            obj=closure,
            after={"holder": holder.pk, "closed_on": closed_on, "reopened_on": reopened_on},
        )
    return closure


def closure_reopen(*, actor: Any, closure: Closure, reopened_on: datetime.date) -> Closure:
    """The institution reopened: a verification exempted while it was closed falls due one
    month later."""
    require(actor, Action.LICENCE_POLICY)
    if reopened_on < closure.closed_on:
        raise invalid_field("reopened_on", _("An institution reopens after it closed."))
    with transaction.atomic():
        closure = Closure.objects.select_for_update().get(pk=closure.pk)
        closure.reopened_on = reopened_on
        closure.exempt_until = rules.add_months(reopened_on, 1)
        closure.save(update_fields=["reopened_on", "exempt_until"])
        audit_record(
            actor=actor, action="closure.reopen", obj=closure, after={"reopened_on": reopened_on}
        )
        exempted = PolicyApplication.objects.filter(
            policy__kind=Kind.EXEMPT_CLOSED,
            policy__state=Policy.State.APPLIED,
            undone=False,
            after_verification_due__isnull=True,
            licence__holder_id=closure.holder_id,
        ).select_related("licence")
        for application in exempted:
            licence = application.licence
            if licence.verification_due is None:
                before = state_of(licence)
                licence.verification_due = closure.exempt_until
                licence.save(update_fields=["verification_due"])
                record(
                    licence,
                    actor=actor,
                    action="verification_exemption_ends",
                    before=before,
                    note=_("Reopened on %(day)s.") % {"day": reopened_on},
                )
    return closure
