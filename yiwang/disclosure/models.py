"""The publication queue (双公示 and inspection results), its alerts, and policy documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DECISIONS = {
    "approved": _("Approved"),
    "denied": _("Denied"),
    "penalty": _("Penalty decided"),
    "compliant": _("Compliant"),
    "rectify": _("Rectification ordered"),
    "violation": _("Violation found"),
}


class Publication(models.Model):
    """A record queued for publication (公示): a licensing decision, a penalty or an inspection
    result, with personal data already masked; withdrawn records keep a public note."""

    class Kind(models.TextChoices):
        LICENSING = "licensing", _("Licensing decision")
        PENALTY = "penalty", _("Administrative penalty")
        INSPECTION = "inspection", _("Inspection result")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source_id = models.PositiveBigIntegerField(_("source record"))
    number = models.CharField(_("number"), max_length=60, blank=True)
    department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    subject_name = models.CharField(_("name (masked)"), max_length=200)
    subject_code = models.CharField(_("code (masked)"), max_length=40, blank=True)
    subject_is_person = models.BooleanField(_("a natural person"), default=False)
    item_code = models.CharField(_("item code"), max_length=40, blank=True)
    item_name = models.CharField(_("item"), max_length=200, blank=True)
    decision = models.CharField(_("decision"), max_length=20)
    licence_number = models.CharField(_("licence number"), max_length=60, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    summary = models.TextField(_("content"), blank=True)
    decided_on = models.DateField(_("decided on"))
    publish_due = models.DateField(_("publish by"))
    needs_review = models.BooleanField(_("needs review"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    queued_at = models.DateTimeField(_("queued at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("withdrawal note"), blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="publication_source"),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | ~models.Q(withdrawal_reason=""),
                name="publication_withdrawal_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "publish_due"], name="publication_queue"),
            models.Index(fields=["kind", "decided_on"], name="publication_kind_day"),
            models.Index(fields=["decided_on", "id"], name="publication_day"),
            models.Index(fields=["subject_code"], name="publication_code"),
            models.Index(fields=["number"], name="publication_number"),
            models.Index(fields=["licence_number"], name="publication_licence_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def decision_label(self) -> str:
        return str(DECISIONS.get(self.decision, self.decision))

    @property
    def is_public(self) -> bool:
        return self.published_at is not None

    @property
    def scope_region_code(self) -> str:
        return self.region_code

    @property
    def scope_department_id(self) -> int | None:
        return self.department_id

    scope_applicant_ids: frozenset[int] = frozenset()


class PublicationAlert(models.Model):
    """A daily warning to a department leader about a record near or past its publish date."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="alerts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("level"), max_length=8)
    created_on = models.DateField(_("created on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "user", "created_on"], name="publication_alert_daily"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} → {self.user_id} ({self.level})"


class PolicyDocument(models.Model):
    """A policy document (规范性文件/政策文件) drafted by an office, published with its
    interpretation, reviewed for fair competition when it touches market entities."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_FORCE = "in_force", pgettext_lazy("policy document", "In force")
        AMENDED = "amended", _("Amended")
        REPEALED = "repealed", _("Repealed")

    drafting_department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafting office"),
    )
    region_code = models.CharField(_("region code"), max_length=12)
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    text = models.TextField(_("text"))
    touches_market = models.BooleanField(_("touches market entities"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    interpretation_due = models.DateField(_("interpretation due"), null=True, blank=True)
    ended_on = models.DateField(_("repealed or amended on"), null=True, blank=True)
    amended_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="amends",
        verbose_name=_("amended by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_region_code(self) -> str:
        return self.region_code

    @property
    def scope_department_id(self) -> int:
        return self.drafting_department_id

    scope_applicant_ids: frozenset[int] = frozenset()


class PolicyAttachment(models.Model):
    document = models.ForeignKey(
        PolicyDocument, on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to="policies/%Y/")

    def __str__(self) -> str:
        return self.name


class FairCompetitionReview(models.Model):
    """The drafting office's fair-competition self-review (公平竞争审查, 谁起草、谁审查)."""

    document = models.OneToOneField(
        PolicyDocument, on_delete=models.CASCADE, related_name="fair_competition_review"
    )
    checklist = models.JSONField(_("answers to the review standards"))
    conclusion = models.TextField(_("written conclusion"))
    compliant = models.BooleanField(_("may be published"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(_("reviewed on"))

    def __str__(self) -> str:
        return f"{self.document} ({self.reviewed_on})"


class Interpretation(models.Model):
    """The interpretation (政策解读) of a document, by its drafting office (谁起草、谁解读)."""

    document = models.OneToOneField(
        PolicyDocument, on_delete=models.CASCADE, related_name="interpretation"
    )
    text = models.TextField(_("interpretation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("published on"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.document}: {_('interpretation')}"


class PolicyAssessment(models.Model):
    """The yearly assessment (定期评估清理) of a document in force: keep, amend or repeal."""

    class Outcome(models.TextChoices):
        KEEP = "keep", _("Keep in force")
        AMEND = "amend", _("Amend")
        REPEAL = "repeal", _("Repeal")

    document = models.ForeignKey(
        PolicyDocument, on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    note = models.TextField(_("reasons"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "year"], name="policy_assessment_yearly")
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.year}: {self.outcome}"
