"""Reference data of the halls: halls, windows, opening periods, item groups. Slots are opened
by the daily job (or `hall_open_slots`); bookings change only through the services."""

from django.contrib import admin

from yiwang.appointments.models import Hall, ItemGroup, OpeningPeriod, Window


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "address", "department", "is_open"]
    inlines = [WindowInline, OpeningPeriodInline]


@admin.register(ItemGroup)
class ItemGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "hall", "slot_minutes", "capacity"]
    filter_horizontal = ["items", "windows"]
