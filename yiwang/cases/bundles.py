"""One-thing bundles (一件事) and parallel approval (并联审批): one form, one set of materials (a
material two items need is given once), a sub-case per item running in parallel on its own
clocks, and one overall result when every sub-case is decided."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.cases import filing
from yiwang.cases.engine.hooks import hook
from yiwang.cases.engine.states import DECIDED, GRANTED
from yiwang.cases.models import Bundle, BundleApplication, Case
from yiwang.cases.services import case_submit
from yiwang.catalog.selectors import item_published
from yiwang.errors import NotFound, invalid_field
from yiwang.permissions import Action, require


def bundle_materials(bundle: Bundle) -> list[dict]:
    """The bundle's one list of materials: a shared document once, the rest per item."""
    groups = {}
    for group in bundle.shared_materials or []:
        for item_code, material_code in group["covers"]:
            groups[(item_code, material_code)] = group
    merged: dict[str, dict] = {}
    for code in bundle.item_codes:
        for material in item_published(code).materials.all():
            group = groups.get((code, material.code))
            key = group["name"] if group else f"{code}/{material.code}"
            entry = merged.setdefault(
                key,
                {
                    "key": key,
                    "name": group["name"] if group else material.name,
                    "name_en": (group or {}).get("name_en") or material.name_en,
                    "required": False,
                    "needed_by": [],
                },
            )
            entry["required"] = entry["required"] or material.required
            entry["needed_by"].append({"item_code": code, "material_code": material.code})
    return list(merged.values())


def material_key(bundle: Bundle, item_code: str, material_code: str) -> str:
    for group in bundle.shared_materials or []:
        if [item_code, material_code] in [list(pair) for pair in group["covers"]]:
            return group["name"]
    return f"{item_code}/{material_code}"


def bundle_get(code: str) -> Bundle:
    bundle = Bundle.objects.filter(code=code, active=True).first()
    if bundle is None:
        raise NotFound(_("No one-thing bundle has the code %(code)s.") % {"code": code})
    return bundle


def bundle_submit(
    *,
    actor: Any,
    bundle_code: str,
    form: dict,
    materials: list[dict],
    applicant_id: int | None = None,
    channel: str = "online",
) -> BundleApplication:
    """File every item of the bundle at once; `materials`: [{"key": material name, "file_id"}]."""
    bundle = bundle_get(bundle_code)
    given = {}
    for index, entry in enumerate(materials or []):
        if not entry.get("key"):
            raise invalid_field(f"materials.{index}.key", _("Name the material this file is for."))
        given[entry["key"]] = entry
    known = {m["key"] for m in bundle_materials(bundle)}
    unknown = sorted(set(given) - known)
    if unknown:
        raise invalid_field(
            "materials",
            _("The bundle needs no material called: %(names)s.") % {"names": "、".join(unknown)},
        )

    applicant = filing.applicant_for_filing(actor, applicant_id)
    now = clock.now()
    with transaction.atomic():
        application = BundleApplication.objects.create(
            number=f"YJS-{now:%Y%m%d}-{BundleApplication.objects.count() + 1:05d}",
            bundle=bundle,
            applicant=applicant,
            filed_by=actor,
            received_at=now,
            form=form,
        )
        cases = []
        for code in bundle.item_codes:
            version = item_published(code)
            item_materials = []
            for m in version.materials.all():
                entry = given.get(material_key(bundle, code, m.code), {})
                item_materials.append(
                    {"code": m.code, "file_id": entry["file_id"]}
                    if entry.get("file_id")
                    else {"code": m.code, "missing": True}
                )
            # Each sub-case runs the standard procedure on its own clocks; the bundle is
            # what makes them parallel (并联).
            case, _created = case_submit(
                actor=actor,
                item_code=code,
                channel=channel,
                form=form,
                materials=item_materials,
                applicant_id=applicant.pk,
            )
            cases.append(case)
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(bundle_application=application)
        audit_record(
            actor=actor,
            action="bundle.submit",
            obj=application,
            after={**snapshot(application), "cases": [c.number for c in cases]},
        )
    return application


@dataclass(frozen=True)
class BundleResult:
    total: int
    decided: int
    granted: int
    status: str  # in_progress | completed
    result: str | None  # granted | partly_granted | not_granted


def bundle_result(application: BundleApplication) -> BundleResult:
    statuses = list(application.cases.values_list("status", flat=True))
    decided = [s for s in statuses if s in DECIDED]
    granted = [s for s in decided if s in GRANTED]
    if len(decided) < len(statuses):
        return BundleResult(len(statuses), len(decided), len(granted), "in_progress", None)
    result = (
        "granted"
        if len(granted) == len(statuses)
        else "partly_granted"
        if granted
        else "not_granted"
    )
    return BundleResult(len(statuses), len(decided), len(granted), "completed", result)


@hook("after_change")
def refresh_bundle_of(*, case, action: str) -> None:
    if case.bundle_application_id and case.status in DECIDED:
        bundle_refresh(case.bundle_application_id)


def bundle_refresh(application_id: int) -> None:
    """After a sub-case's decision, in its transaction: close the bundle when all are decided."""
    application = BundleApplication.objects.select_for_update().get(pk=application_id)
    outcome = bundle_result(application)
    if outcome.status == "completed" and application.completed_on is None:
        application.completed_on = clock.today()
        application.save(update_fields=["completed_on"])
        audit_record(
            actor=None,
            action="bundle.complete",
            obj=application,
            after={"result": outcome.result, "completed_on": application.completed_on},
        )


def bundles_offered():
    return Bundle.objects.filter(active=True).order_by("code")


def access_bundle_application(*, user: Any, number: str) -> BundleApplication:
    application = (
        BundleApplication.objects.select_related("bundle", "applicant__region")
        .filter(number=number)
        .first()
    )
    if application is None:
        raise NotFound(_("No bundle application has the number %(number)s.") % {"number": number})
    require(user, Action.CASE_VIEW, application)
    return application


def bundle_define(
    *,
    actor: Any,
    code: str,
    name: str,
    item_codes: list[str],
    name_en: str = "",
    description: str = "",
    shared_materials: list[dict] | None = None,
) -> Bundle:
    """Define (or redefine) a bundle; every item must be published."""
    require(actor, Action.CATALOG_EDIT)
    if len(item_codes) < 2:
        raise invalid_field("item_codes", _("A bundle joins at least two items."))
    for index, item_code in enumerate(item_codes):
        try:
            item_published(item_code)
        except NotFound as error:
            raise invalid_field(f"item_codes.{index}", error.message) from error
    for index, group in enumerate(shared_materials or []):
        for item_code, material_code in group.get("covers", []):
            known = (
                item_code in item_codes
                and item_published(item_code).materials.filter(code=material_code).exists()
            )
            if not known:
                raise invalid_field(
                    f"shared_materials.{index}",
                    _("%(item)s has no material %(code)s in this bundle.")
                    % {"item": item_code, "code": material_code},
                )
    with transaction.atomic():
        bundle, _created = Bundle.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "description": description,
                "item_codes": item_codes,
                "active": True,
                "shared_materials": shared_materials or [],
            },
        )
        audit_record(actor=actor, action="bundle.define", obj=bundle, after=snapshot(bundle))
    return bundle
