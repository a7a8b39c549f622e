from django.contrib import admin

from yiwang.indicators.models import DerivedState


@admin.register(DerivedState)
class DerivedStateAdmin(admin.ModelAdmin):
    """Read only: how far the roll-ups go and which calendar version the positions follow."""

    list_display = ["calendar_version", "rolled_up_to", "rebuilt_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
