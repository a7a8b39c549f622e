"""The catalogue's records: items (事项), their versions, materials, legal basis, implementations.

An `Item` is only the identity (the 12-digit basic code); every element lives on an
`ItemVersion`, so a case keeps the version it was filed under. An `Implementation`
(实施清单) is one department's entry for an item: it carries a copy of the standardized
elements (which must equal the base) and the local elements it may only tighten.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yiwang.regions.models import Department

basic_code_validator = RegexValidator(
    r"^\d{12}$", _("A basic code has exactly 12 digits."), code="basic_code"
)

PROCEDURES = ("standard", "commitment", "tolerance", "green", "first_use", "emergency", "parallel")
PROCEDURE_LABELS = {
    "standard": _("Standard procedure"),
    "commitment": _("Notification-commitment (告知承诺)"),
    "tolerance": _("Tolerance acceptance (容缺受理)"),
    "green": _("Green channel (绿色通道)"),
    "first_use": _("Use first, review after (先用后审)"),
    "emergency": _("Emergency listing (应急上市)"),
    "parallel": _("Parallel approval (并联审批)"),
}
CHANNELS = ("online", "window", "mail", "phone", "mobile")
CHANNEL_LABELS = {
    "online": _("Online"),
    "window": _("Window"),
    "mail": _("Mail"),
    "phone": _("Phone"),
    "mobile": _("Mobile app"),
}


def in_english() -> bool:
    return (get_language() or "").startswith("en")


class ExerciseLevel(models.IntegerChoices):
    """行使层级, the digit between the USCC and the basic code in an implementation code."""

    NATIONAL = 1, _("National")
    PROVINCE = 2, _("Provincial")
    CITY = 3, _("City")
    COUNTY = 4, _("County")
    TOWN = 5, _("Town or street")
    VILLAGE = 6, _("Village or community")


class Item(models.Model):
    """A base service item (事项): the identity that every version and case refers to."""

    code = models.CharField(
        _("basic code"), max_length=12, unique=True, validators=[basic_code_validator]
    )
    owner_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="owned_items",
        verbose_name=_("maintained by"),
        help_text=_("The department whose catalogue administrators maintain the base item."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def scope_region_code(self) -> str:
        return self.owner_department.region.code

    @property
    def scope_department_id(self) -> int:
        return self.owner_department_id

    scope_applicant_ids: frozenset[int] = frozenset()


class ItemVersion(models.Model):
    """One version of an item's elements (事项要素), drafted, reviewed and published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    class ItemType(models.TextChoices):
        LICENSING = "licensing", _("Administrative licensing (行政许可)")
        FILING = "filing", _("Filing (备案)")
        CONFIRMATION = "confirmation", _("Administrative confirmation (行政确认)")
        OTHER = "other", _("Other power (其他行政权力)")

    class CaseKind(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediate (即办件)")
        PROMISED = "promised", _("Promised (承诺件)")

    class ApprovalMode(models.TextChoices):
        """The reform mode under 证照分离."""

        CANCELLED = "cancelled", _("Approval cancelled")
        FILING = "filing", _("Approval changed to filing")
        COMMITMENT = "commitment", _("Notification-commitment")
        OPTIMISED = "optimised", _("Optimised approval services")

    class CrossRegion(models.TextChoices):
        """通办范围."""

        NONE = "none", _("Local only")
        CITY = "city", _("Anywhere in the city")
        PROVINCE = "province", _("Anywhere in the province")
        CROSS_PROVINCE = "cross_province", _("Across provinces")
        NATIONAL = "national", _("Nationwide")

    class LicenceMode(models.TextChoices):
        """What a tolerance case gets before the missing materials arrive."""

        PROVISIONAL = "provisional", _("A provisional licence is issued")
        HELD = "held", _("The licence is held until the materials arrive")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    changes = models.JSONField(
        _("changes from the previous version"),
        default=list,
        blank=True,
        help_text=_("A list of {field, before, after} against the version it was revised from."),
    )

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    item_type = models.CharField(_("type"), max_length=16, choices=ItemType.choices)
    source_of_power = models.CharField(_("source of power"), max_length=200, blank=True)
    exercise_levels = models.JSONField(_("exercise levels"), default=list, blank=True)
    implementing_body = models.CharField(_("implementing body"), max_length=200)
    implementing_body_en = models.CharField(
        _("implementing body (English)"), max_length=300, blank=True
    )
    entrusted_departments = models.CharField(_("entrusted departments"), max_length=300, blank=True)
    joint_departments = models.CharField(_("joint departments"), max_length=300, blank=True)
    case_kind = models.CharField(_("case type"), max_length=16, choices=CaseKind.choices)
    conditions = models.TextField(_("conditions of acceptance"))
    conditions_en = models.TextField(_("conditions of acceptance (English)"), blank=True)
    process_steps = models.JSONField(_("process steps"), default=list, blank=True)
    special_procedures = models.JSONField(_("special procedures"), default=list, blank=True)
    service_objects = models.JSONField(_("service objects"), default=list, blank=True)
    quantity_limits = models.CharField(_("quantity limits"), max_length=300, blank=True)
    where_to_go = models.CharField(_("where to go"), max_length=300, blank=True)
    when_to_go = models.CharField(_("when to go"), max_length=300, blank=True)
    consult_methods = models.CharField(_("how to ask"), max_length=300, blank=True)
    complaint_methods = models.CharField(_("how to complain"), max_length=300, blank=True)
    supports_appointment = models.BooleanField(_("supports appointment"), default=False)
    supports_courier = models.BooleanField(_("supports courier delivery"), default=False)
    supports_online_payment = models.BooleanField(_("supports online payment"), default=False)
    cross_region_scope = models.CharField(
        _("cross-region scope"), max_length=16, choices=CrossRegion.choices, default="none"
    )
    faq = models.JSONField(_("frequently asked questions"), default=list, blank=True)

    statutory_limit_days = models.PositiveIntegerField(_("statutory time limit (working days)"))
    committed_limit_days = models.PositiveIntegerField(_("committed time limit (working days)"))
    green_limit_days = models.PositiveIntegerField(
        _("green-channel time limit (working days)"), null=True, blank=True
    )
    emergency_limit_days = models.PositiveIntegerField(
        _("emergency listing time limit (working days)"), null=True, blank=True
    )
    commitment_check_days = models.PositiveIntegerField(
        _("post-approval check period (working days)"), null=True, blank=True
    )
    supplement_days = models.PositiveIntegerField(
        _("supplement period for tolerance (working days)"), null=True, blank=True
    )
    sources = models.JSONField(
        _("sources of the figures"),
        default=dict,
        blank=True,
        help_text=_("Where each time limit and figure comes from (law article or reform paper)."),
    )
    channels = models.JSONField(_("channels"), default=list)
    online = models.BooleanField(_("fully online"), default=False)
    max_visits = models.PositiveSmallIntegerField(_("most visits needed"), default=1)
    onsite_inspection = models.BooleanField(_("on-site inspection"), default=False)
    fee = models.CharField(_("fee"), max_length=300, default="不收费")
    fee_en = models.CharField(_("fee (English)"), max_length=300, blank=True)
    licence_type = models.CharField(_("licence type issued"), max_length=200, blank=True)
    licence_type_en = models.CharField(_("licence type (English)"), max_length=300, blank=True)
    licence_type_code = models.CharField(_("licence type code"), max_length=40, blank=True)
    licence_validity_years = models.PositiveSmallIntegerField(
        _("licence validity (years)"), null=True, blank=True
    )
    approval_mode = models.CharField(
        _("approval mode under 证照分离"), max_length=16, choices=ApprovalMode.choices
    )
    procedures = models.JSONField(_("procedures allowed"), default=list)
    procedure_grades = models.JSONField(
        _("credit grade each trust procedure needs"),
        default=dict,
        blank=True,
        help_text=_(
            "Per procedure, the lowest credit grade that may use it and the legal basis, e.g. "
            '{"commitment": {"min_grade": "A", "legal_basis": "…"}}.'
        ),
    )
    commitment_text = models.TextField(_("commitment text"), blank=True)
    tolerance_licence_mode = models.CharField(
        _("tolerance licence mode"), max_length=16, choices=LicenceMode.choices, blank=True
    )
    application_form = models.JSONField(
        _("application form"),
        default=list,
        blank=True,
        help_text=_(
            "The fields the applicant answers (申请表), as data: "
            "[{name, type, label, label_en, required, help, dictionary, licence, …}]; "
            "see docs/catalogue.md."
        ),
    )

    class Meta:
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        ordering = ["item__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="item_version_unique"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status="published"),
                name="item_one_published_version",
            ),
            models.CheckConstraint(
                condition=Q(committed_limit_days__lte=F("statutory_limit_days")),
                name="item_committed_within_statutory",
            ),
            models.CheckConstraint(
                condition=Q(green_limit_days__isnull=True)
                | Q(green_limit_days__lte=F("committed_limit_days")),
                name="item_green_within_committed",
            ),
            models.CheckConstraint(
                condition=Q(max_visits__lte=5), name="item_max_visits_at_most_5"
            ),
            models.CheckConstraint(
                condition=Q(online=False) | Q(max_visits=0), name="item_online_means_zero_visits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.version} {self.name}"

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and in_english() else self.name

    def localised(self, field: str) -> str:
        """The English text of a field when the page is in English and it has one."""
        english = getattr(self, f"{field}_en", "")
        return english if english and in_english() else getattr(self, field)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def compression(self) -> float:
        """How much of the statutory limit the committed limit saves (0–1)."""
        if not self.statutory_limit_days:
            return 0.0
        return 1 - self.committed_limit_days / self.statutory_limit_days

    @property
    def procedure_labels(self) -> list[str]:
        return [str(PROCEDURE_LABELS.get(name, name)) for name in self.procedures]

    @property
    def channel_labels(self) -> list[str]:
        return [str(CHANNEL_LABELS.get(name, name)) for name in self.channels]

    @property
    def scope_region_code(self) -> str:
        return self.item.scope_region_code

    @property
    def scope_department_id(self) -> int:
        return self.item.owner_department_id

    scope_applicant_ids: frozenset[int] = frozenset()


class LegalBasis(models.Model):
    """One legal basis (设定依据) of a version: a law or regulation and its article."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="legal_basis")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    law = models.CharField(_("law or regulation"), max_length=200)
    article = models.CharField(_("article"), max_length=100)
    text = models.TextField(_("text of the article"), blank=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal basis")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"《{self.law}》{self.article}"


class Material(models.Model):
    """One material (申请材料) of a version."""

    class Form(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic")
        PAPER = "paper", _("Paper")
        EITHER = "either", _("Electronic or paper")

    class Source(models.TextChoices):
        APPLICANT = "applicant", _("Prepared by the applicant")
        GOVERNMENT = "government", _("Issued by a government department")
        INTERMEDIARY = "intermediary", _("Issued by an intermediary body")
        SHARED = "shared", _("Obtained by data sharing")

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(
        _("code"), max_length=8, validators=[RegexValidator(r"^M\d{2}$", _("Use M01, M02 …"))]
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    tolerable = models.BooleanField(
        _("tolerable"), default=False, help_text=_("May be supplied after acceptance (容缺).")
    )
    form = models.CharField(_("form"), max_length=16, choices=Form.choices, default="either")
    source_channel = models.CharField(
        _("source channel"), max_length=16, choices=Source.choices, default="applicant"
    )
    copies = models.PositiveSmallIntegerField(_("paper copies"), default=1)
    paper_size = models.CharField(_("paper size"), max_length=8, default="A4", blank=True)
    form_fields = models.JSONField(
        _("fields of the blank form"),
        default=list,
        blank=True,
        help_text=_("[{label, example}]: the blank form and the filled example are built from it."),
    )
    blank_form_url = models.URLField(_("blank form address"), blank=True)
    example = models.TextField(_("filled example"), blank=True)
    notes = models.TextField(_("filling notes"), blank=True)
    acceptance_standard = models.TextField(_("acceptance standard"), blank=True)
    legal_rule = models.CharField(_("rule that requires it"), max_length=300, blank=True)
    from_elicence = models.BooleanField(_("can be taken from an existing e-licence"), default=False)
    max_size_mb = models.PositiveSmallIntegerField(_("largest file (MB)"), default=10)
    allowed_types = models.JSONField(_("allowed file types"), default=list, blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="material_code_unique"),
            models.CheckConstraint(
                condition=Q(tolerable=False) | Q(required=True),
                name="material_tolerable_only_if_required",
            ),
            models.CheckConstraint(condition=Q(copies__lte=20), name="material_copies_at_most_20"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def core(self) -> bool:
        """A core material (核心材料) must be there at acceptance: required and not tolerable."""
        return self.required and not self.tolerable

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and in_english() else self.name

    @property
    def has_template(self) -> bool:
        return bool(self.form_fields or self.blank_form_url)


class Dictionary(models.Model):
    """A dictionary (数据字典) of values the law lists, e.g. 诊疗科目 or public-place kinds.

    Form fields of type `choice` name a dictionary; the entries are data, edited by catalogue
    administrators, and a field's answer is an entry's code.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    entries = models.JSONField(
        _("entries"), default=list, help_text=_("[{code, label, label_en}] in display order.")
    )

    class Meta:
        verbose_name = _("dictionary")
        verbose_name_plural = _("dictionaries")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and in_english() else self.name


class Implementation(models.Model):
    """An implementation entry (实施清单): one department carrying out one item.

    The standardized elements (name, type, legal basis, materials, statutory limit) are a copy
    that must equal the base version; the local elements may only tighten the base.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="implementations")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="implementations"
    )
    base_version = models.ForeignKey(
        ItemVersion,
        on_delete=models.PROTECT,
        related_name="implementations",
        verbose_name=_("aligned to version"),
    )
    implementation_code = models.CharField(
        _("implementation code"),
        max_length=31,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Z]{18}[1-6]\d{12}$")],
    )
    exercise_level = models.PositiveSmallIntegerField(
        _("exercise level"), choices=ExerciseLevel.choices
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    # Standardized elements, copied from the base version (一把尺): must not differ.
    name = models.CharField(_("name"), max_length=200)
    item_type = models.CharField(_("type"), max_length=16, choices=ItemVersion.ItemType.choices)
    legal_basis = models.JSONField(_("legal basis"), default=list)
    materials = models.JSONField(_("materials"), default=list)
    statutory_limit_days = models.PositiveIntegerField(_("statutory time limit (working days)"))

    # Local elements: may only tighten the base.
    committed_limit_days = models.PositiveIntegerField(
        _("committed time limit (working days)"), validators=[MinValueValidator(0)]
    )
    max_visits = models.PositiveSmallIntegerField(_("most visits needed"))
    channels = models.JSONField(_("channels"), default=list)
    online = models.BooleanField(_("fully online"), default=False)
    hall_address = models.CharField(_("hall address"), max_length=300, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    fee_account = models.CharField(_("fee account"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("implementation entry")
        verbose_name_plural = _("implementation entries")
        ordering = ["item__code", "department__region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "department"], name="implementation_one_per_department"
            ),
            models.CheckConstraint(
                condition=Q(committed_limit_days__lte=F("statutory_limit_days")),
                name="implementation_committed_within_statutory",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.implementation_code} {self.name}"

    @property
    def scope_region_code(self) -> str:
        return self.department.region.code

    @property
    def scope_department_id(self) -> int:
        return self.department_id

    scope_applicant_ids: frozenset[int] = frozenset()


class ImportJob(models.Model):
    """One workbook upload: validated whole, imported whole or not at all."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Checking")
        REJECTED = "rejected", _("Rejected: nothing imported")
        DONE = "done", _("Imported")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("workbook"))
    publish = models.BooleanField(_("publish after import"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    report = models.JSONField(_("validation report"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.REJECTED):
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED)
