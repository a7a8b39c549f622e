"""The event store (outbox): one row per published event, one row per delivered subscriber."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """A domain event (领域事件): what happened, to which subject, by whom, with a typed payload."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=64)
    subject_type = models.CharField(_("subject type"), max_length=64, blank=True)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    occurred_at = models.DateTimeField(_("occurred at"))

    class Meta:
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")
        ordering = ["occurred_at"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "occurred_at"], name="event_subject"
            ),
            models.Index(fields=["name", "occurred_at"], name="event_name"),
        ]

    def __str__(self):
        return f"{self.name} {self.subject_type}:{self.subject_id}"


class Delivery(models.Model):
    """A subscriber that has handled an event; the unique pair makes a repeated delivery a no-op."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.CharField(_("subscriber"), max_length=200)
    delivered_at = models.DateTimeField(_("delivered at"))

    class Meta:
        verbose_name = _("event delivery")
        verbose_name_plural = _("event deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="delivery_once")
        ]

    def __str__(self):
        return f"{self.subscriber} ← {self.event_id}"
