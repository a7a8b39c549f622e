"""Emergency listing (应急上市): disinfection products needed in an emergency, on a complete
filing, under the item's own limit, and listed publicly with conditions and an end date."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.cases.engine.hooks import hook
from yiwang.cases.models import Case, EmergencyListing, Procedure
from yiwang.cases.procedures.completeness import require_complete

DEFAULT_LISTING_DAYS = 180


@hook("check_filing")
def check_emergency_filing(*, procedure: str, version, chosen, **_context) -> None:
    if procedure == Procedure.EMERGENCY:
        require_complete(version=version, chosen=chosen)


@hook("on_decision")
def list_approved_product(*, case: Case, actor: Any, approved: bool, note: str) -> None:
    if case.procedure == Procedure.EMERGENCY and approved:
        list_emergency_product(case)


def list_emergency_product(case: Case) -> EmergencyListing:
    form = case.form or {}
    today = clock.today()
    try:
        ends_on = datetime.date.fromisoformat(form.get("listing_ends_on", ""))
    except ValueError:
        ends_on = today + datetime.timedelta(days=DEFAULT_LISTING_DAYS)
    return EmergencyListing.objects.create(
        case=case,
        product_name=form.get("product_name") or case.item_version.name,
        holder_name=case.applicant.name,
        conditions=form.get("conditions")
        or str(_("Marketed under the emergency listing procedure for the emergency only.")),
        listed_on=today,
        ends_on=max(ends_on, today),
    )
