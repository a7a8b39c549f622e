from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.cases.engine.states import Status

# The queue's tie-break among cases due the same day: A-graded applicants first.
APPLICANT_PRIORITY_A = 0
APPLICANT_PRIORITY_OTHERS = 1


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    WINDOW = "window", _("At the window")
    MAIL = "mail", _("By mail")
    PHONE = "phone", _("By phone")
    MOBILE = "mobile", _("Mobile app")


class Procedure(models.TextChoices):
    STANDARD = "standard", _("Standard")
    COMMITMENT = "commitment", _("Notification-commitment")
    TOLERANCE = "tolerance", _("Tolerance acceptance")
    GREEN = "green", _("Green channel")
    FIRST_USE = "first_use", _("First use, then review")
    EMERGENCY = "emergency", _("Emergency listing")
    PARALLEL = "parallel", _("Parallel approval")


class Level(models.TextChoices):
    NORMAL = "normal", _("On time")
    WARNING = "warning", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class StoredFile(models.Model):
    """An uploaded file, kept by its SHA-256 once acknowledged."""

    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(max_length=255)
    content = models.FileField(upload_to="materials/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return self.original_name


def applicant_priority_of(grade: str) -> int:
    """The queue priority of an applicant's cases from its credit grade (信用等级)."""
    return APPLICANT_PRIORITY_A if grade == "A" else APPLICANT_PRIORITY_OTHERS


class Case(models.Model):
    """An application (办件) under one version of one item, from receipt to result."""

    number = models.CharField(_("case number"), max_length=40, unique=True)
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="cases")
    item_version = models.ForeignKey(
        "catalog.ItemVersion", on_delete=models.PROTECT, related_name="cases"
    )
    implementation = models.ForeignKey(
        "catalog.Implementation", on_delete=models.PROTECT, null=True, related_name="cases"
    )
    department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("handling department"),
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.PROTECT, related_name="cases"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    procedure = models.CharField(
        _("procedure"), max_length=12, choices=Procedure.choices, default=Procedure.STANDARD
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.RECEIVED
    )
    form = models.JSONField(_("form"), default=dict, blank=True)
    postal_tracking_number = models.CharField(
        _("postal tracking number"), max_length=40, blank=True
    )
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)

    received_at = models.DateTimeField(_("received at"))
    submitted_on = models.DateField(_("last submitted on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("deemed accepted"), default=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reasons"), blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    review_opinion = models.TextField(_("review opinion"), blank=True)
    licence_number = models.CharField(_("licence number"), max_length=60, blank=True)

    green = models.BooleanField(_("green channel"), default=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commitment_signed_at = models.DateTimeField(_("commitment signed at"), null=True, blank=True)
    commitment_signer = models.CharField(_("signed by"), max_length=100, blank=True)
    commitment_text = models.TextField(_("text signed"), blank=True)
    supplemented_on = models.DateField(_("tolerated materials supplied on"), null=True, blank=True)
    prereview = models.ForeignKey(
        "cases.PreReview", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    bundle_application = models.ForeignKey(
        "cases.BundleApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )

    # Kept current by the services and the daily task, so the queue sorts and filters in SQL.
    due_on = models.DateField(_("next due date"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.NORMAL)
    # "A-graded applicants first among equals" (A 级优先) without joining the applicant: set at
    # filing, kept current on the open cases by `cases.subscribers.reprioritize_applicant_cases`.
    applicant_priority = models.PositiveSmallIntegerField(
        _("applicant priority"), default=APPLICANT_PRIORITY_OTHERS
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["filed_by", "idempotency_key"],
                name="case_idempotency_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]
        indexes = [
            # The region is included so that counting a staff member's queue (department,
            # statuses, region subtree) reads the index alone.
            models.Index(
                fields=["department", "status", "green", "due_on"],
                include=["region"],
                name="case_queue",
            ),
            models.Index(fields=["region", "status", "green", "due_on"], name="case_queue_region"),
            models.Index(fields=["applicant", "received_at"], name="case_applicant"),
            models.Index(fields=["status", "due_on"], name="case_status_due"),
            # The queue's own order over open cases only: a first page reads ~25-150 index
            # entries whatever the backlog or history, instead of sorting every open case
            # of the scope (bench/scale.py; docs/performance.md). The included columns let
            # the queue's count run as an index-only scan.
            models.Index(
                fields=["-green", "due_on", "applicant_priority", "received_at", "id"],
                include=["department", "region", "status"],
                condition=models.Q(
                    status__in=[
                        Status.RECEIVED,
                        Status.CORRECTION_REQUESTED,
                        Status.ACCEPTED,
                        Status.SUSPENDED,
                        Status.REVIEWED,
                        Status.APPROVED,
                    ]
                ),
                name="case_open_queue",
            ),
            # The leader's indicators: the cases decided in a period, read from the index.
            models.Index(
                fields=["decided_on", "department"],
                include=["id", "accepted_on", "item", "item_version", "channel"],
                name="case_decided",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def scope_region_code(self) -> str:
        return self.region.code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.applicant_id})


class CaseMaterial(models.Model):
    """One material of a case: a file, a reuse of an e-licence, or missing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True)
    missing = models.BooleanField(default=False)
    from_elicence = models.BooleanField(default=False)
    supplied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="case_material_once")]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.code}"


class Suspension(models.Model):
    """A suspension of the case's clocks (Art. 45): expert review, inspection, testing, hearing."""

    class Kind(models.TextChoices):
        EXPERT_REVIEW = "expert_review", _("Expert review")
        INSPECTION = "inspection", _("On-site inspection")
        TESTING = "testing", _("Testing")
        HEARING = "hearing", _("Hearing")
        APPRAISAL = "appraisal", _("Appraisal")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField()
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    resume_status = models.CharField(max_length=24, choices=Status.choices)

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"


class CorrectionNotice(models.Model):
    """The one notice of everything missing (一次性告知, Art. 32)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="corrections")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    items = models.JSONField(help_text="[{material_code, reason}]")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.issued_at:%Y-%m-%d}"


class TimelineEntry(models.Model):
    """What happened to a case, in order, as the applicant and staff see it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The domain event of the step: the timeline, the audit record and subscribers share it.
    event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class Visit(models.Model):
    """A physical visit of the applicant (跑动), so zero and one visit are facts."""

    class Purpose(models.TextChoices):
        FILING = "filing", _("Filing at the window")
        CORRECTION = "correction", _("Correction at the window")
        PICKUP = "pickup", _("Picking up the result")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    at = models.DateTimeField()
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.case_id} {self.purpose}"


class Notification(models.Model):
    """A message to the applicant: always in the portal inbox, and by the configured senders."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    applicant = models.ForeignKey("parties.Applicant", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # The case step's event the message was written from (after the step committed), so a
    # second delivery of that event writes nothing again.
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["applicant", "created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.subject


class CaseNumberSequence(models.Model):
    """The last case number given per department and day; a row lock keeps numbers gapless."""

    department = models.ForeignKey("regions.Department", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "day"], name="case_sequence_day"),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.day} {self.last}"


class StaffAlert(models.Model):
    """A case entering warning or overdue, told to its handler and the department's leaders."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    level = models.CharField(max_length=8, choices=Level.choices)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="staff_alert_inbox")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level} → {self.user_id}"
