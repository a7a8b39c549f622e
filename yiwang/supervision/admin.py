from django.contrib import admin

from yiwang.supervision.models import Checklist, InspectorConflict


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    """Checklists are reference data: a change is a new version, never an edit of a used one."""

    list_display = ["licence_type_code", "name", "version", "valid_from"]
    list_filter = ["licence_type_code"]

    def has_change_permission(self, request, obj=None):
        return obj is None


@admin.register(InspectorConflict)
class InspectorConflictAdmin(admin.ModelAdmin):
    list_display = ["staff", "entity_code", "reason", "declared_at"]
    search_fields = ["entity_code"]
    readonly_fields = ["staff", "entity_code", "reason", "declared_at"]

    def has_add_permission(self, request):
        return False
