"""The records of the reform procedures: commitment checks, green marks, emergency listings,
pre-reviews and one-thing bundles."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CommitmentCheck(models.Model):
    """The post-approval check (事后核查) of a case decided on the applicant's commitment."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Waiting for the check")
        CONFIRMED = "confirmed", _("Commitment confirmed")
        FALSE = "false", _("Commitment false: licence revoked")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="commitment_check"
    )
    department = models.ForeignKey("regions.Department", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("check period starts"))
    period_days = models.PositiveSmallIntegerField(_("check period (working days)"))
    due_on = models.DateField(_("check due"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default="pending")
    findings = models.TextField(_("findings"), blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("commitment check")
        verbose_name_plural = _("commitment checks")
        indexes = [
            models.Index(fields=["department", "result", "due_on"], name="commitment_check_queue")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.result}"

    @property
    def scope_region_code(self) -> str:
        return self.department.region.code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    scope_applicant_ids = frozenset()


class GreenMark(models.Model):
    """A leader's green-channel mark (绿色通道) on one case, or on an item for a period."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="green_marks"
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.CASCADE, null=True, blank=True, related_name="green_marks"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dedicated handler"),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("green-channel mark")
        verbose_name_plural = _("green-channel marks")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(case__isnull=False, item__isnull=True)
                    | Q(case__isnull=True, item__isnull=False)
                ),
                name="green_mark_case_or_item",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="green_mark_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"green {self.case_id or self.item_id} {self.starts_on}"


class EmergencyListing(models.Model):
    """A disinfection product marketed under the emergency listing procedure (应急上市)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="emergency_listing"
    )
    product_name = models.CharField(_("product"), max_length=200)
    holder_name = models.CharField(_("holder"), max_length=200)
    conditions = models.TextField(_("conditions"))
    listed_on = models.DateField(_("listed on"))
    ends_on = models.DateField(_("listing ends on"))

    class Meta:
        verbose_name = _("emergency listing")
        verbose_name_plural = _("emergency listings")
        ordering = ["-listed_on", "product_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("listed_on")),
                name="emergency_listing_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.product_name


class PreReview(models.Model):
    """A pre-review (预审) of electronic materials before filing; it starts no clock."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for comments")
        COMMENTED = "commented", _("Commented: revise and send again")
        CLEARED = "cleared", _("Cleared: ready to file")
        FILED = "filed", _("Filed as an application")

    item_version = models.ForeignKey(
        "catalog.ItemVersion", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey("regions.Department", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.PROTECT, related_name="prereviews"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField()
    rounds = models.PositiveSmallIntegerField(default=1)
    history = models.JSONField(default=list, help_text="[{at, by, action, comments}]")

    class Meta:
        verbose_name = _("pre-review")
        verbose_name_plural = _("pre-reviews")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"pre-review {self.pk}"

    @property
    def scope_region_code(self) -> str:
        return self.department.region.code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.applicant_id})


class PreReviewMaterial(models.Model):
    prereview = models.ForeignKey(PreReview, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    file = models.ForeignKey("cases.StoredFile", on_delete=models.PROTECT, null=True, blank=True)
    comment = models.TextField(blank=True)
    acceptable = models.BooleanField(null=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["prereview", "code"], name="prereview_material_once")
        ]

    def __str__(self) -> str:
        return self.code


class Bundle(models.Model):
    """A one-thing bundle (一件事) definition: several items applied for with one form."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    item_codes = models.JSONField(_("items"), help_text=_("Basic codes of the items, in order."))
    shared_materials = models.JSONField(
        _("shared materials"),
        default=list,
        blank=True,
        help_text=_(
            "[{name, name_en, covers: [[item code, material code], ...]}]: one document that "
            "stands for the listed materials of several items, so the applicant gives it once."
        ),
    )
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("one-thing bundle")
        verbose_name_plural = _("one-thing bundles")

    def __str__(self) -> str:
        return self.name


class BundleApplication(models.Model):
    """One application for a bundle: sub-cases per item run in parallel (并联审批)."""

    number = models.CharField(max_length=40, unique=True)
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey("parties.Applicant", on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()
    completed_on = models.DateField(null=True, blank=True)
    form = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("bundle application")
        verbose_name_plural = _("bundle applications")

    def __str__(self) -> str:
        return self.number

    @property
    def scope_region_code(self) -> str:
        return self.applicant.region.code

    scope_department_id = None

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.applicant_id})
