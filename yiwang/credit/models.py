"""Credit records (信用信息): facts from three departments, score cards, grades and their
history, red and black list entries, objections and repairs, and the four lists of inclusive
enforcement."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.credit.rules import FACT_KINDS, GRADES, INCLUSIVE_LISTS, SEVERITIES, SOURCES

GRADE_CHOICES = [(grade, grade) for grade in GRADES]


class CreditEvent(models.Model):
    """A fact in an applicant's credit record (信用记录), e.g. a false commitment."""

    class Kind(models.TextChoices):
        FALSE_COMMITMENT = "false_commitment", _("False commitment (告知承诺失信)")
        COMMITMENT_KEPT = "commitment_kept", _("Commitment confirmed by inspection")
        SUPPLEMENT_MISSED = "supplement_missed", _("Promised materials not supplied in time")

    applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.PROTECT, related_name="credit_events"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["applicant", "recorded_at"], name="credit_event_applicant")]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.kind}"


class DepartmentToken(models.Model):
    """The API token a department (medical insurance, market supervision) sends its facts with."""

    department = models.ForeignKey("regions.Department", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("label"), max_length=100)
    digest = models.CharField(_("token digest"), max_length=64, unique=True)
    source = models.CharField(_("source"), max_length=24, choices=list(SOURCES.items()))
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("department token")
        verbose_name_plural = _("department tokens")

    def __str__(self) -> str:
        return self.label


class CreditFact(models.Model):
    """A credit fact (信用信息) about an entity, sent by the department that owns it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Counts")
        DISPUTED = "disputed", _("Disputed (异议中)")
        CORRECTED = "corrected", _("Corrected after an objection")
        REPAIRED = "repaired", _("Repaired (信用修复)")

    COUNTING = (Status.ACTIVE, Status.DISPUTED)

    applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.PROTECT, related_name="credit_facts"
    )
    entity_code = models.CharField(_("entity code"), max_length=18)
    department = models.ForeignKey("regions.Department", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=24, choices=list(SOURCES.items()))
    record_id = models.CharField(_("the department's record id"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=list(FACT_KINDS.items()))
    severity = models.CharField(_("severity"), max_length=8, choices=list(SEVERITIES.items()))
    occurred_on = models.DateField(_("date"))
    source_document = models.CharField(_("source document"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    valid_from = models.DateField(_("counts from"))
    valid_until = models.DateField(_("counts until"))
    repairable_from = models.DateField(_("repair possible from"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("stopped counting on"), null=True, blank=True)
    inclusive_measure = models.ForeignKey(
        "InclusiveMeasure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inclusive measure applied"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("credit fact")
        verbose_name_plural = _("credit facts")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "record_id"], name="credit_fact_record_once"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="credit_fact_valid_period",
            ),
        ]
        indexes = [
            models.Index(fields=["applicant", "status"], name="credit_fact_applicant"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_code} {self.kind} {self.occurred_on}"

    @property
    def counts(self) -> bool:
        return self.status in self.COUNTING

    @property
    def scope_region_code(self) -> str:
        return self.applicant.region.code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.applicant_id})


class ScoreCard(models.Model):
    """A dated version of the score card (评分卡): indicators with points, grade thresholds."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("In force")
        SUPERSEDED = "superseded", _("Superseded")

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    base_score = models.IntegerField(_("base score"))
    a_min = models.IntegerField(_("lowest score for A"))
    b_min = models.IntegerField(_("lowest score for B"))
    c_min = models.IntegerField(_("lowest score for C"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    preview = models.JSONField(_("last preview"), default=dict, blank=True)

    class Meta:
        verbose_name = _("score card")
        verbose_name_plural = _("score cards")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="active"), name="one_score_card_in_force"
            ),
            models.CheckConstraint(
                condition=Q(a_min__gt=models.F("b_min")) & Q(b_min__gt=models.F("c_min")),
                name="score_card_thresholds_descend",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class ScoreIndicator(models.Model):
    """One indicator of a score card: the points a counting fact of a kind and severity adds."""

    scorecard = models.ForeignKey(ScoreCard, on_delete=models.CASCADE, related_name="indicators")
    fact_kind = models.CharField(_("kind of fact"), max_length=32, choices=list(FACT_KINDS.items()))
    severity = models.CharField(_("severity"), max_length=8, choices=list(SEVERITIES.items()))
    points = models.IntegerField(_("points"))

    class Meta:
        verbose_name = _("score indicator")
        verbose_name_plural = _("score indicators")
        ordering = ["fact_kind", "severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "fact_kind", "severity"], name="score_indicator_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fact_kind}/{self.severity}: {self.points:+d}"


class CreditStanding(models.Model):
    """An entity's current grade and score, and the day they last changed.

    The score card in force computed every current standing: putting a card in force regrades
    everyone in the same transaction, so the version is not repeated on a million rows.
    """

    # Only the grading pass writes standings, selecting them from the applicants table itself;
    # a database foreign key would re-check each of a million rows at commit (about half of a
    # first pass). Deleting an applicant still removes its standing (Django's CASCADE).
    applicant = models.OneToOneField(
        "parties.Applicant",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    grade = models.CharField(_("grade"), max_length=1, choices=GRADE_CHOICES)
    score = models.IntegerField(_("score"))
    graded_on = models.DateField(_("graded on"))

    class Meta:
        verbose_name = _("credit standing")
        verbose_name_plural = _("credit standings")

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.grade}"


class GradeRecord(models.Model):
    """The grade history (评级记录): one row each time an entity's grade or score card changes."""

    # A pass writes a history row for every move (tens of thousands for a new score card),
    # selected from the applicants and the card themselves: one index (entity, day) serves the
    # history, and no database foreign key re-checks each row at commit (Django's on_delete
    # still cascades and protects).
    applicant = models.ForeignKey(
        "parties.Applicant",
        on_delete=models.CASCADE,
        related_name="credit_grades",
        db_index=False,
        db_constraint=False,
    )
    grade = models.CharField(_("grade"), max_length=1, choices=GRADE_CHOICES)
    previous_grade = models.CharField(_("previous grade"), max_length=1, blank=True)
    score = models.IntegerField(_("score"))
    scorecard = models.ForeignKey(
        ScoreCard, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    graded_on = models.DateField(_("graded on"))
    reason = models.CharField(_("reason"), max_length=200)
    run = models.CharField(_("grading run"), max_length=32)

    class Meta:
        verbose_name = _("grade record")
        verbose_name_plural = _("grade records")
        ordering = ["-graded_on", "-pk"]
        indexes = [models.Index(fields=["applicant", "graded_on"], name="grade_record_applicant")]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.grade} {self.graded_on}"


class ListRule(models.Model):
    """An entry rule: a fact of this kind and at least this severity puts the entity on a list."""

    fact_kind = models.CharField(_("kind of fact"), max_length=32, choices=list(FACT_KINDS.items()))
    min_severity = models.CharField(
        _("lowest severity"), max_length=8, choices=list(SEVERITIES.items())
    )
    list_kind = models.CharField(
        _("list"), max_length=8, choices=[("red", _("Red list")), ("black", _("Black list"))]
    )
    months = models.PositiveIntegerField(_("months on the list"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("list entry rule")
        verbose_name_plural = _("list entry rules")

    def __str__(self) -> str:
        return f"{self.fact_kind} → {self.list_kind}"


class ListEntry(models.Model):
    """An entity's entry on the red (守信激励) or black (失信惩戒) list, with its joint measures."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting approval")
        ACTIVE = "active", _("On the list")
        REFUSED = "refused", _("Refused")
        ENDED = "ended", _("Ended")

    applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.PROTECT, related_name="credit_list_entries"
    )
    list_kind = models.CharField(
        _("list"), max_length=8, choices=[("red", _("Red list")), ("black", _("Black list"))]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    fact = models.ForeignKey(
        CreditFact, on_delete=models.PROTECT, null=True, blank=True, related_name="list_entries"
    )
    rule = models.ForeignKey(ListRule, on_delete=models.PROTECT, null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="list_entry_period"
            ),
            models.UniqueConstraint(
                fields=["fact", "list_kind"],
                condition=Q(fact__isnull=False),
                name="list_entry_once_per_fact",
            ),
        ]
        indexes = [models.Index(fields=["list_kind", "status"], name="list_entry_kind")]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.list_kind}"

    @property
    def scope_region_code(self) -> str:
        return self.applicant.region.code

    scope_department_id = None

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.applicant_id})


class Objection(models.Model):
    """An entity's objection (异议) to a fact; the owning department answers by `answer_due`."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the department's answer")
        UPHELD = "upheld", _("Upheld: the fact was corrected")
        REJECTED = "rejected", _("Rejected: the fact stands")

    fact = models.ForeignKey(CreditFact, on_delete=models.PROTECT, related_name="objections")
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer_due = models.DateField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["answer_due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fact"], condition=Q(status="open"), name="one_open_objection_per_fact"
            )
        ]

    def __str__(self) -> str:
        return f"objection {self.pk} to fact {self.fact_id}"

    @property
    def scope_region_code(self) -> str:
        return self.fact.applicant.region.code

    @property
    def scope_department_id(self) -> int:
        return self.fact.department_id

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.fact.applicant_id})


class Repair(models.Model):
    """An application for credit repair (信用修复): after correcting, the fact stops counting."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    fact = models.ForeignKey(CreditFact, on_delete=models.PROTECT, related_name="repairs")
    statement = models.TextField(_("what was corrected"))
    evidence = models.TextField(_("evidence"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision_due = models.DateField(_("decision due"))
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("credit repair")
        verbose_name_plural = _("credit repairs")
        ordering = ["decision_due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fact"], condition=Q(status="pending"), name="one_pending_repair_per_fact"
            )
        ]

    def __str__(self) -> str:
        return f"repair {self.pk} of fact {self.fact_id}"

    @property
    def scope_region_code(self) -> str:
        return self.fact.applicant.region.code

    @property
    def scope_department_id(self) -> int:
        return self.fact.department_id

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.fact.applicant_id})


class FactImport(models.Model):
    """One Excel/CSV import of a department's facts: all rows or none, with a report."""

    class Status(models.TextChoices):
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing imported")

    department = models.ForeignKey("regions.Department", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file"), max_length=200)
    rows_total = models.PositiveIntegerField(_("rows"))
    imported = models.PositiveIntegerField(_("imported"), default=0)
    report = models.JSONField(_("problems"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("fact import")
        verbose_name_plural = _("fact imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class InclusiveMeasure(models.Model):
    """An entry of the four lists of inclusive-prudent enforcement (包容审慎): for a violation
    type under its conditions, no penalty, a lighter or mitigated one, or no compulsory measure."""

    list_kind = models.CharField(_("list"), max_length=16, choices=list(INCLUSIVE_LISTS.items()))
    violation_kind = models.CharField(_("violation type"), max_length=60)
    violation = models.CharField(_("violation"), max_length=300)
    conditions = models.JSONField(_("conditions"), default=list)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    list_version = models.PositiveIntegerField(_("list version"))
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("inclusive enforcement entry")
        verbose_name_plural = _("inclusive enforcement entries")
        ordering = ["violation_kind", "list_kind"]
        indexes = [
            models.Index(fields=["violation_kind", "valid_from"], name="inclusive_violation")
        ]

    def __str__(self) -> str:
        return f"{self.list_kind}: {self.violation}"
