"""The reform procedures (seeds 000–004), each a first-class path with its own clock and follow-up:

- notification-commitment (告知承诺): signed text, decided the same working day, a post-approval
  check by an inspector; a false commitment revokes the licence and enters the credit record;
- tolerance (容缺受理/容缺后补): only tolerable materials may be missing, a signed promise and a
  supplement clock; the licence is provisional or held until they arrive; a missed deadline
  ends the case or the provisional licence;
- green channel (绿色通道): a leader's mark on a case or on an item for a period; a dedicated
  handler, the head of every queue and the item's green limit;
- first use, then review (先用后审): a provisional permit on a complete filing, confirmed or
  withdrawn by the decision;
- emergency listing (应急上市): its own limit, and a public list of the products listed.

Credit gates come from `yiwang.credit.gates`. Every write here is a service: one transaction,
its audit record, its timeline entry.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.cases.commitments import commitment_check_record, commitment_decide
from yiwang.cases.green import (
    case_mark_green,
    check_green_request,
    green_mark_for_item,
    item_mark_green,
)
from yiwang.cases.models import (
    Case,
    EmergencyListing,
    Procedure,
)
from yiwang.cases.tolerance import (
    case_lapse,
    case_supplement,
    cases_missing_supplement,
    issue_mode,
    owed_materials,
    supplement_due,
)
from yiwang.credit import gates
from yiwang.errors import InvalidInput, invalid_field

__all__ = [  # the procedures' services, one import for callers
    "case_lapse",
    "case_mark_green",
    "case_supplement",
    "cases_missing_supplement",
    "check_green_request",
    "commitment_check_record",
    "commitment_decide",
    "green_mark_for_item",
    "issue_mode",
    "item_mark_green",
    "owed_materials",
    "supplement_due",
]


def check_filing(*, procedure: str, version, applicant, chosen, commitment_signed: bool) -> None:
    """The procedure's own filing rules, after the item allowed it (filing.check_procedure)."""
    gates.require_allowed(applicant, procedure)
    if procedure == Procedure.PARALLEL:
        raise invalid_field(
            "procedure",
            _("Parallel approval runs through a one-thing bundle: apply for the bundle."),
        )
    missing = [(index, c) for index, c in enumerate(chosen) if c.missing]
    materials = {m.code: m for m in version.materials.all()}
    if procedure == Procedure.COMMITMENT and not commitment_signed:
        raise invalid_field(
            "commitment_signed",
            _("Notification-commitment needs the commitment text signed."),
            code="commitment_not_signed",
        )
    if procedure == Procedure.TOLERANCE:
        if not commitment_signed:
            raise invalid_field(
                "commitment_signed",
                _("Tolerance acceptance needs the signed promise to supply the missing materials."),
                code="promise_not_signed",
            )
        core = [
            c
            for _index, c in missing
            if materials[c.code].required and not materials[c.code].tolerable
        ]
        if core:
            raise InvalidInput(
                _(
                    "Core materials cannot be tolerated; supply them or expect a correction "
                    "notice: %(names)s."
                )
                % {"names": "、".join(c.name for c in core)},
                code="core_material_missing",
                fields={
                    f"materials.{c.code}": _("core material, cannot be tolerated") for c in core
                },
            )
        if not any(materials[c.code].tolerable for _index, c in missing):
            raise invalid_field(
                "procedure", _("Nothing tolerable is missing: apply by the standard procedure.")
            )
    if procedure in (Procedure.FIRST_USE, Procedure.EMERGENCY, Procedure.COMMITMENT):
        required_missing = [c for _index, c in missing if materials[c.code].required]
        if required_missing:
            raise InvalidInput(
                _("This procedure needs a complete filing; missing: %(names)s.")
                % {"names": "、".join(c.name for c in required_missing)},
                code="incomplete",
                fields={f"materials.{c.code}": _("required") for c in required_missing},
            )


def after_filing(*, case: Case, actor: Any, commitment_signed: bool) -> None:
    """Inside the filing transaction: what each procedure does at once."""
    if case.prereview_id:
        from yiwang.cases.prereviews import mark_filed

        mark_filed(case.prereview, case)
    if case.procedure in (Procedure.COMMITMENT, Procedure.TOLERANCE) and commitment_signed:
        case.commitment_signed_at = clock.now()
        case.commitment_signer = getattr(actor, "username", "")
        case.commitment_text = case.item_version.commitment_text or str(
            _("I promise to supply the missing materials within the period set by the item.")
        )
        case.save(update_fields=["commitment_signed_at", "commitment_signer", "commitment_text"])
    if case.procedure == Procedure.FIRST_USE:
        from yiwang.licences.services import licence_issue_for_case

        # 先用后审: the provisional permit lets the declared equipment be used while under review.
        licence = licence_issue_for_case(actor=None, case=case, provisional=True)
        case.licence_number = licence.number
        case.save(update_fields=["licence_number"])


def on_decision(*, case: Case, actor: Any, approved: bool, note: str) -> None:
    """Inside the decision's transaction: confirm or withdraw a first-use permit; list a product."""
    if case.procedure == Procedure.FIRST_USE:
        from yiwang.licences.services import licence_confirm, licence_for_case, licence_withdraw

        licence = licence_for_case(case)
        if licence is not None and licence.status == "provisional":
            if approved:
                licence_confirm(actor=actor, licence=licence, note=note)
            else:
                licence_withdraw(actor=actor, licence=licence, reason=note)
    if case.procedure == Procedure.EMERGENCY and approved:
        _list_emergency_product(case)


def _list_emergency_product(case: Case) -> EmergencyListing:
    form = case.form or {}
    today = clock.today()
    try:
        ends_on = datetime.date.fromisoformat(form.get("listing_ends_on", ""))
    except ValueError:
        ends_on = today + datetime.timedelta(days=180)
    return EmergencyListing.objects.create(
        case=case,
        product_name=form.get("product_name") or case.item_version.name,
        holder_name=case.applicant.name,
        conditions=form.get("conditions")
        or str(_("Marketed under the emergency listing procedure for the emergency only.")),
        listed_on=today,
        ends_on=max(ends_on, today),
    )


EXPLANATIONS = {
    "standard": _("Checked at the window, reviewed and decided within the committed time limit."),
    "commitment": _(
        "Sign that you meet the conditions and the licence is decided today. An inspector checks "
        "later; a false commitment revokes the licence and is recorded in your credit."
    ),
    "tolerance": _(
        "Missing only materials marked “may follow later”? Sign a promise and we accept now; "
        "supply them within the period or the case (or provisional licence) ends."
    ),
    "green": _(
        "Urgent cases (e.g. epidemic prevention) while a leader has opened the green channel."
    ),
    "first_use": _(
        "Start using the declared equipment on a complete filing with a provisional permit; the "
        "review then confirms or withdraws it."
    ),
    "emergency": _("Disinfection products needed in an emergency are listed by a fast procedure."),
}


def procedures_for(version, applicant, day: datetime.date) -> list[dict]:
    """The procedures to offer this applicant for this item, trust procedures first for A grades."""
    allowed = [p for p in ["standard", *(version.procedures or [])] if p in EXPLANATIONS]
    if green_mark_for_item(version.item, day) is None and "green" in allowed:
        allowed.remove("green")
    allowed = list(dict.fromkeys(allowed))
    usable = gates.offered(applicant, allowed) if applicant else allowed
    offered = [
        {"code": p, "label": Procedure(p).label, "explanation": EXPLANATIONS[p], "refused": None}
        for p in usable
    ]
    for p in allowed:
        if p not in usable:
            offered.append(
                {
                    "code": p,
                    "label": Procedure(p).label,
                    "explanation": EXPLANATIONS[p],
                    "refused": gates.refusal(applicant, p),
                }
            )
    return offered
