from django.contrib import admin

from yiwang.parties.models import Agent, Applicant, Representation


class AgentInline(admin.TabularInline):
    model = Agent
    extra = 0


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "uscc", "region", "credit_grade", "black_listed", "red_listed"]
    list_filter = ["kind", "credit_grade", "black_listed", "red_listed"]
    search_fields = ["name", "uscc"]
    inlines = [AgentInline]


@admin.register(Representation)
class RepresentationAdmin(admin.ModelAdmin):
    list_display = ["user", "applicant", "capacity"]
    search_fields = ["user__username", "applicant__name"]
