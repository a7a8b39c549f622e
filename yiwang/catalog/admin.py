"""Read-mostly admin for the catalogue: writes go through the services and the workbook."""

from django.contrib import admin

from yiwang.catalog.models import Dictionary, Implementation, ImportJob, Item, ItemVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "owner_department", "created_at"]
    search_fields = ["code", "versions__name"]


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyAdmin):
    list_display = [
        "item",
        "version",
        "name",
        "status",
        "statutory_limit_days",
        "committed_limit_days",
    ]
    list_filter = ["status", "item_type"]
    search_fields = ["item__code", "name", "name_en"]


@admin.register(Implementation)
class ImplementationAdmin(ReadOnlyAdmin):
    list_display = ["implementation_code", "name", "department", "committed_limit_days", "status"]
    list_filter = ["status", "department"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["filename", "created_by", "status", "created_at"]
    exclude = ["content"]


@admin.register(Dictionary)
class DictionaryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "source"]
    search_fields = ["code", "name"]
