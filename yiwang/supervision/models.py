"""Supervision records: inspector conflicts, checklists, yearly plans with their frozen directory
and pool, draws, tasks, inspections (with each department's findings and photos), penalties and
the alerts raised to leaders. The directory itself is a query (see `directory.py`), not a table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InspectorConflict(models.Model):
    """An entity an inspector has declared a conflict of interest with (回避)."""

    staff = models.ForeignKey("regions.Staff", on_delete=models.CASCADE, related_name="+")
    entity_code = models.CharField(_("entity code"), max_length=60)
    reason = models.CharField(_("reason"), max_length=200)
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(fields=["staff", "entity_code"], name="conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} ↔ {self.entity_code}"


class Checklist(models.Model):
    """The checklist (检查表) of one licence type, versioned; `items` is data, not code."""

    licence_type_code = models.CharField(_("licence type code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    items = models.JSONField(_("items"), default=list)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["licence_type_code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence_type_code", "version"], name="checklist_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Plan(models.Model):
    """A department's plan of random inspections (双随机抽查计划), or a special draw (以点带面)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMMITTED = "committed", _("Committed")
        DRAWN = "drawn", _("Drawn")

    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Yearly plan")
        POINT_TO_AREA = "point_to_area", _("Point to area (以点带面)")

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.YEARLY)
    department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    licence_types = models.JSONField(_("licence types"), default=list)
    ratios = models.JSONField(_("sampling ratios"), default=dict)
    inspectors_per_task = models.PositiveSmallIntegerField(_("inspectors per task"), default=2)
    requested_pool = models.JSONField(_("inspector pool (user names)"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="draft")
    source_inspection = models.ForeignKey(
        "Inspection", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    secret = models.CharField(max_length=64, blank=True)
    seed_commitment = models.CharField(_("seed commitment"), max_length=64, blank=True)
    directory_hash = models.CharField(_("directory hash"), max_length=64, blank=True)
    pool_hash = models.CharField(_("pool hash"), max_length=64, blank=True)
    directory_size = models.PositiveIntegerField(_("directory size"), default=0)
    # Entities per stratum of the frozen directory, counted at commit: the draw needs the
    # sizes first (how many each stratum gives) and would otherwise scan the directory for them.
    stratum_sizes = models.JSONField(_("entities per stratum"), default=dict, blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspectors_per_task__gte=2), name="plan_two_inspectors_at_least"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_region_code(self) -> str:
        return self.region.code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    scope_applicant_ids = frozenset()


class PlanEntity(models.Model):
    """One entity of a plan's directory, frozen at commit (what the draw and the hash cover)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="entities")
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    region_code = models.CharField(max_length=12)
    grade = models.CharField(max_length=1)
    applicant_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plan_entity_once"),
        ]
        indexes = [models.Index(fields=["plan", "grade"], name="plan_entity_stratum")]

    def __str__(self) -> str:
        return self.code


class PlanInspector(models.Model):
    """One inspector of a plan's pool, frozen at commit with the conflicts declared by then."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pool")
    staff = models.ForeignKey("regions.Staff", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("enforcement certificate number"), max_length=40)
    conflicts = models.JSONField(default=list)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "staff"], name="plan_inspector_once"),
        ]

    def __str__(self) -> str:
        return self.code


class Draw(models.Model):
    """The draw of a committed plan: the witness's value, the seed, the time; at most one."""

    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="draw")
    witness = models.CharField(_("witness value"), max_length=200)
    seed = models.CharField(_("seed"), max_length=64)
    drawn_at = models.DateTimeField(_("drawn at"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    task_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")

    def __str__(self) -> str:
        return f"{self.plan_id} @ {self.drawn_at:%Y-%m-%d}"


class Task(models.Model):
    """Something to inspect at one entity: drawn, a post-approval check, a complaint, …"""

    class Kind(models.TextChoices):
        DRAWN = "drawn", _("Random draw (双随机)")
        POST_APPROVAL = "post_approval", _("Post-approval check of a commitment")
        COMPLAINT = "complaint", _("Complaint check")
        SPECIAL = "special", _("Special inspection")
        POINT_TO_AREA = "point_to_area", _("Point to area (以点带面)")
        REINSPECTION = "reinspection", _("Re-inspection after rectification")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        NEEDS_INSPECTORS = "needs_inspectors", _("Needs inspectors")
        IN_PROGRESS = "in_progress", _("Inspection under way")
        DONE = "done", _("Done")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="open")
    # No index of its own: the queue index (department, status, due_on) leads with it, and a
    # draw writes tens of thousands of tasks at once (every index is paid per row).
    # No database foreign key on the columns a draw writes for every task (department,
    # applicant, plan; and the task and staff of every assignment): PostgreSQL checks one per
    # row at COMMIT, which was most of a large draw's time (see docs/supervision.md, "Draw at
    # scale"). Django still enforces on_delete (PROTECT, CASCADE) on every delete it makes.
    department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
        db_index=False,
        db_constraint=False,
    )
    applicant = models.ForeignKey(
        "parties.Applicant",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entity"),
        db_constraint=False,
    )
    # Not indexed: an entity's tasks are found by their applicant (history_of); an index of
    # random text cost a draw a fifth of its task insert.
    entity_code = models.CharField(_("entity code"), max_length=60)
    region_code = models.CharField(_("region code"), max_length=12)
    licence_type_code = models.CharField(_("licence type code"), max_length=40, blank=True)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        db_constraint=False,
    )
    draw_order = models.PositiveIntegerField(null=True, blank=True)
    rank_key = models.CharField(max_length=64, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    # Only post-approval tasks name a case: their partial unique constraint is the index.
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    source_ticket_id = models.BigIntegerField(_("source ticket"), null=True, blank=True)
    # Indexed only where set (task_follow_up): drawn tasks never have one.
    source_inspection = models.ForeignKey(
        "Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        db_index=False,
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(kind="post_approval"),
                name="task_one_post_check_per_case",
            ),
            models.UniqueConstraint(
                fields=["source_ticket_id"],
                condition=Q(kind="complaint"),
                name="task_one_per_ticket",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "due_on"], name="task_queue"),
            models.Index(
                fields=["source_inspection"],
                condition=Q(source_inspection__isnull=False),
                name="task_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entity_code}"

    @property
    def scope_region_code(self) -> str:
        return self.region_code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    scope_applicant_ids = frozenset()


class TaskInspector(models.Model):
    """An inspector assigned to a task (drawn, or named by the leader)."""

    # The unique (task, staff) constraint leads with the task: no second index for it. No
    # database foreign keys either (see Task.department): a draw writes two rows per task.
    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        related_name="assignments",
        db_index=False,
        db_constraint=False,
    )
    staff = models.ForeignKey(
        "regions.Staff", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    code = models.CharField(max_length=40)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "staff"], name="task_inspector_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.code}"


class Outcome(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    RECTIFY = "rectify", _("Rectify within a period")
    VIOLATION = "violation", _("Violation")


class Inspection(models.Model):
    """The visit for a task: unannounced by default (四不两直), possibly joint (综合查一次)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CONCLUDED = "concluded", _("Concluded")

    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="inspection")
    department = models.ForeignKey("regions.Department", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default="scheduled"
    )
    unannounced = models.BooleanField(_("unannounced (四不两直)"), default=True)
    announcement_reason = models.CharField(_("why announced"), max_length=200, blank=True)
    scheduled_for = models.DateField(_("visit on"))
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, null=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    findings_summary = models.TextField(_("findings summary"), blank=True)
    rectify_days = models.PositiveSmallIntegerField(
        _("rectify within (working days)"), null=True, blank=True
    )
    rectify_due = models.DateField(_("rectification due"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    publish_due = models.DateField(_("publish by"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-scheduled_for", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="rectify") | Q(rectify_days__gte=1),
                name="inspection_rectify_has_period",
            ),
        ]
        indexes = [
            models.Index(fields=["published_on", "publish_due"], name="inspection_publication"),
        ]

    def __str__(self) -> str:
        return f"{self.task.entity_code} {self.scheduled_for}"

    @property
    def scope_region_code(self) -> str:
        return self.task.region_code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    scope_applicant_ids = frozenset()


class Participation(models.Model):
    """One department's part of an inspection: its own checklist answers and findings."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="participations"
    )
    department = models.ForeignKey("regions.Department", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("checklist answers"), default=dict, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "department"], name="participation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.department_id}"

    @property
    def scope_region_code(self) -> str:
        return self.inspection.task.region_code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    scope_applicant_ids = frozenset()


class Photo(models.Model):
    """A photo taken as evidence of a finding."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(upload_to="inspections/%Y/")
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.sha256[:12]


class Penalty(models.Model):
    """A penalty record opened by a violation (行政处罚), with the inclusive-prudent proposal."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="penalty")
    department = models.ForeignKey("regions.Department", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey("parties.Applicant", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="open")
    legal_basis = models.TextField(_("legal basis"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    violation_kind = models.CharField(_("violation type"), max_length=60, blank=True)
    proposals = models.JSONField(_("inclusive-prudent proposals"), default=list, blank=True)
    inclusive_measure = models.ForeignKey(
        "credit.InclusiveMeasure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("four-list entry applied"),
    )
    inclusive_entry_code = models.CharField(max_length=40, null=True, blank=True)
    inclusive_entry_title = models.CharField(max_length=200, null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    opened_at = models.DateTimeField()

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="penalty_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.amount}"

    @property
    def scope_region_code(self) -> str:
        return self.inspection.task.region_code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    scope_applicant_ids = frozenset()


class LeaderAlert(models.Model):
    """A flag raised to a department's leaders, e.g. a result not published in time."""

    class Kind(models.TextChoices):
        PUBLICATION_OVERDUE = "publication_overdue", _("Result not published in time")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    department = models.ForeignKey("regions.Department", on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="alerts")
    raised_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind"], name="alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.inspection_id}"
