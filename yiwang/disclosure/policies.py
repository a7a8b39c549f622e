"""Policy documents: drafting, the fair-competition self-review (谁起草、谁审查), publication with
the interpretation or its due date (谁起草、谁解读), and the yearly assessment (评估清理).

Each function is one transaction with one audit record (stream `policy:<pk>`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.disclosure import rules
from yiwang.disclosure.models import (
    FairCompetitionReview,
    Interpretation,
    PolicyAssessment,
    PolicyAttachment,
    PolicyDocument,
)
from yiwang.errors import Conflict, InvalidInput, invalid_field
from yiwang.permissions import Action, require, scope_of
from yiwang.regions.models import Department
from yiwang.workdays.calendar import add_working_days

Status = PolicyDocument.Status
Outcome = PolicyAssessment.Outcome

TITLE_RULE = _("Give the document's title.")
TEXT_RULE = _("Give the document's text.")
CHECKLIST_RULE = _("Answer every question of the fair-competition review standards (yes or no).")
CONCLUSION_RULE = _("Write the review's conclusion.")
NO_REVIEW_RULE = _(
    "A document that touches market entities is published only after its fair-competition "
    "review, with a written conclusion."
)
REVIEW_FAILED_RULE = _(
    "The fair-competition review found restrictive measures: revise the document and review "
    "it again before publishing."
)
DRAFT_ONLY_RULE = _("Only a draft can be changed, reviewed or published.")
INTERPRETATION_RULE = _("Write the interpretation.")
IN_FORCE_ONLY_RULE = _("Only a document in force can be assessed.")
ASSESSED_RULE = _("This document is already assessed for %(year)s.")
OUTCOME_RULE = _("Choose keep, amend or repeal.")
NOTE_RULE = _("Give the reasons.")
AMENDED_BY_RULE = _("An amendment names the document in force that amends it.")
NO_DEPARTMENT_RULE = _("Only staff of a drafting office can draft a policy document.")


def _stream(document: PolicyDocument) -> str:
    return f"policy:{document.pk}"


def _required(value: str | None, field: str, rule) -> str:
    text = (value or "").strip()
    if not text:
        raise invalid_field(field, rule, code="required")
    return text


def policy_draft(
    *,
    actor: Any,
    title: str,
    text: str,
    touches_market: bool,
    document_number: str = "",
    attachments: list | None = None,
) -> PolicyDocument:
    """A new draft of the actor's office."""
    scope = scope_of(actor)
    department = Department.objects.select_related("region").filter(pk=scope.department_id).first()
    if department is None:
        raise InvalidInput(NO_DEPARTMENT_RULE, code="no_department")
    title = _required(title, "title", TITLE_RULE)
    text = _required(text, "text", TEXT_RULE)
    with transaction.atomic():
        document = PolicyDocument(
            drafting_department=department,
            region_code=department.region.code,
            title=title,
            text=text,
            document_number=(document_number or "").strip(),
            touches_market=bool(touches_market),
            status=Status.DRAFT,
            created_by=actor,
            created_at=clock.now(),
        )
        require(actor, Action.POLICY_DRAFT, document)
        document.save()
        for upload in attachments or []:
            PolicyAttachment.objects.create(document=document, name=upload.name, file=upload)
        audit_record(
            actor=actor,
            action="policy.draft",
            obj=document,
            stream=_stream(document),
            after={"title": title, "touches_market": document.touches_market},
        )
    return document


def _draft(document: PolicyDocument) -> None:
    if document.status != Status.DRAFT:
        raise Conflict(DRAFT_ONLY_RULE, code="not_a_draft")


def policy_review(
    *, actor: Any, document: PolicyDocument, checklist: dict, conclusion: str
) -> FairCompetitionReview:
    """The drafting office's self-review: every standard answered, a written conclusion."""
    require(actor, Action.POLICY_DRAFT, document)
    _draft(document)
    answers = checklist if isinstance(checklist, dict) else {}
    if set(answers) != set(rules.FAIR_COMPETITION_STANDARDS) or not all(
        isinstance(value, bool) for value in answers.values()
    ):
        raise invalid_field("checklist", CHECKLIST_RULE, code="checklist_incomplete")
    conclusion = _required(conclusion, "conclusion", CONCLUSION_RULE)
    with transaction.atomic():
        review, _created = FairCompetitionReview.objects.update_or_create(
            document=document,
            defaults={
                "checklist": answers,
                "conclusion": conclusion,
                "compliant": not any(answers.values()),
                "reviewer": actor,
                "reviewed_on": clock.today(),
            },
        )
        audit_record(
            actor=actor,
            action="policy.review",
            obj=document,
            stream=_stream(document),
            after={"checklist": answers, "compliant": review.compliant},
            note=conclusion,
        )
    return review


def policy_interpret(*, actor: Any, document: PolicyDocument, text: str) -> Interpretation:
    """Write the interpretation; on a published document it is published at once."""
    require(actor, Action.POLICY_DRAFT, document)
    text = _required(text, "text", INTERPRETATION_RULE)
    if document.status in (Status.AMENDED, Status.REPEALED):
        raise Conflict(IN_FORCE_ONLY_RULE, code="not_in_force")
    with transaction.atomic():
        published_on = clock.today() if document.status == Status.IN_FORCE else None
        interpretation, _created = Interpretation.objects.update_or_create(
            document=document,
            defaults={"text": text, "author": actor, "published_on": published_on},
        )
        audit_record(
            actor=actor,
            action="policy.interpret",
            obj=document,
            stream=_stream(document),
            after={"published_on": published_on},
        )
    return interpretation


def policy_publish(*, actor: Any, document: PolicyDocument) -> PolicyDocument:
    """Publish a draft: its review must allow it; its interpretation goes out with it, or is
    due within the configured working days."""
    require(actor, Action.POLICY_PUBLISH, document)
    with transaction.atomic():
        locked = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        _draft(locked)
        review = FairCompetitionReview.objects.filter(document=locked).first()
        if locked.touches_market:
            if review is None:
                raise Conflict(NO_REVIEW_RULE, code="review_missing")
            if not review.compliant:
                raise Conflict(REVIEW_FAILED_RULE, code="review_failed")
        today = clock.today()
        locked.status = Status.IN_FORCE
        locked.published_on = today
        interpretation = Interpretation.objects.filter(document=locked).first()
        if interpretation is not None:
            interpretation.published_on = today
            interpretation.save(update_fields=["published_on"])
            locked.interpretation_due = today
        else:
            locked.interpretation_due = add_working_days(
                today, rules.interpretation_working_days()
            )[0]
        locked.save(update_fields=["status", "published_on", "interpretation_due"])
        audit_record(
            actor=actor,
            action="policy.publish",
            obj=locked,
            stream=_stream(locked),
            after={
                "published_on": today,
                "interpretation_due": locked.interpretation_due,
                "with_interpretation": interpretation is not None,
            },
        )
    return locked


def policy_assess(
    *,
    actor: Any,
    document: PolicyDocument,
    year: int,
    outcome: str,
    note: str,
    amended_by: PolicyDocument | None = None,
) -> PolicyAssessment:
    """The yearly assessment: keep, amend (naming the amending document) or repeal."""
    require(actor, Action.POLICY_ASSESS, document)
    if outcome not in Outcome.values:
        raise invalid_field("outcome", OUTCOME_RULE, code="outcome_unknown")
    note = _required(note, "note", NOTE_RULE)
    if outcome == Outcome.AMEND and (
        amended_by is None or amended_by.status != Status.IN_FORCE or amended_by.pk == document.pk
    ):
        raise invalid_field("amended_by", AMENDED_BY_RULE, code="amended_by_required")
    with transaction.atomic():
        locked = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status != Status.IN_FORCE:
            raise Conflict(IN_FORCE_ONLY_RULE, code="not_in_force")
        today = clock.today()
        try:
            with transaction.atomic():
                assessment = PolicyAssessment.objects.create(
                    document=locked,
                    year=year,
                    outcome=outcome,
                    note=note,
                    assessor=actor,
                    assessed_on=today,
                )
        except IntegrityError as error:
            raise Conflict(ASSESSED_RULE % {"year": year}, code="already_assessed") from error
        if outcome != Outcome.KEEP:
            locked.status = Status.AMENDED if outcome == Outcome.AMEND else Status.REPEALED
            locked.ended_on = today
            locked.amended_by = amended_by
            locked.save(update_fields=["status", "ended_on", "amended_by"])
        audit_record(
            actor=actor,
            action="policy.assess",
            obj=locked,
            stream=_stream(locked),
            after={"year": year, "outcome": outcome, "status": locked.status},
            note=note,
        )
    return assessment


def documents_due_for_assessment(*, year: int) -> QuerySet[PolicyDocument]:
    """The yearly list: documents in force, published before the year, not yet assessed in it."""
    return (
        PolicyDocument.objects.filter(
            status=Status.IN_FORCE, published_on__lt=datetime.date(year, 1, 1)
        )
        .exclude(assessments__year=year)
        .select_related("drafting_department")
        .order_by("published_on", "pk")
    )


def interpretations_overdue(*, today: datetime.date | None = None) -> QuerySet[PolicyDocument]:
    today = today or clock.today()
    return PolicyDocument.objects.filter(
        Q(interpretation__isnull=True) | Q(interpretation__published_on__isnull=True),
        status=Status.IN_FORCE,
        interpretation_due__lt=today,
    )
