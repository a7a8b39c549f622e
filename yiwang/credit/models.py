from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditEvent(models.Model):
    """A fact in an applicant's credit record (信用记录), e.g. a false commitment."""

    class Kind(models.TextChoices):
        FALSE_COMMITMENT = "false_commitment", _("False commitment (告知承诺失信)")
        COMMITMENT_KEPT = "commitment_kept", _("Commitment confirmed by inspection")
        SUPPLEMENT_MISSED = "supplement_missed", _("Promised materials not supplied in time")

    applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.PROTECT, related_name="credit_events"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["applicant", "recorded_at"], name="credit_event_applicant")]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.kind}"
