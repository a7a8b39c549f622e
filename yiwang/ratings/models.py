"""Rating invitations, ratings (好差评), rectifications of bad ratings, and their alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.ratings.rules import LEVELS


class SubjectKind(models.TextChoices):
    CASE = "case", _("Case")
    TICKET = "ticket", _("Hotline ticket")


class RatingChannel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    LINK = "link", _("Link in the notice")
    WINDOW = "window", _("Rating pad at the window")
    PHONE = "phone", _("Phone (entered by the operator)")
    HOTLINE = "hotline", _("Hotline (rated in the complaints service)")


class RatingInvitation(models.Model):
    """What can be rated (待评价): a decided case or a replied ticket, opened by a domain event.

    The notice link carries a one-time token; only its SHA-256 hash is stored."""

    subject_kind = models.CharField(_("subject"), max_length=8, choices=SubjectKind.choices)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    number = models.CharField(_("number"), max_length=40)
    applicant = models.ForeignKey(
        "parties.Applicant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applicant"),
    )
    department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    item_code = models.CharField(_("item code"), max_length=40, blank=True)
    item_name = models.CharField(_("item"), max_length=200, blank=True)
    service_channel = models.CharField(
        _("service channel"), max_length=10, blank=True, help_text=_("Where the case was filed.")
    )
    opened_on = models.DateField(_("open for rating from"))
    rate_until = models.DateField(_("open for rating until"))
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    token_used_at = models.DateTimeField(_("link used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating invitation")
        verbose_name_plural = _("rating invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id"], name="rating_invitation_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_kind_display()} {self.number}"

    @property
    def scope_region_code(self) -> str:
        return self.region_code

    @property
    def scope_department_id(self) -> int | None:
        return self.department_id

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.applicant_id}) if self.applicant_id else frozenset()


class Rating(models.Model):
    """A rating (评价) on five levels; one per case or ticket, changeable for 10 working days."""

    invitation = models.OneToOneField(
        RatingInvitation, on_delete=models.PROTECT, related_name="rating"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=sorted(LEVELS.items()))
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=RatingChannel.choices)
    rated_at = models.DateTimeField(_("rated at"))
    rated_on = models.DateField(_("rated on"))
    change_until = models.DateField(_("changeable until"))
    changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True)
    callback_consent = models.BooleanField(_("agrees to be called back"), default=False)
    callback_phone = models.CharField(_("phone for the call back"), max_length=30, blank=True)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"
            )
        ]
        indexes = [models.Index(fields=["rated_on"], name="rating_rated_on")]

    def __str__(self) -> str:
        return f"{self.invitation.number}: {self.level}"

    @property
    def scope_region_code(self) -> str:
        return self.invitation.region_code

    @property
    def scope_department_id(self) -> int | None:
        return self.invitation.department_id

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return self.invitation.scope_applicant_ids


class Rectification(models.Model):
    """The rectification (整改) of a bad rating: verified, called back, fixed, rater told."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        VERIFIED = "verified", _("Verified")
        CALLED_BACK = "called_back", _("Called back")
        FIXED = "fixed", _("Fixed")
        CLOSED = "closed", _("Rater told, closed")

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    opened_on = models.DateField(_("opened on"))
    due = models.DateField(_("due"))
    genuine = models.BooleanField(_("genuine"), null=True, blank=True)
    verification_reason = models.TextField(_("verification reasons"), blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    callback_note = models.TextField(_("call back"), blank=True)
    called_back_on = models.DateField(_("called back on"), null=True, blank=True)
    fix_note = models.TextField(_("fix"), blank=True)
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    told_note = models.TextField(_("what the rater was told"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [models.Index(fields=["status", "due"], name="rectification_status_due")]

    def __str__(self) -> str:
        return f"{self.rating.invitation.number} ({self.status})"

    @property
    def on_time(self) -> bool | None:
        return None if self.closed_on is None else self.closed_on <= self.due

    @property
    def scope_region_code(self) -> str:
        return self.rating.invitation.region_code

    @property
    def scope_department_id(self) -> int | None:
        return self.rating.invitation.department_id

    scope_applicant_ids: frozenset[int] = frozenset()


class RectificationAlert(models.Model):
    """A daily warning to a department leader about a rectification near or past its due date."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="alerts"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("level"), max_length=8)
    created_on = models.DateField(_("created on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rectification", "user", "created_on"], name="rectification_alert_daily"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rectification_id} → {self.user_id} ({self.level})"
