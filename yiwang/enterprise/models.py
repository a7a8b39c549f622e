from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecretaryAssignment(models.Model):
    """A service secretary (服务专员) assigned to an enterprise; earlier assignments are kept."""

    applicant = models.ForeignKey(
        "parties.Applicant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    secretary = models.ForeignKey(
        "regions.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("secretary")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("secretary assignment")
        verbose_name_plural = _("secretary assignments")
        ordering = ["applicant", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(ends_on__isnull=True),
                name="one_current_secretary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.secretary} → {self.applicant}"


class ListKind(models.TextChoices):
    """The three lists of seed 002 (三个清单)."""

    PROBLEM = "problem", _("Problem list (企业问题清单)")
    DONE_FOR = "done_for", _("Things done for the enterprise (政府为企业办实事清单)")
    POTENTIAL = "potential", _("Development potential (企业发展潜力清单)")


class EntryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (EntryStatus.OPEN, EntryStatus.IN_PROGRESS)


class ListEntry(models.Model):
    """One entry of one of an enterprise's three lists: an owner, a due date, a status, notes."""

    applicant = models.ForeignKey(
        "parties.Applicant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("list"), max_length=10, choices=ListKind.choices)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    owner = models.ForeignKey(
        "regions.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.OPEN
    )
    reported_by_enterprise = models.BooleanField(_("reported by the enterprise"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["applicant", "kind", "due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="list_entry_owner_due"),
            models.Index(fields=["applicant", "kind"], name="list_entry_applicant"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_region_code(self) -> str:
        return self.applicant.region.code

    scope_department_id = None

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.applicant_id})


class Expert(models.Model):
    """An expert of the pool who gives front services free of charge (前置服务专家)."""

    name = models.CharField(_("name"), max_length=50)
    specialty = models.CharField(_("specialty"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert",
        help_text=_("The account the expert records advice with."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.specialty}）"


class ServiceKind(models.TextChoices):
    CONSULTATION = "consultation", _("Expert consultation")
    SITE_SELECTION = "site_selection", _("Site-selection advice")
    LAYOUT = "layout", _("Workshop or floor layout advice")
    DRAWING_REVIEW = "drawing_review", _("Drawing review (图纸审查)")


class FrontServiceOffer(models.Model):
    """Which front service is offered before applying for which item (data, not code)."""

    item = models.ForeignKey("catalog.Item", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("service"), max_length=16, choices=ServiceKind.choices)

    class Meta:
        verbose_name = _("front-service offer")
        verbose_name_plural = _("front-service offers")
        constraints = [
            models.UniqueConstraint(fields=["item", "kind"], name="front_service_offer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ASSIGNED = "assigned", _("Expert assigned")
    ADVISED = "advised", _("Advice given")


class FrontServiceRequest(models.Model):
    """A request for a free front service (前置服务) before applying, and the case it led to."""

    applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.CASCADE, related_name="+", verbose_name=_("applicant")
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    kind = models.CharField(_("service"), max_length=16, choices=ServiceKind.choices)
    description = models.TextField(_("what is planned"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("later application"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))

    class Meta:
        verbose_name = _("front-service request")
        verbose_name_plural = _("front-service requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["applicant", "item"], name="front_service_applicant_item"),
            models.Index(fields=["status", "requested_at"], name="front_service_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.applicant}"

    @property
    def scope_region_code(self) -> str:
        return self.applicant.region.code

    scope_department_id = None

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.applicant_id})


class Advice(models.Model):
    """What the expert advised, with marked-up files (drawings, layouts)."""

    request = models.ForeignKey(
        FrontServiceRequest, on_delete=models.CASCADE, related_name="advice"
    )
    text = models.TextField(_("advice"))
    files = models.ManyToManyField("cases.StoredFile", related_name="+", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("advice")
        verbose_name_plural = _("advice")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
