"""Applying to act on a licence: renewal (延续), change (变更), cancellation (注销), revocation
(撤销/吊销, filed by staff) and verification (校验). Each is a case under its own item, so it
has the same clocks, audit and decisions as any case; `LicenceCase` links it to the licence.

The rules checked before filing: the licence is the applicant's and in force; a renewal only
inside its window (from `renewal_window_days` before expiry to the last valid day); a change
never to an expired or ended licence; one open case per licence and purpose. The filing itself
is the cases app's (`yiwang.cases.licence_cases`): this app never imports cases.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.catalog.models import Implementation
from yiwang.errors import Conflict, InvalidInput, invalid_field
from yiwang.licences import rules
from yiwang.licences.models import IN_FORCE, Licence, LicenceCase, Purpose, Status


def check_can_apply(licence: Licence, purpose: str, *, today=None) -> None:
    """Refuse with the field and the rule, before anything is filed."""
    today = today or clock.today()
    if purpose not in Purpose.values:
        raise invalid_field("purpose", _("Unknown purpose: %(value)s.") % {"value": purpose})
    if licence.status in (Status.CANCELLED, Status.REVOKED):
        raise Conflict(
            _("This licence has ended (%(status)s); nothing more can be applied for.")
            % {"status": Status(licence.status).label},
            code="licence_ended",
        )
    expired = licence.status == Status.EXPIRED or (
        licence.valid_until is not None and licence.valid_until < today
    )
    if purpose == Purpose.RENEWAL:
        _check_renewal_window(licence, today)
    elif expired:
        raise Conflict(
            _(
                "The licence expired on %(day)s; it cannot be changed, cancelled or verified. "
                "Apply for a new licence."
            )
            % {"day": licence.valid_until},
            code="licence_expired",
        )
    if purpose == Purpose.VERIFICATION and licence.item.code not in rules.verified_item_codes():
        raise invalid_field("purpose", _("This licence is not subject to verification."))
    if LicenceCase.objects.undecided().filter(licence=licence, purpose=purpose).exists():
        raise Conflict(
            _("A case of this kind is already open for this licence."), code="already_open"
        )


def _check_renewal_window(licence: Licence, today) -> None:
    if licence.valid_until is None:
        raise invalid_field(
            "licence", _("This licence has no expiry date; it needs no renewal."), code="no_expiry"
        )
    opens = rules.renewal_opens_on(licence)
    if today < opens:
        raise InvalidInput(
            _("Renewal opens on %(opens)s, %(days)s days before the licence expires on %(until)s.")
            % {
                "opens": opens,
                "until": licence.valid_until,
                "days": rules.renewal_window_days(licence.licence_type_code),
            },
            code="renewal_window",
            fields={
                "licence": _("renewal window not open yet (opens %(opens)s)") % {"opens": opens}
            },
        )
    if today > licence.valid_until or licence.status not in IN_FORCE:
        raise InvalidInput(
            _(
                "The licence expired on %(until)s; renewal must be applied for before expiry. "
                "Apply for a new licence."
            )
            % {"until": licence.valid_until},
            code="renewal_window",
            fields={
                "licence": _("renewal window closed on %(until)s") % {"until": licence.valid_until}
            },
        )


def department_carrying_out(item_code: str, licence: Licence) -> int | None:
    """The issuer takes the case when it carries out the item; else the case app chooses."""
    found = Implementation.objects.filter(
        item__code=item_code, department_id=licence.department_id, status="published"
    ).exists()
    return licence.department_id if found else None


def item_code_for(purpose: str) -> str:
    if purpose == Purpose.VERIFICATION:
        return rules.verification_item_code()
    return rules.purpose_items()[purpose]


def purpose_item_codes() -> frozenset[str]:
    """The items under which a case acts on a licence (renewal, change, … verification)."""
    return frozenset({*rules.purpose_items().values(), rules.verification_item_code()})


def purposes_for_holder(licence: Licence) -> list[Purpose]:
    """What the holder may apply for on the portal (revocation is the department's)."""
    purposes = [Purpose.RENEWAL, Purpose.CHANGE, Purpose.CANCELLATION]
    if licence.item.code in rules.verified_item_codes():
        purposes.append(Purpose.VERIFICATION)
    return purposes
