"""Reference data of the enterprise services: the expert pool and which front services are
offered for which item. Assignments, lists and requests change only through the services."""

from django.contrib import admin

from yiwang.enterprise.models import Expert, FrontServiceOffer


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "specialty", "organisation", "user", "is_active"]


@admin.register(FrontServiceOffer)
class FrontServiceOfferAdmin(admin.ModelAdmin):
    list_display = ["item", "kind"]
    list_filter = ["kind"]
