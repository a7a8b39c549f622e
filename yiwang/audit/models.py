from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditStream(models.Model):
    """The head of one chain: its last sequence number and hash, and what is anchored."""

    name = models.CharField(_("stream"), max_length=120, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    anchored_seq = models.PositiveBigIntegerField(default=0)
    anchored_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit stream")
        verbose_name_plural = _("audit streams")
        indexes = [
            models.Index(fields=["last_seq", "anchored_seq"], name="audit_stream_unanchored")
        ]

    def __str__(self) -> str:
        return self.name


class AuditRecord(models.Model):
    """One write (审计记录): who did what to which object, before and after, chained by hash."""

    stream = models.CharField(_("stream"), max_length=120)
    seq = models.PositiveBigIntegerField(_("sequence"))
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["stream", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="audit_record_stream_seq"),
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_record_object")]

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq} {self.action}"


class AuditAnchor(models.Model):
    """A signed head of the global chain: the heads of every stream that moved since the last
    one, the Merkle root over the anchored heads of all streams, and an Ed25519 signature with
    a key that is not in the database (`yiwang.keys`). Each head is chained to the previous one
    and exported outside the database (an append-only file and the public page)."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    entries = models.JSONField(help_text="[[stream, seq, hash], ...] sorted by stream")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    tree_size = models.PositiveBigIntegerField(default=0)
    root = models.CharField(max_length=64, blank=True, default="")
    key_id = models.CharField(max_length=40, blank=True, default="")
    signature = models.CharField(max_length=120, blank=True, default="")

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"anchor #{self.seq}"
