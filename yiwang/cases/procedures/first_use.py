"""First use, then review (先用后审): a complete filing gets a provisional permit at once, which
the decision confirms or withdraws."""

from __future__ import annotations

from typing import Any

from yiwang.cases.engine.hooks import hook
from yiwang.cases.models import Case, Procedure
from yiwang.cases.procedures.completeness import require_complete
from yiwang.licences.services import (
    licence_confirm,
    licence_for_case,
    licence_issue_for_case,
    licence_withdraw,
)


@hook("check_filing")
def check_first_use_filing(*, procedure: str, version, chosen, **_context) -> None:
    if procedure == Procedure.FIRST_USE:
        require_complete(version=version, chosen=chosen)


@hook("after_filing")
def issue_provisional_permit(*, case: Case, actor: Any, commitment_signed: bool) -> None:
    if case.procedure != Procedure.FIRST_USE:
        return
    # The provisional permit lets the declared equipment be used while under review.
    licence = licence_issue_for_case(actor=None, case=case, provisional=True)
    case.licence_number = licence.number
    case.save(update_fields=["licence_number"])


@hook("on_decision")
def confirm_or_withdraw_permit(*, case: Case, actor: Any, approved: bool, note: str) -> None:
    if case.procedure != Procedure.FIRST_USE:
        return
    licence = licence_for_case(case)
    if licence is not None and licence.status == "provisional":
        if approved:
            licence_confirm(actor=actor, licence=licence, note=note)
        else:
            licence_withdraw(actor=actor, licence=licence, reason=note)
