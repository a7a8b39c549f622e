"""The calendar in the admin: every write goes through the services (audited, versioned)."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.errors import DomainError
from yiwang.workdays import services
from yiwang.workdays.models import DayOverride, PublishedYear


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel (.xlsx) file"))
    year = forms.IntegerField(
        label=_("year"), required=False, min_value=2004, max_value=2099,
        help_text=_("Leave empty to take the year of the rows."),
    )  # fmt: skip
    notice = forms.CharField(label=_("notice"), max_length=200, required=False)


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "notice", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "notice"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name", "notice"]
    change_list_template = "admin/workdays/dayoverride/change_list.html"

    def save_model(self, request, obj, form, change):
        saved = services.day_override_set(
            actor=request.user, date=obj.date, kind=obj.kind, name=obj.name, notice=obj.notice
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.day_override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            services.day_override_delete(actor=request.user, override=override)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_year),
                name="workdays_dayoverride_import",
            ),
            *super().get_urls(),
        ]

    def import_year(self, request):
        """Load a whole year from a file; show every bad row and load nothing on error."""
        problems = []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.calendar_import_year(
                    actor=request.user,
                    filename=upload.name,
                    content=upload.read(),
                    year=form.cleaned_data["year"],
                    notice=form.cleaned_data["notice"],
                )
            except services.CalendarImportRefused as refused:
                problems = refused.problems
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                self.message_user(
                    request,
                    gettext("%(year)s loaded: %(count)s day(s).")
                    % {"year": result.year, "count": result.loaded},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:workdays_dayoverride_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Load a year's calendar"),
            "form": form,
            "problems": problems,
            "opts": self.model._meta,
        }
        return render(request, "admin/workdays/import.html", context)


@admin.register(PublishedYear)
class PublishedYearAdmin(admin.ModelAdmin):
    list_display = ["year", "notice", "loaded_at"]

    def has_add_permission(self, request):
        return False  # a year is published by loading it

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
