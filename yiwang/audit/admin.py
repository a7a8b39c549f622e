from django.contrib import admin

from yiwang.audit.models import AuditAnchor, AuditRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "stream", "seq", "action", "actor_label", "object_type", "object_id"]
    list_filter = ["object_type", "action"]
    search_fields = ["stream", "object_id", "actor_label"]


@admin.register(AuditAnchor)
class AuditAnchorAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "hash"]
