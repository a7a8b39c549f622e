"""Tolerance acceptance (容缺受理/容缺后补): only tolerable materials may be missing, a signed
promise and a supplement clock; the licence is provisional or held until they arrive, and a
missed deadline ends the case or the provisional licence."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.cases.engine.actions import case_action
from yiwang.cases.engine.clocks import clocks_of
from yiwang.cases.engine.hooks import hook
from yiwang.cases.engine.perform import perform, record_step
from yiwang.cases.engine.states import FINAL, Status
from yiwang.cases.models import Case, Procedure
from yiwang.cases.procedures.completeness import record_signature
from yiwang.cases.submission import materials_supply
from yiwang.credit.services import credit_event_record
from yiwang.errors import Conflict, InvalidInput, invalid_field
from yiwang.licences.services import licence_confirm, licence_for_case, licence_withdraw


@hook("check_filing")
def check_tolerance_filing(*, procedure: str, version, chosen, commitment_signed: bool, **_c):
    """Only tolerable materials may be missing, with the signed promise to supply them."""
    if procedure != Procedure.TOLERANCE:
        return
    if not commitment_signed:
        raise invalid_field(
            "commitment_signed",
            _("Tolerance acceptance needs the signed promise to supply the missing materials."),
            code="promise_not_signed",
        )
    materials = {m.code: m for m in version.materials.all()}
    missing = [c for c in chosen if c.missing]
    core = [c for c in missing if materials[c.code].required and not materials[c.code].tolerable]
    if core:
        raise InvalidInput(
            _(
                "Core materials cannot be tolerated; supply them or expect a correction "
                "notice: %(names)s."
            )
            % {"names": "、".join(c.name for c in core)},
            code="core_material_missing",
            fields={f"materials.{c.code}": _("core material, cannot be tolerated") for c in core},
        )
    if not any(materials[c.code].tolerable for c in missing):
        raise invalid_field(
            "procedure", _("Nothing tolerable is missing: apply by the standard procedure.")
        )


@hook("after_filing")
def keep_signed_promise(*, case: Case, actor: Any, commitment_signed: bool) -> None:
    if case.procedure == Procedure.TOLERANCE and commitment_signed:
        record_signature(
            case,
            actor,
            _("I promise to supply the missing materials within the period set by the item."),
        )


@case_action("supplement")
def case_supplement(*, actor: Any, case_id: int, materials: list[dict]) -> Case:
    """The promised materials arrive: the supplement clock stops; a provisional licence is valid."""

    def change(case, now):
        if case.procedure != Procedure.TOLERANCE:
            raise Conflict(
                _("Only a tolerance case has materials to supply later."), code="not_tolerance"
            )
        if case.supplemented_on:
            raise Conflict(
                _("The tolerated materials were already supplied."), code="already_supplied"
            )
        owed = owed_materials(case)
        materials_supply(
            actor=actor,
            case=case,
            owed=owed,
            given=materials,
            now=now,
            missing_message=_("These promised materials are still missing: %(codes)s."),
        )
        case.supplemented_on = clock.localdate(now)
        _confirm_provisional_licence(case, actor)
        return {"supplied": owed}

    return perform(actor=actor, case_id=case_id, action="supplement", change=change)


def _confirm_provisional_licence(case: Case, actor: Any) -> None:
    licence = licence_for_case(case)
    if licence is not None and licence.status == "provisional":
        licence_confirm(actor=actor, licence=licence, note=str(_("Tolerated materials supplied.")))


def owed_materials(case: Case) -> list[str]:
    """The required materials still missing: under tolerance, those the applicant promised."""
    required = set(case.item_version.materials.filter(required=True).values_list("code", flat=True))
    missing = case.materials.filter(missing=True).values_list("code", flat=True)
    return [code for code in missing if code in required]


@hook("issue_mode")
def tolerance_issue_mode(*, case: Case) -> str | None:
    return issue_mode(case) if case.procedure == Procedure.TOLERANCE else None


def issue_mode(case: Case) -> str:
    """How the licence goes out: valid, provisional (tolerance, materials owed) or held."""
    if case.procedure != Procedure.TOLERANCE or case.supplemented_on:
        return "valid"
    if not owed_materials(case):
        return "valid"
    return "held" if case.item_version.tolerance_licence_mode == "held" else "provisional"


def case_lapse(*, case_id: int) -> Case:
    """The supplement deadline passed: the case ends, or its provisional licence is withdrawn."""

    case = Case.objects.select_related("applicant").get(pk=case_id)
    reason = str(_("The promised materials were not supplied within the supplement period."))
    if case.status == Status.ISSUED:
        with transaction.atomic():
            licence = licence_for_case(case)
            if licence is not None and licence.status == "provisional":
                licence_withdraw(actor=None, licence=licence, reason=reason)
            record_step(
                case,
                None,
                "provisional_licence_withdrawn",
                clock.now(),
                note=reason,
                data={},
                before=None,
                notice="lapsed",
                notice_body=reason,
            )
            credit_event_record(
                actor=None,
                applicant=case.applicant,
                kind="supplement_missed",
                case=case,
                note=reason,
            )
        return case

    def change(case, now):
        case.closed_on = clock.localdate(now)
        credit_event_record(
            actor=None, applicant=case.applicant, kind="supplement_missed", case=case, note=reason
        )

    return perform(
        actor=None,
        case_id=case_id,
        action="lapse",
        change=change,
        note=reason,
        notice="lapsed",
        notice_body=reason,
    )


def supplement_due(case: Case) -> datetime.date | None:
    clock_ = clocks_of(case).supplement
    return clock_.at(clock.today()).due if clock_ else None


def cases_missing_supplement(today: datetime.date) -> list[int]:
    """Tolerance cases whose supplement period ended with materials still owed."""
    candidates = (
        Case.objects.filter(
            procedure=Procedure.TOLERANCE,
            accepted_on__isnull=False,
            supplemented_on__isnull=True,
            materials__missing=True,
        )
        .exclude(status__in=FINAL - {Status.ISSUED})
        .select_related("item_version")
        .distinct()
    )
    return [
        case.pk
        for case in candidates
        if owed_materials(case) and supplement_due(case) < today and not _lapsed_already(case)
    ]


def _lapsed_already(case: Case) -> bool:
    return case.timeline.filter(action="provisional_licence_withdrawn").exists()
