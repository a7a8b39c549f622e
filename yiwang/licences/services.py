"""Every write to a licence: one function per use case, its `LicenceEvent` and its audit record
(stream `licence:<pk>`) in the same transaction.

Issuing: `licence_issue_for_case` runs inside the case's `issue` transaction. For an ordinary
item it creates the licence; for a renewal, change, cancellation, revocation or verification
item it applies the decision to the licence the case was filed for (`LicenceCase`). Each
version of a licence's elements is signed here (fast); the PDF is made by the task worker after
the transaction commits.
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.catalog.answers import licence_entries
from yiwang.catalog.selectors import dictionaries_for
from yiwang.errors import Conflict, invalid_field
from yiwang.events import publish
from yiwang.licences import elicence, rules, signing
from yiwang.licences import events as licence_events
from yiwang.licences.history import record, state_of
from yiwang.licences.models import (
    IN_FORCE,
    Licence,
    LicenceCase,
    LicenceNumberSequence,
    Purpose,
    Status,
)
from yiwang.licences.verification import first_verification_due, verification_pass_for_case
from yiwang.permissions import Action, require
from yiwang.statements import written_together

DEEMED_RENEWAL_NOTE = _(
    "The renewal was not decided before expiry: it counts as granted "
    "(Administrative Licensing Law, Art. 50)."
)


# Recording -------------------------------------------------------------------------------


def _locked(licence: Licence) -> Licence:
    return (
        Licence.objects.select_for_update(of=("self",))
        .select_related("holder", "item", "department__region")
        .get(pk=licence.pk)
    )


# Numbers, identifiers, signatures ---------------------------------------------------------


def next_licence_number(*, prefix: str, year: int) -> str:
    """`<licence type code><year><6-digit sequence>`, in one statement (insert the type-year row
    or add one to it, returning the new value). Outside a transaction the statement commits by
    itself, so the row is locked for the increment alone; inside one, until that commits."""
    table = LicenceNumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (prefix, year) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [prefix, year],
        )
        (last,) = cursor.fetchone()
    return f"{prefix}{year}{last:06d}"


def new_licence_prefix(case) -> str | None:
    """The number prefix of the licence issuing `case` will create, or None when issuing makes
    no new licence (a decision on the licence the case was filed for, one issued earlier)."""
    # Only a purpose item's case is filed for a licence (`LicenceCase`): no look-up for that.
    if rules.purpose_of_item(case.item.code) or case.item.code == rules.verification_item_code():
        return None
    if Licence.objects.filter(case=case).exists():
        return None
    return case.item_version.licence_type_code or case.item.code


@contextlib.contextmanager
def licence_number_for_issue(*, actor: Any, case):
    """Take the new licence's number before the issuing transaction (empty when there is no
    new licence, or inside a caller's transaction, where the number rolls back with the rest);
    if the issue fails the gap is audited here, and the caller voids a number it left unused
    (docs/licences.md, "Licence numbers")."""
    prefix = None if case is None or connection.in_atomic_block else new_licence_prefix(case)
    if prefix is None:
        yield ""
        return
    number = next_licence_number(prefix=prefix, year=clock.localdate(clock.now()).year)
    try:
        yield number
    except BaseException as error:
        licence_number_void(actor=actor, number=number, reason=type(error).__name__)
        raise


def licence_number_void(*, actor: Any, number: str, reason: str) -> None:
    """A number taken by an issue that did not use it: audited, never given again."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="licence.number_void",
            object_type="licences.licence_number",
            object_id=number,
            stream=f"licence_number:{number[:-6]}",
            after={"number": number, "reason": reason},
        )


def sign_licence(licence: Licence) -> None:
    """Give the licence its identifier for its version and sign its elements (not saved here)."""
    licence.elicence_id = elicence.elicence_identifier(
        type_code=licence.licence_type_code,
        issuer_uscc=licence.department.uscc,
        number=licence.number,
        version=licence.version,
    )
    licence.signed_content = elicence.canonical(elicence.elements(licence))
    licence.signing_key_id, licence.signature = signing.sign(licence.signed_content.encode())


def new_version(licence: Licence) -> None:
    """Elements changed: the next e-licence version, signed, and a new PDF after commit."""
    licence.version += 1
    sign_licence(licence)
    licence.document = None
    licence.document_sha256 = ""


def enqueue_document(licence: Licence) -> None:
    """Ask for the PDF of the signed version: the `licence.signed` subscriber renders it."""
    publish(
        licence_events.SIGNED.name,
        payload={"licence_id": licence.pk, "version": licence.version},
        subject=licence,
    )


# Issuing ---------------------------------------------------------------------------------


def licence_create(
    *,
    actor: Any,
    holder,
    item,
    department,
    licence_type: str,
    licence_type_code: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    validity_years: int | None = None,
    scope: list | None = None,
    particulars: list | None = None,
    status: str = Status.VALID,
    case=None,
    number: str = "",
    imported: bool = False,
    note: Any = "",
    licence_type_en: str = "",
) -> Licence:
    """A new licence in the register, numbered (unless imported with its own), signed."""
    now = clock.now()
    licence = Licence(
        number=number
        or next_licence_number(
            prefix=licence_type_code or item.code, year=clock.localdate(now).year
        ),
        licence_type=licence_type,
        licence_type_en=licence_type_en,
        licence_type_code=licence_type_code,
        holder=holder,
        item=item,
        case=case,
        department=department,
        scope=list(scope or []),
        particulars=list(particulars or []),
        valid_from=valid_from,
        valid_until=valid_until,
        validity_years=validity_years,
        status=status,
        issued_at=now,
        imported=imported,
    )
    if item.code in rules.verified_item_codes():
        licence.verification_due = first_verification_due(licence)
    sign_licence(licence)
    licence.save()
    with written_together():
        record(
            licence,
            actor=actor,
            action="import" if imported else "issue",
            before=None,
            note=note,
            case=case,
        )
        enqueue_document(licence)
    return licence


def licence_issue_for_case(
    *, actor: Any, case, provisional: bool = False, number: str = ""
) -> Licence:
    """The licence of an approved case; call inside the case's `issue` transaction, with the
    number `licence_number_for_issue` took before it (or none: one is taken here)."""
    link = LicenceCase.objects.filter(case=case).select_related("licence").first()
    return _issue_for_case(
        actor=actor, case=case, link=link, provisional=provisional, number=number, known_new=False
    )


def licence_of_issue(*, actor: Any, case, provisional: bool = False, number: str = "") -> Licence:
    """What a case's `issue` step ends with: the licence the case issued or acted on already
    (as `licence_for_case`), or else the one `licence_issue_for_case` gives; two reads, where
    asking the two in turn read the same rows twice (issue 19)."""
    found = Licence.objects.filter(case=case).first()
    if found is not None:
        return found
    link = LicenceCase.objects.filter(case=case).select_related("licence").first()
    if link is not None and link.applied_at is not None:
        return link.licence
    return _issue_for_case(
        actor=actor, case=case, link=link, provisional=provisional, number=number, known_new=True
    )


def _issue_for_case(
    *, actor: Any, case, link: LicenceCase | None, provisional: bool, number: str, known_new: bool
) -> Licence:
    purpose = rules.purpose_of_item(case.item.code) or (
        Purpose.VERIFICATION if case.item.code == rules.verification_item_code() else None
    )
    if link is not None:
        return _apply_decision(actor=actor, link=link, case=case)
    if purpose is not None:
        raise Conflict(
            _("This case was not filed for a licence; it cannot be issued."),
            code="no_target_licence",
        )
    version = case.item_version
    today = clock.localdate(clock.now())
    years = version.licence_validity_years or None
    # Without a link, only a licence this case issued earlier can exist.
    existing = None if known_new else Licence.objects.filter(case=case).first()
    if existing is not None:
        return existing
    scope, particulars = _from_answers(case)
    return licence_create(
        actor=actor,
        holder=case.applicant,
        item=case.item,
        department=case.department,
        licence_type=version.licence_type or version.name,
        licence_type_en=version.licence_type_en or version.name_en,
        licence_type_code=version.licence_type_code,
        valid_from=today,
        valid_until=_valid_until(today, years),
        validity_years=years,
        scope=scope or (case.form or {}).get("scope") or [],
        particulars=particulars,
        case=case,
        status=Status.PROVISIONAL if provisional else Status.VALID,
        number=number,
    )


def _from_answers(case) -> tuple[list[str], list[dict]]:
    """The scope (许可范围) and register particulars the case's application form answers give."""
    fields = case.item_version.application_form or []
    return licence_entries(
        fields=fields, answers=case.form or {}, dictionaries=dictionaries_for(fields)
    )


def _valid_until(start: datetime.date, years: int | None) -> datetime.date | None:
    """A licence valid N years from `start` ends the day before the anniversary."""
    if not years:
        return None
    return rules.add_years(start, years) - datetime.timedelta(days=1)


def _apply_decision(*, actor: Any, link: LicenceCase, case) -> Licence:
    licence = _locked(link.licence)
    if link.applied_at is not None and link.purpose != Purpose.RENEWAL:
        return licence
    before = state_of(licence)
    note = ""
    if link.purpose == Purpose.RENEWAL:
        if link.applied_at is None:
            _extend_by_validity(licence)
            note = _("Renewed.")
        else:
            note = _("Renewal granted; already in force by Art. 50 since %(day)s.") % {
                "day": licence.deemed_renewed_on
            }
    elif link.purpose == Purpose.CHANGE:
        if licence.status not in IN_FORCE:
            raise Conflict(
                _("Only a licence in force can be changed."), code="licence_not_in_force"
            )
        if "scope" in link.changes:
            licence.scope = list(link.changes["scope"])
        new_version(licence)
        note = _("Changed.")
    elif link.purpose == Purpose.CANCELLATION:
        licence.status = Status.CANCELLED
        note = _("Cancelled at the holder's request (Art. 70).")
    elif link.purpose == Purpose.REVOCATION:
        licence.status = Status.REVOKED
        note = _("Revoked (Art. 69).")
    elif link.purpose == Purpose.VERIFICATION:
        verification_pass_for_case(actor=actor, licence=licence, case=case)
        note = _("Verification passed.")
    licence.save()
    link.applied_at = clock.now()
    link.save(update_fields=["applied_at"])
    record(
        licence,
        actor=actor,
        action=link.purpose,
        before=before,
        note=note,
        case=case,
        data={"case": case.number},
    )
    if licence.version != before["version"]:
        enqueue_document(licence)
    return licence


def _extend_by_validity(licence: Licence) -> None:
    years = (
        licence.validity_years
        or licence.item.versions.filter(status="published")
        .values_list("licence_validity_years", flat=True)
        .first()
    )
    if licence.valid_until is None or not years:
        raise Conflict(_("This licence has no expiry; it needs no renewal."), code="no_expiry")
    licence.valid_until = rules.add_years(licence.valid_until, years)
    licence.validity_years = years
    if licence.status == Status.EXPIRED:
        licence.status = Status.VALID
    new_version(licence)


def licence_case_progress(*, link: LicenceCase, decided_on, closed_on) -> LicenceCase:
    """The linked case was decided or ended (called inside the case's transaction)."""
    if (link.decided_on, link.closed_on) != (decided_on, closed_on):
        link.decided_on, link.closed_on = decided_on, closed_on
        link.save(update_fields=["decided_on", "closed_on"])
    return link


def licence_for_case(case) -> Licence | None:
    """The licence a case issued, or the licence it acted on once its decision was applied
    (before that, None: issuing the case applies it)."""
    found = Licence.objects.filter(case=case).first()
    if found is not None:
        return found
    link = LicenceCase.objects.filter(case=case, applied_at__isnull=False).first()
    return link.licence if link else None


# State changes ---------------------------------------------------------------------------


def _change_status(
    *, actor: Any, licence: Licence, action: str, sources: tuple, target: str, note: Any
) -> Licence:
    with transaction.atomic():
        licence = _locked(licence)
        if licence.status not in sources:
            raise Conflict(
                _("A licence that is “%(status)s” cannot be %(action)s.")
                % {"status": Status(licence.status).label, "action": ACTION_LABELS[action]},
                code="not_allowed_now",
            )
        before = state_of(licence)
        licence.status = target
        licence.save(update_fields=["status"])
        record(licence, actor=actor, action=action, before=before, note=note)
    return licence


ACTION_LABELS = {
    "confirm": _("confirmed"),
    "withdraw": _("withdrawn"),
    "revoke": _("revoked"),
    "suspend": _("suspended"),
    "reinstate": _("reinstated"),
    "expire": _("marked expired"),
    "cancel": _("cancelled"),
}


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field("reason", _("Give the reason."), code="required")
    return reason


# The case workflow has already authorised the case action these follow from (confirm after a
# supplement, withdraw after a missed deadline or a denied first-use review, revoke after a false
# commitment), so they do not ask again; staff acting on a licence directly go through
# `licence_act`, which asks the permission module.


def licence_act(*, actor: Any, licence: Licence, action: str, reason: str = "") -> Licence:
    """A staff member confirms, withdraws, suspends, reinstates or revokes a licence."""
    actions = {
        "confirm": lambda: licence_confirm(actor=actor, licence=licence, note=reason),
        "withdraw": lambda: licence_withdraw(actor=actor, licence=licence, reason=reason),
        "suspend": lambda: licence_suspend(actor=actor, licence=licence, reason=reason),
        "reinstate": lambda: licence_reinstate(actor=actor, licence=licence, note=reason),
        "revoke": lambda: licence_revoke(actor=actor, licence=licence, reason=reason),
    }
    if action not in actions:
        raise invalid_field("action", _("Unknown action: %(action)s.") % {"action": action})
    require(actor, Action.LICENCE_MANAGE, licence)
    return actions[action]()


def licence_confirm(*, actor: Any, licence: Licence, note: str = "") -> Licence:
    """A provisional licence (tolerance, first use) becomes valid once the review confirms it."""
    return _change_status(
        actor=actor,
        licence=licence,
        action="confirm",
        sources=(Status.PROVISIONAL,),
        target=Status.VALID,
        note=note,
    )


def licence_withdraw(*, actor: Any, licence: Licence, reason: str) -> Licence:
    """A provisional licence ends: the first-use review denied, or a supplement missed."""
    return _change_status(
        actor=actor,
        licence=licence,
        action="withdraw",
        sources=(Status.PROVISIONAL,),
        target=Status.REVOKED,
        note=_reason(reason),
    )


def licence_revoke(*, actor: Any, licence: Licence, reason: str) -> Licence:
    """撤销 (Art. 69), e.g. a commitment that turned out false."""
    return _change_status(
        actor=actor,
        licence=licence,
        action="revoke",
        sources=(Status.VALID, Status.PROVISIONAL, Status.SUSPENDED),
        target=Status.REVOKED,
        note=_reason(reason),
    )


def licence_suspend(*, actor: Any, licence: Licence, reason: str) -> Licence:
    return _change_status(
        actor=actor,
        licence=licence,
        action="suspend",
        sources=(Status.VALID, Status.PROVISIONAL),
        target=Status.SUSPENDED,
        note=_reason(reason),
    )


def licence_reinstate(*, actor: Any, licence: Licence, note: str = "") -> Licence:
    return _change_status(
        actor=actor,
        licence=licence,
        action="reinstate",
        sources=(Status.SUSPENDED,),
        target=Status.VALID,
        note=note,
    )


def licence_expire(*, licence: Licence) -> Licence:
    """The daily task: a licence past its last valid day, with no renewal pending."""
    return _change_status(
        actor=None,
        licence=licence,
        action="expire",
        sources=IN_FORCE,
        target=Status.EXPIRED,
        note=_("Expired."),
    )


def licence_deem_renewed(*, licence: Licence, link: LicenceCase) -> Licence:
    """Art. 50: the renewal case was not decided before expiry, so the renewal counts as granted."""
    with transaction.atomic():
        licence = _locked(licence)
        if licence.deemed_renewed_on and link.applied_at:
            return licence
        before = state_of(licence)
        _extend_by_validity(licence)
        licence.deemed_renewed_on = clock.today()
        licence.save()
        link.applied_at = clock.now()
        link.save(update_fields=["applied_at"])
        record(
            licence,
            actor=None,
            action="deemed_renewed",
            before=before,
            note=DEEMED_RENEWAL_NOTE,
            case=link.case,
            data={"case": link.case.number},
        )
        enqueue_document(licence)
    return licence
