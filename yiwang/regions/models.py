from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Significant digits of a 12-digit statistical division code at each level:
# province 2, city 4, county/district 6, town/street 9, village/community 12.
PREFIX_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}

division_code_validator = RegexValidator(
    r"^\d{12}$", _("A division code has exactly 12 digits."), code="division_code"
)


class Region(models.Model):
    """A region (行政区划) at one of five levels, coded with the 12-digit division code."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        CITY = 2, _("City")
        COUNTY = 3, _("County or district")
        TOWN = 4, _("Town or street")
        VILLAGE = 5, _("Village or community")

    code = models.CharField(
        _("division code"), max_length=12, unique=True, validators=[division_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="region_level_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The digits every region in this subtree shares."""
        return self.code[: PREFIX_LENGTH[self.level]]

    def contains(self, other: "Region") -> bool:
        return other.code.startswith(self.prefix)

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Department(models.Model):
    """A government department (部门) belonging to a region."""

    class Kind(models.TextChoices):
        HEALTH_COMMISSION = "health_commission", _("Health commission")
        APPROVAL_BUREAU = "approval_bureau", _("Administrative approval bureau")
        MARKET_SUPERVISION = "market_supervision", _("Market supervision")
        MEDICAL_SECURITY = "medical_security", _("Medical security")

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("region")
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    runs_service_hall = models.BooleanField(_("runs the service hall"), default=False)
    hall_address = models.CharField(_("service hall address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Role(models.TextChoices):
    WINDOW_CLERK = "window_clerk", _("Window clerk")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    INSPECTOR = "inspector", _("Inspector")
    SERVICE_SECRETARY = "service_secretary", _("Service secretary")
    CATALOGUE_ADMIN = "catalogue_admin", _("Catalogue administrator")
    LEADER = "leader", _("Leader")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")


class Staff(models.Model):
    """A staff account (工作人员): a user of one department, covering one region subtree."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="staff", verbose_name=_("department")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("covered region"),
        help_text=_("The root of the region subtree this person acts in."),
    )
    display_name = models.CharField(_("name"), max_length=50)
    certificate_number = models.CharField(
        _("enforcement certificate number"), max_length=40, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.display_name

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.roles.all())


class StaffRole(models.Model):
    """One role held by one staff member."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["staff", "role"], name="staff_role_unique"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()
