from django.contrib import admin

from yiwang.disclosure.models import PolicyDocument, Publication


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read-only: records come from events and change through the services."""

    list_display = ["kind", "number", "subject_name", "decided_on", "publish_due", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "subject_name", "licence_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "drafting_department", "status", "published_on"]
    list_filter = ["status"]
    search_fields = ["title", "document_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
