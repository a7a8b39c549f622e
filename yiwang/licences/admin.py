"""Reference data of the register: renewal windows per licence type and verification periods.
Licences themselves change only through the services (history and audit), never here."""

from django.contrib import admin

from yiwang.licences.models import LicenceTypeRule, VerificationPeriod


@admin.register(LicenceTypeRule)
class LicenceTypeRuleAdmin(admin.ModelAdmin):
    list_display = ["licence_type_code", "renewal_window_days"]


@admin.register(VerificationPeriod)
class VerificationPeriodAdmin(admin.ModelAdmin):
    list_display = ["category", "min_beds", "years", "legal_basis"]
