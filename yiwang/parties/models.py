from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.parties.identifiers import mask_name, mask_resident_id


class Applicant(models.Model):
    """An applicant (申请人): an organisation, a medical institution or a person."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        MEDICAL_INSTITUTION = "medical_institution", _("Medical institution")
        PERSON = "person", _("Person")

    class Grade(models.TextChoices):
        A = "A", _("A (trustworthy)")
        B = "B", _("B (basically trustworthy)")
        C = "C", _("C (watch)")
        D = "D", _("D (untrustworthy)")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True, unique=True
    )
    id_number = models.CharField(
        _("resident ID number"), max_length=18, null=True, blank=True, unique=True
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Medical institutions only (医疗机构).
    institution_category = models.CharField(_("institution category"), max_length=60, blank=True)
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    practice_licence_number = models.CharField(
        _("practice licence registration number"), max_length=40, blank=True
    )
    credit_grade = models.CharField(
        _("credit grade"), max_length=1, choices=Grade.choices, default=Grade.B
    )
    black_listed = models.BooleanField(_("on the black list"), default=False)
    red_listed = models.BooleanField(_("on the red list"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="person", id_number__isnull=False, uscc__isnull=True)
                    | (~models.Q(kind="person") & models.Q(uscc__isnull=False))
                ),
                name="applicant_code_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="medical_institution") | models.Q(beds__isnull=True),
                name="applicant_beds_only_institutions",
            ),
        ]
        indexes = [models.Index(fields=["region", "name"], name="applicant_region_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_person(self) -> bool:
        return self.kind == self.Kind.PERSON

    @property
    def code(self) -> str:
        return self.id_number if self.is_person else self.uscc

    @property
    def masked_code(self) -> str:
        return mask_resident_id(self.id_number) if self.is_person else self.uscc

    @property
    def masked_name(self) -> str:
        return mask_name(self.name) if self.is_person else self.name

    # The permission module's view of an applicant.
    @property
    def scope_region_code(self) -> str:
        return self.region.code

    scope_department_id = None

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.pk})


class Representation(models.Model):
    """A portal account that may act for an applicant: its legal representative or an agent."""

    class Capacity(models.TextChoices):
        SELF = "self", _("The applicant in person")
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
        AGENT = "agent", _("Agent (经办人)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="representations"
    )
    capacity = models.CharField(_("capacity"), max_length=24, choices=Capacity.choices)

    class Meta:
        verbose_name = _("representation")
        verbose_name_plural = _("representations")
        constraints = [
            models.UniqueConstraint(fields=["user", "applicant"], name="representation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.applicant}"


class Agent(models.Model):
    """An agent (经办人) acting for an applicant, as named on its authorisation letter."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="agents")
    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("resident ID number"), max_length=18)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    authorised_until = models.DateField(_("authorised until"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        constraints = [
            models.UniqueConstraint(fields=["applicant", "id_number"], name="agent_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number)
