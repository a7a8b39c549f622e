"""Credit reference data in the admin: score cards are written through the API or the services
(preview, then put in force); list rules and the four lists are reference data kept here.
Facts, grades, list entries, objections and repairs are read-only: services write them."""

from django.contrib import admin

from yiwang.credit.models import (
    CreditEvent,
    CreditFact,
    GradeRecord,
    InclusiveMeasure,
    ListEntry,
    ListRule,
    Objection,
    Repair,
    ScoreCard,
    ScoreIndicator,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditEvent)
class CreditEventAdmin(ReadOnly):
    list_display = ["recorded_at", "applicant", "kind", "case"]
    list_filter = ["kind"]
    search_fields = ["applicant__name"]


@admin.register(CreditFact)
class CreditFactAdmin(ReadOnly):
    list_display = ["occurred_on", "entity_code", "kind", "severity", "department", "status"]
    list_filter = ["source", "kind", "severity", "status"]
    search_fields = ["entity_code", "applicant__name", "record_id"]


class ScoreIndicatorInline(admin.TabularInline):
    model = ScoreIndicator
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScoreCard)
class ScoreCardAdmin(ReadOnly):
    list_display = ["version", "name", "status", "effective_from", "a_min", "b_min", "c_min"]
    inlines = [ScoreIndicatorInline]


@admin.register(GradeRecord)
class GradeRecordAdmin(ReadOnly):
    list_display = ["graded_on", "applicant", "previous_grade", "grade", "score", "reason"]
    list_filter = ["grade"]
    search_fields = ["applicant__name"]


@admin.register(ListRule)
class ListRuleAdmin(admin.ModelAdmin):
    list_display = ["fact_kind", "min_severity", "list_kind", "months", "active"]


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnly):
    list_display = ["applicant", "list_kind", "status", "starts_on", "ends_on"]
    list_filter = ["list_kind", "status"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnly):
    list_display = ["fact", "status", "answer_due", "answered_on"]


@admin.register(Repair)
class RepairAdmin(ReadOnly):
    list_display = ["fact", "status", "decision_due", "decided_on"]


@admin.register(InclusiveMeasure)
class InclusiveMeasureAdmin(admin.ModelAdmin):
    list_display = ["violation_kind", "list_kind", "violation", "list_version", "valid_from"]
    list_filter = ["list_kind", "list_version"]
