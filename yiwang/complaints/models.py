"""Hotline tickets (工单), their departments, replies, ratings, timeline and deadline rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.complaints.limits import EXTENSION_DAYS, REOPEN_DAYS


class Channel(models.TextChoices):
    HOTLINE_12345 = "12345", _("12345 government hotline")
    HOTLINE_12315 = "12315", _("12315 consumer hotline")
    WEB = "web", _("Web")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")


HOTLINES = (Channel.HOTLINE_12345, Channel.HOTLINE_12315)


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report")
    CONSULTATION = "consultation", _("Consultation")
    SUGGESTION = "suggestion", _("Suggestion")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    DISPATCHED = "dispatched", _("Dispatched")
    RETURNED = "returned", _("Returned to the dispatcher")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another ticket")


class Level(models.TextChoices):
    NORMAL = "normal", _("On time")
    WARNING = "warning", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class Decision(models.TextChoices):
    INSPECTION = "inspection", _("Open a special inspection")
    NO_INSPECTION = "no_inspection", _("No inspection")


class DeadlineRule(models.Model):
    """The time limits of one kind and urgency, in working days from receipt (data, not code)."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    reply_days = models.PositiveSmallIntegerField(_("reply within (working days)"))
    decision_days = models.PositiveSmallIntegerField(
        _("decide on an inspection within (working days)"),
        null=True,
        blank=True,
        help_text=_("Reports only: whether to open a special inspection."),
    )
    extension_days = models.PositiveSmallIntegerField(
        _("one extension (working days)"), default=EXTENSION_DAYS
    )
    reopen_days = models.PositiveSmallIntegerField(
        _("reopen within (working days of the reply)"), default=REOPEN_DAYS
    )

    class Meta:
        verbose_name = _("ticket deadline rule")
        verbose_name_plural = _("ticket deadline rules")
        ordering = ["kind", "urgency"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "urgency"], name="ticket_rule_once"),
            models.CheckConstraint(
                condition=Q(reply_days__gte=1, reply_days__lte=60), name="ticket_rule_reply_days"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_urgency_display()}"


class TicketNumberSequence(models.Model):
    """The last ticket number given on a day."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Ticket(models.Model):
    """A hotline ticket (工单): a complaint, report (举报), consultation or suggestion."""

    number = models.CharField(_("ticket number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    external_number = models.CharField(
        _("hotline platform ticket number"), max_length=40, blank=True
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    content = models.TextField(_("content"))
    subject_entity = models.ForeignKey(
        "parties.Applicant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject entity"),
    )
    subject_text = models.CharField(_("subject as given"), max_length=200, blank=True)
    # 举报人保密: shown only through `selectors.reporter_of`, which audits each read.
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reporter_applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lookup_code_hash = models.CharField(max_length=64)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    intake_department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dispatcher"),
    )
    lead_department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handling department"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"))
    clock_start = models.DateField(_("reply clock starts"))
    reply_days = models.PositiveSmallIntegerField(_("reply limit (working days)"))
    decision_days = models.PositiveSmallIntegerField(null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extended by"), default=0)
    extension_reason = models.TextField(blank=True)
    extended_round = models.PositiveSmallIntegerField(null=True, blank=True)
    due_on = models.DateField(_("reply due"), null=True, blank=True)
    decision_due = models.DateField(_("inspection decision due"), null=True, blank=True)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.NORMAL)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    first_replied_on = models.DateField(null=True, blank=True)
    first_reply_on_time = models.BooleanField(null=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("reply round"), default=1)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    upheld = models.BooleanField(_("upheld"), null=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    inspection_id = models.PositiveBigIntegerField(null=True, blank=True)
    inspection_outcome = models.CharField(max_length=16, blank=True)
    inspection_concluded_on = models.DateField(null=True, blank=True)
    inspection_findings = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_number"],
                condition=~Q(external_number=""),
                name="ticket_external_once",
            ),
            models.CheckConstraint(condition=Q(reopen_count__lte=1), name="ticket_reopen_once"),
        ]
        indexes = [
            models.Index(fields=["lead_department", "status", "due_on"], name="ticket_queue"),
            models.Index(fields=["subject_entity", "received_on"], name="ticket_subject"),
            models.Index(fields=["received_on"], name="ticket_received"),
        ]

    def __str__(self) -> str:
        return self.number

    # The permission module's view of a ticket.
    @property
    def scope_region_code(self) -> str:
        return self.region.code

    @property
    def scope_department_id(self) -> int | None:
        return self.lead_department_id

    scope_applicant_ids: frozenset[int] = frozenset()

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.CLOSED, Status.MERGED)

    @property
    def is_report(self) -> bool:
        return self.kind == Kind.REPORT


class Assignment(models.Model):
    """A department the ticket is dispatched to; one of them leads (主办), the others assist."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey("regions.Department", on_delete=models.PROTECT, related_name="+")
    lead = models.BooleanField(default=False)
    assigned_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(lead=True, ended_at__isnull=True),
                name="ticket_one_active_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.department_id}"


class Reply(models.Model):
    """The handling department's answer (答复) in one round."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField()
    text = models.TextField()
    department = models.ForeignKey("regions.Department", on_delete=models.PROTECT, related_name="+")
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField()
    on_time = models.BooleanField()
    attachments = models.ManyToManyField("cases.StoredFile", blank=True, related_name="+")

    class Meta:
        ordering = ["replied_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "round"], name="ticket_reply_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} #{self.round}"


class Rating(models.Model):
    """The reporter's rating of a reply (好差评): 5 非常满意 … 1 非常不满意, once per round."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField()
    level = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["rated_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "round"], name="ticket_rating_per_round"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} #{self.round}: {self.level}"


class DuplicateProposal(models.Model):
    """A proposal to merge a ticket into an earlier one with the same subject and content."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Dismissed")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="duplicate_of")
    original = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "original"], name="duplicate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} ≈ {self.original_id}"


class TimelineEntry(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"


class Alert(models.Model):
    """A ticket entering warning or overdue, told to the handling department's staff."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="alerts")
    level = models.CharField(max_length=8, choices=Level.choices)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.level} → {self.user_id}"
