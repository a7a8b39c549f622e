from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Hall(models.Model):
    """A service hall (政务服务大厅) run by a department, with its windows and opening hours."""

    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        help_text=_("Letters that start every ticket number of this hall."),
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    department = models.ForeignKey(
        "regions.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("runs it")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    is_open = models.BooleanField(_("takes bookings"), default=True)

    class Meta:
        verbose_name = _("service hall")
        verbose_name_plural = _("service halls")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_region_code(self) -> str:
        return self.region.code

    scope_department_id = None
    scope_applicant_ids: frozenset[int] = frozenset()


class Window(models.Model):
    """A window (窗口) of a hall; the green window (绿色通道窗口) takes green-channel walk-ins."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="windows")
    number = models.PositiveSmallIntegerField(_("window number"))
    name = models.CharField(_("name"), max_length=100)
    is_green = models.BooleanField(_("emergency green window"), default=False)

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="window_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.hall.code}{self.number:02d} {self.name}"


class OpeningPeriod(models.Model):
    """A period of every working day (make-up days included) in which the hall serves."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="opening_periods")
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        ordering = ["hall", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="opening_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class ItemGroup(models.Model):
    """Items served at the same windows, booked in slots of one length and capacity."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="item_groups")
    name = models.CharField(_("name"), max_length=100)
    items = models.ManyToManyField("catalog.Item", related_name="+", verbose_name=_("items"))
    windows = models.ManyToManyField(Window, related_name="item_groups", verbose_name=_("windows"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    capacity = models.PositiveSmallIntegerField(_("people per slot"), default=4)

    class Meta:
        verbose_name = _("item group")
        verbose_name_plural = _("item groups")
        ordering = ["hall", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=5, capacity__gte=1),
                name="item_group_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """A time on one working day for one item group; `booked` never exceeds `capacity`."""

    group = models.ForeignKey(ItemGroup, on_delete=models.CASCADE, related_name="slots")
    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="slots")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["date", "starts_at", "group"]
        constraints = [
            models.UniqueConstraint(fields=["group", "date", "starts_at"], name="slot_unique"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overfilled"
            ),
        ]
        indexes = [models.Index(fields=["hall", "date"], name="slot_hall_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.starts_at:%H:%M}"

    @property
    def is_full(self) -> bool:
        return self.booked >= self.capacity

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked, 0)


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PHONE = "phone", _("By phone")
    DOOR = "door", _("At the door")
    GREEN = "green", _("Green-channel walk-in")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")


ACTIVE = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


class Booking(models.Model):
    """A booking (预约) of a place in a slot, or a green-channel walk-in, with its ticket."""

    ticket = models.CharField(_("ticket number"), max_length=24, unique=True)
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="bookings")
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("date"))
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visitor_name = models.CharField(_("visitor"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Who the booking counts against for duplicates and no-shows: "applicant:<id>" or "phone:<n>".
    holder_key = models.CharField(max_length=60)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(_("booked at"))
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    rebooked_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rebooked_as"
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["date", "slot__starts_at", "ticket"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "holder_key"],
                condition=models.Q(status__in=["booked", "checked_in"]),
                name="booking_once_per_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["hall", "date"], name="booking_hall_date"),
            models.Index(fields=["holder_key", "status", "date"], name="booking_holder"),
        ]

    def __str__(self) -> str:
        return self.ticket

    @property
    def scope_region_code(self) -> str:
        return self.hall.region.code

    scope_department_id = None

    @property
    def scope_applicant_ids(self) -> frozenset[int]:
        return frozenset({self.applicant_id}) if self.applicant_id else frozenset()


class TicketSequence(models.Model):
    """The last ticket number given in a hall on a day; the locked row keeps numbers unique."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hall", "date"], name="ticket_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.hall_id} {self.date} {self.last}"


class BookingBlock(models.Model):
    """A holder who missed three bookings in 90 days may not book for 30 days."""

    holder_key = models.CharField(max_length=60)
    applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    no_shows = models.PositiveSmallIntegerField(_("missed bookings counted"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("booking block")
        verbose_name_plural = _("booking blocks")
        ordering = ["-ends_on"]
        indexes = [models.Index(fields=["holder_key", "ends_on"], name="booking_block_holder")]

    def __str__(self) -> str:
        return f"{self.holder_key} {self.starts_on}–{self.ends_on}"


class Notice(models.Model):
    """A message to a visitor: the reminder the working day before, a block, a cancellation."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        BLOCKED = "blocked", _("Booking blocked")

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    holder_key = models.CharField(max_length=60)
    applicant = models.ForeignKey(
        "parties.Applicant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    phone = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.holder_key}"
