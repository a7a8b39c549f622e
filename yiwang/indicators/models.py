"""Derived tables only: recomputable at any time from the cases, the catalogue and the calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkdayPosition(models.Model):
    """Day → working-day position (the calendar's ruler), so SQL subtracts two positions.

    A copy of `WorkingCalendar.position` for every day the calendar covers, rebuilt whenever
    the calendar's version moves (see `positions.ensure_positions`).
    """

    day = models.DateField(primary_key=True)
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("working-day position")
        verbose_name_plural = _("working-day positions")

    def __str__(self) -> str:
        return f"{self.day} {self.position}"


class DerivedState(models.Model):
    """One row: the calendar version the positions were built from and how far the roll-ups go.

    `rolled_up_to`: every day up to and including it is in `DailyFigure`; later days are read
    live from the cases. None: nothing is rolled up yet (everything is read live).
    """

    calendar_version = models.BigIntegerField(null=True)
    rolled_up_to = models.DateField(null=True)
    rebuilt_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"calendar {self.calendar_version}, rolled up to {self.rolled_up_to}"


class DailyFigure(models.Model):
    """The counts behind the case indicators for one day, department, case region and item.

    Each count is keyed on its own event's day: filings on the day received, decisions on the
    day decided, closures on the day closed. Slices by channel or procedure are read live from
    the cases (the same definitions, `facts.py`): keeping them here would make a row per case.
    """

    day = models.DateField()
    department_id = models.IntegerField()
    region_code = models.CharField(max_length=12)
    item_id = models.IntegerField()

    filed = models.PositiveIntegerField(default=0)
    window_filed = models.PositiveIntegerField(default=0)
    window_at_hall = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    used_days = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    zero_visit = models.PositiveIntegerField(default=0)
    one_visit_or_less = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    visits_saved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_id", "region_code", "item_id"],
                name="daily_figure_slice",
            )
        ]
        indexes = [
            models.Index(fields=["day", "region_code"], name="daily_figure_region"),
            models.Index(fields=["department_id", "day"], name="daily_figure_department"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.item_id}"


class DailyLicences(models.Model):
    """Licences issued (not imported) on one day by one department, per item and licence type."""

    day = models.DateField()
    department_id = models.IntegerField()
    region_code = models.CharField(max_length=12)
    item_id = models.IntegerField()
    licence_type = models.CharField(max_length=200)
    issued = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("licences issued per day")
        verbose_name_plural = _("licences issued per day")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_id", "region_code", "item_id", "licence_type"],
                name="daily_licences_slice",
            )
        ]
        indexes = [models.Index(fields=["day", "region_code"], name="daily_licences_region")]

    def __str__(self) -> str:
        return f"{self.day} {self.licence_type} {self.issued}"


class MonthlyFigure(models.Model):
    """`DailyFigure` summed per month (`day` = the month's first day), kept with it: a year's
    dashboard reads twelve months per slice instead of 365 days."""

    day = models.DateField()
    department_id = models.IntegerField()
    region_code = models.CharField(max_length=12)
    item_id = models.IntegerField()

    filed = models.PositiveIntegerField(default=0)
    window_filed = models.PositiveIntegerField(default=0)
    window_at_hall = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    used_days = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    zero_visit = models.PositiveIntegerField(default=0)
    one_visit_or_less = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    visits_saved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_id", "region_code", "item_id"],
                name="monthly_figure_slice",
            )
        ]
        indexes = [models.Index(fields=["day", "region_code"], name="monthly_figure_region")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.department_id} {self.item_id}"


class MonthlyLicences(models.Model):
    """`DailyLicences` summed per month (`day` = the month's first day)."""

    day = models.DateField()
    department_id = models.IntegerField()
    region_code = models.CharField(max_length=12)
    item_id = models.IntegerField()
    licence_type = models.CharField(max_length=200)
    issued = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("licences issued per month")
        verbose_name_plural = _("licences issued per month")
        indexes = [models.Index(fields=["day", "region_code"], name="monthly_licences_region")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.licence_type} {self.issued}"
