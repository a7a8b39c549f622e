from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Resource-layout guidance (医疗资源布局指引, seed 004) -------------------------------------


class ResourceClass(models.TextChoices):
    ABUNDANT = "abundant", _("Abundant")
    INSUFFICIENT = "insufficient", _("Relatively insufficient")
    WEAK = "weak", _("Weak")


# From most to least provided: the overall class of a region is the weakest of its figures.
CLASS_ORDER = [ResourceClass.ABUNDANT, ResourceClass.INSUFFICIENT, ResourceClass.WEAK]


class Measure(models.TextChoices):
    BEDS = "beds", _("Beds per 1,000 residents")
    DOCTORS = "doctors", _("Licensed doctors per 1,000 residents")
    INSTITUTIONS = "institutions", _("Institutions of the specialty per 100,000 residents")


class Specialty(models.Model):
    """A specialty (专科) for which setting-up guidance is given; `scope_terms` are the entries of
    a practice licence's scope that count an institution towards it."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    scope_terms = models.JSONField(_("licence scope entries counted"), default=list)

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CountedInstitution(models.Model):
    """A medical institution counted towards a specialty (计入专科的机构): it holds an operating
    licence in force whose scope names one of the specialty's terms. Kept holder by holder from
    the licence events (`guidance.subscribers`), so the layout's counts are an index scan, not a
    pass over the licence register; rebuilt whole when the terms change."""

    # No database key: the row is derived, and rebuilt from the register when in doubt.
    holder = models.ForeignKey(
        "parties.Applicant",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the unique (holder, specialty) leads with it
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The holder's region when counted: the layout counts by region subtree (code prefix).
    region_code = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "specialty"], name="counted_institution_once"
            ),
        ]
        indexes = [
            # Pattern operators: a region's subtree is a prefix of the code (LIKE 'prefix%'),
            # which a plain index serves only under the C collation.
            models.Index(
                fields=["specialty", "region_code"],
                name="counted_by_region",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} {self.specialty_id} {self.region_code}"


class ResourceFigures(models.Model):
    """A region's imported figures for one year: population, beds, doctors and the targets."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("resident population"))
    beds = models.PositiveIntegerField(_("beds"))
    licensed_doctors = models.PositiveIntegerField(_("licensed doctors"))
    beds_target = models.DecimalField(_("target beds per 1,000"), max_digits=6, decimal_places=2)
    doctors_target = models.DecimalField(
        _("target doctors per 1,000"), max_digits=6, decimal_places=2
    )
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name = _("resource figures")
        verbose_name_plural = _("resource figures")
        ordering = ["-year", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="resource_figures_unique"),
            models.CheckConstraint(
                condition=models.Q(population__gt=0), name="resource_figures_population"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"


class SpecialtyTarget(models.Model):
    """The planned number of institutions of a specialty per 100,000 residents of a region."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    specialty = models.ForeignKey(Specialty, on_delete=models.CASCADE, related_name="targets")
    institutions_target = models.DecimalField(
        _("target institutions per 100,000"), max_digits=6, decimal_places=2
    )

    class Meta:
        verbose_name = _("specialty target")
        verbose_name_plural = _("specialty targets")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "specialty"], name="specialty_target_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.specialty_id}"


class ClassThreshold(models.Model):
    """A band of one measure: a figure reaching at least `min_percent` and less than
    `max_percent` of its target gives `resource_class`. Bands of a measure never overlap."""

    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    resource_class = models.CharField(_("class"), max_length=12, choices=ResourceClass.choices)
    min_percent = models.DecimalField(_("from (percent of target)"), max_digits=6, decimal_places=1)
    max_percent = models.DecimalField(
        _("below (percent of target)"), max_digits=6, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("class threshold")
        verbose_name_plural = _("class thresholds")
        ordering = ["measure", "min_percent"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "resource_class"], name="class_threshold_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(max_percent__isnull=True)
                | models.Q(max_percent__gt=models.F("min_percent")),
                name="class_threshold_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.resource_class} [{self.min_percent}, {self.max_percent})"


# Compliance guide (合规指引, seed 004) -----------------------------------------------------


class GuideVersion(models.Model):
    """One imported edition of the compliance guide; the newest is the one shown."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("compliance guide version")
        verbose_name_plural = _("compliance guide versions")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class Law(models.Model):
    """A law or regulation of health, medical insurance or market supervision."""

    class Field(models.TextChoices):
        HEALTH = "health", _("Health")
        INSURANCE = "insurance", _("Medical insurance")
        MARKET = "market", _("Market supervision")

    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="laws")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    field = models.CharField(_("field"), max_length=10, choices=Field.choices)
    effective_on = models.DateField(_("in force from"))
    amended_on = models.DateField(_("last amended"), null=True, blank=True)

    class Meta:
        verbose_name = _("law or regulation")
        verbose_name_plural = _("laws and regulations")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="law_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="articles")
    number = models.CharField(_("article"), max_length=30)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["law", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["law", "number"], name="article_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.law.name}{self.number}"


class Violation(models.Model):
    """A common violation of medical institutions: its legal responsibility and the advice to
    stay compliant, with the articles it breaks and the items it concerns."""

    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="violations")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("violation"), max_length=200)
    category = models.CharField(_("category"), max_length=50)
    description = models.TextField(_("description"), blank=True)
    legal_responsibility = models.TextField(_("legal responsibility"))
    advice = models.TextField(_("compliance advice"))
    articles = models.ManyToManyField(Article, related_name="violations", blank=True)
    item_codes = models.JSONField(_("items concerned"), default=list, blank=True)
    # The same codes as ";code;code;" for a filter that SQLite and PostgreSQL both run.
    item_codes_key = models.CharField(max_length=500, blank=True, editable=False)
    # Everything a reader may search for, in one column (PostgreSQL indexes it by trigrams).
    search_text = models.TextField(editable=False)

    class Meta:
        verbose_name = _("common violation")
        verbose_name_plural = _("common violations")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="violation_unique_code"),
        ]

    def __str__(self) -> str:
        return self.title


class ViolationLink(models.Model):
    """A violation of the guide that an inspection's findings or a penalty's legal basis names,
    found when supervision publishes the event; supervision pages and the API read it."""

    class Subject(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        PENALTY = "penalty", _("Penalty")

    subject_kind = models.CharField(max_length=10, choices=Subject.choices)
    subject_id = models.PositiveBigIntegerField()
    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="links")
    matched_on = models.CharField(_("matched on"), max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("violation link")
        verbose_name_plural = _("violation links")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id", "violation"], name="violation_link_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} → {self.violation_id}"
