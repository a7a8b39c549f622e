from django.contrib import admin

from yiwang.ratings.models import RatingInvitation


@admin.register(RatingInvitation)
class RatingInvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations come from events, ratings and rectifications from services."""

    list_display = ["number", "subject_kind", "department", "opened_on", "rate_until"]
    list_filter = ["subject_kind"]
    search_fields = ["number"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
