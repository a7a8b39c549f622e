"""Pre-review (预审): the applicant sends electronic materials before filing, a reviewer comments
on each, the applicant revises. It starts no clock; the filed case carries its history."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record, snapshot
from yiwang.cases import filing
from yiwang.cases.engine.hooks import hook
from yiwang.cases.models import PreReview, PreReviewMaterial
from yiwang.catalog.selectors import item_published
from yiwang.errors import Conflict, NotFound, invalid_field
from yiwang.permissions import Action, require


def prereview_submit(
    *, actor: Any, item_code: str, materials: list[dict], applicant_id: int | None = None
) -> PreReview:
    version = item_published(item_code)
    applicant = filing.applicant_for_filing(actor, applicant_id)
    chosen = filing.check_materials(actor, version, materials or [])
    implementation = filing.implementation_for_applicant(version, applicant)
    now = clock.now()
    with transaction.atomic():
        prereview = PreReview.objects.create(
            item_version=version,
            department=implementation.department,
            applicant=applicant,
            requested_by=actor,
            created_at=now,
            history=[{"at": now.isoformat(), "by": actor.username, "action": "submit"}],
        )
        PreReviewMaterial.objects.bulk_create(
            PreReviewMaterial(prereview=prereview, code=c.code, name=c.name, file=c.file)
            for c in chosen
        )
        audit_record(
            actor=actor, action="prereview.submit", obj=prereview, after=snapshot(prereview)
        )
    return prereview


def _locked(prereview_id: int) -> PreReview:
    prereview = (
        PreReview.objects.select_for_update(of=("self",))
        .select_related("department__region", "item_version")
        .filter(pk=prereview_id)
        .first()
    )
    if prereview is None:
        raise NotFound(_("No pre-review has the id %(id)s.") % {"id": prereview_id})
    return prereview


def prereview_comment(*, actor: Any, prereview_id: int, comments: dict[str, dict]) -> PreReview:
    """`comments`: {material code: {"acceptable", "comment"}}; all acceptable clears it."""
    with transaction.atomic():
        prereview = _locked(prereview_id)
        require(actor, Action.PREREVIEW_COMMENT, prereview)
        if prereview.status != PreReview.Status.SUBMITTED:
            raise Conflict(
                _("This pre-review is not waiting for comments."), code="not_allowed_now"
            )
        materials = {m.code: m for m in prereview.materials.all()}
        for code, verdict in comments.items():
            if code not in materials:
                raise invalid_field(
                    f"comments.{code}",
                    _("The item has no material with the code %(code)s.") % {"code": code},
                )
            if not verdict.get("acceptable") and not str(verdict.get("comment", "")).strip():
                raise invalid_field(f"comments.{code}", _("Say what to change."), code="required")
        for code, verdict in comments.items():
            material = materials[code]
            material.acceptable = bool(verdict.get("acceptable"))
            material.comment = str(verdict.get("comment", "")).strip()
            material.save(update_fields=["acceptable", "comment"])
        cleared = all(m.acceptable for m in materials.values() if m.file_id) and all(
            m.acceptable is not False for m in materials.values()
        )
        prereview.status = PreReview.Status.CLEARED if cleared else PreReview.Status.COMMENTED
        prereview.history = [
            *prereview.history,
            {
                "at": clock.now().isoformat(),
                "by": actor.username,
                "action": "comment",
                "comments": {code: v.get("comment", "") for code, v in comments.items()},
            },
        ]
        prereview.save(update_fields=["status", "history"])
        audit_record(
            actor=actor, action="prereview.comment", obj=prereview, after={"comments": comments}
        )
    return prereview


def prereview_revise(*, actor: Any, prereview_id: int, materials: list[dict]) -> PreReview:
    with transaction.atomic():
        prereview = _locked(prereview_id)
        require(actor, Action.CASE_FILE, prereview)
        if prereview.status != PreReview.Status.COMMENTED:
            raise Conflict(_("Only a commented pre-review can be revised."), code="not_allowed_now")
        chosen = {
            c.code: c for c in filing.check_materials(actor, prereview.item_version, materials)
        }
        for material in prereview.materials.all():
            if chosen[material.code].file:
                material.file, material.acceptable = chosen[material.code].file, None
                material.save(update_fields=["file", "acceptable"])
        prereview.status, prereview.rounds = PreReview.Status.SUBMITTED, prereview.rounds + 1
        prereview.history = [
            *prereview.history,
            {"at": clock.now().isoformat(), "by": actor.username, "action": "revise"},
        ]
        prereview.save(update_fields=["status", "rounds", "history"])
        audit_record(
            actor=actor, action="prereview.revise", obj=prereview, after={"round": prereview.rounds}
        )
    return prereview


def for_filing(actor: Any, prereview_id: int, version, applicant) -> PreReview:
    """The pre-review a filing refers to: the same applicant and item, not filed before."""
    prereview = PreReview.objects.filter(pk=prereview_id).first()
    if (
        prereview is None
        or prereview.applicant_id != applicant.pk
        or prereview.item_version.item_id != version.item_id
    ):
        raise invalid_field("prereview", _("This pre-review is not for this applicant and item."))
    if prereview.status == PreReview.Status.FILED:
        raise Conflict(_("This pre-review was already filed."), code="already_filed")
    return prereview


@hook("after_filing")
def mark_prereview_filed(*, case, actor, commitment_signed: bool) -> None:
    if case.prereview_id:
        mark_filed(case.prereview, case)


def mark_filed(prereview: PreReview, case) -> None:
    """Inside the filing transaction."""
    prereview.status = PreReview.Status.FILED
    prereview.history = [
        *prereview.history,
        {
            "at": clock.now().isoformat(),
            "by": case.filed_by.username,
            "action": "filed",
            "case": case.number,
        },
    ]
    prereview.save(update_fields=["status", "history"])


def access_prereview(*, user: Any, prereview_id: int) -> PreReview:
    prereview = (
        PreReview.objects.select_related("department__region", "item_version__item")
        .prefetch_related("materials")
        .filter(pk=prereview_id)
        .first()
    )
    if prereview is None:
        raise NotFound(_("No pre-review has the id %(id)s.") % {"id": prereview_id})
    require(user, Action.CASE_VIEW, prereview)
    return prereview
