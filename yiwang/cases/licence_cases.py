"""Cases that act on a licence (renewal 延续, change 变更, cancellation 注销, revocation, 校验):
filed here under the purpose's item and linked to the licence, whose rules (`licences.
applications`) decide what may be filed. The link follows its case's decision and end, so the
licence register can tell a pending renewal without reading cases.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang.cases.engine.hooks import hook
from yiwang.cases.services import case_submit
from yiwang.errors import invalid_field
from yiwang.licences import applications
from yiwang.licences.history import record, state_of
from yiwang.licences.models import Licence, LicenceCase, Purpose
from yiwang.licences.services import licence_case_progress
from yiwang.permissions import Action, require


def licence_apply(
    *,
    actor: Any,
    licence: Licence,
    purpose: str,
    form: dict,
    materials: list[dict],
    channel: str = "online",
    idempotency_key: str | None = None,
) -> LicenceCase:
    """File the case for `purpose` on `licence` and link it, in one transaction; the licence row
    stays locked meanwhile, so two filings for the same licence cannot both pass the checks."""
    require(actor, Action.LICENCE_APPLY, licence)
    changes = {}
    if purpose == Purpose.CHANGE:
        scope = form.get("scope")
        if not isinstance(scope, list) or not [s for s in scope if str(s).strip()]:
            raise invalid_field("form.scope", _("Give the new scope, one entry a line."))
        changes = {"scope": [str(s).strip() for s in scope if str(s).strip()]}
    item_code = applications.item_code_for(purpose)
    with transaction.atomic():
        licence = (
            Licence.objects.select_for_update(of=("self",))
            .select_related("item")
            .get(pk=licence.pk)
        )
        applications.check_can_apply(licence, purpose)
        case, _created = case_submit(
            actor=actor,
            item_code=item_code,
            channel=channel,
            form={**form, "licence_number": licence.number},
            materials=materials,
            applicant_id=licence.holder_id,
            department_id=applications.department_carrying_out(item_code, licence),
            idempotency_key=idempotency_key,
        )
        link, made = LicenceCase.objects.get_or_create(
            case=case,
            defaults={
                "licence": licence,
                "purpose": purpose,
                "changes": changes,
                "decided_on": case.decided_on,
                "closed_on": case.closed_on,
            },
        )
        if made:
            record(
                licence,
                actor=actor,
                action=f"apply_{purpose}",
                before=state_of(licence),
                case=case,
                data={"case": case.number, "changes": changes},
            )
    return link


def acts_on_a_licence(item_code: str) -> bool:
    return item_code in applications.purpose_item_codes()


@hook("after_change")
def follow_the_case(*, case, action: str) -> None:
    """Inside the case's transaction: the link learns the case's decision and end.

    Only cases filed under a purpose's item (`licence_apply`) have a link, so the others (most
    cases) skip the look-up that every action would otherwise pay."""
    if not acts_on_a_licence(case.item_version.code):
        return
    link = LicenceCase.objects.filter(case_id=case.pk).first()
    if link is not None:
        licence_case_progress(link=link, decided_on=case.decided_on, closed_on=case.closed_on)
