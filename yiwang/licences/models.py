"""The licence register: licences, their history, the cases that act on them, verification
(校验) and dated policies.

A `Licence` row is the register's current view; every change to it also writes a
`LicenceEvent` (the history shown to staff and holders) and an audit record.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models import in_english


class Status(models.TextChoices):
    VALID = "valid", _("Valid")
    PROVISIONAL = "provisional", _("Provisional")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")
    REVOKED = "revoked", _("Revoked")


IN_FORCE = (Status.VALID, Status.PROVISIONAL)
ENDED = (Status.CANCELLED, Status.REVOKED)


class Licence(models.Model):
    """A licence (证照) held by an applicant: what the applicant came for."""

    number = models.CharField(_("licence number"), max_length=60, unique=True)
    licence_type = models.CharField(_("licence type"), max_length=200)
    licence_type_en = models.CharField(_("licence type (English)"), max_length=300, blank=True)
    licence_type_code = models.CharField(_("licence type code"), max_length=40, blank=True)
    holder = models.ForeignKey(
        "parties.Applicant",
        on_delete=models.PROTECT,
        related_name="licences",
        verbose_name=_("holder"),
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="licences", verbose_name=_("item")
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing case"),
    )
    department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        related_name="licences",
        verbose_name=_("issuer"),
    )
    scope = models.JSONField(_("scope"), default=list, blank=True)
    particulars = models.JSONField(
        _("register particulars"),
        default=list,
        blank=True,
        help_text=_("[{label, value}] from the application form: name, address, beds …"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    validity_years = models.PositiveSmallIntegerField(_("validity (years)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALID
    )
    version = models.PositiveIntegerField(_("e-licence version"), default=1)
    elicence_id = models.CharField(_("e-licence identifier"), max_length=200, blank=True)
    signed_content = models.TextField(_("signed content"), blank=True)
    signature = models.CharField(_("signature"), max_length=200, blank=True)
    signing_key_id = models.CharField(_("signing key"), max_length=40, blank=True)
    document = models.FileField(_("document"), upload_to="licences/%Y/", null=True, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    imported = models.BooleanField(_("imported from a register"), default=False)
    deemed_renewed_on = models.DateField(_("deemed renewed on (Art. 50)"), null=True, blank=True)
    verification_due = models.DateField(_("verification due"), null=True, blank=True)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="licence_valid_until_after_from",
            ),
        ]
        indexes = [
            models.Index(fields=["licence_type_code", "valid_until"], name="licence_type_expiry"),
            models.Index(fields=["status", "valid_until"], name="licence_status_expiry"),
            models.Index(fields=["holder", "status"], name="licence_holder"),
            models.Index(fields=["verification_due"], name="licence_verification_due"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def display_type(self) -> str:
        """The licence type in the reader's language; the document itself stays in Chinese."""
        return self.licence_type_en if self.licence_type_en and in_english() else self.licence_type

    @property
    def is_provisional(self) -> bool:
        return self.status == Status.PROVISIONAL

    @property
    def is_in_force(self) -> bool:
        return self.status in IN_FORCE

    @property
    def scope_region_code(self) -> str:
        return self.department.region.code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.holder_id})


class LicenceEvent(models.Model):
    """One change in a licence's history, with the values before and after."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, default="system")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The domain event of the change: the history, the audit record and subscribers share it.
    domain_event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    policy = models.ForeignKey(
        "Policy", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["licence", "at"], name="licence_event_history")]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.action}"


class LicenceNumberSequence(models.Model):
    """The last number given per licence type and year; a locked row keeps numbers unique."""

    prefix = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="licence_sequence_year"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.year} {self.last}"


class SigningKey(models.Model):
    """A public key that signed e-licences; kept after rotation so old licences still verify."""

    key_id = models.CharField(max_length=40, unique=True)
    public_key = models.CharField(max_length=100, help_text="Raw Ed25519 public key, base64")
    first_used_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key_id


class LicenceDocument(models.Model):
    """A generated PDF of one version of a licence: its SHA-256, signed, so uploads verify."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="documents")
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, unique=True)
    signature = models.CharField(max_length=200)
    signing_key_id = models.CharField(max_length=40)
    generated_at = models.DateTimeField()

    class Meta:
        ordering = ["-version", "-pk"]

    def __str__(self) -> str:
        return f"{self.licence_id} v{self.version}"


class Purpose(models.TextChoices):
    RENEWAL = "renewal", _("Renewal (延续)")
    CHANGE = "change", _("Change (变更)")
    CANCELLATION = "cancellation", _("Cancellation (注销)")
    REVOCATION = "revocation", _("Revocation (撤销/吊销)")
    VERIFICATION = "verification", _("Verification (校验)")


class LicenceCaseQuerySet(models.QuerySet):
    def undecided(self):
        """Cases still waiting for a decision (received, in correction, under review)."""
        return self.filter(decided_on__isnull=True, closed_on__isnull=True)

    def pending(self):
        """Cases not yet ended: undecided, or approved with the licence not yet issued."""
        return self.filter(closed_on__isnull=True)


class LicenceCase(models.Model):
    """A case that acts on an existing licence: renewal, change, cancellation, revocation, 校验.

    `decided_on` and `closed_on` follow the case (the cases app keeps them in the case's own
    transaction), so the register tells a pending renewal without reading cases.
    """

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="cases")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="licence_link")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    changes = models.JSONField(_("requested changes"), default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(_("case decided on"), null=True, blank=True)
    closed_on = models.DateField(_("case ended on"), null=True, blank=True)

    objects = LicenceCaseQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["licence", "purpose"], name="licence_case_purpose")]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.purpose} {self.case_id}"


class LicenceTypeRule(models.Model):
    """Per licence type: how long before expiry renewal opens (default 30 days)."""

    licence_type_code = models.CharField(_("licence type code"), max_length=40, unique=True)
    renewal_window_days = models.PositiveSmallIntegerField(
        _("renewal opens this many days before expiry"), default=30
    )

    class Meta:
        verbose_name = _("licence type rule")
        verbose_name_plural = _("licence type rules")

    def __str__(self) -> str:
        return self.licence_type_code


class LicenceReminder(models.Model):
    """A reminder told to the holder: renewal 90/30/7 days before expiry, verification due."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=24)
    for_date = models.DateField(help_text="The expiry or verification date it reminds of")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "kind", "for_date"], name="licence_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.kind} {self.for_date}"


class VerificationPeriod(models.Model):
    """How often a medical institution's practice licence is verified, by category and beds.

    The most specific row wins: a category's own rows before the rows for every category (blank),
    and among them the highest `min_beds` the institution reaches.
    """

    category = models.CharField(_("institution category"), max_length=60, blank=True)
    min_beds = models.PositiveIntegerField(_("from this many beds"), default=0)
    years = models.PositiveSmallIntegerField(
        _("every (years)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("verification period")
        verbose_name_plural = _("verification periods")
        ordering = ["category", "-min_beds"]
        constraints = [
            models.UniqueConstraint(fields=["category", "min_beds"], name="verification_period"),
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} ≥{self.min_beds}: {self.years}"


class Verification(models.Model):
    """One periodic verification (校验) of a practice licence and its outcome."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Due")
        PASSED = "passed", _("Passed")
        DEFERRED = "deferred", _("Deferred (暂缓校验)")
        FAILED = "failed", _("Failed")

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="verifications")
    due_on = models.DateField(_("due on"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )
    onsite_review = models.BooleanField(_("on-site review"), default=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    deferral_months = models.PositiveSmallIntegerField(
        _("deferral (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence"], condition=Q(outcome="open"), name="verification_one_open"
            ),
            models.CheckConstraint(
                condition=Q(deferral_months__isnull=True)
                | Q(deferral_months__gte=1, deferral_months__lte=6),
                name="verification_deferral_1_to_6_months",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.due_on} {self.outcome}"

    @property
    def scope_region_code(self) -> str:
        return self.licence.scope_region_code

    @property
    def scope_department_id(self) -> int:
        return self.licence.department_id

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.licence.holder_id})


class Closure(models.Model):
    """A medical institution closed for a time (e.g. during an epidemic), and when it reopened."""

    holder = models.ForeignKey(
        "parties.Applicant", on_delete=models.PROTECT, related_name="closures"
    )
    closed_on = models.DateField(_("closed on"))
    reopened_on = models.DateField(_("reopened on"), null=True, blank=True)
    # One month after reopening: the end of a verification exemption (set by the service).
    exempt_until = models.DateField(_("verification exempt until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(reopened_on__isnull=True) | Q(reopened_on__gte=F("closed_on")),
                name="closure_reopened_after_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} {self.closed_on}–{self.reopened_on or ''}"


class Policy(models.Model):
    """A dated, time-bounded measure applied to many licences at once, and undoable."""

    class Kind(models.TextChoices):
        EXTEND_VALIDITY = "extend_validity", _("Extend licences expiring in a window")
        EXEMPT_CLOSED = "exempt_closed", _("Exempt closed institutions from verification")
        NO_ONSITE_REVIEW = "no_onsite_review", _("Cancel on-site review in verification")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPLIED = "applied", _("Applied")
        UNDONE = "undone", _("Undone")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    licence_type_codes = models.JSONField(_("licence type codes"), default=list, blank=True)
    window_from = models.DateField(_("window from"))
    window_to = models.DateField(_("window to"))
    new_valid_until = models.DateField(_("new expiry date"), null=True, blank=True)
    legal_basis = models.CharField(_("document or legal basis"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_count = models.PositiveIntegerField(default=0)
    # The last history event id when it was applied: later events mean "changed since".
    applied_event_mark = models.BigIntegerField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    restored_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_to__gte=F("window_from")), name="policy_window_not_reversed"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PolicyApplication(models.Model):
    """What one applied policy changed on one licence: the per-licence audit row; undo reads it."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="applications")
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="+")
    before_valid_until = models.DateField(null=True, blank=True)
    after_valid_until = models.DateField(null=True, blank=True)
    before_status = models.CharField(max_length=12, blank=True)
    after_status = models.CharField(max_length=12, blank=True)
    before_verification_due = models.DateField(null=True, blank=True)
    after_verification_due = models.DateField(null=True, blank=True)
    verification = models.ForeignKey(
        Verification, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    undone = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy", "licence"], name="policy_application_once"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} → {self.licence_id}"


class LicenceImport(models.Model):
    """One register workbook: checked whole, imported whole or not at all, with its report."""

    class Status(models.TextChoices):
        REJECTED = "rejected", _("Rejected: nothing imported")
        DONE = "done", _("Imported")

    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows_total = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    report = models.JSONField(_("validation report"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename
