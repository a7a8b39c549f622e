"""Reference data of the guidance: specialties (and the licence scope entries that count).
Figures, targets, thresholds and guide editions come through the imports and services (API),
so that each change is checked and audited."""

from django.contrib import admin

from yiwang.guidance import layout
from yiwang.guidance.models import Specialty


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "scope_terms"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Other scope entries count other institutions: the counts are made again.
        layout.counted_institutions_rebuild()
