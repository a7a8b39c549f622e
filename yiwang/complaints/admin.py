from django.contrib import admin

from yiwang.complaints.models import DeadlineRule


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """The ticket time limits are data: administrators change them here, not in code."""

    list_display = [
        "kind",
        "urgency",
        "reply_days",
        "decision_days",
        "extension_days",
        "reopen_days",
    ]
    list_editable = ["reply_days", "decision_days", "extension_days", "reopen_days"]
    list_filter = ["kind", "urgency"]
