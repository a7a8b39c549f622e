from django.contrib import admin

from yiwang.credit.models import CreditEvent


@admin.register(CreditEvent)
class CreditEventAdmin(admin.ModelAdmin):
    list_display = ["recorded_at", "applicant", "kind", "case"]
    list_filter = ["kind"]
    search_fields = ["applicant__name"]
    readonly_fields = ["applicant", "kind", "case", "note", "recorded_at", "recorded_by"]
